;; After pallet-contracts' `return_with_data` fixture: `deploy` and `call` return their input
;; after its first 4 bytes, with those 4 bytes (u32 LE) as the return flags (1: REVERT).
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "\00\01") ;; [0, 4) the input buffer length (256), [8, 264) the input
  (func $run
    (call $input (i32.const 8) (i32.const 0))
    (call $return (i32.load (i32.const 8)) (i32.const 12)
                  (i32.sub (i32.load (i32.const 0)) (i32.const 4))))
  (func (export "deploy") (call $run))
  (func (export "call") (call $run)))
