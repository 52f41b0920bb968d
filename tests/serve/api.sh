#!/usr/bin/env bash
# api.sh — `bastion serve` end to end with curl (CTest serve/api): upload, instantiate, call and
# query flipper and erc20 (../shared/contracts), /v1/invoke, /healthz and /metrics, and the
# error statuses: 400, 401, 404 (also for another tenant's code and contracts), 405, 413.
#
#   api.sh BASTION SCALE CONTRACTS_DIR COMPUTE_WASM
. "$(dirname "$0")/lib.sh"
C=$3
COMPUTE=$4
cat >"$WORK/tenants.json" <<'JSON'
{"tenants": [
  {"name": "a", "token": "token-a-0123456789"},
  {"name": "b", "token": "token-b-0123456789", "max_code_bytes": 2000}
]}
JSON
A=token-a-0123456789
B=token-b-0123456789
start_server

req GET /healthz -
expect 200
expect_j .status ok

# ---- flipper ----
req PUT /v1/code $A "@$C/flipper_v5.wasm"
expect 201
expect_j .kind contract
FLIPPER_CODE=$(j .code_hash)
req POST /v1/contracts $A "{\"code_hash\":\"$FLIPPER_CODE\",\"data\":\"0x9bae9d5e00\"}"
expect 200
expect_j .outcome success
FLIPPER=$(j .address)
# the instantiation's storage deposit (its item and the contract's base deposit), as text
DEP=$(j .storage_deposit.charge)
[ "$DEP" -gt 0 ] 2>/dev/null || fail "instantiate: storage_deposit.charge is '$DEP'"
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x2f865bd9"}'
expect 200
expect_j .outcome success
expect_j .data 0x0000
expect_j .storage_deposit.charge 0
req POST "/v1/contracts/$FLIPPER/call" $A '{"data":"0x633aa551"}'
expect 200
expect_j .outcome success
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x2f865bd9","origin":"bob"}'
expect_j .data 0x0001
# a query changes nothing: flip as a query, then get
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x633aa551"}'
expect_j .outcome success
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x2f865bd9"}'
expect_j .data 0x0001
# Weight v2: proof_size_used is reported; proof_size_limit below it is out of gas, at it runs
NEED=$(j .proof_size_used)
[ "$NEED" -gt 0 ] || fail "proof_size_used not reported"
req POST "/v1/contracts/$FLIPPER/query" $A "{\"data\":\"0x2f865bd9\",\"proof_size_limit\":$((NEED - 1))}"
expect 200
expect_j .outcome out_of_gas
expect_j .proof_size_used $((NEED - 1))
req POST "/v1/contracts/$FLIPPER/query" $A "{\"data\":\"0x2f865bd9\",\"proof_size_limit\":$NEED}"
expect_j .outcome success
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x2f865bd9","proof_size_limit":-1}'
expect 400
# an unknown selector traps (ink! rejects it); gas_used is reported
req POST "/v1/contracts/$FLIPPER/call" $A '{"data":"0xdeadbeef","gas_limit":100000000}'
expect 200
[ "$(j .outcome)" != success ] || fail "an unknown selector succeeded"

# ---- erc20: new(1_000_000), transfer 1000 to bob, balances ----
req PUT /v1/code $A "@$C/erc20_v5.wasm"
expect 201
ERC20_CODE=$(j .code_hash)
req POST /v1/contracts $A "{\"code_hash\":\"$ERC20_CODE\",\"data\":\"0x9bae9d5e$(u128 1000000)\",\"salt\":\"0x01\"}"
expect_j .outcome success
ERC20=$(j .address)
[ "$(j '.events | length')" -ge 1 ] || fail "no Transfer event at instantiation"
req POST "/v1/contracts/$ERC20/query" $A '{"data":"0xdb6375a8"}'
expect_j .data "0x00$(u128 1000000)"
req POST "/v1/contracts/$ERC20/call" $A "{\"data\":\"0x84a15da1$BOB$(u128 1000)\"}"
expect_j .outcome success
expect_j .data 0x0000
expect_j '.events | length' 1
[ "$(j .gas_used)" -gt 0 ] || fail "gas_used not reported"
req POST "/v1/contracts/$ERC20/query" $A "{\"data\":\"0x0f755a56$BOB\"}"
expect_j .data "0x00$(u128 1000)"
req POST "/v1/contracts/$ERC20/query" $A "{\"data\":\"0x0f755a56$ALICE\"}"
expect_j .data "0x00$(u128 999000)"
# bob has 1000: transferring 5000 reverts, and changes nothing
req POST "/v1/contracts/$ERC20/call" $A "{\"data\":\"0x84a15da1$CHARLIE$(u128 5000)\",\"origin\":\"0x$BOB\"}"
expect_j .outcome revert
req POST "/v1/contracts/$ERC20/query" $A "{\"data\":\"0x0f755a56$BOB\"}"
expect_j .data "0x00$(u128 1000)"

# ---- /v1/invoke ----
req PUT /v1/code $A "@$COMPUTE"
expect 201
expect_j .kind module
COMPUTE_CODE=$(j .code_hash)
req POST /v1/invoke $A "{\"code_hash\":\"$COMPUTE_CODE\",\"function\":\"add\",\"args\":[2,40]}"
expect 200
expect_j .outcome success
expect_j '.results[0]' 42
req POST /v1/invoke $A "{\"code_hash\":\"$COMPUTE_CODE\",\"function\":\"spin\",\"args\":[1000000000],\"fuel\":1000}"
expect_j .outcome out_of_gas
req POST /v1/invoke $A "{\"code_hash\":\"$COMPUTE_CODE\",\"function\":\"nope\"}"
expect 400
req POST /v1/invoke $A "{\"code_hash\":\"$COMPUTE_CODE\",\"function\":\"add\",\"args\":[1]}"
expect 400

# ---- 401 ----
req POST "/v1/contracts/$FLIPPER/query" - '{"data":"0x2f865bd9"}'
expect 401
req POST "/v1/contracts/$FLIPPER/query" token-c-0123456789 '{"data":"0x2f865bd9"}'
expect 401
req POST "/v1/contracts/$FLIPPER/query" "${A}x" '{"data":"0x2f865bd9"}'
expect 401
out=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Basic $A" -X PUT "$URL/v1/code")
[ "$out" = 401 ] || fail "Basic authorization: $out"

# ---- 404: unknown, and another tenant's (existence not revealed) ----
req POST "/v1/contracts/$FLIPPER/query" $B '{"data":"0x2f865bd9"}'
expect 404
NOSUCH=0x$(printf '%064d' 7)
req POST "/v1/contracts/$NOSUCH/query" $B '{"data":"0x2f865bd9"}'
expect 404
BODY_OTHER=$BODY
req POST "/v1/contracts/$FLIPPER/call" $B '{"data":"0x633aa551"}'
expect 404
[ "$BODY" = "$BODY_OTHER" ] || fail "another tenant's contract answers differently: $BODY"
req POST /v1/contracts $B "{\"code_hash\":\"$FLIPPER_CODE\",\"data\":\"0x9bae9d5e00\"}"
expect 404
req POST /v1/invoke $B "{\"code_hash\":\"$COMPUTE_CODE\",\"function\":\"add\",\"args\":[1,2]}"
expect 404
req GET /v2/nothing $A
expect 404
req POST "/v1/contracts/$FLIPPER/other" $A '{}'
expect 404

# ---- 400, 405, 413 ----
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x2f865bd9","extra":1}'
expect 400
expect_j .error bad_request
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x2f865bd'
expect 400
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"xyz"}'
expect 400
req POST "/v1/contracts/$FLIPPER/query" $A '{"data":"0x2f865bd9","origin":"mallory"}'
expect 400
req PUT /v1/code $A 'not wasm at all'
expect 400
req GET /v1/code $A
expect 405
# tenant b's max_code_bytes is 2000: erc20 is larger
req PUT /v1/code $B "@$C/erc20_v5.wasm"
expect 413
# a JSON body over 256 KiB
head -c 300000 /dev/zero | tr '\0' 'a' >"$WORK/big"
req POST /v1/invoke $A "@$WORK/big"
expect 413

# ---- metrics ----
req GET /metrics -
expect 200
printf '%s\n' "$BODY" | grep -q '^bastion_calls_total{tenant="a",outcome="success"} [1-9]' ||
    fail "no successful calls counted: $BODY"
printf "%s\n" "$BODY" | grep -q "^bastion_contract_instances_reused_total{tenant=\"a\"} [1-9]" ||
    fail "no contract call ran on a pooled instance"
for series in bastion_quota_rejections_total bastion_cpu_seconds_total bastion_instances_in_use \
    bastion_pool_hits_total bastion_pool_misses_total bastion_call_duration_seconds_bucket \
    bastion_call_duration_seconds_count; do
    printf '%s\n' "$BODY" | grep -q "^$series{tenant=\"b\"" || fail "no $series for tenant b"
done
stop_server
echo "api: ok"
