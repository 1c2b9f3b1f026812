"""Slot values must be heard: near-miss phrases are rejected, and phrases must name one command."""

from __future__ import annotations

import pytest

from conftest import REPO_ROOT
from vrperception.models.vocabulary import (
    PhraseMatcher,
    VocabularyError,
    compile_vocabulary,
    load_vocabulary,
    vocabulary_from_mapping,
)

SCENE = REPO_ROOT / "examples" / "vocabularies" / "game_scene.yaml"


@pytest.fixture(scope="module")
def matcher() -> PhraseMatcher:
    return PhraseMatcher(compile_vocabulary(load_vocabulary(SCENE)))


@pytest.mark.parametrize(
    "transcript, unheard",
    [
        ("select the black cube", "blue"),
        ("select the orange door", "red"),
        ("select the purple cube", "red"),
        ("select the red", "key"),
    ],
)
def test_unheard_slot_value_rejected(matcher, transcript, unheard):
    result = matcher.match(transcript)
    assert result.command_id == ""
    assert f"slot value '{unheard}'" in result.rejection_reason
    assert [r.command_id for r in matcher.match_sequence(transcript)] == [""]


def test_heard_slot_values_accepted(matcher):
    result = matcher.match("Select the red cube.")
    assert result.command_id == "select"
    assert dict(result.slots) == {"color": "red", "object": "cube"}


def test_sequence_with_slots_still_splits(matcher):
    results = matcher.match_sequence("teleport to the tower pick the green key")
    assert [r.command_id for r in results] == ["teleport", "select"]
    assert dict(results[1].slots) == {"color": "green", "object": "key"}


@pytest.mark.parametrize(
    "commands",
    [
        [{"id": "rush", "phrases": ["go go go"]}, {"id": "walk", "phrases": ["go"]}],
        [{"id": "a", "phrases": ["pause"]}, {"id": "b", "phrases": ["pause"]}],
        [{"id": "a", "phrases": ["level 2"]}, {"id": "b", "phrases": ["level two"]}],
    ],
)
def test_phrase_shared_by_two_commands_rejected(commands):
    with pytest.raises(VocabularyError) as caught:
        compile_vocabulary(vocabulary_from_mapping({"commands": commands}))
    message = str(caught.value)
    assert f"'{commands[0]['id']}'" in message and f"'{commands[1]['id']}'" in message


@pytest.mark.parametrize(
    "commands, message",
    [
        ([{"id": "x" * 65, "phrases": ["jump"]}], "has 65 characters"),
        ([{"id": "jump", "phrases": ["a" * 41]}], "has 41 letters"),
    ],
)
def test_overlong_ids_and_words_rejected(commands, message):
    with pytest.raises(VocabularyError, match=message):
        compile_vocabulary(vocabulary_from_mapping({"commands": commands}))
