/*
 * contracts.c — measures the smart-contract host through its library API
 * (include/bastion_contracts.h) with LMDB state in a fresh temporary directory:
 *
 *   bastion_contracts_bench [--calls N] [--cold-reps N] FLIPPER.wasm
 *
 *   cold:  open a fresh state directory, upload the code, instantiate new(false), close;
 *          min and median over --cold-reps runs (default 10), each in a new directory.
 *   calls: N (default 1000) calls of flip() on one instance, each a top-level exec with its
 *          own fresh wasm instance and its own committed LMDB write transaction; then N
 *          queries of get() (dry runs: the transaction is aborted).
 *
 * Prints key=value lines (figures, not assertions).  Built by the bastion_contracts_bench
 * CMake target; run by bench/contracts.sh.  Not a test.
 */
#include <bastion_contracts.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

/* Alice's public key (//Alice); any 32 bytes would do for the benchmark. */
static const uint8_t ALICE[32] = {0xd4, 0x35, 0x93, 0xc7, 0x15, 0xfd, 0xd3, 0x1c, 0x61, 0x14, 0x1a,
                                  0xbd, 0x04, 0xa9, 0x9f, 0xd6, 0x82, 0x2c, 0x85, 0x58, 0x85, 0x4c,
                                  0xcd, 0xe3, 0x9a, 0x56, 0x84, 0xe7, 0xa5, 0x6d, 0xa2, 0x7d};
static const uint8_t NEW_FALSE[5] = {0x9b, 0xae, 0x9d, 0x5e, 0x00};
static const uint8_t FLIP[4] = {0x63, 0x3a, 0xa5, 0x51};
static const uint8_t GET[4] = {0x2f, 0x86, 0x5b, 0xd9};

static bst_contracts *open_fresh(char *dir, size_t dirlen) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, dirlen, "%s/bastion-contracts-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return NULL;
    }
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = dir;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_contracts *c = bst_contracts_open(&cfg, &err);
    if (!c) fprintf(stderr, "open %s: %s\n", dir, err.message);
    return c;
}

static bool endow(bst_contracts *c) {
    uint8_t bal[16] = {0};
    bal[10] = 1; /* 2^80 */
    bst_error err;
    memset(&err, 0, sizeof err);
    return bst_contracts_set_balance(c, ALICE, bal, &err) == BST_OK;
}

/* Upload + instantiate new(false); returns false (after printing why) on failure. */
static bool deploy(bst_contracts *c, const uint8_t *code, size_t len, uint8_t addr[32]) {
    uint8_t hash[32];
    bst_error err;
    memset(&err, 0, sizeof err);
    if (bst_contracts_upload(c, ALICE, code, len, hash, &err) != BST_OK) {
        fprintf(stderr, "upload: %s\n", err.message);
        return false;
    }
    bst_contract_exec ex;
    memset(&ex, 0, sizeof ex);
    ex.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(ex.origin, ALICE, 32);
    memcpy(ex.code_hash, hash, 32);
    ex.input = NEW_FALSE;
    ex.input_len = sizeof NEW_FALSE;
    bst_contract_result r;
    memset(&r, 0, sizeof r);
    bst_contracts_exec(c, &ex, &r);
    bool ok = r.outcome == BST_CONTRACT_SUCCESS;
    if (!ok)
        fprintf(stderr, "instantiate: %s: %s\n", bst_contract_outcome_name(r.outcome), r.error);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    return ok;
}

int main(int argc, char **argv) {
    int calls = 1000, cold_reps = 10;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
            calls = atoi(argv[++i]);
        else if (strcmp(argv[i], "--cold-reps") == 0 && i + 1 < argc)
            cold_reps = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (!path || calls < 1 || cold_reps < 1 || cold_reps > 1000) {
        fprintf(stderr,
                "usage: bastion_contracts_bench [--calls N] [--cold-reps N] FLIPPER.wasm\n");
        return 64;
    }
    size_t len;
    uint8_t *code = bench_read_file(path, &len);
    if (!code) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    char dir[4096];

    /* Cold: a new state directory each time. */
    double cold[1000];
    for (int r = 0; r < cold_reps; r++) {
        double t0 = bench_now_ms();
        bst_contracts *c = open_fresh(dir, sizeof dir);
        uint8_t addr[32];
        bool ok = c && endow(c) && deploy(c, code, len, addr);
        bst_contracts_close(c);
        cold[r] = bench_now_ms() - t0;
        bench_remove_state(dir);
        if (!ok) return 1;
    }
    qsort(cold, (size_t)cold_reps, sizeof cold[0], bench_cmp_double);
    printf("code_bytes=%zu\n", len);
    printf("cold_open_upload_instantiate_min_ms=%.3f\n", cold[0]);
    printf("cold_open_upload_instantiate_med_ms=%.3f\n", cold[cold_reps / 2]);

    /* Warm: one instance, many calls. */
    bst_contracts *c = open_fresh(dir, sizeof dir);
    uint8_t addr[32];
    if (!c || !endow(c) || !deploy(c, code, len, addr)) return 1;
    bst_contract_exec ex;
    memset(&ex, 0, sizeof ex);
    ex.kind = BST_CONTRACT_CALL;
    memcpy(ex.origin, ALICE, 32);
    memcpy(ex.dest, addr, 32);
    uint64_t gas = 0;
    int rc = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        ex.input = pass == 0 ? FLIP : GET;
        ex.input_len = 4;
        ex.dry_run = pass == 1;
        double t0 = bench_now_ms();
        for (int i = 0; i < calls; i++) {
            bst_contract_result r;
            memset(&r, 0, sizeof r);
            bst_contracts_exec(c, &ex, &r);
            if (r.outcome != BST_CONTRACT_SUCCESS) {
                fprintf(stderr, "call %d: %s: %s\n", i, bst_contract_outcome_name(r.outcome),
                        r.error);
                rc = 1;
            }
            gas = r.gas_used;
            bool expect_true = calls % 2 == 1; /* after `calls` flips from false */
            if (pass == 1 && (r.data_len != 2 || r.data[1] != (expect_true ? 1 : 0))) {
                fprintf(stderr, "get returned the wrong value after %d flips\n", calls);
                rc = 1;
            }
            bst_contract_result_free(&r);
            if (rc) break;
        }
        double ms = bench_now_ms() - t0;
        const char *what = pass == 0 ? "flip_call" : "get_query";
        printf("%s_count=%d\n%s_total_ms=%.1f\n%s_per_second=%.0f\n%s_us_each=%.1f\n%s_gas=%llu\n",
               what, calls, what, ms, what, calls / (ms / 1e3), what, ms * 1e3 / calls, what,
               (unsigned long long)gas);
    }
    bst_contracts_close(c);
    bench_remove_state(dir);
    free(code);
    return rc;
}
