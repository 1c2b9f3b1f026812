"""The list of services the server assembles, each built by ``create(app)``."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

# Modules with a ``create(app) -> ServiceBinding`` function, in start order.
SERVICE_MODULES = (
    "vrperception.services.hands",
    "vrperception.services.objects",
    "vrperception.services.voice",
)


@dataclass
class ServiceBinding:
    """A servicer plus what the handshake and health service report for it.

    ``capabilities`` are Capability names without the prefix ("HAND_TRACKING").
    ``models`` are dicts with name, task, version, source and sha256.
    ``warm_up(worker)`` runs once on every model worker before SERVING.
    ``serving`` is False for a service that answers UNIMPLEMENTED or lacks its model.
    """

    name: str
    servicer: Any
    add_to_server: Callable[[Any, Any], None]
    capabilities: list[str] = field(default_factory=list)
    models: list[dict[str, str]] = field(default_factory=list)
    warm_up: Callable[[Any], None] | None = None
    serving: bool = True
    close: Callable[[], None] | None = None


def create_bindings(app: Any) -> list[ServiceBinding]:
    return [importlib.import_module(name).create(app) for name in SERVICE_MODULES]
