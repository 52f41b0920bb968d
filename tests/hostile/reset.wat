;; reset.wat — everything a call can leave behind in an instance: memory contents and size,
;; mutable globals, table elements and size, dropped data and element segments, and what the
;; start function did.  `poison` writes a secret everywhere it can; after bst_instance_reset the
;; readers must see the state right after instantiation (tests/hostile/reset.c).
(module
  (type $ret (func (result i32)))
  (memory (export "memory") 1 8)
  (global $g32 (export "g32") (mut i32) (i32.const 11))
  (global $g64 (export "g64") (mut i64) (i64.const 22))
  (global $gf (export "gf") (mut f64) (f64.const 1.5))
  (global $starts (export "starts") (mut i32) (i32.const 0))
  (table $t (export "table") 4 16 funcref)
  (data (i32.const 16) "seed")
  (data $passive "pass")
  (elem (i32.const 0) func $one)
  (elem $pelem func $two $two)

  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))

  ;; The start function counts its runs in a global and in memory byte 100.
  (func $start
    (global.set $starts (i32.add (global.get $starts) (i32.const 1)))
    (i32.store8 (i32.const 100) (i32.add (i32.load8_u (i32.const 100)) (i32.const 1))))
  (start $start)

  ;; Fills [0, memory.size * 64 KiB) with 0xAA.
  (func $fill
    (memory.fill (i32.const 0) (i32.const 0xAA)
      (i32.mul (memory.size) (i32.const 65536))))

  (func (export "poison")
    (call $fill)
    (drop (memory.grow (i32.const 3)))
    (call $fill)
    (global.set $g32 (i32.const 0x5ec7e7))
    (global.set $g64 (i64.const 0x5ec7e75ec7e7))
    (global.set $gf (f64.const 6.25))
    (drop (table.grow $t (ref.func $two) (i32.const 5)))
    (table.fill $t (i32.const 0) (ref.func $two) (table.size $t))
    (data.drop $passive)
    (elem.drop $pelem))

  ;; Number of nonzero bytes in the whole memory.
  (func (export "nonzero") (result i32)
    (local $i i32) (local $n i32) (local $end i32)
    (local.set $end (i32.mul (memory.size) (i32.const 65536)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.load8_u (local.get $i))
          (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $n))
  (func (export "load") (param $a i32) (result i32) (i32.load (local.get $a)))
  (func (export "mem_pages") (result i32) (memory.size))
  (func (export "table_size") (result i32) (table.size $t))
  ;; table[i]: 0 when null, else what the function returns
  (func (export "slot") (param $i i32) (result i32)
    (if (result i32) (ref.is_null (table.get $t (local.get $i)))
      (then (i32.const 0))
      (else (call_indirect (type $ret) (local.get $i)))))
  ;; Uses the passive segments (traps when they were dropped): memory[200..204) := "pass",
  ;; table[2..4) := $two $two.  Returns the word at 200.
  (func (export "use_passive") (result i32)
    (memory.init $passive (i32.const 200) (i32.const 0) (i32.const 4))
    (table.init $t $pelem (i32.const 2) (i32.const 0) (i32.const 2))
    (i32.load (i32.const 200)))
  (func (export "grow") (param $n i32) (result i32) (memory.grow (local.get $n))))
