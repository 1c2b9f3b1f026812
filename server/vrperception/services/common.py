"""Error mapping and the shared frame-stream loop used by Track* RPCs."""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import functools
import itertools
import logging
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable

import grpc

from vrperception.errors import DeadlineExceeded, InvalidArgument, PerceptionError
from vrperception.media.frames import RawFrame
from vrperception.runtime.streams import LatestSlot
from vrperception.runtime.workers import Worker
from vrperception.services.convert import raw_frame_from_proto

logger = logging.getLogger(__name__)

_stream_ids = itertools.count(1)

INTERNAL_MESSAGE = "internal server error; the server log has the details"


def next_stream_id(prefix: str) -> str:
    return f"{prefix}-{next(_stream_ids)}"


async def abort_for(error: BaseException, context: grpc.aio.ServicerContext, call: str) -> None:
    """Abort the call with the status that ``error`` maps to (raises)."""
    if isinstance(error, PerceptionError):
        logger.info("%s from %s failed: %s %s", call, context.peer(), error.code, error.message)
        await context.abort(getattr(grpc.StatusCode, error.code), error.message)
    logger.exception("%s from %s failed with an unexpected error", call, context.peer())
    await context.abort(grpc.StatusCode.INTERNAL, INTERNAL_MESSAGE)


def _is_abort(error: BaseException) -> bool:
    # context.abort raises an exception of grpc's own; let it through untouched.
    return isinstance(error, grpc.aio.AbortError) if hasattr(grpc.aio, "AbortError") else False


async def _end_with_status(error: BaseException, context: grpc.aio.ServicerContext, call: str) -> None:
    """Re-raise cancellations, grpc's own aborts and process exits; abort with a status for the rest."""
    if isinstance(error, asyncio.CancelledError):
        logger.info("%s from %s ended early: client cancelled, deadline passed or server stopping", call, context.peer())
        raise error
    if not isinstance(error, Exception) or _is_abort(error):
        raise error
    await abort_for(error, context, call)


def map_errors(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Turn PerceptionError into its status and anything else into INTERNAL, for unary methods."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: grpc.aio.ServicerContext) -> Any:
        note_peer(context.peer(), method.__name__)
        try:
            return await method(self, request, context)
        except BaseException as error:  # noqa: BLE001 - _end_with_status re-raises or maps it
            await _end_with_status(error, context, method.__name__)

    return wrapper


# Peers (one per client connection) already logged, oldest first.
_seen_peers: collections.OrderedDict[str, None] = collections.OrderedDict()
MAX_REMEMBERED_PEERS = 1024


def note_peer(peer: str, call: str) -> None:
    """Log the first call of each client connection, so unary clients show up in the log once."""
    if peer in _seen_peers:
        _seen_peers.move_to_end(peer)
        return
    _seen_peers[peer] = None
    if len(_seen_peers) > MAX_REMEMBERED_PEERS:
        _seen_peers.popitem(last=False)
    logger.info("client %s connected (first call %s)", peer, call)


def map_stream_errors(method: Callable[..., AsyncIterator[Any]]) -> Callable[..., AsyncIterator[Any]]:
    """Like map_errors, for response-streaming methods written as async generators."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
        try:
            async for item in method(self, request, context):
                yield item
        except BaseException as error:  # noqa: BLE001 - _end_with_status re-raises or maps it
            await _end_with_status(error, context, method.__name__)

    return wrapper


@dataclass
class FrameJob:
    """A frame waiting for its stream's worker."""

    raw: RawFrame
    arrived: float
    dropped_before: int = 0


async def first_message(request_iterator: AsyncIterator[Any], config_field: str, rpc: str) -> Any | None:
    """Read the stream's first message and return its config; None when the client sent nothing."""
    try:
        first = await request_iterator.__anext__()
    except StopAsyncIteration:
        return None
    kind = first.WhichOneof("message")
    if kind != config_field:
        raise InvalidArgument(
            f"{rpc}: the first message is {kind or 'empty'}; send a {config_field} message first, then frames"
        )
    return getattr(first, config_field)


async def frame_stream(
    request_iterator: AsyncIterator[Any],
    context: grpc.aio.ServicerContext,
    app: Any,
    *,
    rpc: str,
    config_field: str,
    parse_config: Callable[[Any], Any],
    open_session: Callable[[Worker, Any], Any],
    process: Callable[[Any, FrameJob], Any],
    close_session: Callable[[Any], None],
) -> AsyncIterator[Any]:
    """Run a config-first, latest-frame-wins stream of frames on one pinned worker.

    ``open_session(worker, config)``, ``process(session, job)`` and
    ``close_session(session)`` run on the worker's thread; ``process`` returns
    the response message. The session is closed and the stream slot released
    however the stream ends.
    """
    stream_id = next_stream_id(rpc)
    peer = context.peer()
    config_message = await first_message(request_iterator, config_field, rpc)
    if config_message is None:
        logger.info("%s %s from %s closed before sending a config", rpc, stream_id, peer)
        return
    config = parse_config(config_message)
    app.streams.acquire(rpc)
    worker = app.workers.assign()
    logger.info("%s %s opened by %s on worker %d", rpc, stream_id, peer, worker.index)
    slot: LatestSlot[FrameJob] = LatestSlot()
    reader_error: list[BaseException] = []
    reader = asyncio.create_task(_read_frames(request_iterator, slot, config_field, rpc, reader_error))
    processed = 0
    # The worker runs jobs in submission order, so a close submitted after
    # the open always finds the session, even when the open is still running.
    opening = worker.submit(open_session, worker, config)
    try:
        session = await asyncio.wrap_future(opening)
        idle_timeout_s = app.config.limits.stream_idle_timeout_s
        while True:
            try:
                job = await asyncio.wait_for(slot.get(), idle_timeout_s)
            except asyncio.TimeoutError:
                raise DeadlineExceeded(
                    f"{rpc}: no frame arrived for {idle_timeout_s:g} s, so the stream was closed to free its slot; "
                    "open a new stream when frames resume"
                ) from None
            if job is None:
                break
            job.dropped_before = slot.dropped
            yield await worker.run(process, session, job)
            processed += 1
        if reader_error:
            raise reader_error[0]
    finally:
        reader.cancel()
        # Release before any await: a second cancellation (client gone and
        # deadline passed) must not skip it.
        closing = worker.submit(_close_opened, opening, close_session)
        app.workers.release(worker)
        app.streams.release()
        logger.info(
            "%s %s from %s closed: %d frames processed, %d dropped", rpc, stream_id, peer, processed, slot.dropped
        )
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(asyncio.wrap_future(closing))


def _close_opened(opening: concurrent.futures.Future, close_session: Callable[[Any], None]) -> None:
    """Close the session that ``opening`` produced, if it produced one."""
    if opening.cancelled() or opening.exception() is not None:
        return
    try:
        close_session(opening.result())
    except Exception:  # noqa: BLE001 - the stream has ended; nothing can be reported to it
        logger.exception("closing a stream session failed")


async def _read_frames(
    request_iterator: AsyncIterator[Any],
    slot: LatestSlot[FrameJob],
    config_field: str,
    rpc: str,
    errors: list[BaseException],
) -> None:
    try:
        async for request in request_iterator:
            kind = request.WhichOneof("message")
            if kind == "frame":
                slot.put(FrameJob(raw_frame_from_proto(request.frame), time.perf_counter()))
            elif kind == config_field:
                raise InvalidArgument(f"{rpc}: {config_field} was sent again mid-stream; send it only as the first message")
            else:
                raise InvalidArgument(f"{rpc}: a message with no frame was sent; set the frame field")
    except InvalidArgument as error:
        errors.append(error)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - the stream loop re-raises it
        errors.append(error)
    finally:
        slot.close()
