;; rejected at upload: floating point
(module
  (import "env" "memory" (memory 1 16))
  (func (export "deploy"))
  (func (export "call") (drop (f32.add (f32.const 1) (f32.const 2)))))
