;; Calls assert with an i64: the runtime's env_assert answers HostError.
(module
  (import "env" "assert" (func $assert (param i64)))
  (func (export "call")
    (call $assert (i64.const 1))))
