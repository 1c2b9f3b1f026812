"""Audio plumbing for voice commands: sample decoding, downmixing, resampling.

Pure numpy. Speech engines take mono float32 samples in [-1, 1] at 16 kHz.
This module turns microphone buffers, as game engines deliver them, into
that form chunk by chunk. Splitting a stream into 10 ms or 1 s chunks gives
the same samples.
"""

from __future__ import annotations

import enum
import math

import numpy as np

ENGINE_RATE_HZ = 16000
SUPPORTED_RATES_HZ = (16000, 22050, 32000, 44100, 48000)
SUPPORTED_CHANNELS = (1, 2)
MAX_CHUNK_MS = 1000

# Windowed-sinc low-pass: zero crossings on each side of the kernel centre
# (at the output rate) and the Kaiser window's beta. 16 crossings keep the
# pass band flat to about 7 kHz at 16 kHz output; the delay is 1 ms.
_SINC_ZERO_CROSSINGS = 16
_KAISER_BETA = 8.0
# Cut-off as a fraction of the output Nyquist frequency, leaving a
# transition band so that aliasing stays below the window's side lobes.
_CUTOFF_FRACTION = 0.92
_PCM16_SCALE = 32768.0


class AudioEncoding(enum.Enum):
    """Sample encoding of a microphone buffer."""

    PCM16LE = "pcm16le"
    FLOAT32LE = "float32le"

    @property
    def sample_bytes(self) -> int:
        """Bytes per sample of one channel."""
        return 2 if self is AudioEncoding.PCM16LE else 4


class AudioFormatError(ValueError):
    """Invalid audio format or buffer; the message names the value and the fix."""


def check_format(sample_rate_hz: int, channels: int) -> None:
    """Raise AudioFormatError unless the rate and channel count are supported."""
    if sample_rate_hz not in SUPPORTED_RATES_HZ:
        rates = ", ".join(str(rate) for rate in SUPPORTED_RATES_HZ)
        raise AudioFormatError(
            f"sample_rate_hz {sample_rate_hz} is not supported; use one of {rates}"
        )
    if channels not in SUPPORTED_CHANNELS:
        raise AudioFormatError(f"channels {channels} is not supported; use 1 (mono) or 2 (stereo)")


def decode_samples(data: bytes, encoding: AudioEncoding, channels: int) -> np.ndarray:
    """Decode interleaved little-endian samples to mono float32 in [-1, 1].

    Returns an array of shape (len(data) / (sample_bytes * channels),).
    Stereo is averaged to mono. Raises AudioFormatError when the byte count
    is not a whole number of frames or float samples are not finite.
    """
    frame_bytes = encoding.sample_bytes * channels
    if len(data) % frame_bytes:
        raise AudioFormatError(
            f"audio chunk of {len(data)} bytes is not a whole number of frames: "
            f"{encoding.value} with {channels} channel(s) needs a multiple of {frame_bytes} bytes"
        )
    if encoding is AudioEncoding.PCM16LE:
        samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / _PCM16_SCALE
    else:
        samples = np.frombuffer(data, dtype="<f4").astype(np.float32)
        if not np.all(np.isfinite(samples)):
            raise AudioFormatError("float32 audio chunk contains NaN or infinite samples")
        np.clip(samples, -1.0, 1.0, out=samples)
    return downmix(samples, channels)


def downmix(interleaved: np.ndarray, channels: int) -> np.ndarray:
    """Average interleaved channels of shape (frames * channels,) to (frames,)."""
    if channels == 1:
        return interleaved
    return interleaved.reshape(-1, channels).mean(axis=1, dtype=np.float32)


def encode_samples(mono: np.ndarray, encoding: AudioEncoding, channels: int = 1) -> bytes:
    """Encode float32 samples in [-1, 1] of shape (frames,) as interleaved bytes.

    The inverse of decode_samples for tests and clients: every channel gets
    the same samples.
    """
    samples = np.clip(np.asarray(mono, dtype=np.float32), -1.0, 1.0)
    if channels > 1:
        samples = np.repeat(samples, channels)
    if encoding is AudioEncoding.PCM16LE:
        return np.round(samples * (_PCM16_SCALE - 1)).astype("<i2").tobytes()
    return samples.astype("<f4").tobytes()


def chunk_duration_ms(byte_count: int, encoding: AudioEncoding, channels: int, rate_hz: int) -> float:
    """Duration in milliseconds of a buffer of byte_count bytes."""
    frames = byte_count / (encoding.sample_bytes * channels)
    return 1000.0 * frames / rate_hz


class StreamResampler:
    """Windowed-sinc resampler that keeps its state across chunks.

    Each output sample depends only on its absolute position in the stream,
    so any split of the input into chunks yields the same output. The output
    lags the input by the kernel's half width (1 ms at most); flush() emits
    the rest.
    """

    def __init__(self, in_rate_hz: int, out_rate_hz: int = ENGINE_RATE_HZ):
        if in_rate_hz <= 0 or out_rate_hz <= 0:
            raise AudioFormatError(f"sample rates must be positive, got {in_rate_hz} and {out_rate_hz}")
        self.in_rate_hz = in_rate_hz
        self.out_rate_hz = out_rate_hz
        self._passthrough = in_rate_hz == out_rate_hz
        # Input samples per output sample.
        self._step = in_rate_hz / out_rate_hz
        # Low-pass at the lower of the two Nyquist frequencies, in cycles per
        # input sample.
        self._cutoff = _CUTOFF_FRACTION * 0.5 * min(1.0, 1.0 / self._step)
        self._half_width = int(math.ceil(_SINC_ZERO_CROSSINGS * max(1.0, self._step)))
        # Absolute input index of self._buffer[0]. It starts negative, so the
        # stream begins with implicit zeros.
        self._buffer_start = -self._half_width
        self._next_output = 0
        self._buffer = np.zeros(self._half_width, dtype=np.float32)
        # Output centres k * in / out fall on out / gcd distinct fractional
        # positions between input samples, so one kernel per phase is built
        # once, with exact integer arithmetic.
        self._phase_divisor = math.gcd(in_rate_hz, out_rate_hz)
        phase_count = out_rate_hz // self._phase_divisor
        phases = np.arange(phase_count) * self._phase_divisor / out_rate_hz
        taps = np.arange(2 * self._half_width) - self._half_width + 1
        self._kernels = self._kernel(taps[None, :] - phases[:, None]).astype(np.float32)

    def process(self, samples: np.ndarray) -> np.ndarray:
        """Feed mono float32 samples; return the output samples now complete."""
        samples = np.asarray(samples, dtype=np.float32)
        if self._passthrough:
            return samples
        self._buffer = np.concatenate([self._buffer, samples])
        return self._emit(final=False)

    def flush(self) -> np.ndarray:
        """Return the remaining output, treating the input after the end as silence."""
        if self._passthrough:
            return np.zeros(0, dtype=np.float32)
        self._buffer = np.concatenate([self._buffer, np.zeros(self._half_width + 1, dtype=np.float32)])
        out = self._emit(final=True)
        self._buffer = np.zeros(0, dtype=np.float32)
        return out

    def _emit(self, final: bool) -> np.ndarray:
        available_end = self._buffer_start + len(self._buffer)
        if final:
            # Outputs whose centre lies inside the real input.
            real_end = available_end - self._half_width - 1
            last_output = int(math.floor((real_end - 1) / self._step)) if real_end > 0 else -1
        else:
            last_output = int(math.floor((available_end - 1 - self._half_width) / self._step))
        if last_output < self._next_output:
            return np.zeros(0, dtype=np.float32)

        scaled = np.arange(self._next_output, last_output + 1, dtype=np.int64) * self.in_rate_hz
        floors = scaled // self.out_rate_hz
        phase_indices = (scaled % self.out_rate_hz) // self._phase_divisor
        first_taps = floors - self._half_width + 1 - self._buffer_start
        windows = np.lib.stride_tricks.sliding_window_view(self._buffer, 2 * self._half_width)
        out = np.einsum("ij,ij->i", windows[first_taps], self._kernels[phase_indices])

        self._next_output = last_output + 1
        keep_from = int(math.floor(self._next_output * self._step)) - self._half_width + 1
        drop = keep_from - self._buffer_start
        if drop > 0:
            self._buffer = self._buffer[drop:]
            self._buffer_start = keep_from
        return out

    def _kernel(self, offsets: np.ndarray) -> np.ndarray:
        """Return low-pass weights for input offsets (in input samples) from each output centre."""
        weights = 2.0 * self._cutoff * np.sinc(2.0 * self._cutoff * offsets)
        normalised = np.clip(offsets / (self._half_width + 1), -1.0, 1.0)
        window = np.i0(_KAISER_BETA * np.sqrt(1.0 - normalised**2)) / np.i0(_KAISER_BETA)
        return weights * window


def resample(samples: np.ndarray, in_rate_hz: int, out_rate_hz: int = ENGINE_RATE_HZ) -> np.ndarray:
    """Resample a whole mono float32 clip of shape (n,) to out_rate_hz."""
    resampler = StreamResampler(in_rate_hz, out_rate_hz)
    return np.concatenate([resampler.process(samples), resampler.flush()])
