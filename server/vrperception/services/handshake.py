"""HandshakeService servicer: protocol version, models, capabilities, limits."""

from __future__ import annotations

import logging
import re
from typing import Any

import grpc

from vrperception import PROTOCOL_VERSION, __version__
from vrperception.api.v1 import common_pb2, handshake_pb2, handshake_pb2_grpc, voice_pb2
from vrperception.errors import FailedPrecondition, InvalidArgument
from vrperception.services.common import map_errors

logger = logging.getLogger(__name__)

SERVICE_NAME = "vrperception.v1.HandshakeService"
_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?")
# Maximum characters of a client name or version written to the log.
MAX_LOGGED_NAME_CHARS = 80
IMAGE_ENCODINGS = [
    common_pb2.IMAGE_ENCODING_RAW_RGB8,
    common_pb2.IMAGE_ENCODING_RAW_RGBA8,
    common_pb2.IMAGE_ENCODING_RAW_BGRA8,
    common_pb2.IMAGE_ENCODING_RAW_GRAY8,
    common_pb2.IMAGE_ENCODING_JPEG,
    common_pb2.IMAGE_ENCODING_PNG,
]
AUDIO_SAMPLE_RATES_HZ = [16000, 22050, 32000, 44100, 48000]
MAX_AUDIO_CHUNK_MS = 1000


def parse_semver(value: str, field: str) -> tuple[int, int, int]:
    match = _SEMVER.fullmatch(value)
    if match is None:
        raise InvalidArgument(f"{field} is {value[:40]!r}, which is not a semantic version; send for example \"1.0.0\"")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def _printable(text: str) -> str:
    """Client-supplied text made safe for one log line: no control characters, bounded length."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text[:MAX_LOGGED_NAME_CHARS])
    return cleaned + ("..." if len(text) > MAX_LOGGED_NAME_CHARS else "")


class HandshakeServicer(handshake_pb2_grpc.HandshakeServiceServicer):
    def __init__(self, app: Any, capabilities: list[str], models: list[dict[str, str]]):
        self.app = app
        self.response = self._build_response(capabilities, models)

    def _build_response(self, capabilities: list[str], models: list[dict[str, str]]) -> handshake_pb2.HandshakeResponse:
        major, minor, _ = parse_semver(PROTOCOL_VERSION, "PROTOCOL_VERSION")
        limits = self.app.config.limits
        response = handshake_pb2.HandshakeResponse(
            protocol_version=PROTOCOL_VERSION,
            protocol_major=major,
            protocol_minor=minor,
            server_version=__version__,
            limits=handshake_pb2.ServerLimits(
                max_message_bytes=limits.max_message_bytes,
                max_frame_bytes=limits.max_frame_bytes,
                max_width=limits.max_width,
                max_height=limits.max_height,
                image_encodings=IMAGE_ENCODINGS,
                audio_sample_rates_hz=AUDIO_SAMPLE_RATES_HZ,
                audio_encodings=[voice_pb2.AUDIO_ENCODING_PCM16LE, voice_pb2.AUDIO_ENCODING_FLOAT32LE],
                max_audio_chunk_ms=MAX_AUDIO_CHUNK_MS,
                max_streams=limits.max_streams,
                max_hands=limits.max_hands,
            ),
        )
        response.capabilities.extend(handshake_pb2.Capability.Value(f"CAPABILITY_{name}") for name in capabilities)
        response.models.extend(handshake_pb2.ModelInfo(**model) for model in models)
        return response

    @map_errors
    async def Handshake(
        self, request: handshake_pb2.HandshakeRequest, context: grpc.aio.ServicerContext
    ) -> handshake_pb2.HandshakeResponse:
        client = f"{request.client_name or 'unnamed client'} {request.client_version}".strip()
        logger.info(
            "handshake from %s (%s), protocol %s",
            context.peer(),
            _printable(client),
            _printable(request.protocol_version) or "unset",
        )
        if request.protocol_version:
            client_major, _, _ = parse_semver(request.protocol_version, "protocol_version")
            if client_major != self.response.protocol_major:
                raise FailedPrecondition(
                    f"protocol_version {request.protocol_version} is incompatible with this server's "
                    f"{PROTOCOL_VERSION}; use a client built for protocol {self.response.protocol_major}.x"
                )
        return self.response
