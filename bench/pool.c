/*
 * pool.c — what instance pooling saves (docs/pool.md):
 *
 *   bastion_pool_bench [--calls N] FLIPPER.wasm BROTLI.wasm
 *
 *   contracts: N get() queries (dry runs) of ink! flipper through bst_contracts_exec, once with
 *              a fresh instance per call (pooled_instances = 0) and once pooled (the default);
 *              calls per second and the ratio.
 *   instances: a brotli-sized module (every import linked to a host function that traps): N
 *              times a fresh store + instantiation + free, against N pool acquire + release
 *              (the release resets the instance), each with 256 KiB of memory written between,
 *              as a call would; microseconds per instance and the ratio.
 *
 * Prints key=value lines (figures, not assertions).  Built by the bastion_pool_bench CMake
 * target.  Not a test.
 */
#include <bastion_contracts.h>
#include <bastion_crypto.h>
#include <bastion_pool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

static const uint8_t ALICE[32] = {0xd4, 0x35, 0x93, 0xc7, 0x15, 0xfd, 0xd3, 0x1c, 0x61, 0x14, 0x1a,
                                  0xbd, 0x04, 0xa9, 0x9f, 0xd6, 0x82, 0x2c, 0x85, 0x58, 0x85, 0x4c,
                                  0xcd, 0xe3, 0x9a, 0x56, 0x84, 0xe7, 0xa5, 0x6d, 0xa2, 0x7d};
static const uint8_t NEW_FALSE[5] = {0x9b, 0xae, 0x9d, 0x5e, 0x00};
static const uint8_t GET[4] = {0x2f, 0x86, 0x5b, 0xd9};

#define TOUCH_BYTES (256u * 1024u) /* what a call writes into memory, for the instance figures */

/* ---- contracts ----------------------------------------------------------------------------- */

/* get() queries per second on flipper with the given pooled_instances; 0 on failure. */
static double contract_rate(const uint8_t *code, size_t len, uint32_t pooled, int calls) {
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/bastion-pool-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 0;
    }
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = dir;
    cfg.pooled_instances = pooled;
    bst_error err;
    memset(&err, 0, sizeof err);
    double rate = 0;
    bst_contracts *c = bst_contracts_open(&cfg, &err);
    if (!c) {
        fprintf(stderr, "open: %s\n", err.message);
        goto out;
    }
    uint8_t balance[16] = {0, 0, 0, 0, 0, 0, 0, 0, 1}; /* 2^64 */
    bst_contract_exec ex;
    memset(&ex, 0, sizeof ex);
    memcpy(ex.origin, ALICE, 32);
    ex.kind = BST_CONTRACT_INSTANTIATE;
    ex.code = code;
    ex.code_len = len;
    ex.input = NEW_FALSE;
    ex.input_len = sizeof NEW_FALSE;
    bst_contract_result r;
    if (bst_contracts_set_balance(c, ALICE, balance, &err) != BST_OK ||
        bst_contracts_exec(c, &ex, &r) != BST_OK || r.outcome != BST_CONTRACT_SUCCESS) {
        fprintf(stderr, "instantiate failed\n");
        goto out;
    }
    ex.kind = BST_CONTRACT_CALL;
    memcpy(ex.dest, r.address, 32);
    bst_contract_result_free(&r);
    ex.code = NULL;
    ex.code_len = 0;
    ex.input = GET;
    ex.input_len = sizeof GET;
    ex.dry_run = true;
    double t0 = bench_now_ms();
    for (int i = 0; i < calls; i++) {
        if (bst_contracts_exec(c, &ex, &r) != BST_OK || r.outcome != BST_CONTRACT_SUCCESS) {
            fprintf(stderr, "get failed: %s\n", r.error);
            bst_contract_result_free(&r);
            goto out;
        }
        bst_contract_result_free(&r);
    }
    rate = calls / ((bench_now_ms() - t0) / 1e3);
out:
    bst_contracts_close(c);
    bench_remove_state(dir);
    return rate;
}

/* ---- instances ----------------------------------------------------------------------------- */

static bool trap_host(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args, (void)results, (void)env;
    bst_caller_trap(c, "not provided");
    return false;
}

/* Every function import a trapping host function; memories and tables as declared. */
static bool link_all(void *arg, bst_store *s, const bst_module *m, bst_extern *imports, size_t n,
                     void **ctx, bst_error *err) {
    (void)arg, (void)ctx;
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        imports[i].kind = d.type.kind;
        switch (d.type.kind) {
        case BST_EXTERN_FUNC:
            imports[i].of.func = bst_func_new_host(s, &d.type.func, trap_host, NULL);
            if (!imports[i].of.func) return false;
            break;
        case BST_EXTERN_MEMORY:
            if (!(imports[i].of.memory = bst_memory_new(s, d.type.limits, err))) return false;
            break;
        default:
            snprintf(err->message, sizeof err->message, "unsupported import kind");
            return false;
        }
    }
    return true;
}

/* The instance's memory, written as a call would. */
static void touch(bst_instance *inst) {
    bst_memory *mem = bst_instance_memory(inst, "memory");
    uint8_t *p = mem ? bst_memory_slice(mem, 0, TOUCH_BYTES) : NULL;
    if (p) memset(p, 0x5a, TOUCH_BYTES);
}

/* Microseconds per fresh instance (store, instantiation, touch, free). */
static double fresh_us(const bst_module *m, int n) {
    uint32_t ni = bst_module_import_count(m);
    bst_extern *imports = calloc(ni ? ni : 1, sizeof *imports);
    double t0 = bench_now_ms();
    for (int i = 0; i < n && imports; i++) {
        bst_store *s = bst_store_new(NULL);
        bst_error err;
        void *ctx = NULL;
        bst_instance *inst = NULL;
        if (s && link_all(NULL, s, m, imports, ni, &ctx, &err))
            inst = bst_instance_new(s, m, imports, ni, NULL, &err);
        if (!inst) {
            fprintf(stderr, "instantiate: %s\n", err.message);
            bst_store_free(s);
            free(imports);
            return 0;
        }
        touch(inst);
        bst_store_free(s);
    }
    free(imports);
    return (bench_now_ms() - t0) * 1e3 / n;
}

/* Microseconds per pooled instance (acquire, touch, release with its reset). */
static double pooled_us(const bst_module *m, int n) {
    bst_pool_config cfg;
    bst_pool_config_default(&cfg);
    cfg.link = link_all;
    bst_rejection rej;
    bst_error err;
    bst_pool *p = bst_pool_new(NULL, m, &cfg, &rej, &err);
    if (!p) {
        fprintf(stderr, "pool: %s\n", err.message);
        return 0;
    }
    double t0 = bench_now_ms();
    for (int i = 0; i < n; i++) {
        bst_lease *l = bst_pool_acquire(p, &rej, &err);
        if (!l) {
            fprintf(stderr, "acquire: %s\n", err.message);
            bst_pool_free(p);
            return 0;
        }
        touch(bst_lease_instance(l));
        bst_lease_release(l, BST_OUTCOME_SUCCESS);
    }
    double us = (bench_now_ms() - t0) * 1e3 / n;
    bst_pool_free(p);
    return us;
}

int main(int argc, char **argv) {
    int calls = 2000, argi = 1;
    if (argc >= 3 && !strcmp(argv[1], "--calls")) {
        calls = atoi(argv[2]);
        argi = 3;
    }
    if (argc - argi != 2 || calls <= 0) {
        fprintf(stderr, "usage: bastion_pool_bench [--calls N] FLIPPER.wasm BROTLI.wasm\n");
        return 64;
    }
    size_t flen, blen;
    uint8_t *flipper = bench_read_file(argv[argi], &flen);
    uint8_t *brotli = bench_read_file(argv[argi + 1], &blen);
    if (!flipper || !brotli) {
        fprintf(stderr, "cannot read the modules\n");
        return 1;
    }
    if (!bst_crypto_init()) return 1;
    contract_rate(flipper, flen, 4, calls / 10); /* warm-up */
    double fresh = contract_rate(flipper, flen, 0, calls);
    double pooled = contract_rate(flipper, flen, 4, calls);
    printf("contract_get_fresh_per_s=%.0f\n", fresh);
    printf("contract_get_pooled_per_s=%.0f\n", pooled);
    printf("contract_get_ratio=%.2f\n", fresh > 0 ? pooled / fresh : 0);

    bst_error err;
    bst_module *m = bst_module_new(brotli, blen, &err);
    if (!m) {
        fprintf(stderr, "brotli: %s\n", err.message);
        return 1;
    }
    bst_limits lim = {0, 0, false};
    bst_module_memory_limits(m, 0, &lim);
    printf("module_bytes=%zu memory_min_pages=%u touched_bytes=%u\n", blen, lim.min, TOUCH_BYTES);
    double f_us = fresh_us(m, calls), p_us = pooled_us(m, calls);
    printf("instance_fresh_us=%.2f\n", f_us);
    printf("instance_pooled_us=%.2f\n", p_us);
    printf("instance_ratio=%.2f\n", p_us > 0 ? f_us / p_us : 0);
    bst_module_free(m);
    free(flipper);
    free(brotli);
    return 0;
}
