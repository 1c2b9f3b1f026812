"""`vrperception objects IMAGE|VIDEO`: print objects and markers found by a running server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import grpc
import numpy as np

from vrperception.api.v1 import common_pb2, objects_pb2
from vrperception.cli.main import add_address_argument, print_json
from vrperception.cli.video import VIDEO_SUFFIXES, check_paths

BOX_COLOR_BGR = (0, 200, 255)
MARKER_COLOR_BGR = (0, 255, 0)
# Drawn axis length as a fraction of the marker side.
AXIS_LENGTH_RATIO = 0.75


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "objects", help="detect COCO objects and fiducial markers in an image or a video through a running server"
    )
    parser.add_argument("input", help="image (JPEG, PNG) or video file")
    add_address_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object per result")
    parser.add_argument("--draw", metavar="OUT", help="write an annotated image (or video, for a video input)")
    parser.add_argument("--classes", nargs="+", default=[], metavar="LABEL", help="report only these labels, e.g. cup person")
    parser.add_argument("--score", type=float, default=0.0, help="minimum score in (0, 1] (default: the server's, 0.35)")
    parser.add_argument("--input-size", type=int, default=0, help="longer side of the network input in pixels, multiple of 32 (default 416)")
    parser.add_argument("--markers-only", action="store_true", help="skip the object detector")
    parser.add_argument(
        "--dictionary",
        action="append",
        default=[],
        metavar="NAME",
        help="marker dictionary to look for, repeatable, e.g. ARUCO_6X6_250 or APRILTAG_36H11",
    )
    parser.add_argument("--marker-size", type=float, default=0.0, help="printed marker side in metres (enables poses)")
    parser.add_argument(
        "--charuco",
        metavar="XxY:SQUARE:MARKER:DICT",
        help="ChArUco board, e.g. 5x7:0.04:0.02:ARUCO_6X6_250 (squares, square and marker side in metres)",
    )
    parser.add_argument("--intrinsics", metavar="YAML", help="OpenCV camera file with camera_matrix and distortion_coefficients")
    parser.add_argument(
        "--realtime",
        action="store_true",
        help="send video frames at the video's frame rate, like a camera, and let the server drop stale ones "
        "(default: send each frame after the previous result, so every frame is processed)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per call (default 30)")
    parser.set_defaults(handler=run)


def _dictionary(name: str) -> int:
    """Map a dictionary name, in this project's or OpenCV's spelling (DICT_6X6_250), to the enum."""
    short = name.upper().removeprefix("MARKER_DICTIONARY_")
    if short.startswith("DICT_"):
        short = short.removeprefix("DICT_")
        short = short if short.startswith(("APRILTAG", "ARUCO")) else f"ARUCO_{short}"
    full = f"MARKER_DICTIONARY_{short}"
    try:
        return objects_pb2.MarkerDictionary.Value(full)
    except ValueError:
        names = [n.removeprefix("MARKER_DICTIONARY_") for n in objects_pb2.MarkerDictionary.keys()[1:]]
        raise SystemExit(f"vrperception objects: unknown dictionary {name!r}; use one of {', '.join(names)}") from None


def _charuco(text: str) -> objects_pb2.CharucoBoard:
    try:
        squares, square, marker, dictionary = text.split(":")
        squares_x, squares_y = (int(v) for v in squares.lower().split("x"))
        return objects_pb2.CharucoBoard(
            squares_x=squares_x,
            squares_y=squares_y,
            square_length_m=float(square),
            marker_length_m=float(marker),
            dictionary=_dictionary(dictionary),
        )
    except ValueError:
        raise SystemExit(f"vrperception objects: --charuco {text!r} is invalid; use XxY:SQUARE:MARKER:DICT") from None


def read_intrinsics(path: str) -> common_pb2.CameraIntrinsics:
    """Read an OpenCV calibration YAML (camera_matrix, distortion_coefficients)."""
    storage = cv2.FileStorage(path, cv2.FILE_STORAGE_READ)
    if not storage.isOpened():
        raise SystemExit(f"vrperception objects: cannot read intrinsics file {path}")
    matrix = storage.getNode("camera_matrix").mat()
    distortion = storage.getNode("distortion_coefficients").mat()
    storage.release()
    if matrix is None or matrix.shape != (3, 3):
        raise SystemExit(f"vrperception objects: {path} has no 3x3 camera_matrix")
    coefficients = [] if distortion is None else [float(v) for v in distortion.reshape(-1)]
    return common_pb2.CameraIntrinsics(
        fx=matrix[0, 0], fy=matrix[1, 1], cx=matrix[0, 2], cy=matrix[1, 2], distortion=coefficients
    )


def build_config(args: argparse.Namespace) -> objects_pb2.ObjectsConfig:
    markers = objects_pb2.MarkerConfig(
        dictionaries=[_dictionary(name) for name in args.dictionary], marker_size_m=args.marker_size
    )
    if args.charuco:
        markers.charuco_board.CopyFrom(_charuco(args.charuco))
    return objects_pb2.ObjectsConfig(
        class_allowlist=args.classes,
        score_threshold=args.score,
        input_size=args.input_size,
        markers=markers,
        disable_detector=args.markers_only,
    )


def run(args: argparse.Namespace) -> int:
    from vrperception.client import PerceptionClient

    path = Path(args.input)
    is_video = path.suffix.lower() in VIDEO_SUFFIXES
    problem = check_paths(path, args.draw, is_video)
    if problem:
        print(f"vrperception objects: {problem}", file=sys.stderr)
        return 2
    try:
        config = build_config(args)
    except ValueError as error:
        print(f"vrperception objects: invalid option: {error}", file=sys.stderr)
        return 2
    if (args.marker_size or config.markers.HasField("charuco_board")) and not args.intrinsics:
        print("vrperception objects: poses need --intrinsics; printing marker corners only", file=sys.stderr)
    # Board markers get poses from the board's marker side when --marker-size is not given.
    args.marker_size = args.marker_size or config.markers.charuco_board.marker_length_m
    intrinsics = read_intrinsics(args.intrinsics) if args.intrinsics else None
    try:
        with PerceptionClient(args.address, timeout_s=args.timeout) as client:
            if is_video:
                return _run_video(client, path, config, intrinsics, args)
            return _run_image(client, path, config, intrinsics, args)
    except grpc.RpcError as error:
        print(f"vrperception objects: {error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"vrperception objects: {error}", file=sys.stderr)
        return 2


def _run_image(client, path: Path, config, intrinsics, args: argparse.Namespace) -> int:
    from vrperception.client import frame_from_file

    frame = frame_from_file(path)
    if intrinsics is not None:
        frame.intrinsics.CopyFrom(intrinsics)
    result = client.detect_objects(frame, config)
    print_result(result, args.json, str(path))
    if args.draw:
        if not cv2.imwrite(args.draw, draw_objects(cv2.imread(str(path)), result, intrinsics, args.marker_size)):
            raise ValueError(f"could not write {args.draw}")
        if not args.json:
            print(f"annotated image written to {args.draw}")
    return 0


def _run_video(client, path: Path, config, intrinsics, args: argparse.Namespace) -> int:
    from vrperception.cli.video import stream_video

    def prepare(frame: common_pb2.ImageFrame) -> None:
        if intrinsics is not None:
            frame.intrinsics.CopyFrom(intrinsics)

    def draw(bgr: np.ndarray, result: objects_pb2.ObjectsResult) -> np.ndarray:
        return draw_objects(bgr, result, intrinsics, args.marker_size)

    return stream_video(
        path,
        "objects",
        call=lambda frames: client.track_objects(frames, config),
        on_result=lambda result: print_result(result, args.json, str(path)),
        prepare_frame=prepare,
        draw=draw if args.draw else None,
        draw_path=args.draw,
        realtime=args.realtime,
        timeout_s=args.timeout,
    )


def print_result(result: objects_pb2.ObjectsResult, as_json: bool, source: str) -> None:
    if as_json:
        print_json(result, source=source)
        return
    info = result.frame
    print(
        f"{source} frame {info.frame_id}: {len(result.detections)} object(s), {len(result.markers)} marker(s), "
        f"{info.width}x{info.height}, server {result.timings.total_ms:.1f} ms, dropped {info.dropped_frames}"
    )
    for detection in result.detections:
        box = detection.box
        track = f"#{detection.tracking_id} " if detection.tracking_id else ""
        print(
            f"  {track}{detection.label} {detection.score:.2f}  "
            f"box ({box.x_min:.3f}, {box.y_min:.3f})-({box.x_max:.3f}, {box.y_max:.3f})"
        )
    for marker in result.markers:
        name = objects_pb2.MarkerDictionary.Name(marker.dictionary).removeprefix("MARKER_DICTIONARY_")
        line = f"  marker {name} id {marker.id}"
        if marker.HasField("pose_in_camera"):
            p = marker.pose_in_camera.position_m
            line += f"  at ({p.x:.3f}, {p.y:.3f}, {p.z:.3f}) m, reprojection {marker.reprojection_error_px:.2f} px"
        print(line)
    if result.HasField("board"):
        p = result.board.pose_in_camera.position_m
        print(
            f"  board at ({p.x:.3f}, {p.y:.3f}, {p.z:.3f}) m from {result.board.corner_count} corners, "
            f"reprojection {result.board.reprojection_error_px:.2f} px"
        )


def _pose_vectors(pose: common_pb2.Pose) -> tuple[np.ndarray, np.ndarray]:
    from vrperception.models.markers import quaternion_to_rotation_matrix

    q = pose.rotation
    rotation = quaternion_to_rotation_matrix((q.x, q.y, q.z, q.w))
    rvec, _ = cv2.Rodrigues(rotation)
    p = pose.position_m
    return rvec, np.array([p.x, p.y, p.z])


def draw_objects(
    bgr: np.ndarray,
    result: objects_pb2.ObjectsResult,
    intrinsics: common_pb2.CameraIntrinsics | None = None,
    marker_size_m: float = 0.0,
) -> np.ndarray:
    """Draw boxes with labels, marker outlines with ids and, with intrinsics, marker axes."""
    canvas = bgr.copy()
    height, width = canvas.shape[:2]
    thickness = max(1, round(min(width, height) / 300))
    for detection in result.detections:
        box = detection.box
        top_left = (round(box.x_min * width), round(box.y_min * height))
        cv2.rectangle(canvas, top_left, (round(box.x_max * width), round(box.y_max * height)), BOX_COLOR_BGR, thickness)
        label = f"{detection.label} {detection.score:.2f}"
        if detection.tracking_id:
            label = f"#{detection.tracking_id} {label}"
        cv2.putText(canvas, label, (top_left[0], max(12, top_left[1] - 4)), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4 * thickness, BOX_COLOR_BGR, thickness, cv2.LINE_AA)
    camera = None
    if intrinsics is not None:
        camera = (
            np.array([[intrinsics.fx, 0, intrinsics.cx], [0, intrinsics.fy, intrinsics.cy], [0, 0, 1]], dtype=np.float64),
            np.array(list(intrinsics.distortion), dtype=np.float64),
        )
    for marker in result.markers:
        points = np.array([[round(c.x * width), round(c.y * height)] for c in marker.corners], dtype=np.int32)
        cv2.polylines(canvas, [points], True, MARKER_COLOR_BGR, thickness, cv2.LINE_AA)
        cv2.putText(canvas, str(marker.id), tuple(int(v) for v in points[0]), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4 * thickness, MARKER_COLOR_BGR, thickness, cv2.LINE_AA)
        if camera is not None and marker_size_m > 0 and marker.HasField("pose_in_camera"):
            rvec, tvec = _pose_vectors(marker.pose_in_camera)
            length = AXIS_LENGTH_RATIO * marker_size_m
            cv2.drawFrameAxes(canvas, camera[0], camera[1], rvec, tvec, length, thickness)
    if camera is not None and result.HasField("board"):
        rvec, tvec = _pose_vectors(result.board.pose_in_camera)
        cv2.drawFrameAxes(canvas, camera[0], camera[1], rvec, tvec, 0.1, thickness + 1)
    return canvas
