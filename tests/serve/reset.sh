#!/usr/bin/env bash
# reset.sh — pooled instances leak nothing between calls (CTest serve/reset): through
# /v1/invoke, poison() grows memory, fills every byte, sets a global and a table slot, and sees
# its own secret; the next call, on the same instance taken back from the pool ("pooled":
# true), finds memory, global and table as new (peek() == 0).
#
#   reset.sh BASTION SCALE COMPUTE_WASM
. "$(dirname "$0")/lib.sh"
cat >"$WORK/tenants.json" <<'JSON'
{"tenants": [{"name": "r", "token": "tok-r", "max_instances": 1}]}
JSON
start_server
req PUT /v1/code tok-r "@$3"
expect 201
CODE=$(j .code_hash)
for round in 1 2 3; do
    req POST /v1/invoke tok-r "{\"code_hash\":\"$CODE\",\"function\":\"poison\"}"
    expect_j .outcome success
    expect_j '.results[0]' 15 # size, contents, global and table all poisoned
    req POST /v1/invoke tok-r "{\"code_hash\":\"$CODE\",\"function\":\"peek\"}"
    expect_j .outcome success
    expect_j .pooled true
    expect_j '.results[0]' 0
done
req GET /metrics -
printf '%s\n' "$BODY" | grep -q '^bastion_pool_hits_total{tenant="r"} [1-9]' || fail "no pool hits"
stop_server
echo "reset: ok"
