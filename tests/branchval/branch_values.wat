;; tests/branchval/branch_values.wat — values carried by branches and returns (CTest
;; engine/branch_values).  The compiler makes the instruction that produces a branch's single
;; value write the target's slot directly; these functions put that producer in every position
;; that could go wrong: reading the slot it now writes, other values left on the stack, the
;; other paths into the same block end or loop head, and a two-value return that keeps its copies.
;; The interpreter caches memory 0's base and bounds across calls, so grow_in_callee touches
;; memory that its callee grew; call_args and call_arg pass arguments through a COPY that a call
;; fuses with.
(module
  (memory 1)
  ;; return: the producer reads parameter slot 0 and writes it.
  (func (export "ret_self") (param i32) (result i32)
    (return (i32.mul (local.get 0) (local.get 0))))
  ;; the function's end: the producer reads slots 0 and 1 and writes slot 0.
  (func (export "fall") (param i32 i32) (result i32)
    (i32.sub (local.get 0) (local.get 1)))
  ;; br out of a block that a br_if also leaves with another value.
  (func (export "pick") (param i32) (result i32)
    (i32.add
      (block (result i32)
        (i32.add (local.get 0) (i32.const 100))
        (br_if 0 (local.get 0))
        (drop)
        (br 0 (i32.mul (local.get 0) (i32.const 3))))
      (i32.const 1)))
  ;; br whose value sits two stack positions above the block's result slot.
  (func (export "deep") (param i32) (result i32)
    (i32.add
      (block (result i32)
        (i32.add (local.get 0) (i32.const 1))
        (i32.add (local.get 0) (i32.const 2))
        (br 0 (i32.mul (local.get 0) (local.get 0))))
      (i32.const 1000)))
  ;; a back-edge carrying the loop's parameter: sum of 0..n-1.
  (func (export "tri") (param i32) (result i32) (local i32)
    (i32.const 0)
    (loop (param i32) (result i32)
      (local.set 1)
      (local.get 1)
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0 (i32.add (local.get 1) (local.get 0)))))
  ;; two results: each still moved by its own copy.
  (func (export "two") (param i32) (result i32 i32)
    (i32.add (local.get 0) (i32.const 1))
    (i32.mul (local.get 0) (local.get 0)))
  ;; the callee grows memory 0; back in the caller, page 2 must be in bounds.
  (func $grow (result i32) (memory.grow (i32.const 1)))
  (func (export "grow_in_callee") (result i32)
    (drop (call $grow))
    (i32.store (i32.const 65536) (i32.const 77))
    (i32.load (i32.const 65536)))
  ;; call arguments copied in from locals: the two copies become one COPY2, which must not be
  ;; taken for the COPY that a call fuses with (a superinstruction of COPY then CALL).
  (func $sub2 (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "call_args") (param i32 i32) (result i32)
    (call $sub2 (local.get 1) (local.get 0)))
  ;; one copied argument: COPY fused with the call
  (func (export "call_arg") (param i32) (result i32)
    (call $sub2 (local.get 0) (i32.const 5)))
  ;; br_if on the value the instruction before it produced, fused with it into one
  ;; superinstruction whose branch half enters a loop head (countdown, through i32.add) or
  ;; a metered block (skip3, through i32.add; first_zero, through i32.load)
  (func (export "countdown") (param i32) (result i32) (local i32)
    (loop
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))
    (local.get 1))
  (func (export "skip3") (param i32) (result i32)
    (block (br_if 0 (i32.add (local.get 0) (i32.const -3))) (return (i32.const 0)))
    (i32.const 1))
  (data (i32.const 16) "\07\00\00\00\05\00\00\00\00\00\00\00")
  (func (export "first_zero") (result i32) (local i32)
    (local.set 0 (i32.const 12))
    (loop
      (local.set 0 (i32.add (local.get 0) (i32.const 4)))
      (br_if 0 (i32.load (local.get 0))))
    (local.get 0))
  ;; ... and a compare-and-branch with the op before the comparison: i32.load8_u (a loop),
  ;; i32.sub (a block exit), i32.add (a loop head again)
  (data (i32.const 32) "hello\00")
  (func (export "find_byte") (param i32 i32) (result i32) (local i32)
    (local.set 2 (i32.sub (local.get 0) (i32.const 1)))
    (loop
      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
      (br_if 0 (i32.ne (i32.load8_u (local.get 2)) (local.get 1))))
    (i32.sub (local.get 2) (local.get 0)))
  (func (export "gap_over") (param i32 i32 i32) (result i32)
    (block (br_if 0 (i32.gt_u (i32.sub (local.get 0) (local.get 1)) (local.get 2)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "steps") (param i32) (result i32) (local i32)
    (loop (br_if 0 (i32.le_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
    (local.get 1)))
