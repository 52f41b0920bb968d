;; limits_bigtable.wat — declares a 1000-element minimum table.
(module (table 1000 funcref))
