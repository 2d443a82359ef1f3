#!/usr/bin/env bash
# Installs the system packages FleetPilot's build, tests and pilot need, when they are missing.
# Runs `apt-get update` at most once, and only when something has to be installed.
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd mosquitto || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
have_cmd mosquitto_pub || need+=(mosquitto-clients)
pkg-config --exists libmosquitto 2>/dev/null || need+=(libmosquitto-dev pkg-config)
have_cmd openssl || need+=(openssl)
have_cmd sqlite3 || need+=(sqlite3)
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)
have_cmd gcc || need+=(gcc)
# `ensure-deps.sh --test`: the suite also renders the HTML report in headless Chromium.
if [ "${1:-}" = "--test" ]; then
    have_cmd chromium || have_cmd chromium-browser || need+=(chromium)
fi

if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "ensure-deps: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
        exit 1
    fi
    echo "ensure-deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The schema validator (../shared/tools/vda5050-validate) needs Python's jsonschema.
if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
    echo "ensure-deps: installing python jsonschema"
    if ! python3 -m pip install -q jsonschema 2>/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        [ "$(id -u)" = 0 ] && apt-get install -y -qq python3-jsonschema >/dev/null
    fi
fi
# The assignment solver's tests and `make bench-alloc` compare against scipy (../shared/bench/assign-baseline).
# Debian's python3-scipy serves /usr/bin/python3; a python3 of its own (pyenv, venv) gets scipy from pip.
if ! python3 -c 'import scipy.optimize' >/dev/null 2>&1; then
    echo "ensure-deps: installing python scipy"
    if [ "$(command -v python3)" = /usr/bin/python3 ] && [ "$(id -u)" = 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends python3-scipy >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-scipy >/dev/null; } || true
    fi
    if ! python3 -c 'import scipy.optimize' >/dev/null 2>&1; then
        python3 -m pip install -q scipy 2>/dev/null || python3 -m pip install -q --break-system-packages scipy || true
    fi
    python3 -c 'import scipy.optimize' >/dev/null 2>&1 \
        || echo "ensure-deps: scipy is still missing for $(command -v python3); install python3-scipy or 'pip install scipy'" >&2
fi
# Debian starts mosquitto as a service on install where an init system runs; tests use private brokers.
exit 0
