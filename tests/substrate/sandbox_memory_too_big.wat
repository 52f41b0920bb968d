;; Imports a memory larger than the environment's (16 pages at most): not linkable.
(module
  (import "env" "assert" (func $assert (param i32)))
  (import "env" "memory" (memory 17))
  (func (export "call")))
