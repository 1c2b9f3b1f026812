"""Python client for vrperception (blocking and asyncio)."""

from vrperception.client.async_client import AsyncPerceptionClient
from vrperception.client.frames import frame_from_file, frame_from_rgb, read_rgb
from vrperception.client.sync_client import DEFAULT_ADDRESS, PerceptionClient

__all__ = [
    "AsyncPerceptionClient",
    "DEFAULT_ADDRESS",
    "PerceptionClient",
    "frame_from_file",
    "frame_from_rgb",
    "read_rgb",
]
