#!/usr/bin/env bash
# Debian packages the end-to-end tests need: PostgreSQL (tracker store) and Chromium (browser
# tests). Installed only when missing; the tests start and stop the servers themselves.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "helseinfo test: mangler ${need[*]}; installer som root: apt-get install ${need[*]}" >&2
        exit 1
    fi
    echo "==> Installerer ${need[*]} fra Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
