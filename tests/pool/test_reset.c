/*
 * test_reset.c — a pooled instance leaks nothing between calls (CTest pool/reset).  Call 1
 * writes a secret into all the memory it can reach (after growing it), sets every mutable
 * global, overwrites and grows the table and drops the passive segments (reset.wat's `poison`);
 * call 2, on the same instance back from the pool (checked: a pool hit, the same bst_instance),
 * reads zeros and initial values everywhere.  Also: a per-call counter (pooled.wat) reads as on
 * a fresh instance on every reuse, through a pool with a link function and a tenant.
 */
#include "pool_test.h"

static int32_t ci(bst_lease *l, const char *name, int nargs, int32_t arg) {
    int32_t out = -12345;
    bst_error err;
    bst_status st = pt_call(l, name, nargs, arg, &out, &err);
    CHECK_MSG(st == BST_OK, "%s: %s", name, err.message);
    return out;
}

static bst_value global_of(bst_lease *l, const char *name) {
    bst_extern e;
    memset(&e, 0, sizeof e);
    CHECK(bst_instance_export(bst_lease_instance(l), name, strlen(name), &e));
    return bst_global_get(e.of.global);
}

static void test_secret(bst_tenant *t) {
    bst_module *m = pt_load("reset");
    bst_pool_config cfg = pt_pool_config(false);
    bst_rejection rej;
    bst_error err;
    bst_pool *p = bst_pool_new(t, m, &cfg, &rej, &err);
    CHECK_MSG(p != NULL, "pool: %s", err.message);
    if (!p) return;
    bst_instance *first = NULL;
    for (int round = 0; round < 4; round++) {
        bst_lease *l = bst_pool_acquire(p, &rej, &err);
        CHECK_MSG(l != NULL, "acquire: %s", err.message);
        if (!l) break;
        if (round == 0) first = bst_lease_instance(l);
        /* the same instance every time: reused, not re-created */
        CHECK(bst_lease_instance(l) == first);
        CHECK(bst_lease_reused(l));
        /* the state right after instantiation */
        CHECK_EQ(ci(l, "nonzero", 0, 0), 5);
        CHECK_EQ(ci(l, "mem_pages", 0, 0), 1);
        CHECK_EQ(ci(l, "table_size", 0, 0), 4);
        CHECK_EQ(ci(l, "slot", 1, 0), 1);
        CHECK_EQ(ci(l, "slot", 1, 1), 0);
        CHECK_EQ(global_of(l, "g32").of.i32, 11);
        CHECK_EQ(global_of(l, "g64").of.i64, 22);
        CHECK_EQ(global_of(l, "starts").of.i32, 1);
        /* the secret, everywhere */
        CHECK_EQ(pt_call(l, "poison", 0, 0, NULL, &err), BST_OK);
        CHECK_EQ(ci(l, "nonzero", 0, 0), 4 * 65536);
        CHECK_EQ(global_of(l, "g32").of.i32, 0x5ec7e7);
        bst_lease_release(l, BST_OUTCOME_SUCCESS);
    }
    bst_pool_stats ps;
    bst_pool_get_stats(p, &ps);
    CHECK_EQ(ps.created, 1);
    CHECK_EQ(ps.hits, 4);
    CHECK_EQ(ps.misses, 0);
    CHECK_EQ(ps.resets, 4);
    CHECK_EQ(ps.idle, 1);
    CHECK_EQ(ps.in_use, 0);
    bst_pool_free(p);
    bst_module_free(m);
}

/* Two leases at once are two instances; both come back reset. */
static void test_counter(bst_tenant *t) {
    bst_module *m = pt_load("pooled");
    bst_pool_config cfg = pt_pool_config(true);
    cfg.prewarm = 2;
    bst_rejection rej;
    bst_error err;
    bst_pool *p = bst_pool_new(t, m, &cfg, &rej, &err);
    CHECK_MSG(p != NULL, "pool: %s", err.message);
    if (!p) return;
    for (int round = 0; round < 10; round++) {
        bst_lease *a = bst_pool_acquire(p, &rej, &err);
        bst_lease *b = bst_pool_acquire(p, &rej, &err);
        CHECK(a && b && bst_lease_instance(a) != bst_lease_instance(b));
        if (!a || !b) break;
        CHECK_EQ(ci(a, "count", 0, 0), 1001);
        CHECK_EQ(ci(a, "count", 0, 0), 2002); /* within one lease the state persists */
        CHECK_EQ(ci(b, "count", 0, 0), 1001);
        CHECK_EQ(ci(a, "grow", 1, 2), 1);
        bst_lease_release(a, BST_OUTCOME_SUCCESS);
        bst_lease_release(b, BST_OUTCOME_SUCCESS);
    }
    bst_pool_stats ps;
    bst_pool_get_stats(p, &ps);
    CHECK_EQ(ps.created, 2);
    CHECK_EQ(ps.hits, 20);
    bst_pool_free(p);
    bst_module_free(m);
}

int main(void) {
    test_secret(NULL);
    test_counter(NULL);
    bst_tenant_limits lim;
    bst_tenant_limits_default(&lim);
    bst_error err;
    bst_tenant *t = bst_tenant_new("a", &lim, &err);
    REQUIRE(t != NULL);
    test_secret(t);
    test_counter(t);
    bst_tenant_stats st;
    bst_tenant_get_stats(t, &st);
    CHECK_EQ(st.calls[BST_OUTCOME_SUCCESS], 4 + 20);
    CHECK_EQ(st.pool_hits, 24);
    CHECK_EQ(st.pool_misses, 0);
    CHECK_EQ(st.instances_in_use, 0);
    CHECK_EQ(st.latency_count, 24);
    bst_tenant_free(t);
    return check_finish("pool/reset");
}
