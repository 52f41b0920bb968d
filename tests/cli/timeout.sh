#!/usr/bin/env bash
# timeout.sh — `bastion run --timeout-ms` against WASI calls that block in the host (CTest
# cli/timeout_CASE, registered by tests/cli/cli.cmake).
#
#   timeout.sh BASTION BLOCKING_WASM WORK_DIR CASE
#
# BLOCKING_WASM is tests/cli/blocking.wat assembled; WORK_DIR a scratch directory owned by the
# case (wiped first).  The promise checked: a call blocked in fd_read, fd_write, poll_oneoff or
# path_open (of a FIFO) ends as `interrupted` (exit 22) within the deadline + 50 ms.  The CLI measures the call itself
# ("time used: X ms of N ms", from arming the deadline to reporting the trap), which leaves
# process start-up and exit out — they are slow and noisy under the sanitizers.  The wall time
# of the whole process is only checked loosely.  A timing miss is retried (3 attempts), so one
# descheduling on a loaded machine does not fail the case; a call that never ends misses them
# all.  Cases that must not time out check that blocking descriptors still read and write
# normally.
set -u
bastion=$1 wasm=$2 work=$3 case=$4

rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

TIMEOUT=200
SLACK=50

# interrupted_in_time NAME STDIN STDOUT [OPTIONS...]: runs `--invoke NAME` with --timeout-ms
# $TIMEOUT, the options and the given redirections, and checks exit 22, the trap message and the
# time used.  Returns 1 (after
# printing why) on a timing miss only; anything else wrong fails the case.
interrupted_in_time() {
    local name=$1 in=$2 out=$3 t0 rc used wall
    shift 3
    t0=$(now_ms)
    # (coreutils timeout only ends a run that the deadline failed to end: exit 124)
    timeout -k 1 20 "$bastion" run --timeout-ms "$TIMEOUT" "$@" "$wasm" --invoke "$name" \
        < "$in" > "$out" 2> "$work/err"
    rc=$?
    wall=$(( $(now_ms) - t0 ))
    [ "$rc" -eq 22 ] || { cat "$work/err"; fail "$name: exit status $rc, expected 22 (interrupted)"; }
    grep -qx 'trap: interrupted' "$work/err" || { cat "$work/err"; fail "$name: no 'trap: interrupted'"; }
    grep -q "func\[[0-9]*\] $name" "$work/err" || { cat "$work/err"; fail "$name: no backtrace"; }
    # in tenths of a millisecond
    used=$(sed -n "s/^time used: \([0-9]*\)\.\([0-9]\) ms of $TIMEOUT ms\$/\1\2/p" "$work/err")
    [ -n "$used" ] || { cat "$work/err"; fail "$name: no 'time used' line"; }
    used=$(( 10#$used ))
    echo "$name: interrupted, time used $(( used / 10 )).$(( used % 10 )) ms of $TIMEOUT ms" \
         "(process: ${wall} ms)"
    [ "$used" -ge $(( TIMEOUT * 10 )) ] || fail "$name: ended before the deadline"
    [ "$wall" -lt 10000 ] || fail "$name: the process took ${wall} ms"
    if [ "$used" -gt $(( (TIMEOUT + SLACK) * 10 )) ]; then
        echo "  more than the deadline + ${SLACK} ms"
        return 1
    fi
    return 0
}

# in_time NAME STDIN STDOUT [OPTIONS...]: interrupted_in_time, up to 3 attempts for the timing.
in_time() {
    local attempt
    for attempt in 1 2 3; do
        interrupted_in_time "$@" && return 0
    done
    fail "$1: ended later than the deadline + ${SLACK} ms in 3 attempts"
}

case "$case" in
read_fifo)
    # stdin is a FIFO whose writer (this script) never writes
    mkfifo "$work/in"
    exec 3<> "$work/in"
    in_time cat "$work/in" /dev/null
    exec 3>&-
    ;;
read_pipe)
    # stdin is a pipe whose writer stays open, silent, for 30 s (ended when the case ends)
    exec 3< <(exec sleep 30 2> /dev/null)
    writer=$!
    trap 'kill "$writer" 2> /dev/null' EXIT
    in_time cat /dev/fd/3 /dev/null
    exec 3<&-
    ;;
write_stalled)
    # stdout is a FIFO whose reader (this script) never reads: the 64 KiB pipe buffer fills and
    # the guest's 64 MiB of writes block
    mkfifo "$work/out"
    exec 4<> "$work/out"
    in_time spew /dev/null "$work/out"
    exec 4>&-
    ;;
open_fifo)
    # opening a FIFO waits for the other end, in open() when done naively: for reading (no
    # writer ever comes) and for writing (no reader ever comes)
    mkdir "$work/box"
    mkfifo "$work/box/fifo"
    in_time fifo_read /dev/null /dev/null --dir "$work/box"
    in_time fifo_write /dev/null /dev/null --dir "$work/box"
    # ... and still works when the other end comes, late
    ( sleep 0.2; printf abc > "$work/box/fifo" ) &
    out=$(timeout 20 "$bastion" run --timeout-ms 10000 --dir "$work/box" "$wasm" --invoke fifo_read) ||
        fail "fifo_read with a late writer: exit $?"
    [ "$out" = "abc0" ] || fail "fifo_read with a late writer printed '$out'"
    ( sleep 0.2; exec wc -c < "$work/box/fifo" > "$work/count" ) &
    reader=$!
    out=$(timeout 20 "$bastion" run --timeout-ms 10000 --dir "$work/box" "$wasm" --invoke fifo_write) ||
        fail "fifo_write with a late reader: exit $?"
    [ "$out" = "0" ] || fail "fifo_write with a late reader printed '$out'"
    wait "$reader"
    [ "$(cat "$work/count")" -eq 64512 ] || fail "the late reader got $(cat "$work/count") bytes"
    ;;
poll_sleep)
    # poll_oneoff with a 100 s clock subscription
    in_time sleep_100s /dev/null /dev/null
    ;;
read_ready)
    # blocking descriptors still work: data already there, data that comes later, a regular
    # file, and a large write through a pipe, all within the timeout
    out=$(printf hello | "$bastion" run --timeout-ms 10000 "$wasm" --invoke cat) ||
        fail "cat of a ready pipe: exit $?"
    [ "$out" = "hello0" ] || fail "cat of a ready pipe printed '$out'"
    out=$( (sleep 0.2; printf late) | "$bastion" run --timeout-ms 10000 "$wasm" --invoke cat) ||
        fail "cat of a late pipe: exit $?"
    [ "$out" = "late0" ] || fail "cat of a late pipe printed '$out'"
    head -c 300000 /dev/urandom > "$work/file"
    "$bastion" run --timeout-ms 10000 "$wasm" --invoke cat < "$work/file" > "$work/copy" ||
        fail "cat of a regular file: exit $?"
    printf '0\n' >> "$work/file"
    cmp -s "$work/file" "$work/copy" || fail "cat of a regular file changed the bytes"
    bytes=$("$bastion" run --timeout-ms 60000 "$wasm" --invoke spew | wc -c) ||
        fail "spew into a pipe failed"
    [ "$bytes" -eq $(( 1040 * 64512 + 2 )) ] || fail "spew into a pipe wrote $bytes bytes"
    ;;
read_nonblocking)
    # descriptors that cannot block are not waited on: an empty non-blocking pipe fails with
    # EAGAIN (6) at once, the write end of a pipe with EBADF (8) at once (poll() would never
    # report it readable)
    python3 - "$bastion" "$wasm" <<'EOF' || fail "read_once on a descriptor that cannot block"
import fcntl, os, subprocess, sys, time
def read_once(stdin, want, what):
    t0 = time.monotonic()
    p = subprocess.run([sys.argv[1], "run", "--timeout-ms", "10000", sys.argv[2],
                        "--invoke", "read_once"], stdin=stdin, capture_output=True, text=True)
    took = time.monotonic() - t0
    print(f"read_once on {what}: exit {p.returncode}, printed {p.stdout.strip()!r}, "
          f"{took * 1000:.0f} ms")
    return p.returncode == 0 and p.stdout == f"{want}\n" and took < 9
r, w = os.pipe()
fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
ok = read_once(r, 6, "an empty non-blocking pipe")
ok = read_once(w, 8, "the write end of a pipe") and ok
sys.exit(0 if ok else 1)
EOF
    ;;
*)
    fail "unknown case $case"
    ;;
esac
echo "ok"
