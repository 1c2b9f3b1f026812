"""The asyncio client against the real server."""

from __future__ import annotations

import asyncio

from vrperception.api.v1 import hands_pb2
from vrperception.client import AsyncPerceptionClient, frame_from_file


def test_async_detect_and_track(server, data_dir):
    image = data_dir / "hands" / "images" / "hand_008.jpg"

    async def scenario():
        async with AsyncPerceptionClient(server.address) as client:
            handshake = await client.handshake()
            detected = await client.detect_hands(frame_from_file(image))

            async def frames():
                for index in range(3):
                    yield frame_from_file(image, frame_id=index)
                    await asyncio.sleep(0.3)

            tracked = [result async for result in client.track_hands(frames(), hands_pb2.HandsConfig(max_hands=1))]
            return handshake, detected, tracked

    handshake, detected, tracked = asyncio.run(scenario())
    assert handshake.protocol_major == 1
    assert len(detected.hands) == 1
    assert len(detected.hands[0].landmarks) == 21
    assert [result.frame.frame_id for result in tracked] == [0, 1, 2]
    assert {hand.tracking_id for result in tracked for hand in result.hands} == {1}
