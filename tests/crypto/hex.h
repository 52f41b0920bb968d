/*
 * hex.h — what the crypto tests share besides the common checks (../support/check.h): test
 * vectors written in hex, decoded and compared.
 */
#ifndef BASTION_TESTS_CRYPTO_HEX_H
#define BASTION_TESTS_CRYPTO_HEX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_crypto.h"
#include "../support/check.h"

/* Decodes exactly n bytes of hex (aborts on malformed test data: a bug in the test). */
static inline void unhex(const char *hex, unsigned char *out, size_t n) {
    if (strlen(hex) != 2 * n) {
        fprintf(stderr, "bad hex length for %zu bytes: %s\n", n, hex);
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            fprintf(stderr, "bad hex: %s\n", hex);
            abort();
        }
        out[i] = (unsigned char)v;
    }
}

/* memcmp against a hex string, printing both on mismatch. */
static inline int eq_hex(const unsigned char *got, const char *hex) {
    size_t n = strlen(hex) / 2;
    unsigned char *want = malloc(n ? n : 1);
    unhex(hex, want, n);
    int eq = memcmp(got, want, n) == 0;
    if (!eq) {
        fprintf(stderr, "  got  ");
        for (size_t i = 0; i < n; i++) {
            fprintf(stderr, "%02x", got[i]);
        }
        fprintf(stderr, "\n  want %s\n", hex);
    }
    free(want);
    return eq;
}

/* The crypto layer's one-time initialisation; a test cannot run without it. */
static inline void check_init(void) { REQUIRE(bst_crypto_init()); }

#endif
