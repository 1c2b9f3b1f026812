"""Model workers: single-thread executors, each owning its own model objects.

MediaPipe graphs and other stateful models are used from one thread only: a
stream is pinned to one worker for its whole life, so its tracking state is
never touched concurrently. MediaPipe's ``process`` and torch inference release
the GIL, so threads give real parallelism without copying frames between
processes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import logging
import os
import threading
from typing import Any, Callable, TypeVar

from vrperception.errors import ResourceExhausted

logger = logging.getLogger(__name__)

T = TypeVar("T")


def limit_native_threads() -> None:
    """Keep each native library to one thread per worker.

    MediaPipe, OpenCV and torch each start a thread per core by default; with
    one worker per core that oversubscribes the CPU and raises tail latency.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import cv2
    import torch

    cv2.setNumThreads(1)
    torch.set_num_threads(1)


def release_freed_memory() -> None:
    """Return freed heap pages to the OS (glibc only; a no-op elsewhere).

    A MediaPipe graph allocates tens of MB; after a stream closes its graph,
    glibc keeps the pages in the worker thread's arena unless asked to trim,
    so the server's resident memory would stay at its peak stream count.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class Worker:
    """One thread with a private ``local`` dict for objects used only on it."""

    def __init__(self, index: int):
        self.index = index
        self.local: dict[str, Any] = {}
        self.active_streams = 0
        # Unary calls queued on or running on this worker.
        self.queued_calls = 0
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"worker-{index}")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` on this worker's thread and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    def submit(self, fn: Callable[..., T], *args: Any) -> "concurrent.futures.Future[T]":
        """Queue ``fn(*args)`` on this worker's thread without waiting for it."""
        return self._executor.submit(fn, *args)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class WorkerPool:
    """Fixed set of workers; streams go to the least-loaded one."""

    def __init__(self, count: int, max_queued_calls: int = 4):
        if count < 1:
            raise ValueError(f"worker count is {count}; need at least 1")
        self.workers = [Worker(index) for index in range(count)]
        self.max_queued_calls = max_queued_calls
        self._lock = threading.Lock()
        self._next_unary = 0
        logger.info("started %d model workers", count)

    def assign(self) -> Worker:
        """Pick the worker with the fewest streams for a new stream."""
        with self._lock:
            worker = min(self.workers, key=lambda w: w.active_streams)
            worker.active_streams += 1
            return worker

    def release(self, worker: Worker) -> None:
        with self._lock:
            worker.active_streams -= 1

    async def run_call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a one-off call ``fn(worker, *args)`` on the worker with the fewest queued calls.

        Raises ResourceExhausted when every worker already has
        ``max_queued_calls`` calls, so a flood of unary calls cannot queue
        without bound in front of the streams' frames.
        """
        with self._lock:
            start = self._next_unary % len(self.workers)
            self._next_unary += 1
            rotated = self.workers[start:] + self.workers[:start]
            worker = min(rotated, key=lambda w: w.queued_calls)
            if worker.queued_calls >= self.max_queued_calls:
                raise ResourceExhausted(
                    f"all {len(self.workers)} model workers have {self.max_queued_calls} calls queued; "
                    "retry with backoff, or send frames over a Track* stream, which keeps only the newest"
                )
            worker.queued_calls += 1
        try:
            return await worker.run(fn, worker, *args)
        finally:
            with self._lock:
                worker.queued_calls -= 1

    def run_on_all(self, fn: Callable[[Worker], Any]) -> list[Any]:
        """Run ``fn(worker)`` on every worker's own thread (for warm-up)."""
        futures = [w._executor.submit(fn, w) for w in self.workers]
        return [f.result() for f in futures]

    def shutdown(self) -> None:
        for worker in self.workers:
            worker.shutdown()
        logger.info("stopped model workers")
