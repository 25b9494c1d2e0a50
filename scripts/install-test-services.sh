#!/usr/bin/env bash
# What the end-to-end tests need besides .venv: Debian's PostgreSQL (tracker store), Redis (Rasa's
# lock store) and nginx (the production profile's front, tests/test_prod.py), Chromium
# (browser tests, driven by Playwright: no browser download) and Node.js, and the npm test tools
# pinned in package-lock.json (axe-core, html-validate). Installed only when missing; the tests
# start and stop the servers themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# the spelling check of helseinfo check (content_model/spelling.py): Hunspell and its nb_NO/nn_NO dictionaries
{ command -v hunspell >/dev/null 2>&1 && [ -f /usr/share/hunspell/nn_NO.dic ]; } || need+=(hunspell hunspell-no)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "helseinfo test: mangler ${need[*]}; installer som root: apt-get install ${need[*]}" >&2
        exit 1
    fi
    echo "==> Installerer ${need[*]} fra Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# npm packages exactly as locked; skipped when node_modules already matches the lock file.
stamp=node_modules/.helseinfo-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> npm ci (axe-core, html-validate)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
fi
