"""Translation between v1 protobuf messages and domain types."""

from __future__ import annotations

import numpy as np

from vrperception.api.v1 import common_pb2
from vrperception.errors import InvalidArgument
from vrperception.media.frames import Encoding, Intrinsics, RawFrame, RigidPose, Rotation, RowOrder


# Quaternion lengths accepted and renormalised; outside, the rotation is
# probably unset (all zero) or not a rotation.
QUATERNION_NORM_RANGE = (0.9, 1.1)


def raw_frame_from_proto(frame: common_pb2.ImageFrame) -> RawFrame:
    """Copy an ImageFrame into a RawFrame; validation happens when it is decoded."""
    intrinsics = None
    if frame.HasField("intrinsics"):
        k = frame.intrinsics
        intrinsics = Intrinsics(k.fx, k.fy, k.cx, k.cy, tuple(k.distortion))
    camera_to_world = None
    if frame.HasField("camera_to_world"):
        camera_to_world = pose_from_proto(frame.camera_to_world, "frame.camera_to_world")
    row_order = RowOrder.TOP_DOWN if frame.row_order == RowOrder.UNSPECIFIED else frame.row_order
    return RawFrame(
        encoding=frame.encoding,
        data=frame.data,
        width=frame.width,
        height=frame.height,
        row_stride_bytes=frame.row_stride_bytes,
        row_order=row_order,
        rotation=frame.rotation if frame.rotation != Rotation.UNSPECIFIED else Rotation.DEG_0,
        mirrored=frame.mirrored,
        frame_id=frame.frame_id,
        capture_time_us=frame.capture_time_us,
        intrinsics=intrinsics,
        camera_to_world=camera_to_world,
    )


def pose_from_proto(pose: common_pb2.Pose, field_name: str = "pose") -> RigidPose:
    """Validate a Pose: finite values and a unit quaternion (renormalised within 10%)."""
    p, q = pose.position_m, pose.rotation
    position = (p.x, p.y, p.z)
    rotation = np.array([q.x, q.y, q.z, q.w], dtype=np.float64)
    if not (np.isfinite(position).all() and np.isfinite(rotation).all()):
        raise InvalidArgument(f"{field_name} has a non-finite value; send finite metres and quaternion components")
    norm = float(np.linalg.norm(rotation))
    if not QUATERNION_NORM_RANGE[0] <= norm <= QUATERNION_NORM_RANGE[1]:
        raise InvalidArgument(
            f"{field_name}.rotation ({q.x:g}, {q.y:g}, {q.z:g}, {q.w:g}) has length {norm:g}; "
            "send a unit quaternion (x=y=z=0, w=1 for no rotation)"
        )
    return RigidPose(position, tuple(float(v) for v in rotation / norm))


def pose_to_proto(pose: RigidPose) -> common_pb2.Pose:
    x, y, z = pose.position_m
    qx, qy, qz, qw = pose.rotation_xyzw
    return common_pb2.Pose(
        position_m=common_pb2.Vector3(x=x, y=y, z=z),
        rotation=common_pb2.Quaternion(x=qx, y=qy, z=qz, w=qw),
    )


def frame_info_to_proto(
    raw: RawFrame, display_width: int, display_height: int, dropped_frames: int = 0
) -> common_pb2.FrameInfo:
    return common_pb2.FrameInfo(
        frame_id=raw.frame_id,
        capture_time_us=raw.capture_time_us,
        width=display_width,
        height=display_height,
        dropped_frames=dropped_frames,
    )


def timings_to_proto(timings: dict[str, float]) -> common_pb2.StageTimings:
    """Build StageTimings from a dict with keys queue, decode, inference, postprocess, total (ms)."""
    return common_pb2.StageTimings(
        queue_ms=timings.get("queue", 0.0),
        decode_ms=timings.get("decode", 0.0),
        inference_ms=timings.get("inference", 0.0),
        postprocess_ms=timings.get("postprocess", 0.0),
        total_ms=timings.get("total", 0.0),
    )


def box_to_proto(box: np.ndarray) -> common_pb2.NormalizedBox:
    x_min, y_min, x_max, y_max = (float(v) for v in box)
    return common_pb2.NormalizedBox(x_min=x_min, y_min=y_min, x_max=x_max, y_max=y_max)
