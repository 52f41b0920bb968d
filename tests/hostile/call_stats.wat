;; call_stats.wat — for tests/hostile/call_stats.c: `run` calls the imported host function $h
;; n times (the host re-enters `inner` each time) and grows the memory by one page; `count`
;; loops n times (instructions per function); `trap` is unreachable.
(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (memory 1)
  (func (export "run") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $h (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (drop (memory.grow (i32.const 1)))
    (local.get $acc))
  (func (export "inner") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $loop (param $n i32)
    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "count") (param i32) (call $loop (local.get 0)))
  (func (export "trap") (param i32) (unreachable)))
