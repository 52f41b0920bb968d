/*
 * reentry.c — wasm re-entered from host functions (sandbox guarantee 4, re-entrancy).
 *
 * 1. A host function that the embedder calls directly (bst_call on a host bst_func) may re-enter
 *    wasm with bst_call.  The re-entered activation must run on the store's value stack and be
 *    bounded by max_call_depth.  Checked on the main thread and on a second thread, with a wide
 *    frame (64 locals).
 *    (Was broken: call_host() set s->stack_top to the argument array it was given — for a direct
 *    call bst_call()'s native `small[]` — so the re-entered frame landed on the native stack:
 *    a spurious "call stack exhausted" on the main thread, a native stack buffer overflow on
 *    threads whose stack lies below the store's.)
 *
 * 2. Recursion through a host function (wasm -> host -> bst_call -> wasm -> host ...) must end in
 *    a trap before the native stack overflows, with the default limits, on the main thread and
 *    on a thread with a 2 MiB stack.  (Was broken: only max_call_depth bounded it, allowing 5,000
 *    nested native activations of ~1.3 KB, 2.1 KB under ASan.)
 *
 * 3. bst_config.max_reentry, which now bounds that nesting, is exact: every bst_call entered
 *    while another is running counts as one activation, the embedder's own call included.
 */
#include <pthread.h>

#include "harness.h"

/* ---- 1. direct re-entry -------------------------------------------------------------------- */

typedef struct env {
    bst_func *target;
    bst_status st;
    char message[256];
} env;

static bool direct_host(bst_caller *c, const bst_value *args, bst_value *results, void *envp) {
    env *e = envp;
    bst_error err;
    bst_value r;
    e->st = bst_call(e->target, args, 1, &r, 1, &err);
    snprintf(e->message, sizeof e->message, "%s", e->st == BST_OK ? "" : err.message);
    if (e->st != BST_OK) {
        bst_caller_trap(c, err.message);
        return false;
    }
    results[0] = r;
    return true;
}

typedef struct rig {
    bst_store *s;
    bst_instance *inst;
    bst_func *host;
    env e;
} rig;

static void expect_value(rig *r, const char *target, int32_t arg, int32_t want) {
    r->e.target = h_func(r->inst, target);
    bst_error err;
    bst_value v;
    bst_status st = h_call(r->host, &err, &v, 1, arg);
    CHECK_OK(st, err);
    CHECK_EQ(r->e.st, BST_OK);
    if (r->e.st != BST_OK) fprintf(stderr, "  re-entered %s failed: %s\n", target, r->e.message);
    if (st == BST_OK) CHECK_EQ(v.of.i32, want);
}

static void exercise(rig *r) {
    expect_value(r, "wide", 41, 42);
    expect_value(r, "rec", 5, 5);
    /* bounded by the same limit as any call (100 frames) */
    expect_value(r, "rec", 90, 90);
    r->e.target = h_func(r->inst, "rec");
    bst_error err;
    bst_value v;
    bst_status st = h_call(r->host, &err, &v, 1, 1000);
    CHECK_TRAP(st, err, BST_TRAP_HOST);
    CHECK_STR(err.message, "call stack exhausted: call depth limit 100 reached");
    CHECK_EQ(r->e.st, BST_ERR_TRAP);
}

static void *direct_thread(void *arg) {
    exercise(arg);
    return NULL;
}

static void direct_reentry(void) {
    bst_module *m = h_load("reentry", NULL);
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_call_depth = 100;
    rig r;
    memset(&r, 0, sizeof r);
    r.s = bst_store_new(&cfg);
    r.inst = h_instance(r.s, m, NULL);
    bst_valtype i32 = BST_I32;
    bst_functype ft = {1, 1, &i32, &i32};
    r.host = bst_func_new_host(r.s, &ft, direct_host, &r.e);
    /* allocate the store's stacks first, so the thread's stack is mapped after (below) them */
    bst_error err;
    CHECK_OK(h_call(h_func(r.inst, "rec"), &err, NULL, 1, 3), err);
    exercise(&r);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, direct_thread, &r) == 0);
    pthread_join(t, NULL);
    bst_store_free(r.s);
    bst_module_free(m);
}

/* ---- 2. unbounded recursion through a host function ----------------------------------------- */

typedef struct reenter_env {
    bst_func *target;
    bst_trap_kind first_trap;
} reenter_env;

static bool reenter(bst_caller *c, const bst_value *args, bst_value *results, void *envp) {
    reenter_env *e = envp;
    bst_error err;
    if (bst_call(e->target, args, 1, results, 1, &err) == BST_OK) return true;
    if (err.trap != BST_TRAP_HOST && e->first_trap == BST_TRAP_NONE) e->first_trap = err.trap;
    bst_caller_trap(c, err.message);
    return false;
}

static void *recursion(void *arg) {
    const bst_module *m = arg;
    bst_store *s = bst_store_new(NULL); /* default limits */
    reenter_env e = {NULL, BST_TRAP_NONE};
    bst_valtype i32 = BST_I32;
    bst_functype ft = {1, 1, &i32, &i32};
    bst_extern imp;
    imp.kind = BST_EXTERN_FUNC;
    imp.of.func = bst_func_new_host(s, &ft, reenter, &e);
    bst_error err;
    bst_instance *inst = bst_instance_new(s, m, &imp, 1, NULL, &err);
    CHECK(inst != NULL);
    if (inst) {
        e.target = h_func(inst, "via_host");
        bst_value v;
        bst_status st = h_call(e.target, &err, &v, 1, 0x7fffffff);
        CHECK_TRAP(st, err, BST_TRAP_HOST);
        CHECK_EQ(e.first_trap, BST_TRAP_STACK_EXHAUSTED);
    }
    bst_store_free(s);
    return NULL;
}

static void host_recursion(void) {
    bst_module *m = h_load("stack", NULL);
    recursion(m); /* main thread */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 2u << 20);
    pthread_t t;
    CHECK(pthread_create(&t, &attr, recursion, m) == 0);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    bst_module_free(m);
}

/* ---- 3. the max_reentry boundary ----------------------------------------------------------- */

static void reentry_limit(void) {
    bst_module *m = h_load("stack", NULL);
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_reentry = 5;
    bst_store *s = bst_store_new(&cfg);
    reenter_env e = {NULL, BST_TRAP_NONE};
    bst_valtype i32 = BST_I32;
    bst_functype ft = {1, 1, &i32, &i32};
    bst_extern imp;
    imp.kind = BST_EXTERN_FUNC;
    imp.of.func = bst_func_new_host(s, &ft, reenter, &e);
    bst_error err;
    bst_instance *inst = bst_instance_new(s, m, &imp, 1, NULL, &err);
    CHECK(inst != NULL);
    if (inst) {
        /* via_host(n) nests n+1 activations: the embedder's call and n re-entries */
        e.target = h_func(inst, "via_host");
        bst_value v;
        CHECK_OK(h_call(e.target, &err, &v, 1, 4), err);
        CHECK_EQ(v.of.i32, 4);
        CHECK_TRAP(h_call(e.target, &err, &v, 1, 5), err, BST_TRAP_HOST);
        CHECK_STR(err.message, "call stack exhausted: host re-entry limit 5 reached");
        CHECK_EQ(e.first_trap, BST_TRAP_STACK_EXHAUSTED);
        /* the count unwinds after a trap */
        CHECK_OK(h_call(e.target, &err, &v, 1, 4), err);
    }
    bst_store_free(s);

    /* a direct host call is an activation too: max_reentry 1 leaves no room to re-enter */
    bst_module *rm = h_load("reentry", NULL);
    for (uint32_t limit = 1; limit <= 2; limit++) {
        cfg.max_reentry = limit;
        rig r;
        memset(&r, 0, sizeof r);
        r.s = bst_store_new(&cfg);
        r.inst = h_instance(r.s, rm, NULL);
        r.host = bst_func_new_host(r.s, &ft, direct_host, &r.e);
        r.e.target = h_func(r.inst, "rec");
        bst_value v;
        bst_status st = h_call(r.host, &err, &v, 1, 5);
        if (limit == 1) {
            CHECK_TRAP(st, err, BST_TRAP_HOST);
            CHECK_STR(err.message, "call stack exhausted: host re-entry limit 1 reached");
        } else {
            CHECK_OK(st, err);
            CHECK_EQ(v.of.i32, 5);
        }
        bst_store_free(r.s);
    }
    bst_module_free(rm);
    bst_module_free(m);
}

int main(void) {
    direct_reentry();
    host_recursion();
    reentry_limit();
    return h_finish("reentry");
}
