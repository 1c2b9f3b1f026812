"""Tracking ids for hands across the frames of one stream.

MediaPipe's video mode follows hands from frame to frame but does not number
them. A hand keeps its id when, in the next frame, a hand of the same
handedness lies near it; otherwise it gets a new id. Ids are never reused in
a stream.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Largest distance between landmark centroids of consecutive frames, as a
# fraction of the upright image diagonal, for a hand to keep its id.
MAX_MATCH_DISTANCE = 0.25
# A hand unseen for this many frames loses its id.
MAX_MISSED_FRAMES = 3


@dataclass
class _Track:
    tracking_id: int
    handedness: str
    centroid: np.ndarray
    missed: int = 0


class HandIdTracker:
    def __init__(self) -> None:
        self._tracks: list[_Track] = []
        self._next_id = 1

    def update(self, hands: list[tuple[str, np.ndarray]]) -> list[int]:
        """Assign ids to ``hands`` [(handedness, landmarks (21, >=2) normalised)], in order."""
        centroids = [np.asarray(lms)[:, :2].mean(axis=0) for _, lms in hands]
        pairs = []
        for hand_index, (handedness, _) in enumerate(hands):
            for track_index, track in enumerate(self._tracks):
                distance = float(np.linalg.norm(centroids[hand_index] - track.centroid)) / np.sqrt(2.0)
                if distance <= MAX_MATCH_DISTANCE:
                    # Prefer the same handedness; MediaPipe can flip it for a frame.
                    penalty = 0.0 if track.handedness == handedness else MAX_MATCH_DISTANCE
                    pairs.append((distance + penalty, hand_index, track_index))
        ids: list[int | None] = [None] * len(hands)
        used_tracks: set[int] = set()
        for _, hand_index, track_index in sorted(pairs):
            if ids[hand_index] is not None or track_index in used_tracks:
                continue
            track = self._tracks[track_index]
            ids[hand_index] = track.tracking_id
            track.centroid = centroids[hand_index]
            track.handedness = hands[hand_index][0]
            track.missed = 0
            used_tracks.add(track_index)
        for track_index, track in enumerate(self._tracks):
            if track_index not in used_tracks:
                track.missed += 1
        self._tracks = [t for t in self._tracks if t.missed <= MAX_MISSED_FRAMES]
        for hand_index, assigned in enumerate(ids):
            if assigned is None:
                track = _Track(self._next_id, hands[hand_index][0], centroids[hand_index])
                self._next_id += 1
                self._tracks.append(track)
                ids[hand_index] = track.tracking_id
        return [int(i) for i in ids]
