"""Streaming voice-activity detection (Silero VAD) and utterance endpointing.

The Silero VAD v6 ONNX model ships inside faster-whisper. It scores 32 ms
windows (512 samples at 16 kHz) and carries an LSTM state from window to
window. Each stream keeps its own state and feeds windows as audio arrives,
which gives the same probabilities as scoring the whole clip at once. One ONNX session is shared
by all streams (onnxruntime sessions accept concurrent run() calls).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

SAMPLE_RATE_HZ = 16000
WINDOW_SAMPLES = 512
WINDOW_MS = 1000 * WINDOW_SAMPLES / SAMPLE_RATE_HZ
# Samples of the previous window that precede each window in the model input.
_CONTEXT_SAMPLES = 64
_STATE_SHAPE = (1, 1, 128)
VAD_MODEL_FILE = "silero_vad_v6.onnx"
# sha256 of faster_whisper/assets/silero_vad_v6.onnx in faster-whisper 1.2.1.
VAD_MODEL_SHA256 = "4cbf549b8326f60f80f2536d9eefeb450a9abe83365a098031c89719f1be17d2"

# Speech probability at or above which a window is speech, and below which
# a window counts as silence (between the two, the previous state holds).
SPEECH_THRESHOLD = 0.5
SILENCE_THRESHOLD = 0.35
# Speech shorter than this is a click or a breath, not an utterance.
MIN_SPEECH_MS = 90
# Audio kept before the first speech window and after the last one, because
# Silero triggers late on soft onsets and Whisper needs the tail. On the 41
# real one-word clips (scripts/evaluate_voice.py) Whisper got 92.7% right
# with 200/150 ms and with 300/200 ms, and 90.2% with 400/400 ms.
PRE_ROLL_MS = 300
POST_ROLL_MS = 200

DEFAULT_SILENCE_MS = 500
DEFAULT_MAX_UTTERANCE_MS = 8000
# Whisper's input window is 30 s of audio.
MAX_UTTERANCE_LIMIT_MS = 30000
MIN_SILENCE_MS = 100
MAX_SILENCE_MS = 5000


def _model_path() -> Path:
    from faster_whisper.utils import get_assets_path

    return Path(get_assets_path()) / VAD_MODEL_FILE


def vad_model_sha256() -> str:
    """sha256 of the installed Silero VAD model file."""
    return hashlib.sha256(_model_path().read_bytes()).hexdigest()


@functools.lru_cache(maxsize=1)
def shared_vad_session():
    """Load the Silero VAD ONNX session once per process (single-threaded)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(_model_path()), providers=["CPUExecutionProvider"], sess_options=options
    )
    logger.info("loaded Silero VAD from %s", _model_path())
    return session


class StreamingVad:
    """Per-stream Silero state: scores 16 kHz audio in 32 ms windows as it arrives."""

    def __init__(self, session=None):
        self._session = session or shared_vad_session()
        self._h = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._c = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def process(self, samples: np.ndarray) -> np.ndarray:
        """Return speech probabilities for every window completed by samples."""
        audio = np.concatenate([self._pending, np.asarray(samples, dtype=np.float32)])
        window_count = len(audio) // WINDOW_SAMPLES
        self._pending = audio[window_count * WINDOW_SAMPLES :]
        if window_count == 0:
            return np.zeros(0, dtype=np.float32)

        windows = audio[: window_count * WINDOW_SAMPLES].reshape(window_count, WINDOW_SAMPLES)
        contexts = np.concatenate([self._context[None, :], windows[:-1, -_CONTEXT_SAMPLES:]], axis=0)
        batch = np.concatenate([contexts, windows], axis=1)
        # The model treats the batch axis as time and carries h and c along it.
        probabilities, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = windows[-1, -_CONTEXT_SAMPLES:].copy()
        return np.asarray(probabilities, dtype=np.float32).reshape(-1)


@dataclass(frozen=True)
class SpeechStarted:
    """Speech began at offset_ms of audio from stream start."""

    offset_ms: int


@dataclass(frozen=True)
class Utterance:
    """Audio of one finished utterance, ready for recognition.

    samples: mono float32 at 16 kHz including pre- and post-roll.
    start_ms/end_ms: first and last speech, in ms of audio from stream start.
    ended_at: time.perf_counter() when the endpointer declared the end.
    """

    samples: np.ndarray
    start_ms: int
    end_ms: int
    has_speech: bool
    ended_at: float
    push_to_talk: bool = False
    cut: bool = False


@dataclass(frozen=True)
class EndpointerSettings:
    """Silence that ends an utterance and the longest utterance, in ms."""

    silence_ms: int = DEFAULT_SILENCE_MS
    max_utterance_ms: int = DEFAULT_MAX_UTTERANCE_MS


class Endpointer:
    """Finds utterances in a 16 kHz stream from VAD probabilities and push-to-talk marks.

    An utterance starts at the first speech window and ends after
    settings.silence_ms of silence, when it reaches max_utterance_ms (the
    rest of the speech starts a new utterance), or at a push-to-talk end.
    While a push-to-talk window is open, silence does not end it.
    """

    def __init__(self, settings: EndpointerSettings, vad: StreamingVad | None = None):
        self.settings = settings
        self._vad = vad or StreamingVad()
        self._pre_roll = int(PRE_ROLL_MS * SAMPLE_RATE_HZ / 1000)
        self._post_roll = int(POST_ROLL_MS * SAMPLE_RATE_HZ / 1000)
        self._min_speech_windows = max(1, int(np.ceil(MIN_SPEECH_MS / WINDOW_MS)))
        # Absolute sample index of the next window's first sample.
        self._window_start = 0
        self._history = np.zeros(0, dtype=np.float32)
        self._history_start = 0
        self._samples_seen = 0
        self._reset_utterance()
        self._push_to_talk = False

    # -- state ---------------------------------------------------------------

    def _reset_utterance(self) -> None:
        self._in_utterance = False
        self._announced = False
        self._speech_start = 0
        self._last_speech_end = 0
        self._speech_windows = 0
        self._silence_run = 0
        self._utterance_start = 0

    @property
    def in_utterance(self) -> bool:
        """True while an utterance (VAD or push-to-talk) is open."""
        return self._in_utterance

    @property
    def offset_ms(self) -> int:
        """Audio received so far, in ms from stream start."""
        return int(1000 * self._samples_seen / SAMPLE_RATE_HZ)

    def current_audio(self) -> np.ndarray:
        """Audio of the open utterance so far (empty when none is open)."""
        if not self._in_utterance:
            return np.zeros(0, dtype=np.float32)
        return self._slice(self._utterance_start, self._samples_seen)

    # -- input ---------------------------------------------------------------

    def feed(self, samples: np.ndarray) -> list[SpeechStarted | Utterance]:
        """Consume 16 kHz samples; return the events they complete, in order."""
        samples = np.asarray(samples, dtype=np.float32)
        self._history = np.concatenate([self._history, samples])
        self._samples_seen += len(samples)
        events: list[SpeechStarted | Utterance] = []
        for probability in self._vad.process(samples):
            events.extend(self._on_window(float(probability)))
            self._window_start += WINDOW_SAMPLES
        self._trim_history()
        return events

    def start_push_to_talk(self) -> list[SpeechStarted | Utterance]:
        """Open a push-to-talk window at the current offset."""
        self._push_to_talk = True
        if self._in_utterance:
            if self._announced:
                return []
            # A VAD candidate shorter than MIN_SPEECH_MS becomes the window's start.
            self._announced = True
            return [SpeechStarted(self._ms(self._speech_start))]
        self._open_utterance(self._samples_seen, announce=True)
        return [SpeechStarted(self._ms(self._samples_seen))]

    def end_push_to_talk(self) -> list[SpeechStarted | Utterance]:
        """Close the push-to-talk window and end its utterance now."""
        was_push_to_talk = self._push_to_talk
        self._push_to_talk = False
        if not self._in_utterance:
            return []
        return [self._close_utterance(self._samples_seen, push_to_talk=was_push_to_talk)]

    def flush(self) -> list[SpeechStarted | Utterance]:
        """End the open utterance at end of stream, if it contains speech."""
        self._push_to_talk = False
        if not self._in_utterance or not (self._announced or self._speech_windows):
            self._reset_utterance()
            return []
        return [self._close_utterance(self._samples_seen, push_to_talk=False)]

    # -- window logic --------------------------------------------------------

    def _on_window(self, probability: float) -> list[SpeechStarted | Utterance]:
        window_end = self._window_start + WINDOW_SAMPLES
        is_speech = probability >= SPEECH_THRESHOLD
        is_silence = probability < SILENCE_THRESHOLD
        events: list[SpeechStarted | Utterance] = []

        if not self._in_utterance:
            if is_speech:
                self._open_utterance(self._window_start, announce=False)
                self._speech_start = self._window_start
                self._register_speech(window_end)
            return events

        if is_speech:
            # A push-to-talk utterance starts at the button press, as announced.
            if self._speech_windows == 0 and not self._push_to_talk:
                self._speech_start = self._window_start
            self._register_speech(window_end)
        elif is_silence or self._silence_run:
            self._silence_run += WINDOW_SAMPLES

        if not self._announced and self._speech_windows >= self._min_speech_windows:
            self._announced = True
            events.append(SpeechStarted(self._ms(self._speech_start)))

        silence_ms = self._ms(self._silence_run)
        if not self._push_to_talk and silence_ms >= self.settings.silence_ms:
            if self._announced:
                events.append(self._close_utterance(self._last_speech_end + self._post_roll))
            else:
                self._reset_utterance()
        elif self._ms(window_end - self._utterance_start) >= self.settings.max_utterance_ms:
            events.append(self._close_utterance(window_end, cut=True))
            if is_speech or self._push_to_talk:
                self._open_utterance(window_end, announce=self._push_to_talk, pre_roll=False)
                if is_speech:
                    self._speech_start = window_end
        return events

    def _register_speech(self, window_end: int) -> None:
        self._speech_windows += 1
        self._silence_run = 0
        self._last_speech_end = window_end

    def _open_utterance(self, start: int, announce: bool, pre_roll: bool = True) -> None:
        self._reset_utterance()
        self._in_utterance = True
        self._announced = announce
        self._speech_start = start
        self._last_speech_end = start
        self._utterance_start = max(0, start - self._pre_roll) if pre_roll else start
        self._utterance_start = max(self._utterance_start, self._history_start)

    def _close_utterance(self, end: int, push_to_talk: bool = False, cut: bool = False) -> Utterance:
        end = min(end, self._samples_seen)
        has_speech = self._speech_windows >= self._min_speech_windows
        start_ms = self._ms(self._speech_start)
        end_ms = self._ms(self._last_speech_end if has_speech and not push_to_talk else end)
        utterance = Utterance(
            samples=self._slice(self._utterance_start, end),
            start_ms=start_ms,
            end_ms=max(end_ms, start_ms),
            has_speech=has_speech,
            ended_at=time.perf_counter(),
            push_to_talk=push_to_talk,
            cut=cut,
        )
        self._reset_utterance()
        return utterance

    # -- audio history -------------------------------------------------------

    def _slice(self, start: int, end: int) -> np.ndarray:
        start = max(start, self._history_start)
        return self._history[start - self._history_start : end - self._history_start].copy()

    def _trim_history(self) -> None:
        # Keep the open utterance, or the pre-roll before the next VAD window
        # (an utterance can start there at the earliest) when none is open.
        keep_from = self._utterance_start if self._in_utterance else self._window_start - self._pre_roll
        keep_from = max(keep_from, self._history_start)
        drop = keep_from - self._history_start
        if drop > 0:
            self._history = self._history[drop:]
            self._history_start = keep_from

    @staticmethod
    def _ms(samples: int) -> int:
        return int(round(1000 * samples / SAMPLE_RATE_HZ))
