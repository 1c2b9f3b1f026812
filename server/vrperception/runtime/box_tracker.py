"""Tracking ids for detections across the frames of one stream, by IoU matching.

Each frame's boxes are matched to the previous tracks of the same class,
highest IoU first (greedy). A matched box keeps its track's id, an unmatched
box starts a new track, and a track unseen for ``max_missed_frames`` frames
is dropped. Ids start at 1 because 0 means "not tracked" in results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

DEFAULT_MIN_IOU = 0.3
DEFAULT_MAX_MISSED_FRAMES = 5


@dataclass
class _Track:
    track_id: int
    class_id: int
    box: np.ndarray
    missed: int = 0


def iou_matrix(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU of ``[N, 4]`` and ``[M, 4]`` xyxy boxes -> ``[N, M]``."""
    if len(boxes_a) == 0 or len(boxes_b) == 0:
        return np.zeros((len(boxes_a), len(boxes_b)))
    top_left = np.maximum(boxes_a[:, None, :2], boxes_b[None, :, :2])
    bottom_right = np.minimum(boxes_a[:, None, 2:], boxes_b[None, :, 2:])
    size = np.clip(bottom_right - top_left, 0, None)
    inter = size[..., 0] * size[..., 1]
    area_a = np.prod(np.clip(boxes_a[:, 2:] - boxes_a[:, :2], 0, None), axis=1)
    area_b = np.prod(np.clip(boxes_b[:, 2:] - boxes_b[:, :2], 0, None), axis=1)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


class BoxTracker:
    """Stable ids for per-frame boxes; one instance per stream."""

    def __init__(self, min_iou: float = DEFAULT_MIN_IOU, max_missed_frames: int = DEFAULT_MAX_MISSED_FRAMES):
        self.min_iou = min_iou
        self.max_missed_frames = max_missed_frames
        self._tracks: list[_Track] = []
        self._next_id = 1

    def update(self, boxes: Sequence[Sequence[float]], class_ids: Sequence[int]) -> list[int]:
        """Match this frame's xyxy ``boxes`` to tracks; return one id per box.

        Boxes may be in any consistent unit (the service uses coordinates
        normalised to the displayed image).
        """
        current = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
        previous = np.array([track.box for track in self._tracks]).reshape(-1, 4)
        overlap = iou_matrix(previous, current)
        for row, track in enumerate(self._tracks):
            for column, class_id in enumerate(class_ids):
                if class_id != track.class_id:
                    overlap[row, column] = 0.0

        ids = [0] * len(current)
        matched_tracks: set[int] = set()
        for flat in np.argsort(-overlap, axis=None):
            row, column = divmod(int(flat), overlap.shape[1])
            if overlap[row, column] < self.min_iou:
                break
            if row in matched_tracks or ids[column]:
                continue
            track = self._tracks[row]
            track.box, track.missed = current[column], 0
            ids[column] = track.track_id
            matched_tracks.add(row)

        for row, track in enumerate(self._tracks):
            if row not in matched_tracks:
                track.missed += 1
        self._tracks = [track for track in self._tracks if track.missed <= self.max_missed_frames]

        for column, class_id in enumerate(class_ids):
            if not ids[column]:
                ids[column] = self._next_id
                self._tracks.append(_Track(self._next_id, int(class_id), current[column]))
                self._next_id += 1
        return ids
