"""`vrperception gestures record|train`: teach the server user-defined gestures.

``record`` runs MediaPipe Hands locally on photos or a video and appends the
landmarks of each hand found to a JSON Lines sample file under a label.
``train`` trains a classifier over the builtin gestures plus the recorded
labels. The server loads the checkpoint it writes from the config key
``gestures.model_path``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

DEFAULT_VIDEO_STRIDE = 5


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gestures", help="record samples of user gestures and train a classifier")
    commands = parser.add_subparsers(dest="gestures_command", required=True, metavar="ACTION")

    record = commands.add_parser("record", help="append hand landmarks from photos or a video to a sample file")
    record.add_argument("--label", required=True, help="gesture name, e.g. rock_on (lower-case letters, digits, _)")
    record.add_argument("images", nargs="*", type=Path, help="photos that show the gesture")
    record.add_argument("--video", type=Path, help="video that shows the gesture")
    record.add_argument(
        "--every", type=int, default=DEFAULT_VIDEO_STRIDE,
        help=f"with --video: keep every Nth frame (default {DEFAULT_VIDEO_STRIDE})",
    )
    record.add_argument("--out", type=Path, default=Path("gesture_samples.jsonl"), help="sample file to append to")
    record.add_argument("--hand", choices=("any", "left", "right"), default="any", help="which hands to record")
    record.add_argument("--mirrored", action="store_true", help="the input is mirrored (selfie camera)")
    record.add_argument("--max-hands", type=int, default=2, help="hands to look for per image (default 2)")
    record.set_defaults(handler=run_record, log_level="INFO")

    train = commands.add_parser("train", help="train a classifier with the builtin gestures and recorded samples")
    train.add_argument("samples", nargs="+", type=Path, help="sample files written by `gestures record`")
    train.add_argument("--out", type=Path, required=True, help="checkpoint file to write, e.g. my_gestures.pt")
    # Defaults of None leave the value of TrainingConfig, the settings of the
    # shipped model, without importing torch to build the parser.
    train.add_argument("--seed", type=int, help="seed of synthetic data, augmentation and training (default 7)")
    train.add_argument(
        "--samples-per-class", type=int,
        help="synthetic rows per builtin class and augmented rows per user class (default 8000)",
    )
    train.add_argument("--epochs", type=int, help="passes over the training set (default 40)")
    train.set_defaults(handler=run_train, log_level="INFO")


def run_record(args: argparse.Namespace) -> int:
    from vrperception.models.gesture_samples import validate_label, write_samples

    try:
        validate_label(args.label)
    except ValueError as error:
        print(f"vrperception gestures record: {error}", file=sys.stderr)
        return 2
    if not args.images and args.video is None:
        print("vrperception gestures record: give photos or --video FILE", file=sys.stderr)
        return 2
    missing = [str(path) for path in [*args.images, args.video] if path is not None and not path.is_file()]
    if missing:
        print(f"vrperception gestures record: not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.every < 1:
        print(f"vrperception gestures record: --every must be at least 1, got {args.every}", file=sys.stderr)
        return 2

    samples = record_images(args.images, args) if args.images else []
    if args.video is not None:
        samples += record_video(args.video, args)
    if not samples:
        print("vrperception gestures record: no hand found; nothing written", file=sys.stderr)
        return 1
    write_samples(args.out, samples)
    print(f"appended {len(samples)} samples labelled {args.label!r} to {args.out}")
    return 0


def record_images(paths: list[Path], args: argparse.Namespace) -> list:
    """Detect hands on each photo (static mode) and turn them into samples."""
    import cv2

    from vrperception.models.hands import HandOptions, MediaPipeHands

    detector = MediaPipeHands(HandOptions(max_hands=args.max_hands), static=True)
    samples = []
    try:
        for path in paths:
            rgb = _read_rgb(path, args.mirrored, cv2)
            found = _samples_from(detector.detect(rgb), rgb, args, str(path))
            if not found:
                logger.warning("no hand found in %s", path)
            samples += found
    finally:
        detector.close()
    return samples


def record_video(path: Path, args: argparse.Namespace) -> list:
    """Track hands through a video and turn every ``args.every``-th frame into samples."""
    import cv2

    from vrperception.models.hands import HandOptions, MediaPipeHands

    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise SystemExit(f"vrperception gestures record: cannot open video {path}")
    detector = MediaPipeHands(HandOptions(max_hands=args.max_hands), static=False)
    samples, index = [], 0
    try:
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            if args.mirrored:
                rgb = np.ascontiguousarray(rgb[:, ::-1])
            # The tracker needs every frame to follow the hand, even unkept ones.
            hands = detector.detect(rgb)
            if index % args.every == 0:
                samples += _samples_from(hands, rgb, args, f"{path}#{index}")
            index += 1
    finally:
        detector.close()
        capture.release()
    logger.info("read %d frames of %s", index, path)
    return samples


def _read_rgb(path: Path, mirrored: bool, cv2) -> np.ndarray:
    bgr = cv2.imread(str(path))
    if bgr is None:
        raise SystemExit(f"vrperception gestures record: cannot decode image {path}")
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return np.ascontiguousarray(rgb[:, ::-1]) if mirrored else rgb


def _samples_from(hands: list, rgb: np.ndarray, args: argparse.Namespace, source: str) -> list:
    from vrperception.models.gesture_samples import GestureSample

    height, width = rgb.shape[:2]
    scale = np.array([width, height, width], dtype=np.float64)
    return [
        GestureSample(args.label, hand.handedness, hand.landmarks * scale, (width, height), source)
        for hand in hands
        if args.hand in ("any", hand.handedness)
    ]


def run_train(args: argparse.Namespace) -> int:
    import torch

    from vrperception.models.gesture_samples import read_samples
    from vrperception.models.gesture_training import TrainingConfig, train_with_user_samples
    from vrperception.models.gestures import GestureClassifier

    missing = [str(path) for path in args.samples if not path.is_file()]
    if missing:
        print(f"vrperception gestures train: not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    for name in ("samples_per_class", "epochs"):
        value = getattr(args, name)
        if value is not None and value < 1:
            print(f"vrperception gestures train: --{name.replace('_', '-')} is {value}; use 1 or more", file=sys.stderr)
            return 2
    try:
        samples = read_samples(args.samples)
    except ValueError as error:
        print(f"vrperception gestures train: {error}", file=sys.stderr)
        return 2
    if not samples:
        print("vrperception gestures train: the sample files hold no samples; record some with `gestures record`", file=sys.stderr)
        return 2
    chosen = {"seed": args.seed, "samples_per_class": args.samples_per_class, "epochs": args.epochs}
    config = TrainingConfig(**{key: value for key, value in chosen.items() if value is not None})
    checkpoint, recall = train_with_user_samples(samples, config)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, args.out)
    classifier = GestureClassifier.load(args.out)

    print(f"wrote {args.out} (sha256 {classifier.sha256})")
    print(f"classes: {', '.join(classifier.output_names)}")
    for label, value in recall.items():
        print(f"  {label}: {value:.0%} of its recorded samples classified as {label}")
    print(f"use it with this server config:\n  gestures:\n    model_path: {args.out.resolve()}")
    return 0
