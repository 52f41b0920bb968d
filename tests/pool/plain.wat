;; plain.wat — no imports: an instance a pool can make without a link function.
(module
  (memory (export "memory") 1 4)
  (func (export "spin") (loop $l (br $l)))
  (func (export "grow") (param $n i32) (result i32) (memory.grow (local.get $n)))
  (func (export "peek") (param $a i32) (result i32) (i32.load (local.get $a)))
  (func (export "poke") (param $a i32) (param $v i32) (i32.store (local.get $a) (local.get $v))))
