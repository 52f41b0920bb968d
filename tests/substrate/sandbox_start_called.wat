;; start_called: the start function increments the counter once, `call` once more: 2.
(module
  (import "env" "assert" (func $assert (param i32)))
  (import "env" "inc_counter" (func $inc_counter (param i32) (result i32)))
  (start $start)
  (func $start
    (drop (call $inc_counter (i32.const 1))))
  (func (export "call")
    (call $inc_counter (i32.const 1))
    i32.const 2
    i32.eq
    call $assert))
