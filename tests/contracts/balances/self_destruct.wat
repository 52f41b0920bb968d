;; After pallet-contracts' `self_destruct` fixture: with an empty input the contract terminates
;; and leaves its balance to DJANGO (32 bytes of 0x04).  With a non-empty input it calls itself
;; with an empty one first: a contract on the call stack cannot be removed, so the inner call
;; traps, and then this one traps too (it asserts the call returned 0).
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_address" (func $address (param i32 i32)))
  (import "seal0" "seal_call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_terminate" (func $terminate (param i32 i32)))
  (import "env" "memory" (memory 1 1))
  ;; [0, 32) own address, [32, 36) its length, [36, 68) DJANGO, [68, 72) input,
  ;; [72, 76) input buffer length, [80, 88) a zero value
  (data (i32.const 32) "\20")
  (data (i32.const 36) "\04\04\04\04\04\04\04\04\04\04\04\04\04\04\04\04"
                       "\04\04\04\04\04\04\04\04\04\04\04\04\04\04\04\04")
  (data (i32.const 72) "\04")
  (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 68) (i32.const 72))
    (if (i32.load (i32.const 72))
      (then
        (call $address (i32.const 0) (i32.const 32))
        (call $assert
          (i32.eqz
            (call $call (i32.const 0) (i32.const 32) (i64.const 0) (i32.const 80) (i32.const 8)
                        (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 0)))))
      (else
        (call $terminate (i32.const 36) (i32.const 32))
        unreachable))))
