"""Building ImageFrame messages from files and numpy images."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from vrperception.api.v1 import common_pb2

_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def frame_from_file(path: str | Path, *, frame_id: int = 0, capture_time_us: int = 0) -> common_pb2.ImageFrame:
    """An ImageFrame carrying a JPEG or PNG file's bytes unchanged."""
    data = Path(path).read_bytes()
    if data.startswith(_JPEG_MAGIC):
        encoding = common_pb2.IMAGE_ENCODING_JPEG
    elif data.startswith(_PNG_MAGIC):
        encoding = common_pb2.IMAGE_ENCODING_PNG
    else:
        raise ValueError(f"{path} is neither a JPEG nor a PNG file; convert it or send raw pixels")
    return common_pb2.ImageFrame(encoding=encoding, data=data, frame_id=frame_id, capture_time_us=capture_time_us)


def frame_from_rgb(
    rgb: np.ndarray,
    *,
    encoding: str = "raw",
    jpeg_quality: int = 85,
    frame_id: int = 0,
    capture_time_us: int = 0,
    rotation: int = common_pb2.ROTATION_0,
    mirrored: bool = False,
) -> common_pb2.ImageFrame:
    """An ImageFrame from an RGB image (H, W, 3) uint8, sent raw, as JPEG or as PNG."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width = rgb.shape[:2]
    frame = common_pb2.ImageFrame(
        width=width, height=height, frame_id=frame_id, capture_time_us=capture_time_us, rotation=rotation, mirrored=mirrored
    )
    if encoding == "raw":
        frame.encoding = common_pb2.IMAGE_ENCODING_RAW_RGB8
        frame.data = rgb.tobytes()
    elif encoding in ("jpeg", "png"):
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality] if encoding == "jpeg" else []
        ok, buffer = cv2.imencode(f".{'jpg' if encoding == 'jpeg' else 'png'}", bgr, params)
        if not ok:
            raise ValueError(f"could not encode the image as {encoding}")
        frame.encoding = common_pb2.IMAGE_ENCODING_JPEG if encoding == "jpeg" else common_pb2.IMAGE_ENCODING_PNG
        frame.data = buffer.tobytes()
    else:
        raise ValueError(f"encoding is {encoding!r}; use 'raw', 'jpeg' or 'png'")
    return frame


def read_rgb(path: str | Path) -> np.ndarray:
    """Read an image file as RGB (H, W, 3) uint8."""
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"cannot read image {path}")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
