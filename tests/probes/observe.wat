;; observe.wat — a small WASI command for the probe and statistics tests (tests/probes/): its
;; _start writes "hi\n" twice through fd_write (two host calls of one import), sums 1..1000 in
;; $sum (a loop: the hot function of the instruction counts) and grows its memory from 1 to 3
;; pages.  `trap` is unreachable, `spin` loops until the fuel or the time runs out.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\n")
  (func $write
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $sum (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func (export "_start")
    (call $write)
    (call $write)
    (drop (call $sum (i32.const 1000)))
    (drop (memory.grow (i32.const 2))))
  (func (export "sum") (param i32) (result i32) (call $sum (local.get 0)))
  (func (export "trap") (unreachable))
  (func (export "spin") (loop $l (br $l))))
