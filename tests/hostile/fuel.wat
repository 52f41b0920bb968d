;; fuel.wat — runaway execution under a fuel budget: an infinite loop that counts its iterations
;; in a global, a finite computation, and bulk memory/table operations of guest-chosen sizes.
(module
  (memory (export "memory") 16)
  (table $t (export "table") 100000 funcref)
  (global $counter (export "counter") (mut i64) (i64.const 0))
  (func $f)
  (elem declare func $f)

  (func (export "spin")
    (loop $l
      (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
      (br $l)))

  ;; sum of i*i for i < n, with a call per iteration
  (func $sq (param $x i64) (result i64) (i64.mul (local.get $x) (local.get $x)))
  (func (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $s i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i64.add (local.get $s) (call $sq (i64.extend_i32_u (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $s))

  (func (export "fill") (param $d i32) (param $v i32) (param $n i32)
    (memory.fill (local.get $d) (local.get $v) (local.get $n)))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  (func (export "table_fill") (param $i i32) (param $n i32)
    (table.fill $t (local.get $i) (ref.func $f) (local.get $n))))
