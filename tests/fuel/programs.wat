;; tests/fuel/programs.wat — small programs that exercise every kind of block boundary the
;; compiler meters (loops with br_if, br_table with values, if/else with results, select,
;; local.tee chains, phi moves, calls, call_indirect, memory and bulk operations), for
;; tests/fuel/fuel.sh: their fuel use must never change, whatever the compiler fuses.
(module
  (type $ii (func (param i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $sq $tri)
  (func $sq (type $ii) (i32.mul (local.get 0) (local.get 0)))
  (func $tri (type $ii) (i32.shr_u (i32.mul (local.get 0) (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  ;; a counted loop with phi moves (a, b = b, a + b) and a compare-and-branch
  (func (export "fibloop") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64) (local $i i32)
    (local.set $b (i64.const 1))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $a))
  ;; br_table carrying a value, if/else with results, select, tee
  (func (export "mix") (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $x i32)
    (loop $l
      (local.set $x
        (block $b2 (result i32)
          (block $b1 (result i32)
            (block $b0 (result i32)
              (i32.add (local.get $i) (i32.const 7))
              (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
            (i32.mul (i32.const 3)) (br $b2))
          (i32.xor (i32.const 0x55)) (br $b2)))
      (local.set $acc
        (if (result i32) (i32.and (local.get $x) (i32.const 1))
          (then (i32.add (local.get $acc) (local.tee $x (i32.shl (local.get $x) (i32.const 1)))))
          (else (select (local.get $acc) (local.get $x) (i32.lt_s (local.get $acc) (local.get $x))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  ;; memory: stores and loads with offsets, a bulk fill and copy, calls and call_indirect
  (func (export "mem") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 4096))
    (loop $l
      (i32.store offset=8 (i32.shl (local.get $i) (i32.const 2))
        (call_indirect (type $ii) (local.get $i) (i32.and (local.get $i) (i32.const 1))))
      (local.set $s (i32.add (local.get $s)
        (i32.load16_u offset=8 (i32.shl (local.get $i) (i32.const 2)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (memory.copy (i32.const 8192) (i32.const 0) (i32.const 1000))
    (i32.add (local.get $s) (call $sq (i32.load8_u (i32.const 8200)))));; traps inside instruction pairs the compiler fuses (i32.add + i32.load8_u, i32.load +
  ;; i32.store): the backtrace must name the instruction that trapped, as before the fusion
  (func (export "trap_second") (param i32) (result i32)
    (i32.load8_u (i32.add (local.get 0) (local.get 0))))
  (func (export "trap_first") (param i32)
    (i32.store (local.get 0) (i32.load (local.get 0)))))
