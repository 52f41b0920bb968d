;; user_data.wat — asks the host who it is; the host answers from its caller's user data.
(module
  (import "env" "whoami" (func $whoami (result i32)))
  (func (export "ask") (result i32)
    (call $whoami)))
