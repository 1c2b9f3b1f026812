"""From a decoded frame to hands in the client's image: detection, mapping, ids, gestures."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vrperception.media.frames import DecodedFrame
from vrperception.models.hands import HandObservation, MediaPipeHands
from vrperception.runtime.hand_tracking import HandIdTracker


@dataclass(frozen=True)
class TrackedHand:
    """A hand mapped to the image as displayed.

    ``landmarks`` (21, 3): x, y normalised to the displayed image, z relative
    depth in units of the displayed image's width. ``world_landmarks`` (21, 3)
    metres in the upright camera view. ``box``: x_min, y_min, x_max, y_max.
    """

    tracking_id: int
    handedness: str
    handedness_score: float
    landmarks: np.ndarray
    world_landmarks: np.ndarray
    box: np.ndarray
    gesture: Any | None = None


@dataclass
class HandsFrameResult:
    hands: list[TrackedHand]
    events: list[Any] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class HandStreamState:
    """Per-stream tracking state; lives on the stream's worker thread only."""

    detector: MediaPipeHands
    ids: HandIdTracker = field(default_factory=HandIdTracker)
    events: Any | None = None


def to_display(hand: HandObservation, decoded: DecodedFrame, tracking_id: int) -> TrackedHand:
    """Map one upright-view hand to the displayed image."""
    orientation = decoded.orientation
    xy = orientation.normalized_to_display(hand.landmarks[:, :2])
    upright_width, _ = orientation.upright_size
    depth = hand.landmarks[:, 2] * upright_width / orientation.display_width
    landmarks = np.column_stack([xy, depth])
    box = np.concatenate([xy.min(axis=0), xy.max(axis=0)]).clip(0.0, 1.0)
    return TrackedHand(
        tracking_id=tracking_id,
        handedness=hand.handedness,
        handedness_score=hand.handedness_score,
        landmarks=landmarks,
        world_landmarks=hand.world_landmarks,
        box=box,
    )


def analyse_frame(
    detector: MediaPipeHands,
    decoded: DecodedFrame,
    *,
    gestures: Any | None = None,
    state: HandStreamState | None = None,
) -> HandsFrameResult:
    """Detect hands on ``decoded`` and, for a stream, assign ids and derive events."""
    started = time.perf_counter()
    observations = detector.detect(decoded.image)
    inferred = time.perf_counter()
    if state is not None:
        ids = state.ids.update([(h.handedness, h.landmarks) for h in observations])
    else:
        ids = [0] * len(observations)
    hands = [to_display(hand, decoded, tracking_id) for hand, tracking_id in zip(observations, ids)]

    if gestures is not None:
        hands = [_with_gesture(hand, obs, gestures, decoded) for hand, obs in zip(hands, observations)]

    events: list[Any] = []
    if state is not None and state.events is not None:
        events = state.events.update(
            [
                (
                    h.tracking_id,
                    h.handedness,
                    h.gesture.name if h.gesture is not None else None,
                    h.gesture.score if h.gesture is not None else 0.0,
                    h.gesture.pinch_strength if h.gesture is not None else 0.0,
                )
                for h in hands
            ]
        )

    finished = time.perf_counter()
    timings = {
        "decode": decoded.decode_ms,
        "inference": (inferred - started) * 1000.0,
        "postprocess": (finished - inferred) * 1000.0,
    }
    return HandsFrameResult(hands, events, timings)


def _with_gesture(hand: TrackedHand, observation: HandObservation, gestures: Any, decoded: DecodedFrame) -> TrackedHand:
    width, height = decoded.orientation.upright_size
    pixels = observation.landmarks * np.array([width, height, width], dtype=np.float64)
    prediction = gestures.classify(pixels, observation.world_landmarks, observation.handedness)
    return TrackedHand(**{**hand.__dict__, "gesture": prediction})
