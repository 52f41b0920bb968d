;; invoke_args: the runtime passes I32(0x12345678), I64(0x1234567887654321).
(module
  (import "env" "assert" (func $assert (param i32)))
  (func (export "call") (param $x i32) (param $y i64)
    (call $assert (i32.eq (local.get $x) (i32.const 0x12345678)))
    (call $assert (i64.eq (local.get $y) (i64.const 0x1234567887654321)))))
