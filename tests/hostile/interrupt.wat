;; interrupt.wat — code that never ends on its own: a loop with no calls, and a loop whose body is
;; a call chain (no recursion).
(module
  (global $n (export "n") (mut i64) (i64.const 0))
  (func (export "spin")
    (loop $l (br $l)))
  (func $leaf (global.set $n (i64.add (global.get $n) (i64.const 1))))
  (func $mid (call $leaf) (call $leaf))
  (func (export "call_loop")
    (loop $l (call $mid) (br $l)))
  (func (export "quick") (result i32)
    (i32.const 42)))
