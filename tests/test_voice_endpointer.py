"""Unit tests of the endpointer's state machine, driven by a scripted VAD."""

from __future__ import annotations

import numpy as np
import pytest

from vrperception.models.speech.vad import (
    POST_ROLL_MS,
    PRE_ROLL_MS,
    WINDOW_SAMPLES,
    Endpointer,
    EndpointerSettings,
    SpeechStarted,
    Utterance,
)

RATE = 16000
WINDOW_MS = 32


class ScriptedVad:
    """Scores each 512-sample window by its mean sample value: 1.0 speech, 0.0 silence."""

    def __init__(self) -> None:
        self._pending = np.zeros(0, dtype=np.float32)

    def process(self, samples: np.ndarray) -> np.ndarray:
        audio = np.concatenate([self._pending, samples])
        count = len(audio) // WINDOW_SAMPLES
        self._pending = audio[count * WINDOW_SAMPLES :]
        return audio[: count * WINDOW_SAMPLES].reshape(count, WINDOW_SAMPLES).mean(axis=1)


def windows(value: float, count: int) -> np.ndarray:
    return np.full(count * WINDOW_SAMPLES, value, dtype=np.float32)


def run(endpointer: Endpointer, audio: np.ndarray, chunk_samples: int = 320) -> list:
    events = []
    for offset in range(0, len(audio), chunk_samples):
        events.extend(endpointer.feed(audio[offset : offset + chunk_samples]))
    return events


def make(silence_ms: int = 500, max_utterance_ms: int = 8000) -> Endpointer:
    return Endpointer(EndpointerSettings(silence_ms, max_utterance_ms), ScriptedVad())


def test_utterance_bounds_and_rolls():
    # 20 silent windows (640 ms), 10 speech windows (320 ms), then 1 s of silence.
    audio = np.concatenate([windows(0, 20), windows(1, 10), windows(0, 32)])
    events = run(make(), audio)
    assert events[0] == SpeechStarted(20 * WINDOW_MS)
    utterance = events[1]
    assert isinstance(utterance, Utterance)
    assert utterance.start_ms == 20 * WINDOW_MS
    assert utterance.end_ms == 30 * WINDOW_MS
    assert utterance.has_speech
    expected_samples = (PRE_ROLL_MS + 10 * WINDOW_MS + POST_ROLL_MS) * RATE // 1000
    assert len(utterance.samples) == expected_samples
    assert utterance.samples.sum() == pytest.approx(10 * WINDOW_SAMPLES)
    assert len(events) == 2


def test_blip_ignored():
    audio = np.concatenate([windows(0, 5), windows(1, 2), windows(0, 40)])
    assert run(make(), audio) == []


def test_short_pause_keeps_utterance():
    # 256 ms of silence inside the word is less than the 500 ms setting.
    audio = np.concatenate([windows(1, 5), windows(0, 8), windows(1, 5), windows(0, 20)])
    events = run(make(), audio)
    utterances = [event for event in events if isinstance(event, Utterance)]
    assert len(utterances) == 1
    assert utterances[0].end_ms == 18 * WINDOW_MS


def test_max_length_cut():
    audio = np.concatenate([windows(1, 40), windows(0, 20)])
    events = run(make(max_utterance_ms=640), audio)
    utterances = [event for event in events if isinstance(event, Utterance)]
    assert len(utterances) >= 2
    assert utterances[0].cut
    assert utterances[0].end_ms - utterances[0].start_ms <= 640
    assert utterances[1].start_ms >= utterances[0].end_ms


def test_chunk_size_invariant():
    audio = np.concatenate([windows(0, 7), windows(1, 9), windows(0, 20), windows(1, 4), windows(0, 30)])
    small = run(make(), audio, chunk_samples=160)
    large = run(make(), audio, chunk_samples=16000)
    summary = [(type(e).__name__, getattr(e, "offset_ms", None), getattr(e, "start_ms", None), getattr(e, "end_ms", None)) for e in small]
    assert summary == [
        (type(e).__name__, getattr(e, "offset_ms", None), getattr(e, "start_ms", None), getattr(e, "end_ms", None))
        for e in large
    ]
    utterances_small = [e for e in small if isinstance(e, Utterance)]
    utterances_large = [e for e in large if isinstance(e, Utterance)]
    for a, b in zip(utterances_small, utterances_large):
        np.testing.assert_array_equal(a.samples, b.samples)


def test_push_to_talk_ignores_silence():
    endpointer = make(silence_ms=300)
    events = run(endpointer, windows(0, 10))
    events += endpointer.start_push_to_talk()
    events += run(endpointer, np.concatenate([windows(1, 5), windows(0, 30), windows(1, 5), windows(0, 5)]))
    assert [type(event) for event in events] == [SpeechStarted]
    assert events[0].offset_ms == 10 * WINDOW_MS
    events = endpointer.end_push_to_talk()
    assert len(events) == 1
    utterance = events[0]
    assert utterance.push_to_talk
    assert utterance.has_speech
    assert utterance.start_ms == 10 * WINDOW_MS
    assert utterance.end_ms == 55 * WINDOW_MS


def test_push_to_talk_without_speech():
    endpointer = make()
    endpointer.start_push_to_talk()
    run(endpointer, windows(0, 20))
    (utterance,) = endpointer.end_push_to_talk()
    assert not utterance.has_speech


def test_flush_ends_open_utterance():
    endpointer = make()
    run(endpointer, np.concatenate([windows(0, 3), windows(1, 10)]))
    assert endpointer.in_utterance
    (utterance,) = endpointer.flush()
    assert utterance.start_ms == 3 * WINDOW_MS
    assert not endpointer.in_utterance
