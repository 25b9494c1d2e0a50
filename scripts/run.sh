#!/usr/bin/env bash
# The main job: set up, build the site and the search index, train the assistant if its
# data changed, then serve the site at http://127.0.0.1:8000 and the assistant at
# http://127.0.0.1:5005 (with its action server on 127.0.0.1:5055) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/helseinfo build
.venv/bin/helseinfo assistant train
.venv/bin/helseinfo assistant run &
assistant=$!
trap 'kill "$assistant" 2>/dev/null; wait "$assistant" 2>/dev/null' EXIT INT TERM
.venv/bin/helseinfo serve --built --port "${HELSEINFO_PORT:-8000}"
