;; pc_delegate_call.wat — the behaviour of pallet-contracts' `delegate_call` fixture (CTest
;; contracts/fixtures; written for Bastion).  Input: a code hash (32 bytes, else a trap).  `call`
;; stores a 32-byte value whose first byte is 2 under the fixed key 01 00..00 and reads it back,
;; then delegate_calls the code hash (no flags, output skipped), traps unless that returned
;; Success, and traps unless the value under the key now starts with 1: the library's code ran
;; on this contract's storage.
;; Memory: [0, 32) the key, [32, 64) the first value, [64, 96) input, [96, 100) input size,
;; [100, 104) read buffer size, [104, 136) read buffer.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_get_storage" (func $get (param i32 i32 i32) (result i32)))
  (import "seal0" "seal_set_storage" (func $set (param i32 i32 i32)))
  (import "seal0" "delegate_call" (func $delegate (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "\01")
  (data (i32.const 32) "\02")
  (data (i32.const 96) "\20")
  (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
  ;; the first u32 of the value under the key
  (func $stored (result i32)
    (i32.store (i32.const 100) (i32.const 32))
    (call $assert (i32.eqz (call $get (i32.const 0) (i32.const 104) (i32.const 100))))
    (i32.load (i32.const 104)))
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 64) (i32.const 96))
    (call $assert (i32.eq (i32.load (i32.const 96)) (i32.const 32)))
    (call $set (i32.const 0) (i32.const 32) (i32.const 32))
    (call $assert (i32.eq (call $stored) (i32.const 2)))
    (call $assert (i32.eqz
      (call $delegate (i32.const 0) (i32.const 64) (i32.const 0) (i32.const 0)
                      (i32.const -1) (i32.const 0))))
    (call $assert (i32.eq (call $stored) (i32.const 1))))
)
