#!/usr/bin/env bash
# Install vrperception with its test tools, build the C++ client, and run the
# whole test suite (Python, C++ and C# tests, all driven by pytest). Extra
# arguments go to pytest.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$REPO_ROOT/scripts/setup.sh" --dev
"$REPO_ROOT/scripts/build_cpp.sh"
cd "$REPO_ROOT"
exec "$REPO_ROOT/.venv/bin/python" -m pytest "$@"
