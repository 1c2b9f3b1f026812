"""RecognizeClip maps bad audio to INVALID_ARGUMENT, never INTERNAL."""

from __future__ import annotations

import grpc
import numpy as np
import pytest

from vrperception.api.v1 import voice_pb2, voice_pb2_grpc
from vrperception.cli.voice import recognizer_config, vocabulary_to_proto
from vrperception.models.vocabulary import load_vocabulary

from conftest import REPO_ROOT

TEN_WORDS_YAML = REPO_ROOT / "examples" / "vocabularies" / "ten_words.yaml"


@pytest.mark.parametrize("bad_value", [np.nan, np.inf])
def test_clip_with_non_finite_float32(client, bad_value):
    samples = np.zeros(16000, dtype="<f4")
    samples[100] = bad_value
    config = recognizer_config(vocabulary_to_proto(load_vocabulary(TEN_WORDS_YAML)), 16000, 1, encoding="float32le")
    stub = voice_pb2_grpc.VoiceCommandsStub(client.channel)
    with pytest.raises(grpc.RpcError) as caught:
        stub.RecognizeClip(voice_pb2.RecognizeClipRequest(config=config, audio=samples.tobytes()), timeout=60)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "NaN or infinite" in caught.value.details()
