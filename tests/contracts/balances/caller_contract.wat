;; After pallet-contracts' `caller_contract` fixture (u64 balances).  The input is the code hash
;; of return_with_data.wat.  The contract instantiates it with 32768 of value: a constructor
;; that reverts (CalleeReverted, 2), too little gas (CalleeTrapped, 1), then successfully (0,
;; the output and a 32-byte address written); then it calls the new contract: a revert (2), too
;; little gas (1), a success (0) whose output is what was sent.  Any other answer traps.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal1" "instantiate"
    (func $instantiate (param i32 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal1" "call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  ;; [0, 8) value 32768, [8, 16) revert input (flags 1, data 01 02 03 04),
  ;; [16, 24) success input (flags 0, data 01 02 03 04), [32, 64) code hash, [64, 68) its
  ;; buffer length, [80, 112) the new address, [112, 116) its buffer length, [128, 160) output,
  ;; [160, 164) its buffer length
  (data (i32.const 0) "\00\80")
  (data (i32.const 8) "\01\00\00\00\01\02\03\04")
  (data (i32.const 16) "\00\00\00\00\01\02\03\04")
  (data (i32.const 64) "\20")
  (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
  (func $new (param $in i32) (param $gas i64) (result i32)
    (i32.store (i32.const 112) (i32.const 32))
    (i32.store (i32.const 160) (i32.const 32))
    (call $instantiate (i32.const 32) (local.get $gas) (i32.const 0) (local.get $in) (i32.const 8)
                       (i32.const 80) (i32.const 112) (i32.const 128) (i32.const 160)
                       (i32.const 0) (i32.const 0)))
  (func $call_new (param $in i32) (param $gas i64) (result i32)
    (i32.store (i32.const 160) (i32.const 32))
    (call $call (i32.const 0) (i32.const 80) (local.get $gas) (i32.const 0) (local.get $in)
                (i32.const 8) (i32.const 128) (i32.const 160)))
  (func $output_is_data
    (call $assert (i32.eq (i32.load (i32.const 160)) (i32.const 4)))
    (call $assert (i32.eq (i32.load (i32.const 128)) (i32.const 0x04030201))))
  (func (export "deploy"))
  (func (export "call")
    (call $input (i32.const 32) (i32.const 64))
    (call $assert (i32.eq (i32.load (i32.const 64)) (i32.const 32)))
    (call $assert (i32.eq (call $new (i32.const 8) (i64.const 0)) (i32.const 2)))
    (call $assert (i32.eq (call $new (i32.const 16) (i64.const 1)) (i32.const 1)))
    (call $assert (i32.eqz (call $new (i32.const 16) (i64.const 0))))
    (call $assert (i32.eq (i32.load (i32.const 112)) (i32.const 32)))
    (call $output_is_data)
    (call $assert (i32.eq (call $call_new (i32.const 8) (i64.const 0)) (i32.const 2)))
    (call $assert (i32.eq (call $call_new (i32.const 16) (i64.const 1)) (i32.const 1)))
    (call $assert (i32.eqz (call $call_new (i32.const 16) (i64.const 0))))
    (call $output_is_data)))
