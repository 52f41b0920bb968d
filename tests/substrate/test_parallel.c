/*
 * test_parallel.c — Substrate's parallel_execution test: 8 threads, each with a runtime of its
 * own over the same code bytes, call sc_runtime_test's test_twox_128 at the same time and get
 * Substrate's digest.  Runs under ThreadSanitizer in CI (label tsan): the host keeps no global
 * state, so runtimes on different threads share nothing mutable.
 *
 * usage: test_substrate_parallel RUNTIMES_DIR
 */
#include "substrate_test.h"

#include "bastion_substrate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define CALLS 4

static uint8_t *g_code;
static size_t g_code_len;

/* twox_128(b"").encode(), as in Substrate's test. */
static const uint8_t EXPECT[17] = {0x40, 0x99, 0xe9, 0xd8, 0x51, 0x37, 0xdb, 0x46, 0xef,
                                   0x4b, 0xbe, 0xa3, 0x36, 0x13, 0xba, 0xaf, 0xd5};

static void *worker(void *arg) {
    int *ok = arg;
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.allow_missing = true;
    o.max_log_level = 0;
    bst_error err;
    bst_substrate_runtime *rt = bst_substrate_runtime_new(g_code, g_code_len, &o, &err);
    *ok = rt != NULL;
    static const uint8_t empty[1] = {0};
    for (int i = 0; i < CALLS && *ok; i++) {
        uint8_t *out = NULL;
        size_t out_len = 0;
        *ok = bst_substrate_call(rt, "test_twox_128", empty, 1, &out, &out_len, &err) == BST_OK &&
              out_len == sizeof EXPECT && memcmp(out, EXPECT, sizeof EXPECT) == 0;
        free(out);
    }
    bst_substrate_runtime_free(rt);
    return NULL;
}

int main(int argc, char **argv) {
    g_code = st_load_runtime(argc, argv, "sc_runtime_test.wasm", &g_code_len);
    pthread_t t[THREADS];
    int ok[THREADS];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, worker, &ok[i]) != 0) return 2;
    int failed = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        if (!ok[i]) {
            fprintf(stderr, "thread %d: wrong result\n", i);
            failed++;
        }
    }
    free(g_code);
    printf("substrate/parallel: %d threads x %d calls, %d failed\n", THREADS, CALLS, failed);
    return failed ? 1 : 0;
}
