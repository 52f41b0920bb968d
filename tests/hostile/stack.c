/*
 * stack.c — stack exhaustion (sandbox guarantee 4).
 *
 * Wasm recursion is bounded by bst_config.max_call_depth (frames, the embedder's own activation
 * included) and max_stack_slots (64-bit value slots); exceeding either traps with
 * BST_TRAP_STACK_EXHAUSTED and leaves the store usable.  Covered: plain recursion at the exact
 * limit, infinite recursion, mutual recursion through call_indirect, recursion through a host
 * function that re-enters wasm with bst_call (each level costs two frames: the host function's
 * and the re-entered activation), frames with many locals and deep operand stacks.  Each trap
 * names the limit that struck.  Run under ASan in CI: the native stack must never overflow,
 * whatever the guest does.
 *
 * The stacks grow on demand up to the limits, so the largest limits are safe and cost nothing
 * up front: max_call_depth = 2^32-1 (once sized as depth + 1 frames, which wrapped to 0 and let
 * every call write past the block) traps at the value-stack limit, which every frame counts
 * against; 2^32-1 of both runs recursion millions deep; peak RSS and address space stay flat
 * until code uses them; and frames resume correctly after wasm re-entered from a host function
 * grew both stacks under them.  (Re-entry from a
 * host function the embedder called directly, and unbounded host re-entry at the default limits,
 * are in reentry.c.)
 */
#include "harness.h"

typedef struct reenter_env {
    bst_func *target; /* via_host, set after instantiation */
    int calls;
    bst_trap_kind first_trap; /* the first non-host trap a re-entered call reported */
    uint32_t first_trap_arg;
} reenter_env;

static bool reenter(bst_caller *c, const bst_value *args, bst_value *results, void *envp) {
    reenter_env *env = envp;
    env->calls++;
    bst_error err;
    bst_status st = bst_call(env->target, args, 1, results, 1, &err);
    if (st == BST_OK) return true;
    if (err.trap != BST_TRAP_HOST && env->first_trap == BST_TRAP_NONE) {
        env->first_trap = err.trap;
        env->first_trap_arg = (uint32_t)args[0].of.i32;
    }
    bst_caller_trap(c, err.message);
    return false;
}

typedef struct rig {
    bst_store *s;
    bst_instance *inst;
    reenter_env env;
} rig;

static void rig_open(rig *r, const bst_module *m, const bst_config *cfg) {
    memset(r, 0, sizeof *r);
    r->s = bst_store_new(cfg);
    bst_valtype i32 = BST_I32;
    bst_functype ft = {1, 1, &i32, &i32};
    bst_extern imp;
    imp.kind = BST_EXTERN_FUNC;
    imp.of.func = bst_func_new_host(r->s, &ft, reenter, &r->env);
    bst_error err;
    r->inst = bst_instance_new(r->s, m, &imp, 1, NULL, &err);
    if (!r->inst) {
        fprintf(stderr, "instantiation failed: %s\n", err.message);
        exit(2);
    }
    r->env.target = h_func(r->inst, "via_host");
}

static bst_status call1(rig *r, const char *fn, int32_t arg, bst_error *err, int32_t *out) {
    bst_value v;
    bst_status st = h_call(h_func(r->inst, fn), err, &v, 1, arg);
    if (out) *out = v.of.i32;
    return st;
}

/* f(n) must return n when it needs at most `limit` frames, and exhaust the stack otherwise. */
static void expect_bound(rig *r, const char *fn, int32_t ok_n, int32_t bad_n, const char *msg) {
    bst_error err;
    int32_t v = -1;
    CHECK_OK(call1(r, fn, ok_n, &err, &v), err);
    CHECK_EQ(v, ok_n);
    bst_status st = call1(r, fn, bad_n, &err, &v);
    CHECK_TRAP(st, err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_STR(err.message, msg);
    /* the store is usable again, with its full depth */
    CHECK_OK(call1(r, fn, ok_n, &err, &v), err);
    CHECK_EQ(v, ok_n);
}

static void small_limits(const bst_module *m) {
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_call_depth = 100;
    rig r;
    rig_open(&r, m, &cfg);
    /* rec(n) needs n+1 frames: 99 recursions fit in 100 frames, 100 do not */
    const char *depth100 = "call stack exhausted: call depth limit 100 reached";
    expect_bound(&r, "rec", 99, 100, depth100);
    expect_bound(&r, "rec", 0, 1000000, depth100);
    /* the same through call_indirect, alternating between two functions */
    expect_bound(&r, "ping", 99, 100, depth100);
    /* infinite recursion */
    bst_error err;
    CHECK_TRAP(h_call(h_func(r.inst, "infinite"), &err, NULL, 0), err, BST_TRAP_STACK_EXHAUSTED);
    /* through the host: via_host(n) needs 2n+1 frames */
    int32_t v = -1;
    CHECK_OK(call1(&r, "via_host", 49, &err, &v), err);
    CHECK_EQ(v, 49);
    CHECK_EQ(r.env.first_trap, BST_TRAP_NONE);
    r.env.calls = 0;
    bst_status st = call1(&r, "via_host", 50, &err, &v);
    /* the innermost bst_call reports the exhaustion, each host level turns it into its trap */
    CHECK_TRAP(st, err, BST_TRAP_HOST);
    CHECK_STR(err.message, depth100);
    CHECK_EQ(r.env.first_trap, BST_TRAP_STACK_EXHAUSTED);
    CHECK_EQ(r.env.first_trap_arg, 0);
    CHECK_EQ(r.env.calls, 50);
    CHECK_OK(call1(&r, "rec", 99, &err, &v), err);
    bst_store_free(r.s);

    /* the smallest limit: only the embedder's own call */
    cfg.max_call_depth = 1;
    rig_open(&r, m, &cfg);
    expect_bound(&r, "rec", 0, 1, "call stack exhausted: call depth limit 1 reached");
    bst_store_free(r.s);
}

/* Default limits: unbounded recursion of every kind ends in a trap, never a native overflow. */
static void default_limits(const bst_module *m) {
    rig r;
    rig_open(&r, m, NULL);
    bst_error err;
    int32_t v;
    CHECK_TRAP(h_call(h_func(r.inst, "infinite"), &err, NULL, 0), err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_TRAP(call1(&r, "rec", 0x7fffffff, &err, &v), err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_TRAP(call1(&r, "ping", 0x7fffffff, &err, &v), err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_OK(call1(&r, "rec", 9999, &err, &v), err);
    CHECK_EQ(v, 9999);
    /* (unbounded host re-entry at the default depth is in reentry.c) */
    bst_store_free(r.s);
}

/* Large frames run into max_stack_slots long before max_call_depth. */
static void big_frames(const bst_module *m) {
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_stack_slots = 16384;
    rig r;
    rig_open(&r, m, &cfg);
    bst_error err;
    bst_value v;
    bst_status st = h_call(h_func(r.inst, "big"), &err, &v, 1, 1);
    CHECK_TRAP(st, err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_STR(err.message, "call stack exhausted: value stack limit 16384 slots reached");
    /* each frame holds at least 129 slots (1 param + 128 locals) */
    int32_t depth = bst_global_get(h_global(r.inst, "depth")).of.i32;
    CHECK(depth <= 16384 / 129);
    CHECK(depth >= 16384 / 256);
    int32_t n = -1;
    CHECK_OK(call1(&r, "rec", 1000, &err, &n), err);
    bst_store_free(r.s);

    /* default limits: the 1M slots run out first as well */
    rig_open(&r, m, NULL);
    st = h_call(h_func(r.inst, "big"), &err, &v, 1, 1);
    CHECK_TRAP(st, err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_STR(err.message, "call stack exhausted: value stack limit 1048576 slots reached");
    depth = bst_global_get(h_global(r.inst, "depth")).of.i32;
    CHECK(depth > 1000 && depth < 10000);
    bst_store_free(r.s);
}

/* One function whose frame alone is larger than the slot budget: refused at entry. */
static bst_module *generated(uint32_t nlocals, uint32_t pushes, bst_error *err) {
    h_buf code = {0};
    for (uint32_t i = 0; i < pushes; i++) {
        h_u8(&code, 0x41); /* i32.const 1 */
        h_u8(&code, 0x01);
    }
    for (uint32_t i = 0; i + 1 < pushes; i++) h_u8(&code, 0x6a); /* i32.add */
    if (!pushes) {
        h_u8(&code, 0x20); /* local.get 0 */
        h_u8(&code, 0x00);
    }
    h_buf mod = h_module_one_func(1, nlocals, code.p, code.n);
    free(code.p);
    bst_module *m = bst_module_new(mod.p, mod.n, err);
    free(mod.p);
    return m;
}

static void call_generated(bst_module *m, uint32_t slots, bool fits, int32_t want) {
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_stack_slots = slots;
    bst_store *s = bst_store_new(&cfg);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_error err;
    bst_value v;
    bst_status st = h_call(h_func(inst, "f"), &err, &v, 1, 7);
    if (fits) {
        CHECK_OK(st, err);
        CHECK_EQ(v.of.i32, want);
    } else {
        CHECK_TRAP(st, err, BST_TRAP_STACK_EXHAUSTED);
        char want[128];
        snprintf(want, sizeof want, "call stack exhausted: value stack limit %u slots reached",
                 slots);
        CHECK_STR(err.message, want);
    }
    bst_store_free(s);
}

static void huge_frames(void) {
    bst_error err;
    /* 2000 operands on the stack at once */
    bst_module *m = generated(0, 2000, &err);
    CHECK(m != NULL);
    if (m) {
        call_generated(m, 1024, false, 0);
        call_generated(m, 4096, true, 2000);
        bst_module_free(m);
    }
    /* 3000 locals */
    m = generated(3000, 0, &err);
    CHECK(m != NULL);
    if (m) {
        call_generated(m, 1024, false, 0);
        call_generated(m, 8192, true, 7);
        bst_module_free(m);
    }
    /* a frame beyond what the internal code can address is refused at compile time */
    m = generated(0, 70000, &err);
    CHECK(m == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    bst_module_free(m);
}

/* The largest limits: 2^32-1 frames, then 2^32-1 frames and slots. */
static void huge_limits(const bst_module *m) {
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_call_depth = UINT32_MAX;
    rig r;
    rig_open(&r, m, &cfg);
    bst_error err;
    int32_t v = -1;
    /* every kind of unbounded recursion ends at the value-stack limit (1M slots by default),
     * frames that take no slot of their own (infinite) included */
    const char *slots1m = "call stack exhausted: value stack limit 1048576 slots reached";
    CHECK_TRAP(h_call(h_func(r.inst, "infinite"), &err, NULL, 0), err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_STR(err.message, slots1m);
    CHECK_TRAP(call1(&r, "rec", 0x7fffffff, &err, &v), err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_STR(err.message, slots1m);
    CHECK_TRAP(call1(&r, "ping", 0x7fffffff, &err, &v), err, BST_TRAP_STACK_EXHAUSTED);
    CHECK_STR(err.message, slots1m);
    /* and far deeper than the default depth works, repeatedly */
    for (int i = 0; i < 2; i++) {
        CHECK_OK(call1(&r, "rec", 200000, &err, &v), err);
        CHECK_EQ(v, 200000);
    }
    bst_store_free(r.s);

    /* millions of frames deep (2M frames and ~4M slots, 32 times the defaults) */
    cfg.max_stack_slots = UINT32_MAX;
    rig_open(&r, m, &cfg);
    CHECK_OK(call1(&r, "rec", 2000000, &err, &v), err);
    CHECK_EQ(v, 2000000);
    CHECK_OK(call1(&r, "ping", 1000000, &err, &v), err);
    CHECK_EQ(v, 1000000);
    bst_store_free(r.s);
}

/* Nothing is allocated for a limit up front: runs first, while the process's peak RSS is still
 * low enough for a rise to show. */
static void lazy_allocation(const bst_module *m) {
    bst_config cfg;
    bst_config_default(&cfg);
    rig r;
    bst_error err;
    int32_t v = -1;
    /* Each store's first call is measured: the frame stack of a 200,000,000-frame limit once
     * took 4.8 GB of address space (24 B per frame), and a 2^32-1-slot value stack could not
     * be allocated at all (32 GiB). */
    long hwm0 = h_proc_status_kb("VmHWM"), vm0 = h_proc_status_kb("VmSize");
    cfg.max_call_depth = 200000000;
    rig_open(&r, m, &cfg);
    CHECK_OK(call1(&r, "rec", 10, &err, &v), err);
    long hwm1 = h_proc_status_kb("VmHWM"), vm1 = h_proc_status_kb("VmSize");
    bst_store_free(r.s);
    cfg.max_call_depth = UINT32_MAX;
    cfg.max_stack_slots = UINT32_MAX;
    rig_open(&r, m, &cfg);
    CHECK_OK(call1(&r, "rec", 10, &err, &v), err);
    CHECK_EQ(v, 10);
    long hwm2 = h_proc_status_kb("VmHWM");
    bst_store_free(r.s);
    if (hwm0 >= 0 && vm0 >= 0) {
        printf("first call: peak RSS +%ld KiB, address space +%ld KiB (depth 2e8); "
               "peak RSS +%ld KiB (depth and slots 2^32-1)\n",
               hwm1 - hwm0, vm1 - vm0, hwm2 - hwm1);
        CHECK(hwm1 - hwm0 < 32 * 1024);
        CHECK(vm1 - vm0 < 256 * 1024);
        CHECK(hwm2 - hwm1 < 32 * 1024);
    }
}

/* Frames suspended in a host function resume intact after the wasm it re-entered grew both
 * stacks (the frame stack moves when it grows; the value stack must not). */
static void growth_under_host(const bst_module *m) {
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_call_depth = 1000000;
    rig r;
    rig_open(&r, m, &cfg);
    r.env.target = h_func(r.inst, "rec");
    bst_error err;
    int32_t v = -1;
    for (int32_t n = 10; n <= 300000; n *= 10) {
        CHECK_OK(call1(&r, "outer", n, &err, &v), err);
        CHECK_EQ(v, n + 1001);
    }
    CHECK_EQ(r.env.first_trap, BST_TRAP_NONE);
    /* the limit still applies to the re-entered call */
    CHECK_TRAP(call1(&r, "outer", 2000000, &err, &v), err, BST_TRAP_HOST);
    CHECK_STR(err.message, "call stack exhausted: call depth limit 1000000 reached");
    CHECK_EQ(r.env.first_trap, BST_TRAP_STACK_EXHAUSTED);
    bst_store_free(r.s);
}

int main(void) {
    bst_module *m = h_load("stack", NULL);
    lazy_allocation(m);
    small_limits(m);
    default_limits(m);
    big_frames(m);
    huge_frames();
    huge_limits(m);
    growth_under_host(m);
    bst_module_free(m);
    return h_finish("stack");
}
