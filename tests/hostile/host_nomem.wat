;; host_nomem.wat — a guest without a memory calling a host function that wants one.
(module
  (import "env" "check" (func $check (param i32 i32) (result i32)))
  (func (export "probe") (param $ptr i32) (param $len i32) (result i32)
    (call $check (local.get $ptr) (local.get $len))))
