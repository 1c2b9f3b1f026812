"""pocketsphinx grammar engine: decodes only the vocabulary's phrases.

A JSGF grammar built from the expanded vocabulary constrains the search, so
decoding is fast (real-time factor about 0.02 on 2 cores), but every
utterance comes out as some vocabulary phrase: the engine cannot reject
out-of-vocabulary speech or noise. It suits push-to-talk games where the
player only speaks when they mean a command.

The acoustic model and dictionary ship inside the pocketsphinx wheel. Each
stream gets its own Decoder because pocketsphinx keeps audio state
(cepstral mean) between utterances.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import numpy as np

from vrperception.models.speech.engine import (
    EngineInfo,
    EngineUnavailable,
    SpeechDecoder,
    SpeechEngine,
    Transcription,
)
from vrperception.models.vocabulary import CompiledVocabulary

logger = logging.getLogger(__name__)

ENGINE_NAME = "pocketsphinx-en-us"
DICTIONARY_FILE = "cmudict-en-us.dict"
_PCM16_MAX = 32767


def _model_dir() -> Path:
    try:
        import pocketsphinx
    except ImportError as error:
        raise EngineUnavailable("pocketsphinx is not installed; run: pip install pocketsphinx==5.1.1") from error
    return Path(pocketsphinx.get_model_path())


def build_jsgf(vocabulary: CompiledVocabulary) -> str:
    """Build a JSGF grammar whose sentences are exactly the expanded phrases."""
    alternatives = " | ".join(vocabulary.phrase_texts())
    return f"#JSGF V1.0;\ngrammar commands;\npublic <command> = {alternatives};\n"


class GrammarEngine(SpeechEngine):
    """Shared pocketsphinx model location and pronunciation dictionary."""

    name = "grammar"
    forces_vocabulary = True

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self.model_dir = _model_dir()
        dictionary_path = self.model_dir / "en-us" / DICTIONARY_FILE
        self.sha256 = hashlib.sha256((self.model_dir / "en-us" / "en-us" / "mdef").read_bytes()).hexdigest()
        self._decoder_class = Decoder
        self._words = self._load_dictionary(dictionary_path)
        logger.info("loaded pocketsphinx dictionary with %d words from %s", len(self._words), dictionary_path)

    @staticmethod
    def _load_dictionary(path: Path) -> frozenset[str]:
        words = set()
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                word = line.split(" ", 1)[0]
                # Alternative pronunciations are listed as word(2), word(3).
                words.add(word.split("(", 1)[0])
        return frozenset(words)

    def info(self) -> EngineInfo:
        return EngineInfo(
            name=ENGINE_NAME,
            task="speech_recognition_grammar",
            version=f"pocketsphinx {metadata.version('pocketsphinx')}",
            source=str(self.model_dir),
            sha256=self.sha256,
        )

    def unknown_words(self, words: Iterable[str]) -> list[str]:
        return sorted({word for word in words if word not in self._words})

    def create_decoder(self) -> "GrammarDecoder":
        return GrammarDecoder(self)

    def new_pocketsphinx_decoder(self):
        """Create a pocketsphinx Decoder with no language model and quiet logging."""
        return self._decoder_class(lm=None, samprate=16000, logfn=os.devnull)


class GrammarDecoder(SpeechDecoder):
    """One stream's pocketsphinx Decoder; its grammar follows the utterance's vocabulary."""

    def __init__(self, engine: GrammarEngine):
        self._decoder = engine.new_pocketsphinx_decoder()
        self._vocabulary: CompiledVocabulary | None = None
        self._grammar_count = 0

    def _use_vocabulary(self, vocabulary: CompiledVocabulary) -> None:
        if vocabulary is self._vocabulary:
            return
        # Each vocabulary gets a fresh search name; the previous search is removed.
        self._grammar_count += 1
        name = f"commands{self._grammar_count}"
        self._decoder.add_jsgf_string(name, build_jsgf(vocabulary))
        self._decoder.activate_search(name)
        if self._grammar_count > 1:
            self._decoder.remove_search(f"commands{self._grammar_count - 1}")
        self._vocabulary = vocabulary

    def transcribe(self, samples: np.ndarray, vocabulary: CompiledVocabulary) -> Transcription:
        started = time.perf_counter()
        self._use_vocabulary(vocabulary)
        pcm = (np.clip(samples, -1.0, 1.0) * _PCM16_MAX).astype("<i2").tobytes()
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, no_search=False, full_utt=True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        elapsed_ms = 1000 * (time.perf_counter() - started)
        text = hypothesis.hypstr if hypothesis is not None else ""
        return Transcription(text, elapsed_ms, "" if text else "no phrase of the grammar was recognised")

    def close(self) -> None:
        self._decoder = None
