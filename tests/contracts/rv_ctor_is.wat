;; deploy: is_contract(own address) and code_hash(own address)'s rc, returned as 2 x 4 bytes.
;; pallet-contracts writes the contract's info when its constructor has returned: 0 and
;; KeyNotFound (3) while it runs.  call: the same (1 and 0 then).
(module
  (import "seal0" "seal_address" (func $addr (param i32 i32)))
  (import "seal0" "is_contract" (func $isc (param i32) (result i32)))
  (import "seal0" "code_hash" (func $ch (param i32 i32 i32) (result i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (func $probe
    (i32.store (i32.const 40) (i32.const 32))
    (call $addr (i32.const 0) (i32.const 40))
    (i32.store (i32.const 44) (i32.const 32))
    (i32.store (i32.const 300) (call $isc (i32.const 0)))
    (i32.store (i32.const 304) (call $ch (i32.const 0) (i32.const 100) (i32.const 44)))
    (call $ret (i32.const 0) (i32.const 300) (i32.const 8)))
  (func (export "deploy") (call $probe))
  (func (export "call") (call $probe)))
