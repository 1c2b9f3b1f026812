"""Helpers shared by the hand-tracking tests."""

from __future__ import annotations

import json
import queue
from pathlib import Path

import cv2
import numpy as np

from vrperception.api.v1 import common_pb2, hands_pb2


def landmarks_px(hand: hands_pb2.Hand, width: int, height: int) -> np.ndarray:
    """(21, 2) landmark pixels of ``hand`` in an image of the given size."""
    return np.array([[p.x * width, p.y * height] for p in hand.landmarks])


def reference_hands(data_dir: Path, image_name: str) -> list[np.ndarray]:
    """Reference landmark pixels (21, 2) per hand from hands/annotations."""
    annotation = json.loads((data_dir / "hands" / "annotations" / f"{image_name}.landmarks.json").read_text())
    hands = []
    for hand in annotation["hands"]:
        points = hand.get("keypoints_xy") or hand["keypoints_xyz"]
        hands.append(np.array(points, dtype=np.float64)[:, :2])
    return hands


def match_error_px(found: list[np.ndarray], expected: list[np.ndarray]) -> list[float]:
    """Mean landmark distance for each expected hand to its nearest found hand."""
    errors = []
    for reference in expected:
        distances = [float(np.linalg.norm(candidate - reference, axis=1).mean()) for candidate in found]
        errors.append(min(distances) if distances else float("inf"))
    return errors


def raw_frame(rgb: np.ndarray, encoding: int, *, bottom_up: bool = False, pad: int = 0, **fields) -> common_pb2.ImageFrame:
    """Pack an RGB image as a raw frame of ``encoding`` with optional row padding and bottom-up rows."""
    if encoding == common_pb2.IMAGE_ENCODING_RAW_RGB8:
        pixels = rgb
    elif encoding == common_pb2.IMAGE_ENCODING_RAW_RGBA8:
        pixels = cv2.cvtColor(rgb, cv2.COLOR_RGB2RGBA)
    elif encoding == common_pb2.IMAGE_ENCODING_RAW_BGRA8:
        pixels = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGRA)
    elif encoding == common_pb2.IMAGE_ENCODING_RAW_GRAY8:
        pixels = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    else:
        raise ValueError(encoding)
    height, width = pixels.shape[:2]
    rows = pixels.reshape(height, -1)
    if bottom_up:
        rows = rows[::-1]
    if pad:
        rows = np.concatenate([rows, np.full((height, pad), 7, dtype=np.uint8)], axis=1)
    return common_pb2.ImageFrame(
        encoding=encoding,
        data=np.ascontiguousarray(rows).tobytes(),
        width=width,
        height=height,
        row_stride_bytes=rows.shape[1] if pad else 0,
        row_order=common_pb2.ROW_ORDER_BOTTOM_UP if bottom_up else common_pb2.ROW_ORDER_TOP_DOWN,
        **fields,
    )


def lockstep(client, frames, config):
    """Stream ``frames``, sending each only after the previous result, so none is dropped."""
    results_seen = queue.Queue()

    def requests():
        for frame in frames:
            yield frame
            results_seen.get(timeout=60)

    for result in client.track_hands(requests(), config):
        results_seen.put(result.frame.frame_id)
        yield result
