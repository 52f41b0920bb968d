#!/usr/bin/env bash
# kill9.sh — durability of `bastion serve` (CTest serve/kill9): four clients transfer erc20
# tokens (../shared/contracts/erc20_v5) from alice to bob, charlie, dave and eve, one unit per
# call, counting the calls acknowledged (200, outcome success); the server is killed with
# SIGKILL in the middle and restarted on the same state.  Every acknowledged transfer must be
# there (a recipient holds at least its acknowledged count, at most one more: the call in flight
# when the server died may have committed without being answered) and nothing else: the
# balances still sum to the total supply.
#
#   kill9.sh BASTION SCALE CONTRACTS_DIR
. "$(dirname "$0")/lib.sh"
C=$3
SUPPLY=1000000
cat >"$WORK/tenants.json" <<'JSON'
{"tenants": [{"name": "d", "token": "tok-d", "cpu_ms_per_s": 0, "call_timeout_ms": 10000,
              "acquire_timeout_ms": 10000}]}
JSON
start_server
req PUT /v1/code tok-d "@$C/erc20_v5.wasm"
expect 201
req POST /v1/contracts tok-d "{\"code_hash\":\"$(j .code_hash)\",\"data\":\"0x9bae9d5e$(u128 $SUPPLY)\"}"
expect_j .outcome success
ERC20=$(j .address)

# client TO: transfers 1 to TO until the server is gone; one line per acknowledged transfer.
client() {
    local to=$1 out
    while :; do
        out=$(curl -s --max-time 30 -H 'Authorization: Bearer tok-d' \
            -d "{\"data\":\"0x84a15da1$to$(u128 1)\"}" "$URL/v1/contracts/$ERC20/call") || return 0
        if [ "$(printf '%s' "$out" | jq -r .outcome)" = success ]; then
            echo ack >>"$WORK/acks.$to"
        else
            echo "unexpected answer: $out" >>"$WORK/acks.$to.bad"
        fi
    done
}
clients=
for to in $BOB $CHARLIE $DAVE $EVE; do
    : >"$WORK/acks.$to"
    client "$to" &
    clients="$clients $!"
done
# let them run until at least 20 transfers are acknowledged, then kill the server mid-load
deadline=$(($(now_ms) + $(ms 30000)))
while [ "$(cat "$WORK"/acks.* | wc -l)" -lt 20 ]; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "fewer than 20 transfers acknowledged in time"
    sleep 0.05
done
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
PID=
for c in $clients; do wait "$c"; done
if ls "$WORK"/acks.*.bad >/dev/null 2>&1; then fail "$(cat "$WORK"/acks.*.bad | head -3)"; fi

start_server
balance() { # balance ACCOUNT -> the decimal balance
    req POST "/v1/contracts/$ERC20/query" tok-d "{\"data\":\"0x0f755a56$1\"}"
    expect_j .outcome success
    python3 -c "import sys; print(int.from_bytes(bytes.fromhex(sys.argv[1][4:]), 'little'))" "$(j .data)"
}
sum=$(balance $ALICE)
total_acks=0
for to in $BOB $CHARLIE $DAVE $EVE; do
    acks=$(wc -l <"$WORK/acks.$to")
    got=$(balance "$to")
    [ "$got" -ge "$acks" ] || fail "${to:0:8}: $acks transfers acknowledged, balance $got"
    [ "$got" -le $((acks + 1)) ] || fail "${to:0:8}: $acks transfers acknowledged, balance $got"
    sum=$((sum + got))
    total_acks=$((total_acks + acks))
done
[ "$sum" -eq "$SUPPLY" ] || fail "the balances sum to $sum, not $SUPPLY"
stop_server
echo "kill9: ok ($total_acks acknowledged transfers kept)"
