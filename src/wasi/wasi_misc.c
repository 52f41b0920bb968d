/*
 * wasi_misc.c — the WASI functions that touch no descriptor: args_*, environ_*, clock_*,
 * random_get, poll_oneoff (clock and fd subscriptions, waiting through the store so that its
 * interrupt and deadline end the wait), proc_exit (a host trap carrying the code),
 * proc_raise, sched_yield, and the ENOSYS stub used for unimplemented functions.
 */
#define _GNU_SOURCE
#include "wasi_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* ---- args / environ ---------------------------------------------------------------------- */

/* args_get / environ_get: the list's n pointers at ptrs, its NUL-terminated strings at buf. */
static uint16_t put_strings(bst_memory *mem, const wasi_strings *s, uint32_t ptrs, uint32_t buf) {
    if (!mem) return WE_FAULT;
    /* Check both regions up front so that a bad pointer writes nothing. */
    if ((s->n && !bst_memory_slice(mem, ptrs, s->n * 4u)) ||
        (s->bytes && !bst_memory_slice(mem, buf, s->bytes)))
        return WE_FAULT;
    uint32_t off = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t len = (uint32_t)strlen(s->v[i]) + 1;
        if (!wasi_put_u32(mem, ptrs + 4 * i, buf + off) ||
            !bst_memory_write(mem, buf + off, s->v[i], len))
            return WE_FAULT;
        off += len;
    }
    return WE_SUCCESS;
}

/* args_sizes_get / environ_sizes_get: the list's count at count_ptr, its size at size_ptr. */
static uint16_t put_sizes(bst_memory *mem, const wasi_strings *s, uint32_t count_ptr,
                          uint32_t size_ptr) {
    if (!wasi_put_u32(mem, count_ptr, s->n) || !wasi_put_u32(mem, size_ptr, s->bytes))
        return WE_FAULT;
    return WE_SUCCESS;
}

/* The two lists are served alike: (NAME, list, put_strings or put_sizes). */
#define WASI_STRINGS_FN(name, list, put)                                                           \
    WASI_FN(wasi_##name) {                                                                         \
        WASI_PROLOGUE();                                                                           \
        WASI_RETURN(put(mem, &w->list, ARG_U32(0), ARG_U32(1)));                                   \
    }
WASI_STRINGS_FN(args_get, args, put_strings)
WASI_STRINGS_FN(args_sizes_get, args, put_sizes)
WASI_STRINGS_FN(environ_get, env, put_strings)
WASI_STRINGS_FN(environ_sizes_get, env, put_sizes)
#undef WASI_STRINGS_FN

/* ---- clocks ------------------------------------------------------------------------------ */

static bool host_clock(uint32_t id, clockid_t *out) {
    switch (id) {
    case 0: *out = CLOCK_REALTIME; return true;
    case 1: *out = CLOCK_MONOTONIC; return true;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static uint64_t ts_ns(const struct timespec *ts) {
    if (ts->tv_sec < 0) return 0;
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

static bool clock_now(uint32_t id, uint64_t *ns) {
    clockid_t c;
    struct timespec ts;
    if (!host_clock(id, &c) || clock_gettime(c, &ts) != 0) return false;
    *ns = ts_ns(&ts);
    return true;
}

WASI_FN(wasi_clock_res_get) {
    WASI_PROLOGUE();
    clockid_t c;
    struct timespec ts;
    if (!host_clock(ARG_U32(0), &c)) WASI_RETURN(WE_INVAL);
    if (clock_getres(c, &ts) != 0) WASI_RETURN(wasi_errno(errno));
    uint64_t ns = ts_ns(&ts);
    WASI_RETURN(wasi_put_u64(mem, ARG_U32(1), ns ? ns : 1) ? WE_SUCCESS : WE_FAULT);
}

WASI_FN(wasi_clock_time_get) {
    WASI_PROLOGUE();
    uint64_t ns;
    if (!clock_now(ARG_U32(0), &ns)) WASI_RETURN(WE_INVAL);
    WASI_RETURN(wasi_put_u64(mem, ARG_U32(2), ns) ? WE_SUCCESS : WE_FAULT);
}

/* ---- random ------------------------------------------------------------------------------ */

static bool fill_random(uint8_t *p, size_t len) {
    while (len > 0) {
        size_t chunk = len > 65536 ? 65536 : len;
        ssize_t r = getrandom(p, chunk, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && errno == ENOSYS) {
            /* Kernel without getrandom: fall back to the device. */
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            if (fd < 0) return false;
            while (len > 0) {
                ssize_t n = read(fd, p, len);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) {
                    close(fd);
                    return false;
                }
                p += n;
                len -= (size_t)n;
            }
            close(fd);
            return true;
        }
        if (r <= 0) return false;
        p += r;
        len -= (size_t)r;
    }
    return true;
}

WASI_FN(wasi_random_get) {
    WASI_PROLOGUE();
    uint32_t len = ARG_U32(1);
    uint8_t *p = mem ? bst_memory_slice(mem, ARG_U32(0), len) : NULL;
    if (!p) WASI_RETURN(WE_FAULT);
    WASI_RETURN(fill_random(p, len) ? WE_SUCCESS : WE_IO);
}

/* ---- poll_oneoff ------------------------------------------------------------------------- */

enum { EV_CLOCK = 0, EV_FD_READ = 1, EV_FD_WRITE = 2 };
#define MAX_SUBSCRIPTIONS 4096u

typedef struct poll_sub {
    uint64_t userdata;
    uint8_t type;
    uint16_t error;   /* set: the event fires at once with this error */
    uint64_t timeout; /* clock: relative, ns */
    int pfd;          /* fd: index in the pollfd array, else -1 */
} poll_sub;

static void put_event(uint8_t *e, const poll_sub *s, uint16_t error, uint64_t nbytes,
                      uint16_t flags) {
    memset(e, 0, 32);
    wasi_store_u64(e, s->userdata);
    wasi_store_u16(e + 8, error);
    e[10] = s->type;
    wasi_store_u64(e + 16, nbytes);
    wasi_store_u16(e + 24, flags);
}

WASI_FN(wasi_poll_oneoff) {
    WASI_PROLOGUE();
    uint32_t in = ARG_U32(0), out = ARG_U32(1), n = ARG_U32(2), nevents_ptr = ARG_U32(3);
    const uint32_t sub_size = unstable ? 56 : 48;
    if (!mem) WASI_RETURN(WE_FAULT);
    if (n == 0 || n > MAX_SUBSCRIPTIONS) WASI_RETURN(WE_INVAL);
    if (!bst_memory_slice(mem, in, n * sub_size) || !bst_memory_slice(mem, out, n * 32u) ||
        !bst_memory_slice(mem, nevents_ptr, 4))
        WASI_RETURN(WE_FAULT);

    poll_sub *subs = calloc(n, sizeof *subs);
    struct pollfd *pfds = calloc(n, sizeof *pfds);
    if (!subs || !pfds) {
        free(subs);
        free(pfds);
        WASI_RETURN(WE_NOMEM);
    }
    size_t npfds = 0;
    bool have_timeout = false, immediate = false;
    uint64_t min_timeout = UINT64_MAX;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t b[56];
        bst_memory_read(mem, in + i * sub_size, b, sub_size);
        poll_sub *s = &subs[i];
        s->userdata = wasi_load_u64(b);
        s->type = b[8];
        s->pfd = -1;
        if (s->type == EV_CLOCK) {
            const uint8_t *c = b + (unstable ? 24 : 16); /* unstable has an identifier first */
            uint32_t id = wasi_load_u32(c);
            uint64_t timeout = wasi_load_u64(c + 8);
            uint16_t flags = wasi_load_u16(c + 24);
            uint64_t now;
            if (!clock_now(id, &now)) {
                s->error = WE_INVAL;
                immediate = true;
                continue;
            }
            if (flags & 1) /* absolute time */
                timeout = timeout > now ? timeout - now : 0;
            s->timeout = timeout;
            have_timeout = true;
            if (timeout < min_timeout) min_timeout = timeout;
        } else if (s->type == EV_FD_READ || s->type == EV_FD_WRITE) {
            wasi_fd *f = wasi_get_fd(w, wasi_load_u32(b + 16));
            if (!f) {
                s->error = WE_BADF;
                immediate = true;
                continue;
            }
            s->pfd = (int)npfds;
            pfds[npfds].fd = f->host;
            pfds[npfds].events = s->type == EV_FD_READ ? POLLIN : POLLOUT;
            npfds++;
        } else {
            s->error = WE_INVAL;
            immediate = true;
        }
    }

    /* The wait goes through the store, so its interrupt and deadline end it (a trap). */
    int64_t timeout = -1;
    if (immediate)
        timeout = 0;
    else if (have_timeout)
        timeout = min_timeout > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)min_timeout;
    uint64_t start = bst_monotonic_ns();
    bst_wait waited = bst_store_poll(bst_caller_store(caller), pfds, npfds, timeout);
    int wait_errno = errno;
    uint64_t elapsed = bst_monotonic_ns() - start;
    bool ready = waited == BST_WAIT_READY;
    if (waited == BST_WAIT_INTERRUPTED || waited == BST_WAIT_ERROR) {
        free(subs);
        free(pfds);
        WASI_RETURN_WAITED(waited == BST_WAIT_ERROR ? wasi_errno(wait_errno) : WE_INTERRUPTED);
    }

    uint32_t nev = 0;
    uint8_t *ev = bst_memory_slice(mem, out, n * 32u);
    for (uint32_t i = 0; i < n; i++) {
        const poll_sub *s = &subs[i];
        if (s->error) {
            put_event(ev + 32 * nev++, s, s->error, 0, 0);
        } else if (s->pfd >= 0) {
            short re = pfds[s->pfd].revents;
            if (!re) continue;
            uint16_t err = (re & POLLNVAL) ? WE_BADF : 0;
            if ((re & POLLERR) && !err) err = WE_IO;
            put_event(ev + 32 * nev++, s, err, 0, (re & POLLHUP) ? 1 : 0);
        } else if (s->type == EV_CLOCK && !ready && s->timeout <= elapsed) {
            put_event(ev + 32 * nev++, s, 0, 0, 0);
        }
    }
    free(subs);
    free(pfds);
    WASI_RETURN(wasi_put_u32(mem, nevents_ptr, nev) ? WE_SUCCESS : WE_FAULT);
}

/* ---- proc and the rest ------------------------------------------------------------------- */

WASI_FN(wasi_proc_exit) {
    WASI_PROLOGUE();
    (void)results;
    char msg[48];
    w->exited = true;
    w->exit_code = ARG_U32(0);
    snprintf(msg, sizeof msg, "proc_exit(%" PRIu32 ")", w->exit_code);
    bst_caller_trap(caller, msg);
    return false;
}

WASI_FN(wasi_proc_raise) {
    WASI_PROLOGUE();
    (void)args;
    WASI_RETURN(WE_NOSYS);
}

WASI_FN(wasi_sched_yield) {
    WASI_PROLOGUE();
    (void)args;
    sched_yield();
    WASI_RETURN(WE_SUCCESS);
}

WASI_FN(wasi_nosys) {
    WASI_PROLOGUE();
    (void)args;
    WASI_RETURN(WE_NOSYS);
}
