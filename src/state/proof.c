/*
 * proof.c — reading trie nodes back: sp-trie's node decoder, and trie-db's proof verification
 * (include/bastion_trie.h, bst_trie_verify_proof) on top of it.  Also the node header encoder
 * that trie.c shares (st_node_header).
 *
 * A node (sp-trie node_codec.rs): the header (kind and partial-key nibble count, see trie.c),
 * the partial key, then for a branch a u16 LE child bitmap (never zero); the value as
 * compact(len) ++ bytes or, in the hashed-value kinds, 32 bytes; then each present child as
 * compact(len) ++ bytes, a hash when len is 32, else the child node inline.
 *
 * Proofs come from guests: every length is checked against the input, and the walk keeps its
 * path in a heap-allocated stack, not in C recursion.
 */
#include "bastion_crypto.h"
#include "bastion_state.h"
#include "bastion_trie.h"
#include "state_util.h"

#include <stdlib.h>
#include <string.h>

size_t st_node_header(uint8_t out[ST_HEADER_MAX], uint8_t prefix, unsigned bits, size_t count) {
    if (count > ST_NIBBLE_SIZE_BOUND) count = ST_NIBBLE_SIZE_BOUND;
    size_t max = (size_t)(0xffu >> (8 - bits)), n = 0;
    if (count < max) {
        out[n++] = (uint8_t)(prefix | count);
        return n;
    }
    out[n++] = (uint8_t)(prefix | max);
    size_t rem = count - (max - 1);
    while (rem >= 256) {
        out[n++] = 255;
        rem -= 255;
    }
    out[n++] = (uint8_t)(rem - 1);
    return n;
}

/* ---- decoding ----------------------------------------------------------------------------- */

typedef enum node_kind { NODE_EMPTY, NODE_LEAF, NODE_BRANCH } node_kind;

typedef struct node {
    node_kind kind;
    const uint8_t *partial; /* (nibbles + 1) / 2 bytes; an odd count pads the first byte */
    size_t nibbles;
    bool has_value, value_hashed;
    const uint8_t *value; /* value_len bytes, or the 32-byte hash */
    size_t value_len;
    uint16_t bitmap;
    const uint8_t *child[16]; /* references: 32 bytes = a hash, else an inline node */
    size_t child_len[16];
} node;

static unsigned partial_nibble(const node *n, size_t i) {
    size_t j = i + (n->nibbles & 1u);
    uint8_t b = n->partial[j / 2];
    return (j & 1u) ? (b & 0x0fu) : (b >> 4);
}

static unsigned key_nibble(const uint8_t *key, size_t i) {
    return (i & 1u) ? (key[i / 2] & 0x0fu) : (key[i / 2] >> 4);
}

/* compact(len) ++ len bytes at p[*pos..end); false when they do not fit. */
static bool get_bytes(const uint8_t *p, size_t end, size_t *pos, const uint8_t **out,
                      size_t *out_len) {
    uint32_t n;
    size_t h = st_compact_u32_get(p + *pos, end - *pos, &n);
    if (h == 0 || n > end - *pos - h) return false;
    *out = p + *pos + h;
    *out_len = n;
    *pos += h + n;
    return true;
}

/* The header's kind and count. */
static bool decode_header(const uint8_t *p, size_t len, size_t *pos, node *n, unsigned *bits) {
    uint8_t h = p[0];
    n->has_value = n->value_hashed = false;
    if (h == 0) {
        n->kind = NODE_EMPTY;
        return len == 1;
    }
    switch (h >> 6) {
    case 1: n->kind = NODE_LEAF, n->has_value = true, *bits = 6; break;
    case 2: n->kind = NODE_BRANCH, *bits = 6; break;
    case 3: n->kind = NODE_BRANCH, n->has_value = true, *bits = 6; break;
    default:
        if ((h >> 5) == 1) {
            n->kind = NODE_LEAF, n->has_value = n->value_hashed = true, *bits = 5;
        } else if ((h >> 4) == 1) {
            n->kind = NODE_BRANCH, n->has_value = n->value_hashed = true, *bits = 4;
        } else {
            return false;
        }
    }
    size_t max = (size_t)(0xffu >> (8 - *bits)), count = h & max;
    *pos = 1;
    if (count == max) {
        count = max - 1;
        for (;;) {
            if (*pos >= len) return false;
            uint8_t b = p[(*pos)++];
            if (b < 255) {
                count += (size_t)b + 1;
                break;
            }
            count += 255;
        }
    }
    n->nibbles = count;
    return true;
}

static bool decode_node(const uint8_t *p, size_t len, node *n) {
    memset(n, 0, sizeof *n);
    unsigned bits = 0;
    size_t pos = 0;
    if (len == 0 || !decode_header(p, len, &pos, n, &bits)) return false;
    if (n->kind == NODE_EMPTY) return true;
    size_t pbytes = (n->nibbles + 1) / 2;
    if (pbytes > len - pos) return false;
    n->partial = p + pos;
    if ((n->nibbles & 1u) && (p[pos] >> 4) != 0) return false; /* padding must be zero */
    pos += pbytes;
    if (n->kind == NODE_BRANCH) {
        if (len - pos < 2) return false;
        n->bitmap = (uint16_t)(p[pos] | (p[pos + 1] << 8));
        pos += 2;
        if (n->bitmap == 0) return false;
    }
    if (n->has_value && n->value_hashed) {
        if (len - pos < 32) return false;
        n->value = p + pos;
        n->value_len = 32;
        pos += 32;
    } else if (n->has_value && !get_bytes(p, len, &pos, &n->value, &n->value_len)) {
        return false;
    }
    for (unsigned c = 0; c < 16; c++)
        if ((n->bitmap & (1u << c)) && !get_bytes(p, len, &pos, &n->child[c], &n->child_len[c]))
            return false;
    return pos == len;
}

/* ---- trie-db proof verification ----------------------------------------------------------- */

typedef struct ventry {
    node n;
    size_t prefix; /* key nibbles above this node */
    bool is_inline;
    int replaced; /* the child on the path, whose reference is ref[0..ref_len), or -1 */
    uint8_t ref[32];
    size_t ref_len;
    uint8_t value_hash[32]; /* the proven value's hash when it is stored hashed */
} ventry;

/* Re-encodes e with the proven value and the recomputed child reference; malloc'd. */
static uint8_t *encode_entry(const ventry *e, size_t *out_len) {
    const node *n = &e->n;
    size_t cap = ST_HEADER_MAX + n->nibbles / 2 + 1 + 2 + ST_COMPACT_MAX + n->value_len;
    for (unsigned c = 0; c < 16; c++) cap += ST_COMPACT_MAX + n->child_len[c] + 32;
    uint8_t *b = malloc(cap);
    if (!b) return NULL;
    uint8_t prefix;
    unsigned bits = 6;
    if (n->kind == NODE_LEAF)
        prefix = n->value_hashed ? 0x20 : 0x40;
    else if (!n->has_value)
        prefix = 0x80;
    else
        prefix = n->value_hashed ? 0x10 : 0xc0;
    if (prefix == 0x20) bits = 5;
    if (prefix == 0x10) bits = 4;
    size_t len = st_node_header(b, prefix, bits, n->nibbles);
    memcpy(b + len, n->partial, (n->nibbles + 1) / 2);
    len += (n->nibbles + 1) / 2;
    if (n->kind == NODE_BRANCH) {
        b[len++] = (uint8_t)(n->bitmap & 0xffu);
        b[len++] = (uint8_t)(n->bitmap >> 8);
    }
    if (n->has_value) {
        if (!n->value_hashed) len += st_compact_put(b + len, n->value_len);
        memcpy(b + len, n->value, n->value_len);
        len += n->value_len;
    }
    for (int c = 0; c < 16; c++) {
        if (!(n->bitmap & (1u << c))) continue;
        const uint8_t *r = c == e->replaced ? e->ref : n->child[c];
        size_t rl = c == e->replaced ? e->ref_len : n->child_len[c];
        len += st_compact_put(b + len, rl);
        memcpy(b + len, r, rl);
        len += rl;
    }
    *out_len = len;
    return b;
}

/* Matches e's partial against key and, when the key ends at e, puts the proven value in
 * (trie-db's advance_item for one item).  Returns 1 when the value is placed, 0 when the walk
 * must go on into child *child, -1 when the proof does not prove the item. */
static int match_entry(ventry *e, const uint8_t *key, size_t knib, const uint8_t *value,
                       size_t value_len, unsigned version, bst_trie_hasher h, unsigned *child) {
    node *n = &e->n;
    if (n->kind == NODE_EMPTY) return -1;
    if (n->nibbles > knib - e->prefix) return -1;
    for (size_t i = 0; i < n->nibbles; i++)
        if (partial_nibble(n, i) != key_nibble(key, e->prefix + i)) return -1;
    size_t pos = e->prefix + n->nibbles;
    if (pos == knib) {
        /* The value must be there and omitted (an empty inline value). */
        if (!n->has_value || n->value_hashed || n->value_len != 0) return -1;
        if (version == 1 && value_len >= 33) {
            st_trie_hash(h, value, value_len, e->value_hash);
            n->value = e->value_hash;
            n->value_len = 32;
            n->value_hashed = true;
        } else {
            n->value = value;
            n->value_len = value_len;
        }
        return 1;
    }
    if (n->kind == NODE_LEAF) return -1;
    *child = key_nibble(key, pos);
    if (!(n->bitmap & (1u << *child))) return -1;
    return 0;
}

bool bst_trie_verify_proof(bst_trie_hasher h, unsigned state_version, const uint8_t root[32],
                           const bst_trie_node *proof, size_t n, const uint8_t *key, size_t key_len,
                           const uint8_t *value, size_t value_len) {
    if (state_version > 1 || (h != BST_TRIE_BLAKE2_256 && h != BST_TRIE_KECCAK_256) || n == 0 ||
        key_len > SIZE_MAX / 2)
        return false;
    ventry *stack = NULL;
    size_t depth = 0, cap = 0, used = 1;
    bool ok = false;
    if (!STATE_GROW(stack, depth, cap, 8)) return false;
    memset(&stack[0], 0, sizeof stack[0]);
    stack[0].replaced = -1;
    if (!decode_node(proof[0].data, proof[0].len, &stack[0].n)) goto out;
    depth = 1;
    /* Descend along the key. */
    for (;;) {
        ventry *e = &stack[depth - 1];
        unsigned c = 0;
        int r = match_entry(e, key, key_len * 2, value, value_len, state_version, h, &c);
        if (r < 0) goto out;
        if (r > 0) break;
        const uint8_t *data = e->n.child[c];
        size_t len = e->n.child_len[c];
        bool is_inline = len != 0;
        if (len == 32) goto out; /* a hash on the path: the node should be in the proof */
        if (!is_inline) {
            if (used == n) goto out; /* incomplete proof */
            data = proof[used].data;
            len = proof[used].len;
            used++;
        }
        e->replaced = (int)c;
        size_t prefix = e->prefix + e->n.nibbles + 1;
        if (!STATE_GROW(stack, depth, cap, 8)) goto out;
        ventry *child = &stack[depth];
        memset(child, 0, sizeof *child);
        child->replaced = -1;
        child->prefix = prefix;
        child->is_inline = is_inline;
        if (!decode_node(data, len, &child->n)) goto out;
        depth++;
    }
    /* Unwind: each node re-encoded, its reference placed in its parent. */
    while (depth > 0) {
        ventry *e = &stack[depth - 1];
        size_t len;
        uint8_t *enc = encode_entry(e, &len);
        if (!enc) goto out;
        if (depth == 1) {
            uint8_t got[32];
            st_trie_hash(h, enc, len, got);
            ok = memcmp(got, root, 32) == 0 && used == n;
            free(enc);
            break;
        }
        ventry *parent = &stack[depth - 2];
        if (e->is_inline) {
            bool fits = len <= 32;
            if (fits) memcpy(parent->ref, enc, len);
            parent->ref_len = len;
            free(enc);
            if (!fits) goto out;
        } else {
            st_trie_hash(h, enc, len, parent->ref);
            parent->ref_len = 32;
            free(enc);
        }
        depth--;
    }
out:
    free(stack);
    return ok;
}

/* ---- a state backend over a proof --------------------------------------------------------- */

typedef struct proof_entry {
    uint8_t hash[32];
    uint8_t *data;
    size_t len;
    bool used; /* read by a lookup since the last bst_state_proof_take_recorded */
} proof_entry;

struct bst_state_proof {
    proof_entry *e;
    size_t n;
    uint8_t root[32];
    bool incomplete;
    uint8_t missing[32];
};

static int entry_cmp(const void *a, const void *b) {
    return memcmp(((const proof_entry *)a)->hash, ((const proof_entry *)b)->hash, 32);
}

bst_state_proof *bst_state_proof_new(const bst_trie_node *nodes, size_t n, const uint8_t root[32]) {
    bst_state_proof *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    memcpy(p->root, root, 32);
    p->e = calloc(n ? n : 1, sizeof *p->e);
    if (!p->e) goto fail;
    for (size_t i = 0; i < n; i++) {
        p->e[p->n].data = st_dup_bytes(nodes[i].data, nodes[i].len);
        if (!p->e[p->n].data) goto fail;
        p->e[p->n].len = nodes[i].len;
        st_trie_hash(BST_TRIE_BLAKE2_256, nodes[i].data, nodes[i].len, p->e[p->n].hash);
        p->n++;
    }
    qsort(p->e, p->n, sizeof *p->e, entry_cmp);
    size_t w = 0; /* the same node twice is kept once */
    for (size_t i = 0; i < p->n; i++) {
        if (w && memcmp(p->e[w - 1].hash, p->e[i].hash, 32) == 0) {
            free(p->e[i].data);
            continue;
        }
        p->e[w++] = p->e[i];
    }
    p->n = w;
    return p;
fail:
    bst_state_proof_free(p);
    return NULL;
}

void bst_state_proof_free(bst_state_proof *p) {
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) free(p->e[i].data);
    free(p->e);
    free(p);
}

bool bst_state_proof_incomplete(const bst_state_proof *p, uint8_t missing[32]) {
    if (p->incomplete && missing) memcpy(missing, p->missing, 32);
    return p->incomplete;
}

size_t bst_state_proof_take_recorded(bst_state_proof *p, bst_trie_node *out, size_t max) {
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (!p->e[i].used) continue;
        if (k < max) {
            out[k].data = p->e[i].data;
            out[k].len = p->e[i].len;
        }
        k++;
    }
    return k;
}

/* The node with that hash; a missing one marks the proof incomplete. */
static bool proof_lookup(bst_state_proof *p, const uint8_t hash[32], const uint8_t **data,
                         size_t *len) {
    size_t a = 0, z = p->n;
    while (a < z) {
        size_t m = a + (z - a) / 2;
        int c = memcmp(p->e[m].hash, hash, 32);
        if (c == 0) {
            p->e[m].used = true;
            *data = p->e[m].data;
            *len = p->e[m].len;
            return true;
        }
        if (c < 0)
            a = m + 1;
        else
            z = m;
    }
    if (!p->incomplete) memcpy(p->missing, hash, 32);
    p->incomplete = true;
    return false;
}

/* A child reference: inline bytes, or the node its hash names. */
static bool proof_child(bst_state_proof *p, const node *n, unsigned c, const uint8_t **data,
                        size_t *len) {
    if (n->child_len[c] == 32) return proof_lookup(p, n->child[c], data, len);
    *data = n->child[c];
    *len = n->child_len[c];
    return true;
}

static bool is_empty_root(const uint8_t root[32]) {
    uint8_t e[32];
    bst_trie_empty_root(e);
    return memcmp(e, root, 32) == 0;
}

/* The value under key in the trie with that root. */
static bst_state_res proof_get_in(bst_state_proof *p, const uint8_t root[32], const uint8_t *key,
                                  size_t key_len, uint8_t **val, size_t *val_len) {
    const uint8_t *data;
    size_t len, pos = 0, knib = key_len * 2;
    if (is_empty_root(root)) return BST_STATE_ABSENT;
    if (!proof_lookup(p, root, &data, &len)) return BST_STATE_ERROR;
    for (;;) {
        node n;
        if (!decode_node(data, len, &n)) return BST_STATE_ERROR;
        if (n.kind == NODE_EMPTY || n.nibbles > knib - pos) return BST_STATE_ABSENT;
        for (size_t i = 0; i < n.nibbles; i++)
            if (partial_nibble(&n, i) != key_nibble(key, pos + i)) return BST_STATE_ABSENT;
        pos += n.nibbles;
        if (pos == knib) {
            if (!n.has_value) return BST_STATE_ABSENT;
            const uint8_t *v = n.value;
            size_t vl = n.value_len;
            if (n.value_hashed && !proof_lookup(p, n.value, &v, &vl)) return BST_STATE_ERROR;
            *val = st_dup_bytes(v, vl);
            *val_len = vl;
            return *val ? BST_STATE_FOUND : BST_STATE_ERROR;
        }
        if (n.kind == NODE_LEAF) return BST_STATE_ABSENT;
        unsigned c = key_nibble(key, pos++);
        if (!(n.bitmap & (1u << c))) return BST_STATE_ABSENT;
        if (!proof_child(p, &n, c, &data, &len)) return BST_STATE_ERROR;
    }
}

/* The root of child trie `child` (its entry in the top trie). */
static bst_state_res child_root(bst_state_proof *p, const uint8_t *child, size_t child_len,
                                uint8_t root[32]) {
    const size_t pl = sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1;
    uint8_t *k = malloc(pl + child_len + 1), *v = NULL;
    size_t vl = 0;
    if (!k) return BST_STATE_ERROR;
    memcpy(k, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl);
    if (child_len) memcpy(k + pl, child, child_len);
    bst_state_res r = proof_get_in(p, p->root, k, pl + child_len, &v, &vl);
    free(k);
    if (r == BST_STATE_FOUND) {
        if (vl != 32)
            r = BST_STATE_ERROR;
        else
            memcpy(root, v, 32);
    }
    free(v);
    return r;
}

static bst_state_res proof_get(void *ctx, const uint8_t *child, size_t child_len,
                               const uint8_t *key, size_t key_len, uint8_t **val, size_t *val_len) {
    bst_state_proof *p = ctx;
    uint8_t root[32];
    if (!child) return proof_get_in(p, p->root, key, key_len, val, val_len);
    bst_state_res r = child_root(p, child, child_len, root);
    return r == BST_STATE_FOUND ? proof_get_in(p, root, key, key_len, val, val_len) : r;
}

/* In-order search for the smallest key > target (>= when inclusive) in the trie under root. */
typedef struct walk_frame {
    node n;
    size_t path_at; /* nibbles of the path above this node */
    unsigned next;  /* next child to visit; 16 = done */
} walk_frame;

/* -1, 0, 1: path[0..pl) against target's nibbles, over the shorter; *prefix when equal there. */
static int path_cmp(const uint8_t *path, size_t pl, const uint8_t *t, size_t tnib, bool *prefix) {
    size_t m = pl < tnib ? pl : tnib;
    for (size_t i = 0; i < m; i++) {
        unsigned tn = key_nibble(t, i);
        if (path[i] != tn) return path[i] < tn ? -1 : 1;
    }
    *prefix = true;
    return 0;
}

static bst_state_res proof_next_in(bst_state_proof *p, const uint8_t root[32], const uint8_t *t,
                                   size_t t_len, bool inclusive, uint8_t **out, size_t *out_len) {
    if (is_empty_root(root)) return BST_STATE_ABSENT;
    walk_frame *st = NULL;
    uint8_t *path = NULL;
    size_t depth = 0, cap = 0, pcap = 0, tnib = t_len * 2;
    bst_state_res r = BST_STATE_ABSENT;
    const uint8_t *data;
    size_t len;
    if (!proof_lookup(p, root, &data, &len)) return BST_STATE_ERROR;
    size_t at = 0;
    for (;;) {
        /* Enter the node data[0..len) at path length `at`. */
        node n;
        if (!decode_node(data, len, &n) || !STATE_GROW(st, depth, cap, 16)) {
            r = BST_STATE_ERROR;
            break;
        }
        size_t pl = at + n.nibbles;
        while (pcap < pl + 1) {
            if (!STATE_GROW(path, pcap, pcap, 64)) break;
        }
        if (pcap < pl + 1) {
            r = BST_STATE_ERROR;
            break;
        }
        for (size_t i = 0; i < n.nibbles; i++) path[at + i] = (uint8_t)partial_nibble(&n, i);
        bool prefix = false;
        int c = path_cmp(path, pl, t, tnib, &prefix);
        bool skip = n.kind == NODE_EMPTY || c < 0 || (c == 0 && pl < tnib && !prefix);
        if (!skip && n.has_value && (pl & 1u) == 0 &&
            (c > 0 || pl > tnib || (pl == tnib && inclusive))) {
            /* This node's key is the answer: it comes before everything below it. */
            *out_len = pl / 2;
            *out = malloc(*out_len ? *out_len : 1);
            if (!*out) {
                r = BST_STATE_ERROR;
                break;
            }
            for (size_t i = 0; i < *out_len; i++)
                (*out)[i] = (uint8_t)(path[2 * i] << 4 | path[2 * i + 1]);
            r = BST_STATE_FOUND;
            break;
        }
        st[depth].n = n;
        st[depth].path_at = at;
        st[depth].next = skip || n.kind != NODE_BRANCH ? 16 : 0;
        depth++;
        /* Find the next child to enter, unwinding finished nodes. */
        bool entered = false;
        while (depth > 0 && !entered) {
            walk_frame *f = &st[depth - 1];
            while (f->next < 16 && !(f->n.bitmap & (1u << f->next))) f->next++;
            if (f->next == 16) {
                depth--;
                continue;
            }
            unsigned ch = f->next++;
            size_t cat = f->path_at + f->n.nibbles;
            if (pcap < cat + 1) break; /* cannot happen: grown when the node was entered */
            path[cat] = (uint8_t)ch;
            /* a child whose path is already below the target is skipped unread */
            bool pre = false;
            if (path_cmp(path, cat + 1, t, tnib, &pre) < 0) continue;
            if (!proof_child(p, &f->n, ch, &data, &len)) {
                r = BST_STATE_ERROR;
                depth = 0;
                break;
            }
            at = cat + 1;
            entered = true;
        }
        if (!entered) break;
    }
    free(st);
    free(path);
    return r;
}

static bst_state_res proof_next_key(void *ctx, const uint8_t *child, size_t child_len,
                                    const uint8_t *key, size_t key_len, bool inclusive,
                                    uint8_t **out, size_t *out_len) {
    bst_state_proof *p = ctx;
    uint8_t root[32];
    if (!child) return proof_next_in(p, p->root, key, key_len, inclusive, out, out_len);
    bst_state_res r = child_root(p, child, child_len, root);
    if (r != BST_STATE_FOUND) return r;
    return proof_next_in(p, root, key, key_len, inclusive, out, out_len);
}

/* The next child trie: the next top key under ":child_storage:default:". */
static bst_state_res proof_next_child(void *ctx, const uint8_t *name, size_t name_len,
                                      bool inclusive, uint8_t **out, size_t *out_len) {
    bst_state_proof *p = ctx;
    const size_t pl = sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1;
    uint8_t *k = malloc(pl + name_len + 1), *next = NULL;
    size_t nl = 0;
    if (!k) return BST_STATE_ERROR;
    memcpy(k, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl);
    if (name_len) memcpy(k + pl, name, name_len);
    bst_state_res r = proof_next_in(p, p->root, k, pl + name_len, inclusive, &next, &nl);
    free(k);
    if (r != BST_STATE_FOUND) return r;
    if (nl < pl || memcmp(next, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl) != 0) {
        free(next);
        return BST_STATE_ABSENT;
    }
    memmove(next, next + pl, nl - pl);
    *out = next;
    *out_len = nl - pl;
    return BST_STATE_FOUND;
}

bst_state_backend bst_state_proof_backend(bst_state_proof *p) {
    bst_state_backend b = {p, proof_get, proof_next_key, proof_next_child};
    return b;
}
