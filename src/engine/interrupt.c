/*
 * interrupt.c — interrupts, deadlines and interruptible waits (engine-internal implementation of
 * bastion.h's bst_store_interrupt / _set_deadline / _poll / _sleep_ns / _wake_fd).
 *
 * A timeout has to bind wherever the guest is: in wasm code, where the interpreter polls
 * bst_store.interrupt at loop heads and calls, and in a host function blocked on a descriptor or
 * a clock, where no polling happens.  So every blocking wait also polls a per-store wake
 * descriptor (an eventfd on Linux, a pipe elsewhere) that bst_store_interrupt() writes to, and
 * never waits past the store's deadline.  The descriptor is made on the first wait only: most
 * stores never block and should not hold a descriptor.
 *
 * Publication of the descriptor against a concurrent interrupt is a Dekker pair: the interrupter
 * sets the request bit, then loads the descriptor; a waiter stores the descriptor, drains it,
 * then loads the request bit (all sequentially consistent), so either the waiter sees the
 * request or the interrupter sees the descriptor and its write wakes the poll.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* pipe2 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/runtime.h"

#if defined(__linux__)
#include <sys/eventfd.h>
#define ENG_USE_EVENTFD 1
#endif

uint64_t bst_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the request and the deadline ---------------------------------------------------------- */

void eng_interrupt_init(bst_store *s) {
    atomic_init(&s->interrupt, 0);
    atomic_init(&s->wake_wr, -1);
    s->wake_rd = -1;
}

void eng_interrupt_fini(bst_store *s) {
    int wr = atomic_load(&s->wake_wr);
    if (s->wake_rd >= 0) close(s->wake_rd);
    if (wr >= 0 && wr != s->wake_rd) close(wr);
}

/* Empties the wake descriptor (non-blocking), so a consumed interrupt does not wake the next
 * wait. */
static void wake_drain(bst_store *s) {
    if (s->wake_rd < 0) return;
    uint8_t buf[64];
    while (read(s->wake_rd, buf, sizeof buf) > 0) {
    }
}

void bst_store_interrupt(bst_store *s) {
    int saved = errno; /* callable from a signal handler */
    atomic_fetch_or(&s->interrupt, ENG_INTR_REQUESTED);
    int wr = atomic_load(&s->wake_wr);
    if (wr >= 0) {
        /* full (EAGAIN) is fine: the descriptor is readable already */
#if ENG_USE_EVENTFD
        uint64_t one = 1;
        ssize_t r = write(wr, &one, sizeof one);
#else
        ssize_t r = write(wr, "", 1);
#endif
        (void)r;
    }
    errno = saved;
}

void bst_store_clear_interrupt(bst_store *s) {
    atomic_fetch_and(&s->interrupt, ~ENG_INTR_REQUESTED);
    wake_drain(s);
}

void eng_interrupt_consume(bst_store *s) { bst_store_clear_interrupt(s); }

void bst_store_set_deadline(bst_store *s, uint64_t monotonic_ns) {
    s->deadline = monotonic_ns;
    atomic_fetch_and(&s->interrupt, ~(ENG_INTR_DEADLINE | ENG_INTR_EXPIRED));
    if (monotonic_ns) atomic_fetch_or(&s->interrupt, ENG_INTR_DEADLINE);
}

uint64_t bst_store_deadline(const bst_store *s) { return s->deadline; }

bool eng_interrupt_due(bst_store *s) {
    uint32_t v = atomic_load(&s->interrupt);
    if (v & (ENG_INTR_REQUESTED | ENG_INTR_EXPIRED)) return true;
    if (!(v & ENG_INTR_DEADLINE) || bst_monotonic_ns() < s->deadline) return false;
    /* remembered, so later checks need no clock (and the interpreter's fast path is skipped) */
    atomic_fetch_or(&s->interrupt, ENG_INTR_EXPIRED);
    return true;
}

bool bst_store_interrupted(bst_store *s) { return eng_interrupt_due(s); }

/* ---- waiting ------------------------------------------------------------------------------- */

int bst_store_wake_fd(bst_store *s) {
    if (s->wake_rd >= 0) return s->wake_rd;
    int rd, wr;
#if ENG_USE_EVENTFD
    rd = wr = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (rd < 0) return -1;
#else
    int p[2];
    if (pipe(p) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(p[i], F_SETFD, FD_CLOEXEC);
        fcntl(p[i], F_SETFL, O_NONBLOCK);
    }
    rd = p[0];
    wr = p[1];
#endif
    s->wake_rd = rd;
    atomic_store(&s->wake_wr, wr); /* from here on interrupters write to it */
    return rd;
}

/* Milliseconds for poll(): rounded up, so a wait never ends before its time. */
static int poll_ms(uint64_t ns) {
    uint64_t ms = ns / 1000000u + (ns % 1000000u != 0);
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

#define POLL_SMALL 16 /* descriptors polled without allocating (plus the wake descriptor) */

bst_wait bst_store_poll(bst_store *s, struct pollfd *fds, size_t nfds, int64_t timeout_ns) {
    for (size_t i = 0; i < nfds; i++) fds[i].revents = 0;
    int wake = bst_store_wake_fd(s);
    if (wake < 0) return BST_WAIT_ERROR;
    if (nfds >= (size_t)INT_MAX) {
        errno = EINVAL;
        return BST_WAIT_ERROR;
    }
    struct pollfd small[POLL_SMALL + 1];
    struct pollfd *all = nfds <= POLL_SMALL ? small : malloc((nfds + 1) * sizeof *all);
    if (!all) {
        errno = ENOMEM;
        return BST_WAIT_ERROR;
    }
    if (nfds) memcpy(all, fds, nfds * sizeof *all);
    all[nfds].fd = wake;
    all[nfds].events = POLLIN;
    const uint64_t start = bst_monotonic_ns();
    bst_wait result;
    for (;;) {
        wake_drain(s);
        if (eng_interrupt_due(s)) {
            result = BST_WAIT_INTERRUPTED;
            break;
        }
        /* wait for the nearer of the caller's timeout and the store's deadline */
        uint64_t now = bst_monotonic_ns();
        int64_t wait_ns = -1;
        if (timeout_ns >= 0) {
            uint64_t spent = now - start;
            if (spent >= (uint64_t)timeout_ns) {
                result = BST_WAIT_TIMEOUT;
                break;
            }
            wait_ns = (int64_t)((uint64_t)timeout_ns - spent);
        }
        if (s->deadline) {
            uint64_t left = s->deadline > now ? s->deadline - now : 0;
            if (wait_ns < 0 || left < (uint64_t)wait_ns)
                wait_ns = left > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)left;
        }
        for (size_t i = 0; i <= nfds; i++) all[i].revents = 0;
        int r = poll(all, (nfds_t)nfds + 1, wait_ns < 0 ? -1 : poll_ms((uint64_t)wait_ns));
        if (r < 0 && errno != EINTR) {
            result = BST_WAIT_ERROR;
            break;
        }
        bool ready = false;
        for (size_t i = 0; r > 0 && i < nfds; i++) ready |= all[i].revents != 0;
        if (ready) {
            for (size_t i = 0; i < nfds; i++) fds[i].revents = all[i].revents;
            result = BST_WAIT_READY;
            break;
        }
        /* a timeout, a wake-up or EINTR: the top of the loop tells which */
    }
    if (all != small) free(all);
    return result;
}

bst_wait bst_store_sleep_ns(bst_store *s, uint64_t ns) {
    return bst_store_poll(s, NULL, 0, ns > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)ns);
}
