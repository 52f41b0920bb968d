;; stack.wat — ways to exhaust the stacks: plain, infinite, mutual (through call_indirect) and
;; host-mediated recursion, and recursion with large frames.  $depth records the deepest level
;; reached, so a test can see where the limit struck.
(module
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $ping $pong)
  (global $depth (export "depth") (mut i32) (i32.const 0))

  (func $note (param $level i32)
    (if (i32.gt_u (local.get $level) (global.get $depth))
      (then (global.set $depth (local.get $level)))))

  ;; rec(n) = n, recursing n times
  (func $rec (export "rec") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $rec (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))

  (func $infinite (export "infinite")
    (call $infinite))

  ;; ping(n) = n through alternating call_indirect to table[1] / table[0]
  (func $ping (export "ping") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call_indirect (type $t) (i32.sub (local.get $n) (i32.const 1)) (i32.const 1))
                     (i32.const 1)))))
  (func $pong (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call_indirect (type $t) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))
                     (i32.const 1)))))

  ;; via_host(n) = n: each level goes through the host, which re-enters with bst_call
  (func (export "via_host") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $reenter (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))

  ;; outer(n) = n + 1001: two frames of its own with live locals, then the host re-enters
  ;; (the test points it at rec, which grows both stacks far past what was in use), then both
  ;; frames resume and unwind
  (func $outer (export "outer") (param $n i32) (result i32)
    (local $keep i32)
    (local.set $keep (i32.const 1000))
    (i32.add (local.get $keep) (call $outer2 (local.get $n))))
  (func $outer2 (param $n i32) (result i32)
    (i32.add (call $reenter (local.get $n)) (i32.const 1)))

  ;; big(level): 128 i64 locals per frame, all live across the recursive call; never returns
  (func $big (export "big") (param $level i32) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (call $note (local.get $level))
    (local.set 1 (i64.extend_i32_u (local.get $level)))
    (local.set 128 (i64.const 42))
    (i64.add (i64.add (local.get 1) (local.get 128))
             (call $big (i32.add (local.get $level) (i32.const 1))))))
