;; caller_is_origin, directly and inside a delegate_call (review finding 5).
;; input[0] == 1: delegate_call to the code hash at input[4..36] with input [0] and return
;; its output; otherwise return caller_is_origin() as 4 bytes.
(module
  (import "seal0" "caller_is_origin" (func $cio (result i32)))
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal0" "delegate_call" (func $dc (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy"))
  (func (export "call")
    (i32.store (i32.const 0) (i32.const 100))
    (call $input (i32.const 16) (i32.const 0))
    (if (i32.eq (i32.load8_u (i32.const 16)) (i32.const 1))
      (then
        (i32.store (i32.const 4) (i32.const 8))
        (i32.store (i32.const 208) (call $dc (i32.const 0) (i32.const 20) (i32.const 17)
                                             (i32.const 1) (i32.const 200) (i32.const 4)))
        (call $ret (i32.const 0) (i32.const 200) (i32.const 12))))
    (i32.store (i32.const 300) (call $cio))
    (call $ret (i32.const 0) (i32.const 300) (i32.const 4))))
