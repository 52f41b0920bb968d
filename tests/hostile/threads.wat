;; threads.wat — per-instance work for the parallel isolation test: fills n words of memory from a
;; seed through two mixing functions reached by call_indirect, sums them back, keeps the sum in a
;; global and returns it.  Any state shared between instances or stores would corrupt the sums.
(module
  (type $mix (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $acc (export "acc") (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $lcg $xorshift)

  (func $lcg (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
  (func $xorshift (param $x i32) (result i32)
    (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 13))))

  (func (export "work") (param $seed i32) (param $n i32) (result i32)
    (local $i i32) (local $x i32) (local $sum i32)
    (local.set $x (local.get $seed))
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x
          (call_indirect (type $mix) (local.get $x) (i32.and (local.get $i) (i32.const 1))))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $sum
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum
          (i32.add (i32.rotl (local.get $sum) (i32.const 5))
                   (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (global.set $acc (local.get $sum))
    (local.get $sum)))
