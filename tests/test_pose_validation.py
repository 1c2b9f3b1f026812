"""Poses, intrinsics and marker sizes that would give NaN poses are rejected."""

from __future__ import annotations

import grpc
import pytest

from vrperception.api.v1 import common_pb2, objects_pb2
from vrperception.client import frame_from_file

CHARUCO_PHOTO = "objects/images/obj_015.jpg"


def _markers(size_m: float = 0.02) -> objects_pb2.ObjectsConfig:
    return objects_pb2.ObjectsConfig(
        disable_detector=True,
        markers=objects_pb2.MarkerConfig(
            dictionaries=[objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250], marker_size_m=size_m
        ),
    )


def _frame(data_dir, **fields) -> common_pb2.ImageFrame:
    frame = frame_from_file(data_dir / CHARUCO_PHOTO)
    frame.intrinsics.CopyFrom(common_pb2.CameraIntrinsics(fx=452.5, fy=456.8, cx=317.7, cy=277.8))
    for name, value in fields.items():
        getattr(frame, name).CopyFrom(value)
    return frame


def _detect(client, frame, config):
    return client.objects.DetectObjects(objects_pb2.DetectObjectsRequest(frame=frame, config=config), timeout=60)


def _status(call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value.code(), caught.value.details()


def test_world_pose_with_valid_camera_pose(client, data_dir):
    pose = common_pb2.Pose(position_m=common_pb2.Vector3(x=1.0), rotation=common_pb2.Quaternion(w=1.0))
    result = _detect(client, _frame(data_dir, camera_to_world=pose), _markers())
    assert result.markers
    marker = result.markers[0]
    assert marker.pose_in_world.position_m.x == pytest.approx(marker.pose_in_camera.position_m.x + 1.0)


@pytest.mark.parametrize(
    "pose, text",
    [
        (common_pb2.Pose(position_m=common_pb2.Vector3(x=1.0)), "has length 0"),
        (common_pb2.Pose(rotation=common_pb2.Quaternion(w=float("nan"))), "non-finite"),
        (common_pb2.Pose(rotation=common_pb2.Quaternion(w=2.0)), "has length 2"),
    ],
)
def test_bad_camera_pose_rejected(client, data_dir, pose, text):
    code, details = _status(lambda: _detect(client, _frame(data_dir, camera_to_world=pose), _markers()))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "frame.camera_to_world" in details and text in details


def test_nan_distortion_rejected(client, data_dir):
    frame = _frame(data_dir)
    frame.intrinsics.distortion.extend([0.1, float("nan"), 0.0, 0.0, 0.0])
    code, details = _status(lambda: _detect(client, frame, _markers()))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "distortion" in details


@pytest.mark.parametrize("size", [1e308, float("inf")])
def test_absurd_marker_size_rejected(client, data_dir, size):
    code, details = _status(lambda: _detect(client, _frame(data_dir), _markers(size)))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "marker_size_m" in details


def test_infinite_board_square_rejected(client, data_dir):
    config = _markers()
    config.markers.charuco_board.CopyFrom(
        objects_pb2.CharucoBoard(
            squares_x=5,
            squares_y=7,
            square_length_m=float("inf"),
            marker_length_m=0.02,
            dictionary=objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250,
        )
    )
    code, details = _status(lambda: _detect(client, _frame(data_dir), config))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "square_length_m=inf" in details
