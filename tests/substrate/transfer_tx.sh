#!/bin/sh
# transfer_tx.sh BASTION RUNTIMES_DIR — CTest substrate/transfer_tx.
# `bastion runtime transfer-tx` on the node-template local testnet (and Rococo's genesis): the
# extrinsic it prints is accepted by the runtime's own validate_transaction through
# `runtime call --dry-run`; --validate reports the runtime's verdict (BadProof for a foreign
# genesis hash, Payment for an account without funds, a requires tag for a future nonce);
# misuse exits 64.
set -u
bastion=$1
dir=$2
spec=$dir/node-template-local.json
genesis=6bf30d04495c16ef053de4ac74eac35dfd6473e4907810f450bea1b976ac518f
fail=0

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# tx ARGS...: runs transfer-tx, sets $out (stdout), $err (stderr) and $rc.
tx() {
    out=$("$bastion" runtime transfer-tx "$@" 2>"${TMPDIR:-/tmp}/transfer_tx.$$")
    rc=$?
    err=$(cat "${TMPDIR:-/tmp}/transfer_tx.$$")
    rm -f "${TMPDIR:-/tmp}/transfer_tx.$$"
}

# The printed extrinsic, validated by a separate runtime call: Ok(ValidTransaction) = 0x00...
tx --from //Alice --to //Bob --amount 1_000_000_000_000 "$spec"
case $out in
0x*) ok "transfer-tx printed $(printf '%s' "$out" | cut -c1-24)..." ;;
*) bad "transfer-tx (exit $rc): $out $err" ;;
esac
printf '%s\n' "$err" | grep -q "^nonce 0, spec_version 100, transaction_version 1, genesis 0x$genesis$" &&
    ok "nonce, versions and genesis hash on stderr" || bad "stderr: $err"
res=$("$bastion" runtime call --dry-run "$spec" TaggedTransactionQueue_validate_transaction \
    "0x02${out#0x}$genesis" 2>&1 | tail -1)
case $res in
0x00*) ok "validate_transaction: Ok" ;;
*) bad "validate_transaction: $res" ;;
esac
# MultiAddress::Id(Alice), then the sr25519 variant of MultiSignature
case $out in
0x??028400d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d01*) ok "signer Alice, sr25519" ;;
*) bad "signer/signature bytes: $out" ;;
esac

tx --validate --from //Alice --to 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty --amount 5 \
    --nonce 3 "$spec"
[ $rc -eq 0 ] && printf '%s\n' "$err" | grep -q "requires 1 tag" &&
    ok "--validate, SS58 --to, --nonce 3: valid, requires a tag" || bad "future nonce (exit $rc): $err"
tx --validate --from //Alice --to //Bob --amount 5 \
    --genesis-hash 0x6bf30d04495c16ef053de4ac74eac35dfd6473e4907810f450bea1b976ac518e "$spec"
[ $rc -eq 1 ] && printf '%s\n' "$err" | grep -q "Invalid(BadProof)" && [ -z "$out" ] &&
    ok "another genesis hash: Invalid(BadProof)" || bad "wrong genesis (exit $rc): $err"
tx --validate --scheme ed25519 --from //Alice --amount 5 \
    --to 0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48 "$spec"
[ $rc -eq 1 ] && printf '%s\n' "$err" | grep -q "Invalid(Payment)" &&
    ok "ed25519 //Alice (no funds): Invalid(Payment)" || bad "ed25519 (exit $rc): $err"
tx --validate --scheme ecdsa --from //Alice --to //Bob --amount 5 "$dir/rococo.json"
[ $rc -eq 1 ] && printf '%s\n' "$err" | grep -q "Invalid(Payment)" &&
    ok "Rococo genesis, ecdsa: Invalid(Payment)" || bad "rococo (exit $rc): $err"

# misuse
for args in "--from //Alice --to //Bob $spec" \
    "--from //Alice --to //Bob --amount 340282366920938463463374607431768211456 $spec" \
    "--from //Alice --to nobody! --amount 1 $spec" \
    "--from //Alice --to //Bob --amount 1 --scheme rsa $spec" \
    "--from //Alice --to //Bob --amount 1 --nonce x $spec" \
    "--from //Alice --to //Bob --amount 1 $dir/node_template_runtime.wasm"; do
    # shellcheck disable=SC2086
    tx $args
    [ $rc -eq 64 ] && [ -n "$err" ] && ok "exit 64: $(printf '%s' "$err" | head -1)" ||
        bad "expected exit 64 for $args (exit $rc): $err"
done
# an old runtime (no transaction version, metadata V11): an error, not a crash
tx --from //Alice --to //Bob --amount 1 "$dir/westend.json"
[ $rc -eq 1 ] && [ -n "$err" ] && ok "westend genesis: exit 1: $err" || bad "westend (exit $rc): $err"

[ $fail -eq 0 ] && echo "substrate/transfer_tx: all passed"
exit $fail
