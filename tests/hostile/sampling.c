/*
 * sampling.c — the fuel-driven sampler (bst_store_set_sampler) and the live stack walk
 * (bst_store_stack).
 *
 * Samples fall every `interval` units of fuel, the same ones on every run; the fuel the code
 * sees and where it runs out are exactly what they are without a sampler, also when host
 * functions charge fuel; a sampler sees the wasm stack innermost first, across wasm re-entered
 * from a host function; removing the sampler stops sampling and keeps the fuel.
 */
#include "harness.h"

#define MAX_SAMPLES 4096
#define MAX_DEPTH 8

typedef struct samples {
    size_t n, depth_total;
    uint32_t stack[MAX_SAMPLES][MAX_DEPTH]; /* function indices, innermost first */
    size_t depth[MAX_SAMPLES];
    uint64_t fuel[MAX_SAMPLES]; /* bst_store_fuel when sampled */
} samples;

static void on_sample(void *env, bst_store *s) {
    samples *sm = env;
    bst_frame_info fr[MAX_DEPTH];
    size_t n = bst_store_stack(s, fr, MAX_DEPTH);
    if (sm->n >= MAX_SAMPLES) return;
    sm->depth[sm->n] = n;
    for (size_t i = 0; i < n && i < MAX_DEPTH; i++) {
        sm->stack[sm->n][i] = fr[i].func_index;
        CHECK(fr[i].offset == BST_NO_OFFSET);
    }
    sm->fuel[sm->n] = bst_store_fuel(s);
    sm->n++;
}

typedef struct env_state {
    bst_store *store;
    bst_func *inner;
    size_t stack_seen; /* frames bst_store_stack saw from inside the host function */
    uint32_t caller;   /* the innermost of them */
} env_state;

static bool host_charge(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)results;
    (void)env;
    bst_store *s = bst_caller_store(c);
    uint64_t left = bst_store_fuel(s), n = (uint32_t)args[0].of.i32;
    bst_store_set_fuel(s, left > n ? left - n : 0);
    return true;
}

static bool host_reenter(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    env_state *e = env;
    bst_frame_info fr[4];
    e->stack_seen = bst_store_stack(bst_caller_store(c), fr, 4);
    if (e->stack_seen) e->caller = fr[0].func_index;
    bst_error err;
    if (bst_call(e->inner, NULL, 0, NULL, 0, &err) != BST_OK) {
        bst_caller_trap(c, err.message);
        return false;
    }
    return true;
}

typedef struct rig {
    bst_store *s;
    bst_instance *inst;
    env_state env;
} rig;

static void rig_open(rig *r, const bst_module *m) {
    memset(r, 0, sizeof *r);
    r->s = bst_store_new(NULL);
    bst_valtype i32 = BST_I32;
    bst_functype t1 = {1, 0, &i32, NULL}, t0 = {0, 0, NULL, NULL};
    bst_extern imp[2];
    imp[0].kind = imp[1].kind = BST_EXTERN_FUNC;
    imp[0].of.func = bst_func_new_host(r->s, &t1, host_charge, &r->env);
    imp[1].of.func = bst_func_new_host(r->s, &t0, host_reenter, &r->env);
    bst_error err;
    r->inst = bst_instance_new(r->s, m, imp, 2, NULL, &err);
    if (!r->inst) {
        fprintf(stderr, "instantiation failed: %s\n", err.message);
        exit(2);
    }
    r->env.store = r->s;
    r->env.inner = h_func(r->inst, "inner");
}

/* Runs export `name` with fuel `budget` (and a sampler every `interval` when sm is set); returns
 * the status, the fuel left in *left. */
static bst_status run(const bst_module *m, const char *name, uint64_t budget, uint64_t interval,
                      samples *sm, uint64_t *left, int nargs, int32_t a, int32_t b) {
    rig r;
    rig_open(&r, m);
    bst_store_set_fuel(r.s, budget);
    if (sm) {
        bst_sampler sp = {interval, on_sample, sm};
        bst_store_set_sampler(r.s, &sp);
        CHECK_EQ(bst_store_fuel(r.s), budget); /* setting a sampler keeps the fuel */
    }
    bst_error err;
    bst_status st = h_call(h_func(r.inst, name), &err, NULL, (size_t)nargs, a, b);
    *left = bst_store_fuel(r.s);
    bst_store_free(r.s);
    return st;
}

int main(void) {
    bst_module *m = h_load("sampling", NULL);
    uint64_t plain_left, left;
    const uint64_t budget = 1000000;

    /* top -> mid -> leaf, 20,000 iterations: the fuel used is the same with and without a
     * sampler; every sample is the full stack leaf, mid, top */
    static samples a, b;
    CHECK_EQ(run(m, "top", budget, 0, NULL, &plain_left, 1, 20000, 0), BST_OK);
    CHECK_EQ(run(m, "top", budget, 1000, &a, &left, 1, 20000, 0), BST_OK);
    CHECK_EQ(left, plain_left);
    uint64_t used = budget - plain_left;
    CHECK_EQ(a.n, used / 1000);
    for (size_t i = 0; i < a.n; i++) {
        CHECK_EQ(a.depth[i], 3);
        CHECK_EQ(a.stack[i][0], 2); /* leaf (imports are 0 and 1) */
        CHECK_EQ(a.stack[i][1], 3); /* mid */
        CHECK_EQ(a.stack[i][2], 4); /* top */
        /* sample k is taken once k intervals are used up: within one block of the checkpoint */
        uint64_t at = budget - a.fuel[i];
        CHECK(at >= (i + 1) * 1000 - 1000 && at <= (i + 1) * 1000 + 10);
    }
    /* deterministic: a second run takes the same samples at the same fuel */
    CHECK_EQ(run(m, "top", budget, 1000, &b, &left, 1, 20000, 0), BST_OK);
    CHECK_EQ(b.n, a.n);
    CHECK(memcmp(a.fuel, b.fuel, a.n * sizeof a.fuel[0]) == 0);
    CHECK(memcmp(a.stack, b.stack, a.n * sizeof a.stack[0]) == 0);

    /* running out of fuel: at the same point, with the same fuel left, with or without samples */
    memset(&a, 0, sizeof a);
    CHECK_EQ(run(m, "top", 50000, 0, NULL, &plain_left, 1, 1000000, 0), BST_ERR_TRAP);
    CHECK_EQ(run(m, "top", 50000, 777, &a, &left, 1, 1000000, 0), BST_ERR_TRAP);
    CHECK_EQ(left, plain_left);
    CHECK_EQ(a.n, 50000 / 777);

    /* fuel a host function charges counts towards the samples and to the same total */
    memset(&a, 0, sizeof a);
    CHECK_EQ(run(m, "payer", budget, 0, NULL, &plain_left, 2, 300, 100), BST_OK);
    CHECK_EQ(run(m, "payer", budget, 1000, &a, &left, 2, 300, 100), BST_OK);
    CHECK_EQ(left, plain_left);
    CHECK(a.n >= 100 * 300 / 1000 && a.n <= (budget - plain_left) / 1000);
    for (size_t i = 0; i < a.n; i++) CHECK_EQ(a.stack[i][0], 5); /* payer */
    /* ... also when it runs the store out: the same trap, nothing left */
    CHECK_EQ(run(m, "payer", 20000, 0, NULL, &plain_left, 2, 300, 100), BST_ERR_TRAP);
    CHECK_EQ(run(m, "payer", 20000, 1000, &a, &left, 2, 300, 100), BST_ERR_TRAP);
    CHECK_EQ(left, plain_left);

    /* wasm -> host -> wasm: the host function sees its caller; samples in the inner call see
     * leaf, inner, then the outer wasm frame below the host function */
    memset(&a, 0, sizeof a);
    rig r;
    rig_open(&r, m);
    bst_sampler sp = {500, on_sample, &a};
    bst_store_set_sampler(r.s, &sp);
    bst_error err;
    CHECK_OK(h_call(h_func(r.inst, "outer_host"), &err, NULL, 0), err);
    CHECK_EQ(r.env.stack_seen, 1);
    CHECK_EQ(r.env.caller, 6); /* outer_host */
    CHECK(a.n > 0);
    for (size_t i = 0; i < a.n; i++) {
        CHECK_EQ(a.depth[i], 3);
        CHECK_EQ(a.stack[i][0], 2); /* leaf */
        CHECK_EQ(a.stack[i][1], 7); /* inner */
        CHECK_EQ(a.stack[i][2], 6); /* outer_host */
    }
    /* outside any call the stack is empty; without a sampler nothing is sampled */
    bst_frame_info fr[2];
    CHECK_EQ(bst_store_stack(r.s, fr, 2), 0);
    uint64_t before = bst_store_fuel(r.s);
    bst_store_set_sampler(r.s, NULL);
    CHECK_EQ(bst_store_fuel(r.s), before);
    size_t n = a.n;
    CHECK_OK(h_call(h_func(r.inst, "top"), &err, NULL, 1, 5000), err);
    CHECK_EQ(a.n, n);
    bst_store_free(r.s);

    bst_module_free(m);
    return h_finish("sampling");
}
