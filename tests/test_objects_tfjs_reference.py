"""NanoDet-g in PyTorch against saved TensorFlow.js 4.22 outputs (CPU backend).

The fixture was written by ``scripts/verify_nanodet_tfjs.py --write-fixture``,
which ran the official runtime in Node.js on the same preprocessed photo.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from vrperception.models import nanodet

FIXTURE = Path(__file__).parent / "fixtures" / "nanodet" / "tfjs_obj_010_320.npz"
INPUT_SIZE = 320
# The two runtimes differ by at most 1e-5 on these outputs (fp32 summation
# order). 1e-4 leaves room for other CPUs' kernels, while a wrong operator,
# layout or weight would differ by 1e-2 or more.
TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    with np.load(FIXTURE) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="module")
def torch_outputs(reference, data_dir) -> tuple[torch.Tensor, dict[str, np.ndarray]]:
    bgr = cv2.imread(str(data_dir / str(reference["image"])), cv2.IMREAD_COLOR)
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    batch, _ = nanodet.preprocess(rgb, INPUT_SIZE)
    network = nanodet.build_network(nanodet.model_dir())
    with torch.inference_mode():
        outputs = network(batch)
    return batch, {name: value[0].numpy() for name, value in zip(network.output_names, outputs)}


def test_tfjs_fixture_input_matches(reference, torch_outputs):
    batch, _ = torch_outputs
    assert tuple(batch.shape) == tuple(reference["input_shape"])
    digest = hashlib.sha256(np.ascontiguousarray(batch.numpy(), dtype="<f4").tobytes()).hexdigest()
    assert digest == str(reference["input_sha256"]), "preprocessing changed; rerun scripts/verify_nanodet_tfjs.py"


@pytest.mark.parametrize("level", [0, 1, 2])
def test_tfjs_scores_match(reference, torch_outputs, level):
    _, outputs = torch_outputs
    name = ("Identity", "Identity_1", "Identity_2")[level]
    rows = reference[f"rows_{level}"]
    difference = np.abs(outputs[name][rows] - reference[name]).max()
    assert difference < TOLERANCE


@pytest.mark.parametrize("level", [0, 1, 2])
def test_tfjs_distances_match(reference, torch_outputs, level):
    _, outputs = torch_outputs
    name = ("Identity_3", "Identity_4", "Identity_5")[level]
    rows = reference[f"rows_{level}"]
    difference = np.abs(outputs[name][rows] - reference[name]).max()
    assert difference < TOLERANCE * 10  # distance logits reach about 9, so 1e-3 absolute


def test_tfjs_fixture_has_confident_cells(reference):
    # Guards against a fixture of background cells only, which any network would match loosely.
    best = max(float(reference[name].max()) for name in ("Identity", "Identity_1", "Identity_2"))
    assert best > 0.5
