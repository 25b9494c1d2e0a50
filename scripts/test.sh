#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run the whole test suite.
# The assistant's model is trained here, before pytest, with its progress shown: training
# inside a test fixture could outlive pytest-timeout (600 s) on a busy machine. Rasa's
# fingerprint makes it a no-op when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/install-test-services.sh
echo "==> Trener assistenten hvis treningsdata, domene eller konfigurasjon er endret"
started=$(date +%s)
.venv/bin/helseinfo assistant train
echo "==> Assistentens modell klar ($(( $(date +%s) - started )) s)"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "helseinfo test: pytest fant ingen tester" >&2
    exit 1
fi
exit "$status"
