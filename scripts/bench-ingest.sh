#!/usr/bin/env bash
# Ingest benchmark: FleetMQTT + VDA5050 (decoding every state message into the typed model) against the
# C reference subscriber that only counts (shared/bench/mqtt-baseline/sub.c). Same private broker, same
# C publisher (1,000 robots, ~1 KB VDA 5050 2.1 states, QoS 0), one run, alternating A B A B.
# Prints each run, the medians, and as its last line `ratio <swift/c>`.
#
# Environment: ROUNDS (default 3 pairs), MESSAGES (default 200000), SHARED (default ../shared),
#              DECODER (fast|codable|none, default fast), SWIFT_BIN (default the release build),
#              SCRATCH_PATH (the build folder SWIFT_BIN is taken from when it is not set, default .build), e.g.
#              swift build -c release --scratch-path .build-ingest --product fleet-bench-ingest &&
#              SCRATCH_PATH=.build-ingest ROUNDS=5 bash scripts/bench-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
MESSAGES=${MESSAGES:-200000}
SHARED=${SHARED:-${FLEETPILOT_SHARED:-$(cd .. && pwd)/shared}}
DECODER=${DECODER:-fast}
SWIFT_BIN=${SWIFT_BIN:-$(swift build -c release ${SCRATCH_PATH:+--scratch-path "$SCRATCH_PATH"} --show-bin-path)/fleet-bench-ingest}
WORK=$(mktemp -d /tmp/fleetpilot-bench.XXXXXX)
BROKER_PID=""
cleanup() {
    [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$SWIFT_BIN" ] || { echo "bench-ingest: $SWIFT_BIN missing; run: swift build -c release --product fleet-bench-ingest" >&2; exit 1; }
BASE="$SHARED/bench/mqtt-baseline"
[ -f "$BASE/sub.c" ] || { echo "bench-ingest: $BASE/sub.c not found; set SHARED=path/to/shared" >&2; exit 1; }
gcc -O2 -o "$WORK/pub" "$BASE/pub.c" -lmosquitto
gcc -O2 -o "$WORK/sub" "$BASE/sub.c" -lmosquitto

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
cat > "$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages 0
max_queued_bytes 0
log_dest none
CONF
"$MOSQUITTO" -c "$WORK/mosquitto.conf" &
BROKER_PID=$!
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done

# Runs one consumer (the command in "$@") against one publisher run; prints the consumer's rate.
run_one() {
    local label=$1; shift
    local out="$WORK/$label.out"
    : > "$out"
    "$@" > "$out" 2>&1 &
    local pid=$!
    for _ in $(seq 300); do grep -q READY "$out" && break; sleep 0.05; done
    grep -q READY "$out" || { echo "bench-ingest: $label never subscribed:" >&2; cat "$out" >&2; exit 1; }
    "$WORK/pub" -p "$PORT" -n "$MESSAGES" -R 1000 > "$WORK/pub.out" 2>&1
    wait "$pid"
    local line; line=$(grep '^SUB' "$out")
    echo "  $label: $line" >&2
    echo "$line" | sed -E 's/.* rate=([0-9]+) .*/\1/'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "bench-ingest: broker 127.0.0.1:$PORT, $MESSAGES messages x $ROUNDS rounds, 1000 robots, QoS 0, decoder=$DECODER" >&2
c_rates=(); s_rates=()
for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    c_rates+=("$(run_one "c-$round" "$WORK/sub" -p "$PORT" -n "$MESSAGES" -T 3 -m std -s 'uagv/v2/+/+/state')")
    s_rates+=("$(run_one "swift-$round" "$SWIFT_BIN" -p "$PORT" -n "$MESSAGES" -T 3 --decoder "$DECODER")")
done
c_med=$(printf '%s\n' "${c_rates[@]}" | median)
s_med=$(printf '%s\n' "${s_rates[@]}" | median)
echo "c_subscriber_count_only  median ${c_med} msg/s  (runs: ${c_rates[*]})"
echo "swift_fleetmqtt_decode_${DECODER}  median ${s_med} msg/s  (runs: ${s_rates[*]})"
awk -v s="$s_med" -v c="$c_med" 'BEGIN { printf "ratio %.3f\n", (c > 0 ? s / c : 0) }'
