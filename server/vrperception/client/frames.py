"""Building ImageFrame messages from files and numpy images."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from vrperception.api.v1 import common_pb2

_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def frame_from_file(path: str | Path, *, frame_id: int = 0, capture_time_us: int = 0) -> common_pb2.ImageFrame:
    """Build an ImageFrame that carries a JPEG or PNG file's bytes unchanged."""
    data = Path(path).read_bytes()
    if data.startswith(_JPEG_MAGIC):
        encoding = common_pb2.IMAGE_ENCODING_JPEG
    elif data.startswith(_PNG_MAGIC):
        encoding = common_pb2.IMAGE_ENCODING_PNG
    else:
        raise ValueError(f"{path} is neither a JPEG nor a PNG file; convert it or send raw pixels")
    return common_pb2.ImageFrame(encoding=encoding, data=data, frame_id=frame_id, capture_time_us=capture_time_us)


def frame_from_rgb(
    image: np.ndarray,
    *,
    encoding: str = "raw",
    jpeg_quality: int = 85,
    frame_id: int = 0,
    capture_time_us: int = 0,
    rotation: int = common_pb2.ROTATION_0,
    mirrored: bool = False,
) -> common_pb2.ImageFrame:
    """Build an ImageFrame from a uint8 image: RGB (H, W, 3), RGBA (H, W, 4) or gray (H, W).

    ``encoding`` is "raw" (pixels as they are), "jpeg" or "png".
    """
    pixels = np.asarray(image)
    if pixels.dtype != np.uint8:
        raise ValueError(f"image dtype is {pixels.dtype}; convert to uint8 (0-255) first")
    channels = {2: 1, 3: pixels.shape[-1]}.get(pixels.ndim)
    raw_encoding = _RAW_ENCODINGS.get(channels)
    if raw_encoding is None:
        raise ValueError(f"image shape is {pixels.shape}; use (H, W, 3) RGB, (H, W, 4) RGBA or (H, W) gray")
    pixels = np.ascontiguousarray(pixels)
    height, width = pixels.shape[:2]
    frame = common_pb2.ImageFrame(
        width=width, height=height, frame_id=frame_id, capture_time_us=capture_time_us, rotation=rotation, mirrored=mirrored
    )
    kind = encoding.lower()
    if kind == "raw":
        frame.encoding = raw_encoding
        frame.data = pixels.tobytes()
    elif kind in ("jpeg", "jpg", "png"):
        frame.encoding = common_pb2.IMAGE_ENCODING_PNG if kind == "png" else common_pb2.IMAGE_ENCODING_JPEG
        frame.data = _compress(pixels, kind, jpeg_quality)
    else:
        raise ValueError(f"encoding is {encoding!r}; use 'raw', 'jpeg' or 'png'")
    return frame


_RAW_ENCODINGS = {
    1: common_pb2.IMAGE_ENCODING_RAW_GRAY8,
    3: common_pb2.IMAGE_ENCODING_RAW_RGB8,
    4: common_pb2.IMAGE_ENCODING_RAW_RGBA8,
}
_TO_BGR = {3: cv2.COLOR_RGB2BGR, 4: cv2.COLOR_RGBA2BGRA}


def _compress(pixels: np.ndarray, kind: str, jpeg_quality: int) -> bytes:
    channels = pixels.shape[2] if pixels.ndim == 3 else 1
    if channels == 4 and kind != "png":
        channels, pixels = 3, cv2.cvtColor(pixels, cv2.COLOR_RGBA2RGB)
    bgr = cv2.cvtColor(pixels, _TO_BGR[channels]) if channels in _TO_BGR else pixels
    params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality] if kind != "png" else []
    ok, buffer = cv2.imencode(".png" if kind == "png" else ".jpg", bgr, params)
    if not ok:
        raise ValueError(f"could not encode the image as {kind}")
    return buffer.tobytes()


def read_rgb(path: str | Path) -> np.ndarray:
    """Read an image file as RGB (H, W, 3) uint8."""
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"cannot read image {path}")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
