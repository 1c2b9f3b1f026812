"""MediaPipe hand landmarks (``mediapipe.solutions.hands``, mediapipe 0.10.21).

The models ship inside the mediapipe wheel, so nothing is downloaded. Input is
the upright, unmirrored RGB view. Handedness is returned for the person's own
hand: MediaPipe's label assumes a mirrored selfie image, so it is inverted here.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np

logger = logging.getLogger(__name__)

LANDMARK_COUNT = 21
MEDIAPIPE_VERSION = metadata.version("mediapipe")

# Retries for a static image in which nothing was found, in order: a border of
# 15% of the longer side (edge pixels repeated) after upscaling the shorter
# side to 256 px, then a constant white border at the original size. On the
# 21 labelled development photos this finds 20 hands where a single pass finds
# 18, with no detection on the photos without hands.
RETRY_BORDER_FRACTION = 0.15
RETRY_MIN_SIDE_PX = 256
RETRY_BORDER_WHITE = (255, 255, 255)


@dataclass(frozen=True)
class HandOptions:
    max_hands: int = 2
    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    # 0 lite, 1 full.
    model_complexity: int = 1


@dataclass(frozen=True)
class HandObservation:
    """One hand in the upright view.

    ``landmarks``: (21, 3) with x, y normalised to the upright view and z the
    depth relative to the wrist in units of image width. ``world_landmarks``:
    (21, 3) metres around the hand's centre. ``handedness``: "left" or "right",
    the person's own hand.
    """

    handedness: str
    handedness_score: float
    landmarks: np.ndarray
    world_landmarks: np.ndarray


def landmark_model_file(complexity: int) -> Path:
    """Path of the landmark model inside the mediapipe package."""
    import mediapipe

    name = "hand_landmark_full.tflite" if complexity == 1 else "hand_landmark_lite.tflite"
    return Path(mediapipe.__file__).parent / "modules" / "hand_landmark" / name


def describe_models() -> list[dict[str, str]]:
    """Name, version, source and sha256 of the MediaPipe hand models, for the handshake."""
    described = []
    for complexity, name in ((1, "mediapipe-hands-full"), (0, "mediapipe-hands-lite")):
        path = landmark_model_file(complexity)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        described.append(
            {
                "name": name,
                "task": "hand_landmarks",
                "version": MEDIAPIPE_VERSION,
                "source": f"mediapipe {MEDIAPIPE_VERSION} wheel: {path.name}",
                "sha256": digest,
            }
        )
    return described


class MediaPipeHands:
    """One MediaPipe hands graph. Use it from a single thread only.

    With ``static=True`` every image is treated on its own, with palm
    detection each time. With ``static=False`` hands are tracked from frame
    to frame, which is faster but keeps state, so each video stream needs its
    own instance.
    """

    def __init__(self, options: HandOptions, static: bool):
        import mediapipe as mp

        self.options = options
        self.static = static
        self._graph = mp.solutions.hands.Hands(
            static_image_mode=static,
            max_num_hands=options.max_hands,
            model_complexity=options.model_complexity,
            min_detection_confidence=options.min_detection_confidence,
            min_tracking_confidence=options.min_tracking_confidence,
        )

    def detect(self, rgb: np.ndarray) -> list[HandObservation]:
        """Find hands in an upright RGB image (H, W, 3) uint8."""
        hands = self._process(rgb)
        if hands or not self.static:
            return hands
        return self._retry_padded(rgb)

    def detect_once(self, rgb: np.ndarray) -> list[HandObservation]:
        """Find hands without the padded retries (for measuring their benefit)."""
        return self._process(rgb)

    def close(self) -> None:
        self._graph.close()

    def _process(self, rgb: np.ndarray) -> list[HandObservation]:
        results = self._graph.process(rgb)
        if not results.multi_hand_landmarks:
            return []
        hands = []
        for image_lms, world_lms, classes in zip(
            results.multi_hand_landmarks, results.multi_hand_world_landmarks, results.multi_handedness
        ):
            label = classes.classification[0]
            hands.append(
                HandObservation(
                    handedness=_person_handedness(label.label),
                    handedness_score=float(label.score),
                    landmarks=np.array([[p.x, p.y, p.z] for p in image_lms.landmark], dtype=np.float64),
                    world_landmarks=np.array([[p.x, p.y, p.z] for p in world_lms.landmark], dtype=np.float64),
                )
            )
        return hands

    def _retry_padded(self, rgb: np.ndarray) -> list[HandObservation]:
        height, width = rgb.shape[:2]
        upscale = max(1.0, RETRY_MIN_SIDE_PX / min(height, width))
        for scale, border in ((upscale, None), (1.0, RETRY_BORDER_WHITE)):
            padded, transform = _pad(rgb, scale, border)
            hands = self._process(padded)
            if hands:
                logger.debug("found %d hands on padded retry (scale %.2f)", len(hands), scale)
                return [_unpad(hand, transform) for hand in hands]
        return []


def _person_handedness(mediapipe_label: str) -> str:
    # MediaPipe labels the hand as it would appear in a mirrored image; the
    # upright view here is unmirrored, so its "Left" is the person's right.
    return "right" if mediapipe_label == "Left" else "left"


@dataclass(frozen=True)
class _PadTransform:
    scale: float
    border_px: int
    padded_size: tuple[int, int]
    original_size: tuple[int, int]


def _pad(rgb: np.ndarray, scale: float, border: tuple[int, int, int] | None) -> tuple[np.ndarray, _PadTransform]:
    height, width = rgb.shape[:2]
    image = rgb
    if scale != 1.0:
        image = cv2.resize(rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_LINEAR)
    border_px = int(RETRY_BORDER_FRACTION * max(image.shape[:2]))
    if border is None:
        padded = cv2.copyMakeBorder(image, border_px, border_px, border_px, border_px, cv2.BORDER_REPLICATE)
    else:
        padded = cv2.copyMakeBorder(image, border_px, border_px, border_px, border_px, cv2.BORDER_CONSTANT, value=border)
    transform = _PadTransform(
        scale=image.shape[1] / width,
        border_px=border_px,
        padded_size=(padded.shape[1], padded.shape[0]),
        original_size=(width, height),
    )
    return np.ascontiguousarray(padded), transform


def _unpad(hand: HandObservation, t: _PadTransform) -> HandObservation:
    landmarks = hand.landmarks.copy()
    padded_w, padded_h = t.padded_size
    width, height = t.original_size
    landmarks[:, 0] = (landmarks[:, 0] * padded_w - t.border_px) / t.scale / width
    landmarks[:, 1] = (landmarks[:, 1] * padded_h - t.border_px) / t.scale / height
    # z is in units of the padded image's width; rescale to the original's.
    landmarks[:, 2] = landmarks[:, 2] * padded_w / t.scale / width
    return HandObservation(hand.handedness, hand.handedness_score, landmarks, hand.world_landmarks)
