;; After pallet-contracts' `destroy_and_transfer` fixture (u64 balances).  deploy: the input is
;; the code hash of self_destruct.wat; instantiate it with 32768 of value and salt 0x4711 and
;; keep its address in storage.  call: call it with a one-byte input (it tries to remove itself
;; while live: CalleeTrapped, 1), then with an empty one (it terminates: 0), then once more
;; with value: it is gone, so the address is no contract any more (NotCallable, 8).  Any other
;; answer traps.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_get_storage" (func $get (param i32 i32 i32) (result i32)))
  (import "seal0" "seal_set_storage" (func $set (param i32 i32 i32)))
  (import "seal0" "seal_call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_instantiate"
    (func $instantiate (param i32 i32 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  ;; [0, 8) endowment 32768, [8, 16) value for the last call (1000), [16, 48) storage key (0),
  ;; [48, 80) input, [80, 112) the callee's address, [112, 116) its buffer length,
  ;; [116, 120) input buffer length, [120, 122) salt
  (data (i32.const 0) "\00\80")
  (data (i32.const 8) "\e8\03")
  (data (i32.const 112) "\20")
  (data (i32.const 116) "\20")
  (data (i32.const 120) "\47\11")
  (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
  (func $call_callee (param $value i32) (param $len i32) (result i32)
    (call $call (i32.const 80) (i32.const 32) (i64.const 0) (local.get $value) (i32.const 8)
                (i32.const 48) (local.get $len) (i32.const -1) (i32.const 0)))
  (func (export "deploy")
    (call $input (i32.const 48) (i32.const 116))
    (call $assert (i32.eq (i32.load (i32.const 116)) (i32.const 32)))
    (call $assert
      (i32.eqz
        (call $instantiate
          (i32.const 48) (i32.const 32) (i64.const 0) (i32.const 0) (i32.const 8)
          (i32.const 0) (i32.const 0) (i32.const 80) (i32.const 112) (i32.const -1) (i32.const 0)
          (i32.const 120) (i32.const 2))))
    (call $assert (i32.eq (i32.load (i32.const 112)) (i32.const 32)))
    (call $set (i32.const 16) (i32.const 80) (i32.const 32)))
  (func (export "call")
    (call $assert (i32.eqz (call $get (i32.const 16) (i32.const 80) (i32.const 112))))
    (call $assert (i32.eq (i32.load (i32.const 112)) (i32.const 32)))
    (call $assert (i32.eq (call $call_callee (i32.const 16) (i32.const 1)) (i32.const 1)))
    (call $assert (i32.eqz (call $call_callee (i32.const 16) (i32.const 0))))
    (call $assert (i32.eq (call $call_callee (i32.const 8) (i32.const 1)) (i32.const 8)))))
