"""Frame decoding on synthetic images with known pixels."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vrperception.errors import InvalidArgument, ResourceExhausted
from vrperception.media.frames import Encoding, FrameLimits, Orientation, RawFrame, Rotation, RowOrder, decode_frame

LIMITS = FrameLimits(max_frame_bytes=1 << 20, max_width=64, max_height=64)


def pattern(width: int = 5, height: int = 3) -> np.ndarray:
    """An RGB image whose every pixel is distinct: R = column, G = row, B = 200."""
    rgb = np.zeros((height, width, 3), dtype=np.uint8)
    rgb[..., 0] = np.arange(width)[None, :] * 10
    rgb[..., 1] = np.arange(height)[:, None] * 20
    rgb[..., 2] = 200
    return rgb


def pack(rgb: np.ndarray, encoding: Encoding, pad: int = 0, bottom_up: bool = False, drop_last_pad: bool = False) -> RawFrame:
    conversions = {
        Encoding.RAW_RGB8: lambda img: img,
        Encoding.RAW_RGBA8: lambda img: cv2.cvtColor(img, cv2.COLOR_RGB2RGBA),
        Encoding.RAW_BGRA8: lambda img: cv2.cvtColor(img, cv2.COLOR_RGB2BGRA),
        Encoding.RAW_GRAY8: lambda img: img[..., 0].copy(),
    }
    pixels = conversions[encoding](rgb)
    height, width = rgb.shape[:2]
    rows = pixels.reshape(height, -1)
    if bottom_up:
        rows = rows[::-1]
    stride = rows.shape[1] + pad
    data = np.concatenate([rows, np.full((height, pad), 99, dtype=np.uint8)], axis=1).tobytes()
    if drop_last_pad and pad:
        data = data[:-pad]
    return RawFrame(
        encoding=encoding,
        data=data,
        width=width,
        height=height,
        row_stride_bytes=stride if pad else 0,
        row_order=RowOrder.BOTTOM_UP if bottom_up else RowOrder.TOP_DOWN,
    )


@pytest.mark.parametrize("encoding", [Encoding.RAW_RGB8, Encoding.RAW_RGBA8, Encoding.RAW_BGRA8])
@pytest.mark.parametrize("pad", [0, 3])
@pytest.mark.parametrize("bottom_up", [False, True])
def test_raw_color_encodings(encoding, pad, bottom_up):
    rgb = pattern()
    decoded = decode_frame(pack(rgb, encoding, pad, bottom_up), LIMITS)
    np.testing.assert_array_equal(decoded.image, rgb)
    assert (decoded.orientation.display_width, decoded.orientation.display_height) == (5, 3)


def test_gray_encoding_repeats_luminance():
    rgb = pattern()
    decoded = decode_frame(pack(rgb, Encoding.RAW_GRAY8, pad=2), LIMITS)
    for channel in range(3):
        np.testing.assert_array_equal(decoded.image[..., channel], rgb[..., 0])


def test_last_row_padding_is_optional():
    rgb = pattern()
    decoded = decode_frame(pack(rgb, Encoding.RAW_RGBA8, pad=4, drop_last_pad=True), LIMITS)
    np.testing.assert_array_equal(decoded.image, rgb)


@pytest.mark.parametrize(
    "rotation, cv_rotate",
    [
        (Rotation.DEG_90, cv2.ROTATE_90_CLOCKWISE),
        (Rotation.DEG_180, cv2.ROTATE_180),
        (Rotation.DEG_270, cv2.ROTATE_90_COUNTERCLOCKWISE),
    ],
)
def test_rotation_turns_image_upright(rotation, cv_rotate):
    rgb = pattern()
    frame = pack(rgb, Encoding.RAW_RGB8)
    decoded = decode_frame(RawFrame(**{**frame.__dict__, "rotation": rotation}), LIMITS)
    np.testing.assert_array_equal(decoded.image, cv2.rotate(rgb, cv_rotate))


def test_mirrored_flips_after_rotation():
    rgb = pattern()
    frame = pack(rgb, Encoding.RAW_RGB8)
    decoded = decode_frame(RawFrame(**{**frame.__dict__, "rotation": Rotation.DEG_90, "mirrored": True}), LIMITS)
    np.testing.assert_array_equal(decoded.image, cv2.flip(cv2.rotate(rgb, cv2.ROTATE_90_CLOCKWISE), 1))


@pytest.mark.parametrize("rotation", [Rotation.DEG_0, Rotation.DEG_90, Rotation.DEG_180, Rotation.DEG_270])
@pytest.mark.parametrize("mirrored", [False, True])
def test_orientation_maps_pixels_back(rotation, mirrored):
    rgb = pattern(7, 4)
    frame = pack(rgb, Encoding.RAW_RGB8)
    decoded = decode_frame(RawFrame(**{**frame.__dict__, "rotation": rotation, "mirrored": mirrored}), LIMITS)
    upright = decoded.image
    height, width = upright.shape[:2]
    for row in range(height):
        for column in range(width):
            centre = np.array([[(column + 0.5) / width, (row + 0.5) / height]])
            x, y = decoded.orientation.normalized_to_display(centre)[0]
            display_pixel = rgb[int(y * rgb.shape[0]), int(x * rgb.shape[1])]
            np.testing.assert_array_equal(display_pixel, upright[row, column])
    points = np.random.default_rng(0).random((10, 2))
    round_trip = decoded.orientation.display_to_normalized(decoded.orientation.normalized_to_display(points))
    np.testing.assert_allclose(round_trip, points)


@pytest.mark.parametrize("encoding, suffix", [(Encoding.PNG, ".png"), (Encoding.JPEG, ".jpg")])
def test_compressed_encodings(encoding, suffix):
    rgb = pattern(16, 8)
    ok, buffer = cv2.imencode(suffix, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 100])
    decoded = decode_frame(RawFrame(encoding=encoding, data=buffer.tobytes()), LIMITS)
    tolerance = 0 if encoding == Encoding.PNG else 12
    assert np.abs(decoded.image.astype(int) - rgb.astype(int)).max() <= tolerance


def test_orientation_upright_size():
    assert Orientation(640, 480, Rotation.DEG_90).upright_size == (480, 640)
    assert Orientation(640, 480, Rotation.DEG_180).upright_size == (640, 480)


def _error_message(frame: RawFrame, error_type=InvalidArgument, limits=LIMITS) -> str:
    with pytest.raises(error_type) as caught:
        decode_frame(frame, limits)
    return caught.value.message


def test_wrong_byte_count_names_fields():
    frame = pack(pattern(), Encoding.RAW_RGB8)
    message = _error_message(RawFrame(**{**frame.__dict__, "data": frame.data[:-1]}))
    assert "44 bytes" in message and "45" in message and "row_stride_bytes" in message


def test_stride_smaller_than_row():
    frame = pack(pattern(), Encoding.RAW_RGB8)
    message = _error_message(RawFrame(**{**frame.__dict__, "row_stride_bytes": 14}))
    assert "row_stride_bytes is 14" in message


@pytest.mark.parametrize(
    "width, height, error_type",
    [(0, 3, InvalidArgument), (5, 0, InvalidArgument), (65, 3, ResourceExhausted), (5, 100, ResourceExhausted)],
)
def test_bad_dimensions(width, height, error_type):
    frame = RawFrame(encoding=Encoding.RAW_GRAY8, data=b"\0" * max(1, width * height), width=width, height=height)
    message = _error_message(frame, error_type)
    assert f"{width}x{height}" in message


def test_unknown_and_unspecified_encoding():
    assert "not a known ImageEncoding" in _error_message(RawFrame(encoding=42, data=b"x", width=1, height=1))
    assert "UNSPECIFIED" in _error_message(RawFrame(encoding=Encoding.UNSPECIFIED, data=b"x", width=1, height=1))


def test_empty_and_oversized_data():
    assert "empty" in _error_message(RawFrame(encoding=Encoding.JPEG, data=b""))
    big = RawFrame(encoding=Encoding.JPEG, data=b"\xff" * (LIMITS.max_frame_bytes + 1))
    assert "over the server limit" in _error_message(big, ResourceExhausted)


def test_corrupt_and_truncated_compressed():
    ok, jpeg = cv2.imencode(".jpg", pattern(32, 16))
    ok, png = cv2.imencode(".png", pattern(32, 16))
    assert "not a readable JPEG" in _error_message(RawFrame(encoding=Encoding.JPEG, data=b"not an image at all"))
    assert "truncated JPEG" in _error_message(RawFrame(encoding=Encoding.JPEG, data=jpeg.tobytes()[:-40]))
    assert "PNG" in _error_message(RawFrame(encoding=Encoding.PNG, data=png.tobytes()[:-30]))
    assert "is a PNG file" in _error_message(RawFrame(encoding=Encoding.JPEG, data=png.tobytes()))


def test_compressed_size_checked_before_decoding():
    ok, png = cv2.imencode(".png", np.zeros((10, 100), dtype=np.uint8))
    assert "100x10" in _error_message(RawFrame(encoding=Encoding.PNG, data=png.tobytes()), ResourceExhausted)


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width x height (its pixel data is bogus)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_decompression_bomb_header_is_resource_exhausted():
    message = _error_message(RawFrame(encoding=Encoding.PNG, data=_png_declaring(20000, 20000)), ResourceExhausted)
    assert "server limit of 64x64" in message


def test_jpeg_with_trailer_and_exif_thumbnail():
    ok, jpeg = cv2.imencode(".jpg", pattern(32, 16))
    trailer = jpeg.tobytes() + b"MOTION-PHOTO-TRAILER" * 10
    decoded = decode_frame(RawFrame(encoding=Encoding.JPEG, data=trailer), LIMITS)
    assert decoded.image.shape == (16, 32, 3)
    body = jpeg.tobytes()
    # An APP1 segment that contains an end-of-image marker, like an EXIF thumbnail.
    app1 = b"\xff\xe1" + (2 + 6).to_bytes(2, "big") + b"x\xff\xd9xyz"
    with_thumbnail = body[:2] + app1 + body[2:]
    assert decode_frame(RawFrame(encoding=Encoding.JPEG, data=with_thumbnail), LIMITS).image.shape == (16, 32, 3)
    truncated = with_thumbnail[:-12]
    assert "truncated JPEG" in _error_message(RawFrame(encoding=Encoding.JPEG, data=truncated))


def test_unknown_row_order_rejected_for_compressed():
    ok, jpeg = cv2.imencode(".jpg", pattern(32, 16))
    assert "row_order is 9" in _error_message(RawFrame(encoding=Encoding.JPEG, data=jpeg.tobytes(), row_order=9))


def test_exif_orientation_is_ignored():
    from PIL import Image
    import io

    image = Image.fromarray(pattern(32, 16))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), quality=95)
    decoded = decode_frame(RawFrame(encoding=Encoding.JPEG, data=buffer.getvalue(), width=32, height=16), LIMITS)
    assert decoded.image.shape == (16, 32, 3)


def test_declared_size_must_match_file():
    ok, jpeg = cv2.imencode(".jpg", pattern(32, 16))
    message = _error_message(RawFrame(encoding=Encoding.JPEG, data=jpeg.tobytes(), width=30, height=16))
    assert "30x16" in message and "32x16" in message


def test_bottom_up_rejected_for_compressed():
    ok, jpeg = cv2.imencode(".jpg", pattern(32, 16))
    frame = RawFrame(encoding=Encoding.JPEG, data=jpeg.tobytes(), row_order=RowOrder.BOTTOM_UP)
    assert "BOTTOM_UP" in _error_message(frame)
