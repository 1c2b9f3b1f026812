"""Voice-command vocabularies: parsing, validation, slot expansion, phrase matching.

A vocabulary is a list of commands, each with an id and phrase patterns such
as ``select the {color} {object}``, plus slot types that list the values a
``{name}`` placeholder can take. Validation expands every pattern into the
concrete phrases it represents. Matching scores a recogniser transcript
against those phrases with rapidfuzz. Below a threshold it rejects the
transcript instead of forcing it onto the nearest command.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

# Expanded phrases across the whole vocabulary. Matching scores every one of
# them per utterance (rapidfuzz: about 1 us each), and the grammar engine
# compiles them into its search graph.
MAX_EXPANDED_PHRASES = 5000
MAX_COMMANDS = 1000
MAX_PHRASE_WORDS = 30
MAX_COMMAND_ID_CHARS = 64
# Longer than any English word; longer tokens are typing errors or abuse.
MAX_WORD_CHARS = 40
# Alternatives reported besides the best match, and the lowest similarity an
# alternative needs to be reported at all.
MAX_ALTERNATIVES = 3
MIN_ALTERNATIVE_CONFIDENCE = 0.5
# A transcript that matches no phrase as a whole is split into consecutive
# phrases ("teleport to the tower pick the green key") only up to this many
# words, which bounds the search to about a few hundred phrase lookups.
MAX_SEQUENCE_WORDS = 24
# Similarity in [0, 1] at or above which an utterance is accepted. Whisper's
# misheard words in scripts/evaluate_voice.py score 0.75 or less against the
# spoken word ("done" for "down", "oh" for "on": 0.5), while "alright" for
# "right" scores 0.83.
DEFAULT_MIN_CONFIDENCE = 0.8

_SLOT_PATTERN = re.compile(r"\{([^{}]*)\}")
_SLOT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COMMAND_ID = re.compile(r"^[A-Za-z0-9_.:/-]+$")
# Characters a spoken word may contain; anything else (symbols, emoji, digits
# mixed with letters) has no obvious pronunciation.
_WORD = re.compile(r"^(?:[^\W\d_]+(?:['-][^\W\d_]+)*|\d+)$")
_TRAILING_PUNCTUATION = ".,!?;:\"()"
_NON_WORD = re.compile(r"[^\w'\s]|_")

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


# Similarity (rapidfuzz ratio, 0-1) a heard word needs to stand for a word of
# a slot value: "grey" and "gray" pass at 0.75, "black" and "blue" fail at 0.44.
MIN_SLOT_WORD_SIMILARITY = 0.75


class VocabularyError(ValueError):
    """Invalid vocabulary; the message names the command or slot and the fix."""


@dataclass(frozen=True)
class SlotType:
    """Named list of values that a ``{name}`` placeholder can take."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class CommandDefinition:
    """Command id and the phrase patterns that trigger it."""

    id: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    """Commands and slot types as the client sent them, not yet validated."""

    commands: tuple[CommandDefinition, ...]
    slot_types: tuple[SlotType, ...] = ()


@dataclass(frozen=True)
class ExpandedPhrase:
    """One concrete phrase: normalised text, its command and the slot values it fills."""

    text: str
    command_id: str
    slots: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Alternative:
    """Another command that matched, with its best slot values."""

    command_id: str
    slots: tuple[tuple[str, str], ...]
    confidence: float


@dataclass(frozen=True)
class MatchResult:
    """Outcome of matching one transcript; command_id is empty when rejected."""

    command_id: str
    slots: tuple[tuple[str, str], ...]
    transcript: str
    confidence: float
    alternatives: tuple[Alternative, ...] = ()
    rejection_reason: str = ""

    @property
    def accepted(self) -> bool:
        """True when the transcript was mapped to a command."""
        return bool(self.command_id)


# ---------------------------------------------------------------------------
# Text normalisation


def number_to_words(number: int) -> str:
    """Spell a non-negative integer below 1000 in English words ("42" -> "forty two")."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens - 2] + ("" if ones == 0 else " " + _ONES[ones])
    hundreds, rest = divmod(number, 100)
    words = _ONES[hundreds] + " hundred"
    return words if rest == 0 else words + " " + number_to_words(rest)


_ORDINAL_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def _ordinal(cardinal: str) -> str:
    """Turn spelled cardinal words into the ordinal ("twenty one" -> "twenty first")."""
    *head, last = cardinal.split()
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*head, last])


def _spell_numbers(text: str) -> str:
    def spell(match: re.Match[str]) -> str:
        value = int(match.group(1))
        if value >= 1000:
            return match.group(0)
        words = number_to_words(value)
        return f" {_ordinal(words) if match.group(2) else words} "

    return re.sub(r"(\d+)(st|nd|rd|th)?\b", spell, text)


def normalize_text(text: str) -> str:
    """Normalise text for matching.

    Lower-cases, spells numbers below 1000 as words, drops punctuation and
    apostrophes ("it's" -> "its"), and collapses runs of the same word, so
    that Whisper's repetition loops ("up, up, up") read as one word.
    """
    text = _spell_numbers(text.lower())
    text = _NON_WORD.sub(" ", text).replace("'", "")
    words: list[str] = []
    for word in text.split():
        if not words or words[-1] != word:
            words.append(word)
    return " ".join(words)


def phrase_words(pattern: str) -> list[str]:
    """Split a phrase pattern or slot value into words, keeping {slot} placeholders."""
    return [token.strip(_TRAILING_PUNCTUATION) for token in pattern.split() if token.strip(_TRAILING_PUNCTUATION)]


# ---------------------------------------------------------------------------
# Parsing


def vocabulary_from_mapping(data: Mapping) -> Vocabulary:
    """Build a Vocabulary from the YAML structure (see docs/voice.md).

    Expected keys: ``commands`` (list of ``{id, phrases}``; ``phrase`` is
    accepted for a single phrase) and ``slots`` (mapping of slot name to a
    list of values). Raises VocabularyError on a wrong structure.
    """
    if not isinstance(data, Mapping):
        raise VocabularyError("vocabulary must be a mapping with 'commands' and optional 'slots'")
    unknown_keys = set(data) - {"commands", "slots"}
    if unknown_keys:
        raise VocabularyError(
            f"unknown vocabulary key(s) {sorted(unknown_keys)}; use 'commands' and 'slots'"
        )
    raw_commands = data.get("commands") or []
    if not isinstance(raw_commands, list):
        raise VocabularyError("'commands' must be a list of {id, phrases} entries")
    commands = [_command_from_mapping(index, entry) for index, entry in enumerate(raw_commands)]

    raw_slots = data.get("slots") or {}
    if not isinstance(raw_slots, Mapping):
        raise VocabularyError("'slots' must map each slot name to a list of values")
    slot_types = []
    for name, values in raw_slots.items():
        if not isinstance(values, list):
            raise VocabularyError(f"slot '{name}' must be a list of values, got {type(values).__name__}")
        texts = tuple(_yaml_text(value, f"slot '{name}' value") for value in values)
        slot_types.append(SlotType(str(name), texts))
    return Vocabulary(tuple(commands), tuple(slot_types))


def _yaml_text(value: object, where: str) -> str:
    # YAML 1.1 reads unquoted yes/no/on/off as booleans; str() would turn
    # them into "True"/"False" silently.
    if isinstance(value, bool):
        raise VocabularyError(
            f"{where} is the YAML boolean {value}; quote it (\"yes\", \"no\", \"on\", \"off\")"
        )
    if not isinstance(value, (str, int, float)):
        raise VocabularyError(f"{where} must be text, got {type(value).__name__}")
    return str(value)


def _command_from_mapping(index: int, entry: object) -> CommandDefinition:
    if not isinstance(entry, Mapping) or "id" not in entry:
        raise VocabularyError(f"command #{index} must be a mapping with 'id' and 'phrases'")
    command_id = _yaml_text(entry["id"], f"command #{index} id")
    phrases = entry.get("phrases", entry.get("phrase", []))
    if not isinstance(phrases, list):
        phrases = [phrases]
    texts = tuple(_yaml_text(phrase, f"command '{command_id}' phrase") for phrase in phrases)
    return CommandDefinition(command_id, texts)


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Read a vocabulary YAML file. Raises VocabularyError when it cannot be parsed."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise VocabularyError(f"vocabulary file {path} is not valid YAML: {error}") from error
    return vocabulary_from_mapping(data or {})


# ---------------------------------------------------------------------------
# Validation and expansion


@dataclass(frozen=True)
class CompiledVocabulary:
    """Validated vocabulary with every phrase expanded and normalised."""

    source: Vocabulary
    phrases: tuple[ExpandedPhrase, ...]
    words: frozenset[str] = field(default_factory=frozenset)

    @property
    def max_phrase_words(self) -> int:
        """Word count of the longest expanded phrase."""
        return max(len(phrase.text.split()) for phrase in self.phrases)

    def phrase_texts(self) -> list[str]:
        """Distinct normalised phrases in vocabulary order."""
        return list(dict.fromkeys(phrase.text for phrase in self.phrases))


def compile_vocabulary(
    vocabulary: Vocabulary,
    unknown_words: Callable[[Iterable[str]], list[str]] | None = None,
) -> CompiledVocabulary:
    """Validate a vocabulary and expand its phrase patterns.

    unknown_words, when given, returns the words the recogniser cannot
    pronounce (for example words missing from a pronunciation dictionary).
    Raises VocabularyError naming the command or slot and the problem.
    """
    if not vocabulary.commands:
        raise VocabularyError("vocabulary has no commands; add at least one command with a phrase")
    if len(vocabulary.commands) > MAX_COMMANDS:
        raise VocabularyError(
            f"vocabulary has {len(vocabulary.commands)} commands; at most {MAX_COMMANDS} are allowed"
        )
    slots = _validate_slot_types(vocabulary.slot_types)

    expanded: list[ExpandedPhrase] = []
    seen_ids: set[str] = set()
    for command in vocabulary.commands:
        _validate_command_id(command.id, seen_ids)
        if not command.phrases:
            raise VocabularyError(f"command '{command.id}' has no phrases; add at least one")
        for pattern in command.phrases:
            expanded.extend(_expand_pattern(command.id, pattern, slots))
            if len(expanded) > MAX_EXPANDED_PHRASES:
                raise VocabularyError(
                    f"command '{command.id}': the vocabulary expands to more than "
                    f"{MAX_EXPANDED_PHRASES} phrases; use fewer slot values or fewer slots per phrase"
                )

    _check_distinct_phrases(expanded)
    words = frozenset(word for phrase in expanded for word in phrase.text.split())
    if unknown_words is not None:
        _check_pronunciations(vocabulary, slots, unknown_words)
    return CompiledVocabulary(vocabulary, tuple(expanded), words)


def _check_distinct_phrases(expanded: Iterable[ExpandedPhrase]) -> None:
    """Raise VocabularyError when two commands share a phrase after normalisation."""
    owners: dict[str, ExpandedPhrase] = {}
    for phrase in expanded:
        first = owners.setdefault(phrase.text, phrase)
        if first.command_id != phrase.command_id:
            raise VocabularyError(
                f"commands '{first.command_id}' and '{phrase.command_id}' both have the phrase "
                f"'{phrase.text}' once normalised (repeated words merge, numbers are spelled out); "
                "change one of them so every phrase names one command"
            )


def _validate_command_id(command_id: str, seen_ids: set[str]) -> None:
    if not command_id:
        raise VocabularyError("a command has an empty id; give every command a unique id")
    if len(command_id) > MAX_COMMAND_ID_CHARS:
        raise VocabularyError(
            f"command id '{command_id[:20]}...' has {len(command_id)} characters; use at most {MAX_COMMAND_ID_CHARS}"
        )
    if not _COMMAND_ID.match(command_id):
        raise VocabularyError(
            f"command id '{command_id}' contains spaces or symbols; "
            "use letters, digits and _ . : / -"
        )
    if command_id in seen_ids:
        raise VocabularyError(f"command id '{command_id}' is duplicated; command ids must be unique")
    seen_ids.add(command_id)


def _validate_slot_types(slot_types: Iterable[SlotType]) -> dict[str, tuple[str, ...]]:
    slots: dict[str, tuple[str, ...]] = {}
    for slot in slot_types:
        if not _SLOT_NAME.match(slot.name):
            raise VocabularyError(
                f"slot name '{slot.name}' is invalid; use letters, digits and underscores"
            )
        if slot.name in slots:
            raise VocabularyError(f"slot '{slot.name}' is defined twice; merge its values")
        values = tuple(value.strip() for value in slot.values)
        if not values:
            raise VocabularyError(f"slot '{slot.name}' has no values; list at least one")
        for value in values:
            if not normalize_text(value):
                raise VocabularyError(f"slot '{slot.name}' has an empty value; remove it")
            _check_word_forms(f"slot '{slot.name}' value '{value}'", phrase_words(value))
        slots[slot.name] = values
    return slots


def _check_word_forms(where: str, words: Iterable[str]) -> None:
    for word in words:
        if len(word) > MAX_WORD_CHARS:
            raise VocabularyError(
                f"{where}: word '{word[:20]}...' has {len(word)} letters; use words of at most {MAX_WORD_CHARS}"
            )
        if not _WORD.match(word):
            raise VocabularyError(
                f"{where}: word '{word}' cannot be pronounced; "
                "use letters (and apostrophes or hyphens inside words) or a plain number"
            )


def _expand_pattern(
    command_id: str, pattern: str, slots: Mapping[str, tuple[str, ...]]
) -> list[ExpandedPhrase]:
    tokens = phrase_words(pattern)
    if not tokens:
        raise VocabularyError(f"command '{command_id}' has an empty phrase; remove it or add words")
    if len(tokens) > MAX_PHRASE_WORDS:
        raise VocabularyError(
            f"command '{command_id}': phrase '{pattern}' has {len(tokens)} words; "
            f"at most {MAX_PHRASE_WORDS} are allowed"
        )
    if pattern.count("{") != pattern.count("}") or len(_SLOT_PATTERN.findall(pattern)) != pattern.count("{"):
        raise VocabularyError(
            f"command '{command_id}': phrase '{pattern}' has unbalanced braces; write slots as {{name}}"
        )

    parts: list[list[tuple[str, tuple[tuple[str, str], ...]]]] = []
    for token in tokens:
        parts.append(_expand_token(command_id, pattern, token, slots))

    expansions: list[ExpandedPhrase] = []
    for combination in itertools.product(*parts):
        text = normalize_text(" ".join(piece for piece, _ in combination))
        filled = tuple(slot for _, slot_values in combination for slot in slot_values)
        expansions.append(ExpandedPhrase(text, command_id, filled))
        if len(expansions) > MAX_EXPANDED_PHRASES:
            break
    return expansions


def _expand_token(
    command_id: str, pattern: str, token: str, slots: Mapping[str, tuple[str, ...]]
) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Return (text, filled slots) choices for one word or {slot} token."""
    match = _SLOT_PATTERN.fullmatch(token)
    if match is None:
        if "{" in token or "}" in token:
            raise VocabularyError(
                f"command '{command_id}': phrase '{pattern}' has a slot joined to other "
                f"characters in '{token}'; separate slots from words with spaces"
            )
        _check_word_forms(f"command '{command_id}' phrase '{pattern}'", [token])
        return [(token, ())]
    name = match.group(1).strip()
    if name not in slots:
        known = ", ".join(sorted(slots)) or "none defined"
        raise VocabularyError(
            f"command '{command_id}': phrase '{pattern}' refers to unknown slot '{{{name}}}'; "
            f"defined slots: {known}"
        )
    return [(value, ((name, value),)) for value in slots[name]]


def _check_pronunciations(
    vocabulary: Vocabulary,
    slots: Mapping[str, tuple[str, ...]],
    unknown_words: Callable[[Iterable[str]], list[str]],
) -> None:
    for command in vocabulary.commands:
        for pattern in command.phrases:
            words = [normalize_text(word) for word in phrase_words(pattern) if not _SLOT_PATTERN.fullmatch(word)]
            missing = unknown_words(" ".join(words).split())
            if missing:
                raise VocabularyError(
                    f"command '{command.id}': the recogniser cannot pronounce {missing} in phrase "
                    f"'{pattern}'; use dictionary words or choose the whisper engine"
                )
    for name, values in slots.items():
        missing = unknown_words(normalize_text(" ".join(values)).split())
        if missing:
            raise VocabularyError(
                f"slot '{name}': the recogniser cannot pronounce {missing}; "
                "use dictionary words or choose the whisper engine"
            )


# ---------------------------------------------------------------------------
# Matching


class PhraseMatcher:
    """Scores transcripts against the expanded phrases of one vocabulary.

    Similarity is rapidfuzz's normalised Indel ratio of the whole normalised
    strings, so extra or missing words lower it (unlike a token-set ratio,
    which scores "up down" 1.0 against "up").
    """

    def __init__(self, vocabulary: CompiledVocabulary, min_confidence: float = DEFAULT_MIN_CONFIDENCE):
        self.vocabulary = vocabulary
        self.min_confidence = min_confidence
        self._choices = [phrase.text for phrase in vocabulary.phrases]

    def match(self, transcript: str) -> MatchResult:
        """Map a recogniser transcript to the best command, or reject it."""
        text = normalize_text(transcript)
        if not text:
            return MatchResult("", (), text, 0.0, rejection_reason="no speech recognised")

        scored = process.extract(text, self._choices, scorer=fuzz.ratio, limit=None)
        heard = text.split()
        best_by_command: dict[str, tuple[float, ExpandedPhrase]] = {}
        unheard_slot: tuple[float, ExpandedPhrase, str] | None = None
        for _, score, index in scored:
            phrase = self.vocabulary.phrases[index]
            if phrase.command_id in best_by_command:
                continue
            missing = _unheard_slot_value(phrase, heard)
            if missing is None:
                best_by_command[phrase.command_id] = (score / 100.0, phrase)
            elif unheard_slot is None:
                unheard_slot = (score / 100.0, phrase, missing)
        if not best_by_command:
            score, phrase, missing = unheard_slot
            reason = f"no command matched '{text}' (closest '{phrase.text}' needs slot value '{missing}', which was not heard)"
            return MatchResult("", (), text, 0.0, (), reason)
        ranked = sorted(best_by_command.values(), key=lambda item: -item[0])
        best_score, best_phrase = ranked[0]
        if unheard_slot is not None and unheard_slot[0] > best_score and unheard_slot[0] >= self.min_confidence:
            score, phrase, missing = unheard_slot
            reason = f"no command matched '{text}' (closest '{phrase.text}' needs slot value '{missing}', which was not heard)"
            return MatchResult("", (), text, best_score, (), reason)
        alternatives = tuple(
            Alternative(phrase.command_id, phrase.slots, round(score, 4))
            for score, phrase in ranked[1 : 1 + MAX_ALTERNATIVES]
            if score >= MIN_ALTERNATIVE_CONFIDENCE
        )
        if best_score < self.min_confidence:
            reason = (
                f"no command matched '{text}' (closest '{best_phrase.text}' at "
                f"{best_score:.2f}, below {self.min_confidence:.2f})"
            )
            return MatchResult("", (), text, best_score, alternatives, reason)
        return MatchResult(best_phrase.command_id, best_phrase.slots, text, best_score, alternatives)

    def match_sequence(self, transcript: str) -> list[MatchResult]:
        """Map a transcript to one command, or to several spoken in a row.

        Returns [match(transcript)] when the whole transcript matches or no
        split of it into consecutive accepted phrases exists. Otherwise it
        returns one accepted result per phrase, in spoken order, choosing the
        split with the highest total of score times words.
        """
        whole = self.match(transcript)
        words = whole.transcript.split()
        if whole.accepted or not 2 <= len(words) <= MAX_SEQUENCE_WORDS:
            return [whole]
        segments = self._best_split(words)
        return segments if segments else [whole]

    def _best_split(self, words: list[str]) -> list[MatchResult]:
        longest = self.vocabulary.max_phrase_words + 2
        # best[i]: (total, results) of the best split of words[:i] into accepted phrases.
        best: list[tuple[float, list[MatchResult]] | None] = [None] * (len(words) + 1)
        best[0] = (0.0, [])
        for end in range(1, len(words) + 1):
            for start in range(max(0, end - longest), end):
                if best[start] is None:
                    continue
                segment = self._accepted_segment(" ".join(words[start:end]))
                if segment is None:
                    continue
                total = best[start][0] + segment.confidence * (end - start)
                if best[end] is None or total > best[end][0]:
                    best[end] = (total, best[start][1] + [segment])
        return best[-1][1] if best[-1] is not None and len(best[-1][1]) > 1 else []

    def _accepted_segment(self, text: str) -> MatchResult | None:
        found = process.extractOne(text, self._choices, scorer=fuzz.ratio, score_cutoff=100 * self.min_confidence)
        if found is None:
            return None
        _, score, index = found
        phrase = self.vocabulary.phrases[index]
        if _unheard_slot_value(phrase, text.split()) is not None:
            return None
        return MatchResult(phrase.command_id, phrase.slots, text, score / 100.0)


def _unheard_slot_value(phrase: ExpandedPhrase, heard: list[str]) -> str | None:
    """Return the first slot value of ``phrase`` missing from the transcript words, or None.

    Whole-phrase similarity lets one wrong word through ("select the black
    cube" scores 0.88 against "select the blue cube"), so every word of every
    slot value must itself be close to a word that was heard.
    """
    for _, value in phrase.slots:
        for word in normalize_text(value).split():
            if not any(fuzz.ratio(word, spoken) >= 100 * MIN_SLOT_WORD_SIMILARITY for spoken in heard):
                return value
    return None
