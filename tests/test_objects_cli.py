"""`vrperception objects` against the real server, and a server without NanoDet installed."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import grpc
import pytest

from conftest import start_server
from vrperception.api.v1 import handshake_pb2, objects_pb2
from vrperception.client import PerceptionClient
from vrperception.client.frames import frame_from_file

CLI = [sys.executable, "-m", "vrperception.cli.main"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_objects_cli_json_and_draw(server, data_dir, tmp_path):
    out = tmp_path / "objects.png"
    image = data_dir / "objects" / "images" / "obj_002.png"
    completed = run_cli("objects", str(image), "--address", server.address, "--json", "--draw", str(out), "--input-size", "320")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert "cat" in [d["label"] for d in result["detections"]]
    drawn = cv2.imread(str(out))
    original = cv2.imread(str(image))
    assert drawn.shape == original.shape
    assert (cv2.absdiff(drawn, original) > 40).any(axis=2).sum() > 300


def test_objects_cli_markers_with_intrinsics(server, data_dir):
    image = data_dir / "objects" / "images" / "obj_016.jpg"
    camera = data_dir / "objects" / "annotations" / "markers" / "camera_charuco_640x480.yml"
    completed = run_cli(
        "objects", str(image), "--address", server.address, "--markers-only",
        "--charuco", "5x7:0.04:0.02:ARUCO_6X6_250", "--intrinsics", str(camera),
    )
    assert completed.returncode == 0, completed.stderr
    assert "0 object(s), 17 marker(s), 640x480" in completed.stdout
    assert "board at (" in completed.stdout
    assert "from 24 corners" in completed.stdout


def test_objects_cli_video_tracks(server, data_dir, tmp_path):
    video = tmp_path / "clip.mp4"
    bgr = cv2.imread(str(data_dir / "objects" / "images" / "obj_010.jpg"))
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), 5.0, (bgr.shape[1], bgr.shape[0]))
    for _ in range(3):
        writer.write(bgr)
    writer.release()
    completed = run_cli("objects", str(video), "--address", server.address, "--json", "--classes", "cup", "--input-size", "320")
    assert completed.returncode == 0, completed.stderr
    results = [json.loads(line) for line in completed.stdout.strip().splitlines()]
    assert 1 <= len(results) <= 3
    assert results[-1]["frame"]["frame_id"] == "3"
    ids = {d["tracking_id"] for r in results for d in r["detections"]}
    assert len(ids) == 1


def test_objects_cli_rejects_unknown_dictionary(server, data_dir):
    image = data_dir / "objects" / "images" / "obj_016.jpg"
    completed = run_cli("objects", str(image), "--address", server.address, "--dictionary", "ARUCO_9X9")
    assert completed.returncode != 0
    assert "unknown dictionary 'ARUCO_9X9'" in completed.stderr


def test_server_without_nanodet_serves_markers(tmp_path, data_dir):
    config = {"workers": 1, "hands": {"enabled": False}, "gestures": {"enabled": False}, "voice": {"enabled": False}}
    server = start_server(config=config, env={"VRPERCEPTION_CACHE": str(tmp_path / "empty-cache")})
    try:
        with PerceptionClient(server.address) as client:
            capabilities = list(client.handshake().capabilities)
            frame = frame_from_file(data_dir / "objects" / "images" / "obj_016.jpg")
            with pytest.raises(grpc.RpcError) as raised:
                client.detect_objects(frame)
            markers = client.detect_objects(
                frame,
                objects_pb2.ObjectsConfig(
                    disable_detector=True,
                    markers=objects_pb2.MarkerConfig(dictionaries=[objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250]),
                ),
            )
    finally:
        server.stop()
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "python scripts/install_nanodet.py" in raised.value.details()
    assert len(markers.markers) == 17
    assert handshake_pb2.CAPABILITY_MARKERS in capabilities
    assert handshake_pb2.CAPABILITY_OBJECT_DETECTION not in capabilities
