/*
 * interrupt.c — runaway execution, interrupt half (sandbox guarantee 5b).
 *
 * A watchdog thread calls bst_store_interrupt() 50 ms into an infinite loop — a loop without
 * calls, and a loop of (non-recursive) calls — with fuel metering on and off.  The call must
 * return BST_ERR_TRAP / BST_TRAP_INTERRUPTED promptly (under 2 s), the backtrace must name the
 * function, and the store must be usable again (the interrupt is cleared by the trap).  A pending
 * interrupt stops the next call at its first loop head; bst_store_clear_interrupt() withdraws it.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "harness.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct watchdog {
    bst_store *s;
    unsigned delay_ms;
} watchdog;

static void *watchdog_main(void *arg) {
    watchdog *w = arg;
    struct timespec ts = {0, (long)w->delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    bst_store_interrupt(w->s);
    return NULL;
}

static void interrupt_after_50ms(const bst_module *m, bool metered, const char *fn,
                                 bool with_fuel) {
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    if (with_fuel) bst_store_set_fuel(s, UINT64_C(1) << 60); /* large, but a budget */
    watchdog w = {s, 50};
    pthread_t t;
    double t0 = now();
    CHECK(pthread_create(&t, NULL, watchdog_main, &w) == 0);
    bst_error err;
    bst_status st = h_call(h_func(inst, fn), &err, NULL, 0);
    double elapsed = now() - t0;
    pthread_join(t, NULL);
    CHECK_TRAP(st, err, BST_TRAP_INTERRUPTED);
    CHECK_STR(err.message, "interrupted");
    CHECK(elapsed >= 0.045);
    CHECK(elapsed < 2.0);
    printf("%s (%s, %s): interrupted after %.0f ms\n", fn, metered ? "metered" : "unmetered",
           with_fuel ? "fuel budget" : "unlimited fuel", elapsed * 1000);
    bst_frame_info fr[4];
    size_t n = bst_store_backtrace(s, fr, 4);
    CHECK(n >= 1);
    /* the store works again: the interrupt was consumed by the trap */
    bst_value v;
    CHECK_OK(h_call(h_func(inst, "quick"), &err, &v, 0), err);
    CHECK_EQ(v.of.i32, 42);
    if (metered) {
        bst_store_set_fuel(s, 1000);
        CHECK_TRAP(h_call(h_func(inst, fn), &err, NULL, 0), err, BST_TRAP_OUT_OF_FUEL);
    }
    bst_store_free(s);
}

static void pending(const bst_module *m, bool metered) {
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_error err;
    bst_value v;
    /* set before the call: the first loop head or call stops it, nothing runs on */
    bst_store_interrupt(s);
    CHECK_TRAP(h_call(h_func(inst, "call_loop"), &err, NULL, 0), err, BST_TRAP_INTERRUPTED);
    CHECK_EQ(bst_global_get(h_global(inst, "n")).of.i64, 0);
    CHECK_OK(h_call(h_func(inst, "quick"), &err, &v, 0), err);
    /* withdrawn before the call: the loop runs until the fuel runs out (metered) or a second,
     * real interrupt arrives (unmetered) */
    bst_store_interrupt(s);
    bst_store_clear_interrupt(s);
    if (metered) {
        bst_store_set_fuel(s, 10000);
        CHECK_TRAP(h_call(h_func(inst, "spin"), &err, NULL, 0), err, BST_TRAP_OUT_OF_FUEL);
    } else {
        watchdog w = {s, 20};
        pthread_t t;
        /* t0 before the thread exists: its 20 ms sleep starts after t0 however the threads are
         * scheduled, so the elapsed time is at least the sleep (a loaded CI machine once
         * descheduled this thread between create and a later t0). */
        double t0 = now();
        CHECK(pthread_create(&t, NULL, watchdog_main, &w) == 0);
        CHECK_TRAP(h_call(h_func(inst, "spin"), &err, NULL, 0), err, BST_TRAP_INTERRUPTED);
        CHECK(now() - t0 >= 0.015);
        pthread_join(t, NULL);
    }
    bst_store_free(s);
}

/* Interrupting one store leaves another store, running in parallel, alone. */
typedef struct runner {
    bst_store *s;
    bst_instance *inst;
    bst_status st;
    bst_trap_kind trap;
} runner;

static void *runner_main(void *arg) {
    runner *r = arg;
    bst_error err;
    r->st = h_call(h_func(r->inst, "spin"), &err, NULL, 0);
    r->trap = err.trap;
    return NULL;
}

static void selective(const bst_module *m) {
    runner a, b;
    a.s = bst_store_new(NULL);
    b.s = bst_store_new(NULL);
    a.inst = h_instance(a.s, m, NULL);
    b.inst = h_instance(b.s, m, NULL);
    bst_store_set_fuel(b.s, 3000000); /* b ends by itself, out of fuel */
    pthread_t ta, tb;
    CHECK(pthread_create(&ta, NULL, runner_main, &a) == 0);
    CHECK(pthread_create(&tb, NULL, runner_main, &b) == 0);
    pthread_join(tb, NULL);
    bst_store_interrupt(a.s);
    pthread_join(ta, NULL);
    CHECK_EQ(a.trap, BST_TRAP_INTERRUPTED);
    CHECK_EQ(b.trap, BST_TRAP_OUT_OF_FUEL);
    bst_store_free(a.s);
    bst_store_free(b.s);
}

int main(void) {
    bst_module *metered = h_load("interrupt", NULL);
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.fuel_metering = false;
    bst_module *plain = h_load("interrupt", &mc);

    setvbuf(stdout, NULL, _IOLBF, 0);
    interrupt_after_50ms(metered, true, "spin", true);
    interrupt_after_50ms(metered, true, "call_loop", true);
    interrupt_after_50ms(metered, true, "spin", false);
    interrupt_after_50ms(plain, false, "spin", false);
    interrupt_after_50ms(plain, false, "call_loop", false);
    pending(metered, true);
    pending(plain, false);
    selective(metered);

    bst_module_free(metered);
    bst_module_free(plain);
    return h_finish("interrupt");
}
