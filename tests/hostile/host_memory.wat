;; host_memory.wat — a guest that hands (ptr, len) pairs of its choosing to a host function, and
;; can grow, write and read its memory around it.
(module
  (import "env" "check" (func $check (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "probe") (param $ptr i32) (param $len i32) (result i32)
    (call $check (local.get $ptr) (local.get $len)))
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  (func (export "store") (param $addr i32) (param $v i32)
    (i32.store (local.get $addr) (local.get $v)))
  (func (export "load") (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  ;; the host may grow (and so move) the memory under the guest's feet
  (func (export "probe_then_load") (param $ptr i32) (param $len i32) (param $addr i32) (result i32)
    (drop (call $check (local.get $ptr) (local.get $len)))
    (i32.load (local.get $addr))))
