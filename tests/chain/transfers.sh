#!/bin/bash
# transfers.sh BASTION RUNTIMES_DIR — CTest chain/transfers.
# Signed Balances transfers on node-template-local: three blocks with an Alice -> Bob transfer
# each give Bob exactly 3 × the amount, Alice that minus fees and nonce 3; a second database
# imports the blocks and reaches the same state roots; balances `--at` an older block; a block
# of several transfers; a replayed (stale) transaction and undecodable bytes are left out with
# the runtime's reason; a block whose transfer was changed is refused ("bad signature") and
# the head stays.
. "$(dirname "$0")/lib.sh" "$@"
endowment=1152921504606846976 # what the spec gives each dev account
amount=1000000000000
# account DB WHO [--at N] -> "NONCE FREE"
account() {
    db=$1 who=$2
    shift 2
    "$bastion" chain account --db "$db" "$@" "$who" | awk '$1 == "nonce" { n = $2 } $1 == "free" { f = $2 } END { print n, f }'
}

"$bastion" chain init --spec "$spec" --db "$tmp/a" > /dev/null || bad "init"
for n in 1 2 3; do
    out=$("$bastion" chain transfer --db "$tmp/a" --from //Alice --to //Bob --amount $amount 2>&1)
    if [ $? -eq 0 ] && printf '%s\n' "$out" | grep -q "^tx 0: included$" &&
        printf '%s\n' "$out" | grep -q "^block $n 0x"; then
        ok "block $n with a transfer"
    else
        bad "transfer $n: $out"
    fi
done
read -r bob_nonce bob_free <<< "$(account "$tmp/a" //Bob)"
read -r alice_nonce alice_free <<< "$(account "$tmp/a" //Alice)"
want_bob=$((endowment + 3 * amount)) # bash arithmetic is 64-bit: these fit
[ "$bob_free" = "$want_bob" ] && [ "$bob_nonce" = 0 ] && ok "Bob: $bob_free, nonce 0" ||
    bad "Bob: nonce $bob_nonce free $bob_free, want $want_bob"
fees=$((endowment - 3 * amount - alice_free))
[ "$alice_nonce" = 3 ] && [ "$fees" -gt 0 ] && [ "$fees" -lt 1000000000000 ] &&
    ok "Alice: nonce 3, $alice_free (fees $fees)" ||
    bad "Alice: nonce $alice_nonce free $alice_free (fees $fees)"
# the same through the runtime API, and at an older block
nonce=$("$bastion" chain call --db "$tmp/a" AccountNonceApi_account_nonce \
    0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d | tail -1)
[ "$nonce" = 0x03000000 ] && ok "AccountNonceApi_account_nonce: 3" || bad "nonce call: $nonce"
read -r _ bob_at1 <<< "$(account "$tmp/a" //Bob --at 1)"
[ "$bob_at1" = $((endowment + amount)) ] && ok "Bob at block 1: $bob_at1" ||
    bad "Bob at block 1: $bob_at1"
nonce1=$("$bastion" chain call --db "$tmp/a" --at 1 AccountNonceApi_account_nonce \
    0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d | tail -1)
[ "$nonce1" = 0x01000000 ] && ok "Alice's nonce at block 1: 1" || bad "nonce at 1: $nonce1"

# ---- a second database imports the blocks ---------------------------------------------------
"$bastion" chain export --db "$tmp/a" > "$tmp/blocks.hex"
"$bastion" chain init --spec "$spec" --db "$tmp/b" > /dev/null || bad "init b"
"$bastion" chain import --db "$tmp/b" "$tmp/blocks.hex" > /dev/null && ok "import 3 blocks" ||
    bad "import"
for n in 1 2 3; do
    ra=$("$bastion" chain export --db "$tmp/a" --from $n --to $n)
    rb=$("$bastion" chain export --db "$tmp/b" --from $n --to $n)
    [ -n "$ra" ] && [ "$ra" = "$rb" ] || bad "block $n differs between the databases"
done
[ "$(field "$tmp/a" state_root)" = "$(field "$tmp/b" state_root)" ] &&
    [ "$(account "$tmp/b" //Bob)" = "$(account "$tmp/a" //Bob)" ] &&
    ok "same state root and balances after import" || bad "import state differs"

# ---- several transfers in one block, refused transactions -----------------------------------
out=$("$bastion" chain transfer --db "$tmp/a" --from //Alice --to //Bob --amount 7 --count 5 2>&1)
[ "$(printf '%s\n' "$out" | grep -c 'included$')" = 5 ] && ok "a block of 5 transfers" ||
    bad "5 transfers: $out"
[ "$(account "$tmp/a" //Alice | cut -d' ' -f1)" = 8 ] && ok "Alice's nonce 8" || bad "nonce 8"
tx=$("$bastion" chain transfer --db "$tmp/a" --from //Alice --to //Bob --amount 9 --print)
out=$("$bastion" chain author --db "$tmp/a" --tx "$tx" --tx "$tx" --tx 0x1004deadbeef 2>&1)
printf '%s\n' "$out" | grep -q "^tx 0: included$" &&
    printf '%s\n' "$out" | grep -q "^tx 1: left out: invalid transaction: Invalid(Stale)" &&
    printf '%s\n' "$out" | grep -q "^tx 2: left out: .*Runtime panicked" &&
    ok "stale and undecodable transactions left out with the runtime's reason" ||
    bad "refused transactions: $out"
expect_run "transfer from an account without funds refused" 1 re "refuses the transaction" \
    "$bastion" chain transfer --db "$tmp/a" --from //Nobody --to //Bob --amount 1
expect_run "transfer without --amount: usage" 64 has "" \
    "$bastion" chain transfer --db "$tmp/a" --from //Alice --to //Bob

# ---- a changed transfer is refused ----------------------------------------------------------
"$bastion" chain init --spec "$spec" --db "$tmp/c" > /dev/null || bad "init c"
line=$(sed -n 1p "$tmp/blocks.hex")
last=${line: -2}
[ "$last" = 0f ] && new=0e || new=0f
printf '%s%s\n' "${line:0:${#line}-2}" "$new" > "$tmp/changed.hex"
expect_run "changed transfer refused: bad signature" 1 re "Runtime panicked: .*bad signature" \
    "$bastion" chain import --db "$tmp/c" "$tmp/changed.hex"
[ "$(field "$tmp/c" number)" = 0 ] && ok "head unchanged" || bad "head moved"
finish chain/transfers
