;; bigmem.wat — a plain module whose memory minimum (100 pages) is above a tenant's
;; memory_pages: refused at upload (tests/serve/quotas.sh).
(module (memory 100) (func (export "f")))
