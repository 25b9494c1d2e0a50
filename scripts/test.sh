#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/install-test-services.sh
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "helseinfo test: pytest fant ingen tester" >&2
    exit 1
fi
exit "$status"
