"""`vrperception hands IMAGE|VIDEO`: print hands found by a running server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
import cv2
import grpc

from vrperception.api.v1 import common_pb2, hands_pb2
from vrperception.cli.main import add_address_argument, print_json
from vrperception.cli.video import VIDEO_SUFFIXES, check_paths



def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("hands", help="track hands in an image or a video through a running server")
    parser.add_argument("input", help="image (JPEG, PNG) or video file")
    add_address_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object per result")
    parser.add_argument("--draw", metavar="OUT", help="write an annotated image (or video, for a video input)")
    parser.add_argument("--max-hands", type=int, default=2, help="hands to find (default 2)")
    parser.add_argument("--mirrored", action="store_true", help="the input is a mirror image (selfie camera)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per call (default 30)")
    parser.add_argument(
        "--realtime",
        action="store_true",
        help="send video frames at the video's frame rate, like a camera, and let the server drop stale ones "
        "(default: send each frame after the previous result, so every frame is processed)",
    )
    parser.set_defaults(handler=run)




def run(args: argparse.Namespace) -> int:
    from vrperception.client import PerceptionClient

    path = Path(args.input)
    is_video = path.suffix.lower() in VIDEO_SUFFIXES
    problem = check_paths(path, args.draw, is_video)
    if problem:
        print(f"vrperception hands: {problem}", file=sys.stderr)
        return 2
    config = hands_pb2.HandsConfig(max_hands=args.max_hands)
    try:
        with PerceptionClient(args.address, timeout_s=args.timeout) as client:
            if is_video:
                return _run_video(client, path, config, args)
            return _run_image(client, path, config, args)
    except grpc.RpcError as error:
        print(f"vrperception hands: {error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"vrperception hands: {error}", file=sys.stderr)
        return 2


def _run_image(client, path: Path, config: hands_pb2.HandsConfig, args: argparse.Namespace) -> int:
    from vrperception.client import frame_from_file

    frame = frame_from_file(path)
    frame.mirrored = args.mirrored
    result = client.detect_hands(frame, config)
    _print_result(result, args.json, str(path))
    if args.draw:
        from vrperception.client.draw import draw_hands

        if not cv2.imwrite(args.draw, draw_hands(cv2.imread(str(path)), result)):
            raise ValueError(f"could not write {args.draw}")
        if not args.json:
            print(f"annotated image written to {args.draw}")
    return 0


def _run_video(client, path: Path, config: hands_pb2.HandsConfig, args: argparse.Namespace) -> int:
    from vrperception.cli.video import stream_video
    from vrperception.client.draw import draw_hands

    def prepare(frame: common_pb2.ImageFrame) -> None:
        frame.mirrored = args.mirrored

    return stream_video(
        path,
        "hands",
        call=lambda frames: client.track_hands(frames, config),
        on_result=lambda result: _print_result(result, args.json, str(path)),
        prepare_frame=prepare,
        draw=draw_hands if args.draw else None,
        draw_path=args.draw,
        realtime=args.realtime,
        timeout_s=args.timeout,
    )


def _print_result(result: hands_pb2.HandsResult, as_json: bool, source: str) -> None:
    if as_json:
        print_json(result, source=source)
        return
    from vrperception.client.draw import hand_label

    info = result.frame
    print(
        f"{source} frame {info.frame_id}: {len(result.hands)} hand(s), {info.width}x{info.height}, "
        f"server {result.timings.total_ms:.1f} ms, dropped {info.dropped_frames}"
    )
    for hand in result.hands:
        wrist = hand.landmarks[0]
        print(f"  {hand_label(hand)}  wrist ({wrist.x:.3f}, {wrist.y:.3f})  "
              f"box ({hand.bounding_box.x_min:.3f}, {hand.bounding_box.y_min:.3f})-"
              f"({hand.bounding_box.x_max:.3f}, {hand.bounding_box.y_max:.3f})")
