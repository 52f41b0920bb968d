;; compute.wat — a plain module (no imports) for `bastion serve`'s /v1/invoke tests
;; (tests/serve/*.sh):
;;   add(a, b) -> a + b            loop() never returns            spin(n) counts n down
;;   grow(n) -> memory.grow n (-1 when refused: the tenant's memory_pages cap)
;;   poison() grows memory to 4 pages, fills every byte with 0xAB, sets the global and the
;;            table's slot 0, and returns peek() (non-zero: it sees its own secret)
;;   peek() -> 0 when the instance is as new: memory back to 1 page of zeros, the global 0 and
;;            the table slot null; else a bit mask of what a previous call left behind
(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (table $t 2 funcref)
  (elem declare func $add)
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "loop") (loop $l (br $l)))
  (func (export "spin") (param $n i64)
    (block $done
      (loop $l
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $l))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func $peek (export "peek") (result i32)
    (local $i i32) (local $or i32) (local $mask i32)
    (if (i32.ne (memory.size) (i32.const 1)) (then (local.set $mask (i32.const 1))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (i32.mul (memory.size) (i32.const 65536))))
        (local.set $or (i32.or (local.get $or) (i32.load (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (if (local.get $or) (then (local.set $mask (i32.or (local.get $mask) (i32.const 2)))))
    (if (global.get $g) (then (local.set $mask (i32.or (local.get $mask) (i32.const 4)))))
    (if (i32.eqz (ref.is_null (table.get $t (i32.const 0))))
      (then (local.set $mask (i32.or (local.get $mask) (i32.const 8)))))
    (local.get $mask))
  (func (export "poison") (result i32)
    (drop (memory.grow (i32.const 3)))
    (memory.fill (i32.const 0) (i32.const 0xAB) (i32.mul (memory.size) (i32.const 65536)))
    (global.set $g (i32.const 0x5ec2e7))
    (table.set $t (i32.const 0) (ref.func $add))
    (call $peek)))
