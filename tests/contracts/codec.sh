#!/bin/sh
# codec.sh BASTION CONTRACTS_DIR — the metadata-directed argument encoder against the SCALE
# examples of the Substrate documentation (docs.substrate.io, "SCALE codec" reference table),
# through the CLI: the `input` line is printed before the call, which then fails (exit 1)
# because no contract lives at the address.  The metadata is written here (ink! 5 layout).
# The queries need an existing state (a query creates none): an upload makes it.
. "$(dirname "$0")/lib.sh"
run 0 upload "$C/flipper_v5.wasm"
META=$WORK/codec.json
cat >"$META" <<'JSON'
{"version": 5, "spec": {"constructors": [], "events": [], "messages": [
 {"label": "compact", "selector": "0x00000001", "args": [{"label": "c", "type": {"type": 1}}], "returnType": null},
 {"label": "vec", "selector": "0x00000002", "args": [{"label": "v", "type": {"type": 3}}], "returnType": null},
 {"label": "res", "selector": "0x00000003", "args": [{"label": "r", "type": {"type": 6}}], "returnType": null},
 {"label": "tup", "selector": "0x00000004", "args": [{"label": "t", "type": {"type": 8}}], "returnType": null},
 {"label": "ints", "selector": "0x00000005", "args": [{"label": "a", "type": {"type": 2}},
   {"label": "b", "type": {"type": 9}}, {"label": "c", "type": {"type": 10}}], "returnType": null},
 {"label": "opt", "selector": "0x00000006", "args": [{"label": "o", "type": {"type": 11}}], "returnType": null},
 {"label": "text", "selector": "0x00000007", "args": [{"label": "s", "type": {"type": 15}},
   {"label": "b", "type": {"type": 16}}], "returnType": null},
 {"label": "opt0", "selector": "0x00000008", "args": [{"label": "o", "type": {"type": 17}}], "returnType": null}
]},
 "types": [
  {"id": 0, "type": {"def": {"primitive": "u128"}}},
  {"id": 1, "type": {"def": {"compact": {"type": 0}}}},
  {"id": 2, "type": {"def": {"primitive": "i16"}}},
  {"id": 3, "type": {"def": {"sequence": {"type": 4}}}},
  {"id": 4, "type": {"def": {"primitive": "u16"}}},
  {"id": 5, "type": {"def": {"primitive": "u8"}}},
  {"id": 6, "type": {"def": {"variant": {"variants": [{"index": 0, "name": "Ok", "fields": [{"type": 5}]},
     {"index": 1, "name": "Err", "fields": [{"type": 7}]}]}}, "path": ["Result"]}},
  {"id": 7, "type": {"def": {"primitive": "bool"}}},
  {"id": 8, "type": {"def": {"tuple": [12, 7]}}},
  {"id": 9, "type": {"def": {"primitive": "u32"}}},
  {"id": 10, "type": {"def": {"primitive": "i128"}}},
  {"id": 11, "type": {"def": {"variant": {"variants": [{"index": 0, "name": "None"},
     {"index": 1, "name": "Some", "fields": [{"type": 13}]}]}}, "path": ["Option"]}},
  {"id": 12, "type": {"def": {"compact": {"type": 9}}}},
  {"id": 13, "type": {"def": {"composite": {"fields": [{"type": 14, "typeName": "[u8; 32]"}]}},
     "path": ["ink_primitives", "types", "AccountId"]}},
  {"id": 14, "type": {"def": {"array": {"len": 32, "type": 5}}}},
  {"id": 15, "type": {"def": {"primitive": "str"}}},
  {"id": 16, "type": {"def": {"sequence": {"type": 5}}}},
  {"id": 17, "type": {"def": {"variant": {"variants": [{"index": 0, "name": "None"},
     {"index": 1, "name": "Some"}]}}, "path": ["Option"]}}
 ]}
JSON
NOWHERE=0x00000000000000000000000000000000000000000000000000000000000000ee

# enc MESSAGE EXPECTED_INPUT_HEX ARG...
enc() {
    msg=$1
    input=$2
    shift 2
    run 1 query "$NOWHERE" --metadata "$META" --message "$msg" "$@"
    expect "input $input" "outcome error"
}
# Compact integers: 0, 1, 42, 69, 65535, 100000000000000 (the reference table).
enc compact 0x0000000100 --arg 0
enc compact 0x0000000104 --arg 1
enc compact 0x00000001a8 --arg 42
enc compact 0x000000011501 --arg 69
enc compact 0x00000001feff0300 --arg 65535
enc compact 0x000000010b00407a10f35a --arg 100000000000000
# Vec<u16> [4, 8, 15, 16, 23, 42].
enc vec 0x0000000218040008000f00100017002a00 --arg "[4, 8, 15, 16, 23, 42]"
enc vec 0x0000000200 --arg "[]"
# Result<u8, bool>: Ok(42), Err(false).
enc res 0x00000003002a --arg "Ok(42)"
enc res 0x000000030100 --arg "Err(false)"
# (Compact<u32>, bool): (3, false).
enc tup 0x000000040c00 --arg "(3, false)"
# i16 42, u32 16777215, i128 -1.
enc ints 0x000000052a00ffffff00ffffffffffffffffffffffffffffffff --arg 42 --arg 16777215 --arg -1
# Option<AccountId>: None, Some(bob), a bare value meaning Some.
enc opt 0x0000000600 --arg none
enc opt "0x0000000601${BOB#0x}" --arg "Some(bob)"
enc opt "0x0000000601${ALICE#0x}" --arg "$ALICE"
# str "Hello" (compact length + UTF-8), Vec<u8> from hex.
enc text 0x000000071448656c6c6f0cdeadbe --arg Hello --arg 0xdeadbe
enc text 0x000000070c612c6200 --arg '"a,b"' --arg ""

# Values that do not fit are misuse (64), before anything runs.
bad() {
    msg=$1
    shift
    run 64 query "$NOWHERE" --metadata "$META" --message "$msg" "$@"
}
bad ints --arg 32768 --arg 0 --arg 0
bad ints --arg 0 --arg 4294967296 --arg 0
bad ints --arg 0 --arg -1 --arg 0
bad res --arg "Maybe(1)"
bad opt --arg "Some(0x1234)"
bad opt --arg nobody
bad vec --arg "[1, 70000]"
bad tup --arg "(1, false, 2)"
bad compact --arg 340282366920938463463374607431768211456
# An Option whose Some has no field: a bare value has nothing to be encoded as.
bad opt0 --arg 5
printf '%s\n' "$(cat "$WORK/stderr")" | grep -q "no single Some field" || fail "opt0: no reason"
echo "codec: ok"
