;; gen_old.wat — older generations of the seal ABI (CTest contracts/generations): legacy
;; () -> i32 entry points whose i32 is a status, the 2021 and 2022 `__unstable__` storage
;; functions, seal1 random, the rent-era stubs, delegate dependencies and the pre-salt
;; seal0 seal_instantiate.  `call` reads its input at 300: byte 0 the operation, the rest its
;; argument (from 301).
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal0" "seal_get_storage" (func $get (param i32 i32 i32) (result i32)))
  (import "seal0" "seal_own_code_hash" (func $own (param i32 i32)))
  (import "__unstable__" "seal_set_storage" (func $uset0 (param i32 i32 i32) (result i32)))
  (import "__unstable__" "set_storage" (func $uset (param i32 i32 i32 i32) (result i32)))
  (import "__unstable__" "seal_get_storage" (func $uget (param i32 i32 i32 i32) (result i32)))
  (import "seal1" "seal_random" (func $random (param i32 i32 i32 i32)))
  (import "seal0" "seal_tombstone_deposit" (func $tomb (param i32 i32)))
  (import "seal0" "rent_allowance" (func $rent (param i32 i32)))
  (import "seal0" "seal_set_rent_allowance" (func $setrent (param i32 i32)))
  (import "seal0" "lock_delegate_dependency" (func $lock (param i32)))
  (import "seal0" "unlock_delegate_dependency" (func $unlock (param i32)))
  (import "seal0" "seal_instantiate"
    (func $inst (param i32 i32 i64 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_println" (func $println (param i32 i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 500) "old contract")

  (func $return_out (param $len i32)
    (call $ret (i32.const 0) (i32.const 200) (local.get $len)))

  (func (export "deploy") (result i32) (i32.const 0))

  (func (export "call") (result i32)
    (local $op i32)
    (i32.store (i32.const 100) (i32.const 64))
    (call $input (i32.const 300) (i32.const 100))
    (local.set $op (i32.load8_u (i32.const 300)))
    (i32.store (i32.const 100) (i32.const 64)) ;; the output buffer's size from here on
    ;; 0: a non-zero status is an error
    (if (i32.eqz (local.get $op)) (then (return (i32.const 1))))
    ;; 2: __unstable__ 2021 set (fixed key at 0, value 3 bytes of the input), read with seal0
    (if (i32.eq (local.get $op) (i32.const 2)) (then
      (drop (call $uset0 (i32.const 0) (i32.const 301) (i32.const 3)))
      (i32.store (i32.const 100) (i32.const 64))
      (drop (call $get (i32.const 0) (i32.const 200) (i32.const 100)))
      (call $return_out (i32.load (i32.const 100)))))
    ;; 3: seal1 random of the 2-byte subject at 301
    (if (i32.eq (local.get $op) (i32.const 3)) (then
      (call $random (i32.const 301) (i32.const 2) (i32.const 200) (i32.const 100))
      (call $return_out (i32.load (i32.const 100)))))
    ;; 4: tombstone deposit (16) ++ rent allowance (16); setting the allowance does nothing
    (if (i32.eq (local.get $op) (i32.const 4)) (then
      (call $setrent (i32.const 0) (i32.const 16))
      (call $tomb (i32.const 200) (i32.const 100))
      (i32.store (i32.const 100) (i32.const 16))
      (call $rent (i32.const 216) (i32.const 100))
      (call $return_out (i32.const 32))))
    ;; 5: lock this contract's own code (refused)
    (if (i32.eq (local.get $op) (i32.const 5)) (then
      (call $own (i32.const 200) (i32.const 100))
      (call $lock (i32.const 200))))
    ;; 6 / 7: lock / unlock the code hash at 301
    (if (i32.eq (local.get $op) (i32.const 6)) (then (call $lock (i32.const 301))))
    (if (i32.eq (local.get $op) (i32.const 7)) (then (call $unlock (i32.const 301))))
    ;; 8: __unstable__ 2022 set and get of the variable key at 301 (2 bytes), value 1 byte
    (if (i32.eq (local.get $op) (i32.const 8)) (then
      (drop (call $uset (i32.const 301) (i32.const 2) (i32.const 303) (i32.const 1)))
      (i32.store (i32.const 100) (i32.const 64))
      (drop (call $uget (i32.const 301) (i32.const 2) (i32.const 200) (i32.const 100)))
      (call $return_out (i32.load (i32.const 100)))))
    ;; 9: pre-salt instantiate of the code hash at 301, no value, empty input: rc ++ address
    (if (i32.eq (local.get $op) (i32.const 9)) (then
      (i32.store (i32.const 100) (i32.const 32))
      (i32.store (i32.const 196)
        (call $inst (i32.const 301) (i32.const 32) (i64.const 0) (i32.const 400) (i32.const 16)
                    (i32.const 333) (i32.const 0) (i32.const 200) (i32.const 100)
                    (i32.const -1) (i32.const 0)))
      (call $ret (i32.const 0) (i32.const 196) (i32.const 36))))
    ;; 10: println
    (if (i32.eq (local.get $op) (i32.const 10)) (then
      (call $println (i32.const 500) (i32.const 12))))
    (i32.const 0))
)
