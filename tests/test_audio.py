"""Unit tests of the audio plumbing: decoding, downmixing and resampling."""

from __future__ import annotations

import numpy as np
import pytest

from vrperception.media.audio import (
    SUPPORTED_RATES_HZ,
    AudioEncoding,
    AudioFormatError,
    StreamResampler,
    check_format,
    decode_samples,
    encode_samples,
    resample,
)


def tone(frequency_hz: float, rate_hz: int, seconds: float = 1.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate_hz * seconds)) / rate_hz
    return (amplitude * np.sin(2 * np.pi * frequency_hz * t)).astype(np.float32)


def test_pcm16_round_trip():
    samples = np.array([0.0, 0.5, -0.5, 0.999], dtype=np.float32)
    decoded = decode_samples(encode_samples(samples, AudioEncoding.PCM16LE), AudioEncoding.PCM16LE, 1)
    assert decoded.dtype == np.float32
    np.testing.assert_allclose(decoded, samples, atol=1e-4)


def test_pcm16_known_bytes():
    data = np.array([0, 16384, -32768], dtype="<i2").tobytes()
    np.testing.assert_allclose(decode_samples(data, AudioEncoding.PCM16LE, 1), [0.0, 0.5, -1.0])


def test_stereo_float32_downmix():
    left = np.array([1.0, 0.0, 0.5], dtype=np.float32)
    right = np.array([0.0, 0.0, -0.5], dtype=np.float32)
    interleaved = np.stack([left, right], axis=1).reshape(-1).astype("<f4").tobytes()
    np.testing.assert_allclose(decode_samples(interleaved, AudioEncoding.FLOAT32LE, 2), [0.5, 0.0, 0.0])


def test_float32_clipped_to_unit_range():
    data = np.array([2.0, -3.0], dtype="<f4").tobytes()
    np.testing.assert_allclose(decode_samples(data, AudioEncoding.FLOAT32LE, 1), [1.0, -1.0])


@pytest.mark.parametrize(
    ("byte_count", "encoding", "channels"),
    [(3, AudioEncoding.PCM16LE, 1), (6, AudioEncoding.PCM16LE, 2), (6, AudioEncoding.FLOAT32LE, 1)],
)
def test_partial_frame_rejected(byte_count, encoding, channels):
    with pytest.raises(AudioFormatError, match=f"{byte_count} bytes"):
        decode_samples(bytes(byte_count), encoding, channels)


def test_nan_float_rejected():
    with pytest.raises(AudioFormatError, match="NaN"):
        decode_samples(np.array([np.nan], dtype="<f4").tobytes(), AudioEncoding.FLOAT32LE, 1)


@pytest.mark.parametrize(("rate", "channels"), [(8000, 1), (96000, 1), (16000, 3), (16000, 0)])
def test_unsupported_format_rejected(rate, channels):
    with pytest.raises(AudioFormatError):
        check_format(rate, channels)


@pytest.mark.parametrize("rate", SUPPORTED_RATES_HZ)
def test_resample_keeps_tone(rate):
    output = resample(tone(440.0, rate), rate, 16000)
    assert abs(len(output) - 16000) <= 1
    expected = tone(440.0, 16000)[: len(output)]
    # Skip the kernel's edge effects at both ends.
    np.testing.assert_allclose(output[100:-100], expected[100:-100], atol=0.01)


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_resample_removes_alias(rate):
    # 10 kHz is above the 8 kHz Nyquist limit of the output and must vanish.
    output = resample(tone(10000.0, rate), rate, 16000)
    assert np.abs(output[100:-100]).max() < 0.005


@pytest.mark.parametrize("rate", [44100, 48000])
def test_resample_chunking_invariant(rate):
    samples = np.random.default_rng(0).uniform(-0.5, 0.5, rate).astype(np.float32)
    whole = resample(samples, rate, 16000)
    for chunk_ms in (10, 1000, 37):
        resampler = StreamResampler(rate, 16000)
        step = rate * chunk_ms // 1000
        parts = [resampler.process(samples[i : i + step]) for i in range(0, len(samples), step)]
        parts.append(resampler.flush())
        np.testing.assert_array_equal(np.concatenate(parts), whole)
