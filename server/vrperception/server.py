"""Server assembly: config, models, services, health, reflection and signals."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field
from typing import Any, Callable

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio
from grpc_reflection.v1alpha import reflection

from vrperception import PROTOCOL_VERSION, __version__
from vrperception.config import ServerConfig
from vrperception.media.frames import FrameLimits
from vrperception.runtime.streams import StreamLimiter
from vrperception.runtime.workers import WorkerPool, limit_native_threads
from vrperception.services import handshake
from vrperception.services.registry import ServiceBinding, create_bindings

logger = logging.getLogger(__name__)


@dataclass
class AppContext:
    """State shared by every servicer: config, workers, stream limits and loaded models."""

    config: ServerConfig
    workers: WorkerPool
    streams: StreamLimiter
    frame_limits: FrameLimits
    gestures: Any | None = None
    gestures_description: dict[str, str] | None = None
    event_tracker_factory: Callable[[], Any] | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def load_gestures(config: ServerConfig) -> tuple[Any | None, dict[str, str] | None, Callable[[], Any] | None]:
    """Load the gesture classifier and event tracker, or (None, None, None) when disabled."""
    if not config.gestures.enabled:
        logger.info("gesture recognition disabled by config")
        return None, None, None
    try:
        from vrperception.models.gestures import GestureClassifier
        from vrperception.runtime.hand_events import HandEventTracker
    except ModuleNotFoundError as error:
        logger.warning("gesture recognition unavailable: %s", error)
        return None, None, None

    classifier = GestureClassifier.load(config.gestures.model_path)
    return classifier, dict(classifier.description), HandEventTracker


def build_app(config: ServerConfig) -> AppContext:
    limit_native_threads()
    limits = config.limits
    gestures, description, tracker_factory = load_gestures(config)
    return AppContext(
        config=config,
        workers=WorkerPool(config.worker_count, limits.max_queued_calls_per_worker),
        streams=StreamLimiter(limits.max_streams),
        frame_limits=FrameLimits(limits.max_frame_bytes, limits.max_width, limits.max_height),
        gestures=gestures,
        gestures_description=description,
        event_tracker_factory=tracker_factory,
    )


class PerceptionServer:
    """The gRPC server with every v1 service, health and reflection."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.app: AppContext | None = None
        self.bindings: list[ServiceBinding] = []
        self.health = health_aio.HealthServicer()
        self.port: int | None = None
        self._server: grpc.aio.Server | None = None

    async def start(self) -> int:
        """Load models, warm them up, bind and report SERVING; returns the bound port."""
        config = self.config
        self.app = build_app(config)
        self.bindings = create_bindings(self.app)
        server = self._build_server()
        address = f"{config.host}:{config.port}"
        try:
            self.port = server.add_insecure_port(address)
        except RuntimeError as error:
            raise OSError(f"could not bind {address} ({error}); is the port in use? choose another with --port") from None
        if self.port == 0:
            raise OSError(f"could not bind {address}; is the port in use? choose another with --port")
        for binding in self.bindings:
            await self.health.set(binding.name, health_pb2.HealthCheckResponse.NOT_SERVING)
        await server.start()
        self._server = server
        await self._warm_up()
        await self._report_serving()
        capabilities = [c for b in self.bindings if b.serving for c in b.capabilities]
        logger.info(
            "vrperception %s (protocol %s) serving on %s:%d with %d workers; capabilities: %s",
            __version__,
            PROTOCOL_VERSION,
            config.host,
            self.port,
            config.worker_count,
            ", ".join(capabilities) or "none",
        )
        return self.port

    def _build_server(self) -> grpc.aio.Server:
        """Create the grpc.aio server with every servicer, health and reflection added."""
        assert self.app is not None
        config = self.config
        options = [
            ("grpc.max_receive_message_length", config.limits.max_message_bytes),
            ("grpc.max_send_message_length", config.limits.max_message_bytes),
            ("grpc.so_reuseport", 0),
        ]
        server = grpc.aio.server(options=options)
        capabilities = [c for b in self.bindings if b.serving for c in b.capabilities]
        models = [m for b in self.bindings for m in b.models]
        handshake_pb2_grpc = handshake.handshake_pb2_grpc
        handshake_pb2_grpc.add_HandshakeServiceServicer_to_server(
            handshake.HandshakeServicer(self.app, capabilities, models), server
        )
        for binding in self.bindings:
            binding.add_to_server(binding.servicer, server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, server)
        names = [handshake.SERVICE_NAME, *(b.name for b in self.bindings), health_pb2.DESCRIPTOR.services_by_name["Health"].full_name]
        reflection.enable_server_reflection([*names, reflection.SERVICE_NAME], server)
        return server

    async def _report_serving(self) -> None:
        serving = health_pb2.HealthCheckResponse.SERVING
        await self.health.set(handshake.SERVICE_NAME, serving)
        for binding in self.bindings:
            status = serving if binding.serving else health_pb2.HealthCheckResponse.NOT_SERVING
            await self.health.set(binding.name, status)
        await self.health.set("", serving)

    async def _warm_up(self) -> None:
        assert self.app is not None
        loop = asyncio.get_running_loop()
        for binding in self.bindings:
            if binding.warm_up is not None and binding.serving:
                await loop.run_in_executor(None, self.app.workers.run_on_all, binding.warm_up)

    async def stop(self, grace_s: float | None = None) -> None:
        """Stop accepting calls, give in-flight calls ``grace_s`` to finish, free models."""
        grace = self.config.grace_period_s if grace_s is None else grace_s
        if self._server is None:
            return
        logger.info("stopping: in-flight calls get %.1f s to finish", grace)
        await self.health.enter_graceful_shutdown()
        await self._server.stop(grace)
        for binding in self.bindings:
            if binding.close is not None:
                binding.close()
        if self.app is not None:
            self.app.workers.shutdown()
        self._server = None
        logger.info("stopped")

    async def wait(self) -> None:
        if self._server is not None:
            await self._server.wait_for_termination()


async def serve(config: ServerConfig, on_ready: Callable[[int], None] | None = None) -> None:
    """Run the server until SIGINT or SIGTERM, then shut down gracefully."""
    server = PerceptionServer(config)
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop_requested.set)
    await server.start()
    if on_ready is not None and server.port is not None:
        on_ready(server.port)
    waiter = asyncio.create_task(server.wait())
    stopper = asyncio.create_task(stop_requested.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if stop_requested.is_set():
        logger.info("signal received")
    await server.stop()
    waiter.cancel()
    stopper.cancel()
