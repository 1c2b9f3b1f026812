"""A user's TorchScript detector loaded through the server config, and a corrupt one."""

from __future__ import annotations

import grpc
import numpy as np
import pytest
import torch

from conftest import start_server
from vrperception.api.v1 import objects_pb2
from vrperception.client import PerceptionClient
from vrperception.client.frames import frame_from_file, frame_from_rgb

# Red square drawn on the test image, in pixels of a 320x240 image.
SQUARE = (80, 60, 200, 180)
IMAGE_SIZE = (240, 320)


class RedSquareDetector(torch.nn.Module):
    """Reports the bounding box of strongly red pixels as class 0, score 0.9.

    Follows the user-model contract: [1, 3, H, W] RGB in [0, 1] in, rows of
    x_min, y_min, x_max, y_max, score, class_index in input pixels out.
    """

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        red = (image[0, 0] > 0.6) & (image[0, 1] < 0.4) & (image[0, 2] < 0.4)
        rows = torch.nonzero(red.any(dim=1)).flatten()
        cols = torch.nonzero(red.any(dim=0)).flatten()
        if rows.numel() == 0:
            return torch.zeros(0, 6)
        box = torch.stack(
            [
                cols.min().float(),
                rows.min().float(),
                cols.max().float() + 1.0,
                rows.max().float() + 1.0,
                torch.tensor(0.9),
                torch.tensor(0.0),
            ]
        )
        return box.unsqueeze(0)


def server_config(model_path, labels_path) -> dict:
    return {
        "workers": 1,
        "hands": {"enabled": False},
        "gestures": {"enabled": False},
        "voice": {"enabled": False},
        "objects": {"model_path": str(model_path), "labels_path": str(labels_path), "default_input_size": 320},
    }


def red_square_image() -> np.ndarray:
    image = np.zeros((*IMAGE_SIZE, 3), dtype=np.uint8)
    x0, y0, x1, y1 = SQUARE
    image[y0:y1, x0:x1] = (220, 20, 30)
    return image


@pytest.fixture(scope="module")
def user_model_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("user-model")
    model_path = folder / "red_square.pt"
    torch.jit.save(torch.jit.script(RedSquareDetector()), str(model_path))
    labels_path = folder / "labels.txt"
    labels_path.write_text("red_square\n")
    server = start_server(config=server_config(model_path, labels_path))
    yield server
    server.stop()


def test_user_model_serves_detections(user_model_server):
    with PerceptionClient(user_model_server.address) as client:
        result = client.detect_objects(frame_from_rgb(red_square_image()))
    assert len(result.detections) == 1
    detection = result.detections[0]
    assert detection.label == "red_square"
    assert detection.class_id == 0
    assert detection.score == pytest.approx(0.9)
    height, width = IMAGE_SIZE
    x0, y0, x1, y1 = SQUARE
    box = detection.box
    assert box.x_min == pytest.approx(x0 / width, abs=0.01)
    assert box.y_min == pytest.approx(y0 / height, abs=0.01)
    assert box.x_max == pytest.approx(x1 / width, abs=0.01)
    assert box.y_max == pytest.approx(y1 / height, abs=0.01)


def test_user_model_allowlist_uses_its_labels(user_model_server):
    with PerceptionClient(user_model_server.address) as client:
        with pytest.raises(grpc.RpcError) as raised:
            client.detect_objects(frame_from_rgb(red_square_image()), objects_pb2.ObjectsConfig(class_allowlist=["cup"]))
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "'red_square'" in raised.value.details()


def test_user_model_in_handshake(user_model_server):
    with PerceptionClient(user_model_server.address) as client:
        response = client.handshake()
    names = [model.name for model in response.models]
    assert "red_square" in names


def test_corrupt_model_file_fails_precondition(tmp_path, data_dir):
    model_path = tmp_path / "broken.pt"
    model_path.write_bytes(b"this is not a TorchScript archive" * 10)
    labels_path = tmp_path / "labels.txt"
    labels_path.write_text("thing\n")
    server = start_server(config=server_config(model_path, labels_path))
    try:
        with PerceptionClient(server.address) as client:
            with pytest.raises(grpc.RpcError) as raised:
                client.detect_objects(frame_from_rgb(red_square_image()))
            assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
            assert "broken.pt is not a loadable TorchScript file" in raised.value.details()

            # Markers keep working without a detector.
            config = objects_pb2.ObjectsConfig(
                disable_detector=True,
                markers=objects_pb2.MarkerConfig(dictionaries=[objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250]),
            )
            result = client.detect_objects(frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg"), config)
            assert len(result.markers) == 17
    finally:
        server.stop()
    assert "object detector unavailable" in server.log_text()


def test_onnx_model_detects(tmp_path):
    from vrperception.models.detectors import DetectOptions, UserDetector

    image = red_square_image()
    sample = torch.from_numpy(image.astype(np.float32).transpose(2, 0, 1)[None] / 255.0)
    model_path = tmp_path / "red_square.onnx"
    torch.onnx.export(
        RedSquareDetector(), sample, str(model_path), dynamo=False, input_names=["image"],
        dynamic_axes={"image": {2: "height", 3: "width"}},
    )
    labels_path = tmp_path / "labels.txt"
    labels_path.write_text("red_square\n")
    detector = UserDetector(model_path, labels_path, default_input_size=320)
    found = detector.detect(image, DetectOptions(320, 0.5))
    assert [d.label for d in found] == ["red_square"]
    assert (found[0].x_min, found[0].y_min, found[0].x_max, found[0].y_max) == pytest.approx(SQUARE, abs=1.0)
    assert detector.info.version == "onnx"


def test_model_with_wrong_output_shape_is_rejected(tmp_path):
    from vrperception.errors import FailedPrecondition
    from vrperception.models.detectors import UserDetector

    class FourColumns(torch.nn.Module):
        def forward(self, image: torch.Tensor) -> torch.Tensor:
            return torch.zeros(3, 4) + image.mean()

    model_path = tmp_path / "four.pt"
    torch.jit.save(torch.jit.script(FourColumns()), str(model_path))
    labels_path = tmp_path / "labels.txt"
    labels_path.write_text("thing\n")
    with pytest.raises(FailedPrecondition, match=r"returned shape \(3, 4\); expected \[N, 6\]"):
        UserDetector(model_path, labels_path)
