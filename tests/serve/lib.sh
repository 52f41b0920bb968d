# lib.sh — bash helpers sourced by the `bastion serve` tests (tests/serve/*.sh; not a test itself).
# Usage in a test: . lib.sh BASTION SCALE, where SCALE multiplies the time limits (1 for a plain
# build, more under the sanitizers).  Every test gets a fresh work directory (mktemp -d) holding
# the config, the state and the server's output; the server is killed and the directory removed
# on exit.
set -eu
BASTION=$1
SCALE=$2
WORK=$(mktemp -d)
PID=
cleanup() {
    if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
ALICE=d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
BOB=8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48
CHARLIE=90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22
DAVE=306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20
EVE=e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e

fail() {
    echo "FAIL: $*" >&2
    if [ -f "$WORK/err" ]; then
        echo "--- server stderr:" >&2
        tail -20 "$WORK/err" >&2
    fi
    exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# ms N: N milliseconds scaled for the build (sanitizers are several times slower).
ms() { echo $(($1 * SCALE)); }

# start_server [ARGS...]: runs `bastion serve` on a free port with $WORK/tenants.json and the
# state $WORK/state; sets PID, PORT and URL once it prints `listening on 127.0.0.1:PORT`.
start_server() {
    "$BASTION" serve --listen 127.0.0.1:0 --config "$WORK/tenants.json" --state "$WORK/state" \
        "$@" >"$WORK/out" 2>"$WORK/err" &
    PID=$!
    local deadline=$(($(now_ms) + $(ms 20000)))
    while ! grep -q '^listening on ' "$WORK/out" 2>/dev/null; do
        kill -0 "$PID" 2>/dev/null || fail "the server exited before listening"
        [ "$(now_ms)" -lt "$deadline" ] || fail "the server did not print its address"
        sleep 0.05
    done
    grep -Eqx 'listening on 127\.0\.0\.1:[0-9]+' "$WORK/out" || fail "bad first line: $(cat "$WORK/out")"
    PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/out")
    URL=http://127.0.0.1:$PORT
}

# stop_server: SIGTERM, and the server must exit 0.
stop_server() {
    kill -TERM "$PID"
    local rc=0
    wait "$PID" || rc=$?
    PID=
    [ "$rc" -eq 0 ] || fail "the server exited $rc after SIGTERM"
}

# req METHOD PATH TOKEN [BODY]: one request (BODY: JSON text, or @FILE for a file's bytes).
# Sets STATUS, BODY (the response), TIME (seconds) and HEADERS (file of the response headers).
# TOKEN - sends no Authorization header.
req() {
    local method=$1 path=$2 token=$3 out
    local args=(-s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code} %{time_total}' -X "$method"
        -H 'Content-Type: application/json')
    HEADERS=$WORK/headers
    if [ $# -ge 4 ]; then args+=(--data-binary "$4"); fi
    if [ "$token" != - ]; then args+=(-H "Authorization: Bearer $token"); fi
    out=$(curl --max-time 60 "${args[@]}" "$URL$path") || fail "curl $method $path failed"
    STATUS=${out%% *}
    TIME=${out#* }
    BODY=$(cat "$WORK/body")
}

# expect STATUS: the last request's status.
expect() {
    [ "$STATUS" = "$1" ] || fail "$(caller): status $STATUS, expected $1: $BODY"
}

# j FILTER: jq -r FILTER on the last response.
j() { printf '%s' "$BODY" | jq -r "$1"; }

# expect_j FILTER VALUE: jq -r FILTER on the last response must print VALUE.
expect_j() {
    local got
    got=$(j "$1")
    [ "$got" = "$2" ] || fail "$(caller): $1 is '$got', expected '$2' in $BODY"
}

# u128 N: N (decimal, below 2^64) as 16 little-endian bytes in hex.
u128() {
    local n=$1 out= i
    for i in 0 1 2 3 4 5 6 7; do
        out=$out$(printf '%02x' $((n & 255)))
        n=$((n >> 8))
    done
    printf '%s0000000000000000' "$out"
}
