"""Drawing results on the image as displayed (for the CLI's --draw)."""

from __future__ import annotations

import cv2
import numpy as np

from vrperception.api.v1 import hands_pb2

# Landmark index pairs that form the hand skeleton (MediaPipe order).
HAND_CONNECTIONS = (
    (0, 1), (1, 2), (2, 3), (3, 4),
    (0, 5), (5, 6), (6, 7), (7, 8),
    (5, 9), (9, 10), (10, 11), (11, 12),
    (9, 13), (13, 14), (14, 15), (15, 16),
    (13, 17), (0, 17), (17, 18), (18, 19), (19, 20),
)
LEFT_COLOR_BGR = (255, 128, 0)
RIGHT_COLOR_BGR = (0, 128, 255)


def draw_hands(bgr: np.ndarray, result: hands_pb2.HandsResult) -> np.ndarray:
    """Draw skeletons, boxes and labels of ``result`` on a copy of ``bgr``."""
    canvas = bgr.copy()
    height, width = canvas.shape[:2]
    thickness = max(1, round(min(width, height) / 300))
    for hand in result.hands:
        color = LEFT_COLOR_BGR if hand.handedness == hands_pb2.HANDEDNESS_LEFT else RIGHT_COLOR_BGR
        points = [(round(p.x * width), round(p.y * height)) for p in hand.landmarks]
        for start, end in HAND_CONNECTIONS:
            cv2.line(canvas, points[start], points[end], color, thickness, cv2.LINE_AA)
        for point in points:
            cv2.circle(canvas, point, thickness + 1, (255, 255, 255), -1, cv2.LINE_AA)
        box = hand.bounding_box
        top_left = (round(box.x_min * width), round(box.y_min * height))
        cv2.rectangle(canvas, top_left, (round(box.x_max * width), round(box.y_max * height)), color, thickness)
        cv2.putText(canvas, hand_label(hand), (top_left[0], max(12, top_left[1] - 4)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.4 * thickness, color, thickness, cv2.LINE_AA)
    return canvas


def hand_label(hand: hands_pb2.Hand) -> str:
    side = hands_pb2.Handedness.Name(hand.handedness).removeprefix("HANDEDNESS_").lower()
    label = f"{side} {hand.handedness_score:.2f}"
    if hand.gesture.name:
        label += f" {hand.gesture.name} {hand.gesture.score:.2f}"
    if hand.tracking_id:
        label = f"#{hand.tracking_id} {label}"
    return label
