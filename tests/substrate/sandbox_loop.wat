;; Never returns: only the fuel budget (shared with the runtime) stops it.
(module
  (func (export "call")
    (loop $l (br $l))))
