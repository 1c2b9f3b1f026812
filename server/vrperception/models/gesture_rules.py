"""Hand-written gesture rules from finger extension states: the baseline the MLP must beat.

Each long finger counts as extended when its tip lies clearly farther from
the wrist than its PIP joint in the image. The thumb counts as extended when
its tip lies clearly farther from the index knuckle than its IP joint does. The rules
then map the five states, plus a thumb-index touch, to the builtin names.
"""

from __future__ import annotations

import numpy as np

from vrperception.models.gestures import thumb_gesture_name

# Tip-to-wrist over PIP-to-wrist distance above which a long finger is extended.
FINGER_EXTENDED_RATIO = 1.15
# Thumb tip-to-index-knuckle over IP-to-index-knuckle distance above which the
# thumb is extended.
THUMB_EXTENDED_RATIO = 1.25
# Thumb-tip to index-tip distance, in wrist-to-middle-knuckle lengths, below
# which the tips touch.
TOUCH_PALMS = 0.35

_FINGERS = ((6, 8), (10, 12), (14, 16), (18, 20))


def finger_states(pixels: np.ndarray) -> tuple[bool, list[bool]]:
    """Return (thumb extended, [index, middle, ring, pinky] extended) from (21, 3) pixels."""
    points = np.asarray(pixels, dtype=np.float64)[:, :2]
    wrist = points[0]
    fingers = [
        bool(np.linalg.norm(points[tip] - wrist) > FINGER_EXTENDED_RATIO * np.linalg.norm(points[pip] - wrist))
        for pip, tip in _FINGERS
    ]
    index_knuckle = points[5]
    thumb = bool(
        np.linalg.norm(points[4] - index_knuckle) > THUMB_EXTENDED_RATIO * np.linalg.norm(points[3] - index_knuckle)
    )
    return thumb, fingers


def classify_by_rules(pixels: np.ndarray) -> str:
    """Name the gesture of one hand from (21, 3) upright image pixels (y down)."""
    points = np.asarray(pixels, dtype=np.float64)
    thumb, (index, middle, ring, pinky) = finger_states(points)
    palm = max(float(np.linalg.norm(points[9, :2] - points[0, :2])), 1e-9)
    touching = float(np.linalg.norm(points[4, :2] - points[8, :2])) / palm < TOUCH_PALMS
    if touching:
        return "ok" if middle and ring and pinky else "pinch"
    pattern = (index, middle, ring, pinky)
    if pattern == (True, True, True, True):
        return "open_palm" if thumb else "none"
    if pattern == (False, False, False, False):
        return thumb_gesture_name(points) if thumb else "closed_fist"
    if pattern == (True, False, False, False) and not thumb:
        return "pointing_up"
    if pattern == (True, True, False, False) and not thumb:
        return "victory"
    if pattern == (True, False, False, True) and thumb:
        return "i_love_you"
    return "none"
