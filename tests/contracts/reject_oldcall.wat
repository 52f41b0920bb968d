;; rejected at upload: seal0.seal_call without its gas parameter (pallet-contracts' seal0 call
;; takes callee, callee_len, gas: u64, value, value_len, input, input_len, output, output_len)
(module
  (import "seal0" "seal_call" (func (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 16))
  (func (export "deploy"))
  (func (export "call")))
