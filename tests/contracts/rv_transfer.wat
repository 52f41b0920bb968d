;; Value moves to an account near u128::MAX (review finding 7).  input: mode u8, 3 bytes of
;; padding, account (32), value u128 LE (16).  mode 0: seal_transfer(account, value) and return
;; its rc; mode 1: terminate(account).
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal0" "seal_transfer" (func $transfer (param i32 i32 i32 i32) (result i32)))
  (import "seal1" "terminate" (func $term (param i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy"))
  (func (export "call")
    (i32.store (i32.const 0) (i32.const 100))
    (call $input (i32.const 16) (i32.const 0))
    (if (i32.eq (i32.load8_u (i32.const 16)) (i32.const 1))
      (then (call $term (i32.const 20))))
    (i32.store (i32.const 300)
      (call $transfer (i32.const 20) (i32.const 32) (i32.const 52) (i32.const 16)))
    (call $ret (i32.const 0) (i32.const 300) (i32.const 4))))
