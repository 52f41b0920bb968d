/*
 * fuel.c — runaway execution, fuel half (sandbox guarantee 5a).
 *
 * An infinite loop under bst_store_set_fuel(s, N) traps with BST_TRAP_OUT_OF_FUEL; the fuel left
 * after the trap and the loop counter the guest kept in a global are identical over five runs and
 * across two stores.  A function that completes leaves exactly the same fuel every run, succeeds
 * with exactly the fuel it needs (ending at 0) and traps with one unit less.  Bulk operations are
 * charged by size: a huge memory.fill/copy or table.fill with little fuel traps before it writes
 * anything.  A module compiled without metering consumes no fuel.
 */
#include "harness.h"

#define SPIN_FUEL 100000u

typedef struct outcome {
    bst_status st;
    bst_trap_kind trap;
    uint64_t fuel_left;
    int64_t counter;
} outcome;

static outcome spin_once(bst_store *s, const bst_module *m, uint64_t fuel) {
    bst_instance *inst = h_instance(s, m, NULL);
    bst_store_set_fuel(s, fuel);
    bst_error err;
    outcome o;
    o.st = h_call(h_func(inst, "spin"), &err, NULL, 0);
    o.trap = o.st == BST_ERR_TRAP ? err.trap : BST_TRAP_NONE;
    o.fuel_left = bst_store_fuel(s);
    o.counter = bst_global_get(h_global(inst, "counter")).of.i64;
    return o;
}

static void determinism(const bst_module *m) {
    bst_store *s1 = bst_store_new(NULL), *s2 = bst_store_new(NULL);
    outcome first = spin_once(s1, m, SPIN_FUEL);
    CHECK_EQ(first.st, BST_ERR_TRAP);
    CHECK_EQ(first.trap, BST_TRAP_OUT_OF_FUEL);
    /* the loop ran, and each iteration cost at least one unit per instruction */
    CHECK(first.counter > 1000 && first.counter < (int64_t)SPIN_FUEL / 4);
    CHECK(first.fuel_left < 16); /* less than one iteration's worth */
    printf("spin with %u fuel: %" PRId64 " iterations, %" PRIu64 " fuel left\n", SPIN_FUEL,
           first.counter, first.fuel_left);
    for (int run = 0; run < 5; run++) {
        bst_store *s = run % 2 ? s2 : s1; /* fresh instances, alternating stores */
        outcome o = spin_once(s, m, SPIN_FUEL);
        CHECK_EQ(o.st, first.st);
        CHECK_EQ(o.trap, first.trap);
        CHECK_EQ(o.fuel_left, first.fuel_left);
        CHECK_EQ(o.counter, first.counter);
    }
    /* a different budget, same determinism; more fuel, more iterations */
    outcome a = spin_once(s1, m, 3 * SPIN_FUEL), b = spin_once(s2, m, 3 * SPIN_FUEL);
    CHECK_EQ(a.trap, BST_TRAP_OUT_OF_FUEL);
    CHECK_EQ(a.counter, b.counter);
    CHECK_EQ(a.fuel_left, b.fuel_left);
    CHECK(a.counter > 2 * first.counter);
    /* no fuel at all: traps at once, nothing ran */
    outcome z = spin_once(s1, m, 0);
    CHECK_EQ(z.trap, BST_TRAP_OUT_OF_FUEL);
    CHECK_EQ(z.counter, 0);
    CHECK_EQ(z.fuel_left, 0);
    bst_store_free(s1);
    bst_store_free(s2);
}

static bst_status run_sum(bst_store *s, bst_instance *inst, uint64_t fuel, int32_t n,
                          bst_error *err, int64_t *out) {
    bst_store_set_fuel(s, fuel);
    bst_value v;
    bst_status st = h_call(h_func(inst, "sum"), err, &v, 1, n);
    *out = v.of.i64;
    return st;
}

static void completion(const bst_module *m) {
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_error err;
    int64_t v;
    const uint64_t budget = 1000000;
    CHECK_OK(run_sum(s, inst, budget, 100, &err, &v), err);
    CHECK_EQ(v, 328350); /* sum of i*i, i < 100 */
    uint64_t left = bst_store_fuel(s), used = budget - left;
    CHECK(used > 100 && used < 100 * 40);
    for (int run = 0; run < 5; run++) {
        CHECK_OK(run_sum(s, inst, budget, 100, &err, &v), err);
        CHECK_EQ(bst_store_fuel(s), left);
    }
    /* twice the iterations, about twice the fuel */
    CHECK_OK(run_sum(s, inst, budget, 200, &err, &v), err);
    uint64_t used2 = budget - bst_store_fuel(s);
    CHECK(used2 > 2 * used - 50 && used2 < 2 * used + 50);
    /* exactly enough fuel: completes with none left; one unit less: out of fuel */
    CHECK_OK(run_sum(s, inst, used, 100, &err, &v), err);
    CHECK_EQ(v, 328350);
    CHECK_EQ(bst_store_fuel(s), 0);
    CHECK_TRAP(run_sum(s, inst, used - 1, 100, &err, &v), err, BST_TRAP_OUT_OF_FUEL);
    /* a trap leaves the store usable: refuel and run again */
    CHECK_OK(run_sum(s, inst, budget, 100, &err, &v), err);
    CHECK_EQ(bst_store_fuel(s), left);
    /* unlimited by default: a new store never runs out */
    bst_store *fresh = bst_store_new(NULL);
    bst_instance *fi = h_instance(fresh, m, NULL);
    uint64_t before = bst_store_fuel(fresh);
    bst_value r;
    CHECK_OK(h_call(h_func(fi, "sum"), &err, &r, 1, 1000), err);
    CHECK(before >= (uint64_t)INT64_MAX);
    bst_store_free(fresh);
    bst_store_free(s);
}

/* Bulk operations pay for their size up front: with little fuel, nothing is written. */
static void bulk(const bst_module *m) {
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_memory *mem = bst_instance_memory(inst, "memory");
    bst_table *tab = h_table(inst, "table");
    const uint32_t size = (uint32_t)bst_memory_size(mem); /* 16 pages = 1 MiB */
    uint8_t *base = bst_memory_slice(mem, 0, size);
    CHECK(base != NULL);
    if (!base) return;
    bst_error err;

    /* fill 1 MiB: needs at least 1 MiB / 64 = 16384 units; give it 1000 */
    bst_store_set_fuel(s, 1000);
    CHECK_TRAP(h_call(h_func(inst, "fill"), &err, NULL, 3, 0, 0xab, (int32_t)size), err,
               BST_TRAP_OUT_OF_FUEL);
    size_t touched = 0;
    for (uint32_t i = 0; i < size; i++) touched += base[i] != 0;
    CHECK_EQ(touched, 0);
    /* enough fuel: the same fill succeeds and costs at least size/64 */
    bst_store_set_fuel(s, 100000);
    CHECK_OK(h_call(h_func(inst, "fill"), &err, NULL, 3, 0, 0xab, (int32_t)size), err);
    uint64_t fill_cost = 100000 - bst_store_fuel(s);
    CHECK(fill_cost >= size / 64 && fill_cost < size / 64 + 16);
    CHECK(base[0] == 0xab && base[size - 1] == 0xab);
    /* an out-of-bounds fill is charged too (and traps out of fuel before the bounds check) */
    bst_store_set_fuel(s, 10);
    CHECK_TRAP(h_call(h_func(inst, "fill"), &err, NULL, 3, 0, 0, -1), err, BST_TRAP_OUT_OF_FUEL);

    /* copy half the memory onto the other half with little fuel: destination unchanged */
    memset(base, 0, size);
    memset(base, 0x5a, size / 2);
    bst_store_set_fuel(s, 1000);
    CHECK_TRAP(
        h_call(h_func(inst, "copy"), &err, NULL, 3, (int32_t)(size / 2), 0, (int32_t)(size / 2)),
        err, BST_TRAP_OUT_OF_FUEL);
    touched = 0;
    for (uint32_t i = size / 2; i < size; i++) touched += base[i] != 0;
    CHECK_EQ(touched, 0);
    bst_store_set_fuel(s, 100000);
    CHECK_OK(
        h_call(h_func(inst, "copy"), &err, NULL, 3, (int32_t)(size / 2), 0, (int32_t)(size / 2)),
        err);
    CHECK(base[size - 1] == 0x5a);

    /* table.fill of 100,000 elements with 100 fuel: no element set */
    bst_store_set_fuel(s, 100);
    CHECK_TRAP(h_call(h_func(inst, "table_fill"), &err, NULL, 2, 0, 100000), err,
               BST_TRAP_OUT_OF_FUEL);
    bst_value e;
    CHECK(bst_table_get(tab, 0, &e) && e.of.funcref == NULL);
    CHECK(bst_table_get(tab, 99999, &e) && e.of.funcref == NULL);
    bst_store_set_fuel(s, 100000);
    CHECK_OK(h_call(h_func(inst, "table_fill"), &err, NULL, 2, 0, 100000), err);
    CHECK(bst_table_get(tab, 99999, &e) && e.of.funcref != NULL);
    bst_store_free(s);
}

/* Without metering the budget is never consulted nor consumed. */
static void unmetered(void) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.fuel_metering = false;
    bst_module *m = h_load("fuel", &mc);
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_store_set_fuel(s, 5);
    bst_error err;
    bst_value v;
    CHECK_OK(h_call(h_func(inst, "sum"), &err, &v, 1, 1000), err);
    CHECK_EQ(bst_store_fuel(s), 5);
    bst_store_free(s);
    bst_module_free(m);
}

int main(void) {
    bst_module *m = h_load("fuel", NULL);
    determinism(m);
    completion(m);
    bulk(m);
    bst_module_free(m);
    unmetered();
    return h_finish("fuel");
}
