#!/usr/bin/env bash
# serve.sh — load figures of `bastion serve` with wrk on loopback (docs/service.md; not a test).
#
#   bench/serve.sh BUILD_DIR [SECONDS]      (default 5 seconds per run; NOISY_ONLY=1 in the
#                                            environment: only the noisy neighbour)
#
# Starts the server twice (pooled instances, then --fresh-instances) with two tenants, uploads
# flipper and erc20 (../shared/contracts) for tenant A, and measures with wrk requests/s and
# p50/p99 latency of flipper query, flipper call, erc20 transfer (call) and erc20 balance_of
# (query) at 1, 8 and 64 connections.  Then the noisy neighbour: tenant B floods the server with
# infinite loops, memory bombs and oversized bodies (with wrk) while A runs flipper queries at 8
# connections; A's p99 alone and beside B, and B's status codes, are printed.  Prints Markdown
# tables.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SECS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=$ROOT/../shared/contracts
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -9 $PID 2>/dev/null; rm -rf "$WORK"' EXIT
BOB=8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48

cat >"$WORK/tenants.json" <<'JSON'
{"tenants": [
  {"name": "a", "token": "tok-a", "max_instances": 64, "acquire_timeout_ms": 1000,
   "cpu_ms_per_s": 0, "call_timeout_ms": 5000},
  {"name": "b", "token": "tok-b", "max_instances": 4, "cpu_ms_per_s": 200,
   "call_timeout_ms": 1000, "memory_pages": 64, "max_code_bytes": 65536}
]}
JSON

start() {
    rm -rf "$WORK/state"
    "$BUILD/bastion" serve --listen 127.0.0.1:0 --config "$WORK/tenants.json" \
        --state "$WORK/state" "$@" >"$WORK/out" 2>"$WORK/err" &
    PID=$!
    until grep -q '^listening' "$WORK/out" 2>/dev/null; do sleep 0.05; done
    URL=http://$(sed 's/^listening on //' "$WORK/out")
}
stop() {
    kill -TERM "$PID"
    wait "$PID" || true
    PID=
}
post() { # post TOKEN PATH BODY -> response
    curl -s -H "Authorization: Bearer $1" --data-binary "$3" "$URL$2"
}
deploy() {
    local fc ec
    fc=$(curl -s -H 'Authorization: Bearer tok-a' -X PUT --data-binary "@$C/flipper_v5.wasm" \
        "$URL/v1/code" | jq -r .code_hash)
    ec=$(curl -s -H 'Authorization: Bearer tok-a' -X PUT --data-binary "@$C/erc20_v5.wasm" \
        "$URL/v1/code" | jq -r .code_hash)
    FLIPPER=$(post tok-a /v1/contracts "{\"code_hash\":\"$fc\",\"data\":\"0x9bae9d5e00\"}" |
        jq -r .address)
    ERC20=$(post tok-a /v1/contracts \
        "{\"code_hash\":\"$ec\",\"data\":\"0x9bae9d5e00000010632d5ec76b0500000000000000\"}" |
        jq -r .address)
}

# wrk with a Lua script posting BODY with TOKEN; prints "req/s p50 p99" (ms) and checks that
# every answer was 200.
LUA=$WORK/post.lua
cat >"$LUA" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
local non200 = 0
response = function(status) if status ~= 200 then non200 = non200 + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
LUA
load() { # load CONNS PATH TOKEN BODY
    local threads=$(($1 < 2 ? 1 : 2))
    BODY=$4 TOKEN=$3 wrk -t"$threads" -c"$1" -d"${SECS}s" --latency -s "$LUA" "$URL$2" |
        awk '/^RESULT/ { printf "%s | %s | %s", $2, $3, $4; if ($5 > 0) printf " (%s non-2xx)", $5 }'
}

table() { # table MODE: the four workloads at 1, 8, 64 connections
    local q_flip='{"data":"0x2f865bd9"}'
    local c_flip='{"data":"0x633aa551"}'
    local c_xfer="{\"data\":\"0x84a15da1${BOB}01000000000000000000000000000000\"}"
    local q_bal="{\"data\":\"0x0f755a56${BOB}\"}"
    for w in "flipper get (query)|/v1/contracts/$FLIPPER/query|$q_flip" \
        "flipper flip (call)|/v1/contracts/$FLIPPER/call|$c_flip" \
        "erc20 balance_of (query)|/v1/contracts/$ERC20/query|$q_bal" \
        "erc20 transfer (call)|/v1/contracts/$ERC20/call|$c_xfer"; do
        IFS='|' read -r name path body <<<"$w"
        for conns in 1 8 64; do
            echo "| $1 | $name | $conns | $(load "$conns" "$path" tok-a "$body") |"
        done
    done
}

if [ -z "${NOISY_ONLY:-}" ]; then # NOISY_ONLY=1: only the noisy neighbour
    echo "| instances | workload | connections | requests/s | p50 ms | p99 ms |"
    echo "|---|---|---:|---:|---:|---:|"
    start
    deploy
    table pooled
    stop
    start --fresh-instances
    deploy
    table fresh
    stop
fi

# ---- noisy neighbour ----
start
deploy
A_BODY='{"data":"0x2f865bd9"}'
alone=$(load 8 "/v1/contracts/$FLIPPER/query" tok-a "$A_BODY")
# B: a module that loops, one that grows memory without end, and bodies over the limits
cat >"$WORK/noisy.wat" <<'WAT'
(module (memory 1)
  (func (export "loop") (loop $l (br $l)))
  (func (export "bomb") (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
        (loop $s (br $s))))
WAT
wat2wasm "$WORK/noisy.wat" -o "$WORK/noisy.wasm"
NC=$(curl -s -H 'Authorization: Bearer tok-b' -X PUT --data-binary "@$WORK/noisy.wasm" \
    "$URL/v1/code" | jq -r .code_hash)
# B's flood runs in two wrk processes (not shell loops of curl: on two cores, starting a curl
# process per request cost more CPU than the server spent on B, and A's tail showed the load
# generator, not the service): 4 connections alternating the loop and the memory bomb on
# /v1/invoke, 4 connections uploading 1 MB bodies (over max_code_bytes).  B's answers are
# counted by wrk (requests, non-2xx, socket errors) and by the server's /metrics.
cat >"$WORK/b_invoke.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer tok-b"
local bodies = {'{"code_hash":"$NC","function":"loop"}', '{"code_hash":"$NC","function":"bomb"}'}
local n = 0
request = function() n = n + 1; return wrk.format(nil, nil, nil, bodies[n % 2 + 1]) end
LUA
cat >"$WORK/b_big.lua" <<'LUA'
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer tok-b"
wrk.body = string.rep("x", 1000000)
LUA
wrk -t1 -c4 -d"$((SECS + 2))s" -s "$WORK/b_invoke.lua" "$URL/v1/invoke" >"$WORK/b1" 2>&1 &
floods=$!
wrk -t1 -c4 -d"$((SECS + 2))s" -s "$WORK/b_big.lua" "$URL/v1/code" >"$WORK/b2" 2>&1 &
floods="$floods $!"
sleep 1
beside=$(load 8 "/v1/contracts/$FLIPPER/query" tok-a "$A_BODY")
wait $floods || true
b_wrk() { # b_wrk FILE: "N requests, M non-2xx, E socket errors"
    awk '/requests in/ { r = $1 } /Non-2xx/ { n = $NF } /Socket errors/ { gsub(",", ""); e = $4 + $6 + $8 + $10 }
        END { printf "%d requests, %d non-2xx, %d socket errors", r, n, e }' "$1"
}
b_metrics=$(curl -s "$URL/metrics" | awk '/tenant="b"/ && /^bastion_(calls_total|quota_rejections_total|cpu_seconds_total)/ && $NF != "0" {
    sub(/^bastion_/, ""); sub(/tenant="b",?/, ""); printf "%s%s", sep, $0; sep = ", " }')
kill -0 "$PID" || { echo "the server died under the flood" >&2; exit 1; }
stop
echo
echo "| tenant A, flipper get at 8 connections | requests/s | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|"
echo "| alone | $alone |"
echo "| beside tenant B's flood | $beside |"
echo
echo "tenant B: loops and bombs: $(b_wrk "$WORK/b1"); 1 MB uploads: $(b_wrk "$WORK/b2")."
echo "tenant B in /metrics: $b_metrics."
