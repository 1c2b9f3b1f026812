"""Landmark features for the gesture classifier, and pinch and grab strength.

Input is MediaPipe's 21-point hand layout: 0 wrist, 1-4 thumb CMC, MCP, IP
and tip, then MCP, PIP, DIP and tip of the index (5-8), middle (9-12), ring
(13-16) and pinky (17-20) fingers. Every feature is invariant to the hand's position,
scale and in-plane rotation in the image, and left hands are mirrored onto
right hands, so one classifier serves both hands.

Any change to what ``extract_features`` computes must bump
``FEATURE_VERSION``: checkpoints store the version they were trained with and
loading rejects a mismatch.
"""

from __future__ import annotations

import numpy as np

FEATURE_VERSION = "landmarks-v1"
LANDMARK_COUNT = 21

WRIST = 0
THUMB = (1, 2, 3, 4)
INDEX = (5, 6, 7, 8)
MIDDLE = (9, 10, 11, 12)
RING = (13, 14, 15, 16)
PINKY = (17, 18, 19, 20)
FINGERS = (INDEX, MIDDLE, RING, PINKY)
FINGERTIPS = (4, 8, 12, 16, 20)

# Sums of the three flexion angles of a long finger, in radians, for a fully
# open finger (a relaxed straight finger bends a little) and a fully curled
# one. A fist bends about 90 + 100 + 30 degrees at MCP, PIP and DIP.
OPEN_CURL_RAD = 0.35
FULL_CURL_RAD = 3.6

# Thumb-tip to index-tip distance in palm sizes for pinch strength 1 (the
# tip landmarks sit at the finger ends, so touching pads still leave a gap)
# and for pinch strength 0 (an open hand).
# How much nearer (in palm sizes) the thumb tip must be to the index tip than
# to the index DIP joint for a full pinch.
PINCH_TIP_MARGIN_PALMS = 0.1
PINCH_TOUCH_PALMS = 0.25
PINCH_OPEN_PALMS = 0.9

# Guards against division by zero for degenerate (all-equal) landmarks.
_EPS = 1e-9

# Bone chains whose consecutive bones give the 15 flexion angles.
_ANGLE_CHAINS = np.array([(WRIST,) + THUMB, (WRIST,) + INDEX, (WRIST,) + MIDDLE, (WRIST,) + RING, (WRIST,) + PINKY])
# Point pairs whose distances, in palm sizes, are features.
_DISTANCE_PAIRS = np.array(
    [
        (4, 8), (4, 12), (4, 16), (4, 20),  # thumb tip to each fingertip
        (4, 5), (4, 9), (4, 13), (4, 17),  # thumb tip to each knuckle
        (4, 6), (4, 10),  # thumb tip to index and middle PIP
        (8, 12), (12, 16), (16, 20),  # neighbouring fingertips
        (0, 4), (0, 8), (0, 12), (0, 16), (0, 20),  # wrist to each fingertip
    ]
)
# Bones of the palm that do not bend: wrist to each knuckle, and the knuckle width.
_PALM_PAIRS = np.array([(0, 5), (0, 9), (0, 13), (0, 17), (5, 17)])

FEATURE_SIZE = 2 * LANDMARK_COUNT * 3 + 15 + len(_DISTANCE_PAIRS) + 3


def _as_batch(points: np.ndarray) -> np.ndarray:
    array = np.asarray(points, dtype=np.float64)
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3 or array.shape[1:] != (LANDMARK_COUNT, 3):
        raise ValueError(
            f"landmarks must have shape (21, 3) or (N, 21, 3), got {np.shape(points)}"
        )
    if not np.isfinite(array).all():
        raise ValueError("landmarks contain NaN or infinite values; pass finite coordinates")
    return array


def mirror_left(points: np.ndarray, is_left: np.ndarray) -> np.ndarray:
    """Flip x of the left hands in an (N, 21, 3) batch so they look like right hands."""
    mirrored = points.copy()
    mirrored[is_left, :, 0] *= -1.0
    return mirrored


def palm_size(points: np.ndarray) -> np.ndarray:
    """Mean length of the wrist-to-knuckle bones and the knuckle width, (N,).

    Uses all three coordinates. These bones do not bend, so the value changes
    with the hand's size and distance only, never with the pose.
    """
    lengths = np.linalg.norm(points[:, _PALM_PAIRS[:, 0]] - points[:, _PALM_PAIRS[:, 1]], axis=-1)
    return np.maximum(lengths.mean(axis=-1), _EPS)


def canonical_image_landmarks(pixels: np.ndarray) -> np.ndarray:
    """Move the wrist to the origin, rotate wrist->middle knuckle to point up, scale.

    ``pixels``: (N, 21, 3) upright image landmarks in pixels (z in the same
    scale as x), already mirrored for left hands. Returns (N, 21, 3) in palm
    sizes, with image axes (x right, y down) so "up" is -y.
    """
    centred = pixels - pixels[:, WRIST : WRIST + 1]
    up = centred[:, MIDDLE[0], :2]
    up = up / np.maximum(np.linalg.norm(up, axis=-1, keepdims=True), _EPS)
    # The perpendicular (-u_y, u_x) maps onto +x when u maps onto -y.
    side = np.stack([-up[:, 1], up[:, 0]], axis=-1)
    x = np.einsum("npk,nk->np", centred[..., :2], side)
    y = -np.einsum("npk,nk->np", centred[..., :2], up)
    rotated = np.stack([x, y, centred[..., 2]], axis=-1)
    return rotated / palm_size(pixels)[:, None, None]


def palm_frame_landmarks(points: np.ndarray) -> np.ndarray:
    """Express (N, 21, 3) points in the palm's own frame, in palm sizes.

    The frame: origin at the wrist, y along wrist->middle knuckle, z the palm
    normal from the index and pinky knuckles, x completing a right-handed
    frame. Invariant to any 3D rotation of the hand, not only in-plane.
    """
    centred = points - points[:, WRIST : WRIST + 1]
    axis_y = _unit(centred[:, MIDDLE[0]])
    normal = np.cross(centred[:, INDEX[0]], centred[:, PINKY[0]])
    axis_z = _unit(normal - np.sum(normal * axis_y, axis=-1, keepdims=True) * axis_y)
    axis_x = np.cross(axis_y, axis_z)
    frame = np.stack([axis_x, axis_y, axis_z], axis=1)
    local = np.einsum("nij,npj->npi", frame, centred)
    return local / palm_size(points)[:, None, None]


def flexion_angles(points: np.ndarray) -> np.ndarray:
    """Angles between consecutive bones of each finger chain, (N, 15) radians.

    0 for a straight joint. Per finger: the knuckle (against the palm bone),
    the middle joint and the end joint; thumb first, pinky last.
    """
    bones = _unit(points[:, _ANGLE_CHAINS[:, 1:]] - points[:, _ANGLE_CHAINS[:, :-1]])
    cosines = np.sum(bones[:, :, :-1] * bones[:, :, 1:], axis=-1)
    return np.arccos(np.clip(cosines, -1.0, 1.0)).reshape(len(points), -1)


def grab_strength(points: np.ndarray) -> np.ndarray:
    """Mean curl of the four long fingers in [0, 1], (N,): 0 open hand, 1 fist."""
    angles = flexion_angles(_as_batch(points))
    finger_sums = angles[:, 3:].reshape(-1, 4, 3).sum(axis=-1)
    curl = (finger_sums - OPEN_CURL_RAD) / (FULL_CURL_RAD - OPEN_CURL_RAD)
    return np.clip(curl, 0.0, 1.0).mean(axis=-1)


def pinch_strength(points: np.ndarray) -> np.ndarray:
    """Thumb-index closure in [0, 1], (N,): 1 when the tips touch.

    In a fist the thumb tip rests against the index finger's middle joints
    with the index tip close by, which tip distance alone reads as a pinch.
    So the closure is scaled down when the thumb tip is not nearer the index
    tip than the index DIP joint: on the labelled photos this keeps the fists
    at 0 and the pinch and OK signs near 1.
    """
    batch = _as_batch(points)
    palm = palm_size(batch)
    gap = np.linalg.norm(batch[:, 4] - batch[:, 8], axis=-1) / palm
    gap_to_dip = np.linalg.norm(batch[:, 4] - batch[:, 7], axis=-1) / palm
    closure = np.clip((PINCH_OPEN_PALMS - gap) / (PINCH_OPEN_PALMS - PINCH_TOUCH_PALMS), 0.0, 1.0)
    tip_first = np.clip((gap_to_dip - gap) / PINCH_TIP_MARGIN_PALMS + 0.5, 0.0, 1.0)
    return closure * tip_first


def extract_features(pixels: np.ndarray, is_left: np.ndarray | bool) -> np.ndarray:
    """Compute the classifier input for a batch of hands.

    ``pixels``: (N, 21, 3) or (21, 3) upright image landmarks in pixels, z in
    the same scale as x. ``is_left``: (N,) or scalar, the person's own
    handedness. Returns (N, FEATURE_SIZE) float32.

    MediaPipe's metric world landmarks are not used: on small hands they put
    touching fingertips centimetres apart, where the image landmarks of the
    same hand are right.
    """
    image = _as_batch(pixels)
    count = image.shape[0]
    left = np.broadcast_to(np.asarray(is_left, dtype=bool), (count,))
    image = mirror_left(image, left)

    gaps = image[:, _DISTANCE_PAIRS[:, 0]] - image[:, _DISTANCE_PAIRS[:, 1]]
    distances = np.linalg.norm(gaps, axis=-1) / palm_size(image)[:, None]
    palm_local = palm_frame_landmarks(image)
    thumb_direction = _unit(palm_local[:, THUMB[3]] - palm_local[:, THUMB[1]])
    parts = [
        canonical_image_landmarks(image).reshape(count, -1),
        palm_local.reshape(count, -1),
        flexion_angles(image),
        distances,
        thumb_direction,
    ]
    return np.concatenate(parts, axis=-1).astype(np.float32)


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), _EPS)
