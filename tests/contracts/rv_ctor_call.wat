;; deploy calls the contract whose address is the input[4..36] (rv_callback) with ALLOW_REENTRY;
;; that one calls back its caller, still under construction: NotCallable (8), review finding 4.
;; deploy returns (rc of the call, rc of the call back).
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal1" "seal_call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal2" "set_storage" (func $set (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy")
    (i32.store (i32.const 0) (i32.const 100))
    (call $input (i32.const 100) (i32.const 0))
    (i32.store (i32.const 196) (i32.const 4))
    (i32.store (i32.const 400) (call $call (i32.const 8) (i32.const 104) (i64.const 0) (i32.const 64) (i32.const 0) (i32.const 0) (i32.const 404) (i32.const 196)))
    ;; return (rc of X->B, data B returned = rc of B->X)
    (call $ret (i32.const 0) (i32.const 400) (i32.const 8)))
  (func (export "call")
    ;; runs while X is under construction if reached
    (drop (call $set (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))))
