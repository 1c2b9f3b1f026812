#!/usr/bin/env bash
# Install vrperception (scripts/setup.sh) and start the server with the default
# models on 127.0.0.1:50051. Extra arguments go to `vrperception serve`.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$REPO_ROOT/scripts/setup.sh"
exec "$REPO_ROOT/.venv/bin/vrperception" serve "$@"
