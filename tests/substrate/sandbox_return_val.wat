;; return_val: the runtime passes 0x1336 and expects Value(I32(0x1337)).
(module
  (func (export "call") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1))))
