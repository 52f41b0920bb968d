;; store_budget.wat — imports a memory and a table, and declares two tables of 600 elements:
;; fine alone under a 2,000-element budget, refused when the store's tables already hold more.
(module
  (import "env" "mem" (memory 1))
  (table $a 600 funcref)
  (table $b 600 funcref))
