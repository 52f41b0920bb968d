;; test_global of type i32: the runtime's get_global_val test answers 40 (not an I64).
(module
  (global (export "test_global") i32 (i32.const 500)))
