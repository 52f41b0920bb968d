#!/bin/sh
# cli.sh BASTION WAT2WASM MINISIGN SHARED — CTest sign/cli: `bastion keygen|sign|verify` and the
# trust policy of run / contract / runtime, against the real minisign tool:
#   - keys: NAME.key mode 0600, no silent overwrite, misuse exits 64;
#   - minisign interop both ways: minisign's key pair and signatures (prehashed and legacy)
#     verify in Bastion, Bastion's key and detached signature verify with `minisign -V`, and a
#     tampered byte fails both; Bastion signs modules with minisign's secret key;
#   - embedded signatures: round trip, every single-byte change of a signed module refused, an
#     unsigned custom section appended after the delimiter still verifies, two keys meet a
#     threshold of 2 (one key twice does not), a signed module runs unchanged;
#   - each refusal of `run --trusted-key` (unsigned, unknown key, bad signature, tampered,
#     unsigned section, too few signers) exits 1 with its reason and runs nothing; contract
#     upload refuses before the state exists; runtime version of a signed runtime.
# The encrypted keys (scrypt, about 1 GiB each) are tests/sign/encrypted.sh.
set -u
BASTION=$1
WAT2WASM=$2
MINISIGN=$3
SHARED=$4
. "$(dirname "$0")/lib.sh"
sign_setup

# ---- help, keys ---------------------------------------------------------------------------
for cmd in keygen sign verify; do
    expect 0 "usage: bastion $cmd" "$BASTION" "$cmd" --help
done
expect 0 "key id:" "$BASTION" keygen -o a
[ "$(stat -c %a a.key)" = 600 ] || fail "a.key has mode $(stat -c %a a.key), not 600"
expect 1 "exists" "$BASTION" keygen -o a
expect 0 "" "$BASTION" keygen -o a --force
expect 0 "" "$BASTION" keygen -o b
expect 64 "-o NAME is required" "$BASTION" keygen
expect 64 "not set" env -u NO_SUCH_VAR "$BASTION" keygen -o c --password-env NO_SUCH_VAR
expect 64 "-o SIGNED.wasm is required" "$BASTION" sign --key a.key m.wasm
expect 64 "--pubkey NAME.pub is required" "$BASTION" verify m.wasm
expect 1 "not a minisign public key" "$BASTION" verify --pubkey m.wat m.wasm

# ---- minisign interop ---------------------------------------------------------------------
"$MINISIGN" -G -W -p mk.pub -s mk.key >/dev/null || fail "minisign -G -W"
"$MINISIGN" -S -s mk.key -m m.wasm -x m.mk.minisig >/dev/null || fail "minisign -S"
"$MINISIGN" -S -l -s mk.key -m m.wasm -x m.legacy.minisig >/dev/null || fail "minisign -S -l"
expect 0 "signed by key" "$BASTION" verify --pubkey mk.pub --signature m.mk.minisig m.wasm
expect 0 "trusted comment: timestamp:" "$BASTION" verify --pubkey mk.pub --signature m.mk.minisig m.wasm
expect 0 "signed by key" "$BASTION" verify --pubkey mk.pub --signature m.legacy.minisig m.wasm
# the key as a string, as minisign -P takes it
expect 0 "signed by key" "$BASTION" verify --pubkey "$(tail -1 mk.pub)" --signature m.mk.minisig m.wasm
expect 0 "signature: m.wasm.minisig" "$BASTION" sign --detached --key a.key m.wasm
expect 0 "Signature and comment signature verified" "$MINISIGN" -V -p a.pub -m m.wasm
expect 0 "signed by key" "$BASTION" verify --pubkey a.pub --signature m.wasm.minisig m.wasm
# a tampered byte fails both tools, whoever signed
flip m.wasm t.wasm 30
expect 1 "" "$MINISIGN" -V -p a.pub -m t.wasm -x m.wasm.minisig
expect 1 "bad signature" "$BASTION" verify --pubkey a.pub --signature m.wasm.minisig t.wasm
expect 1 "" "$MINISIGN" -V -p mk.pub -m t.wasm -x m.mk.minisig
expect 1 "bad signature" "$BASTION" verify --pubkey mk.pub --signature m.mk.minisig t.wasm
expect 1 "bad signature" "$BASTION" verify --pubkey mk.pub --signature m.legacy.minisig t.wasm
expect 1 "unknown key" "$BASTION" verify --pubkey b.pub --signature m.wasm.minisig m.wasm
sed 's/^trusted comment: timestamp:/trusted comment: timestamp:1/' m.wasm.minisig >changed.minisig
expect 1 "trusted comment" "$BASTION" verify --pubkey a.pub --signature changed.minisig m.wasm
expect 1 "" "$MINISIGN" -V -p a.pub -m m.wasm -x changed.minisig
# Bastion embeds a signature with minisign's secret key
expect 0 "" "$BASTION" sign --key mk.key m.wasm -o mk.wasm
expect 0 "signed by key" "$BASTION" verify --pubkey mk.pub mk.wasm

# ---- embedded signatures ------------------------------------------------------------------
expect 0 "signed by key" "$BASTION" sign --key a.key m.wasm -o s.wasm
expect 0 "signed by key" "$BASTION" verify --pubkey a.pub s.wasm
expect 0 "42" "$BASTION" run --trusted-key a.pub s.wasm --invoke f
expect 0 "42" "$BASTION" run s.wasm --invoke f
expect 1 "already signed" "$BASTION" sign --key a.key s.wasm -o again.wasm
# every single-byte change of the signed module is refused
n=$(size s.wasm)
i=0
accepted=0
while [ "$i" -lt "$n" ]; do
    flip s.wasm x.wasm "$i"
    if "$BASTION" verify --pubkey a.pub x.wasm >/dev/null 2>&1; then
        fail "byte $i changed and still verified"
        accepted=$((accepted + 1))
    fi
    i=$((i + 1))
done
[ "$i" -gt 100 ] || fail "only $i bytes tried"
# an unsigned custom section appended after the delimiter: verified, and left out
cp s.wasm app.wasm
printf '\000\004\001xhi' >>app.wasm
expect 0 "unsigned: 6 bytes of custom sections" "$BASTION" verify --pubkey a.pub app.wasm
expect 0 "42" "$BASTION" run --trusted-key a.pub app.wasm --invoke f
# a non-custom section appended (a start section): refused
cp s.wasm start.wasm
printf '\010\001\000' >>start.wasm
expect 1 "unsigned section" "$BASTION" verify --pubkey a.pub start.wasm
# two keys, thresholds
expect 0 "" "$BASTION" sign --key b.key s.wasm -o s2.wasm
expect 0 "signed by key" "$BASTION" verify --pubkey a.pub --pubkey b.pub --signatures-required 2 s2.wasm
[ "$(grep -c 'signed by key' "$WORK/out")" = 2 ] || fail "two signers not both listed"
expect 0 "42" "$BASTION" run --trusted-key a.pub --trusted-key b.pub --signatures-required 2 s2.wasm --invoke f
expect 1 "too few signers" "$BASTION" verify --pubkey a.pub --pubkey b.pub --signatures-required 2 s.wasm
# one key given twice is one key
expect 64 "only 1 distinct" "$BASTION" run --trusted-key a.pub --trusted-key a.pub --signatures-required 2 s.wasm --invoke f

# ---- each refusal of the trust policy -----------------------------------------------------
siglen=$(($(od -An -tu1 -j9 -N1 s.wasm | tr -d ' ') + 10)) # the signature section's end
flip s.wasm badsig.wasm $((siglen - 10))
flip s.wasm tampered.wasm $((n - 38 - 2))
for case in "m.wasm unsigned" "badsig.wasm bad signature" "tampered.wasm tampered" \
            "start.wasm unsigned section"; do
    file=${case%% *}
    why=${case#* }
    expect 1 "$why" "$BASTION" run --trusted-key a.pub "$file" --invoke f
    grep -q '^42$' "$WORK/out" && fail "$file ran"
done
expect 1 "unknown key" "$BASTION" run --trusted-key b.pub s.wasm --invoke f
expect 1 "too few signers" "$BASTION" run --trusted-key a.pub --trusted-key b.pub --signatures-required 2 s.wasm --invoke f
expect 64 "needs --trusted-key" "$BASTION" run --signatures-required 1 s.wasm --invoke f
expect 64 "1 to 64" "$BASTION" run --trusted-key a.pub --signatures-required 0 s.wasm --invoke f
expect 1 "cannot open" "$BASTION" run --trusted-key nokey.pub s.wasm --invoke f

# ---- contracts and runtimes ---------------------------------------------------------------
expect 0 "" "$BASTION" sign --key a.key "$SHARED/contracts/flipper_v5.wasm" -o flip.wasm
expect 0 "code_hash 0x" "$BASTION" contract upload --state st1 --trusted-key a.pub flip.wasm
expect 1 "unsigned" "$BASTION" contract upload --state st2 --trusted-key a.pub "$SHARED/contracts/flipper_v5.wasm"
[ -e st2 ] && fail "a refused upload created the state"
expect 1 "unknown key" "$BASTION" contract instantiate --state st3 --trusted-key b.pub flip.wasm --selector 0x9bae9d5e --args 00
[ -e st3 ] && fail "a refused instantiate created the state"
expect 64 "are for upload and instantiate" "$BASTION" contract call 0x00 --trusted-key a.pub --selector 0x00
expect 0 "" "$BASTION" sign --key a.key "$SHARED/runtimes/node_template_runtime.wasm" -o rt.wasm
expect 0 "spec_name: node-template" "$BASTION" runtime version --trusted-key a.pub rt.wasm
expect 1 "unsigned" "$BASTION" runtime version --trusted-key a.pub "$SHARED/runtimes/node_template_runtime.wasm"

[ "$failed" = 0 ] && echo "sign/cli: all passed"
exit "$failed"
