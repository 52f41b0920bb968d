;; backtrace.wat — traps at a known depth, for bst_store_backtrace().  Function indices: the
;; import $fail is 0, then $outer 1, $middle 2, $inner 3, $deep 4, $via_host 5, $nameless... are
;; named by wat2wasm --debug-names from the $identifiers.
(module
  (import "env" "fail" (func $fail))
  (func $outer (export "outer") (call $middle))
  (func $middle (call $inner))
  (func $inner (drop (i32.div_u (i32.const 1) (i32.const 0))))
  ;; recurses n times, then traps
  (func $deep (export "deep") (param $n i32)
    (if (i32.eqz (local.get $n)) (then unreachable))
    (call $deep (i32.sub (local.get $n) (i32.const 1))))
  ;; a host function traps under two wasm frames
  (func $via_host (export "via_host") (call $host_caller))
  (func $host_caller (call $fail)))
