;; unstable.wat — the wasi_unstable layouts that differ from preview1: seek whence numbering
;; (CUR 0, END 1, SET 2), the 56-byte filestat (u32 nlink at 20, size at 24) and the 56-byte poll
;; subscription (an extra identifier before the clock id).  Run with --dir holding data.txt =
;; "0123456789"; exits 0 when every check passes, else the number of the failed check.
(module
  (import "wasi_unstable" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "path_filestat_get"
    (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "data.txt")

  (func $check (param $ok i32) (param $code i32)
    (if (i32.eqz (local.get $ok)) (then (call $proc_exit (local.get $code)))))

  (func (export "_start")
    (local $fd i32)
    ;; open data.txt in the pre-open (fd 3), all rights
    (call $check (i32.eqz (call $path_open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 8)
                   (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 100)))
                 (i32.const 10))
    (local.set $fd (i32.load (i32.const 100)))

    ;; whence 2 = SET: offset 3
    (call $check (i32.eqz (call $fd_seek (local.get $fd) (i64.const 3) (i32.const 2) (i32.const 200)))
                 (i32.const 11))
    (call $check (i64.eq (i64.load (i32.const 200)) (i64.const 3)) (i32.const 12))
    ;; whence 0 = CUR: +2 = 5
    (call $check (i32.eqz (call $fd_seek (local.get $fd) (i64.const 2) (i32.const 0) (i32.const 200)))
                 (i32.const 13))
    (call $check (i64.eq (i64.load (i32.const 200)) (i64.const 5)) (i32.const 14))
    ;; reading there gives '5'
    (i32.store (i32.const 240) (i32.const 260))
    (i32.store (i32.const 244) (i32.const 1))
    (call $check (i32.eqz (call $fd_read (local.get $fd) (i32.const 240) (i32.const 1) (i32.const 248)))
                 (i32.const 15))
    (call $check (i32.eq (i32.load8_u (i32.const 260)) (i32.const 0x35)) (i32.const 16))
    ;; whence 1 = END: 10
    (call $check (i32.eqz (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 1) (i32.const 200)))
                 (i32.const 17))
    (call $check (i64.eq (i64.load (i32.const 200)) (i64.const 10)) (i32.const 18))

    ;; filestat: 56 bytes at 300 (a sentinel at 356 must survive)
    (i64.store (i32.const 356) (i64.const 0x5555555555555555))
    (call $check (i32.eqz (call $fd_filestat_get (local.get $fd) (i32.const 300))) (i32.const 20))
    (call $check (i32.eq (i32.load8_u (i32.const 316)) (i32.const 4)) (i32.const 21))
    (call $check (i32.eq (i32.load (i32.const 320)) (i32.const 1)) (i32.const 22))
    (call $check (i64.eq (i64.load (i32.const 324)) (i64.const 10)) (i32.const 23))
    (call $check (i64.ne (i64.load (i32.const 340)) (i64.const 0)) (i32.const 24))
    (call $check (i64.eq (i64.load (i32.const 356)) (i64.const 0x5555555555555555)) (i32.const 25))
    (i64.store (i32.const 324) (i64.const 0))
    (call $check (i32.eqz (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 16)
                   (i32.const 8) (i32.const 300)))
                 (i32.const 26))
    (call $check (i64.eq (i64.load (i32.const 324)) (i64.const 10)) (i32.const 27))
    (call $check (i64.eq (i64.load (i32.const 356)) (i64.const 0x5555555555555555)) (i32.const 28))

    ;; poll_oneoff: one clock subscription (56 bytes at 400): userdata 0x1234, tag 0 (clock),
    ;; identifier at 416, clock id 1 (monotonic) at 424, timeout 1 ms at 432, flags 0 at 448.
    (i64.store (i32.const 400) (i64.const 0x1234))
    (i64.store (i32.const 416) (i64.const 0x7777))
    (i32.store (i32.const 424) (i32.const 1))
    (i64.store (i32.const 432) (i64.const 1000000))
    (call $check (i32.eqz (call $poll_oneoff (i32.const 400) (i32.const 500) (i32.const 1)
                   (i32.const 600)))
                 (i32.const 30))
    (call $check (i32.eq (i32.load (i32.const 600)) (i32.const 1)) (i32.const 31))
    (call $check (i64.eq (i64.load (i32.const 500)) (i64.const 0x1234)) (i32.const 32))
    (call $check (i32.eqz (i32.load16_u (i32.const 508))) (i32.const 33))
    (call $check (i32.eqz (i32.load8_u (i32.const 510))) (i32.const 34))
    (call $proc_exit (i32.const 0))))
