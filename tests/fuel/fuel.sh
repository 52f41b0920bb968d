#!/bin/sh
# tests/fuel/fuel.sh — fuel invariance (CTest engine/fuel): the fuel a program uses is part of
# the consensus contract, so no change to the compiler or interpreter (fused instructions,
# coalesced copies, ...) may change it.  Runs every benchmark module of ../shared/bench on a
# small input and the programs of tests/fuel/programs.wat, and compares each run's fuel with
# tests/fuel/expected.txt, recorded before the interpreter's speed work (commit 0d13a4d).
# CoreMark calibrates itself by the clock, mandel and c-ray print their own run time and smallpt
# runs for long, so these run under a fuel budget instead (cut off before the clock matters): the
# expected value is then where the budget ran out (the fuel used, the innermost frame) and a
# hash of the deterministic profile sampled every 997 units of fuel.  Two programs trap inside
# instruction pairs the compiler fuses: their trap site and fuel must not move either.
#
# usage: fuel.sh BASTION SHARED_BENCH_DIR WAT2WASM WORKDIR [EXPECTED]
#   with EXPECTED "-", print the values instead of checking them (to record a new baseline).
set -u
bastion=$1 bench=$2 wat2wasm=$3 work=$4
expected=${5:-$(dirname "$0")/expected.txt}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work" || exit 1
work=$(cd "$work" && pwd)
case $bastion in /*) ;; *) bastion=$(pwd)/$bastion ;; esac
case $expected in /* | -) ;; *) expected=$(pwd)/$expected ;; esac
# The modules run from their own directory under a relative name: argv[0] is the module's path,
# and a program that walks its arguments uses fuel in proportion to their length.
cd "$bench" || exit 1
bench=.
"$wat2wasm" "$here/programs.wat" -o "$work/programs.wasm" || exit 1
head -c 20000 "$bench/alice29.txt" >"$work/alice20k.txt" || exit 1

# fuel NAME ARGS...: a complete run; prints "NAME fuel_used".
fuel() {
  name=$1
  shift
  if ! "$bastion" run --stats="$work/$name.json" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    echo "$name: run failed: $(cat "$work/$name.err")" >&2
    echo "$name failed"
    return
  fi
  echo "$name $(sed -n 's/.*"fuel_used": \([0-9]*\).*/\1/p' "$work/$name.json")"
}

# capped NAME BUDGET ARGS...: a run cut off by the fuel budget; prints the fuel used, the
# innermost frame and the profile's hash.
capped() {
  name=$1 budget=$2
  shift 2
  "$bastion" run --fuel "$budget" --profile "$work/$name" --profile-interval 997 "$@" \
    >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  used=$(sed -n 's/^fuel used: \([0-9]*\) of .*/\1/p' "$work/$name.err")
  frame=$(sed -n 's/^  #0 \(0x[0-9a-f]*\) .*/\1/p' "$work/$name.err")
  hash=$(sha256sum <"$work/$name.folded" | cut -c1-16)
  echo "$name exit$rc/$used/$frame/$hash"
}

# trapsite NAME ARGS...: a run that traps; prints the exit code, the fuel used and the frames.
trapsite() {
  name=$1
  shift
  "$bastion" run "$@" >/dev/null 2>"$work/$name.err"
  rc=$?
  used=$(sed -n 's/^fuel used: \([0-9]*\).*/\1/p' "$work/$name.err")
  frames=$(sed -n 's/^  #[0-9]* \(0x[0-9a-f]*\) .*/\1/p' "$work/$name.err" | tr '\n' ' ')
  echo "$name exit$rc/$used/$frames"
}

actual() {
  fuel fib32 "$bench/fib32.wasm" --invoke fib 20
  fuel fib64 "$bench/fib64.wasm" --invoke fib 20
  fuel brotli "$bench/brotli.wasm" -c -q 9 <"$work/alice20k.txt"
  fuel fibloop "$work/programs.wasm" --invoke fibloop 50
  fuel mix "$work/programs.wasm" --invoke mix 1000
  fuel mem "$work/programs.wasm" --invoke mem 500
  trapsite trap_second "$work/programs.wasm" --invoke trap_second 40000
  trapsite trap_first "$work/programs.wasm" --invoke trap_first 70000

  capped coremark-minimal 12000000 "$bench/coremark-minimal.wasm" --invoke run
  capped coremark 12000000 "$bench/coremark.wasm"
  capped mandel 5000000 "$bench/mandel.wasm" 32 1
  capped c-ray 5000000 "$bench/c-ray.wasm" -s 32x24 <"$bench/scene"
  capped smallpt 12000000 "$bench/smallpt-ex.wasm" 1
}

if [ "$expected" = "-" ]; then
  actual
  exit 0
fi
actual >"$work/actual.txt"
if ! diff -u "$expected" "$work/actual.txt"; then
  echo "FAIL: fuel use changed (- expected, + now)" >&2
  exit 1
fi
echo "fuel unchanged: $(wc -l <"$expected") programs"
