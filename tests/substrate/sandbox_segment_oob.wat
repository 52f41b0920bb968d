;; A data segment past the end of the memory: instantiation fails before the start function
;; runs, so test_sandbox_instantiate answers 1 (Error::Module), not 2 (Error::Execution).
(module
  (memory 1)
  (data (i32.const 65535) "ab")
  (func $start
    unreachable)
  (start $start)
  (func (export "call")))
