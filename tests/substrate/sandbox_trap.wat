;; sandbox_trap: assert(0) makes the runtime's host function return HostError.
(module
  (import "env" "assert" (func $assert (param i32)))
  (func (export "call")
    i32.const 0
    call $assert))
