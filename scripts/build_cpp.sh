#!/usr/bin/env bash
# Configure and build the C++ client core, its CLI and its tests into
# build/cpp (incremental: a second run only rebuilds what changed).
# Needs Debian's cmake, g++, libgrpc++-dev, protobuf-compiler-grpc,
# libprotobuf-dev and nlohmann-json3-dev (all in scripts/setup.sh).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOURCE_DIR="$REPO_ROOT/engine_clients/cpp"
BUILD_DIR="${VRPERCEPTION_CPP_BUILD_DIR:-$REPO_ROOT/build/cpp}"
JOBS="${VRPERCEPTION_BUILD_JOBS:-$(nproc)}"

if ! command -v cmake >/dev/null; then
  echo "build_cpp.sh: cmake not found; run scripts/setup.sh (apt package cmake)" >&2
  exit 1
fi

if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$BUILD_DIR" --parallel "$JOBS"
echo "build_cpp.sh: built $BUILD_DIR/vrperception-cpp and $BUILD_DIR/vrperception-cpp-tests"
