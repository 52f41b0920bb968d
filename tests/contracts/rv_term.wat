;; deploy terminates the contract being constructed: pallet-contracts fails the instantiation
;; (TerminatedInConstructor), review finding 3.
(module
  (import "seal1" "terminate" (func $term (param i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "deploy") (call $term (i32.const 100)))
  (func (export "call")))
