/*
 * fuzz_state.c — differential libFuzzer target for the storage overlay (include/bastion_state.h)
 * against a reference model written here: per trie and key, the backend value and the overlay
 * state (no change / deleted / set), with one full snapshot of the overlay per open transaction.
 *
 * Input: byte 0 bit 0 = use an in-memory backend; then (with a backend) a count and that many
 * (trie, key, value) puts; then operations until the input ends: set / clear / append /
 * clear_prefix with a limit / child_kill / next_key / get+exists / tx start / commit /
 * rollback / roots / change list / full scan / stats, on the top trie and the child tries ""
 * and "A", over a small key universe (85 keys of length 0..3 over {00, ':', 'a', ff} plus
 * ":child_storage:..." keys, which the top trie reserves for child roots).  Every result is
 * compared with the model; at the end the roots are compared with bst_trie_root over the model's
 * merged pairs, and with the roots of the same content inserted in other orders (a fresh
 * overlay in reverse order with deleted junk keys, a fresh backend in shuffled order), and
 * bst_trie_root must refuse unsorted pairs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_state.h"
#include "bastion_trie.h"
#include "../support/check.h"

/* REQUIRE, plus the operation of the input at which the property broke (c is evaluated once:
 * some properties call the state). */
#define REQUIRE_AT_OP(c)                                                                           \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: requirement failed at op %zu: %s\n", __FILE__, __LINE__,       \
                    g_opno, #c);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static size_t g_opno;

/* ---- the key universe ----------------------------------------------------------------------- */

#define NT 3 /* tries: top, child "", child "A" */
#define MAXK 96
#define RESERVED ":child_storage:"
#define RESERVED_LEN 15
#define DEFAULT_PFX ":child_storage:default:"
#define DEFAULT_PFX_LEN 23

static const uint8_t *const trie_name[NT] = {NULL, (const uint8_t *)"", (const uint8_t *)"A"};
static const size_t trie_name_len[NT] = {0, 0, 1};

static const char *const specials[8] = {
    ":c",
    ":child_storage",
    RESERVED,
    DEFAULT_PFX,
    DEFAULT_PFX "A",
    RESERVED "zz",
    "aaaaaaaaaaaaaaaaaaaa",
    ":child_storage_not",
};

typedef struct {
    uint8_t b[32];
    size_t n;
} key_t_;

static key_t_ keys[MAXK];
static size_t nkeys;
static uint8_t gen_code[128 + 8]; /* generator code -> key id */
static size_t by_rank[MAXK];      /* key ids in byte order */
static size_t rank_of[MAXK];

static int bytes_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl) {
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;
    return c ? c : (al > bl) - (al < bl);
}

static size_t add_key(const uint8_t *b, size_t n) {
    for (size_t i = 0; i < nkeys; i++)
        if (bytes_cmp(keys[i].b, keys[i].n, b, n) == 0) return i;
    memcpy(keys[nkeys].b, b, n);
    keys[nkeys].n = n;
    return nkeys++;
}

static int rank_cmp(const void *a, const void *b) {
    const key_t_ *x = &keys[*(const size_t *)a], *y = &keys[*(const size_t *)b];
    return bytes_cmp(x->b, x->n, y->b, y->n);
}

static void init_universe(void) {
    static const uint8_t alpha[4] = {0x00, ':', 'a', 0xff};
    size_t code = 0;
    for (size_t len = 0; len <= 3; len++) {
        size_t combos = 1u << (2 * len);
        for (size_t c = 0; c < combos; c++) {
            uint8_t b[3];
            for (size_t i = 0; i < len; i++) b[i] = alpha[(c >> (2 * i)) & 3];
            gen_code[code++] = (uint8_t)add_key(b, len);
        }
    }
    for (size_t i = 0; i < 128; i++) gen_code[i] = gen_code[i % 85];
    for (size_t i = 0; i < 8; i++)
        gen_code[128 + i] = (uint8_t)add_key((const uint8_t *)specials[i], strlen(specials[i]));
    for (size_t i = 0; i < nkeys; i++) by_rank[i] = i;
    qsort(by_rank, nkeys, sizeof by_rank[0], rank_cmp);
    for (size_t r = 0; r < nkeys; r++) rank_of[by_rank[r]] = r;
}

static bool has_prefix(const uint8_t *k, size_t kl, const uint8_t *p, size_t pl) {
    return kl >= pl && (pl == 0 || memcmp(k, p, pl) == 0);
}

static bool reserved(size_t t, size_t k) {
    return t == 0 && has_prefix(keys[k].b, keys[k].n, (const uint8_t *)RESERVED, RESERVED_LEN);
}

/* ---- the model ------------------------------------------------------------------------------ */

typedef struct {
    uint8_t *p;
    size_t n;
} bytes;

enum { O_NONE, O_DEL, O_SET };

typedef struct {
    uint8_t st;
    bytes v;
} oent;

typedef struct {
    oent o[NT][MAXK];
} overlay;

typedef struct {
    bool present[NT][MAXK];
    bytes be[NT][MAXK];
    overlay cur;
    overlay *stack;
    size_t depth, cap;
} model;

static bytes dup(const uint8_t *p, size_t n) {
    bytes b = {malloc(n ? n : 1), n};
    REQUIRE_AT_OP(b.p != NULL);
    if (n) memcpy(b.p, p, n);
    return b;
}

static void overlay_free(overlay *o) {
    for (size_t t = 0; t < NT; t++)
        for (size_t k = 0; k < nkeys; k++) free(o->o[t][k].v.p);
}

static void overlay_copy(overlay *dst, const overlay *src) {
    for (size_t t = 0; t < NT; t++)
        for (size_t k = 0; k < nkeys; k++) {
            dst->o[t][k].st = src->o[t][k].st;
            dst->o[t][k].v = src->o[t][k].st == O_SET ? dup(src->o[t][k].v.p, src->o[t][k].v.n)
                                                      : (bytes){NULL, 0};
        }
}

static void model_write(model *m, size_t t, size_t k, uint8_t st, bytes v) {
    oent *e = &m->cur.o[t][k];
    free(e->v.p);
    e->st = st;
    e->v = v;
}

/* The merged value, or NULL when absent. */
static const bytes *model_get(const model *m, size_t t, size_t k) {
    if (reserved(t, k)) return NULL;
    const oent *e = &m->cur.o[t][k];
    if (e->st == O_SET) return &e->v;
    if (e->st == O_DEL) return NULL;
    return m->present[t][k] ? &m->be[t][k] : NULL;
}

/* Canonical Compact<u32> prefix (parity-scale-codec, strict): its length or 0. */
static size_t ref_compact_u32(const uint8_t *p, size_t n, uint32_t *v) {
    if (n < 1) return 0;
    uint64_t x;
    switch (p[0] & 3) {
    case 0: *v = p[0] >> 2; return 1;
    case 1:
        if (n < 2) return 0;
        x = (p[0] | (uint64_t)p[1] << 8) >> 2;
        if (x < 64) return 0;
        *v = (uint32_t)x;
        return 2;
    case 2:
        if (n < 4) return 0;
        x = (p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24) >> 2;
        if (x < 16384) return 0;
        *v = (uint32_t)x;
        return 4;
    default:
        if (p[0] != 3 || n < 5) return 0; /* a u32 has exactly 4 magnitude bytes */
        x = p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16 | (uint64_t)p[4] << 24;
        if (x < (1u << 30)) return 0;
        *v = (uint32_t)x;
        return 5;
    }
}

static size_t ref_compact_put(uint8_t o[5], uint32_t v) {
    if (v < 64) {
        o[0] = (uint8_t)(v << 2);
        return 1;
    }
    if (v < 16384) {
        uint32_t x = v << 2 | 1;
        o[0] = (uint8_t)x;
        o[1] = (uint8_t)(x >> 8);
        return 2;
    }
    if (v < (1u << 30)) {
        uint32_t x = v << 2 | 2;
        for (int i = 0; i < 4; i++) o[i] = (uint8_t)(x >> (8 * i));
        return 4;
    }
    o[0] = 3;
    for (int i = 0; i < 4; i++) o[1 + i] = (uint8_t)(v >> (8 * i));
    return 5;
}

/* ---- input ---------------------------------------------------------------------------------- */

typedef struct {
    const uint8_t *p;
    size_t n, i;
} reader;

static uint8_t rd(reader *r) { return r->i < r->n ? r->p[r->i++] : 0; }
static size_t rd_key(reader *r) {
    uint8_t b = rd(r);
    return gen_code[b < 128 ? b : 128 + (b & 7)];
}
static size_t rd_trie(reader *r) { return rd(r) % NT; }

/* A value of 0..40 bytes: raw input bytes, or (high bit) a pattern. */
static bytes rd_value(reader *r) {
    uint8_t lb = rd(r);
    size_t n = lb % 41;
    bytes v = {malloc(n ? n : 1), n};
    REQUIRE_AT_OP(v.p != NULL);
    for (size_t i = 0; i < n; i++) v.p[i] = lb & 0x80 ? (uint8_t)(lb + 31 * i) : rd(r);
    return v;
}

/* ---- checks --------------------------------------------------------------------------------- */

static void check_get(bst_state *st, const model *m, size_t t, size_t k) {
    uint8_t *v = NULL;
    size_t vl = 0;
    const bytes *want = model_get(m, t, k);
    bst_state_res r =
        bst_state_get(st, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n, &v, &vl);
    REQUIRE_AT_OP(r == (want ? BST_STATE_FOUND : BST_STATE_ABSENT));
    if (want) REQUIRE_AT_OP(vl == want->n && (vl == 0 || memcmp(v, want->p, vl) == 0));
    free(v);
    REQUIRE_AT_OP(bst_state_exists(st, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n) == r);
}

/* The smallest visible key ranked after rank r (SIZE_MAX: before every key). */
static size_t model_next(const model *m, size_t t, size_t r) {
    for (size_t q = r == SIZE_MAX ? 0 : r + 1; q < nkeys; q++)
        if (model_get(m, t, by_rank[q])) return by_rank[q];
    return SIZE_MAX;
}

static void check_next(bst_state *st, const model *m, size_t t, size_t k) {
    uint8_t *nk = NULL;
    size_t nl = 0;
    size_t want = model_next(m, t, rank_of[k]);
    bst_state_res r =
        bst_state_next_key(st, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n, &nk, &nl);
    if (want == SIZE_MAX) {
        REQUIRE_AT_OP(r == BST_STATE_ABSENT);
    } else {
        REQUIRE_AT_OP(r == BST_STATE_FOUND);
        REQUIRE_AT_OP(bytes_cmp(nk, nl, keys[want].b, keys[want].n) == 0);
    }
    free(nk);
}

/* Iterates a whole trie with next_key from the empty key and compares with the model. */
static void check_scan(bst_state *st, const model *m, size_t t) {
    size_t empty = gen_code[0];
    check_get(st, m, t, empty);
    uint8_t *cur = NULL;
    size_t cl = 0, r = rank_of[empty], steps = 0;
    for (;;) {
        uint8_t *nk = NULL;
        size_t nl = 0;
        size_t want = model_next(m, t, r);
        bst_state_res res =
            bst_state_next_key(st, trie_name[t], trie_name_len[t], cur, cl, &nk, &nl);
        free(cur);
        if (want == SIZE_MAX) {
            REQUIRE_AT_OP(res == BST_STATE_ABSENT);
            break;
        }
        REQUIRE_AT_OP(res == BST_STATE_FOUND && bytes_cmp(nk, nl, keys[want].b, keys[want].n) == 0);
        check_get(st, m, t, want);
        cur = nk;
        cl = nl;
        r = rank_of[want];
        REQUIRE_AT_OP(++steps <= nkeys);
    }
}

/* The model's merged pairs of a trie, sorted; returns the count. */
static size_t model_pairs(const model *m, size_t t, bst_trie_pair *out) {
    size_t n = 0;
    for (size_t q = 0; q < nkeys; q++) {
        size_t k = by_rank[q];
        const bytes *v = model_get(m, t, k);
        if (!v) continue;
        out[n].key = keys[k].b;
        out[n].key_len = keys[k].n;
        out[n].value = v->p;
        out[n].value_len = v->n;
        n++;
    }
    return n;
}

static int pair_cmp(const void *a, const void *b) {
    const bst_trie_pair *x = a, *y = b;
    return bytes_cmp(x->key, x->key_len, y->key, y->key_len);
}

/* The expected top root: visible top pairs plus the non-empty child tries' roots. */
static void model_root(const model *m, unsigned ver, uint8_t out[32], uint8_t child_roots[NT][32]) {
    bst_trie_pair pairs[MAXK + NT];
    uint8_t ck[NT][DEFAULT_PFX_LEN + 1];
    size_t n = model_pairs(m, 0, pairs);
    for (size_t t = 1; t < NT; t++) {
        bst_trie_pair cp[MAXK];
        size_t cn = model_pairs(m, t, cp);
        REQUIRE_AT_OP(bst_trie_root(cp, cn, ver, child_roots[t]));
        if (cn == 0) continue;
        memcpy(ck[t], DEFAULT_PFX, DEFAULT_PFX_LEN);
        memcpy(ck[t] + DEFAULT_PFX_LEN, trie_name[t], trie_name_len[t]);
        pairs[n].key = ck[t];
        pairs[n].key_len = DEFAULT_PFX_LEN + trie_name_len[t];
        pairs[n].value = child_roots[t];
        pairs[n].value_len = 32;
        n++;
    }
    qsort(pairs, n, sizeof pairs[0], pair_cmp);
    REQUIRE_AT_OP(bst_trie_root(pairs, n, ver, out));
}

static void check_roots(bst_state *st, const model *m, unsigned ver) {
    uint8_t want[32], got[32], again[32], child_roots[NT][32];
    model_root(m, ver, want, child_roots);
    REQUIRE_AT_OP(bst_state_root(st, ver, got) && memcmp(got, want, 32) == 0);
    REQUIRE_AT_OP(bst_state_root(st, ver, again) && memcmp(again, want, 32) == 0); /* cached */
    for (size_t t = 1; t < NT; t++) {
        REQUIRE_AT_OP(bst_state_child_root(st, trie_name[t], trie_name_len[t], ver, got));
        REQUIRE_AT_OP(memcmp(got, child_roots[t], 32) == 0);
    }
    REQUIRE_AT_OP(!bst_state_child_root(st, NULL, 0, ver, got));
    REQUIRE_AT_OP(!bst_state_root(st, 2, got));
}

typedef struct {
    const model *m;
    size_t t, q; /* position of the next expected change */
    size_t calls, stop_at;
} changes_ctx;

/* Advances to the next changed (trie, key) of the model. */
static bool next_change(changes_ctx *c) {
    for (; c->t < NT; c->t++, c->q = 0)
        for (; c->q < nkeys; c->q++)
            if (c->m->cur.o[c->t][by_rank[c->q]].st != O_NONE) return true;
    return false;
}

static bool on_change(void *user, const uint8_t *child, size_t child_len, const uint8_t *key,
                      size_t key_len, const uint8_t *val, size_t val_len) {
    changes_ctx *c = user;
    REQUIRE_AT_OP(next_change(c));
    size_t k = by_rank[c->q];
    const oent *e = &c->m->cur.o[c->t][k];
    REQUIRE_AT_OP((child == NULL) == (c->t == 0));
    if (child)
        REQUIRE_AT_OP(bytes_cmp(child, child_len, trie_name[c->t], trie_name_len[c->t]) == 0);
    REQUIRE_AT_OP(bytes_cmp(key, key_len, keys[k].b, keys[k].n) == 0);
    if (e->st == O_DEL) {
        REQUIRE_AT_OP(val == NULL && val_len == 0);
    } else {
        REQUIRE_AT_OP(val != NULL && val_len == e->v.n);
        REQUIRE_AT_OP(val_len == 0 || memcmp(val, e->v.p, val_len) == 0);
    }
    c->q++;
    return ++c->calls != c->stop_at;
}

static void check_changes(bst_state *st, const model *m, size_t stop_at) {
    changes_ctx c = {m, 0, 0, 0, stop_at};
    bool ok = bst_state_changes(st, on_change, &c);
    if (stop_at && c.calls == stop_at) {
        REQUIRE_AT_OP(!ok);
    } else {
        REQUIRE_AT_OP(ok && !next_change(&c));
    }
}

static void check_stats(bst_state *st, const model *m) {
    bst_state_stats s;
    bst_state_get_stats(st, &s);
    size_t changed = 0, bytes_set = 0;
    for (size_t t = 0; t < NT; t++)
        for (size_t k = 0; k < nkeys; k++) {
            if (m->cur.o[t][k].st != O_NONE) changed++;
            if (m->cur.o[t][k].st == O_SET) bytes_set += m->cur.o[t][k].v.n;
        }
    REQUIRE_AT_OP(s.nodes >= changed && s.value_bytes >= bytes_set && s.child_tries <= NT - 1);
    if (m->depth == 0) {
        /* Nothing to undo; the overlay holds exactly the changed keys. */
        REQUIRE_AT_OP(s.journal_entries == 0 && s.journal_bytes == 0);
        REQUIRE_AT_OP(s.nodes == changed);
    }
}

/* ---- operations ----------------------------------------------------------------------------- */

enum {
    OP_SET,
    OP_CLEAR,
    OP_APPEND,
    OP_CLEAR_PREFIX,
    OP_KILL,
    OP_NEXT,
    OP_GET,
    OP_TX_START,
    OP_COMMIT,
    OP_ROLLBACK,
    OP_ROOT,
    OP_CHANGES,
    OP_SCAN,
    OP_STATS,
    OP_COUNT
};

static const uint32_t limits[8] = {0, 1, 2, 3, 5, UINT32_MAX, UINT32_MAX, UINT32_MAX};

static void clear_prefix(bst_state *st, model *m, size_t t, const uint8_t *pfx, size_t pl,
                         uint32_t limit, bool kill) {
    uint32_t removed = 12345;
    bool all = false;
    bool ok = kill ? bst_state_child_kill(st, trie_name[t], trie_name_len[t], limit, &removed, &all)
                   : bst_state_clear_prefix(st, trie_name[t], trie_name_len[t], pfx, pl, limit,
                                            &removed, &all);
    if (kill && t == 0) {
        REQUIRE_AT_OP(!ok);
        return;
    }
    REQUIRE_AT_OP(ok);
    bool refused = t == 0 && (pl > RESERVED_LEN
                                  ? has_prefix(pfx, pl, (const uint8_t *)RESERVED, RESERVED_LEN)
                                  : has_prefix((const uint8_t *)RESERVED, RESERVED_LEN, pfx, pl));
    if (refused) {
        REQUIRE_AT_OP(removed == 0 && all);
        return;
    }
    /* 1. every overlay-set key under the prefix is deleted */
    for (size_t k = 0; k < nkeys; k++)
        if (has_prefix(keys[k].b, keys[k].n, pfx, pl) && m->cur.o[t][k].st == O_SET)
            model_write(m, t, k, O_DEL, (bytes){NULL, 0});
    /* 2. the backend's keys in order, at most `limit` visited; unknown ones deleted */
    uint32_t visited = 0;
    bool complete = true;
    for (size_t q = 0; q < nkeys; q++) {
        size_t k = by_rank[q];
        if (!m->present[t][k] || reserved(t, k) || !has_prefix(keys[k].b, keys[k].n, pfx, pl))
            continue;
        if (limit != UINT32_MAX && visited == limit) {
            complete = false;
            break;
        }
        if (m->cur.o[t][k].st == O_NONE) model_write(m, t, k, O_DEL, (bytes){NULL, 0});
        visited++;
    }
    REQUIRE_AT_OP(removed == visited && all == complete);
}

static void run_op(bst_state *st, model *m, reader *r) {
    uint8_t op = rd(r) % OP_COUNT;
    switch (op) {
    case OP_SET:
    case OP_CLEAR:
    case OP_APPEND: {
        size_t t = rd_trie(r), k = rd_key(r);
        bytes v = op == OP_CLEAR ? (bytes){NULL, 0} : rd_value(r);
        bool ok;
        if (op == OP_SET)
            ok = bst_state_set(st, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n, v.p, v.n);
        else if (op == OP_CLEAR)
            ok = bst_state_clear(st, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n);
        else
            ok = bst_state_append(st, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n, v.p,
                                  v.n);
        REQUIRE_AT_OP(ok);
        if (reserved(t, k)) { /* ignored */
            free(v.p);
            break;
        }
        if (op == OP_SET) {
            model_write(m, t, k, O_SET, v);
        } else if (op == OP_CLEAR) {
            model_write(m, t, k, O_DEL, v);
        } else {
            const bytes *cur = model_get(m, t, k);
            uint32_t count = 0;
            size_t pl = cur ? ref_compact_u32(cur->p, cur->n, &count) : 0;
            uint8_t pfx[5];
            size_t body = 0, npl;
            if (pl == 0 || count == UINT32_MAX) {
                npl = ref_compact_put(pfx, 1);
            } else {
                npl = ref_compact_put(pfx, count + 1);
                body = cur->n - pl;
            }
            bytes nv = {malloc(npl + body + v.n + 1), npl + body + v.n};
            REQUIRE_AT_OP(nv.p != NULL);
            memcpy(nv.p, pfx, npl);
            if (body) memcpy(nv.p + npl, cur->p + pl, body);
            if (v.n) memcpy(nv.p + npl + body, v.p, v.n);
            free(v.p);
            model_write(m, t, k, O_SET, nv);
        }
        break;
    }
    case OP_CLEAR_PREFIX:
    case OP_KILL: {
        size_t t = rd_trie(r), k = op == OP_KILL ? 0 : rd_key(r);
        uint32_t limit = limits[rd(r) & 7];
        clear_prefix(st, m, t, op == OP_KILL ? NULL : keys[k].b, op == OP_KILL ? 0 : keys[k].n,
                     limit, op == OP_KILL);
        break;
    }
    case OP_NEXT: {
        size_t t = rd_trie(r), k = rd_key(r);
        check_next(st, m, t, k);
        break;
    }
    case OP_GET: {
        size_t t = rd_trie(r), k = rd_key(r);
        check_get(st, m, t, k);
        break;
    }
    case OP_TX_START:
        REQUIRE_AT_OP(bst_state_tx_start(st));
        if (m->depth == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 4;
            m->stack = realloc(m->stack, m->cap * sizeof *m->stack);
            REQUIRE_AT_OP(m->stack != NULL);
        }
        overlay_copy(&m->stack[m->depth++], &m->cur);
        break;
    case OP_COMMIT:
        REQUIRE_AT_OP(bst_state_tx_commit(st) == (m->depth > 0));
        if (m->depth) overlay_free(&m->stack[--m->depth]);
        break;
    case OP_ROLLBACK:
        REQUIRE_AT_OP(bst_state_tx_rollback(st) == (m->depth > 0));
        if (m->depth) {
            overlay_free(&m->cur);
            m->cur = m->stack[--m->depth];
        }
        break;
    case OP_ROOT: check_roots(st, m, rd(r) & 1); break;
    case OP_CHANGES: check_changes(st, m, rd(r) % 8); break;
    case OP_SCAN: check_scan(st, m, rd_trie(r)); break;
    case OP_STATS: check_stats(st, m); break;
    }
    REQUIRE_AT_OP(bst_state_tx_depth(st) == m->depth);
}

/* ---- root determinism ----------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The final merged content, inserted into fresh states in other orders, gives the same roots. */
static void check_orders(const model *m, const uint8_t *data, size_t size) {
    uint8_t want[2][32], cr[NT][32];
    model_root(m, 0, want[0], cr);
    model_root(m, 1, want[1], cr);

    /* (t, key) of every merged pair, in byte order within each trie. */
    size_t items[NT * MAXK][2], n = 0;
    for (size_t t = 0; t < NT; t++)
        for (size_t q = 0; q < nkeys; q++)
            if (model_get(m, t, by_rank[q])) {
                items[n][0] = t;
                items[n][1] = by_rank[q];
                n++;
            }

    /* A fresh overlay without backend, written in reverse order, with deleted junk keys and a
     * rolled-back transaction in between. */
    bst_state *a = bst_state_new(NULL);
    REQUIRE_AT_OP(a != NULL);
    for (size_t i = n; i-- > 0;) {
        size_t t = items[i][0], k = items[i][1];
        const bytes *v = model_get(m, t, k);
        size_t junk = by_rank[(rank_of[k] + 1) % nkeys];
        if (!model_get(m, t, junk)) {
            REQUIRE_AT_OP(bst_state_set(a, trie_name[t], trie_name_len[t], keys[junk].b,
                                        keys[junk].n, (const uint8_t *)"junk", 4));
            REQUIRE_AT_OP(
                bst_state_clear(a, trie_name[t], trie_name_len[t], keys[junk].b, keys[junk].n));
        }
        REQUIRE_AT_OP(bst_state_tx_start(a));
        REQUIRE_AT_OP(bst_state_set(a, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n,
                                    (const uint8_t *)"rolled back", 11));
        REQUIRE_AT_OP(bst_state_tx_rollback(a));
        REQUIRE_AT_OP(
            bst_state_set(a, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n, v->p, v->n));
    }

    /* A fresh backend built in a shuffled order, with an empty overlay. */
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < size; i++) seed = (seed ^ data[i]) * 0x100000001b3u;
    if (!seed) seed = 1;
    size_t perm[NT * MAXK];
    for (size_t i = 0; i < n; i++) perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(&seed) % i), tmp = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = tmp;
    }
    bst_state_mem *mem = bst_state_mem_new();
    REQUIRE_AT_OP(mem != NULL);
    for (size_t i = 0; i < n; i++) {
        size_t t = items[perm[i]][0], k = items[perm[i]][1];
        const bytes *v = model_get(m, t, k);
        REQUIRE_AT_OP(bst_state_mem_put(mem, trie_name[t], trie_name_len[t], keys[k].b, keys[k].n,
                                        v->p, v->n));
    }
    bst_state_backend be = bst_state_mem_backend(mem);
    bst_state *b = bst_state_new(&be);
    REQUIRE_AT_OP(b != NULL);

    for (unsigned ver = 0; ver < 2; ver++) {
        uint8_t ra[32], rb[32];
        REQUIRE_AT_OP(bst_state_root(a, ver, ra) && memcmp(ra, want[ver], 32) == 0);
        REQUIRE_AT_OP(bst_state_root(b, ver, rb) && memcmp(rb, want[ver], 32) == 0);
    }
    bst_state_free(a);
    bst_state_free(b);
    bst_state_mem_free(mem);

    /* bst_trie_root refuses pairs out of order (and duplicates). */
    bst_trie_pair pairs[MAXK];
    size_t tn = model_pairs(m, 0, pairs);
    if (tn >= 2) {
        bst_trie_pair tmp = pairs[0];
        pairs[0] = pairs[tn - 1];
        pairs[tn - 1] = tmp;
        uint8_t out[32];
        REQUIRE_AT_OP(!bst_trie_root(pairs, tn, 0, out));
        pairs[tn - 1] = pairs[0];
        REQUIRE_AT_OP(!bst_trie_root(pairs, tn, 1, out));
    }
}

/* ---- entry ---------------------------------------------------------------------------------- */

#define MAX_OPS 400

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!nkeys) init_universe();
    g_opno = 0;
    reader r = {data, size, 0};
    model *m = calloc(1, sizeof *m);
    REQUIRE_AT_OP(m != NULL);
    bool use_backend = rd(&r) & 1;
    bst_state_mem *mem = NULL;
    bst_state_backend be;
    if (use_backend) {
        mem = bst_state_mem_new();
        REQUIRE_AT_OP(mem != NULL);
        size_t nb = rd(&r) % 24;
        for (size_t i = 0; i < nb; i++) {
            size_t t = rd_trie(&r), k = rd_key(&r);
            bytes v = rd_value(&r);
            REQUIRE_AT_OP(bst_state_mem_put(mem, trie_name[t], trie_name_len[t], keys[k].b,
                                            keys[k].n, v.p, v.n));
            free(m->be[t][k].p);
            m->be[t][k] = v;
            m->present[t][k] = true;
        }
        be = bst_state_mem_backend(mem);
    }
    bst_state *st = bst_state_new(use_backend ? &be : NULL);
    REQUIRE_AT_OP(st != NULL);

    while (r.i < r.n && g_opno < MAX_OPS) {
        run_op(st, m, &r);
        g_opno++;
    }

    /* Final: every trie scanned, changes, roots with the transactions still open, then after
     * rolling them all back. */
    for (size_t t = 0; t < NT; t++) check_scan(st, m, t);
    check_changes(st, m, 0);
    check_roots(st, m, 0);
    check_roots(st, m, 1);
    check_stats(st, m);
    check_orders(m, data, size);
    while (m->depth) {
        REQUIRE_AT_OP(bst_state_tx_rollback(st));
        overlay_free(&m->cur);
        m->cur = m->stack[--m->depth];
    }
    REQUIRE_AT_OP(!bst_state_tx_rollback(st) && !bst_state_tx_commit(st));
    for (size_t t = 0; t < NT; t++) check_scan(st, m, t);
    check_roots(st, m, 1);
    check_stats(st, m);

    bst_state_free(st);
    bst_state_mem_free(mem);
    overlay_free(&m->cur);
    free(m->stack);
    for (size_t t = 0; t < NT; t++)
        for (size_t k = 0; k < nkeys; k++) free(m->be[t][k].p);
    free(m);
    return 0;
}
