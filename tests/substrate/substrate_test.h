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

#endif /* BST_TEST_SUBSTRATE_H */
