/*
 * fuzz_contract_upload.c — libFuzzer target for the smart-contract host's upload validation
 * (bst_contracts_upload, include/bastion_contracts.h) on arbitrary wasm bytes, and an
 * instantiate + call of what it accepts with a small gas limit.
 *
 * One LMDB state directory per process (mkdtemp under $TMPDIR or /tmp, removed at exit), one
 * endowed origin.  Seeds: the .wasm files of ../shared/contracts.  Checked, besides ASan/UBSan
 * and leaks: the documented rejection statuses with a message, accepted code stored under its
 * BLAKE2b-256 hash and idempotent, rejected code never stored (validation is deterministic),
 * and results within their limits (gas used <= gas limit, outcome and flags consistent, events
 * bounded).
 */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_contracts.h"
#include "bastion_crypto.h"
#include "../support/check.h"

#define GAS_LIMIT 2000000u

static bst_contracts *ctr;
static char state_dir[4096];
static const uint8_t origin[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static uint64_t salt_counter;

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void teardown(void) {
    bst_contracts_close(ctr);
    ctr = NULL;
    if (state_dir[0]) nftw(state_dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(state_dir, sizeof state_dir, "%s/bst-fuzz-ctr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    REQUIRE(mkdtemp(state_dir) != NULL);
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = state_dir;
    cfg.map_size = 256u << 20;
    bst_error err;
    ctr = bst_contracts_open(&cfg, &err);
    if (!ctr) fprintf(stderr, "bst_contracts_open: %s\n", err.message);
    REQUIRE(ctr != NULL);
    uint8_t big[16];
    memset(big, 0xff, sizeof big);
    big[15] = 0x0f;
    REQUIRE(bst_contracts_set_balance(ctr, origin, big, &err) == BST_OK);
    atexit(teardown);
}

static void check_result(const bst_contract_result *res) {
    REQUIRE(res->outcome <= BST_CONTRACT_ERROR);
    REQUIRE(res->gas_used <= res->gas_limit);
    REQUIRE(res->gas_limit == 0 || res->gas_limit == GAS_LIMIT);
    REQUIRE((res->data == NULL) == (res->data_len == 0));
    if (res->outcome == BST_CONTRACT_REVERTED) REQUIRE(res->flags & BST_CONTRACT_FLAG_REVERT);
    if (res->outcome == BST_CONTRACT_SUCCESS) REQUIRE(!(res->flags & BST_CONTRACT_FLAG_REVERT));
    if (res->outcome == BST_CONTRACT_TRAPPED || res->outcome == BST_CONTRACT_OUT_OF_GAS ||
        res->outcome == BST_CONTRACT_ERROR)
        REQUIRE(res->error[0] != '\0');
    REQUIRE(memchr(res->error, '\0', sizeof res->error) != NULL);
    for (size_t i = 0; i < res->nevents; i++) {
        REQUIRE(res->events[i].ntopics <= 4);
        REQUIRE(res->events[i].data_len <= 16 * 1024);
    }
    if (res->debug) REQUIRE(res->debug[res->debug_len] == '\0'); /* the text may hold NULs */
}

/* ink! constructor inputs tried in turn (new(false/0), new_default, default, v0 new) and the
 * messages called (flip, get, total_supply v5/v0, incrementer get, trait-flipper get). */
static const uint8_t ctor_inputs[][21] = {
    {0x9b, 0xae, 0x9d, 0x5e, 0},
    {0x61, 0xef, 0x7e, 0x3e},
    {0x6a, 0x37, 0x12, 0xe2},
    {0xd1, 0x83, 0x51, 0x2b, 0},
};
static const size_t ctor_lens[] = {21, 4, 4, 21};
static const uint8_t msgs[][4] = {
    {0x63, 0x3a, 0xa5, 0x51}, {0x2f, 0x86, 0x5b, 0xd9}, {0xdb, 0x63, 0x75, 0xa8},
    {0xdc, 0xb7, 0x36, 0xb5}, {0x1e, 0x5c, 0xa4, 0x56}, {0x6b, 0x35, 0x49, 0xbc},
};

static void run(const uint8_t code_hash[32]) {
    for (size_t c = 0; c < sizeof ctor_lens / sizeof ctor_lens[0]; c++) {
        uint64_t salt = ++salt_counter;
        bst_contract_exec e;
        memset(&e, 0, sizeof e);
        e.kind = BST_CONTRACT_INSTANTIATE;
        memcpy(e.origin, origin, 32);
        memcpy(e.code_hash, code_hash, 32);
        e.input = ctor_inputs[c];
        e.input_len = ctor_lens[c];
        e.salt = (const uint8_t *)&salt;
        e.salt_len = sizeof salt;
        e.gas_limit = GAS_LIMIT;
        bst_contract_result res;
        bst_status st = bst_contracts_exec(ctr, &e, &res);
        REQUIRE(st == BST_OK);
        check_result(&res);
        bool ok = res.outcome == BST_CONTRACT_SUCCESS;
        uint8_t addr[32];
        memcpy(addr, res.address, 32);
        bst_contract_result_free(&res);
        if (!ok) continue;
        uint8_t h[32];
        REQUIRE(bst_contracts_code_hash_of(ctr, addr, h) && memcmp(h, code_hash, 32) == 0);
        for (size_t m = 0; m < sizeof msgs / sizeof msgs[0]; m++) {
            memset(&e, 0, sizeof e);
            e.kind = BST_CONTRACT_CALL;
            memcpy(e.origin, origin, 32);
            memcpy(e.dest, addr, 32);
            e.input = msgs[m];
            e.input_len = 4;
            e.gas_limit = GAS_LIMIT;
            e.dry_run = m % 2 == 1;
            st = bst_contracts_exec(ctr, &e, &res);
            REQUIRE(st == BST_OK);
            check_result(&res);
            bst_contract_result_free(&res);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!ctr) setup();
    uint8_t hash[32], want[32];
    bst_error err;
    memset(hash, 0, sizeof hash);
    bst_blake2_256(data, size, want);
    bool known = bst_contracts_code_exists(ctr, want);
    bst_status st =
        bst_contracts_upload(ctr, origin, size ? data : (const uint8_t *)"", size, hash, &err);
    if (st != BST_OK) {
        REQUIRE(st == BST_ERR_INVALID || st == BST_ERR_LIMIT || st == BST_ERR_UNLINKABLE ||
                st == BST_ERR_UNSUPPORTED || st == BST_ERR_MALFORMED);
        REQUIRE(err.status == st && err.message[0] != '\0');
        REQUIRE(memchr(err.message, '\0', sizeof err.message) != NULL);
        /* Rejected code is never stored (unless the store itself failed). */
        if (strncmp(err.message, "storing code", 12) != 0) REQUIRE(!known);
        return 0;
    }
    REQUIRE(memcmp(hash, want, 32) == 0 && bst_contracts_code_exists(ctr, hash));
    uint8_t again[32];
    REQUIRE(bst_contracts_upload(ctr, origin, data, size, again, &err) == BST_OK);
    REQUIRE(memcmp(again, hash, 32) == 0);
    if (!known) run(hash); /* new code: instantiate it and call a few messages */
    return 0;
}
