#!/usr/bin/env bash
# signing.sh — `bastion serve`'s trust policy (CTest serve/signing): tenants with "trusted_keys"
# (a key made by `bastion keygen`, given as .pub text, and one made by the real `minisign -G -W`,
# given as its base64 line) refuse, with 422 and the reason, unsigned code, code signed by an
# unknown key, tampered code and code with fewer signers than "signatures_required", and store
# nothing; code properly signed is stored (its signed part only) and instantiates and runs; a
# tenant without trusted_keys still takes unsigned code; bad trust settings are config errors
# naming the tenant.
#
#   signing.sh BASTION SCALE CONTRACTS_DIR COMPUTE_WASM MINISIGN
. "$(dirname "$0")/lib.sh"
C=$3
COMPUTE=$4
MINISIGN=$5
command -v "$MINISIGN" >/dev/null || fail "minisign not found (scripts/deps.sh installs it)"
cd "$WORK"

# ---- keys and signed modules ----
"$BASTION" keygen -o k1 >/dev/null || fail "bastion keygen"
"$BASTION" keygen -o stranger >/dev/null || fail "bastion keygen"
"$MINISIGN" -G -W -p m.pub -s m.key >/dev/null || fail "minisign -G -W"
signed() { # signed IN OUT KEY...: IN signed by each KEY in turn
    local in=$1 out=$2 k
    shift 2
    cp "$in" "$out.tmp"
    for k in "$@"; do
        "$BASTION" sign --key "$k" "$out.tmp" -o "$out" >/dev/null || fail "sign $in with $k"
        cp "$out" "$out.tmp"
    done
    rm -f "$out.tmp"
}
signed "$C/flipper_v5.wasm" flipper.k1.wasm k1.key
signed "$C/flipper_v5.wasm" flipper.m.wasm m.key
signed "$C/flipper_v5.wasm" flipper.both.wasm k1.key m.key
signed "$C/flipper_v5.wasm" flipper.stranger.wasm stranger.key
signed "$COMPUTE" compute.k1.wasm k1.key
# tampered: one byte of the signed part (well inside the code, before the final delimiter)
cp flipper.k1.wasm flipper.tampered.wasm
off=$(($(wc -c <flipper.k1.wasm) - 200))
b=$(od -An -tu1 -j"$off" -N1 flipper.k1.wasm | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 1)))" | dd of=flipper.tampered.wasm bs=1 seek="$off" conv=notrunc 2>/dev/null
# an unsigned custom section appended after the signed part (allowed; not stored)
cp flipper.k1.wasm flipper.appended.wasm
printf '\000\005\004note' >>flipper.appended.wasm

jq -n --arg k1 "$(cat k1.pub)" --arg m "$(sed -n 2p m.pub)" '{tenants: [
    {name: "s", token: "token-s-0123456789", trusted_keys: [$k1, $m]},
    {name: "two", token: "token-2-0123456789", trusted_keys: [$k1, $m], signatures_required: 2},
    {name: "open", token: "token-o-0123456789"}]}' >tenants.json
S=token-s-0123456789
TWO=token-2-0123456789
OPEN=token-o-0123456789
start_server

refused() { # refused FILE REASON [TOKEN]: 422 {"error":"signature","reason":REASON}
    req PUT /v1/code "${3:-$S}" "@$1"
    expect 422
    expect_j .error signature
    expect_j .reason "$2"
    [ -n "$(j .message)" ] || fail "$1: no message in $BODY"
}
modules() { find "$WORK/state/$1" -path '*modules*' -name '*.wasm' | wc -l; }

# ---- a tenant without trusted_keys takes unsigned code, as before ----
req PUT /v1/code $OPEN "@$C/flipper_v5.wasm"
expect 201
UNSIGNED_HASH=$(j .code_hash)
req PUT /v1/code $OPEN "@$COMPUTE"
expect 201
UNSIGNED_COMPUTE=$(j .code_hash)

# ---- refusals: nothing is stored ----
refused "$C/flipper_v5.wasm" unsigned
refused "$COMPUTE" unsigned
refused flipper.stranger.wasm "unknown key"
refused flipper.tampered.wasm tampered
refused flipper.k1.wasm "too few signers" $TWO
refused flipper.m.wasm "too few signers" $TWO
refused "$C/flipper_v5.wasm" unsigned $TWO
req POST /v1/contracts $S "{\"code_hash\":\"$UNSIGNED_HASH\",\"data\":\"0x9bae9d5e00\"}"
expect 404
req POST /v1/invoke $S "{\"code_hash\":\"$UNSIGNED_COMPUTE\",\"function\":\"add\",\"args\":[2,40]}"
expect 404
[ "$(modules s)" -eq 0 ] || fail "a refused plain module was stored"

# ---- properly signed: stored, instantiates and runs ----
run_flipper() { # run_flipper TOKEN CODE_HASH SALT: instantiate, flip, get -> 0x0001
    req POST /v1/contracts "$1" "{\"code_hash\":\"$2\",\"data\":\"0x9bae9d5e00\",\"salt\":\"$3\"}"
    expect 200
    expect_j .outcome success
    local addr
    addr=$(j .address)
    req POST "/v1/contracts/$addr/call" "$1" '{"data":"0x633aa551"}'
    expect 200
    expect_j .outcome success
    req POST "/v1/contracts/$addr/query" "$1" '{"data":"0x2f865bd9"}'
    expect 200
    expect_j .data 0x0001
}
req PUT /v1/code $S @flipper.k1.wasm
expect 201
expect_j .kind contract
K1_HASH=$(j .code_hash)
run_flipper $S "$K1_HASH" 0x01
req PUT /v1/code $S @flipper.m.wasm # the minisign key, given as its base64 line
expect 201
run_flipper $S "$(j .code_hash)" 0x02
# only the signed part is stored: the appended section does not change the code hash
req PUT /v1/code $S @flipper.appended.wasm
expect 201
expect_j .code_hash "$K1_HASH"
req PUT /v1/code $TWO @flipper.both.wasm
expect 201
run_flipper $TWO "$(j .code_hash)" 0x01
req PUT /v1/code $S @compute.k1.wasm
expect 201
expect_j .kind module
req POST /v1/invoke $S "{\"code_hash\":\"$(j .code_hash)\",\"function\":\"add\",\"args\":[2,40]}"
expect 200
expect_j '.results[0]' 42
[ "$(modules s)" -eq 1 ] || fail "the signed plain module was not stored once"
stop_server

# ---- trust settings are checked when the config loads ----
config_refused() { # config_refused TENANT_JSON MESSAGE: exit 1, the message names the tenant
    printf '{"tenants":[%s]}\n' "$1" >bad.json
    local rc=0
    "$BASTION" serve --listen 127.0.0.1:0 --config bad.json --state "$WORK/s2" \
        >/dev/null 2>refused.txt || rc=$?
    [ "$rc" -eq 1 ] || fail "config $1: exit $rc, expected 1"
    grep -qF -- "$2" refused.txt || fail "config $1: '$(cat refused.txt)' lacks '$2'"
}
KEY=$(sed -n 2p k1.pub)
config_refused '{"name":"x","token":"t","trusted_keys":["not a key"]}' 'tenant x: trusted_keys[0]'
config_refused "{\"name\":\"x\",\"token\":\"t\",\"trusted_keys\":[\"$KEY\", 7]}" 'tenant x: trusted_keys[1]'
config_refused '{"name":"x","token":"t","trusted_keys":[]}' 'tenant x: "trusted_keys"'
config_refused '{"name":"x","token":"t","trusted_keys":"k"}' 'tenant x: "trusted_keys"'
config_refused "{\"name\":\"x\",\"token\":\"t\",\"trusted_keys\":[\"$KEY\"],\"signatures_required\":2}" \
    'tenant x: signatures_required must be an integer from 1 to 1'
config_refused "{\"name\":\"x\",\"token\":\"t\",\"trusted_keys\":[\"$KEY\"],\"signatures_required\":0}" \
    'tenant x: signatures_required'
config_refused '{"name":"x","token":"t","signatures_required":1}' 'tenant x: "signatures_required" needs "trusted_keys"'
config_refused "{\"name\":\"x\",\"token\":\"t\",\"trusted_key\":[\"$KEY\"]}" 'unknown field "trusted_key"'
echo "signing: ok"
