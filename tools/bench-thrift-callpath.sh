#!/usr/bin/env bash
# Instructions and allocations per thrift `KeyValue::getValue` call through the generated
# client and server (examples/keyvalue), one side under valgrind while the other runs
# natively; the thrift counterpart of tools/bench-callpath.sh (BENCHMARKS.md, "Issue 12,
# fourth pass: thrift"). Load does not change these counts, so the figures of two builds
# measured one after the other compare.
#
#   tools/bench-thrift-callpath.sh BIN_DIR [OUT_DIR]
#
# BIN_DIR holds release `keyvalue-server` and `keyvalue-bench`
# (`cargo build --release -p keyvalue`, then BIN_DIR = target/release). Prints one line per
# figure:
#   server instructions per call: callgrind of `keyvalue-server` (1 tokio worker) under
#     keyvalue-bench (100 in flight, 8 s); total instructions / calls the bench completed
#   client instructions per call: callgrind of `keyvalue-bench` (100 in flight) against a
#     native keyvalue-server, 2 s and 8 s; the slope (total8 - total2) / (calls8 - calls2),
#     so start-up and shutdown cancel
#   server allocations per call: dhat of the server, keyvalue-bench at 1 in flight, 8 s
#   client allocations per call: dhat of the bench at 1 in flight, 2 s and 8 s, the slope
set -euo pipefail
LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench-lib.sh # start, stop, calls, ir, blocks
DIR=$(realpath "$1")
SRV=$DIR/keyvalue-server
CLI=$DIR/keyvalue-bench
OUT=${2:-$(mktemp -d)}
mkdir -p "$OUT"
cd "$OUT"
export TOKIO_WORKER_THREADS=1

source "$LIB"
bench() { "$CLI" --hostport "$ADDR" --warmup 0 "$@"; }

# Server instructions.
start srv valgrind --tool=callgrind --callgrind-out-file=srv.cg "$SRV" 127.0.0.1:0
bench --in-flight 100 --duration 8 >srv.load
stop
echo "server instructions per call: $(( $(ir srv.cg) / $(calls srv.load) ))  ($(calls srv.load) calls)"

# Client instructions (slope of two runs).
start nat "$SRV" 127.0.0.1:0
for d in 2 8; do
    valgrind --tool=callgrind --callgrind-out-file=cli$d.cg "$CLI" --hostport "$ADDR" \
        --warmup 0 --in-flight 100 --duration $d >cli$d.load 2>cli$d.stderr
done
c2=$(calls cli2.load); c8=$(calls cli8.load)
echo "client instructions per call: $(( ($(ir cli8.cg) - $(ir cli2.cg)) / (c8 - c2) ))  ($c2 and $c8 calls)"

# Client allocations at 1 in flight (slope of two runs).
for d in 2 8; do
    valgrind --tool=dhat --dhat-out-file=cli$d.dhat "$CLI" --hostport "$ADDR" \
        --warmup 0 --in-flight 1 --duration $d >clia$d.load 2>clia$d.stderr
done
stop
a2=$(calls clia2.load); a8=$(calls clia8.load)
b2=$(blocks clia2.stderr); b8=$(blocks clia8.stderr)
echo "client allocations per call: $(awk "BEGIN{printf \"%.2f\", ($b8 - $b2) / ($a8 - $a2)}")  ($a2 and $a8 calls)"

# Server allocations at 1 in flight.
start srva valgrind --tool=dhat --dhat-out-file=srv.dhat "$SRV" 127.0.0.1:0
bench --in-flight 1 --duration 8 >srva.load
stop
echo "server allocations per call: $(awk "BEGIN{printf \"%.2f\", $(blocks srva.stderr) / $(calls srva.load)}")  ($(calls srva.load) calls)"
echo "(files in $OUT)"
