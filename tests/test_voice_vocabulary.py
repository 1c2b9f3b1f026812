"""Unit tests of vocabulary parsing, validation, expansion and phrase matching."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from vrperception.models.vocabulary import (
    CommandDefinition,
    PhraseMatcher,
    SlotType,
    Vocabulary,
    VocabularyError,
    compile_vocabulary,
    load_vocabulary,
    normalize_text,
    vocabulary_from_mapping,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "vocabularies"
TEN_WORDS = ("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go")


def scene() -> Vocabulary:
    return Vocabulary(
        commands=(
            CommandDefinition("select", ("select the {color} {object}",)),
            CommandDefinition("pause", ("pause the game", "pause")),
        ),
        slot_types=(SlotType("color", ("red", "green", "blue")), SlotType("object", ("cube", "sphere"))),
    )


def test_normalize_text():
    assert normalize_text(" Up, up, UP!") == "up"
    assert normalize_text("It's 3 o'clock.") == "its three oclock"
    assert normalize_text("the 21st floor, 20th time") == "the twenty first floor twentieth time"


def test_ten_words_example_loads():
    compiled = compile_vocabulary(load_vocabulary(EXAMPLES / "ten_words.yaml"))
    assert [phrase.command_id for phrase in compiled.phrases] == list(TEN_WORDS)


def test_slot_expansion():
    compiled = compile_vocabulary(scene())
    texts = compiled.phrase_texts()
    assert len(texts) == 3 * 2 + 2
    assert "select the blue sphere" in texts
    blue_sphere = next(phrase for phrase in compiled.phrases if phrase.text == "select the blue sphere")
    assert blue_sphere.slots == (("color", "blue"), ("object", "sphere"))


def test_match_slots_and_alternatives():
    matcher = PhraseMatcher(compile_vocabulary(scene()))
    result = matcher.match("Select the green cube.")
    assert result.command_id == "select"
    assert dict(result.slots) == {"color": "green", "object": "cube"}
    assert result.confidence == pytest.approx(1.0)
    assert all(alternative.command_id != "select" for alternative in result.alternatives)


def test_match_rejects_below_threshold():
    matcher = PhraseMatcher(compile_vocabulary(load_vocabulary(EXAMPLES / "ten_words.yaml")))
    for chatter in ("what time is it", "marvin", "happy", "oh"):
        result = matcher.match(chatter)
        assert result.command_id == "", chatter
        assert "no command matched" in result.rejection_reason


def test_match_collapses_repetition():
    matcher = PhraseMatcher(compile_vocabulary(load_vocabulary(EXAMPLES / "ten_words.yaml")))
    assert matcher.match("off, off, off, off").command_id == "off"


def test_empty_transcript_rejected():
    result = PhraseMatcher(compile_vocabulary(scene())).match("  ...")
    assert result.command_id == ""
    assert result.rejection_reason == "no speech recognised"


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        (Vocabulary(()), "no commands"),
        (Vocabulary((CommandDefinition("a", ("",)),)), "command 'a' has an empty phrase"),
        (Vocabulary((CommandDefinition("a", ()),)), "command 'a' has no phrases"),
        (Vocabulary((CommandDefinition("a", ("go",)), CommandDefinition("a", ("stop",)))), "'a' is duplicated"),
        (Vocabulary((CommandDefinition("a", ("take the {thing}",)),)), "unknown slot '{thing}'"),
        (Vocabulary((CommandDefinition("a", ("press #5",)),)), "'#5' cannot be pronounced"),
        (Vocabulary((CommandDefinition("a", ("go {x",)),), (SlotType("x", ("up",)),)), "unbalanced braces"),
        (Vocabulary((CommandDefinition("a", ("go {x}",)),), (SlotType("x", ()),)), "slot 'x' has no values"),
        (Vocabulary((CommandDefinition("", ("go",)),)), "empty id"),
    ],
)
def test_invalid_vocabulary(vocabulary, message):
    with pytest.raises(VocabularyError, match=message.replace("{", r"\{").replace("}", r"\}")):
        compile_vocabulary(vocabulary)


def test_unpronounceable_word_for_engine():
    def unknown(words):
        return [word for word in words if word == "xyzzy"]

    vocabulary = Vocabulary((CommandDefinition("magic", ("say xyzzy",)),))
    with pytest.raises(VocabularyError, match=r"command 'magic'.*\['xyzzy'\]"):
        compile_vocabulary(vocabulary, unknown)


def test_expansion_limit():
    values = tuple(f"item{chr(97 + i)}{chr(97 + j)}" for i in range(26) for j in range(4))
    vocabulary = Vocabulary(
        (CommandDefinition("a", ("move {x} {y}",)),), (SlotType("x", values), SlotType("y", values))
    )
    with pytest.raises(VocabularyError, match="more than 5000 phrases"):
        compile_vocabulary(vocabulary)


def test_yaml_boolean_id_rejected():
    with pytest.raises(VocabularyError, match="quote it"):
        vocabulary_from_mapping(yaml.safe_load("commands: [{id: yes, phrases: [yes]}]"))


def test_sequence_split_into_commands():
    matcher = PhraseMatcher(compile_vocabulary(load_vocabulary(EXAMPLES / "game_scene.yaml")))
    results = matcher.match_sequence("Teleport to the tower, pick the green key.")
    assert [result.command_id for result in results] == ["teleport", "select"]
    assert dict(results[0].slots) == {"place": "tower"}
    assert dict(results[1].slots) == {"color": "green", "object": "key"}
    assert results[1].transcript == "pick the green key"


def test_sequence_of_single_words():
    matcher = PhraseMatcher(compile_vocabulary(load_vocabulary(EXAMPLES / "ten_words.yaml")))
    assert [result.command_id for result in matcher.match_sequence("left right stop")] == ["left", "right", "stop"]


def test_sequence_needs_every_word_matched():
    matcher = PhraseMatcher(compile_vocabulary(load_vocabulary(EXAMPLES / "ten_words.yaml")))
    results = matcher.match_sequence("left and then right")
    assert len(results) == 1
    assert results[0].command_id == ""
