;; limits_capped.wat — memory and table whose own declared maximum is below the store's limits.
(module
  (memory (export "memory") 1 3)
  (table $t 1 2 funcref)
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  (func (export "table_grow") (param $n i32) (result i32)
    (table.grow $t (ref.null func) (local.get $n))))
