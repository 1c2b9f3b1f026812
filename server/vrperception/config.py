"""Server configuration: a validated, frozen dataclass loaded once at start-up.

Sources, later ones win: defaults, the YAML config file (``--config``), then
command-line flags. Each area has its own section, for example::

    port: 50051
    workers: 2
    hands:
      model_complexity: 1
    gestures:
      model_path: my_gestures.pt
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

# A 1920x1080 RGBA frame is the largest raw frame the default limits admit.
FULL_HD_RGBA_BYTES = 1920 * 1080 * 4
# Room for the other fields of a request around the frame bytes.
MESSAGE_OVERHEAD_BYTES = 1 << 20


class ConfigError(ValueError):
    """An invalid configuration value; the message names the key and the fix."""


@dataclass(frozen=True)
class LimitsConfig:
    max_frame_bytes: int = FULL_HD_RGBA_BYTES
    # Decoded images larger than this in either dimension are rejected,
    # before decoding for JPEG and PNG.
    max_width: int = 4096
    max_height: int = 4096
    max_streams: int = 16
    max_hands: int = 4

    @property
    def max_message_bytes(self) -> int:
        return self.max_frame_bytes + MESSAGE_OVERHEAD_BYTES

    def validate(self) -> None:
        _require_positive("limits.max_frame_bytes", self.max_frame_bytes)
        _require_positive("limits.max_width", self.max_width)
        _require_positive("limits.max_height", self.max_height)
        _require_positive("limits.max_streams", self.max_streams)
        _require_positive("limits.max_hands", self.max_hands)


@dataclass(frozen=True)
class HandsSection:
    enabled: bool = True
    # MediaPipe landmark model used when a request leaves it unspecified:
    # 0 lite, 1 full.
    default_model_complexity: int = 1
    # Static images with no hand found are tried again on a padded, upscaled
    # copy; this finds hands cut by the frame edge and small crops.
    retry_when_empty: bool = True

    def validate(self) -> None:
        if self.default_model_complexity not in (0, 1):
            raise ConfigError(
                f"hands.default_model_complexity is {self.default_model_complexity}; use 0 (lite) or 1 (full)"
            )


@dataclass(frozen=True)
class GesturesSection:
    enabled: bool = True
    # Checkpoint written by `vrperception gestures train`; None loads the
    # shipped default.
    model_path: str | None = None

    def validate(self) -> None:
        if self.model_path is not None and not Path(self.model_path).is_file():
            raise ConfigError(f"gestures.model_path {self.model_path!r} is not a file; give a checkpoint path")


@dataclass(frozen=True)
class ObjectsSection:
    enabled: bool = True

    def validate(self) -> None:
        pass


@dataclass(frozen=True)
class VoiceSection:
    enabled: bool = True

    def validate(self) -> None:
        pass


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 50051
    # Model worker threads; 0 means one per CPU core.
    workers: int = 0
    log_level: str = "INFO"
    # Seconds in-flight calls get to finish after SIGINT or SIGTERM.
    grace_period_s: float = 5.0
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    hands: HandsSection = field(default_factory=HandsSection)
    gestures: GesturesSection = field(default_factory=GesturesSection)
    objects: ObjectsSection = field(default_factory=ObjectsSection)
    voice: VoiceSection = field(default_factory=VoiceSection)

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port is {self.port}; use 0 (any free port) to 65535")
        if self.workers < 0:
            raise ConfigError(f"workers is {self.workers}; use 0 (one per core) or a positive count")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"log_level is {self.log_level!r}; use DEBUG, INFO, WARNING or ERROR")
        if self.grace_period_s < 0:
            raise ConfigError(f"grace_period_s is {self.grace_period_s}; use a value >= 0")
        for section in (self.limits, self.hands, self.gestures, self.objects, self.voice):
            section.validate()

    @property
    def worker_count(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)


def _require_positive(key: str, value: int) -> None:
    if value <= 0:
        raise ConfigError(f"{key} is {value}; use a positive number")


def _build(cls: type, values: Mapping[str, Any], prefix: str) -> Any:
    """Build dataclass ``cls`` from a mapping, rejecting unknown keys."""
    known = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown config key {prefix}{key!r}; known keys: {', '.join(sorted(known))}")
        default = known[key].default_factory() if known[key].default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(default):
            if not isinstance(value, Mapping):
                raise ConfigError(f"config key {prefix}{key} must be a mapping, got {type(value).__name__}")
            kwargs[key] = _build(type(default), value, f"{prefix}{key}.")
        else:
            kwargs[key] = value
    return cls(**kwargs)


def load_config(path: str | Path | None = None, **overrides: Any) -> ServerConfig:
    """Load the YAML file at ``path`` (if any) and apply non-None ``overrides``."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(Path(path).read_text()) or {}
        except OSError as error:
            raise ConfigError(f"cannot read config file {path}: {error.strerror}") from error
        except yaml.YAMLError as error:
            raise ConfigError(f"config file {path} is not valid YAML: {error}") from error
        if not isinstance(loaded, Mapping):
            raise ConfigError(f"config file {path} must contain a mapping at the top level")
        values.update(loaded)
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return _build(ServerConfig, values, "")
    except TypeError as error:
        raise ConfigError(f"invalid config: {error}") from error
