;; pc_delegate_call_lib.wat — the library of pallet-contracts' `delegate_call` test (CTest
;; contracts/fixtures; written for Bastion): `call` stores its 32-byte key (01 00..00) as the
;; value under that key, in whichever contract's storage it runs on.
(module
  (import "seal0" "seal_set_storage" (func $set (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "\01")
  (func (export "deploy"))
  (func (export "call") (call $set (i32.const 0) (i32.const 0) (i32.const 32)))
)
