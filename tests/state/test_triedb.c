/*
 * test_triedb.c — CTest state/triedb_*: the persistent trie store (include/bastion_triedb.h).
 *
 *   random   rounds of random sets, clears, appends, clear_prefix, child tries and nested
 *            transactions over a view, for state_version 0 and 1 (values of every size, hashed
 *            ones included): each round the incremental root (bst_state_root over the view)
 *            and child roots (bst_state_child_root) must equal the full recomputation over a bst_state_mem copy of the same contents
 *            and bst_trie_root of the pairs; the commit must store exactly that root, the view
 *            computing it must have written nothing, and every committed root, old ones
 *            included, must read back its exact contents.
 *   westend  the Westend genesis (../shared/runtimes/westend.json) loaded into a store gives
 *            Westend's known state root, and reads back.
 *   crash    a child process committing rounds is killed with SIGKILL in the middle of its
 *            commits: the store opens at the last committed round (its aux head), whose
 *            contents and root are exactly those of that round, replayed.
 *   corrupt  a node deleted from the database: reads, roots and applies that need it fail
 *            (BST_STATE_ERROR / false), never "absent"; paths that avoid it still work.
 *   api      the empty root, unknown roots, aux records, abort.
 *   threads  views read from two threads (their own views, and aux records) while the main
 *            thread commits new rounds: every read matches its root (also under TSan).
 */
#define _DEFAULT_SOURCE

#include "bastion_triedb.h"

#include "bastion_state.h"
#include "bastion_trie.h"
#include "../support/chainspec.h"
#include "../support/check.h"

#include <lmdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SHARED_RUNTIMES_DIR
#define SHARED_RUNTIMES_DIR "../shared/runtimes"
#endif

/* ---- a model of the contents ------------------------------------------------------------------ */

#define NCHILD 4
static const char *const CHILD[NCHILD] = {"", "kid", "kid2", "k"};

typedef struct ent {
    int trie; /* -1: top; else an index into CHILD */
    uint8_t *key;
    size_t kl;
    uint8_t *val;
    size_t vl;
} ent;

typedef struct model {
    ent *e;
    size_t n, cap;
} model;

static uint8_t *bdup(const uint8_t *p, size_t n) {
    uint8_t *d = malloc(n ? n : 1);
    REQUIRE(d != NULL);
    if (n) memcpy(d, p, n);
    return d;
}

static int bytes_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl) {
    size_t m = al < bl ? al : bl;
    int c = m ? memcmp(a, b, m) : 0;
    return c ? c : (al > bl) - (al < bl);
}

static ent *model_find(model *m, int trie, const uint8_t *k, size_t kl) {
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].trie == trie && bytes_cmp(m->e[i].key, m->e[i].kl, k, kl) == 0) return &m->e[i];
    return NULL;
}

static void model_set(model *m, int trie, const uint8_t *k, size_t kl, const uint8_t *v,
                      size_t vl) {
    ent *e = model_find(m, trie, k, kl);
    if (e) {
        free(e->val);
        e->val = bdup(v, vl);
        e->vl = vl;
        return;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->e = realloc(m->e, m->cap * sizeof *m->e);
        REQUIRE(m->e != NULL);
    }
    m->e[m->n++] = (ent){trie, bdup(k, kl), kl, bdup(v, vl), vl};
}

static void model_remove_at(model *m, size_t i) {
    free(m->e[i].key);
    free(m->e[i].val);
    m->e[i] = m->e[--m->n];
}

static void model_del(model *m, int trie, const uint8_t *k, size_t kl) {
    ent *e = model_find(m, trie, k, kl);
    if (e) model_remove_at(m, (size_t)(e - m->e));
}

static void model_clear_prefix(model *m, int trie, const uint8_t *p, size_t pl) {
    for (size_t i = m->n; i-- > 0;)
        if (m->e[i].trie == trie && m->e[i].kl >= pl && (pl == 0 || !memcmp(m->e[i].key, p, pl)))
            model_remove_at(m, i);
}

static void model_copy(model *dst, const model *src) {
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->n; i++)
        model_set(dst, src->e[i].trie, src->e[i].key, src->e[i].kl, src->e[i].val, src->e[i].vl);
}

static void model_free(model *m) {
    while (m->n) model_remove_at(m, m->n - 1);
    free(m->e);
    memset(m, 0, sizeof *m);
}

static const uint8_t *child_name(int trie, size_t *len) {
    *len = trie < 0 ? 0 : strlen(CHILD[trie]);
    return trie < 0 ? NULL : (const uint8_t *)CHILD[trie];
}

/* The contents as an in-memory backend. */
static bst_state_mem *model_mem(const model *m) {
    bst_state_mem *mem = bst_state_mem_new();
    REQUIRE(mem != NULL);
    for (size_t i = 0; i < m->n; i++) {
        size_t cl;
        const uint8_t *c = child_name(m->e[i].trie, &cl);
        REQUIRE(bst_state_mem_put(mem, c, cl, m->e[i].key, m->e[i].kl, m->e[i].val, m->e[i].vl));
    }
    bst_state_mem_finish(mem);
    return mem;
}

static int pair_cmp(const void *a, const void *b) {
    const bst_trie_pair *x = a, *y = b;
    return bytes_cmp(x->key, x->key_len, y->key, y->key_len);
}

/* bst_trie_root of the pairs of one trie. */
static void trie_root_of(const model *m, int trie, unsigned v, uint8_t out[32], size_t *count) {
    bst_trie_pair *p = calloc(m->n + 1, sizeof *p);
    REQUIRE(p != NULL);
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].trie == trie)
            p[n++] = (bst_trie_pair){m->e[i].key, m->e[i].kl, m->e[i].val, m->e[i].vl};
    qsort(p, n, sizeof *p, pair_cmp);
    REQUIRE(bst_trie_root(p, n, v, out));
    *count = n;
    free(p);
}

/* The state root straight from bst_trie_root: top pairs plus the non-empty child roots. */
static void model_trie_root(const model *m, unsigned v, uint8_t out[32]) {
    model top = {0};
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].trie < 0) model_set(&top, -1, m->e[i].key, m->e[i].kl, m->e[i].val, m->e[i].vl);
    for (int c = 0; c < NCHILD; c++) {
        uint8_t r[32], key[64];
        size_t count;
        trie_root_of(m, c, v, r, &count);
        if (!count) continue;
        size_t pl = strlen(BST_CHILD_STORAGE_DEFAULT_PREFIX), cl = strlen(CHILD[c]);
        memcpy(key, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl);
        memcpy(key + pl, CHILD[c], cl);
        model_set(&top, -1, key, pl + cl, r, 32);
    }
    size_t count;
    trie_root_of(&top, -1, v, out, &count);
    model_free(&top);
}

/* The full recomputation: bst_state_root over a bst_state_mem copy. */
static void model_state_root(const model *m, unsigned v, uint8_t out[32]) {
    bst_state_mem *mem = model_mem(m);
    bst_state_backend be = bst_state_mem_backend(mem);
    bst_state *st = bst_state_new(&be);
    REQUIRE(st && bst_state_root(st, v, out));
    bst_state_free(st);
    bst_state_mem_free(mem);
}

/* Whether the view at root reads exactly m: every trie walked with next_key, every value got,
 * the child tries enumerated. */
static bool view_matches(bst_triedb *db, const uint8_t root[32], const model *m) {
    char err[200];
    bst_triedb_view *v = bst_triedb_view_open(db, root, err, sizeof err);
    if (!v) {
        fprintf(stderr, "view: %s\n", err);
        return false;
    }
    bst_state_backend be = bst_triedb_view_backend(v);
    bool ok = true;
    size_t seen = 0;
    for (int t = -1; t < NCHILD && ok; t++) {
        size_t cl;
        const uint8_t *c = child_name(t, &cl);
        uint8_t *k = NULL;
        size_t kl = 0;
        bool first = true;
        for (;;) {
            uint8_t *nk = NULL, *val = NULL;
            size_t nkl = 0, vl = 0;
            bst_state_res r = be.next_key(be.ctx, c, cl, k, kl, first, &nk, &nkl);
            first = false;
            free(k);
            k = NULL;
            if (r == BST_STATE_ABSENT) break;
            if (r != BST_STATE_FOUND) {
                ok = false;
                break;
            }
            k = nk;
            kl = nkl;
            /* the top trie holds the child roots too: checked through next_child and roots */
            if (t < 0 && kl >= 15 && memcmp(k, BST_CHILD_STORAGE_PREFIX, 15) == 0) continue;
            ent *e = model_find((model *)m, t, k, kl);
            if (!e || be.get(be.ctx, c, cl, k, kl, &val, &vl) != BST_STATE_FOUND ||
                bytes_cmp(val, vl, e->val, e->vl) != 0) {
                fprintf(stderr, "view: trie %d key of %zu bytes differs\n", t, kl);
                ok = false;
            }
            free(val);
            seen++;
        }
        free(k);
    }
    if (seen != m->n) {
        fprintf(stderr, "view: %zu keys, the model has %zu\n", seen, m->n);
        ok = false;
    }
    /* next_child: the non-empty child tries in name order */
    uint8_t *name = NULL;
    size_t nl = 0, nchild = 0;
    bool first = true;
    for (;;) {
        uint8_t *nn = NULL;
        size_t nnl = 0;
        bst_state_res r = be.next_child(be.ctx, name, nl, first, &nn, &nnl);
        first = false;
        free(name);
        name = NULL;
        if (r != BST_STATE_FOUND) {
            ok = ok && r == BST_STATE_ABSENT;
            break;
        }
        name = nn;
        nl = nnl;
        nchild++;
    }
    free(name);
    size_t want = 0;
    for (int c = 0; c < NCHILD; c++)
        for (size_t i = 0; i < m->n; i++)
            if (m->e[i].trie == c) {
                want++;
                break;
            }
    if (nchild != want) {
        fprintf(stderr, "view: %zu child tries, the model has %zu\n", nchild, want);
        ok = false;
    }
    bst_triedb_view_close(v);
    return ok;
}

/* ---- random operations ------------------------------------------------------------------------ */

static uint64_t rng_state;
static uint64_t rnd(void) {
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}
static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }

/* Keys from a small alphabet, so that they share prefixes and nest. */
static size_t rand_key(uint8_t *k) {
    static const uint8_t alpha[] = {0x00, 0x01, 0x10, 0x11, 0xff, 'a'};
    size_t n = below(7);
    for (size_t i = 0; i < n; i++) k[i] = alpha[below(sizeof alpha)];
    return n;
}

/* Values of every size class: empty, inline, around the 33-byte threshold, large. */
static size_t rand_val(uint8_t *v) {
    static const size_t sizes[] = {0, 1, 5, 31, 32, 33, 34, 100, 1000, 5000};
    size_t n = sizes[below(sizeof sizes / sizeof sizes[0])];
    uint8_t b = (uint8_t)rnd();
    for (size_t i = 0; i < n; i++) v[i] = (uint8_t)(b + i * 7);
    return n;
}

typedef struct txstack {
    model saved[8];
    size_t depth;
} txstack;

/* One random operation on st and the same on m (transactions: the model is saved at start and
 * restored at rollback). */
static void random_op(bst_state *st, model *m, txstack *tx) {
    static uint8_t v[5000];
    uint8_t k[8];
    size_t kl = rand_key(k), vl;
    int trie = below(3) == 0 ? (int)below(NCHILD) : -1;
    size_t cl;
    const uint8_t *c = child_name(trie, &cl);
    unsigned op = below(100);
    if (op < 55) {
        vl = rand_val(v);
        REQUIRE(bst_state_set(st, c, cl, k, kl, v, vl));
        model_set(m, trie, k, kl, v, vl);
    } else if (op < 75) {
        REQUIRE(bst_state_clear(st, c, cl, k, kl));
        model_del(m, trie, k, kl);
    } else if (op < 83) {
        uint8_t item[3] = {(uint8_t)rnd(), 1, 2};
        REQUIRE(bst_state_append(st, c, cl, k, kl, item, 1 + below(3)));
        uint8_t *got = NULL;
        size_t gl = 0;
        REQUIRE(bst_state_get(st, c, cl, k, kl, &got, &gl) == BST_STATE_FOUND);
        model_set(m, trie, k, kl, got, gl);
        free(got);
    } else if (op < 88) {
        size_t pl = 1 + below(2); /* never empty, never ':': no reserved prefix */
        if (kl < pl) return;
        REQUIRE(bst_state_clear_prefix(st, c, cl, k, pl, UINT32_MAX, NULL, NULL));
        model_clear_prefix(m, trie, k, pl);
    } else if (op < 90) {
        if (trie < 0) return;
        REQUIRE(bst_state_child_kill(st, c, cl, UINT32_MAX, NULL, NULL));
        model_clear_prefix(m, trie, NULL, 0);
    } else if (op < 95) {
        if (tx->depth == 8) return;
        REQUIRE(bst_state_tx_start(st));
        model_copy(&tx->saved[tx->depth++], m);
    } else if (tx->depth > 0) {
        model *s = &tx->saved[--tx->depth];
        if (op < 98) {
            REQUIRE(bst_state_tx_commit(st));
        } else {
            REQUIRE(bst_state_tx_rollback(st));
            model_free(m);
            *m = *s;
            memset(s, 0, sizeof *s);
        }
        model_free(s);
    }
}

static char *temp_dir(void) {
    char tmpl[] = "/tmp/bst_triedb_XXXXXX";
    char *d = mkdtemp(tmpl);
    REQUIRE(d != NULL);
    return strdup(d);
}

static void remove_dir(const char *dir) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static bst_triedb *open_db(const char *dir) {
    char err[200];
    bst_triedb *db = bst_triedb_open(dir, err, sizeof err);
    if (!db) fprintf(stderr, "open %s: %s\n", dir, err);
    REQUIRE(db != NULL);
    return db;
}

/* Applies st on parent and commits; the new root. */
static void commit_state(bst_triedb *db, const uint8_t parent[32], const bst_state *st, unsigned v,
                         const void *aux, size_t aux_len, uint8_t out[32]) {
    char err[200];
    bst_triedb_txn *t = bst_triedb_begin(db, err, sizeof err);
    REQUIRE(t != NULL);
    bool ok = bst_triedb_apply(t, parent, st, v, out);
    if (!ok) fprintf(stderr, "apply: %s\n", bst_triedb_txn_error(t));
    REQUIRE(ok);
    if (aux) REQUIRE(bst_triedb_aux_put(t, (const uint8_t *)"head", 4, aux, aux_len));
    ok = bst_triedb_commit(t, err, sizeof err);
    if (!ok) fprintf(stderr, "commit: %s\n", err);
    REQUIRE(ok);
}

static void test_random(unsigned version, unsigned rounds) {
    char *dir = temp_dir();
    bst_triedb *db = open_db(dir);
    model m = {0};
    model *history = calloc(rounds + 1, sizeof *history);
    uint8_t(*roots)[32] = calloc(rounds + 1, 32);
    REQUIRE(history && roots);
    bst_trie_empty_root(roots[0]);
    rng_state = 0x1234567u + version;
    for (unsigned round = 1; round <= rounds; round++) {
        char err[200];
        bst_triedb_view *v = bst_triedb_view_open(db, roots[round - 1], err, sizeof err);
        REQUIRE(v != NULL);
        bst_state_backend be = bst_triedb_view_backend(v);
        bst_state *st = bst_state_new(&be);
        REQUIRE(st != NULL);
        txstack tx = {0};
        unsigned ops = 1 + below(round % 5 == 0 ? 400 : 60);
        for (unsigned i = 0; i < ops; i++) random_op(st, &m, &tx);
        for (size_t i = 0; i < tx.depth; i++) model_free(&tx.saved[i]); /* left open */
        uint8_t inc[32], inc2[32], full[32], trie[32], got[32];
        CHECK(bst_state_root(st, version, inc));
        CHECK(bst_state_root(st, version, inc2)); /* cached */
        CHECK(memcmp(inc, inc2, 32) == 0);
        model_state_root(&m, version, full);
        model_trie_root(&m, version, trie);
        CHECK_MSG(memcmp(inc, full, 32) == 0, "v%u round %u: incremental root != full", version,
                  round);
        CHECK_MSG(memcmp(full, trie, 32) == 0, "v%u round %u: full root != bst_trie_root", version,
                  round);
        for (int c = 0; c < NCHILD; c++) { /* child roots: incremental too */
            uint8_t cr[32], want[32];
            size_t count;
            trie_root_of(&m, c, version, want, &count);
            CHECK(
                bst_state_child_root(st, (const uint8_t *)CHILD[c], strlen(CHILD[c]), version, cr));
            CHECK_MSG(memcmp(cr, want, 32) == 0, "v%u round %u: child %d root", version, round, c);
        }
        /* the view's root computation wrote nothing */
        if (memcmp(inc, roots[round - 1], 32) != 0 && m.n)
            CHECK_MSG(!bst_triedb_has_node(db, inc), "v%u round %u: root stored before commit",
                      version, round);
        commit_state(db, roots[round - 1], st, version, &round, sizeof round, got);
        CHECK_MSG(memcmp(got, inc, 32) == 0, "v%u round %u: committed root differs", version,
                  round);
        memcpy(roots[round], got, 32);
        model_copy(&history[round], &m);
        CHECK_MSG(view_matches(db, got, &m), "v%u round %u: reads differ", version, round);
        /* an older root still reads its own contents */
        unsigned old = below(round + 1);
        CHECK_MSG(view_matches(db, roots[old], &history[old]), "v%u round %u: old root %u", version,
                  round, old);
        bst_state_free(st);
        bst_triedb_view_close(v);
    }
    /* Reopened: every committed root reads back, the aux head is the last round. */
    bst_triedb_close(db);
    db = open_db(dir);
    for (unsigned r = 0; r <= rounds; r++)
        CHECK_MSG(view_matches(db, roots[r], &history[r]), "v%u reopened: root %u", version, r);
    uint8_t *hv = NULL;
    size_t hl = 0;
    CHECK(bst_triedb_aux_get(db, (const uint8_t *)"head", 4, &hv, &hl));
    CHECK(hl == sizeof rounds && hv && memcmp(hv, &rounds, sizeof rounds) == 0);
    free(hv);
    for (unsigned r = 0; r <= rounds; r++) model_free(&history[r]);
    free(history);
    free(roots);
    model_free(&m);
    bst_triedb_close(db);
    remove_dir(dir);
    free(dir);
}

/* ---- Westend genesis ---------------------------------------------------------------------------- */

/* The genesis pairs of a raw chain spec set into st (top trie only: Westend has no child
 * tries); the count. */
static void put_state(void *user, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
    REQUIRE(bst_state_set(user, NULL, 0, k, kl, v, vl));
}

static size_t load_genesis(const char *path, bst_state *st) {
    return spec_genesis_foreach(path, put_state, st);
}

static void hex_root(const char *hex, uint8_t out[32]) {
    for (int i = 0; i < 32; i++) {
        unsigned b;
        REQUIRE(sscanf(hex + 2 * i, "%2x", &b) == 1);
        out[i] = (uint8_t)b;
    }
}

static void test_westend(void) {
    /* The state root in Westend's genesis header (genesis hash 0xe143f238...423e). */
    uint8_t want[32], empty[32], got[32], full[32];
    hex_root("7e92439a94f79671f9cade9dff96a094519b9001a7432244d46ab644bb6f746f", want);
    bst_trie_empty_root(empty);
    bst_state *st = bst_state_new(NULL);
    REQUIRE(st != NULL);
    size_t n = load_genesis(SHARED_RUNTIMES_DIR "/westend.json", st);
    CHECK(n > 50);
    char *dir = temp_dir();
    bst_triedb *db = open_db(dir);
    commit_state(db, empty, st, 0, NULL, 0, got);
    CHECK_MSG(memcmp(got, want, 32) == 0, "Westend genesis: wrong state root");
    /* state_version 1 (hashed :code and other large values): the store agrees with the full
     * recomputation */
    uint8_t got1[32];
    commit_state(db, empty, st, 1, NULL, 0, got1);
    CHECK(bst_state_root(st, 1, full));
    CHECK(memcmp(got1, full, 32) == 0 && memcmp(got1, want, 32) != 0);
    bst_state_free(st);
    /* The stored genesis reads back: :code, and as many keys as the spec has. */
    char err[200];
    bst_triedb_view *v = bst_triedb_view_open(db, want, err, sizeof err);
    REQUIRE(v != NULL);
    bst_state_backend be = bst_triedb_view_backend(v);
    uint8_t *code = NULL, *k = NULL;
    size_t cl = 0, kl = 0, count = 0;
    CHECK(be.get(be.ctx, NULL, 0, (const uint8_t *)":code", 5, &code, &cl) == BST_STATE_FOUND);
    CHECK(cl > 100000 && memcmp(code, "\0asm", 4) == 0);
    free(code);
    bool first = true;
    for (;;) {
        uint8_t *nk = NULL;
        size_t nkl = 0;
        bst_state_res r = be.next_key(be.ctx, NULL, 0, k, kl, first, &nk, &nkl);
        first = false;
        free(k);
        k = nk;
        kl = nkl;
        if (r != BST_STATE_FOUND) break;
        count++;
    }
    CHECK_EQ(count, n);
    /* An incremental root over the stored genesis: one key changed. */
    bst_state *st2 = bst_state_new(&be);
    REQUIRE(st2 != NULL);
    CHECK(bst_state_set(st2, NULL, 0, (const uint8_t *)":heappages", 10,
                        (const uint8_t *)"\x40\0\0\0\0\0\0\0", 8));
    uint8_t inc[32];
    CHECK(bst_state_root(st2, 0, inc) && memcmp(inc, want, 32) != 0);
    bst_state_free(st2);
    bst_triedb_view_close(v);
    bst_triedb_close(db);
    remove_dir(dir);
    free(dir);
}

/* ---- crash safety ------------------------------------------------------------------------------- */

/* Round k of the crash writer: 300 keys set (100-byte values), 50 deleted, from k alone. */
static void crash_round(unsigned k, bst_state *st, model *m) {
    rng_state = 0x9e3779b97f4a7c15u ^ k;
    for (int i = 0; i < 350; i++) {
        uint8_t key[4] = {(uint8_t)below(16), (uint8_t)rnd(), (uint8_t)rnd(), (uint8_t)below(4)};
        uint8_t val[100];
        memset(val, (int)k, sizeof val);
        memcpy(val, key, 4);
        if (i < 300) {
            if (st) REQUIRE(bst_state_set(st, NULL, 0, key, 4, val, sizeof val));
            model_set(m, -1, key, 4, val, sizeof val);
        } else {
            if (st) REQUIRE(bst_state_clear(st, NULL, 0, key, 4));
            model_del(m, -1, key, 4);
        }
    }
}

typedef struct head_rec {
    unsigned round;
    uint8_t root[32];
} head_rec;

static void crash_writer(const char *dir, int fd) {
    bst_triedb *db = open_db(dir);
    head_rec h = {0};
    bst_trie_empty_root(h.root);
    model scratch = {0};
    for (h.round = 1;; h.round++) {
        char err[200];
        bst_triedb_view *v = bst_triedb_view_open(db, h.root, err, sizeof err);
        REQUIRE(v != NULL);
        bst_state_backend be = bst_triedb_view_backend(v);
        bst_state *st = bst_state_new(&be);
        crash_round(h.round, st, &scratch);
        model_free(&scratch);
        uint8_t nr[32];
        head_rec next = h;
        bst_triedb_txn *t = bst_triedb_begin(db, err, sizeof err);
        REQUIRE(t && bst_triedb_apply(t, h.root, st, 0, nr));
        memcpy(next.root, nr, 32);
        REQUIRE(
            bst_triedb_aux_put(t, (const uint8_t *)"head", 4, (const uint8_t *)&next, sizeof next));
        REQUIRE(bst_triedb_commit(t, err, sizeof err));
        h = next;
        bst_state_free(st);
        bst_triedb_view_close(v);
        REQUIRE(write(fd, &h, sizeof h) == (ssize_t)sizeof h);
    }
}

static void test_crash(void) {
    for (int attempt = 0; attempt < 5; attempt++) {
        char *dir = temp_dir();
        int p[2];
        REQUIRE(pipe(p) == 0);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            crash_writer(dir, p[1]);
            _exit(0);
        }
        close(p[1]);
        head_rec last = {0};
        unsigned target = 4 + (unsigned)attempt * 3;
        struct timespec t0, t1;
        while (last.round < target) {
            clock_gettime(CLOCK_MONOTONIC, &t0);
            REQUIRE(read(p[0], &last, sizeof last) == (ssize_t)sizeof last);
            clock_gettime(CLOCK_MONOTONIC, &t1);
        }
        /* at another point of the next round each time (its computation, its write, its
         * fsync): a fraction of the last round's duration */
        long round_ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
        struct timespec ts = {0, round_ns / 5 * (attempt + 1) % 1000000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        close(p[0]);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        bst_triedb *db = open_db(dir);
        uint8_t *hv = NULL;
        size_t hl = 0;
        CHECK(bst_triedb_aux_get(db, (const uint8_t *)"head", 4, &hv, &hl));
        head_rec h = {0};
        if (hv && hl == sizeof h) memcpy(&h, hv, sizeof h);
        free(hv);
        CHECK_MSG(h.round >= last.round, "crash: head round %u before the reported %u", h.round,
                  last.round);
        /* the head's contents are those of its round, replayed */
        model m = {0};
        for (unsigned k = 1; k <= h.round; k++) crash_round(k, NULL, &m);
        uint8_t want[32];
        model_state_root(&m, 0, want);
        CHECK_MSG(memcmp(want, h.root, 32) == 0, "crash: head root is not round %u's", h.round);
        CHECK(view_matches(db, h.root, &m));
        /* the last reported root still reads */
        char err[200];
        bst_triedb_view *v = bst_triedb_view_open(db, last.root, err, sizeof err);
        CHECK(v != NULL);
        bst_triedb_view_close(v);
        fprintf(stderr, "crash %d: killed %ld us after round %u, head at round %u\n", attempt,
                (long)ts.tv_nsec / 1000, last.round, h.round);
        model_free(&m);
        bst_triedb_close(db);
        remove_dir(dir);
        free(dir);
    }
}

/* ---- a damaged database ------------------------------------------------------------------------- */

typedef struct pick {
    uint8_t root[32];
    uint8_t victim[32];
    bool have;
} pick;

/* Picks a node other than the root: the first hashed node bst_trie_nodes hands out (children
 * come before their parents, the root last). */
static bool pick_node(void *user, const uint8_t hash[32], const uint8_t *data, size_t len) {
    pick *p = user;
    (void)data;
    if (!p->have && len > 40) {
        memcpy(p->victim, hash, 32);
        p->have = true;
    }
    return true;
}

static void test_corrupt(void) {
    char *dir = temp_dir();
    bst_triedb *db = open_db(dir);
    /* 200 keys under two first bytes: a root branch with big subtrees */
    model m = {0};
    bst_state *st = bst_state_new(NULL);
    uint8_t val[40];
    for (int i = 0; i < 200; i++) {
        uint8_t key[3] = {(uint8_t)(i % 2 ? 0x10 : 0x20), (uint8_t)i, (uint8_t)(i * 7)};
        memset(val, i, sizeof val);
        REQUIRE(bst_state_set(st, NULL, 0, key, 3, val, sizeof val));
        model_set(&m, -1, key, 3, val, sizeof val);
    }
    uint8_t empty[32], root[32];
    bst_trie_empty_root(empty);
    commit_state(db, empty, st, 0, NULL, 0, root);
    bst_state_free(st);
    /* the node to lose: one under the 0x1 subtree (keys with first byte 0x10) */
    model sub = {0};
    for (size_t i = 0; i < m.n; i++)
        if (m.e[i].key[0] == 0x10) model_set(&sub, -1, m.e[i].key, 3, m.e[i].val, m.e[i].vl);
    bst_trie_pair *pairs = calloc(m.n, sizeof *pairs);
    REQUIRE(pairs != NULL);
    for (size_t i = 0; i < m.n; i++) pairs[i] = (bst_trie_pair){m.e[i].key, 3, m.e[i].val, 40};
    qsort(pairs, m.n, sizeof *pairs, pair_cmp);
    pick p = {0};
    REQUIRE(bst_trie_nodes(pairs, m.n, 0, pick_node, &p, p.root));
    REQUIRE(p.have && memcmp(p.root, root, 32) == 0);
    const uint8_t *lost_key = pairs[0].key; /* the first key's leaf is the first node out */
    bst_triedb_close(db);
    /* delete it behind the store's back */
    MDB_env *env;
    MDB_txn *t;
    MDB_dbi dbi;
    REQUIRE(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 4) == 0);
    REQUIRE(mdb_env_open(env, dir, 0, 0600) == 0 && mdb_txn_begin(env, NULL, 0, &t) == 0);
    REQUIRE(mdb_dbi_open(t, "nodes", 0, &dbi) == 0);
    MDB_val k = {32, p.victim};
    REQUIRE(mdb_del(t, dbi, &k, NULL) == 0 && mdb_txn_commit(t) == 0);
    mdb_env_close(env);

    db = open_db(dir);
    CHECK(!bst_triedb_has_node(db, p.victim));
    char err[200];
    bst_triedb_view *v = bst_triedb_view_open(db, root, err, sizeof err);
    REQUIRE(v != NULL);
    bst_state_backend be = bst_triedb_view_backend(v);
    uint8_t *out = NULL;
    size_t ol = 0;
    CHECK(be.get(be.ctx, NULL, 0, lost_key, 3, &out, &ol) == BST_STATE_ERROR);
    CHECK(be.next_key(be.ctx, NULL, 0, NULL, 0, true, &out, &ol) == BST_STATE_ERROR);
    /* a key on an intact path reads */
    const uint8_t *intact = pairs[m.n - 1].key;
    CHECK(be.get(be.ctx, NULL, 0, intact, 3, &out, &ol) == BST_STATE_FOUND && ol == 40);
    free(out);
    /* a root or an apply through the lost node fails; one that avoids it works */
    bst_state *s2 = bst_state_new(&be);
    uint8_t r[32];
    CHECK(bst_state_set(s2, NULL, 0, intact, 3, (const uint8_t *)"x", 1));
    CHECK(bst_state_root(s2, 0, r));
    CHECK(bst_state_clear(s2, NULL, 0, lost_key, 3));
    CHECK(!bst_state_root(s2, 0, r));
    bst_triedb_txn *tx = bst_triedb_begin(db, err, sizeof err);
    REQUIRE(tx != NULL);
    CHECK(!bst_triedb_apply(tx, root, s2, 0, r));
    CHECK(strstr(bst_triedb_txn_error(tx), "missing") != NULL);
    bst_triedb_abort(tx);
    bst_state_free(s2);
    bst_triedb_view_close(v);
    model_free(&sub);
    model_free(&m);
    free(pairs);
    bst_triedb_close(db);
    /* a truncated data.mdb is refused at open, not a SIGBUS later */
    char path[300];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    REQUIRE(truncate(path, 8192) == 0);
    CHECK(bst_triedb_open(dir, err, sizeof err) == NULL);
    remove_dir(dir);
    free(dir);
}

/* ---- the API's edges ---------------------------------------------------------------------------- */

static void test_api(void) {
    char *dir = temp_dir(), err[200];
    bst_triedb *db = open_db(dir);
    uint8_t empty[32], bogus[32], r[32];
    bst_trie_empty_root(empty);
    memset(bogus, 0x42, 32);
    bst_triedb_view *v = bst_triedb_view_open(db, empty, err, sizeof err);
    CHECK(v != NULL);
    bst_state_backend be = bst_triedb_view_backend(v);
    uint8_t *out = NULL;
    size_t ol = 0;
    CHECK(be.get(be.ctx, NULL, 0, (const uint8_t *)"a", 1, &out, &ol) == BST_STATE_ABSENT);
    bst_state *st = bst_state_new(&be);
    CHECK(bst_state_root(st, 0, r) && memcmp(r, empty, 32) == 0);
    CHECK(bst_triedb_view_open(db, bogus, err, sizeof err) == NULL && strstr(err, "not"));
    /* an aborted transaction leaves nothing; aux records commit with it */
    CHECK(bst_state_set(st, NULL, 0, (const uint8_t *)"k", 1, (const uint8_t *)"v", 1));
    bst_triedb_txn *t = bst_triedb_begin(db, err, sizeof err);
    REQUIRE(t != NULL);
    CHECK(bst_triedb_apply(t, empty, st, 0, r));
    CHECK(!bst_triedb_apply(t, bogus, st, 0, r)); /* an unknown parent */
    CHECK(!bst_triedb_apply(t, empty, st, 2, r));
    CHECK(bst_triedb_aux_put(t, (const uint8_t *)"x", 1, (const uint8_t *)"1", 1));
    bst_triedb_abort(t);
    CHECK(!bst_triedb_has_node(db, r));
    CHECK(!bst_triedb_aux_get(db, (const uint8_t *)"x", 1, &out, &ol));
    t = bst_triedb_begin(db, err, sizeof err);
    REQUIRE(t != NULL);
    CHECK(bst_triedb_apply(t, empty, st, 0, r));
    CHECK(bst_triedb_aux_put(t, (const uint8_t *)"x", 1, (const uint8_t *)"1", 1));
    CHECK(bst_triedb_aux_put(t, (const uint8_t *)"y", 1, (const uint8_t *)"2", 1));
    CHECK(bst_triedb_aux_del(t, (const uint8_t *)"y", 1));
    CHECK(bst_triedb_commit(t, err, sizeof err));
    CHECK(bst_triedb_has_node(db, r));
    CHECK(bst_triedb_aux_get(db, (const uint8_t *)"x", 1, &out, &ol) && ol == 1 && out[0] == '1');
    free(out);
    CHECK(!bst_triedb_aux_get(db, (const uint8_t *)"y", 1, &out, &ol));
    uint8_t vr[32];
    bst_triedb_view_root(v, vr);
    CHECK(memcmp(vr, empty, 32) == 0);
    bst_state_free(st);
    bst_triedb_view_close(v);
    bst_triedb_close(db);
    /* not a directory */
    char path[300];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    CHECK(bst_triedb_open(path, err, sizeof err) == NULL && strstr(err, "not a directory"));
    remove_dir(dir);
    free(dir);
}

/* ---- views on other threads while the writer commits ------------------------------------------- */

typedef struct reader_arg {
    bst_triedb *db;
    const uint8_t (*roots)[32];
    const model *history;
    unsigned nroots;
    bool ok;
} reader_arg;

static void *reader(void *p) {
    reader_arg *a = p;
    for (int pass = 0; pass < 3; pass++)
        for (unsigned r = 0; r < a->nroots; r++) {
            if (!view_matches(a->db, a->roots[r], &a->history[r])) a->ok = false;
            uint8_t *v = NULL;
            size_t vl = 0;
            if (bst_triedb_aux_get(a->db, (const uint8_t *)"head", 4, &v, &vl) && vl != 32)
                a->ok = false;
            free(v);
        }
    return NULL;
}

static void test_threads(void) {
    char *dir = temp_dir();
    bst_triedb *db = open_db(dir);
    enum { FIRST = 6, MORE = 6 };
    model history[FIRST + MORE + 1];
    uint8_t roots[FIRST + MORE + 1][32];
    memset(history, 0, sizeof history);
    bst_trie_empty_root(roots[0]);
    rng_state = 0xfeedu;
    model m = {0};
    for (unsigned r = 1; r <= FIRST; r++) {
        bst_state *st = bst_state_new(NULL); /* changes only: applied on the last root */
        model_copy(&m, &history[r - 1]);
        for (int i = 0; i < 200; i++) { /* top-trie sets and clears */
            uint8_t k[8], v[64];
            size_t kl = rand_key(k), vl = 1 + below(60);
            memset(v, (int)r, vl);
            if (below(4)) {
                REQUIRE(bst_state_set(st, NULL, 0, k, kl, v, vl));
                model_set(&m, -1, k, kl, v, vl);
            } else {
                REQUIRE(bst_state_clear(st, NULL, 0, k, kl));
                model_del(&m, -1, k, kl);
            }
        }
        commit_state(db, roots[r - 1], st, 0, roots[r - 1], 32, roots[r]);
        history[r] = m;
        memset(&m, 0, sizeof m);
        bst_state_free(st);
    }
    reader_arg args[2] = {{db, roots, history, FIRST + 1, true},
                          {db, roots, history, FIRST + 1, true}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++) REQUIRE(pthread_create(&th[i], NULL, reader, &args[i]) == 0);
    /* the writer goes on meanwhile, over views of its own */
    for (unsigned r = FIRST + 1; r <= FIRST + MORE; r++) {
        char err[200];
        bst_triedb_view *v = bst_triedb_view_open(db, roots[r - 1], err, sizeof err);
        REQUIRE(v != NULL);
        bst_state_backend be = bst_triedb_view_backend(v);
        bst_state *st = bst_state_new(&be);
        model_copy(&history[r], &history[r - 1]);
        for (int i = 0; i < 100; i++) {
            uint8_t k[8], val[40];
            size_t kl = rand_key(k);
            memset(val, (int)r, sizeof val);
            REQUIRE(bst_state_set(st, NULL, 0, k, kl, val, sizeof val));
            model_set(&history[r], -1, k, kl, val, sizeof val);
        }
        commit_state(db, roots[r - 1], st, 0, roots[r - 1], 32, roots[r]);
        CHECK(view_matches(db, roots[r], &history[r]));
        bst_state_free(st);
        bst_triedb_view_close(v);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        CHECK_MSG(args[i].ok, "reader %d saw a wrong state", i);
    }
    for (unsigned r = 0; r <= FIRST + MORE; r++) model_free(&history[r]);
    model_free(&m);
    bst_triedb_close(db);
    remove_dir(dir);
    free(dir);
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "all";
    bool all = strcmp(what, "all") == 0;
    if (all || !strcmp(what, "random")) {
        test_random(0, 100);
        test_random(1, 100);
    }
    if (all || !strcmp(what, "westend")) test_westend();
    if (all || !strcmp(what, "crash")) test_crash();
    if (all || !strcmp(what, "corrupt")) test_corrupt();
    if (all || !strcmp(what, "api")) test_api();
    if (all || !strcmp(what, "threads")) test_threads();
    return check_finish("state/triedb");
}
