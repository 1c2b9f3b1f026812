"""Object detector interface, letterboxing, plain-torch NMS and user models.

Every detector takes an upright RGB uint8 image (H x W x 3) and returns
:class:`DetectedBox` objects in that image's pixel coordinates. The default
detector is NanoDet (``models/nanodet.py``). A team can plug in its own model
as a TorchScript or ONNX file with a labels file; the contract is:

* input: float32 tensor ``[1, 3, H, W]``, RGB, values in [0, 1]; the image is
  scaled so its longer side is the request's input size, placed top-left and
  padded with zeros to sides that are multiples of 32;
* output: a tensor ``[N, 6]`` or ``[1, N, 6]`` with rows
  ``x_min, y_min, x_max, y_max, score, class_index`` in network-input pixels,
  where ``class_index`` is a 0-based line number of the labels file.

The server applies the score threshold, class filter, per-class NMS and the
detection limit to user models as it does to NanoDet.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Sequence

import cv2
import numpy as np
import torch

from vrperception.errors import FailedPrecondition, InvalidArgument

logger = logging.getLogger(__name__)

# Network input sides must be multiples of the coarsest feature stride.
INPUT_ALIGNMENT_PX = 32
MIN_INPUT_SIZE_PX = 160
MAX_INPUT_SIZE_PX = 640
# Boxes of one class that overlap more than this are merged by NMS.
DEFAULT_NMS_IOU = 0.6
# Candidates kept before NMS; bounds the IoU matrix to 1000 x 1000.
MAX_CANDIDATES = 1000
DEFAULT_MAX_DETECTIONS = 100


@dataclass(frozen=True)
class DetectedBox:
    """One detection in upright-image pixels (x right, y down)."""

    label: str
    # COCO category id for the default model, labels-file index for user models.
    class_id: int
    score: float
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class DetectorInfo:
    """Identity and provenance of a loaded detector, for the handshake and logs."""

    name: str
    version: str
    source: str
    sha256: str
    licence: str


@dataclass(frozen=True)
class DetectOptions:
    input_size: int
    score_threshold: float
    max_detections: int = DEFAULT_MAX_DETECTIONS
    # Class ids to keep; None keeps every class.
    class_ids: frozenset[int] | None = None


class Detector(Protocol):
    info: DetectorInfo
    labels: tuple[str, ...]
    class_ids: tuple[int, ...]
    default_input_size: int
    default_score_threshold: float

    def detect(self, image_rgb: np.ndarray, options: DetectOptions) -> list[DetectedBox]:
        ...


def validate_input_size(size: int) -> None:
    """Raise InvalidArgument unless ``size`` is a multiple of 32 in [160, 640]."""
    if size % INPUT_ALIGNMENT_PX or not MIN_INPUT_SIZE_PX <= size <= MAX_INPUT_SIZE_PX:
        raise InvalidArgument(
            f"config.input_size is {size}; use a multiple of {INPUT_ALIGNMENT_PX} from "
            f"{MIN_INPUT_SIZE_PX} to {MAX_INPUT_SIZE_PX}, or 0 for the model default"
        )


@dataclass(frozen=True)
class Letterbox:
    """Scaling of an image into the network input: input = image * scale."""

    scale: float
    # Network input size, multiples of 32.
    input_height: int
    input_width: int
    # Scaled image size inside the input; the rest is padding.
    content_height: int
    content_width: int


def plan_letterbox(height: int, width: int, input_size: int) -> Letterbox:
    """Scale the longer side to ``input_size``, round the other side up to 32."""
    scale = input_size / max(height, width)
    content_h = max(1, round(height * scale))
    content_w = max(1, round(width * scale))
    input_h = math.ceil(content_h / INPUT_ALIGNMENT_PX) * INPUT_ALIGNMENT_PX
    input_w = math.ceil(content_w / INPUT_ALIGNMENT_PX) * INPUT_ALIGNMENT_PX
    return Letterbox(scale, input_h, input_w, content_h, content_w)


def letterbox_image(image: np.ndarray, plan: Letterbox, fill: Sequence[float]) -> np.ndarray:
    """Resize ``image`` (H x W x C, uint8 or float32) per ``plan`` and pad with ``fill``.

    Returns an ``input_height x input_width x C`` float32 array with the
    image at the top-left.
    """
    resized = cv2.resize(image, (plan.content_width, plan.content_height), interpolation=cv2.INTER_LINEAR)
    canvas = np.empty((plan.input_height, plan.input_width, image.shape[2]), dtype=np.float32)
    canvas[...] = np.asarray(fill, dtype=np.float32)
    canvas[: plan.content_height, : plan.content_width] = resized
    return canvas


def box_iou(boxes_a: torch.Tensor, boxes_b: torch.Tensor) -> torch.Tensor:
    """IoU matrix of ``[N, 4]`` and ``[M, 4]`` xyxy boxes -> ``[N, M]``."""
    area_a = (boxes_a[:, 2] - boxes_a[:, 0]).clamp(min=0) * (boxes_a[:, 3] - boxes_a[:, 1]).clamp(min=0)
    area_b = (boxes_b[:, 2] - boxes_b[:, 0]).clamp(min=0) * (boxes_b[:, 3] - boxes_b[:, 1]).clamp(min=0)
    top_left = torch.maximum(boxes_a[:, None, :2], boxes_b[None, :, :2])
    bottom_right = torch.minimum(boxes_a[:, None, 2:], boxes_b[None, :, 2:])
    size = (bottom_right - top_left).clamp(min=0)
    inter = size[..., 0] * size[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    return torch.where(union > 0, inter / union, torch.zeros_like(inter))


def batched_nms(boxes: torch.Tensor, scores: torch.Tensor, classes: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy per-class NMS; returns kept indices, best score first.

    Boxes of different classes never suppress each other: each class is
    shifted to its own coordinate range before one joint pass.
    """
    if boxes.numel() == 0:
        return torch.zeros(0, dtype=torch.long)
    span = float(boxes.max() - boxes.min()) + 1.0
    shifted = boxes + (classes.to(boxes.dtype) * span)[:, None]
    order = torch.argsort(scores, descending=True)
    iou = box_iou(shifted[order], shifted[order])
    suppressed = torch.zeros(len(order), dtype=torch.bool)
    keep: list[int] = []
    for rank in range(len(order)):
        if suppressed[rank]:
            continue
        keep.append(rank)
        suppressed |= iou[rank] > iou_threshold
    return order[torch.tensor(keep, dtype=torch.long)]


def select_detections(
    boxes: torch.Tensor,
    scores: torch.Tensor,
    class_indices: torch.Tensor,
    options: DetectOptions,
    labels: Sequence[str],
    class_ids: Sequence[int],
    nms_iou: float = DEFAULT_NMS_IOU,
) -> list[DetectedBox]:
    """Threshold, filter by class, run NMS and convert to :class:`DetectedBox`.

    ``boxes`` are ``[N, 4]`` xyxy in upright-image pixels, ``scores`` ``[N]``
    and ``class_indices`` ``[N]`` indices into ``labels``/``class_ids``.
    """
    mask = scores >= options.score_threshold
    if options.class_ids is not None:
        allowed = torch.tensor([class_id in options.class_ids for class_id in class_ids], dtype=torch.bool)
        mask &= allowed[class_indices]
    boxes, scores, class_indices = boxes[mask], scores[mask], class_indices[mask]
    if len(scores) > MAX_CANDIDATES:
        top = torch.topk(scores, MAX_CANDIDATES).indices
        boxes, scores, class_indices = boxes[top], scores[top], class_indices[top]
    keep = batched_nms(boxes, scores, class_indices, nms_iou)[: options.max_detections]
    result = []
    for index in keep.tolist():
        x_min, y_min, x_max, y_max = (float(v) for v in boxes[index])
        class_index = int(class_indices[index])
        result.append(
            DetectedBox(labels[class_index], class_ids[class_index], float(scores[index]), x_min, y_min, x_max, y_max)
        )
    return result


def clip_boxes(boxes: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Clamp xyxy pixel boxes to the image."""
    boxes = boxes.clone()
    boxes[:, 0::2] = boxes[:, 0::2].clamp(0, width)
    boxes[:, 1::2] = boxes[:, 1::2].clamp(0, height)
    return boxes


# ----------------------------------------------------------- user models


def read_labels(path: Path) -> tuple[str, ...]:
    """Read a labels file: one class name per line, blank lines ignored.

    Raises FailedPrecondition when the file is missing, empty or repeats a
    name, because the server cannot serve a model without its labels.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FailedPrecondition(f"cannot read labels file {path}: {exc}; give a UTF-8 text file, one label per line") from exc
    labels = tuple(line.strip() for line in lines if line.strip())
    if not labels:
        raise FailedPrecondition(f"labels file {path} has no labels; write one class name per line")
    repeated = sorted({name for name in labels if labels.count(name) > 1})
    if repeated:
        raise FailedPrecondition(f"labels file {path} repeats {', '.join(repeated)}; each class name must be unique")
    return labels


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class UserDetector:
    """A user's TorchScript or ONNX detector following the contract in this module's docstring."""

    default_score_threshold = 0.35

    def __init__(self, model_path: Path, labels_path: Path, default_input_size: int = 416):
        self.model_path = Path(model_path)
        self.labels = read_labels(labels_path)
        self.class_ids = tuple(range(len(self.labels)))
        validate_input_size(default_input_size)
        self.default_input_size = default_input_size
        if not self.model_path.is_file():
            raise FailedPrecondition(f"objects.model_path {self.model_path} is not a file; give a .pt or .onnx model")
        suffix = self.model_path.suffix.lower()
        if suffix == ".onnx":
            self._run = self._load_onnx()
            kind = "onnx"
        else:
            self._run = self._load_torchscript()
            kind = "torchscript"
        self.info = DetectorInfo(
            name=self.model_path.stem,
            version=kind,
            source=str(self.model_path),
            sha256=_sha256(self.model_path),
            licence="user-supplied",
        )
        self._check_output(default_input_size)
        logger.info("loaded %s detector %s with %d labels", kind, self.model_path, len(self.labels))

    def _load_torchscript(self) -> Any:
        try:
            module = torch.jit.load(str(self.model_path), map_location="cpu")
        except (RuntimeError, ValueError) as exc:
            raise FailedPrecondition(
                f"objects.model_path {self.model_path} is not a loadable TorchScript file ({exc.__class__.__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}); save the model with torch.jit.save"
            ) from exc
        module.eval()

        def run(batch: np.ndarray) -> np.ndarray:
            with torch.inference_mode():
                output = module(torch.from_numpy(batch))
            if isinstance(output, (list, tuple)):
                output = output[0]
            return output.detach().float().numpy()

        return run

    def _load_onnx(self) -> Any:
        try:
            import onnxruntime
        except ImportError as exc:
            raise FailedPrecondition(
                f"objects.model_path {self.model_path} is an ONNX model but onnxruntime is not installed; "
                "install the onnxruntime version pinned in pyproject.toml"
            ) from exc
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            session = onnxruntime.InferenceSession(str(self.model_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for corrupt files
            raise FailedPrecondition(
                f"objects.model_path {self.model_path} is not a loadable ONNX model: {exc}"
            ) from exc
        input_name = session.get_inputs()[0].name

        def run(batch: np.ndarray) -> np.ndarray:
            return np.asarray(session.run(None, {input_name: batch})[0], dtype=np.float32)

        return run

    def _raw_output(self, batch: np.ndarray) -> np.ndarray:
        output = self._run(batch)
        if output.ndim == 3 and output.shape[0] == 1:
            output = output[0]
        if output.ndim != 2 or output.shape[1] != 6:
            raise FailedPrecondition(
                f"model {self.model_path} returned shape {tuple(output.shape)}; expected [N, 6] or [1, N, 6] rows of "
                "x_min, y_min, x_max, y_max, score, class_index"
            )
        return output

    def _check_output(self, input_size: int) -> None:
        """Run the model once on a blank input so shape errors show at load."""
        try:
            self._raw_output(np.zeros((1, 3, input_size, input_size), dtype=np.float32))
        except FailedPrecondition:
            raise
        except Exception as exc:  # any failure of the user's model at load time
            raise FailedPrecondition(
                f"model {self.model_path} failed on a [1, 3, {input_size}, {input_size}] float32 input: {exc}"
            ) from exc

    def detect(self, image_rgb: np.ndarray, options: DetectOptions) -> list[DetectedBox]:
        """Detect objects in an upright RGB uint8 image; boxes in its pixels."""
        height, width = image_rgb.shape[:2]
        plan = plan_letterbox(height, width, options.input_size)
        # Resizing the uint8 image first keeps the float work to the network size.
        canvas = letterbox_image(image_rgb, plan, (0.0, 0.0, 0.0)) / 255.0
        batch = np.ascontiguousarray(canvas.transpose(2, 0, 1)[None], dtype=np.float32)
        rows = torch.from_numpy(self._raw_output(batch))
        class_indices = rows[:, 5].round().long()
        bad = (class_indices < 0) | (class_indices >= len(self.labels))
        if bool(bad.any()):
            raise FailedPrecondition(
                f"model {self.model_path} returned class index {int(class_indices[bad][0])} but the labels file has "
                f"{len(self.labels)} labels; make the labels file match the model"
            )
        boxes = clip_boxes(rows[:, :4] / plan.scale, height, width)
        return select_detections(boxes, rows[:, 4], class_indices, options, self.labels, self.class_ids)
