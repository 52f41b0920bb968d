;; A guest whose start function calls its import: with the supervisor's $thunk_inst, each start
;; instantiates this module again, nesting until the host refuses.
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (import "env" "mem" (memory 1))
  (start $start)
  (func $start
    (drop (call $f (i32.const 0)))))
