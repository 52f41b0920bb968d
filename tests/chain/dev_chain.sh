#!/bin/bash
# dev_chain.sh BASTION RUNTIMES_DIR — CTest chain/dev_chain.
# `bastion chain` on ../shared/runtimes/node-template-local.json (Aura, Alice and Bob as
# authorities): init gives the known genesis hash; three authored blocks; a second database
# imports the exported blocks and reaches the same hashes and state roots; tampered blocks are
# refused with the runtime's reason (or a bad seal) and the head stays; `call` and `account` at
# an older block; kill -9 while a block is held before its commit leaves the previous head and a
# usable database; usage errors exit 64.
. "$(dirname "$0")/lib.sh" "$@"
genesis=0x6bf30d04495c16ef053de4ac74eac35dfd6473e4907810f450bea1b976ac518f

# ---- init -----------------------------------------------------------------------------------
expect_run "init: genesis $genesis" 0 re "genesis_hash $genesis" \
    "$bastion" chain init --spec "$spec" --db "$tmp/a" --expect-genesis $genesis
expect_run "init twice refused" 1 re "already holds a chain" \
    "$bastion" chain init --spec "$spec" --db "$tmp/a"
expect_run "--expect-genesis mismatch" 1 re "differs from --expect-genesis" \
    "$bastion" chain init --spec "$spec" --db "$tmp/wrong" --expect-genesis 0x$(printf '%064d' 0)

# ---- author ---------------------------------------------------------------------------------
for n in 1 2 3; do
    out=$("$bastion" chain author --db "$tmp/a" 2>&1)
    if [ $? -eq 0 ] && printf '%s\n' "$out" | grep -q "^block $n 0x"; then
        ok "author block $n"
        [ $n = 1 ] && hash1=$(printf '%s\n' "$out" | awk '/^block 1 / { print $3 }')
    else
        bad "author block $n: $out"
    fi
done
[ "$(field "$tmp/a" number)" = 3 ] && [ "$(field "$tmp/a" slot)" = 3 ] && ok "head 3, slot 3" ||
    bad "head after 3 blocks: $("$bastion" chain head --db "$tmp/a")"
# a timestamp whose slot is not after the parent's is refused
expect_run "stale --timestamp refused" 1 re "not after the parent's slot" \
    "$bastion" chain author --db "$tmp/a" --timestamp 6000

# ---- export / import ------------------------------------------------------------------------
"$bastion" chain export --db "$tmp/a" > "$tmp/blocks.hex" || bad "export"
[ "$(wc -l < "$tmp/blocks.hex")" -eq 3 ] && ok "export: 3 blocks" || bad "export line count"
"$bastion" chain init --spec "$spec" --db "$tmp/b" > /dev/null || bad "init b"
out=$("$bastion" chain import --db "$tmp/b" "$tmp/blocks.hex" 2>&1)
[ $? -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c '^imported')" -eq 3 ] && ok "import 3 blocks" ||
    bad "import: $out"
for n in 1 2 3; do
    ha=$("$bastion" chain export --db "$tmp/a" --from $n --to $n)
    hb=$("$bastion" chain export --db "$tmp/b" --from $n --to $n)
    [ -n "$ha" ] && [ "$ha" = "$hb" ] && ok "block $n identical in both databases" ||
        bad "block $n differs"
done
[ "$(field "$tmp/a" state_root)" = "$(field "$tmp/b" state_root)" ] &&
    [ "$(field "$tmp/a" hash)" = "$(field "$tmp/b" hash)" ] && ok "same head and state root" ||
    bad "heads differ"
out=$("$bastion" chain import --db "$tmp/b" "$tmp/blocks.hex" 2>&1)
[ $? -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c '^known')" -eq 3 ] && ok "re-import: known" ||
    bad "re-import: $out"

# a block 1 of another database (another seal) is stored on a side branch: the head stays
"$bastion" chain init --spec "$spec" --db "$tmp/side" > /dev/null &&
    "$bastion" chain author --db "$tmp/side" > /dev/null || bad "side database"
"$bastion" chain export --db "$tmp/side" > "$tmp/side.hex"
out=$("$bastion" chain import --db "$tmp/b" "$tmp/side.hex" 2>&1)
[ $? -eq 0 ] && printf '%s\n' "$out" | grep -q "side branch: the head is block 3" &&
    [ "$(field "$tmp/b" number)" = 3 ] && ok "a side block is stored, the head stays" ||
    bad "side block: $out"

# ---- tampered blocks --------------------------------------------------------------------------
"$bastion" chain init --spec "$spec" --db "$tmp/c" > /dev/null || bad "init c"
sed -n 1p "$tmp/blocks.hex" > "$tmp/b1.hex"
sed -n 2p "$tmp/blocks.hex" > "$tmp/b2.hex"
"$bastion" chain import --db "$tmp/c" "$tmp/b1.hex" > /dev/null || bad "import b1 into c"
head_c=$(field "$tmp/c" hash)
# the body: the last byte of the timestamp inherent changed (the seal covers only the header)
line=$(cat "$tmp/b2.hex")
last=${line: -1}
[ "$last" = 0 ] && new=1 || new=0
printf '%s%s\n' "${line:0:${#line}-1}" "$new" > "$tmp/body.hex"
expect_run "changed extrinsic refused with the runtime's reason" 1 re "block refused: Core_execute_block: Runtime panicked:" \
    "$bastion" chain import --db "$tmp/c" "$tmp/body.hex"
# the header: one byte of the state root changed (the seal no longer matches)
pre=${line:0:70}
byte=${line:70:2}
[ "$byte" = 00 ] && nb=11 || nb=00
printf '%s%s%s\n' "$pre" "$nb" "${line:72}" > "$tmp/root.hex"
expect_run "changed state root refused" 1 re "bad Aura seal" \
    "$bastion" chain import --db "$tmp/c" "$tmp/root.hex"
# a block whose parent is unknown
expect_run "unknown parent refused" 1 re "unknown parent" \
    "$bastion" chain import --db "$tmp/c" <(sed -n 3p "$tmp/blocks.hex")
[ "$(field "$tmp/c" hash)" = "$head_c" ] && [ "$(field "$tmp/c" number)" = 1 ] &&
    ok "head unchanged after refused blocks" || bad "head moved"
"$bastion" chain import --db "$tmp/c" "$tmp/b2.hex" > /dev/null && ok "the real block 2 imports" ||
    bad "block 2 after refusals"

# ---- reads at a block ---------------------------------------------------------------------------
"$bastion" chain call --db "$tmp/a" --at "$hash1" Core_version > /dev/null &&
    ok "call at block 1 by hash" || bad "call at block 1 ($hash1)"
# OpaqueMetadata: a Vec<u8> (compact length) holding "meta" ++ the version
v1=$("$bastion" chain call --db "$tmp/a" --at 1 Metadata_metadata | tail -1 | cut -c1-20)
printf '%s' "$v1" | grep -q "^0x[0-9a-f]\{2,8\}6d657461" && ok "Metadata_metadata at block 1" ||
    bad "metadata: $v1"
expect_run "unknown --at refused" 1 re "no block '9'" \
    "$bastion" chain call --db "$tmp/a" --at 9 Core_version
expect_run "unknown runtime API refused" 1 has "" "$bastion" chain call --db "$tmp/a" No_such_api
out=$("$bastion" chain account --db "$tmp/a" //Alice)
printf '%s\n' "$out" | grep -q "^free    1152921504606846976$" && ok "Alice's endowment" ||
    bad "account: $out"

# ---- kill -9 before the commit ------------------------------------------------------------------
before=$(field "$tmp/a" hash)
"$bastion" chain author --db "$tmp/a" --hold-before-commit 30 > "$tmp/held.out" 2> "$tmp/held.err" &
pid=$!
for _ in $(seq 1 300); do
    grep -q "holding before the commit" "$tmp/held.err" 2>/dev/null && break
    sleep 0.1
done
grep -q "holding before the commit" "$tmp/held.err" || bad "author never reached the commit"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$(field "$tmp/a" hash)" = "$before" ] && ok "kill -9 before commit: head intact" ||
    bad "kill -9: head changed"
out=$("$bastion" chain author --db "$tmp/a" 2>&1)
printf '%s\n' "$out" | grep -q "^block 4 0x" && ok "database usable after kill -9" ||
    bad "author after kill -9: $out"
# kill -9 at arbitrary moments of authoring: the head is always a whole block
for delay in 0.05 0.15 0.3; do
    h0=$(field "$tmp/a" number)
    "$bastion" chain author --db "$tmp/a" > /dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    h1=$(field "$tmp/a" number)
    if [ "$h1" = "$h0" ] || [ "$h1" = $((h0 + 1)) ]; then ok "kill -9 after ${delay}s: head $h1"
    else bad "kill -9 after ${delay}s: head $h0 -> $h1"; fi
done
n=$(field "$tmp/a" number)
"$bastion" chain author --db "$tmp/a" | grep -q "^block $((n + 1)) 0x" && ok "authoring continues" ||
    bad "authoring after kills"

# ---- usage ----------------------------------------------------------------------------------------
for args in "" "init --db $tmp/x" "author" "frobnicate --db $tmp/x" "call --db $tmp/a" \
            "author --db $tmp/a --bogus" "author --db $tmp/a --tx zz"; do
    # shellcheck disable=SC2086
    "$bastion" chain $args > /dev/null 2>&1
    rc=$?
    [ $rc -eq 64 ] && ok "usage: chain $args" || bad "usage: chain $args exited $rc"
done
for sub in "" init author import export call account head; do
    # shellcheck disable=SC2086
    "$bastion" chain $sub --help | grep -q "^usage: bastion chain init" && ok "chain $sub --help" ||
        bad "chain $sub --help"
done
finish chain/dev_chain
