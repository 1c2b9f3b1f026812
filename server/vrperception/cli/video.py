"""Streaming a video file through a Track* RPC for the CLI commands."""

from __future__ import annotations

import queue
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import cv2
import numpy as np

from vrperception.api.v1 import common_pb2

VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".webm"}
DRAW_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp"}
JPEG_QUALITY = 90
DEFAULT_FPS = 25.0


def check_paths(path: Path, draw: str | None, is_video: bool) -> str | None:
    """Describe what is wrong with the input or --draw path, or return None."""
    if not path.exists():
        return f"{path} not found"
    if not path.is_file():
        return f"{path} is not a file; give an image or a video file"
    if draw is None:
        return None
    out = Path(draw)
    if not out.parent.is_dir():
        return f"--draw {draw}: folder {out.parent} does not exist"
    if is_video and out.suffix.lower() != ".mp4":
        return f"--draw {draw}: annotated videos are written as MP4; use a .mp4 name"
    if not is_video and out.suffix.lower() not in DRAW_SUFFIXES:
        return f"--draw {draw}: use a .png, .jpg or .bmp name"
    return None


def stream_video(
    path: Path,
    command: str,
    *,
    call: Callable[[Iterable[common_pb2.ImageFrame]], Iterator[Any]],
    on_result: Callable[[Any], None],
    prepare_frame: Callable[[common_pb2.ImageFrame], None] | None = None,
    draw: Callable[[np.ndarray, Any], np.ndarray] | None = None,
    draw_path: str | None = None,
    realtime: bool = False,
    timeout_s: float = 30.0,
) -> int:
    """Send every frame of ``path`` as JPEG through ``call`` and handle each result.

    Without ``realtime`` each frame is sent after the previous result, so every
    frame is processed. With it, frames are sent at the video's frame rate and
    the server drops the ones it cannot keep up with. Returns an exit code.
    """
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        print(f"vrperception {command}: cannot open video {path}", file=sys.stderr)
        return 2
    fps = capture.get(cv2.CAP_PROP_FPS) or DEFAULT_FPS
    pending: dict[int, np.ndarray] = {}
    results_seen: queue.Queue = queue.Queue()

    def frames() -> Iterator[common_pb2.ImageFrame]:
        index = 0
        started = time.monotonic()
        while True:
            ok, bgr = capture.read()
            if not ok:
                return
            if index > 0 and realtime:
                time.sleep(max(0.0, started + index / fps - time.monotonic()))
            elif index > 0:
                results_seen.get(timeout=timeout_s)
            index += 1
            if draw is not None:
                pending[index] = bgr
            ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            frame = common_pb2.ImageFrame(
                encoding=common_pb2.IMAGE_ENCODING_JPEG,
                data=jpeg.tobytes(),
                frame_id=index,
                capture_time_us=round(index * 1e6 / fps),
            )
            if prepare_frame is not None:
                prepare_frame(frame)
            yield frame

    writer = None
    try:
        for result in call(frames()):
            results_seen.put(result.frame.frame_id)
            on_result(result)
            if draw is None:
                continue
            bgr = pending.pop(result.frame.frame_id)
            for stale in [key for key in pending if key < result.frame.frame_id]:
                del pending[stale]
            if writer is None:
                size = (bgr.shape[1], bgr.shape[0])
                writer = cv2.VideoWriter(draw_path, cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
            writer.write(draw(bgr, result))
    finally:
        if writer is not None:
            writer.release()
        capture.release()
    return 0
