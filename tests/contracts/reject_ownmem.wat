;; rejected at upload: memory defined by the module instead of imported as env.memory
(module
  (memory 1 16)
  (func (export "deploy"))
  (func (export "call")))
