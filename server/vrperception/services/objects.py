"""ObjectRecognition servicer: DetectObjects and TrackObjects.

The detector (NanoDet-g by default, or the user model named in the config)
is loaded once at start-up and shared by all workers, because its forward
pass keeps no state. When it cannot be loaded the server still starts:
detection requests get FAILED_PRECONDITION with the reason and the setup
command, and marker recognition keeps working.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any, AsyncIterator

import grpc
import numpy as np

from vrperception.api.v1 import common_pb2, objects_pb2, objects_pb2_grpc
from vrperception.errors import FailedPrecondition, InvalidArgument, PerceptionError
from vrperception.media.frames import RigidPose, decode_frame
from vrperception.models.detectors import (
    DEFAULT_MAX_DETECTIONS,
    MAX_CANDIDATES,
    DetectOptions,
    Detector,
    UserDetector,
    validate_input_size,
)
from vrperception.models.markers import CharucoBoardSpec, MarkerDetector, MarkerDictionary
from vrperception.models.nanodet import SETUP_COMMAND, NanoDetDetector
from vrperception.runtime.box_tracker import BoxTracker
from vrperception.runtime.objects_pipeline import (
    MarkerOptions,
    ObjectsFrameResult,
    ObjectsOptions,
    analyse_objects,
)
from vrperception.runtime.workers import Worker
from vrperception.services.common import FrameJob, frame_stream, map_errors, map_stream_errors
from vrperception.services.convert import (
    box_to_proto,
    frame_info_to_proto,
    pose_to_proto,
    raw_frame_from_proto,
    timings_to_proto,
)
from vrperception.services.registry import ServiceBinding

logger = logging.getLogger(__name__)

SERVICE_NAME = "vrperception.v1.ObjectRecognition"
MARKER_DETECTOR_KEY = "objects.marker_detector"
# Marker counts of the dictionaries whose names do not end in their size.
_DICTIONARY_SIZES = {
    MarkerDictionary.ARUCO_ORIGINAL: 1024,
    MarkerDictionary.APRILTAG_36H11: 587,
}


def _dictionary_size(dictionary: MarkerDictionary) -> int:
    if dictionary in _DICTIONARY_SIZES:
        return _DICTIONARY_SIZES[dictionary]
    return int(dictionary.name.rsplit("_", 1)[1])


def load_detector(config: Any) -> tuple[Detector | None, str]:
    """Load the configured detector; returns (detector, "") or (None, reason)."""
    section = config.objects
    try:
        if section.model_path is not None:
            return UserDetector(Path(section.model_path), Path(section.labels_path), section.default_input_size), ""
        cache_dir = Path(section.cache_dir) if section.cache_dir else None
        return NanoDetDetector(cache_dir), ""
    except PerceptionError as error:
        logger.error("object detector unavailable: %s", error.message)
        return None, error.message


def _parse_dictionary(value: int, field_name: str) -> MarkerDictionary:
    try:
        dictionary = MarkerDictionary(value)
    except ValueError:
        dictionary = MarkerDictionary.UNSPECIFIED
    if dictionary == MarkerDictionary.UNSPECIFIED:
        raise InvalidArgument(
            f"{field_name} is {value}; use a MarkerDictionary value such as MARKER_DICTIONARY_ARUCO_6X6_250 "
            "or MARKER_DICTIONARY_APRILTAG_36H11"
        )
    return dictionary


# Largest marker or board square accepted, in metres; larger values are
# typing errors (millimetres given as metres) and overflow the pose solver.
MAX_MARKER_SIZE_M = 100.0


def _parse_board(board: objects_pb2.CharucoBoard) -> CharucoBoardSpec:
    prefix = "config.markers.charuco_board"
    if board.squares_x < 2 or board.squares_y < 2:
        raise InvalidArgument(f"{prefix} is {board.squares_x}x{board.squares_y} squares; use at least 2x2")
    lengths = (board.square_length_m, board.marker_length_m)
    if not all(0 < length <= MAX_MARKER_SIZE_M for length in lengths) or board.marker_length_m >= board.square_length_m:
        raise InvalidArgument(
            f"{prefix} has square_length_m={board.square_length_m} and marker_length_m={board.marker_length_m}; "
            f"both must be in (0, {MAX_MARKER_SIZE_M:g}] metres and the marker smaller than the square"
        )
    dictionary = _parse_dictionary(board.dictionary, f"{prefix}.dictionary")
    needed = board.squares_x * board.squares_y // 2
    if needed > _dictionary_size(dictionary):
        raise InvalidArgument(
            f"{prefix} needs {needed} markers but {dictionary.name} has {_dictionary_size(dictionary)}; "
            "use a larger dictionary or a smaller board"
        )
    return CharucoBoardSpec(
        int(board.squares_x), int(board.squares_y), float(board.square_length_m), float(board.marker_length_m), dictionary
    )


def parse_marker_config(markers: objects_pb2.MarkerConfig) -> MarkerOptions:
    """Validate a MarkerConfig into MarkerOptions."""
    dictionaries = tuple(
        _parse_dictionary(value, f"config.markers.dictionaries[{index}]") for index, value in enumerate(markers.dictionaries)
    )
    size = markers.marker_size_m
    if not (math.isfinite(size) and 0 <= size <= MAX_MARKER_SIZE_M):
        raise InvalidArgument(
            f"config.markers.marker_size_m is {size:g}; use the printed side in metres (up to {MAX_MARKER_SIZE_M:g}), or 0"
        )
    board = _parse_board(markers.charuco_board) if markers.HasField("charuco_board") else None
    return MarkerOptions(dictionaries, float(size), board)


def parse_config(
    config: objects_pb2.ObjectsConfig,
    detector: Detector | None,
    default_input_size: int,
    default_score_threshold: float,
    unavailable_reason: str = "",
) -> ObjectsOptions:
    """Validate an ObjectsConfig against the loaded detector's labels.

    Raises FailedPrecondition when detection is requested but ``detector``
    is None, with ``unavailable_reason`` in the message.
    """
    markers = parse_marker_config(config.markers)
    if config.disable_detector:
        if not markers.enabled:
            raise InvalidArgument(
                "config.disable_detector is set and no marker dictionary or board is configured, so there is nothing "
                "to detect; add config.markers.dictionaries or clear disable_detector"
            )
        return ObjectsOptions(None, markers)
    if detector is None:
        raise FailedPrecondition(
            f"the object detector is not loaded ({unavailable_reason}); run `{SETUP_COMMAND}` or fix "
            "objects.model_path, or set config.disable_detector to use markers only"
        )

    score = config.score_threshold or default_score_threshold
    if not (math.isfinite(score) and 0.0 < score <= 1.0):
        raise InvalidArgument(
            f"config.score_threshold is {config.score_threshold}; use a value in (0, 1], or 0 for the default"
        )

    max_detections = config.max_detections or DEFAULT_MAX_DETECTIONS
    if max_detections > MAX_CANDIDATES:
        raise InvalidArgument(
            f"config.max_detections is {config.max_detections}; use 1 to {MAX_CANDIDATES}, or 0 for {DEFAULT_MAX_DETECTIONS}"
        )

    input_size = config.input_size or default_input_size
    validate_input_size(input_size)

    class_ids = None
    if config.class_allowlist:
        by_name = dict(zip(detector.labels, detector.class_ids))
        unknown = [name for name in config.class_allowlist if name not in by_name]
        if unknown:
            examples = ", ".join(repr(name) for name in detector.labels[:5])
            raise InvalidArgument(
                f"config.class_allowlist has unknown class {unknown[0]!r}; use label names of the loaded model "
                f"(for example {examples}; {len(detector.labels)} in total)"
            )
        class_ids = frozenset(by_name[name] for name in config.class_allowlist)
    return ObjectsOptions(DetectOptions(input_size, float(score), int(max_detections), class_ids), markers)


def _copy_pose(message: common_pb2.Pose, pose: RigidPose | None) -> None:
    """Fill ``message`` from ``pose``; leaves it unset when ``pose`` is None."""
    if pose is not None:
        message.CopyFrom(pose_to_proto(pose))


def result_to_proto(result: ObjectsFrameResult, raw: Any, decoded: Any, dropped: int) -> objects_pb2.ObjectsResult:
    """Build the ObjectsResult message for one analysed frame."""
    orientation = decoded.orientation
    message = objects_pb2.ObjectsResult(
        frame=frame_info_to_proto(raw, orientation.display_width, orientation.display_height, dropped),
        timings=timings_to_proto(result.timings),
    )
    for detection in result.detections:
        message.detections.append(
            objects_pb2.Detection(
                tracking_id=detection.tracking_id,
                label=detection.label,
                class_id=detection.class_id,
                score=detection.score,
                box=box_to_proto(detection.box),
            )
        )
    for marker in result.markers:
        item = objects_pb2.Marker(
            dictionary=int(marker.dictionary), id=marker.marker_id, reprojection_error_px=marker.reprojection_error_px
        )
        item.corners.extend(common_pb2.NormalizedPoint(x=float(x), y=float(y)) for x, y in marker.corners)
        _copy_pose(item.pose_in_camera, marker.pose_in_camera)
        _copy_pose(item.pose_in_world, marker.pose_in_world)
        message.markers.append(item)
    if result.board is not None:
        board = result.board
        message.board.corner_count = board.corner_count
        message.board.reprojection_error_px = board.reprojection_error_px
        _copy_pose(message.board.pose_in_camera, board.pose_in_camera)
        _copy_pose(message.board.pose_in_world, board.pose_in_world)
    return message


def _marker_detector(worker: Worker) -> MarkerDetector:
    detector = worker.local.get(MARKER_DETECTOR_KEY)
    if detector is None:
        detector = MarkerDetector()
        worker.local[MARKER_DETECTOR_KEY] = detector
    return detector


class ObjectRecognitionServicer(objects_pb2_grpc.ObjectRecognitionServicer):
    def __init__(self, app: Any, detector: Detector | None, unavailable_reason: str):
        self.app = app
        self.detector = detector
        self.unavailable_reason = unavailable_reason

    def _options(self, config: objects_pb2.ObjectsConfig) -> ObjectsOptions:
        section = self.app.config.objects
        if not section.enabled:
            raise FailedPrecondition(
                "object recognition is disabled in the server config (objects.enabled: false); enable it and restart"
            )
        return parse_config(
            config, self.detector, section.default_input_size, section.default_score_threshold, self.unavailable_reason
        )

    def _analyse(self, worker: Worker, job: FrameJob, options: ObjectsOptions, tracker: BoxTracker | None) -> objects_pb2.ObjectsResult:
        started = time.perf_counter()
        decoded = decode_frame(job.raw, self.app.frame_limits)
        result = analyse_objects(decoded, job.raw, options, self.detector, _marker_detector(worker), tracker)
        result.timings["queue"] = (started - job.arrived) * 1000.0
        result.timings["total"] = (time.perf_counter() - job.arrived) * 1000.0
        return result_to_proto(result, job.raw, decoded, job.dropped_before)

    @map_errors
    async def DetectObjects(
        self, request: objects_pb2.DetectObjectsRequest, context: grpc.aio.ServicerContext
    ) -> objects_pb2.ObjectsResult:
        arrived = time.perf_counter()
        if not request.HasField("frame"):
            raise InvalidArgument("request.frame is missing; set it to the image to analyse")
        options = self._options(request.config)
        job = FrameJob(raw_frame_from_proto(request.frame), arrived)
        return await self.app.workers.run_call(self._analyse, job, options, None)

    @map_stream_errors
    async def TrackObjects(
        self, request_iterator: AsyncIterator[objects_pb2.TrackObjectsRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[objects_pb2.ObjectsResult]:
        async for result in frame_stream(
            request_iterator,
            context,
            self.app,
            rpc="TrackObjects",
            config_field="config",
            parse_config=self._options,
            open_session=self._open_session,
            process=self._process,
            close_session=self._close_session,
        ):
            yield result

    def _open_session(self, worker: Worker, options: ObjectsOptions) -> tuple[Worker, ObjectsOptions, BoxTracker]:
        return worker, options, BoxTracker()

    def _process(self, session: tuple[Worker, ObjectsOptions, BoxTracker], job: FrameJob) -> objects_pb2.ObjectsResult:
        worker, options, tracker = session
        return self._analyse(worker, job, options, tracker)

    def _close_session(self, session: tuple[Worker, ObjectsOptions, BoxTracker]) -> None:
        return None


def describe_detector(detector: Detector | None) -> list[dict[str, str]]:
    if detector is None:
        return []
    info = detector.info
    return [
        {
            "name": info.name,
            "task": "object_detection",
            "version": info.version,
            "source": info.source,
            "sha256": info.sha256,
        }
    ]


def _warm_up(detector: Detector | None, input_size: int):
    def run(worker: Worker) -> None:
        image = np.zeros((96, 128, 3), dtype=np.uint8)
        _marker_detector(worker).detect(image, [MarkerDictionary.ARUCO_4X4_50])
        if detector is not None:
            detector.detect(image, DetectOptions(input_size, detector.default_score_threshold))

    return run


def create(app: Any) -> ServiceBinding:
    section = app.config.objects
    if not section.enabled:
        detector, reason = None, "object recognition is disabled by the config (objects.enabled: false)"
    else:
        detector, reason = load_detector(app.config)
    capabilities = []
    if section.enabled:
        capabilities.append("MARKERS")
        if detector is not None:
            capabilities.append("OBJECT_DETECTION")
    return ServiceBinding(
        name=SERVICE_NAME,
        servicer=ObjectRecognitionServicer(app, detector, reason),
        add_to_server=objects_pb2_grpc.add_ObjectRecognitionServicer_to_server,
        capabilities=capabilities,
        models=describe_detector(detector),
        warm_up=_warm_up(detector, section.default_input_size) if section.enabled else None,
        serving=section.enabled,
    )
