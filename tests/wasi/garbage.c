/*
 * garbage.c — WASI test program: calls the WASI imports many thousands of times with hostile
 * arguments (pointers at and past the end of memory, huge lengths, unknown descriptors, paths
 * with `..`, absolute paths and embedded NULs, random flags) from a fixed pseudo-random sequence.
 * The host must never crash and must answer every call with a WASI errno (0..76).
 *
 * Usage: garbage.wasm [SEED].  Run with stdin and stdout on /dev/null and `--dir BOX` (fd 3, a scratch directory) whose
 * parent holds files the program must not reach; run.sh checks them afterwards.  Exits 0 when
 * every result was a valid errno, else 1 (the first offending call is reported on stderr).
 * Functions that could block (poll_oneoff with readable subscriptions) or allocate disk
 * (fd_allocate, fd_filestat_set_size) get only bad pointers / small sizes; proc_exit is not
 * called.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
typedef int32_t i32;
typedef int64_t i64;

IMPORT(args_get) i32 w_args_get(i32, i32);
IMPORT(args_sizes_get) i32 w_args_sizes_get(i32, i32);
IMPORT(environ_get) i32 w_environ_get(i32, i32);
IMPORT(environ_sizes_get) i32 w_environ_sizes_get(i32, i32);
IMPORT(clock_res_get) i32 w_clock_res_get(i32, i32);
IMPORT(clock_time_get) i32 w_clock_time_get(i32, i64, i32);
IMPORT(fd_advise) i32 w_fd_advise(i32, i64, i64, i32);
IMPORT(fd_close) i32 w_fd_close(i32);
IMPORT(fd_datasync) i32 w_fd_datasync(i32);
IMPORT(fd_fdstat_get) i32 w_fd_fdstat_get(i32, i32);
IMPORT(fd_fdstat_set_flags) i32 w_fd_fdstat_set_flags(i32, i32);
IMPORT(fd_fdstat_set_rights) i32 w_fd_fdstat_set_rights(i32, i64, i64);
IMPORT(fd_filestat_get) i32 w_fd_filestat_get(i32, i32);
IMPORT(fd_filestat_set_times) i32 w_fd_filestat_set_times(i32, i64, i64, i32);
IMPORT(fd_pread) i32 w_fd_pread(i32, i32, i32, i64, i32);
IMPORT(fd_prestat_get) i32 w_fd_prestat_get(i32, i32);
IMPORT(fd_prestat_dir_name) i32 w_fd_prestat_dir_name(i32, i32, i32);
IMPORT(fd_pwrite) i32 w_fd_pwrite(i32, i32, i32, i64, i32);
IMPORT(fd_read) i32 w_fd_read(i32, i32, i32, i32);
IMPORT(fd_readdir) i32 w_fd_readdir(i32, i32, i32, i64, i32);
IMPORT(fd_renumber) i32 w_fd_renumber(i32, i32);
IMPORT(fd_seek) i32 w_fd_seek(i32, i64, i32, i32);
IMPORT(fd_sync) i32 w_fd_sync(i32);
IMPORT(fd_tell) i32 w_fd_tell(i32, i32);
IMPORT(fd_write) i32 w_fd_write(i32, i32, i32, i32);
IMPORT(path_create_directory) i32 w_path_create_directory(i32, i32, i32);
IMPORT(path_filestat_get) i32 w_path_filestat_get(i32, i32, i32, i32, i32);
IMPORT(path_filestat_set_times) i32 w_path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32);
IMPORT(path_link) i32 w_path_link(i32, i32, i32, i32, i32, i32, i32);
IMPORT(path_open) i32 w_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32);
IMPORT(path_readlink) i32 w_path_readlink(i32, i32, i32, i32, i32, i32);
IMPORT(path_remove_directory) i32 w_path_remove_directory(i32, i32, i32);
IMPORT(path_rename) i32 w_path_rename(i32, i32, i32, i32, i32, i32);
IMPORT(path_symlink) i32 w_path_symlink(i32, i32, i32, i32, i32);
IMPORT(path_unlink_file) i32 w_path_unlink_file(i32, i32, i32);
IMPORT(poll_oneoff) i32 w_poll_oneoff(i32, i32, i32, i32);
IMPORT(proc_raise) i32 w_proc_raise(i32);
IMPORT(sched_yield) i32 w_sched_yield(void);
IMPORT(random_get) i32 w_random_get(i32, i32);
IMPORT(sock_recv) i32 w_sock_recv(i32, i32, i32, i32, i32, i32);
IMPORT(sock_send) i32 w_sock_send(i32, i32, i32, i32, i32);
IMPORT(sock_shutdown) i32 w_sock_shutdown(i32, i32);

/* All state lives in main's frame (a guest program could have globals; this one needs none). */
typedef struct fuzz {
    uint64_t rng;
    uint8_t *buf;    /* a page of its own at the end of memory that the host may scribble */
    uint32_t buf_at; /* over: the first 4 KiB hold arguments, the rest is a target area */
    uint32_t page_end;
    long calls;
} fuzz;

static uint32_t next(fuzz *f) {
    f->rng = f->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(f->rng >> 33);
}

/* A pointer: into the scratch page (the only memory the host may legitimately write), at or
 * past the end of memory, or wild (and out of bounds). */
static i32 ptr(fuzz *f) {
    uint32_t mem_end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    switch (next(f) % 8) {
    case 0: return (i32)f->buf_at;
    case 1: return (i32)(f->page_end - (next(f) % 16));
    case 2: return (i32)(mem_end + (next(f) % 64));
    case 3: return (i32)0xfffffff0;
    case 4: return (i32)(0x80000000u | next(f));
    default: return (i32)(f->buf_at + next(f) % 4096);
    }
}

/* A length: small, just fitting, or huge. */
static i32 len(fuzz *f) {
    switch (next(f) % 6) {
    case 0: return 0;
    case 1: return (i32)(next(f) % 64);
    case 2: return (i32)0x7fffffff;
    case 3: return -1;
    default: return (i32)(next(f) % 5000);
    }
}

static i32 fd(fuzz *f) {
    static const i32 fds[] = {0, 1, 2, 3, 3, 3, 4, 5, 6, 7, 100, -1, 0x7fffffff};
    return fds[next(f) % (sizeof fds / sizeof fds[0])];
}

static i64 small64(fuzz *f) {
    static const i64 v[] = {0, 1, 2, 100, -1, INT64_MAX, INT64_MIN, 4096};
    return v[next(f) % (sizeof v / sizeof v[0])];
}

/* Fills the scratch buffer: random bytes, or a hostile path (returned with its length). */
static void fill(fuzz *f, i32 *path, i32 *path_len) {
    static const char *const paths[] = {
        "..",
        "../secret.txt",
        "../../etc/passwd",
        "/etc/passwd",
        "a/../../secret.txt",
        "d",
        "d/../..",
        "d/f",
        "f",
        ".",
        "./././..",
        "x\0y",
        "d/../d/../../box/f",
        "l",
        "l/secret.txt",
        "sub",
        "sub/",
        "f/",
        "",
    };
    /* re-randomise the whole buffer now and then, a few words otherwise (interpreted code) */
    int words = f->calls % 64 == 0 ? 1024 : 16;
    for (int i = 0; i < words; i++) {
        uint32_t r = next(f);
        memcpy(f->buf + 4 * (words == 1024 ? (uint32_t)i : next(f) % 1024), &r, 4);
    }
    /* iovec-like pairs at the start: pointers and lengths that mostly stay in the buffer */
    for (int i = 0; i < 8; i++) {
        uint32_t p = f->buf_at + 1024 + next(f) % 2048, l = next(f) % 512;
        if (next(f) % 8 == 0) p = (uint32_t)ptr(f);
        memcpy(f->buf + 8 * i, &p, 4);
        memcpy(f->buf + 8 * i + 4, &l, 4);
    }
    const char *s = paths[next(f) % (sizeof paths / sizeof paths[0])];
    size_t n = strlen(s);
    if (s[0] == 'x') n = 3; /* keep the embedded NUL */
    memcpy(f->buf + 512, s, n);
    *path = (i32)(f->buf_at + 512);
    *path_len = (i32)n;
    if (next(f) % 8 == 0) *path = ptr(f);
    if (next(f) % 8 == 0) *path_len = len(f);
}

static int check(fuzz *f, i32 rc, const char *what) {
    f->calls++;
    if (rc < 0 || rc > 76) {
        fprintf(stderr, "call %ld: %s returned %d, not a WASI errno\n", f->calls, what, rc);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    /* The scratch page: memory the program itself never uses for anything else. */
    size_t old_pages = __builtin_wasm_memory_grow(0, 1);
    if (old_pages == (size_t)-1) return 2;
    uint32_t page = (uint32_t)old_pages * 65536u;
    fuzz f = {0x2545f4914f6cdd1dull, (uint8_t *)(uintptr_t)page, page, page + 65536u, 0};
    for (const char *a = argc > 1 ? argv[1] : ""; *a; a++) /* optional seed */
        f.rng = f.rng * 31 + (uint8_t)*a;
    int bad = 0;
    for (int iter = 0; iter < 20000 && !bad; iter++) {
        i32 p, pl, p2, pl2;
        fill(&f, &p, &pl);
        p2 = (i32)(f.buf_at + 600);
        pl2 = (i32)(next(&f) % 12);
        const i32 iov = (i32)f.buf_at, niov = (i32)(next(&f) % 4);
        switch (next(&f) % 40) {
        case 0: bad |= check(&f, w_args_get(ptr(&f), ptr(&f)), "args_get"); break;
        case 1: bad |= check(&f, w_args_sizes_get(ptr(&f), ptr(&f)), "args_sizes_get"); break;
        case 2: bad |= check(&f, w_environ_get(ptr(&f), ptr(&f)), "environ_get"); break;
        case 3: bad |= check(&f, w_environ_sizes_get(ptr(&f), ptr(&f)), "environ_sizes_get"); break;
        case 4:
            bad |= check(&f, w_clock_res_get((i32)(next(&f) % 6), ptr(&f)), "clock_res_get");
            break;
        case 5:
            bad |= check(&f, w_clock_time_get((i32)(next(&f) % 6), small64(&f), ptr(&f)),
                         "clock_time_get");
            break;
        case 6:
            bad |= check(&f, w_fd_advise(fd(&f), small64(&f), small64(&f), (i32)(next(&f) % 8)),
                         "fd_advise");
            break;
        case 7:
            /* keep stdio and the pre-open most of the time */
            if (next(&f) % 16 == 0) {
                i32 d = fd(&f);
                bad |= check(&f, w_fd_close(d == 2 ? 5 : d), "fd_close"); /* keep stderr */
            } else
                bad |= check(&f, w_fd_close(4 + (i32)(next(&f) % 4)), "fd_close");
            break;
        case 8: bad |= check(&f, w_fd_datasync(fd(&f)), "fd_datasync"); break;
        case 9: bad |= check(&f, w_fd_fdstat_get(fd(&f), ptr(&f)), "fd_fdstat_get"); break;
        case 10:
            bad |= check(&f, w_fd_fdstat_set_flags(fd(&f), (i32)next(&f) & 0x3f),
                         "fd_fdstat_set_flags");
            break;
        case 11:
            bad |=
                check(&f, w_fd_fdstat_set_rights(fd(&f), -1, small64(&f)), "fd_fdstat_set_rights");
            break;
        case 12: bad |= check(&f, w_fd_filestat_get(fd(&f), ptr(&f)), "fd_filestat_get"); break;
        case 13:
            bad |= check(
                &f, w_fd_filestat_set_times(fd(&f), small64(&f), small64(&f), (i32)(next(&f) % 32)),
                "fd_filestat_set_times");
            break;
        case 14:
            bad |= check(
                &f, w_fd_pread(fd(&f), next(&f) % 4 ? iov : ptr(&f), niov, small64(&f), ptr(&f)),
                "fd_pread");
            break;
        case 15: bad |= check(&f, w_fd_prestat_get(fd(&f), ptr(&f)), "fd_prestat_get"); break;
        case 16:
            bad |=
                check(&f, w_fd_prestat_dir_name(fd(&f), ptr(&f), len(&f)), "fd_prestat_dir_name");
            break;
        case 17:
            bad |= check(&f,
                         w_fd_pwrite(4 + (i32)(next(&f) % 4), next(&f) % 4 ? iov : ptr(&f), niov,
                                     (i64)(next(&f) % 100000), ptr(&f)),
                         "fd_pwrite");
            break;
        case 18:
            bad |= check(&f, w_fd_read(fd(&f), next(&f) % 4 ? iov : ptr(&f), niov, ptr(&f)),
                         "fd_read");
            break;
        case 19:
            bad |= check(&f, w_fd_readdir(fd(&f), ptr(&f), len(&f), small64(&f), ptr(&f)),
                         "fd_readdir");
            break;
        case 20:
            bad |= check(&f, w_fd_renumber(4 + (i32)(next(&f) % 4), 4 + (i32)(next(&f) % 4)),
                         "fd_renumber");
            break;
        case 21:
            bad |=
                check(&f, w_fd_seek(fd(&f), small64(&f), (i32)(next(&f) % 5), ptr(&f)), "fd_seek");
            break;
        case 22: bad |= check(&f, w_fd_sync(fd(&f)), "fd_sync"); break;
        case 23: bad |= check(&f, w_fd_tell(fd(&f), ptr(&f)), "fd_tell"); break;
        case 24: {
            i32 d = fd(&f);
            if (d == 2) d = 1; /* keep stderr for the report */
            bad |=
                check(&f, w_fd_write(d, next(&f) % 4 ? iov : ptr(&f), niov, ptr(&f)), "fd_write");
            break;
        }
        case 25:
            bad |= check(&f, w_path_create_directory(fd(&f), p, pl), "path_create_directory");
            break;
        case 26:
            bad |= check(&f, w_path_filestat_get(fd(&f), (i32)(next(&f) % 2), p, pl, ptr(&f)),
                         "path_filestat_get");
            break;
        case 27:
            bad |= check(&f,
                         w_path_filestat_set_times(fd(&f), (i32)(next(&f) % 2), p, pl, small64(&f),
                                                   small64(&f), (i32)(next(&f) % 16)),
                         "path_filestat_set_times");
            break;
        case 28:
            bad |= check(&f, w_path_link(fd(&f), (i32)(next(&f) % 2), p, pl, fd(&f), p2, pl2),
                         "path_link");
            break;
        case 29: {
            i32 out = ptr(&f);
            if (next(&f) % 2) out = (i32)(f.buf_at + 4096);
            i32 rc = w_path_open(fd(&f), (i32)(next(&f) % 2), p, pl, (i32)(next(&f) % 16),
                                 next(&f) % 2 ? -1 : 2, -1, (i32)(next(&f) % 32), out);
            bad |= check(&f, rc, "path_open");
            break;
        }
        case 30:
            bad |= check(&f, w_path_readlink(fd(&f), p, pl, ptr(&f), len(&f), ptr(&f)),
                         "path_readlink");
            break;
        case 31:
            bad |= check(&f, w_path_remove_directory(fd(&f), p, pl), "path_remove_directory");
            break;
        case 32:
            bad |= check(&f, w_path_rename(fd(&f), p, pl, fd(&f), p2, pl2), "path_rename");
            break;
        case 33: bad |= check(&f, w_path_symlink(p, pl, fd(&f), p2, pl2), "path_symlink"); break;
        case 34: bad |= check(&f, w_path_unlink_file(fd(&f), p, pl), "path_unlink_file"); break;
        case 35:
            /* bad pointers or a zero-timeout clock subscription only: never blocks */
            if (next(&f) % 2) {
                bad |= check(&f, w_poll_oneoff(ptr(&f), ptr(&f), len(&f), ptr(&f)), "poll_oneoff");
            } else {
                memset(f.buf + 2048, 0, 48);
                f.buf[2048 + 16] = (uint8_t)(next(&f) % 5); /* clock id, some invalid */
                bad |= check(
                    &f, w_poll_oneoff((i32)(f.buf_at + 2048), (i32)(f.buf_at + 2112), 1, ptr(&f)),
                    "poll_oneoff");
            }
            break;
        case 36: bad |= check(&f, w_proc_raise((i32)(next(&f) % 32)), "proc_raise"); break;
        case 37: bad |= check(&f, w_sched_yield(), "sched_yield"); break;
        case 38: bad |= check(&f, w_random_get(ptr(&f), len(&f)), "random_get"); break;
        default:
            bad |= check(&f, w_sock_recv(fd(&f), ptr(&f), 1, 0, ptr(&f), ptr(&f)), "sock_recv");
            bad |= check(&f, w_sock_send(fd(&f), ptr(&f), 1, 0, ptr(&f)), "sock_send");
            bad |= check(&f, w_sock_shutdown(fd(&f), 3), "sock_shutdown");
            break;
        }
    }
    return bad;
}
