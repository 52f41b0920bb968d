;; The module sandbox_supervisor.wat instantiates: an imported function served by the
;; supervisor's dispatch thunk, an imported sandbox memory, a float global.
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (import "env" "mem" (memory 1))
  (global (export "g") f64 (f64.const 1.5))
  (func (export "call") (param i32) (result i32)
    (i32.store (i32.const 8) (i32.const 42))
    (call $f (local.get 0))))
