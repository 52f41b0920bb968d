#!/bin/sh
# limits.sh BASTION [plain|sanitized] — the limit options of `bastion run` and the size limit of every file the
# CLI reads, measured from outside:
#  - each numeric limit option of run and runtime refuses a value outside its real range with a
#    usage error (exit 64) naming the range; nothing is silently capped;
#  - --max-call-depth 4294967295 (once a wrapped allocation and a heap overflow) traps cleanly at
#    the value-stack limit, and each stack trap names the limit that struck; --max-stack-slots
#    lets a 1,500,000-deep recursion finish;
#  - /dev/zero, a FIFO and a sparse 10 GiB file given as input are refused fast with a low peak
#    RSS, by run, inspect, runtime, chainspec, spec and contract alike (they once read 1 GiB
#    first: 1 GB RSS, 5-19 s);
#  - a 6 MB module with a 6M-element table and element segment is refused at load under the
#    default --max-decoded-bytes, runs with a larger one, and --max-table-elements bounds its
#    table.
# Modules are generated here (python3), not committed.  With `sanitized` (an ASan build, whose
# shadow memory, redzones and quarantine multiply the RSS) the RSS bounds are 4 times larger.
set -eu
BASTION=$1
RSS_SCALE=1
if [ "${2:-plain}" = sanitized ]; then RSS_SCALE=4; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# GNU time measures CPU time (not stretched by a loaded machine) and peak RSS; without it those
# bounds are not checked.
TIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    TIME=/usr/bin/time
fi

# run RC ARGS...: runs bastion ARGS..., which must exit with RC; stdout in $OUT, stderr in $ERR,
# CPU seconds in $SECS and peak RSS in KiB in $RSS (both 0 when unknown).
run() {
    want=$1
    shift
    set +e
    if [ -n "$TIME" ]; then
        "$TIME" -o "$WORK/time" -f "%U %S %M" "$BASTION" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    else
        echo "0 0 0" >"$WORK/time"
        "$BASTION" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    fi
    rc=$?
    set -e
    read -r user sys RSS <<EOT
$(tail -n 1 "$WORK/time")
EOT
    SECS=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    OUT=$(cat "$WORK/out")
    ERR=$(cat "$WORK/err")
    if [ "$rc" != "$want" ]; then
        printf 'stdout: %s\nstderr: %s\n' "$OUT" "$ERR" >&2
        fail "bastion $* exited $rc, expected $want"
    fi
}

# has TEXT WHERE: the last run's stdout (out) or stderr (err) contains TEXT.
has() {
    case $2 in out) v=$OUT ;; *) v=$ERR ;; esac
    case $v in
    *"$1"*) ;;
    *) printf '%s\n' "$v" >&2; fail "no '$1' in the last $2" ;;
    esac
}

# fast MAX_SECONDS MAX_RSS_KIB: the last run stayed within both.
fast() {
    awk -v s="$SECS" -v max="$1" 'BEGIN { exit !(s < max) }' || fail "took $SECS s (limit $1 s)"
    [ "$RSS" -le $(($2 * RSS_SCALE)) ] || fail "peak RSS $RSS KiB (limit $(($2 * RSS_SCALE)) KiB)"
}

python3 - "$WORK" <<'EOF'
import sys
def uleb(v):
    out = bytearray()
    while True:
        b = v & 0x7f; v >>= 7
        if not v: out.append(b); return bytes(out)
        out.append(b | 0x80)
def sec(i, body): return bytes([i]) + uleb(len(body)) + body
HDR = b'\0asm\1\0\0\0'
# rec(n) = n by n-deep recursion, inf() recursing forever, nop() = 7
types = sec(1, uleb(2) + b'\x60\x01\x7f\x01\x7f' + b'\x60\x00\x01\x7f')
funcs = sec(3, uleb(3) + b'\x00\x01\x01')
exports = sec(7, uleb(3) + b'\x03rec\x00\x00' + b'\x03inf\x00\x01' + b'\x03nop\x00\x02')
rec = b'\x00\x20\x00\x45\x04\x7f\x41\x00\x05\x20\x00\x41\x01\x6b\x10\x00\x41\x01\x6a\x0b\x0b'
inf = b'\x00\x10\x01\x0b'
nop = b'\x00\x41\x07\x0b'
code = sec(10, uleb(3) + b''.join(uleb(len(b)) + b for b in (rec, inf, nop)))
open(sys.argv[1] + '/rec.wasm', 'wb').write(HDR + types + funcs + exports + code)
# f() = 7, a funcref table of 6M elements and an active segment of 6M references to f
n = 6000000
m = HDR + sec(1, uleb(1) + b'\x60\x00\x01\x7f') + sec(3, uleb(1) + b'\x00')
m += sec(4, uleb(1) + b'\x70\x00' + uleb(n))
m += sec(7, uleb(1) + b'\x01f\x00\x00')
m += sec(9, uleb(1) + b'\x00\x41\x00\x0b' + uleb(n) + b'\x00' * n)
m += sec(10, uleb(1) + b'\x04\x00\x41\x07\x0b')
open(sys.argv[1] + '/bigtable.wasm', 'wb').write(m)
EOF
REC=$WORK/rec.wasm

# ---- numeric options: out of range is a usage error naming the range ----------------------
run 0 run "$REC" --invoke nop
has 7 out
for case in "--max-memory-pages 100000 1 65536" "--max-memory-pages 0 1 65536" \
    "--max-call-depth 0 1 4294967295" "--max-call-depth 4294967296 1 4294967295" \
    "--max-stack-slots 1023 1024 4294967295" "--max-stack-slots 4294967296 1024 4294967295" \
    "--max-table-elements 4294967296 0 4294967295" \
    "--max-decoded-bytes 0 1 18446744073709551615" \
    "--fuel 9223372036854775808 0 9223372036854775807"; do
    set -- $case
    run 64 run "$1" "$2" "$REC" --invoke nop
    has "bastion run: $1 must be between $3 and $4, got $2" err
done
for case in "--heap-pages 65537 0 65536" "--fuel 0 1 9223372036854775807" \
    "--fuel 9223372036854775808 1 9223372036854775807" "--log-level 6 0 5"; do
    set -- $case
    run 64 runtime version "$1" "$2" "$REC"
    has "bastion runtime: $1 must be between $3 and $4, got $2" err
done
run 64 run --max-stack-slots "$REC" --invoke nop
has "--max-stack-slots needs a non-negative number" err
# the extremes of each range are accepted
run 0 run --max-memory-pages 65536 --max-call-depth 4294967295 --max-stack-slots 4294967295 \
    --max-table-elements 4294967295 --max-decoded-bytes 18446744073709551615 \
    --fuel 9223372036854775807 "$REC" --invoke rec 1000
has 1000 out
run 0 --help
for opt in "--max-memory-pages N" "--max-table-elements N" "--max-call-depth N" \
    "--max-stack-slots N" "--max-decoded-bytes N" "(1..65536, default 65536)" \
    "(1..4294967295, default 10000)" "(1024..4294967295, default 1048576)" \
    "(0..4294967295, default 10000000)"; do
    has "$opt" out
done

# ---- stack limits: each trap names its limit ------------------------------------------------
run 20 run --max-call-depth 4294967295 "$REC" --invoke inf
has "trap: call stack exhausted: value stack limit 1048576 slots reached" err
run 20 run --max-call-depth 4294967295 "$REC" --invoke rec 100000000
has "trap: call stack exhausted: value stack limit 1048576 slots reached" err
fast 30 262144
run 20 run --max-call-depth 2000000 "$REC" --invoke rec 1500000
has "value stack limit 1048576 slots reached" err
run 0 run --max-call-depth 2000000 --max-stack-slots 4000000 "$REC" --invoke rec 1500000
has 1500000 out
run 20 run --max-call-depth 100 "$REC" --invoke rec 100
has "trap: call stack exhausted: call depth limit 100 reached" err
run 0 run --max-call-depth 100 "$REC" --invoke rec 99
# a huge limit costs nothing until used
run 0 run --max-call-depth 200000000 --max-stack-slots 4294967295 "$REC" --invoke nop
fast 10 65536

# ---- input files: never read past the limit ------------------------------------------------
truncate -s 10G "$WORK/sparse.wasm"
run 1 run "$WORK/sparse.wasm"
has "sparse.wasm: 10737418240 bytes, more than the limit of 67108864 bytes" err
fast 5 32768
run 1 inspect "$WORK/sparse.wasm"
has "10737418240 bytes, more than the limit of 67108864 bytes" err
fast 5 32768
run 1 run /dev/zero
has "/dev/zero: more than the limit of 67108864 bytes" err
fast 20 131072
mkfifo "$WORK/fifo"
(head -c 100000000 /dev/zero >"$WORK/fifo" 2>/dev/null || true) &
run 1 inspect "$WORK/fifo"
has "fifo: more than the limit of 67108864 bytes" err
fast 20 131072
wait
run 1 runtime version "$WORK/sparse.wasm"
has "10737418240 bytes, more than the limit of 268435456 bytes" err
fast 5 32768
run 1 chainspec genesis "$WORK/sparse.wasm"
has "10737418240 bytes, more than the limit of 268435456 bytes" err
run 1 spec "$WORK/sparse.wasm"
has "10737418240 bytes, more than the limit of 268435456 bytes" out
run 1 contract upload "$WORK/sparse.wasm" --state "$WORK/state"
has "10737418240 bytes, more than the limit of 16777216 bytes" err
fast 5 32768
# a directory is an error, not a crash
run 1 run "$WORK"
has "cannot read $WORK" err

# ---- decoded size: the big table and element segment ---------------------------------------
BIG=$WORK/bigtable.wasm
run 1 run "$BIG" --invoke f
has "decoded module exceeds its memory limit of 134217728 bytes" err
has "6000000 element segment items" err
fast 10 65536
run 0 run --max-decoded-bytes 200000000 "$BIG" --invoke f
has 7 out
run 1 run --max-decoded-bytes 200000000 --max-table-elements 5999999 "$BIG" --invoke f
has "table minimum of 6000000 elements exceeds the limit of 5999999" err
echo "limits.sh: all checks passed"
