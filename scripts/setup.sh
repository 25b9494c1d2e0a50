#!/usr/bin/env bash
# Set up .venv with Python 3.10 and the locked dependencies. Idempotent: with nothing
# changed since the last run it only compares a checksum and returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
    local root candidate
    if command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root)
        for candidate in "$root"/versions/3.10.*/bin/python; do
            [ -x "$candidate" ] && { echo "$candidate"; return 0; }
        done
    fi
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*/bin/python "$(command -v python3.10 || true)"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
    return 1
}

stamp_of() { cat requirements.lock pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1; }

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
    if ! py=$(find_python310); then
        echo "helseinfo setup: fant ikke Python 3.10 (Rasa 3.6 krever den). Installer den med 'pyenv install 3.10' og kjør igjen." >&2
        exit 1
    fi
    echo "==> Lager .venv med $py"
    rm -rf .venv
    "$py" -m venv .venv
fi

want=$(stamp_of)
if [ "$(cat .venv/.helseinfo-stamp 2>/dev/null || true)" != "$want" ]; then
    echo "==> Installerer låste avhengigheter (requirements.lock) i .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24" >/dev/null
    .venv/bin/python -m pip install --disable-pip-version-check --progress-bar on \
        --require-hashes --no-deps -r requirements.lock
    # "compat" editable mode puts the project folder on sys.path, so new packages and modules
    # are importable without reinstalling.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
        --config-settings editable_mode=compat -e .
    .venv/bin/python -m pip check
    echo "$want" > .venv/.helseinfo-stamp
fi
