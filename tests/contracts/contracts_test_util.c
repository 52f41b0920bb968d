/*
 * contracts_test_util.c — the setup shared by the C drivers of the contract host (see
 * contracts_test_util.h): written once so the three drivers cannot drift apart in how they make,
 * open and clean a state or read their fixtures.
 */
#define _XOPEN_SOURCE 700
#include "contracts_test_util.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Test-program state: the directory ctu_fresh_state_dir made, for the atexit cleanup. */
static char state_dir[64];

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void cleanup_dir(void) {
    if (state_dir[0]) nftw(state_dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

const char *ctu_fresh_state_dir(const char *prefix) {
    snprintf(state_dir, sizeof state_dir, "/tmp/%s-XXXXXX", prefix);
    if (!mkdtemp(state_dir)) {
        perror("mkdtemp");
        exit(1);
    }
    atexit(cleanup_dir);
    return state_dir;
}

bst_contracts *ctu_open(const char *dir) {
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = dir;
    bst_error err;
    bst_contracts *c = bst_contracts_open(&cfg, &err);
    if (!c) {
        fprintf(stderr, "open: %s\n", err.message);
        exit(1);
    }
    return c;
}

uint8_t *ctu_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n < 0 ? NULL : malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

uint8_t *ctu_read_wasm(const char *dir, const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.wasm", dir, name);
    return ctu_read_file(path, len);
}

void u128(uint8_t out[16], uint64_t v) {
    memset(out, 0, 16);
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(v >> (8 * i));
}

uint64_t lo64(const uint8_t b[16]) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
    return v;
}

void ctu_exec_init(bst_contract_exec *e, bst_contract_exec_kind kind, const uint8_t origin[32],
                   const uint8_t *target, const uint8_t *input, size_t len, bool dry) {
    memset(e, 0, sizeof *e);
    e->kind = kind;
    memcpy(e->origin, origin, 32);
    if (target) memcpy(kind == BST_CONTRACT_CALL ? e->dest : e->code_hash, target, 32);
    e->input = input;
    e->input_len = len;
    e->dry_run = dry;
}
