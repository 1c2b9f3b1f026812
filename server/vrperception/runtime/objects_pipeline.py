"""One frame through object detection and marker recognition, in domain types.

Models run on the upright image. Boxes are mapped to the image as displayed
by mapping all four corners and taking their min/max, so rotated frames get
axis-aligned boxes around the same region. Marker corners are mapped
point by point. Marker and board poses are solved with corners in pixels of
the displayed image and the frame's intrinsics, which describe that image.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from vrperception.errors import FailedPrecondition, InvalidArgument
from vrperception.media.frames import DecodedFrame, Intrinsics, RawFrame, RigidPose
from vrperception.models.detectors import DetectedBox, DetectOptions, Detector
from vrperception.models.markers import (
    CameraModel,
    CharucoBoardSpec,
    MarkerDetection,
    MarkerDetector,
    MarkerDictionary,
    PoseEstimate,
    compose_with_camera_to_world,
    estimate_board_pose,
    estimate_marker_pose,
    rotation_matrix_to_quaternion,
)
from vrperception.runtime.box_tracker import BoxTracker

# OpenCV accepts these distortion vector lengths (k1 k2 p1 p2 [k3 [k4 k5 k6 [s1..s4 [tx ty]]]]).
DISTORTION_LENGTHS = (0, 4, 5, 8, 12, 14)


@dataclass(frozen=True)
class MarkerOptions:
    dictionaries: tuple[MarkerDictionary, ...] = ()
    # Printed marker side in metres; 0 when unknown (no single-marker poses).
    marker_size_m: float = 0.0
    board: CharucoBoardSpec | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.dictionaries) or self.board is not None


@dataclass(frozen=True)
class ObjectsOptions:
    # None when the request disabled the detector.
    detect: DetectOptions | None
    markers: MarkerOptions


@dataclass(frozen=True)
class ObjectDetection:
    label: str
    class_id: int
    score: float
    # x_min, y_min, x_max, y_max normalised to the displayed image.
    box: np.ndarray
    tracking_id: int = 0


@dataclass(frozen=True)
class MarkerResult:
    dictionary: MarkerDictionary
    marker_id: int
    # (4, 2) normalised to the displayed image, printed-marker order.
    corners: np.ndarray
    pose_in_camera: RigidPose | None = None
    pose_in_world: RigidPose | None = None
    reprojection_error_px: float = 0.0


@dataclass(frozen=True)
class BoardResult:
    pose_in_camera: RigidPose
    pose_in_world: RigidPose | None
    corner_count: int
    reprojection_error_px: float


@dataclass
class ObjectsFrameResult:
    detections: list[ObjectDetection] = field(default_factory=list)
    markers: list[MarkerResult] = field(default_factory=list)
    board: BoardResult | None = None
    # Milliseconds by stage: decode, inference, postprocess (the caller adds queue and total).
    timings: dict[str, float] = field(default_factory=dict)


def camera_model(intrinsics: Intrinsics | None, width: int, height: int) -> CameraModel | None:
    """Validate intrinsics against the displayed image size and build the camera model.

    Raises InvalidArgument for a non-positive focal length, a principal
    point outside the image or an unsupported distortion length.
    """
    if intrinsics is None:
        return None
    k = intrinsics
    for name, value in (("fx", k.fx), ("fy", k.fy), ("cx", k.cx), ("cy", k.cy)):
        if not math.isfinite(value):
            raise InvalidArgument(f"frame.intrinsics.{name} is {value}; use a finite number of pixels")
    if k.fx <= 0 or k.fy <= 0:
        raise InvalidArgument(
            f"frame.intrinsics has fx={k.fx}, fy={k.fy}; focal lengths must be > 0 pixels of the displayed image"
        )
    if not (0 <= k.cx <= width and 0 <= k.cy <= height):
        raise InvalidArgument(
            f"frame.intrinsics principal point ({k.cx}, {k.cy}) is outside the {width}x{height} displayed image; "
            "give intrinsics for this frame's resolution as displayed (scale them when the image is resized)"
        )
    if not all(math.isfinite(value) for value in k.distortion):
        raise InvalidArgument(f"frame.intrinsics.distortion {list(k.distortion)} has a non-finite value; use finite coefficients")
    if len(k.distortion) not in DISTORTION_LENGTHS:
        raise InvalidArgument(
            f"frame.intrinsics.distortion has {len(k.distortion)} coefficients; use 0, 4, 5, 8, 12 or 14 (OpenCV order)"
        )
    return CameraModel(k.matrix(), np.asarray(k.distortion, dtype=np.float64))


def _pose(rotation: np.ndarray, translation: np.ndarray) -> RigidPose:
    return RigidPose(tuple(float(v) for v in translation), rotation_matrix_to_quaternion(rotation))


def _poses(estimate: PoseEstimate, camera_to_world: RigidPose | None) -> tuple[RigidPose, RigidPose | None]:
    in_camera = _pose(estimate.rotation_matrix, estimate.translation_m)
    if camera_to_world is None:
        return in_camera, None
    rotation, translation = compose_with_camera_to_world(estimate, camera_to_world.position_m, camera_to_world.rotation_xyzw)
    return in_camera, _pose(rotation, translation)


def box_to_display(detection: DetectedBox, decoded: DecodedFrame) -> np.ndarray:
    """Map an upright-pixel box to an axis-aligned box normalised to the displayed image."""
    corners = np.array(
        [
            [detection.x_min, detection.y_min],
            [detection.x_max, detection.y_min],
            [detection.x_max, detection.y_max],
            [detection.x_min, detection.y_max],
        ]
    )
    mapped = decoded.orientation.upright_px_to_display(corners)
    box = np.concatenate([mapped.min(axis=0), mapped.max(axis=0)])
    return np.clip(box, 0.0, 1.0)


class _PoseCamera:
    """Camera model and corner mapping for poses in the displayed image's frame."""

    def __init__(self, camera: CameraModel | None, decoded: DecodedFrame):
        orientation = decoded.orientation
        self.size = np.array([orientation.display_width, orientation.display_height], dtype=np.float64)
        self.mirrored = orientation.mirrored
        self.camera = camera
        if camera is not None and self.mirrored:
            # NOTE: a mirrored image is not the image of any real camera, so a
            # rigid pose cannot be solved in its frame. The pose is solved in
            # the unmirrored image (principal point and corners flipped back)
            # and is reported in that physical camera's frame.
            matrix = camera.matrix.copy()
            matrix[0, 2] = self.size[0] - matrix[0, 2]
            self.camera = CameraModel(matrix, camera.distortion)

    def pixels(self, corners_normalised: np.ndarray) -> np.ndarray:
        pixels = corners_normalised * self.size
        if self.mirrored:
            pixels[:, 0] = self.size[0] - pixels[:, 0]
        return pixels


def detect_objects(
    decoded: DecodedFrame, detector: Detector, options: DetectOptions, tracker: BoxTracker | None
) -> list[ObjectDetection]:
    """Run the detector on the upright image and map boxes to the displayed image."""
    found = detector.detect(decoded.image, options)
    boxes = [box_to_display(detection, decoded) for detection in found]
    ids = tracker.update(boxes, [d.class_id for d in found]) if tracker is not None else [0] * len(found)
    return [
        ObjectDetection(d.label, d.class_id, d.score, box, tracking_id)
        for d, box, tracking_id in zip(found, boxes, ids)
    ]


def recognise_markers(
    decoded: DecodedFrame,
    raw: RawFrame,
    options: MarkerOptions,
    marker_detector: MarkerDetector,
    camera: CameraModel | None,
) -> tuple[list[MarkerResult], BoardResult | None]:
    """Detect markers (and the board) on the upright image; poses when ``camera`` is given."""
    orientation = decoded.orientation
    if camera is not None and options.marker_size_m <= 0 and options.board is None and options.dictionaries:
        raise FailedPrecondition(
            "the frame carries intrinsics, so marker poses are requested, but config.markers.marker_size_m is 0; "
            "set it to the printed marker side in metres (or send the frame without intrinsics)"
        )
    pose_camera = _PoseCamera(camera, decoded)

    detections: list[MarkerDetection] = []
    board_detection = None
    dictionaries = list(options.dictionaries)
    if options.board is not None:
        board_detection = marker_detector.detect_board(decoded.image, options.board)
        detections.extend(board_detection.markers)
        dictionaries = [d for d in dictionaries if d != options.board.dictionary]
    detections.extend(marker_detector.detect(decoded.image, dictionaries))

    markers = []
    for detection in detections:
        corners = orientation.upright_px_to_display(detection.corners_px)
        size_m = options.marker_size_m
        if size_m <= 0 and options.board is not None and detection.dictionary == options.board.dictionary:
            size_m = options.board.marker_length_m
        markers.append(_marker_result(detection, corners, size_m, pose_camera, raw.camera_to_world))

    board = None
    if board_detection is not None and pose_camera.camera is not None and len(board_detection.corner_ids):
        corners = orientation.upright_px_to_display(board_detection.corners_px)
        estimate = estimate_board_pose(
            marker_detector.board(options.board), board_detection.corner_ids, pose_camera.pixels(corners), pose_camera.camera
        )
        if estimate is not None:
            in_camera, in_world = _poses(estimate, raw.camera_to_world)
            board = BoardResult(in_camera, in_world, estimate.point_count, estimate.reprojection_error_px)
    return markers, board


def _marker_result(
    detection: MarkerDetection, corners: np.ndarray, size_m: float, pose_camera: _PoseCamera, camera_to_world: RigidPose | None
) -> MarkerResult:
    if pose_camera.camera is None or size_m <= 0:
        return MarkerResult(detection.dictionary, detection.marker_id, corners)
    estimate = estimate_marker_pose(pose_camera.pixels(corners), size_m, pose_camera.camera)
    if estimate is None:
        return MarkerResult(detection.dictionary, detection.marker_id, corners)
    in_camera, in_world = _poses(estimate, camera_to_world)
    return MarkerResult(
        detection.dictionary, detection.marker_id, corners, in_camera, in_world, estimate.reprojection_error_px
    )


def analyse_objects(
    decoded: DecodedFrame,
    raw: RawFrame,
    options: ObjectsOptions,
    detector: Detector | None,
    marker_detector: MarkerDetector,
    tracker: BoxTracker | None = None,
) -> ObjectsFrameResult:
    """Run detection and markers on one decoded frame.

    ``detector`` may be None only when ``options.detect`` is None. Raises
    InvalidArgument or FailedPrecondition for intrinsics or marker settings
    that cannot produce the requested poses.
    """
    result = ObjectsFrameResult(timings={"decode": decoded.decode_ms})
    orientation = decoded.orientation
    # Intrinsics are checked even when markers are off, so a client learns early.
    camera = camera_model(raw.intrinsics, orientation.display_width, orientation.display_height)
    inference_s = 0.0
    started = time.perf_counter()
    if options.markers.enabled:
        markers_started = time.perf_counter()
        result.markers, result.board = recognise_markers(decoded, raw, options.markers, marker_detector, camera)
        inference_s += time.perf_counter() - markers_started
    if options.detect is not None:
        if detector is None:
            raise FailedPrecondition("no object detector is loaded; see the server log")
        detect_started = time.perf_counter()
        result.detections = detect_objects(decoded, detector, options.detect, tracker)
        inference_s += time.perf_counter() - detect_started
    total_s = time.perf_counter() - started
    result.timings["inference"] = inference_s * 1000.0
    result.timings["postprocess"] = max(0.0, total_s - inference_s) * 1000.0
    return result
