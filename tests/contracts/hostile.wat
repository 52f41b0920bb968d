;; hostile.wat — a hand-written pallet-contracts contract whose `call` misbehaves in the way the
;; first input byte selects (tests/contracts/test_contracts.c drives it):
;;   0 write k:=1 then loop forever        1 seal_input to an out-of-bounds buffer
;;   2 unbounded recursion                 3 set_storage with a 20,000-byte value
;;   4 storage bomb: new keys until gas runs out
;;   5 call itself (reentrancy)            6 call input[1..33) with mode input[33]; k:=6; return
;;     rc ++ output length ++ the output's first 4 bytes (a 16-byte output buffer)
;;   7 write c:=7 then trap (unreachable)  8 write k:=2, return normally
;;   9 write k:=3, return "no" with REVERT 10 get_storage into a 1-byte buffer
;;  11 out_len_ptr out of bounds          12 deposit_event with 5 topics
;;  13 return blake2_256("abc")           14 deposit_event(2 topics, "hi"), return
;;  15 return value_transferred ++ balance ++ caller
;;  16 instantiate code input[1..33) with input input[33..) and salt "s"; return rc ++ address
;;  17 terminate, beneficiary input[1..33)
;;  18 sr25519_verify(sig input[1..65), key input[65..97), message input[97..)); return rc
;;  19 ecdsa_recover(sig input[1..66), hash input[66..98)); return rc ++ key (33)
;;  20 call input[1..33) with input input[33..) and a gas limit of 1,000,000; return rc
;;  21 event bomb: 16 KiB events until something stops it
;;  22 delegate_call code input[1..33) with input input[33..); return as mode 6
;;  23 set_code_hash(input[1..33)); return rc
;;  24 seal0.seal_call (9 parameters, reentry allowed) of input[1..33) with input[33..); return rc
;;  25 seal1 call of input[1..33) with FORWARD_INPUT, then seal_input again (InputForwarded)
;;  26 seal1 call of input[1..33) with READ_ONLY and input input[33..); return rc
;; (mode 6 forwards input[33..) as the callee's input, so calls can be chained)
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "seal1" "get_storage" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "seal2" "set_storage" (func $set (param i32 i32 i32 i32) (result i32)))
  (import "seal1" "call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "address" (func $address (param i32 i32)))
  (import "seal0" "deposit_event" (func $event (param i32 i32 i32 i32)))
  (import "seal0" "hash_blake2_256" (func $blake (param i32 i32 i32)))
  (import "seal0" "value_transferred" (func $value (param i32 i32)))
  (import "seal0" "balance" (func $balance (param i32 i32)))
  (import "seal0" "caller" (func $caller (param i32 i32)))
  (import "seal1" "instantiate" (func $inst (param i32 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal1" "terminate" (func $term (param i32)))
  (import "seal0" "sr25519_verify" (func $srv (param i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_ecdsa_recover" (func $ecr (param i32 i32 i32) (result i32)))
  (import "seal0" "delegate_call" (func $dcall (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_set_code_hash" (func $setch (param i32) (result i32)))
  (import "seal0" "seal_call" (func $call0 (param i32 i32 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 16))
  (data (i32.const 512) "kcr")
  (data (i32.const 950) "no")
  (data (i32.const 960) "abc")
  (data (i32.const 970) "hi")
  (data (i32.const 980) "s")

  (func $rec (param i32) (result i32)
    (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))

  (func $put (param $key i32) (param $v i32)
    (i32.store (i32.const 600) (local.get $v))
    (drop (call $set (local.get $key) (i32.const 1) (i32.const 600) (i32.const 4))))

  (func (export "deploy"))

  (func (export "call")
    (local $mode i32) (local $i i32) (local $rc i32)
    (i32.store (i32.const 256) (i32.const 256))
    (call $input (i32.const 0) (i32.const 256))
    (local.set $mode (i32.load8_u (i32.const 0)))
    (if (i32.eq (local.get $mode) (i32.const 0)) (then
      (call $put (i32.const 512) (i32.const 1))
      (loop $l (br $l))))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then
      (i32.store (i32.const 256) (i32.const 256))
      (call $input (i32.const 0xfffffff0) (i32.const 256))))
    (if (i32.eq (local.get $mode) (i32.const 2)) (then
      (drop (call $rec (i32.const 0)))))
    (if (i32.eq (local.get $mode) (i32.const 3)) (then
      (drop (call $set (i32.const 512) (i32.const 1) (i32.const 2000) (i32.const 20000)))))
    (if (i32.eq (local.get $mode) (i32.const 4)) (then
      (loop $l
        (i32.store (i32.const 520) (local.get $i))
        (drop (call $set (i32.const 520) (i32.const 4) (i32.const 2000) (i32.const 1024)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))
    (if (i32.eq (local.get $mode) (i32.const 5)) (then
      (i32.store (i32.const 732) (i32.const 32))
      (call $address (i32.const 700) (i32.const 732))
      (i32.store8 (i32.const 900) (i32.const 8))
      (drop (call $call (i32.const 0) (i32.const 700) (i64.const 0) (i32.const 800)
                        (i32.const 900) (i32.const 1) (i32.const -1) (i32.const 0)))))
    (if (i32.eq (local.get $mode) (i32.const 6)) (then
      (call $put (i32.const 512) (i32.const 6))
      (i32.store (i32.const 1196) (i32.const 16))
      (local.set $rc (call $call (i32.const 0) (i32.const 1) (i64.const 0) (i32.const 800)
                                 (i32.const 33) (i32.sub (i32.load (i32.const 256)) (i32.const 33))
                                 (i32.const 1200) (i32.const 1196)))
      (call $put (i32.const 514) (local.get $rc))
      (i32.store (i32.const 1000) (local.get $rc))
      (i32.store (i32.const 1004) (i32.load (i32.const 1196)))
      (i32.store (i32.const 1008) (i32.load (i32.const 1200)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 12))))
    (if (i32.eq (local.get $mode) (i32.const 7)) (then
      (call $put (i32.const 513) (i32.const 7))
      (unreachable)))
    (if (i32.eq (local.get $mode) (i32.const 8)) (then
      (call $put (i32.const 512) (i32.const 2))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 9)) (then
      (call $put (i32.const 512) (i32.const 3))
      (call $ret (i32.const 1) (i32.const 950) (i32.const 2))))
    (if (i32.eq (local.get $mode) (i32.const 10)) (then
      (i32.store (i32.const 1100) (i32.const 1))
      (drop (call $get (i32.const 512) (i32.const 1) (i32.const 1000) (i32.const 1100)))))
    (if (i32.eq (local.get $mode) (i32.const 11)) (then
      (call $input (i32.const 0) (i32.const 0x7ffffffe))))
    (if (i32.eq (local.get $mode) (i32.const 12)) (then
      (i32.store8 (i32.const 3000) (i32.const 0x14))
      (call $event (i32.const 3000) (i32.const 161) (i32.const 970) (i32.const 2))))
    (if (i32.eq (local.get $mode) (i32.const 13)) (then
      (call $blake (i32.const 960) (i32.const 3) (i32.const 1000))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 32))))
    (if (i32.eq (local.get $mode) (i32.const 14)) (then
      ;; Vec<[u8;32]> of two topics: 0x08, then 0x11 x 32, then 0x22 x 32
      (i32.store8 (i32.const 3000) (i32.const 0x08))
      (memory.fill (i32.const 3001) (i32.const 0x11) (i32.const 32))
      (memory.fill (i32.const 3033) (i32.const 0x22) (i32.const 32))
      (call $event (i32.const 3000) (i32.const 65) (i32.const 970) (i32.const 2))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 15)) (then
      (i32.store (i32.const 1100) (i32.const 16))
      (call $value (i32.const 1000) (i32.const 1100))
      (i32.store (i32.const 1100) (i32.const 16))
      (call $balance (i32.const 1016) (i32.const 1100))
      (i32.store (i32.const 1100) (i32.const 32))
      (call $caller (i32.const 1032) (i32.const 1100))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 64))))
    (if (i32.eq (local.get $mode) (i32.const 16)) (then
      (i32.store (i32.const 1100) (i32.const 32))
      (i32.store (i32.const 1104) (i32.const 0))
      (local.set $rc (call $inst (i32.const 1) (i64.const 0) (i32.const 800) (i32.const 33)
                                 (i32.sub (i32.load (i32.const 256)) (i32.const 33))
                                 (i32.const 1004) (i32.const 1100) (i32.const -1) (i32.const 1104)
                                 (i32.const 980) (i32.const 1)))
      (i32.store (i32.const 1000) (local.get $rc))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 36))))
    (if (i32.eq (local.get $mode) (i32.const 17)) (then
      (call $term (i32.const 1))))
    (if (i32.eq (local.get $mode) (i32.const 18)) (then
      (i32.store (i32.const 1000)
        (call $srv (i32.const 1) (i32.const 65) (i32.sub (i32.load (i32.const 256)) (i32.const 97))
                   (i32.const 97)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 4))))
    (if (i32.eq (local.get $mode) (i32.const 19)) (then
      (i32.store (i32.const 1000) (call $ecr (i32.const 1) (i32.const 66) (i32.const 1004)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 37))))
    (if (i32.eq (local.get $mode) (i32.const 20)) (then
      (i32.store (i32.const 1000)
        (call $call (i32.const 0) (i32.const 1) (i64.const 1000000) (i32.const 800)
                    (i32.const 33) (i32.sub (i32.load (i32.const 256)) (i32.const 33))
                    (i32.const -1) (i32.const 0)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 4))))
    (if (i32.eq (local.get $mode) (i32.const 21)) (then
      (loop $l
        (call $event (i32.const 3000) (i32.const 1) (i32.const 2000) (i32.const 16384))
        (br $l))))
    (if (i32.eq (local.get $mode) (i32.const 22)) (then
      (i32.store (i32.const 1196) (i32.const 16))
      (i32.store (i32.const 1000)
        (call $dcall (i32.const 0) (i32.const 1) (i32.const 33)
                     (i32.sub (i32.load (i32.const 256)) (i32.const 33))
                     (i32.const 1200) (i32.const 1196)))
      (i32.store (i32.const 1004) (i32.load (i32.const 1196)))
      (i32.store (i32.const 1008) (i32.load (i32.const 1200)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 12))))
    (if (i32.eq (local.get $mode) (i32.const 23)) (then
      (i32.store (i32.const 1000) (call $setch (i32.const 1)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 4))))
    (if (i32.eq (local.get $mode) (i32.const 24)) (then
      (i32.store (i32.const 1000)
        (call $call0 (i32.const 1) (i32.const 32) (i64.const 0) (i32.const 800) (i32.const 16)
                     (i32.const 33) (i32.sub (i32.load (i32.const 256)) (i32.const 33))
                     (i32.const -1) (i32.const 0)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 4))))
    (if (i32.eq (local.get $mode) (i32.const 25)) (then
      (drop (call $call (i32.const 1) (i32.const 1) (i64.const 0) (i32.const 800)
                        (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 0)))
      (i32.store (i32.const 256) (i32.const 256))
      (call $input (i32.const 0) (i32.const 256))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 26)) (then
      (i32.store (i32.const 1000)
        (call $call (i32.const 16) (i32.const 1) (i64.const 0) (i32.const 800)
                    (i32.const 33) (i32.sub (i32.load (i32.const 256)) (i32.const 33))
                    (i32.const -1) (i32.const 0)))
      (call $ret (i32.const 0) (i32.const 1000) (i32.const 4))))
    (unreachable))
)
