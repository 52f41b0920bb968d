/*
 * threads.c — many instances in parallel threads (sandbox guarantee 1, concurrency).
 *
 * NTHREADS threads each create NSTORES stores (one instance each) of one shared, read-only
 * bst_module, run all of them interleaved, and check every result, every memory word and every
 * global against a C model; each thread also compiles a private copy of the module concurrently
 * with the others.  Run under ThreadSanitizer in CI (label `tsan`): any hidden shared state in the
 * engine is a data race report there and a wrong sum here.
 */
#include <pthread.h>

#include "harness.h"

#define NTHREADS 8
#define NSTORES 50
#define NWORDS 1024

static uint32_t model_word(uint32_t x, uint32_t i) {
    return (i & 1) ? x ^ (x >> 13) : x * 1664525u + 1013904223u;
}

/* The C model of `work`: the memory contents and the returned sum. */
static uint32_t model(uint32_t seed, uint32_t n, uint32_t *words) {
    uint32_t x = seed, sum = 0;
    for (uint32_t i = 0; i < n; i++) words[i] = x = model_word(x, i);
    for (uint32_t i = 0; i < n; i++) sum = ((sum << 5) | (sum >> 27)) + words[i];
    return sum;
}

typedef struct job {
    const bst_module *shared;
    const uint8_t *bytes;
    size_t len;
    int id;
    int failures; /* counted per thread, summed by main */
    int checks;
} job;

static void fail(job *j, const char *what, int k) {
    j->failures++;
    fprintf(stderr, "thread %d, store %d: %s\n", j->id, k, what);
}

static void *worker(void *arg) {
    job *j = arg;
    /* a private module compiled while the other threads run theirs */
    bst_error err;
    bst_module *own = bst_module_new(j->bytes, j->len, &err);
    if (!own) {
        fail(j, "private compile failed", -1);
        return NULL;
    }
    bst_store *stores[NSTORES];
    bst_instance *insts[NSTORES];
    uint32_t sums[NSTORES];
    /* 400 live stores: keep each one's value stack small (the default is 8 MiB) */
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_stack_slots = 1u << 14;
    cfg.max_call_depth = 1000;
    for (int k = 0; k < NSTORES; k++) {
        stores[k] = bst_store_new(&cfg);
        insts[k] =
            bst_instance_new(stores[k], k % 5 == 4 ? own : j->shared, NULL, 0, &stores[k], &err);
        if (!insts[k]) fail(j, "instantiation failed", k);
    }
    uint32_t *words = malloc(NWORDS * sizeof *words);
    /* two rounds over all stores, interleaved with the other threads */
    for (int round = 0; round < 2; round++) {
        for (int k = 0; k < NSTORES; k++) {
            if (!insts[k]) continue;
            uint32_t seed = (uint32_t)(j->id * 100003 + k * 7919 + round * 31);
            bst_value args[2] = {h_i32((int32_t)seed), h_i32(NWORDS - k)};
            bst_value res;
            j->checks++;
            if (bst_call(bst_instance_func(insts[k], "work"), args, 2, &res, 1, &err) != BST_OK) {
                fail(j, err.message, k);
                continue;
            }
            sums[k] = model(seed, NWORDS - k, words);
            if ((uint32_t)res.of.i32 != sums[k]) fail(j, "wrong sum", k);
        }
    }
    /* every store still holds exactly its own last round's state */
    for (int k = 0; k < NSTORES; k++) {
        if (!insts[k]) continue;
        uint32_t seed = (uint32_t)(j->id * 100003 + k * 7919 + 31);
        model(seed, NWORDS - k, words);
        bst_memory *mem = bst_instance_memory(insts[k], "memory");
        uint32_t got[NWORDS];
        j->checks += 3;
        if (!bst_memory_read(mem, 0, got, sizeof got))
            fail(j, "memory read refused", k);
        else if (memcmp(got, words, (NWORDS - k) * sizeof *words) != 0)
            fail(j, "memory differs", k);
        for (int i = NWORDS - k; i < NWORDS; i++)
            if (got[i] != 0) {
                fail(j, "memory written beyond n", k);
                break;
            }
        bst_extern e;
        if (!bst_instance_export(insts[k], "acc", 3, &e) ||
            (uint32_t)bst_global_get(e.of.global).of.i32 != sums[k])
            fail(j, "global differs", k);
        if (bst_instance_user_data(insts[k]) != &stores[k]) fail(j, "user data differs", k);
    }
    free(words);
    for (int k = 0; k < NSTORES; k++) bst_store_free(stores[k]);
    bst_module_free(own);
    return NULL;
}

int main(void) {
    size_t len;
    uint8_t *bytes = h_wasm_bytes("threads", &len);
    bst_error err;
    bst_module *m = bst_module_new(bytes, len, &err);
    CHECK(m != NULL);
    if (!m) return 1;
    pthread_t tids[NTHREADS];
    job jobs[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        jobs[t] = (job){m, bytes, len, t, 0, 0};
        CHECK(pthread_create(&tids[t], NULL, worker, &jobs[t]) == 0);
    }
    for (int t = 0; t < NTHREADS; t++) {
        pthread_join(tids[t], NULL);
        check_count += jobs[t].checks;
        check_failures += jobs[t].failures;
    }
    bst_module_free(m);
    free(bytes);
    return h_finish("threads");
}
