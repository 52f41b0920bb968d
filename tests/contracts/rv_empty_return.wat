;; seal_return with no data: `deploy` returns normally with 0 bytes, `call` reverts with 0 bytes;
;; bst_contract_result.data must then be NULL (fuzz_contract_upload finding).
(module
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy")
    (call $ret (i32.const 0) (i32.const 0) (i32.const 0)))
  (func (export "call")
    (call $ret (i32.const 1) (i32.const 0) (i32.const 0))))
