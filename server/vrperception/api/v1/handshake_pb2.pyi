from vrperception.api.v1 import common_pb2 as _common_pb2
from vrperception.api.v1 import voice_pb2 as _voice_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Capability(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAPABILITY_UNSPECIFIED: _ClassVar[Capability]
    CAPABILITY_HAND_TRACKING: _ClassVar[Capability]
    CAPABILITY_GESTURES: _ClassVar[Capability]
    CAPABILITY_OBJECT_DETECTION: _ClassVar[Capability]
    CAPABILITY_MARKERS: _ClassVar[Capability]
    CAPABILITY_VOICE_COMMANDS: _ClassVar[Capability]
CAPABILITY_UNSPECIFIED: Capability
CAPABILITY_HAND_TRACKING: Capability
CAPABILITY_GESTURES: Capability
CAPABILITY_OBJECT_DETECTION: Capability
CAPABILITY_MARKERS: Capability
CAPABILITY_VOICE_COMMANDS: Capability

class HandshakeRequest(_message.Message):
    __slots__ = ("protocol_version", "client_name", "client_version")
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    CLIENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    protocol_version: str
    client_name: str
    client_version: str
    def __init__(self, protocol_version: _Optional[str] = ..., client_name: _Optional[str] = ..., client_version: _Optional[str] = ...) -> None: ...

class ModelInfo(_message.Message):
    __slots__ = ("name", "task", "version", "source", "sha256")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    name: str
    task: str
    version: str
    source: str
    sha256: str
    def __init__(self, name: _Optional[str] = ..., task: _Optional[str] = ..., version: _Optional[str] = ..., source: _Optional[str] = ..., sha256: _Optional[str] = ...) -> None: ...

class ServerLimits(_message.Message):
    __slots__ = ("max_message_bytes", "max_frame_bytes", "max_width", "max_height", "image_encodings", "audio_sample_rates_hz", "audio_encodings", "max_audio_chunk_ms", "max_streams", "max_hands")
    MAX_MESSAGE_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAME_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_WIDTH_FIELD_NUMBER: _ClassVar[int]
    MAX_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    IMAGE_ENCODINGS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_SAMPLE_RATES_HZ_FIELD_NUMBER: _ClassVar[int]
    AUDIO_ENCODINGS_FIELD_NUMBER: _ClassVar[int]
    MAX_AUDIO_CHUNK_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_STREAMS_FIELD_NUMBER: _ClassVar[int]
    MAX_HANDS_FIELD_NUMBER: _ClassVar[int]
    max_message_bytes: int
    max_frame_bytes: int
    max_width: int
    max_height: int
    image_encodings: _containers.RepeatedScalarFieldContainer[_common_pb2.ImageEncoding]
    audio_sample_rates_hz: _containers.RepeatedScalarFieldContainer[int]
    audio_encodings: _containers.RepeatedScalarFieldContainer[_voice_pb2.AudioEncoding]
    max_audio_chunk_ms: int
    max_streams: int
    max_hands: int
    def __init__(self, max_message_bytes: _Optional[int] = ..., max_frame_bytes: _Optional[int] = ..., max_width: _Optional[int] = ..., max_height: _Optional[int] = ..., image_encodings: _Optional[_Iterable[_Union[_common_pb2.ImageEncoding, str]]] = ..., audio_sample_rates_hz: _Optional[_Iterable[int]] = ..., audio_encodings: _Optional[_Iterable[_Union[_voice_pb2.AudioEncoding, str]]] = ..., max_audio_chunk_ms: _Optional[int] = ..., max_streams: _Optional[int] = ..., max_hands: _Optional[int] = ...) -> None: ...

class HandshakeResponse(_message.Message):
    __slots__ = ("protocol_version", "protocol_major", "protocol_minor", "server_version", "capabilities", "models", "limits")
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_MAJOR_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_MINOR_FIELD_NUMBER: _ClassVar[int]
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    protocol_version: str
    protocol_major: int
    protocol_minor: int
    server_version: str
    capabilities: _containers.RepeatedScalarFieldContainer[Capability]
    models: _containers.RepeatedCompositeFieldContainer[ModelInfo]
    limits: ServerLimits
    def __init__(self, protocol_version: _Optional[str] = ..., protocol_major: _Optional[int] = ..., protocol_minor: _Optional[int] = ..., server_version: _Optional[str] = ..., capabilities: _Optional[_Iterable[_Union[Capability, str]]] = ..., models: _Optional[_Iterable[_Union[ModelInfo, _Mapping]]] = ..., limits: _Optional[_Union[ServerLimits, _Mapping]] = ...) -> None: ...
