/*
 * test_stress.c — many threads borrowing from one tenant's pool at once (CTest pool/stress, in
 * the ThreadSanitizer stage): 8 threads, 3 places, short calls, some of them interrupted by
 * bst_tenant_interrupt_all from another thread.  Every call that ran on a lease saw a fresh
 * (reset) instance, the quota was never exceeded, and the counters add up exactly: calls by
 * outcome plus rejections equal the attempts, nothing is left in use.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "pool_test.h"

enum { THREADS = 8, ROUNDS = 150, PLACES = 3 };

typedef struct shared {
    bst_pool *p;
    bst_tenant *t;
    atomic_int running;     /* leases out now */
    atomic_int max_running; /* the most seen at once */
    atomic_int stale;       /* calls that saw a previous call's state */
    atomic_int ok, interrupted, rejected, other;
    atomic_bool stop;
} shared;

static void *worker(void *arg) {
    shared *sh = arg;
    for (int i = 0; i < ROUNDS; i++) {
        bst_rejection rej;
        bst_error err;
        bst_lease *l = bst_pool_acquire(sh->p, &rej, &err);
        if (!l) {
            if (rej.quota == BST_QUOTA_MAX_INSTANCES)
                atomic_fetch_add(&sh->rejected, 1);
            else
                atomic_fetch_add(&sh->other, 1);
            continue;
        }
        int now = atomic_fetch_add(&sh->running, 1) + 1;
        int seen = atomic_load(&sh->max_running);
        while (now > seen && !atomic_compare_exchange_weak(&sh->max_running, &seen, now)) {
        }
        int32_t v = 0;
        bst_status st = pt_call(l, "count", 0, 0, &v, &err);
        if (st == BST_OK && v != 1001) atomic_fetch_add(&sh->stale, 1);
        if (st == BST_OK) st = pt_call(l, "work", 1, 20000 + i * 100, &v, &err);
        if (st == BST_OK) st = pt_call(l, "grow", 1, 1, &v, &err);
        bst_outcome o = bst_lease_outcome(l, st, &err);
        if (o == BST_OUTCOME_SUCCESS)
            atomic_fetch_add(&sh->ok, 1);
        else if (o == BST_OUTCOME_TIMEOUT) /* an interrupt without CPU exhaustion */
            atomic_fetch_add(&sh->interrupted, 1);
        else
            atomic_fetch_add(&sh->other, 1);
        atomic_fetch_sub(&sh->running, 1);
        bst_lease_release(l, o);
    }
    return NULL;
}

static void *interrupter(void *arg) {
    shared *sh = arg;
    while (!atomic_load(&sh->stop)) {
        bst_tenant_interrupt_all(sh->t);
        pt_sleep_ms(3);
    }
    return NULL;
}

int main(void) {
    bst_tenant_limits lim;
    bst_tenant_limits_default(&lim);
    lim.max_instances = PLACES;
    lim.acquire_timeout_ms = 2;
    lim.cpu_ms_per_s = 100000; /* the watchdog runs, but the budget is never spent */
    lim.call_timeout_ms = 0;
    bst_error err;
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.t = bst_tenant_new("stress", &lim, &err);
    REQUIRE(sh.t != NULL);
    bst_module *m = pt_load("pooled");
    bst_pool_config cfg = pt_pool_config(true);
    bst_rejection rej;
    sh.p = bst_pool_new(sh.t, m, &cfg, &rej, &err);
    REQUIRE(sh.p != NULL);
    pthread_t th[THREADS], intr;
    for (int i = 0; i < THREADS; i++) pthread_create(&th[i], NULL, worker, &sh);
    pthread_create(&intr, NULL, interrupter, &sh);
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    atomic_store(&sh.stop, true);
    pthread_join(intr, NULL);

    int ok = atomic_load(&sh.ok), in = atomic_load(&sh.interrupted);
    int rejected = atomic_load(&sh.rejected);
    fprintf(stderr, "ok %d, interrupted %d, rejected %d, most at once %d\n", ok, in, rejected,
            atomic_load(&sh.max_running));
    CHECK_EQ(atomic_load(&sh.stale), 0);
    CHECK_EQ(atomic_load(&sh.other), 0);
    CHECK(atomic_load(&sh.max_running) <= PLACES);
    CHECK_EQ(ok + in + rejected, THREADS * ROUNDS);
    CHECK(ok > 0);
    bst_tenant_stats st;
    bst_tenant_get_stats(sh.t, &st);
    CHECK_EQ(st.calls[BST_OUTCOME_SUCCESS], ok);
    CHECK_EQ(st.calls[BST_OUTCOME_TIMEOUT], in);
    CHECK_EQ(st.rejections[BST_QUOTA_MAX_INSTANCES], rejected);
    CHECK_EQ(st.instances_in_use, 0);
    CHECK_EQ(st.latency_count, ok + in);
    CHECK_EQ(st.pool_hits + st.pool_misses, ok + in);
    CHECK_EQ(st.latency_le[BST_LATENCY_BUCKETS - 1] <= st.latency_count, 1);
    bst_pool_stats ps;
    bst_pool_get_stats(sh.p, &ps);
    CHECK_EQ(ps.in_use, 0);
    CHECK(ps.created <= PLACES + 1);
    CHECK_EQ(ps.resets + ps.reset_failures, (uint64_t)(ok + in));
    bst_pool_free(sh.p);
    bst_module_free(m);
    bst_tenant_free(sh.t);
    return check_finish("pool/stress");
}
