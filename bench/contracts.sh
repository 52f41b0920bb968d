#!/bin/sh
# bench/contracts.sh — the smart-contract host's figures (see bench/README.md, "Contracts"):
#   1. through the library, in one process (bastion_contracts_bench): cold open + upload +
#      instantiate of flipper, then flip() calls per second (each a fresh wasm instance and a
#      committed LMDB write transaction) and get() dry-run queries per second;
#   2. through the CLI: the cost of one `bastion contract call` process (exec, open LMDB,
#      load the code, run, commit, print), and a cold `upload` + `instantiate` pair.
#
#   bench/contracts.sh [--build DIR] [--calls N] [--cli-calls N]
# DIR is a Release build directory (default: builds one in $TMPDIR/bastion-bench-build).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BASTION_SHARED_DIR:-$ROOT/../shared}
BUILD=
CALLS=1000
CLI_CALLS=100
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    --cli-calls) CLI_CALLS=$2; shift 2 ;;
    *) echo "usage: bench/contracts.sh [--build DIR] [--calls N] [--cli-calls N]" >&2; exit 64 ;;
    esac
done
if [ -z "$BUILD" ]; then
    BUILD=${TMPDIR:-/tmp}/bastion-bench-build
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD" -j2 --target bastion bastion_contracts_bench >/dev/null
fi
WASM=$SHARED/contracts/flipper_v5.wasm
now_ns() { date +%s%N; }

echo "## library (bastion_contracts_bench --calls $CALLS)"
"$BUILD/bastion_contracts_bench" --calls "$CALLS" "$WASM"

echo "## CLI (one process per operation)"
STATE=$(mktemp -d)
trap 'rm -rf "$STATE"' EXIT
B="$BUILD/bastion"
t0=$(now_ns)
"$B" contract upload "$WASM" --state "$STATE/s" >/dev/null
t1=$(now_ns)
ADDR=$("$B" contract instantiate "$WASM" --selector 0x9bae9d5e --args 00 --state "$STATE/s" |
       sed -n 's/^address //p')
t2=$(now_ns)
echo "cli_cold_upload_ms=$(( (t1 - t0) / 1000000 ))"
echo "cli_cold_instantiate_ms=$(( (t2 - t1) / 1000000 ))"
t0=$(now_ns)
i=0
while [ $i -lt "$CLI_CALLS" ]; do
    "$B" contract call "$ADDR" --selector 0x633aa551 --state "$STATE/s" >/dev/null
    i=$((i + 1))
done
t1=$(now_ns)
us=$(( (t1 - t0) / 1000 / CLI_CALLS ))
echo "cli_flip_calls=$CLI_CALLS"
echo "cli_flip_us_each=$us"
echo "cli_flip_per_second=$(( 1000000 / (us > 0 ? us : 1) ))"
