#!/bin/sh
# tests/branchval/branch_values.sh BASTION WAT2WASM — CTest engine/branch_values: runs each
# function of branch_values.wat through `bastion run --invoke` and compares what it prints.
set -u
BASTION=$1
WAT2WASM=$2
WORK=$(mktemp -d) || exit 1
trap 'rm -rf "$WORK"' EXIT
"$WAT2WASM" "$(dirname "$0")/branch_values.wat" -o "$WORK/m.wasm" || exit 1
failed=0
# expect "WANT" FUNC ARGS...: the results, one per line, joined by spaces.
expect() {
    want=$1
    shift
    got=$("$BASTION" run "$WORK/m.wasm" --invoke "$@" | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" != "$want" ]; then
        echo "FAIL: $*: got '$got', want '$want'" >&2
        failed=1
    fi
}
expect 49 ret_self 7
expect 7 fall 10 3
expect 1 pick 0
expect 106 pick 5
expect 1036 deep 6
expect 0 tri 0
expect 45 tri 10
expect 4950 tri 100
expect "6 25" two 5
expect 77 grow_in_callee
expect 7 call_args 3 10
expect 37 call_arg 42
expect 5 countdown 5
expect 1 countdown 1
expect 0 skip3 3
expect 1 skip3 4
expect 24 first_zero
expect 5 find_byte 32 0
expect 2 find_byte 32 108
expect 1 gap_over 10 3 6
expect 0 gap_over 10 3 7
expect 1 gap_over 3 10 7
expect 8 steps 7
exit $failed
