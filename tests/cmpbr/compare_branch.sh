#!/bin/sh
# tests/cmpbr/compare_branch.sh BASTION WAT2WASM — CTest engine/compare_branch.  The compiler
# fuses an i32/i64 comparison into the branch that consumes it (BR_<cmp>), and into the variants
# that also charge the metered block they enter (BR_<cmp>_FUEL, _LOOP, IF_<cmp>_FUEL), each with
# a register or an immediate second operand.  For every comparison this generates functions that
# branch on it in each of those shapes and one that returns it as a value (not fused); a driver
# in the module runs them all over every pair of operands around zero, the sign bits and
# equality and counts the shapes that disagree with the value.  A few results are also checked
# against fixed answers, so that the value path is not merely consistent with itself.
set -u
BASTION=$1
WAT2WASM=$2
WORK=$(mktemp -d) || exit 1
trap 'rm -rf "$WORK"' EXIT
OPS="eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u"
IMM=-5 # the immediate form's constant: negative, so sign extension to i64 matters
# operands, as i64 (the i32 functions take their low halves)
VALUES="0 1 -1 -5 7 0x7fffffff 0x80000000 0xfffffffb 0x7fffffffffffffff 0x8000000000000000"
NV=$(echo $VALUES | wc -w)
shapes() { # t op form b: the four functions of one comparison
    c="($1.$2 (local.get 0) $4)"
    n="$1_$2_$3"
    echo "(func \$${n}_val (export \"${n}_val\") (param $1 $1) (result i32) $c)"
    # br_if out of a block: BR_<cmp>, or BR_<cmp>_FUEL (the code after the block is metered)
    echo "(func \$${n}_br (export \"${n}_br\") (param $1 $1) (result i32)"
    echo "  (block (br_if 0 $c) (return (i32.const 0))) (i32.const 1))"
    # br_if back to a loop head: BR_<cmp>_LOOP; three rounds when it holds
    echo "(func \$${n}_loop (export \"${n}_loop\") (param $1 $1) (result i32) (local i32)"
    echo "  (block (loop (local.set 2 (i32.add (local.get 2) (i32.const 1)))"
    echo "    (br_if 1 (i32.ge_u (local.get 2) (i32.const 3))) (br_if 0 $c)))"
    echo "  (i32.eq (local.get 2) (i32.const 3)))"
    # if/else: IF_<cmp>_FUEL, both ways into a metered block
    echo "(func \$${n}_if (export \"${n}_if\") (param $1 $1) (result i32)"
    echo "  (if (result i32) $c (then (i32.const 1)) (else (i32.const 0))))"
}
checks() { # t op form: adds to $bad, for operands a, b (locals 0, 1 of the driver)
    n="$1_$2_$3"
    for s in br loop if; do
        if [ $1 = i32 ]; then args="(i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))"
        else args="(local.get 0) (local.get 1)"; fi
        echo "(local.set 4 (i32.add (local.get 4) (i32.ne (call \$${n}_$s $args) (call \$${n}_val $args))))"
    done
}
{
    echo "(module (memory 1)"
    for t in i32 i64; do
        for op in $OPS; do
            shapes $t $op reg "(local.get 1)"
            shapes $t $op imm "($t.const $IMM)"
        done
    done
    # run() -> the number of disagreements; locals: a, b, i, j, bad
    echo "(func (export \"run\") (result i32) (local i64 i64 i32 i32 i32)"
    echo "  (block (loop"
    echo "    (local.set 0 (i64.load (i32.shl (local.get 2) (i32.const 3))))"
    echo "    (local.set 3 (i32.const 0))"
    echo "    (block (loop"
    echo "      (local.set 1 (i64.load (i32.shl (local.get 3) (i32.const 3))))"
    for t in i32 i64; do for op in $OPS; do checks $t $op reg; checks $t $op imm; done; done
    echo "      (local.set 3 (i32.add (local.get 3) (i32.const 1)))"
    echo "      (br_if 0 (i32.lt_u (local.get 3) (i32.const $NV)))))"
    echo "    (local.set 2 (i32.add (local.get 2) (i32.const 1)))"
    echo "    (br_if 0 (i32.lt_u (local.get 2) (i32.const $NV)))))"
    echo "  (local.get 4))"
    # the operand table, written by a start function (wat has no i64 data literals)
    echo "(func \$init"
    i=0
    for v in $VALUES; do
        echo "  (i64.store (i32.const $((i * 8))) (i64.const $v))"
        i=$((i + 1))
    done
    echo ")"
    echo "(start \$init))"
} >"$WORK/m.wat"
"$WAT2WASM" "$WORK/m.wat" -o "$WORK/m.wasm" || exit 1
failed=0
got=$("$BASTION" run "$WORK/m.wasm" --invoke run)
[ "$got" = 0 ] || { echo "FAIL: $got branch shapes disagree with the comparison's value" >&2; failed=1; }
fixed() {
    got=$("$BASTION" run "$WORK/m.wasm" --invoke "$2" "$3" "$4")
    [ "$got" = "$1" ] || { echo "FAIL: $2 $3 $4: $got, want $1" >&2; failed=1; }
}
fixed 1 i32_lt_s_reg_br -1 0
fixed 0 i32_lt_u_reg_br -1 0
fixed 1 i64_lt_s_reg_loop 0x8000000000000000 0
fixed 0 i64_lt_u_reg_loop 0x8000000000000000 0
fixed 1 i64_gt_u_imm_if -1 0       # -1 > 0xfffffffffffffffb, unsigned
fixed 0 i64_eq_imm_br 0xfffffffb 0 # the immediate -5 is sign-extended: not 0xfffffffb in i64
fixed 1 i64_eq_imm_if -5 0
fixed 1 i32_eq_imm_loop 0xfffffffb 0 # ... but it is in i32
fixed 1 i64_ge_s_reg_if 7 -5
fixed 0 i32_gt_u_reg_loop 7 -5
exit $failed
