#!/usr/bin/env python3
"""Stream many frames through TrackHands and watch server memory and latency.

Starts its own server on 127.0.0.1 port 0 and streams ``--frames`` frames of
the ASL video (640x480 JPEG) in lockstep, each frame after the previous
result. For each window of frames it prints the server's resident memory and
the round-trip latency percentiles. Flat columns mean no leak and no growing
latency. Then it opens and abandons ``--abandoned`` streams mid-flight and
prints memory again, to show per-stream state is freed on disconnect.

Usage: .venv/bin/python scripts/soak_hands.py [--frames 3000] [--window 500]
"""

from __future__ import annotations

import argparse
import queue
import statistics
import time
from pathlib import Path

from benchmark_hands import data_root, percentiles, start_server, video_frames


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no VmRSS for pid {pid}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=3000, help="frames in the long stream (default 3000)")
    parser.add_argument("--window", type=int, default=500, help="frames per printed row (default 500)")
    parser.add_argument("--abandoned", type=int, default=50, help="streams opened and dropped (default 50)")
    parser.add_argument("--data", help="test data folder (default ../shared/data or $VRPERCEPTION_DATA)")
    args = parser.parse_args()
    from vrperception.api.v1 import hands_pb2
    from vrperception.client import PerceptionClient, frame_from_rgb

    clip = [frame_from_rgb(rgb, encoding="jpeg") for rgb in video_frames(data_root(args.data), 100)]
    process, address = start_server()
    try:
        with PerceptionClient(address) as client:
            client.detect_hands(clip[0])
            print(f"server RSS after start-up: {rss_mb(process.pid):.0f} MB\n")
            print("| frames | server RSS MB | latency |")
            print("| --- | --- | --- |")
            done: queue.Queue = queue.Queue()
            sent_at: dict[int, float] = {}

            def requests():
                for index in range(args.frames):
                    frame = clip[index % len(clip)]
                    frame.frame_id = index
                    sent_at[index] = time.perf_counter()
                    yield frame
                    done.get(timeout=60)

            window: list[float] = []
            for result in client.track_hands(requests(), hands_pb2.HandsConfig(max_hands=1)):
                window.append((time.perf_counter() - sent_at.pop(result.frame.frame_id)) * 1000.0)
                done.put(None)
                if len(window) == args.window:
                    print(f"| {result.frame.frame_id + 1} | {rss_mb(process.pid):.0f} | {percentiles(window)} |", flush=True)
                    window = []
            before = rss_mb(process.pid)
            for _ in range(args.abandoned):
                call = client.track_hands(iter(clip * 10))
                next(call)
                call.cancel()
            time.sleep(1.0)
            print(f"\nserver RSS before/after {args.abandoned} abandoned streams: {before:.0f} / {rss_mb(process.pid):.0f} MB")
            latencies = []
            for frame in clip[:20]:
                started = time.perf_counter()
                client.detect_hands(frame)
                latencies.append((time.perf_counter() - started) * 1000.0)
            print(f"DetectHands after the soak: median {statistics.median(latencies):.1f} ms")
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
