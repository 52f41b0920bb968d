/*
 * reset.c — bst_instance_reset leaves nothing behind: after a call wrote a secret into all the
 * memory it could (after growing it), changed every mutable global, grew and overwrote the table
 * and dropped the passive segments, a reset instance reads exactly what a fresh one reads
 * (reset.wat).  Also the embedder-side resets (bst_memory_reset / bst_table_reset /
 * bst_global_reset of imported objects, with segments re-applied into them) and the host page
 * cap (bst_memory_set_max_pages).
 */
#include "harness.h"

/* The i32 an export returns (no arguments or one). */
static int32_t call_i32(const bst_instance *inst, const char *name, int nargs, int32_t arg) {
    bst_error err;
    bst_value out;
    bst_status st = nargs ? h_call(h_func(inst, name), &err, &out, 1, arg)
                          : h_call(h_func(inst, name), &err, &out, 0);
    CHECK_MSG(st == BST_OK, "%s: %s", name, err.message);
    return st == BST_OK ? out.of.i32 : -12345;
}

/* What a fresh reset.wat instance looks like (start function run once). */
static void check_initial(const bst_instance *inst, const char *when) {
    fprintf(stderr, "checking the initial state %s\n", when);
    /* "seed" (4 bytes) and the start function's counter byte */
    CHECK_EQ(call_i32(inst, "nonzero", 0, 0), 5);
    CHECK_EQ(call_i32(inst, "load", 1, 16), 0x64656573); /* "seed" */
    CHECK_EQ(call_i32(inst, "load", 1, 100), 1);
    CHECK_EQ(call_i32(inst, "mem_pages", 0, 0), 1);
    CHECK_EQ(call_i32(inst, "table_size", 0, 0), 4);
    CHECK_EQ(call_i32(inst, "slot", 1, 0), 1); /* the active element segment */
    for (int i = 1; i < 4; i++) CHECK_EQ(call_i32(inst, "slot", 1, i), 0);
    CHECK_EQ(bst_global_get(h_global(inst, "g32")).of.i32, 11);
    CHECK_EQ(bst_global_get(h_global(inst, "g64")).of.i64, 22);
    CHECK_EQ(bst_global_get(h_global(inst, "gf")).of.f64, 0x3ff8000000000000u); /* 1.5 */
    CHECK_EQ(bst_global_get(h_global(inst, "starts")).of.i32, 1);
}

static void poison(const bst_instance *inst) {
    bst_error err;
    CHECK_OK(h_call(h_func(inst, "poison"), &err, NULL, 0), err);
    CHECK_EQ(call_i32(inst, "mem_pages", 0, 0), 4);
    CHECK_EQ(call_i32(inst, "nonzero", 0, 0), 4 * 65536);
    CHECK_EQ(call_i32(inst, "table_size", 0, 0), 9);
    CHECK_EQ(bst_global_get(h_global(inst, "g32")).of.i32, 0x5ec7e7);
    /* the passive segments are gone: memory.init of 4 bytes traps */
    bst_value out;
    CHECK_TRAP(h_call(h_func(inst, "use_passive"), &err, &out, 0), err, BST_TRAP_MEMORY_OOB);
}

static void test_reset(void) {
    bst_module *m = h_load("reset", NULL);
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_memory *mem = bst_instance_memory(inst, "memory");
    check_initial(inst, "after instantiation");
    for (int round = 0; round < 3; round++) {
        poison(inst);
        uint8_t *before = bst_memory_slice(mem, 0, 1);
        bst_error err;
        CHECK_OK(bst_instance_reset(inst, &err), err);
        check_initial(inst, "after a reset");
        /* the memory is the same object, and its base did not move (shrunk in place) */
        CHECK(bst_instance_memory(inst, "memory") == mem);
        CHECK(bst_memory_slice(mem, 0, 1) == before);
        /* the passive segments are back */
        CHECK_EQ(call_i32(inst, "use_passive", 0, 0), 0x73736170); /* "pass" */
        CHECK_EQ(call_i32(inst, "slot", 1, 3), 2);
        /* growing again gives zero pages (the tail was unmapped, not kept) */
        CHECK_EQ(call_i32(inst, "grow", 1, 3), 1);
        CHECK_EQ(call_i32(inst, "load", 1, 3 * 65536 + 8), 0);
        CHECK_OK(bst_instance_reset(inst, &err), err);
        check_initial(inst, "after a second reset");
    }
    /* the store's page budget follows the shrink: with a 4-page store every reset gives the 3
     * grown pages back, so growing works in every round */
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_memory_pages = 4;
    bst_store *small = bst_store_new(&cfg);
    bst_instance *i2 = h_instance(small, m, NULL);
    for (int round = 0; round < 5; round++) {
        CHECK_EQ(call_i32(i2, "grow", 1, 3), 1);
        CHECK_EQ(call_i32(i2, "grow", 1, 1), -1);
        bst_error err;
        CHECK_OK(bst_instance_reset(i2, &err), err);
    }
    bst_store_free(small);
    bst_store_free(s);
    bst_module_free(m);
}

/* The host's page cap: memory.grow past it is -1, and a cap below the current size refused. */
static void test_max_pages(void) {
    bst_module *m = h_load("reset", NULL);
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_memory *mem = bst_instance_memory(inst, "memory");
    CHECK(bst_memory_set_max_pages(mem, 2));
    CHECK_EQ(call_i32(inst, "grow", 1, 2), -1);
    CHECK_EQ(call_i32(inst, "grow", 1, 1), 1);
    CHECK_EQ(bst_memory_grow(mem, 1), -1);
    CHECK(!bst_memory_set_max_pages(mem, 1));  /* 2 pages in use */
    CHECK(bst_memory_set_max_pages(mem, 100)); /* back to the declared maximum, 8 */
    CHECK_EQ(call_i32(inst, "grow", 1, 6), 2);
    CHECK_EQ(call_i32(inst, "grow", 1, 1), -1);
    bst_error err;
    CHECK_OK(bst_instance_reset(inst, &err), err); /* the cap survives the reset */
    CHECK(bst_memory_set_max_pages(mem, 3));
    CHECK_OK(bst_instance_reset(inst, &err), err);
    CHECK_EQ(call_i32(inst, "grow", 1, 3), -1);
    CHECK_EQ(call_i32(inst, "grow", 1, 2), 1);
    bst_store_free(s);
    bst_module_free(m);
}

static bool noop(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)c, (void)args, (void)results, (void)env;
    return true;
}

/* Imported objects: reset by the embedder, then the instance's segments land in them again. */
static void test_imported(void) {
    bst_store *s = bst_store_new(NULL);
    bst_limits lim = {1, 4, true};
    bst_error err;
    bst_memory *mem = bst_memory_new(s, lim, &err);
    bst_value null;
    memset(&null, 0, sizeof null);
    null.type = BST_FUNCREF;
    bst_table *tab = bst_table_new(s, BST_FUNCREF, (bst_limits){2, 10, true}, null, &err);
    bst_global *g = bst_global_new(s, BST_I32, true, h_i32(5));
    CHECK(mem && tab && g);
    CHECK_EQ(bst_memory_grow(mem, 2), 1);
    bst_memory_write(mem, 3 * 65536 - 4, "abcd", 4);
    bst_memory_write(mem, 10, "xy", 2);
    CHECK(bst_global_set(g, h_i32(77)));
    bst_functype ft = {0, 0, NULL, NULL};
    bst_value fv = null;
    fv.of.funcref = bst_func_new_host(s, &ft, noop, NULL);
    CHECK(fv.of.funcref && bst_table_set(tab, 1, fv));
    CHECK(bst_memory_reset(mem));
    CHECK(bst_table_reset(tab));
    bst_global_reset(g);
    CHECK_EQ(bst_memory_pages(mem), 1);
    uint8_t b[2] = {1, 1};
    CHECK(bst_memory_read(mem, 10, b, 2) && b[0] == 0 && b[1] == 0);
    CHECK_EQ(bst_memory_grow(mem, 2), 1);
    uint8_t t[4] = {1, 1, 1, 1};
    CHECK(bst_memory_read(mem, 3 * 65536 - 4, t, 4) && !t[0] && !t[1] && !t[2] && !t[3]);
    CHECK_EQ(bst_global_get(g).of.i32, 5);
    CHECK_EQ(bst_table_size(tab), 2);
    bst_value got;
    CHECK(bst_table_get(tab, 1, &got) && got.of.funcref == NULL);
    bst_store_free(s);
}

int main(void) {
    test_reset();
    test_max_pages();
    test_imported();
    return h_finish("hostile/reset");
}
