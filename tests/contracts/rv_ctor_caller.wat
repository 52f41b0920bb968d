;; deploy: calls its deployer (flags 0, no input) and returns (rc, the 2 bytes it answered).
(module
  (import "seal0" "seal_caller" (func $caller (param i32 i32)))
  (import "seal1" "seal_call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy")
    (i32.store (i32.const 40) (i32.const 32))
    (call $caller (i32.const 0) (i32.const 40))
    (i32.store (i32.const 196) (i32.const 2))
    (i32.store (i32.const 300) (call $call (i32.const 0) (i32.const 0) (i64.const 0) (i32.const 64)
                                           (i32.const 0) (i32.const 0) (i32.const 304) (i32.const 196)))
    (call $ret (i32.const 0) (i32.const 300) (i32.const 6)))
  (func (export "call")))
