#!/usr/bin/env bash
# The main job: set up, build the site, and serve it at http://127.0.0.1:8000 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/helseinfo build
exec .venv/bin/helseinfo serve --built --port "${HELSEINFO_PORT:-8000}"
