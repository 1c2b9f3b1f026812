"""Gesture classifier: a small PyTorch MLP on hand-landmark features.

The shipped checkpoint is trained by ``scripts/train_gestures.py`` on
synthetic hands only (see ``assets/gestures/MODEL_CARD.md``); a user
checkpoint from ``vrperception gestures train`` adds the user's own classes.
Checkpoints are plain dicts of tensors, strings and numbers, read with
``torch.load(..., weights_only=True)``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from vrperception.errors import FailedPrecondition
from vrperception.models import gesture_features as features
from vrperception.models.gesture_synth import THUMB_POSE

logger = logging.getLogger(__name__)

ASSET_DIR = Path(__file__).resolve().parents[1] / "assets" / "gestures"
DEFAULT_CHECKPOINT = ASSET_DIR / "gestures.pt"
# Written next to the shipped checkpoint by scripts/train_gestures.py. It
# contains the sha256 that loading the default checkpoint verifies.
DEFAULT_MANIFEST = ASSET_DIR / "manifest.json"
CHECKPOINT_FORMAT = "vrperception-gestures-1"
MODEL_NAME = "vrperception-gestures"

# Builtin output names: the snake_case names of the GestureType enum.
BUILTIN_GESTURES = (
    "none",
    "closed_fist",
    "open_palm",
    "pointing_up",
    "thumb_down",
    "thumb_up",
    "victory",
    "i_love_you",
    "pinch",
    "ok",
)
# Elevation of the thumb (MCP -> tip) above or below the image horizontal,
# in degrees, from which the "thumb" pose reads as thumb_up or thumb_down.
# A thumb closer to horizontal reads as "none".
THUMB_ELEVATION_DEG = 25.0
ALTERNATIVE_COUNT = 3


@dataclass(frozen=True)
class GesturePrediction:
    """Classifier output for one hand.

    ``name`` is a builtin snake_case name or a user class, and ``builtin``
    repeats it for builtin classes (None for user classes). ``score`` and
    ``alternatives`` (the next classes, best first) are probabilities in
    [0, 1]. ``pinch_strength`` and ``grab_strength`` in [0, 1] are measured
    geometrically.
    """

    name: str
    builtin: str | None
    score: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    pinch_strength: float = 0.0
    grab_strength: float = 0.0


class GestureMLP(nn.Module):
    """Feature standardisation followed by a ReLU MLP that returns logits."""

    def __init__(self, input_size: int, hidden: tuple[int, ...], class_count: int):
        super().__init__()
        self.register_buffer("feature_mean", torch.zeros(input_size))
        self.register_buffer("feature_std", torch.ones(input_size))
        layers: list[nn.Module] = []
        width = input_size
        for size in hidden:
            layers += [nn.Linear(width, size), nn.ReLU()]
            width = size
        layers.append(nn.Linear(width, class_count))
        self.layers = nn.Sequential(*layers)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.layers((inputs - self.feature_mean) / self.feature_std)


def build_checkpoint(
    model: GestureMLP, classes: list[str], hidden: tuple[int, ...], training: dict[str, Any]
) -> dict[str, Any]:
    """Bundle weights with everything needed to rebuild and trust them."""
    return {
        "format": CHECKPOINT_FORMAT,
        "feature_version": features.FEATURE_VERSION,
        "classes": list(classes),
        "architecture": {"input_size": features.FEATURE_SIZE, "hidden": list(hidden)},
        "training": training,
        "state_dict": {key: value.detach().clone() for key, value in model.state_dict().items()},
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class GestureClassifier:
    """Classify hands from MediaPipe landmarks with a trained checkpoint.

    Thread-safe: ``classify`` only runs the model forward without gradients.
    """

    def __init__(self, model: GestureMLP, checkpoint: dict[str, Any], source: Path, sha256: str):
        self.model = model.eval()
        self.classes: list[str] = list(checkpoint["classes"])
        self.training: dict[str, Any] = dict(checkpoint.get("training", {}))
        self.source = source
        self.sha256 = sha256

    @classmethod
    def load(cls, path: Path | str | None = None) -> GestureClassifier:
        """Load a checkpoint; None loads the shipped default and verifies its sha256.

        Raises FailedPrecondition when the file is missing, is not a gesture
        checkpoint, or was made for another feature version.
        """
        source = DEFAULT_CHECKPOINT if path is None else Path(path)
        if not source.is_file():
            raise FailedPrecondition(
                f"gesture checkpoint {str(source)!r} not found; train one with "
                "`vrperception gestures train` or reinstall the package for the default"
            )
        sha256 = file_sha256(source)
        if path is None:
            _verify_default_sha256(sha256)
        try:
            checkpoint = torch.load(source, map_location="cpu", weights_only=True)
        except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError) as error:
            raise FailedPrecondition(
                f"{source} is not a gesture checkpoint ({type(error).__name__}); "
                "give a file written by `vrperception gestures train`"
            ) from error
        _check_compatible(checkpoint, source)
        architecture = checkpoint["architecture"]
        model = GestureMLP(
            int(architecture["input_size"]), tuple(architecture["hidden"]), len(checkpoint["classes"])
        )
        try:
            model.load_state_dict(checkpoint["state_dict"])
        except RuntimeError as error:
            raise FailedPrecondition(
                f"gesture checkpoint {source} has weights that do not fit its own architecture and "
                f"{len(checkpoint['classes'])} classes; train it again with `vrperception gestures train`"
            ) from error
        logger.info(
            "loaded gesture classifier %s (%d classes, sha256 %s)",
            source, len(checkpoint["classes"]), sha256[:12],
        )
        return cls(model, checkpoint, source, sha256)

    @property
    def description(self) -> dict[str, str]:
        """Model description for the handshake: name, task, version, source, sha256."""
        return {
            "name": MODEL_NAME,
            "task": "gesture_classification",
            "version": f"{CHECKPOINT_FORMAT}/{features.FEATURE_VERSION}/{len(self.classes)}-classes",
            "source": str(self.source),
            "sha256": self.sha256,
        }

    @property
    def output_names(self) -> list[str]:
        """Every name ``classify`` can return: builtin names, then user classes."""
        user = [name for name in self.classes if name not in BUILTIN_GESTURES and name != THUMB_POSE]
        return list(BUILTIN_GESTURES) + user

    def classify(
        self,
        landmarks: np.ndarray,
        world_landmarks: np.ndarray | None,
        handedness: str,
        image_size: tuple[int, int] | None = None,
    ) -> GesturePrediction:
        """Classify one hand.

        ``landmarks``: (21, 3) in upright, unmirrored image pixels (z in the
        same scale as x), or MediaPipe's normalised coordinates when
        ``image_size`` (width, height) is given. ``world_landmarks``: (21, 3)
        metres or None, accepted for callers that have them but not used by
        this feature version. ``handedness``: "left" or "right", the
        person's own.
        """
        world = None if world_landmarks is None else np.asarray(world_landmarks)[None]
        return self.classify_batch(np.asarray(landmarks)[None], world, [handedness], image_size)[0]

    def classify_batch(
        self,
        landmarks: np.ndarray,
        world_landmarks: np.ndarray | None,
        handedness: list[str],
        image_size: tuple[int, int] | None = None,
    ) -> list[GesturePrediction]:
        """Classify N hands at once: (N, 21, 3) landmarks, see ``classify``."""
        pixels = np.asarray(landmarks, dtype=np.float64)
        if image_size is not None:
            width, height = image_size
            pixels = pixels * np.array([width, height, width], dtype=np.float64)
        if len(handedness) != len(pixels):
            raise ValueError(f"got {len(pixels)} hands but {len(handedness)} handedness values")
        is_left = np.array([_is_left(value) for value in handedness], dtype=bool)
        inputs = features.extract_features(pixels, is_left)
        with torch.no_grad():
            probabilities = torch.softmax(self.model(torch.from_numpy(inputs)), dim=-1).numpy()

        pinch = features.pinch_strength(pixels)
        grab = features.grab_strength(pixels)
        thumb_names = [thumb_gesture_name(hand) for hand in pixels]
        return [
            self._prediction(probabilities[i], thumb_names[i], float(pinch[i]), float(grab[i]))
            for i in range(len(pixels))
        ]

    def _prediction(
        self, probabilities: np.ndarray, thumb_name: str, pinch: float, grab: float
    ) -> GesturePrediction:
        scores: dict[str, float] = {}
        for name, probability in zip(self.classes, probabilities.tolist()):
            output = thumb_name if name == THUMB_POSE else name
            scores[output] = scores.get(output, 0.0) + probability
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        name, score = ranked[0]
        return GesturePrediction(
            name=name,
            builtin=name if name in BUILTIN_GESTURES else None,
            score=float(score),
            alternatives=[(other, float(value)) for other, value in ranked[1 : 1 + ALTERNATIVE_COUNT]],
            pinch_strength=pinch,
            grab_strength=grab,
        )


def thumb_gesture_name(pixels: np.ndarray) -> str:
    """Name the extended-thumb pose from the thumb's direction in the upright image.

    ``pixels``: (21, 3) with y pointing down. Returns thumb_up, thumb_down,
    or none for a thumb within THUMB_ELEVATION_DEG of horizontal.
    """
    direction = pixels[4, :2] - pixels[2, :2]
    elevation = np.degrees(np.arctan2(-direction[1], abs(direction[0])))
    if elevation >= THUMB_ELEVATION_DEG:
        return "thumb_up"
    if elevation <= -THUMB_ELEVATION_DEG:
        return "thumb_down"
    return "none"


def _is_left(handedness: str) -> bool:
    value = str(handedness).lower()
    if value not in ("left", "right"):
        raise ValueError(f"handedness must be 'left' or 'right', got {handedness!r}")
    return value == "left"


def _check_compatible(checkpoint: Any, source: Path) -> None:
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise FailedPrecondition(
            f"{source} is not a gesture checkpoint (expected format {CHECKPOINT_FORMAT!r}); "
            "create one with `vrperception gestures train`"
        )
    version = checkpoint.get("feature_version")
    if version != features.FEATURE_VERSION:
        raise FailedPrecondition(
            f"gesture checkpoint {source} was trained on features {version!r} but this server "
            f"computes {features.FEATURE_VERSION!r}; retrain it with `vrperception gestures train`"
        )


def _verify_default_sha256(sha256: str) -> None:
    expected = json.loads(DEFAULT_MANIFEST.read_text())["sha256"]
    if sha256 != expected:
        raise FailedPrecondition(
            f"shipped gesture checkpoint {DEFAULT_CHECKPOINT} has sha256 {sha256}, expected "
            f"{expected}; reinstall the package or rerun scripts/train_gestures.py"
        )
