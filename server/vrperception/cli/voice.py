"""`vrperception voice`: stream a WAV file through RecognizeCommands and print the results."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

# Audio per streamed chunk, like a game engine's microphone callback.
CHUNK_MS = 20
# Silence appended after the file so the endpointer can close the last
# utterance the way it would on a live microphone.
TRAILING_SILENCE_MS = 600


def read_wav(path: str | Path) -> tuple[bytes, int, int]:
    """Read a 16-bit PCM WAV file; returns (frames as bytes, sample rate in Hz, channels).

    Raises ValueError with the file name for anything else (float, 24-bit or
    WAVE_FORMAT_EXTENSIBLE files, empty or truncated files, other formats).
    """
    try:
        with wave.open(str(path), "rb") as reader:
            if reader.getsampwidth() != 2:
                raise ValueError(f"{path}: {8 * reader.getsampwidth()}-bit samples; convert to 16-bit PCM WAV")
            frames = reader.readframes(reader.getnframes())
            frame_bytes = 2 * reader.getnchannels()
            # A truncated file can end mid-frame; drop the partial frame.
            return frames[: len(frames) - len(frames) % frame_bytes], reader.getframerate(), reader.getnchannels()
    except (wave.Error, EOFError) as error:
        raise ValueError(
            f"{path}: not a 16-bit PCM WAV file ({str(error) or 'empty or truncated'}); "
            "convert it, for example with: sox IN -b 16 -e signed-integer OUT.wav"
        ) from None


def recognizer_config(vocabulary, sample_rate_hz: int, channels: int, encoding: str = "pcm16le", **options):
    """Build a RecognizerConfig message.

    vocabulary: a voice_pb2.Vocabulary. options: engine ("whisper" or
    "grammar"), min_confidence, silence_ms, max_utterance_ms, interim_results.
    """
    from vrperception.api.v1 import voice_pb2

    engines = {
        None: voice_pb2.RECOGNIZER_ENGINE_UNSPECIFIED,
        "whisper": voice_pb2.RECOGNIZER_ENGINE_WHISPER,
        "grammar": voice_pb2.RECOGNIZER_ENGINE_GRAMMAR,
    }
    encodings = {"pcm16le": voice_pb2.AUDIO_ENCODING_PCM16LE, "float32le": voice_pb2.AUDIO_ENCODING_FLOAT32LE}
    return voice_pb2.RecognizerConfig(
        audio=voice_pb2.AudioFormat(sample_rate_hz=sample_rate_hz, encoding=encodings[encoding], channels=channels),
        language="en-US",
        vocabulary=vocabulary,
        endpointing=voice_pb2.Endpointing(
            silence_ms=options.get("silence_ms", 0), max_utterance_ms=options.get("max_utterance_ms", 0)
        ),
        engine=engines[options.get("engine")],
        min_confidence=options.get("min_confidence", 0.0),
        interim_results=options.get("interim_results", False),
    )


def vocabulary_to_proto(vocabulary):
    """Convert a vrperception.models.vocabulary.Vocabulary to a voice_pb2.Vocabulary."""
    from vrperception.api.v1 import voice_pb2

    return voice_pb2.Vocabulary(
        commands=[voice_pb2.CommandDefinition(id=command.id, phrases=list(command.phrases)) for command in vocabulary.commands],
        slot_types=[voice_pb2.SlotType(name=slot.name, values=list(slot.values)) for slot in vocabulary.slot_types],
    )


def stream_requests(config, audio: bytes, bytes_per_chunk: int, realtime_s_per_chunk: float = 0.0) -> Iterator:
    """Yield the config, then audio in chunks of bytes_per_chunk; sleep between chunks when realtime."""
    from vrperception.api.v1 import voice_pb2

    yield voice_pb2.RecognizeCommandsRequest(config=config)
    for offset in range(0, len(audio), bytes_per_chunk):
        yield voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=audio[offset : offset + bytes_per_chunk]))
        if realtime_s_per_chunk:
            time.sleep(realtime_s_per_chunk)


def result_to_dict(result) -> dict:
    """Plain dict of a CommandResult for JSON output."""
    return {
        "command_id": result.command_id,
        "slots": {slot.name: slot.value for slot in result.slots},
        "transcript": result.transcript,
        "confidence": round(result.confidence, 3),
        "start_ms": result.start_ms,
        "end_ms": result.end_ms,
        "alternatives": [
            {"command_id": alt.command_id, "confidence": round(alt.confidence, 3)} for alt in result.alternatives
        ],
        "rejection_reason": result.rejection_reason,
        "recognition_ms": round(result.timings.recognition_ms, 1),
        "end_of_speech_to_result_ms": round(result.timings.end_of_speech_to_result_ms, 1),
    }


def format_result(result) -> str:
    """Format a CommandResult as one human-readable line."""
    where = f"[{result.start_ms / 1000:7.2f}-{result.end_ms / 1000:7.2f} s]"
    if not result.command_id:
        return f"{where} rejected: {result.rejection_reason}"
    slots = " ".join(f"{slot.name}={slot.value}" for slot in result.slots)
    return f"{where} {result.command_id} {slots} ({result.confidence:.2f}) \"{result.transcript}\"".replace("  ", " ")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "voice",
        help="recognise voice commands in a WAV file through a running server",
        description=(
            "Stream a 16-bit PCM WAV file to RecognizeCommands in 20 ms chunks and print each "
            "recognised command (id, slots, transcript, offsets)."
        ),
    )
    parser.add_argument("audio", help="16-bit PCM WAV file, mono or stereo, 16/22.05/32/44.1/48 kHz")
    parser.add_argument("--vocabulary", required=True, help="vocabulary YAML file (format: docs/voice.md)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per result")
    parser.add_argument(
        "--realtime", action="store_true", help="pace chunks like a microphone (default: as fast as the server takes them)"
    )
    parser.add_argument("--engine", choices=("whisper", "grammar"), help="recogniser (default: the server's)")
    parser.add_argument("--min-confidence", type=float, default=0.0, help="reject matches below this, in (0, 1]")
    parser.add_argument("--address", default="127.0.0.1:50051", help="server address as HOST:PORT (default: 127.0.0.1:50051)")
    parser.set_defaults(handler=run, log_level="WARNING")


def run(args: argparse.Namespace) -> int:
    import grpc

    from vrperception.api.v1 import voice_pb2_grpc
    from vrperception.models.vocabulary import VocabularyError, load_vocabulary

    try:
        vocabulary = load_vocabulary(args.vocabulary)
        audio, rate, channels = read_wav(args.audio)
    except (OSError, ValueError, wave.Error) as error:
        print(f"vrperception voice: {error}", file=sys.stderr)
        return 2
    except VocabularyError as error:
        print(f"vrperception voice: {args.vocabulary}: {error}", file=sys.stderr)
        return 2

    frame_bytes = 2 * channels
    audio += bytes(frame_bytes * rate * TRAILING_SILENCE_MS // 1000)
    chunk_bytes = frame_bytes * rate * CHUNK_MS // 1000
    config = recognizer_config(
        vocabulary_to_proto(vocabulary), rate, channels, engine=args.engine, min_confidence=args.min_confidence
    )
    pace = CHUNK_MS / 1000 if args.realtime else 0.0
    found = 0
    with grpc.insecure_channel(args.address) as channel:
        stub = voice_pb2_grpc.VoiceCommandsStub(channel)
        try:
            responses = stub.RecognizeCommands(stream_requests(config, audio, chunk_bytes, pace))
            for response in responses:
                if response.WhichOneof("message") != "result":
                    continue
                result = response.result
                found += bool(result.command_id)
                print(json.dumps(result_to_dict(result)) if args.json else format_result(result), flush=True)
        except grpc.RpcError as error:
            print(f"vrperception voice: {error.code().name}: {error.details()}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            # The reader of the output (for example `head`) has exited; point
            # stdout at /dev/null so the interpreter's final flush stays quiet.
            responses.cancel()
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    if not found:
        print("vrperception voice: no command recognised", file=sys.stderr)
    return 0

