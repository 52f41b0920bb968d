;; After pallet-contracts' `call_return_code` fixture (u64 balances): the input is a callee
;; address (32 bytes) and the callee's input (4 bytes); the contract calls the callee with 100
;; of value and returns the call's ReturnCode (4 bytes LE) as the output.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  ;; [0, 36) the input, [36, 40) its buffer length, [40, 48) the value 100, [48, 52) the code
  (data (i32.const 36) "\24")
  (data (i32.const 40) "\64")
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 0) (i32.const 36))
    (i32.store (i32.const 48)
      (call $call
        (i32.const 0) (i32.const 32)    ;; callee
        (i64.const 0)                   ;; all the gas left
        (i32.const 40) (i32.const 8)    ;; value
        (i32.const 32)                  ;; the callee's input: what follows the address
        (i32.sub (i32.load (i32.const 36)) (i32.const 32))
        (i32.const -1) (i32.const 0)))  ;; no output
    (call $return (i32.const 0) (i32.const 48) (i32.const 4))))
