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
 * transaction) and the commit (fsync'd).  Medians of 5 runs; the
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
    bst_state_free(genesis);

    printf("\n| changed keys | incremental root | full recomputation | apply (store nodes) | "
           "commit (fsync) |\n");
    printf("|---:|---:|---:|---:|---:|\n");
    const size_t counts[] = {10, 100, 1000};
    for (size_t ci = 0; ci < 3; ci++) {
        double inc[RUNS], full[RUNS], apply[RUNS], commit[RUNS];
        for (int run = 0; run < RUNS; run++) {
            bst_triedb_view *v = bst_triedb_view_open(db, root, err, sizeof err);
            bst_state_backend vb = bst_triedb_view_backend(v), mb = bst_state_mem_backend(mem);
            bst_state *si = bst_state_new(&vb), *sf = bst_state_new(&mb);
            for (size_t i = 0; i < counts[ci]; i++) {
                const uint8_t *k = keys[rnd() % extra];
                fill(val, sizeof val);
                bst_state_set(si, NULL, 0, k, KEY_LEN, val, VAL_LEN);
                bst_state_set(sf, NULL, 0, k, KEY_LEN, val, VAL_LEN);
            }
            uint8_t ri[32], rf[32], rc[32];
            double a = bench_now_ms();
            bool ok = bst_state_root(si, 0, ri);
            double b = bench_now_ms();
            ok = ok && bst_state_root(sf, 0, rf);
            double c = bench_now_ms();
            if (!ok || memcmp(ri, rf, 32) != 0) {
                fprintf(stderr, "the roots differ\n");
                return 1;
            }
            t = bst_triedb_begin(db, err, sizeof err);
            ok = t && bst_triedb_apply(t, root, si, 0, rc);
            double d = bench_now_ms();
            ok = ok && bst_triedb_commit(t, err, sizeof err);
            double e = bench_now_ms();
            if (!ok || memcmp(rc, ri, 32) != 0) {
                fprintf(stderr, "commit failed\n");
                return 1;
            }
            inc[run] = b - a;
            full[run] = c - b;
            apply[run] = d - c;
            commit[run] = e - d;
            bst_state_free(si);
            bst_state_free(sf);
            bst_triedb_view_close(v);
            /* the next run changes the same stored state again (the in-memory copy stays the
             * original: the full recomputation's cost does not depend on the values) */
        }
        printf("| %zu | %.2f ms | %.0f ms | %.2f ms | %.1f ms |\n", counts[ci],
               bench_median(inc, RUNS), bench_median(full, RUNS), bench_median(apply, RUNS),
               bench_median(commit, RUNS));
    }
    char path[300];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    struct stat sb;
    if (stat(path, &sb) == 0)
        printf("\ndata.mdb: %.1f MiB on disk (%.1f MiB apparent) after the load and %d commits\n",
               (double)sb.st_blocks * 512 / 1048576.0, (double)sb.st_size / 1048576.0, 3 * RUNS);
    printf("load average at end: %.2f\n", load_avg());
    free(keys);
    bst_state_mem_free(mem);
    bst_triedb_close(db);
    bench_remove_state(dir);
    return 0;
}
