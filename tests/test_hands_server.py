"""Hand tracking through the real server on the labelled photos and the ASL video."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hand_helpers import landmarks_px, lockstep, match_error_px, raw_frame, reference_hands
from vrperception.api.v1 import common_pb2, hands_pb2
from vrperception.client import frame_from_file, frame_from_rgb, read_rgb

# Static MediaPipe alone finds the right hand count on 18 of the 21 labelled
# photos; the server's padded retry brings it to 20 (measured with
# scripts/benchmark_hands.py --accuracy). The one miss is a close-up whose
# palm is cut by the frame edge.
MIN_CORRECT_COUNTS = 20
# The references are MediaPipe's own outputs kept by upstream tests, which
# allowed 20-26 px; mean errors measured here are under 6 px.
MAX_MEAN_LANDMARK_ERROR_PX = 12.0
# Landmarks of the same photo sent in another orientation, mapped back, in px.
MAX_ORIENTATION_DELTA_PX = 6.0


@pytest.fixture(scope="module")
def labelled_results(client, hand_labels, data_dir):
    results = {}
    for entry in hand_labels:
        results[entry["file"]] = client.detect_hands(frame_from_file(data_dir / entry["file"]))
    return results


def test_hand_counts_match_labels(labelled_results, hand_labels):
    wrong = {e["file"]: (len(labelled_results[e["file"]].hands), e["num_hands"]) for e in hand_labels
             if len(labelled_results[e["file"]].hands) != e["num_hands"]}
    correct = len(hand_labels) - len(wrong)
    assert correct >= MIN_CORRECT_COUNTS, f"found/expected per wrong photo: {wrong}"


def test_photos_without_hands_give_none(labelled_results, hand_labels):
    empty = [e["file"] for e in hand_labels if e["num_hands"] == 0]
    assert empty, "labels.json lists no photo without hands"
    for name in empty:
        assert len(labelled_results[name].hands) == 0, name


@pytest.mark.parametrize("image", ["hand_001", "hand_002", "hand_003", "hand_004", "hand_005", "hand_006", "hand_007"])
def test_landmarks_match_reference(client, data_dir, image):
    path = data_dir / "hands" / "images" / f"{image}.jpg"
    result = client.detect_hands(frame_from_file(path))
    width, height = result.frame.width, result.frame.height
    found = [landmarks_px(hand, width, height) for hand in result.hands]
    errors = match_error_px(found, reference_hands(data_dir, image))
    assert max(errors) <= MAX_MEAN_LANDMARK_ERROR_PX, errors


def test_two_left_hands_are_left(labelled_results):
    result = labelled_results["hands/images/hand_001.jpg"]
    assert len(result.hands) == 2
    for hand in result.hands:
        assert hand.handedness == hands_pb2.HANDEDNESS_LEFT
        assert hand.handedness_score > 0.5


@pytest.mark.parametrize("image", ["hand_002", "hand_003", "hand_004", "hand_005", "hand_006", "hand_007"])
def test_right_hand_facing_camera_is_right(labelled_results, image):
    hands = labelled_results[f"hands/images/{image}.jpg"].hands
    assert len(hands) == 1
    assert hands[0].handedness == hands_pb2.HANDEDNESS_RIGHT


def test_result_fields(client, data_dir):
    frame = frame_from_file(data_dir / "hands" / "images" / "hand_008.jpg", frame_id=77, capture_time_us=123456)
    result = client.detect_hands(frame)
    assert result.frame.frame_id == 77
    assert result.frame.capture_time_us == 123456
    assert (result.frame.width, result.frame.height) == (640, 521)
    hand = result.hands[0]
    assert len(hand.landmarks) == 21
    assert len(hand.world_landmarks) == 21
    spread_m = np.ptp(np.array([[p.x, p.y, p.z] for p in hand.world_landmarks]), axis=0).max()
    assert 0.05 < spread_m < 0.3, "a hand spans 5-30 cm"
    box = hand.bounding_box
    assert 0.0 <= box.x_min < box.x_max <= 1.0 and 0.0 <= box.y_min < box.y_max <= 1.0
    assert result.timings.total_ms >= result.timings.inference_ms > 0.0
    assert result.timings.decode_ms > 0.0


def _rotate_points_back(points: np.ndarray, rotation: int) -> np.ndarray:
    """Map normalised points of an image rotated by ``rotation`` back to the original photo."""
    x, y = points[:, 0], points[:, 1]
    if rotation == common_pb2.ROTATION_90:
        # The sent image is the photo rotated 90 degrees counter-clockwise.
        return np.column_stack([1.0 - y, x])
    if rotation == common_pb2.ROTATION_180:
        return np.column_stack([1.0 - x, 1.0 - y])
    if rotation == common_pb2.ROTATION_270:
        return np.column_stack([y, 1.0 - x])
    return points


_SENT_ROTATION = {
    common_pb2.ROTATION_90: cv2.ROTATE_90_COUNTERCLOCKWISE,
    common_pb2.ROTATION_180: cv2.ROTATE_180,
    common_pb2.ROTATION_270: cv2.ROTATE_90_CLOCKWISE,
}


def _sorted_hands(result: hands_pb2.HandsResult, transform) -> list[tuple[int, np.ndarray]]:
    hands = [(h.handedness, transform(np.array([[p.x, p.y] for p in h.landmarks]))) for h in result.hands]
    return sorted(hands, key=lambda item: item[1][0, 0])


@pytest.mark.parametrize("image", ["hand_001.jpg", "hand_008.jpg"])
@pytest.mark.parametrize(
    "variant", ["bottom_up", "rotation_90", "rotation_180", "rotation_270", "mirrored", "mirrored_rotation_90"]
)
def test_orientation_gives_same_landmarks(client, data_dir, image, variant):
    rgb = read_rgb(data_dir / "hands" / "images" / image)
    height, width = rgb.shape[:2]
    baseline = _sorted_hands(client.detect_hands(frame_from_rgb(rgb)), lambda p: p)
    sent = rgb
    rotation = common_pb2.ROTATION_0
    mirrored = variant.startswith("mirrored")
    if mirrored:
        sent = cv2.flip(sent, 1)
    if "rotation" in variant:
        rotation = common_pb2.Rotation.Value(variant[variant.index("rotation"):].upper())
        sent = cv2.rotate(sent, _SENT_ROTATION[rotation])
    frame = raw_frame(sent, common_pb2.IMAGE_ENCODING_RAW_RGB8, bottom_up=variant == "bottom_up")
    frame.rotation = rotation
    frame.mirrored = mirrored

    def back_to_photo(points: np.ndarray) -> np.ndarray:
        points = _rotate_points_back(points, rotation)
        if mirrored:
            points = np.column_stack([1.0 - points[:, 0], points[:, 1]])
        return points

    result = client.detect_hands(frame)
    expected_size = (height, width) if rotation in (common_pb2.ROTATION_90, common_pb2.ROTATION_270) else (width, height)
    assert (result.frame.width, result.frame.height) == expected_size
    variant_hands = _sorted_hands(result, back_to_photo)
    assert len(variant_hands) == len(baseline)
    for (side, points), (base_side, base_points) in zip(variant_hands, baseline):
        assert side == base_side
        delta_px = np.abs((points - base_points) * np.array([width, height])).max()
        assert delta_px <= MAX_ORIENTATION_DELTA_PX, f"{variant}: {delta_px:.1f} px"


def test_every_raw_encoding_finds_the_hand(client, data_dir):
    rgb = read_rgb(data_dir / "hands" / "images" / "hand_008.jpg")
    baseline = client.detect_hands(frame_from_rgb(rgb)).hands[0]
    encodings = [
        common_pb2.IMAGE_ENCODING_RAW_RGBA8,
        common_pb2.IMAGE_ENCODING_RAW_BGRA8,
        common_pb2.IMAGE_ENCODING_RAW_GRAY8,
    ]
    for encoding in encodings:
        result = client.detect_hands(raw_frame(rgb, encoding, pad=12))
        assert len(result.hands) == 1, common_pb2.ImageEncoding.Name(encoding)
        wrist = result.hands[0].landmarks[0]
        assert abs(wrist.x - baseline.landmarks[0].x) < 0.02
        assert abs(wrist.y - baseline.landmarks[0].y) < 0.02
    for encoding in ("png", "jpeg"):
        result = client.detect_hands(frame_from_rgb(rgb, encoding=encoding))
        assert len(result.hands) == 1, encoding


def _video_frames(data_dir, step: int, limit: int):
    capture = cv2.VideoCapture(str(data_dir / "hands" / "video" / "asl_hand.25fps.mp4"))
    index = 0
    frames = []
    while len(frames) < limit:
        ok, bgr = capture.read()
        if not ok:
            break
        if index % step == 0:
            ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 90])
            frames.append(common_pb2.ImageFrame(encoding=common_pb2.IMAGE_ENCODING_JPEG, data=jpeg.tobytes(), frame_id=index))
        index += 1
    capture.release()
    return frames


def test_video_keeps_one_tracking_id(client, data_dir):
    frames = _video_frames(data_dir, step=3, limit=60)
    assert len(frames) == 60
    results = list(lockstep(client, frames, hands_pb2.HandsConfig(max_hands=1)))
    assert len(results) == len(frames)
    ids = {hand.tracking_id for result in results for hand in result.hands}
    with_hand = sum(1 for result in results if result.hands)
    assert with_hand >= 0.95 * len(results)
    assert ids and 0 not in ids
    assert len(ids) == 1, f"tracking ids seen: {sorted(ids)}"
    assert [r.frame.frame_id for r in results] == sorted(r.frame.frame_id for r in results)


def test_video_landmarks_follow_reference(client, data_dir):
    import json

    reference = json.loads((data_dir / "hands" / "video" / "asl_hand.full.json").read_text())
    frames = _video_frames(data_dir, step=25, limit=13)
    results = list(lockstep(client, frames, hands_pb2.HandsConfig(max_hands=1)))
    errors = []
    for result in results:
        if not result.hands:
            continue
        found = landmarks_px(result.hands[0], result.frame.width, result.frame.height)
        expected = np.array(reference[result.frame.frame_id])[:, :2]
        errors.append(float(np.linalg.norm(found - expected, axis=1).mean()))
    assert len(errors) >= 0.8 * len(frames)
    assert np.median(errors) <= MAX_MEAN_LANDMARK_ERROR_PX, errors
