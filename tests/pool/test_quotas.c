/*
 * test_quotas.c — each tenant quota does what bastion_pool.h says (CTest pool/quotas, also in
 * the ThreadSanitizer stage):
 *   max_instances   N threads hold the N places; the N+1th acquire fails after about
 *                   acquire_timeout_ms naming "max_instances" with a retry hint, and succeeds
 *                   when a place frees within the timeout;
 *   cpu_ms_per_s    a spinning call is interrupted once the budget is spent (outcome "cpu"),
 *                   new calls are then refused at once ("cpu", retry within the second), and
 *                   accepted again in the next window;
 *   call_timeout_ms a wasm loop and a call blocked in a host function both end as "timeout"
 *                   within the limit + 50 ms;
 *   memory_pages    memory.grow past it returns -1; a module whose minimum exceeds it is
 *                   refused ("memory");
 *   max_code_bytes / max_contracts through the check helpers; and the counters.
 */
#include <pthread.h>

#include "pool_test.h"

static bst_tenant *tenant(uint32_t max_instances, uint32_t cpu_ms, uint32_t timeout_ms,
                          uint32_t pages) {
    bst_tenant_limits lim;
    bst_tenant_limits_default(&lim);
    lim.max_instances = max_instances;
    lim.cpu_ms_per_s = cpu_ms;
    lim.call_timeout_ms = timeout_ms;
    lim.memory_pages = pages;
    bst_error err;
    bst_tenant *t = bst_tenant_new("t", &lim, &err);
    REQUIRE(t != NULL);
    return t;
}

static bst_pool *pool(bst_tenant *t, const bst_module *m) {
    bst_pool_config cfg = pt_pool_config(true);
    bst_rejection rej;
    bst_error err;
    bst_pool *p = bst_pool_new(t, m, &cfg, &rej, &err);
    if (!p) fprintf(stderr, "pool: %s\n", err.message);
    REQUIRE(p != NULL);
    return p;
}

/* ---- max_instances ------------------------------------------------------------------------- */

typedef struct holder {
    bst_pool *p;
    pthread_mutex_t *mu;
    pthread_cond_t *cv;
    int *held;        /* leases acquired so far (all threads) */
    const int *go;    /* release when nonzero */
    unsigned hold_ms; /* or: release after this long (when nonzero) */
    bool ok;
} holder;

static void *hold(void *arg) {
    holder *h = arg;
    bst_rejection rej;
    bst_error err;
    bst_lease *l = bst_pool_acquire(h->p, &rej, &err);
    h->ok = l != NULL;
    int32_t v = 0;
    if (l) h->ok = pt_call(l, "count", 0, 0, &v, &err) == BST_OK && v == 1001;
    pthread_mutex_lock(h->mu);
    (*h->held)++;
    pthread_cond_broadcast(h->cv);
    while (!h->hold_ms && !*h->go) pthread_cond_wait(h->cv, h->mu);
    pthread_mutex_unlock(h->mu);
    if (h->hold_ms) pt_sleep_ms(h->hold_ms);
    if (l) bst_lease_release(l, BST_OUTCOME_SUCCESS);
    return NULL;
}

static void test_max_instances(void) {
    enum { N = 4 };
    bst_tenant *t = tenant(N, 0, 0, 64);
    bst_module *m = pt_load("pooled");
    bst_pool *p = pool(t, m);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int held = 0, go = 0;
    holder h[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        h[i] = (holder){p, &mu, &cv, &held, &go, 0, false};
        pthread_create(&th[i], NULL, hold, &h[i]);
    }
    pthread_mutex_lock(&mu);
    while (held < N) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    bst_tenant_stats st;
    bst_tenant_get_stats(t, &st);
    CHECK_EQ(st.instances_in_use, N);
    /* the N+1th waits acquire_timeout_ms (100) and is refused */
    bst_rejection rej;
    bst_error err;
    uint64_t t0 = pt_now_ms();
    bst_lease *l = bst_pool_acquire(p, &rej, &err);
    uint64_t waited = pt_now_ms() - t0;
    CHECK(l == NULL);
    CHECK_EQ(rej.quota, BST_QUOTA_MAX_INSTANCES);
    CHECK_STR(bst_quota_name(rej.quota), "max_instances");
    CHECK(rej.retry_after_ms >= 1);
    CHECK_MSG(waited >= 95 && waited < 400, "waited %llu ms", (unsigned long long)waited);
    pthread_mutex_lock(&mu);
    go = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        CHECK(h[i].ok);
    }
    /* a place freed within the timeout is taken: one holder releases after 30 ms */
    held = 0;
    go = 0;
    for (int i = 0; i < N; i++) {
        h[i] = (holder){p, &mu, &cv, &held, &go, i == 0 ? 30 : 0, false};
        pthread_create(&th[i], NULL, hold, &h[i]);
    }
    pthread_mutex_lock(&mu);
    while (held < N) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    t0 = pt_now_ms();
    l = bst_pool_acquire(p, &rej, &err);
    CHECK_MSG(l != NULL, "acquire after a release: %s", rej.message);
    CHECK(pt_now_ms() - t0 < 100);
    if (l) bst_lease_release(l, BST_OUTCOME_SUCCESS);
    pthread_mutex_lock(&mu);
    go = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
    bst_tenant_get_stats(t, &st);
    CHECK_EQ(st.rejections[BST_QUOTA_MAX_INSTANCES], 1);
    CHECK_EQ(st.calls[BST_OUTCOME_SUCCESS], 2 * N + 1);
    CHECK_EQ(st.instances_in_use, 0);
    bst_pool_free(p);
    bst_module_free(m);
    bst_tenant_free(t);
}

/* ---- cpu_ms_per_s -------------------------------------------------------------------------- */

static void test_cpu(void) {
    bst_tenant *t = tenant(4, 50, 0, 64);
    bst_module *m = pt_load("pooled");
    bst_pool *p = pool(t, m);
    bst_rejection rej;
    bst_error err;
    /* let the window start fresh: wait for the next second boundary to be far */
    bst_lease *l = bst_pool_acquire(p, &rej, &err);
    REQUIRE(l != NULL);
    uint64_t t0 = pt_now_ms();
    bst_status st = pt_call(l, "spin", 0, 0, NULL, &err);
    uint64_t ran = pt_now_ms() - t0;
    CHECK_EQ(st, BST_ERR_TRAP);
    CHECK_EQ(err.trap, BST_TRAP_INTERRUPTED);
    CHECK(bst_ticket_cpu_exhausted(bst_lease_ticket(l)));
    bst_outcome o = bst_lease_outcome(l, st, &err);
    CHECK_EQ(o, BST_OUTCOME_CPU);
    CHECK_STR(bst_outcome_name(o), "cpu");
    /* at most the budget plus the watchdog's period and some scheduling */
    CHECK_MSG(ran < 50 + 200, "the loop ran %llu ms", (unsigned long long)ran);
    bst_lease_release(l, o);
    /* refused at once while the window's budget is spent */
    t0 = pt_now_ms();
    l = bst_pool_acquire(p, &rej, &err);
    CHECK(l == NULL);
    CHECK(pt_now_ms() - t0 < 20);
    CHECK_EQ(rej.quota, BST_QUOTA_CPU);
    CHECK_STR(bst_quota_name(rej.quota), "cpu");
    CHECK(rej.retry_after_ms >= 1 && rej.retry_after_ms <= 1000);
    /* and accepted again in the next window */
    pt_sleep_ms(rej.retry_after_ms + 5);
    l = bst_pool_acquire(p, &rej, &err);
    CHECK_MSG(l != NULL, "after the window: %s", rej.message);
    if (l) {
        int32_t v = 0;
        CHECK_EQ(pt_call(l, "work", 1, 1000, &v, &err), BST_OK);
        CHECK_EQ(v, 1000);
        bst_lease_release(l, bst_lease_outcome(l, BST_OK, NULL));
    }
    bst_tenant_stats s;
    bst_tenant_get_stats(t, &s);
    CHECK_EQ(s.rejections[BST_QUOTA_CPU], 1);
    CHECK_EQ(s.calls[BST_OUTCOME_CPU], 1);
    CHECK_EQ(s.calls[BST_OUTCOME_SUCCESS], 1);
    CHECK_MSG(s.cpu_ns >= 50000000u, "cpu_ns %llu", (unsigned long long)s.cpu_ns);
    bst_pool_free(p);
    bst_module_free(m);
    bst_tenant_free(t);
}

/* A ticket alone (no pool): a store attached to it is interrupted when the budget runs out. */
static void test_cpu_ticket(void) {
    bst_tenant *t = tenant(2, 30, 0, 64);
    bst_module *m = pt_load("plain");
    bst_store *s = bst_store_new(NULL);
    bst_error err;
    bst_instance *inst = bst_instance_new(s, m, NULL, 0, NULL, &err);
    REQUIRE(inst != NULL);
    bst_rejection rej;
    bst_ticket *k = bst_tenant_enter(t, &rej);
    REQUIRE(k != NULL);
    CHECK(bst_ticket_attach(k, s));
    bst_status st = bst_call(bst_instance_func(inst, "spin"), NULL, 0, NULL, 0, &err);
    CHECK_EQ(st, BST_ERR_TRAP);
    CHECK_EQ(bst_ticket_outcome(k, st, &err), BST_OUTCOME_CPU);
    bst_tenant_leave(k, bst_ticket_outcome(k, st, &err));
    CHECK(bst_tenant_enter(t, &rej) == NULL);
    CHECK_EQ(rej.quota, BST_QUOTA_CPU);
    bst_store_free(s);
    bst_module_free(m);
    bst_tenant_free(t);
}

/* ---- call_timeout_ms ----------------------------------------------------------------------- */

static void test_timeout(void) {
    bst_tenant *t = tenant(2, 0, 100, 64);
    bst_module *m = pt_load("pooled");
    bst_pool *p = pool(t, m);
    const char *what[2] = {"spin", "block"};
    for (int i = 0; i < 2; i++) {
        bst_rejection rej;
        bst_error err;
        bst_lease *l = bst_pool_acquire(p, &rej, &err);
        REQUIRE(l != NULL);
        uint64_t t0 = pt_now_ms();
        bst_status st = pt_call(l, what[i], i, 10000, NULL, &err);
        uint64_t took = pt_now_ms() - t0;
        CHECK_EQ(st, BST_ERR_TRAP);
        CHECK_EQ(err.trap, BST_TRAP_INTERRUPTED);
        CHECK_EQ(bst_lease_outcome(l, st, &err), BST_OUTCOME_TIMEOUT);
        CHECK_MSG(took >= 95 && took <= 150, "%s ended after %llu ms", what[i],
                  (unsigned long long)took);
        bst_lease_release(l, bst_lease_outcome(l, st, &err));
        /* the next call on the same (reset) instance has a fresh deadline */
        l = bst_pool_acquire(p, &rej, &err);
        REQUIRE(l != NULL);
        CHECK(bst_lease_reused(l));
        int32_t v = 0;
        CHECK_EQ(pt_call(l, "block", 1, 20, &v, &err), BST_OK);
        bst_lease_release(l, BST_OUTCOME_SUCCESS);
    }
    bst_tenant_stats s;
    bst_tenant_get_stats(t, &s);
    CHECK_EQ(s.calls[BST_OUTCOME_TIMEOUT], 2);
    CHECK_EQ(s.calls[BST_OUTCOME_SUCCESS], 2);
    bst_pool_free(p);
    bst_module_free(m);
    bst_tenant_free(t);
}

/* ---- memory_pages and the helpers ---------------------------------------------------------- */

static void test_memory(void) {
    bst_tenant *t = tenant(2, 0, 0, 4);
    bst_module *m = pt_load("plain");
    bst_pool *p = pool(t, m);
    bst_rejection rej;
    bst_error err;
    for (int round = 0; round < 2; round++) {
        bst_lease *l = bst_pool_acquire(p, &rej, &err);
        REQUIRE(l != NULL);
        int32_t v = 0;
        CHECK_EQ(pt_call(l, "grow", 1, 3, &v, &err), BST_OK);
        CHECK_EQ(v, 1);
        CHECK_EQ(pt_call(l, "grow", 1, 1, &v, &err), BST_OK);
        CHECK_EQ(v, -1);
        bst_lease_release(l, BST_OUTCOME_SUCCESS);
    }
    bst_pool_free(p);
    bst_module *big = pt_load("big_memory");
    CHECK(!bst_tenant_check_module(t, big, &rej));
    CHECK_EQ(rej.quota, BST_QUOTA_MEMORY);
    CHECK(bst_pool_new(t, big, NULL, &rej, &err) == NULL);
    CHECK_EQ(rej.quota, BST_QUOTA_MEMORY);
    CHECK_STR(bst_quota_name(rej.quota), "memory");
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    CHECK(bst_tenant_check_module(t, m, &rej));
    /* the limits carried for the service */
    CHECK(bst_tenant_check_code(t, 131072, &rej));
    CHECK(!bst_tenant_check_code(t, 131073, &rej));
    CHECK_EQ(rej.quota, BST_QUOTA_MAX_CODE_BYTES);
    CHECK(bst_tenant_check_contracts(t, 999, &rej));
    CHECK(!bst_tenant_check_contracts(t, 1000, &rej));
    CHECK_EQ(rej.quota, BST_QUOTA_MAX_CONTRACTS);
    CHECK_STR(bst_quota_name(BST_QUOTA_MAX_CONTRACTS), "max_contracts");
    bst_tenant_stats s;
    bst_tenant_get_stats(t, &s);
    CHECK_EQ(s.rejections[BST_QUOTA_MEMORY], 2);
    CHECK_EQ(s.rejections[BST_QUOTA_MAX_CODE_BYTES], 1);
    CHECK_EQ(s.rejections[BST_QUOTA_MAX_CONTRACTS], 1);
    bst_module_free(big);
    bst_module_free(m);
    bst_tenant_free(t);
}

int main(void) {
    test_max_instances();
    test_cpu();
    test_cpu_ticket();
    test_timeout();
    test_memory();
    return check_finish("pool/quotas");
}
