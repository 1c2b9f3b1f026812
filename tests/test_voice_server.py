"""VoiceCommands end to end: real server, real Whisper and pocketsphinx, real and synthesised speech."""

from __future__ import annotations

import importlib.util
import queue
import threading
import time
import wave
from pathlib import Path

import grpc
import numpy as np
import pytest

from conftest import REPO_ROOT, ServerProcess, start_server
from vrperception.api.v1 import voice_pb2, voice_pb2_grpc
from vrperception.cli.voice import recognizer_config, stream_requests, vocabulary_to_proto
from vrperception.media.audio import AudioEncoding, encode_samples
from vrperception.models.vocabulary import load_vocabulary

TEN_WORDS_YAML = REPO_ROOT / "examples" / "vocabularies" / "ten_words.yaml"
SCENE_YAML = REPO_ROOT / "examples" / "vocabularies" / "game_scene.yaml"
RATE = 16000
CALL_TIMEOUT_S = 120
# One clip per word, all from one speaker of Speech Commands.
COMMAND_CLIPS = {
    "cmd_011.wav": "yes",
    "cmd_012.wav": "no",
    "cmd_013.wav": "up",
    "cmd_024.wav": "down",
    "cmd_015.wav": "left",
    "cmd_016.wav": "right",
    "cmd_017.wav": "on",
    "cmd_018.wav": "off",
    "cmd_019.wav": "stop",
    "cmd_020.wav": "go",
}
UNKNOWN_CLIPS = ("commands/cmd_058.wav", "commands/cmd_059.wav", "commands/cmd_060.wav", "commands/cmd_061.wav")
NOISE_CLIPS = ("noise/noise_001.wav", "noise/noise_002.wav", "noise/noise_003.wav")


# ---------------------------------------------------------------------------
# helpers


def read_speech(data_dir: Path, relative: str) -> np.ndarray:
    with wave.open(str(data_dir / "speech" / relative), "rb") as reader:
        assert reader.getframerate() == RATE
        assert reader.getnchannels() == 1
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768


def silence(ms: int) -> np.ndarray:
    return np.zeros(RATE * ms // 1000, dtype=np.float32)


def ten_words() -> voice_pb2.Vocabulary:
    return vocabulary_to_proto(load_vocabulary(TEN_WORDS_YAML))


def pcm16(samples: np.ndarray) -> bytes:
    return encode_samples(samples, AudioEncoding.PCM16LE)


def stream_clip(stub, samples: np.ndarray, vocabulary=None, chunk_ms: int = 20, **options) -> list:
    """Stream 16 kHz PCM16 audio with trailing silence; return all responses."""
    audio = pcm16(np.concatenate([silence(200), samples, silence(800)]))
    config = recognizer_config(vocabulary or ten_words(), RATE, 1, **options)
    requests = stream_requests(config, audio, 2 * RATE * chunk_ms // 1000)
    return list(stub.RecognizeCommands(requests, timeout=CALL_TIMEOUT_S))


def results_of(responses) -> list[voice_pb2.CommandResult]:
    return [response.result for response in responses if response.WhichOneof("message") == "result"]


def accepted(responses) -> list[str]:
    return [result.command_id for result in results_of(responses) if result.command_id]


def clip_request(samples: np.ndarray, vocabulary=None, **options) -> voice_pb2.RecognizeClipRequest:
    return voice_pb2.RecognizeClipRequest(
        config=recognizer_config(vocabulary or ten_words(), RATE, 1, **options),
        audio=pcm16(np.concatenate([silence(200), samples, silence(600)])),
    )


def load_synthesizer():
    spec = importlib.util.spec_from_file_location("synthesize_speech", REPO_ROOT / "scripts" / "synthesize_speech.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def resample_fft(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling by zero-padding the spectrum (independent of the server's resampler)."""
    count_out = int(round(len(samples) * rate_out / rate_in))
    spectrum = np.fft.rfft(samples)
    padded = np.zeros(count_out // 2 + 1, dtype=complex)
    padded[: len(spectrum)] = spectrum
    return (np.fft.irfft(padded, count_out) * rate_out / rate_in).astype(np.float32)


class BackgroundStream:
    """A healthy RecognizeCommands stream fed from a queue, to show other streams keep running."""

    def __init__(self, stub):
        self._requests: queue.Queue = queue.Queue()
        self._requests.put(voice_pb2.RecognizeCommandsRequest(config=recognizer_config(ten_words(), RATE, 1)))
        self.responses: list = []
        self._call = stub.RecognizeCommands(iter(self._requests.get, None), timeout=CALL_TIMEOUT_S)
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        for response in self._call:
            self.responses.append(response)

    def send(self, samples: np.ndarray) -> None:
        audio = pcm16(samples)
        step = 2 * RATE // 50
        for offset in range(0, len(audio), step):
            self._requests.put(voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=audio[offset : offset + step])))

    def finish(self) -> list:
        self._requests.put(None)
        self._thread.join(CALL_TIMEOUT_S)
        return self.responses


@pytest.fixture(scope="module")
def stub(server: ServerProcess):
    with grpc.insecure_channel(server.address) as channel:
        grpc.channel_ready_future(channel).result(timeout=30)
        yield voice_pb2_grpc.VoiceCommandsStub(channel)


def expect_error(code: grpc.StatusCode, call, *fragments: str) -> str:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    assert raised.value.code() == code, raised.value.details()
    for fragment in fragments:
        assert fragment in raised.value.details()
    return raised.value.details()


# ---------------------------------------------------------------------------
# recognition


@pytest.mark.parametrize(("clip", "word"), sorted(COMMAND_CLIPS.items()))
def test_real_command_word(stub, data_dir, clip, word):
    response = stub.RecognizeClip(clip_request(read_speech(data_dir, f"commands/{clip}")), timeout=CALL_TIMEOUT_S)
    commands = [result.command_id for result in response.results if result.command_id]
    assert commands == [word], [(r.transcript, r.rejection_reason) for r in response.results]
    assert response.results[0].confidence >= 0.8
    assert response.results[0].timings.recognition_ms > 0


@pytest.mark.parametrize("clip", UNKNOWN_CLIPS + NOISE_CLIPS)
def test_unknown_word_or_noise_rejected(stub, data_dir, clip):
    response = stub.RecognizeClip(clip_request(read_speech(data_dir, clip)), timeout=CALL_TIMEOUT_S)
    assert [result.command_id for result in response.results if result.command_id] == []
    for result in response.results:
        assert result.rejection_reason


def test_word_sequence_in_order(stub, data_dir):
    words = ("cmd_021.wav", "cmd_025.wav", "cmd_029.wav")
    parts = []
    for clip in words:
        parts += [read_speech(data_dir, f"commands/{clip}"), silence(700)]
    responses = stream_clip(stub, np.concatenate(parts))
    results = [result for result in results_of(responses) if result.command_id]
    assert [result.command_id for result in results] == ["yes", "left", "stop"]
    starts = [result.start_ms for result in results]
    assert starts == sorted(starts)
    for earlier, later in zip(results, results[1:]):
        assert earlier.end_ms <= later.start_ms
    # Each word is 1 s of audio after 200 ms of lead-in, with 700 ms gaps.
    for index, result in enumerate(results):
        window_start = 200 + index * 1700
        assert window_start - 100 <= result.start_ms < result.end_ms <= window_start + 1100
    events = [r.utterance.type for r in responses if r.WhichOneof("message") == "utterance"]
    assert events.count(voice_pb2.UtteranceEvent.TYPE_SPEECH_STARTED) == 3
    assert events.count(voice_pb2.UtteranceEvent.TYPE_SPEECH_ENDED) == 3


def test_48k_stereo_float32_chunking(stub, data_dir):
    speech = np.concatenate([silence(200), read_speech(data_dir, "commands/cmd_016.wav"), silence(800)])
    high_rate = resample_fft(speech, RATE, 48000)
    audio = encode_samples(high_rate, AudioEncoding.FLOAT32LE, channels=2)
    config = recognizer_config(ten_words(), 48000, 2, encoding="float32le")
    frame_bytes = 4 * 2
    outcomes = {}
    for chunk_ms in (10, 1000):
        chunk_bytes = frame_bytes * 48000 * chunk_ms // 1000
        responses = list(stub.RecognizeCommands(stream_requests(config, audio, chunk_bytes), timeout=CALL_TIMEOUT_S))
        outcomes[chunk_ms] = [(r.command_id, r.start_ms, r.end_ms) for r in results_of(responses)]
    assert [command for command, _, _ in outcomes[10]] == ["right"]
    assert outcomes[10] == outcomes[1000]


def test_slot_phrase_synthesised(stub):
    synthesizer = load_synthesizer()
    speech = synthesizer.synthesize("select the blue sphere", "flite", "slt", 0)
    vocabulary = vocabulary_to_proto(load_vocabulary(SCENE_YAML))
    results = [result for result in results_of(stream_clip(stub, speech, vocabulary)) if result.command_id]
    assert len(results) == 1, [(r.transcript, r.rejection_reason) for r in results_of(stream_clip(stub, speech, vocabulary))]
    assert results[0].command_id == "select"
    assert {slot.name: slot.value for slot in results[0].slots} == {"color": "blue", "object": "sphere"}
    assert results[0].transcript == "select the blue sphere"


def test_two_commands_one_utterance(stub):
    synthesizer = load_synthesizer()
    # flite pauses about 0.2 s at the full stop, too short to end the utterance.
    speech = synthesizer.synthesize("teleport to the tower. pick the green key", "flite", "slt", 0)
    vocabulary = vocabulary_to_proto(load_vocabulary(SCENE_YAML))
    results = results_of(stream_clip(stub, speech, vocabulary))
    assert [result.command_id for result in results] == ["teleport", "select"], [r.transcript for r in results]
    assert {slot.name: slot.value for slot in results[0].slots} == {"place": "tower"}
    assert {slot.name: slot.value for slot in results[1].slots} == {"color": "green", "object": "key"}
    assert results[0].start_ms < results[0].end_ms <= results[1].start_ms < results[1].end_ms


def test_vocabulary_replaced_mid_stream(stub, data_dir):
    yes = read_speech(data_dir, "commands/cmd_021.wav")
    left = read_speech(data_dir, "commands/cmd_025.wav")
    only_yes = voice_pb2.Vocabulary(commands=[voice_pb2.CommandDefinition(id="confirm", phrases=["yes"])])
    only_left = voice_pb2.Vocabulary(commands=[voice_pb2.CommandDefinition(id="turn_left", phrases=["left"])])

    def requests():
        yield voice_pb2.RecognizeCommandsRequest(config=recognizer_config(only_yes, RATE, 1))
        for part in (silence(200), yes, silence(800)):
            yield voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=pcm16(part)))
        yield voice_pb2.RecognizeCommandsRequest(vocabulary=only_left)
        for part in (left, silence(800), yes, silence(800)):
            yield voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=pcm16(part)))

    results = results_of(stub.RecognizeCommands(requests(), timeout=CALL_TIMEOUT_S))
    assert [result.command_id for result in results] == ["confirm", "turn_left", ""]


def test_push_to_talk_spans_silence(stub, data_dir):
    yes = read_speech(data_dir, "commands/cmd_021.wav")
    left = read_speech(data_dir, "commands/cmd_025.wav")
    two_words = voice_pb2.Vocabulary(commands=[voice_pb2.CommandDefinition(id="both", phrases=["yes left"])])

    def requests():
        config = recognizer_config(two_words, RATE, 1, silence_ms=300, interim_results=True)
        yield voice_pb2.RecognizeCommandsRequest(config=config)
        yield voice_pb2.RecognizeCommandsRequest(push_to_talk=voice_pb2.PushToTalk(action=voice_pb2.PushToTalk.ACTION_START))
        # 900 ms of silence between the words would end a VAD utterance (300 ms).
        for part in (yes, silence(900), left):
            yield voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=pcm16(part)))
        yield voice_pb2.RecognizeCommandsRequest(push_to_talk=voice_pb2.PushToTalk(action=voice_pb2.PushToTalk.ACTION_END))

    responses = list(stub.RecognizeCommands(requests(), timeout=CALL_TIMEOUT_S))
    results = results_of(responses)
    assert len(results) == 1
    assert results[0].command_id == "both", results[0].transcript
    assert results[0].start_ms == 0
    # The window lasts about 2.9 s, so at least one interim hypothesis comes first.
    interims = [r.interim for r in responses if r.WhichOneof("message") == "interim"]
    assert interims
    assert "yes" in interims[0].transcript.lower()
    assert responses[-1].WhichOneof("message") == "result"


def test_grammar_engine(stub, data_dir):
    response = stub.RecognizeClip(
        clip_request(read_speech(data_dir, "commands/cmd_024.wav"), engine="grammar"), timeout=CALL_TIMEOUT_S
    )
    assert [result.command_id for result in response.results] == ["down"]
    assert response.results[0].timings.recognition_ms < 200


# ---------------------------------------------------------------------------
# bad input


def test_bad_input_other_stream_keeps_running(stub, data_dir):
    background = BackgroundStream(stub)
    background.send(np.concatenate([silence(200), read_speech(data_dir, "commands/cmd_019.wav"), silence(800)]))
    config = recognizer_config(ten_words(), RATE, 1)

    def audio(data: bytes):
        return voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=data))

    # Odd byte count for PCM16.
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: list(stub.RecognizeCommands(iter([voice_pb2.RecognizeCommandsRequest(config=config), audio(bytes(641))]))),
        "641 bytes",
        "multiple of 2",
    )
    # Unsupported sample rate.
    bad_rate = recognizer_config(ten_words(), 8000, 1)
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: list(stub.RecognizeCommands(iter([voice_pb2.RecognizeCommandsRequest(config=bad_rate)]))),
        "sample_rate_hz 8000",
        "48000",
    )
    # Audio before config.
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: list(stub.RecognizeCommands(iter([audio(bytes(640))]))),
        "first message is audio",
    )
    # Config repeated.
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: list(stub.RecognizeCommands(iter([voice_pb2.RecognizeCommandsRequest(config=config)] * 2))),
        "config was sent again",
    )
    # Chunk longer than 1 s.
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: list(stub.RecognizeCommands(iter([voice_pb2.RecognizeCommandsRequest(config=config), audio(bytes(2 * 17000))]))),
        "maximum of 1000 ms",
    )
    # Unsupported language and missing encoding.
    french = recognizer_config(ten_words(), RATE, 1)
    french.language = "fr-FR"
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: stub.RecognizeClip(voice_pb2.RecognizeClipRequest(config=french, audio=bytes(320))),
        "config.language",
        "en-US",
    )
    no_encoding = recognizer_config(ten_words(), RATE, 1)
    no_encoding.audio.encoding = voice_pb2.AUDIO_ENCODING_UNSPECIFIED
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: stub.RecognizeClip(voice_pb2.RecognizeClipRequest(config=no_encoding, audio=bytes(320))),
        "config.audio.encoding is AUDIO_ENCODING_UNSPECIFIED",
    )
    background.send(np.concatenate([read_speech(data_dir, "commands/cmd_030.wav"), silence(800)]))
    assert accepted(background.finish()) == ["stop", "go"]


@pytest.mark.parametrize(
    ("commands", "slots", "fragments"),
    [
        ([("a", ["go"]), ("a", ["stop"])], [], ("config.vocabulary", "'a' is duplicated")),
        ([("take", ["take the {thing}"])], [], ("command 'take'", "unknown slot '{thing}'")),
        ([("blank", [" "])], [], ("command 'blank'", "empty phrase")),
        ([("dial", ["dial #42"])], [], ("command 'dial'", "cannot be pronounced")),
        ([], [], ("no commands",)),
    ],
)
def test_invalid_vocabulary_rejected(stub, commands, slots, fragments):
    vocabulary = voice_pb2.Vocabulary(
        commands=[voice_pb2.CommandDefinition(id=command_id, phrases=phrases) for command_id, phrases in commands]
    )
    config = recognizer_config(vocabulary, RATE, 1)
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: list(stub.RecognizeCommands(iter([voice_pb2.RecognizeCommandsRequest(config=config)]))),
        *fragments,
    )


def test_grammar_rejects_unknown_word(stub):
    vocabulary = voice_pb2.Vocabulary(commands=[voice_pb2.CommandDefinition(id="magic", phrases=["say xyzzyq"])])
    config = recognizer_config(vocabulary, RATE, 1, engine="grammar")
    expect_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: stub.RecognizeClip(voice_pb2.RecognizeClipRequest(config=config, audio=bytes(3200))),
        "command 'magic'",
        "xyzzyq",
    )


@pytest.fixture(scope="module")
def one_stream_server():
    """A voice-only server that accepts a single stream, to observe slot release."""
    config = {
        "limits": {"max_streams": 1},
        "hands": {"enabled": False},
        "gestures": {"enabled": False},
        "objects": {"enabled": False},
        "voice": {"grammar_enabled": False},
    }
    process = start_server(config=config)
    yield process
    process.stop()


def test_disconnect_mid_utterance_frees_stream(one_stream_server, data_dir):
    speech = read_speech(data_dir, "commands/cmd_029.wav")
    with grpc.insecure_channel(one_stream_server.address) as channel:
        stub = voice_pb2_grpc.VoiceCommandsStub(channel)
        sent = threading.Event()
        release = threading.Event()

        def half_utterance():
            yield voice_pb2.RecognizeCommandsRequest(config=recognizer_config(ten_words(), RATE, 1))
            # The word without trailing silence: the utterance stays open.
            yield voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=pcm16(speech)))
            sent.set()
            release.wait(CALL_TIMEOUT_S)

        call = stub.RecognizeCommands(half_utterance(), timeout=CALL_TIMEOUT_S)
        first = next(call)
        assert first.utterance.type == voice_pb2.UtteranceEvent.TYPE_SPEECH_STARTED
        assert sent.is_set()

        # The only slot is taken: a second stream is refused.
        config = recognizer_config(ten_words(), RATE, 1)
        expect_error(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            lambda: list(stub.RecognizeCommands(iter([voice_pb2.RecognizeCommandsRequest(config=config)]), timeout=30)),
            "limit is 1",
        )

        call.cancel()
        release.set()
        # After the disconnect the slot is free again and a new stream works.
        deadline = time.monotonic() + 10
        while True:
            try:
                responses = stream_clip(stub, speech)
                break
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert accepted(responses) == ["stop"]
    assert "RecognizeCommands" in one_stream_server.log_text()


def test_disabled_engine_is_failed_precondition(one_stream_server):
    config = recognizer_config(ten_words(), RATE, 1, engine="grammar")
    with grpc.insecure_channel(one_stream_server.address) as channel:
        stub = voice_pb2_grpc.VoiceCommandsStub(channel)
        expect_error(
            grpc.StatusCode.FAILED_PRECONDITION,
            lambda: stub.RecognizeClip(voice_pb2.RecognizeClipRequest(config=config, audio=bytes(320)), timeout=30),
            "grammar engine is not available",
        )


def test_handshake_lists_voice_models(server):
    from vrperception.api.v1 import handshake_pb2, handshake_pb2_grpc

    with grpc.insecure_channel(server.address) as channel:
        response = handshake_pb2_grpc.HandshakeServiceStub(channel).Handshake(handshake_pb2.HandshakeRequest(), timeout=30)
    assert handshake_pb2.CAPABILITY_VOICE_COMMANDS in response.capabilities
    models = {model.name: model for model in response.models}
    assert models["whisper-tiny.en"].sha256 == "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
    assert models["silero-vad-v6"].sha256 == "4cbf549b8326f60f80f2536d9eefeb450a9abe83365a098031c89719f1be17d2"
    assert "pocketsphinx-en-us" in models
    assert 48000 in response.limits.audio_sample_rates_hz
