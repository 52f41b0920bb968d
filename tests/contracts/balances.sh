#!/bin/sh
# balances.sh BASTION CONTRACTS_DIR STORE_WASM — accounts and storage deposits through the CLI
# with u64 balances: --balance-width kept with the state, --endow on a new state only (a raw
# 0x caller), `contract balance` and `contract transfer` (keep-alive and allow-death), and the
# storage deposit of upload, instantiate, a write, a clear and terminate
# (tests/contracts/balances/store.wat), with --storage-deposit-limit, --deposit-per-byte/-item
# and the JSON member.
. "$(dirname "$0")/lib.sh"
STORE=$3
X=0x0101010101010101010101010101010101010101010101010101010101010101
Y=0x0202020202020202020202020202020202020202020202020202020202020202
BEN=0x0909090909090909090909090909090909090909090909090909090909090909

expect_fail() { grep -qF -- "$1" "$WORK/stderr" || fail "no '$1' on standard error"; }
# balance is read-only: the state must exist first
run 1 balance "$X"
expect_fail "does not exist"
run 0 transfer --from "$X" --to "$Y" --amount 0 --balance-width 64 --endow "$X=1000000"
run 0 balance "$X"
expect "account $X" "free 1000000" "reserved 0"
run 1 balance "$X" --balance-width 128
expect_fail "64-bit balances"
run 1 transfer --from "$X" --to "$Y" --amount 5 --endow "$Y=1"
expect_fail "new state"
run 64 balance "$X" --balance-width 32
# transfers with an existential deposit of 10
run 1 transfer --from "$X" --to "$Y" --amount 5 --existential-deposit 10
expect_fail "transfer refused"
run 1 transfer --from "$X" --to "$Y" --amount 999995 --existential-deposit 10 --keep-alive
run 0 transfer --from "$X" --to "$Y" --amount 1000 --existential-deposit 10 --keep-alive
expect "from_free 999000" "to $Y" "to_free 1000"
run 1 transfer --from "$X" --to "$Y" --amount 18446744073709551616
expect_fail "does not fit"
# Y by its SS58 address (prefix 42)
run 0 balance 5C7LYpP2ZH3tpKbvVvwiVe54AapxErdPBbvkYhe6y9ZBkqWt
expect "account $Y" "free 1000"

# deposits (1 per byte, 2 per item): the code deposit is reserved on the uploader
LEN=$(wc -c <"$STORE")
CODE=$((LEN + 48 + 4))
run 1 upload "$STORE" --caller "$X" --storage-deposit-limit $((CODE - 1))
expect_fail "StorageDepositLimitExhausted"
run 0 upload "$STORE" --caller "$X"
expect "storage_deposit charge $CODE"
H=$(printf '%s\n' "$OUT" | sed -n 's/^code_hash //p')
run 0 balance "$X"
expect "free $((999000 - CODE))" "reserved $CODE"
# instantiate: the base deposit of a contract with u64 balances is 97 bytes + 1 item = 99
run 0 instantiate "$H" --caller "$X" --data 0x --value 1000
expect "storage_deposit charge 99"
A=$(printf '%s\n' "$OUT" | sed -n 's/^address //p')
run 0 balance "$A"
expect "free 1001" "reserved 99"
# store 10 bytes under a fixed key: 10 + 32 bytes and one item = 44; at 3 per byte and 5 per
# item (a dry run) 131
run 0 query "$A" --caller "$X" --data 0x00070a00 --deposit-per-byte 3 --deposit-per-item 5
expect "storage_deposit charge 131"
run 1 call "$A" --caller "$X" --data 0x00070a00 --storage-deposit-limit 43
expect "outcome error"
expect_fail "StorageDepositLimitExhausted"
run 0 call "$A" --caller "$X" --data 0x00070a00 --storage-deposit-limit 44 --json
printf '%s\n' "$OUT" | grep -qF '"storage_deposit":{"charge":"44"}' || fail "JSON deposit: $OUT"
run 0 query "$A" --caller "$X" --data 0x01070000
expect "storage_deposit refund 44"
run 0 call "$A" --caller "$X" --data 0x01070000
expect "storage_deposit refund 44"
run 0 balance "$X"
expect "free $((999000 - CODE - 1000 - 1 - 99))"
# terminate: the base deposit comes back, the free balance goes to 0x09...
run 0 call "$A" --caller "$X" --data 0x02000000
expect "storage_deposit refund 99"
run 0 balance "$A"
expect "free 0" "reserved 0"
run 0 balance "$BEN"
expect "free 1001"
run 0 balance "$X"
expect "free $((999000 - CODE - 1000 - 1))" "reserved $CODE"
echo "balances: ok"
