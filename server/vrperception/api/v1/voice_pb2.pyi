from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AudioEncoding(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIO_ENCODING_UNSPECIFIED: _ClassVar[AudioEncoding]
    AUDIO_ENCODING_PCM16LE: _ClassVar[AudioEncoding]
    AUDIO_ENCODING_FLOAT32LE: _ClassVar[AudioEncoding]

class RecognizerEngine(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECOGNIZER_ENGINE_UNSPECIFIED: _ClassVar[RecognizerEngine]
    RECOGNIZER_ENGINE_WHISPER: _ClassVar[RecognizerEngine]
    RECOGNIZER_ENGINE_GRAMMAR: _ClassVar[RecognizerEngine]
AUDIO_ENCODING_UNSPECIFIED: AudioEncoding
AUDIO_ENCODING_PCM16LE: AudioEncoding
AUDIO_ENCODING_FLOAT32LE: AudioEncoding
RECOGNIZER_ENGINE_UNSPECIFIED: RecognizerEngine
RECOGNIZER_ENGINE_WHISPER: RecognizerEngine
RECOGNIZER_ENGINE_GRAMMAR: RecognizerEngine

class AudioFormat(_message.Message):
    __slots__ = ("sample_rate_hz", "encoding", "channels")
    SAMPLE_RATE_HZ_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    sample_rate_hz: int
    encoding: AudioEncoding
    channels: int
    def __init__(self, sample_rate_hz: _Optional[int] = ..., encoding: _Optional[_Union[AudioEncoding, str]] = ..., channels: _Optional[int] = ...) -> None: ...

class SlotType(_message.Message):
    __slots__ = ("name", "values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class CommandDefinition(_message.Message):
    __slots__ = ("id", "phrases")
    ID_FIELD_NUMBER: _ClassVar[int]
    PHRASES_FIELD_NUMBER: _ClassVar[int]
    id: str
    phrases: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., phrases: _Optional[_Iterable[str]] = ...) -> None: ...

class Vocabulary(_message.Message):
    __slots__ = ("commands", "slot_types")
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    SLOT_TYPES_FIELD_NUMBER: _ClassVar[int]
    commands: _containers.RepeatedCompositeFieldContainer[CommandDefinition]
    slot_types: _containers.RepeatedCompositeFieldContainer[SlotType]
    def __init__(self, commands: _Optional[_Iterable[_Union[CommandDefinition, _Mapping]]] = ..., slot_types: _Optional[_Iterable[_Union[SlotType, _Mapping]]] = ...) -> None: ...

class Endpointing(_message.Message):
    __slots__ = ("silence_ms", "max_utterance_ms")
    SILENCE_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_UTTERANCE_MS_FIELD_NUMBER: _ClassVar[int]
    silence_ms: int
    max_utterance_ms: int
    def __init__(self, silence_ms: _Optional[int] = ..., max_utterance_ms: _Optional[int] = ...) -> None: ...

class RecognizerConfig(_message.Message):
    __slots__ = ("audio", "language", "vocabulary", "endpointing", "engine", "min_confidence", "interim_results")
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    VOCABULARY_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTING_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    MIN_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    INTERIM_RESULTS_FIELD_NUMBER: _ClassVar[int]
    audio: AudioFormat
    language: str
    vocabulary: Vocabulary
    endpointing: Endpointing
    engine: RecognizerEngine
    min_confidence: float
    interim_results: bool
    def __init__(self, audio: _Optional[_Union[AudioFormat, _Mapping]] = ..., language: _Optional[str] = ..., vocabulary: _Optional[_Union[Vocabulary, _Mapping]] = ..., endpointing: _Optional[_Union[Endpointing, _Mapping]] = ..., engine: _Optional[_Union[RecognizerEngine, str]] = ..., min_confidence: _Optional[float] = ..., interim_results: bool = ...) -> None: ...

class PushToTalk(_message.Message):
    __slots__ = ("action",)
    class Action(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        ACTION_UNSPECIFIED: _ClassVar[PushToTalk.Action]
        ACTION_START: _ClassVar[PushToTalk.Action]
        ACTION_END: _ClassVar[PushToTalk.Action]
    ACTION_UNSPECIFIED: PushToTalk.Action
    ACTION_START: PushToTalk.Action
    ACTION_END: PushToTalk.Action
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: PushToTalk.Action
    def __init__(self, action: _Optional[_Union[PushToTalk.Action, str]] = ...) -> None: ...

class AudioChunk(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class RecognizeCommandsRequest(_message.Message):
    __slots__ = ("config", "audio", "push_to_talk", "vocabulary")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    PUSH_TO_TALK_FIELD_NUMBER: _ClassVar[int]
    VOCABULARY_FIELD_NUMBER: _ClassVar[int]
    config: RecognizerConfig
    audio: AudioChunk
    push_to_talk: PushToTalk
    vocabulary: Vocabulary
    def __init__(self, config: _Optional[_Union[RecognizerConfig, _Mapping]] = ..., audio: _Optional[_Union[AudioChunk, _Mapping]] = ..., push_to_talk: _Optional[_Union[PushToTalk, _Mapping]] = ..., vocabulary: _Optional[_Union[Vocabulary, _Mapping]] = ...) -> None: ...

class SlotValue(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class CommandAlternative(_message.Message):
    __slots__ = ("command_id", "slots", "confidence")
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    command_id: str
    slots: _containers.RepeatedCompositeFieldContainer[SlotValue]
    confidence: float
    def __init__(self, command_id: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[SlotValue, _Mapping]]] = ..., confidence: _Optional[float] = ...) -> None: ...

class VoiceTimings(_message.Message):
    __slots__ = ("recognition_ms", "matching_ms", "end_of_speech_to_result_ms")
    RECOGNITION_MS_FIELD_NUMBER: _ClassVar[int]
    MATCHING_MS_FIELD_NUMBER: _ClassVar[int]
    END_OF_SPEECH_TO_RESULT_MS_FIELD_NUMBER: _ClassVar[int]
    recognition_ms: float
    matching_ms: float
    end_of_speech_to_result_ms: float
    def __init__(self, recognition_ms: _Optional[float] = ..., matching_ms: _Optional[float] = ..., end_of_speech_to_result_ms: _Optional[float] = ...) -> None: ...

class CommandResult(_message.Message):
    __slots__ = ("command_id", "slots", "transcript", "confidence", "alternatives", "start_ms", "end_ms", "timings", "rejection_reason")
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    ALTERNATIVES_FIELD_NUMBER: _ClassVar[int]
    START_MS_FIELD_NUMBER: _ClassVar[int]
    END_MS_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    command_id: str
    slots: _containers.RepeatedCompositeFieldContainer[SlotValue]
    transcript: str
    confidence: float
    alternatives: _containers.RepeatedCompositeFieldContainer[CommandAlternative]
    start_ms: int
    end_ms: int
    timings: VoiceTimings
    rejection_reason: str
    def __init__(self, command_id: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[SlotValue, _Mapping]]] = ..., transcript: _Optional[str] = ..., confidence: _Optional[float] = ..., alternatives: _Optional[_Iterable[_Union[CommandAlternative, _Mapping]]] = ..., start_ms: _Optional[int] = ..., end_ms: _Optional[int] = ..., timings: _Optional[_Union[VoiceTimings, _Mapping]] = ..., rejection_reason: _Optional[str] = ...) -> None: ...

class InterimHypothesis(_message.Message):
    __slots__ = ("transcript", "start_ms")
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    START_MS_FIELD_NUMBER: _ClassVar[int]
    transcript: str
    start_ms: int
    def __init__(self, transcript: _Optional[str] = ..., start_ms: _Optional[int] = ...) -> None: ...

class UtteranceEvent(_message.Message):
    __slots__ = ("type", "offset_ms")
    class Type(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        TYPE_UNSPECIFIED: _ClassVar[UtteranceEvent.Type]
        TYPE_SPEECH_STARTED: _ClassVar[UtteranceEvent.Type]
        TYPE_SPEECH_ENDED: _ClassVar[UtteranceEvent.Type]
    TYPE_UNSPECIFIED: UtteranceEvent.Type
    TYPE_SPEECH_STARTED: UtteranceEvent.Type
    TYPE_SPEECH_ENDED: UtteranceEvent.Type
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_MS_FIELD_NUMBER: _ClassVar[int]
    type: UtteranceEvent.Type
    offset_ms: int
    def __init__(self, type: _Optional[_Union[UtteranceEvent.Type, str]] = ..., offset_ms: _Optional[int] = ...) -> None: ...

class RecognizeCommandsResponse(_message.Message):
    __slots__ = ("interim", "utterance", "result")
    INTERIM_FIELD_NUMBER: _ClassVar[int]
    UTTERANCE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    interim: InterimHypothesis
    utterance: UtteranceEvent
    result: CommandResult
    def __init__(self, interim: _Optional[_Union[InterimHypothesis, _Mapping]] = ..., utterance: _Optional[_Union[UtteranceEvent, _Mapping]] = ..., result: _Optional[_Union[CommandResult, _Mapping]] = ...) -> None: ...

class RecognizeClipRequest(_message.Message):
    __slots__ = ("config", "audio")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    config: RecognizerConfig
    audio: bytes
    def __init__(self, config: _Optional[_Union[RecognizerConfig, _Mapping]] = ..., audio: _Optional[bytes] = ...) -> None: ...

class RecognizeClipResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CommandResult]
    def __init__(self, results: _Optional[_Iterable[_Union[CommandResult, _Mapping]]] = ...) -> None: ...
