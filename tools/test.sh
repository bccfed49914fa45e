#!/usr/bin/env bash
# The one command that runs every test on a fresh machine: installs the real
# TChannel peers (tools/install-peers.sh; about a second when already done),
# then runs the whole Cargo workspace's tests, interop suite included.
#
# Usage: tools/test.sh [extra cargo test args...]
#   e.g. tools/test.sh -- --nocapture
#        tools/test.sh -p tchannel-tests interop
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

echo "+ tools/install-peers.sh"
tools/install-peers.sh

# Where the interop tests find the peers (peers/README.md). A test that needs a peer missing
# there fails with what is missing (tests/src/lib.rs, check_peers): nothing is skipped.
export TCHANNEL_PEERS_DIR="$ROOT/peers"

echo "+ cargo test --workspace --no-fail-fast $*"
exec cargo test --workspace --no-fail-fast "$@"
