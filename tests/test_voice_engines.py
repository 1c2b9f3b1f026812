"""Speech engines: Whisper prompt, output cap and hallucination rules, grammar building."""

from __future__ import annotations


import numpy as np
import pytest

from vrperception.models.speech import whisper
from vrperception.models.speech.grammar import build_jsgf
from vrperception.models.speech.whisper import WhisperDecoder, build_prompt
from vrperception.models.vocabulary import (
    CommandDefinition,
    PhraseMatcher,
    SlotType,
    Vocabulary,
    compile_vocabulary,
)

TEN = compile_vocabulary(Vocabulary(tuple(CommandDefinition(w, (w,)) for w in "yes no up down left right on off stop go".split())))


class StubWhisper:
    """Returns a fixed Whisper output and records the prompt and cap it was given."""

    def __init__(self, text: str, no_speech: float = 0.05, avg_logprob: float = -0.2):
        self.output = (text, no_speech, avg_logprob)
        self.calls: list[tuple[str, int]] = []

    def transcribe(self, samples, prompt, max_new_tokens):
        self.calls.append((prompt, max_new_tokens))
        return self.output


def test_prompt_lists_phrases():
    assert build_prompt(TEN) == "yes, no, up, down, left, right, on, off, stop, go."


def test_long_prompt_uses_patterns():
    values = tuple(f"item{chr(97 + i)}{chr(97 + j)}" for i in range(20) for j in range(10))
    vocabulary = compile_vocabulary(
        Vocabulary((CommandDefinition("take", ("take the {thing}",)),), (SlotType("thing", values),))
    )
    prompt = build_prompt(vocabulary)
    assert prompt.startswith("take the itemaa or itemab")
    assert len(prompt) <= whisper.MAX_PROMPT_CHARS


def test_output_cap_follows_longest_phrase():
    stub = StubWhisper("yes")
    WhisperDecoder(stub).transcribe(np.zeros(16000, np.float32), TEN)
    assert stub.calls[0][1] == whisper.TOKENS_PER_WORD * 1 + whisper.EXTRA_TOKENS


@pytest.mark.parametrize("text", ["Thank you.", " thanks for watching!", "You"])
def test_hallucination_rejected(text):
    result = WhisperDecoder(StubWhisper(text)).transcribe(np.zeros(16000, np.float32), TEN)
    assert "outputs on silence" in result.rejection_reason


def test_hallucination_allowed_when_in_vocabulary():
    polite = compile_vocabulary(Vocabulary((CommandDefinition("thanks", ("thank you",)),)))
    result = WhisperDecoder(StubWhisper("Thank you.")).transcribe(np.zeros(16000, np.float32), polite)
    assert result.rejection_reason == ""


def test_no_speech_rule():
    result = WhisperDecoder(StubWhisper("go", 0.9, -1.4)).transcribe(np.zeros(16000, np.float32), TEN)
    assert "no speech" in result.rejection_reason


def test_jsgf_lists_expanded_phrases():
    vocabulary = compile_vocabulary(
        Vocabulary((CommandDefinition("select", ("select the {c} cube",)),), (SlotType("c", ("red", "blue")),))
    )
    grammar = build_jsgf(vocabulary)
    assert "public <command> = select the red cube | select the blue cube;" in grammar


@pytest.fixture(scope="module")
def whisper_engine():
    return whisper.WhisperEngine(cpu_threads=2)


def test_real_whisper_silence_gives_no_command(whisper_engine):
    decoder = whisper_engine.create_decoder()
    rng = np.random.default_rng(1)
    for audio in (np.zeros(16000, np.float32), rng.normal(0, 0.003, 16000).astype(np.float32)):
        result = decoder.transcribe(audio, TEN)
        if not result.rejection_reason:
            assert not PhraseMatcher(TEN).match(result.text).accepted, result.text


def test_whisper_model_hash_checked(tmp_path):
    for name in whisper.MODEL_SHA256:
        (tmp_path / name).write_bytes(b"not the model")
    with pytest.raises(whisper.EngineUnavailable, match="model.bin has sha256"):
        whisper.verify_model_dir(tmp_path)
