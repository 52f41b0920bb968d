/*
 * mem.c — the in-memory state backend (bst_state_mem in include/bastion_state.h): a sorted array
 * of (trie, key, value), built once (e.g. from a chain spec's genesis) and then read-only.
 *
 * Owns the entries and their bytes.  Order: the top trie first, then child tries by name
 * (memcmp, shorter first), keys in the same order within a trie; every look-up is a binary
 * search, O(log n) comparisons.
 */
#include "bastion_state.h"
#include "state_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct mem_entry {
    uint8_t *child; /* NULL for the top trie */
    size_t child_len;
    uint8_t *key;
    size_t key_len;
    uint8_t *val;
    size_t val_len;
    size_t seq; /* insertion order: the later of two equal keys wins */
} mem_entry;

struct bst_state_mem {
    mem_entry *e;
    size_t n, cap;
    bool finished;
};

/* Trie order: top (is_child false) before every child trie. */
static int trie_cmp(bool ac, const uint8_t *a, size_t al, bool bc, const uint8_t *b, size_t bl) {
    if (ac != bc) return ac ? 1 : -1;
    return ac ? st_bytes_cmp(a, al, b, bl) : 0;
}

static int entry_cmp(const void *pa, const void *pb) {
    const mem_entry *a = pa, *b = pb;
    int c = trie_cmp(a->child != NULL, a->child, a->child_len, b->child != NULL, b->child,
                     b->child_len);
    if (c) return c;
    c = st_bytes_cmp(a->key, a->key_len, b->key, b->key_len);
    if (c) return c;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

bst_state_mem *bst_state_mem_new(void) { return calloc(1, sizeof(bst_state_mem)); }

static void entry_free(mem_entry *e) {
    free(e->child);
    free(e->key);
    free(e->val);
}

void bst_state_mem_free(bst_state_mem *m) {
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) entry_free(&m->e[i]);
    free(m->e);
    free(m);
}

bool bst_state_mem_put(bst_state_mem *m, const uint8_t *child, size_t child_len, const uint8_t *key,
                       size_t key_len, const uint8_t *val, size_t val_len) {
    if (!m || m->finished) return false;
    if (!STATE_GROW(m->e, m->n, m->cap, 64)) return false;
    mem_entry e = {0};
    e.child = child ? st_dup_bytes(child, child_len) : NULL;
    e.child_len = child ? child_len : 0;
    e.key = st_dup_bytes(key, key_len);
    e.key_len = key_len;
    e.val = st_dup_bytes(val, val_len);
    e.val_len = val_len;
    e.seq = m->n;
    if ((child && !e.child) || !e.key || !e.val) {
        entry_free(&e);
        return false;
    }
    m->e[m->n++] = e;
    return true;
}

void bst_state_mem_finish(bst_state_mem *m) {
    if (!m || m->finished) return;
    m->finished = true;
    if (m->n == 0) return;
    qsort(m->e, m->n, sizeof *m->e, entry_cmp);
    /* Keep the last of each run of equal (trie, key): it was put last. */
    size_t w = 0;
    for (size_t i = 0; i < m->n; i++) {
        bool dup_next =
            i + 1 < m->n &&
            trie_cmp(m->e[i].child != NULL, m->e[i].child, m->e[i].child_len,
                     m->e[i + 1].child != NULL, m->e[i + 1].child, m->e[i + 1].child_len) == 0 &&
            st_bytes_cmp(m->e[i].key, m->e[i].key_len, m->e[i + 1].key, m->e[i + 1].key_len) == 0;
        if (dup_next)
            entry_free(&m->e[i]);
        else
            m->e[w++] = m->e[i];
    }
    m->n = w;
}

size_t bst_state_mem_count(const bst_state_mem *m) { return m ? m->n : 0; }

/* ---- the vtable ---------------------------------------------------------------------------- */

/* First index whose (trie, key) is > (or >= when inclusive) the given one. */
static size_t lower(const bst_state_mem *m, const uint8_t *child, size_t child_len,
                    const uint8_t *key, size_t key_len, bool inclusive) {
    size_t a = 0, z = m->n;
    while (a < z) {
        size_t mid = a + (z - a) / 2;
        const mem_entry *e = &m->e[mid];
        int c = trie_cmp(e->child != NULL, e->child, e->child_len, child != NULL, child, child_len);
        if (!c) c = st_bytes_cmp(e->key, e->key_len, key, key_len);
        if (c < 0 || (c == 0 && !inclusive))
            a = mid + 1;
        else
            z = mid;
    }
    return a;
}

static bool same_trie(const mem_entry *e, const uint8_t *child, size_t child_len) {
    return trie_cmp(e->child != NULL, e->child, e->child_len, child != NULL, child, child_len) == 0;
}

static bst_state_res mem_get(void *ctx, const uint8_t *child, size_t child_len, const uint8_t *key,
                             size_t key_len, uint8_t **val, size_t *val_len) {
    const bst_state_mem *m = ctx;
    size_t i = lower(m, child, child_len, key, key_len, true);
    if (i == m->n || !same_trie(&m->e[i], child, child_len) ||
        st_bytes_cmp(m->e[i].key, m->e[i].key_len, key, key_len) != 0)
        return BST_STATE_ABSENT;
    uint8_t *d = st_dup_bytes(m->e[i].val, m->e[i].val_len);
    if (!d) return BST_STATE_ERROR;
    *val = d;
    *val_len = m->e[i].val_len;
    return BST_STATE_FOUND;
}

static bst_state_res mem_next_key(void *ctx, const uint8_t *child, size_t child_len,
                                  const uint8_t *key, size_t key_len, bool inclusive, uint8_t **out,
                                  size_t *out_len) {
    const bst_state_mem *m = ctx;
    size_t i = lower(m, child, child_len, key, key_len, inclusive);
    if (i == m->n || !same_trie(&m->e[i], child, child_len)) return BST_STATE_ABSENT;
    uint8_t *d = st_dup_bytes(m->e[i].key, m->e[i].key_len);
    if (!d) return BST_STATE_ERROR;
    *out = d;
    *out_len = m->e[i].key_len;
    return BST_STATE_FOUND;
}

static bst_state_res mem_next_child(void *ctx, const uint8_t *name, size_t name_len, bool inclusive,
                                    uint8_t **out, size_t *out_len) {
    const bst_state_mem *m = ctx;
    /* The first entry of a child trie > name: search past every key of `name` itself. */
    size_t a = 0, z = m->n;
    const uint8_t *nm = name ? name : (const uint8_t *)"";
    while (a < z) {
        size_t mid = a + (z - a) / 2;
        const mem_entry *e = &m->e[mid];
        int c = trie_cmp(e->child != NULL, e->child, e->child_len, true, nm, name_len);
        if (c < 0 || (c == 0 && !inclusive))
            a = mid + 1;
        else
            z = mid;
    }
    if (a == m->n) return BST_STATE_ABSENT;
    uint8_t *d = st_dup_bytes(m->e[a].child, m->e[a].child_len);
    if (!d) return BST_STATE_ERROR;
    *out = d;
    *out_len = m->e[a].child_len;
    return BST_STATE_FOUND;
}

bst_state_backend bst_state_mem_backend(bst_state_mem *m) {
    bst_state_mem_finish(m);
    bst_state_backend b = {m, mem_get, mem_next_key, mem_next_child, NULL, NULL};
    return b;
}
