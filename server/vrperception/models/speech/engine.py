"""Interface shared by the speech engines behind RecognizeCommands.

An engine owns what all streams share (model weights). A decoder owns one
stream's state (vocabulary prompt or grammar, decoder buffers). Engines
take mono float32 audio at 16 kHz.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from vrperception.models.vocabulary import CompiledVocabulary

ENGINE_SAMPLE_RATE_HZ = 16000


class EngineUnavailable(RuntimeError):
    """The engine's model or package is not installed or failed verification."""


@dataclass(frozen=True)
class EngineInfo:
    """Provenance of an engine's model, for the handshake."""

    name: str
    task: str
    version: str
    source: str
    sha256: str


@dataclass(frozen=True)
class Transcription:
    """Recogniser output for one utterance.

    text: raw recogniser text (before normalisation).
    rejection_reason: set when the engine itself judged the output to be no
    speech (for example a Whisper hallucination on silence).
    recognition_ms: wall time of the recogniser call.
    """

    text: str
    recognition_ms: float
    rejection_reason: str = ""


class SpeechDecoder(abc.ABC):
    """One stream's recogniser state. Not thread-safe: one call at a time."""

    @abc.abstractmethod
    def transcribe(self, samples: np.ndarray, vocabulary: CompiledVocabulary) -> Transcription:
        """Recognise one utterance of shape (n,) float32 at 16 kHz against vocabulary.

        Each utterance carries the vocabulary that was active when it
        started, so a replacement mid-stream applies from the next utterance.
        """

    def close(self) -> None:
        """Free the decoder's resources."""


class SpeechEngine(abc.ABC):
    """Shared model of one engine kind; creates per-stream decoders."""

    name: str = ""
    #: True when the engine can only output vocabulary phrases, so it cannot
    #: reject out-of-vocabulary speech.
    forces_vocabulary: bool = False

    @abc.abstractmethod
    def info(self) -> EngineInfo:
        """Describe the model for the handshake."""

    @abc.abstractmethod
    def unknown_words(self, words: Iterable[str]) -> list[str]:
        """Return the words of a vocabulary this engine cannot pronounce."""

    @abc.abstractmethod
    def create_decoder(self) -> SpeechDecoder:
        """Create one stream's decoder."""
