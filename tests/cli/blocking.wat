;; blocking.wat — WASI calls that block in the host, for the --timeout-ms tests (tests/cli/
;; timeout.sh).  Each export is run with `bastion run ... --invoke NAME` and returns the WASI
;; errno of the call that ended it (0 for success), which the CLI prints.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  ;; 0: iovec {buf = 1024, len = 65536 - 1024}; 8: byte count; 12: opened fd; 16: subscription;
  ;; 64: event; 128: the name "fifo"
  (data (i32.const 0) "\00\04\00\00\00\fc\00\00")
  (data (i32.const 128) "fifo")

  ;; Copies descriptor $fd to stdout until end of file: 0, or the errno of the failing call.
  (func $copy (param $fd i32) (result i32)
    (local $e i32)
    (loop $more
      (local.set $e (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
      (if (local.get $e) (then (return (local.get $e))))
      (if (i32.eqz (i32.load (i32.const 8))) (then (return (i32.const 0))))
      ;; write exactly what was read
      (i32.store (i32.const 4) (i32.load (i32.const 8)))
      (local.set $e (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (i32.store (i32.const 4) (i32.const 64512))
      (if (local.get $e) (then (return (local.get $e))))
      (br $more))
    (i32.const 0))

  ;; Copies stdin to stdout.
  (func $cat (export "cat") (result i32)
    (call $copy (i32.const 0)))

  ;; Opens "fifo" in the pre-opened directory (fd 3) with the given rights: the new descriptor,
  ;; or -1 - errno.
  (func $open_fifo (param $rights i64) (result i32)
    (local $e i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 128) (i32.const 4)
                    (i32.const 0) (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 12)))
    (if (local.get $e) (then (return (i32.sub (i32.const -1) (local.get $e)))))
    (i32.load (i32.const 12)))

  ;; Copies the FIFO "fifo" of the pre-open to stdout: 0, or an errno.
  (func $fifo_read (export "fifo_read") (result i32)
    (local $fd i32)
    (local.set $fd (call $open_fifo (i64.const 2)))            ;; fd_read right
    (if (i32.lt_s (local.get $fd) (i32.const 0))
      (then (return (i32.sub (i32.const -1) (local.get $fd)))))
    (call $copy (local.get $fd)))

  ;; Writes 63 KiB into the FIFO "fifo" of the pre-open: 0, or an errno.
  (func $fifo_write (export "fifo_write") (result i32)
    (local $fd i32)
    (local.set $fd (call $open_fifo (i64.const 64)))           ;; fd_write right
    (if (i32.lt_s (local.get $fd) (i32.const 0))
      (then (return (i32.sub (i32.const -1) (local.get $fd)))))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))

  ;; One fd_read from stdin: its errno (6 = EAGAIN on a non-blocking, empty descriptor).
  (func $read_once (export "read_once") (result i32)
    (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))

  ;; poll_oneoff on one relative CLOCK_MONOTONIC subscription of 100 s: its errno.
  (func $sleep_100s (export "sleep_100s") (result i32)
    (i64.store (i32.const 16) (i64.const 7))            ;; userdata
    (i32.store8 (i32.const 24) (i32.const 0))           ;; eventtype clock
    (i32.store (i32.const 32) (i32.const 1))            ;; clock id: monotonic
    (i64.store (i32.const 40) (i64.const 100000000000)) ;; timeout: 100 s
    (i64.store (i32.const 48) (i64.const 0))            ;; precision
    (i32.store16 (i32.const 56) (i32.const 0))          ;; flags: relative
    (call $poll_oneoff (i32.const 16) (i32.const 64) (i32.const 1) (i32.const 8)))

  ;; Writes 64 MiB to stdout in 63 KiB writes: 0, or the errno of the failing write.
  (func $spew (export "spew") (result i32)
    (local $left i32) (local $e i32)
    (local.set $left (i32.const 1040))
    (loop $more
      (local.set $e (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $left (i32.sub (local.get $left) (i32.const 1)))
      (br_if $more (local.get $left)))
    (i32.const 0)))
