;; call with input: instantiates the code whose hash is the input (no input, no salt) and returns
;; (rc, output length, output); call with no input: returns "hi".  With rv_ctor_caller: the new
;; contract's constructor calls back its deployer, which pallet-contracts allows (instantiate
;; leaves the deployer re-enterable).
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal1" "instantiate" (func $inst (param i32 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 50) "hi")
  (func (export "deploy"))
  (func (export "call")
    (i32.store (i32.const 0) (i32.const 100))
    (call $input (i32.const 100) (i32.const 0))
    (if (i32.eqz (i32.load (i32.const 0)))
      (then (call $ret (i32.const 0) (i32.const 50) (i32.const 2))))
    (i32.store (i32.const 492) (i32.const 16))
    (i32.store (i32.const 488)
      (call $inst (i32.const 100) (i64.const 0) (i32.const 400) (i32.const 0) (i32.const 0)
                  (i32.const -1) (i32.const 0) (i32.const 496) (i32.const 492) (i32.const 0) (i32.const 0)))
    (call $ret (i32.const 0) (i32.const 488) (i32.add (i32.const 8) (i32.load (i32.const 492))))))
