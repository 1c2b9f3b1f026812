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

Usage: python scripts/evaluate_objects.py [--data DIR] [--sizes 320 416 640] [--runs 20] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from vrperception.models.detectors import DetectOptions  # noqa: E402
from vrperception.models.markers import (  # noqa: E402
    CameraModel,
    CharucoBoardSpec,
    MarkerDetector,
    MarkerDictionary,
    estimate_board_pose,
    estimate_marker_pose,
)
from vrperception.models.nanodet import DEFAULT_SCORE_THRESHOLD, NanoDetDetector, preprocess  # noqa: E402

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
    options = DetectOptions(size, DEFAULT_SCORE_THRESHOLD)
    detector.detect(rgb, options)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        detector.detect(rgb, options)
        samples.append((time.perf_counter() - started) * 1000.0)
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
        "detect_p50_ms": float(np.percentile(samples, 50)),
        "detect_p90_ms": float(np.percentile(samples, 90)),
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="shared data folder (default: ../shared/data)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[320, 416, 640], help="input sizes to evaluate")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per input size")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)

    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    detector = NanoDetDetector()
    detection = [evaluate_detection(detector, args.data, size) for size in args.sizes]
    rgb = read_rgb(args.data / "objects" / LATENCY_IMAGE)
    latency = [measure_latency(detector, rgb, size, args.runs) for size in args.sizes]
    markers = evaluate_markers(args.data)
    print_report(detection, latency, markers)
    if args.json:
        args.json.write_text(json.dumps({"detection": detection, "latency": latency, "markers": markers}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
