"""Shared fixtures: the test data folder and real servers on 127.0.0.1 port 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
SERVER_START_TIMEOUT_S = 180.0
READY_PREFIX = "vrperception serving on "


def data_root() -> Path:
    """The shared test data folder; VRPERCEPTION_DATA overrides the default."""
    root = Path(os.environ.get("VRPERCEPTION_DATA", DEFAULT_DATA_DIR))
    if not (root / "hands" / "labels.json").is_file():
        raise RuntimeError(
            f"test data not found at {root}; set VRPERCEPTION_DATA to the folder that holds hands/, objects/ and speech/"
        )
    return root


@dataclass
class ServerProcess:
    """A `vrperception serve` subprocess; ``log`` collects its stderr."""

    process: subprocess.Popen
    address: str
    port: int
    log_path: Path
    _stderr_thread: threading.Thread | None = field(default=None, repr=False)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_server(*args: str, config: dict | None = None, env: dict | None = None) -> ServerProcess:
    """Start `vrperception serve --port 0` and wait until it reports SERVING."""
    tmp = Path(tempfile.mkdtemp(prefix="vrperception-test-"))
    command = [sys.executable, "-m", "vrperception.cli.main", "serve", "--port", "0", *args]
    if config is not None:
        config_path = tmp / "config.yaml"
        config_path.write_text(yaml.safe_dump(config))
        command += ["--config", str(config_path)]
    log_path = tmp / "server.log"
    process_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    log_file = open(log_path, "w")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log_file, text=True, env=process_env)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith(READY_PREFIX):
            address = line[len(READY_PREFIX):].strip()
            port = int(address.rsplit(":", 1)[1])
            return ServerProcess(process, address, port, log_path)
    process.kill()
    process.wait()
    raise RuntimeError(f"server did not start: exit {process.returncode}\n{log_path.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return data_root()


@pytest.fixture(scope="session")
def server() -> ServerProcess:
    """One server with all default models, shared by the whole session."""
    process = start_server()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def client(server: ServerProcess):
    from vrperception.client import PerceptionClient

    with PerceptionClient(server.address) as connected:
        yield connected


@pytest.fixture(scope="session")
def hand_labels(data_dir: Path) -> list[dict]:
    import json

    return json.loads((data_dir / "hands" / "labels.json").read_text())["images"]
