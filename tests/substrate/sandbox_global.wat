;; get_global_val_works
(module
  (global (export "test_global") i64 (i64.const 500)))
