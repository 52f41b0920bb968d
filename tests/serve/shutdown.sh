#!/usr/bin/env bash
# shutdown.sh — SIGTERM drains `bastion serve` (CTest serve/shutdown): with a call running, the
# server stops accepting connections, answers 503 to a request on a connection opened before,
# lets the running call finish (its client gets the full answer) and exits 0.
#
#   shutdown.sh BASTION SCALE COMPUTE_WASM
. "$(dirname "$0")/lib.sh"
CALL=$(ms 1500)
cat >"$WORK/tenants.json" <<JSON
{"tenants": [{"name": "s", "token": "tok-s", "cpu_ms_per_s": 0, "call_timeout_ms": $CALL}]}
JSON
start_server
req PUT /v1/code tok-s "@$3"
expect 201
CODE=$(j .code_hash)
curl -s --max-time 60 -o "$WORK/running" -w '%{http_code}' -H 'Authorization: Bearer tok-s' \
    -d "{\"code_hash\":\"$CODE\",\"function\":\"loop\"}" "$URL/v1/invoke" >"$WORK/running.status" &
running=$!
exec 3<>"/dev/tcp/127.0.0.1/$PORT" # a connection opened before the signal
deadline=$(($(now_ms) + CALL / 2))
until curl -s "$URL/metrics" | grep -q '^bastion_instances_in_use{tenant="s"} 1$'; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "the call never started"
    sleep 0.02
done
kill -TERM "$PID"
sleep 0.2
kill -0 "$PID" 2>/dev/null || fail "the server exited before the running call finished"
# the listening socket is closed ...
if curl -s --max-time 5 -o /dev/null "$URL/healthz"; then fail "a new connection was accepted"; fi
# ... and a request on an open connection is refused with 503
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' >&3
read -r -t 10 line <&3 || fail "no answer on the open connection"
case "$line" in
"HTTP/1.1 503"*) ;;
*) fail "open connection: '$line', expected 503" ;;
esac
exec 3<&-
wait "$running" || fail "the running call's client failed"
[ "$(cat "$WORK/running.status")" = 200 ] || fail "the running call: $(cat "$WORK/running.status")"
[ "$(jq -r .outcome "$WORK/running")" = timeout ] || fail "the running call: $(cat "$WORK/running")"
rc=0
wait "$PID" || rc=$?
PID=
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM"
grep -q 'draining' "$WORK/err" || fail "nothing said about draining"
echo "shutdown: ok"
