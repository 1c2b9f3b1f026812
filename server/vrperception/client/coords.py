"""Coordinate conversions between the server's frames and the game engines'.

Server 3D: OpenCV camera frame of the upright view, right-handed: x right,
y down, z forward, metres.
Unity camera-local (left-handed, Y up, metres): (x, -y, z).
Unreal camera-local (left-handed, X forward, Y right, Z up, centimetres):
X = 100 z, Y = 100 x, Z = -100 y.

Both axis changes M are reflections (det M = -1). A rotation R becomes
M R M^T, which for a quaternion (x, y, z, w) keeps w and maps the vector
part v to -(M v): Unity (-x, y, -z, w), Unreal (-z, -x, y, w). A pose maps
source to target frame, and both frames change axes with M, so the
converted pose maps converted points.

Server 2D: normalised to the image as displayed, origin top-left, y down.
Unity viewport/UV (origin bottom-left): (x, 1 - y). Unreal screen/UV
(origin top-left): (x, y).

The same functions exist in the C++ core (engine_clients/cpp) and the Unity
package, and all three pass the cases in engine_clients/test_vectors.json.
"""

from __future__ import annotations

from typing import NamedTuple

UNREAL_UNITS_PER_METRE = 100.0

Vec2 = tuple[float, float]
Vec3 = tuple[float, float, float]
# (x, y, z, w), Hamilton convention, w is the scalar part.
Quat = tuple[float, float, float, float]


class Pose(NamedTuple):
    """Maps a point p of the source frame to rotation * p + position."""

    position: Vec3  # metres for OpenCV and Unity, centimetres for Unreal
    rotation: Quat


def opencv_to_unity_point(p: Vec3) -> Vec3:
    return (p[0], -p[1], p[2])


def unity_to_opencv_point(p: Vec3) -> Vec3:
    return (p[0], -p[1], p[2])


def opencv_to_unreal_point_cm(p: Vec3) -> Vec3:
    s = UNREAL_UNITS_PER_METRE
    return (s * p[2], s * p[0], -s * p[1])


def unreal_cm_to_opencv_point(p: Vec3) -> Vec3:
    s = UNREAL_UNITS_PER_METRE
    return (p[1] / s, -p[2] / s, p[0] / s)


def opencv_to_unity_rotation(q: Quat) -> Quat:
    return (-q[0], q[1], -q[2], q[3])


def unity_to_opencv_rotation(q: Quat) -> Quat:
    return (-q[0], q[1], -q[2], q[3])


def opencv_to_unreal_rotation(q: Quat) -> Quat:
    return (-q[2], -q[0], q[1], q[3])


def unreal_to_opencv_rotation(q: Quat) -> Quat:
    return (-q[1], q[2], -q[0], q[3])


def opencv_to_unity_pose(pose: Pose) -> Pose:
    return Pose(opencv_to_unity_point(pose.position), opencv_to_unity_rotation(pose.rotation))


def unity_to_opencv_pose(pose: Pose) -> Pose:
    return Pose(unity_to_opencv_point(pose.position), unity_to_opencv_rotation(pose.rotation))


def opencv_to_unreal_pose_cm(pose: Pose) -> Pose:
    return Pose(opencv_to_unreal_point_cm(pose.position), opencv_to_unreal_rotation(pose.rotation))


def unreal_cm_to_opencv_pose(pose: Pose) -> Pose:
    return Pose(unreal_cm_to_opencv_point(pose.position), unreal_to_opencv_rotation(pose.rotation))


def rotate(q: Quat, p: Vec3) -> Vec3:
    """Rotate p by the unit quaternion q (q p q^-1)."""
    x, y, z, w = q
    # p + w t + q_v x t with t = 2 (q_v x p), the expanded form of q p q^-1.
    tx = 2.0 * (y * p[2] - z * p[1])
    ty = 2.0 * (z * p[0] - x * p[2])
    tz = 2.0 * (x * p[1] - y * p[0])
    return (
        p[0] + w * tx + (y * tz - z * ty),
        p[1] + w * ty + (z * tx - x * tz),
        p[2] + w * tz + (x * ty - y * tx),
    )


def apply_pose(pose: Pose, p: Vec3) -> Vec3:
    """Map p from the pose's source frame to its target frame."""
    r = rotate(pose.rotation, p)
    return (r[0] + pose.position[0], r[1] + pose.position[1], r[2] + pose.position[2])


def normalized_to_unity_viewport(p: Vec2) -> Vec2:
    return (p[0], 1.0 - p[1])


def normalized_to_unity_pixels(p: Vec2, width_px: float, height_px: float) -> Vec2:
    return (p[0] * width_px, (1.0 - p[1]) * height_px)


def normalized_to_unreal_uv(p: Vec2) -> Vec2:
    return (p[0], p[1])


def normalized_to_unreal_pixels(p: Vec2, width_px: float, height_px: float) -> Vec2:
    return (p[0] * width_px, p[1] * height_px)
