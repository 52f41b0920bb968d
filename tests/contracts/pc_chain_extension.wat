;; pc_chain_extension.wat — the behaviour pallet-contracts' `chain_extension` fixture checks
;; (CTest contracts/chain_ext; written for Bastion from the pallet's description, not copied).
;; `call` hands its whole input to seal0 call_chain_extension: the first 4 bytes (u32 LE) are
;; the func_id (extension id << 16 | function id), the input buffer is the whole input, the
;; output buffer is [16, 48).  It traps unless the extension's return value equals that func_id
;; (the test extension converges with the id), then returns the output buffer.
;; Memory: [0, 4) input length, [4, 12) input (at most 8 bytes), [12, 16) output buffer size,
;; [16, 48) output.  The test extension's function 1 records the raw arguments, which are
;; therefore (input_ptr 4, input_len 4, output_ptr 16, output_len_ptr 12) for a 4-byte input.
(module
  (import "seal0" "call_chain_extension"
    (func $chain_ext (param i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "\08")
  (data (i32.const 12) "\20")
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 4) (i32.const 0))
    (if (i32.ne
          (call $chain_ext (i32.load (i32.const 4)) (i32.const 4) (i32.load (i32.const 0))
                           (i32.const 16) (i32.const 12))
          (i32.load (i32.const 4)))
      (then unreachable))
    (call $return (i32.const 0) (i32.const 16) (i32.load (i32.const 12))))
)
