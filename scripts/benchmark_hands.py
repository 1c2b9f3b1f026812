#!/usr/bin/env python3
"""Benchmark hand tracking over loopback against MediaPipe called in-process.

Prints p50/p95 latency and frames/s for DetectHands and TrackHands with 1 and
4 concurrent clients, 640x480 raw RGB and JPEG frames. Beside each row,
MediaPipe runs in this process on the same frames in the same run, so the
ratio of the two is the server's overhead. Also prints threads versus processes for two MediaPipe
graphs, and the cost and benefit of the padded retry on the labelled photos.

Usage: .venv/bin/python scripts/benchmark_hands.py [--frames 60] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import queue
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
FRAME_SIZE = (640, 480)


def data_root(override: str | None) -> Path:
    return Path(override or os.environ.get("VRPERCEPTION_DATA", REPO_ROOT.parent / "shared" / "data"))


def video_frames(data: Path, count: int) -> list[np.ndarray]:
    """``count`` consecutive RGB frames of the ASL video, letterboxed to 640x480."""
    capture = cv2.VideoCapture(str(data / "hands" / "video" / "asl_hand.25fps.mp4"))
    frames = []
    while len(frames) < count:
        ok, bgr = capture.read()
        if not ok:
            break
        scale = FRAME_SIZE[1] / bgr.shape[0]
        resized = cv2.resize(bgr, (round(bgr.shape[1] * scale), FRAME_SIZE[1]))
        canvas = np.full((FRAME_SIZE[1], FRAME_SIZE[0], 3), 200, dtype=np.uint8)
        offset = (FRAME_SIZE[0] - resized.shape[1]) // 2
        canvas[:, offset:offset + resized.shape[1]] = resized
        frames.append(cv2.cvtColor(canvas, cv2.COLOR_BGR2RGB))
    return frames


def percentiles(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"


def start_server() -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "vrperception.cli.main", "serve", "--port", "0", "--log-level", "WARNING"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if line.startswith("vrperception serving on "):
            return process, line.split()[-1]
    raise RuntimeError("server did not start")


def in_process(frames: list[np.ndarray], static: bool, clients: int) -> tuple[list[float], float]:
    """Latencies and total frames/s of MediaPipe alone, one graph per client thread."""
    from vrperception.models.hands import HandOptions, MediaPipeHands

    def run_client(_: int) -> list[float]:
        detector = MediaPipeHands(HandOptions(max_hands=2), static=static)
        latencies = []
        for rgb in frames:
            started = time.perf_counter()
            detector.detect_once(rgb)
            latencies.append((time.perf_counter() - started) * 1000.0)
        detector.close()
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(run_client, range(clients)))
    elapsed = time.perf_counter() - started
    return [x for r in results for x in r], clients * len(frames) / elapsed


def over_grpc(address: str, messages: list, unary: bool, clients: int) -> tuple[list[float], float]:
    from vrperception.api.v1 import hands_pb2
    from vrperception.client import PerceptionClient

    def run_client(_: int) -> list[float]:
        latencies = []
        with PerceptionClient(address) as client:
            if unary:
                for frame in messages:
                    started = time.perf_counter()
                    client.detect_hands(frame)
                    latencies.append((time.perf_counter() - started) * 1000.0)
                return latencies
            done: queue.Queue = queue.Queue()
            sent_at: dict[int, float] = {}

            def requests():
                for frame in messages:
                    sent_at[frame.frame_id] = time.perf_counter()
                    yield frame
                    done.get()

            for result in client.track_hands(requests(), hands_pb2.HandsConfig(max_hands=2)):
                latencies.append((time.perf_counter() - sent_at[result.frame.frame_id]) * 1000.0)
                done.put(None)
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(run_client, range(clients)))
    elapsed = time.perf_counter() - started
    return [x for r in results for x in r], clients * len(messages) / elapsed


def _process_worker(frames: list[np.ndarray], start: multiprocessing.Event, output: multiprocessing.Queue) -> None:
    from vrperception.models.hands import HandOptions, MediaPipeHands
    from vrperception.runtime.workers import limit_native_threads

    limit_native_threads()
    detector = MediaPipeHands(HandOptions(max_hands=2), static=False)
    detector.detect_once(frames[0])
    start.wait()
    started = time.perf_counter()
    for rgb in frames:
        detector.detect_once(rgb)
    output.put(time.perf_counter() - started)


def threads_vs_processes(frames: list[np.ndarray]) -> None:
    """Compare two graphs in two threads with two graphs in two processes, both warmed up."""
    from vrperception.runtime.workers import limit_native_threads

    limit_native_threads()
    print("\n## Two MediaPipe graphs (video mode): threads versus processes")
    _, one = in_process(frames, static=False, clients=1)
    _, threads = in_process(frames, static=False, clients=2)
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    output = context.Queue()
    workers = [context.Process(target=_process_worker, args=(frames, start, output)) for _ in range(2)]
    for worker in workers:
        worker.start()
    # Model loading in the children is not timed; both start together.
    time.sleep(15.0)
    start.set()
    elapsed = max(output.get() for _ in workers)
    for worker in workers:
        worker.join()
    processes = 2 * len(frames) / elapsed
    print(f"one graph, one thread: {one:6.1f} frames/s")
    print(f"two graphs, two threads: {threads:6.1f} frames/s ({threads / one:.2f}x)")
    print(f"two graphs, two processes: {processes:6.1f} frames/s ({processes / one:.2f}x, frames not counted in transfer)")


def retry_benefit(data: Path) -> None:
    from vrperception.models.hands import HandOptions, MediaPipeHands

    print("\n## Static photos: single pass versus padded retry")
    labels = json.loads((data / "hands" / "labels.json").read_text())["images"]
    detector = MediaPipeHands(HandOptions(max_hands=2), static=True)
    once_ok = retry_ok = 0
    once_ms: list[float] = []
    retry_ms: list[float] = []
    for entry in labels:
        rgb = cv2.cvtColor(cv2.imread(str(data / entry["file"])), cv2.COLOR_BGR2RGB)
        started = time.perf_counter()
        once = detector.detect_once(rgb)
        middle = time.perf_counter()
        retried = detector.detect(rgb)
        finished = time.perf_counter()
        once_ms.append((middle - started) * 1000.0)
        retry_ms.append((finished - middle) * 1000.0)
        once_ok += len(once) == entry["num_hands"]
        retry_ok += len(retried) == entry["num_hands"]
    print(f"single pass: right hand count on {once_ok}/{len(labels)} photos, mean {statistics.mean(once_ms):.1f} ms")
    print(f"with retry:  right hand count on {retry_ok}/{len(labels)} photos, mean {statistics.mean(retry_ms):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="frames per client (default 60)")
    parser.add_argument("--data", help="test data folder (default ../shared/data or $VRPERCEPTION_DATA)")
    parser.add_argument("--skip-server", action="store_true", help="only the in-process comparisons")
    args = parser.parse_args()
    data = data_root(args.data)
    if args.skip_server:
        frames = video_frames(data, args.frames)
        threads_vs_processes(frames)
        retry_benefit(data)
        return
    from vrperception.client import frame_from_rgb

    frames = video_frames(data, args.frames)
    print(f"# Hands benchmark: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {len(frames)} frames of 640x480 per client\n")
    process, address = start_server()
    try:
        encodings = {
            "raw RGB": [frame_from_rgb(f, frame_id=i) for i, f in enumerate(frames)],
            "JPEG q85": [frame_from_rgb(f, encoding="jpeg", frame_id=i) for i, f in enumerate(frames)],
        }
        print("| call | frames | clients | server p50 / p95 | frames/s | in-process p50 / p95 | frames/s | p50 ratio |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for clients in (1, 4):
            for unary in (True, False):
                base, base_fps = in_process(frames, static=unary, clients=clients)
                for name, messages in encodings.items():
                    latencies, fps = over_grpc(address, messages, unary, clients)
                    ratio = statistics.median(latencies) / statistics.median(base)
                    call = "DetectHands" if unary else "TrackHands"
                    print(f"| {call} | {name} | {clients} | {percentiles(latencies)} | {fps:5.1f} | "
                          f"{percentiles(base)} | {base_fps:5.1f} | {ratio:.2f} |", flush=True)
    finally:
        process.terminate()
        process.wait()
    threads_vs_processes(frames)
    retry_benefit(data)


if __name__ == "__main__":
    main()
