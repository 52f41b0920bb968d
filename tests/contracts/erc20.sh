#!/bin/sh
# erc20.sh BASTION CONTRACTS_DIR — ink! 5 ERC-20 through the CLI: balances, the Transfer event
# decoded by its signature topic, and a transfer above the balance that reverts with the
# contract's error and changes nothing.
. "$(dirname "$0")/lib.sh"
WASM=$C/erc20_v5.wasm
META=$C/erc20_v5.json
M="--metadata $META"

# new(1000) by alice: input = selector ++ u128 1000 little-endian; it mints to alice.
run 0 instantiate "$WASM" $M --constructor new --arg 1000
expect "input 0x9bae9d5ee8030000000000000000000000000000" "outcome success" "result Ok(())" \
       "event Transfer from=None to=Some($ALICE) value=1000"
T=$(field address)

# transfer(bob, 100): selector 0x84a15da1 ++ bob's key ++ u128 100.
run 0 call "$T" $M --message transfer --arg bob --arg 100
expect "input 0x84a15da1${BOB#0x}64000000000000000000000000000000" "outcome success" \
       "flags 0x0" "result Ok(Ok(()))" "event Transfer from=Some($ALICE) to=Some($BOB) value=100"

run 0 query "$T" $M --message balance_of --arg alice
expect "result Ok(900)"
run 0 query "$T" $M --message balance_of --arg "$BOB"
expect "result Ok(100)"
run 0 query "$T" $M --message total_supply
expect "result Ok(1000)"

# 1000 > 900: the contract returns Err(InsufficientBalance) with the REVERT flag; exit 2,
# no event, nothing written.
before=$(state_digest)
run 2 call "$T" $M --message transfer --arg bob --arg 1000
expect "outcome reverted" "flags 0x1" "data 0x000100" "result Ok(Err(InsufficientBalance))"
if printf '%s\n' "$OUT" | grep -q '^event '; then fail "a reverted call reported an event"; fi
[ "$(state_digest)" = "$before" ] || fail "a reverted call changed the state files"
run 0 query "$T" $M --message balance_of --arg alice
expect "result Ok(900)"
run 0 query "$T" $M --message balance_of --arg bob
expect "result Ok(100)"

# bob spends 30 of his: caller selection.
run 0 call "$T" $M --message transfer --arg alice --arg 30 --caller bob
expect "event Transfer from=Some($BOB) to=Some($ALICE) value=30"
run 0 query "$T" $M --message balance_of --arg bob
expect "result Ok(70)"
run 0 query "$T" $M --message balance_of --arg alice
expect "result Ok(930)"

# approve + allowance, and the Approval event.
run 0 call "$T" $M --message approve --arg bob --arg 5
expect "event Approval owner=$ALICE spender=$BOB value=5"
run 0 query "$T" $M --message allowance --arg alice --arg bob
expect "result Ok(5)"

# Bad arguments are misuse (64) and run nothing.
run 64 call "$T" $M --message transfer --arg carol --arg 1
run 64 call "$T" $M --message transfer --arg bob --arg -1
run 64 call "$T" $M --message transfer --arg bob
echo "erc20 v5: ok"
