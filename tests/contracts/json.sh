#!/bin/sh
# json.sh BASTION CONTRACTS_DIR — `bastion contract instantiate|call|query --json`: one JSON
# object per run (checked with python3's json module), with the members of the labelled
# lines: ink! 5 ERC-20's Transfer event decoded, a revert, an error, and no metadata.
. "$(dirname "$0")/lib.sh"
WASM=$C/erc20_v5.wasm
META=$C/erc20_v5.json

# check PYTHON-EXPR: the last output is exactly one JSON object (one line) and the
# expression, over it as `j`, holds.
check() {
    [ "$(printf '%s\n' "$OUT" | wc -l)" = 1 ] || fail "not one line: $OUT"
    printf '%s' "$OUT" | python3 -c '
import json, sys
j = json.load(sys.stdin)
keys = ["input", "outcome", "address", "code_hash", "flags", "data", "result", "result_error",
        "events", "gas_used", "gas_consumed", "storage_deposit", "debug", "error"]
assert list(j["gas_consumed"]) == ["ref_time", "proof_size"], j["gas_consumed"]
assert j["gas_consumed"]["ref_time"] == j["gas_used"], j
assert list(j) == keys, list(j)
ok = eval("(" + sys.argv[1] + ")")
if not ok:
    sys.exit("check failed: %s on %s" % (sys.argv[1], json.dumps(j)))
' "$1" || fail "JSON check: $1"
}
jget() {
    printf '%s' "$OUT" | python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

run 0 instantiate "$WASM" --metadata "$META" --constructor new --arg 1000 --json
check 'j["outcome"] == "success" and j["input"] == "0x9bae9d5ee8030000000000000000000000000000"
       and len(j["address"]) == 66 and j["flags"] == 0 and j["result"] == "Ok(())"
       and j["result_error"] is None and j["error"] is None and j["gas_used"] > 0
       and len(j["events"]) == 1
       and j["events"][0]["decoded"] == "Transfer from=None to=Some('"$ALICE"') value=1000"
       and j["events"][0]["decode_error"] is None and len(j["events"][0]["topics"]) >= 1
       and j["events"][0]["emitter"] == j["address"]'
T=$(jget address)
HASH=$(jget code_hash)
[ "$HASH" = "0x$(b2sum -l 256 "$WASM" | cut -d' ' -f1)" ] || fail "code_hash $HASH"

# The same numbers as the labelled lines.
run 0 query "$T" --metadata "$META" --message balance_of --arg alice
lines_data=$(field data)
lines_gas=$(field gas_used)
lines_proof=$(field proof_size_used)
run 0 query "$T" --metadata "$META" --message balance_of --arg alice --json
check 'j["address"] is None and j["data"] == "'"$lines_data"'" and j["gas_used"] == '"$lines_gas"'
       and j["gas_consumed"]["proof_size"] == '"$lines_proof"' and '"$lines_proof"' > 0
       and j["result"] == "Ok(1000)" and j["events"] == [] and j["debug"] is None'

# A revert exits 2 with its data; without metadata nothing is decoded.
run 2 call "$T" --metadata "$META" --message transfer --arg bob --arg 5000 --json
check 'j["outcome"] == "reverted" and j["flags"] == 1 and j["data"] == "0x000100"
       and j["result"] == "Ok(Err(InsufficientBalance))" and j["events"] == []'
run 0 call "$T" --selector 0x84a15da1 --args "${BOB#0x}64000000000000000000000000000000" --json
check 'j["result"] is None and j["result_error"] is None and len(j["events"]) == 1
       and j["events"][0]["decoded"] is None and j["events"][0]["decode_error"] == "no metadata"
       and j["events"][0]["data"].startswith("0x")'

# An error: no such contract (exit 1), the fields it has not got are null.
run 1 call 0x0000000000000000000000000000000000000000000000000000000000000001 \
    --selector 0x633aa551 --json
check 'j["outcome"] == "error" and j["address"] is None and j["flags"] is None
       and j["data"] is None and isinstance(j["error"], str) and j["error"] != ""'

# upload prints its one line; --json is for the exec commands.
run 64 upload "$WASM" --json
"$BASTION" contract --help | grep -q "^  --json" || fail "contract --help"
echo "json: ok"
