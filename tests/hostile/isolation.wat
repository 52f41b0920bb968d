;; isolation.wat — per-instance state: a memory with an initial data segment, a mutable global,
;; a funcref table.  Two instances of this module must never see each other's writes, and an
;; instance created after others were modified starts from the module's initial state.
(module
  (type $ret (func (result i32)))
  (memory (export "memory") 1)
  (global $g (export "g") (mut i64) (i64.const 7))
  (table $t (export "table") 4 funcref)
  (data (i32.const 16) "seed")

  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (elem declare func $one $two)

  (func (export "store") (param $addr i32) (param $v i32)
    (i32.store (local.get $addr) (local.get $v)))
  (func (export "load") (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func (export "set_global") (param $v i32)
    (global.set $g (i64.extend_i32_s (local.get $v))))
  (func (export "get_global") (result i32)
    (i32.wrap_i64 (global.get $g)))
  ;; table[i] := $one when which == 1, else $two
  (func (export "set_slot") (param $i i32) (param $which i32)
    (table.set $t (local.get $i)
      (select (result funcref) (ref.func $one) (ref.func $two)
        (i32.eq (local.get $which) (i32.const 1)))))
  (func (export "call_slot") (param $i i32) (result i32)
    (call_indirect (type $ret) (local.get $i)))
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  (func (export "size") (result i32)
    (memory.size)))
