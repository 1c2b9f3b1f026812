"""Packing numpy images into ImageFrame messages, checked by the server's decoder."""

from __future__ import annotations

import numpy as np
import pytest

from vrperception.api.v1 import common_pb2
from vrperception.client import frame_from_rgb
from vrperception.media.frames import FrameLimits, decode_frame
from vrperception.services.convert import raw_frame_from_proto

LIMITS = FrameLimits(1 << 20, 64, 64)


def image(channels: int) -> np.ndarray:
    rng = np.random.default_rng(channels)
    shape = (6, 9) if channels == 1 else (6, 9, channels)
    return rng.integers(0, 256, size=shape, dtype=np.uint8)


@pytest.mark.parametrize(
    "channels, encoding",
    [(1, common_pb2.IMAGE_ENCODING_RAW_GRAY8), (3, common_pb2.IMAGE_ENCODING_RAW_RGB8), (4, common_pb2.IMAGE_ENCODING_RAW_RGBA8)],
)
def test_raw_frames_round_trip(channels, encoding):
    pixels = image(channels)
    frame = frame_from_rgb(pixels)
    assert frame.encoding == encoding
    decoded = decode_frame(raw_frame_from_proto(frame), LIMITS).image
    if channels == 1:
        expected = np.repeat(pixels[..., None], 3, axis=2)
    else:
        expected = pixels[..., :3]
    np.testing.assert_array_equal(decoded, expected)


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_png_frames_round_trip(channels):
    pixels = image(channels)
    frame = frame_from_rgb(pixels, encoding="PNG")
    assert frame.encoding == common_pb2.IMAGE_ENCODING_PNG
    decoded = decode_frame(raw_frame_from_proto(frame), LIMITS).image
    expected = np.repeat(pixels[..., None], 3, axis=2) if channels == 1 else pixels[..., :3]
    np.testing.assert_array_equal(decoded, expected)


def test_rgba_jpeg_drops_alpha():
    frame = frame_from_rgb(image(4), encoding="jpeg")
    assert frame.encoding == common_pb2.IMAGE_ENCODING_JPEG
    assert decode_frame(raw_frame_from_proto(frame), LIMITS).image.shape == (6, 9, 3)


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((4, 4, 3), dtype=np.float32), "dtype is float32"),
        (np.zeros((4, 4, 2), dtype=np.uint8), "shape is (4, 4, 2)"),
        (np.zeros(16, dtype=np.uint8), "shape is (16,)"),
    ],
)
def test_bad_images_rejected(bad, message):
    with pytest.raises(ValueError) as caught:
        frame_from_rgb(bad)
    assert message in str(caught.value)


def test_unknown_encoding_rejected():
    with pytest.raises(ValueError, match="'webp'"):
        frame_from_rgb(image(3), encoding="webp")
