;; unlinkable_module: an import the environment does not define.
(module
  (import "env" "non-existent" (func))
  (func (export "call")))
