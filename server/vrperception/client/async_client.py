"""asyncio Python client for a vrperception server."""

from __future__ import annotations

from typing import AsyncIterable, AsyncIterator

import grpc

from vrperception import PROTOCOL_VERSION, __version__
from vrperception.api.v1 import (
    common_pb2,
    hands_pb2,
    hands_pb2_grpc,
    handshake_pb2,
    handshake_pb2_grpc,
    objects_pb2,
    objects_pb2_grpc,
    voice_pb2_grpc,
)
from vrperception.client.sync_client import CHANNEL_OPTIONS, DEFAULT_ADDRESS


class AsyncPerceptionClient:
    """asyncio counterpart of PerceptionClient. Use ``async with`` or await close()."""

    def __init__(self, address: str = DEFAULT_ADDRESS, *, timeout_s: float | None = 30.0):
        self.address = address
        self.timeout_s = timeout_s
        self.channel = grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
        self.handshake_stub = handshake_pb2_grpc.HandshakeServiceStub(self.channel)
        self.hands = hands_pb2_grpc.HandTrackingStub(self.channel)
        self.objects = objects_pb2_grpc.ObjectRecognitionStub(self.channel)
        self.voice = voice_pb2_grpc.VoiceCommandsStub(self.channel)

    async def __aenter__(self) -> "AsyncPerceptionClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.channel.close()

    async def handshake(self, client_name: str = "vrperception-python-aio") -> handshake_pb2.HandshakeResponse:
        request = handshake_pb2.HandshakeRequest(
            protocol_version=PROTOCOL_VERSION, client_name=client_name, client_version=__version__
        )
        return await self.handshake_stub.Handshake(request, timeout=self.timeout_s)

    async def detect_hands(
        self, frame: common_pb2.ImageFrame, config: hands_pb2.HandsConfig | None = None, *, timeout_s: float | None = None
    ) -> hands_pb2.HandsResult:
        request = hands_pb2.DetectHandsRequest(frame=frame, config=config or hands_pb2.HandsConfig())
        return await self.hands.DetectHands(request, timeout=self.timeout_s if timeout_s is None else timeout_s)

    async def track_hands(
        self,
        frames: AsyncIterable[common_pb2.ImageFrame],
        config: hands_pb2.HandsConfig | None = None,
    ) -> AsyncIterator[hands_pb2.HandsResult]:
        """Stream ``frames`` through TrackHands; yields one result per processed frame."""

        async def requests() -> AsyncIterator[hands_pb2.TrackHandsRequest]:
            yield hands_pb2.TrackHandsRequest(config=config or hands_pb2.HandsConfig())
            async for frame in frames:
                yield hands_pb2.TrackHandsRequest(frame=frame)

        async for result in self.hands.TrackHands(requests()):
            yield result

    async def detect_objects(
        self,
        frame: common_pb2.ImageFrame,
        config: objects_pb2.ObjectsConfig | None = None,
        *,
        timeout_s: float | None = None,
    ) -> objects_pb2.ObjectsResult:
        request = objects_pb2.DetectObjectsRequest(frame=frame, config=config or objects_pb2.ObjectsConfig())
        return await self.objects.DetectObjects(request, timeout=timeout_s or self.timeout_s)

    async def track_objects(
        self,
        frames: AsyncIterable[common_pb2.ImageFrame],
        config: objects_pb2.ObjectsConfig | None = None,
    ) -> AsyncIterator[objects_pb2.ObjectsResult]:
        """Stream ``frames`` through TrackObjects; yields one result per processed frame."""

        async def requests() -> AsyncIterator[objects_pb2.TrackObjectsRequest]:
            yield objects_pb2.TrackObjectsRequest(config=config or objects_pb2.ObjectsConfig())
            async for frame in frames:
                yield objects_pb2.TrackObjectsRequest(frame=frame)

        async for result in self.objects.TrackObjects(requests()):
            yield result
