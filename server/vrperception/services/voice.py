"""VoiceCommands servicer: answers UNIMPLEMENTED until the recogniser lands."""

from __future__ import annotations

from typing import Any

import grpc

from vrperception.api.v1 import voice_pb2_grpc
from vrperception.services.registry import ServiceBinding

SERVICE_NAME = "vrperception.v1.VoiceCommands"


class VoiceCommandsServicer(voice_pb2_grpc.VoiceCommandsServicer):
    async def RecognizeCommands(self, request_iterator: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "voice commands are not available in this server build")

    async def RecognizeClip(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "voice commands are not available in this server build")


def create(app: Any) -> ServiceBinding:
    return ServiceBinding(
        name=SERVICE_NAME,
        servicer=VoiceCommandsServicer(),
        add_to_server=voice_pb2_grpc.add_VoiceCommandsServicer_to_server,
        serving=False,
    )
