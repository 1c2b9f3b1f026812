#!/usr/bin/env python3
"""Generate a synthetic voice-command test set with espeak-ng and flite.

Every text is spoken by several voices at several speeds, converted to
16 kHz mono WAV, and also mixed with real background noise at 20 and 10 dB
SNR. Synthetic speech is a rough stand-in for real voices (espeak-ng in
particular), so treat numbers on this set as rough.

Usage: python scripts/synthesize_speech.py OUT_DIR [--noise NOISE.wav] [--quick]
Writes OUT_DIR/*.wav and OUT_DIR/labels.csv with columns file, kind, text,
command, slots, voice, speed_wpm, snr_db (empty for clean clips).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

from vrperception.media.audio import resample  # noqa: E402

SAMPLE_RATE_HZ = 16000
SNRS_DB = (20, 10)
# (engine, voice, speed in words per minute; flite ignores the speed).
VOICES = (
    ("espeak-ng", "en-us", 150),
    ("espeak-ng", "en-gb", 190),
    ("espeak-ng", "en-us+f3", 130),
    ("flite", "slt", 0),
    ("flite", "rms", 0),
    ("flite", "awb", 0),
)
QUICK_VOICES = (VOICES[0], VOICES[3])

TEN_WORDS = ("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go")
# (text, command id, slots) for examples/vocabularies/game_scene.yaml.
SLOT_PHRASES = (
    ("select the red cube", "select", "color=red;object=cube"),
    ("select the blue sphere", "select", "color=blue;object=sphere"),
    ("pick the green key", "select", "color=green;object=key"),
    ("teleport to the tower", "teleport", "place=tower"),
    ("go to the bridge", "teleport", "place=bridge"),
    ("open the inventory", "open_inventory", ""),
)
OUT_OF_VOCABULARY = (
    "what time is it",
    "the weather is nice today",
    "marvin",
    "happy birthday",
    "I think we should wait here",
)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read a 16-bit PCM WAV as mono float32; returns (samples, rate in Hz)."""
    with wave.open(str(path), "rb") as reader:
        channels = reader.getnchannels()
        frames = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768
        rate = reader.getframerate()
    if channels > 1:
        frames = frames.reshape(-1, channels).mean(axis=1)
    return frames, rate


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE_HZ) -> None:
    """Write mono float32 samples in [-1, 1] as 16-bit PCM WAV."""
    pcm = np.round(np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm.tobytes())


def synthesize(text: str, engine: str, voice: str, speed_wpm: int) -> np.ndarray:
    """Speak text with espeak-ng or flite; returns 16 kHz mono float32 samples."""
    if shutil.which(engine) is None:
        raise RuntimeError(f"{engine} is not installed; run: apt-get install -y espeak-ng flite")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "speech.wav"
        if engine == "espeak-ng":
            command = ["espeak-ng", "-v", voice, "-s", str(speed_wpm), "-w", str(path), text]
        else:
            command = ["flite", "-voice", voice, "-t", text, "-o", str(path)]
        subprocess.run(command, check=True, capture_output=True)
        samples, rate = read_wav(path)
    return resample(samples, rate, SAMPLE_RATE_HZ)


def mix_noise(speech: np.ndarray, noise: np.ndarray, snr_db: float, offset: int = 0) -> np.ndarray:
    """Add noise (looped from offset) to speech at snr_db, measured over the speech's active part."""
    looped = np.resize(np.roll(noise, -offset), speech.shape)
    active = speech[np.abs(speech) > 0.01 * np.abs(speech).max()] if speech.any() else speech
    speech_power = float(np.mean(active**2)) if active.size else 0.0
    noise_power = float(np.mean(looped**2)) or 1e-12
    gain = np.sqrt(speech_power / (noise_power * 10 ** (snr_db / 10)))
    return np.clip(speech + gain * looped, -1, 1).astype(np.float32)


def build_items(quick: bool) -> list[tuple[str, str, str, str]]:
    """Return (kind, text, command, slots) for every text of the set."""
    items = [("command", word, word, "") for word in TEN_WORDS]
    items += [("slot_phrase", text, command, slots) for text, command, slots in SLOT_PHRASES]
    items += [("out_of_vocabulary", text, "", "") for text in OUT_OF_VOCABULARY]
    return items[::2] if quick else items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the WAV files and labels.csv")
    parser.add_argument("--noise", type=Path, help="16-bit WAV of background noise to mix in (default: none)")
    parser.add_argument("--quick", action="store_true", help="half the texts and two voices")
    args = parser.parse_args(argv)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    noise = None
    if args.noise is not None:
        noise_samples, noise_rate = read_wav(args.noise)
        noise = resample(noise_samples, noise_rate, SAMPLE_RATE_HZ)
    voices = QUICK_VOICES if args.quick else VOICES
    rows = []
    for index, (kind, text, command, slots) in enumerate(build_items(args.quick)):
        for engine, voice, speed in voices:
            speech = synthesize(text, engine, voice, speed)
            stem = f"{kind}_{index:02d}_{engine}_{voice.replace('+', '_')}"
            write_wav(args.out_dir / f"{stem}.wav", speech)
            rows.append([f"{stem}.wav", kind, text, command, slots, f"{engine}:{voice}", speed or "", ""])
            if noise is None:
                continue
            for snr in SNRS_DB:
                noisy = mix_noise(speech, noise, snr, offset=(index * 7919) % len(noise))
                write_wav(args.out_dir / f"{stem}_snr{snr}.wav", noisy)
                rows.append([f"{stem}_snr{snr}.wav", kind, text, command, slots, f"{engine}:{voice}", speed or "", snr])
    with (args.out_dir / "labels.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "kind", "text", "command", "slots", "voice", "speed_wpm", "snr_db"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} clips to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
