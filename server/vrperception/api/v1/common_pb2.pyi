from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ImageEncoding(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMAGE_ENCODING_UNSPECIFIED: _ClassVar[ImageEncoding]
    IMAGE_ENCODING_RAW_RGB8: _ClassVar[ImageEncoding]
    IMAGE_ENCODING_RAW_RGBA8: _ClassVar[ImageEncoding]
    IMAGE_ENCODING_RAW_BGRA8: _ClassVar[ImageEncoding]
    IMAGE_ENCODING_RAW_GRAY8: _ClassVar[ImageEncoding]
    IMAGE_ENCODING_JPEG: _ClassVar[ImageEncoding]
    IMAGE_ENCODING_PNG: _ClassVar[ImageEncoding]

class RowOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROW_ORDER_UNSPECIFIED: _ClassVar[RowOrder]
    ROW_ORDER_TOP_DOWN: _ClassVar[RowOrder]
    ROW_ORDER_BOTTOM_UP: _ClassVar[RowOrder]

class Rotation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROTATION_UNSPECIFIED: _ClassVar[Rotation]
    ROTATION_0: _ClassVar[Rotation]
    ROTATION_90: _ClassVar[Rotation]
    ROTATION_180: _ClassVar[Rotation]
    ROTATION_270: _ClassVar[Rotation]
IMAGE_ENCODING_UNSPECIFIED: ImageEncoding
IMAGE_ENCODING_RAW_RGB8: ImageEncoding
IMAGE_ENCODING_RAW_RGBA8: ImageEncoding
IMAGE_ENCODING_RAW_BGRA8: ImageEncoding
IMAGE_ENCODING_RAW_GRAY8: ImageEncoding
IMAGE_ENCODING_JPEG: ImageEncoding
IMAGE_ENCODING_PNG: ImageEncoding
ROW_ORDER_UNSPECIFIED: RowOrder
ROW_ORDER_TOP_DOWN: RowOrder
ROW_ORDER_BOTTOM_UP: RowOrder
ROTATION_UNSPECIFIED: Rotation
ROTATION_0: Rotation
ROTATION_90: Rotation
ROTATION_180: Rotation
ROTATION_270: Rotation

class CameraIntrinsics(_message.Message):
    __slots__ = ("fx", "fy", "cx", "cy", "distortion")
    FX_FIELD_NUMBER: _ClassVar[int]
    FY_FIELD_NUMBER: _ClassVar[int]
    CX_FIELD_NUMBER: _ClassVar[int]
    CY_FIELD_NUMBER: _ClassVar[int]
    DISTORTION_FIELD_NUMBER: _ClassVar[int]
    fx: float
    fy: float
    cx: float
    cy: float
    distortion: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, fx: _Optional[float] = ..., fy: _Optional[float] = ..., cx: _Optional[float] = ..., cy: _Optional[float] = ..., distortion: _Optional[_Iterable[float]] = ...) -> None: ...

class Vector3(_message.Message):
    __slots__ = ("x", "y", "z")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    Z_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    z: float
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ..., z: _Optional[float] = ...) -> None: ...

class Quaternion(_message.Message):
    __slots__ = ("x", "y", "z", "w")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    Z_FIELD_NUMBER: _ClassVar[int]
    W_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    z: float
    w: float
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ..., z: _Optional[float] = ..., w: _Optional[float] = ...) -> None: ...

class Pose(_message.Message):
    __slots__ = ("position_m", "rotation")
    POSITION_M_FIELD_NUMBER: _ClassVar[int]
    ROTATION_FIELD_NUMBER: _ClassVar[int]
    position_m: Vector3
    rotation: Quaternion
    def __init__(self, position_m: _Optional[_Union[Vector3, _Mapping]] = ..., rotation: _Optional[_Union[Quaternion, _Mapping]] = ...) -> None: ...

class ImageFrame(_message.Message):
    __slots__ = ("encoding", "data", "width", "height", "row_stride_bytes", "row_order", "rotation", "mirrored", "frame_id", "capture_time_us", "intrinsics", "camera_to_world")
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    ROW_STRIDE_BYTES_FIELD_NUMBER: _ClassVar[int]
    ROW_ORDER_FIELD_NUMBER: _ClassVar[int]
    ROTATION_FIELD_NUMBER: _ClassVar[int]
    MIRRORED_FIELD_NUMBER: _ClassVar[int]
    FRAME_ID_FIELD_NUMBER: _ClassVar[int]
    CAPTURE_TIME_US_FIELD_NUMBER: _ClassVar[int]
    INTRINSICS_FIELD_NUMBER: _ClassVar[int]
    CAMERA_TO_WORLD_FIELD_NUMBER: _ClassVar[int]
    encoding: ImageEncoding
    data: bytes
    width: int
    height: int
    row_stride_bytes: int
    row_order: RowOrder
    rotation: Rotation
    mirrored: bool
    frame_id: int
    capture_time_us: int
    intrinsics: CameraIntrinsics
    camera_to_world: Pose
    def __init__(self, encoding: _Optional[_Union[ImageEncoding, str]] = ..., data: _Optional[bytes] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., row_stride_bytes: _Optional[int] = ..., row_order: _Optional[_Union[RowOrder, str]] = ..., rotation: _Optional[_Union[Rotation, str]] = ..., mirrored: bool = ..., frame_id: _Optional[int] = ..., capture_time_us: _Optional[int] = ..., intrinsics: _Optional[_Union[CameraIntrinsics, _Mapping]] = ..., camera_to_world: _Optional[_Union[Pose, _Mapping]] = ...) -> None: ...

class FrameInfo(_message.Message):
    __slots__ = ("frame_id", "capture_time_us", "width", "height", "dropped_frames")
    FRAME_ID_FIELD_NUMBER: _ClassVar[int]
    CAPTURE_TIME_US_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    DROPPED_FRAMES_FIELD_NUMBER: _ClassVar[int]
    frame_id: int
    capture_time_us: int
    width: int
    height: int
    dropped_frames: int
    def __init__(self, frame_id: _Optional[int] = ..., capture_time_us: _Optional[int] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., dropped_frames: _Optional[int] = ...) -> None: ...

class StageTimings(_message.Message):
    __slots__ = ("queue_ms", "decode_ms", "inference_ms", "postprocess_ms", "total_ms")
    QUEUE_MS_FIELD_NUMBER: _ClassVar[int]
    DECODE_MS_FIELD_NUMBER: _ClassVar[int]
    INFERENCE_MS_FIELD_NUMBER: _ClassVar[int]
    POSTPROCESS_MS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_MS_FIELD_NUMBER: _ClassVar[int]
    queue_ms: float
    decode_ms: float
    inference_ms: float
    postprocess_ms: float
    total_ms: float
    def __init__(self, queue_ms: _Optional[float] = ..., decode_ms: _Optional[float] = ..., inference_ms: _Optional[float] = ..., postprocess_ms: _Optional[float] = ..., total_ms: _Optional[float] = ...) -> None: ...

class NormalizedBox(_message.Message):
    __slots__ = ("x_min", "y_min", "x_max", "y_max")
    X_MIN_FIELD_NUMBER: _ClassVar[int]
    Y_MIN_FIELD_NUMBER: _ClassVar[int]
    X_MAX_FIELD_NUMBER: _ClassVar[int]
    Y_MAX_FIELD_NUMBER: _ClassVar[int]
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    def __init__(self, x_min: _Optional[float] = ..., y_min: _Optional[float] = ..., x_max: _Optional[float] = ..., y_max: _Optional[float] = ...) -> None: ...

class NormalizedPoint(_message.Message):
    __slots__ = ("x", "y")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ...) -> None: ...
