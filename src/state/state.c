/*
 * state.c — the storage overlay (struct bst_state, include/bastion_state.h): the changes a
 * runtime makes over a read-only backend, with nested transactions, child tries and roots.
 *
 * Owns: one skip list per trie (the top trie and each child trie written so far, the child
 * tries themselves in a skip list by name), ordered by key, whose nodes say "deleted" / "set to
 * value" (or, transiently, "no change"); and the undo journal.
 *
 * Values have a capacity: an append keeping the Vec grows the node's buffer in place,
 * rewriting only the compact prefix.  When the level has not journaled the node yet, its entry
 * is lazy: the old length and prefix, no copy (the earlier value is a prefix of the buffer);
 * see struct jentry.
 *
 * Transactions: each open transaction has a serial number and a start index into the journal.
 * The first write to a node inside a transaction moves the node's previous (state, value) into
 * the journal and stamps the node with the serial, so later writes in the same transaction
 * journal nothing; rollback pops the journal back to the start index restoring each entry in
 * reverse order; commit merges the level into its parent: an entry for a node the parent had
 * already journaled is freed (the parent holds the older value), the others become the
 * parent's, and every node of the level is re-stamped with the parent's serial.  So each open
 * level holds at most one entry per node, and committed levels leave nothing behind.
 * Everything is proportional to the changes.
 * A rollback that takes a node back to "no change" unlinks and frees it (no outer level can
 * reference it), and a child trie left empty goes too: a failed runtime call leaves nothing.
 * Serials only grow, so a stamp left by a finished transaction never matches a later one.
 *
 * Roots: the last top root per state version and the last child root are cached with the
 * value of a change counter (`gen`) that every write, in-place append and rollback bumps.  A
 * backend with a `root` function computes the top root from the overlay's changes itself.
 *
 * The skip list's levels come from a per-state xorshift generator (no global state; the
 * sequence only affects speed, never results).
 */
#include "bastion_state.h"
#include "bastion_trie.h"
#include "state_util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LEVEL 24
#define NO_ENTRY SIZE_MAX
#define CHILD_PREFIX_LEN (sizeof BST_CHILD_STORAGE_PREFIX - 1)
#define DEFAULT_PREFIX_LEN (sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1)

enum { OV_NONE = 0, OV_DEL = 1, OV_SET = 2 };

typedef struct node {
    uint8_t *val; /* OV_SET: the value (malloc'd, at least 1 byte allocated) */
    size_t val_len;
    size_t val_cap; /* bytes allocated at val (appends grow it geometrically, in place) */
    uint64_t mark;  /* serial of the transaction that last journaled this node */
    size_t jidx;    /* its innermost journal entry (NO_ENTRY when none) */
    uint8_t *key;   /* points into this allocation, after next[] */
    size_t key_len;
    uint8_t state;
    uint8_t level;
    struct node *next[];
} node;

typedef struct trie_ov {
    uint8_t *name; /* child trie name (NULL for the top trie) */
    size_t name_len;
    bool is_child;
    int level;             /* levels in use, 1..MAX_LEVEL */
    node *head[MAX_LEVEL]; /* first node of each level */
} trie_ov;

/* A child trie, itself a node of the skip list of child tries ordered by name. */
typedef struct child_node {
    trie_ov t;
    int level;
    struct child_node *next[];
} child_node;

/* One undo entry: the node's state before its level first wrote it.  A lazy entry (the level's
 * first write was an append keeping the Vec) owns no buffer: the earlier value is the first
 * old_len bytes of the node's buffer with old_pfx as its prefix, the appends having gone in
 * place.  "The node's buffer" is the one it holds once every inner entry is undone; whenever
 * that buffer would be freed or replaced, the lazy entry first takes it, truncated
 * (materialize). */
typedef struct jentry {
    node *n;
    trie_ov *t; /* the trie holding n */
    uint64_t old_mark;
    uint8_t *old_val;
    size_t old_len, old_cap;
    size_t prev; /* the node's next outer entry (NO_ENTRY when none) */
    uint8_t old_state;
    bool lazy;
    uint8_t old_plen;
    uint8_t old_pfx[ST_COMPACT_MAX];
} jentry;

struct bst_state {
    bst_state_backend be;
    bool has_be;
    trie_ov top;
    child_node *chead[MAX_LEVEL]; /* the child tries: a skip list by name */
    int clevel;
    jentry *journal;
    size_t jlen, jcap;
    size_t *tx_start; /* journal index at each open transaction's start */
    uint64_t *tx_serial;
    size_t depth, tx_cap;
    uint64_t next_serial;
    uint64_t rng;
    /* Root cache: `gen` counts the changes to the merged content; a root computed at the
     * current gen is returned again without walking the state. */
    uint64_t gen;
    struct {
        bool valid;
        uint64_t gen;
        uint8_t root[32];
    } root_cache[2]; /* top root, per state version */
    struct {
        bool valid;
        uint64_t gen;
        unsigned version;
        uint8_t *name;
        size_t name_len;
        uint8_t root[32];
    } child_cache; /* the last child root computed */
};

/* ---- helpers -------------------------------------------------------------------------------- */

static bool has_prefix(const uint8_t *k, size_t kl, const uint8_t *p, size_t pl) {
    return kl >= pl && (pl == 0 || memcmp(k, p, pl) == 0);
}

static bool reserved_top_key(const uint8_t *child, const uint8_t *key, size_t key_len) {
    return child == NULL &&
           has_prefix(key, key_len, (const uint8_t *)BST_CHILD_STORAGE_PREFIX, CHILD_PREFIX_LEN);
}

/* ---- skip list ------------------------------------------------------------------------------ */

static int random_level(bst_state *st) {
    uint64_t x = st->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    st->rng = x;
    int lvl = 1;
    while (lvl < MAX_LEVEL && (x & 3u) == 0) { /* p = 1/4 */
        lvl++;
        x >>= 2;
    }
    return lvl;
}

/* The first node with key >= (or > when strict) the given key; fills upd[] with the last node
 * before it on each level (NULL = the head). */
static node *seek(const trie_ov *t, const uint8_t *key, size_t key_len, bool strict, node **upd) {
    node *prev = NULL;
    for (int l = t->level - 1; l >= 0; l--) {
        node *cur = prev ? prev->next[l] : t->head[l];
        while (cur) {
            int c = st_bytes_cmp(cur->key, cur->key_len, key, key_len);
            if (c > 0 || (c == 0 && !strict)) break;
            prev = cur;
            cur = cur->next[l];
        }
        if (upd) upd[l] = prev;
    }
    return prev ? prev->next[0] : t->head[0];
}

static node *lookup(const trie_ov *t, const uint8_t *key, size_t key_len) {
    if (!t) return NULL;
    node *n = seek(t, key, key_len, false, NULL);
    return n && st_bytes_cmp(n->key, n->key_len, key, key_len) == 0 ? n : NULL;
}

static node *get_or_insert(bst_state *st, trie_ov *t, const uint8_t *key, size_t key_len) {
    node *upd[MAX_LEVEL];
    node *n = seek(t, key, key_len, false, upd);
    if (n && st_bytes_cmp(n->key, n->key_len, key, key_len) == 0) return n;
    int lvl = random_level(st);
    size_t ptrs = (size_t)lvl * sizeof(node *);
    if (key_len > SIZE_MAX - sizeof(node) - ptrs - 1) return NULL;
    n = malloc(sizeof(node) + ptrs + key_len + 1);
    if (!n) return NULL;
    n->val = NULL;
    n->val_len = 0;
    n->val_cap = 0;
    n->mark = 0;
    n->jidx = NO_ENTRY;
    n->key = (uint8_t *)n + sizeof(node) + ptrs;
    if (key_len) memcpy(n->key, key, key_len);
    n->key_len = key_len;
    n->state = OV_NONE;
    n->level = (uint8_t)lvl;
    for (int l = t->level; l < lvl; l++) upd[l] = NULL;
    if (lvl > t->level) t->level = lvl;
    for (int l = 0; l < lvl; l++) {
        node **link = upd[l] ? &upd[l]->next[l] : &t->head[l];
        n->next[l] = *link;
        *link = n;
    }
    return n;
}

static void trie_init(trie_ov *t) {
    memset(t, 0, sizeof *t);
    t->level = 1;
}

static void trie_release(trie_ov *t) {
    node *n = t->head[0];
    while (n) {
        node *next = n->next[0];
        free(n->val);
        free(n);
        n = next;
    }
    free(t->name);
}

/* Unlinks node n from t and frees it (O(log k) expected). */
static void unlink_node(trie_ov *t, node *n) {
    node *upd[MAX_LEVEL];
    seek(t, n->key, n->key_len, false, upd);
    for (int l = 0; l < n->level; l++) {
        node **link = upd[l] ? &upd[l]->next[l] : &t->head[l];
        if (*link == n) *link = n->next[l];
    }
    while (t->level > 1 && !t->head[t->level - 1]) t->level--;
    free(n->val);
    free(n);
}

/* ---- tries ---------------------------------------------------------------------------------- */

/* The first child trie with name >= the given one; fills upd[] like seek. */
static child_node *child_seek(const bst_state *st, const uint8_t *name, size_t name_len,
                              child_node **upd) {
    child_node *prev = NULL;
    for (int l = st->clevel - 1; l >= 0; l--) {
        child_node *cur = prev ? prev->next[l] : st->chead[l];
        while (cur && st_bytes_cmp(cur->t.name, cur->t.name_len, name, name_len) < 0) {
            prev = cur;
            cur = cur->next[l];
        }
        if (upd) upd[l] = prev;
    }
    return prev ? prev->next[0] : st->chead[0];
}

static trie_ov *find_trie(const bst_state *st, const uint8_t *child, size_t child_len) {
    if (!child) return (trie_ov *)&st->top;
    child_node *c = child_seek(st, child, child_len, NULL);
    if (c && st_bytes_cmp(c->t.name, c->t.name_len, child, child_len) == 0) return &c->t;
    return NULL;
}

/* O(log c) expected for c child tries. */
static trie_ov *need_trie(bst_state *st, const uint8_t *child, size_t child_len) {
    if (!child) return &st->top;
    child_node *upd[MAX_LEVEL];
    child_node *c = child_seek(st, child, child_len, upd);
    if (c && st_bytes_cmp(c->t.name, c->t.name_len, child, child_len) == 0) return &c->t;
    int lvl = random_level(st);
    c = malloc(sizeof *c + (size_t)lvl * sizeof(child_node *));
    if (!c) return NULL;
    trie_init(&c->t);
    c->t.is_child = true;
    c->t.name = st_dup_bytes(child, child_len);
    c->t.name_len = child_len;
    if (!c->t.name) {
        free(c);
        return NULL;
    }
    c->level = lvl;
    for (int l = st->clevel; l < lvl; l++) upd[l] = NULL;
    if (lvl > st->clevel) st->clevel = lvl;
    for (int l = 0; l < lvl; l++) {
        child_node **link = upd[l] ? &upd[l]->next[l] : &st->chead[l];
        c->next[l] = *link;
        *link = c;
    }
    return &c->t;
}

/* Frees a child trie left without nodes (created in a transaction that rolled back, or by a
 * write that failed). */
static void drop_child_if_empty(bst_state *st, trie_ov *t) {
    if (!t->is_child || t->head[0]) return;
    child_node *c = (child_node *)(void *)((char *)t - offsetof(child_node, t));
    child_node *upd[MAX_LEVEL];
    child_seek(st, t->name, t->name_len, upd);
    for (int l = 0; l < c->level; l++) {
        child_node **link = upd[l] ? &upd[l]->next[l] : &st->chead[l];
        if (*link == c) *link = c->next[l];
    }
    while (st->clevel > 1 && !st->chead[st->clevel - 1]) st->clevel--;
    trie_release(&c->t);
    free(c);
}

/* ---- life cycle ----------------------------------------------------------------------------- */

bst_state *bst_state_new(const bst_state_backend *backend) {
    bst_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    if (backend) {
        st->be = *backend;
        st->has_be = true;
    }
    trie_init(&st->top);
    st->clevel = 1;
    st->rng = 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)st;
    if (st->rng == 0) st->rng = 1;
    return st;
}

void bst_state_free(bst_state *st) {
    if (!st) return;
    trie_release(&st->top);
    for (child_node *c = st->chead[0]; c;) {
        child_node *next = c->next[0];
        trie_release(&c->t);
        free(c);
        c = next;
    }
    for (size_t i = 0; i < st->jlen; i++) free(st->journal[i].old_val);
    free(st->journal);
    free(st->tx_start);
    free(st->tx_serial);
    free(st->child_cache.name);
    free(st);
}

/* ---- backend access ------------------------------------------------------------------------- */

static bst_state_res be_get(bst_state *st, const uint8_t *child, size_t child_len,
                            const uint8_t *key, size_t key_len, uint8_t **val, size_t *len) {
    if (!st->has_be || !st->be.get) return BST_STATE_ABSENT;
    *val = NULL;
    *len = 0;
    return st->be.get(st->be.ctx, child, child_len, key, key_len, val, len);
}

static bst_state_res be_next(bst_state *st, const uint8_t *child, size_t child_len,
                             const uint8_t *key, size_t key_len, bool inclusive, uint8_t **out,
                             size_t *out_len) {
    if (!st->has_be || !st->be.next_key) return BST_STATE_ABSENT;
    *out = NULL;
    *out_len = 0;
    return st->be.next_key(st->be.ctx, child, child_len, key, key_len, inclusive, out, out_len);
}

/* Next backend key of the top trie that is not a child root (those belong to the root only). */
static bst_state_res be_next_visible(bst_state *st, const uint8_t *child, size_t child_len,
                                     const uint8_t *key, size_t key_len, bool inclusive,
                                     uint8_t **out, size_t *out_len) {
    bst_state_res r = be_next(st, child, child_len, key, key_len, inclusive, out, out_len);
    while (r == BST_STATE_FOUND && reserved_top_key(child, *out, *out_len)) {
        uint8_t *k = *out;
        size_t kl = *out_len;
        r = be_next(st, child, child_len, k, kl, false, out, out_len);
        free(k);
    }
    return r;
}

/* Moves a backend cursor, the owned key *key, to the next visible key after it. */
static bst_state_res be_advance(bst_state *st, const uint8_t *child, size_t child_len,
                                uint8_t **key, size_t *key_len) {
    uint8_t *prev = *key;
    bst_state_res r = be_next_visible(st, child, child_len, prev, *key_len, false, key, key_len);
    free(prev);
    return r;
}

/* ---- reads ---------------------------------------------------------------------------------- */

bst_state_res bst_state_get(bst_state *st, const uint8_t *child, size_t child_len,
                            const uint8_t *key, size_t key_len, uint8_t **val, size_t *val_len) {
    if (reserved_top_key(child, key, key_len)) return BST_STATE_ABSENT;
    node *n = lookup(find_trie(st, child, child_len), key, key_len);
    if (n && n->state == OV_DEL) return BST_STATE_ABSENT;
    if (n && n->state == OV_SET) {
        uint8_t *d = st_dup_bytes(n->val, n->val_len);
        if (!d) return BST_STATE_ERROR;
        *val = d;
        *val_len = n->val_len;
        return BST_STATE_FOUND;
    }
    return be_get(st, child, child_len, key, key_len, val, val_len);
}

/* The overlay answers without copying the value; only the backend's get copies. */
bst_state_res bst_state_exists(bst_state *st, const uint8_t *child, size_t child_len,
                               const uint8_t *key, size_t key_len) {
    if (reserved_top_key(child, key, key_len)) return BST_STATE_ABSENT;
    node *n = lookup(find_trie(st, child, child_len), key, key_len);
    if (n && n->state == OV_DEL) return BST_STATE_ABSENT;
    if (n && n->state == OV_SET) return BST_STATE_FOUND;
    uint8_t *v = NULL;
    size_t l = 0;
    bst_state_res r = be_get(st, child, child_len, key, key_len, &v, &l);
    if (r == BST_STATE_FOUND) free(v);
    return r;
}

/* ---- writes --------------------------------------------------------------------------------- */

static bool journal_reserve(bst_state *st) {
    return STATE_GROW(st->journal, st->jlen, st->jcap, 64);
}

/* Whether the node's current value belongs to the innermost level alone (no open transaction,
 * or this one already journaled the node's earlier value), so it may change in place. */
static bool node_owned(const bst_state *st, const node *n) {
    return st->depth == 0 || n->mark == st->tx_serial[st->depth - 1];
}

/* Gives node n its new state; takes ownership of val (NULL unless OV_SET; cap bytes allocated).
 * False (nothing changed, val not taken) only when the journal cannot grow. */
/* Turns the lazy entry j into one owning b (b_cap bytes allocated): b is the node's buffer
 * (after more appends, prefix rewritten), cut back to the value j recorded. */
static void materialize(jentry *j, uint8_t *b, size_t b_len, size_t b_cap) {
    uint32_t count;
    size_t cur_plen = st_compact_u32_get(b, b_len, &count); /* valid: appends only */
    size_t body = j->old_len - j->old_plen;
    if (body && cur_plen != j->old_plen) memmove(b + j->old_plen, b + cur_plen, body);
    memcpy(b, j->old_pfx, j->old_plen);
    j->old_val = b;
    j->old_cap = b_cap;
    j->lazy = false;
}

/* Frees (or hands to the lazy entry that still needs it) a buffer leaving the node whose
 * innermost entry is at `owner` (NO_ENTRY when none). */
static void release_value(bst_state *st, size_t owner, uint8_t *b, size_t b_len, size_t b_cap) {
    if (owner != NO_ENTRY && st->journal[owner].lazy && b)
        materialize(&st->journal[owner], b, b_len, b_cap);
    else
        free(b);
}

/* A new entry for n at the innermost level (journal_reserve done). */
static jentry *journal_push(bst_state *st, trie_ov *t, node *n) {
    size_t idx = st->jlen++;
    jentry *j = &st->journal[idx];
    j->n = n;
    j->t = t;
    j->old_mark = n->mark;
    j->old_val = n->val;
    j->old_len = n->val_len;
    j->old_cap = n->val_cap;
    j->old_state = n->state;
    j->prev = n->jidx;
    j->lazy = false;
    j->old_plen = 0;
    n->jidx = idx;
    n->mark = st->tx_serial[st->depth - 1];
    return j;
}

/* Undoes journal_push (the last entry, nothing else changed since). */
static void journal_pop(bst_state *st) {
    jentry *j = &st->journal[--st->jlen];
    j->n->mark = j->old_mark;
    j->n->jidx = j->prev;
}

static bool node_write(bst_state *st, trie_ov *t, node *n, uint8_t state, uint8_t *val, size_t len,
                       size_t cap) {
    if (!node_owned(st, n)) {
        if (!journal_reserve(st)) return false;
        journal_push(st, t, n); /* takes the old buffer */
    } else {
        release_value(st, st->depth ? n->jidx : NO_ENTRY, n->val, n->val_len, n->val_cap);
    }
    n->state = state;
    n->val = val;
    n->val_len = len;
    n->val_cap = cap;
    st->gen++;
    return true;
}

/* Sets key to the value `owned` (taken on success; cap bytes allocated) or deletes it (owned
 * NULL, state OV_DEL). */
static bool write_key(bst_state *st, const uint8_t *child, size_t child_len, const uint8_t *key,
                      size_t key_len, uint8_t state, uint8_t *owned, size_t len, size_t cap) {
    trie_ov *t = need_trie(st, child, child_len);
    if (!t) return false;
    node *n = get_or_insert(st, t, key, key_len);
    if (n && node_write(st, t, n, state, owned, len, cap)) return true;
    /* Out of memory: leave no empty node or child trie behind. */
    if (n && n->state == OV_NONE) unlink_node(t, n);
    drop_child_if_empty(st, t);
    return false;
}

bool bst_state_set(bst_state *st, const uint8_t *child, size_t child_len, const uint8_t *key,
                   size_t key_len, const uint8_t *val, size_t val_len) {
    if (reserved_top_key(child, key, key_len)) return true; /* ignored, as Substrate does */
    uint8_t *d = st_dup_bytes(val, val_len);
    if (!d) return false;
    if (!write_key(st, child, child_len, key, key_len, OV_SET, d, val_len, val_len)) {
        free(d);
        return false;
    }
    return true;
}

bool bst_state_clear(bst_state *st, const uint8_t *child, size_t child_len, const uint8_t *key,
                     size_t key_len) {
    if (reserved_top_key(child, key, key_len)) return true;
    return write_key(st, child, child_len, key, key_len, OV_DEL, NULL, 0, 0);
}

/* The append of `item` to the Vec in cur[0..cur_len) (NULL / 0 when absent): the prefix the
 * result starts with, the bytes of cur kept after cur's own prefix (at *body_at), and the result's
 * length.  False when the length overflows. */
static bool append_plan(const uint8_t *cur, size_t cur_len, size_t item_len,
                        uint8_t pfx[ST_COMPACT_MAX], size_t *pfx_len, size_t *body_at,
                        size_t *body_len, size_t *total) {
    uint32_t count = 0;
    size_t plen = cur_len ? st_compact_u32_get(cur, cur_len, &count) : 0;
    if (plen == 0 || count == UINT32_MAX) {
        count = 1; /* absent, empty or undecodable: start a new Vec */
        *body_at = 0;
        *body_len = 0;
    } else {
        count++;
        *body_at = plen;
        *body_len = cur_len - plen;
    }
    *pfx_len = st_compact_put(pfx, count);
    if (item_len > SIZE_MAX - *pfx_len - *body_len) return false;
    *total = *pfx_len + *body_len + item_len;
    return true;
}

/* In place, to a value the innermost level owns whose Vec prefix is kept (the plan's body_at
 * is not 0).  Amortised O(item): the buffer grows geometrically; the body moves only when the
 * prefix changes size (at most 4 times in a value's life). */
static bool append_in_place(bst_state *st, node *n, const uint8_t *pfx, size_t pfx_len,
                            size_t body_at, size_t body_len, const uint8_t *item, size_t item_len,
                            size_t total) {
    if (total > n->val_cap) {
        size_t cap = n->val_cap > SIZE_MAX / 2 ? total : n->val_cap * 2;
        if (cap < total) cap = total;
        if (cap < 16) cap = 16;
        uint8_t *nv = realloc(n->val, cap);
        if (!nv) return false;
        n->val = nv;
        n->val_cap = cap;
    }
    if (body_len && body_at != pfx_len) memmove(n->val + pfx_len, n->val + body_at, body_len);
    memcpy(n->val, pfx, pfx_len);
    if (item_len) memcpy(n->val + pfx_len + body_len, item, item_len);
    n->val_len = total;
    st->gen++;
    return true;
}

bool bst_state_append(bst_state *st, const uint8_t *child, size_t child_len, const uint8_t *key,
                      size_t key_len, const uint8_t *item, size_t item_len) {
    if (reserved_top_key(child, key, key_len)) return true;
    trie_ov *t = find_trie(st, child, child_len);
    node *n = lookup(t, key, key_len);
    uint8_t pfx[ST_COMPACT_MAX];
    size_t pfx_len, body_at, body_len, total;
    if (n && n->state == OV_SET) {
        if (!append_plan(n->val, n->val_len, item_len, pfx, &pfx_len, &body_at, &body_len, &total))
            return false;
        if (body_at) { /* the Vec is kept: append in place */
            if (node_owned(st, n))
                return append_in_place(st, n, pfx, pfx_len, body_at, body_len, item, item_len,
                                       total);
            /* First write of this level: a lazy entry records the old length and prefix
             * instead of a copy of the value. */
            if (!journal_reserve(st)) return false;
            jentry *j = journal_push(st, t, n);
            j->old_val = NULL;
            j->old_cap = 0;
            j->lazy = true;
            j->old_plen = (uint8_t)body_at;
            memcpy(j->old_pfx, n->val, body_at);
            if (append_in_place(st, n, pfx, pfx_len, body_at, body_len, item, item_len, total))
                return true;
            journal_pop(st);
            return false;
        }
    }
    /* A new Vec, or the backend's value extended: a new buffer. */
    uint8_t *got = NULL;
    const uint8_t *cur = NULL;
    size_t cur_len = 0;
    if (!n || n->state == OV_NONE) {
        bst_state_res r = be_get(st, child, child_len, key, key_len, &got, &cur_len);
        if (r == BST_STATE_ERROR) return false;
        if (r != BST_STATE_FOUND) cur_len = 0;
        cur = got;
    }
    if (!append_plan(cur, cur_len, item_len, pfx, &pfx_len, &body_at, &body_len, &total)) {
        free(got);
        return false;
    }
    uint8_t *nv = malloc(total);
    if (!nv) {
        free(got);
        return false;
    }
    memcpy(nv, pfx, pfx_len);
    if (body_len) memcpy(nv + pfx_len, cur + body_at, body_len);
    if (item_len) memcpy(nv + pfx_len + body_len, item, item_len);
    free(got);
    if (!write_key(st, child, child_len, key, key_len, OV_SET, nv, total, total)) {
        free(nv);
        return false;
    }
    return true;
}

bool bst_state_clear_prefix(bst_state *st, const uint8_t *child, size_t child_len,
                            const uint8_t *prefix, size_t prefix_len, uint32_t limit,
                            uint32_t *removed, bool *all_removed) {
    uint32_t loops = 0;
    bool all = true;
    if (removed) *removed = 0;
    if (all_removed) *all_removed = true;
    if (!child &&
        (prefix_len > CHILD_PREFIX_LEN ? reserved_top_key(child, prefix, prefix_len)
                                       : has_prefix((const uint8_t *)BST_CHILD_STORAGE_PREFIX,
                                                    CHILD_PREFIX_LEN, prefix, prefix_len))) {
        /* sp-state-machine refuses a prefix that starts with ":child_storage:" or is a prefix
         * of it (the empty prefix included), so child roots cannot be cleared: AllRemoved(0). */
        return true;
    }
    /* 1. Every key the overlay sets under the prefix is deleted (no limit, not counted). */
    trie_ov *t = find_trie(st, child, child_len);
    if (t) {
        for (node *n = seek(t, prefix, prefix_len, false, NULL);
             n && has_prefix(n->key, n->key_len, prefix, prefix_len); n = n->next[0]) {
            if (n->state == OV_SET && !node_write(st, t, n, OV_DEL, NULL, 0, 0)) return false;
        }
    }
    /* 2. The backend's keys, at most `limit` visited; those the overlay does not know yet are
     * deleted.  Every visited key counts (sp-state-machine's `loops`, which sp-io reports in
     * KillStorageResult), whether this call deleted it or the overlay already had. */
    uint8_t *k = NULL;
    size_t kl = 0;
    bst_state_res r = be_next_visible(st, child, child_len, prefix, prefix_len, true, &k, &kl);
    while (r == BST_STATE_FOUND && has_prefix(k, kl, prefix, prefix_len)) {
        if (limit != UINT32_MAX && loops == limit) {
            all = false;
            break;
        }
        node *n = lookup(t, k, kl);
        if (!n || n->state == OV_NONE) {
            if (!write_key(st, child, child_len, k, kl, OV_DEL, NULL, 0, 0)) {
                free(k);
                return false;
            }
            t = find_trie(st, child, child_len);
        }
        loops++;
        r = be_advance(st, child, child_len, &k, &kl);
    }
    if (r == BST_STATE_FOUND) free(k);
    if (r == BST_STATE_ERROR) return false;
    if (removed) *removed = loops;
    if (all_removed) *all_removed = all;
    return true;
}

bool bst_state_child_kill(bst_state *st, const uint8_t *child, size_t child_len, uint32_t limit,
                          uint32_t *removed, bool *all_removed) {
    if (!child) return false;
    return bst_state_clear_prefix(st, child, child_len, NULL, 0, limit, removed, all_removed);
}

/* ---- next_key ------------------------------------------------------------------------------- */

static node *next_changed(node *n) {
    while (n && n->state == OV_NONE) n = n->next[0];
    return n;
}

/* The walks that merge the overlay with the backend in key order (next_key, collect) compare
 * the overlay's next change o with the backend's next key b, when at least one exists: b comes
 * first (> 0), o does (< 0), or they are the same key (0: the overlay's change decides). */
static int merge_order(const node *o, bool have_b, const uint8_t *b, size_t bl) {
    return !o ? 1 : !have_b ? -1 : st_bytes_cmp(o->key, o->key_len, b, bl);
}

bst_state_res bst_state_next_key(bst_state *st, const uint8_t *child, size_t child_len,
                                 const uint8_t *key, size_t key_len, uint8_t **next,
                                 size_t *next_len) {
    trie_ov *t = find_trie(st, child, child_len);
    node *o = t ? next_changed(seek(t, key, key_len, true, NULL)) : NULL;
    uint8_t *b = NULL;
    size_t bl = 0;
    bst_state_res r = be_next_visible(st, child, child_len, key, key_len, false, &b, &bl);
    for (;;) {
        if (r == BST_STATE_ERROR) return r;
        bool have_b = r == BST_STATE_FOUND;
        if (!o && !have_b) return BST_STATE_ABSENT;
        int c = merge_order(o, have_b, b, bl);
        if (c > 0) { /* the backend key comes first and the overlay does not change it */
            *next = b;
            *next_len = bl;
            return BST_STATE_FOUND;
        }
        if (o->state == OV_SET) {
            uint8_t *d = st_dup_bytes(o->key, o->key_len);
            free(b);
            if (!d) return BST_STATE_ERROR;
            *next = d;
            *next_len = o->key_len;
            return BST_STATE_FOUND;
        }
        /* A deletion: it hides the backend key when equal. */
        if (c == 0) r = be_advance(st, child, child_len, &b, &bl);
        o = next_changed(o->next[0]);
    }
}

/* ---- transactions --------------------------------------------------------------------------- */

bool bst_state_tx_start(bst_state *st) {
    if (st->depth == st->tx_cap) {
        size_t nc = st->tx_cap ? st->tx_cap * 2 : 8;
        if (nc > SIZE_MAX / sizeof(uint64_t)) return false;
        size_t *ns = realloc(st->tx_start, nc * sizeof *ns);
        if (!ns) return false;
        st->tx_start = ns;
        uint64_t *nser = realloc(st->tx_serial, nc * sizeof *nser);
        if (!nser) return false;
        st->tx_serial = nser;
        st->tx_cap = nc;
    }
    st->tx_start[st->depth] = st->jlen;
    st->tx_serial[st->depth] = ++st->next_serial;
    st->depth++;
    return true;
}

/* After the outermost level ends: a large journal array is given back. */
static void journal_trim(bst_state *st) {
    if (st->depth == 0 && st->jlen == 0 && st->jcap > 1024) {
        free(st->journal);
        st->journal = NULL;
        st->jcap = 0;
    }
}

/* Merges the innermost level into its parent.  An entry whose node the parent had already
 * journaled (its old stamp is the parent's serial) holds a value no level can restore any more:
 * freed.  The others become the parent's.  Every node of the level is re-stamped with the
 * parent's serial: the parent owns its value now, so its later writes change it in place.  O(entries of the level); memory stays
 * O(distinct keys written per open level), however many nested levels were committed. */
bool bst_state_tx_commit(bst_state *st) {
    if (st->depth == 0) return false;
    st->depth--;
    size_t start = st->tx_start[st->depth];
    if (st->depth == 0) {
        for (size_t i = start; i < st->jlen; i++) {
            free(st->journal[i].old_val);
            st->journal[i].n->jidx = NO_ENTRY;
        }
        st->jlen = start;
        journal_trim(st);
        return true;
    }
    uint64_t parent = st->tx_serial[st->depth - 1];
    size_t w = start;
    for (size_t i = start; i < st->jlen; i++) {
        jentry *j = &st->journal[i];
        node *n = j->n;
        n->mark = parent;
        if (j->old_mark == parent) {
            /* The parent's entry (j->prev) keeps the older state; a lazy one takes the buffer
             * this entry held. */
            n->jidx = j->prev;
            release_value(st, j->prev, j->old_val, j->old_len, j->old_cap);
        } else {
            n->jidx = w;
            st->journal[w++] = *j;
        }
    }
    st->jlen = w;
    return true;
}

bool bst_state_tx_rollback(bst_state *st) {
    if (st->depth == 0) return false;
    st->depth--;
    size_t start = st->tx_start[st->depth];
    if (st->jlen > start) st->gen++;
    while (st->jlen > start) {
        jentry *j = &st->journal[--st->jlen];
        node *n = j->n;
        n->jidx = j->prev;
        if (j->lazy) { /* cut the appends off the node's own buffer */
            materialize(j, n->val, n->val_len, n->val_cap);
        } else {
            free(n->val);
        }
        n->val = j->old_val;
        n->val_len = j->old_len;
        n->val_cap = j->old_cap;
        n->state = j->old_state;
        /* The parent's own entry (if it journaled the node) is still there: keep its stamp so
         * its later writes do not journal the node twice. */
        n->mark = j->old_mark;
        /* Back to "no change": no outer level references the node (each of their writes left
         * it set or deleted), so it leaves the skip list, and an emptied child trie goes. */
        if (n->state == OV_NONE) {
            unlink_node(j->t, n);
            drop_child_if_empty(st, j->t);
        }
    }
    journal_trim(st);
    return true;
}

size_t bst_state_tx_depth(const bst_state *st) { return st->depth; }

/* ---- statistics ----------------------------------------------------------------------------- */

static void trie_stats(const trie_ov *t, bst_state_stats *out) {
    for (const node *n = t->head[0]; n; n = n->next[0]) {
        out->nodes++;
        out->value_bytes += n->val_cap;
    }
}

void bst_state_get_stats(const bst_state *st, bst_state_stats *out) {
    memset(out, 0, sizeof *out);
    trie_stats(&st->top, out);
    for (const child_node *c = st->chead[0]; c; c = c->next[0]) {
        trie_stats(&c->t, out);
        out->child_tries++;
    }
    out->journal_entries = st->jlen;
    for (size_t i = 0; i < st->jlen; i++) out->journal_bytes += st->journal[i].old_cap;
}

/* ---- roots ---------------------------------------------------------------------------------- */

typedef struct pairs {
    bst_trie_pair *p;
    size_t n, cap;
    uint8_t **owned; /* buffers to free afterwards */
    size_t nowned, owned_cap;
} pairs;

static bool own(pairs *ps, uint8_t *b) {
    if (!STATE_GROW(ps->owned, ps->nowned, ps->owned_cap, 64)) return false;
    ps->owned[ps->nowned++] = b;
    return true;
}

static bool push_pair(pairs *ps, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
    if (!STATE_GROW(ps->p, ps->n, ps->cap, 64)) return false;
    bst_trie_pair pr = {k, kl, v, vl};
    ps->p[ps->n++] = pr;
    return true;
}

static void pairs_free(pairs *ps) {
    for (size_t i = 0; i < ps->nowned; i++) free(ps->owned[i]);
    free(ps->owned);
    free(ps->p);
}

/* Appends the merged content of one trie, in key order.  Overlay values are referenced in
 * place (valid while st is not modified); backend keys and values are owned by ps. */
static bool collect(bst_state *st, const uint8_t *child, size_t child_len, pairs *ps) {
    trie_ov *t = find_trie(st, child, child_len);
    node *o = t ? next_changed(t->head[0]) : NULL;
    uint8_t *b = NULL;
    size_t bl = 0;
    bst_state_res r = be_next_visible(st, child, child_len, NULL, 0, true, &b, &bl);
    for (;;) {
        if (r == BST_STATE_ERROR) return false;
        bool have_b = r == BST_STATE_FOUND;
        if (!o && !have_b) return true;
        int c = merge_order(o, have_b, b, bl);
        if (c > 0) {
            uint8_t *v = NULL;
            size_t vl = 0;
            if (!own(ps, b)) {
                free(b);
                return false;
            }
            bst_state_res g = be_get(st, child, child_len, b, bl, &v, &vl);
            if (g == BST_STATE_ERROR) return false;
            if (g == BST_STATE_FOUND) { /* absent: the backend changed under us; skip it */
                if (!own(ps, v)) {
                    free(v);
                    return false;
                }
                if (!push_pair(ps, b, bl, v, vl)) return false;
            }
            r = be_next_visible(st, child, child_len, b, bl, false, &b, &bl);
            continue;
        }
        if (o->state == OV_SET && !push_pair(ps, o->key, o->key_len, o->val, o->val_len))
            return false;
        if (c == 0) r = be_advance(st, child, child_len, &b, &bl); /* shadowed by o */
        o = next_changed(o->next[0]);
    }
}

static bool root_of(bst_state *st, const uint8_t *child, size_t child_len, unsigned version,
                    uint8_t out[32], size_t *count) {
    pairs ps = {0};
    bool ok = collect(st, child, child_len, &ps) && bst_trie_root(ps.p, ps.n, version, out);
    if (count) *count = ps.n;
    pairs_free(&ps);
    return ok;
}

bool bst_state_child_root(bst_state *st, const uint8_t *child, size_t child_len,
                          unsigned state_version, uint8_t out[32]) {
    if (!child || state_version > 1) return false;
    if (st->child_cache.valid && st->child_cache.gen == st->gen &&
        st->child_cache.version == state_version &&
        st_bytes_cmp(st->child_cache.name, st->child_cache.name_len, child, child_len) == 0) {
        memcpy(out, st->child_cache.root, 32);
        return true;
    }
    bool ok = st->has_be && st->be.child_root
                  ? st->be.child_root(st->be.ctx, st, child, child_len, state_version, out)
                  : root_of(st, child, child_len, state_version, out, NULL);
    if (!ok) return false;
    uint8_t *name = st_dup_bytes(child, child_len);
    if (name) { /* no cache entry without memory: not an error */
        free(st->child_cache.name);
        st->child_cache.name = name;
        st->child_cache.name_len = child_len;
        st->child_cache.version = state_version;
        st->child_cache.gen = st->gen;
        memcpy(st->child_cache.root, out, 32);
        st->child_cache.valid = true;
    }
    return true;
}

static int pair_cmp(const void *pa, const void *pb) {
    const bst_trie_pair *a = pa, *b = pb;
    return st_bytes_cmp(a->key, a->key_len, b->key, b->key_len);
}

/* Adds (":child_storage:default:" ++ name, root) when the child trie has keys. */
static bool add_child_root(bst_state *st, const uint8_t *name, size_t name_len, unsigned version,
                           pairs *ps) {
    uint8_t root[32];
    size_t count = 0;
    if (!root_of(st, name, name_len, version, root, &count)) return false;
    if (count == 0) return true;
    if (name_len > SIZE_MAX - DEFAULT_PREFIX_LEN - 32) return false;
    uint8_t *k = malloc(DEFAULT_PREFIX_LEN + name_len + 32);
    if (!k) return false;
    if (!own(ps, k)) {
        free(k);
        return false;
    }
    memcpy(k, BST_CHILD_STORAGE_DEFAULT_PREFIX, DEFAULT_PREFIX_LEN);
    if (name_len) memcpy(k + DEFAULT_PREFIX_LEN, name, name_len);
    uint8_t *v = k + DEFAULT_PREFIX_LEN + name_len;
    memcpy(v, root, 32);
    return push_pair(ps, k, DEFAULT_PREFIX_LEN + name_len, v, 32);
}

static void cache_root(bst_state *st, unsigned state_version, const uint8_t root[32]) {
    st->root_cache[state_version].valid = true;
    st->root_cache[state_version].gen = st->gen;
    memcpy(st->root_cache[state_version].root, root, 32);
}

bool bst_state_root(bst_state *st, unsigned state_version, uint8_t out[32]) {
    if (state_version > 1) return false;
    if (st->root_cache[state_version].valid && st->root_cache[state_version].gen == st->gen) {
        memcpy(out, st->root_cache[state_version].root, 32);
        return true;
    }
    if (st->has_be && st->be.root) { /* the backend re-hashes the changed paths only */
        if (!st->be.root(st->be.ctx, st, state_version, out)) return false;
        cache_root(st, state_version, out);
        return true;
    }
    pairs ps = {0};
    bool ok = collect(st, NULL, 0, &ps);
    size_t top_n = ps.n;
    /* Child tries: the union of the backend's and the overlay's, in name order. */
    const child_node *oc = st->chead[0];
    uint8_t *bname = NULL;
    size_t blen = 0;
    bst_state_res r = BST_STATE_ABSENT;
    if (ok && st->has_be && st->be.next_child)
        r = st->be.next_child(st->be.ctx, (const uint8_t *)"", 0, true, &bname, &blen);
    while (ok) {
        if (r == BST_STATE_ERROR) {
            ok = false;
            break;
        }
        bool have_b = r == BST_STATE_FOUND;
        bool have_o = oc != NULL;
        if (!have_b && !have_o) break;
        int c = !have_o ? 1 : !have_b ? -1 : st_bytes_cmp(oc->t.name, oc->t.name_len, bname, blen);
        if (c <= 0) {
            ok = add_child_root(st, oc->t.name, oc->t.name_len, state_version, &ps);
            oc = oc->next[0];
        } else {
            ok = add_child_root(st, bname, blen, state_version, &ps);
        }
        if (c >= 0) { /* the backend name was used: advance it */
            uint8_t *prev = bname;
            r = st->be.next_child(st->be.ctx, prev, blen, false, &bname, &blen);
            free(prev);
        }
    }
    if (r == BST_STATE_FOUND) free(bname);
    if (ok && ps.n > top_n) qsort(ps.p, ps.n, sizeof *ps.p, pair_cmp);
    ok = ok && bst_trie_root(ps.p, ps.n, state_version, out);
    pairs_free(&ps);
    if (ok) cache_root(st, state_version, out);
    return ok;
}

/* ---- changes -------------------------------------------------------------------------------- */

static bool visit_trie(const trie_ov *t, bst_state_change_fn fn, void *user) {
    static const uint8_t empty[1] = {0};
    for (const node *n = t->head[0]; n; n = n->next[0]) {
        if (n->state == OV_NONE) continue;
        const uint8_t *v = n->state == OV_SET ? (n->val ? n->val : empty) : NULL;
        if (!fn(user, t->is_child ? t->name : NULL, t->name_len, n->key, n->key_len, v,
                n->state == OV_SET ? n->val_len : 0))
            return false;
    }
    return true;
}

bool bst_state_changes(const bst_state *st, bst_state_change_fn fn, void *user) {
    if (!visit_trie(&st->top, fn, user)) return false;
    for (const child_node *c = st->chead[0]; c; c = c->next[0])
        if (!visit_trie(&c->t, fn, user)) return false;
    return true;
}
