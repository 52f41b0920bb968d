;; floats_load.wat — a float load whose result is reinterpreted straight away.
(module
  (memory 1)
  (func (export "f") (result i64)
    (i64.reinterpret_f64 (f64.load (i32.const 0)))))
