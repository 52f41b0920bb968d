/*
 * timeouts.c — timeouts bind while a host call blocks (sandbox guarantee 5, "Timeouts").
 *
 * A guest that spends its time in a host call is out of reach of the interpreter's interrupt
 * checks.  The promise: a host function that waits through the store (bst_store_poll /
 * bst_store_sleep_ns) ends within 50 ms of bst_store_interrupt() — from another thread or a
 * signal handler — or of the store's deadline, and the call traps with BST_TRAP_INTERRUPTED; an
 * interrupt that arrives while a host function computes without waiting is not lost (the call
 * traps when the host function returns, and the guest code after it does not run), not even
 * when a re-entered call's trap reported it first; the deadline alone, without any thread,
 * stops wasm code; and the wait API behaves as documented (ready, timeout, pending and withdrawn
 * interrupts, the wake descriptor).
 *
 * Timing checks allow deadline + 50 ms and are retried up to three times, so that one
 * descheduling of this thread on a loaded machine does not fail the test; a wait that no
 * interrupt ends misses every time (the host function gives up after 5 s and reports it).
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SLACK_MS 50.0
#define ATTEMPTS 3
#define MS UINT64_C(1000000)

/* A call's outcome against the local `err`; the call runs once (CHECK_OK/CHECK_TRAP evaluate
 * their status argument again to report a failure, which would run it again). */
#define EXPECT_TRAP(call_expr, kind)                                                               \
    do {                                                                                           \
        bst_status st_ = (call_expr);                                                              \
        CHECK_TRAP(st_, err, kind);                                                                \
    } while (0)
#define EXPECT_OK(call_expr)                                                                       \
    do {                                                                                           \
        bst_status st_ = (call_expr);                                                              \
        CHECK_OK(st_, err);                                                                        \
    } while (0)

static double ms_between(uint64_t from, uint64_t to) { return ((double)to - (double)from) / 1e6; }

/* ---- the rig: a store, the guest, its host functions ---------------------------------------- */

typedef struct rig {
    bst_store *s;
    bst_instance *inst;
    bst_func *busy;         /* the host function, for direct calls */
    int never_rd, never_wr; /* a pipe nobody writes to */
    bst_trap_kind inner;    /* "reenter": how the re-entered call ended */
    bool wait_called;       /* "wait" reached the host function ... */
    bst_wait waited;        /* ... and its wait ended so */
} rig;

/* Waits for the pipe that never delivers; only an interrupt or the deadline ends the wait (after
 * 5 s it gives up, so a broken wake-up fails the test instead of hanging it). */
static bool host_wait(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    rig *r = env;
    struct pollfd p = {r->never_rd, POLLIN, 0};
    bst_wait w = bst_store_poll(bst_caller_store(c), &p, 1, 5000 * (int64_t)MS);
    r->wait_called = true;
    r->waited = w;
    bst_caller_trap(c, w == BST_WAIT_INTERRUPTED ? "interrupted"
                       : w == BST_WAIT_TIMEOUT   ? "the wait was never interrupted"
                                                 : "poll failed");
    return false;
}

/* Computes for 100 ms without looking at the store, then returns normally. */
static bool host_busy(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)c;
    (void)args;
    (void)results;
    (void)env;
    uint64_t t0 = bst_monotonic_ns();
    while (bst_monotonic_ns() - t0 < 100 * MS) {
    }
    return true;
}

/* Re-enters the guest's infinite loop and swallows its trap, as a forgiving host might. */
static bool host_reenter(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)c;
    (void)args;
    (void)results;
    rig *r = env;
    bst_error err;
    bst_status st = bst_call(h_func(r->inst, "spin"), NULL, 0, NULL, 0, &err);
    r->inner = st == BST_ERR_TRAP ? err.trap : BST_TRAP_NONE;
    return true;
}

static rig *rig_new(const bst_module *m) {
    rig *r = calloc(1, sizeof *r);
    int p[2];
    if (!r || pipe(p) != 0) {
        fprintf(stderr, "cannot set up the rig\n");
        exit(2);
    }
    r->never_rd = p[0];
    r->never_wr = p[1];
    r->s = bst_store_new(NULL);
    static const bst_functype none = {0, 0, NULL, NULL};
    bst_host_fn fns[3] = {host_wait, host_busy, host_reenter};
    bst_extern imports[3];
    for (int i = 0; i < 3; i++) {
        imports[i].kind = BST_EXTERN_FUNC;
        imports[i].of.func = bst_func_new_host(r->s, &none, fns[i], r);
    }
    r->busy = imports[1].of.func;
    bst_error err;
    r->inst = bst_instance_new(r->s, m, imports, 3, NULL, &err);
    if (!r->inst) {
        fprintf(stderr, "instantiation failed: %s\n", err.message);
        exit(2);
    }
    /* A store's first call allocates its stacks (8 MiB, slow under the sanitizers): done here,
     * so that the calls under test reach their host function long before an interrupt. */
    bst_value v;
    if (h_call(h_func(r->inst, "quick"), &err, &v, 0) != BST_OK) {
        fprintf(stderr, "quick: %s\n", err.message);
        exit(2);
    }
    return r;
}

static void rig_free(rig *r) {
    bst_store_free(r->s);
    close(r->never_rd);
    close(r->never_wr);
    free(r);
}

static int32_t after(const rig *r) { return bst_global_get(h_global(r->inst, "after")).of.i32; }

/* Calls the guest's export fn (no arguments, no results). */
static bst_status call(rig *r, const char *fn, bst_error *err) {
    return h_call(h_func(r->inst, fn), err, NULL, 0);
}

/* ---- an interrupting thread ---------------------------------------------------------------- */

typedef struct interrupter {
    bst_store *s;
    unsigned delay_ms;
    uint64_t at; /* when it called bst_store_interrupt() */
    pthread_t thread;
} interrupter;

static void *interrupter_main(void *arg) {
    interrupter *w = arg;
    struct timespec ts = {0, (long)w->delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    w->at = bst_monotonic_ns();
    bst_store_interrupt(w->s);
    return NULL;
}

static void interrupter_start(interrupter *w, bst_store *s, unsigned delay_ms) {
    w->s = s;
    w->delay_ms = delay_ms;
    w->at = 0;
    if (pthread_create(&w->thread, NULL, interrupter_main, w) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        exit(2);
    }
}

/* ---- 1. an interrupt from another thread ends a blocked host call ------------------------- */

static void interrupt_ends_wait(const bst_module *m) {
    double late = 1e9;
    for (int attempt = 0; attempt < ATTEMPTS && late >= SLACK_MS; attempt++) {
        rig *r = rig_new(m);
        interrupter w;
        interrupter_start(&w, r->s, 50);
        bst_error err;
        bst_status st = call(r, "wait", &err);
        uint64_t end = bst_monotonic_ns();
        pthread_join(w.thread, NULL);
        CHECK_TRAP(st, err, BST_TRAP_INTERRUPTED);
        CHECK_STR(err.message, "interrupted");
        CHECK_EQ(after(r), 0);
        if (r->wait_called) {
            CHECK_EQ(r->waited, BST_WAIT_INTERRUPTED);
            late = ms_between(w.at, end);
            printf("wait interrupted by a thread: ended %.1f ms after the interrupt\n", late);
        } else {
            printf("the interrupt came before the call reached the wait: again\n");
        }
        /* the trap consumed the request: the store works, and waits wait again */
        bst_value v;
        EXPECT_OK(h_call(h_func(r->inst, "quick"), &err, &v, 0));
        CHECK_EQ(v.of.i32, 42);
        CHECK(!bst_store_interrupted(r->s));
        rig_free(r);
    }
    CHECK(late < SLACK_MS);
}

/* ---- 2. the deadline ends a blocked host call, and stops wasm code on its own -------------- */

static void deadline_ends_wait(const bst_module *m) {
    double took = 1e9;
    for (int attempt = 0; attempt < ATTEMPTS && took >= 100 + SLACK_MS; attempt++) {
        rig *r = rig_new(m);
        uint64_t t0 = bst_monotonic_ns();
        bst_store_set_deadline(r->s, t0 + 100 * MS);
        CHECK_EQ(bst_store_deadline(r->s), t0 + 100 * MS);
        bst_error err;
        bst_status st = call(r, "wait", &err);
        took = ms_between(t0, bst_monotonic_ns());
        CHECK_TRAP(st, err, BST_TRAP_INTERRUPTED);
        CHECK_EQ(r->waited, BST_WAIT_INTERRUPTED);
        CHECK_EQ(after(r), 0);
        CHECK(took >= 100);
        printf("wait with a 100 ms deadline: ended after %.1f ms\n", took);
        /* the deadline stays: later calls stop at once, waits do not wait */
        CHECK(bst_store_interrupted(r->s));
        uint64_t t1 = bst_monotonic_ns();
        EXPECT_TRAP(call(r, "spin", &err), BST_TRAP_INTERRUPTED);
        EXPECT_TRAP(call(r, "wait", &err), BST_TRAP_INTERRUPTED);
        CHECK(ms_between(t1, bst_monotonic_ns()) < 1000);
        /* removed, the store runs again */
        bst_store_set_deadline(r->s, 0);
        CHECK_EQ(bst_store_deadline(r->s), 0);
        CHECK(!bst_store_interrupted(r->s));
        bst_value v;
        EXPECT_OK(h_call(h_func(r->inst, "quick"), &err, &v, 0));
        rig_free(r);
    }
    CHECK(took < 100 + SLACK_MS);
}

static void deadline_stops_wasm(const bst_module *m, const char *what) {
    double took = 1e9;
    for (int attempt = 0; attempt < ATTEMPTS && took >= 100 + SLACK_MS; attempt++) {
        rig *r = rig_new(m);
        uint64_t t0 = bst_monotonic_ns();
        bst_store_set_deadline(r->s, t0 + 100 * MS);
        bst_error err;
        EXPECT_TRAP(call(r, "spin", &err), BST_TRAP_INTERRUPTED);
        took = ms_between(t0, bst_monotonic_ns());
        CHECK(took >= 100);
        printf("infinite loop (%s) with a 100 ms deadline, no thread: ended after %.1f ms\n", what,
               took);
        rig_free(r);
    }
    CHECK(took < 100 + SLACK_MS);
}

/* ---- 3. an interrupt during a host call that does not wait is not lost -------------------- */

static void interrupt_during_host_call(const bst_module *m) {
    rig *r = rig_new(m);
    bst_error err;
    /* from a thread, 20 ms into the 100 ms host call */
    interrupter w;
    interrupter_start(&w, r->s, 20);
    EXPECT_TRAP(call(r, "busy", &err), BST_TRAP_INTERRUPTED);
    pthread_join(w.thread, NULL);
    CHECK_EQ(after(r), 0);
    /* the deadline passing during the host call */
    bst_store_set_deadline(r->s, bst_monotonic_ns() + 20 * MS);
    EXPECT_TRAP(call(r, "busy", &err), BST_TRAP_INTERRUPTED);
    CHECK_EQ(after(r), 0);
    bst_store_set_deadline(r->s, 0);
    /* the embedder calling the host function directly */
    interrupter_start(&w, r->s, 20);
    EXPECT_TRAP(bst_call(r->busy, NULL, 0, NULL, 0, &err), BST_TRAP_INTERRUPTED);
    pthread_join(w.thread, NULL);
    /* each trap consumed its request */
    EXPECT_OK(call(r, "busy", &err));
    CHECK_EQ(after(r), 1);
    rig_free(r);
}

/* A re-entered call reports the interrupt first; the host function swallows that trap, and the
 * outer call must still end interrupted. */
static void interrupt_through_reentry(const bst_module *m) {
    rig *r = rig_new(m);
    interrupter w;
    interrupter_start(&w, r->s, 30);
    bst_error err;
    EXPECT_TRAP(call(r, "reenter", &err), BST_TRAP_INTERRUPTED);
    pthread_join(w.thread, NULL);
    CHECK_EQ(r->inner, BST_TRAP_INTERRUPTED);
    CHECK_EQ(after(r), 0);
    bst_value v;
    EXPECT_OK(h_call(h_func(r->inst, "quick"), &err, &v, 0));
    rig_free(r);
}

/* ---- 4. an interrupt from a signal handler ------------------------------------------------- */

static bst_store *signal_store; /* test-program state: the handler's target */

static void on_alarm(int sig) {
    (void)sig;
    bst_store_interrupt(signal_store);
}

static void interrupt_from_signal(const bst_module *m) {
    double took = 1e9;
    for (int attempt = 0; attempt < ATTEMPTS && took >= 50 + SLACK_MS; attempt++) {
        rig *r = rig_new(m);
        signal_store = r->s;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigemptyset(&sa.sa_mask);
        CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
        struct itimerval it = {{0, 0}, {0, 50000}};
        uint64_t t0 = bst_monotonic_ns();
        CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
        bst_error err;
        bst_status st = call(r, "wait", &err);
        took = ms_between(t0, bst_monotonic_ns());
        CHECK_TRAP(st, err, BST_TRAP_INTERRUPTED);
        if (r->wait_called) {
            CHECK_EQ(r->waited, BST_WAIT_INTERRUPTED);
            printf("wait interrupted by a signal handler 50 ms in: ended after %.1f ms\n", took);
        } else {
            took = 1e9;
            printf("the signal came before the call reached the wait: again\n");
        }
        signal(SIGALRM, SIG_DFL);
        rig_free(r);
    }
    CHECK(took < 50 + SLACK_MS);
}

/* ---- 5. the wait API ----------------------------------------------------------------------- */

static void wait_api(void) {
    bst_store *s = bst_store_new(NULL);
    int p[2];
    CHECK(pipe(p) == 0);
    struct pollfd pf = {p[0], POLLIN, 0};
    /* a plain sleep runs in full; a poll with nothing to read times out, revents 0 */
    uint64_t t0 = bst_monotonic_ns();
    CHECK_EQ(bst_store_sleep_ns(s, 20 * MS), BST_WAIT_TIMEOUT);
    CHECK(ms_between(t0, bst_monotonic_ns()) >= 20);
    pf.revents = POLLERR;
    CHECK_EQ(bst_store_poll(s, &pf, 1, 10 * (int64_t)MS), BST_WAIT_TIMEOUT);
    CHECK_EQ(pf.revents, 0);
    /* data: ready at once */
    CHECK(write(p[1], "x", 1) == 1);
    CHECK_EQ(bst_store_poll(s, &pf, 1, -1), BST_WAIT_READY);
    CHECK(pf.revents & POLLIN);
    char c;
    CHECK(read(p[0], &c, 1) == 1);
    /* the wake descriptor: close-on-exec, readable once interrupted */
    int wake = bst_store_wake_fd(s);
    CHECK(wake >= 0);
    CHECK(wake >= 0 && (fcntl(wake, F_GETFD) & FD_CLOEXEC));
    CHECK_EQ(bst_store_wake_fd(s), wake);
    struct pollfd wf = {wake, POLLIN, 0};
    CHECK_EQ(poll(&wf, 1, 0), 0);
    /* a pending interrupt ends a wait before it starts, even one with data ready */
    bst_store_interrupt(s);
    CHECK(bst_store_interrupted(s));
    CHECK_EQ(poll(&wf, 1, 0), 1);
    CHECK_EQ(bst_store_sleep_ns(s, 5000 * MS), BST_WAIT_INTERRUPTED);
    CHECK(write(p[1], "x", 1) == 1);
    CHECK_EQ(bst_store_poll(s, &pf, 1, -1), BST_WAIT_INTERRUPTED);
    CHECK(read(p[0], &c, 1) == 1);
    /* withdrawn: nothing left to wake the next wait early */
    bst_store_clear_interrupt(s);
    CHECK(!bst_store_interrupted(s));
    CHECK_EQ(poll(&wf, 1, 0), 0);
    t0 = bst_monotonic_ns();
    CHECK_EQ(bst_store_sleep_ns(s, 20 * MS), BST_WAIT_TIMEOUT);
    CHECK(ms_between(t0, bst_monotonic_ns()) >= 20);
    /* a deadline shorter than the wait's own timeout wins; a longer one does not */
    t0 = bst_monotonic_ns();
    bst_store_set_deadline(s, t0 + 30 * MS);
    CHECK_EQ(bst_store_sleep_ns(s, 5000 * MS), BST_WAIT_INTERRUPTED);
    double took = ms_between(t0, bst_monotonic_ns());
    CHECK(took >= 30 && took < 5000);
    bst_store_set_deadline(s, bst_monotonic_ns() + 5000 * MS);
    CHECK_EQ(bst_store_sleep_ns(s, 10 * MS), BST_WAIT_TIMEOUT);
    /* more descriptors than fit the poll's small array */
    struct pollfd many[40];
    for (int i = 0; i < 40; i++) many[i] = (struct pollfd){p[0], POLLIN, 0};
    many[39].fd = p[1];
    many[39].events = POLLOUT;
    CHECK_EQ(bst_store_poll(s, many, 40, -1), BST_WAIT_READY);
    CHECK(many[39].revents & POLLOUT);
    CHECK_EQ(many[0].revents, 0);
    close(p[0]);
    close(p[1]);
    bst_store_free(s);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    bst_module *metered = h_load("blocking", NULL);
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.fuel_metering = false;
    bst_module *plain = h_load("blocking", &mc);

    wait_api();
    interrupt_ends_wait(metered);
    deadline_ends_wait(metered);
    deadline_stops_wasm(metered, "metered");
    deadline_stops_wasm(plain, "unmetered");
    interrupt_during_host_call(metered);
    interrupt_during_host_call(plain);
    interrupt_through_reentry(metered);
    interrupt_from_signal(metered);

    bst_module_free(metered);
    bst_module_free(plain);
    return h_finish("timeouts");
}
