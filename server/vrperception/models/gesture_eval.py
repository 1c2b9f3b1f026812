"""Evaluation of gesture classifiers on labelled hand photos.

The photos are read from ``<data>/hands/labels.json`` (one gesture label per
visible hand, in reading order). MediaPipe Hands (``mp.solutions.hands``,
static mode, model complexity 1) finds the landmarks on the upright photo.
Its handedness label is inverted, because MediaPipe assumes a mirrored
selfie image and these photos are unmirrored.

Matching detections to labels: detections are put in reading order by the
x of their landmark centroid (the multi-hand photos show hands side by
side). When MediaPipe finds as many hands as labelled, they pair in that
order. When it finds fewer, they pair in order only if all labels of the
photo are the same gesture, and the rest count as missed; otherwise every
hand of the photo counts as missed, because the pairing would be a guess.
Extra detections on a photo count as false detections.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

# Label vocabulary of labels.json mapped to the classifier's builtin names.
LABEL_TO_GESTURE = {
    "open_palm": "open_palm",
    "fist": "closed_fist",
    "pointing_up": "pointing_up",
    "thumbs_up": "thumb_up",
    "victory": "victory",
    "ok": "ok",
    "pinch": "pinch",
    "other": "none",
}
MISSED = "(missed)"
MIN_DETECTION_CONFIDENCE = 0.5
MODEL_COMPLEXITY = 1


@dataclass(frozen=True)
class LabelledHand:
    """One labelled hand; ``pixels`` (21, 3) upright pixels and ``handedness`` are None when missed."""

    file: str
    expected: str
    pixels: np.ndarray | None
    handedness: str | None


@dataclass
class LabelledPhotos:
    """Every labelled hand of the set, plus the count of detections without a label."""

    hands: list[LabelledHand]
    false_detections: int = 0
    photos: int = 0


@dataclass
class Score:
    """Accuracy of one classifier; ``confusion[expected][predicted]`` counts hands."""

    correct: int
    labelled: int
    detected: int
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        """Correct predictions over all labelled hands; a missed hand counts as wrong."""
        return self.correct / max(self.labelled, 1)

    @property
    def detected_accuracy(self) -> float:
        """Correct predictions over the hands MediaPipe found."""
        return self.correct / max(self.detected, 1)


def default_data_root(repo_root: Path) -> Path:
    """``<repo>/../shared/data``, or the VRPERCEPTION_DATA environment variable when set."""
    return Path(os.environ.get("VRPERCEPTION_DATA", repo_root.parent / "shared" / "data"))


def detect_labelled_hands(data_root: Path, server_detector: bool = False) -> LabelledPhotos:
    """Run MediaPipe on every photo of ``hands/labels.json`` and pair hands with labels.

    ``server_detector`` uses the server's ``MediaPipeHands`` instead, which
    retries photos without hands on padded copies.
    """
    import mediapipe as mp

    labels = json.loads((data_root / "hands" / "labels.json").read_text())
    result = LabelledPhotos(hands=[])
    if server_detector:
        from vrperception.models.hands import HandOptions, MediaPipeHands

        detector = MediaPipeHands(HandOptions(max_hands=2, model_complexity=MODEL_COMPLEXITY), static=True)
        detect, close = lambda rgb: _server_detections(detector.detect(rgb), rgb), detector.close
    else:
        hands = mp.solutions.hands.Hands(
            static_image_mode=True,
            max_num_hands=2,
            model_complexity=MODEL_COMPLEXITY,
            min_detection_confidence=MIN_DETECTION_CONFIDENCE,
        )
        detect, close = lambda rgb: _detections(hands.process(rgb), rgb), hands.close
    try:
        for entry in labels["images"]:
            path = data_root / entry["file"]
            bgr = cv2.imread(str(path))
            if bgr is None:
                raise FileNotFoundError(f"cannot read labelled photo {path}")
            detections = detect(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            expected = [LABEL_TO_GESTURE[label] for label in entry["gestures"]]
            paired, extra = _pair(entry["file"], expected, detections)
            result.hands.extend(paired)
            result.false_detections += extra
            result.photos += 1
    finally:
        close()
    return result


def _detections(output, rgb: np.ndarray) -> list[tuple[np.ndarray, str]]:
    if not output.multi_hand_landmarks:
        return []
    found = []
    for landmarks, handedness in zip(output.multi_hand_landmarks, output.multi_handedness):
        normalised = np.array([[p.x, p.y, p.z] for p in landmarks.landmark])
        # MediaPipe labels hands as seen in a mirror; these photos are not mirrored.
        person = "right" if handedness.classification[0].label == "Left" else "left"
        found.append((normalised * _pixel_scale(rgb), person))
    return sorted(found, key=lambda item: float(item[0][:, 0].mean()))


def _server_detections(observations: list, rgb: np.ndarray) -> list[tuple[np.ndarray, str]]:
    found = [(hand.landmarks * _pixel_scale(rgb), hand.handedness) for hand in observations]
    return sorted(found, key=lambda item: float(item[0][:, 0].mean()))


def _pixel_scale(rgb: np.ndarray) -> np.ndarray:
    height, width = rgb.shape[:2]
    return np.array([width, height, width], dtype=np.float64)


def _pair(
    file: str, expected: list[str], detections: list[tuple[np.ndarray, str]]
) -> tuple[list[LabelledHand], int]:
    extra = max(len(detections) - len(expected), 0)
    if len(detections) >= len(expected) or len(set(expected)) <= 1:
        paired = [
            LabelledHand(file, label, *detections[i]) if i < len(detections) else LabelledHand(file, label, None, None)
            for i, label in enumerate(expected)
        ]
        return paired, extra
    return [LabelledHand(file, label, None, None) for label in expected], extra


def score(hands: list[LabelledHand], classify: Callable[[LabelledHand], str]) -> Score:
    """Score ``classify`` (hand -> builtin name) on the detected hands."""
    result = Score(correct=0, labelled=len(hands), detected=0)
    for hand in hands:
        predicted = MISSED if hand.pixels is None else classify(hand)
        if hand.pixels is not None:
            result.detected += 1
        result.correct += int(predicted == hand.expected)
        row = result.confusion.setdefault(hand.expected, {})
        row[predicted] = row.get(predicted, 0) + 1
    return result


def format_confusion(result: Score) -> str:
    """Render the confusion matrix as a Markdown table (rows expected, columns predicted)."""
    columns = sorted({name for row in result.confusion.values() for name in row})
    lines = [
        "| expected \\ predicted | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for expected in sorted(result.confusion):
        row = result.confusion[expected]
        cells = [str(row.get(column, 0)) if row.get(column) else "." for column in columns]
        lines.append(f"| {expected} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
