;; After pallet-contracts' `transfer_return_code` fixture (u64 balances): transfer 100 to the
;; zero account and return the ReturnCode (4 bytes LE) as the output.
(module
  (import "seal0" "seal_transfer" (func $transfer (param i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  ;; [0, 32) the zero account, [32, 40) the value 100, [40, 44) the ReturnCode
  (data (i32.const 32) "\64")
  (func (export "deploy"))
  (func (export "call")
    (i32.store (i32.const 40)
      (call $transfer (i32.const 0) (i32.const 32) (i32.const 32) (i32.const 8)))
    (call $return (i32.const 0) (i32.const 40) (i32.const 4))))
