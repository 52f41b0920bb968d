;; input[0] 0: writes input[4..8] (u32 LE) storage keys (4-byte counters, 1-byte values);
;; 1: terminate (beneficiary: the all-zero account).  For terminate's per-key charge.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal2" "set_storage" (func $set (param i32 i32 i32 i32) (result i32)))
  (import "seal1" "terminate" (func $term (param i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy"))
  (func (export "call") (local $i i32)
    (i32.store (i32.const 0) (i32.const 16))
    (call $input (i32.const 16) (i32.const 0))
    (if (i32.eq (i32.load8_u (i32.const 16)) (i32.const 1)) (then (call $term (i32.const 200))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 20))))
        (i32.store (i32.const 100) (local.get $i))
        (drop (call $set (i32.const 100) (i32.const 4) (i32.const 104) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))))
