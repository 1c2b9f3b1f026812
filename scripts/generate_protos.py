#!/usr/bin/env python3
"""Generate the Python protobuf and gRPC modules from protos/.

Output goes to server/vrperception/api/v1/. protoc writes imports as
``from vrperception.v1 import x_pb2``; this script rewrites them to the
package path ``vrperception.api.v1`` so no generated file is edited by hand.

Usage: python scripts/generate_protos.py [--out DIR]
The generator is grpcio-tools 1.62.x (pinned in pyproject.toml), the last
release line that runs with protobuf 4.25, which mediapipe 0.10.21 requires.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PROTO_ROOT = REPO_ROOT / "protos"
PROTO_DIR = PROTO_ROOT / "vrperception" / "v1"
DEFAULT_OUT = REPO_ROOT / "server" / "vrperception" / "api" / "v1"
REQUIRED_GENERATOR = "1.62."

_IMPORT_PATTERN = re.compile(r"^from vrperception\.v1 import ", re.MULTILINE)
_PACKAGE_INIT = '"""Generated protobuf and gRPC code for vrperception.v1. Do not edit."""\n'


def check_generator() -> None:
    from grpc_tools import protoc  # noqa: F401
    import grpc_tools

    version = getattr(grpc_tools, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("grpcio-tools")
    if not version.startswith(REQUIRED_GENERATOR):
        sys.exit(
            f"grpcio-tools {version} is installed; this script needs {REQUIRED_GENERATOR}x "
            "so that generated code matches what is committed. "
            "Run: pip install 'grpcio-tools==1.62.*'"
        )


def generate(out_dir: Path) -> list[Path]:
    """Run protoc on every .proto under protos/vrperception/v1 into out_dir."""
    from grpc_tools import protoc
    import grpc_tools

    protos = sorted(PROTO_DIR.glob("*.proto"))
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        args = [
            "grpc_tools.protoc",
            f"-I{PROTO_ROOT}",
            f"-I{well_known}",
            f"--python_out={tmp}",
            f"--pyi_out={tmp}",
            f"--grpc_python_out={tmp}",
            *[str(p.relative_to(PROTO_ROOT)) for p in protos],
        ]
        if protoc.main(args) != 0:
            raise SystemExit("protoc failed; see the messages above")
        produced = Path(tmp) / "vrperception" / "v1"
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        written = []
        for source in sorted(produced.iterdir()):
            text = _IMPORT_PATTERN.sub("from vrperception.api.v1 import ", source.read_text())
            target = out_dir / source.name
            target.write_text(text)
            written.append(target)
        (out_dir / "__init__.py").write_text(_PACKAGE_INIT)
        written.append(out_dir / "__init__.py")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args()
    check_generator()
    for path in generate(args.out):
        print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)


if __name__ == "__main__":
    main()
