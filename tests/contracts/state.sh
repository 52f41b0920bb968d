#!/bin/sh
# state.sh BASTION CONTRACTS_DIR — the CLI's state directory: a query (read-only) never creates
# a state, a damaged one (data.mdb truncated, emptied, deleted beside its lock file, or with a
# bad meta page) is refused with a clear error instead of a SIGBUS or a silently fresh state,
# --gas 0 is the default limit and a budget above the engine's maximum is refused, --proof-size
# limits the proof size (the need runs, a byte less is out of gas), and a text
# (.wat) module is refused with the conversion command.
. "$(dirname "$0")/lib.sh"
WASM=$C/flipper_v5.wasm
META=$C/flipper_v5.json
NOBODY=0x0000000000000000000000000000000000000000000000000000000000000001

# says TEXT: the last command's stderr holds TEXT.
says() {
    grep -qF -- "$1" "$WORK/stderr" || {
        cat "$WORK/stderr" >&2
        fail "no '$1' on stderr"
    }
}

# ---- a read-only command never creates state ----
run 1 query "$NOBODY" --selector 0x2f865bd9
says "the state directory does not exist"
[ ! -e "$STATE" ] || fail "query created the state directory"
mkdir "$WORK/empty"
at "$WORK/empty" 1 query "$NOBODY" --selector 0x2f865bd9
says "no contracts state"
[ -z "$(ls -A "$WORK/empty")" ] || fail "query created files in an empty directory"

# ---- commands that write create a new state ----
run 0 instantiate "$WASM" --metadata "$META" --constructor new --arg false
ADDR=$(field address)
run 0 query "$ADDR" --metadata "$META" --message get
expect "result Ok(false)"

# ---- --gas: 0 is the default limit; above the engine's maximum is misuse ----
run 0 call "$ADDR" --metadata "$META" --message flip --gas 0
expect "outcome success"
run 0 query "$ADDR" --metadata "$META" --message get --gas 0
expect "result Ok(true)"
run 64 call "$ADDR" --metadata "$META" --message flip --gas 9223372036854775808
grep -qF "at most 9223372036854775807" "$WORK/stderr" || fail "no maximum in the --gas error"
run 0 query "$ADDR" --metadata "$META" --message get --gas 9223372036854775807
expect "result Ok(true)"

# ---- --proof-size (Weight v2): 0 the default; the exact need runs, a byte less is out of
# gas and writes nothing; above the maximum is misuse ----
run 0 call "$ADDR" --metadata "$META" --message flip --proof-size 0
need=$(field proof_size_used)
[ "$need" -gt "$(wc -c <"$WASM")" ] || fail "proof_size_used $need is not above the code's size"
before=$(state_digest)
run 1 call "$ADDR" --metadata "$META" --message flip --proof-size $((need - 1))
expect "outcome out of gas" "proof_size_used $((need - 1))"
says "proof size"
[ "$(state_digest)" = "$before" ] || fail "a call out of proof_size changed the state"
run 0 call "$ADDR" --metadata "$META" --message flip --proof-size "$need"
expect "outcome success" "proof_size_used $need"
run 64 call "$ADDR" --metadata "$META" --message flip --proof-size 9223372036854775808
says "bad --proof-size"
run 64 call "$ADDR" --metadata "$META" --message flip --proof-size lots
run 64 upload "$WASM" --proof-size 5
run 0 query "$ADDR" --metadata "$META" --message get
expect "result Ok(true)"

# ---- a damaged state is refused, never read past its end nor taken for a new one ----
size=$(wc -c <"$STATE/data.mdb")
[ "$size" -gt 16384 ] || fail "data.mdb is only $size bytes: truncating it proves nothing"
PSIZE=$(getconf PAGESIZE)

# damaged NAME: a copy of the state in $WORK/NAME, to damage.
damaged() {
    rm -rf "${WORK:?}/$1"
    cp -R "$STATE" "$WORK/$1"
    D=$WORK/$1
}

damaged cut
truncate -s 16384 "$D/data.mdb"
for cmd in query call; do
    at "$D" 1 $cmd "$ADDR" --metadata "$META" --message get
    says "data.mdb is truncated"
    says "the state is damaged"
done
at "$D" 1 upload "$WASM"
says "data.mdb is truncated"

damaged zero
: >"$D/data.mdb"
for cmd in query call; do
    at "$D" 1 $cmd "$ADDR" --metadata "$META" --message get
    says "data.mdb is empty"
done
at "$D" 1 upload "$WASM"
[ "$(wc -c <"$D/data.mdb")" = 0 ] || fail "an emptied data.mdb was made into a new state"

damaged gone
rm "$D/data.mdb"
at "$D" 1 call "$ADDR" --metadata "$META" --message flip
says "data.mdb is missing but lock.mdb exists"
[ ! -e "$D/data.mdb" ] || fail "a deleted data.mdb was made into a new state"

# bad meta pages: the first, then only the second (LMDB reads both)
damaged meta0
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of="$D/data.mdb" bs=1 seek=0 conv=notrunc 2>/dev/null
at "$D" 1 query "$ADDR" --metadata "$META" --message get
says "no valid LMDB meta pages"
damaged meta1
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
    dd of="$D/data.mdb" bs=1 seek="$PSIZE" conv=notrunc 2>/dev/null
at "$D" 1 query "$ADDR" --metadata "$META" --message get
says "no valid LMDB meta pages"

# the undamaged state still answers
run 0 query "$ADDR" --metadata "$META" --message get
expect "result Ok(true)"

# ---- text modules are refused, with the conversion ----
printf '(module)\n' >"$WORK/m.wat"
run 1 upload "$WORK/m.wat"
grep -qF "wat2wasm $WORK/m.wat -o $WORK/m.wasm" "$WORK/stderr" || fail "no wat2wasm hint"
run 1 instantiate "$WORK/m.wat" --selector 0x00000000
grep -qF "WebAssembly text" "$WORK/stderr" || fail "no text-format error on instantiate"

echo "contracts/cli_state: ok"
