"""One stream's voice-command pipeline: audio format -> VAD/endpointing -> engine -> matching.

CommandRecognizer splits the work in two, so a service can run the halves on
different threads. feed() and the push-to-talk calls are cheap (decoding,
resampling, 32 ms VAD windows) and return events at once. recognize() runs
the speech engine on a finished utterance and takes hundreds of ms with
Whisper. Neither is thread-safe, so a stream calls each from one task.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np

from vrperception.media.audio import ENGINE_RATE_HZ, AudioEncoding, StreamResampler, check_format, decode_samples
from vrperception.models.speech.engine import SpeechEngine
from vrperception.models.speech.vad import Endpointer, EndpointerSettings, SpeechStarted, StreamingVad, Utterance
from vrperception.models.vocabulary import CompiledVocabulary, MatchResult, PhraseMatcher


@dataclass(frozen=True)
class AudioSettings:
    """Format of the client's audio."""

    sample_rate_hz: int
    encoding: AudioEncoding
    channels: int


@dataclass(frozen=True)
class PendingUtterance:
    """A finished utterance with the vocabulary that was active when it started."""

    utterance: Utterance
    matcher: PhraseMatcher


@dataclass(frozen=True)
class CommandOutcome:
    """Final result for one utterance; match.command_id is empty when rejected."""

    match: MatchResult
    start_ms: int
    end_ms: int
    recognition_ms: float
    matching_ms: float
    end_of_speech_to_result_ms: float


class CommandRecognizer:
    """Per-stream state: resampler, endpointer, engine decoder and active vocabulary."""

    def __init__(
        self,
        engine: SpeechEngine,
        vocabulary: CompiledVocabulary,
        audio: AudioSettings,
        endpointing: EndpointerSettings,
        min_confidence: float,
    ):
        check_format(audio.sample_rate_hz, audio.channels)
        self.engine = engine
        self.audio = audio
        self.min_confidence = min_confidence
        self._resampler = StreamResampler(audio.sample_rate_hz, ENGINE_RATE_HZ)
        self._endpointer = Endpointer(endpointing, StreamingVad())
        self._decoder = engine.create_decoder()
        self._matcher = PhraseMatcher(vocabulary, min_confidence)
        self._utterance_matcher = self._matcher

    # -- cheap calls: audio in, events out ------------------------------------

    @property
    def in_utterance(self) -> bool:
        """True while an utterance is open."""
        return self._endpointer.in_utterance

    @property
    def offset_ms(self) -> int:
        """Audio received so far, in ms from stream start."""
        return self._endpointer.offset_ms

    def current_audio(self) -> np.ndarray:
        """16 kHz audio of the open utterance so far, for interim hypotheses."""
        return self._endpointer.current_audio()

    def feed_bytes(self, data: bytes) -> list[SpeechStarted | PendingUtterance]:
        """Decode one chunk in the configured format and run endpointing on it.

        Raises AudioFormatError when the chunk is not a whole number of frames.
        """
        samples = decode_samples(data, self.audio.encoding, self.audio.channels)
        return self.feed(samples)

    def feed(self, samples: np.ndarray) -> list[SpeechStarted | PendingUtterance]:
        """Run endpointing on mono float32 samples at the configured rate."""
        return self._wrap(self._endpointer.feed(self._resampler.process(samples)))

    def start_push_to_talk(self) -> list[SpeechStarted | PendingUtterance]:
        """Open a push-to-talk window: silence does not end the utterance until it closes."""
        return self._wrap(self._endpointer.start_push_to_talk())

    def end_push_to_talk(self) -> list[SpeechStarted | PendingUtterance]:
        """Close the push-to-talk window and end its utterance."""
        return self._wrap(self._endpointer.end_push_to_talk())

    def finish(self) -> list[SpeechStarted | PendingUtterance]:
        """End of stream: flush the resampler and end the open utterance."""
        events = self._endpointer.feed(self._resampler.flush())
        events.extend(self._endpointer.flush())
        return self._wrap(events)

    def replace_vocabulary(self, vocabulary: CompiledVocabulary) -> None:
        """Use vocabulary from the next utterance on; an open utterance keeps the old one."""
        self._matcher = PhraseMatcher(vocabulary, self.min_confidence)
        if not self._endpointer.in_utterance:
            self._utterance_matcher = self._matcher

    def _wrap(self, events: list) -> list[SpeechStarted | PendingUtterance]:
        wrapped: list[SpeechStarted | PendingUtterance] = []
        for event in events:
            if isinstance(event, Utterance):
                wrapped.append(PendingUtterance(event, self._utterance_matcher))
                # The next utterance, including one opened in the same call
                # after a max-length cut, uses the newest vocabulary.
                self._utterance_matcher = self._matcher
            else:
                if not self._endpointer.in_utterance:
                    self._utterance_matcher = self._matcher
                wrapped.append(event)
        if not self._endpointer.in_utterance:
            self._utterance_matcher = self._matcher
        return wrapped

    # -- expensive call: recognition -----------------------------------------

    def recognize(self, pending: PendingUtterance) -> list[CommandOutcome]:
        """Run the engine on one utterance and match its transcript to commands.

        Returns one outcome, or one per command when the utterance contains
        several commands spoken without a pause long enough to split it.
        """
        utterance = pending.utterance
        matcher = pending.matcher
        if not utterance.has_speech:
            match = MatchResult("", (), "", 0.0, rejection_reason="no speech detected in the utterance")
            return [self._outcome(utterance, match, 0.0, 0.0)]

        transcription = self._decoder.transcribe(utterance.samples, matcher.vocabulary)
        started = time.perf_counter()
        if transcription.rejection_reason:
            matches = [
                MatchResult("", (), transcription.text.strip(), 0.0, rejection_reason=transcription.rejection_reason)
            ]
        else:
            matches = matcher.match_sequence(transcription.text)
        matching_ms = 1000 * (time.perf_counter() - started)
        if len(matches) == 1:
            return [self._outcome(utterance, matches[0], transcription.recognition_ms, matching_ms)]
        return self._split_outcomes(utterance, matches, transcription.recognition_ms, matching_ms)

    def _split_outcomes(
        self, utterance: Utterance, matches: list[MatchResult], recognition_ms: float, matching_ms: float
    ) -> list[CommandOutcome]:
        # NOTE: Whisper gives no word times here, so each command's offsets are
        # estimated by sharing the utterance's duration out by transcript length.
        lengths = [len(match.transcript) + 1 for match in matches]
        duration_ms = utterance.end_ms - utterance.start_ms
        outcomes = []
        position = 0
        for match, length in zip(matches, lengths):
            start_ms = utterance.start_ms + duration_ms * position // sum(lengths)
            position += length
            end_ms = utterance.start_ms + duration_ms * position // sum(lengths)
            outcome = self._outcome(utterance, match, recognition_ms, matching_ms)
            outcomes.append(dataclasses.replace(outcome, start_ms=start_ms, end_ms=end_ms))
        return outcomes

    def transcribe_partial(self, samples: np.ndarray) -> str:
        """Transcribe audio of an open utterance for an interim hypothesis."""
        return self._decoder.transcribe(samples, self._utterance_matcher.vocabulary).text.strip()

    @staticmethod
    def _outcome(utterance: Utterance, match: MatchResult, recognition_ms: float, matching_ms: float) -> CommandOutcome:
        return CommandOutcome(
            match=match,
            start_ms=utterance.start_ms,
            end_ms=utterance.end_ms,
            recognition_ms=recognition_ms,
            matching_ms=matching_ms,
            end_of_speech_to_result_ms=1000 * (time.perf_counter() - utterance.ended_at),
        )

    def close(self) -> None:
        """Free the engine decoder."""
        self._decoder.close()
