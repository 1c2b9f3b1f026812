"""ObjectRecognition servicer: answers UNIMPLEMENTED until the detector lands."""

from __future__ import annotations

from typing import Any

import grpc

from vrperception.api.v1 import objects_pb2_grpc
from vrperception.services.registry import ServiceBinding

SERVICE_NAME = "vrperception.v1.ObjectRecognition"


class ObjectRecognitionServicer(objects_pb2_grpc.ObjectRecognitionServicer):
    async def DetectObjects(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "object recognition is not available in this server build")

    async def TrackObjects(self, request_iterator: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "object recognition is not available in this server build")


def create(app: Any) -> ServiceBinding:
    return ServiceBinding(
        name=SERVICE_NAME,
        servicer=ObjectRecognitionServicer(),
        add_to_server=objects_pb2_grpc.add_ObjectRecognitionServicer_to_server,
        serving=False,
    )
