;; rejected at upload: memory maximum above 16 pages
(module
  (import "env" "memory" (memory 1 17))
  (func (export "deploy"))
  (func (export "call")))
