;; floats_global.wat — a float global nobody reads.
(module
  (global f64 (f64.const 0))
  (func (export "f") (result i32)
    (i32.const 0)))
