;; limits_bigmem.wat — declares a 100-page minimum memory.
(module (memory 100))
