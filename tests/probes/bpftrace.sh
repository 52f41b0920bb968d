#!/usr/bin/env bash
# bpftrace.sh BASTION OBSERVE_WASM FIB_WASM [BPFTRACE] — the probes fire, with the right arguments, for a
# tracer attached from outside: bpftrace runs `bastion run` on tests/probes/observe.wat and
# prints what the probes report.  Exits 77 (CTest SKIP_RETURN_CODE) with the reason where
# bpftrace cannot attach: not installed, not root, BPF or uprobes refused by the kernel.
set -uo pipefail
bastion=$(realpath "$1")
wasm=$2
fib=$3
bpftrace=${4:-$(command -v bpftrace || true)}

skip() {
    echo "SKIP: $*"
    exit 77
}
[ -n "$bpftrace" ] && [ -x "$bpftrace" ] || skip "bpftrace is not installed (Debian package bpftrace)"
[ "$(id -u)" -eq 0 ] || skip "bpftrace needs root (uid $(id -u))"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A probe on our own binary, not only BEGIN: uprobes are what USDT needs.
if ! "$bpftrace" -e "usdt:$bastion:bastion:module__load { exit(); }" \
    -c "$bastion run $wasm" >"$work/try" 2>&1; then
    skip "bpftrace cannot attach here: $(grep -m1 -i error "$work/try" || tail -n1 "$work/try")"
fi

fail=0
# trace ARGS...: runs `bastion ARGS` under the script below; its report is in $work/out.
trace() {
    "$bpftrace" -q -o "$work/out" -e "
usdt:$bastion:bastion:module__load { printf(\"load %d %d\\n\", arg1, arg3); }
usdt:$bastion:bastion:instance__new { printf(\"instance %d %d\\n\", arg2, arg4); }
usdt:$bastion:bastion:call__start { printf(\"start %s %d\\n\", str(arg2), arg3); }
usdt:$bastion:bastion:call__end { printf(\"end %s %d %d\\n\", str(arg2), arg3, arg4); }
usdt:$bastion:bastion:host__call__start { printf(\"host %s.%s\\n\", str(arg0), str(arg1)); }
usdt:$bastion:bastion:host__call__end { printf(\"host-end %s %d\\n\", str(arg1), arg2); }
usdt:$bastion:bastion:memory__grow { printf(\"grow %d %d %d %d\\n\", arg1, arg2, arg3, arg4); }
usdt:$bastion:bastion:trap { printf(\"trap %d %s\\n\", arg0, str(arg3)); }
usdt:$bastion:bastion:fuel__exhausted { printf(\"fuel %s %d\\n\", str(arg2), arg3); }
" -c "$bastion $*" >/dev/null 2>"$work/err"
    sed -i '/^$/d' "$work/out"
    echo "--- bastion $*"
    cat "$work/out"
}
# expect LINE-REGEX [COUNT]: the report has exactly COUNT (default 1) lines matching it.
expect() {
    local n
    n=$(grep -cE "^$1\$" "$work/out")
    if [ "$n" -ne "${2:-1}" ]; then
        echo "FAIL: expected ${2:-1} line(s) matching '$1', got $n"
        fail=1
    fi
}

size=$(stat -c %s "$wasm")
trace run "$wasm"
expect "load $size 0"
expect "instance 1 0"
expect "start _start 0"
expect "host wasi_snapshot_preview1.fd_write" 2
expect "host-end fd_write 1" 2
expect "grow 1 3 3 1"
expect "end _start 0 [1-9][0-9]*"

# the count the issue asks for: one call of fib, however deep its recursion
trace run "$fib" --invoke fib 20
expect "start fib 0"
expect "start .*" 1

trace run "$wasm" --invoke trap
expect "trap 1 trap"         # BST_TRAP_UNREACHABLE in the function "trap"
expect "end trap 1 [0-9]+"   # outcome: the trap kind

trace run --fuel 5000 "$wasm" --invoke spin
expect "trap 11 spin"        # BST_TRAP_OUT_OF_FUEL
expect "fuel spin [0-9]+"
expect "end spin 11 [0-9]+"

[ "$fail" -eq 0 ] && echo "probes/bpftrace: ok"
exit "$fail"
