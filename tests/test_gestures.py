"""Gesture classifier: accuracy on real photos, invariances, checkpoints, training, user flow."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vrperception.errors import FailedPrecondition
from vrperception.models import gesture_eval
from vrperception.models.gesture_features import extract_features
from vrperception.models.gesture_rules import classify_by_rules
from vrperception.models.gesture_training import TrainingConfig, train_builtin
from vrperception.models.gestures import DEFAULT_CHECKPOINT, GestureClassifier

# Accuracy over the hands MediaPipe finds in the labelled photos (17 of 20
# with static mode, complexity 1). scripts/evaluate_gestures.py measures
# 15/17 for the shipped checkpoint and 9/17 for the rule baseline. Training
# seeds 1, 2, 3 and 7 with the shipped settings gave 15 or 16 of 17, so a
# correct retraining should still reach the floor of 14/17.
MIN_DETECTED_ACCURACY = 14 / 17
# The baseline must stay clearly below the floor, or the comparison means
# nothing: it measures 9/17.
MAX_BASELINE_ACCURACY = 11 / 17
TINY = TrainingConfig(seed=3, samples_per_class=20, epochs=2)


@pytest.fixture(scope="module")
def classifier() -> GestureClassifier:
    return GestureClassifier.load()


@pytest.fixture(scope="module")
def photos(data_dir) -> gesture_eval.LabelledPhotos:
    return gesture_eval.detect_labelled_hands(data_dir)


@pytest.fixture(scope="module")
def detected(photos) -> list[gesture_eval.LabelledHand]:
    return [hand for hand in photos.hands if hand.pixels is not None]


def test_photos_found_by_mediapipe(photos, detected):
    assert len(photos.hands) == 20
    assert len(detected) == 17
    assert photos.false_detections == 0


def test_accuracy_beats_rule_baseline(classifier, photos):
    model = gesture_eval.score(photos.hands, lambda hand: classifier.classify(hand.pixels, None, hand.handedness).name)
    rules = gesture_eval.score(photos.hands, lambda hand: classify_by_rules(hand.pixels))
    assert model.detected_accuracy >= MIN_DETECTED_ACCURACY, gesture_eval.format_confusion(model)
    assert rules.detected_accuracy <= MAX_BASELINE_ACCURACY, gesture_eval.format_confusion(rules)
    assert model.correct > rules.correct


def test_thumbs_up_photo(classifier, detected):
    hand = next(hand for hand in detected if hand.file.endswith("hand_008.jpg"))
    prediction = classifier.classify(hand.pixels, None, hand.handedness)
    assert prediction.name == "thumb_up"
    assert prediction.builtin == "thumb_up"
    assert prediction.score > 0.5
    assert prediction.grab_strength > 0.8


def test_strengths_on_photos(classifier, detected):
    by_file = {hand.file.rsplit("/", 1)[1]: hand for hand in detected}
    open_palm = by_file["hand_013.jpg"]
    ok_sign = by_file["hand_021.jpg"]
    open_prediction = classifier.classify(open_palm.pixels, None, open_palm.handedness)
    ok_prediction = classifier.classify(ok_sign.pixels, None, ok_sign.handedness)
    assert open_prediction.grab_strength < 0.2
    assert open_prediction.pinch_strength < 0.2
    assert ok_prediction.pinch_strength > 0.8


def _rotate(pixels: np.ndarray, degrees: float, centre: np.ndarray) -> np.ndarray:
    angle = np.radians(degrees)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    moved = pixels.copy()
    moved[:, :2] = (pixels[:, :2] - centre) @ rotation.T + centre
    return moved


def _transformed(pixels: np.ndarray, handedness: str, degrees: float) -> list[tuple[str, np.ndarray, str]]:
    centre = pixels[:, :2].mean(axis=0)
    mirrored = pixels.copy()
    mirrored[:, 0] = 1000.0 - mirrored[:, 0]
    swapped = "left" if handedness == "right" else "right"
    return [
        ("rotated", _rotate(pixels, degrees, centre), handedness),
        ("scaled", pixels * 2.5, handedness),
        ("translated", pixels + np.array([321.0, -45.0, 0.0]), handedness),
        ("mirrored", mirrored, swapped),
        ("all", _rotate(mirrored, -degrees, centre) * 0.4 + np.array([10.0, 20.0, 0.0]), swapped),
    ]


def test_invariant_to_rotation_scale_translation_mirror(classifier, detected):
    for hand in detected:
        reference = classifier.classify(hand.pixels, None, hand.handedness)
        # The thumb's direction in the image separates thumb_up from
        # thumb_down, so thumb poses turn by less than the 25 degree dead zone.
        degrees = 15.0 if reference.name.startswith("thumb_") else 137.0
        for kind, pixels, handedness in _transformed(hand.pixels, hand.handedness, degrees):
            prediction = classifier.classify(pixels, None, handedness)
            assert prediction.name == reference.name, f"{hand.file} {kind}"
            # The small "thumb" probability joins thumb_up, thumb_down or none
            # by the thumb's direction, so a rotation may move it between them.
            assert prediction.score == pytest.approx(reference.score, abs=0.05), f"{hand.file} {kind}"
            assert prediction.pinch_strength == pytest.approx(reference.pinch_strength, abs=1e-6)
            assert prediction.grab_strength == pytest.approx(reference.grab_strength, abs=1e-6)


def test_features_exactly_invariant(detected):
    for hand in detected:
        is_left = hand.handedness == "left"
        reference = extract_features(hand.pixels, is_left)
        for kind, pixels, handedness in _transformed(hand.pixels, hand.handedness, 137.0):
            moved = extract_features(pixels, handedness == "left")
            np.testing.assert_allclose(moved, reference, atol=1e-4, err_msg=f"{hand.file} {kind}")


def test_thumb_turned_over_reads_down(classifier, detected):
    hand = next(hand for hand in detected if hand.file.endswith("hand_008.jpg"))
    turned = _rotate(hand.pixels, 180.0, hand.pixels[:, :2].mean(axis=0))
    assert classifier.classify(turned, None, hand.handedness).name == "thumb_down"


def test_normalised_input_matches_pixels(classifier, detected):
    hand = detected[0]
    size = (640, 480)
    normalised = hand.pixels / np.array([size[0], size[1], size[0]])
    from_pixels = classifier.classify(hand.pixels, None, hand.handedness)
    from_normalised = classifier.classify(normalised, None, hand.handedness, image_size=size)
    assert from_normalised.name == from_pixels.name
    assert from_normalised.score == pytest.approx(from_pixels.score, abs=1e-5)


def test_invalid_inputs_rejected(classifier, detected):
    with pytest.raises(ValueError, match="handedness"):
        classifier.classify(detected[0].pixels, None, "both")
    with pytest.raises(ValueError, match=r"shape \(21, 3\)"):
        classifier.classify(detected[0].pixels[:20], None, "left")
    broken = detected[0].pixels.copy()
    broken[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        classifier.classify(broken, None, "left")
    with pytest.raises(ValueError, match="2 hands but 1 handedness"):
        classifier.classify_batch(np.stack([detected[0].pixels] * 2), None, ["left"])


def test_default_checkpoint_description(classifier):
    description = classifier.description
    assert description["name"] == "vrperception-gestures"
    assert description["source"] == str(DEFAULT_CHECKPOINT)
    assert len(description["sha256"]) == 64
    assert "landmarks-v1" in description["version"]
    assert classifier.output_names[:10] == [
        "none", "closed_fist", "open_palm", "pointing_up", "thumb_down",
        "thumb_up", "victory", "i_love_you", "pinch", "ok",
    ]


def test_checkpoint_with_other_feature_version_rejected(tmp_path):
    checkpoint = torch.load(DEFAULT_CHECKPOINT, weights_only=True)
    checkpoint["feature_version"] = "landmarks-v0"
    path = tmp_path / "old.pt"
    torch.save(checkpoint, path)
    with pytest.raises(FailedPrecondition) as caught:
        GestureClassifier.load(path)
    message = str(caught.value)
    assert "'landmarks-v0'" in message
    assert "'landmarks-v1'" in message
    assert "retrain" in message
    assert caught.value.code == "FAILED_PRECONDITION"


def test_non_checkpoint_file_rejected(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"state_dict": {}}, path)
    with pytest.raises(FailedPrecondition, match="not a gesture checkpoint"):
        GestureClassifier.load(path)
    with pytest.raises(FailedPrecondition, match="not found"):
        GestureClassifier.load(tmp_path / "missing.pt")


def test_training_reproducible_with_seed():
    first, _ = train_builtin(TINY)
    second, _ = train_builtin(TINY)
    other, _ = train_builtin(TrainingConfig(seed=4, samples_per_class=20, epochs=2))
    assert first["state_dict"].keys() == second["state_dict"].keys()
    for key, value in first["state_dict"].items():
        assert torch.equal(value, second["state_dict"][key]), key
    weights = "layers.0.weight"
    assert not torch.equal(first["state_dict"][weights], other["state_dict"][weights])
    assert first["training"]["seed"] == 3
    assert first["feature_version"] == "landmarks-v1"
