#!/usr/bin/env bash
# Instructions and allocations per raw echo call (100-byte payload), one side under valgrind
# while the other runs natively (BENCHMARKS.md, "Issue 12: the channel side"). Load does not
# change these counts, so the figures of two binaries measured one after the other compare.
#
#   tools/bench-callpath.sh BIN [OUT_DIR]
#
# BIN is a release `tchannel-bench`. Prints one line per figure:
#   server instructions per call: callgrind of `BIN --threads 1 server` under the frame-level
#     load (100 in flight, 8 s); total instructions / calls the load completed
#   client instructions per call: callgrind of `BIN --threads 1 load --target tchannel`
#     (100 in flight) against BIN's native server, 2 s and 8 s; the slope
#     (total8 - total2) / (calls8 - calls2), so start-up and shutdown cancel
#   server allocations per call: dhat of the server, frame-level load at 1 in flight, 8 s
#   client allocations per call: dhat of the client at 1 in flight, 2 s and 8 s, the slope
set -euo pipefail
LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench-lib.sh # start, stop, calls, ir, blocks
BIN=$(realpath "$1")
OUT=${2:-$(mktemp -d)}
mkdir -p "$OUT"
cd "$OUT"

source "$LIB"
load() { "$BIN" --threads 1 load --size 100 --warmup 0 --connections 1 "$@"; }

# Server instructions.
start srv valgrind --tool=callgrind --callgrind-out-file=srv.cg "$BIN" --threads 1 server --listen 127.0.0.1:0
load --target frames --hostport "$ADDR" --service interop --in-flight 100 --duration 8 >srv.load
stop
echo "server instructions per call: $(( $(ir srv.cg) / $(calls srv.load) ))  ($(calls srv.load) calls)"

# Client instructions (slope of two runs).
start nat "$BIN" --threads 1 server --listen 127.0.0.1:0
for d in 2 8; do
    valgrind --tool=callgrind --callgrind-out-file=cli$d.cg "$BIN" --threads 1 load --size 100 \
        --warmup 0 --connections 1 --target tchannel --hostport "$ADDR" --service bench \
        --in-flight 100 --duration $d >cli$d.load 2>cli$d.stderr
done
c2=$(calls cli2.load); c8=$(calls cli8.load)
echo "client instructions per call: $(( ($(ir cli8.cg) - $(ir cli2.cg)) / (c8 - c2) ))  ($c2 and $c8 calls)"

# Client allocations at 1 in flight (slope of two runs).
for d in 2 8; do
    valgrind --tool=dhat --dhat-out-file=cli$d.dhat "$BIN" --threads 1 load --size 100 \
        --warmup 0 --connections 1 --target tchannel --hostport "$ADDR" --service bench \
        --in-flight 1 --duration $d >clia$d.load 2>clia$d.stderr
done
stop
a2=$(calls clia2.load); a8=$(calls clia8.load)
b2=$(blocks clia2.stderr); b8=$(blocks clia8.stderr)
echo "client allocations per call: $(awk "BEGIN{printf \"%.2f\", ($b8 - $b2) / ($a8 - $a2)}")  ($a2 and $a8 calls)"

# Server allocations at 1 in flight.
start srva valgrind --tool=dhat --dhat-out-file=srv.dhat "$BIN" --threads 1 server --listen 127.0.0.1:0
load --target frames --hostport "$ADDR" --service interop --in-flight 1 --duration 8 >srva.load
stop
echo "server allocations per call: $(awk "BEGIN{printf \"%.2f\", $(blocks srva.stderr) / $(calls srva.load)}")  ($(calls srva.load) calls)"
echo "(files in $OUT)"
