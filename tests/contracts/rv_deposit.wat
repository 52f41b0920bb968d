;; seal2 call / instantiate read their storage deposit limit (u128) unless deposit_ptr is
;; SENTINEL; out of bounds it traps.  input[0]: 0 call, 1 instantiate; input[1]: 0 SENTINEL,
;; 1 an in-bounds limit, 2 an out-of-bounds pointer.  The callee / code (all zero) do not exist:
;; the rc is NotCallable / CodeNotFound, returned as 4 bytes.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal2" "call" (func $call (param i32 i32 i64 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal2" "instantiate" (func $inst (param i32 i64 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy"))
  (func (export "call") (local $dp i32)
    (i32.store (i32.const 0) (i32.const 16))
    (call $input (i32.const 16) (i32.const 0))
    (local.set $dp (i32.const -1))
    (if (i32.eq (i32.load8_u (i32.const 17)) (i32.const 1)) (then (local.set $dp (i32.const 400))))
    (if (i32.eq (i32.load8_u (i32.const 17)) (i32.const 2)) (then (local.set $dp (i32.const 65530))))
    (if (i32.eqz (i32.load8_u (i32.const 16)))
      (then
        (i32.store (i32.const 300)
          (call $call (i32.const 0) (i32.const 200) (i64.const 0) (i64.const 0) (local.get $dp)
                      (i32.const 500) (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 0))))
      (else
        (i32.store (i32.const 300)
          (call $inst (i32.const 200) (i64.const 0) (i64.const 0) (local.get $dp) (i32.const 500)
                      (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 0) (i32.const -1)
                      (i32.const 0) (i32.const 0) (i32.const 0)))))
    (call $ret (i32.const 0) (i32.const 300) (i32.const 4))))
