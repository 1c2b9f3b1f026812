#!/usr/bin/env python3
"""Evaluate the gesture classifier and the rule baseline on the labelled hand photos.

Usage: python scripts/evaluate_gestures.py [--model CHECKPOINT] [--data DIR]
       [--server-detector]

MediaPipe Hands (static mode, complexity 1) finds the landmarks; see
``vrperception.models.gesture_eval`` for how detections pair with labels.
Prints one line per labelled hand, the accuracy of both classifiers with
their confusion matrices, and the classifier's latency per hand.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

from vrperception.models import gesture_eval  # noqa: E402
from vrperception.models.gesture_rules import classify_by_rules  # noqa: E402
from vrperception.models.gestures import GestureClassifier  # noqa: E402

LATENCY_REPEATS = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="checkpoint to evaluate (default: the shipped one)")
    parser.add_argument("--data", type=Path, default=None, help="test data folder holding hands/labels.json")
    parser.add_argument(
        "--server-detector", action="store_true",
        help="find hands with the server's detector, which retries missed photos on padded copies",
    )
    args = parser.parse_args(argv)
    data_root = args.data or gesture_eval.default_data_root(REPO_ROOT)

    classifier = GestureClassifier.load(args.model)
    photos = gesture_eval.detect_labelled_hands(data_root, server_detector=args.server_detector)

    def model_name(hand: gesture_eval.LabelledHand) -> str:
        return classifier.classify(hand.pixels, None, hand.handedness).name

    def rule_name(hand: gesture_eval.LabelledHand) -> str:
        return classify_by_rules(hand.pixels)

    print(f"{'photo':<28} {'hand':<6} {'expected':<12} {'model (score)':<26} {'rules':<12}")
    for hand in photos.hands:
        if hand.pixels is None:
            print(f"{hand.file:<28} {'-':<6} {hand.expected:<12} {gesture_eval.MISSED:<26} {gesture_eval.MISSED:<12}")
            continue
        prediction = classifier.classify(hand.pixels, None, hand.handedness)
        model_cell = f"{prediction.name} ({prediction.score:.2f})"
        print(f"{hand.file:<28} {hand.handedness:<6} {hand.expected:<12} {model_cell:<26} {rule_name(hand):<12}")

    model_score = gesture_eval.score(photos.hands, model_name)
    rule_score = gesture_eval.score(photos.hands, rule_name)
    print(
        f"\n{photos.photos} photos, {model_score.labelled} labelled hands, {model_score.detected} found by "
        f"MediaPipe, {photos.false_detections} detections without a label"
    )
    for title, result in (("MLP classifier", model_score), ("rule baseline", rule_score)):
        print(
            f"\n{title}: {result.correct}/{result.labelled} = {result.accuracy:.3f} of labelled hands, "
            f"{result.correct}/{result.detected} = {result.detected_accuracy:.3f} of detected hands"
        )
        print(gesture_eval.format_confusion(result))

    _print_latency(classifier, photos.hands)
    return 0


def _print_latency(classifier: GestureClassifier, hands: list[gesture_eval.LabelledHand]) -> None:
    detected = [hand for hand in hands if hand.pixels is not None]
    if not detected:
        return
    durations = []
    for repeat in range(LATENCY_REPEATS):
        hand = detected[repeat % len(detected)]
        started = time.perf_counter()
        classifier.classify(hand.pixels, None, hand.handedness)
        durations.append((time.perf_counter() - started) * 1e6)
    p50, p99 = np.percentile(durations, [50, 99])
    print(f"\nclassify() latency per hand over {LATENCY_REPEATS} calls: p50 {p50:.0f} us, p99 {p99:.0f} us")


if __name__ == "__main__":
    sys.exit(main())
