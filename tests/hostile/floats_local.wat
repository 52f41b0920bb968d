;; floats_local.wat — an unused float local.
(module
  (func (export "f") (result i32)
    (local f32)
    (i32.const 0)))
