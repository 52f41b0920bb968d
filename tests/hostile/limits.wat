;; limits.wat — a guest that asks for more memory and table space than it may have.
(module
  (memory (export "memory") 1)
  (table $t (export "table") 1 funcref)
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  (func (export "size") (result i32)
    (memory.size))
  (func (export "table_grow") (param $n i32) (result i32)
    (table.grow $t (ref.null func) (local.get $n)))
  (func (export "table_size") (result i32)
    (table.size $t)))
