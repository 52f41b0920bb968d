;; sandbox_should_work (Substrate client/executor/src/integration_tests/sandbox.rs): two calls
;; to the runtime's inc_counter, then assert(counter == 8) through the runtime's env_assert.
(module
  (import "env" "assert" (func $assert (param i32)))
  (import "env" "inc_counter" (func $inc_counter (param i32) (result i32)))
  (func (export "call")
    (drop (call $inc_counter (i32.const 5)))
    (call $inc_counter (i32.const 3))
    i32.const 8
    i32.eq
    call $assert))
