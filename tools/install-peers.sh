#!/usr/bin/env bash
# Installs the real TChannel peers the interop tests run against, from the
# project's own files only:
#   - Debian: thrift-compiler, python3-thrift (Apache Thrift 0.17 oracles),
#     and the toolchain node-gyp needs (g++, make, python3)
#   - peers/node_modules: npm tchannel@4.0.1, tcurl@4.23.1, hyperbahn@2.20.1
#     (peers/package.json + package-lock.json; stand-ins in peers/stubs/)
#   - peers/.venv: PyPI tchannel==2.1.0, PyYAML, mock (peers/python/requirements.txt)
# then runs tools/check-peers.sh, which starts every peer and makes calls.
#
# Idempotent: each part is skipped when its stamp (peers/.installed-PART)
# holds the hash of its inputs and its output is present. A second run takes
# about a second.
#
# Usage: tools/install-peers.sh [--force] [--check]
#   --force   reinstall everything (ignore the stamps)
#   --check   run tools/check-peers.sh even when nothing was installed
# Env: PYTHON (python for the venv, default python3), NPM (default npm)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS="$ROOT/peers"
LOGS="$PEERS/.installed-logs"
PYTHON=${PYTHON:-python3}
NPM=${NPM:-npm}
FORCE=0
CHECK=0
for a in "$@"; do
    case "$a" in
        --force) FORCE=1 ;;
        --check) CHECK=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "install-peers: unknown option $a" >&2; exit 2 ;;
    esac
done

mkdir -p "$LOGS"
# One install at a time (two test runs started together share the peers).
exec 9>"$PEERS/.installed-lock"
flock 9

T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="${2:-$(date +%s.%N)}" 'BEGIN { printf "%.1fs", b - a }'; }
say() { echo "install-peers: $*"; }

hash_of() {
    # hash_of FILE... : one hash over names and contents, plus tool versions
    { for f in "$@"; do echo "== ${f#"$ROOT"/}"; cat "$f"; done; } | sha256sum | cut -d' ' -f1
}

is_current() {
    # is_current PART HASH MARKER: stamp matches and MARKER exists
    [ "$FORCE" = 0 ] && [ -e "$3" ] && [ "$(cat "$PEERS/.installed-$1" 2>/dev/null)" = "$2" ]
}

# ------------------------------------------------------------------ inputs
for tool in node "$NPM" "$PYTHON"; do
    command -v "$tool" >/dev/null || { echo "install-peers: '$tool' not found on PATH" >&2; exit 1; }
done
NODE_VERSION=$(node --version)
PY_VERSION=$("$PYTHON" -c 'import sys; print(sys.version.split()[0])')
case "$NODE_VERSION" in
    v20.*) ;;
    *) say "warning: expected Node 20, found $NODE_VERSION (the native addons were checked on 20)" ;;
esac

APT_PACKAGES=(thrift-compiler python3-thrift g++ make python3)
APT_HASH=$(echo "${APT_PACKAGES[*]}" | sha256sum | cut -d' ' -f1)
# This script is an input too: a change to how a part installs redoes that part.
NPM_HASH=$( (echo "node $NODE_VERSION"; hash_of "$ROOT/tools/install-peers.sh" "$PEERS/package.json" "$PEERS/package-lock.json" \
    "$PEERS/.npmrc" $(find "$PEERS/stubs" -type f | LC_ALL=C sort)) | sha256sum | cut -d' ' -f1)
VENV_HASH=$( (echo "python $PY_VERSION"; hash_of "$ROOT/tools/install-peers.sh" "$PEERS/python/requirements.txt") | sha256sum | cut -d' ' -f1)

# -------------------------------------------------------------------- apt
install_apt() {
    local missing=() p
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo=()
        [ "$(id -u)" = 0 ] || sudo=(sudo)
        "${sudo[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    echo "$APT_HASH" >"$PEERS/.installed-apt"
}

# -------------------------------------------------------------------- npm
install_npm() {
    cd "$PEERS"
    # npm ci: exactly the lock file. --foreground-scripts shows node-gyp's
    # output in the log; farmhash and sse4_crc32 compile against /usr/include/node
    # (peers/.npmrc nodedir=/usr).
    "$NPM" ci --no-audit --no-fund --foreground-scripts
    # npm 11 may skip install scripts it was not told to allow: build the two
    # native addons explicitly if they did not load.
    if ! node -e "require('farmhash'); require('sse4_crc32')" 2>/dev/null; then
        "$NPM" rebuild farmhash sse4_crc32 --foreground-scripts --ignore-scripts=false
    fi
    node -e "require('farmhash'); require('sse4_crc32'); require('tchannel'); require('tchannel/as/thrift')"
    echo "$NPM_HASH" >"$PEERS/.installed-npm"
}

# ------------------------------------------------------------------- venv
install_venv() {
    rm -rf "$PEERS/.venv"
    "$PYTHON" -m venv "$PEERS/.venv"
    "$PEERS/.venv/bin/pip" install --disable-pip-version-check -q -r "$PEERS/python/requirements.txt"
    "$PEERS/.venv/bin/python" -c 'import tchannel, tchannel.testing.vcr, yaml, mock'
    echo "$VENV_HASH" >"$PEERS/.installed-venv"
}

# Run the parts that are out of date in parallel, each logging to a file.
declare -A PIDS=() STARTS=()
run_part() {
    local part=$1
    STARTS[$part]=$(date +%s.%N)
    say "$part: installing (log: peers/.installed-logs/$part.log)"
    rm -f "$LOGS/$part.end"
    ( "install_$part" && date +%s.%N >"$LOGS/$part.end" ) >"$LOGS/$part.log" 2>&1 &
    PIDS[$part]=$!
}

INSTALLED=0
is_current apt "$APT_HASH" /usr/bin/thrift || run_part apt
is_current npm "$NPM_HASH" "$PEERS/node_modules/tchannel/package.json" || run_part npm
is_current venv "$VENV_HASH" "$PEERS/.venv/bin/python" || run_part venv

FAILED=0
for part in apt npm venv; do
    [ -n "${PIDS[$part]:-}" ] || { say "$part: up to date"; continue; }
    INSTALLED=1
    if wait "${PIDS[$part]}"; then
        say "$part: done in $(elapsed "${STARTS[$part]}" "$(cat "$LOGS/$part.end")")"
    else
        FAILED=1
        say "$part: FAILED after $(elapsed "${STARTS[$part]}"); last lines of its log:"
        tail -n 40 "$LOGS/$part.log" | sed 's/^/    /'
        rm -f "$PEERS/.installed-$part"
    fi
done
[ "$FAILED" = 0 ] || exit 1

if [ "$INSTALLED" = 1 ] || [ "$CHECK" = 1 ]; then
    T1=$(date +%s.%N)
    say "checking that every peer runs (tools/check-peers.sh)"
    "$ROOT/tools/check-peers.sh"
    say "check: done in $(elapsed "$T1")"
fi
say "all peers ready in $(elapsed "$T0")"
