#!/bin/sh
# flipper.sh BASTION CONTRACTS_DIR VERSION — ink! flipper (v5 or v4) through the CLI: every
# step is a separate process, so the value lives in the LMDB state between them.
. "$(dirname "$0")/lib.sh"
V=$3
WASM=$C/flipper_$V.wasm
META=$C/flipper_$V.json

# upload prints the BLAKE2b-256 of the code (b2sum computes it independently).
run 0 upload "$WASM"
want=0x$(b2sum -l 256 "$WASM" | cut -d' ' -f1)
[ "$(field code_hash)" = "$want" ] || fail "code_hash $(field code_hash), expected $want"
HASH=$want

# new(false): selector 0x9bae9d5e ++ bool false.
run 0 instantiate "$WASM" --metadata "$META" --constructor new --arg false
expect "input 0x9bae9d5e00" "outcome success" "code_hash $HASH" "flags 0x0" "result Ok(())"
ADDR=$(field address)
[ ${#ADDR} = 66 ] || fail "no address printed"

run 0 query "$ADDR" --metadata "$META" --message get
expect "input 0x2f865bd9" "outcome success" "flags 0x0" "data 0x0000" "result Ok(false)"

run 0 call "$ADDR" --metadata "$META" --message flip
expect "input 0x633aa551" "outcome success" "result Ok(())"

run 0 query "$ADDR" --metadata "$META" --message get
expect "data 0x0001" "result Ok(true)"

# A query of flip runs it (the result is printed) but writes nothing.
before=$(state_digest)
run 0 query "$ADDR" --metadata "$META" --message flip
expect "outcome success"
[ "$(state_digest)" = "$before" ] || fail "query changed the state files"
run 0 query "$ADDR" --selector 0x2f865bd9
expect "data 0x0001"

# The same code instantiated by hash with a salt gives a second, independent contract.
run 0 instantiate "$HASH" --selector 0x9bae9d5e --args 01 --salt 0x01
ADDR2=$(field address)
[ "$ADDR2" != "$ADDR" ] || fail "salt did not change the address"
run 0 call "$ADDR2" --selector 0x633aa551
run 0 query "$ADDR2" --metadata "$META" --message get
expect "result Ok(false)"
run 0 query "$ADDR" --metadata "$META" --message get
expect "result Ok(true)"

# The same deployer, code, input and salt again: the address is taken.
run 1 instantiate "$HASH" --selector 0x9bae9d5e --args 01 --salt 0x01
expect "outcome error"

# Too little gas: out of gas (exit 1), nothing written.
before=$(state_digest)
run 1 call "$ADDR" --metadata "$META" --message flip --gas 1000
expect "outcome out of gas"
[ "$(state_digest)" = "$before" ] || fail "an out-of-gas call changed the state"
run 0 query "$ADDR" --metadata "$META" --message get
expect "result Ok(true)"

# Misuse exits 64; an unknown contract is an error (1).
"$BASTION" contract --help | grep -q "^  query ADDR" || fail "contract --help"
run 64 call "$ADDR" --metadata "$META" --message nope
run 64 call "$ADDR" --metadata "$META" --message get --arg true
run 64 call "$ADDR" --selector 0x633aa551 --bogus 1
run 64 call "$ADDR"
run 1 call 0x0000000000000000000000000000000000000000000000000000000000000001 --selector 0x633aa551
echo "flipper $V: ok"
