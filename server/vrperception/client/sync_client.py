"""Blocking Python client for a vrperception server."""

from __future__ import annotations

import logging
from typing import Iterable, Iterator

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

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

logger = logging.getLogger(__name__)

DEFAULT_ADDRESS = "127.0.0.1:50051"
# Room for a 1920x1080 RGBA frame plus the rest of the message.
CHANNEL_MESSAGE_BYTES = 16 * 1024 * 1024
CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", CHANNEL_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", CHANNEL_MESSAGE_BYTES),
]


class PerceptionClient:
    """A channel to one server with typed calls. Use as a context manager or call close()."""

    def __init__(self, address: str = DEFAULT_ADDRESS, *, timeout_s: float | None = 30.0):
        self.address = address
        self.timeout_s = timeout_s
        self.channel = grpc.insecure_channel(address, options=CHANNEL_OPTIONS)
        self.handshake_stub = handshake_pb2_grpc.HandshakeServiceStub(self.channel)
        self.hands = hands_pb2_grpc.HandTrackingStub(self.channel)
        self.objects = objects_pb2_grpc.ObjectRecognitionStub(self.channel)
        self.voice = voice_pb2_grpc.VoiceCommandsStub(self.channel)
        self.health = health_pb2_grpc.HealthStub(self.channel)

    def __enter__(self) -> "PerceptionClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.channel.close()

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        """Block until the channel connects, or raise grpc.FutureTimeoutError."""
        grpc.channel_ready_future(self.channel).result(timeout=timeout_s)

    def handshake(self, client_name: str = "vrperception-python") -> handshake_pb2.HandshakeResponse:
        request = handshake_pb2.HandshakeRequest(
            protocol_version=PROTOCOL_VERSION, client_name=client_name, client_version=__version__
        )
        return self.handshake_stub.Handshake(request, timeout=self.timeout_s)

    def health_status(self, service: str = "") -> int:
        """Return the health service's status for ``service`` ("" for the whole server)."""
        return self.health.Check(health_pb2.HealthCheckRequest(service=service), timeout=self.timeout_s).status

    def detect_hands(
        self,
        frame: common_pb2.ImageFrame,
        config: hands_pb2.HandsConfig | None = None,
        *,
        timeout_s: float | None = None,
    ) -> hands_pb2.HandsResult:
        request = hands_pb2.DetectHandsRequest(frame=frame, config=config or hands_pb2.HandsConfig())
        return self.hands.DetectHands(request, timeout=self.timeout_s if timeout_s is None else timeout_s)

    def track_hands(
        self,
        frames: Iterable[common_pb2.ImageFrame],
        config: hands_pb2.HandsConfig | None = None,
        *,
        timeout_s: float | None = None,
    ) -> Iterator[hands_pb2.HandsResult]:
        """Stream ``frames`` through TrackHands; yields one result per processed frame."""

        def requests() -> Iterator[hands_pb2.TrackHandsRequest]:
            yield hands_pb2.TrackHandsRequest(config=config or hands_pb2.HandsConfig())
            for frame in frames:
                yield hands_pb2.TrackHandsRequest(frame=frame)

        return self.hands.TrackHands(requests(), timeout=timeout_s)

    def detect_objects(
        self,
        frame: common_pb2.ImageFrame,
        config: objects_pb2.ObjectsConfig | None = None,
        *,
        timeout_s: float | None = None,
    ) -> objects_pb2.ObjectsResult:
        request = objects_pb2.DetectObjectsRequest(frame=frame, config=config or objects_pb2.ObjectsConfig())
        return self.objects.DetectObjects(request, timeout=timeout_s or self.timeout_s)

    def track_objects(
        self,
        frames: Iterable[common_pb2.ImageFrame],
        config: objects_pb2.ObjectsConfig | None = None,
        *,
        timeout_s: float | None = None,
    ) -> Iterator[objects_pb2.ObjectsResult]:
        """Stream ``frames`` through TrackObjects; yields one result per processed frame."""

        def requests() -> Iterator[objects_pb2.TrackObjectsRequest]:
            yield objects_pb2.TrackObjectsRequest(config=config or objects_pb2.ObjectsConfig())
            for frame in frames:
                yield objects_pb2.TrackObjectsRequest(frame=frame)

        return self.objects.TrackObjects(requests(), timeout=timeout_s)
