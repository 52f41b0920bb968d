;; call: delegate_call, forever, to the 17 code hashes of input[4..548] in turn (review finding 2):
;; more codes than the 16-slot module cache, so every call compiles and evicts a module.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_delegate_call" (func $dc (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy"))
  (func (export "call") (local $i i32)
    (i32.store (i32.const 0) (i32.const 4096))
    (call $input (i32.const 16) (i32.const 0))
    (loop $l
      (drop (call $dc (i32.const 0) (i32.add (i32.const 20) (i32.mul (i32.rem_u (local.get $i) (i32.const 17)) (i32.const 32)))
                      (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
