;; pc_set_code_hash.wat — the behaviour of pallet-contracts' `set_code_hash` fixture (CTest
;; contracts/fixtures; written for Bastion).  `call` sets the contract's code to the code hash
;; in its input, traps unless that answered Success, and returns the u32 1: the running code
;; goes on, the next call runs the new code (pc_new_set_code_hash, which returns 2).
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal0" "seal_set_code_hash" (func $set_code_hash (param i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 32) "\20")
  (data (i32.const 36) "\01")
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 0) (i32.const 32))
    (if (call $set_code_hash (i32.const 0)) (then unreachable))
    (call $return (i32.const 0) (i32.const 36) (i32.const 4)))
)
