/*
 * delta.c — the incremental trie root (st_delta_root, src/state/node.h): the root of a stored
 * trie with a bst_state's overlay changes applied, touching only the changed paths.
 *
 * Owns a partial, mutable copy of the trie: a node is loaded (decoded from its source, its
 * fields copied) only when a changed key's path goes through it; every other subtree stays a
 * reference (its hash or inline encoding) and keeps it.  Each change is an insert or a delete
 * on that copy (trie-db's TrieDBMut rules: a branch without value keeps at least two children,
 * so a delete may merge a branch into its only child); the nodes a change touched are marked
 * dirty, and the root is then re-encoded bottom-up over the dirty nodes only.  Untouched
 * loaded nodes keep their stored reference.  New nodes of 32 bytes or more, the root, and new
 * state_version-1 hashed values are handed to an emitter (triedb.c stores them).
 *
 * Child tries first: each changed child trie's new root becomes a change of its
 * ":child_storage:default:" key in the top trie (a deletion when the child trie is left empty).
 * st_delta_child_root computes one child trie's root the same way.
 *
 * Values (as trie-db): a written value is stored by hash when the version says so (v1, 33
 * bytes or more); a loaded value keeps its stored form.  Writing a value equal to the stored
 * one changes nothing.
 *
 * No recursion: the descent is a loop, the re-encoding an explicit stack (keys come from
 * guests).  Every loaded or created node lives in an arena freed at the end.
 */
#include "bastion_state.h"
#include "bastion_trie.h"
#include "node.h"
#include "state_util.h"

#include <stdlib.h>
#include <string.h>

#define VALUE_NODE_THRESHOLD 33u
#define DEFAULT_PREFIX_LEN (sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1)

struct mnode;

/* A child slot: a loaded node (node != NULL) or a stored reference (len 32: a hash; 1..31: an
 * inline node); empty when both are absent.  A loaded node that is not dirty is still exactly
 * its reference. */
typedef struct mref {
    struct mnode *node;
    uint8_t len;
    uint8_t ref[32];
} mref;

typedef struct mnode {
    uint8_t *nib; /* the partial key, one nibble per byte */
    size_t nibbles;
    bool dirty;
    bool has_value;
    bool value_hashed;    /* encoded as value_hash */
    bool value_new;       /* value_hashed and the bytes are here: emit them */
    const uint8_t *value; /* the inline (or new hashed) value's bytes */
    size_t value_len;
    uint8_t *value_own; /* a loaded value's copy */
    uint8_t value_hash[32];
    mref child[16];
} mnode;

typedef struct delta {
    const st_node_source *src;
    unsigned version;
    bst_trie_node_fn emit;
    void *user;
    mnode **arena;
    size_t narena, arena_cap;
    mref **path; /* the slots above the current one */
    size_t npath, path_cap;
    uint8_t *key; /* the current key's nibbles */
    size_t key_cap;
} delta;

static mnode *new_node(delta *d) {
    if (!STATE_GROW(d->arena, d->narena, d->arena_cap, 64)) return NULL;
    mnode *n = calloc(1, sizeof *n);
    if (n) d->arena[d->narena++] = n;
    return n;
}

static void delta_free(delta *d) {
    for (size_t i = 0; i < d->narena; i++) {
        free(d->arena[i]->nib);
        free(d->arena[i]->value_own);
        free(d->arena[i]);
    }
    free(d->arena);
    free(d->path);
    free(d->key);
}

/* n's partial key := nibbles a[0..al) (a may point into n->nib). */
static bool set_partial(mnode *n, const uint8_t *a, size_t al) {
    uint8_t *p = malloc(al + 1);
    if (!p) return false;
    if (al) memcpy(p, a, al);
    free(n->nib);
    n->nib = p;
    n->nibbles = al;
    return true;
}

/* Decodes the node slot references into slot->node (a copy of its fields). */
static bool load(delta *d, mref *slot) {
    if (slot->node) return true;
    const uint8_t *data = slot->ref;
    size_t len = slot->len;
    if (len == 32 && !d->src->lookup(d->src->ctx, slot->ref, &data, &len)) return false;
    st_node sn;
    if (len == 0 || !st_node_decode(data, len, &sn) || sn.kind == ST_NODE_EMPTY) return false;
    mnode *n = new_node(d);
    if (!n) return false;
    n->nib = malloc(sn.nibbles + 1);
    if (!n->nib) return false;
    n->nibbles = sn.nibbles;
    for (size_t i = 0; i < sn.nibbles; i++) n->nib[i] = (uint8_t)st_partial_nibble(&sn, i);
    n->has_value = sn.has_value;
    if (sn.has_value && sn.value_hashed) {
        n->value_hashed = true;
        memcpy(n->value_hash, sn.value, 32);
    } else if (sn.has_value) {
        n->value_own = st_dup_bytes(sn.value, sn.value_len);
        if (!n->value_own) return false;
        n->value = n->value_own;
        n->value_len = sn.value_len;
    }
    for (unsigned c = 0; c < 16; c++) {
        if (!(sn.bitmap & (1u << c))) continue;
        /* a reference is a hash (32 bytes) or an inline node (shorter, never empty) */
        if (sn.child_len[c] == 0 || sn.child_len[c] > 32) return false;
        n->child[c].len = (uint8_t)sn.child_len[c];
        memcpy(n->child[c].ref, sn.child[c], sn.child_len[c]);
    }
    slot->node = n;
    return true;
}

static bool slot_used(const mref *r) { return r->node || r->len; }

/* Puts value v (v_len bytes, valid until the root is computed) on n; *changed when it differs
 * from n's value. */
static void set_value(delta *d, mnode *n, const uint8_t *v, size_t v_len, bool *changed) {
    bool hashed = d->version == 1 && v_len >= VALUE_NODE_THRESHOLD;
    uint8_t h[32];
    if (hashed) st_trie_hash(BST_TRIE_BLAKE2_256, v, v_len, h);
    if (n->has_value && hashed == n->value_hashed &&
        (hashed ? memcmp(h, n->value_hash, 32) == 0
                : st_bytes_cmp(v, v_len, n->value, n->value_len) == 0))
        return;
    n->has_value = true;
    n->value_hashed = hashed;
    n->value_new = hashed;
    n->value = v;
    n->value_len = v_len;
    if (hashed) memcpy(n->value_hash, h, 32);
    *changed = true;
}

static bool push_path(delta *d, mref *slot) {
    if (!STATE_GROW(d->path, d->npath, d->path_cap, 32)) return false;
    d->path[d->npath++] = slot;
    return true;
}

/* Marks every node on the recorded path (and the last slot's) dirty. */
static void mark_path(delta *d, mref *last) {
    for (size_t i = 0; i < d->npath; i++) d->path[i]->node->dirty = true;
    if (last && last->node) last->node->dirty = true;
}

/* Inserts key (nibbles d->key[0..kn)) -> v under root. */
static bool insert(delta *d, mref *slot, size_t kn, const uint8_t *v, size_t v_len) {
    const uint8_t *key = d->key;
    size_t pos = 0;
    bool changed = false;
    d->npath = 0;
    for (;;) {
        if (!slot_used(slot)) { /* a new leaf */
            mnode *n = new_node(d);
            if (!n || !set_partial(n, key + pos, kn - pos)) return false;
            slot->node = n;
            slot->len = 0;
            set_value(d, n, v, v_len, &changed);
            break;
        }
        if (!load(d, slot)) return false;
        mnode *n = slot->node;
        size_t common = 0;
        while (common < n->nibbles && pos + common < kn && n->nib[common] == key[pos + common])
            common++;
        if (common < n->nibbles) { /* split: a branch above n at the divergence */
            mnode *b = new_node(d);
            if (!b || !set_partial(b, n->nib, common)) return false;
            unsigned idx = n->nib[common];
            if (!set_partial(n, n->nib + common + 1, n->nibbles - common - 1)) return false;
            n->dirty = true;
            b->child[idx].node = n;
            slot->node = b;
            slot->len = 0;
            n = b;
            changed = true;
        }
        pos += n->nibbles;
        if (pos == kn) {
            set_value(d, n, v, v_len, &changed);
            break;
        }
        if (!push_path(d, slot)) return false;
        slot = &n->child[key[pos++]];
    }
    if (changed) mark_path(d, slot);
    return true;
}

/* After a delete below it: the node at slot without value keeps two children or merges into
 * its only one; without either it goes. */
static bool fix(delta *d, mref *slot) {
    mnode *n = slot->node;
    if (!n || n->has_value) return true;
    unsigned count = 0, only = 0;
    for (unsigned c = 0; c < 16; c++)
        if (slot_used(&n->child[c])) count++, only = c;
    if (count == 0) {
        slot->node = NULL;
        slot->len = 0;
    } else if (count == 1) {
        if (!load(d, &n->child[only])) return false;
        mnode *ch = n->child[only].node;
        /* ch's partial := n's ++ [only] ++ ch's */
        if (n->nibbles > SIZE_MAX - ch->nibbles - 2) return false;
        size_t total = n->nibbles + 1 + ch->nibbles;
        uint8_t *p = malloc(total + 1);
        if (!p) return false;
        if (n->nibbles) memcpy(p, n->nib, n->nibbles);
        p[n->nibbles] = (uint8_t)only;
        if (ch->nibbles) memcpy(p + n->nibbles + 1, ch->nib, ch->nibbles);
        free(ch->nib);
        ch->nib = p;
        ch->nibbles = total;
        ch->dirty = true;
        slot->node = ch;
        slot->len = 0;
    }
    return true;
}

/* Deletes key (nibbles d->key[0..kn)) under root; nothing when absent. */
static bool delete_key(delta *d, mref *slot, size_t kn) {
    const uint8_t *key = d->key;
    size_t pos = 0;
    d->npath = 0;
    for (;;) {
        if (!slot_used(slot)) return true;
        if (!load(d, slot)) return false;
        mnode *n = slot->node;
        if (n->nibbles > kn - pos || memcmp(n->nib, key + pos, n->nibbles) != 0) return true;
        pos += n->nibbles;
        if (pos == kn) break;
        if (!push_path(d, slot)) return false;
        slot = &n->child[key[pos++]];
    }
    if (!slot->node->has_value) return true;
    mark_path(d, slot);
    slot->node->has_value = slot->node->value_hashed = slot->node->value_new = false;
    if (!fix(d, slot)) return false;
    for (size_t i = d->npath; i-- > 0;)
        if (!fix(d, d->path[i])) return false;
    return true;
}

/* One change: key (bytes) set to v, or deleted when v is NULL. */
static bool apply_change(delta *d, mref *root, const uint8_t *key, size_t key_len, const uint8_t *v,
                         size_t v_len) {
    if (key_len > SIZE_MAX / 2 - 1) return false;
    size_t kn = key_len * 2;
    if (kn + 1 > d->key_cap) {
        uint8_t *k = realloc(d->key, kn + 1);
        if (!k) return false;
        d->key = k;
        d->key_cap = kn + 1;
    }
    for (size_t i = 0; i < kn; i++) d->key[i] = (uint8_t)st_key_nibble(key, i);
    return v ? insert(d, root, kn, v, v_len) : delete_key(d, root, kn);
}

/* ---- re-encoding ---------------------------------------------------------------------------- */

/* Encodes node n with its children's current references; malloc'd. */
static uint8_t *encode(delta *d, mnode *n, size_t *len) {
    st_node sn;
    memset(&sn, 0, sizeof sn);
    const uint8_t *ref[16];
    size_t ref_len[16];
    for (unsigned c = 0; c < 16; c++) {
        ref[c] = n->child[c].ref;
        ref_len[c] = slot_used(&n->child[c]) ? n->child[c].len : 0;
        if (ref_len[c]) sn.bitmap = (uint16_t)(sn.bitmap | (1u << c));
    }
    sn.kind = sn.bitmap ? ST_NODE_BRANCH : ST_NODE_LEAF;
    uint8_t *packed = malloc(n->nibbles / 2 + 1);
    if (!packed) return NULL;
    size_t o = 0, i = 0;
    if (n->nibbles & 1u) packed[o++] = n->nib[i++];
    for (; i < n->nibbles; i += 2) packed[o++] = (uint8_t)(n->nib[i] << 4 | n->nib[i + 1]);
    sn.partial = packed;
    sn.nibbles = n->nibbles;
    sn.has_value = n->has_value;
    sn.value_hashed = n->value_hashed;
    if (n->value_hashed) {
        if (n->value_new && d->emit && !d->emit(d->user, n->value_hash, n->value, n->value_len)) {
            free(packed);
            return NULL;
        }
        n->value_new = false;
        sn.value = n->value_hash;
        sn.value_len = 32;
    } else {
        sn.value = n->value;
        sn.value_len = n->value_len;
    }
    uint8_t *enc = st_node_encode(&sn, ref, ref_len, len);
    free(packed);
    return enc;
}

typedef struct eframe {
    mref *slot;
    unsigned next;
} eframe;

/* Re-encodes the dirty nodes under root bottom-up; the root's hash into out. */
static bool encode_all(delta *d, mref *root, uint8_t out[32]) {
    if (!slot_used(root)) {
        bst_trie_empty_root(out);
        return true;
    }
    if (!root->node || !root->node->dirty) {
        if (root->len != 32) return false; /* a stored root is always a hash */
        memcpy(out, root->ref, 32);
        return true;
    }
    eframe *stack = NULL;
    size_t depth = 0, cap = 0;
    bool ok = false;
    if (!STATE_GROW(stack, depth, cap, 32)) return false;
    stack[depth++] = (eframe){root, 0};
    while (depth > 0) {
        eframe *f = &stack[depth - 1];
        mnode *n = f->slot->node;
        while (f->next < 16 && !(n->child[f->next].node && n->child[f->next].node->dirty))
            f->next++;
        if (f->next < 16) {
            mref *ch = &n->child[f->next++];
            if (!STATE_GROW(stack, depth, cap, 32)) goto out;
            stack[depth++] = (eframe){ch, 0};
            continue;
        }
        size_t len;
        uint8_t *enc = encode(d, n, &len);
        if (!enc) goto out;
        mref *s = f->slot;
        bool is_root = depth == 1;
        if (len < 32 && !is_root) {
            memcpy(s->ref, enc, len);
            s->len = (uint8_t)len;
        } else {
            st_trie_hash(BST_TRIE_BLAKE2_256, enc, len, s->ref);
            s->len = 32;
            if (d->emit && !d->emit(d->user, s->ref, enc, len)) {
                free(enc);
                goto out;
            }
        }
        free(enc);
        n->dirty = false;
        depth--;
    }
    memcpy(out, root->ref, 32);
    ok = true;
out:
    free(stack);
    return ok;
}

/* ---- the overlay's changes ------------------------------------------------------------------ */

typedef struct change {
    const uint8_t *child; /* NULL for the top trie */
    size_t child_len;
    const uint8_t *key;
    size_t key_len;
    const uint8_t *val; /* NULL = deleted */
    size_t val_len;
} change;

typedef struct changes {
    change *c;
    size_t n, cap;
    const uint8_t *only; /* collect this child trie's changes only (when not NULL) */
    size_t only_len;
} changes;

static bool collect_change(void *user, const uint8_t *child, size_t child_len, const uint8_t *key,
                           size_t key_len, const uint8_t *val, size_t val_len) {
    changes *cs = user;
    if (cs->only && (!child || st_bytes_cmp(child, child_len, cs->only, cs->only_len) != 0))
        return true;
    if (!STATE_GROW(cs->c, cs->n, cs->cap, 64)) return false;
    cs->c[cs->n++] = (change){child, child_len, key, key_len, val, val_len};
    return true;
}

/* Applies changes [from, to) (one trie) to the trie with root `root`; its new root in out. */
static bool trie_delta(delta *d, const uint8_t root[32], const change *c, size_t from, size_t to,
                       const change *extra, size_t nextra, uint8_t out[32]) {
    mref top = {0};
    if (!st_is_empty_root(root)) {
        top.len = 32;
        memcpy(top.ref, root, 32);
    }
    for (size_t i = from; i < to; i++)
        if (!apply_change(d, &top, c[i].key, c[i].key_len, c[i].val, c[i].val_len)) return false;
    for (size_t i = 0; i < nextra; i++)
        if (!apply_change(d, &top, extra[i].key, extra[i].key_len, extra[i].val, extra[i].val_len))
            return false;
    return encode_all(d, &top, out);
}

/* The child tries' new roots as top-trie changes: keys and roots in one malloc'd block. */
static bool child_changes(delta *d, const uint8_t root[32], const changes *cs, size_t first_child,
                          change **out, size_t *nout, uint8_t **block) {
    size_t tries = 0, bytes = 0;
    for (size_t i = first_child; i < cs->n; i++) {
        bool new_trie =
            i == first_child || st_bytes_cmp(cs->c[i].child, cs->c[i].child_len, cs->c[i - 1].child,
                                             cs->c[i - 1].child_len) != 0;
        if (!new_trie) continue;
        tries++;
        if (cs->c[i].child_len > SIZE_MAX / 2 - bytes - DEFAULT_PREFIX_LEN - 32) return false;
        bytes += DEFAULT_PREFIX_LEN + cs->c[i].child_len + 32;
    }
    *out = calloc(tries ? tries : 1, sizeof **out);
    *block = malloc(bytes ? bytes : 1);
    if (!*out || !*block) return false;
    size_t k = 0, at = 0;
    for (size_t i = first_child; i < cs->n;) {
        size_t j = i + 1;
        while (j < cs->n && st_bytes_cmp(cs->c[j].child, cs->c[j].child_len, cs->c[i].child,
                                         cs->c[i].child_len) == 0)
            j++;
        uint8_t old[32], *key = *block + at, *nr = key + DEFAULT_PREFIX_LEN + cs->c[i].child_len;
        bst_state_res r = st_walk_child_root(d->src, root, cs->c[i].child, cs->c[i].child_len, old);
        if (r == BST_STATE_ERROR) return false;
        if (r == BST_STATE_ABSENT) bst_trie_empty_root(old);
        if (!trie_delta(d, old, cs->c, i, j, NULL, 0, nr)) return false;
        memcpy(key, BST_CHILD_STORAGE_DEFAULT_PREFIX, DEFAULT_PREFIX_LEN);
        if (cs->c[i].child_len)
            memcpy(key + DEFAULT_PREFIX_LEN, cs->c[i].child, cs->c[i].child_len);
        bool empty = st_is_empty_root(nr);
        (*out)[k++] = (change){
            NULL,          0, key, DEFAULT_PREFIX_LEN + cs->c[i].child_len, empty ? NULL : nr,
            empty ? 0 : 32};
        at += DEFAULT_PREFIX_LEN + cs->c[i].child_len + 32;
        i = j;
    }
    *nout = k;
    return true;
}

static void delta_init(delta *d, const st_node_source *src, unsigned version, bst_trie_node_fn emit,
                       void *user) {
    memset(d, 0, sizeof *d);
    d->src = src;
    d->version = version;
    d->emit = emit;
    d->user = user;
}

bool st_delta_root(const st_node_source *src, const uint8_t root[32], const bst_state *st,
                   unsigned version, bst_trie_node_fn emit, void *user, uint8_t out[32]) {
    if (version > 1) return false;
    changes cs = {0};
    delta d;
    delta_init(&d, src, version, emit, user);
    change *extra = NULL;
    uint8_t *block = NULL;
    size_t nextra = 0, ntop = 0;
    bool ok = bst_state_changes(st, collect_change, &cs);
    while (ok && ntop < cs.n && cs.c[ntop].child == NULL) ntop++;
    ok = ok && child_changes(&d, root, &cs, ntop, &extra, &nextra, &block);
    ok = ok && trie_delta(&d, root, cs.c, 0, ntop, extra, nextra, out);
    free(cs.c);
    free(extra);
    free(block);
    delta_free(&d);
    return ok;
}

bool st_delta_child_root(const st_node_source *src, const uint8_t root[32], const bst_state *st,
                         const uint8_t *child, size_t child_len, unsigned version,
                         uint8_t out[32]) {
    if (version > 1 || !child) return false;
    changes cs = {0};
    cs.only = child;
    cs.only_len = child_len;
    delta d;
    delta_init(&d, src, version, NULL, NULL);
    uint8_t old[32];
    bst_state_res r = st_walk_child_root(src, root, child, child_len, old);
    if (r == BST_STATE_ABSENT) bst_trie_empty_root(old);
    bool ok = r != BST_STATE_ERROR && bst_state_changes(st, collect_change, &cs) &&
              trie_delta(&d, old, cs.c, 0, cs.n, NULL, 0, out);
    free(cs.c);
    delta_free(&d);
    return ok;
}
