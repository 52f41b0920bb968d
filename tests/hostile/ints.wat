;; ints.wat — integer-only code of every kind (memory, tables, globals, i64, bulk ops), which
;; reject_floats must accept.
(module
  (type $t (func (param i64) (result i64)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) $sq)
  (global $g (mut i64) (i64.const 3))
  (func $sq (param $x i64) (result i64) (i64.mul (local.get $x) (local.get $x)))
  (func (export "f") (param $x i32) (result i64)
    (memory.fill (i32.const 0) (i32.const 7) (i32.const 16))
    (global.set $g (call_indirect (type $t) (i64.extend_i32_s (local.get $x)) (i32.const 0)))
    (i64.add (global.get $g) (i64.load8_u (i32.const 15)))))
