from vrperception.api.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Handedness(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HANDEDNESS_UNSPECIFIED: _ClassVar[Handedness]
    HANDEDNESS_LEFT: _ClassVar[Handedness]
    HANDEDNESS_RIGHT: _ClassVar[Handedness]

class ModelComplexity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_COMPLEXITY_UNSPECIFIED: _ClassVar[ModelComplexity]
    MODEL_COMPLEXITY_LITE: _ClassVar[ModelComplexity]
    MODEL_COMPLEXITY_FULL: _ClassVar[ModelComplexity]

class GestureType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GESTURE_TYPE_UNSPECIFIED: _ClassVar[GestureType]
    GESTURE_TYPE_NONE: _ClassVar[GestureType]
    GESTURE_TYPE_CLOSED_FIST: _ClassVar[GestureType]
    GESTURE_TYPE_OPEN_PALM: _ClassVar[GestureType]
    GESTURE_TYPE_POINTING_UP: _ClassVar[GestureType]
    GESTURE_TYPE_THUMB_DOWN: _ClassVar[GestureType]
    GESTURE_TYPE_THUMB_UP: _ClassVar[GestureType]
    GESTURE_TYPE_VICTORY: _ClassVar[GestureType]
    GESTURE_TYPE_I_LOVE_YOU: _ClassVar[GestureType]
    GESTURE_TYPE_PINCH: _ClassVar[GestureType]
    GESTURE_TYPE_OK: _ClassVar[GestureType]
    GESTURE_TYPE_CUSTOM: _ClassVar[GestureType]

class HandEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HAND_EVENT_TYPE_UNSPECIFIED: _ClassVar[HandEventType]
    HAND_EVENT_TYPE_HAND_FOUND: _ClassVar[HandEventType]
    HAND_EVENT_TYPE_HAND_LOST: _ClassVar[HandEventType]
    HAND_EVENT_TYPE_GESTURE_BEGAN: _ClassVar[HandEventType]
    HAND_EVENT_TYPE_GESTURE_ENDED: _ClassVar[HandEventType]
    HAND_EVENT_TYPE_PINCH_STARTED: _ClassVar[HandEventType]
    HAND_EVENT_TYPE_PINCH_ENDED: _ClassVar[HandEventType]
HANDEDNESS_UNSPECIFIED: Handedness
HANDEDNESS_LEFT: Handedness
HANDEDNESS_RIGHT: Handedness
MODEL_COMPLEXITY_UNSPECIFIED: ModelComplexity
MODEL_COMPLEXITY_LITE: ModelComplexity
MODEL_COMPLEXITY_FULL: ModelComplexity
GESTURE_TYPE_UNSPECIFIED: GestureType
GESTURE_TYPE_NONE: GestureType
GESTURE_TYPE_CLOSED_FIST: GestureType
GESTURE_TYPE_OPEN_PALM: GestureType
GESTURE_TYPE_POINTING_UP: GestureType
GESTURE_TYPE_THUMB_DOWN: GestureType
GESTURE_TYPE_THUMB_UP: GestureType
GESTURE_TYPE_VICTORY: GestureType
GESTURE_TYPE_I_LOVE_YOU: GestureType
GESTURE_TYPE_PINCH: GestureType
GESTURE_TYPE_OK: GestureType
GESTURE_TYPE_CUSTOM: GestureType
HAND_EVENT_TYPE_UNSPECIFIED: HandEventType
HAND_EVENT_TYPE_HAND_FOUND: HandEventType
HAND_EVENT_TYPE_HAND_LOST: HandEventType
HAND_EVENT_TYPE_GESTURE_BEGAN: HandEventType
HAND_EVENT_TYPE_GESTURE_ENDED: HandEventType
HAND_EVENT_TYPE_PINCH_STARTED: HandEventType
HAND_EVENT_TYPE_PINCH_ENDED: HandEventType

class Landmark(_message.Message):
    __slots__ = ("x", "y", "z")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    Z_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    z: float
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ..., z: _Optional[float] = ...) -> None: ...

class GestureCandidate(_message.Message):
    __slots__ = ("type", "name", "score")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    type: GestureType
    name: str
    score: float
    def __init__(self, type: _Optional[_Union[GestureType, str]] = ..., name: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class Gesture(_message.Message):
    __slots__ = ("type", "name", "score", "alternatives")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ALTERNATIVES_FIELD_NUMBER: _ClassVar[int]
    type: GestureType
    name: str
    score: float
    alternatives: _containers.RepeatedCompositeFieldContainer[GestureCandidate]
    def __init__(self, type: _Optional[_Union[GestureType, str]] = ..., name: _Optional[str] = ..., score: _Optional[float] = ..., alternatives: _Optional[_Iterable[_Union[GestureCandidate, _Mapping]]] = ...) -> None: ...

class Hand(_message.Message):
    __slots__ = ("tracking_id", "handedness", "handedness_score", "landmarks", "world_landmarks", "bounding_box", "score", "gesture", "pinch_strength", "grab_strength")
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    HANDEDNESS_FIELD_NUMBER: _ClassVar[int]
    HANDEDNESS_SCORE_FIELD_NUMBER: _ClassVar[int]
    LANDMARKS_FIELD_NUMBER: _ClassVar[int]
    WORLD_LANDMARKS_FIELD_NUMBER: _ClassVar[int]
    BOUNDING_BOX_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    GESTURE_FIELD_NUMBER: _ClassVar[int]
    PINCH_STRENGTH_FIELD_NUMBER: _ClassVar[int]
    GRAB_STRENGTH_FIELD_NUMBER: _ClassVar[int]
    tracking_id: int
    handedness: Handedness
    handedness_score: float
    landmarks: _containers.RepeatedCompositeFieldContainer[Landmark]
    world_landmarks: _containers.RepeatedCompositeFieldContainer[_common_pb2.Vector3]
    bounding_box: _common_pb2.NormalizedBox
    score: float
    gesture: Gesture
    pinch_strength: float
    grab_strength: float
    def __init__(self, tracking_id: _Optional[int] = ..., handedness: _Optional[_Union[Handedness, str]] = ..., handedness_score: _Optional[float] = ..., landmarks: _Optional[_Iterable[_Union[Landmark, _Mapping]]] = ..., world_landmarks: _Optional[_Iterable[_Union[_common_pb2.Vector3, _Mapping]]] = ..., bounding_box: _Optional[_Union[_common_pb2.NormalizedBox, _Mapping]] = ..., score: _Optional[float] = ..., gesture: _Optional[_Union[Gesture, _Mapping]] = ..., pinch_strength: _Optional[float] = ..., grab_strength: _Optional[float] = ...) -> None: ...

class HandEvent(_message.Message):
    __slots__ = ("type", "tracking_id", "handedness", "gesture", "gesture_name")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    HANDEDNESS_FIELD_NUMBER: _ClassVar[int]
    GESTURE_FIELD_NUMBER: _ClassVar[int]
    GESTURE_NAME_FIELD_NUMBER: _ClassVar[int]
    type: HandEventType
    tracking_id: int
    handedness: Handedness
    gesture: GestureType
    gesture_name: str
    def __init__(self, type: _Optional[_Union[HandEventType, str]] = ..., tracking_id: _Optional[int] = ..., handedness: _Optional[_Union[Handedness, str]] = ..., gesture: _Optional[_Union[GestureType, str]] = ..., gesture_name: _Optional[str] = ...) -> None: ...

class HandsConfig(_message.Message):
    __slots__ = ("max_hands", "min_detection_confidence", "min_tracking_confidence", "model_complexity", "disable_gestures")
    MAX_HANDS_FIELD_NUMBER: _ClassVar[int]
    MIN_DETECTION_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MIN_TRACKING_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MODEL_COMPLEXITY_FIELD_NUMBER: _ClassVar[int]
    DISABLE_GESTURES_FIELD_NUMBER: _ClassVar[int]
    max_hands: int
    min_detection_confidence: float
    min_tracking_confidence: float
    model_complexity: ModelComplexity
    disable_gestures: bool
    def __init__(self, max_hands: _Optional[int] = ..., min_detection_confidence: _Optional[float] = ..., min_tracking_confidence: _Optional[float] = ..., model_complexity: _Optional[_Union[ModelComplexity, str]] = ..., disable_gestures: bool = ...) -> None: ...

class DetectHandsRequest(_message.Message):
    __slots__ = ("frame", "config")
    FRAME_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    frame: _common_pb2.ImageFrame
    config: HandsConfig
    def __init__(self, frame: _Optional[_Union[_common_pb2.ImageFrame, _Mapping]] = ..., config: _Optional[_Union[HandsConfig, _Mapping]] = ...) -> None: ...

class TrackHandsRequest(_message.Message):
    __slots__ = ("config", "frame")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    FRAME_FIELD_NUMBER: _ClassVar[int]
    config: HandsConfig
    frame: _common_pb2.ImageFrame
    def __init__(self, config: _Optional[_Union[HandsConfig, _Mapping]] = ..., frame: _Optional[_Union[_common_pb2.ImageFrame, _Mapping]] = ...) -> None: ...

class HandsResult(_message.Message):
    __slots__ = ("frame", "hands", "events", "timings")
    FRAME_FIELD_NUMBER: _ClassVar[int]
    HANDS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_FIELD_NUMBER: _ClassVar[int]
    frame: _common_pb2.FrameInfo
    hands: _containers.RepeatedCompositeFieldContainer[Hand]
    events: _containers.RepeatedCompositeFieldContainer[HandEvent]
    timings: _common_pb2.StageTimings
    def __init__(self, frame: _Optional[_Union[_common_pb2.FrameInfo, _Mapping]] = ..., hands: _Optional[_Iterable[_Union[Hand, _Mapping]]] = ..., events: _Optional[_Iterable[_Union[HandEvent, _Mapping]]] = ..., timings: _Optional[_Union[_common_pb2.StageTimings, _Mapping]] = ...) -> None: ...
