;; pc_sr25519_verify.wat — the behaviour of pallet-contracts' `sr25519_verify` fixture (CTest
;; contracts/fixtures; written for Bastion).  Input: signature (64) ++ public key (32) ++ an
;; 11-byte message; `call` verifies it with seal0 sr25519_verify and returns the ReturnCode as a
;; u32 (0 Success, 12 Sr25519VerifyFailed).
;; Memory: [0, 4) input size, [4, 111) input, [200, 204) the ReturnCode.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal0" "sr25519_verify" (func $verify (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "\6b")
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 4) (i32.const 0))
    (if (i32.ne (i32.load (i32.const 0)) (i32.const 107)) (then unreachable))
    (i32.store (i32.const 200)
      (call $verify (i32.const 4) (i32.const 68) (i32.const 11) (i32.const 100)))
    (call $return (i32.const 0) (i32.const 200) (i32.const 4)))
)
