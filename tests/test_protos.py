"""The v1 contracts: committed generated code is fresh, and conventions hold."""

from __future__ import annotations

import filecmp
import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from google.protobuf import descriptor_pool

from conftest import REPO_ROOT

GENERATED = REPO_ROOT / "server" / "vrperception" / "api" / "v1"
PROTO_DIR = REPO_ROOT / "protos" / "vrperception" / "v1"
STATUS_WORDS = ("INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "UNAVAILABLE")


def test_generated_python_is_fresh(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "generate_protos.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    fresh = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    committed = sorted(p.name for p in GENERATED.iterdir() if p.is_file())
    assert fresh == committed, "run scripts/generate_protos.py and commit the result"
    _, mismatch, errors = filecmp.cmpfiles(tmp_path, GENERATED, fresh, shallow=False)
    assert not mismatch and not errors, f"stale generated files {mismatch}: run scripts/generate_protos.py"


def _load_all() -> descriptor_pool.DescriptorPool:
    for path in GENERATED.glob("*_pb2.py"):
        importlib.import_module(f"vrperception.api.v1.{path.stem}")
    return descriptor_pool.Default()


def _all_enums(pool):
    for proto in PROTO_DIR.glob("*.proto"):
        file = pool.FindFileByName(f"vrperception/v1/{proto.name}")
        stack = list(file.message_types_by_name.values())
        yield from file.enum_types_by_name.values()
        while stack:
            message = stack.pop()
            yield from message.enum_types
            stack.extend(message.nested_types)


def test_every_enum_starts_unspecified():

    pool = _load_all()
    enums = list(_all_enums(pool))
    assert len(enums) >= 10
    for enum in enums:
        zero = enum.values_by_number[0].name
        assert zero.endswith("_UNSPECIFIED"), f"{enum.full_name} zero value is {zero}"


def test_every_rpc_documents_status_codes():
    for proto in PROTO_DIR.glob("*.proto"):
        text = proto.read_text()
        for match in re.finditer(r"((?:\s*//[^\n]*\n)+)\s*rpc (\w+)", text):
            comment, rpc = match.group(1), match.group(2)
            if "Errors as for" in comment:
                continue
            assert any(word in comment for word in STATUS_WORDS), f"{proto.name}: rpc {rpc} lists no status codes"
            assert "retry" in comment.lower(), f"{proto.name}: rpc {rpc} says nothing on retries"
        rpc_count = len(re.findall(r"\brpc \w+", text))
        documented = len(re.findall(r"//[^\n]*\n\s*rpc \w+", text))
        assert rpc_count == documented, f"{proto.name}: an rpc has no comment"


def test_all_services_exist_in_v1():
    pool = _load_all()
    names = {
        service.full_name
        for proto in PROTO_DIR.glob("*.proto")
        for service in pool.FindFileByName(f"vrperception/v1/{proto.name}").services_by_name.values()
    }
    assert names >= {
        "vrperception.v1.HandshakeService",
        "vrperception.v1.HandTracking",
        "vrperception.v1.ObjectRecognition",
        "vrperception.v1.VoiceCommands",
    }
    assert importlib.util.find_spec("vrperception.api.v1.hands_pb2_grpc") is not None
