;; floats_body.wat — an integer interface, floating point only inside the body.
(module
  (func (export "f") (result i32)
    (i32.reinterpret_f32 (f32.const 1.5))))
