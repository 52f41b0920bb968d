;; Unbounded recursion: the call-depth limit stops it, as a sandboxed trap.
(module
  (func $f (export "call")
    (call $f)))
