"""DetectObjects and TrackObjects against the real server with NanoDet-g on real photos."""

from __future__ import annotations

import json
import queue

import grpc
import numpy as np
import pytest

from vrperception.api.v1 import common_pb2, objects_pb2
from vrperception.client.frames import frame_from_file, frame_from_rgb, read_rgb

INPUT_SIZE = 320
IOU_MATCH = 0.5
# scripts/evaluate_objects.py measured recall 10/17 = 0.59 at input 320 and
# the default score threshold (9/17 at 416, 11/17 at 640) on these photos.
# 8/17 leaves room for one or two boxes whose score sits at the threshold
# to flip on other CPUs' kernels, and still fails if boxes are misplaced.
MIN_RECALL = 8 / 17
# Boxes of the same photo sent in another orientation must land on the same
# region. The network gets identical pixels, so only rounding differs.
MIN_ORIENTATION_IOU = 0.98


def iou(a, b) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def box_tuple(box: common_pb2.NormalizedBox) -> tuple[float, float, float, float]:
    return (box.x_min, box.y_min, box.x_max, box.y_max)


@pytest.fixture(scope="module")
def coco(data_dir):
    return json.loads((data_dir / "objects" / "annotations" / "instances_dev.json").read_text())


def test_detector_recall_on_annotated_photos(client, data_dir, coco):
    names = {c["id"]: c["name"] for c in coco["categories"]}
    config = objects_pb2.ObjectsConfig(input_size=INPUT_SIZE)
    found, total, missed = 0, 0, []
    for image in coco["images"]:
        result = client.detect_objects(frame_from_file(data_dir / "objects" / image["file_name"]), config)
        assert result.frame.width == image["width"]
        assert result.frame.height == image["height"]
        for truth in (a for a in coco["annotations"] if a["image_id"] == image["id"]):
            if names[truth["category_id"]] not in {"android_figurine", "pig_android_figurine"}:
                total += 1
                x, y, w, h = truth["bbox"]
                expected = (x / image["width"], y / image["height"], (x + w) / image["width"], (y + h) / image["height"])
                hit = any(
                    d.class_id == truth["category_id"] and iou(box_tuple(d.box), expected) >= IOU_MATCH
                    for d in result.detections
                )
                found += hit
                if not hit:
                    missed.append(f"{image['file_name']}:{names[truth['category_id']]}")
    assert total == 17
    assert found / total >= MIN_RECALL, f"found {found}/{total}; missed {missed}"


def test_detection_fields_and_timings(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_002.png", frame_id=42, capture_time_us=123456)
    result = client.detect_objects(frame, objects_pb2.ObjectsConfig(input_size=INPUT_SIZE))
    cats = [d for d in result.detections if d.label == "cat"]
    assert len(cats) == 1
    assert cats[0].class_id == 17
    assert 0.35 <= cats[0].score <= 1.0
    assert cats[0].tracking_id == 0
    assert result.frame.frame_id == 42
    assert result.frame.capture_time_us == 123456
    assert result.timings.inference_ms > 0
    assert result.timings.total_ms >= result.timings.inference_ms


def test_class_allowlist_filters(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_010.jpg")
    result = client.detect_objects(frame, objects_pb2.ObjectsConfig(input_size=INPUT_SIZE, class_allowlist=["cup"]))
    assert [d.label for d in result.detections] == ["cup"]


def test_max_detections_limits(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_010.jpg")
    config = objects_pb2.ObjectsConfig(input_size=INPUT_SIZE, max_detections=1, score_threshold=0.1)
    result = client.detect_objects(frame, config)
    assert len(result.detections) == 1


def _display_to_original(box, rotation: int, mirrored: bool) -> tuple[float, float, float, float]:
    """Map a box normalised to the displayed image back to the original photo.

    The displayed images below are built from the original so that the
    server's orientation steps recover it: rotating the displayed image
    clockwise by ``rotation`` (then un-mirroring) gives the original.
    """
    x0, y0, x1, y1 = box_tuple(box)
    if rotation == common_pb2.ROTATION_90:
        x0, y0, x1, y1 = 1 - y1, x0, 1 - y0, x1
    elif rotation == common_pb2.ROTATION_180:
        x0, y0, x1, y1 = 1 - x1, 1 - y1, 1 - x0, 1 - y0
    elif rotation == common_pb2.ROTATION_270:
        x0, y0, x1, y1 = y0, 1 - x1, y1, 1 - x0
    if mirrored:
        x0, x1 = 1 - x1, 1 - x0
    return (x0, y0, x1, y1)


ORIENTATIONS = [
    ("bottom_up", common_pb2.ROTATION_0, False, True),
    ("rotation_90", common_pb2.ROTATION_90, False, False),
    ("rotation_180", common_pb2.ROTATION_180, False, False),
    ("rotation_270", common_pb2.ROTATION_270, False, False),
    ("mirrored", common_pb2.ROTATION_0, True, False),
]


@pytest.fixture(scope="module")
def upright_result(client, data_dir):
    rgb = read_rgb(data_dir / "objects" / "images" / "obj_010.jpg")
    result = client.detect_objects(frame_from_rgb(rgb), objects_pb2.ObjectsConfig(input_size=INPUT_SIZE))
    assert len(result.detections) >= 3
    return rgb, result


@pytest.mark.parametrize("name, rotation, mirrored, bottom_up", ORIENTATIONS, ids=[o[0] for o in ORIENTATIONS])
def test_boxes_follow_orientation(client, upright_result, name, rotation, mirrored, bottom_up):
    rgb, expected = upright_result
    displayed = rgb[:, ::-1] if mirrored else rgb
    # The server rotates the displayed image clockwise, so send it rotated counter-clockwise.
    turns = {common_pb2.ROTATION_90: 1, common_pb2.ROTATION_180: 2, common_pb2.ROTATION_270: 3}.get(rotation, 0)
    displayed = np.rot90(displayed, turns)
    frame = frame_from_rgb(np.ascontiguousarray(displayed), rotation=rotation, mirrored=mirrored)
    if bottom_up:
        frame.data = np.ascontiguousarray(displayed[::-1]).tobytes()
        frame.row_order = common_pb2.ROW_ORDER_BOTTOM_UP
    result = client.detect_objects(frame, objects_pb2.ObjectsConfig(input_size=INPUT_SIZE))

    assert (result.frame.width, result.frame.height) == (displayed.shape[1], displayed.shape[0])
    assert [d.label for d in result.detections] == [d.label for d in expected.detections]
    for got, want in zip(result.detections, expected.detections):
        mapped = _display_to_original(got.box, rotation, mirrored)
        assert iou(mapped, box_tuple(want.box)) >= MIN_ORIENTATION_IOU, f"{got.label}: {mapped} vs {box_tuple(want.box)}"


def test_track_objects_keeps_ids(client, data_dir):
    rgb = read_rgb(data_dir / "objects" / "images" / "obj_010.jpg")
    shifted = np.zeros_like(rgb)
    shifted[:, 8:] = rgb[:, :-8]
    frames = [frame_from_rgb(image, encoding="jpeg", frame_id=index + 1) for index, image in enumerate([rgb, shifted, rgb])]
    config = objects_pb2.ObjectsConfig(
        input_size=INPUT_SIZE, score_threshold=0.25, class_allowlist=["cup", "knife", "dining table"]
    )
    # Send each frame only after the previous result, so latest-frame-wins drops none.
    answered: queue.Queue[None] = queue.Queue()

    def paced():
        for frame in frames:
            yield frame
            answered.get(timeout=60)

    results = []
    for result in client.track_objects(paced(), config, timeout_s=60):
        results.append(result)
        answered.put(None)
    assert [r.frame.frame_id for r in results] == [1, 2, 3]
    assert [r.frame.dropped_frames for r in results] == [0, 0, 0]
    first = {d.label: d.tracking_id for d in results[0].detections}
    assert set(first) >= {"cup", "dining table"}
    assert all(tracking_id > 0 for tracking_id in first.values())
    assert len(set(first.values())) == len(first)
    for later in results[1:]:
        ids = {d.label: d.tracking_id for d in later.detections}
        assert ids["cup"] == first["cup"]
        assert ids["dining table"] == first["dining table"]


def test_track_objects_requires_config_first(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_002.png")
    requests = iter([objects_pb2.TrackObjectsRequest(frame=frame)])
    with pytest.raises(grpc.RpcError) as raised:
        list(client.objects.TrackObjects(requests, timeout=30))
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def _expect_error(call, code: grpc.StatusCode, *fragments: str) -> str:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    assert raised.value.code() == code, raised.value.details()
    for fragment in fragments:
        assert fragment in raised.value.details()
    return raised.value.details()


def test_unknown_class_is_invalid_argument(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_002.png")
    config = objects_pb2.ObjectsConfig(class_allowlist=["cat", "unicorn"])
    _expect_error(lambda: client.detect_objects(frame, config), grpc.StatusCode.INVALID_ARGUMENT, "class_allowlist", "'unicorn'")


@pytest.mark.parametrize(
    "config, fragment",
    [
        (objects_pb2.ObjectsConfig(input_size=300), "input_size is 300"),
        (objects_pb2.ObjectsConfig(score_threshold=1.5), "score_threshold is 1.5"),
        (objects_pb2.ObjectsConfig(max_detections=5000), "max_detections is 5000"),
        (objects_pb2.ObjectsConfig(markers=objects_pb2.MarkerConfig(dictionaries=[99])), "dictionaries[0] is 99"),
        (objects_pb2.ObjectsConfig(markers=objects_pb2.MarkerConfig(marker_size_m=-0.1)), "marker_size_m is -0.1"),
        (objects_pb2.ObjectsConfig(disable_detector=True), "nothing to detect"),
    ],
    ids=["input_size", "score", "max_detections", "dictionary", "marker_size", "nothing"],
)
def test_bad_config_is_invalid_argument(client, data_dir, config, fragment):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_002.png")
    _expect_error(lambda: client.detect_objects(frame, config), grpc.StatusCode.INVALID_ARGUMENT, fragment)


def test_server_keeps_serving_after_errors(client, data_dir):
    frame = frame_from_file(data_dir / "objects" / "images" / "obj_002.png")
    with pytest.raises(grpc.RpcError):
        client.detect_objects(frame, objects_pb2.ObjectsConfig(class_allowlist=["unicorn"]))
    result = client.detect_objects(frame, objects_pb2.ObjectsConfig(input_size=INPUT_SIZE))
    assert "cat" in [d.label for d in result.detections]


def test_track_objects_bad_intrinsics_ends_stream(client, data_dir):
    good = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg", frame_id=1)
    bad = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg", frame_id=2)
    bad.intrinsics.CopyFrom(common_pb2.CameraIntrinsics(fx=450.0, fy=450.0, cx=320.0, cy=900.0))
    config = objects_pb2.ObjectsConfig(
        disable_detector=True,
        markers=objects_pb2.MarkerConfig(dictionaries=[objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250], marker_size_m=0.02),
    )
    answered: queue.Queue[None] = queue.Queue()

    def paced():
        yield good
        answered.get(timeout=60)
        yield bad
        answered.get(timeout=60)

    results = []
    with pytest.raises(grpc.RpcError) as raised:
        for result in client.track_objects(paced(), config, timeout_s=60):
            results.append(result)
            answered.put(None)
    answered.put(None)  # release the request generator, which waits after the bad frame
    assert [r.frame.frame_id for r in results] == [1]
    assert len(results[0].markers) == 17
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "principal point (320.0, 900.0)" in raised.value.details()
