#!/usr/bin/env bash
# Runs `fleetctl pilot` from a build folder and says where the results are; `make pilot` calls it after the build.
# Usage: scripts/pilot.sh BIN_DIR SCENARIO [fleetctl pilot flags...]
set -euo pipefail
bin=${1:?usage: scripts/pilot.sh BIN_DIR SCENARIO [flags...]}
scenario=${2:?usage: scripts/pilot.sh BIN_DIR SCENARIO [flags...]}
shift 2
for program in fleetctl fleetd fleet-sim; do
    if [ ! -x "$bin/$program" ]; then
        echo "pilot: $bin/$program is missing; build first: swift build -c release" >&2
        exit 1
    fi
done
start=$(date +%s)
status=0
"$bin/fleetctl" pilot "$scenario" "$@" || status=$?
echo "pilot: $(($(date +%s) - start)) s wall, exit status $status (results: see 'results:' above)" >&2
exit "$status"
