;; floats_import.wat — an imported function with a float result.
(module
  (import "env" "g" (func (result f32))))
