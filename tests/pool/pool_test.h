/*
 * pool_test.h — what the pool tests (tests/pool/test_*.c) share: loading the assembled modules,
 * the link function of pooled.wat (its one import, host.block, sleeps through
 * bst_store_sleep_ns so that an interrupt or deadline ends it), calling an export, and timing.
 */
#ifndef BST_TEST_POOL_TEST_H
#define BST_TEST_POOL_TEST_H

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bastion.h"
#include "bastion_pool.h"
#include "../support/check.h"

#ifndef POOL_WASM_DIR
#error "POOL_WASM_DIR must name the directory holding the assembled .wasm files"
#endif

/* POOL_WASM_DIR/<name>.wasm compiled (exits on failure: a build problem). */
static inline bst_module *pt_load(const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", POOL_WASM_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    static uint8_t buf[1 << 16]; /* test-program state */
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    bst_error err;
    bst_module *m = bst_module_new(buf, n, &err);
    if (!m) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        exit(2);
    }
    return m;
}

/* host.block(ms) -> i32: sleeps ms milliseconds unless the store is interrupted (then traps). */
static inline bool pt_block(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)env;
    uint64_t ns = (uint64_t)(uint32_t)args[0].of.i32 * 1000000u;
    if (bst_store_sleep_ns(bst_caller_store(c), ns) == BST_WAIT_INTERRUPTED) {
        bst_caller_trap(c, "interrupted while blocked");
        return false;
    }
    results[0].of.i32 = 0;
    return true;
}

/* The link function of pooled.wat. */
static inline bool pt_link(void *arg, bst_store *s, const bst_module *m, bst_extern *imports,
                           size_t n, void **ctx, bst_error *err) {
    (void)arg, (void)m, (void)ctx;
    if (n == 0) return true; /* plain.wat */
    if (n != 1) {
        err->status = BST_ERR_UNLINKABLE;
        snprintf(err->message, sizeof err->message, "expected one import");
        return false;
    }
    bst_valtype vt[2];
    bst_functype ft;
    bst_functype_parse("i:i", vt, 2, &ft);
    imports[0].kind = BST_EXTERN_FUNC;
    imports[0].of.func = bst_func_new_host(s, &ft, pt_block, NULL);
    return imports[0].of.func != NULL;
}

static inline bst_pool_config pt_pool_config(bool with_link) {
    bst_pool_config cfg;
    bst_pool_config_default(&cfg);
    if (with_link) cfg.link = pt_link;
    return cfg;
}

/* Calls export name of the lease's instance with up to one i32 argument; *out gets the i32
 * result (if any).  Returns the status, err filled. */
static inline bst_status pt_call(bst_lease *l, const char *name, int nargs, int32_t arg,
                                 int32_t *out, bst_error *err) {
    bst_func *f = bst_instance_func(bst_lease_instance(l), name);
    if (!f) {
        fprintf(stderr, "no export %s\n", name);
        exit(2);
    }
    bst_value a, r;
    memset(&a, 0, sizeof a);
    memset(&r, 0, sizeof r);
    a.type = BST_I32;
    a.of.i32 = arg;
    memset(err, 0, sizeof *err);
    bst_status st = bst_call(f, &a, (size_t)nargs, &r, bst_func_type(f)->nresults, err);
    if (out) *out = r.of.i32;
    return st;
}

static inline uint64_t pt_now_ms(void) { return bst_monotonic_ns() / 1000000u; }

static inline void pt_sleep_ms(unsigned ms) {
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#endif
