#!/usr/bin/env bash
# Allocation benchmark: FleetCore's LinearAssignment against scipy.optimize.linear_sum_assignment on identical
# matrices (uniform square 100 to 2000, rectangular both ways, travel times on a 1,000-node site), then the
# coordinator's decision latency (1,000 robots, 500 open tasks) for every allocation policy.
# Prints the table, the worst ratio (target <= 1.0) and the latency table; exits 1 when a total differs.
#
# Environment: REPS (default 5 runs per solver and matrix), EVENTS (default 300 per latency scenario),
#              SETUP_SECONDS (default 120), LATENCY_SECONDS (default 30), SHARED (default ../shared),
#              PYTHON (default python3), ALLOC_CASES (comma-separated case names; none = latency only),
#              ALLOC_POLICIES (comma-separated policy names for the latency, e.g. MarketPolicy),
#              SWIFT_BIN (default the release build's fleet-bench-alloc).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-${FLEETPILOT_SHARED:-$(cd .. && pwd)/shared}}
SWIFT_BIN=${SWIFT_BIN:-$(swift build -c release --show-bin-path)/fleet-bench-alloc}
PYTHON=${PYTHON:-python3}

[ -x "$SWIFT_BIN" ] || { echo "bench-alloc: $SWIFT_BIN missing; run: swift build -c release --product fleet-bench-alloc" >&2; exit 1; }
[ -f "$SHARED/bench/assign-baseline" ] || { echo "bench-alloc: $SHARED/bench/assign-baseline not found; set SHARED=path/to/shared" >&2; exit 1; }
"$PYTHON" -c 'import scipy.optimize' 2>/dev/null || { echo "bench-alloc: $PYTHON cannot import scipy; run scripts/ensure-deps.sh" >&2; exit 1; }

echo "machine: $(nproc) cores, $(uname -m), $(swift --version 2>/dev/null | head -1)" >&2
FLEETPILOT_SHARED="$SHARED" PYTHON="$PYTHON" REPS="${REPS:-5}" EVENTS="${EVENTS:-300}" exec "$SWIFT_BIN"
