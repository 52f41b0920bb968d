;; Control for invoke_args: expects an argument the runtime does not pass, so assert fails.
(module
  (import "env" "assert" (func $assert (param i32)))
  (func (export "call") (param $x i32) (param $y i64)
    (call $assert (i32.eq (local.get $x) (i32.const 0x12345679)))))
