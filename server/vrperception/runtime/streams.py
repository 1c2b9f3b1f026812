"""Stream admission and latest-frame-wins hand-off between reader and processor."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Generic, TypeVar

from vrperception.errors import ResourceExhausted

logger = logging.getLogger(__name__)

T = TypeVar("T")


class StreamLimiter:
    """Counts open streaming calls across all services and caps them."""

    def __init__(self, max_streams: int):
        self.max_streams = max_streams
        self._open = 0
        self._lock = threading.Lock()

    @property
    def open_streams(self) -> int:
        return self._open

    def acquire(self, what: str) -> None:
        with self._lock:
            if self._open >= self.max_streams:
                raise ResourceExhausted(
                    f"{what}: {self._open} streams are open, the server limit is {self.max_streams}; "
                    "close another stream or retry later"
                )
            self._open += 1

    def release(self) -> None:
        with self._lock:
            self._open -= 1


class LatestSlot(Generic[T]):
    """A one-item mailbox: a new item replaces an unconsumed one, which is counted as dropped."""

    def __init__(self) -> None:
        self._item: T | None = None
        self._has_item = False
        self._closed = False
        self._changed = asyncio.Event()
        self.dropped = 0

    def put(self, item: T) -> None:
        if self._has_item:
            self.dropped += 1
        self._item = item
        self._has_item = True
        self._changed.set()

    def close(self) -> None:
        self._closed = True
        self._changed.set()

    async def get(self) -> T | None:
        """Wait for the newest item; None once closed and empty."""
        while not self._has_item:
            if self._closed:
                return None
            self._changed.clear()
            await self._changed.wait()
        item = self._item
        self._item = None
        self._has_item = False
        return item
