"""Pinch strength on the labelled photos: fists read open, pinch and OK signs read closed."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vrperception.models.gesture_features import pinch_strength
from vrperception.models.hands import HandOptions, MediaPipeHands

FISTS = ("hand_002.jpg", "hand_006.jpg", "hand_007.jpg")
THUMB_INDEX_CLOSED = ("hand_014.jpg", "hand_021.jpg", "hand_022.jpg")


@pytest.fixture(scope="module")
def detector():
    graph = MediaPipeHands(HandOptions(max_hands=1), static=True)
    yield graph
    graph.close()


def _pinch(detector, data_dir, name: str) -> float:
    rgb = cv2.cvtColor(cv2.imread(str(data_dir / "hands" / "images" / name)), cv2.COLOR_BGR2RGB)
    hands = detector.detect(rgb)
    assert len(hands) == 1, name
    height, width = rgb.shape[:2]
    return float(pinch_strength(hands[0].landmarks * np.array([width, height, width]))[0])


@pytest.mark.parametrize("name", FISTS)
def test_fist_is_not_a_pinch(detector, data_dir, name):
    assert _pinch(detector, data_dir, name) < 0.2


@pytest.mark.parametrize("name", THUMB_INDEX_CLOSED)
def test_touching_tips_are_a_pinch(detector, data_dir, name):
    assert _pinch(detector, data_dir, name) > 0.8
