;; big_memory.wat — a module whose memory minimum (100 pages) exceeds a 64-page tenant quota.
(module (memory 100) (func (export "f")))
