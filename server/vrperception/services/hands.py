"""HandTracking servicer: DetectHands and TrackHands."""

from __future__ import annotations

import logging
import time
from typing import Any, AsyncIterator

import grpc

from vrperception.api.v1 import common_pb2, hands_pb2, hands_pb2_grpc
from vrperception.errors import InvalidArgument
from vrperception.media.frames import decode_frame
from vrperception.models.hands import HandOptions, MediaPipeHands, describe_models
from vrperception.runtime.hand_pipeline import HandsFrameResult, HandStreamState, TrackedHand, analyse_frame
from vrperception.runtime.workers import Worker, release_freed_memory
from vrperception.services.common import FrameJob, frame_stream, map_errors, map_stream_errors
from vrperception.services.convert import box_to_proto, frame_info_to_proto, raw_frame_from_proto, timings_to_proto
from vrperception.services.registry import ServiceBinding

logger = logging.getLogger(__name__)

SERVICE_NAME = "vrperception.v1.HandTracking"
DEFAULT_MAX_HANDS = 2
DEFAULT_CONFIDENCE = 0.5
# Static-mode graphs kept per worker, one per distinct option set.
MAX_CACHED_GRAPHS = 4

_GESTURE_TYPES = {
    "none": hands_pb2.GESTURE_TYPE_NONE,
    "closed_fist": hands_pb2.GESTURE_TYPE_CLOSED_FIST,
    "open_palm": hands_pb2.GESTURE_TYPE_OPEN_PALM,
    "pointing_up": hands_pb2.GESTURE_TYPE_POINTING_UP,
    "thumb_down": hands_pb2.GESTURE_TYPE_THUMB_DOWN,
    "thumb_up": hands_pb2.GESTURE_TYPE_THUMB_UP,
    "victory": hands_pb2.GESTURE_TYPE_VICTORY,
    "i_love_you": hands_pb2.GESTURE_TYPE_I_LOVE_YOU,
    "pinch": hands_pb2.GESTURE_TYPE_PINCH,
    "ok": hands_pb2.GESTURE_TYPE_OK,
}
_HANDEDNESS = {"left": hands_pb2.HANDEDNESS_LEFT, "right": hands_pb2.HANDEDNESS_RIGHT}
_EVENT_TYPES = {
    "HAND_FOUND": hands_pb2.HAND_EVENT_TYPE_HAND_FOUND,
    "HAND_LOST": hands_pb2.HAND_EVENT_TYPE_HAND_LOST,
    "GESTURE_BEGAN": hands_pb2.HAND_EVENT_TYPE_GESTURE_BEGAN,
    "GESTURE_ENDED": hands_pb2.HAND_EVENT_TYPE_GESTURE_ENDED,
    "PINCH_STARTED": hands_pb2.HAND_EVENT_TYPE_PINCH_STARTED,
    "PINCH_ENDED": hands_pb2.HAND_EVENT_TYPE_PINCH_ENDED,
}


def parse_config(config: hands_pb2.HandsConfig, max_hands_limit: int, default_complexity: int) -> tuple[HandOptions, bool]:
    """Validate a HandsConfig; returns the options and whether gestures are on."""
    max_hands = config.max_hands or DEFAULT_MAX_HANDS
    if not 1 <= max_hands <= max_hands_limit:
        raise InvalidArgument(f"config.max_hands is {config.max_hands}; use 1 to {max_hands_limit} (0 means 2)")
    detection = _confidence("config.min_detection_confidence", config.min_detection_confidence)
    tracking = _confidence("config.min_tracking_confidence", config.min_tracking_confidence)
    complexity = {
        hands_pb2.MODEL_COMPLEXITY_UNSPECIFIED: default_complexity,
        hands_pb2.MODEL_COMPLEXITY_LITE: 0,
        hands_pb2.MODEL_COMPLEXITY_FULL: 1,
    }.get(config.model_complexity)
    if complexity is None:
        raise InvalidArgument(
            f"config.model_complexity is {config.model_complexity}; use MODEL_COMPLEXITY_LITE or MODEL_COMPLEXITY_FULL"
        )
    return HandOptions(max_hands, detection, tracking, complexity), not config.disable_gestures


def _confidence(name: str, value: float) -> float:
    if value == 0.0:
        return DEFAULT_CONFIDENCE
    if not 0.0 < value <= 1.0:
        raise InvalidArgument(f"{name} is {value:g}; use a value in (0, 1], or 0 for the default {DEFAULT_CONFIDENCE}")
    return float(value)


def static_detector(worker: Worker, options: HandOptions) -> MediaPipeHands:
    """Return the worker's static-mode graph for ``options``, creating it on first use."""
    cache: dict[HandOptions, MediaPipeHands] = worker.local.setdefault("static_hands", {})
    detector = cache.get(options)
    if detector is None:
        if len(cache) >= MAX_CACHED_GRAPHS:
            oldest = next(iter(cache))
            cache.pop(oldest).close()
        detector = MediaPipeHands(options, static=True)
        cache[options] = detector
    return detector


def hand_to_proto(hand: TrackedHand) -> hands_pb2.Hand:
    message = hands_pb2.Hand(
        tracking_id=hand.tracking_id,
        handedness=_HANDEDNESS[hand.handedness],
        handedness_score=hand.handedness_score,
        score=hand.handedness_score,
        bounding_box=box_to_proto(hand.box),
    )
    message.landmarks.extend(hands_pb2.Landmark(x=x, y=y, z=z) for x, y, z in hand.landmarks.tolist())
    message.world_landmarks.extend(common_pb2.Vector3(x=x, y=y, z=z) for x, y, z in hand.world_landmarks.tolist())
    if hand.gesture is not None:
        prediction = hand.gesture
        message.gesture.CopyFrom(
            hands_pb2.Gesture(type=gesture_type(prediction.name), name=prediction.name, score=prediction.score)
        )
        message.gesture.alternatives.extend(
            hands_pb2.GestureCandidate(type=gesture_type(name), name=name, score=score)
            for name, score in prediction.alternatives
        )
        message.pinch_strength = prediction.pinch_strength
        message.grab_strength = prediction.grab_strength
    return message


def gesture_type(name: str) -> int:
    return _GESTURE_TYPES.get(name, hands_pb2.GESTURE_TYPE_CUSTOM)


def event_to_proto(event: Any) -> hands_pb2.HandEvent:
    name = getattr(event.type, "name", str(event.type))
    gesture = getattr(event, "gesture", None) or ""
    return hands_pb2.HandEvent(
        type=_EVENT_TYPES.get(name, hands_pb2.HAND_EVENT_TYPE_UNSPECIFIED),
        tracking_id=event.tracking_id,
        handedness=_HANDEDNESS.get(event.handedness, hands_pb2.HANDEDNESS_UNSPECIFIED),
        gesture=gesture_type(gesture) if gesture else hands_pb2.GESTURE_TYPE_UNSPECIFIED,
        gesture_name=gesture,
    )


def result_to_proto(result: HandsFrameResult, raw: Any, decoded: Any, dropped: int) -> hands_pb2.HandsResult:
    orientation = decoded.orientation
    message = hands_pb2.HandsResult(
        frame=frame_info_to_proto(raw, orientation.display_width, orientation.display_height, dropped),
        timings=timings_to_proto(result.timings),
    )
    message.hands.extend(hand_to_proto(hand) for hand in result.hands)
    message.events.extend(event_to_proto(event) for event in result.events)
    return message


class HandTrackingServicer(hands_pb2_grpc.HandTrackingServicer):
    def __init__(self, app: Any):
        self.app = app
        self.gestures = app.gestures

    def _options(self, config: hands_pb2.HandsConfig) -> tuple[HandOptions, bool]:
        cfg = self.app.config
        return parse_config(config, cfg.limits.max_hands, cfg.hands.default_model_complexity)

    @map_errors
    async def DetectHands(
        self, request: hands_pb2.DetectHandsRequest, context: grpc.aio.ServicerContext
    ) -> hands_pb2.HandsResult:
        arrived = time.perf_counter()
        if not request.HasField("frame"):
            raise InvalidArgument("request.frame is missing; set it to the image to analyse")
        options, gestures_on = self._options(request.config)
        raw = raw_frame_from_proto(request.frame)
        return await self.app.workers.run_call(self._detect, raw, options, gestures_on, arrived)

    def _detect(
        self, worker: Worker, raw: Any, options: HandOptions, gestures_on: bool, arrived: float
    ) -> hands_pb2.HandsResult:
        queue_ms = (time.perf_counter() - arrived) * 1000.0
        decoded = decode_frame(raw, self.app.frame_limits)
        detector = static_detector(worker, options)
        result = analyse_frame(detector, decoded, gestures=self.gestures if gestures_on else None)
        result.timings["queue"] = queue_ms
        result.timings["total"] = (time.perf_counter() - arrived) * 1000.0
        return result_to_proto(result, raw, decoded, 0)

    @map_stream_errors
    async def TrackHands(
        self, request_iterator: AsyncIterator[hands_pb2.TrackHandsRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[hands_pb2.HandsResult]:
        async for result in frame_stream(
            request_iterator,
            context,
            self.app,
            rpc="TrackHands",
            config_field="config",
            parse_config=self._options,
            open_session=self._open_session,
            process=self._process,
            close_session=self._close_session,
        ):
            yield result

    def _open_session(self, worker: Worker, parsed: tuple[HandOptions, bool]) -> tuple[HandStreamState, bool]:
        options, gestures_on = parsed
        state = HandStreamState(detector=MediaPipeHands(options, static=False))
        if gestures_on and self.gestures is not None and self.app.event_tracker_factory is not None:
            state.events = self.app.event_tracker_factory()
        return state, gestures_on

    def _process(self, session: tuple[HandStreamState, bool], job: FrameJob) -> hands_pb2.HandsResult:
        state, gestures_on = session
        started = time.perf_counter()
        decoded = decode_frame(job.raw, self.app.frame_limits)
        result = analyse_frame(
            state.detector, decoded, gestures=self.gestures if gestures_on else None, state=state
        )
        result.timings["queue"] = (started - job.arrived) * 1000.0
        result.timings["total"] = (time.perf_counter() - job.arrived) * 1000.0
        return result_to_proto(result, job.raw, decoded, job.dropped_before)

    def _close_session(self, session: tuple[HandStreamState, bool]) -> None:
        session[0].detector.close()
        release_freed_memory()


def create(app: Any) -> ServiceBinding:
    models = describe_models()
    if app.gestures is not None:
        models.append(app.gestures_description)
    capabilities = ["HAND_TRACKING"] + (["GESTURES"] if app.gestures is not None else [])
    return ServiceBinding(
        name=SERVICE_NAME,
        servicer=HandTrackingServicer(app),
        add_to_server=hands_pb2_grpc.add_HandTrackingServicer_to_server,
        capabilities=capabilities,
        models=models,
        warm_up=_warm_up(app),
    )


def _warm_up(app: Any):
    def run(worker: Worker) -> None:
        import numpy as np

        options = HandOptions(model_complexity=app.config.hands.default_model_complexity)
        static_detector(worker, options).detect_once(np.zeros((64, 64, 3), dtype=np.uint8))

    return run
