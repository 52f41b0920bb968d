# expect.sh — the one way the shell tests check a command: run it, keep its exit status and
# output, compare them with what the test wants, say "ok: NAME" or "FAIL: NAME ..." and remember
# a failure.  Sourced (`. "$(dirname "$0")/../support/expect.sh"`); the test ends with
# `finish NAME`, which prints the summary line and exits 0 or 1.

failed=0
OUT=
RC=0

# fail MESSAGE: report a failure and remember it (the test goes on, to show every failure).
fail() {
    echo "FAIL: $*" >&2
    failed=1
}

# run CMD...: runs CMD with an empty stdin; $RC is its exit status, $OUT its stdout and stderr.
run() {
    OUT=$("$@" 2>&1 </dev/null)
    RC=$?
}

# check NAME WANT_RC MODE TEXT: the last `run` exited WANT_RC and its output matches TEXT, where
# MODE is one of
#   exact  the whole output is TEXT
#   line   TEXT is one of its lines (fixed string)
#   has    TEXT (fixed string) appears in it; "" accepts any output
#   re     the basic regular expression TEXT matches somewhere in it
check() {
    name=$1 want_rc=$2 mode=$3 text=$4
    case $mode in
    exact) [ "$OUT" = "$text" ] ;;
    line) printf '%s\n' "$OUT" | grep -qxF -- "$text" ;;
    has) [ -z "$text" ] || printf '%s\n' "$OUT" | grep -qF -- "$text" ;;
    re) printf '%s\n' "$OUT" | grep -q -- "$text" ;;
    *) echo "expect.sh: unknown mode $mode" >&2; exit 2 ;;
    esac
    matched=$?
    if [ "$RC" -ne "$want_rc" ] || [ $matched -ne 0 ]; then
        fail "$name: wanted exit $want_rc and output ($mode) '$text'; got exit $RC:"
        printf '%s\n' "$OUT" | sed 's/^/  | /' >&2
        return 1
    fi
    echo "ok: $name"
}

# expect_run NAME WANT_RC MODE TEXT CMD...: run CMD, then check it.
expect_run() {
    name=$1 want_rc=$2 mode=$3 text=$4
    shift 4
    run "$@"
    check "$name" "$want_rc" "$mode" "$text"
}

# finish NAME: the summary line, and the test's exit status.
finish() {
    if [ "$failed" -ne 0 ]; then
        echo "$1: FAILED"
        exit 1
    fi
    echo "$1: all passed"
    exit 0
}
