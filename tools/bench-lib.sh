# Helpers shared by tools/bench-callpath.sh and tools/bench-thrift-callpath.sh (sourced).

# Starts `$@` in the background, waits for its `listening on HOST:PORT` line; sets PID, ADDR.
start() {
    local log=$1
    shift
    "$@" >"$log.stdout" 2>"$log.stderr" &
    PID=$!
    for _ in $(seq 600); do
        ADDR=$(sed -n 's/^listening on //p' "$log.stdout" | head -1)
        [ -n "$ADDR" ] && return 0
        sleep 0.1
    done
    echo "no listening line from $*" >&2
    kill "$PID"
    exit 1
}
stop() {
    kill -INT "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
}
# The calls a load or bench run completed (its JSON line's "calls").
calls() { grep -o '"calls":[0-9]*' "$1" | head -1 | cut -d: -f2; }
# Total instructions of a callgrind file.
ir() { sed -n 's/^totals: *//p' "$1" | awk '{print $1}'; }
# Blocks allocated, from dhat's stderr.
blocks() { sed -n 's/.*Total: .* in \([0-9,]*\) blocks.*/\1/p' "$1" | tr -d , | head -1; }
