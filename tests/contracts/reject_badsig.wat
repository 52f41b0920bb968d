;; rejected at upload: seal0.seal_input with the wrong signature
(module
  (import "seal0" "seal_input" (func (param i32)))
  (import "env" "memory" (memory 1 16))
  (func (export "deploy"))
  (func (export "call")))
