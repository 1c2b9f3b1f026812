"""Synthetic hand poses for training the gesture classifier.

A kinematic model of an adult right hand (bone lengths in metres, joint
angles per finger) is posed from per-gesture joint-angle ranges and turned
to a random 3D viewpoint. A pinhole camera projects it, and landmark noise,
a mis-estimated finger (partial occlusion) and occasional wrong handedness
make the samples look like MediaPipe output. Everything is
drawn from one ``numpy.random.Generator``, so a seed fixes the data.

Hand frame: origin at the wrist, +y from the wrist towards the middle
knuckle, +z out of the palm, +x towards the thumb (right-handed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Pose classes of the network. "thumb" is an extended thumb over a closed
# fist. The classifier names it thumb_up or thumb_down from the thumb's
# direction in the image, because the network's features ignore in-plane
# rotation.
THUMB_POSE = "thumb"
POSE_CLASSES = (
    "none",
    "closed_fist",
    "open_palm",
    "pointing_up",
    THUMB_POSE,
    "victory",
    "i_love_you",
    "pinch",
    "ok",
)

# Knuckle (MCP) positions of the long fingers and the thumb's CMC joint, m.
_KNUCKLES = np.array(
    [
        [0.024, 0.080, 0.0],  # index
        [0.002, 0.084, 0.0],  # middle
        [-0.017, 0.078, 0.0],  # ring
        [-0.033, 0.068, 0.0],  # pinky
    ]
)
_THUMB_CMC = np.array([0.021, 0.028, 0.006])
# Phalanx lengths (proximal, middle, distal) of index, middle, ring, pinky, m.
_PHALANGES = np.array(
    [
        [0.040, 0.024, 0.020],
        [0.045, 0.028, 0.021],
        [0.042, 0.026, 0.021],
        [0.033, 0.019, 0.018],
    ]
)
# Thumb metacarpal, proximal and distal phalanx lengths, m.
_THUMB_BONES = np.array([0.038, 0.032, 0.028])
# Resting fan of the long fingers towards the thumb (+) or pinky (-), deg.
_FAN_DEG = np.array([5.0, 0.0, -5.0, -12.0])
# Direction of the thumb metacarpal before it turns towards its target.
_THUMB_BASE_DIRECTION = np.array([0.6, 0.75, 0.25]) / np.linalg.norm([0.6, 0.75, 0.25])

# Flexion ranges (MCP, PIP, DIP) in degrees for the named finger states.
FINGER_STATES = {
    "extended": ((-10, 15), (0, 12), (0, 10)),
    "curled": ((65, 95), (80, 110), (25, 70)),
    "half": ((20, 60), (25, 75), (10, 45)),
    "hooked": ((0, 25), (70, 100), (40, 70)),
    "bent_knuckle": ((60, 90), (0, 20), (0, 15)),
    "pinching": ((10, 50), (20, 65), (5, 35)),
}
_CLOSED_STATES = ("curled", "hooked")
# States of a finger that is not pointing anywhere (pointing, victory, I love you).
_FOLDED_STATES = ("curled", "curled", "hooked", "half")

# Thumb-tip targets in the hand frame (centre, half-range per axis), m.
_THUMB_TARGETS = {
    # Across the front of the curled fingers' middle phalanges (fist "S").
    "over": ((-0.005, 0.060, 0.052), (0.012, 0.010, 0.008)),
    # Pressed against the side of the index finger (fist "A").
    "side": ((0.033, 0.072, 0.024), (0.005, 0.010, 0.010)),
    # Folded across the palm towards the ring knuckle.
    "across": ((-0.012, 0.058, 0.028), (0.012, 0.012, 0.010)),
    # Low across the palm, under curled fingertips.
    "tucked": ((-0.008, 0.045, 0.020), (0.010, 0.008, 0.008)),
}
_FOLDED_THUMBS = tuple(_THUMB_TARGETS)

# Pinhole camera and viewpoint ranges.
_CAMERA_DISTANCE_M = (0.25, 1.2)
_FOCAL_PX = (400.0, 1400.0)
_PITCH_DEG = 60.0
# Landmark noise in x, y and in z, as fractions of the palm size, before a per-sample multiplier drawn from _NOISE_SCALE.
_IMAGE_NOISE_PALMS = 0.03
_DEPTH_NOISE_PALMS = 0.10
_NOISE_SCALE = (0.5, 2.0)
# Probabilities of the disturbances.
_OCCLUSION_PROBABILITY = 0.25
_WRONG_HANDEDNESS_PROBABILITY = 0.03
_LEFT_PROBABILITY = 0.5


@dataclass(frozen=True)
class HandPose:
    """Joint configuration: flexion (4, 3) deg, abduction (4,) deg, thumb target."""

    flexion_deg: np.ndarray
    abduction_deg: np.ndarray
    thumb_target: np.ndarray


@dataclass(frozen=True)
class SyntheticSet:
    """Synthetic samples in the classifier's input form.

    ``pixels`` (N, 21, 3) upright image landmarks in pixels, z in the same
    scale as x; ``is_left`` (N,); ``labels`` (N,) indices into
    ``POSE_CLASSES``.
    """

    pixels: np.ndarray
    is_left: np.ndarray
    labels: np.ndarray


def hand_skeleton(pose: HandPose, scale: float, bone_jitter: np.ndarray) -> np.ndarray:
    """Return the (21, 3) landmarks of a posed right hand in the hand frame, m."""
    points = np.zeros((21, 3))
    normal = np.array([0.0, 0.0, 1.0])
    for finger in range(4):
        base = 5 + 4 * finger
        angle = np.radians(_FAN_DEG[finger] + pose.abduction_deg[finger])
        direction = np.array([np.sin(angle), np.cos(angle), 0.0])
        points[base] = _KNUCKLES[finger] * scale
        cumulative = 0.0
        for joint in range(3):
            cumulative += np.radians(pose.flexion_deg[finger, joint])
            bone = np.cos(cumulative) * direction + np.sin(cumulative) * normal
            length = _PHALANGES[finger, joint] * scale * bone_jitter[finger, joint]
            points[base + joint + 1] = points[base + joint] + length * bone
    points[1:5] = _thumb_chain(_THUMB_CMC * scale, pose.thumb_target * scale, _THUMB_BONES * scale)
    return points


def _thumb_chain(cmc: np.ndarray, target: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Place the thumb's four landmarks so its tip reaches ``target`` where it can.

    The metacarpal turns halfway from its rest direction towards the target.
    The two phalanges then follow by two-bone inverse kinematics and bend
    away from the palm centre, as a real thumb's IP joint does.
    """
    towards = _unit(target - cmc)
    metacarpal = _unit(_THUMB_BASE_DIRECTION + towards)
    mcp = cmc + lengths[0] * metacarpal
    reach = target - mcp
    distance = float(np.linalg.norm(reach))
    first, second = lengths[1], lengths[2]
    distance = float(np.clip(distance, abs(first - second) + 1e-4, first + second - 1e-6))
    axis = _unit(reach)
    hint = mcp - np.array([0.0, 0.045, 0.0])
    bend = _unit(hint - np.dot(hint, axis) * axis)
    cos_mcp = (first**2 + distance**2 - second**2) / (2 * first * distance)
    angle = np.arccos(np.clip(cos_mcp, -1.0, 1.0))
    ip = mcp + first * (np.cos(angle) * axis + np.sin(angle) * bend)
    tip = mcp + distance * axis
    return np.stack([cmc, mcp, ip, tip])


def _fingertips(pose: HandPose) -> np.ndarray:
    return hand_skeleton(pose, 1.0, np.ones((4, 3)))[[8, 12, 16, 20]]


def _draw_flexion(rng: np.random.Generator, state: str) -> np.ndarray:
    return np.array([rng.uniform(low, high) for low, high in FINGER_STATES[state]])


def _draw_folded_thumb(rng: np.random.Generator, kind: str) -> np.ndarray:
    centre, half_range = _THUMB_TARGETS[kind]
    return np.asarray(centre) + rng.uniform(-1.0, 1.0, 3) * np.asarray(half_range)


def _draw_extended_thumb(rng: np.random.Generator, max_elevation_deg: float = 70.0) -> np.ndarray:
    """Target for a straight thumb pointing out to the side and up, m."""
    azimuth = np.radians(rng.uniform(10.0, max_elevation_deg))
    lift = rng.uniform(-0.15, 0.45)
    direction = _unit(np.array([np.cos(azimuth), np.sin(azimuth), lift]))
    return _THUMB_CMC + rng.uniform(0.090, 0.098) * direction


def _touch(rng: np.random.Generator, flexion: np.ndarray, abduction: np.ndarray, finger: int) -> np.ndarray:
    """Thumb target touching the tip of ``finger`` (0 index .. 3 pinky), m."""
    provisional = HandPose(flexion, abduction, _THUMB_CMC)
    tip = _fingertips(provisional)[finger]
    contact = rng.uniform(0.006, 0.016)
    return tip + contact * _unit(rng.normal(size=3))


def _spread(rng: np.random.Generator, low: float, high: float) -> np.ndarray:
    """Abduction per finger for gaps drawn in [low, high] deg between neighbours."""
    gaps = rng.uniform(low, high, 3)
    return np.array([gaps[0], 0.0, -gaps[1], -(gaps[1] + gaps[2])])


def draw_pose(rng: np.random.Generator, pose_class: str) -> HandPose:
    """Draw joint angles for one of ``POSE_CLASSES``."""
    if pose_class == "none":
        return _draw_other_pose(rng)
    states, abduction, thumb = _GESTURE_RECIPES[pose_class](rng)
    flexion = np.stack([_draw_flexion(rng, state) for state in states])
    if isinstance(thumb, tuple):
        target = _touch(rng, flexion, abduction, thumb[1])
    elif thumb == "extended":
        target = _draw_extended_thumb(rng)
    else:
        target = _draw_folded_thumb(rng, thumb)
    return HandPose(flexion, abduction, target)


def _closed(rng: np.random.Generator) -> str:
    return _CLOSED_STATES[int(rng.random() < 0.25)]


def _recipe_open_palm(rng):
    return ["extended"] * 4, _spread(rng, 2.0, 15.0), "extended"


def _recipe_closed_fist(rng):
    return [_closed(rng) for _ in range(4)], _spread(rng, 0.0, 4.0), rng.choice(_FOLDED_THUMBS)


def _folded(rng: np.random.Generator) -> str:
    return str(rng.choice(_FOLDED_STATES))


def _recipe_pointing(rng):
    thumb = rng.choice(["over", "across", "side", "touch_middle"])
    states = ["extended"] + [_folded(rng) for _ in range(3)]
    return states, _spread(rng, 0.0, 6.0), ("touch", 1) if thumb == "touch_middle" else thumb


def _recipe_thumb(rng):
    return [_closed(rng) for _ in range(4)], _spread(rng, 0.0, 4.0), "extended"


def _recipe_victory(rng):
    abduction = _spread(rng, 0.0, 6.0)
    abduction[0] = rng.uniform(6.0, 18.0)
    abduction[1] = -rng.uniform(4.0, 12.0)
    thumb = rng.choice(["over", "across", "touch_ring"])
    states = ["extended", "extended", _folded(rng), _folded(rng)]
    return states, abduction, ("touch", 2) if thumb == "touch_ring" else thumb


def _recipe_i_love_you(rng):
    states = ["extended", _folded(rng), _folded(rng), "extended"]
    return states, _spread(rng, 2.0, 12.0), "extended"


def _recipe_pinch(rng):
    others = [rng.choice(["curled", "half", "pinching"]) for _ in range(3)]
    return ["pinching"] + others, _spread(rng, 0.0, 8.0), ("touch", 0)


def _recipe_ok(rng):
    return ["pinching", "extended", "extended", "extended"], _spread(rng, 2.0, 14.0), ("touch", 0)


_GESTURE_RECIPES = {
    "closed_fist": _recipe_closed_fist,
    "open_palm": _recipe_open_palm,
    "pointing_up": _recipe_pointing,
    THUMB_POSE: _recipe_thumb,
    "victory": _recipe_victory,
    "i_love_you": _recipe_i_love_you,
    "pinch": _recipe_pinch,
    "ok": _recipe_ok,
}

_OTHER_FINGER_STATES = ("extended", "curled", "half", "hooked", "bent_knuckle")
_OTHER_THUMBS = ("extended",) + _FOLDED_THUMBS + ("touch_middle", "touch_ring", "touch_pinky")


def _draw_other_pose(rng: np.random.Generator) -> HandPose:
    """Draw a hand shape that is none of the gestures (ASL letters, relaxed hands, ...)."""
    while True:
        states = [str(rng.choice(_OTHER_FINGER_STATES)) for _ in range(4)]
        thumb = str(rng.choice(_OTHER_THUMBS))
        together = rng.random() < 0.5
        abduction = _spread(rng, 0.0, 2.0) if together else _spread(rng, 2.0, 15.0)
        if not _matches_gesture(states, thumb, together):
            break
    flexion = np.stack([_draw_flexion(rng, state) for state in states])
    if thumb.startswith("touch_"):
        finger = {"touch_middle": 1, "touch_ring": 2, "touch_pinky": 3}[thumb]
        target = _touch(rng, flexion, abduction, finger)
    elif thumb == "extended":
        target = _draw_extended_thumb(rng)
    else:
        target = _draw_folded_thumb(rng, thumb)
    return HandPose(flexion, abduction, target)


def _matches_gesture(states: list[str], thumb: str, together: bool) -> bool:
    """Return whether a "none" candidate is too close to a gesture to be labelled none."""
    extended = [state == "extended" for state in states]
    closed = [state in _CLOSED_STATES for state in states]
    folded = [state in _FOLDED_STATES for state in states]
    thumb_out = thumb == "extended"
    if all(extended) and thumb_out:
        return True
    if all(closed):
        return True
    if extended[0] and all(folded[1:]) and not thumb_out:
        return True
    # Index and middle up with the others folded is victory when spread; held
    # together (ASL "U" and "H") it stays "none".
    if extended[0] and extended[1] and all(folded[2:]) and not thumb_out and not together:
        return True
    if extended[0] and extended[3] and all(folded[1:3]) and thumb_out:
        return True
    return False


def _random_rotation(rng: np.random.Generator) -> np.ndarray:
    """Hand-to-camera rotation: any roll and yaw, pitch within +-_PITCH_DEG.

    The base pose shows the palm to the camera with the fingers up; camera
    axes are x right, y down, z forward.
    """
    base = np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]])
    yaw = rng.uniform(-np.pi, np.pi)
    pitch = np.radians(rng.uniform(-_PITCH_DEG, _PITCH_DEG))
    roll = rng.uniform(-np.pi, np.pi)
    return rotation_z(roll) @ base @ rotation_y(yaw) @ rotation_x(pitch)


def _observe(rng: np.random.Generator, hand: np.ndarray, palm_m: float) -> np.ndarray:
    """Project a hand-frame skeleton to noisy (21, 3) image landmarks in pixels."""
    rotation = _random_rotation(rng)
    distance = rng.uniform(*_CAMERA_DISTANCE_M)
    focal = rng.uniform(*_FOCAL_PX)
    offset = np.array([rng.uniform(-0.15, 0.15), rng.uniform(-0.1, 0.1), distance])
    camera = hand @ rotation.T + offset
    camera[:, 2] = np.maximum(camera[:, 2], 0.05)
    centre = rng.uniform(200.0, 700.0, 2)
    pixels = np.empty_like(camera)
    pixels[:, :2] = focal * camera[:, :2] / camera[:, 2:3] + centre
    pixels[:, 2] = (camera[:, 2] - camera[0, 2]) * focal / camera[0, 2]

    noise = rng.uniform(*_NOISE_SCALE)
    palm_px = palm_m * focal / distance
    pixels[:, :2] += rng.normal(0.0, _IMAGE_NOISE_PALMS * noise * palm_px, (21, 2))
    pixels[:, 2] += rng.normal(0.0, _DEPTH_NOISE_PALMS * noise * palm_px, 21)
    return pixels


def _disturb(rng: np.random.Generator, pose: HandPose) -> HandPose:
    """Blend one long finger towards another state, as a tracker guessing an occluded finger."""
    if rng.random() >= _OCCLUSION_PROBABILITY:
        return pose
    finger = int(rng.integers(4))
    other = _draw_flexion(rng, str(rng.choice(list(FINGER_STATES))))
    weight = rng.uniform(0.2, 0.5)
    flexion = pose.flexion_deg.copy()
    flexion[finger] = (1 - weight) * flexion[finger] + weight * other
    return HandPose(flexion, pose.abduction_deg, pose.thumb_target)


def draw_sample(rng: np.random.Generator, pose_class: str) -> tuple[np.ndarray, bool]:
    """Draw one observed hand: (pixels (21, 3), is_left)."""
    pose = _disturb(rng, draw_pose(rng, pose_class))
    scale = rng.uniform(0.85, 1.15)
    bone_jitter = rng.uniform(0.93, 1.07, (4, 3))
    hand = hand_skeleton(pose, scale, bone_jitter)
    pixels = _observe(rng, hand, 0.076 * scale)

    is_left = rng.random() < _LEFT_PROBABILITY
    if is_left:
        pixels[:, 0] *= -1.0
    if rng.random() < _WRONG_HANDEDNESS_PROBABILITY:
        is_left = not is_left
    return pixels, is_left


def generate(seed: int, samples_per_class: int, none_factor: float = 2.0) -> SyntheticSet:
    """Generate a labelled set over ``POSE_CLASSES``; "none" gets ``none_factor`` times more."""
    rng = np.random.default_rng(seed)
    pixels, left, labels = [], [], []
    for label, pose_class in enumerate(POSE_CLASSES):
        count = int(samples_per_class * (none_factor if pose_class == "none" else 1.0))
        for _ in range(count):
            sample_pixels, is_left = draw_sample(rng, pose_class)
            pixels.append(sample_pixels)
            left.append(is_left)
            labels.append(label)
    return SyntheticSet(
        pixels=np.asarray(pixels),
        is_left=np.asarray(left, dtype=bool),
        labels=np.asarray(labels, dtype=np.int64),
    )


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def rotation_x(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rotation_y(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rotation_z(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
