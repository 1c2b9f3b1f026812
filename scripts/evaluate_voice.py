#!/usr/bin/env python3
"""Evaluate voice-command recognition on real recordings and a synthetic set.

Each clip is padded with silence and streamed in 20 ms chunks through the
same per-stream pipeline the server runs (resampling, Silero VAD
endpointing, engine, phrase matching), in this process and without gRPC.

Real set: speech/labels.csv under the test data folder, with the ten-word
vocabulary. A one-word command counts as right when exactly one command is
accepted and it is the labelled word. Unknown words, sentences and noise
count as false accepts when any command is accepted.
Synthetic set: the folder written by scripts/synthesize_speech.py, with the
ten words and examples/vocabularies/game_scene.yaml together; slot phrases
also need the right slot values.

Prints accuracy, false-accept rate, real-time factor (recognition time over
audio duration) and end-of-speech to result latency percentiles.

With --server ADDRESS it also streams real one-word clips to a running
server through RecognizeCommands, paced like a microphone. It prints the
latency from the server's end-of-speech event to the result as the client
sees it, next to the server's own end_of_speech_to_result_ms.

Usage: python scripts/evaluate_voice.py [--engine whisper|grammar] [--synthetic DIR]
       [--beam-size N] [--cpu-threads N] [--data DIR] [--server HOST:PORT]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

from vrperception.media.audio import AudioEncoding  # noqa: E402
from vrperception.models.speech.pipeline import AudioSettings, CommandRecognizer, PendingUtterance  # noqa: E402
from vrperception.models.speech.vad import EndpointerSettings  # noqa: E402
from vrperception.models.vocabulary import (  # noqa: E402
    Vocabulary,
    compile_vocabulary,
    load_vocabulary,
)

CHUNK_MS = 20
LEADING_SILENCE_MS = 300
TRAILING_SILENCE_MS = 800
SAMPLE_RATE_HZ = 16000
VOCABULARY_DIR = REPO_ROOT / "examples" / "vocabularies"


@dataclass
class Tally:
    """Counts and timings of one group of clips."""

    clips: int = 0
    right: int = 0
    accepted: int = 0
    recognition_ms: list[float] = field(default_factory=list)
    latency_ms: list[float] = field(default_factory=list)
    audio_s: float = 0.0
    errors: list[str] = field(default_factory=list)


def read_clip(path: Path) -> np.ndarray:
    import wave

    with wave.open(str(path), "rb") as reader:
        if reader.getframerate() != SAMPLE_RATE_HZ or reader.getnchannels() != 1:
            raise ValueError(f"{path}: expected 16 kHz mono")
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768


def recognize_clip(engine, vocabulary, samples: np.ndarray, min_confidence: float):
    """Stream one clip through a fresh pipeline; returns the outcomes in order."""
    recognizer = CommandRecognizer(
        engine,
        vocabulary,
        AudioSettings(SAMPLE_RATE_HZ, AudioEncoding.FLOAT32LE, 1),
        EndpointerSettings(),
        min_confidence,
    )
    lead = np.zeros(SAMPLE_RATE_HZ * LEADING_SILENCE_MS // 1000, dtype=np.float32)
    tail = np.zeros(SAMPLE_RATE_HZ * TRAILING_SILENCE_MS // 1000, dtype=np.float32)
    audio = np.concatenate([lead, samples, tail])
    step = SAMPLE_RATE_HZ * CHUNK_MS // 1000
    events = []
    for offset in range(0, len(audio), step):
        events.extend(recognizer.feed(audio[offset : offset + step]))
    events.extend(recognizer.finish())
    outcomes = []
    for event in events:
        if isinstance(event, PendingUtterance):
            outcomes.extend(recognizer.recognize(event))
    recognizer.close()
    return outcomes


def score(tally: Tally, outcomes, expected: str, expected_slots: str, duration_s: float, name: str) -> None:
    accepted = [outcome for outcome in outcomes if outcome.match.accepted]
    tally.clips += 1
    tally.audio_s += duration_s
    tally.accepted += bool(accepted)
    for outcome in outcomes:
        tally.recognition_ms.append(outcome.recognition_ms + outcome.matching_ms)
        tally.latency_ms.append(outcome.end_of_speech_to_result_ms)
    if expected:
        slots = ";".join(f"{slot}={value}" for slot, value in accepted[0].match.slots) if len(accepted) == 1 else None
        if len(accepted) == 1 and accepted[0].match.command_id == expected and slots == expected_slots:
            tally.right += 1
            return
    elif not accepted:
        tally.right += 1
        return
    transcripts = [(outcome.match.transcript, outcome.match.command_id) for outcome in outcomes]
    tally.errors.append(f"{name}: expected {expected or 'no command'} {expected_slots}, got {transcripts}")


def evaluate_real(engine, data_dir: Path, min_confidence: float) -> dict[str, Tally]:
    vocabulary = compile_vocabulary(load_vocabulary(VOCABULARY_DIR / "ten_words.yaml"), engine.unknown_words)
    tallies: dict[str, Tally] = defaultdict(Tally)
    with (data_dir / "speech" / "labels.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        samples = read_clip(data_dir / row["file"])
        expected = row["text"] if row["category"] == "command" else ""
        outcomes = recognize_clip(engine, vocabulary, samples, min_confidence)
        if expected:
            group = "command"
        elif row["category"] in ("noise", "silence"):
            group = "noise"
        else:
            group = "out_of_vocabulary"
        score(tallies[group], outcomes, expected, "", len(samples) / SAMPLE_RATE_HZ, row["file"])
    return tallies


def combined_vocabulary(engine):
    ten = load_vocabulary(VOCABULARY_DIR / "ten_words.yaml")
    scene = load_vocabulary(VOCABULARY_DIR / "game_scene.yaml")
    merged = Vocabulary(ten.commands + scene.commands, ten.slot_types + scene.slot_types)
    return compile_vocabulary(merged, engine.unknown_words)


def evaluate_synthetic(engine, folder: Path, min_confidence: float) -> dict[str, Tally]:
    vocabulary = combined_vocabulary(engine)
    tallies: dict[str, Tally] = defaultdict(Tally)
    with (folder / "labels.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        samples = read_clip(folder / row["file"])
        outcomes = recognize_clip(engine, vocabulary, samples, min_confidence)
        condition = f"snr{row['snr_db']}" if row["snr_db"] else "clean"
        score(
            tallies[f"{row['kind']} {condition}"],
            outcomes,
            row["command"],
            row["slots"],
            len(samples) / SAMPLE_RATE_HZ,
            row["file"],
        )
    return tallies


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def report(title: str, tallies: dict[str, Tally], show_errors: bool) -> None:
    print(f"\n## {title}")
    print(f"{'group':32s} {'clips':>5s} {'right':>6s} {'accepted':>8s} {'RTF':>6s} {'p50 ms':>7s} {'p90 ms':>7s}")
    for group in sorted(tallies):
        tally = tallies[group]
        rtf = sum(tally.recognition_ms) / 1000 / tally.audio_s if tally.audio_s else float("nan")
        print(
            f"{group:32s} {tally.clips:5d} {100 * tally.right / tally.clips:5.1f}% "
            f"{100 * tally.accepted / tally.clips:7.1f}% {rtf:6.3f} "
            f"{percentile(tally.latency_ms, 50):7.0f} {percentile(tally.latency_ms, 90):7.0f}"
        )
    if show_errors:
        for group in sorted(tallies):
            for error in tallies[group].errors:
                print(f"  miss [{group}] {error}")


def measure_server_latency(address: str, data_dir: Path, clip_count: int) -> None:
    """Stream clip_count real command clips in real time; print end-of-speech to result latency."""
    import grpc

    from vrperception.api.v1 import voice_pb2, voice_pb2_grpc
    from vrperception.cli.voice import recognizer_config, vocabulary_to_proto
    from vrperception.media.audio import encode_samples

    with (data_dir / "speech" / "labels.csv").open() as handle:
        rows = [row for row in csv.DictReader(handle) if row["category"] == "command"][:clip_count]
    vocabulary = vocabulary_to_proto(load_vocabulary(VOCABULARY_DIR / "ten_words.yaml"))
    silence = np.zeros(SAMPLE_RATE_HZ * TRAILING_SILENCE_MS // 1000, dtype=np.float32)
    audio = np.concatenate([np.concatenate([read_clip(data_dir / row["file"]), silence]) for row in rows])
    data = encode_samples(audio, AudioEncoding.PCM16LE)
    chunk_bytes = 2 * SAMPLE_RATE_HZ * CHUNK_MS // 1000

    def requests():
        yield voice_pb2.RecognizeCommandsRequest(config=recognizer_config(vocabulary, SAMPLE_RATE_HZ, 1))
        started = time.perf_counter()
        for index, offset in enumerate(range(0, len(data), chunk_bytes)):
            # Pace by the clock rather than by sleeping a fixed time per chunk.
            delay = started + index * CHUNK_MS / 1000 - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            yield voice_pb2.RecognizeCommandsRequest(audio=voice_pb2.AudioChunk(data=data[offset : offset + chunk_bytes]))

    client_ms, server_ms, right = [], [], 0
    ended_at = None
    expected = iter(row["text"] for row in rows)
    with grpc.insecure_channel(address) as channel:
        stub = voice_pb2_grpc.VoiceCommandsStub(channel)
        for response in stub.RecognizeCommands(requests()):
            kind = response.WhichOneof("message")
            if kind == "utterance" and response.utterance.type == voice_pb2.UtteranceEvent.TYPE_SPEECH_ENDED:
                ended_at = time.perf_counter()
            elif kind == "result":
                if ended_at is not None:
                    client_ms.append(1000 * (time.perf_counter() - ended_at))
                server_ms.append(response.result.timings.end_of_speech_to_result_ms)
                want = next(expected, None)
                if response.result.command_id == want:
                    right += 1
                else:
                    print(f"  miss: expected {want}, got {response.result.command_id or 'nothing'} "
                          f"({response.result.transcript!r})")
    print(f"\n## server {address}: {len(rows)} real clips streamed in real time, 20 ms chunks")
    print(f"results {len(server_ms)}, right {right}")
    print(f"end of speech -> result, client side: p50 {percentile(client_ms, 50):.0f} ms, p90 {percentile(client_ms, 90):.0f} ms")
    print(f"end of speech -> result, server timing: p50 {percentile(server_ms, 50):.0f} ms, p90 {percentile(server_ms, 90):.0f} ms")


def load_engine(name: str, beam_size: int, cpu_threads: int):
    if name == "grammar":
        from vrperception.models.speech.grammar import GrammarEngine

        return GrammarEngine()
    from vrperception.models.speech.whisper import WhisperEngine

    return WhisperEngine(cpu_threads=cpu_threads, beam_size=beam_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("whisper", "grammar"), default="whisper")
    parser.add_argument("--beam-size", type=int, default=1, help="Whisper beam size (default 1, greedy)")
    parser.add_argument("--cpu-threads", type=int, default=2, help="threads per Whisper call (default 2)")
    parser.add_argument("--min-confidence", type=float, default=0.8, help="match threshold (default 0.8)")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("VRPERCEPTION_DATA", REPO_ROOT.parent / "shared" / "data")),
        help="test data folder with speech/labels.csv (default: $VRPERCEPTION_DATA or ../shared/data)",
    )
    parser.add_argument("--synthetic", type=Path, help="folder from scripts/synthesize_speech.py")
    parser.add_argument("--errors", action="store_true", help="list every wrong clip")
    parser.add_argument("--server", metavar="HOST:PORT", help="also measure latency through this running server")
    parser.add_argument("--server-clips", type=int, default=10, help="real clips streamed to --server (default 10)")
    parser.add_argument("--skip-local", action="store_true", help="only run the --server measurement")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.server:
        measure_server_latency(args.server, args.data, args.server_clips)
    if args.skip_local:
        return 0
    engine = load_engine(args.engine, args.beam_size, args.cpu_threads)
    print(f"engine {args.engine} (beam {args.beam_size}, {args.cpu_threads} threads) loaded in "
          f"{time.perf_counter() - started:.2f} s; {os.cpu_count()} CPUs")
    report(f"real recordings ({args.data / 'speech'})", evaluate_real(engine, args.data, args.min_confidence), args.errors)
    if args.synthetic:
        report(f"synthetic ({args.synthetic})", evaluate_synthetic(engine, args.synthetic, args.min_confidence), args.errors)
    print(f"\ntotal time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
