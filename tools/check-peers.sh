#!/usr/bin/env bash
# Smoke test of the installed interop peers: starts the Hyperbahn router, the
# tchannel-node and tchannel-python servers (both advertised to the router) and
# the tchannel-python trace relay (jaeger-client), and makes one call per path:
# node client -> python server, python client -> node server, both clients
# through the router, tcurl --health and -t against the node server, and the
# Apache Thrift oracles. Exits non-zero, with the peers' logs, if any step fails.
#
# Usage: tools/check-peers.sh        (run by tools/install-peers.sh)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS="$ROOT/peers"
NODE=${NODE:-node}
PY="$PEERS/.venv/bin/python"
TCURL="$PEERS/node_modules/.bin/tcurl"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tchannel-peers-check.XXXXXX")
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "check-peers: FAILED: $*" >&2
    local f
    for f in "$WORK"/*.err; do
        [ -e "$f" ] || continue
        echo "---- $(basename "$f") (last lines) ----" >&2
        tail -n 20 "$f" >&2 || true
    done
    exit 1
}

# start NAME CMD...: run CMD in the background, wait (<= 20 s) for its
# `listening on HOST:PORT` line and store HOST:PORT in $ADDR.
start() {
    local name=$1
    shift
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
    PIDS+=($!)
    local pid=$! i
    for i in $(seq 1 200); do
        if grep -q '^listening on ' "$WORK/$name.out" 2>/dev/null; then
            ADDR=$(sed -n 's/^listening on //p' "$WORK/$name.out" | head -n1)
            echo "check-peers: $name listening on $ADDR"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || fail "$name exited before listening"
        sleep 0.1
    done
    fail "$name did not print 'listening on' within 20 s"
}

# expect NAME JSON_LINES PYTHON_EXPR: every result line must satisfy the check.
expect_ok() {
    local name=$1 out=$2
    [ -n "$out" ] || fail "$name: no output"
    if ! printf '%s\n' "$out" | "$PY" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if not r.get("ok"):
        sys.exit("not ok: " + line)
'; then
        fail "$name: $out"
    fi
    echo "check-peers: $name ok"
}

CALLS='[{"scheme":"raw","endpoint":"echo","arg2":"01","arg3":"6869"},
        {"scheme":"json","endpoint":"add","arg3":{"a":1,"b":2}},
        {"scheme":"thrift","method":"setValue","args":{"key":"k","value":"v"}},
        {"scheme":"thrift","method":"getValue","args":{"key":"k"}},
        {"scheme":"health"}]'

start hyperbahn "$NODE" "$PEERS/hyperbahn/start.js"
HB=$ADDR
start node-server "$NODE" "$PEERS/node/server.js" --service check-node --advertise "$HB"
NODE_SRV=$ADDR
start python-server "$PY" "$PEERS/python/server.py" --service check-python --advertise "$HB"
PY_SRV=$ADDR
# The tracing relay listens only after jaeger-client has imported and built its tracer.
start python-trace-relay "$PY" "$PEERS/python/trace_server.py" --tracer jaeger

expect_ok "node client -> python server" \
    "$("$NODE" "$PEERS/node/client.js" --hostport "$PY_SRV" --service check-python --calls "$CALLS" 2>>"$WORK/clients.err")"
expect_ok "python client -> node server" \
    "$("$PY" "$PEERS/python/client.py" --hostport "$NODE_SRV" --service check-node --calls "$CALLS" 2>>"$WORK/clients.err")"
expect_ok "node client -> router -> python server" \
    "$("$NODE" "$PEERS/node/client.js" --hostport "$HB" --service check-python --calls "$CALLS" 2>>"$WORK/clients.err")"
expect_ok "python client -> router -> node server" \
    "$("$PY" "$PEERS/python/client.py" --hostport "$HB" --service check-node --calls "$CALLS" 2>>"$WORK/clients.err")"
expect_ok "node ping -> node server" \
    "$("$NODE" "$PEERS/node/client.js" --hostport "$NODE_SRV" --service check-node --calls '[{"scheme":"ping"}]' 2>>"$WORK/clients.err")"

out=$("$TCURL" -p "$NODE_SRV" check-node --health 2>>"$WORK/tcurl.err") || fail "tcurl --health: $out"
[ "$out" = "OK" ] || fail "tcurl --health printed: $out"
echo "check-peers: tcurl --health ok"
out=$("$TCURL" -p "$NODE_SRV" check-node KeyValue::getValue -t "$PEERS/thrift/keyvalue.thrift" --no-strict \
    -3 '{"key":"k"}' 2>>"$WORK/tcurl.err") || fail "tcurl -t: $out"
case "$out" in
    *'"ok":true'*'"body":"v"'*) echo "check-peers: tcurl -t ok" ;;
    *) fail "tcurl -t printed: $out" ;;
esac

# Apache Thrift 0.17 oracles: the IDL parser and python3-thrift's binary protocol.
out=$(cd "$WORK" && thrift --gen json -out "$WORK" "$PEERS/thrift/keyvalue.thrift" 2>&1 && cat "$WORK/keyvalue.json") \
    || fail "thrift --gen json: $out"
case "$out" in
    *'"KeyValue"'*) echo "check-peers: thrift --gen json ok" ;;
    *) fail "thrift --gen json printed: $out" ;;
esac
/usr/bin/python3 -c 'from thrift.protocol import TBinaryProtocol; from thrift.transport import TTransport' \
    || fail "python3-thrift does not import under /usr/bin/python3"
echo "check-peers: python3-thrift ok"

echo "check-peers: all peers run"
