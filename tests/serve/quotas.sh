#!/usr/bin/env bash
# quotas.sh — the tenant quotas of `bastion serve` seen over HTTP (CTest serve/quotas):
#   max_instances  the 9th concurrent call of a max_instances 8 tenant is 429 (quota
#                  max_instances, Retry-After) after about acquire_timeout_ms (100 ms);
#   cpu_ms_per_s   a looping call is interrupted (outcome cpu) and new calls are refused
#                  (429, quota cpu) while the budget is spent;
#   call_timeout_ms  a loop ends as timeout, as /v1/invoke and as a contract call;
#   memory_pages   memory.grow past the cap returns -1; a module whose minimum is larger is
#                  refused at upload (429, quota memory); max_contracts.
#
#   quotas.sh BASTION SCALE COMPUTE_WASM BIGMEM_WASM HOSTILE_CONTRACT_WASM
. "$(dirname "$0")/lib.sh"
COMPUTE=$3
BIGMEM=$4
HOSTILE=$5
LONG=$(ms 4000)
cat >"$WORK/tenants.json" <<JSON
{"tenants": [
  {"name": "inst", "token": "tok-inst", "max_instances": 8, "acquire_timeout_ms": 100,
   "cpu_ms_per_s": 0, "call_timeout_ms": $LONG},
  {"name": "cpu", "token": "tok-cpu", "cpu_ms_per_s": 100, "call_timeout_ms": $LONG},
  {"name": "time", "token": "tok-time", "cpu_ms_per_s": 0, "call_timeout_ms": 300,
   "max_contracts": 1},
  {"name": "mem", "token": "tok-mem", "memory_pages": 2}
]}
JSON
start_server

upload() { # upload TOKEN FILE -> CODE
    req PUT /v1/code "$1" "@$2"
    expect 201
    CODE=$(j .code_hash)
}
invoke() { # invoke TOKEN FUNCTION ARGS
    req POST /v1/invoke "$1" "{\"code_hash\":\"$CODE\",\"function\":\"$2\",\"args\":$3}"
}

# ---- max_instances: 8 loops run, the 9th waits acquire_timeout_ms and is refused ----
upload tok-inst "$COMPUTE"
for i in 1 2 3 4 5 6 7 8; do
    curl -s --max-time 60 -o "$WORK/loop$i" -H 'Authorization: Bearer tok-inst' \
        -d "{\"code_hash\":\"$CODE\",\"function\":\"loop\"}" "$URL/v1/invoke" &
    loops="${loops:-} $!"
done
deadline=$(($(now_ms) + LONG / 2))
until curl -s "$URL/metrics" | grep -q '^bastion_instances_in_use{tenant="inst"} 8$'; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "8 calls never ran at once"
    sleep 0.02
done
invoke tok-inst add '[1,2]'
expect 429
expect_j .error quota_exceeded
expect_j .quota max_instances
grep -qi '^Retry-After: [0-9]' "$HEADERS" || fail "no Retry-After header"
t=$(awk -v t="$TIME" 'BEGIN { printf "%d", t * 1000 }')
[ "$t" -ge 95 ] || fail "the 9th call was refused after $t ms, before acquire_timeout_ms (100)"
[ "$t" -lt $((100 + $(ms 400))) ] || fail "the 9th call was refused only after $t ms"
for p in $loops; do wait "$p"; done
for i in 1 2 3 4 5 6 7 8; do
    [ "$(jq -r .outcome "$WORK/loop$i")" = timeout ] || fail "loop $i: $(cat "$WORK/loop$i")"
done
# the places are free again
invoke tok-inst add '[1,2]'
expect 200
expect_j '.results[0]' 3

# ---- cpu_ms_per_s: a loop is stopped by the budget, further calls refused at once ----
upload tok-cpu "$COMPUTE"
invoke tok-cpu loop '[]'
expect 200
expect_j .outcome cpu
refused=0
for i in $(seq 20); do
    invoke tok-cpu add '[1,2]'
    if [ "$STATUS" = 429 ]; then
        expect_j .quota cpu
        refused=1
        break
    fi
    invoke tok-cpu loop '[]' # spend the budget of this second again
done
[ "$refused" = 1 ] || fail "no call was refused for cpu_ms_per_s"

# ---- call_timeout_ms: 300 ms ends a loop, in /v1/invoke and in a contract ----
upload tok-time "$COMPUTE"
invoke tok-time loop '[]'
expect 200
expect_j .outcome timeout
t=$(awk -v t="$TIME" 'BEGIN { printf "%d", t * 1000 }')
[ "$t" -ge 290 ] && [ "$t" -lt $((300 + $(ms 300))) ] || fail "a 300 ms loop ended after $t ms"
upload tok-time "$HOSTILE"
req POST /v1/contracts tok-time "{\"code_hash\":\"$CODE\",\"data\":\"0x\"}"
expect_j .outcome success
ADDR=$(j .address)
# mode 0: write, then loop forever; the gas limit would last far longer than 300 ms
req POST "/v1/contracts/$ADDR/call" tok-time '{"data":"0x00","gas_limit":1000000000000000}'
expect 200
expect_j .outcome timeout
t=$(awk -v t="$TIME" 'BEGIN { printf "%d", t * 1000 }')
[ "$t" -lt $((300 + $(ms 300))) ] || fail "a 300 ms contract loop ended after $t ms"
# max_contracts 1: a second instance is refused
req POST /v1/contracts tok-time "{\"code_hash\":\"$CODE\",\"data\":\"0x\",\"salt\":\"0x02\"}"
expect 429
expect_j .quota max_contracts

# ---- memory_pages 2: grow to 2 pages, not to 3; a 100-page module is refused ----
upload tok-mem "$COMPUTE"
invoke tok-mem grow '[1]'
expect_j '.results[0]' 1
invoke tok-mem grow '[1]' # a fresh (reset) instance: 1 page again, 3 would pass the cap
invoke tok-mem grow '[2]'
expect_j '.results[0]' -1
req PUT /v1/code tok-mem "@$BIGMEM"
expect 429
expect_j .quota memory

# ---- the counters saw all of it ----
req GET /metrics -
for line in 'bastion_quota_rejections_total{tenant="inst",quota="max_instances"} 1' \
    'bastion_quota_rejections_total{tenant="time",quota="max_contracts"} 1' \
    'bastion_calls_total{tenant="inst",outcome="timeout"} 8'; do
    printf '%s\n' "$BODY" | grep -qxF "$line" || fail "metrics: no line '$line'"
done
printf '%s\n' "$BODY" | grep -q '^bastion_calls_total{tenant="cpu",outcome="cpu"} [1-9]' ||
    fail "metrics: no call ended by the cpu quota"
stop_server
echo "quotas: ok"
