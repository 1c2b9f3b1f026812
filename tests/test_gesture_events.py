"""Hysteresis of HandEventTracker on synthetic per-frame predictions."""

from __future__ import annotations

import pytest

from vrperception.runtime.hand_events import (
    EventThresholds,
    HandEventDomain,
    HandEventTracker,
    HandEventType,
)

FOUND = HandEventType.HAND_FOUND
LOST = HandEventType.HAND_LOST
BEGAN = HandEventType.GESTURE_BEGAN
ENDED = HandEventType.GESTURE_ENDED
PINCH_ON = HandEventType.PINCH_STARTED
PINCH_OFF = HandEventType.PINCH_ENDED


def _event(kind: HandEventType, gesture: str | None = None, tracking_id: int = 7) -> HandEventDomain:
    return HandEventDomain(kind, tracking_id, "right", gesture)


def _hand(gesture: str | None, score: float, pinch: float, tracking_id: int = 7) -> tuple:
    return (tracking_id, "right", gesture, score, pinch)


def test_glitches_give_exact_events():
    tracker = HandEventTracker()
    # Rows are (hands in the frame, events expected from that frame). With
    # the defaults a hand is found after 2 frames and lost after 3. Gestures
    # begin at score 0.6 for 3 frames and end after 3 frames below 0.4 or of
    # another gesture. Pinches start at 0.8 and end below 0.6, 2 frames each.
    frames = [
        ([_hand("thumb_up", 0.9, 0.1)], []),
        ([_hand("thumb_up", 0.9, 0.1)], [_event(FOUND)]),
        ([_hand("thumb_up", 0.9, 0.1)], [_event(BEGAN, "thumb_up")]),
        # One frame of another gesture: thumb_up stays.
        ([_hand("closed_fist", 0.95, 0.1)], []),
        # A weak score above the exit threshold keeps the gesture.
        ([_hand("thumb_up", 0.5, 0.1)], []),
        # One frame of pinch strength and a one-frame spurious hand: nothing.
        ([_hand("thumb_up", 0.9, 0.95), _hand("victory", 0.99, 0.0, tracking_id=8)], []),
        ([_hand("thumb_up", 0.9, 0.1)], []),
        ([_hand("none", 0.9, 0.1)], []),
        ([_hand("none", 0.9, 0.1)], []),
        ([_hand("none", 0.9, 0.1)], [_event(ENDED, "thumb_up")]),
        ([_hand("pinch", 0.9, 0.9)], []),
        ([_hand("pinch", 0.9, 0.9)], [_event(PINCH_ON)]),
        # Pinch strength dips below release for one frame: the pinch stays.
        ([_hand("pinch", 0.9, 0.5)], [_event(BEGAN, "pinch")]),
        ([_hand("pinch", 0.9, 0.9)], []),
        # The hand leaves: lost on the third missing frame, ending everything.
        ([], []),
        ([], []),
        ([], [_event(ENDED, "pinch"), _event(PINCH_OFF), _event(LOST)]),
        ([], []),
    ]
    for index, (hands, expected) in enumerate(frames):
        assert tracker.update(hands) == expected, f"frame {index}"


def test_low_scores_never_begin_gesture():
    tracker = HandEventTracker()
    events = []
    for _ in range(10):
        events += tracker.update([_hand("victory", 0.55, 0.0)])
    assert events == [_event(FOUND)]


def test_gesture_switch_ends_then_begins():
    tracker = HandEventTracker()
    events = []
    for _ in range(3):
        events += tracker.update([_hand("open_palm", 0.9, 0.0)])
    assert events == [_event(FOUND), _event(BEGAN, "open_palm")]
    switch = [tracker.update([_hand("closed_fist", 0.9, 0.0)]) for _ in range(3)]
    assert switch == [[], [], [_event(ENDED, "open_palm"), _event(BEGAN, "closed_fist")]]


def test_short_absence_keeps_hand():
    tracker = HandEventTracker()
    events = []
    for hands in ([_hand(None, 0.0, 0.0)],) * 2 + ([],) * 2 + ([_hand(None, 0.0, 0.0)],) * 2:
        events += tracker.update(hands)
    assert events == [_event(FOUND)]


def test_finish_ends_active_states():
    tracker = HandEventTracker()
    for _ in range(3):
        tracker.update([_hand("ok", 0.9, 0.9)])
    assert tracker.finish() == [_event(ENDED, "ok"), _event(PINCH_OFF), _event(LOST)]
    assert tracker.update([]) == []


def test_two_hands_keep_separate_states():
    tracker = HandEventTracker()
    left = (1, "left", "victory", 0.9, 0.0)
    right = (2, "right", "open_palm", 0.9, 0.0)
    events = []
    for _ in range(3):
        events += tracker.update([left, right])
    assert events == [
        HandEventDomain(FOUND, 1, "left"),
        HandEventDomain(FOUND, 2, "right"),
        HandEventDomain(BEGAN, 1, "left", "victory"),
        HandEventDomain(BEGAN, 2, "right", "open_palm"),
    ]


def test_duplicate_tracking_ids_rejected():
    tracker = HandEventTracker()
    with pytest.raises(ValueError, match="unique"):
        tracker.update([_hand("ok", 0.9, 0.0), _hand("ok", 0.9, 0.0)])


def test_thresholds_validated():
    with pytest.raises(ValueError, match="exit <= enter"):
        EventThresholds(gesture_enter_score=0.3, gesture_exit_score=0.5)
    with pytest.raises(ValueError, match="release <= press"):
        EventThresholds(pinch_press=0.5, pinch_release=0.7)
    with pytest.raises(ValueError, match="found_frames"):
        EventThresholds(found_frames=0)
