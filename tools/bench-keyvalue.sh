#!/usr/bin/env bash
# KeyValue getValue through generated clients: our keyvalue-server against tchannel-node's
# thrift server (peers/node/server.js, the same IDL), the same Rust load generator, one run.
# Usage: tools/bench-keyvalue.sh [DURATION_SECS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
DUR=${1:-10}
PEERS=${TCHANNEL_PEERS_DIR:-$ROOT/peers}
cargo build -q --release -p keyvalue --bin keyvalue-server --bin keyvalue-bench
BIN=target/release

wait_listen() { # file -> host:port
    for _ in $(seq 100); do
        hp=$(sed -n 's/^listening on //p' "$1")
        [ -n "$hp" ] && { echo "$hp"; return; }
        sleep 0.1
    done
    echo "server did not start" >&2; exit 1
}

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$BIN/keyvalue-server" > "$tmp/rust" 2>/dev/null &
node "$PEERS/node/server.js" --service keyvalue-server > "$tmp/node" 2>/dev/null &
RUST=$(wait_listen "$tmp/rust")
NODE=$(wait_listen "$tmp/node")

echo "$(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); ${DUR}s per row, 2s warmup"
echo
echo "| server | in flight | calls/s | p50 (µs) | p99 (µs) | p99.9 (µs) | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for inflight in 100 1; do
    for pair in "Rust keyvalue-server:$RUST" "tchannel-node 4.0.1 server:$NODE"; do
        name=${pair%%:*}; hp=${pair#*:}
        out=$("$BIN/keyvalue-bench" --hostport "$hp" --in-flight "$inflight" --duration "$DUR")
        python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("| %s | %d | %.0f | %d | %d | %d | %d |" % (sys.argv[2], r["in_flight"], r["calls_per_sec"], r["p50_us"], r["p99_us"], r["p999_us"], r["errors"]))' "$out" "$name"
    done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
