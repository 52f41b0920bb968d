;; floats_param.wat — a float in a function type only (the body never touches it).
(module
  (func (export "f") (param f64) (result i32)
    (i32.const 0)))
