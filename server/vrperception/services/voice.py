"""VoiceCommands servicer: RecognizeCommands (streaming) and RecognizeClip.

Speech recognition is CPU-heavy (hundreds of ms an utterance with Whisper),
so it runs on this service's own small thread pool, not on the hand-tracking
workers. Audio decoding, resampling and VAD run on a second single thread so
that endpointing keeps up while an utterance is being recognised.

Per stream, a reader task turns requests into endpointer events and queues
finished utterances. A recogniser task recognises them one at a time, in
order. The RPC yields both tasks' responses from one queue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, AsyncIterator

import grpc

from vrperception.api.v1 import voice_pb2, voice_pb2_grpc
from vrperception.errors import FailedPrecondition, InvalidArgument, PerceptionError
from vrperception.media.audio import (
    ENGINE_RATE_HZ,
    MAX_CHUNK_MS,
    SUPPORTED_RATES_HZ,
    AudioEncoding,
    AudioFormatError,
    check_format,
    chunk_duration_ms,
)
from vrperception.models.speech.engine import EngineUnavailable, SpeechEngine
from vrperception.models.speech.pipeline import AudioSettings, CommandOutcome, CommandRecognizer, PendingUtterance
from vrperception.models.speech.vad import (
    DEFAULT_MAX_UTTERANCE_MS,
    DEFAULT_SILENCE_MS,
    MAX_SILENCE_MS,
    MAX_UTTERANCE_LIMIT_MS,
    MIN_SILENCE_MS,
    EndpointerSettings,
    SpeechStarted,
    vad_model_sha256,
)
from vrperception.models.vocabulary import (
    CommandDefinition,
    CompiledVocabulary,
    SlotType,
    Vocabulary,
    VocabularyError,
    compile_vocabulary,
)
from vrperception.services.common import map_errors, map_stream_errors, next_stream_id
from vrperception.services.registry import ServiceBinding

logger = logging.getLogger(__name__)

SERVICE_NAME = "vrperception.v1.VoiceCommands"
RPC_STREAM = "RecognizeCommands"
RPC_CLIP = "RecognizeClip"
SUPPORTED_LANGUAGES = ("en-us", "en")
MIN_UTTERANCE_MS = 500
# Samples fed to the endpointer per step when a whole clip is recognised.
CLIP_STEP_MS = 1000
# One second of silence recognised at start-up so the first request does
# not pay for CTranslate2's lazy initialisation.
WARM_UP_SAMPLES = 16000

_ENCODINGS = {
    voice_pb2.AUDIO_ENCODING_PCM16LE: AudioEncoding.PCM16LE,
    voice_pb2.AUDIO_ENCODING_FLOAT32LE: AudioEncoding.FLOAT32LE,
}
_ENGINES = {
    voice_pb2.RECOGNIZER_ENGINE_WHISPER: "whisper",
    voice_pb2.RECOGNIZER_ENGINE_GRAMMAR: "grammar",
}


@dataclass(frozen=True)
class StreamSettings:
    """A validated RecognizerConfig."""

    audio: AudioSettings
    engine: SpeechEngine
    vocabulary: CompiledVocabulary
    endpointing: EndpointerSettings
    min_confidence: float
    interim_results: bool


# ---------------------------------------------------------------------------
# Request validation and translation


def vocabulary_from_proto(message: voice_pb2.Vocabulary) -> Vocabulary:
    """Copy a Vocabulary message into the domain type (validation happens on compile)."""
    commands = tuple(CommandDefinition(command.id, tuple(command.phrases)) for command in message.commands)
    slot_types = tuple(SlotType(slot.name, tuple(slot.values)) for slot in message.slot_types)
    return Vocabulary(commands, slot_types)


def compile_for_engine(message: voice_pb2.Vocabulary, engine: SpeechEngine, field: str) -> CompiledVocabulary:
    """Validate a vocabulary for engine; raises InvalidArgument naming field and the problem."""
    try:
        return compile_vocabulary(vocabulary_from_proto(message), engine.unknown_words)
    except VocabularyError as error:
        raise InvalidArgument(f"{field}: {error}") from error


def _enum_name(enum_type, value: int) -> str:
    try:
        return enum_type.Name(value)
    except ValueError:
        return str(value)


def parse_audio_format(message: voice_pb2.AudioFormat) -> AudioSettings:
    """Validate config.audio; channels 0 means mono."""
    encoding = _ENCODINGS.get(message.encoding)
    if encoding is None:
        name = _enum_name(voice_pb2.AudioEncoding, message.encoding)
        raise InvalidArgument(
            f"config.audio.encoding is {name}; use AUDIO_ENCODING_PCM16LE or AUDIO_ENCODING_FLOAT32LE"
        )
    channels = message.channels or 1
    try:
        check_format(message.sample_rate_hz, channels)
    except AudioFormatError as error:
        raise InvalidArgument(f"config.audio: {error}") from error
    return AudioSettings(message.sample_rate_hz, encoding, channels)


def parse_endpointing(message: voice_pb2.Endpointing) -> EndpointerSettings:
    """Validate config.endpointing; 0 selects each default."""
    silence_ms = message.silence_ms or DEFAULT_SILENCE_MS
    if not MIN_SILENCE_MS <= silence_ms <= MAX_SILENCE_MS:
        raise InvalidArgument(
            f"config.endpointing.silence_ms is {silence_ms}; use {MIN_SILENCE_MS} to {MAX_SILENCE_MS} "
            f"(0 means {DEFAULT_SILENCE_MS})"
        )
    max_utterance_ms = message.max_utterance_ms or DEFAULT_MAX_UTTERANCE_MS
    if not MIN_UTTERANCE_MS <= max_utterance_ms <= MAX_UTTERANCE_LIMIT_MS:
        raise InvalidArgument(
            f"config.endpointing.max_utterance_ms is {max_utterance_ms}; use {MIN_UTTERANCE_MS} to "
            f"{MAX_UTTERANCE_LIMIT_MS} (0 means {DEFAULT_MAX_UTTERANCE_MS})"
        )
    return EndpointerSettings(silence_ms, max_utterance_ms)


# ---------------------------------------------------------------------------
# Responses


def _slots_to_proto(slots: tuple[tuple[str, str], ...]) -> list[voice_pb2.SlotValue]:
    return [voice_pb2.SlotValue(name=name, value=value) for name, value in slots]


def result_to_proto(outcome: CommandOutcome) -> voice_pb2.CommandResult:
    """Translate one utterance's outcome to a CommandResult."""
    match = outcome.match
    return voice_pb2.CommandResult(
        command_id=match.command_id,
        slots=_slots_to_proto(match.slots),
        transcript=match.transcript,
        confidence=match.confidence,
        alternatives=[
            voice_pb2.CommandAlternative(
                command_id=alternative.command_id,
                slots=_slots_to_proto(alternative.slots),
                confidence=alternative.confidence,
            )
            for alternative in match.alternatives
        ],
        start_ms=outcome.start_ms,
        end_ms=outcome.end_ms,
        timings=voice_pb2.VoiceTimings(
            recognition_ms=outcome.recognition_ms,
            matching_ms=outcome.matching_ms,
            end_of_speech_to_result_ms=outcome.end_of_speech_to_result_ms,
        ),
        rejection_reason=match.rejection_reason,
    )


def _utterance_event(kind: int, offset_ms: int) -> voice_pb2.RecognizeCommandsResponse:
    return voice_pb2.RecognizeCommandsResponse(
        utterance=voice_pb2.UtteranceEvent(type=kind, offset_ms=offset_ms)
    )


# ---------------------------------------------------------------------------
# Servicer


class VoiceCommandsServicer(voice_pb2_grpc.VoiceCommandsServicer):
    """Recognises commands with the engines loaded at start-up."""

    def __init__(self, app: Any, engines: dict[str, SpeechEngine], engine_errors: dict[str, str]):
        self.app = app
        self.section = app.config.voice
        self.engines = engines
        self.engine_errors = engine_errors
        self.audio_executor = ThreadPoolExecutor(1, thread_name_prefix="voice-audio")
        self.recognition_executor = ThreadPoolExecutor(
            self.section.recognition_threads, thread_name_prefix="voice-asr"
        )

    def close(self) -> None:
        """Stop the voice thread pools."""
        self.audio_executor.shutdown(wait=False, cancel_futures=True)
        self.recognition_executor.shutdown(wait=False, cancel_futures=True)

    # -- config --------------------------------------------------------------

    def parse_config(self, config: voice_pb2.RecognizerConfig) -> StreamSettings:
        """Validate a RecognizerConfig; raises InvalidArgument or FailedPrecondition."""
        language = config.language.strip().lower()
        if language and language not in SUPPORTED_LANGUAGES:
            raise InvalidArgument(f"config.language is {config.language!r}; only 'en-US' is supported (empty means en-US)")
        audio = parse_audio_format(config.audio)
        engine = self._engine(config.engine)
        endpointing = parse_endpointing(config.endpointing)
        min_confidence = config.min_confidence or self.section.default_min_confidence
        if not 0.0 < min_confidence <= 1.0:
            raise InvalidArgument(
                f"config.min_confidence is {config.min_confidence}; use a value in (0, 1], "
                f"or 0 for the default {self.section.default_min_confidence}"
            )
        vocabulary = compile_for_engine(config.vocabulary, engine, "config.vocabulary")
        return StreamSettings(audio, engine, vocabulary, endpointing, float(min_confidence), config.interim_results)

    def _engine(self, value: int) -> SpeechEngine:
        if value == voice_pb2.RECOGNIZER_ENGINE_UNSPECIFIED:
            name = self.section.default_engine
        elif value in _ENGINES:
            name = _ENGINES[value]
        else:
            raise InvalidArgument(f"config.engine is {value}; use RECOGNIZER_ENGINE_WHISPER or RECOGNIZER_ENGINE_GRAMMAR")
        engine = self.engines.get(name)
        if engine is None:
            reason = self.engine_errors.get(name, "disabled in the server config")
            raise FailedPrecondition(f"the {name} engine is not available on this server: {reason}")
        return engine

    def _new_recognizer(self, settings: StreamSettings) -> CommandRecognizer:
        return CommandRecognizer(
            settings.engine, settings.vocabulary, settings.audio, settings.endpointing, settings.min_confidence
        )

    # -- unary ---------------------------------------------------------------

    @map_errors
    async def RecognizeClip(
        self, request: voice_pb2.RecognizeClipRequest, context: grpc.aio.ServicerContext
    ) -> voice_pb2.RecognizeClipResponse:
        settings = self.parse_config(request.config)
        loop = asyncio.get_running_loop()
        recognizer = await loop.run_in_executor(self.audio_executor, self._new_recognizer, settings)
        try:
            pending = await loop.run_in_executor(self.audio_executor, self._segment_clip, recognizer, request.audio)
            results = []
            for item in pending:
                outcomes = await loop.run_in_executor(self.recognition_executor, recognizer.recognize, item)
                results.extend(result_to_proto(outcome) for outcome in outcomes)
        finally:
            recognizer.close()
        logger.info("%s from %s: %d utterance(s) in %d bytes", RPC_CLIP, context.peer(), len(results), len(request.audio))
        return voice_pb2.RecognizeClipResponse(results=results)

    @staticmethod
    def _segment_clip(recognizer: CommandRecognizer, data: bytes) -> list[PendingUtterance]:
        audio = recognizer.audio
        frame_bytes = audio.encoding.sample_bytes * audio.channels
        step = frame_bytes * audio.sample_rate_hz * CLIP_STEP_MS // 1000
        if len(data) % frame_bytes:
            raise InvalidArgument(
                f"audio: {len(data)} bytes is not a whole number of frames; {audio.encoding.value} with "
                f"{audio.channels} channel(s) needs a multiple of {frame_bytes} bytes"
            )
        events: list = []
        try:
            for offset in range(0, len(data), step):
                events.extend(recognizer.feed_bytes(data[offset : offset + step]))
        except AudioFormatError as error:
            raise InvalidArgument(f"audio: {error}") from error
        events.extend(recognizer.finish())
        return [event for event in events if isinstance(event, PendingUtterance)]

    # -- streaming -----------------------------------------------------------

    @map_stream_errors
    async def RecognizeCommands(
        self, request_iterator: AsyncIterator[voice_pb2.RecognizeCommandsRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[voice_pb2.RecognizeCommandsResponse]:
        stream_id = next_stream_id(RPC_STREAM)
        peer = context.peer()
        try:
            first = await request_iterator.__anext__()
        except StopAsyncIteration:
            logger.info("%s %s from %s closed before sending a config", RPC_STREAM, stream_id, peer)
            return
        kind = first.WhichOneof("message")
        if kind != "config":
            raise InvalidArgument(
                f"{RPC_STREAM}: the first message is {kind or 'empty'}; send a RecognizerConfig "
                "(the config field) first, then audio"
            )
        settings = self.parse_config(first.config)
        self.app.streams.acquire(RPC_STREAM)
        logger.info(
            "%s %s opened by %s: engine %s, %d Hz %s x%d, %d phrases",
            RPC_STREAM, stream_id, peer, settings.engine.name, settings.audio.sample_rate_hz,
            settings.audio.encoding.value, settings.audio.channels, len(settings.vocabulary.phrases),
        )
        stream = _VoiceStream(self, settings, stream_id)
        try:
            await stream.start()
            async for response in stream.run(request_iterator):
                yield response
        finally:
            stream.close()
            self.app.streams.release()
            logger.info("%s %s from %s closed: %d utterance(s) recognised", RPC_STREAM, stream_id, peer, stream.results)


class _VoiceStream:
    """Tasks and queues of one RecognizeCommands call."""

    _END = object()

    def __init__(self, servicer: VoiceCommandsServicer, settings: StreamSettings, stream_id: str):
        self.servicer = servicer
        self.settings = settings
        self.stream_id = stream_id
        self.recognizer: CommandRecognizer | None = None
        self.responses: asyncio.Queue = asyncio.Queue()
        # NOTE: unbounded. When speech arrives faster than it is recognised
        # for a long time, finished utterances (at most 30 s of audio each)
        # wait here in order rather than being dropped.
        self.jobs: asyncio.Queue = asyncio.Queue()
        self.tasks: list[asyncio.Task] = []
        self.inflight: asyncio.Future | None = None
        self.results = 0
        self._interim_pending = False
        self._interim_next_ms = 0

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.recognizer = await loop.run_in_executor(
            self.servicer.audio_executor, self.servicer._new_recognizer, self.settings
        )

    async def run(self, request_iterator: AsyncIterator) -> AsyncIterator[voice_pb2.RecognizeCommandsResponse]:
        self.tasks = [
            asyncio.create_task(self._read(request_iterator)),
            asyncio.create_task(self._recognize()),
        ]
        while True:
            item = await self.responses.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        recognizer = self.recognizer
        if recognizer is None:
            return
        # A recognition already running on a pool thread still uses the
        # decoder; free it when that call returns.
        if self.inflight is not None and not self.inflight.done():
            self.inflight.add_done_callback(lambda _future: recognizer.close())
        else:
            recognizer.close()

    # -- reader --------------------------------------------------------------

    async def _read(self, request_iterator: AsyncIterator) -> None:
        try:
            async for request in request_iterator:
                await self._handle(request)
            await self._apply(self.recognizer.finish)
            await self.jobs.put(self._END)
        except asyncio.CancelledError:
            raise
        except PerceptionError as error:
            await self.responses.put(error)
        except Exception as error:  # noqa: BLE001 - re-raised by run() and mapped to INTERNAL
            logger.exception("%s %s: reading the request stream failed", RPC_STREAM, self.stream_id)
            await self.responses.put(error)

    async def _handle(self, request: voice_pb2.RecognizeCommandsRequest) -> None:
        kind = request.WhichOneof("message")
        recognizer = self.recognizer
        if kind == "audio":
            self._check_chunk(request.audio.data)
            await self._apply(recognizer.feed_bytes, request.audio.data)
            self._maybe_interim()
        elif kind == "push_to_talk":
            action = request.push_to_talk.action
            if action == voice_pb2.PushToTalk.ACTION_START:
                await self._apply(recognizer.start_push_to_talk)
            elif action == voice_pb2.PushToTalk.ACTION_END:
                await self._apply(recognizer.end_push_to_talk)
            else:
                raise InvalidArgument("push_to_talk.action is unspecified; use ACTION_START or ACTION_END")
        elif kind == "vocabulary":
            vocabulary = compile_for_engine(request.vocabulary, self.settings.engine, "vocabulary")
            recognizer.replace_vocabulary(vocabulary)
            logger.info("%s %s: vocabulary replaced (%d phrases)", RPC_STREAM, self.stream_id, len(vocabulary.phrases))
        elif kind == "config":
            raise InvalidArgument(f"{RPC_STREAM}: config was sent again mid-stream; send it only as the first message")
        else:
            raise InvalidArgument(f"{RPC_STREAM}: a message with no field set was sent; set audio, push_to_talk or vocabulary")

    def _check_chunk(self, data: bytes) -> None:
        audio = self.settings.audio
        frame_bytes = audio.encoding.sample_bytes * audio.channels
        if len(data) % frame_bytes:
            raise InvalidArgument(
                f"audio.data has {len(data)} bytes, not a whole number of frames: {audio.encoding.value} "
                f"with {audio.channels} channel(s) needs a multiple of {frame_bytes} bytes"
            )
        duration_ms = chunk_duration_ms(len(data), audio.encoding, audio.channels, audio.sample_rate_hz)
        if duration_ms > MAX_CHUNK_MS:
            raise InvalidArgument(
                f"audio.data is {duration_ms:.0f} ms of audio, longer than the maximum of {MAX_CHUNK_MS} ms; split it into smaller chunks"
            )

    async def _apply(self, method, *args) -> None:
        loop = asyncio.get_running_loop()
        try:
            events = await loop.run_in_executor(self.servicer.audio_executor, method, *args)
        except AudioFormatError as error:
            raise InvalidArgument(f"audio.data: {error}") from error
        for event in events:
            if isinstance(event, SpeechStarted):
                await self.responses.put(_utterance_event(voice_pb2.UtteranceEvent.TYPE_SPEECH_STARTED, event.offset_ms))
                self._interim_next_ms = event.offset_ms + self.servicer.section.interim_interval_ms
            else:
                await self.responses.put(
                    _utterance_event(voice_pb2.UtteranceEvent.TYPE_SPEECH_ENDED, event.utterance.end_ms)
                )
                await self.jobs.put(event)

    def _maybe_interim(self) -> None:
        recognizer = self.recognizer
        if not self.settings.interim_results or not recognizer.in_utterance or self._interim_pending:
            return
        if recognizer.offset_ms < self._interim_next_ms:
            return
        self._interim_pending = True
        self._interim_next_ms = recognizer.offset_ms + self.servicer.section.interim_interval_ms
        self.jobs.put_nowait(("interim", recognizer.current_audio(), recognizer.offset_ms))

    # -- recogniser ----------------------------------------------------------

    async def _recognize(self) -> None:
        loop = asyncio.get_running_loop()
        executor = self.servicer.recognition_executor
        try:
            while True:
                job = await self.jobs.get()
                if job is self._END:
                    await self.responses.put(self._END)
                    return
                if isinstance(job, tuple):
                    _, samples, offset_ms = job
                    self.inflight = loop.run_in_executor(executor, self.recognizer.transcribe_partial, samples)
                    text = await self.inflight
                    self._interim_pending = False
                    if text:
                        start_ms = max(0, offset_ms - int(1000 * len(samples) / ENGINE_RATE_HZ))
                        await self.responses.put(
                            voice_pb2.RecognizeCommandsResponse(
                                interim=voice_pb2.InterimHypothesis(transcript=text, start_ms=start_ms)
                            )
                        )
                    continue
                self.inflight = loop.run_in_executor(executor, self.recognizer.recognize, job)
                for outcome in await self.inflight:
                    self.results += 1
                    logger.debug(
                        "%s %s: %r -> %r (%.2f) in %.0f ms",
                        RPC_STREAM, self.stream_id, outcome.match.transcript, outcome.match.command_id,
                        outcome.match.confidence, outcome.recognition_ms,
                    )
                    await self.responses.put(voice_pb2.RecognizeCommandsResponse(result=result_to_proto(outcome)))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - re-raised by run() and mapped to INTERNAL
            logger.exception("%s %s: recognition failed", RPC_STREAM, self.stream_id)
            await self.responses.put(error)


# ---------------------------------------------------------------------------
# Assembly


def load_engines(section: Any) -> tuple[dict[str, SpeechEngine], dict[str, str]]:
    """Load the configured engines; returns them and why any failed to load."""
    engines: dict[str, SpeechEngine] = {}
    errors: dict[str, str] = {}
    try:
        from vrperception.models.speech.whisper import WhisperEngine

        engine = WhisperEngine(
            cpu_threads=section.whisper_cpu_threads,
            workers=section.recognition_threads,
            beam_size=section.whisper_beam_size,
        )
        started = time.perf_counter()
        engine.transcribe(_silence(), "yes, no.", 8)
        logger.info("warmed up Whisper in %.2f s", time.perf_counter() - started)
        engines["whisper"] = engine
    except (EngineUnavailable, ImportError) as error:
        logger.error("Whisper engine unavailable: %s", error)
        errors["whisper"] = str(error)
    if section.grammar_enabled:
        try:
            from vrperception.models.speech.grammar import GrammarEngine

            engines["grammar"] = GrammarEngine()
        except (EngineUnavailable, ImportError) as error:
            logger.error("grammar engine unavailable: %s", error)
            errors["grammar"] = str(error)
    return engines, errors


def _silence():
    import numpy as np

    return np.zeros(WARM_UP_SAMPLES, dtype=np.float32)


def describe_models(engines: dict[str, SpeechEngine]) -> list[dict[str, str]]:
    """Model descriptions for the handshake: each engine plus the Silero VAD."""
    from importlib import metadata

    models = []
    for engine in engines.values():
        info = engine.info()
        models.append(
            {"name": info.name, "task": info.task, "version": info.version, "source": info.source, "sha256": info.sha256}
        )
    if engines:
        models.append(
            {
                "name": "silero-vad-v6",
                "task": "voice_activity_detection",
                "version": f"faster-whisper {metadata.version('faster-whisper')}",
                "source": "faster_whisper/assets/silero_vad_v6.onnx",
                "sha256": vad_model_sha256(),
            }
        )
    return models


def create(app: Any) -> ServiceBinding:
    """Load the voice engines and build the VoiceCommands binding."""
    section = app.config.voice
    if not section.enabled:
        engines, errors = {}, {"whisper": "voice.enabled is false", "grammar": "voice.enabled is false"}
        logger.info("voice commands disabled by config")
    else:
        engines, errors = load_engines(section)
    servicer = VoiceCommandsServicer(app, engines, errors)
    serving = section.default_engine in engines
    return ServiceBinding(
        name=SERVICE_NAME,
        servicer=servicer,
        add_to_server=voice_pb2_grpc.add_VoiceCommandsServicer_to_server,
        capabilities=["VOICE_COMMANDS"] if serving else [],
        models=describe_models(engines),
        serving=serving,
        close=servicer.close,
    )


__all__ = ["SERVICE_NAME", "SUPPORTED_RATES_HZ", "VoiceCommandsServicer", "create"]
