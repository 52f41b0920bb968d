;; pooled.wat — a guest for the pool tests (tests/pool/): a call that spins, one that blocks in
;; a host function, memory growth, and a counter in memory that shows whether an instance was
;; reset between calls.
(module
  (import "host" "block" (func $block (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  ;; Increments the counter at memory[0] and the global; returns memory[0] * 1000 + global
  ;; (1001 on a fresh or reset instance).
  (func (export "count") (result i32)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 1000)) (global.get $calls)))
  ;; Loops forever (until interrupted).
  (func (export "spin")
    (loop $l (br $l)))
  ;; Loops n times; returns n.
  (func (export "work") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  ;; Calls the host function that sleeps ms milliseconds through bst_store_sleep_ns.
  (func (export "block") (param $ms i32) (result i32)
    (call $block (local.get $ms)))
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n))))
