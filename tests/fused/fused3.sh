#!/bin/sh
# tests/fused/fused3.sh BASTION WAT2WASM — CTest engine/fused3: the three-op superinstructions
# (ops.h: ENG_FUSED3_OPS) and the latest pairs.  Each function of fused3.wat is shaped to form
# one of them; its results are checked with metering on (branches into metered blocks take
# their _FUEL/_LOOP forms) and off (the plain branches), and a trap in each of the three parts
# must report that part's own instruction offset, read from `wasm-objdump -d` (wabt, beside
# wat2wasm).
set -u
BASTION=$1
WAT2WASM=$2
OBJDUMP=$(dirname "$WAT2WASM")/wasm-objdump
WORK=$(mktemp -d) || exit 1
trap 'rm -rf "$WORK"' EXIT
"$WAT2WASM" "$(dirname "$0")/fused3.wat" -o "$WORK/m.wasm" || exit 1
"$OBJDUMP" -d "$WORK/m.wasm" >"$WORK/dis" || exit 1
failed=0
# expect "WANT" FUNC ARGS...: the results, one per line, joined by spaces, metered or not.
expect() {
    want=$1
    shift
    for meter in "" --no-metering; do
        got=$("$BASTION" run $meter "$WORK/m.wasm" --invoke "$@" | tr '\n' ' ' | sed 's/ $//')
        if [ "$got" != "$want" ]; then
            echo "FAIL: $* ${meter:-(metered)}: got '$got', want '$want'" >&2
            failed=1
        fi
    done
}
# expect_trap FUNC INSTR ARGS...: an out-of-bounds trap whose innermost frame is the first
# INSTR (e.g. i32.load8_u, at any nesting depth) of FUNC.
expect_trap() {
    func=$1
    instr=$2
    shift 2
    at=$(awk -v f="<$func>:" -v i="[|] +$instr " '
        index($0, f) { in_f = 1; next }
        in_f && / func\[/ { exit }
        in_f && ($0 " ") ~ i { sub(/^ */, ""); sub(/:.*/, ""); print; exit }' "$WORK/dis")
    if [ -z "$at" ]; then
        echo "FAIL: no $instr in $func" >&2
        failed=1
        return
    fi
    out=$("$BASTION" run "$WORK/m.wasm" --invoke "$func" "$@" 2>&1)
    case $out in
    *"out of bounds memory access"*"#0 0x$at func["*) ;;
    *)
        echo "FAIL: $func $*: want a trap at 0x$at ($instr), got: $out" >&2
        failed=1
        ;;
    esac
}
expect 3 strlen 64
expect 0 strlen 67
expect 1 strlen 66
expect 48 mix_shr 0x1234
expect 85 mix_shr 0xff
expect 1 mix_and 0x1234
expect 15 mix_and 0xfa
expect 15 bump 800 5
expect 3 bump 800 1
expect 1 first_low 128
expect 0 first_low 132
expect 20 first_set 128
expect 10 first_set 132
expect 30 first_if 128
expect 40 first_if 132
expect 11 digit 55
expect 252 digit 40
expect 11 add_add_copy 3 4
expect 107 add_add_copy 5 100
expect 322 add3 1
expect 0 add3 -321
expect 0 count_up 3
expect 8 f_sms 5 2 3 1
expect 2.375 f_sms 1.5 0.25 2 0.125
expect 9.5 f_sma 5 2 3 0.5
expect 5 f_mam 2 3 4 0.5
expect 29 f_mma 2 3 4 5
expect 25 f_ama 2 3 4 5
expect 9 f_load 5 2 3
expect 10.5 f_store_ma 520 2 3 4.5
expect 9 f_store_aa 528 2 3 4
expect 578437695752307201 move64 800 900
expect 2 find_word 3
expect 0 find_word 1
expect 1 word_is 4 2
expect 0 word_is 4 3
expect 8 word_if 4 2
expect 7 word_if 4 3
expect 18 le_loop 20 3
expect 1 le_loop 0 0
expect 3 word_at 2 600
expect 99 put_word 2 99 700
expect 4101 frame 5
expect 81684111829661576 bits64 0x0102030405060708
expect 3003 copy_words 600 2000 4
expect 0 copy_words 600 2000 1
expect 22 mul_add_add 3 4 5
expect 0 mul_add_add -2 3 1
expect 9 sum_down 4 0
expect 10 sum_down 4 1
expect 6 add_add_exit 1 1
expect 5 add_add_exit 1 0
expect 8240 half_words 1536
expect 560 half_masked 1536
expect -1 neg_exit -1.5
expect 1 neg_exit 2
expect 1 neg_exit -0.0
expect 1 neg_exit nan
expect 4 halve_below 3.5
expect 1 halve_below 0
expect 0 not_positive 2
expect 1 not_positive -0.0
expect 1 not_positive nan
expect 6 add_gt_loop 100 3 10
expect 2 add_gt_block 1 0x7fffffff 5
expect 1 add_gt_block 1 2 5
expect 4 add_gt_if 1 0x7fffffff 5
expect 3 add_gt_if 1 2 5
expect 6 addi_gti_loop 100
expect 7 addi_gti_loop -16
expect 1 addi_gti_block 7
expect 2 addi_gti_block 8
expect 1 addi_gti_block -2
expect 4 addi_gti_if 8
expect 3 addi_gti_if -2
expect 6 sub_ge_loop 100 2 10
expect 2 sub_ge_block 1 2 5
expect 2 sub_ge_block 7 2 5
expect 1 sub_ge_block 6 2 5
expect 4 sub_ge_if 1 2 5
expect 3 sub_ge_if 6 2 5
expect 6 and_add_gt_loop 100 0xff 0x18 0x20
expect 2 and_add_gt_block 0x1234 0xf0 0x18 0x40
expect 1 and_add_gt_block 0x1224 0xf0 0x18 0x40
expect 4 and_add_gt_if 0x1234 0xf0 0x18 0x40
expect 3 and_add_gt_if 0x1224 0xf0 0x18 0x40
expect 2 index_of 64 99
expect 0 index_of 64 97
expect 1 byte_is_block 64 1 98
expect 2 byte_is_block 64 1 99
expect 4 byte_is_if 64 1 99
expect 3 byte_is_if 64 1 98
expect 608 word_addr 2
expect 3 word_600 2
expect 12 next_word_plus 600 10
# a trap in the first, second and third op of a superinstruction
expect_trap first_low i32.load 70000
expect_trap first_low i32.load8_u 136
expect_trap word_at i32.load 100000 600
expect_trap put_word i32.store 100000 1 700
expect_trap word_600 i32.load 0x10000000
expect_trap next_word_plus i32.load 100000 1
expect_trap index_of i32.load8_u 100000 1
expect_trap byte_is_block i32.load8_u 100000 0 0
exit $failed
