/*
 * check.h — the few helpers the crypto tests share: hex decoding and a CHECK macro that
 * counts failures and reports file:line, so one run shows every broken vector.
 */
#ifndef BASTION_TESTS_CRYPTO_CHECK_H
#define BASTION_TESTS_CRYPTO_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_crypto.h"

static int g_failures;
static int g_checks;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        g_checks++;                                                                      \
        if (!(cond)) {                                                                   \
            g_failures++;                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);     \
        }                                                                                \
    } while (0)

/* Decodes exactly n bytes of hex (aborts on malformed test data: a bug in the test). */
static inline void unhex(const char *hex, unsigned char *out, size_t n)
{
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
static inline int eq_hex(const unsigned char *got, const char *hex)
{
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

static inline int check_done(const char *name)
{
    if (g_failures) {
        fprintf(stderr, "%s: %d of %d checks failed\n", name, g_failures, g_checks);
        return 1;
    }
    printf("%s: all %d checks passed\n", name, g_checks);
    return 0;
}

static inline void check_init(void)
{
    if (!bst_crypto_init()) {
        fprintf(stderr, "bst_crypto_init failed\n");
        exit(1);
    }
}

#endif
