;; call: deposit_event with no topics and no data, forever (review finding 1): the per-exec
;; event budget must stop it long before the gas limit.
(module
  (import "seal0" "seal_deposit_event" (func $ev (param i32 i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy"))
  (func (export "call")
    (loop $l (call $ev (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (br $l))))
