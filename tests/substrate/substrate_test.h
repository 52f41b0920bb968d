/*
 * substrate_test.h — what the Substrate host's C tests share: the hostile-test harness (CHECK,
 * h_read_file, h_finish) and loading a runtime from the RUNTIMES_DIR given on the command line.
 */
#ifndef BST_TEST_SUBSTRATE_H
#define BST_TEST_SUBSTRATE_H

#ifndef HOSTILE_WASM_DIR
#define HOSTILE_WASM_DIR SUBSTRATE_WASM_DIR
#endif
#include "../hostile/harness.h"

#include "bastion_crypto.h"
#include "bastion_substrate.h"

/* Checks the command line (argv[1] = RUNTIMES_DIR), initialises the crypto library and returns
 * the bytes of RUNTIMES_DIR/name; exits 64 on misuse and 2 when the file cannot be read. */
static inline uint8_t *st_load_runtime(int argc, char **argv, const char *name, size_t *len) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s RUNTIMES_DIR\n", argv[0]);
        exit(64);
    }
    if (!bst_crypto_init()) exit(2);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", argv[1], name);
    uint8_t *code = h_read_file(path, len);
    if (!code) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    return code;
}

/* Calls METHOD(in) under a deadline 100 ms ahead and checks that it ends interrupted within the
 * deadline + 50 ms (3 attempts, so that one descheduling of a loaded machine does not fail it);
 * `what` names the case in the line printed per attempt.  Leaves the deadline set. */
static inline void st_expect_deadline_ends(bst_substrate_runtime *rt, const char *method,
                                           const uint8_t *in, size_t in_len, const char *what) {
    double took = 1e9;
    for (int attempt = 0; attempt < 3 && took >= 150; attempt++) {
        uint64_t t0 = bst_monotonic_ns();
        bst_substrate_runtime_set_deadline(rt, t0 + 100 * UINT64_C(1000000));
        uint8_t *out = NULL;
        size_t out_len = 0;
        bst_error err;
        memset(&err, 0, sizeof err);
        bst_status st = bst_substrate_call(rt, method, in, in_len, &out, &out_len, &err);
        took = (double)(bst_monotonic_ns() - t0) / 1e6;
        CHECK_TRAP(st, err, BST_TRAP_INTERRUPTED);
        free(out);
        printf("%s with a 100 ms deadline: the call ended after %.1f ms\n", what, took);
    }
    CHECK(took >= 100 && took < 150);
}

#endif /* BST_TEST_SUBSTRATE_H */
