#!/bin/sh
# proof.sh BASTION RUNTIMES_DIR — CTest substrate/proof: `bastion runtime call --record-proof`
# on the node-template-local chain spec writes the nodes the call read, and the same call
# replays on that proof alone (--proof --state-root) with the same answer; the recorded state
# root is the spec's genesis state root; a pruned proof (one node dropped) and a wrong root fail
# with "incomplete proof", never an answer as if the key were absent; misuse exits 64.
set -u
bastion=$1
dir=$2
spec=$dir/node-template-local.json
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

root=$("$bastion" chainspec genesis "$spec" | sed -n 's/^state_root *//p')
# Alice's account nonce: reads System::Account(Alice) from the genesis state.
alice=0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
for method in AccountNonceApi_account_nonce; do
    want=$("$bastion" runtime call "$spec" $method $alice | tail -n 1)
    got=$("$bastion" runtime call --record-proof "$tmp/p.json" "$spec" $method $alice 2>"$tmp/err" | tail -n 1)
    [ "$got" = "$want" ] && ok "$method recorded: $got" || bad "$method recorded: $got, want $want"
    grep -q "state root $root" "$tmp/err" && ok "recorded state root is the genesis root" ||
        { bad "recorded root"; cat "$tmp/err"; }
    n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$tmp/p.json")
    [ "$n" -gt 0 ] && ok "$n nodes recorded" || bad "no node recorded"
    got=$("$bastion" runtime call --proof "$tmp/p.json" --state-root "$root" "$spec" $method $alice | tail -n 1)
    [ "$got" = "$want" ] && ok "$method replayed on the proof alone" || bad "replay: $got, want $want"
    # Every node is needed: dropping any one fails the call as incomplete.
    i=0
    pruned_fail=$fail
    fail=0
    while [ $i -lt "$n" ]; do
        python3 -c "import json,sys; d=json.load(open(sys.argv[1])); del d[int(sys.argv[2])]; json.dump(d, open(sys.argv[3], 'w'))" \
            "$tmp/p.json" $i "$tmp/pruned.json"
        if "$bastion" runtime call --proof "$tmp/pruned.json" --state-root "$root" "$spec" $method $alice \
            >"$tmp/out" 2>"$tmp/err"; then
            bad "pruned proof (node $i dropped) answered $(cat "$tmp/out")"
        elif ! grep -q "incomplete proof" "$tmp/err"; then
            bad "pruned proof (node $i dropped): $(cat "$tmp/err")"
        fi
        i=$((i + 1))
    done
    [ $fail -eq 0 ] && ok "each of the $n nodes is needed"
    [ $pruned_fail -ne 0 ] && fail=1
done
# Another root: its node is not in the proof.
other=0x0000000000000000000000000000000000000000000000000000000000000001
if "$bastion" runtime call --proof "$tmp/p.json" --state-root $other "$spec" \
    AccountNonceApi_account_nonce $alice >/dev/null 2>"$tmp/err" || ! grep -q "incomplete proof" "$tmp/err"; then
    :
fi
grep -q "incomplete proof" "$tmp/err" && ok "a root the proof lacks is incomplete" || bad "other root: $(cat "$tmp/err")"
# Misuse and bad files.
for args in "--proof $tmp/p.json" "--state-root $root" "--proof $tmp/p.json --state-root 0x12" \
            "--proof $tmp/p.json --state-root $root --record-proof $tmp/q.json"; do
    # shellcheck disable=SC2086
    "$bastion" runtime call $args "$spec" Core_version >/dev/null 2>&1
    [ $? -eq 64 ] && ok "misuse $args" || bad "misuse $args: not 64"
done
echo '["0x12", 5]' >"$tmp/badproof.json"
"$bastion" runtime call --proof "$tmp/badproof.json" --state-root "$root" "$spec" Core_version >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "not a hex string" "$tmp/err" && ok "a non-hex node is refused" || bad "bad proof: $(cat "$tmp/err")"
"$bastion" runtime call --record-proof "$tmp/q.json" "$dir/node_template_runtime.wasm" Core_version >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "needs a chain spec" "$tmp/err" && ok "--record-proof needs a chain spec" || bad "record on wasm: $(cat "$tmp/err")"
exit $fail
