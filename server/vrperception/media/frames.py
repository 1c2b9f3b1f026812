"""Decoding of camera frames and the mapping between image orientations.

A frame as the client sends it is turned into an *upright* view in three
steps. Rows are put in top-down order, the displayed image is rotated
clockwise by the frame's rotation, and it is flipped left-right when the
camera mirrored it.
Models run on the upright view; ``Orientation`` maps their normalised
coordinates back to the image as displayed (origin top-left, y down).
"""

from __future__ import annotations

import enum
import io
import time
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from vrperception.errors import InvalidArgument, ResourceExhausted

# Values match vrperception.v1.ImageEncoding, RowOrder and Rotation.


class Encoding(enum.IntEnum):
    UNSPECIFIED = 0
    RAW_RGB8 = 1
    RAW_RGBA8 = 2
    RAW_BGRA8 = 3
    RAW_GRAY8 = 4
    JPEG = 5
    PNG = 6


class RowOrder(enum.IntEnum):
    UNSPECIFIED = 0
    TOP_DOWN = 1
    BOTTOM_UP = 2


class Rotation(enum.IntEnum):
    UNSPECIFIED = 0
    DEG_0 = 1
    DEG_90 = 2
    DEG_180 = 3
    DEG_270 = 4


BYTES_PER_PIXEL = {
    Encoding.RAW_RGB8: 3,
    Encoding.RAW_RGBA8: 4,
    Encoding.RAW_BGRA8: 4,
    Encoding.RAW_GRAY8: 1,
}
COMPRESSED = (Encoding.JPEG, Encoding.PNG)
_TO_RGB = {
    Encoding.RAW_RGBA8: cv2.COLOR_RGBA2RGB,
    Encoding.RAW_BGRA8: cv2.COLOR_BGRA2RGB,
    Encoding.RAW_GRAY8: cv2.COLOR_GRAY2RGB,
}
_ROTATE_CLOCKWISE = {
    Rotation.DEG_90: cv2.ROTATE_90_CLOCKWISE,
    Rotation.DEG_180: cv2.ROTATE_180,
    Rotation.DEG_270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


@dataclass(frozen=True)
class Intrinsics:
    """Pinhole intrinsics in pixels of the image as displayed."""

    fx: float
    fy: float
    cx: float
    cy: float
    distortion: tuple[float, ...] = ()

    def matrix(self) -> np.ndarray:
        return np.array([[self.fx, 0.0, self.cx], [0.0, self.fy, self.cy], [0.0, 0.0, 1.0]])


@dataclass(frozen=True)
class RigidPose:
    """Rigid transform: p_target = R(rotation_xyzw) @ p_source + position_m."""

    position_m: tuple[float, float, float]
    rotation_xyzw: tuple[float, float, float, float]


@dataclass(frozen=True)
class FrameLimits:
    max_frame_bytes: int
    max_width: int
    max_height: int


@dataclass(frozen=True)
class RawFrame:
    """A frame as received, before decoding."""

    encoding: Encoding
    data: bytes
    width: int = 0
    height: int = 0
    row_stride_bytes: int = 0
    row_order: RowOrder = RowOrder.TOP_DOWN
    rotation: Rotation = Rotation.DEG_0
    mirrored: bool = False
    frame_id: int = 0
    capture_time_us: int = 0
    intrinsics: Intrinsics | None = None
    camera_to_world: RigidPose | None = None


@dataclass(frozen=True)
class Orientation:
    """Maps coordinates between the displayed image and the upright view."""

    display_width: int
    display_height: int
    rotation: Rotation = Rotation.DEG_0
    mirrored: bool = False

    def normalized_to_display(self, points: np.ndarray) -> np.ndarray:
        """Map points (N, 2) normalised to the upright view to the displayed image."""
        u = np.asarray(points, dtype=np.float64)[..., 0]
        v = np.asarray(points, dtype=np.float64)[..., 1]
        if self.mirrored:
            u = 1.0 - u
        if self.rotation == Rotation.DEG_90:
            x, y = v, 1.0 - u
        elif self.rotation == Rotation.DEG_180:
            x, y = 1.0 - u, 1.0 - v
        elif self.rotation == Rotation.DEG_270:
            x, y = 1.0 - v, u
        else:
            x, y = u, v
        return np.stack([x, y], axis=-1)

    def display_to_normalized(self, points: np.ndarray) -> np.ndarray:
        """Map points (N, 2) normalised to the displayed image to the upright view."""
        x = np.asarray(points, dtype=np.float64)[..., 0]
        y = np.asarray(points, dtype=np.float64)[..., 1]
        if self.rotation == Rotation.DEG_90:
            u, v = 1.0 - y, x
        elif self.rotation == Rotation.DEG_180:
            u, v = 1.0 - x, 1.0 - y
        elif self.rotation == Rotation.DEG_270:
            u, v = y, 1.0 - x
        else:
            u, v = x, y
        if self.mirrored:
            u = 1.0 - u
        return np.stack([u, v], axis=-1)

    def upright_px_to_display(self, points_px: np.ndarray) -> np.ndarray:
        """Map pixel points (N, 2) of the upright view to normalised display coordinates."""
        width, height = self.upright_size
        scaled = np.asarray(points_px, dtype=np.float64) / np.array([width, height], dtype=np.float64)
        return self.normalized_to_display(scaled)

    @property
    def upright_size(self) -> tuple[int, int]:
        """(width, height) of the upright view in pixels."""
        if self.rotation in (Rotation.DEG_90, Rotation.DEG_270):
            return self.display_height, self.display_width
        return self.display_width, self.display_height


@dataclass(frozen=True)
class DecodedFrame:
    """An upright RGB image (H, W, 3) uint8 plus the mapping back to the display."""

    image: np.ndarray
    orientation: Orientation
    decode_ms: float


def decode_frame(raw: RawFrame, limits: FrameLimits) -> DecodedFrame:
    """Decode ``raw`` into the upright view, validating every field against ``limits``."""
    started = time.perf_counter()
    encoding = _check_encoding(raw.encoding)
    if len(raw.data) == 0:
        raise InvalidArgument("frame.data is empty; send the image bytes")
    if len(raw.data) > limits.max_frame_bytes:
        raise ResourceExhausted(
            f"frame.data is {len(raw.data)} bytes, over the server limit of {limits.max_frame_bytes}; "
            "send a smaller image or JPEG"
        )
    if raw.row_order not in RowOrder._value2member_map_:
        raise InvalidArgument(f"frame.row_order is {raw.row_order}; use ROW_ORDER_TOP_DOWN or ROW_ORDER_BOTTOM_UP")
    if encoding in COMPRESSED:
        display = _decode_compressed(raw, encoding, limits)
    else:
        display = _decode_raw(raw, encoding, limits)
    rotation = _normalize_rotation(raw.rotation)
    upright = display
    if rotation in _ROTATE_CLOCKWISE:
        upright = cv2.rotate(upright, _ROTATE_CLOCKWISE[rotation])
    if raw.mirrored:
        upright = cv2.flip(upright, 1)
    orientation = Orientation(display.shape[1], display.shape[0], rotation, bool(raw.mirrored))
    decode_ms = (time.perf_counter() - started) * 1000.0
    return DecodedFrame(np.ascontiguousarray(upright), orientation, decode_ms)


def _check_encoding(value: int) -> Encoding:
    try:
        encoding = Encoding(value)
    except ValueError:
        raise InvalidArgument(
            f"frame.encoding is {value}, which is not a known ImageEncoding; "
            "use RAW_RGB8, RAW_RGBA8, RAW_BGRA8, RAW_GRAY8, JPEG or PNG"
        ) from None
    if encoding == Encoding.UNSPECIFIED:
        raise InvalidArgument(
            "frame.encoding is IMAGE_ENCODING_UNSPECIFIED; set it to RAW_RGB8, RAW_RGBA8, RAW_BGRA8, RAW_GRAY8, JPEG or PNG"
        )
    return encoding


def _normalize_rotation(value: int) -> Rotation:
    try:
        rotation = Rotation(value)
    except ValueError:
        raise InvalidArgument(
            f"frame.rotation is {value}, which is not a known Rotation; use ROTATION_0, _90, _180 or _270"
        ) from None
    return Rotation.DEG_0 if rotation == Rotation.UNSPECIFIED else rotation


def _check_size(width: int, height: int, limits: FrameLimits, field_name: str) -> None:
    if width <= 0 or height <= 0:
        raise InvalidArgument(f"{field_name} is {width}x{height}; width and height must both be positive")
    if width > limits.max_width or height > limits.max_height:
        raise ResourceExhausted(
            f"{field_name} is {width}x{height}, over the server limit of {limits.max_width}x{limits.max_height}; "
            "downscale the image before sending"
        )


def _decode_raw(raw: RawFrame, encoding: Encoding, limits: FrameLimits) -> np.ndarray:
    width, height = int(raw.width), int(raw.height)
    _check_size(width, height, limits, "frame.width x frame.height")
    bpp = BYTES_PER_PIXEL[encoding]
    row_bytes = width * bpp
    stride = int(raw.row_stride_bytes) or row_bytes
    if stride < row_bytes:
        raise InvalidArgument(
            f"frame.row_stride_bytes is {stride}, smaller than width {width} x {bpp} bytes per pixel = {row_bytes}; "
            "set it to 0 for packed rows or to the real row pitch"
        )

    expected = stride * height
    # The padding after the last row is optional, as many capture APIs omit it.
    shortest = stride * (height - 1) + row_bytes
    if len(raw.data) not in (expected, shortest):
        hint = f"{expected}" if expected == shortest else f"{shortest} or {expected}"
        raise InvalidArgument(
            f"frame.data is {len(raw.data)} bytes, but {encoding.name} at {width}x{height} with row stride "
            f"{stride} needs {hint}; check width, height, row_stride_bytes and encoding"
        )

    buffer = np.frombuffer(raw.data, dtype=np.uint8)
    if len(raw.data) == shortest and shortest != expected:
        buffer = np.concatenate([buffer, np.zeros(expected - shortest, dtype=np.uint8)])
    rows = buffer.reshape(height, stride)[:, :row_bytes]
    pixels = rows.reshape(height, width, bpp) if bpp > 1 else rows.reshape(height, width)
    if encoding == Encoding.RAW_RGB8:
        image = np.ascontiguousarray(pixels)
    else:
        image = cv2.cvtColor(np.ascontiguousarray(pixels), _TO_RGB[encoding])
    if raw.row_order == RowOrder.BOTTOM_UP:
        image = cv2.flip(image, 0)
    return image


def _decode_compressed(raw: RawFrame, encoding: Encoding, limits: FrameLimits) -> np.ndarray:
    if raw.row_order == RowOrder.BOTTOM_UP:
        raise InvalidArgument(
            f"frame.row_order is ROW_ORDER_BOTTOM_UP for {encoding.name}; compressed images carry their own "
            "row order, so leave it unspecified or TOP_DOWN"
        )

    name = encoding.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw.data)) as header:
                width, height = header.size
                found = header.format
    except Image.DecompressionBombError:
        raise ResourceExhausted(
            f"the {name} file declares an image far over the server limit of {limits.max_width}x{limits.max_height}; "
            "downscale the image before sending"
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise InvalidArgument(f"frame.data is not a readable {name} file; send a complete {name} file") from None
    # Multi-picture JPEGs (MPO), which many phone cameras write, start with an
    # ordinary JPEG image.
    if found == "MPO":
        found = "JPEG"
    if found != name:
        raise InvalidArgument(f"frame.encoding is {name} but frame.data is a {found} file; set the matching encoding")
    _check_size(width, height, limits, f"{name} image size")
    # libjpeg decodes a truncated file into a partly grey image without an
    # error, so the main image's scan must be followed by an end marker.
    if encoding == Encoding.JPEG and not jpeg_scan_is_complete(raw.data):
        raise InvalidArgument("frame.data is a truncated JPEG file (no end-of-image marker); send the complete file")

    # EXIF orientation is ignored: engines show the stored pixels, and results
    # must be normalised to what the client displays.
    flags = cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION
    bgr = cv2.imdecode(np.frombuffer(raw.data, dtype=np.uint8), flags)
    if bgr is None:
        raise InvalidArgument(f"frame.data is a corrupt {name} file that could not be decoded; send a complete {name} file")
    if (raw.width or raw.height) and (raw.width, raw.height) != (bgr.shape[1], bgr.shape[0]):
        raise InvalidArgument(
            f"frame.width x frame.height is {raw.width}x{raw.height} but the {name} file is "
            f"{bgr.shape[1]}x{bgr.shape[0]}; set both to 0 or to the file's size"
        )
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


_JPEG_SOI = b"\xff\xd8"
_JPEG_SOS = 0xDA
_JPEG_EOI = b"\xff\xd9"
# Markers without a length field: TEM and RST0-RST7.
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def jpeg_scan_is_complete(data: bytes) -> bool:
    """Return whether the first image's entropy-coded scan is followed by an end marker.

    Segments before the first start-of-scan are skipped by their lengths, so
    an EXIF thumbnail's end marker does not count, while data appended after
    the image (motion photos, maker trailers) is allowed.
    """
    if not data.startswith(_JPEG_SOI):
        return False
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        length = int.from_bytes(data[position + 2:position + 4], "big")
        if marker == _JPEG_SOS:
            return data.find(_JPEG_EOI, position + 2 + length) != -1
        position += 2 + length
    return False
