;; Storage for the deposit tests (u64 balances).  Input: op (1 byte), key byte, length, pad;
;;   op 0: store `length` bytes under the fixed key of 32 `key byte`s (seal1 set_storage);
;;   op 1: clear that key (seal0 clear_storage);
;;   op 2: terminate, leaving the balance to 32 bytes of 0x09;
;;   op 3: bytes [4, 36) a callee, [36, 44) a storage deposit limit (u64), [44, 47) the
;;         callee's input: seal2 call with that limit; the ReturnCode is the output.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal1" "set_storage" (func $set (param i32 i32 i32) (result i32)))
  (import "seal0" "seal_clear_storage" (func $clear (param i32)))
  (import "seal1" "terminate" (func $terminate (param i32)))
  (import "seal2" "call"
    (func $call (param i32 i32 i64 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  ;; [0, 64) input, [64, 68) its buffer length, [100, 132) the key, [200, 232) beneficiary,
  ;; [240, 248) zero value, [248, 252) ReturnCode, [1024, ...) the stored bytes (zeros)
  (data (i32.const 64) "\40")
  (data (i32.const 200) "\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09"
                        "\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09")
  (func $key (local $i i32)
    (loop $fill
      (i32.store8 (i32.add (i32.const 100) (local.get $i)) (i32.load8_u (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 32)))))
  (func (export "deploy"))
  (func (export "call") (local $op i32)
    (call $input (i32.const 0) (i32.const 64))
    (local.set $op (i32.load8_u (i32.const 0)))
    (call $key)
    (if (i32.eqz (local.get $op))
      (then (drop (call $set (i32.const 100) (i32.const 1024) (i32.load8_u (i32.const 2))))))
    (if (i32.eq (local.get $op) (i32.const 1)) (then (call $clear (i32.const 100))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then (call $terminate (i32.const 200))))
    (if (i32.eq (local.get $op) (i32.const 3))
      (then
        (i32.store (i32.const 248)
          (call $call (i32.const 0) (i32.const 4) (i64.const 0) (i64.const 0) (i32.const 36)
                      (i32.const 240) (i32.const 44) (i32.const 3) (i32.const -1) (i32.const 0)))
        (call $return (i32.const 0) (i32.const 248) (i32.const 4))))))
