"""The `vrperception` command against a real server."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import pytest

CLI = [sys.executable, "-m", "vrperception.cli.main"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_hands_json_and_draw(server, data_dir, tmp_path):
    out = tmp_path / "hands.png"
    image = data_dir / "hands" / "images" / "hand_001.jpg"
    completed = run_cli("hands", str(image), "--address", server.address, "--json", "--draw", str(out))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert [hand["handedness"] for hand in result["hands"]] == ["HANDEDNESS_LEFT", "HANDEDNESS_LEFT"]
    assert len(result["hands"][0]["landmarks"]) == 21
    drawn = cv2.imread(str(out))
    original = cv2.imread(str(image))
    assert drawn.shape == original.shape
    assert (cv2.absdiff(drawn, original) > 40).any(axis=2).sum() > 500


def test_hands_text_output(server, data_dir):
    image = data_dir / "hands" / "images" / "hand_008.jpg"
    completed = run_cli("hands", str(image), "--address", server.address)
    assert completed.returncode == 0, completed.stderr
    assert "1 hand(s), 640x521" in completed.stdout


def test_info_json(server):
    completed = run_cli("info", "--address", server.address, "--json")
    assert completed.returncode == 0, completed.stderr
    info = json.loads(completed.stdout)
    assert info["protocol_version"] == "1.0.0"
    assert info["health"]["vrperception.v1.HandTracking"] == "SERVING"


def test_unreachable_server_fails_clearly(data_dir):
    image = data_dir / "hands" / "images" / "hand_008.jpg"
    completed = run_cli("hands", str(image), "--address", "127.0.0.1:1", "--timeout", "2")
    assert completed.returncode == 1
    assert "UNAVAILABLE" in completed.stderr or "DEADLINE_EXCEEDED" in completed.stderr


def test_missing_file_fails_clearly(server, tmp_path):
    completed = run_cli("hands", str(tmp_path / "nothing.jpg"), "--address", server.address)
    assert completed.returncode == 2
    assert "not found" in completed.stderr


def test_serve_rejects_bad_config(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("workers: -1\n")
    completed = run_cli("serve", "--config", str(path))
    assert completed.returncode == 2
    assert "workers is -1" in completed.stderr


def test_hands_on_video(server, data_dir, tmp_path):
    capture = cv2.VideoCapture(str(data_dir / "hands" / "video" / "asl_hand.25fps.mp4"))
    clip = tmp_path / "clip.mp4"
    writer = None
    for _ in range(8):
        ok, bgr = capture.read()
        assert ok
        if writer is None:
            writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (bgr.shape[1], bgr.shape[0]))
        writer.write(bgr)
    writer.release()
    drawn = tmp_path / "drawn.mp4"
    completed = run_cli("hands", str(clip), "--address", server.address, "--json", "--draw", str(drawn))
    assert completed.returncode == 0, completed.stderr
    results = [json.loads(line) for line in completed.stdout.strip().splitlines()]
    frame_ids = [int(result["frame"].get("frame_id", 0)) for result in results]
    assert frame_ids == list(range(1, 9)), "without --realtime every frame is processed"
    assert all(len(result["hands"]) == 1 for result in results)
    assert cv2.VideoCapture(str(drawn)).isOpened()


def test_serve_reports_port_in_use(server):
    completed = run_cli("serve", "--port", str(server.port))
    assert completed.returncode == 1
    assert "is the port in use" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    "draw, message",
    [("out.xyz", "use a .png, .jpg or .bmp name"), ("no/such/dir/out.png", "does not exist")],
)
def test_hands_rejects_bad_draw_path(server, data_dir, tmp_path, draw, message):
    image = data_dir / "hands" / "images" / "hand_008.jpg"
    completed = run_cli("hands", str(image), "--address", server.address, "--draw", str(tmp_path / draw))
    assert completed.returncode == 2
    assert message in completed.stderr


def test_hands_rejects_non_image(server, tmp_path):
    sound = tmp_path / "clip.wav"
    sound.write_bytes(b"RIFF0000WAVEfmt ")
    completed = run_cli("hands", str(sound), "--address", server.address)
    assert completed.returncode == 2
    assert "neither a JPEG nor a PNG" in completed.stderr
    completed = run_cli("hands", str(tmp_path), "--address", server.address)
    assert "is not a file" in completed.stderr


def test_objects_video_processes_every_frame(server, data_dir, tmp_path):
    capture = cv2.VideoCapture(str(data_dir / "hands" / "video" / "asl_hand.25fps.mp4"))
    clip = tmp_path / "clip.mp4"
    writer = None
    for _ in range(5):
        ok, bgr = capture.read()
        assert ok
        if writer is None:
            writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (bgr.shape[1], bgr.shape[0]))
        writer.write(bgr)
    writer.release()
    completed = run_cli("objects", str(clip), "--address", server.address, "--json", "--input-size", "320")
    assert completed.returncode == 0, completed.stderr
    frame_ids = [int(json.loads(line)["frame"]["frame_id"]) for line in completed.stdout.strip().splitlines()]
    assert frame_ids == [1, 2, 3, 4, 5]


def test_objects_warns_when_pose_needs_intrinsics(server, data_dir):
    image = data_dir / "objects" / "images" / "obj_015.jpg"
    completed = run_cli(
        "objects", str(image), "--address", server.address, "--markers-only", "--dictionary", "ARUCO_6X6_250", "--marker-size", "0.02"
    )
    assert completed.returncode == 0, completed.stderr
    assert "poses need --intrinsics" in completed.stderr
    assert "marker" in completed.stdout


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--draw", "out.xyz"], "use a .png, .jpg or .bmp name"),
        (["--input-size", "-32"], "invalid option"),
    ],
)
def test_objects_rejects_bad_options(server, data_dir, tmp_path, extra, message):
    image = data_dir / "objects" / "images" / "obj_002.png"
    extra = [str(tmp_path / value) if value.endswith(".xyz") else value for value in extra]
    completed = run_cli("objects", str(image), "--address", server.address, *extra)
    assert completed.returncode == 2
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


def test_objects_accepts_opencv_dictionary_name(server, data_dir):
    image = data_dir / "objects" / "images" / "obj_015.jpg"
    completed = run_cli("objects", str(image), "--address", server.address, "--markers-only", "--dictionary", "DICT_6X6_250", "--json")
    assert completed.returncode == 0, completed.stderr
    assert len(json.loads(completed.stdout)["markers"]) >= 10


@pytest.mark.parametrize("content", [b"", b"not a wav file at all"])
def test_voice_rejects_bad_wav(tmp_path, content):
    from conftest import REPO_ROOT

    sound = tmp_path / "bad.wav"
    sound.write_bytes(content)
    vocabulary = REPO_ROOT / "examples" / "vocabularies" / "ten_words.yaml"
    completed = run_cli("voice", str(sound), "--vocabulary", str(vocabulary), "--address", "127.0.0.1:1")
    assert completed.returncode == 2
    assert "not a 16-bit PCM WAV file" in completed.stderr
    assert "Traceback" not in completed.stderr
