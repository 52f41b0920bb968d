;; start_fn_ok
(module
  (func (export "call"))
  (func $start)
  (start $start))
