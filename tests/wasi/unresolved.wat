;; unresolved.wat — imports a function nobody provides: `bastion run` must refuse it, naming it.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "mystery" (func))
  (memory (export "memory") 1)
  (func (export "_start")))
