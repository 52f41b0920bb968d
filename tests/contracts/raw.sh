#!/bin/sh
# raw.sh BASTION CONTRACTS_DIR WAT2WASM — the CLI's raw mode (--selector/--args or --data, no
# metadata) and its outcome reporting, with a contract written here: debug lines, a raw event
# line, exit status 0 / 1 (trap, out of gas, rejected code) / 2 (revert), and a rejected upload.
. "$(dirname "$0")/lib.sh"
WAT2WASM=$3
cat >"$WORK/raw.wat" <<'WAT'
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal0" "debug_message" (func $debug (param i32 i32) (result i32)))
  (import "seal0" "deposit_event" (func $event (param i32 i32 i32 i32)))
  (import "env" "memory" (memory 1 16))
  (data (i32.const 100) "hello\nworld")
  (data (i32.const 120) "ok")
  (data (i32.const 130) "no")
  (data (i32.const 140) "hi")
  (data (i32.const 150) "a\00b\1b[2Jc\7f")
  ;; Vec<[u8; 32]> with one topic of 0xaa bytes: compact 1 (0x04) then the topic.
  (data (i32.const 200) "\04\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa\aa")
  (func (export "deploy"))
  ;; The first input byte selects: 0 debug output + return "ok", 1 an event, 2 revert "no",
  ;; 3 trap, 5 debug output with control characters and a NUL + return "ok", else loop forever.
  (func (export "call")
    (local $op i32)
    (i32.store (i32.const 4) (i32.const 64))
    (call $input (i32.const 8) (i32.const 4))
    (local.set $op (i32.load8_u (i32.const 8)))
    (if (i32.eqz (local.get $op))
      (then
        (drop (call $debug (i32.const 100) (i32.const 11)))
        (call $ret (i32.const 0) (i32.const 120) (i32.const 2))))
    (if (i32.eq (local.get $op) (i32.const 1))
      (then (call $event (i32.const 200) (i32.const 33) (i32.const 140) (i32.const 2)) (return)))
    (if (i32.eq (local.get $op) (i32.const 2))
      (then (call $ret (i32.const 1) (i32.const 130) (i32.const 2))))
    (if (i32.eq (local.get $op) (i32.const 3)) (then unreachable))
    (if (i32.eq (local.get $op) (i32.const 5))
      (then
        (drop (call $debug (i32.const 150) (i32.const 9)))
        (call $ret (i32.const 0) (i32.const 120) (i32.const 2))))
    (loop $forever (br $forever))))
WAT
"$WAT2WASM" "$WORK/raw.wat" -o "$WORK/raw.wasm" || fail "wat2wasm"

run 0 instantiate "$WORK/raw.wasm" --selector 0x00000000
expect "outcome success" "flags 0x0" "data 0x"
A=$(field address)

run 0 call "$A" --selector 0x00000000
expect "outcome success" "flags 0x0" "data 0x6f6b" "debug hello" "debug world"

run 0 call "$A" --selector 0x01000000 --args 0xffff
expect "input 0x01000000ffff" "outcome success" \
       "event emitter=$A topics=[0x$(printf 'aa%.0s' $(seq 32))] data=0x6869"

run 2 call "$A" --selector 0x02000000
expect "outcome reverted" "flags 0x1" "data 0x6e6f"

run 1 call "$A" --selector 0x03000000
expect "outcome trapped"
printf '%s\n' "$OUT" | grep -q '^error ' || fail "a trap without an error line"

run 1 call "$A" --selector 0x04000000 --gas 200000
expect "outcome out of gas"
used=$(field gas_used)
[ "$used" -le 200000 ] || fail "gas_used $used above the limit"

# --data sends exactly its bytes: empty, or shorter than a selector (the contract reads its
# first byte: 2 reverts; no byte reads as 0).
run 0 call "$A" --data 0x
expect "input 0x" "outcome success" "data 0x6f6b"
run 2 call "$A" --data 0x02
expect "input 0x02" "outcome reverted" "data 0x6e6f"
run 0 instantiate "$WORK/raw.wasm" --data 0x --salt 0x01
expect "input 0x" "outcome success"
run 64 call "$A" --data 0x02 --selector 0x02000000
run 64 call "$A" --data 0x02 --args 0x00
run 64 call "$A" --data 02
run 64 call "$A" --data 0x0

# Debug text is printed whole (past a NUL) with its control characters escaped.
run 0 call "$A" --selector 0x05000000
expect 'debug a\x00b\x1b[2Jc\x7f'
# --json: the debug text is one string, exact (the NUL and control characters JSON-escaped).
run 0 call "$A" --selector 0x05000000 --json
printf '%s' "$OUT" | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["debug"] != "a\0b\x1b[2Jc\x7f")' ||
    fail "--json debug: $OUT"
run 1 call "$A" --selector 0x03000000 --json
printf '%s' "$OUT" | python3 -c '
import json, sys
j = json.load(sys.stdin)
sys.exit(not (j["outcome"] == "trapped" and j["error"] and j["data"] is None))' ||
    fail "--json trap: $OUT"

# A metadata "bomb": an array of 999999999 zero-sized elements decodes without reading input;
# the decoder stops at its output limit instead of printing gigabytes.
cat >"$WORK/bomb.json" <<'JSON'
{"version": 5, "spec": {"constructors": [{"label":"new","selector":"0x00000000","args":[]}],
 "messages": [{"label":"get","selector":"0x00000000","args":[],"returnType":{"type":0}}], "events": []},
 "types": [{"id":0,"type":{"def":{"array":{"len":999999999,"type":1}}}}, {"id":1,"type":{"def":{"tuple":[]}}}]}
JSON
run 0 call "$A" --metadata "$WORK/bomb.json" --message get
printf '%s\n' "$OUT" | grep -q '^result undecodable (value too large to show' ||
    fail "the metadata bomb was not stopped"
[ "$(printf '%s\n' "$OUT" | wc -c)" -lt 10000 ] || fail "the metadata bomb printed too much"

# Code the host must refuse (a start function): upload fails with exit 1 and the reason.
cat >"$WORK/bad.wat" <<'WAT'
(module
  (import "env" "memory" (memory 1 16))
  (func $s) (start $s)
  (func (export "deploy")) (func (export "call")))
WAT
"$WAT2WASM" "$WORK/bad.wat" -o "$WORK/bad.wasm" || fail "wat2wasm"
run 1 upload "$WORK/bad.wasm"
printf '%s\n' "$OUT" | grep -q '^error .*start' || fail "no reason for the rejected upload"
run 64 upload
run 64 frobnicate
echo "raw: ok"
