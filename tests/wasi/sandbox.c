/*
 * sandbox.c — WASI test program: tries to leave its pre-opened directory and to make the host
 * touch memory outside the guest's, calling the WASI imports directly (not through wasi-libc,
 * which would refuse some of these paths itself).
 *
 * Run with `--dir WORK/box::/box` (guest fd 3) where run.sh made:
 *   WORK/secret.txt                  outside the pre-open
 *   WORK/box/ok.txt, WORK/box/sub/   inside
 *   WORK/box/abs   -> WORK/secret.txt (absolute link)
 *   WORK/box/rel   -> ../secret.txt
 *   WORK/box/deep  -> sub/../../secret.txt
 *   WORK/box/updir -> ..             (a directory link leaving the pre-open)
 *   WORK/box/loop  -> loop
 * Every escape must fail with ENOTCAPABLE (76), every bad pointer with EFAULT (21).  Prints one
 * line per check and "sandbox ok"; the first failed check exits with its number.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

IMPORT(path_open)
int32_t w_path_open(int32_t fd, int32_t lookup, int32_t path, int32_t len, int32_t oflags,
                    int64_t rights, int64_t inheriting, int32_t fdflags, int32_t fd_out);
IMPORT(path_filestat_get)
int32_t w_path_filestat_get(int32_t fd, int32_t lookup, int32_t path, int32_t len, int32_t buf);
IMPORT(path_create_directory)
int32_t w_path_create_directory(int32_t fd, int32_t path, int32_t len);
IMPORT(path_unlink_file) int32_t w_path_unlink_file(int32_t fd, int32_t path, int32_t len);
IMPORT(path_remove_directory)
int32_t w_path_remove_directory(int32_t fd, int32_t path, int32_t len);
IMPORT(path_rename)
int32_t w_path_rename(int32_t fd, int32_t old, int32_t old_len, int32_t fd2, int32_t new_,
                      int32_t new_len);
IMPORT(path_symlink)
int32_t w_path_symlink(int32_t old, int32_t old_len, int32_t fd, int32_t new_, int32_t new_len);
IMPORT(fd_write) int32_t w_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t nwritten);
IMPORT(fd_read) int32_t w_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t nread);
IMPORT(fd_close) int32_t w_fd_close(int32_t fd);
IMPORT(args_sizes_get) int32_t w_args_sizes_get(int32_t argc, int32_t size);
IMPORT(args_get) int32_t w_args_get(int32_t argv, int32_t buf);
IMPORT(clock_time_get) int32_t w_clock_time_get(int32_t id, int64_t precision, int32_t out);
IMPORT(random_get) int32_t w_random_get(int32_t buf, int32_t len);
IMPORT(fd_prestat_get) int32_t w_fd_prestat_get(int32_t fd, int32_t buf);
IMPORT(fd_fdstat_get) int32_t w_fd_fdstat_get(int32_t fd, int32_t buf);
IMPORT(poll_oneoff) int32_t w_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t nevents);

enum { E_BADF = 8, E_FAULT = 21, E_LOOP = 32, E_NOENT = 44, E_NOTCAPABLE = 76 };
#define PTR(p) ((int32_t)(uintptr_t)(p))
#define BAD ((int32_t)0xfffffff0) /* far outside a small memory */

static int n_checks;

static void expect(int32_t got, int32_t want, const char *what) {
    n_checks++;
    if (got != want) {
        printf("FAIL %d: %s: errno %d, expected %d\n", n_checks, what, got, want);
        fflush(stdout);
        exit(n_checks);
    }
    printf("ok %s\n", what);
}

static int32_t open_path(const char *path, int32_t lookup, int32_t oflags, int64_t rights) {
    int32_t fd = -1;
    int32_t e = w_path_open(3, lookup, PTR(path), (int32_t)strlen(path), oflags, rights, rights, 0,
                            PTR(&fd));
    if (e == 0) w_fd_close(fd);
    return e;
}

static int32_t stat_path(const char *path, int32_t lookup) {
    static uint8_t buf[64];
    return w_path_filestat_get(3, lookup, PTR(path), (int32_t)strlen(path), PTR(buf));
}

int main(void) {
    const int64_t R = 2 /* fd_read */, RW = 2 | 64 /* fd_write */;
    const int32_t FOLLOW = 1, CREAT = 1;

    /* inside: allowed */
    expect(open_path("ok.txt", FOLLOW, 0, R), 0, "open ok.txt");
    expect(open_path("sub/../ok.txt", FOLLOW, 0, R), 0, "open sub/../ok.txt");
    expect(open_path(".", FOLLOW, 0, R), 0, "open the pre-open itself");

    /* leaving through .. and absolute paths */
    expect(open_path("../secret.txt", FOLLOW, 0, R), E_NOTCAPABLE, "open ../secret.txt");
    expect(open_path("..", FOLLOW, 0, R), E_NOTCAPABLE, "open ..");
    expect(open_path("sub/../../secret.txt", FOLLOW, 0, R), E_NOTCAPABLE,
           "open sub/../../secret.txt");
    expect(open_path("/etc/passwd", FOLLOW, 0, R), E_NOTCAPABLE, "open /etc/passwd");
    expect(open_path("../evil.txt", FOLLOW, CREAT, RW), E_NOTCAPABLE, "create ../evil.txt");
    expect(stat_path("../secret.txt", 0), E_NOTCAPABLE, "stat ../secret.txt");

    /* leaving through symbolic links */
    expect(open_path("abs", FOLLOW, 0, R), E_NOTCAPABLE, "open absolute link");
    expect(open_path("rel", FOLLOW, 0, R), E_NOTCAPABLE, "open ../ link");
    expect(open_path("deep", FOLLOW, 0, R), E_NOTCAPABLE, "open sub/../../ link");
    expect(open_path("updir/secret.txt", FOLLOW, 0, R), E_NOTCAPABLE, "open updir/secret.txt");
    expect(open_path("updir/box/ok.txt", FOLLOW, 0, R), E_NOTCAPABLE, "open updir/box/ok.txt");
    expect(open_path("rel", 0, 0, R), E_LOOP, "open link without following");
    expect(open_path("rel", FOLLOW, CREAT, RW), E_NOTCAPABLE, "create through ../ link");
    expect(stat_path("rel", FOLLOW), E_NOTCAPABLE, "stat following ../ link");
    expect(stat_path("rel", 0), 0, "lstat of the link itself");
    expect(open_path("loop", FOLLOW, 0, R), E_LOOP, "link loop");

    /* modifying operations */
    expect(w_path_create_directory(3, PTR("../newdir"), 9), E_NOTCAPABLE, "mkdir ../newdir");
    expect(w_path_create_directory(3, PTR("updir/newdir"), 12), E_NOTCAPABLE, "mkdir updir/newdir");
    expect(w_path_unlink_file(3, PTR("../secret.txt"), 13), E_NOTCAPABLE, "unlink ../secret.txt");
    expect(w_path_remove_directory(3, PTR("../box"), 6), E_NOTCAPABLE, "rmdir ../box");
    expect(w_path_rename(3, PTR("ok.txt"), 6, 3, PTR("../stolen.txt"), 13), E_NOTCAPABLE,
           "rename to ../stolen.txt");
    expect(w_path_rename(3, PTR("../secret.txt"), 13, 3, PTR("got.txt"), 7), E_NOTCAPABLE,
           "rename from ../secret.txt");
    expect(w_path_symlink(PTR("/etc/passwd"), 11, 3, PTR("newabs"), 6), E_NOTCAPABLE,
           "create an absolute symlink");

    /* bad guest pointers */
    int32_t fd = -1, n = 0;
    expect(w_path_open(3, FOLLOW, BAD, 6, 0, R, R, 0, PTR(&fd)), E_FAULT, "path_open bad path");
    expect(w_path_open(3, FOLLOW, PTR("ok.txt"), 6, 0, R, R, 0, BAD), E_FAULT,
           "path_open bad result pointer");
    expect(w_path_open(3, FOLLOW, PTR("ok.txt"), 0x7fffffff, 0, R, R, 0, PTR(&fd)), 37,
           "path_open huge path length");
    expect(w_fd_write(1, BAD, 1, PTR(&n)), E_FAULT, "fd_write bad iovec array");
    uint32_t iov[2] = {(uint32_t)BAD, 16};
    expect(w_fd_write(1, PTR(iov), 1, PTR(&n)), E_FAULT, "fd_write bad buffer");
    iov[0] = 0x1000;
    iov[1] = 0xfffffff0u;
    expect(w_fd_write(1, PTR(iov), 1, PTR(&n)), E_FAULT, "fd_write buffer past the end");
    expect(w_fd_read(0, PTR(iov), 1, PTR(&n)), E_FAULT, "fd_read buffer past the end");
    iov[0] = PTR("x");
    iov[1] = 0;
    expect(w_fd_write(1, PTR(iov), 1, BAD), E_FAULT, "fd_write bad nwritten pointer");
    expect(w_args_sizes_get(BAD, PTR(&n)), E_FAULT, "args_sizes_get bad pointer");
    expect(w_args_get(BAD, BAD), E_FAULT, "args_get bad pointers");
    expect(w_clock_time_get(1, 0, BAD), E_FAULT, "clock_time_get bad pointer");
    expect(w_random_get(PTR(iov), 0x7fffffff), E_FAULT, "random_get past the end");
    expect(w_fd_prestat_get(3, BAD), E_FAULT, "fd_prestat_get bad pointer");
    expect(w_fd_fdstat_get(1, BAD), E_FAULT, "fd_fdstat_get bad pointer");
    expect(w_poll_oneoff(BAD, BAD, 1, PTR(&n)), E_FAULT, "poll_oneoff bad pointers");

    /* descriptors */
    uint8_t prestat[8];
    expect(w_fd_prestat_get(1, PTR(prestat)), E_BADF, "prestat of stdout is EBADF");
    expect(w_fd_prestat_get(4, PTR(prestat)), E_BADF, "no second pre-open");
    expect(w_fd_close(99), E_BADF, "close unknown fd");
    expect(open_path("missing.txt", FOLLOW, 0, R), E_NOENT, "missing file");

    /* through wasi-libc as well */
    n_checks++;
    if (fopen("/etc/passwd", "r") || fopen("/box/../secret.txt", "r") || fopen("/box/rel", "r")) {
        printf("FAIL %d: libc opened a file outside the sandbox\n", n_checks);
        return n_checks;
    }
    printf("ok libc refuses escapes\n");
    printf("sandbox ok\n");
    return 0;
}
