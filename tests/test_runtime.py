"""Pure logic of the runtime: tracking ids, the newest-frame mailbox, limits, config."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from vrperception.config import ConfigError, ServerConfig, load_config
from vrperception.errors import ResourceExhausted
from vrperception.runtime.hand_tracking import HandIdTracker
from vrperception.runtime.streams import LatestSlot, StreamLimiter


def hand_at(x: float, y: float) -> np.ndarray:
    return np.tile([x, y, 0.0], (21, 1))


def test_ids_stay_while_hands_move():
    tracker = HandIdTracker()
    first = tracker.update([("left", hand_at(0.2, 0.5)), ("right", hand_at(0.8, 0.5))])
    assert first == [1, 2]
    # Order swapped and both moved a little.
    assert tracker.update([("right", hand_at(0.78, 0.52)), ("left", hand_at(0.22, 0.48))]) == [2, 1]


def test_ids_survive_short_gaps_and_are_not_reused():
    tracker = HandIdTracker()
    assert tracker.update([("left", hand_at(0.5, 0.5))]) == [1]
    assert tracker.update([]) == []
    assert tracker.update([("left", hand_at(0.52, 0.5))]) == [1]
    for _ in range(5):
        tracker.update([])
    assert tracker.update([("left", hand_at(0.5, 0.5))]) == [2]


def test_far_jump_gets_new_id():
    tracker = HandIdTracker()
    tracker.update([("left", hand_at(0.1, 0.1))])
    assert tracker.update([("left", hand_at(0.9, 0.9))]) == [2]


def test_handedness_flip_keeps_id():
    tracker = HandIdTracker()
    tracker.update([("left", hand_at(0.4, 0.4))])
    assert tracker.update([("right", hand_at(0.41, 0.4))]) == [1]


def test_latest_slot_keeps_newest_and_counts_dropped():
    async def scenario():
        slot: LatestSlot[int] = LatestSlot()
        for item in range(5):
            slot.put(item)
        assert await slot.get() == 4
        assert slot.dropped == 4
        slot.put(5)
        slot.close()
        assert await slot.get() == 5
        assert await slot.get() is None

    asyncio.run(scenario())


def test_latest_slot_get_waits_for_put():
    async def scenario():
        slot: LatestSlot[str] = LatestSlot()
        getter = asyncio.create_task(slot.get())
        await asyncio.sleep(0.01)
        assert not getter.done()
        slot.put("frame")
        assert await getter == "frame"
        assert slot.dropped == 0

    asyncio.run(scenario())


def test_stream_limiter():
    limiter = StreamLimiter(2)
    limiter.acquire("TrackHands")
    limiter.acquire("TrackHands")
    with pytest.raises(ResourceExhausted, match="limit is 2"):
        limiter.acquire("TrackHands")
    limiter.release()
    limiter.acquire("TrackHands")
    assert limiter.open_streams == 2


def test_config_file_and_overrides(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("port: 6000\nworkers: 3\nlimits:\n  max_streams: 4\nhands:\n  default_model_complexity: 0\n")
    config = load_config(path, port=7000)
    assert config.port == 7000
    assert config.workers == 3
    assert config.limits.max_streams == 4
    assert config.hands.default_model_complexity == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("colour: red\n", "unknown config key 'colour'"),
        ("limits:\n  max_frames: 3\n", "unknown config key limits.'max_frames'"),
        ("port: 70000\n", "port is 70000"),
        ("limits:\n  max_streams: 0\n", "limits.max_streams is 0"),
        ("hands: 3\n", "hands must be a mapping"),
        ("port: [1\n", "not valid YAML"),
        ("port: abc\n", "config key port is 'abc'; it must be an int"),
        ("workers: 2.5\n", "config key workers is 2.5; it must be an int"),
        ("hands:\n  default_model_complexity: '1'\n", "hands.default_model_complexity is '1'"),
        ("grace_period_s: yes\n", "grace_period_s is True; it must be a float"),
    ],
)
def test_config_errors_name_the_key(tmp_path, text, message):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)


def test_default_limits_fit_full_hd_rgba():
    limits = ServerConfig().limits
    assert limits.max_frame_bytes == 1920 * 1080 * 4
    assert limits.max_message_bytes > limits.max_frame_bytes


def test_unary_calls_beyond_queue_limit_rejected():
    import threading

    from vrperception.runtime.workers import WorkerPool

    pool = WorkerPool(2, max_queued_calls=2)
    release = threading.Event()

    def blocked(worker, index):
        release.wait(timeout=10)
        return worker.index, index

    async def scenario():
        calls = [asyncio.create_task(pool.run_call(blocked, index)) for index in range(4)]
        await asyncio.sleep(0.05)
        with pytest.raises(ResourceExhausted, match="2 calls queued"):
            await pool.run_call(blocked, 99)
        release.set()
        return await asyncio.gather(*calls)

    results = asyncio.run(scenario())
    pool.shutdown()
    assert sorted(index for _, index in results) == [0, 1, 2, 3]
    assert sorted(worker for worker, _ in results) == [0, 0, 1, 1]
