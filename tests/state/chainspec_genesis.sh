#!/bin/sh
# chainspec_genesis.sh BASTION RUNTIMES_DIR — CTest state/chainspec_genesis.
# `bastion chainspec genesis` on the real raw chain specs of ../shared/runtimes must give the
# public genesis hashes of Westend and Rococo (which validates the whole trie root: node codec,
# inline/hashed children, compact lengths) and clean errors for bad input; the old raw format,
# light-client specs, codeSubstitutes and :heappages on inputs made from them.
set -u
bastion=$1
dir=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/../support/expect.sh"

# expect_genesis FILE VERSION HASH [OPTIONS...]: `chainspec genesis` prints both lines.
expect_genesis() {
    f=$1 v=$2 h=$3
    shift 3
    run "$bastion" chainspec genesis "$@" "$f"
    check "$f $*: state_version" 0 line "state_version $v" &&
        check "$f $*: genesis hash" 0 line "genesis_hash  $h"
}

# expect_rc RC PATTERN ARGS...: `chainspec ARGS` exits RC with output matching PATTERN.
expect_rc() {
    want=$1 pat=$2
    shift 2
    expect_run "chainspec $*" "$want" re "$pat" "$bastion" chainspec "$@"
}

# Public genesis hashes (Westend: polkadot-js apps / the README of ../shared/runtimes;
# Rococo v2.2, id rococo_v2_2: the genesis hash wallets and explorers list for Rococo).
expect_genesis "$dir/westend.json" 0 0xe143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e
expect_genesis "$dir/rococo.json" 0 0x6408de7737c59c238890533af25896a2c20608d8b380bb01029acb392781063e
# Forcing the version that the runtime declares anyway changes nothing.
expect_genesis "$dir/westend.json" 0 0xe143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e --state-version 0
# Westend's genesis has values of 33 bytes and more (:code), so V1 hashes them: another root.
out=$("$bastion" chainspec genesis --state-version 1 "$dir/westend.json" 2>&1)
if ! printf '%s\n' "$out" | grep -qx "state_version 1" ||
   printf '%s\n' "$out" | grep -q e143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e; then
    echo "FAIL: --state-version 1 should give another genesis:"; printf '%s\n' "$out"; failed=1
else
    echo "ok: --state-version 1 differs"
fi

# Chain spec formats (issue: Kusama's official spec is the old format; none is in ../shared, so
# the inputs are made from Westend's): the old "raw": [top, children] gives the same genesis;
# a light-client spec with Westend's state root gives Westend's genesis hash, and its
# lightSyncState header (here the genesis header itself) block 0 with that hash.
WESTEND=0xe143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e
WESTEND_ROOT=7e92439a94f79671f9cade9dff96a094519b9001a7432244d46ab644bb6f746f
EMPTY_ROOT=03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314
python3 - "$dir" "$tmp" "$WESTEND_ROOT" "$EMPTY_ROOT" <<'PY' || failed=1
import json, sys
d, t, root, empty = sys.argv[1:5]
spec = json.load(open(d + "/westend.json"))
raw = spec["genesis"]["raw"]
old = dict(spec)
old["genesis"] = {"raw": [raw["top"], raw.get("childrenDefault", {})]}
json.dump(old, open(t + "/old.json", "w"))
header = "0x" + "00" * 32 + "00" + root + empty + "00"
json.dump({"name": "Westend", "genesis": {"stateRootHash": "0x" + root},
           "lightSyncState": {"finalizedBlockHeader": header}}, open(t + "/light.json", "w"))
json.dump({"name": "x", "lightSyncState": {"finalizedBlockHeader": "0x1234"}},
          open(t + "/badsync.json", "w"))
json.dump({"name": "x", "genesis": {"runtimeGenesis": {"code": "0x00"}}}, open(t + "/plain.json", "w"))
# codeSubstitutes: the node-template runtime from block 0, and something from block 100.
subs = dict(spec)
subs["codeSubstitutes"] = {"0": "0x" + open(d + "/node_template_runtime.wasm", "rb").read().hex(),
                           "100": "0x00"}
json.dump(subs, open(t + "/subs.json", "w"))
# :heappages from the genesis storage: 8 pages are too few for test_exhaust_heap's 16 MiB.
code = open(d + "/sc_runtime_test.wasm", "rb").read().hex()
json.dump({"genesis": {"raw": {"top": {"0x3a636f6465": "0x" + code,
                                       "0x3a686561707061676573": "0x0800000000000000"}}}},
          open(t + "/heap8.json", "w"))
json.dump({"genesis": {"raw": {"top": {"0x3a636f6465": "0x" + code}}}}, open(t + "/heapdef.json", "w"))
PY
expect_genesis "$tmp/old.json" 0 $WESTEND
out=$("$bastion" chainspec genesis "$tmp/light.json" 2>"$tmp/light.err")
if [ $? -ne 0 ] || ! printf '%s\n' "$out" | grep -qx "genesis_hash  $WESTEND" ||
   ! printf '%s\n' "$out" | grep -qx "state_version unknown" ||
   ! printf '%s\n' "$out" | grep -qx "light_sync_finalized_number 0" ||
   ! printf '%s\n' "$out" | grep -qx "light_sync_finalized_hash $WESTEND" ||
   ! grep -q "not computed" "$tmp/light.err"; then
    echo "FAIL: light-client spec:"; printf '%s\n' "$out"; cat "$tmp/light.err"; failed=1
else
    echo "ok: light-client spec: genesis from stateRootHash, lightSyncState's block"
fi
expect_rc 1 "finalizedBlockHeader is not a header" genesis "$tmp/badsync.json"
expect_rc 1 "cannot be computed" genesis "$tmp/plain.json"
out=$("$bastion" chainspec genesis "$tmp/subs.json" 2>&1)
if ! printf '%s\n' "$out" | grep -qx "genesis_hash  $WESTEND" ||
   ! printf '%s\n' "$out" | grep -qx "code_substitutes 2: blocks 0 100"; then
    echo "FAIL: codeSubstitutes listed:"; printf '%s\n' "$out"; failed=1
else
    echo "ok: codeSubstitutes listed, genesis unchanged"
fi
out=$("$bastion" runtime version "$tmp/subs.json" 2>&1)
if ! printf '%s\n' "$out" | grep -qx "spec_name: node-template" ||
   ! printf '%s\n' "$out" | grep -q "code substitute for block 0"; then
    echo "FAIL: the block-0 code substitute runs:"; printf '%s\n' "$out"; failed=1
else
    echo "ok: runtime on a spec runs its block-0 code substitute"
fi
# :heappages: 8 pages from the storage trap; --heap-pages overrides; without it, the default;
# the dynamic heap grows the memory as the allocator needs.
out=$("$bastion" runtime call --allow-missing "$tmp/heap8.json" test_exhaust_heap 0x00 2>&1)
if [ $? -eq 0 ] || ! printf '%s\n' "$out" | grep -q "Allocator ran out of space"; then
    echo "FAIL: :heappages 8 should exhaust the heap:"; printf '%s\n' "$out"; failed=1
else
    echo "ok: :heappages from the genesis storage"
fi
for args in "--heap-pages 2048 $tmp/heap8.json" "$tmp/heapdef.json" "--heap dynamic $tmp/heap8.json"; do
    # shellcheck disable=SC2086
    if ! "$bastion" runtime call --allow-missing $args test_exhaust_heap 0x00 >/dev/null 2>&1; then
        echo "FAIL: runtime call $args should have room"; failed=1
    else
        echo "ok: runtime call $args has room"
    fi
done

# A tiny spec with a child trie and no :code (so --state-version is needed).
cat >"$tmp/child.json" <<'JSON'
{"genesis": {"raw": {"top": {"0x6b6579": "0x76616c7565"},
 "childrenDefault": {"0x6368696c64": {"0x01": "0x02"}}}}}
JSON
expect_rc 1 "give --state-version" genesis "$tmp/child.json"
expect_rc 0 "genesis_hash" genesis --state-version 0 "$tmp/child.json"

# Errors.
expect_rc 1 "error" genesis "$tmp/missing.json"
printf '{"genesis": {"raw": {"top": {"0x12": ' >"$tmp/bad.json"
expect_rc 1 "invalid JSON (line 1, column [0-9]" genesis "$tmp/bad.json"
# Integers are 64-bit: the largest one is read (in a member the command ignores), one beyond is
# an error saying so, never a rounded value.
printf '{"genesis": {"raw": {"top": {"0x12": "0x00"}}}, "n": 9223372036854775807}' >"$tmp/i64.json"
expect_rc 0 "genesis_hash" genesis --state-version 0 "$tmp/i64.json"
printf '{"genesis": {"raw": {"top": {"0x12": "0x00"}}}, "n": 9223372036854775808}' >"$tmp/big.json"
expect_rc 1 "invalid JSON (line 1, column [0-9]*: too big integer" genesis --state-version 0 "$tmp/big.json"
# A duplicated key keeps its last value (as serde_json and JSON.parse read it).
printf '{"genesis": {"raw": {"top": {"0x12": "0x00", "0x12": "0x01"}}}}' >"$tmp/dup.json"
printf '{"genesis": {"raw": {"top": {"0x12": "0x01"}}}}' >"$tmp/last.json"
printf '{"genesis": {"raw": {"top": {"0x12": "0x00"}}}}' >"$tmp/first.json"
hash_of() { "$bastion" chainspec genesis --state-version 0 "$1" 2>&1 | grep genesis_hash; }
if [ -z "$(hash_of "$tmp/dup.json")" ] || [ "$(hash_of "$tmp/dup.json")" != "$(hash_of "$tmp/last.json")" ] ||
   [ "$(hash_of "$tmp/dup.json")" = "$(hash_of "$tmp/first.json")" ]; then
    echo "FAIL: a duplicated key should keep its last value"; failed=1
else
    echo "ok: a duplicated key keeps its last value"
fi
printf '{"genesis": {"raw": {"top": {"0x1g": "0x00"}}}}' >"$tmp/badhex.json"
expect_rc 1 "not hex" genesis --state-version 0 "$tmp/badhex.json"
printf '{"genesis": {"raw": {"top": {"0x12": "0x0"}}}}' >"$tmp/oddhex.json"
expect_rc 1 "not a hex string" genesis --state-version 0 "$tmp/oddhex.json"
printf '{"genesis": {"runtime": {}}}' >"$tmp/notraw.json"
expect_rc 1 "cannot be computed" genesis --state-version 0 "$tmp/notraw.json"
expect_rc 64 "usage" genesis
expect_rc 64 "usage" frobnicate
expect_rc 64 "takes 0 or 1" genesis --state-version 2 "$dir/westend.json"
expect_rc 0 "usage: bastion chainspec genesis" --help

finish state/chainspec_genesis
