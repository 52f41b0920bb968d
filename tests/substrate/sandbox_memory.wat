;; The environment's memory (sp_sandbox::Memory::new(1, Some(16))): grows to its maximum and no
;; further, and keeps what is stored.
(module
  (import "env" "assert" (func $assert (param i32)))
  (import "env" "memory" (memory 1 16))
  (func (export "call")
    (i32.store (i32.const 65532) (i32.const 0x01020304))
    (call $assert (i32.eq (i32.load (i32.const 65532)) (i32.const 0x01020304)))
    (call $assert (i32.eq (memory.grow (i32.const 15)) (i32.const 1)))
    (call $assert (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
    (call $assert (i32.eq (memory.size) (i32.const 16)))))
