"""Handshake, health, reflection, bad input, backpressure, limits and shutdown on a real server."""

from __future__ import annotations

import signal
import threading
import time

import cv2
import grpc
import numpy as np
import pytest
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from conftest import start_server
from hand_helpers import lockstep, raw_frame
from vrperception.api.v1 import common_pb2, hands_pb2, handshake_pb2
from vrperception.client import PerceptionClient, frame_from_file, frame_from_rgb, read_rgb

FULL_HD_RGBA_BYTES = 1920 * 1080 * 4


def status_of(call) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as caught:
        result = call()
        if hasattr(result, "__iter__") and not hasattr(result, "hands"):
            list(result)
    return caught.value.code(), caught.value.details()


@pytest.fixture(scope="module")
def hand_photo(data_dir):
    return read_rgb(data_dir / "hands" / "images" / "hand_008.jpg")


def test_handshake_reports_versions_models_limits(client):
    response = client.handshake()
    assert response.protocol_version == "1.0.0"
    assert (response.protocol_major, response.protocol_minor) == (1, 0)
    assert response.server_version
    assert handshake_pb2.CAPABILITY_HAND_TRACKING in response.capabilities
    names = {model.name for model in response.models}
    assert "mediapipe-hands-full" in names
    full = next(model for model in response.models if model.name == "mediapipe-hands-full")
    assert len(full.sha256) == 64 and full.version == "0.10.21"
    limits = response.limits
    assert limits.max_frame_bytes >= FULL_HD_RGBA_BYTES
    assert limits.max_message_bytes > limits.max_frame_bytes
    assert limits.max_width >= 1920 and limits.max_height >= 1080
    assert common_pb2.IMAGE_ENCODING_JPEG in limits.image_encodings
    assert 48000 in limits.audio_sample_rates_hz


def test_handshake_rejects_other_major_version(client):
    request = handshake_pb2.HandshakeRequest(protocol_version="2.0.0", client_name="test")
    code, details = status_of(lambda: client.handshake_stub.Handshake(request))
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert "2.0.0" in details and "1.x" in details
    request = handshake_pb2.HandshakeRequest(protocol_version="one")
    code, details = status_of(lambda: client.handshake_stub.Handshake(request))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "'one'" in details
    request = handshake_pb2.HandshakeRequest(protocol_version="1.0.0\n", client_name="evil\nERROR forged line")
    code, _ = status_of(lambda: client.handshake_stub.Handshake(request))
    assert code == grpc.StatusCode.INVALID_ARGUMENT


def test_health_per_service(client):
    assert client.health_status("") == health_pb2.HealthCheckResponse.SERVING
    assert client.health_status("vrperception.v1.HandTracking") == health_pb2.HealthCheckResponse.SERVING
    assert client.health_status("vrperception.v1.HandshakeService") == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_services(client):
    stub = reflection_pb2_grpc.ServerReflectionStub(client.channel)
    responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = {service.name for service in next(responses).list_services_response.service}
    for expected in (
        "vrperception.v1.HandshakeService",
        "vrperception.v1.HandTracking",
        "vrperception.v1.ObjectRecognition",
        "vrperception.v1.VoiceCommands",
        "grpc.health.v1.Health",
    ):
        assert expected in names


def test_full_hd_rgba_frame_is_accepted(client, hand_photo):
    big = cv2.resize(hand_photo, (1920, 1080))
    frame = raw_frame(big, common_pb2.IMAGE_ENCODING_RAW_RGBA8)
    assert len(frame.data) == FULL_HD_RGBA_BYTES
    result = client.detect_hands(frame)
    assert (result.frame.width, result.frame.height) == (1920, 1080)
    assert len(result.hands) == 1


def _frame(**fields) -> common_pb2.ImageFrame:
    return common_pb2.ImageFrame(**fields)


BAD_FRAMES = {
    "wrong_byte_count": (
        _frame(encoding=common_pb2.IMAGE_ENCODING_RAW_RGB8, data=b"\0" * 100, width=10, height=10),
        grpc.StatusCode.INVALID_ARGUMENT,
        "frame.data is 100 bytes",
    ),
    "zero_width": (
        _frame(encoding=common_pb2.IMAGE_ENCODING_RAW_RGB8, data=b"\0" * 30, width=0, height=10),
        grpc.StatusCode.INVALID_ARGUMENT,
        "0x10",
    ),
    "huge_dimensions": (
        _frame(encoding=common_pb2.IMAGE_ENCODING_RAW_GRAY8, data=b"\0" * 10000, width=100000, height=1),
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        "over the server limit",
    ),
    "unknown_encoding": (
        _frame(encoding=99, data=b"\0" * 3, width=1, height=1),
        grpc.StatusCode.INVALID_ARGUMENT,
        "frame.encoding is 99",
    ),
    "corrupt_jpeg": (
        _frame(encoding=common_pb2.IMAGE_ENCODING_JPEG, data=b"\xff\xd8\xff\xe0garbage"),
        grpc.StatusCode.INVALID_ARGUMENT,
        "JPEG",
    ),
    "frame_over_frame_limit": (
        _frame(encoding=common_pb2.IMAGE_ENCODING_JPEG, data=b"\0" * (FULL_HD_RGBA_BYTES + 10)),
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        "over the server limit",
    ),
    "frame_over_message_limit": (
        _frame(encoding=common_pb2.IMAGE_ENCODING_JPEG, data=b"\0" * (FULL_HD_RGBA_BYTES + (2 << 20))),
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FRAMES))
def test_bad_frame_status(client, case):
    frame, expected_code, expected_text = BAD_FRAMES[case]
    code, details = status_of(lambda: client.detect_hands(frame))
    assert code == expected_code, details
    assert expected_text in details


@pytest.mark.parametrize("case", ["wrong_byte_count", "corrupt_jpeg", "frame_over_message_limit"])
def test_bad_frame_ends_stream_with_status(client, case):
    frame, expected_code, expected_text = BAD_FRAMES[case]
    code, details = status_of(lambda: client.track_hands(iter([frame])))
    assert code == expected_code, details
    assert expected_text in details


@pytest.mark.parametrize(
    "config, text",
    [
        (hands_pb2.HandsConfig(max_hands=9), "config.max_hands is 9"),
        (hands_pb2.HandsConfig(min_detection_confidence=1.5), "config.min_detection_confidence is 1.5"),
        (hands_pb2.HandsConfig(model_complexity=7), "config.model_complexity is 7"),
    ],
)
def test_bad_config_status(client, hand_photo, config, text):
    code, details = status_of(lambda: client.detect_hands(frame_from_rgb(hand_photo), config))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert text in details


def test_stream_without_config(client, hand_photo):
    request = hands_pb2.TrackHandsRequest(frame=frame_from_rgb(hand_photo))
    code, details = status_of(lambda: client.hands.TrackHands(iter([request])))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "first message is frame" in details


def test_stream_with_repeated_config(client, hand_photo):
    requests = [
        hands_pb2.TrackHandsRequest(config=hands_pb2.HandsConfig()),
        hands_pb2.TrackHandsRequest(frame=frame_from_rgb(hand_photo)),
        hands_pb2.TrackHandsRequest(config=hands_pb2.HandsConfig()),
    ]
    code, details = status_of(lambda: client.hands.TrackHands(iter(requests)))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "config was sent again" in details


def test_deadline_exceeded(client, data_dir):
    frame = frame_from_file(data_dir / "hands" / "images" / "hand_001.jpg")
    code, _ = status_of(lambda: client.detect_hands(frame, timeout_s=0.001))
    assert code == grpc.StatusCode.DEADLINE_EXCEEDED


def test_other_streams_keep_running_during_bad_input(client, hand_photo):
    frames_sent = 30
    results: list = []

    def good_stream():
        frames = [frame_from_rgb(hand_photo, encoding="jpeg", frame_id=index) for index in range(frames_sent)]
        results.extend(lockstep(client, frames, hands_pb2.HandsConfig()))

    worker = threading.Thread(target=good_stream)
    worker.start()
    bad_codes = []
    while worker.is_alive() and len(bad_codes) < 20:
        frame, _, _ = BAD_FRAMES["corrupt_jpeg"]
        bad_codes.append(status_of(lambda: client.track_hands(iter([frame])))[0])
    worker.join(timeout=120)
    assert set(bad_codes) == {grpc.StatusCode.INVALID_ARGUMENT}
    assert len(bad_codes) >= 3
    assert [result.frame.frame_id for result in results] == list(range(frames_sent))
    assert all(len(result.hands) == 1 for result in results)


def test_flood_drops_stale_frames(client, hand_photo):
    sent = 120
    frames = [frame_from_rgb(hand_photo, frame_id=index) for index in range(sent)]
    results = list(client.track_hands(iter(frames)))
    dropped = results[-1].frame.dropped_frames
    assert results[-1].frame.frame_id == sent - 1, "the newest frame is always processed"
    assert dropped > 0
    assert len(results) + dropped == sent
    ids = [result.frame.frame_id for result in results]
    assert ids == sorted(ids)
    drops = [result.frame.dropped_frames for result in results]
    assert drops == sorted(drops)


@pytest.fixture(scope="module")
def small_server():
    process = start_server(config={"limits": {"max_streams": 2}, "workers": 1})
    yield process
    process.stop()


def test_stream_limit_and_disconnect_frees_slots(small_server, hand_photo):
    frame = frame_from_rgb(hand_photo, encoding="jpeg")
    with PerceptionClient(small_server.address) as client:
        for _ in range(5):
            call = client.track_hands(iter([frame] * 1000))
            next(call)
            call.cancel()
        time.sleep(0.5)
        gates = [threading.Event(), threading.Event()]

        def held_frames(gate):
            yield frame
            gate.wait(timeout=30)

        open_calls = [client.track_hands(held_frames(gate)) for gate in gates]
        for call in open_calls:
            assert len(next(call).hands) == 1
        code, details = status_of(lambda: client.track_hands(iter([frame])))
        assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "limit is 2" in details
        for gate in gates:
            gate.set()
        for call in open_calls:
            list(call)
    log = small_server.log_text()
    assert log.count("closed:") >= 7
    assert "opened by ipv4:127.0.0.1" in log


def test_cancels_and_deadlines_free_stream_slots(small_server, hand_photo):
    frame = frame_from_rgb(hand_photo, encoding="jpeg")
    with PerceptionClient(small_server.address) as client:
        for _ in range(10):
            call = client.track_hands(iter([frame] * 1000))
            next(call)
            call.cancel()
            time.sleep(0.05)
        for _ in range(4):
            gate = threading.Event()

            def idle(gate=gate):
                yield frame
                gate.wait(timeout=10)

            call = client.track_hands(idle(), timeout_s=1.0)
            assert len(next(call).hands) == 1
            with pytest.raises(grpc.RpcError) as caught:
                list(call)
            assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
            gate.set()
        time.sleep(1.0)
        gates = [threading.Event(), threading.Event()]

        def held_frames(gate):
            yield frame
            gate.wait(timeout=30)

        open_calls = [client.track_hands(held_frames(gate)) for gate in gates]
        for call in open_calls:
            assert len(next(call).hands) == 1
        for gate in gates:
            gate.set()
        for call in open_calls:
            list(call)


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no VmRSS for pid {pid}")


def test_abandoned_streams_free_memory(small_server, hand_photo):
    # Each stream owns a MediaPipe graph of tens of MB; 20 abandoned streams
    # that kept theirs would add well over 500 MB.
    frame = frame_from_rgb(hand_photo, encoding="jpeg")
    with PerceptionClient(small_server.address) as client:
        client.detect_hands(frame)
        for _ in range(3):
            call = client.track_hands(iter([frame] * 100))
            next(call)
            call.cancel()
            time.sleep(0.2)
        time.sleep(0.5)
        before = _rss_mb(small_server.process.pid)
        for _ in range(20):
            call = client.track_hands(iter([frame] * 100))
            next(call)
            call.cancel()
            # The server frees the slot once the stream's current frame is done.
            time.sleep(0.2)
        time.sleep(0.5)
        after = _rss_mb(small_server.process.pid)
        assert len(client.detect_hands(frame).hands) == 1
    assert after - before < 150.0, f"RSS {before:.0f} MB -> {after:.0f} MB"


def test_graceful_shutdown_finishes_in_flight_calls(data_dir):
    process = start_server("--workers", "1")
    frame = frame_from_file(data_dir / "hands" / "images" / "hand_001.jpg")
    outcomes = []
    with PerceptionClient(process.address) as client:
        client.detect_hands(frame)

        def call():
            try:
                outcomes.append(len(client.detect_hands(frame).hands))
            except grpc.RpcError as error:
                outcomes.append(error.code())

        threads = [threading.Thread(target=call) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.05)
        process.process.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=60)
    assert process.process.wait(timeout=60) == 0
    assert outcomes == [2, 2, 2, 2]
    log = process.log_text()
    assert "signal received" in log and "stopped" in log


def test_unary_flood_is_bounded(client, hand_photo):
    request = hands_pb2.DetectHandsRequest(frame=frame_from_rgb(hand_photo, encoding="jpeg"))
    futures = [client.hands.DetectHands.future(request, timeout=120) for _ in range(40)]
    codes = []
    for future in futures:
        try:
            future.result()
            codes.append(grpc.StatusCode.OK)
        except grpc.RpcError as error:
            codes.append(error.code())
            if error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                assert "calls queued" in error.details()
    assert set(codes) == {grpc.StatusCode.OK, grpc.StatusCode.RESOURCE_EXHAUSTED}
    assert codes.count(grpc.StatusCode.OK) >= 8
    assert len(client.detect_hands(request.frame).hands) == 1


def test_client_name_cannot_forge_log_lines(server, client):
    request = handshake_pb2.HandshakeRequest(protocol_version="1.0.0", client_name="game\nERROR forged line " + "x" * 500)
    assert client.handshake_stub.Handshake(request).protocol_major == 1
    time.sleep(0.2)
    log = server.log_text()
    assert "game?ERROR forged line" in log
    assert "\nERROR forged line" not in log
    assert "x" * 200 not in log


def test_idle_stream_is_closed(hand_photo):
    process = start_server(config={"limits": {"stream_idle_timeout_s": 1.0}, "workers": 1})
    try:
        frame = frame_from_rgb(hand_photo, encoding="jpeg")
        gate = threading.Event()

        def one_frame_then_idle():
            yield frame
            gate.wait(timeout=30)

        with PerceptionClient(process.address) as client:
            call = client.track_hands(one_frame_then_idle())
            assert len(next(call).hands) == 1
            code, details = status_of(lambda: list(call))
            gate.set()
            assert code == grpc.StatusCode.DEADLINE_EXCEEDED
            assert "no frame arrived for 1 s" in details
            assert len(client.detect_hands(frame).hands) == 1
    finally:
        process.stop()


def test_unary_client_logged_once(server, data_dir):
    from vrperception.api.v1 import hands_pb2_grpc

    request = hands_pb2.DetectHandsRequest(frame=frame_from_file(data_dir / "hands" / "images" / "hand_008.jpg"))
    # A private subchannel pool gives this channel its own connection, so
    # it is not folded into the session client's.
    with grpc.insecure_channel(server.address, options=[("grpc.use_local_subchannel_pool", 1)]) as channel:
        stub = hands_pb2_grpc.HandTrackingStub(channel)
        for _ in range(3):
            stub.DetectHands(request, timeout=60)
    time.sleep(0.2)
    lines = [line for line in server.log_text().splitlines() if " connected (first call " in line]
    peers = [line.split("client ")[1].split(" connected")[0] for line in lines]
    assert any("(first call DetectHands)" in line for line in lines)
    assert len(peers) == len(set(peers)), "each connection is logged once"
