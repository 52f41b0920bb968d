/*
 * isolation.c — shared-memory attack between instances (sandbox guarantee 1).
 *
 * Two instances of one bst_module, first in the same store and then in two stores, write
 * different values at the same memory address, global and table slot; each must read back its
 * own.  Instances created later start from the module's initial data/global values, growing one
 * instance's memory leaves the other's alone, and freeing one store leaves the other working.
 */
#include "harness.h"

#define SEED 0x64656573 /* "seed" little-endian, the data segment at address 16 */

typedef struct inst {
    bst_instance *inst;
    bst_func *store, *load, *set_global, *get_global, *set_slot, *call_slot, *grow, *size;
    bst_memory *mem;
    bst_global *g;
    bst_table *t;
} inst;

static inst make(bst_store *s, const bst_module *m, void *ud) {
    inst x;
    x.inst = h_instance(s, m, ud);
    x.store = h_func(x.inst, "store");
    x.load = h_func(x.inst, "load");
    x.set_global = h_func(x.inst, "set_global");
    x.get_global = h_func(x.inst, "get_global");
    x.set_slot = h_func(x.inst, "set_slot");
    x.call_slot = h_func(x.inst, "call_slot");
    x.grow = h_func(x.inst, "grow");
    x.size = h_func(x.inst, "size");
    x.mem = bst_instance_memory(x.inst, "memory");
    x.g = h_global(x.inst, "g");
    x.t = h_table(x.inst, "table");
    CHECK(x.mem != NULL);
    return x;
}

/* Calls f(args...) expecting success and an i32 result (or none); returns the result. */
static int32_t ok_call(bst_func *f, size_t nargs, int32_t a0, int32_t a1) {
    bst_error err;
    bst_value r;
    bst_status st = nargs == 0   ? h_call(f, &err, &r, 0)
                    : nargs == 1 ? h_call(f, &err, &r, 1, a0)
                                 : h_call(f, &err, &r, 2, a0, a1);
    CHECK_OK(st, err);
    return r.of.i32;
}

static void attack(bst_store *sa, bst_store *sb, const bst_module *m) {
    int ua = 1, ub = 2;
    inst a = make(sa, m, &ua), b = make(sb, m, &ub);
    CHECK(a.mem != b.mem && a.g != b.g && a.t != b.t);
    CHECK(bst_instance_user_data(a.inst) == &ua && bst_instance_user_data(b.inst) == &ub);

    /* memory: same address, different values */
    ok_call(a.store, 2, 100, 0x11111111);
    ok_call(b.store, 2, 100, 0x22222222);
    CHECK_EQ(ok_call(a.load, 1, 100, 0), 0x11111111);
    CHECK_EQ(ok_call(b.load, 1, 100, 0), 0x22222222);
    uint32_t word = 0;
    CHECK(bst_memory_read(a.mem, 100, &word, 4) && word == 0x11111111);
    CHECK(bst_memory_read(b.mem, 100, &word, 4) && word == 0x22222222);
    /* host writes through the API land in one instance only */
    word = 0x33333333;
    CHECK(bst_memory_write(b.mem, 200, &word, 4));
    CHECK_EQ(ok_call(a.load, 1, 200, 0), 0);
    CHECK_EQ(ok_call(b.load, 1, 200, 0), 0x33333333);

    /* the data segment was copied, not aliased */
    CHECK_EQ(ok_call(a.load, 1, 16, 0), SEED);
    ok_call(a.store, 2, 16, 0);
    CHECK_EQ(ok_call(a.load, 1, 16, 0), 0);
    CHECK_EQ(ok_call(b.load, 1, 16, 0), SEED);

    /* globals */
    CHECK_EQ(ok_call(a.get_global, 0, 0, 0), 7);
    ok_call(a.set_global, 1, -5, 0);
    ok_call(b.set_global, 1, 9, 0);
    CHECK_EQ(ok_call(a.get_global, 0, 0, 0), -5);
    CHECK_EQ(ok_call(b.get_global, 0, 0, 0), 9);
    CHECK_EQ(bst_global_get(a.g).of.i64, (uint64_t)-5);
    CHECK(bst_global_set(b.g, h_i64(100)));
    CHECK_EQ(ok_call(a.get_global, 0, 0, 0), -5);
    CHECK_EQ(ok_call(b.get_global, 0, 0, 0), 100);

    /* tables: slot 0 holds a different function in each instance, slot 1 only in a */
    ok_call(a.set_slot, 2, 0, 1);
    ok_call(b.set_slot, 2, 0, 2);
    ok_call(a.set_slot, 2, 1, 1);
    CHECK_EQ(ok_call(a.call_slot, 1, 0, 0), 1);
    CHECK_EQ(ok_call(b.call_slot, 1, 0, 0), 2);
    CHECK_EQ(ok_call(a.call_slot, 1, 1, 0), 1);
    bst_error err;
    bst_value r;
    bst_status st = h_call(b.call_slot, &err, &r, 1, 1);
    CHECK_TRAP(st, err, BST_TRAP_UNINITIALIZED_ELEMENT);
    bst_value ra, rb;
    CHECK(bst_table_get(a.t, 1, &ra) && ra.of.funcref != NULL);
    CHECK(bst_table_get(b.t, 1, &rb) && rb.of.funcref == NULL);
    /* the reference in a's table is a's own $one, callable from the host */
    st = bst_call(ra.of.funcref, NULL, 0, &r, 1, &err);
    CHECK_OK(st, err);
    CHECK_EQ(r.of.i32, 1);

    /* growing one memory leaves the other alone */
    CHECK_EQ(ok_call(a.grow, 1, 2, 0), 1);
    CHECK_EQ(ok_call(a.size, 0, 0, 0), 3);
    CHECK_EQ(ok_call(b.size, 0, 0, 0), 1);
    CHECK_EQ(bst_memory_pages(b.mem), 1);
    CHECK_EQ(ok_call(a.load, 1, 2 * 65536, 0), 0);
    st = h_call(b.load, &err, &r, 1, 2 * 65536);
    CHECK_TRAP(st, err, BST_TRAP_MEMORY_OOB);

    /* a third instance starts from the module's initial state */
    int uc = 3;
    inst c = make(sa, m, &uc);
    CHECK_EQ(ok_call(c.load, 1, 16, 0), SEED);
    CHECK_EQ(ok_call(c.load, 1, 100, 0), 0);
    CHECK_EQ(ok_call(c.get_global, 0, 0, 0), 7);
    CHECK_EQ(ok_call(c.size, 0, 0, 0), 1);
    st = h_call(c.call_slot, &err, &r, 1, 0);
    CHECK_TRAP(st, err, BST_TRAP_UNINITIALIZED_ELEMENT);
    /* and the first two still see their own values */
    CHECK_EQ(ok_call(a.load, 1, 100, 0), 0x11111111);
    CHECK_EQ(ok_call(b.load, 1, 100, 0), 0x22222222);
}

/* Freeing one store must leave instances of the same module in another store intact. */
static void free_one_store(const bst_module *m) {
    bst_store *sa = bst_store_new(NULL), *sb = bst_store_new(NULL);
    inst a = make(sa, m, NULL), b = make(sb, m, NULL);
    ok_call(a.store, 2, 8, 0x0a0a0a0a);
    ok_call(b.store, 2, 8, 0x0b0b0b0b);
    bst_store_free(sa);
    CHECK_EQ(ok_call(b.load, 1, 8, 0), 0x0b0b0b0b);
    CHECK_EQ(ok_call(b.load, 1, 16, 0), SEED);
    bst_store_free(sb);
}

int main(void) {
    bst_module *m = h_load("isolation", NULL);

    bst_store *s = bst_store_new(NULL);
    attack(s, s, m); /* two instances in one store */
    bst_store_free(s);

    bst_store *s1 = bst_store_new(NULL), *s2 = bst_store_new(NULL);
    attack(s1, s2, m); /* two stores */
    bst_store_free(s1);
    bst_store_free(s2);

    free_one_store(m);
    bst_module_free(m);
    return h_finish("isolation");
}
