;; rc2_counter.wat — a contract in the shape ink! 3.0-rc2 (2020) built: `deploy` and `call` are
;; () -> i32 (a status: 0 success, else an error), imports are seal0's `seal_`-named functions
;; of that time, input is a 4-byte selector then SCALE arguments (CTest contracts/cli_rc2).
;; A counter: deploy `new(init: u32)` (selector 9b ae 9d 5e) stores init under the fixed key
;; 00..00; call `get()` (2f 86 5b d9) returns it as a u32, `inc(by: u32)` (63 3a a5 51) adds
;; to it; any other selector answers the error status 1.
;; Memory: [0, 4) input size, [4, 36) input, [64, 96) the key (zero), [96, 100) the value,
;; [100, 104) the value buffer's size.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal0" "seal_get_storage" (func $get (param i32 i32 i32) (result i32)))
  (import "seal0" "seal_set_storage" (func $set (param i32 i32 i32)))
  (import "env" "memory" (memory 1 16))
  ;; reads the input; its selector (big-endian, as written above)
  (func $selector (result i32)
    (i32.store (i32.const 0) (i32.const 32))
    (call $input (i32.const 4) (i32.const 0))
    (if (result i32) (i32.lt_u (i32.load (i32.const 0)) (i32.const 4))
      (then (i32.const 0))
      (else (i32.or (i32.or (i32.shl (i32.load8_u (i32.const 4)) (i32.const 24))
                            (i32.shl (i32.load8_u (i32.const 5)) (i32.const 16)))
                    (i32.or (i32.shl (i32.load8_u (i32.const 6)) (i32.const 8))
                            (i32.load8_u (i32.const 7)))))))
  (func $store (param $v i32)
    (i32.store (i32.const 96) (local.get $v))
    (call $set (i32.const 64) (i32.const 96) (i32.const 4)))
  (func $load (result i32)
    (i32.store (i32.const 100) (i32.const 4))
    (drop (call $get (i32.const 64) (i32.const 96) (i32.const 100)))
    (i32.load (i32.const 96)))
  (func (export "deploy") (result i32)
    (if (i32.ne (call $selector) (i32.const 0x9bae9d5e)) (then (return (i32.const 1))))
    (call $store (i32.load (i32.const 8)))
    (i32.const 0))
  (func (export "call") (result i32)
    (local $sel i32)
    (local.set $sel (call $selector))
    (if (i32.eq (local.get $sel) (i32.const 0x2f865bd9))
      (then
        (i32.store (i32.const 96) (call $load))
        (call $return (i32.const 0) (i32.const 96) (i32.const 4))))
    (if (i32.eq (local.get $sel) (i32.const 0x633aa551))
      (then
        (call $store (i32.add (call $load) (i32.load (i32.const 8))))
        (return (i32.const 0))))
    (i32.const 1))
)
