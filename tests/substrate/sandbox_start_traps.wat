;; start_fn_traps: instantiation reports ERR_EXECUTION.
(module
  (func (export "call"))
  (func $start
    unreachable)
  (start $start))
