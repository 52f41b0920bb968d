;; sampling.wat — code for bst_store_set_sampler / bst_store_stack: a loop in a leaf under two
;; callers, a host function that charges fuel and re-enters wasm, and a fuel-exhausting loop.
(module
  (import "env" "charge" (func $charge (param i32)))
  (import "env" "reenter" (func $reenter))
  (global $g (mut i32) (i32.const 0))
  ;; spins n times
  (func $leaf (export "leaf") (param $n i32)
    (loop $l
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func $mid (param $n i32) (call $leaf (local.get $n)))
  (func $top (export "top") (param $n i32) (call $mid (local.get $n)))
  ;; the host charges n fuel, k times
  (func $payer (export "payer") (param $n i32) (param $k i32)
    (loop $l
      (call $charge (local.get $n))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
  ;; wasm -> host -> wasm: the inner call spins
  (func $outer_host (export "outer_host") (call $reenter))
  (func $inner (export "inner") (call $leaf (i32.const 5000))))
