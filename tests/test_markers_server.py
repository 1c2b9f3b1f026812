"""Markers and ChArUco board poses through the real server on the ChArUco photos."""

from __future__ import annotations

import json

import cv2
import grpc
import numpy as np
import pytest

from vrperception.api.v1 import common_pb2, objects_pb2
from vrperception.client.frames import frame_from_file, frame_from_rgb, read_rgb
from vrperception.models.markers import quaternion_to_rotation_matrix

PHOTOS = ("obj_015", "obj_016", "obj_017")
# Corner positions agree with the annotations (OpenCV 5.1 detections) to
# 0.97 px at most in scripts/evaluate_objects.py. Subpixel refinement may
# differ between OpenCV versions by about a pixel, so 2 px is the bound.
MAX_CORNER_OFFSET_PX = 2.0
# Measured single-marker RMS reprojection error: mean 0.16-0.30 px, max
# 0.55 px; board RMS 0.13-0.21 px with 16-24 corners. Twice the worst case
# still catches a wrong corner order or intrinsics, which give several pixels.
MAX_MARKER_REPROJECTION_PX = 1.1
MAX_BOARD_REPROJECTION_PX = 0.45
BOARD = objects_pb2.CharucoBoard(
    squares_x=5, squares_y=7, square_length_m=0.04, marker_length_m=0.02, dictionary=objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250
)


@pytest.fixture(scope="module")
def markers_dir(data_dir):
    return data_dir / "objects" / "annotations" / "markers"


@pytest.fixture(scope="module")
def intrinsics(markers_dir) -> common_pb2.CameraIntrinsics:
    storage = cv2.FileStorage(str(markers_dir / "camera_charuco_640x480.yml"), cv2.FILE_STORAGE_READ)
    matrix = storage.getNode("camera_matrix").mat()
    distortion = storage.getNode("distortion_coefficients").mat().reshape(-1)
    storage.release()
    return common_pb2.CameraIntrinsics(
        fx=matrix[0, 0], fy=matrix[1, 1], cx=matrix[0, 2], cy=matrix[1, 2], distortion=[float(v) for v in distortion]
    )


def marker_config(size_m: float = 0.02, board: bool = False) -> objects_pb2.ObjectsConfig:
    markers = objects_pb2.MarkerConfig(dictionaries=[objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250], marker_size_m=size_m)
    if board:
        markers.charuco_board.CopyFrom(BOARD)
    return objects_pb2.ObjectsConfig(disable_detector=True, markers=markers)


@pytest.mark.parametrize("photo", PHOTOS)
def test_charuco_ids_and_corners(client, data_dir, markers_dir, intrinsics, photo):
    annotation = json.loads((markers_dir / f"{photo}.json").read_text())
    frame = frame_from_file(data_dir / "objects" / "images" / f"{photo}.jpg")
    frame.intrinsics.CopyFrom(intrinsics)
    result = client.detect_objects(frame, marker_config())

    expected = {m["id"]: np.array(m["corners_xy"]) for m in annotation["aruco_markers"]}
    found = {m.id: m for m in result.markers}
    assert sorted(found) == sorted(expected)
    size = np.array([result.frame.width, result.frame.height])
    for marker_id, marker in found.items():
        assert marker.dictionary == objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250
        corners = np.array([[c.x, c.y] for c in marker.corners]) * size
        assert np.abs(corners - expected[marker_id]).max() <= MAX_CORNER_OFFSET_PX
        assert marker.HasField("pose_in_camera")
        assert 0 < marker.reprojection_error_px <= MAX_MARKER_REPROJECTION_PX
        assert 0.25 < marker.pose_in_camera.position_m.z < 0.5
        assert not marker.HasField("pose_in_world")


@pytest.mark.parametrize("photo", PHOTOS)
def test_charuco_board_pose(client, data_dir, markers_dir, intrinsics, photo):
    annotation = json.loads((markers_dir / f"{photo}.json").read_text())
    frame = frame_from_file(data_dir / "objects" / "images" / f"{photo}.jpg")
    frame.intrinsics.CopyFrom(intrinsics)
    result = client.detect_objects(frame, marker_config(0.0, board=True))

    assert result.HasField("board")
    assert result.board.corner_count == len(annotation["charuco_corners"])
    assert 0 < result.board.reprojection_error_px <= MAX_BOARD_REPROJECTION_PX
    position = result.board.pose_in_camera.position_m
    assert 0.40 < np.linalg.norm([position.x, position.y, position.z]) < 0.50
    # Board markers get poses from the board's marker side when marker_size_m is 0.
    assert all(m.HasField("pose_in_camera") for m in result.markers)


def test_markers_without_intrinsics_have_no_pose(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg")
    result = client.detect_objects(frame, marker_config(0.02, board=True))
    assert len(result.markers) == 17
    for marker in result.markers:
        assert len(marker.corners) == 4
        assert not marker.HasField("pose_in_camera")
        assert marker.reprojection_error_px == 0.0
    assert not result.HasField("board")


def test_world_pose_uses_camera_to_world(client, data_dir, intrinsics):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg")
    frame.intrinsics.CopyFrom(intrinsics)
    half = np.sqrt(0.5)
    frame.camera_to_world.CopyFrom(
        common_pb2.Pose(
            position_m=common_pb2.Vector3(x=1.0, y=2.0, z=3.0), rotation=common_pb2.Quaternion(x=half, y=0.0, z=0.0, w=half)
        )
    )
    result = client.detect_objects(frame, marker_config())
    camera_rotation = quaternion_to_rotation_matrix((half, 0.0, 0.0, half))
    for marker in result.markers:
        local = marker.pose_in_camera.position_m
        world = marker.pose_in_world.position_m
        expected = camera_rotation @ np.array([local.x, local.y, local.z]) + np.array([1.0, 2.0, 3.0])
        assert np.allclose([world.x, world.y, world.z], expected, atol=1e-9)


def test_rotated_frame_gives_same_distance(client, data_dir, intrinsics):
    upright = client.detect_objects(_charuco_frame(data_dir, intrinsics, rotate=False), marker_config(0.0, board=True))
    rotated = client.detect_objects(_charuco_frame(data_dir, intrinsics, rotate=True), marker_config(0.0, board=True))
    a, b = upright.board.pose_in_camera.position_m, rotated.board.pose_in_camera.position_m
    # The displayed image is the photo turned 90 degrees counter-clockwise, so
    # the camera frame turns with it: x' = y, y' = -x, z' = z.
    assert b.z == pytest.approx(a.z, abs=1e-3)
    assert b.x == pytest.approx(a.y, abs=1e-3)
    assert b.y == pytest.approx(-a.x, abs=1e-3)
    ids_upright = sorted(m.id for m in upright.markers)
    assert sorted(m.id for m in rotated.markers) == ids_upright


def _charuco_frame(data_dir, intrinsics, rotate: bool) -> common_pb2.ImageFrame:
    rgb = read_rgb(data_dir / "objects" / "images" / "obj_016.jpg")
    # Distortion is left out in both frames because its tangential terms do
    # not simply swap when the image turns.
    if not rotate:
        frame = frame_from_rgb(rgb)
        frame.intrinsics.CopyFrom(
            common_pb2.CameraIntrinsics(fx=intrinsics.fx, fy=intrinsics.fy, cx=intrinsics.cx, cy=intrinsics.cy)
        )
        return frame
    width = rgb.shape[1]
    frame = frame_from_rgb(np.ascontiguousarray(np.rot90(rgb)), rotation=common_pb2.ROTATION_90)
    # Intrinsics of the displayed (turned) image.
    frame.intrinsics.CopyFrom(
        common_pb2.CameraIntrinsics(fx=intrinsics.fy, fy=intrinsics.fx, cx=intrinsics.cy, cy=width - intrinsics.cx)
    )
    return frame


def test_pose_without_marker_size_is_failed_precondition(client, data_dir, intrinsics):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg")
    frame.intrinsics.CopyFrom(intrinsics)
    with pytest.raises(grpc.RpcError) as raised:
        client.detect_objects(frame, marker_config(0.0))
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "marker_size_m is 0" in raised.value.details()


@pytest.mark.parametrize(
    "bad, fragment",
    [
        (dict(cx=1000.0), "principal point (1000.0"),
        (dict(fx=0.0), "fx=0.0"),
        (dict(fy=-450.0), "fy=-450.0"),
    ],
)
def test_inconsistent_intrinsics_are_invalid(client, data_dir, intrinsics, bad, fragment):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg")
    values = dict(fx=intrinsics.fx, fy=intrinsics.fy, cx=intrinsics.cx, cy=intrinsics.cy)
    values.update(bad)
    frame.intrinsics.CopyFrom(common_pb2.CameraIntrinsics(**values))
    with pytest.raises(grpc.RpcError) as raised:
        client.detect_objects(frame, marker_config())
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert fragment in raised.value.details()


def test_board_larger_than_dictionary_is_invalid(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg")
    config = marker_config()
    config.markers.charuco_board.CopyFrom(
        objects_pb2.CharucoBoard(
            squares_x=20, squares_y=20, square_length_m=0.04, marker_length_m=0.02,
            dictionary=objects_pb2.MARKER_DICTIONARY_ARUCO_4X4_50,
        )
    )
    with pytest.raises(grpc.RpcError) as raised:
        client.detect_objects(frame, config)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "needs 200 markers" in raised.value.details()


def test_apriltag_dictionary_finds_no_aruco(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg")
    config = objects_pb2.ObjectsConfig(
        disable_detector=True,
        markers=objects_pb2.MarkerConfig(dictionaries=[objects_pb2.MARKER_DICTIONARY_APRILTAG_36H11]),
    )
    result = client.detect_objects(frame, config)
    assert len(result.markers) == 0


def test_mirrored_frame_pose_is_physical_camera(client, data_dir, intrinsics):
    upright = client.detect_objects(_charuco_frame(data_dir, intrinsics, rotate=False), marker_config(0.0, board=True))
    rgb = read_rgb(data_dir / "objects" / "images" / "obj_016.jpg")
    frame = frame_from_rgb(np.ascontiguousarray(rgb[:, ::-1]), mirrored=True)
    # Intrinsics of the displayed mirror image: the principal point flips too.
    frame.intrinsics.CopyFrom(
        common_pb2.CameraIntrinsics(fx=intrinsics.fx, fy=intrinsics.fy, cx=rgb.shape[1] - intrinsics.cx, cy=intrinsics.cy)
    )
    mirrored = client.detect_objects(frame, marker_config(0.0, board=True))
    a, b = upright.board.pose_in_camera.position_m, mirrored.board.pose_in_camera.position_m
    assert (b.x, b.y, b.z) == pytest.approx((a.x, a.y, a.z), abs=1e-4)
    corners_upright = {m.id: [(c.x, c.y) for c in m.corners] for m in upright.markers}
    assert sorted(m.id for m in mirrored.markers) == sorted(corners_upright)
    for marker in mirrored.markers:
        expected = [value for x, y in corners_upright[marker.id] for value in (1.0 - x, y)]
        got = [value for c in marker.corners for value in (c.x, c.y)]
        assert got == pytest.approx(expected, abs=1e-5)
