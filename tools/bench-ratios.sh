#!/usr/bin/env bash
# Issue 12's wall-clock ratios, measured in one run (BENCHMARKS.md, "Issue 12: the ratios").
# Rounds alternate the systems so machine load spreads over all of them; each row is the
# median of the rounds. Every server is started fresh per run, one connection unless said.
#
#   tools/bench-ratios.sh [ROUNDS] [DURATION_SECS]      # defaults: 3 rounds, 5 s per run
#
# Rows (100-byte payload; 1 tokio worker per process unless said):
#   plain       the plain tokio framing echo, its own client, 100 in flight (the ceiling)
#   raw         tchannel-rs client -> tchannel-rs server, raw echo, 100 in flight
#   frames      pre-encoded call req frames -> tchannel-rs server, 100 in flight
#   thrift      generated KeyValueClient::get_value -> keyvalue-server, 100 in flight
#   plain-seq / raw-seq   the same as plain / raw at 1 in flight (sequential p50)
#   raw-4x2     4 connections x 100 in flight, server and client with 2 workers each
#   frames-4x2  the same with the frame generator as the client
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROUNDS=${1:-3}
DUR=${2:-5}
cargo build -q --release -p tchannel-bench -p keyvalue
B=target/release/tchannel-bench
KV=target/release
OUT=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

start() { # log cmd... -> sets PID ADDR
    local log=$1
    shift
    "$@" >"$log" 2>/dev/null &
    PID=$!
    for _ in $(seq 100); do
        ADDR=$(sed -n 's/^listening on //p' "$log" | head -1)
        [ -n "$ADDR" ] && return 0
        sleep 0.1
    done
    echo "no listening line from $*" >&2
    exit 1
}
stop() { kill -INT "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
load() { "$B" load --size 100 --warmup 1 --duration "$DUR" "$@" | head -1; }

run() { # name -> one JSON line appended to $OUT/name
    local name=$1 line
    case $name in
    plain) start "$OUT/s" "$B" --threads 1 echo-server --listen 127.0.0.1:0
        line=$(load --threads 1 --target plain --hostport "$ADDR" --in-flight 100) ;;
    plain-seq) start "$OUT/s" "$B" --threads 1 echo-server --listen 127.0.0.1:0
        line=$(load --threads 1 --target plain --hostport "$ADDR" --in-flight 1) ;;
    raw) start "$OUT/s" "$B" --threads 1 server --listen 127.0.0.1:0
        line=$(load --threads 1 --target tchannel --hostport "$ADDR" --in-flight 100) ;;
    raw-seq) start "$OUT/s" "$B" --threads 1 server --listen 127.0.0.1:0
        line=$(load --threads 1 --target tchannel --hostport "$ADDR" --in-flight 1) ;;
    frames) start "$OUT/s" "$B" --threads 1 server --listen 127.0.0.1:0
        line=$(load --threads 1 --target frames --service interop --hostport "$ADDR" --in-flight 100) ;;
    raw-4x2) start "$OUT/s" "$B" --threads 2 server --listen 127.0.0.1:0
        line=$(load --threads 2 --target tchannel --hostport "$ADDR" --in-flight 100 --connections 4) ;;
    frames-4x2) start "$OUT/s" "$B" --threads 2 server --listen 127.0.0.1:0
        line=$(load --threads 2 --target frames --service interop --hostport "$ADDR" --in-flight 100 --connections 4) ;;
    thrift) TOKIO_WORKER_THREADS=1 start "$OUT/s" "$KV/keyvalue-server" 127.0.0.1:0
        line=$("$KV/keyvalue-bench" --hostport "$ADDR" --in-flight 100 --duration "$DUR" --warmup 1) ;;
    esac
    stop
    echo "$line" >>"$OUT/$name"
}

SYSTEMS=(plain raw frames thrift plain-seq raw-seq raw-4x2 frames-4x2)
echo "$(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds of ${DUR} s per row"
for r in $(seq "$ROUNDS"); do
    n=${#SYSTEMS[@]}
    for i in $(seq 0 $((n - 1))); do
        run "${SYSTEMS[$(((i + r) % n))]}"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" "${SYSTEMS[@]}" <<'EOF'
import json, statistics, sys
out, systems = sys.argv[1], sys.argv[2:]
rows = {}
for s in systems:
    runs = [json.loads(l) for l in open(f"{out}/{s}") if l.strip()]
    rows[s] = {
        "cps": statistics.median(r["calls_per_sec"] for r in runs),
        "p50": statistics.median(r["p50_us"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "all": [round(r["calls_per_sec"]) for r in runs],
    }
print("\n| row | calls/s (median) | runs | p50 µs | errors |")
print("|---|---:|---|---:|---:|")
for s in systems:
    r = rows[s]
    print(f"| {s} | {r['cps']:,.0f} | {r['all']} | {r['p50']:.0f} | {r['errors']} |")
ratio = lambda a, b: rows[a]["cps"] / rows[b]["cps"]
print("\n| ratio | value | issue 12 target |")
print("|---|---:|---:|")
print(f"| raw / plain, 100 in flight | {ratio('raw', 'plain'):.2f}x | >= 0.35x |")
print(f"| frames / plain, 100 in flight | {ratio('frames', 'plain'):.2f}x | >= 0.6x |")
print(f"| sequential p50 raw / plain | {rows['raw-seq']['p50'] / rows['plain-seq']['p50']:.2f}x | <= 1.2x |")
print(f"| raw 4 conns x 2 workers / raw 1 x 1 | {ratio('raw-4x2', 'raw'):.2f}x | >= 1.6x |")
print(f"| frames 4 conns x 2 workers / frames 1 x 1 | {ratio('frames-4x2', 'frames'):.2f}x | (report) |")
print(f"| thrift getValue / raw echo, 100 in flight | {ratio('thrift', 'raw'):.2f}x | >= 0.8x |")
EOF
