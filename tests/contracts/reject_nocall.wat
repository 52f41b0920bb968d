;; rejected at upload: no `call` export
(module
  (import "env" "memory" (memory 1 16))
  (func (export "deploy")))
