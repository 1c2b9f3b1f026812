#!/usr/bin/env python3
"""Compare the PyTorch NanoDet-g runtime with the official TensorFlow.js runtime.

Installs ``@tensorflow/tfjs-core``, ``@tensorflow/tfjs-converter`` and
``@tensorflow/tfjs-backend-cpu`` (pinned below) into the git-ignored
``build/tfjs/`` with npm, runs ``scripts/verify_nanodet_tfjs.cjs`` in Node.js
on the same preprocessed photo, and prints the largest absolute difference
per graph output for each input size.

``--write-fixture`` also saves a subset of the TF.js outputs at one size to
``tests/fixtures/nanodet/`` for the regression test, which then needs no Node.

Usage: python scripts/verify_nanodet_tfjs.py [--image PATH] [--sizes 320 416 640] [--write-fixture]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from vrperception.models import nanodet  # noqa: E402

TFJS_VERSION = "4.22.0"
TFJS_PACKAGES = ("@tensorflow/tfjs-core", "@tensorflow/tfjs-converter", "@tensorflow/tfjs-backend-cpu")
TFJS_DIR = REPO_ROOT / "build" / "tfjs"
NODE_SCRIPT = REPO_ROOT / "scripts" / "verify_nanodet_tfjs.cjs"
FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "nanodet"
DEFAULT_IMAGE = "objects/images/obj_010.jpg"
FIXTURE_SIZE = 320
# Rows kept per graph output in the fixture: the highest-scoring locations
# plus evenly spaced ones, so both confident and background cells are checked.
FIXTURE_TOP_ROWS = 32
FIXTURE_SPREAD_ROWS = 32


def ensure_tfjs() -> None:
    """Install the pinned TF.js packages into build/tfjs unless present."""
    wanted = [f"{name}@{TFJS_VERSION}" for name in TFJS_PACKAGES]
    present = all((TFJS_DIR / "node_modules" / name / "package.json").is_file() for name in TFJS_PACKAGES)
    if present:
        versions = {
            json.loads((TFJS_DIR / "node_modules" / name / "package.json").read_text())["version"] for name in TFJS_PACKAGES
        }
        if versions == {TFJS_VERSION}:
            return
    TFJS_DIR.mkdir(parents=True, exist_ok=True)
    print(f"installing {' '.join(wanted)} into {TFJS_DIR}", flush=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TFJS_DIR), *wanted], check=True)


def run_tfjs(model_dir: Path, batch: np.ndarray, work: Path) -> dict[str, np.ndarray]:
    height, width = batch.shape[2:]
    input_path = work / "input.bin"
    batch.astype("<f4").tofile(input_path)
    out_dir = work / f"out_{height}x{width}"
    env = {**os.environ, "NODE_PATH": str(TFJS_DIR / "node_modules")}
    subprocess.run(
        ["node", str(NODE_SCRIPT), str(model_dir), str(input_path), str(height), str(width), str(out_dir)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    shapes = json.loads((out_dir / "shapes.json").read_text())["shapes"]
    return {name: np.fromfile(out_dir / f"{name}.bin", dtype="<f4").reshape(shape) for name, shape in shapes.items()}


def select_rows(scores: np.ndarray) -> np.ndarray:
    """Row indices for the fixture: top scorers plus an even spread."""
    best = np.argsort(-scores.max(axis=1))[:FIXTURE_TOP_ROWS]
    spread = np.linspace(0, len(scores) - 1, FIXTURE_SPREAD_ROWS).round().astype(np.int64)
    return np.unique(np.concatenate([best, spread]))


def write_fixture(image_name: str, batch: np.ndarray, reference: dict[str, np.ndarray], output_names: tuple[str, ...]) -> Path:
    arrays: dict[str, np.ndarray] = {}
    levels = len(output_names) // 2
    for level in range(levels):
        score_name, distance_name = output_names[level], output_names[levels + level]
        rows = select_rows(reference[score_name][0])
        arrays[f"rows_{level}"] = rows
        arrays[score_name] = reference[score_name][0][rows]
        arrays[distance_name] = reference[distance_name][0][rows]
    arrays["input_shape"] = np.array(batch.shape)
    arrays["input_sha256"] = np.array(hashlib.sha256(np.ascontiguousarray(batch, dtype="<f4").tobytes()).hexdigest())
    arrays["image"] = np.array(image_name)
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    path = FIXTURE_DIR / f"tfjs_{Path(image_name).stem}_{FIXTURE_SIZE}.npz"
    np.savez_compressed(path, **arrays)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = Path(os.environ.get("VRPERCEPTION_DATA", REPO_ROOT.parent / "shared" / "data"))
    parser.add_argument("--image", default=DEFAULT_IMAGE, help="image path relative to the data folder")
    parser.add_argument("--data", type=Path, default=default_data, help="shared data folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[320, 416, 640], help="input sizes (longer side)")
    parser.add_argument("--write-fixture", action="store_true", help=f"save the {FIXTURE_SIZE} reference for the tests")
    args = parser.parse_args(argv)

    if shutil.which("node") is None:
        raise SystemExit("node is not installed; install Node.js (Debian package `nodejs`)")
    ensure_tfjs()
    model_dir = nanodet.model_dir()
    network = nanodet.build_network(model_dir)
    bgr = cv2.imread(str(args.data / args.image), cv2.IMREAD_COLOR)
    if bgr is None:
        raise SystemExit(f"cannot read {args.data / args.image}")
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    sizes = sorted(set(args.sizes) | ({FIXTURE_SIZE} if args.write_fixture else set()))
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="tfjs-") as temporary:
        for size in sizes:
            batch, _ = nanodet.preprocess(rgb, size)
            with torch.inference_mode():
                ours = [o.numpy() for o in network(batch)]
            reference = run_tfjs(model_dir, batch.numpy(), Path(temporary))
            for name, value in zip(network.output_names, ours):
                difference = float(np.abs(value - reference[name]).max())
                worst = max(worst, difference)
                print(f"size {size} input {batch.shape[3]}x{batch.shape[2]} {name} {tuple(value.shape)}: "
                      f"max |torch - tfjs| = {difference:.2e} (max |tfjs| = {float(np.abs(reference[name]).max()):.2f})")
            if args.write_fixture and size == FIXTURE_SIZE:
                print(f"fixture written to {write_fixture(args.image, batch.numpy(), reference, network.output_names)}")
    print(f"largest difference over all outputs: {worst:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
