;; pc_chain_extension_temp_storage.wat — the behaviour of pallet-contracts'
;; `chain_extension_temp_storage` fixture (CTest contracts/chain_ext; written for Bastion, not
;; copied): an extension's state lives as long as one contract execution.  Input: two func_ids
;; (u32 LE each) and a stop byte.  `call` calls the extension with each id (no input, output
;; skipped with the u32::MAX sentinel); when the stop byte is 0 it calls itself (seal_call with
;; ALLOW_REENTRY) with the ids (3 << 16 | 2) and (3 << 16 | 3) and the stop byte 1, and traps
;; unless that call succeeds.  The test's extension 3 checks: function 0 sets its state to 42,
;; 1 expects 42 (same execution), 2 expects a fresh state (a new execution) and sets 99, 3
;; expects 99.
;; Memory: [0, 4) input length, [4, 13) input, [16, 48) own address, [48, 52) its buffer size,
;; [512, 528) a zero value to transfer.
(module
  (import "seal0" "seal_call_chain_extension"
    (func $chain_ext (param i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_address" (func $address (param i32 i32)))
  (import "seal1" "seal_call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "\09")
  (data (i32.const 48) "\20")
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 4) (i32.const 0))
    (drop (call $chain_ext (i32.load (i32.const 4)) (i32.const 0) (i32.const 0)
                           (i32.const -1) (i32.const 0)))
    (drop (call $chain_ext (i32.load (i32.const 8)) (i32.const 0) (i32.const 0)
                           (i32.const -1) (i32.const 0)))
    (if (i32.eqz (i32.load8_u (i32.const 12)))
      (then
        (i32.store8 (i32.const 12) (i32.const 1))
        (call $address (i32.const 16) (i32.const 48))
        (i32.store (i32.const 4) (i32.const 196610)) ;; 3 << 16 | 2
        (i32.store (i32.const 8) (i32.const 196611)) ;; 3 << 16 | 3
        (if (call $call (i32.const 8) (i32.const 16) (i64.const 0) (i32.const 512)
                        (i32.const 4) (i32.load (i32.const 0)) (i32.const -1) (i32.const 0))
          (then unreachable)))))
)
