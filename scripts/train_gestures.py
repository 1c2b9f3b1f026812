#!/usr/bin/env python3
"""Train the shipped gesture classifier on synthetic hands and write it to the assets.

Usage: python scripts/train_gestures.py [--seed N] [--samples-per-class N]
       [--epochs N] [--out DIR]

Writes DIR/gestures.pt (checkpoint) and DIR/manifest.json (its sha256, which
loading the default checkpoint verifies). The data is generated from the
seed, so a rerun with the same arguments on the same torch build gives the
same weights. No photo is used for training. About a minute on 2 CPU cores
with the defaults.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import torch

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

from vrperception.models import gesture_features  # noqa: E402
from vrperception.models.gesture_training import TrainingConfig, train_builtin  # noqa: E402
from vrperception.models.gestures import ASSET_DIR, file_sha256  # noqa: E402

CHECKPOINT_NAME = "gestures.pt"
MANIFEST_NAME = "manifest.json"


def main(argv: list[str] | None = None) -> int:
    defaults = TrainingConfig()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=defaults.seed, help="seed of data, initialisation and batch order")
    parser.add_argument(
        "--samples-per-class", type=int, default=defaults.samples_per_class,
        help="synthetic samples per pose class ('none' gets twice as many)",
    )
    parser.add_argument("--epochs", type=int, default=defaults.epochs, help="passes over the training set")
    parser.add_argument("--out", type=Path, default=ASSET_DIR, help="output folder for checkpoint and manifest")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    config = TrainingConfig(seed=args.seed, samples_per_class=args.samples_per_class, epochs=args.epochs)
    started = time.perf_counter()
    checkpoint, held_out = train_builtin(config)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / CHECKPOINT_NAME
    torch.save(checkpoint, path)
    sha256 = file_sha256(path)
    manifest = {
        "file": CHECKPOINT_NAME,
        "sha256": sha256,
        "feature_version": gesture_features.FEATURE_VERSION,
        "classes": checkpoint["classes"],
        "training": checkpoint["training"],
        "torch_version": torch.__version__,
    }
    (args.out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes, sha256 {sha256})")
    print(f"synthetic held-out accuracy: {held_out:.4f}")
    print(f"total time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
