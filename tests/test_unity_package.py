"""Checks of the Unity package (engine_clients/unity) that run without Unity.

- The checked-in generated C# matches what scripts/generate_csharp.sh writes.
- Every C# file of the package parses (``mcs --parse``) and the whole
  package compiles against declaration-only stubs of Unity and the NuGet
  libraries (Tools~/compile_check), which checks names and types but not
  the behaviour of those libraries.
- Runtime/Core compiles alone with Debian's Mono compiler (no UnityEngine or
  Google.Protobuf), and its NUnit tests pass under nunit-console, including
  the shared cases in engine_clients/test_vectors.json.
- package.json, the assembly definitions, link.xml and the .meta files are
  consistent, because Unity ignores files without a .meta in a package that
  is installed from git.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = REPO_ROOT / "engine_clients" / "unity"
GENERATED = PACKAGE / "Runtime" / "Generated"
CORE = PACKAGE / "Runtime" / "Core"
CORE_TESTS = PACKAGE / "Tests" / "Core"
GENERATE_SCRIPT = REPO_ROOT / "scripts" / "generate_csharp.sh"
# Debian 12 package libnunit-framework2.6.3-cil; nunit-console 2.6.4 runs it.
NUNIT_FRAMEWORK = Path("/usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll")
# Core tests that exist today; a drop below this means tests were lost.
MIN_CORE_TESTS = 120
PROTO_SERVICES = ("Hands", "Handshake", "Objects", "Voice")
GUID_PATTERN = re.compile(r"^guid: ([0-9a-f]{32})$", re.MULTILINE)
COMMAND_TIMEOUT_S = 300


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found; install it with: apt-get install -y {package}")
    return path


def run(command: list[str], cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False)


def package_csharp_files() -> list[Path]:
    """Every C# file of the package, the samples under Samples~ included."""
    return sorted(PACKAGE.rglob("*.cs"))


# ---------------------------------------------------------------------------
# Generated code


def test_generated_code_is_current():
    result = run(["bash", str(GENERATE_SCRIPT), "--check"])

    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_generated_files_cover_every_proto():
    names = {path.name for path in GENERATED.glob("*.cs")}

    assert "Common.cs" in names
    for service in PROTO_SERVICES:
        assert f"{service}.cs" in names, f"messages of {service.lower()}.proto"
        assert f"{service}Grpc.cs" in names, f"stubs of {service.lower()}.proto"
    versions = (GENERATED / "VERSIONS.txt").read_text(encoding="utf-8")
    assert "protoc 3.21.12" in versions
    assert "gRPC 1.51.1" in versions


def test_generated_stubs_define_clients():
    hands = (GENERATED / "HandsGrpc.cs").read_text(encoding="utf-8")
    voice = (GENERATED / "VoiceGrpc.cs").read_text(encoding="utf-8")

    assert "public partial class HandTrackingClient : grpc::ClientBase<HandTrackingClient>" in hands
    assert "grpc::AsyncDuplexStreamingCall<global::VRPerception.V1.TrackHandsRequest, global::VRPerception.V1.HandsResult> TrackHands(" in hands
    assert "RecognizeCommands(" in voice


def test_every_package_file_parses():
    mcs = require_tool("mcs", "mono-mcs")
    files = package_csharp_files()
    assert len(files) >= 30, f"only {len(files)} C# files found under {PACKAGE}"

    failures = []
    for path in files:
        result = run([mcs, "--parse", str(path)])
        if result.returncode != 0:
            failures.append(f"{path.relative_to(REPO_ROOT)}:\n{result.stdout}{result.stderr}")

    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------
# Core and its NUnit tests


def compile_library(
    mcs: str, output: Path, sources: list[Path], references: list[Path], defines: tuple[str, ...] = ()
) -> None:
    command = [mcs, "-target:library", "-warnaserror+", "-nowarn:1591", f"-out:{output}"]
    command += [f"-r:{reference}" for reference in references]
    command += [f"-define:{define}" for define in defines]
    command += [str(source) for source in sources]
    result = run(command)
    assert result.returncode == 0, f"mcs failed:\n{result.stdout}{result.stderr}"


def test_core_compiles_without_unity(tmp_path: Path):
    mcs = require_tool("mcs", "mono-mcs")
    sources = sorted(CORE.glob("*.cs"))

    compile_library(mcs, tmp_path / "VRPerception.Core.dll", sources, [])

    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "using UnityEngine" not in text, source.name
        assert "Google.Protobuf" not in text, source.name


def read_nunit_counts(result_xml: Path) -> tuple[int, int, list[str]]:
    """Return (passed, failed, failure names) from an NUnit 2.6 result file."""
    root = ElementTree.parse(result_xml).getroot()
    passed = 0
    failed = []
    for case in root.iter("test-case"):
        if case.get("executed") != "True":
            failed.append(f"{case.get('name')} (not run)")
        elif case.get("success") == "True":
            passed += 1
        else:
            message = case.findtext("failure/message") or case.findtext("reason/message") or ""
            failed.append(f"{case.get('name')}: {message.strip()}")
    return passed, len(failed), failed


def test_core_nunit_suite(tmp_path: Path):
    mcs = require_tool("mcs", "mono-mcs")
    nunit_console = require_tool("nunit-console", "nunit-console")
    if not NUNIT_FRAMEWORK.exists():
        pytest.fail(f"{NUNIT_FRAMEWORK} not found; install it with: apt-get install -y libnunit-framework2.6.3-cil")
    test_dll = tmp_path / "VRPerception.Core.Tests.dll"
    compile_library(mcs, test_dll, sorted(CORE.glob("*.cs")) + sorted(CORE_TESTS.glob("*.cs")), [NUNIT_FRAMEWORK])
    shutil.copy(NUNIT_FRAMEWORK, tmp_path / NUNIT_FRAMEWORK.name)
    result_xml = tmp_path / "nunit-result.xml"
    vectors = REPO_ROOT / "engine_clients" / "test_vectors.json"

    result = subprocess.run(
        [nunit_console, "-nologo", "-noshadow", f"-xml={result_xml}", str(test_dll)],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VRPERCEPTION_TEST_VECTORS": str(vectors)},
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )

    assert result_xml.exists(), f"nunit-console wrote no result file:\n{result.stdout}{result.stderr}"
    passed, failed, failures = read_nunit_counts(result_xml)
    print(f"Unity Core NUnit: {passed} passed, {failed} failed")
    assert failed == 0, "\n".join(failures) + f"\n{result.stdout[-4000:]}"
    assert passed >= MIN_CORE_TESTS, f"only {passed} NUnit tests ran; expected at least {MIN_CORE_TESTS}"
    assert result.returncode == 0, result.stdout[-4000:]


def test_package_type_checks_against_api_stubs(tmp_path: Path):
    """Compile the whole package against declaration-only stubs of its dependencies.

    Tools~/compile_check declares the parts of Google.Protobuf, Grpc.Core.Api,
    Grpc.Net.Client, YetAnotherHttpHandler, UnityEngine and UnityEditor that
    the package calls. This catches misspelled members and type errors in the
    generated code, transport, components, editor scripts and sample. It
    cannot catch a stub that differs from the real library.
    """
    mcs = require_tool("mcs", "mono-mcs")
    stubs = tmp_path / "ApiStubs.dll"
    compile_library(mcs, stubs, sorted((PACKAGE / "Tools~" / "compile_check").glob("*.cs")), [])
    runtime_sources = [
        path
        for folder in ("Generated", "Core", "Transport", "Components")
        for path in sorted((PACKAGE / "Runtime" / folder).glob("*.cs"))
    ]
    runtime = tmp_path / "VRPerception.Runtime.dll"

    compile_library(mcs, runtime, runtime_sources, [stubs])
    # The generated code has a second serialization path for older runtimes.
    compile_library(
        mcs,
        tmp_path / "VRPerception.Runtime.Compatibility.dll",
        runtime_sources,
        [stubs],
        defines=("GOOGLE_PROTOBUF_REFSTRUCT_COMPATIBILITY_MODE", "GRPC_DISABLE_PROTOBUF_BUFFER_SERIALIZATION"),
    )
    compile_library(mcs, tmp_path / "VRPerception.Editor.dll", sorted((PACKAGE / "Editor").glob("*.cs")), [stubs, runtime])
    compile_library(mcs, tmp_path / "Samples.dll", sorted((PACKAGE / "Samples~").rglob("*.cs")), [stubs, runtime])


# ---------------------------------------------------------------------------
# Values that Core mirrors from the protocol

CSHARP_ENUM_MEMBER = re.compile(r"^\s*(\w+) = (\d+),", re.MULTILINE)


def csharp_enum(path: Path, name: str) -> dict[int, str]:
    """Return {number: member} of `public enum NAME` in a C# file."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"public enum " + name + r"\s*\{(?P<body>[^}]*)\}", text)
    assert match, f"enum {name} not found in {path.name}"
    return {int(number): member for member, number in CSHARP_ENUM_MEMBER.findall(match.group("body"))}


def squash(name: str) -> str:
    """Lower-case a name and drop underscores, so HAND_FOUND and HandFound compare equal."""
    return name.replace("_", "").lower()


def proto_enum(descriptor, prefix: str) -> dict[int, str]:
    return {value.number: value.name.removeprefix(prefix) for value in descriptor.values}


def test_core_enums_match_protocol():
    import grpc
    from vrperception.api.v1 import hands_pb2

    cases = [
        ("GestureEventTracker.cs", "HandEventKind", proto_enum(hands_pb2.HandEventType.DESCRIPTOR, "HAND_EVENT_TYPE_")),
        ("GestureEventTracker.cs", "HandSide", proto_enum(hands_pb2.Handedness.DESCRIPTOR, "HANDEDNESS_")),
        ("ReconnectBackoff.cs", "RpcStatusCode", {code.value[0]: code.name for code in grpc.StatusCode}),
    ]
    for file_name, enum_name, expected in cases:
        actual = csharp_enum(CORE / file_name, enum_name)
        assert {number: squash(name) for number, name in actual.items()} == {
            number: squash(name) for number, name in expected.items()
        }, enum_name


def test_protocol_version_matches_server():
    import vrperception

    text = (CORE / "ProtocolVersion.cs").read_text(encoding="utf-8")
    client = re.search(r'public const string Client = "([^"]+)";', text).group(1)
    client_major = int(re.search(r"public const int ClientMajor = (\d+);", text).group(1))

    assert client == vrperception.PROTOCOL_VERSION
    assert client_major == int(vrperception.PROTOCOL_VERSION.split(".")[0])


def test_client_version_matches_package():
    manifest = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))
    text = (PACKAGE / "Runtime" / "Components" / "PerceptionClient.cs").read_text(encoding="utf-8")

    assert f'public const string ClientVersion = "{manifest["version"]}";' in text


# ---------------------------------------------------------------------------
# Package layout


def test_package_manifest():
    manifest = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))

    assert manifest["name"] == "com.vrperception.client"
    assert manifest["unity"] == "2021.3"
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"]), manifest["version"]
    sample_paths = [sample["path"] for sample in manifest.get("samples", [])]
    assert sample_paths, "package.json lists no samples"
    for path in sample_paths:
        assert (PACKAGE / path / "README.md").is_file(), f"sample {path} has no README.md"
    for name in ("README.md", "CHANGELOG.md", "LICENSE.md", "link.xml"):
        assert (PACKAGE / name).is_file(), name


def test_assembly_definitions():
    runtime = json.loads((PACKAGE / "Runtime" / "VRPerception.Runtime.asmdef").read_text(encoding="utf-8"))
    editor = json.loads((PACKAGE / "Editor" / "VRPerception.Editor.asmdef").read_text(encoding="utf-8"))
    tests = json.loads((CORE_TESTS / "VRPerception.Core.Tests.asmdef").read_text(encoding="utf-8"))

    assert runtime["name"] == "VRPerception.Runtime"
    for dll in ("Google.Protobuf.dll", "Grpc.Core.Api.dll", "Grpc.Net.Client.dll"):
        assert dll in runtime["precompiledReferences"], dll
    assert editor["includePlatforms"] == ["Editor"]
    assert "VRPerception.Runtime" in editor["references"]
    assert "nunit.framework.dll" in tests["precompiledReferences"]
    assert "UNITY_INCLUDE_TESTS" in tests["defineConstraints"]


def test_link_xml_preserves_generated_and_grpc_assemblies():
    root = ElementTree.parse(PACKAGE / "link.xml").getroot()
    preserved = {assembly.get("fullname"): assembly for assembly in root.iter("assembly")}

    for name in ("Google.Protobuf", "Grpc.Core.Api", "Grpc.Net.Client", "Grpc.Net.Common", "VRPerception.Runtime"):
        assert name in preserved, name
    runtime_types = {item.get("fullname") for item in preserved["VRPerception.Runtime"].iter("namespace")}
    assert "VRPerception.V1" in runtime_types


def test_every_asset_has_meta_file():
    missing = []
    guids: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        # Unity skips names that end in '~' or start with '.', and everything below them.
        if any(part.endswith("~") or part.startswith(".") for part in relative.parts):
            continue
        if path.suffix == ".meta":
            assert path.with_suffix("").exists(), f"{relative} has no asset beside it"
            match = GUID_PATTERN.search(path.read_text(encoding="utf-8"))
            assert match, f"{relative} has no guid line"
            assert match.group(1) not in guids, f"{relative} repeats the guid of {guids.get(match.group(1))}"
            guids[match.group(1)] = relative
        elif not Path(f"{path}.meta").exists():
            missing.append(str(relative))

    assert not missing, "missing .meta files (run engine_clients/unity/Tools~/write_meta_files.py):\n" + "\n".join(missing)
