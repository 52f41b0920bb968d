;; blocking.wat — guests whose time goes into host calls (tests/hostile/timeouts.c): a host
;; function that blocks waiting for a descriptor, one that computes for a while without waiting,
;; and one that re-enters wasm.  `after` records whether the code after the host call ran.
(module
  (import "host" "wait" (func $wait))
  (import "host" "busy" (func $busy))
  (import "host" "reenter" (func $reenter))
  (global $after (export "after") (mut i32) (i32.const 0))
  (func (export "wait") (call $wait) (global.set $after (i32.const 1)))
  (func (export "busy") (call $busy) (global.set $after (i32.const 1)))
  (func (export "reenter") (call $reenter) (global.set $after (i32.const 1)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "quick") (result i32) (i32.const 42)))
