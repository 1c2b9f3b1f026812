"""Gestures through the real server: DetectHands, TrackHands events and a user-trained model."""

from __future__ import annotations

import numpy as np

from conftest import start_server
from hand_helpers import lockstep
from vrperception.api.v1 import hands_pb2
from vrperception.cli.main import main as cli_main
from vrperception.client import PerceptionClient, frame_from_file, frame_from_rgb, read_rgb
from vrperception.models.gesture_samples import read_samples
from vrperception.models.gestures import GestureClassifier

THUMBS_UP = "hands/images/hand_008.jpg"
# Two photos with hand shapes that are no builtin gesture (ASL digits 3 and 4).
USER_PHOTOS = {"three": "hands/images/hand_017.jpg", "four": "hands/images/hand_018.jpg"}
OPEN_PALM = "hands/images/hand_013.jpg"
# Small enough to train in a few seconds; the shipped model uses 8000 and 40.
USER_SAMPLES_PER_CLASS = 400
USER_EPOCHS = 12


def test_detect_hands_returns_thumb_up(client, data_dir):
    result = client.detect_hands(frame_from_file(data_dir / THUMBS_UP))
    assert len(result.hands) == 1
    hand = result.hands[0]
    assert hand.gesture.type == hands_pb2.GESTURE_TYPE_THUMB_UP
    assert hand.gesture.name == "thumb_up"
    assert hand.gesture.score > 0.5
    assert len(hand.gesture.alternatives) == 3
    assert all(candidate.score <= hand.gesture.score for candidate in hand.gesture.alternatives)
    assert hand.grab_strength > 0.8
    assert hand.pinch_strength < 0.2


def test_disabled_gestures_leave_gesture_empty(client, data_dir):
    config = hands_pb2.HandsConfig(disable_gestures=True)
    result = client.detect_hands(frame_from_file(data_dir / THUMBS_UP), config)
    assert len(result.hands) == 1
    assert result.hands[0].gesture.type == hands_pb2.GESTURE_TYPE_UNSPECIFIED
    assert result.hands[0].gesture.name == ""


def test_handshake_describes_gesture_model(client):
    response = client.handshake()
    models = [model for model in response.models if model.name == "vrperception-gestures"]
    assert len(models) == 1
    assert models[0].sha256 == GestureClassifier.load().sha256


def test_track_hands_gesture_events(client, data_dir):
    rgb = read_rgb(data_dir / THUMBS_UP)
    frames = [frame_from_rgb(rgb, frame_id=i) for i in range(5)]
    frames += [frame_from_rgb(np.zeros_like(rgb), frame_id=5 + i) for i in range(4)]
    events = []
    for result in lockstep(client, frames, hands_pb2.HandsConfig()):
        events += [(result.frame.frame_id, event) for event in result.events]
    kinds = [(frame_id, event.type, event.gesture_name) for frame_id, event in events]
    assert kinds == [
        (1, hands_pb2.HAND_EVENT_TYPE_HAND_FOUND, ""),
        (2, hands_pb2.HAND_EVENT_TYPE_GESTURE_BEGAN, "thumb_up"),
        (7, hands_pb2.HAND_EVENT_TYPE_GESTURE_ENDED, "thumb_up"),
        (7, hands_pb2.HAND_EVENT_TYPE_HAND_LOST, ""),
    ]
    assert len({event.tracking_id for _, event in events}) == 1
    assert events[1][1].gesture == hands_pb2.GESTURE_TYPE_THUMB_UP


def test_user_gestures_record_train_serve(tmp_path, data_dir):
    samples = tmp_path / "samples.jsonl"
    for label, photo in USER_PHOTOS.items():
        assert cli_main(["gestures", "record", "--label", label, str(data_dir / photo), "--out", str(samples)]) == 0
    recorded = read_samples([samples])
    assert sorted(sample.label for sample in recorded) == ["four", "three"]

    model = tmp_path / "user.pt"
    arguments = ["gestures", "train", str(samples), "--out", str(model)]
    arguments += ["--samples-per-class", str(USER_SAMPLES_PER_CLASS), "--epochs", str(USER_EPOCHS)]
    assert cli_main(arguments) == 0
    classifier = GestureClassifier.load(model)
    assert classifier.output_names[-2:] == ["four", "three"]
    for sample in recorded:
        prediction = classifier.classify(sample.landmarks_px, None, sample.handedness)
        assert prediction.name == sample.label
        assert prediction.builtin is None

    process = start_server(config={"gestures": {"model_path": str(model)}})
    try:
        with PerceptionClient(process.address) as user_client:
            three = user_client.detect_hands(frame_from_file(data_dir / USER_PHOTOS["three"])).hands[0]
            palm = user_client.detect_hands(frame_from_file(data_dir / OPEN_PALM)).hands[0]
    finally:
        process.stop()
    assert three.gesture.type == hands_pb2.GESTURE_TYPE_CUSTOM
    assert three.gesture.name == "three"
    assert palm.gesture.type == hands_pb2.GESTURE_TYPE_OPEN_PALM


def test_bad_gesture_checkpoint_stops_startup_cleanly(tmp_path):
    import subprocess
    import sys

    bogus = tmp_path / "not_a_model.pt"
    bogus.write_text('{"label": "three"}\n')
    config = tmp_path / "config.yaml"
    config.write_text(f"gestures:\n  model_path: {bogus}\n")
    completed = subprocess.run(
        [sys.executable, "-m", "vrperception.cli.main", "serve", "--port", "0", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert "server failed to start" in completed.stderr
    assert "is not a gesture checkpoint" in completed.stderr
    assert "Traceback" not in completed.stderr
