"""engine_clients/test_vectors.json against the Python conversions and the server's decoder.

The C++ and C# tests read the same file. Besides checking
vrperception.client.coords, these tests derive every rotation case again
from rotation matrices (M R M^T), independently of the quaternion formulas,
so a wrong vector cannot pass in all three languages.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import REPO_ROOT
from vrperception.api.v1 import common_pb2
from vrperception.client import coords
from vrperception.media.frames import FrameLimits, decode_frame
from vrperception.services.convert import raw_frame_from_proto

VECTORS_PATH = REPO_ROOT / "engine_clients" / "test_vectors.json"
VECTORS = json.loads(VECTORS_PATH.read_text())
TOLERANCE = VECTORS["float_tolerance"]
LIMITS = FrameLimits(max_frame_bytes=1 << 20, max_width=4096, max_height=4096)

# Axis changes from the OpenCV camera frame, without scale.
M_UNITY = np.diag([1.0, -1.0, 1.0])
M_UNREAL = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, -1.0, 0.0]])


def ids(section: str) -> list[str]:
    return [case["name"] for case in VECTORS[section]]


def quat_to_matrix(q) -> np.ndarray:
    x, y, z, w = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def assert_close(actual, expected, tolerance=TOLERANCE):
    np.testing.assert_allclose(np.asarray(actual, float), np.asarray(expected, float), rtol=0, atol=tolerance)


def test_vectors_header_documents_conventions():
    assert VECTORS["format_version"] == 1
    for key in ("server_3d", "unity_3d", "unreal_3d", "quaternion", "pose", "server_2d", "unity_2d", "unreal_2d", "frame_packing"):
        assert VECTORS["conventions"][key], key
    for section in ("points_3d", "rotations", "poses", "points_2d", "frame_packing"):
        assert len(VECTORS[section]) >= 2, section


@pytest.mark.parametrize("case", VECTORS["points_3d"], ids=ids("points_3d"))
def test_points_3d(case):
    opencv = case["opencv_m"]
    assert_close(coords.opencv_to_unity_point(opencv), case["unity_m"])
    assert_close(coords.opencv_to_unreal_point_cm(opencv), case["unreal_cm"])
    assert_close(coords.unity_to_opencv_point(case["unity_m"]), opencv)
    assert_close(coords.unreal_cm_to_opencv_point(case["unreal_cm"]), opencv)
    # The same cases from the axis matrices.
    assert_close(M_UNITY @ opencv, case["unity_m"])
    assert_close(100.0 * M_UNREAL @ opencv, case["unreal_cm"])


@pytest.mark.parametrize("case", VECTORS["rotations"], ids=ids("rotations"))
def test_rotations(case):
    opencv = case["opencv"]
    assert_close(coords.opencv_to_unity_rotation(opencv), case["unity"])
    assert_close(coords.opencv_to_unreal_rotation(opencv), case["unreal"])
    assert_close(coords.unity_to_opencv_rotation(case["unity"]), opencv)
    assert_close(coords.unreal_to_opencv_rotation(case["unreal"]), opencv)
    # Independent derivation: the engine rotation matrix is M R M^T.
    rotation = quat_to_matrix(opencv)
    assert_close(quat_to_matrix(case["unity"]), M_UNITY @ rotation @ M_UNITY.T, 1e-5)
    assert_close(quat_to_matrix(case["unreal"]), M_UNREAL @ rotation @ M_UNREAL.T, 1e-5)
    assert abs(np.linalg.norm(opencv) - 1.0) < 1e-6


@pytest.mark.parametrize("case", VECTORS["poses"], ids=ids("poses"))
def test_poses_map_converted_points(case):
    opencv = coords.Pose(tuple(case["opencv"]["position_m"]), tuple(case["opencv"]["rotation"]))
    unity = coords.opencv_to_unity_pose(opencv)
    unreal = coords.opencv_to_unreal_pose_cm(opencv)
    assert_close(unity.position, case["unity"]["position_m"])
    assert_close(unity.rotation, case["unity"]["rotation"])
    assert_close(unreal.position, case["unreal"]["position_cm"])
    assert_close(unreal.rotation, case["unreal"]["rotation"])

    source, target = case["source_point"], case["target_point"]
    assert_close(coords.apply_pose(opencv, source["opencv_m"]), target["opencv_m"])
    assert_close(coords.apply_pose(unity, source["unity_m"]), target["unity_m"])
    assert_close(coords.apply_pose(unreal, source["unreal_cm"]), target["unreal_cm"], 100 * TOLERANCE)
    # The target point from the rotation matrix, not from coords.rotate.
    expected = quat_to_matrix(opencv.rotation) @ source["opencv_m"] + np.asarray(opencv.position)
    assert_close(expected, target["opencv_m"])

    back = coords.unreal_cm_to_opencv_pose(unreal)
    assert_close(back.position, opencv.position)
    assert_close(back.rotation, opencv.rotation)
    back = coords.unity_to_opencv_pose(unity)
    assert_close(back.rotation, opencv.rotation)


@pytest.mark.parametrize("case", VECTORS["points_2d"], ids=ids("points_2d"))
def test_points_2d(case):
    point = case["normalized"]
    width, height = case["image_size_px"]
    assert_close(coords.normalized_to_unity_viewport(point), case["unity_viewport"])
    assert_close(coords.normalized_to_unity_pixels(point, width, height), case["unity_pixels"])
    assert_close(coords.normalized_to_unreal_uv(point), case["unreal_uv"])
    assert_close(coords.normalized_to_unreal_pixels(point, width, height), case["unreal_pixels"])


def frame_from_vector(fields: dict) -> common_pb2.ImageFrame:
    return common_pb2.ImageFrame(
        encoding=common_pb2.ImageEncoding.Value(fields["encoding"]),
        data=bytes.fromhex(fields["data_hex"]),
        width=fields["width"],
        height=fields["height"],
        row_stride_bytes=fields["row_stride_bytes"],
        row_order=common_pb2.RowOrder.Value(fields["row_order"]),
    )


@pytest.mark.parametrize("case", VECTORS["frame_packing"], ids=ids("frame_packing"))
def test_frame_packing_decodes_on_server(case):
    source, frame = case["source"], case["frame"]
    bytes_per_pixel = {"RGBA8": 4, "BGRA8": 4, "RGB8": 3}[source["pixel_format"]]
    row_bytes = source["width"] * bytes_per_pixel

    # The packing rule: bytes unchanged, stride 0 when tight, row order named.
    assert frame["data_hex"] == source["data_hex"]
    assert len(bytes.fromhex(frame["data_hex"])) == source["row_stride_bytes"] * source["height"]
    expected_stride = 0 if source["row_stride_bytes"] == row_bytes else source["row_stride_bytes"]
    assert frame["row_stride_bytes"] == expected_stride
    expected_order = "ROW_ORDER_BOTTOM_UP" if source["bottom_up"] else "ROW_ORDER_TOP_DOWN"
    assert frame["row_order"] == expected_order
    assert frame["encoding"] == f"IMAGE_ENCODING_RAW_{source['pixel_format']}"

    decoded = decode_frame(raw_frame_from_proto(frame_from_vector(frame)), LIMITS)
    expected = np.asarray(case["decoded_rgb_top_down"], dtype=np.uint8)
    np.testing.assert_array_equal(decoded.image, expected)
    assert decoded.orientation.display_width == source["width"]
    assert decoded.orientation.display_height == source["height"]
