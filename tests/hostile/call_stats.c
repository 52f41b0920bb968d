/*
 * call_stats.c — bst_store_call_stats (docs/observability.md): the statistics of a store's last
 * outermost call are its own.  Calls re-entered from a host function are part of the outer
 * call, not a call of their own; host calls are counted by import; the memory peak, the fuel,
 * the trap are the call's; times only with time_calls, instructions only in modules compiled
 * with count_instructions; a copy outlives store and module.
 */
#include "harness.h"

/* env.h(n) -> inner(n): re-enters wasm through bst_call. */
static bool reenter(bst_caller *c, const bst_value *args, bst_value *results, void *envp) {
    bst_func **inner = envp;
    bst_error err;
    if (bst_call(*inner, args, 1, results, 1, &err) != BST_OK) {
        bst_caller_trap(c, err.message);
        return false;
    }
    return true;
}

typedef struct rig {
    bst_module *m;
    bst_store *s;
    bst_instance *inst;
    bst_func *inner;
} rig;

static void rig_open(rig *r, bool time_calls, bool count) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.count_instructions = count;
    r->m = h_load("call_stats", &mc);
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.time_calls = time_calls;
    r->s = bst_store_new(&cfg);
    bst_valtype i = BST_I32;
    bst_functype ft = {1, 1, &i, &i};
    bst_extern imp = {BST_EXTERN_FUNC, {.func = bst_func_new_host(r->s, &ft, reenter, &r->inner)}};
    bst_error err;
    r->inst = bst_instance_new(r->s, r->m, &imp, 1, NULL, &err);
    CHECK_OK(r->inst ? BST_OK : err.status, err);
    r->inner = h_func(r->inst, "inner");
}

static void rig_close(rig *r) {
    bst_store_free(r->s);
    bst_module_free(r->m);
}

static bst_status call1(rig *r, const char *name, int32_t arg, bst_error *err) {
    bst_value v;
    return h_call(h_func(r->inst, name), err, &v, 1, arg);
}

int main(void) {
    bst_call_stats st;
    bst_error err;
    rig r;

    /* defaults: no times, no instruction counts */
    rig_open(&r, false, false);
    CHECK(!bst_store_call_stats(r.s, &st)); /* no call yet */
    CHECK_OK(call1(&r, "run", 3, &err), err);
    CHECK(bst_store_call_stats(r.s, &st));
    CHECK_STR(st.func_name, "run"); /* the re-entered `inner` calls are part of it */
    CHECK_EQ(st.status, BST_OK);
    CHECK_EQ(st.host_calls, 3);
    CHECK_EQ(st.nhost, 1);
    CHECK_EQ(st.host[0].index, 0);
    CHECK_STR(st.host[0].module, "env");
    CHECK_STR(st.host[0].name, "h");
    CHECK_EQ(st.host[0].count, 3);
    CHECK_EQ(st.memory_pages, 2);
    CHECK_EQ(st.peak_memory_pages, 2);
    CHECK(st.fuel_used > 0);
    CHECK(!st.timed && st.wall_ns == 0 && st.cpu_ns == 0);
    CHECK(!st.counted && st.nfuncs == 0 && st.funcs == NULL);
    uint64_t fuel_run3 = st.fuel_used;

    /* the next call starts from zero: no host calls, no growth */
    CHECK_OK(call1(&r, "count", 10, &err), err);
    CHECK(bst_store_call_stats(r.s, &st));
    CHECK_STR(st.func_name, "count");
    CHECK_EQ(st.host_calls, 0);
    CHECK_EQ(st.nhost, 0);
    CHECK_EQ(st.peak_memory_pages, 2);
    CHECK(st.fuel_used != fuel_run3);

    /* a trap, and running out of fuel */
    CHECK_TRAP(call1(&r, "trap", 0, &err), err, BST_TRAP_UNREACHABLE);
    CHECK(bst_store_call_stats(r.s, &st));
    CHECK_EQ(st.status, BST_ERR_TRAP);
    CHECK_EQ(st.trap, BST_TRAP_UNREACHABLE);
    bst_store_set_fuel(r.s, 1000);
    CHECK_TRAP(call1(&r, "count", 1000000, &err), err, BST_TRAP_OUT_OF_FUEL);
    CHECK(bst_store_call_stats(r.s, &st));
    CHECK_EQ(st.trap, BST_TRAP_OUT_OF_FUEL);
    CHECK(st.fuel_used <= 1000 && st.fuel_used > 990); /* stopped at the block it cannot pay */
    rig_close(&r);

    /* times and instruction counts when asked for; a copy outlives store and module */
    rig_open(&r, true, true);
    CHECK_OK(call1(&r, "count", 100, &err), err);
    CHECK(bst_store_call_stats(r.s, &st));
    CHECK(st.timed && st.wall_ns > 0 && st.cpu_ns > 0);
    CHECK(st.counted);
    CHECK_EQ(st.instructions, st.fuel_used); /* no bulk operations, no host charges */
    uint64_t loop = 0;
    for (size_t i = 0; i < st.nfuncs; i++)
        if (st.funcs[i].index == 3) loop = st.funcs[i].count; /* $loop: imports come first */
    CHECK(loop >= 100 * 5 && loop < st.instructions);
    CHECK_OK(call1(&r, "run", 2, &err), err);
    CHECK(bst_store_call_stats(r.s, &st));
    bst_call_stats copy;
    CHECK(bst_call_stats_copy(&st, &copy));
    rig_close(&r);
    CHECK_STR(copy.func_name, "run");
    CHECK_EQ(copy.nhost, 1);
    CHECK_STR(copy.host[0].module, "env");
    CHECK_STR(copy.host[0].name, "h");
    CHECK_EQ(copy.host[0].count, 2);
    CHECK(copy.counted && copy.nfuncs >= 2); /* run, and inner re-entered */
    bool inner = false;
    for (size_t i = 0; i < copy.nfuncs; i++)
        inner |= copy.funcs[i].name && strcmp(copy.funcs[i].name, "inner") == 0;
    CHECK(inner);
    bst_call_stats_free(&copy);
    CHECK(copy.owned_ == NULL && copy.nhost == 0);
    return h_finish("hostile/call_stats");
}
