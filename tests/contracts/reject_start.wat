;; rejected at upload: a start function
(module
  (import "env" "memory" (memory 1 16))
  (func $s)
  (start $s)
  (func (export "deploy"))
  (func (export "call")))
