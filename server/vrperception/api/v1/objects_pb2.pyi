from vrperception.api.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MarkerDictionary(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MARKER_DICTIONARY_UNSPECIFIED: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_4X4_50: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_4X4_100: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_4X4_250: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_4X4_1000: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_5X5_50: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_5X5_100: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_5X5_250: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_5X5_1000: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_6X6_50: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_6X6_100: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_6X6_250: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_6X6_1000: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_ARUCO_ORIGINAL: _ClassVar[MarkerDictionary]
    MARKER_DICTIONARY_APRILTAG_36H11: _ClassVar[MarkerDictionary]
MARKER_DICTIONARY_UNSPECIFIED: MarkerDictionary
MARKER_DICTIONARY_ARUCO_4X4_50: MarkerDictionary
MARKER_DICTIONARY_ARUCO_4X4_100: MarkerDictionary
MARKER_DICTIONARY_ARUCO_4X4_250: MarkerDictionary
MARKER_DICTIONARY_ARUCO_4X4_1000: MarkerDictionary
MARKER_DICTIONARY_ARUCO_5X5_50: MarkerDictionary
MARKER_DICTIONARY_ARUCO_5X5_100: MarkerDictionary
MARKER_DICTIONARY_ARUCO_5X5_250: MarkerDictionary
MARKER_DICTIONARY_ARUCO_5X5_1000: MarkerDictionary
MARKER_DICTIONARY_ARUCO_6X6_50: MarkerDictionary
MARKER_DICTIONARY_ARUCO_6X6_100: MarkerDictionary
MARKER_DICTIONARY_ARUCO_6X6_250: MarkerDictionary
MARKER_DICTIONARY_ARUCO_6X6_1000: MarkerDictionary
MARKER_DICTIONARY_ARUCO_ORIGINAL: MarkerDictionary
MARKER_DICTIONARY_APRILTAG_36H11: MarkerDictionary

class CharucoBoard(_message.Message):
    __slots__ = ("squares_x", "squares_y", "square_length_m", "marker_length_m", "dictionary")
    SQUARES_X_FIELD_NUMBER: _ClassVar[int]
    SQUARES_Y_FIELD_NUMBER: _ClassVar[int]
    SQUARE_LENGTH_M_FIELD_NUMBER: _ClassVar[int]
    MARKER_LENGTH_M_FIELD_NUMBER: _ClassVar[int]
    DICTIONARY_FIELD_NUMBER: _ClassVar[int]
    squares_x: int
    squares_y: int
    square_length_m: float
    marker_length_m: float
    dictionary: MarkerDictionary
    def __init__(self, squares_x: _Optional[int] = ..., squares_y: _Optional[int] = ..., square_length_m: _Optional[float] = ..., marker_length_m: _Optional[float] = ..., dictionary: _Optional[_Union[MarkerDictionary, str]] = ...) -> None: ...

class MarkerConfig(_message.Message):
    __slots__ = ("dictionaries", "marker_size_m", "charuco_board")
    DICTIONARIES_FIELD_NUMBER: _ClassVar[int]
    MARKER_SIZE_M_FIELD_NUMBER: _ClassVar[int]
    CHARUCO_BOARD_FIELD_NUMBER: _ClassVar[int]
    dictionaries: _containers.RepeatedScalarFieldContainer[MarkerDictionary]
    marker_size_m: float
    charuco_board: CharucoBoard
    def __init__(self, dictionaries: _Optional[_Iterable[_Union[MarkerDictionary, str]]] = ..., marker_size_m: _Optional[float] = ..., charuco_board: _Optional[_Union[CharucoBoard, _Mapping]] = ...) -> None: ...

class ObjectsConfig(_message.Message):
    __slots__ = ("class_allowlist", "score_threshold", "max_detections", "input_size", "markers", "disable_detector")
    CLASS_ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    SCORE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MAX_DETECTIONS_FIELD_NUMBER: _ClassVar[int]
    INPUT_SIZE_FIELD_NUMBER: _ClassVar[int]
    MARKERS_FIELD_NUMBER: _ClassVar[int]
    DISABLE_DETECTOR_FIELD_NUMBER: _ClassVar[int]
    class_allowlist: _containers.RepeatedScalarFieldContainer[str]
    score_threshold: float
    max_detections: int
    input_size: int
    markers: MarkerConfig
    disable_detector: bool
    def __init__(self, class_allowlist: _Optional[_Iterable[str]] = ..., score_threshold: _Optional[float] = ..., max_detections: _Optional[int] = ..., input_size: _Optional[int] = ..., markers: _Optional[_Union[MarkerConfig, _Mapping]] = ..., disable_detector: bool = ...) -> None: ...

class Detection(_message.Message):
    __slots__ = ("tracking_id", "label", "class_id", "score", "box")
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    CLASS_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    BOX_FIELD_NUMBER: _ClassVar[int]
    tracking_id: int
    label: str
    class_id: int
    score: float
    box: _common_pb2.NormalizedBox
    def __init__(self, tracking_id: _Optional[int] = ..., label: _Optional[str] = ..., class_id: _Optional[int] = ..., score: _Optional[float] = ..., box: _Optional[_Union[_common_pb2.NormalizedBox, _Mapping]] = ...) -> None: ...

class Marker(_message.Message):
    __slots__ = ("dictionary", "id", "corners", "pose_in_camera", "pose_in_world", "reprojection_error_px")
    DICTIONARY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    CORNERS_FIELD_NUMBER: _ClassVar[int]
    POSE_IN_CAMERA_FIELD_NUMBER: _ClassVar[int]
    POSE_IN_WORLD_FIELD_NUMBER: _ClassVar[int]
    REPROJECTION_ERROR_PX_FIELD_NUMBER: _ClassVar[int]
    dictionary: MarkerDictionary
    id: int
    corners: _containers.RepeatedCompositeFieldContainer[_common_pb2.NormalizedPoint]
    pose_in_camera: _common_pb2.Pose
    pose_in_world: _common_pb2.Pose
    reprojection_error_px: float
    def __init__(self, dictionary: _Optional[_Union[MarkerDictionary, str]] = ..., id: _Optional[int] = ..., corners: _Optional[_Iterable[_Union[_common_pb2.NormalizedPoint, _Mapping]]] = ..., pose_in_camera: _Optional[_Union[_common_pb2.Pose, _Mapping]] = ..., pose_in_world: _Optional[_Union[_common_pb2.Pose, _Mapping]] = ..., reprojection_error_px: _Optional[float] = ...) -> None: ...

class BoardPose(_message.Message):
    __slots__ = ("pose_in_camera", "pose_in_world", "corner_count", "reprojection_error_px")
    POSE_IN_CAMERA_FIELD_NUMBER: _ClassVar[int]
    POSE_IN_WORLD_FIELD_NUMBER: _ClassVar[int]
    CORNER_COUNT_FIELD_NUMBER: _ClassVar[int]
    REPROJECTION_ERROR_PX_FIELD_NUMBER: _ClassVar[int]
    pose_in_camera: _common_pb2.Pose
    pose_in_world: _common_pb2.Pose
    corner_count: int
    reprojection_error_px: float
    def __init__(self, pose_in_camera: _Optional[_Union[_common_pb2.Pose, _Mapping]] = ..., pose_in_world: _Optional[_Union[_common_pb2.Pose, _Mapping]] = ..., corner_count: _Optional[int] = ..., reprojection_error_px: _Optional[float] = ...) -> None: ...

class DetectObjectsRequest(_message.Message):
    __slots__ = ("frame", "config")
    FRAME_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    frame: _common_pb2.ImageFrame
    config: ObjectsConfig
    def __init__(self, frame: _Optional[_Union[_common_pb2.ImageFrame, _Mapping]] = ..., config: _Optional[_Union[ObjectsConfig, _Mapping]] = ...) -> None: ...

class TrackObjectsRequest(_message.Message):
    __slots__ = ("config", "frame")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    FRAME_FIELD_NUMBER: _ClassVar[int]
    config: ObjectsConfig
    frame: _common_pb2.ImageFrame
    def __init__(self, config: _Optional[_Union[ObjectsConfig, _Mapping]] = ..., frame: _Optional[_Union[_common_pb2.ImageFrame, _Mapping]] = ...) -> None: ...

class ObjectsResult(_message.Message):
    __slots__ = ("frame", "detections", "markers", "board", "timings")
    FRAME_FIELD_NUMBER: _ClassVar[int]
    DETECTIONS_FIELD_NUMBER: _ClassVar[int]
    MARKERS_FIELD_NUMBER: _ClassVar[int]
    BOARD_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_FIELD_NUMBER: _ClassVar[int]
    frame: _common_pb2.FrameInfo
    detections: _containers.RepeatedCompositeFieldContainer[Detection]
    markers: _containers.RepeatedCompositeFieldContainer[Marker]
    board: BoardPose
    timings: _common_pb2.StageTimings
    def __init__(self, frame: _Optional[_Union[_common_pb2.FrameInfo, _Mapping]] = ..., detections: _Optional[_Iterable[_Union[Detection, _Mapping]]] = ..., markers: _Optional[_Iterable[_Union[Marker, _Mapping]]] = ..., board: _Optional[_Union[BoardPose, _Mapping]] = ..., timings: _Optional[_Union[_common_pb2.StageTimings, _Mapping]] = ...) -> None: ...
