;; rc2_factory.wat — an ink! 3.0-rc2-shaped contract (see rc2_counter.wat) that instantiates
;; another by code hash with the pre-salt seal0 `seal_instantiate` (11 parameters) and calls it
;; with the 2020 seal0 `seal_call` (9 parameters) (CTest contracts/cli_rc2).
;;   deploy new(code_hash: [u8; 32])   (9b ae 9d 5e) keeps the code hash under key 00..00
;;   call spawn(init: u32)             (0a 0a 0a 01) instantiates that code with new(init),
;;                                     keeps the address under key 01 00..00, returns it
;;   call child_get()                  (0a 0a 0a 02) returns what the child's get() returns
;;   call child_inc(by: u32)           (0a 0a 0a 03) calls the child's inc(by)
;; A failed instantiate or call answers its ReturnCode as the error status; another selector
;; answers 1.
;; Memory: [0, 4) input size, [4, 68) input, [128, 160) key 0, [160, 192) key 1, [192, 224) the
;; code hash, [224, 256) the child's address, [256, 260) a buffer size, [300, 316) a zero
;; value, [320, 328) the child's input, [400, 404) / [404, 436) the child's output size / output.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal0" "seal_get_storage" (func $get (param i32 i32 i32) (result i32)))
  (import "seal0" "seal_set_storage" (func $set (param i32 i32 i32)))
  (import "seal0" "seal_instantiate"
    (func $instantiate (param i32 i32 i64 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_call"
    (func $call (param i32 i32 i64 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 16))
  (data (i32.const 160) "\01")
  (func $selector (result i32)
    (i32.store (i32.const 0) (i32.const 64))
    (call $input (i32.const 4) (i32.const 0))
    (if (result i32) (i32.lt_u (i32.load (i32.const 0)) (i32.const 4))
      (then (i32.const 0))
      (else (i32.or (i32.or (i32.shl (i32.load8_u (i32.const 4)) (i32.const 24))
                            (i32.shl (i32.load8_u (i32.const 5)) (i32.const 16)))
                    (i32.or (i32.shl (i32.load8_u (i32.const 6)) (i32.const 8))
                            (i32.load8_u (i32.const 7)))))))
  ;; reads 32 bytes stored under the key at $key to $out
  (func $load32 (param $key i32) (param $out i32)
    (i32.store (i32.const 256) (i32.const 32))
    (drop (call $get (local.get $key) (local.get $out) (i32.const 256))))
  ;; calls the child with the input [320, 320 + len); its ReturnCode
  (func $call_child (param $len i32) (result i32)
    (call $load32 (i32.const 160) (i32.const 224))
    (i32.store (i32.const 400) (i32.const 32))
    (call $call (i32.const 224) (i32.const 32) (i64.const 0) (i32.const 300) (i32.const 16)
                (i32.const 320) (local.get $len) (i32.const 404) (i32.const 400)))
  (func (export "deploy") (result i32)
    (if (i32.ne (call $selector) (i32.const 0x9bae9d5e)) (then (return (i32.const 1))))
    (call $set (i32.const 128) (i32.const 8) (i32.const 32))
    (i32.const 0))
  (func (export "call") (result i32)
    (local $sel i32)
    (local $rc i32)
    (local.set $sel (call $selector))
    ;; spawn(init): the child's input is new(init)
    (if (i32.eq (local.get $sel) (i32.const 0x0a0a0a01))
      (then
        (call $load32 (i32.const 128) (i32.const 192))
        (i32.store (i32.const 320) (i32.const 0x5e9dae9b))
        (i32.store (i32.const 324) (i32.load (i32.const 8)))
        (i32.store (i32.const 256) (i32.const 32))
        (i32.store (i32.const 400) (i32.const 32))
        (local.set $rc
          (call $instantiate (i32.const 192) (i32.const 32) (i64.const 0) (i32.const 300)
                             (i32.const 16) (i32.const 320) (i32.const 8) (i32.const 224)
                             (i32.const 256) (i32.const 404) (i32.const 400)))
        (if (local.get $rc) (then (return (local.get $rc))))
        (call $set (i32.const 160) (i32.const 224) (i32.const 32))
        (call $return (i32.const 0) (i32.const 224) (i32.const 32))))
    ;; child_get(): the child's get()
    (if (i32.eq (local.get $sel) (i32.const 0x0a0a0a02))
      (then
        (i32.store (i32.const 320) (i32.const 0xd95b862f))
        (local.set $rc (call $call_child (i32.const 4)))
        (if (local.get $rc) (then (return (local.get $rc))))
        (call $return (i32.const 0) (i32.const 404) (i32.load (i32.const 400)))))
    ;; child_inc(by): the child's inc(by)
    (if (i32.eq (local.get $sel) (i32.const 0x0a0a0a03))
      (then
        (i32.store (i32.const 320) (i32.const 0x51a53a63))
        (i32.store (i32.const 324) (i32.load (i32.const 8)))
        (return (call $call_child (i32.const 8)))))
    (i32.const 1))
)
