;; After pallet-contracts' `ok_trap_revert` fixture: the first input byte chooses the end of
;; `deploy` and `call`: 0 returns, 1 reverts (seal_return with REVERT), 2 traps.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 4) "\04") ;; [0, 4) the input, [4, 8) its buffer length
  (func $run
    (call $input (i32.const 0) (i32.const 4))
    (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 1))
      (then (call $return (i32.const 1) (i32.const 0) (i32.const 0))))
    (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 2))
      (then unreachable)))
  (func (export "deploy") (call $run))
  (func (export "call") (call $run)))
