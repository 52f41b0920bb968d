;; grow.wat — a pallet-contracts contract for the pooled-instance checks of test_contracts
;; (group `pool`).  `call` reads its input (one byte n), returns memory.grow(n) ++ the word at
;; 4000 ++ the word at the start of the last page, then writes a secret into both words: a call
;; that reads a nonzero word saw what an earlier call left behind.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "env" "memory" (memory 1 16))
  (func (export "deploy"))
  (func (export "call")
    (local $last i32)
    ;; input to [0..), its length at 100
    (i32.store (i32.const 100) (i32.const 64))
    (call $input (i32.const 0) (i32.const 100))
    (i32.store (i32.const 200) (memory.grow (i32.load8_u (i32.const 0))))
    (i32.store (i32.const 204) (i32.load (i32.const 4000)))
    (local.set $last (i32.mul (i32.sub (memory.size) (i32.const 1)) (i32.const 65536)))
    (i32.store (i32.const 208) (i32.load (local.get $last)))
    (i32.store (i32.const 4000) (i32.const 0x5ec7e7))
    (i32.store (local.get $last) (i32.const 0x5ec7e7))
    (call $ret (i32.const 0) (i32.const 200) (i32.const 12))))
