"""The C++ client core against the real server.

Builds engine_clients/cpp with scripts/build_cpp.sh into build/cpp and runs
its test executable, which prints one PASS/FAIL line per case and closes
with "N passed, N failed". The Python side prepares inputs the C++ side
cannot make without new dependencies: JPEG frames decoded from the ASL
video and the Python client's DetectHands result to compare against.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
from pathlib import Path

import cv2
import pytest

from conftest import REPO_ROOT, start_server
from vrperception.api.v1 import common_pb2, objects_pb2
from vrperception.client import coords, frame_from_file

BUILD_SCRIPT = REPO_ROOT / "scripts" / "build_cpp.sh"
BUILD_DIR = REPO_ROOT / "build" / "cpp"
TEST_BINARY = BUILD_DIR / "vrperception-cpp-tests"
CLI_BINARY = BUILD_DIR / "vrperception-cpp"
VECTORS = REPO_ROOT / "engine_clients" / "test_vectors.json"
VIDEO = Path("hands") / "video" / "asl_hand.25fps.mp4"
HAND_IMAGE = Path("hands") / "images" / "hand_001.jpg"
# Frames taken from the video: every second frame of the first 80, so the
# hand moves between frames but stays in view.
VIDEO_FRAME_STEP = 2
VIDEO_FRAME_COUNT = 40
OBJECTS_IMAGE = "obj_002.png"  # one cat among other objects
MARKERS_IMAGE = "obj_015.jpg"  # a ChArUco board of 6x6_250 markers, 2 cm each
MARKER_SIZE_M = 0.02
OBJECTS_INPUT_SIZE = 320
# A camera-to-world pose for the frame, so world poses come back too.
CAMERA_TO_WORLD = {"position_m": [0.5, -1.2, 0.3], "rotation": [0.0, 0.38268343, 0.0, 0.92387953]}
SPEECH_CLIP = Path("speech") / "commands" / "cmd_016.wav"
SPEECH_COMMAND = "right"
BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 300
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.MULTILINE)


@pytest.fixture(scope="module")
def cpp_tests() -> Path:
    """Build the C++ core and its tests (incremental) and return the test binary."""
    build = subprocess.run(
        ["bash", str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    assert build.returncode == 0, f"scripts/build_cpp.sh failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}"
    assert TEST_BINARY.is_file()
    return TEST_BINARY


@pytest.fixture(scope="module")
def video_frames(data_dir: Path, tmp_path_factory) -> Path:
    """JPEG files of consecutive ASL video frames, named in order."""
    folder = tmp_path_factory.mktemp("asl_frames")
    capture = cv2.VideoCapture(str(data_dir / VIDEO))
    written = 0
    index = 0
    while written < VIDEO_FRAME_COUNT:
        ok, bgr = capture.read()
        if not ok:
            break
        if index % VIDEO_FRAME_STEP == 0:
            assert cv2.imwrite(str(folder / f"frame_{written:03d}.jpg"), bgr, [cv2.IMWRITE_JPEG_QUALITY, 90])
            written += 1
        index += 1
    capture.release()
    assert written == VIDEO_FRAME_COUNT, f"decoded {written} frames from {VIDEO}"
    return folder


@pytest.fixture(scope="module")
def python_hands(client, data_dir: Path, tmp_path_factory) -> Path:
    """The Python client's DetectHands result on hand_001.jpg, as JSON for the C++ test."""
    result = client.detect_hands(frame_from_file(data_dir / HAND_IMAGE))
    assert len(result.hands) > 0
    reference = {
        "width": result.frame.width,
        "height": result.frame.height,
        "hands": [
            {
                "handedness": int(hand.handedness),
                "landmarks": [[p.x, p.y, p.z] for p in hand.landmarks],
            }
            for hand in result.hands
        ],
    }
    path = tmp_path_factory.mktemp("python_hands") / "hand_001.json"
    path.write_text(json.dumps(reference))
    return path


def pose_json(pose: common_pb2.Pose) -> dict:
    return {
        "position_m": [pose.position_m.x, pose.position_m.y, pose.position_m.z],
        "rotation": [pose.rotation.x, pose.rotation.y, pose.rotation.z, pose.rotation.w],
    }


def unreal_pose_json(pose: common_pb2.Pose) -> dict:
    opencv = pose_json(pose)
    converted = coords.opencv_to_unreal_pose_cm(coords.Pose(tuple(opencv["position_m"]), tuple(opencv["rotation"])))
    return {"position_cm": list(converted.position), "rotation": list(converted.rotation)}


def read_intrinsics(data_dir: Path) -> dict:
    path = data_dir / "objects" / "annotations" / "markers" / "camera_charuco_640x480.yml"
    storage = cv2.FileStorage(str(path), cv2.FILE_STORAGE_READ)
    matrix = storage.getNode("camera_matrix").mat()
    distortion = storage.getNode("distortion_coefficients").mat().reshape(-1)
    storage.release()
    return {
        "fx": float(matrix[0, 0]),
        "fy": float(matrix[1, 1]),
        "cx": float(matrix[0, 2]),
        "cy": float(matrix[1, 2]),
        "distortion": [float(value) for value in distortion],
    }


@pytest.fixture(scope="module")
def python_objects(client, data_dir: Path, tmp_path_factory) -> Path:
    """The Python client's detections and marker poses, with Unreal poses from coords.py."""
    images = data_dir / "objects" / "images"
    detected = client.detect_objects(
        frame_from_file(images / OBJECTS_IMAGE), objects_pb2.ObjectsConfig(input_size=OBJECTS_INPUT_SIZE)
    )
    detections = {
        "image": OBJECTS_IMAGE,
        "input_size": OBJECTS_INPUT_SIZE,
        "frame_width": detected.frame.width,
        "items": [
            {
                "label": d.label,
                "class_id": d.class_id,
                "score": d.score,
                "box": [d.box.x_min, d.box.y_min, d.box.x_max, d.box.y_max],
            }
            for d in detected.detections
        ],
    }

    intrinsics = read_intrinsics(data_dir)
    frame = frame_from_file(images / MARKERS_IMAGE)
    frame.intrinsics.CopyFrom(common_pb2.CameraIntrinsics(**intrinsics))
    frame.camera_to_world.position_m.CopyFrom(common_pb2.Vector3(**dict(zip("xyz", CAMERA_TO_WORLD["position_m"]))))
    frame.camera_to_world.rotation.CopyFrom(common_pb2.Quaternion(**dict(zip("xyzw", CAMERA_TO_WORLD["rotation"]))))
    config = objects_pb2.ObjectsConfig(
        disable_detector=True,
        markers=objects_pb2.MarkerConfig(
            dictionaries=[objects_pb2.MARKER_DICTIONARY_ARUCO_6X6_250], marker_size_m=MARKER_SIZE_M
        ),
    )
    found = client.detect_objects(frame, config)
    assert len(found.markers) >= 4
    markers = {
        "image": MARKERS_IMAGE,
        "intrinsics": intrinsics,
        "camera_to_world": CAMERA_TO_WORLD,
        "marker_size_m": MARKER_SIZE_M,
        "items": [
            {
                "id": m.id,
                "corners": [[c.x, c.y] for c in m.corners],
                "pose_in_camera": pose_json(m.pose_in_camera),
                "pose_in_world": pose_json(m.pose_in_world),
                "unreal_pose_in_camera": unreal_pose_json(m.pose_in_camera),
                "unreal_pose_in_world": unreal_pose_json(m.pose_in_world),
            }
            for m in found.markers
        ],
    }
    path = tmp_path_factory.mktemp("python_objects") / "objects.json"
    path.write_text(json.dumps({"detections": detections, "markers": markers}))
    return path


def run_cases(binary: Path, **arguments: str) -> str:
    command = [str(binary)]
    for key, value in arguments.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    output = completed.stdout + completed.stderr
    check_summary(output, completed.returncode)
    return output


def check_summary(output: str, returncode: int) -> None:
    summary = SUMMARY.search(output)
    assert summary is not None, f"no summary line in the C++ test output:\n{output[-4000:]}"
    failed_cases = re.findall(r"^FAIL (\S+)", output, re.MULTILINE)
    assert int(summary.group(2)) == 0, f"C++ cases failed: {failed_cases}\n{output[-6000:]}"
    assert int(summary.group(1)) > 0
    assert returncode == 0, output[-4000:]


def free_loopback_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_cpp_pure_cases(cpp_tests):
    output = run_cases(cpp_tests, groups="pure", vectors=VECTORS)
    assert "PASS pure.vectors_frame_packing" in output
    assert "PASS pure.vectors_poses" in output


def test_cpp_against_server(cpp_tests, server, data_dir, video_frames, python_hands, python_objects):
    output = run_cases(
        cpp_tests,
        groups="server",
        address=server.address,
        data=data_dir,
        frames=video_frames,
        expected=python_hands,
        objects_expected=python_objects,
        speech_clip=data_dir / SPEECH_CLIP,
        speech_command=SPEECH_COMMAND,
    )
    for case in (
        "detect_hands_matches_python",
        "track_hands_keeps_tracking_id",
        "track_hands_deadline_fires_error_once",
        "marker_poses_convert_to_unreal",
        "voice_stream_recognizes_command",
    ):
        assert f"PASS server.{case}" in output


def test_cpp_cli_info_and_hands(cpp_tests, server, data_dir, python_hands):
    info = subprocess.run(
        [str(CLI_BINARY), "info", "--address", server.address], capture_output=True, text=True, timeout=RUN_TIMEOUT_S
    )
    assert info.returncode == 0, info.stderr
    assert "protocol 1." in info.stdout
    assert "CAPABILITY_HAND_TRACKING" in info.stdout
    assert "mediapipe" in info.stdout

    hands = subprocess.run(
        [str(CLI_BINARY), "hands", str(data_dir / HAND_IMAGE), "--address", server.address],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert hands.returncode == 0, hands.stderr
    expected_count = len(json.loads(python_hands.read_text())["hands"])
    assert hands.stdout.startswith(f"{expected_count} hand(s) in "), hands.stdout
    assert hands.stdout.count("HANDEDNESS_") == expected_count

    missing = subprocess.run(
        [str(CLI_BINARY), "hands", str(data_dir / "no_such_photo.jpg"), "--address", server.address],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert missing.returncode == 2
    assert "no_such_photo.jpg" in missing.stderr


def test_cpp_connect_backoff_unreachable(cpp_tests):
    output = run_cases(cpp_tests, groups="unreachable", dead_address=f"127.0.0.1:{free_loopback_port()}")
    assert "PASS unreachable.connect_retries_with_backoff" in output


def test_cpp_server_killed_mid_stream(cpp_tests, data_dir, video_frames):
    own_server = start_server()
    try:
        process = subprocess.Popen(
            [str(cpp_tests), "--groups", "kill", "--address", own_server.address, "--frames", str(video_frames)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.strip() == "READY_TO_KILL":
                own_server.stop(sig=signal.SIGKILL)
                break
        rest, _ = process.communicate(timeout=RUN_TIMEOUT_S)
        output = "".join(lines) + rest
    finally:
        own_server.stop(sig=signal.SIGKILL)
    assert "READY_TO_KILL" in output, output[-4000:]
    check_summary(output, process.returncode)
