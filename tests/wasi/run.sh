#!/usr/bin/env bash
# run.sh — one WASI CTest case (see tests/wasi/wasi.cmake).
#
#   run.sh BASTION PROGRAMS_DIR BENCH_DIR WORK_DIR CASE
#
# PROGRAMS_DIR holds the test programs built from tests/wasi (basic.wasm, ...), BENCH_DIR is
# ../shared/bench, WORK_DIR a scratch directory owned by this case (wiped first).  Prints what
# failed and exits non-zero on failure.
set -u
bastion=$1 progs=$2 bench=$3 work=$4 case=$5

rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit WANT CMD... : runs CMD, checks its exit status
expect_exit() {
    local want=$1; shift
    "$@"
    local got=$?
    [ "$got" -eq "$want" ] || fail "exit status $got, expected $want: $*"
}

case "$case" in
basic)
    expect_exit 0 "$bastion" run --env FOO=bar --env EMPTY= "$progs/basic.wasm" one "two words" -x \
        > "$work/out"
    printf 'argc=4\nargv[1]=one\nargv[2]=two words\nargv[3]=-x\nenv FOO=bar\nenv EMPTY=\nclock ok\nsleep ok\nrandom ok\n' \
        > "$work/want"
    diff -u "$work/want" "$work/out" || fail "basic output differs"
    # no environment unless asked for
    expect_exit 0 "$bastion" run "$progs/basic.wasm" > "$work/out2"
    grep -q '^env ' "$work/out2" && fail "environment leaked into the guest"
    # proc_exit codes propagate
    expect_exit 7 "$bastion" run "$progs/basic.wasm" exit 7 > /dev/null
    expect_exit 0 "$bastion" run "$progs/basic.wasm" exit 0 > /dev/null
    expect_exit 255 "$bastion" run "$progs/basic.wasm" exit 256 > /dev/null
    # stdin/stdout
    head -c 100000 "$bench/alice29.txt" > "$work/in"
    expect_exit 0 "$bastion" run "$progs/basic.wasm" cat < "$work/in" > "$work/cat"
    cmp "$work/in" "$work/cat" || fail "cat through the guest changed the bytes"
    ;;
fs)
    mkdir "$work/root"
    ln -s d "$work/root/inlink"
    expect_exit 0 "$bastion" run --dir "$work/root::/sandbox" "$progs/fs.wasm" > "$work/out"
    tail -n 1 "$work/out" | grep -qx 'fs ok' || { cat "$work/out"; fail "fs program"; }
    [ "$(ls -A "$work/root")" = "inlink" ] || fail "leftovers in the sandbox: $(ls -A "$work/root")"
    ;;
sandbox)
    mkdir -p "$work/box/sub"
    echo secret > "$work/secret.txt"
    echo fine > "$work/box/ok.txt"
    ln -s "$work/secret.txt" "$work/box/abs"
    ln -s ../secret.txt "$work/box/rel"
    ln -s sub/../../secret.txt "$work/box/deep"
    ln -s .. "$work/box/updir"
    ln -s loop "$work/box/loop"
    expect_exit 0 "$bastion" run --dir "$work/box::/box" "$progs/sandbox.wasm" > "$work/out"
    tail -n 1 "$work/out" | grep -qx 'sandbox ok' || { cat "$work/out"; fail "sandbox program"; }
    # nothing outside changed
    [ "$(cat "$work/secret.txt")" = secret ] || fail "secret.txt changed"
    for f in evil.txt stolen.txt newdir got.txt; do
        [ -e "$work/$f" ] && fail "$f was created outside the sandbox"
    done
    [ -e "$work/box/ok.txt" ] || fail "ok.txt was moved"
    [ -e "$work/box/newabs" ] && fail "an absolute symlink was created"
    # a guest with no --dir sees no file system at all
    expect_exit 1 "$bastion" run "$progs/sandbox.wasm" > "$work/out2"
    ;;
garbage)
    # thousands of WASI calls with hostile arguments: every answer an errno, nothing escapes
    mkdir -p "$work/box/sub"
    echo secret > "$work/secret.txt"
    echo f > "$work/box/f"
    ln -s .. "$work/box/l"
    for seed in 1 2 3; do
        expect_exit 0 "$bastion" run --dir "$work/box" "$progs/garbage.wasm" $seed < /dev/null > /dev/null
    done
    [ "$(cat "$work/secret.txt")" = secret ] || fail "secret.txt changed"
    [ "$(ls -A "$work")" = "$(printf 'box\nsecret.txt')" ] || fail "files appeared outside: $(ls -A "$work")"
    ;;
unstable)
    mkdir "$work/d"
    printf 0123456789 > "$work/d/data.txt"
    expect_exit 0 "$bastion" run --dir "$work/d" "$progs/unstable.wasm"
    ;;
unresolved)
    expect_exit 1 "$bastion" run "$progs/unresolved.wasm" 2> "$work/err"
    grep -q 'env.mystery' "$work/err" || { cat "$work/err"; fail "error does not name the import"; }
    expect_exit 1 "$bastion" run --dir "$work/missing" "$progs/unresolved.wasm" 2> "$work/err"
    grep -q 'cannot open directory' "$work/err" || { cat "$work/err"; fail "bad --dir accepted"; }
    ;;
c-ray)
    # 800x600 PPM on stdout
    expect_exit 0 "$bastion" run "$bench/c-ray.wasm" < "$bench/scene" > "$work/out.ppm" 2> /dev/null
    [ "$(head -c 3 "$work/out.ppm")" = "$(printf 'P6\n')" ] || fail "not a P6 image"
    [ "$(head -n 2 "$work/out.ppm" | tail -n 1)" = "800 600" ] || fail "not 800x600"
    size=$(stat -c %s "$work/out.ppm")
    [ "$size" -eq $((15 + 800 * 600 * 3)) ] || fail "image has $size bytes"
    ;;
mandel)
    # mandel.wasm SIZE MAGNIFICATION: a SIZExSIZE P6 image
    expect_exit 0 "$bastion" run "$bench/mandel.wasm" 128 128 > "$work/out.ppm" 2> /dev/null
    [ "$(head -n 1 "$work/out.ppm")" = "P6 128 128 255" ] || fail "bad header"
    size=$(stat -c %s "$work/out.ppm")
    [ "$size" -eq $((15 + 128 * 128 * 3)) ] || fail "image has $size bytes"
    [ "$(tail -c +16 "$work/out.ppm" | od -An -v -tu1 | tr -s ' ' '\n' | sort -u | wc -l)" -gt 8 ] \
        || fail "image is (nearly) uniform"
    ;;
smallpt)
    # smallpt-ex.wasm SAMPLES SIZE: 4 samples (1 spp) at 32x32, a P3 image
    expect_exit 0 "$bastion" run "$bench/smallpt-ex.wasm" 4 32 > "$work/out.ppm" 2> /dev/null
    [ "$(head -n 3 "$work/out.ppm" | tr '\n' ' ')" = "P3 32 32 255 " ] || fail "bad header"
    n=$(tail -n +4 "$work/out.ppm" | wc -w)
    [ "$n" -eq $((32 * 32 * 3)) ] || fail "image has $n values"
    ;;
brotli)
    # wasi_unstable.  The benchmark pipeline: compress (quality 11) and decompress through pipes.
    "$bastion" run "$bench/brotli.wasm" -c < "$bench/alice29.txt" \
        | "$bastion" run "$bench/brotli.wasm" -d > "$work/a.out" || fail "pipeline failed"
    cmp "$bench/alice29.txt" "$work/a.out" || fail "round trip changed the bytes"
    # Files in a pre-opened directory: path_open, filestat, unlink (-j removes the input).
    mkdir "$work/d"
    cp "$bench/alice29.txt" "$work/d/in.txt"
    expect_exit 0 "$bastion" run --dir "$work/d::/d" "$bench/brotli.wasm" -q 5 -o /d/in.br /d/in.txt
    size=$(stat -c %s "$work/d/in.br")
    [ "$size" -gt 1000 ] && [ "$size" -lt 100000 ] || fail "compressed size $size"
    expect_exit 0 "$bastion" run --dir "$work/d::/d" "$bench/brotli.wasm" -t /d/in.br
    expect_exit 0 "$bastion" run --dir "$work/d::/d" "$bench/brotli.wasm" -d -j -o /d/out.txt /d/in.br
    cmp "$bench/alice29.txt" "$work/d/out.txt" || fail "file round trip changed the bytes"
    [ -e "$work/d/in.br" ] && fail "-j did not remove the input"
    ;;
coremark-minimal)
    # imports env.clock_ms; `run` returns the score (iterations per second)
    "$bastion" run "$bench/coremark-minimal.wasm" --invoke run > "$work/out" || fail "run failed"
    grep -Eqx '[0-9]+(\.[0-9]+)?' "$work/out" || fail "score: $(cat "$work/out")"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
echo "wasi/$case passed"
