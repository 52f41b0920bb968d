;; pc_call_runtime.wat — runtime dispatch from a contract, after pallet-contracts'
;; `call_runtime` and `dispatch_call_then_trap` fixtures (CTest contracts/chain_ext; written
;; for Bastion).  Input: an operation byte, then the message.  Operations:
;;   0  call_runtime(message), return its ReturnCode (u32 LE)
;;   1  call_runtime(message), then trap: whatever the call did must be rolled back
;;   2  xcm_execute(message), return its ReturnCode
;;   3  xcm_send(destination at 600, message), return its ReturnCode ++ the 32-byte XcmHash
;;   4  __unstable__ call_runtime (its 2022 name), return its ReturnCode
;; Memory: [0, 4) input length, [8, ...) input, [400, 404) ReturnCode, [404, 436) XcmHash,
;; [600, 603) a destination: VersionedLocation V3 { parents: 1, interior: Here }.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal0" "call_runtime" (func $call_runtime (param i32 i32) (result i32)))
  (import "__unstable__" "call_runtime" (func $call_runtime_v0 (param i32 i32) (result i32)))
  (import "seal0" "xcm_execute" (func $xcm_execute (param i32 i32) (result i32)))
  (import "seal0" "xcm_send" (func $xcm_send (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "\00\01")
  (data (i32.const 600) "\03\01\00")
  (func (export "deploy"))
  (func (export "call")
    (local $op i32)
    (local $len i32)
    (call $input (i32.const 8) (i32.const 0))
    (local.set $op (i32.load8_u (i32.const 8)))
    (local.set $len (i32.sub (i32.load (i32.const 0)) (i32.const 1)))
    (if (i32.eq (local.get $op) (i32.const 1))
      (then
        (drop (call $call_runtime (i32.const 9) (local.get $len)))
        unreachable))
    (if (i32.eq (local.get $op) (i32.const 3))
      (then
        (i32.store (i32.const 400)
          (call $xcm_send (i32.const 600) (i32.const 9) (local.get $len) (i32.const 404)))
        (call $return (i32.const 0) (i32.const 400) (i32.const 36))))
    (i32.store (i32.const 400)
      (if (result i32) (i32.eqz (local.get $op))
        (then (call $call_runtime (i32.const 9) (local.get $len)))
        (else (if (result i32) (i32.eq (local.get $op) (i32.const 2))
          (then (call $xcm_execute (i32.const 9) (local.get $len)))
          (else (call $call_runtime_v0 (i32.const 9) (local.get $len)))))))
    (call $return (i32.const 0) (i32.const 400) (i32.const 4)))
)
