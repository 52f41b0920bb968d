# lib.sh — helpers sourced by the `bastion contract` CLI tests (not a test itself).
# Usage in a test: . lib.sh "$BASTION" "$CONTRACTS_DIR".  Every test gets a fresh state
# directory (mktemp -d), removed on exit.
set -eu
BASTION=$1
C=$2
WORK=$(mktemp -d)
STATE=$WORK/state
trap 'rm -rf "$WORK"' EXIT
ALICE=0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
BOB=0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# at DIR RC ARGS...: `bastion contract ARGS... --state DIR` must exit with RC (stdout in $OUT,
# stderr in $WORK/stderr).
at() {
    dir=$1
    want=$2
    shift 2
    set +e
    OUT=$("$BASTION" contract "$@" --state "$dir" 2>"$WORK/stderr")
    rc=$?
    set -e
    if [ "$rc" != "$want" ]; then
        printf '%s\n' "$OUT" >&2
        cat "$WORK/stderr" >&2
        fail "bastion contract $* --state $dir exited $rc, expected $want"
    fi
}

# run RC ARGS...: `at` on the test's own state directory $STATE.
run() {
    want=$1
    shift
    at "$STATE" "$want" "$@"
}

# expect LINE...: each LINE must be a whole line of the last output.
expect() {
    for line in "$@"; do
        if ! printf '%s\n' "$OUT" | grep -qxF -- "$line"; then
            printf '%s\n' "$OUT" >&2
            fail "no line '$line' in the output of the last command"
        fi
    done
}

# field NAME: the value of the first `NAME value` line of the last output.
field() {
    printf '%s\n' "$OUT" | sed -n "s/^$1 //p" | head -n 1
}

# A digest of the LMDB data file, to show that something wrote nothing (lock.mdb is left
# out: it holds the reader table, which every process touches).
state_digest() {
    sha256sum <"$STATE/data.mdb" | cut -d' ' -f1
}
