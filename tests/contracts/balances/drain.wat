;; After pallet-contracts' `drain` fixture (u64 balances): the contract tries to send its whole
;; free balance away.  A contract keeps its account alive, so the transfer must fail with
;; TransferFailed (5); anything else traps.  Also checks that seal_balance writes 8 bytes.
(module
  (import "seal0" "seal_balance" (func $balance (param i32 i32)))
  (import "seal0" "seal_transfer" (func $transfer (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  ;; [0, 8) the balance, [8, 12) its buffer length, [16, 48) the zero account
  (data (i32.const 8) "\10")
  (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
  (func (export "deploy"))
  (func (export "call")
    (call $balance (i32.const 0) (i32.const 8))
    (call $assert (i32.eq (i32.load (i32.const 8)) (i32.const 8)))
    (call $assert
      (i32.eq
        (call $transfer (i32.const 16) (i32.const 32) (i32.const 0) (i32.const 8))
        (i32.const 5)))))
