"""Debounced hand events for one stream: hands found and lost, gestures, pinches.

Each state change needs several consecutive frames of evidence, and entering
a state needs stronger evidence than staying in it (hysteresis), so a single
noisy frame never starts or ends a gesture, a pinch or a hand. One tracker
serves one stream; it is not thread-safe and needs no lock when the stream's
frames run on one worker thread.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)


class HandEventType(enum.Enum):
    """Event kinds; the names match the proto's HandEventType without its prefix."""

    HAND_FOUND = "HAND_FOUND"
    HAND_LOST = "HAND_LOST"
    GESTURE_BEGAN = "GESTURE_BEGAN"
    GESTURE_ENDED = "GESTURE_ENDED"
    PINCH_STARTED = "PINCH_STARTED"
    PINCH_ENDED = "PINCH_ENDED"


@dataclass(frozen=True)
class HandEventDomain:
    """One event; ``gesture`` is the gesture name for GESTURE_* events, else None."""

    type: HandEventType
    tracking_id: int
    handedness: str
    gesture: str | None = None


@dataclass(frozen=True)
class EventThresholds:
    """Frame counts and score thresholds of the state machines.

    ``lost_frames`` should not exceed the number of frames for which the
    stream's id tracker keeps an unseen hand's id (3 in
    ``runtime.hand_tracking``), or a returning hand gets a new id first.
    """

    # Consecutive frames a new tracking id must be seen before HAND_FOUND.
    found_frames: int = 2
    # Consecutive frames a found hand must be missing before HAND_LOST.
    lost_frames: int = 3
    # A gesture begins after enter_frames consecutive frames with that top
    # gesture at score >= enter_score; it ends after exit_frames consecutive
    # frames whose top gesture is another one or scores < exit_score.
    gesture_enter_score: float = 0.6
    gesture_exit_score: float = 0.4
    gesture_enter_frames: int = 3
    gesture_exit_frames: int = 3
    # A pinch starts after press_frames frames with strength >= press and
    # ends after release_frames frames with strength < release.
    pinch_press: float = 0.8
    pinch_release: float = 0.6
    pinch_press_frames: int = 2
    pinch_release_frames: int = 2

    def __post_init__(self) -> None:
        if not 0.0 <= self.gesture_exit_score <= self.gesture_enter_score <= 1.0:
            raise ValueError(
                "gesture scores need 0 <= exit <= enter <= 1, got "
                f"exit {self.gesture_exit_score} and enter {self.gesture_enter_score}"
            )
        if not 0.0 <= self.pinch_release <= self.pinch_press <= 1.0:
            raise ValueError(
                f"pinch thresholds need 0 <= release <= press <= 1, got "
                f"release {self.pinch_release} and press {self.pinch_press}"
            )
        counts = {
            "found_frames": self.found_frames,
            "lost_frames": self.lost_frames,
            "gesture_enter_frames": self.gesture_enter_frames,
            "gesture_exit_frames": self.gesture_exit_frames,
            "pinch_press_frames": self.pinch_press_frames,
            "pinch_release_frames": self.pinch_release_frames,
        }
        for name, value in counts.items():
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")


# (tracking_id, handedness, gesture_name or None, gesture_score, pinch_strength)
FrameHand = tuple[int, str, "str | None", float, float]


@dataclass
class _HandState:
    handedness: str
    found: bool = False
    seen_streak: int = 0
    missing_streak: int = 0
    gesture: str | None = None
    candidate: str | None = None
    candidate_streak: int = 0
    gesture_miss_streak: int = 0
    pinched: bool = False
    pinch_flip_streak: int = 0


class HandEventTracker:
    """Turn per-frame hand observations of one stream into debounced events."""

    def __init__(self, thresholds: EventThresholds | None = None):
        self.thresholds = thresholds or EventThresholds()
        self._hands: dict[int, _HandState] = {}

    def update(self, frame_hands: list[FrameHand]) -> list[HandEventDomain]:
        """Feed one frame; returns the events it triggers, in order.

        ``frame_hands``: one tuple per hand (tracking_id, handedness
        "left"/"right", top gesture name or None when not classified, its
        score in [0, 1], pinch strength in [0, 1]). Hands of earlier frames
        missing here count as not seen in this frame.
        """
        ids = [int(hand[0]) for hand in frame_hands]
        if len(set(ids)) != len(ids):
            raise ValueError(f"tracking ids must be unique within a frame, got {ids}")
        events: list[HandEventDomain] = []
        for tracking_id, handedness, gesture, score, pinch in frame_hands:
            state = self._hands.setdefault(int(tracking_id), _HandState(handedness))
            state.handedness = handedness
            events += self._seen(int(tracking_id), state, gesture, float(score), float(pinch))
        for tracking_id in sorted(set(self._hands) - set(ids)):
            events += self._missing(tracking_id, self._hands[tracking_id])
        return events

    def finish(self) -> list[HandEventDomain]:
        """End the stream: close every active gesture and pinch and lose every found hand."""
        events: list[HandEventDomain] = []
        for tracking_id in sorted(self._hands):
            state = self._hands[tracking_id]
            if state.found:
                events += self._lose(tracking_id, state)
        self._hands.clear()
        return events

    def _seen(
        self, tracking_id: int, state: _HandState, gesture: str | None, score: float, pinch: float
    ) -> list[HandEventDomain]:
        events: list[HandEventDomain] = []
        state.missing_streak = 0
        state.seen_streak += 1
        if not state.found and state.seen_streak >= self.thresholds.found_frames:
            state.found = True
            events.append(HandEventDomain(HandEventType.HAND_FOUND, tracking_id, state.handedness))
            logger.debug("hand %d found", tracking_id)
        events += self._update_gesture(tracking_id, state, gesture, score)
        events += self._update_pinch(tracking_id, state, pinch)
        return events

    def _missing(self, tracking_id: int, state: _HandState) -> list[HandEventDomain]:
        state.seen_streak = 0
        state.missing_streak += 1
        if state.missing_streak < self.thresholds.lost_frames:
            return []
        del self._hands[tracking_id]
        return self._lose(tracking_id, state) if state.found else []

    def _lose(self, tracking_id: int, state: _HandState) -> list[HandEventDomain]:
        events = []
        if state.gesture is not None:
            events.append(_gesture_event(HandEventType.GESTURE_ENDED, tracking_id, state, state.gesture))
        if state.pinched:
            events.append(HandEventDomain(HandEventType.PINCH_ENDED, tracking_id, state.handedness))
        events.append(HandEventDomain(HandEventType.HAND_LOST, tracking_id, state.handedness))
        logger.debug("hand %d lost", tracking_id)
        return events

    def _update_gesture(
        self, tracking_id: int, state: _HandState, gesture: str | None, score: float
    ) -> list[HandEventDomain]:
        limits = self.thresholds
        qualifies = gesture is not None and gesture != "none" and score >= limits.gesture_enter_score
        if not qualifies:
            state.candidate, state.candidate_streak = None, 0
        elif gesture == state.candidate:
            state.candidate_streak += 1
        else:
            state.candidate, state.candidate_streak = gesture, 1

        events = []
        if state.gesture is not None:
            still_shown = gesture == state.gesture and score >= limits.gesture_exit_score
            state.gesture_miss_streak = 0 if still_shown else state.gesture_miss_streak + 1
            if state.gesture_miss_streak >= limits.gesture_exit_frames:
                events.append(_gesture_event(HandEventType.GESTURE_ENDED, tracking_id, state, state.gesture))
                state.gesture, state.gesture_miss_streak = None, 0
        ready = state.candidate is not None and state.candidate_streak >= limits.gesture_enter_frames
        if state.found and state.gesture is None and ready:
            state.gesture = state.candidate
            events.append(_gesture_event(HandEventType.GESTURE_BEGAN, tracking_id, state, state.gesture))
        return events

    def _update_pinch(self, tracking_id: int, state: _HandState, pinch: float) -> list[HandEventDomain]:
        limits = self.thresholds
        if state.pinched:
            flips, needed = pinch < limits.pinch_release, limits.pinch_release_frames
        else:
            flips, needed = pinch >= limits.pinch_press, limits.pinch_press_frames
        state.pinch_flip_streak = state.pinch_flip_streak + 1 if flips else 0
        if not state.found or state.pinch_flip_streak < needed:
            return []
        state.pinched = not state.pinched
        state.pinch_flip_streak = 0
        kind = HandEventType.PINCH_STARTED if state.pinched else HandEventType.PINCH_ENDED
        return [HandEventDomain(kind, tracking_id, state.handedness)]


def _gesture_event(kind: HandEventType, tracking_id: int, state: _HandState, gesture: str) -> HandEventDomain:
    return HandEventDomain(kind, tracking_id, state.handedness, gesture)
