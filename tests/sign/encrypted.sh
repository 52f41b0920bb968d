#!/bin/sh
# encrypted.sh BASTION WAT2WASM MINISIGN — CTest sign/encrypted: secret keys encrypted with a
# password (scrypt-salsa208-sha256 with minisign's limits: 1 GiB of memory and seconds of CPU
# each, hence a test of its own) work across the two tools: a key from `bastion keygen
# --password-env` signs with `minisign -S` (password on standard input), a key from
# `minisign -G` signs with `bastion sign --password-env`; a missing or wrong password is refused.
set -u
BASTION=$1
WAT2WASM=$2
MINISIGN=$3
. "$(dirname "$0")/lib.sh"
sign_setup
export BASTION_TEST_PW=correct-horse WRONG_PW=battery-staple

expect 0 "(encrypted)" "$BASTION" keygen -o e --password-env BASTION_TEST_PW
expect 64 "is encrypted: give --password-env" "$BASTION" sign --key e.key m.wasm -o es.wasm
expect 1 "wrong password" "$BASTION" sign --key e.key --password-env WRONG_PW m.wasm -o es.wasm
expect 0 "signed by key" "$BASTION" sign --key e.key --password-env BASTION_TEST_PW m.wasm -o es.wasm
expect 0 "signed by key" "$BASTION" verify --pubkey e.pub es.wasm
echo "$BASTION_TEST_PW" | "$MINISIGN" -S -s e.key -m m.wasm -x e.minisig >/dev/null 2>&1 ||
    fail "minisign -S with Bastion's encrypted key"
expect 0 "signed by key" "$BASTION" verify --pubkey e.pub --signature e.minisig m.wasm

printf '%s\n%s\n' "$BASTION_TEST_PW" "$BASTION_TEST_PW" |
    "$MINISIGN" -G -p me.pub -s me.key >/dev/null 2>&1 || fail "minisign -G with a password"
expect 0 "" "$BASTION" sign --detached --key me.key --password-env BASTION_TEST_PW m.wasm -o me.minisig
expect 0 "Signature and comment signature verified" "$MINISIGN" -V -p me.pub -m m.wasm -x me.minisig

[ "$failed" = 0 ] && echo "sign/encrypted: all passed"
exit "$failed"
