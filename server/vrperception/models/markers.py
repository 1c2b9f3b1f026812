"""Fiducial markers (ArUco, AprilTag 36h11) and ChArUco boards with 6-DoF pose.

Detection uses OpenCV contrib's ``aruco`` module (opencv-contrib-python
4.11) on the upright image. Pose estimation solves PnP with corners in pixels
of the image as displayed, because the frame's intrinsics describe that
image. Poses are therefore in the displayed image's OpenCV camera frame
(x right, y down, z forward, metres).

Marker frame: origin at the marker centre, x towards the printed marker's
right edge, y towards its top edge, z out of the printed face (OpenCV's
``estimatePoseSingleMarkers`` convention). Board frame: OpenCV's ChArUco
board frame, origin at the board's first chessboard corner.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

import cv2
import numpy as np

logger = logging.getLogger(__name__)

# Corners needed for a board pose; fewer gives an unstable PnP solution.
MIN_BOARD_CORNERS = 4


class MarkerDictionary(enum.IntEnum):
    """Marker families; values match vrperception.v1.MarkerDictionary."""

    UNSPECIFIED = 0
    ARUCO_4X4_50 = 1
    ARUCO_4X4_100 = 2
    ARUCO_4X4_250 = 3
    ARUCO_4X4_1000 = 4
    ARUCO_5X5_50 = 5
    ARUCO_5X5_100 = 6
    ARUCO_5X5_250 = 7
    ARUCO_5X5_1000 = 8
    ARUCO_6X6_50 = 9
    ARUCO_6X6_100 = 10
    ARUCO_6X6_250 = 11
    ARUCO_6X6_1000 = 12
    ARUCO_ORIGINAL = 13
    APRILTAG_36H11 = 14


_OPENCV_DICTIONARIES = {
    MarkerDictionary.ARUCO_4X4_50: cv2.aruco.DICT_4X4_50,
    MarkerDictionary.ARUCO_4X4_100: cv2.aruco.DICT_4X4_100,
    MarkerDictionary.ARUCO_4X4_250: cv2.aruco.DICT_4X4_250,
    MarkerDictionary.ARUCO_4X4_1000: cv2.aruco.DICT_4X4_1000,
    MarkerDictionary.ARUCO_5X5_50: cv2.aruco.DICT_5X5_50,
    MarkerDictionary.ARUCO_5X5_100: cv2.aruco.DICT_5X5_100,
    MarkerDictionary.ARUCO_5X5_250: cv2.aruco.DICT_5X5_250,
    MarkerDictionary.ARUCO_5X5_1000: cv2.aruco.DICT_5X5_1000,
    MarkerDictionary.ARUCO_6X6_50: cv2.aruco.DICT_6X6_50,
    MarkerDictionary.ARUCO_6X6_100: cv2.aruco.DICT_6X6_100,
    MarkerDictionary.ARUCO_6X6_250: cv2.aruco.DICT_6X6_250,
    MarkerDictionary.ARUCO_6X6_1000: cv2.aruco.DICT_6X6_1000,
    MarkerDictionary.ARUCO_ORIGINAL: cv2.aruco.DICT_ARUCO_ORIGINAL,
    MarkerDictionary.APRILTAG_36H11: cv2.aruco.DICT_APRILTAG_36h11,
}


@dataclass(frozen=True)
class MarkerDetection:
    dictionary: MarkerDictionary
    marker_id: int
    # (4, 2) pixels, printed-marker order: top-left, top-right, bottom-right, bottom-left.
    corners_px: np.ndarray


@dataclass(frozen=True)
class CharucoBoardSpec:
    squares_x: int
    squares_y: int
    square_length_m: float
    marker_length_m: float
    dictionary: MarkerDictionary


@dataclass(frozen=True)
class CharucoDetection:
    # (N,) chessboard corner ids and (N, 2) their pixel positions.
    corner_ids: np.ndarray
    corners_px: np.ndarray
    markers: list[MarkerDetection]


@dataclass(frozen=True)
class PoseEstimate:
    """Object-to-camera transform: p_camera = R @ p_object + t."""

    rotation_matrix: np.ndarray
    translation_m: np.ndarray
    reprojection_error_px: float
    point_count: int

    @property
    def rotation_xyzw(self) -> tuple[float, float, float, float]:
        return rotation_matrix_to_quaternion(self.rotation_matrix)


@dataclass(frozen=True)
class CameraModel:
    """Pinhole camera of the image as displayed, in pixels."""

    matrix: np.ndarray
    distortion: np.ndarray


def opencv_dictionary(dictionary: MarkerDictionary) -> cv2.aruco.Dictionary:
    """Return OpenCV's predefined dictionary for ``dictionary``; KeyError when unspecified."""
    return cv2.aruco.getPredefinedDictionary(_OPENCV_DICTIONARIES[dictionary])


def supported_dictionaries() -> tuple[MarkerDictionary, ...]:
    return tuple(_OPENCV_DICTIONARIES)


class MarkerDetector:
    """Detects markers of several dictionaries; one instance per worker thread."""

    def __init__(self) -> None:
        self._detectors: dict[MarkerDictionary, cv2.aruco.ArucoDetector] = {}
        self._board_detectors: dict[CharucoBoardSpec, tuple[cv2.aruco.CharucoDetector, cv2.aruco.CharucoBoard]] = {}

    def _detector(self, dictionary: MarkerDictionary) -> cv2.aruco.ArucoDetector:
        if dictionary not in self._detectors:
            parameters = cv2.aruco.DetectorParameters()
            parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
            self._detectors[dictionary] = cv2.aruco.ArucoDetector(opencv_dictionary(dictionary), parameters)
        return self._detectors[dictionary]

    def board(self, spec: CharucoBoardSpec) -> cv2.aruco.CharucoBoard:
        return self._board_detector(spec)[1]

    def _board_detector(self, spec: CharucoBoardSpec) -> tuple[cv2.aruco.CharucoDetector, cv2.aruco.CharucoBoard]:
        if spec not in self._board_detectors:
            board = cv2.aruco.CharucoBoard(
                (spec.squares_x, spec.squares_y),
                spec.square_length_m,
                spec.marker_length_m,
                opencv_dictionary(spec.dictionary),
            )
            self._board_detectors[spec] = (cv2.aruco.CharucoDetector(board), board)
        return self._board_detectors[spec]

    def detect(self, image_rgb: np.ndarray, dictionaries: list[MarkerDictionary]) -> list[MarkerDetection]:
        """Detect markers of each dictionary in an RGB uint8 image; corners in its pixels."""
        gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)
        found: list[MarkerDetection] = []
        for dictionary in dict.fromkeys(dictionaries):
            corners, ids, _rejected = self._detector(dictionary).detectMarkers(gray)
            if ids is None:
                continue
            for marker_corners, marker_id in zip(corners, ids.reshape(-1)):
                found.append(MarkerDetection(dictionary, int(marker_id), marker_corners.reshape(4, 2).astype(np.float64)))
        return found

    def detect_board(self, image_rgb: np.ndarray, spec: CharucoBoardSpec) -> CharucoDetection:
        """Detect a ChArUco board's markers and interpolated chessboard corners."""
        gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)
        detector, _ = self._board_detector(spec)
        corners, corner_ids, marker_corners, marker_ids = detector.detectBoard(gray)
        markers = []
        if marker_ids is not None:
            for one, marker_id in zip(marker_corners, marker_ids.reshape(-1)):
                markers.append(MarkerDetection(spec.dictionary, int(marker_id), one.reshape(4, 2).astype(np.float64)))
        if corner_ids is None:
            return CharucoDetection(np.zeros(0, np.int32), np.zeros((0, 2)), markers)
        return CharucoDetection(corner_ids.reshape(-1).astype(np.int32), corners.reshape(-1, 2).astype(np.float64), markers)


def marker_object_points(marker_size_m: float) -> np.ndarray:
    """Corners of a square marker in its own frame, printed-marker order, (4, 3) metres."""
    half = marker_size_m / 2.0
    return np.array([[-half, half, 0.0], [half, half, 0.0], [half, -half, 0.0], [-half, -half, 0.0]])


def _reprojection_rms(object_points: np.ndarray, image_points: np.ndarray, rvec: np.ndarray, tvec: np.ndarray, camera: CameraModel) -> float:
    projected, _ = cv2.projectPoints(object_points, rvec, tvec, camera.matrix, camera.distortion)
    residual = projected.reshape(-1, 2) - image_points.reshape(-1, 2)
    return float(np.sqrt(np.mean(np.sum(residual**2, axis=1))))


def estimate_marker_pose(corners_px: np.ndarray, marker_size_m: float, camera: CameraModel) -> PoseEstimate | None:
    """Solve a single marker's pose from its 4 corners (pixels of the displayed image).

    Returns None when PnP fails (degenerate corners).
    """
    object_points = marker_object_points(marker_size_m)
    image_points = np.ascontiguousarray(corners_px, dtype=np.float64).reshape(4, 1, 2)
    ok, rvec, tvec = cv2.solvePnP(object_points, image_points, camera.matrix, camera.distortion, flags=cv2.SOLVEPNP_IPPE_SQUARE)
    if not ok:
        return None
    error = _reprojection_rms(object_points, image_points, rvec, tvec, camera)
    return PoseEstimate(cv2.Rodrigues(rvec)[0], tvec.reshape(3), error, 4)


def estimate_board_pose(
    board: cv2.aruco.CharucoBoard, corner_ids: np.ndarray, corners_px: np.ndarray, camera: CameraModel
) -> PoseEstimate | None:
    """Solve a ChArUco board's pose from its chessboard corners (displayed-image pixels).

    Returns None with fewer than MIN_BOARD_CORNERS corners or when PnP fails.
    """
    if len(corner_ids) < MIN_BOARD_CORNERS:
        return None
    object_points = np.asarray(board.getChessboardCorners(), dtype=np.float64)[corner_ids]
    image_points = np.ascontiguousarray(corners_px, dtype=np.float64).reshape(-1, 1, 2)
    ok, rvec, tvec = cv2.solvePnP(object_points, image_points, camera.matrix, camera.distortion, flags=cv2.SOLVEPNP_ITERATIVE)
    if not ok:
        return None
    error = _reprojection_rms(object_points, image_points, rvec, tvec, camera)
    return PoseEstimate(cv2.Rodrigues(rvec)[0], tvec.reshape(3), error, len(corner_ids))


def rotation_matrix_to_quaternion(matrix: np.ndarray) -> tuple[float, float, float, float]:
    """Unit quaternion (x, y, z, w) with w >= 0 of a 3x3 rotation matrix."""
    m = np.asarray(matrix, dtype=np.float64)
    trace = m[0, 0] + m[1, 1] + m[2, 2]
    if trace > 0:
        s = 2.0 * np.sqrt(trace + 1.0)
        w, x, y, z = 0.25 * s, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2])
        w, x, y, z = (m[2, 1] - m[1, 2]) / s, 0.25 * s, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s
    elif m[1, 1] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2])
        w, x, y, z = (m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, 0.25 * s, (m[1, 2] + m[2, 1]) / s
    else:
        s = 2.0 * np.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1])
        w, x, y, z = (m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, 0.25 * s
    quaternion = np.array([x, y, z, w])
    quaternion /= np.linalg.norm(quaternion)
    if quaternion[3] < 0:
        quaternion = -quaternion
    return tuple(float(v) for v in quaternion)


def quaternion_to_rotation_matrix(xyzw: tuple[float, float, float, float]) -> np.ndarray:
    """3x3 rotation matrix of a quaternion (x, y, z, w); normalises it first."""
    x, y, z, w = np.asarray(xyzw, dtype=np.float64) / np.linalg.norm(xyzw)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def compose_with_camera_to_world(
    pose: PoseEstimate, camera_position_m: tuple[float, float, float], camera_rotation_xyzw: tuple[float, float, float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Object-to-world rotation matrix and translation from an object-to-camera pose."""
    camera_rotation = quaternion_to_rotation_matrix(camera_rotation_xyzw)
    rotation = camera_rotation @ pose.rotation_matrix
    translation = camera_rotation @ pose.translation_m + np.asarray(camera_position_m, dtype=np.float64)
    return rotation, translation
