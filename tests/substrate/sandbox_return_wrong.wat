;; Control for return_val: returns 0x1338, which the runtime rejects.
(module
  (func (export "call") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 2))))
