"""Unit tests of the object pipeline's pure logic: NMS, letterbox, tracking, validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from vrperception.config import ConfigError, load_config
from vrperception.errors import FailedPrecondition, InvalidArgument
from vrperception.media.frames import Intrinsics
from vrperception.models import nanodet
from vrperception.models.detectors import (
    DetectOptions,
    batched_nms,
    plan_letterbox,
    read_labels,
    select_detections,
    validate_input_size,
)
from vrperception.models.markers import (
    PoseEstimate,
    compose_with_camera_to_world,
    quaternion_to_rotation_matrix,
    rotation_matrix_to_quaternion,
)
from vrperception.models.tfjs_graph import GraphFormatError, TfjsGraphModule, UnsupportedGraphError, load_graph_model
from vrperception.runtime.box_tracker import BoxTracker
from vrperception.runtime.objects_pipeline import camera_model


def test_nms_keeps_best_per_class():
    boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 10, 10], [0, 0, 10, 10], [50, 50, 60, 60]], dtype=torch.float32)
    scores = torch.tensor([0.9, 0.8, 0.7, 0.6])
    classes = torch.tensor([0, 0, 1, 0])
    keep = batched_nms(boxes, scores, classes, 0.5).tolist()
    assert keep == [0, 2, 3]


def test_select_detections_filters_classes():
    boxes = torch.tensor([[0, 0, 10, 10], [20, 20, 30, 30]], dtype=torch.float32)
    scores = torch.tensor([0.9, 0.4])
    classes = torch.tensor([0, 1])
    options = DetectOptions(320, 0.3, 10, frozenset({47}))
    found = select_detections(boxes, scores, classes, options, ("person", "cup"), (1, 47))
    assert [d.label for d in found] == ["cup"]
    assert found[0].class_id == 47
    assert found[0].x_max == pytest.approx(30.0)


def test_select_detections_applies_threshold_and_limit():
    boxes = torch.tensor([[0, 0, 10, 10], [20, 20, 30, 30], [40, 40, 50, 50]], dtype=torch.float32)
    scores = torch.tensor([0.9, 0.8, 0.2])
    classes = torch.tensor([0, 0, 0])
    found = select_detections(boxes, scores, classes, DetectOptions(320, 0.3, 1), ("person",), (1,))
    assert len(found) == 1
    assert found[0].score == pytest.approx(0.9)


@pytest.mark.parametrize(
    "height, width, size, expected",
    [
        (480, 640, 320, (256, 320, 240, 320)),
        (480, 640, 640, (480, 640, 480, 640)),
        (640, 427, 416, (416, 288, 416, 278)),
        (300, 300, 416, (416, 416, 416, 416)),
    ],
)
def test_letterbox_sides_are_multiples_of_32(height, width, size, expected):
    plan = plan_letterbox(height, width, size)
    assert (plan.input_height, plan.input_width, plan.content_height, plan.content_width) == expected
    assert plan.input_height % 32 == 0
    assert plan.input_width % 32 == 0


@pytest.mark.parametrize("size", [0, 100, 330, 672])
def test_input_size_rejects_bad_values(size):
    with pytest.raises(InvalidArgument, match="input_size"):
        validate_input_size(size)


def test_tracker_keeps_ids_across_frames():
    tracker = BoxTracker()
    first = tracker.update([[0.1, 0.1, 0.3, 0.3], [0.6, 0.6, 0.9, 0.9]], [47, 1])
    second = tracker.update([[0.62, 0.61, 0.91, 0.9], [0.11, 0.1, 0.31, 0.3]], [1, 47])
    assert first == [1, 2]
    assert second == [2, 1]


def test_tracker_separates_classes_and_expires():
    tracker = BoxTracker(max_missed_frames=1)
    first = tracker.update([[0.1, 0.1, 0.3, 0.3]], [47])
    other_class = tracker.update([[0.1, 0.1, 0.3, 0.3]], [1])
    assert other_class != first
    tracker.update([], [])
    tracker.update([], [])
    again = tracker.update([[0.1, 0.1, 0.3, 0.3]], [47])
    assert again[0] not in (first[0], other_class[0])


def test_quaternion_round_trip():
    rotation = quaternion_to_rotation_matrix((0.1, -0.3, 0.2, 0.9))
    assert np.allclose(rotation @ rotation.T, np.eye(3), atol=1e-12)
    back = quaternion_to_rotation_matrix(rotation_matrix_to_quaternion(rotation))
    assert np.allclose(back, rotation, atol=1e-12)


def test_world_pose_composes_camera_pose():
    marker = PoseEstimate(np.eye(3), np.array([0.0, 0.0, 1.0]), 0.0, 4)
    # Camera turned 90 degrees about world y, standing at (1, 2, 3).
    half = np.sqrt(0.5)
    rotation, translation = compose_with_camera_to_world(marker, (1.0, 2.0, 3.0), (0.0, half, 0.0, half))
    assert np.allclose(translation, [2.0, 2.0, 3.0])
    assert np.allclose(rotation, quaternion_to_rotation_matrix((0.0, half, 0.0, half)))


@pytest.mark.parametrize(
    "intrinsics, fragment",
    [
        (Intrinsics(0.0, 500.0, 320.0, 240.0), "focal lengths must be > 0"),
        (Intrinsics(500.0, -1.0, 320.0, 240.0), "focal lengths must be > 0"),
        (Intrinsics(500.0, 500.0, 900.0, 240.0), "outside the 640x480"),
        (Intrinsics(500.0, 500.0, 320.0, -5.0), "outside the 640x480"),
        (Intrinsics(500.0, 500.0, 320.0, 240.0, (0.1, 0.2, 0.3)), "distortion has 3"),
    ],
)
def test_intrinsics_validation(intrinsics, fragment):
    with pytest.raises(InvalidArgument, match=fragment):
        camera_model(intrinsics, 640, 480)


def test_intrinsics_valid_model():
    camera = camera_model(Intrinsics(500.0, 510.0, 320.0, 240.0, (0.1, 0.0, 0.0, 0.0)), 640, 480)
    assert camera.matrix[0, 0] == 500.0
    assert camera.matrix[1, 2] == 240.0
    assert camera.distortion.shape == (4,)


def test_labels_file_rejects_repeats(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_text("cup\nball\ncup\n")
    with pytest.raises(FailedPrecondition, match="repeats cup"):
        read_labels(path)
    path.write_text("\n\n")
    with pytest.raises(FailedPrecondition, match="no labels"):
        read_labels(path)


def test_config_requires_labels_with_model(tmp_path):
    with pytest.raises(ConfigError, match="labels_path"):
        load_config(objects={"model_path": str(tmp_path / "model.pt")})
    with pytest.raises(ConfigError, match="default_input_size"):
        load_config(objects={"default_input_size": 300})


def _cached_model_dir() -> Path:
    directory = nanodet.model_dir()
    assert not nanodet.verify_cache(directory), "NanoDet is not installed; run scripts/install_nanodet.py"
    return directory


def test_corrupt_cache_names_setup_command(tmp_path):
    source = _cached_model_dir()
    target = tmp_path / nanodet.CACHE_SUBDIR
    target.mkdir()
    shutil.copy(source / "nanodet.json", target / "nanodet.json")
    data = bytearray((source / "nanodet.bin").read_bytes())
    data[1000] ^= 0xFF
    (target / "nanodet.bin").write_bytes(bytes(data))
    with pytest.raises(FailedPrecondition, match="install_nanodet.py") as raised:
        nanodet.NanoDetDetector(tmp_path)
    assert "nanodet.bin has sha256" in raised.value.message


def test_missing_cache_names_setup_command(tmp_path):
    with pytest.raises(FailedPrecondition, match="nanodet.json is missing.*install_nanodet.py"):
        nanodet.NanoDetDetector(tmp_path)


def _tiny_graph(tmp_path: Path, op: str) -> Path:
    weights = np.ones((1, 1, 1, 1), dtype=np.float32)
    (tmp_path / "w.bin").write_bytes(weights.tobytes())
    spec = {
        "format": "graph-model",
        "modelTopology": {
            "node": [
                {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "1"}, {"size": "1"}, {"size": "32"}, {"size": "32"}]}}}},
                {"name": "w", "op": "Const"},
                {"name": "y", "op": op, "input": ["x", "w"]},
                {"name": "Identity", "op": "Identity", "input": ["y"]},
            ]
        },
        "weightsManifest": [{"paths": ["w.bin"], "weights": [{"name": "w", "shape": [1, 1, 1, 1], "dtype": "float32"}]}],
    }
    path = tmp_path / "model.json"
    path.write_text(json.dumps(spec))
    return path


def test_graph_runs_supported_ops(tmp_path):
    module = TfjsGraphModule(load_graph_model(_tiny_graph(tmp_path, "AddV2")))
    output = module(torch.full((1, 1, 32, 32), 2.0))[0]
    assert output.shape == (1, 1, 32, 32)
    assert float(output[0, 0, 0, 0]) == 3.0


def test_graph_rejects_unknown_op(tmp_path):
    with pytest.raises(UnsupportedGraphError, match="operator Erf"):
        TfjsGraphModule(load_graph_model(_tiny_graph(tmp_path, "Erf")))


def test_graph_rejects_truncated_weights(tmp_path):
    path = _tiny_graph(tmp_path, "AddV2")
    (tmp_path / "w.bin").write_bytes(b"\x00\x00")
    with pytest.raises(GraphFormatError, match="truncated"):
        load_graph_model(path)


def test_legacy_resize_matches_tf_formula():
    from vrperception.models.tfjs_graph import _resize_bilinear_asymmetric

    image = torch.arange(12, dtype=torch.float32).reshape(1, 1, 3, 4)
    resized = _resize_bilinear_asymmetric(image, 6, 8)[0, 0]
    # TF's legacy resize samples source row y * 3 / 6 and column x * 4 / 8,
    # clamping the neighbour at the last row and column.
    assert float(resized[0, 0]) == 0.0
    assert float(resized[0, 1]) == pytest.approx(0.5)
    assert float(resized[1, 0]) == pytest.approx(2.0)
    assert float(resized[5, 7]) == pytest.approx(11.0)
    assert float(resized[3, 3]) == pytest.approx(4 * 1.5 + 1.5)


def test_strided_slice_masks():
    from vrperception.models.tfjs_graph import GraphNode, _op_strided_slice

    tensor = torch.arange(24).reshape(2, 3, 4)
    node = GraphNode("s", "StridedSlice", (), {"begin_mask": 1, "end_mask": 1, "shrink_axis_mask": 4})
    result = _op_strided_slice(None, node, [tensor, [0, 1, 2], [0, 3, 3], [1, 1, 1]], None)
    assert result.tolist() == tensor[:, 1:3, 2].tolist()


def test_depthwise_graph_is_grouped(tmp_path):
    weights = np.arange(1, 3, dtype=np.float32).reshape(1, 1, 2, 1)
    bias = np.array([0.5, -1.0], dtype=np.float32)
    (tmp_path / "w.bin").write_bytes(weights.tobytes() + bias.tobytes())
    spec = {
        "format": "graph-model",
        "modelTopology": {
            "node": [
                {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "1"}, {"size": "4"}, {"size": "4"}, {"size": "2"}]}}}},
                {"name": "w", "op": "Const"},
                {"name": "b", "op": "Const"},
                {
                    "name": "y",
                    "op": "FusedDepthwiseConv2dNative",
                    "input": ["x", "w", "b"],
                    "attr": {
                        "data_format": {"s": "TkhXQw=="},
                        "padding": {"s": "U0FNRQ=="},
                        "strides": {"list": {"i": ["1", "1", "1", "1"]}},
                        "fused_ops": {"list": {"s": ["Qmlhc0FkZA==", "UmVsdQ=="]}},
                    },
                },
                {"name": "Identity", "op": "Identity", "input": ["y"]},
            ]
        },
        "weightsManifest": [
            {
                "paths": ["w.bin"],
                "weights": [
                    {"name": "w", "shape": [1, 1, 2, 1], "dtype": "float32"},
                    {"name": "b", "shape": [2], "dtype": "float32"},
                ],
            }
        ],
    }
    (tmp_path / "model.json").write_text(json.dumps(spec))
    module = TfjsGraphModule(load_graph_model(tmp_path / "model.json"), input_layout="NHWC")
    assert module.spatial_axes == (1, 2)
    image = torch.ones(1, 4, 4, 2)
    image[..., 1] = 0.25
    output = module(image)[0]
    # Channel 0: 1 * 1 + 0.5; channel 1: relu(2 * 0.25 - 1) = 0.
    assert output.shape == (1, 4, 4, 2)
    assert float(output[0, 0, 0, 0]) == pytest.approx(1.5)
    assert float(output[0, 0, 0, 1]) == 0.0
