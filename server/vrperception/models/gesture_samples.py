"""Recorded landmark samples of user-defined gestures: file format and augmentation.

A sample file is JSON Lines, one hand per line, written by `vrperception
gestures record`::

    {"format": "vrperception-gesture-sample-1", "label": "rock_on",
     "handedness": "right", "landmarks_px": [[x, y, z], ... 21 rows],
     "image_size": [width, height], "source": "photo.jpg"}

``landmarks_px`` are MediaPipe's upright, unmirrored image landmarks in
pixels (z in the same scale as x). Raw landmarks are kept, not features, so
a sample file stays usable when the feature version changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vrperception.models.gesture_features import LANDMARK_COUNT
from vrperception.models.gesture_synth import POSE_CLASSES, rotation_x, rotation_y, rotation_z
from vrperception.models.gestures import BUILTIN_GESTURES

SAMPLE_FORMAT = "vrperception-gesture-sample-1"
LABEL_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
RESERVED_LABELS = frozenset(BUILTIN_GESTURES) | frozenset(POSE_CLASSES)

# Augmentation of one recorded hand: tilt out of the image plane (deg),
# scale factor range, landmark noise in palm sizes, chance of mirroring
# (with handedness swapped).
AUGMENT_TILT_DEG = 20.0
AUGMENT_SCALE = (0.7, 1.4)
AUGMENT_NOISE_PALMS = 0.03
AUGMENT_MIRROR_PROBABILITY = 0.5


@dataclass(frozen=True)
class GestureSample:
    """One recorded hand: ``landmarks_px`` (21, 3) upright pixels, handedness "left"/"right"."""

    label: str
    handedness: str
    landmarks_px: np.ndarray
    image_size: tuple[int, int]
    source: str


def validate_label(label: str) -> str:
    """Return ``label`` when it can name a user gesture; raise ValueError otherwise."""
    if not LABEL_PATTERN.match(label):
        raise ValueError(
            f"gesture label {label!r} is invalid; use 1-48 characters of lower-case letters, "
            "digits and '_', starting with a letter (for example 'rock_on')"
        )
    if label in RESERVED_LABELS:
        raise ValueError(
            f"gesture label {label!r} is a builtin class; pick another name for the user gesture"
        )
    return label


def write_samples(path: Path, samples: list[GestureSample]) -> None:
    """Append ``samples`` to the JSON Lines file at ``path`` (created when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as stream:
        for sample in samples:
            record = {
                "format": SAMPLE_FORMAT,
                "label": sample.label,
                "handedness": sample.handedness,
                "landmarks_px": np.round(sample.landmarks_px, 3).tolist(),
                "image_size": list(sample.image_size),
                "source": sample.source,
            }
            stream.write(json.dumps(record) + "\n")


def read_samples(paths: list[Path]) -> list[GestureSample]:
    """Read sample files; raises ValueError naming the file and line of a bad record."""
    samples = []
    for path in paths:
        with Path(path).open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    samples.append(_parse(line, f"{path}:{number}"))
    return samples


def _parse(line: str, where: str) -> GestureSample:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{where}: not JSON ({error.msg})") from None
    if record.get("format") != SAMPLE_FORMAT:
        raise ValueError(f"{where}: format {record.get('format')!r} is not {SAMPLE_FORMAT!r}")
    landmarks = np.asarray(record.get("landmarks_px"), dtype=np.float64)
    if landmarks.shape != (LANDMARK_COUNT, 3) or not np.isfinite(landmarks).all():
        raise ValueError(f"{where}: landmarks_px must be 21 rows of 3 finite numbers")
    handedness = record.get("handedness")
    if handedness not in ("left", "right"):
        raise ValueError(f"{where}: handedness must be 'left' or 'right', got {handedness!r}")
    width, height = record.get("image_size", (0, 0))
    return GestureSample(
        label=validate_label(str(record.get("label", ""))),
        handedness=handedness,
        landmarks_px=landmarks,
        image_size=(int(width), int(height)),
        source=str(record.get("source", "")),
    )


def augment(
    samples: list[GestureSample], copies: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Make ``copies`` disturbed versions of each sample.

    Each copy is tilted out of the image plane about the hand's centre
    (orthographic, using the landmarks' z), turned in-plane, scaled, moved,
    mirrored with its handedness swapped half of the time, and jittered.
    Returns (pixels (N, 21, 3), is_left (N,), labels).
    """
    pixels, is_left, labels = [], [], []
    for sample in samples:
        for _ in range(copies):
            points, left = _augment_one(sample, rng)
            pixels.append(points)
            is_left.append(left)
            labels.append(sample.label)
    return np.asarray(pixels), np.asarray(is_left, dtype=bool), labels


def _augment_one(sample: GestureSample, rng: np.random.Generator) -> tuple[np.ndarray, bool]:
    points = sample.landmarks_px.copy()
    centre = points.mean(axis=0)
    tilt_x, tilt_y = np.radians(rng.uniform(-AUGMENT_TILT_DEG, AUGMENT_TILT_DEG, 2))
    roll = rng.uniform(-np.pi, np.pi)
    rotation = rotation_z(roll) @ rotation_y(tilt_y) @ rotation_x(tilt_x)
    points = (points - centre) @ rotation.T
    points *= rng.uniform(*AUGMENT_SCALE)
    palm = float(np.linalg.norm(points[9] - points[0]))
    points += rng.normal(0.0, AUGMENT_NOISE_PALMS * palm, points.shape)
    points[:, :2] += rng.uniform(100.0, 500.0, 2)
    left = sample.handedness == "left"
    if rng.random() < AUGMENT_MIRROR_PROBABILITY:
        points[:, 0] *= -1.0
        left = not left
    return points, left

