"""Training of the gesture MLP on synthetic hands, optionally with user classes.

Runs on CPU. The same seed gives the same weights, and so the same
checkpoint, on one machine and torch build: data generation,
initialisation and batch order all come from the seed, and training is
pinned to one thread. Checkpoints store no timings for the same reason.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from vrperception.models import gesture_features as features
from vrperception.models import gesture_synth as synth
from vrperception.models.gesture_samples import GestureSample, augment
from vrperception.models.gestures import GestureMLP, build_checkpoint

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters; stored in the checkpoint under ``training``."""

    seed: int = 7
    # Synthetic samples per builtin pose class ("none" gets twice as many).
    samples_per_class: int = 8000
    epochs: int = 40
    batch_size: int = 256
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    # Keeps scores below 1.0 on poses between classes.
    label_smoothing: float = 0.05
    hidden: tuple[int, ...] = (128, 64)


@dataclass(frozen=True)
class LabelledFeatures:
    """Feature rows (N, FEATURE_SIZE) float32 with class indices (N,) into ``classes``."""

    inputs: np.ndarray
    labels: np.ndarray
    classes: list[str]


def synthetic_features(seed: int, samples_per_class: int) -> LabelledFeatures:
    """Generate synthetic hands for the builtin pose classes and compute their features."""
    data = synth.generate(seed, samples_per_class)
    inputs = features.extract_features(data.pixels, data.is_left)
    return LabelledFeatures(inputs, data.labels, list(synth.POSE_CLASSES))


def train_mlp(data: LabelledFeatures, config: TrainingConfig) -> GestureMLP:
    """Train a fresh MLP with Adam and cross-entropy; balanced by class weights."""
    torch.manual_seed(config.seed)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _train(data, config)
    finally:
        torch.set_num_threads(previous_threads)


def _train(data: LabelledFeatures, config: TrainingConfig) -> GestureMLP:
    inputs = torch.from_numpy(np.ascontiguousarray(data.inputs, dtype=np.float32))
    labels = torch.from_numpy(np.asarray(data.labels, dtype=np.int64))
    class_count = len(data.classes)
    model = GestureMLP(inputs.shape[1], config.hidden, class_count)
    model.feature_mean.copy_(inputs.mean(dim=0))
    # A floor keeps constant features (std 0) from dividing by zero.
    model.feature_std.copy_(inputs.std(dim=0).clamp_min(1e-3))

    counts = torch.bincount(labels, minlength=class_count).clamp_min(1).float()
    weights = counts.sum() / (class_count * counts)
    loss_function = nn.CrossEntropyLoss(weight=weights, label_smoothing=config.label_smoothing)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)
    generator = torch.Generator().manual_seed(config.seed)

    started = time.perf_counter()
    for epoch in range(config.epochs):
        model.train()
        order = torch.randperm(len(labels), generator=generator)
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            optimizer.zero_grad()
            loss = loss_function(model(inputs[batch]), labels[batch])
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * len(batch)
        scheduler.step()
        logger.debug("epoch %d loss %.4f", epoch + 1, total / len(order))
    logger.info("trained %d classes on %d samples in %.1f s", class_count, len(labels), time.perf_counter() - started)
    return model.eval()


def accuracy(model: GestureMLP, data: LabelledFeatures) -> float:
    """Fraction of rows whose arg-max class is the label."""
    with torch.no_grad():
        predicted = model(torch.from_numpy(data.inputs)).argmax(dim=-1).numpy()
    return float(np.mean(predicted == data.labels))


def train_builtin(config: TrainingConfig) -> tuple[dict, float]:
    """Train the builtin classifier; returns (checkpoint dict, held-out synthetic accuracy)."""
    training = synthetic_features(config.seed, config.samples_per_class)
    model = train_mlp(training, config)
    held_out = synthetic_features(config.seed + 1_000_003, max(config.samples_per_class // 8, 20))
    held_out_accuracy = accuracy(model, held_out)
    metadata = {
        **_config_dict(config),
        "data": "synthetic kinematic hands (vrperception.models.gesture_synth)",
        "train_samples": int(len(training.labels)),
        "synthetic_held_out_accuracy": round(held_out_accuracy, 4),
    }
    return build_checkpoint(model, training.classes, config.hidden, metadata), held_out_accuracy


def train_with_user_samples(samples: list[GestureSample], config: TrainingConfig) -> tuple[dict, dict[str, float]]:
    """Train a classifier over the builtin pose classes plus the labels of ``samples``.

    Each user class gets as many augmented rows as a builtin class has
    synthetic ones. Returns (checkpoint dict, training accuracy per user
    class on the unaugmented samples).
    """
    if not samples:
        raise ValueError("no gesture samples given; record some with `vrperception gestures record`")
    builtin = synthetic_features(config.seed, config.samples_per_class)
    user_labels = sorted({sample.label for sample in samples})
    classes = builtin.classes + user_labels
    rng = np.random.default_rng(config.seed)
    inputs, labels = [builtin.inputs], [builtin.labels]
    for label in user_labels:
        own = [sample for sample in samples if sample.label == label]
        copies = max(config.samples_per_class // len(own), 1)
        pixels, is_left, _ = augment(own, copies, rng)
        inputs.append(features.extract_features(pixels, is_left))
        labels.append(np.full(len(pixels), classes.index(label), dtype=np.int64))
    data = LabelledFeatures(np.concatenate(inputs), np.concatenate(labels), classes)
    model = train_mlp(data, config)

    recall = {}
    for label in user_labels:
        own = [sample for sample in samples if sample.label == label]
        pixels = np.stack([sample.landmarks_px for sample in own])
        is_left = np.array([sample.handedness == "left" for sample in own])
        own_data = LabelledFeatures(
            features.extract_features(pixels, is_left), np.full(len(own), classes.index(label)), classes
        )
        recall[label] = accuracy(model, own_data)
    metadata = {
        **_config_dict(config),
        "data": "synthetic kinematic hands plus augmented user samples",
        "train_samples": int(len(data.labels)),
        "user_samples": {label: sum(s.label == label for s in samples) for label in user_labels},
    }
    return build_checkpoint(model, classes, config.hidden, metadata), recall


def _config_dict(config: TrainingConfig) -> dict:
    values = asdict(config)
    values["hidden"] = list(config.hidden)
    return values
