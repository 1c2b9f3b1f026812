"""Server configuration: a validated, frozen dataclass loaded once at start-up.

Sources, later ones win: defaults, the YAML config file (``--config``), then
command-line flags. Each area has its own section, for example::

    port: 50051
    workers: 2
    hands:
      model_complexity: 1
    gestures:
      model_path: my_gestures.pt
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

# A 1920x1080 RGBA frame is the largest raw frame the default limits admit.
FULL_HD_RGBA_BYTES = 1920 * 1080 * 4
# Room for the other fields of a request around the frame bytes.
MESSAGE_OVERHEAD_BYTES = 1 << 20


class ConfigError(ValueError):
    """An invalid configuration value; the message names the key and the fix."""


@dataclass(frozen=True)
class LimitsConfig:
    max_frame_bytes: int = FULL_HD_RGBA_BYTES
    # Decoded images larger than this in either dimension are rejected,
    # before decoding for JPEG and PNG.
    max_width: int = 4096
    max_height: int = 4096
    max_streams: int = 16
    max_hands: int = 4
    # Unary calls that may wait for each model worker; more are rejected
    # with RESOURCE_EXHAUSTED rather than delaying every stream.
    max_queued_calls_per_worker: int = 4
    # A Track* stream that sends no frame for this long is ended with
    # DEADLINE_EXCEEDED, so idle clients cannot hold every stream slot.
    stream_idle_timeout_s: float = 120.0

    @property
    def max_message_bytes(self) -> int:
        return self.max_frame_bytes + MESSAGE_OVERHEAD_BYTES

    def validate(self) -> None:
        _require_positive("limits.max_frame_bytes", self.max_frame_bytes)
        _require_positive("limits.max_width", self.max_width)
        _require_positive("limits.max_height", self.max_height)
        _require_positive("limits.max_streams", self.max_streams)
        _require_positive("limits.max_hands", self.max_hands)
        _require_positive("limits.max_queued_calls_per_worker", self.max_queued_calls_per_worker)
        if not self.stream_idle_timeout_s > 0:
            raise ConfigError(f"limits.stream_idle_timeout_s is {self.stream_idle_timeout_s}; use a positive number of seconds")


@dataclass(frozen=True)
class HandsSection:
    enabled: bool = True
    # MediaPipe landmark model used when a request leaves it unspecified:
    # 0 lite, 1 full.
    default_model_complexity: int = 1
    # Static images with no hand found are tried again on a padded, upscaled
    # copy; this finds hands cut by the frame edge and small crops.
    retry_when_empty: bool = True

    def validate(self) -> None:
        if self.default_model_complexity not in (0, 1):
            raise ConfigError(
                f"hands.default_model_complexity is {self.default_model_complexity}; use 0 (lite) or 1 (full)"
            )


@dataclass(frozen=True)
class GesturesSection:
    enabled: bool = True
    # Checkpoint written by `vrperception gestures train`; None loads the
    # shipped default.
    model_path: str | None = None

    def validate(self) -> None:
        if self.model_path is not None and not Path(self.model_path).is_file():
            raise ConfigError(f"gestures.model_path {self.model_path!r} is not a file; give a checkpoint path")


@dataclass(frozen=True)
class ObjectsSection:
    enabled: bool = True
    # A user detector: a TorchScript (.pt) or ONNX (.onnx) file following the
    # contract in models/detectors.py, plus a labels file (one name per
    # line). None serves the default NanoDet-g.
    model_path: str | None = None
    labels_path: str | None = None
    # Longer side of the network input when a request leaves input_size at 0.
    default_input_size: int = 416
    # Score threshold when a request leaves score_threshold at 0.
    default_score_threshold: float = 0.35
    # Folder that holds the converted NanoDet model; None uses
    # $VRPERCEPTION_CACHE or ~/.cache/vrperception.
    cache_dir: str | None = None

    def validate(self) -> None:
        if self.model_path is not None and self.labels_path is None:
            raise ConfigError(
                f"objects.model_path is {self.model_path!r} but objects.labels_path is not set; "
                "give a labels file with one class name per line"
            )
        if self.labels_path is not None and self.model_path is None:
            raise ConfigError("objects.labels_path is set without objects.model_path; set both or neither")
        if self.default_input_size % 32 or not 160 <= self.default_input_size <= 640:
            raise ConfigError(
                f"objects.default_input_size is {self.default_input_size}; use a multiple of 32 from 160 to 640"
            )
        if not 0.0 < self.default_score_threshold <= 1.0:
            raise ConfigError(f"objects.default_score_threshold is {self.default_score_threshold}; use a value in (0, 1]")


@dataclass(frozen=True)
class VoiceSection:
    enabled: bool = True
    # Engine used when a request leaves it unspecified: "whisper" or "grammar".
    default_engine: str = "whisper"
    # Load the pocketsphinx grammar engine as well (about 28 MB per grammar stream).
    grammar_enabled: bool = True
    # Threads that run speech recognition for all voice streams, apart from
    # the hand-tracking workers; Whisper runs this many utterances at once.
    recognition_threads: int = 1
    # CPU threads each Whisper call uses.
    whisper_cpu_threads: int = 2
    # Whisper beam size; 1 is greedy decoding.
    whisper_beam_size: int = 1
    # Match confidence below which an utterance is rejected, when the
    # request leaves min_confidence at 0.
    default_min_confidence: float = 0.8
    # Audio between two interim hypotheses of one utterance, in ms.
    interim_interval_ms: int = 1000

    def validate(self) -> None:
        if self.default_engine not in ("whisper", "grammar"):
            raise ConfigError(f"voice.default_engine is {self.default_engine!r}; use 'whisper' or 'grammar'")
        if self.default_engine == "grammar" and not self.grammar_enabled:
            raise ConfigError("voice.default_engine is 'grammar' but voice.grammar_enabled is false; enable it")
        _require_positive("voice.recognition_threads", self.recognition_threads)
        _require_positive("voice.whisper_cpu_threads", self.whisper_cpu_threads)
        _require_positive("voice.whisper_beam_size", self.whisper_beam_size)
        _require_positive("voice.interim_interval_ms", self.interim_interval_ms)
        if not 0.0 < self.default_min_confidence <= 1.0:
            raise ConfigError(
                f"voice.default_min_confidence is {self.default_min_confidence}; use a value in (0, 1]"
            )


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 50051
    # Model worker threads; 0 means one per CPU core.
    workers: int = 0
    log_level: str = "INFO"
    # Seconds in-flight calls get to finish after SIGINT or SIGTERM.
    grace_period_s: float = 5.0
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    hands: HandsSection = field(default_factory=HandsSection)
    gestures: GesturesSection = field(default_factory=GesturesSection)
    objects: ObjectsSection = field(default_factory=ObjectsSection)
    voice: VoiceSection = field(default_factory=VoiceSection)

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port is {self.port}; use 0 (any free port) to 65535")
        if self.workers < 0:
            raise ConfigError(f"workers is {self.workers}; use 0 (one per core) or a positive count")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"log_level is {self.log_level!r}; use DEBUG, INFO, WARNING or ERROR")
        if self.grace_period_s < 0:
            raise ConfigError(f"grace_period_s is {self.grace_period_s}; use a value >= 0")
        for section in (self.limits, self.hands, self.gestures, self.objects, self.voice):
            section.validate()

    @property
    def worker_count(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)


def _require_positive(key: str, value: int) -> None:
    if value <= 0:
        raise ConfigError(f"{key} is {value}; use a positive number")


def _build(cls: type, values: Mapping[str, Any], prefix: str) -> Any:
    """Build dataclass ``cls`` from a mapping, rejecting unknown keys."""
    known = {f.name: f for f in dataclasses.fields(cls)}
    hints = {f.name: f.type for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown config key {prefix}{key!r}; known keys: {', '.join(sorted(known))}")
        default = known[key].default_factory() if known[key].default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(default):
            if not isinstance(value, Mapping):
                raise ConfigError(f"config key {prefix}{key} must be a mapping, got {type(value).__name__}")
            kwargs[key] = _build(type(default), value, f"{prefix}{key}.")
        else:
            kwargs[key] = _check_type(f"{prefix}{key}", value, hints[key])
    return cls(**kwargs)


_SCALARS = {"int": int, "float": float, "bool": bool, "str": str}


def _check_type(key: str, value: Any, annotation: Any) -> Any:
    """Return ``value`` if it fits the field's annotation (int, float, bool, str or X | None)."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    optional = text.endswith("| None")
    if value is None and optional:
        return None
    expected = _SCALARS.get(text.replace("| None", "").strip())
    if expected is None:
        return value
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    raise ConfigError(f"config key {key} is {value!r}; it must be {'a' if expected is not int else 'an'} {expected.__name__}")


def load_config(path: str | Path | None = None, **overrides: Any) -> ServerConfig:
    """Load the YAML file at ``path`` (if any) and apply non-None ``overrides``."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(Path(path).read_text()) or {}
        except OSError as error:
            raise ConfigError(f"cannot read config file {path}: {error.strerror}") from error
        except yaml.YAMLError as error:
            raise ConfigError(f"config file {path} is not valid YAML: {error}") from error
        if not isinstance(loaded, Mapping):
            raise ConfigError(f"config file {path} must contain a mapping at the top level")
        values.update(loaded)
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return _build(ServerConfig, values, "")
    except TypeError as error:
        raise ConfigError(f"invalid config: {error}") from error
