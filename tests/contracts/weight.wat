;; weight.wat — Weight v2 (ref_time and proof_size) as a contract sees it; test_contracts.c's
;; `weight` group drives it.  `deploy` stores a 4-byte value under key "s" and an 8,192-byte one
;; under key "b".  `call` does what input[0] selects:
;;   1 get_storage "s"                     2 get_storage "b"
;;   3 return seal1 gas_left (a SCALE Weight: compact ref_time, compact proof_size)
;;   4 return seal1 weight_to_fee(input[1..9), input[9..17)) ++ seal0 weight_to_fee(input[1..9))
;;   5 seal2 call of input[1..33) with ref_time input[33..41), proof_size input[41..49) and
;;     input input[49..); return rc (4 bytes) ++ the callee's output
;;   6 set_storage "w" := 4 bytes, then get_storage "b"
;;   7 seal2 instantiate code input[1..33) with ref_time input[33..41), proof_size
;;     input[41..49), no input, salt input[49..); return rc (4 bytes)
;;   8 return seal0 gas_left (u64)
;; Memory: 0 input length, 16.. input, 4092 a length kept, 8188 output length, 8192.. output,
;; 16384.. values.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal1" "get_storage" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "seal2" "set_storage" (func $set (param i32 i32 i32 i32) (result i32)))
  (import "seal0" "gas_left" (func $gas_left0 (param i32 i32)))
  (import "seal1" "gas_left" (func $gas_left1 (param i32 i32)))
  (import "seal0" "weight_to_fee" (func $fee0 (param i64 i32 i32)))
  (import "seal1" "weight_to_fee" (func $fee1 (param i64 i64 i32 i32)))
  (import "seal2" "call" (func $call (param i32 i32 i64 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal2" "instantiate"
    (func $inst (param i32 i64 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 4000) "sbw")
  (func (export "deploy")
    (drop (call $set (i32.const 4000) (i32.const 1) (i32.const 16384) (i32.const 4)))
    (drop (call $set (i32.const 4001) (i32.const 1) (i32.const 16384) (i32.const 8192))))
  ;; get_storage of the 1-byte key at $key into 16384 (room for 32 KiB)
  (func $read (param $key i32)
    (i32.store (i32.const 8184) (i32.const 32768))
    (drop (call $get (local.get $key) (i32.const 1) (i32.const 16384) (i32.const 8184))))
  ;; returns the output buffer's first $len bytes
  (func $out (param $len i32)
    (call $ret (i32.const 0) (i32.const 8192) (local.get $len)))
  (func (export "call") (local $mode i32)
    (i32.store (i32.const 0) (i32.const 3000))
    (call $input (i32.const 16) (i32.const 0))
    (local.set $mode (i32.load8_u (i32.const 16)))
    (i32.store (i32.const 8188) (i32.const 1024))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (call $read (i32.const 4000))))
    (if (i32.eq (local.get $mode) (i32.const 2)) (then (call $read (i32.const 4001))))
    (if (i32.eq (local.get $mode) (i32.const 3)) (then
      (call $gas_left1 (i32.const 8192) (i32.const 8188))
      (call $out (i32.load (i32.const 8188)))))
    (if (i32.eq (local.get $mode) (i32.const 4)) (then
      ;; each balance as long as the host writes it (16 bytes, or 8 with u64 balances)
      (call $fee1 (i64.load (i32.const 17)) (i64.load (i32.const 25)) (i32.const 8192)
                  (i32.const 8188))
      (i32.store (i32.const 4092) (i32.load (i32.const 8188)))
      (i32.store (i32.const 8188) (i32.const 16))
      (call $fee0 (i64.load (i32.const 17)) (i32.add (i32.const 8192) (i32.load (i32.const 4092)))
                  (i32.const 8188))
      (call $out (i32.add (i32.load (i32.const 4092)) (i32.load (i32.const 8188))))))
    (if (i32.eq (local.get $mode) (i32.const 5)) (then
      (i32.store (i32.const 8188) (i32.const 1020))
      (i32.store (i32.const 8192)
        (call $call (i32.const 0) (i32.const 17) (i64.load (i32.const 49)) (i64.load (i32.const 57))
                    (i32.const -1) (i32.const 16384) (i32.const 65)
                    (i32.sub (i32.load (i32.const 0)) (i32.const 49))
                    (i32.const 8196) (i32.const 8188)))
      ;; the output length is 0 unless the callee returned
      (if (i32.gt_u (i32.load (i32.const 8192)) (i32.const 0))
        (then (i32.store (i32.const 8188) (i32.const 0))))
      (call $out (i32.add (i32.const 4) (i32.load (i32.const 8188))))))
    (if (i32.eq (local.get $mode) (i32.const 6)) (then
      (drop (call $set (i32.const 4002) (i32.const 1) (i32.const 16384) (i32.const 4)))
      (call $read (i32.const 4001))))
    (if (i32.eq (local.get $mode) (i32.const 7)) (then
      (i32.store (i32.const 8192)
        (call $inst (i32.const 17) (i64.load (i32.const 49)) (i64.load (i32.const 57))
                    (i32.const -1) (i32.const 16384) (i32.const 0) (i32.const 0)
                    (i32.const -1) (i32.const 0) (i32.const -1) (i32.const 0)
                    (i32.const 65) (i32.sub (i32.load (i32.const 0)) (i32.const 49))))
      (call $out (i32.const 4))))
    (if (i32.eq (local.get $mode) (i32.const 8)) (then
      (i32.store (i32.const 8188) (i32.const 8))
      (call $gas_left0 (i32.const 8192) (i32.const 8188))
      (call $out (i32.const 8)))))
)
