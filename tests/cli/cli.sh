#!/bin/sh
# cli.sh BASTION WAT2WASM — CTest cli/options: the command line itself.  Every subcommand
# answers --help / -h on stdout with exit 0 and names an unknown subcommand; `run` refuses
# options it cannot honour (a fuel budget above the engine's maximum, --timeout-ms 0, --fuel
# with --no-metering, float arguments beyond their type's range) with exit 64 and reports the
# exact fuel used; a module without _start lists its exports; text (.wat) modules are refused
# with the conversion command; `-` reads the module from standard input and `--` ends options.
set -u
BASTION=$1
WAT2WASM=$2
WORK=$(mktemp -d) || exit 1
trap 'rm -rf "$WORK"' EXIT
failed=0

fail() {
    echo "FAIL: $*" >&2
    failed=1
}

# check WANT_RC CMD...: runs CMD (stdout in $WORK/out, stderr in $WORK/err, stdin empty) and
# checks its exit status.
check() {
    check_in /dev/null "$@"
}

# check_in FILE WANT_RC CMD...: the same with stdin from FILE.
check_in() {
    input=$1
    want=$2
    shift 2
    "$@" >"$WORK/out" 2>"$WORK/err" <"$input"
    got=$?
    if [ "$got" != "$want" ]; then
        fail "exit $got, expected $want: $*"
        sed 's/^/  stdout: /' "$WORK/out" | head -5 >&2
        sed 's/^/  stderr: /' "$WORK/err" | head -5 >&2
    fi
}

# has STREAM TEXT: the last command's stdout / stderr (out / err) contains the fixed TEXT.
has() {
    if ! grep -qF -- "$2" "$WORK/$1"; then
        fail "no '$2' in the $1 of the last command"
        sed "s/^/  $1: /" "$WORK/$1" | head -8 >&2
    fi
}

# lacks STREAM TEXT: the opposite.
lacks() {
    if grep -qF -- "$2" "$WORK/$1"; then
        fail "'$2' in the $1 of the last command"
    fi
}

# exactly TEXT: the last command's stdout is TEXT (lines separated by \n; "" is no output).
exactly() {
    if [ -n "$1" ]; then printf '%b\n' "$1"; fi >"$WORK/want"
    if ! cmp -s "$WORK/want" "$WORK/out"; then
        fail "stdout differs from '$1'"
        sed 's/^/  stdout: /' "$WORK/out" | head -8 >&2
    fi
}

# A library module (no _start) and a WASI command printing its arguments one per line.
cat >"$WORK/lib.wat" <<'WAT'
;; a library: no _start
(module
  (func (export "spin") (loop $l (br $l)))
  (func (export "trap") unreachable)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "f64") (param f64) (result f64) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (memory (export "memory") 1))
WAT
cat >"$WORK/echo.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; argc at 0, argv[] at 1024, the strings at 8192; each argument after argv[0] is written
  ;; with its NUL turned into a newline.
  (func (export "_start")
    (local $i i32) (local $p i32) (local $n i32)
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $get (i32.const 1024) (i32.const 8192)))
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 0))))
        (local.set $p (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $n (i32.const 0))
        (block $end
          (loop $len
            (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $len)))
        (i32.store8 (i32.add (local.get $p) (local.get $n)) (i32.const 10))
        (i32.store (i32.const 16) (local.get $p))
        (i32.store (i32.const 20) (i32.add (local.get $n) (i32.const 1)))
        (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))))
WAT
"$WAT2WASM" "$WORK/lib.wat" -o "$WORK/lib.wasm" || exit 1
"$WAT2WASM" "$WORK/echo.wat" -o "$WORK/echo.wasm" || exit 1
LIB=$WORK/lib.wasm
ECHO=$WORK/echo.wasm

# ---- --help / -h everywhere; unknown subcommands named ----
for cmd in run inspect spec runtime "runtime version" "runtime metadata" "runtime call" \
           chainspec "chainspec genesis" contract "contract upload" "contract instantiate" \
           "contract call" "contract query" key "key inspect"; do
    for h in --help -h; do
        # shellcheck disable=SC2086
        check 0 "$BASTION" $cmd $h
        has out "usage: bastion ${cmd%% *}"
        [ -s "$WORK/err" ] && fail "bastion $cmd $h wrote to stderr"
    done
done
for group in runtime chainspec contract key; do
    check 64 "$BASTION" $group bogus
    has err "unknown $group command 'bogus'"
    has err "usage: bastion $group"
done
check 64 "$BASTION" runtime version
has err "expected FILE"
check 64 "$BASTION" runtime version --bogus "$LIB"
has err "unknown option --bogus"
check 64 "$BASTION" spec --bogus
has err "unknown option --bogus"

# ---- fuel figures ----
check 64 "$BASTION" run --fuel 18446744073709551615 --timeout-ms 100 "$LIB" --invoke spin
has err "--fuel must be between 0 and 9223372036854775807"
check 64 "$BASTION" run --fuel 9223372036854775808 --timeout-ms 100 "$LIB" --invoke spin
check 11 "$BASTION" run --fuel 9223372036854775807 "$LIB" --invoke trap
has err "fuel used: 1 of 9223372036854775807"
check 11 "$BASTION" run "$LIB" --invoke trap
has err "fuel used: 1"
check 11 "$BASTION" run --fuel 5 "$LIB" --invoke trap
has err "fuel used: 1 of 5"
# A budget at the maximum, interrupted: what was used is below the budget (it read 2^63 + the
# used amount when the budget above the engine's maximum was taken as given).
check 22 "$BASTION" run --fuel 9223372036854775807 --timeout-ms 50 "$LIB" --invoke spin
used=$(sed -n 's/^fuel used: \([0-9]*\) of 9223372036854775807$/\1/p' "$WORK/err")
if [ -z "$used" ] || [ ${#used} -gt 15 ]; then
    fail "fuel used after 50 ms is not a plausible figure: '$used'"
fi

# ---- --timeout-ms, --no-metering ----
check 64 "$BASTION" run --timeout-ms 0 "$LIB" --invoke add 1 2
has err "--timeout-ms must be between 1 and"
check 64 "$BASTION" run --no-metering --fuel 100 "$LIB" --invoke add 1 2
has err "--no-metering"
check 64 "$BASTION" run --fuel 100 --no-metering "$LIB" --invoke add 1 2
check 22 "$BASTION" run --no-metering --timeout-ms 50 "$LIB" --invoke spin
lacks err "fuel used"
check 0 "$BASTION" run --no-metering "$LIB" --invoke add 1 2
exactly "3"

# ---- float arguments ----
check 64 "$BASTION" run "$LIB" --invoke f64 1e400
has err "beyond the range of f64"
check 64 "$BASTION" run "$LIB" --invoke f64 -1e400
check 64 "$BASTION" run "$LIB" --invoke f64 0x1p1024
check 64 "$BASTION" run "$LIB" --invoke f32 1e39
has err "beyond the range of f32"
check 64 "$BASTION" run "$LIB" --invoke f32 -3.5e38
check 64 "$BASTION" run "$LIB" --invoke f32 1e39x
has err "not a valid f32"
for v in inf -inf nan -nan nan:0x1 1e308 1e-400 0x1p3; do
    check 0 "$BASTION" run "$LIB" --invoke f64 "$v"
done
check 0 "$BASTION" run "$LIB" --invoke f64 1e-400
exactly "0"
for v in inf -inf nan nan:0x200000 3.4028234e38 1e-50; do
    check 0 "$BASTION" run "$LIB" --invoke f32 "$v"
done
check 0 "$BASTION" run "$LIB" --invoke f32 -inf
exactly "-inf"
# results: the shortest form that reads back, a whole number with all its digits
for pair in "10 10" "-50 -50" "1e16 10000000000000000" "1e17 1e+17" "0.1 0.1" "1.5e-7 1.5e-07" \
    "123.25 123.25" "0x1p3 8"; do
    check 0 "$BASTION" run "$LIB" --invoke f64 "${pair% *}"
    exactly "${pair#* }"
done
check 0 "$BASTION" run "$LIB" --invoke f32 1000
exactly "1000"
check 0 "$BASTION" run "$LIB" --invoke f32 0.1
exactly "0.1"

# ---- a module without _start ----
check 64 "$BASTION" run "$LIB"
has err "exports no _start function"
has err 'func   "add" (i32, i32) -> (i32)'
has err 'func   "f64" (f64) -> (f64)'
lacks err '"memory"'
check 64 "$BASTION" run "$LIB" some args
has err "exports no _start function"
check 64 "$BASTION" run "$LIB" --invoke nope
has err 'no exported function "nope"'
has err 'func   "spin" () -> ()'

# ---- text modules are refused with the conversion ----
check 1 "$BASTION" run "$WORK/lib.wat"
has err "wat2wasm $WORK/lib.wat -o $WORK/lib.wasm"
has err "wabt"
check 1 "$BASTION" inspect "$WORK/lib.wat"
has err "WebAssembly text"
check 1 "$BASTION" runtime version "$WORK/lib.wat"
has err "wat2wasm $WORK/lib.wat -o $WORK/lib.wasm"
printf '\n  ;; a comment\n(; a (; nested ;) block ;) (module)' >"$WORK/commented.txt"
check 1 "$BASTION" inspect "$WORK/commented.txt"
has err "wat2wasm $WORK/commented.txt -o $WORK/commented.txt.wasm"
check_in "$WORK/lib.wat" 1 "$BASTION" run - --invoke add 1 2
has err "standard input holds WebAssembly text"
# not text: a binary module that does not parse is still reported as malformed
printf 'garbage' >"$WORK/garbage.wasm"
check 1 "$BASTION" run "$WORK/garbage.wasm"
lacks err "WebAssembly text"

# ---- `-` is standard input ----
check_in "$LIB" 0 "$BASTION" run - --invoke add 40 2
exactly "42"
check_in "$LIB" 0 "$BASTION" inspect -
has out "<stdin>: "
has out 'func   "add" (i32, i32) -> (i32)'
check_in "$ECHO" 0 "$BASTION" run - one two
exactly "one\ntwo"

# ---- `--` ends the options ----
cp "$ECHO" "$WORK/-echo.wasm"
cd "$WORK" || exit 1
check 0 "$BASTION" run -- -echo.wasm x
exactly "x"
check 0 "$BASTION" run --fuel 100000 -- -echo.wasm -- -- y
exactly "--\ny"
check 0 "$BASTION" inspect -- -echo.wasm
has out "_start"
check 64 "$BASTION" run -echo.wasm
has err "unknown option -echo.wasm"
cd / || exit 1
check 0 "$BASTION" run "$ECHO" -- --invoke x --fuel -h
exactly "--invoke\nx\n--fuel\n-h"
check 0 "$BASTION" run "$ECHO" a -- b --help
exactly "a\n--\nb\n--help"
check 0 "$BASTION" run "$LIB" --invoke add -- -1 -2
exactly "-3"
check 0 "$BASTION" run "$ECHO" --invoke _start
exactly ""

[ "$failed" = 0 ] && echo "cli/options: ok"
exit "$failed"
