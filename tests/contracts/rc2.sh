#!/bin/sh
# rc2.sh BASTION WASM_DIR — an ink! 3.0-rc2-era contract (the old ABI: () -> i32 entry points,
# seal0 seal_* imports, the pre-salt seal_instantiate with 11 parameters, the 9-parameter
# seal_call) deploys, instantiates another contract by code hash and calls it, through the CLI,
# the storage deposits of the instantiation read from the balances before and after
# (rc2_factory.wat, rc2_counter.wat, assembled at build time into WASM_DIR).
. "$(dirname "$0")/lib.sh"
W=$C

run 0 upload "$W/rc2_counter.wasm"
COUNTER=$(field code_hash)
[ -n "$COUNTER" ] || fail "no code hash"
HEX=${COUNTER#0x}
run 0 instantiate "$W/rc2_factory.wasm" --data "0x9bae9d5e$HEX"
F=$(field address)

free_of() { run 0 balance "$1"; field free; }
FREE0=$(free_of alice)
# spawn(5): the counter is instantiated by code hash with new(5); its address comes back
run 0 call "$F" --data 0x0a0a0a0105000000
CHILD=$(field data)
[ ${#CHILD} = 66 ] || fail "spawn returned '$CHILD', not an address"
# its storage deposits, charged to the caller: the child's base deposit (121 bytes, one item)
# and its counter (a fixed key, 4 bytes, one item) held on the child, 123 + 38 = 161, and the
# factory's record of the child (32 + 32 bytes, one item) 66; the child also gets the
# existential deposit (1)
expect "storage_deposit charge 227"
run 0 balance "$CHILD"
expect "free 1" "reserved 161"
FREE1=$(free_of alice)
[ "$(python3 -c "print($FREE0 - $FREE1)")" = 228 ] || fail "alice paid $FREE0 - $FREE1, not 228"
# the child is a contract of the counter's code, which answers get() = 5 when called directly
run 0 query "$CHILD" --data 0x2f865bd9
expect "data 0x05000000" "code_hash $COUNTER"
# the factory calls it: inc(7), then get() through the factory and directly
run 0 call "$F" --data 0x0a0a0a0307000000
run 0 call "$F" --data 0x0a0a0a02
expect "data 0x0c000000"
run 0 call "$CHILD" --data 0x2f865bd9
expect "data 0x0c000000"
# a second spawn(5): the same deployer, code and input without a salt is the same address,
# so the instantiation traps the factory (DuplicateContract) and nothing changes
run 1 call "$F" --data 0x0a0a0a0105000000
expect "outcome trapped"
printf '%s\n' "$OUT" | grep -q "^error DuplicateContract" || fail "no DuplicateContract error"
[ "$(free_of alice)" = "$FREE1" ] || fail "a failed spawn charged a deposit"
# an unknown selector is the old ABI's error status, not a success
run 1 call "$F" --data 0x01020304
printf '%s\n' "$OUT" | grep -q "returned error status 1" || fail "unknown selector not an error"
run 0 query "$CHILD" --data 0x2f865bd9
expect "data 0x0c000000"
echo "rc2: ok"
