/*
 * triedb.c — bastion_triedb_bench: what the incremental state root of the persistent trie store
 * (include/bastion_triedb.h) saves.  Not a test: it prints figures (docs/substrate.md,
 * "Persistent state").
 *
 *   bastion_triedb_bench [WESTEND_JSON [EXTRA_KEYS]]
 *
 * The state: Westend's genesis (the raw chain spec's top pairs) plus EXTRA_KEYS synthetic keys
 * (default 100000) shaped like storage-map entries (a 32-byte pallet/item prefix, one of 8, then
 * a 16-byte hash and a 32-byte account id; 80-byte values).  Loaded into a fresh store with one
 * commit.  Then for 10, 100 and 1000 changed keys (existing keys rewritten): the state root of
 * (stored state + changes) computed incrementally (bst_state_root over a view) and by full
 * recomputation (bst_state_root over an in-memory backend holding the whole state: every key
 * visited), then bst_triedb_apply of those changes (the new nodes written into the LMDB
 * transaction) and the commit (fsync'd).  Wall-clock and CPU time (the machine may be
 * shared: CPU time is steadier), medians of 5 runs; the
 * database size at the end; the load average at the start and end.
 */
#define _DEFAULT_SOURCE

#include "bastion_state.h"
#include "bastion_triedb.h"
#include "bastion_trie.h"
#include "bench_util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RUNS 5
#define KEY_LEN 80
#define VAL_LEN 80

static uint64_t rng = 0x2545f4914f6cdd1du;
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fill(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
}

static int hexd(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "0x..." into a malloc'd buffer; false when malformed. */
static bool unhex(const char *s, size_t n, uint8_t **out, size_t *len) {
    if (n < 2 || s[0] != '0' || s[1] != 'x' || n % 2) return false;
    *len = (n - 2) / 2;
    *out = malloc(*len + 1);
    if (!*out) return false;
    for (size_t i = 0; i < *len; i++) {
        int hi = hexd(s[2 + 2 * i]), lo = hexd(s[3 + 2 * i]);
        if (hi < 0 || lo < 0) return false;
        (*out)[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* The "top" pairs of a raw chain spec, scanned as "0x..": "0x.." string pairs after "top"
 * (enough for a benchmark: the test suite reads chain specs properly). */
static size_t load_spec_top(const char *path, bst_state *st, bst_state_mem *mem) {
    size_t len;
    char *json = (char *)bench_read_file(path, &len);
    if (!json) return 0;
    char *p = strstr(json, "\"top\"");
    size_t n = 0;
    while (p && (p = strstr(p, "\"0x")) != NULL) {
        char *ke = strchr(p + 1, '"');
        char *vs = ke ? strstr(ke + 1, "\"0x") : NULL;
        char *ve = vs ? strchr(vs + 1, '"') : NULL;
        if (!ve) break;
        /* the pair ends the object when '}' comes before the value */
        char *close = memchr(ke, '}', (size_t)(vs - ke));
        if (close) break;
        uint8_t *k, *v;
        size_t kl, vl;
        if (unhex(p + 1, (size_t)(ke - p - 1), &k, &kl) &&
            unhex(vs + 1, (size_t)(ve - vs - 1), &v, &vl)) {
            bst_state_set(st, NULL, 0, k, kl, v, vl);
            bst_state_mem_put(mem, NULL, 0, k, kl, v, vl);
            free(v);
            n++;
        }
        free(k);
        p = ve + 1;
    }
    free(json);
    return n;
}

/* n random existing keys of keys[0..nkeys) rewritten with random values in st. */
static void set_random(bst_state *st, uint8_t (*keys)[KEY_LEN], size_t nkeys, size_t n) {
    uint8_t val[VAL_LEN];
    for (size_t i = 0; i < n; i++) {
        const uint8_t *k = keys[rnd() % nkeys];
        fill(val, sizeof val);
        bst_state_set(st, NULL, 0, k, KEY_LEN, val, VAL_LEN);
    }
}

/* CPU time of this process (user + system), in ms: steadier than the wall clock on a loaded
 * machine. */
static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The space a file takes on disk, in MiB (0 when it cannot be read). */
static double file_mib(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 ? (double)sb.st_blocks * 512 / 1048576.0 : 0;
}

static double load_avg(void) {
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1) l = -1;
        fclose(f);
    }
    return l;
}

int main(int argc, char **argv) {
    const char *spec = argc > 1 ? argv[1] : "../shared/runtimes/westend.json";
    size_t extra = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100000;
    printf("load average at start: %.2f\n", load_avg());
    char tmpl[] = "/tmp/bastion_triedb_bench_XXXXXX";
    char *dir = mkdtemp(tmpl);
    char err[256];
    bst_triedb *db = dir ? bst_triedb_open(dir, err, sizeof err) : NULL;
    if (!db) {
        fprintf(stderr, "cannot open a store: %s\n", dir ? err : "mkdtemp failed");
        return 1;
    }
    /* The whole state, both in a bst_state (to store it) and in memory (full recomputation). */
    bst_state *genesis = bst_state_new(NULL);
    bst_state_mem *mem = bst_state_mem_new();
    size_t spec_keys = load_spec_top(spec, genesis, mem);
    uint8_t(*keys)[KEY_LEN] = malloc(extra * KEY_LEN + 1);
    uint8_t prefixes[8][32], val[VAL_LEN];
    fill(&prefixes[0][0], sizeof prefixes);
    for (size_t i = 0; i < extra; i++) {
        memcpy(keys[i], prefixes[rnd() % 8], 32);
        fill(keys[i] + 32, KEY_LEN - 32);
        fill(val, sizeof val);
        bst_state_set(genesis, NULL, 0, keys[i], KEY_LEN, val, VAL_LEN);
        bst_state_mem_put(mem, NULL, 0, keys[i], KEY_LEN, val, VAL_LEN);
    }
    bst_state_mem_finish(mem);
    printf("state: %zu keys (%zu from %s, %zu synthetic), state_version 0\n",
           bst_state_mem_count(mem), spec_keys, spec, extra);
    uint8_t root[32], empty[32];
    bst_trie_empty_root(empty);
    double t0 = bench_now_ms();
    bst_triedb_txn *t = bst_triedb_begin(db, err, sizeof err);
    if (!t || !bst_triedb_apply(t, empty, genesis, 0, root) ||
        !bst_triedb_commit(t, err, sizeof err)) {
        fprintf(stderr, "loading the state failed\n");
        return 1;
    }
    printf("initial load (apply + commit of every key): %.0f ms\n", bench_now_ms() - t0);
    char path[300];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    double loaded = file_mib(path);
    printf("data.mdb after the load: %.1f MiB\n", loaded);
    bst_state_free(genesis);

    printf("\nwall-clock ms / CPU ms (this process), medians of %d runs\n\n", RUNS);
    printf("| changed keys | incremental root | apply (store nodes) | commit (fsync) | "
           "full recomputation |\n");
    printf("|---:|---:|---:|---:|---:|\n");
    const size_t counts[] = {10, 100, 1000};
    size_t changed = 0;
    for (size_t ci = 0; ci < 3; ci++) {
        /* [phase][clock][run]: phases root, apply, commit, full; clocks wall, CPU */
        double m[4][2][RUNS];
        uint64_t seeds[RUNS];
        uint8_t roots[RUNS][32];
        /* First the store's runs, then the full recomputations of the same changes: the full
         * one's large allocations, once freed, would make whatever follows pay page faults. */
        for (int run = 0; run < RUNS; run++) {
            bst_triedb_view *v = bst_triedb_view_open(db, root, err, sizeof err);
            bst_state_backend vb = bst_triedb_view_backend(v);
            bst_state *si = bst_state_new(&vb);
            seeds[run] = rng;
            set_random(si, keys, extra, counts[ci]);
            changed += counts[ci];
            uint8_t rc[32];
            double w[4], c[4];
            w[0] = bench_now_ms(), c[0] = cpu_ms();
            bool ok = bst_state_root(si, 0, roots[run]);
            w[1] = bench_now_ms(), c[1] = cpu_ms();
            t = bst_triedb_begin(db, err, sizeof err);
            ok = ok && t && bst_triedb_apply(t, root, si, 0, rc);
            w[2] = bench_now_ms(), c[2] = cpu_ms();
            ok = ok && bst_triedb_commit(t, err, sizeof err);
            w[3] = bench_now_ms(), c[3] = cpu_ms();
            if (!ok || memcmp(rc, roots[run], 32) != 0) {
                fprintf(stderr, "the commit failed\n");
                return 1;
            }
            for (int ph = 0; ph < 3; ph++) {
                m[ph][0][run] = w[ph + 1] - w[ph];
                m[ph][1][run] = c[ph + 1] - c[ph];
            }
            bst_state_free(si);
            bst_triedb_view_close(v);
            /* the next run changes the same stored state (root) again */
        }
        for (int run = 0; run < RUNS; run++) {
            bst_state_backend mb = bst_state_mem_backend(mem);
            bst_state *sf = bst_state_new(&mb);
            uint64_t saved = rng;
            rng = seeds[run];
            set_random(sf, keys, extra, counts[ci]);
            rng = saved;
            uint8_t rf[32];
            double w0 = bench_now_ms(), c0 = cpu_ms();
            bool ok = bst_state_root(sf, 0, rf);
            m[3][0][run] = bench_now_ms() - w0;
            m[3][1][run] = cpu_ms() - c0;
            if (!ok || memcmp(rf, roots[run], 32) != 0) {
                fprintf(stderr, "the roots differ\n");
                return 1;
            }
            bst_state_free(sf);
        }
        printf("| %zu", counts[ci]);
        for (int ph = 0; ph < 4; ph++)
            printf(" | %.2f / %.2f", bench_median(m[ph][0], RUNS), bench_median(m[ph][1], RUNS));
        printf(" |\n");
    }
    double end = file_mib(path);
    printf("\ndata.mdb: %.1f MiB after the load and %d commits of %zu changed keys in all: "
           "%.0f bytes per changed key\n",
           end, 3 * RUNS, changed, (end - loaded) * 1048576.0 / (double)changed);
    printf("load average at end: %.2f\n", load_avg());
    free(keys);
    bst_state_mem_free(mem);
    bst_triedb_close(db);
    bench_remove_state(dir);
    return 0;
}
