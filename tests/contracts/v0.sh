#!/bin/sh
# v0.sh BASTION CONTRACTS_DIR — the ink! 3-era contracts (seal0.seal_* imports, metadata
# 0.1.0): each deploys and answers messages, with arguments encoded and results decoded from
# the old metadata format.
. "$(dirname "$0")/lib.sh"

# incrementer: new(i32), inc(i32), get() -> i32.
M="--metadata $C/incrementer_v0.json"
run 0 instantiate "$C/incrementer_v0.wasm" $M --constructor new --arg -5
expect "input 0xd183512bfbffffff" "outcome success"
A=$(field address)
run 0 query "$A" $M --message get
expect "data 0xfbffffff" "result -5"
run 0 call "$A" $M --message inc --arg 12
run 0 query "$A" $M --message get
expect "result 7"

# trait-flipper: constructor and messages of the trait Flip.
M="--metadata $C/trait-flipper_v0.json"
run 0 instantiate "$C/trait-flipper_v0.wasm" $M --constructor Flip::new --arg true
A=$(field address)
run 0 query "$A" $M --message get
expect "input 0x6b3549bc" "result true"
run 0 call "$A" $M --message Flip::flip
run 0 query "$A" $M --message get
expect "result false"

# erc721: mint, owner_of -> Option<AccountId>.
M="--metadata $C/erc721_v0.json"
run 0 instantiate "$C/erc721_v0.wasm" $M --constructor new
A=$(field address)
run 0 call "$A" $M --message mint --arg 7
# (ink! 3.0's erc721 reports a mint as a transfer from the all-zero account.)
expect "result Ok(())" "event Transfer from=Some(0x$(printf '00%.0s' $(seq 32))) to=Some($ALICE) id=7"
run 0 query "$A" $M --message owner_of --arg 7
expect "result Some($ALICE)"
run 0 query "$A" $M --message owner_of --arg 8
expect "result None"
run 0 query "$A" $M --message balance_of --arg alice
expect "result 1"

# dns: register a name, then a second registration of it fails with the contract's error.
M="--metadata $C/dns_v0.json"
NAME=0x$(printf '42%.0s' $(seq 32))
run 0 instantiate "$C/dns_v0.wasm" $M --constructor new
A=$(field address)
run 0 call "$A" $M --message register --arg "$NAME"
expect "result Ok(())"
run 0 query "$A" $M --message register --arg "$NAME"
expect "result Err(NameAlreadyExists)"
run 0 call "$A" $M --message set_address --arg "$NAME" --arg bob
expect "result Ok(())"
run 0 query "$A" $M --message get_address --arg "$NAME"
expect "result $BOB"

# erc20 (ink! 3): events are decoded by their index in the metadata.
M="--metadata $C/erc20_v0.json"
run 0 instantiate "$C/erc20_v0.wasm" $M --constructor new --arg 500
expect "event Transfer from=None to=Some($ALICE) value=500"
A=$(field address)
run 0 query "$A" $M --message total_supply
expect "result 500"
run 0 query "$A" $M --message balance_of --arg alice
expect "result 500"
run 0 call "$A" $M --message transfer --arg bob --arg 20
expect "result true" "event Transfer from=Some($ALICE) to=Some($BOB) value=20"
# Balances after the transfer are not asserted: this ink! 3 release-candidate build writes its
# storage back at shifted keys (docs/contracts.md, known issues; contracts/v0 says the same).
echo "v0 contracts: ok"
