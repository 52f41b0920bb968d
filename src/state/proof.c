/*
 * proof.c — Merkle proofs: trie-db's proof verification (include/bastion_trie.h,
 * bst_trie_verify_proof) and the state backend over a proof's nodes (bst_state_proof), both on
 * the node codec and read walks of node.c.
 *
 * Proofs come from guests: the codec checks every length against the input, and the walks keep
 * their path in a heap-allocated stack, not in C recursion.
 */
#include "bastion_crypto.h"
#include "bastion_state.h"
#include "bastion_trie.h"
#include "node.h"
#include "state_util.h"

#include <stdlib.h>
#include <string.h>

/* ---- trie-db proof verification ----------------------------------------------------------- */

typedef struct ventry {
    st_node n;
    size_t prefix; /* key nibbles above this node */
    bool is_inline;
    int replaced; /* the child on the path, whose reference is ref[0..ref_len), or -1 */
    uint8_t ref[32];
    size_t ref_len;
    uint8_t value_hash[32]; /* the proven value's hash when it is stored hashed */
} ventry;

/* Re-encodes e with the proven value and the recomputed child reference; malloc'd. */
static uint8_t *encode_entry(const ventry *e, size_t *out_len) {
    const uint8_t *ref[16];
    size_t ref_len[16];
    for (int c = 0; c < 16; c++) {
        ref[c] = c == e->replaced ? e->ref : e->n.child[c];
        ref_len[c] = c == e->replaced ? e->ref_len : e->n.child_len[c];
    }
    return st_node_encode(&e->n, ref, ref_len, out_len);
}

/* Matches e's partial against key and, when the key ends at e, puts the proven value in
 * (trie-db's advance_item for one item).  Returns 1 when the value is placed, 0 when the walk
 * must go on into child *child, -1 when the proof does not prove the item. */
static int match_entry(ventry *e, const uint8_t *key, size_t knib, const uint8_t *value,
                       size_t value_len, unsigned version, bst_trie_hasher h, unsigned *child) {
    st_node *n = &e->n;
    if (n->kind == ST_NODE_EMPTY) return -1;
    if (n->nibbles > knib - e->prefix) return -1;
    for (size_t i = 0; i < n->nibbles; i++)
        if (st_partial_nibble(n, i) != st_key_nibble(key, e->prefix + i)) return -1;
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
    if (n->kind == ST_NODE_LEAF) return -1;
    *child = st_key_nibble(key, pos);
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
    if (!st_node_decode(proof[0].data, proof[0].len, &stack[0].n)) goto out;
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
        if (!st_node_decode(data, len, &child->n)) goto out;
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

static bool proof_source_lookup(void *ctx, const uint8_t hash[32], const uint8_t **data,
                                size_t *len) {
    return proof_lookup(ctx, hash, data, len);
}

static bst_state_res proof_get(void *ctx, const uint8_t *child, size_t child_len,
                               const uint8_t *key, size_t key_len, uint8_t **val, size_t *val_len) {
    bst_state_proof *p = ctx;
    st_node_source s = {p, proof_source_lookup};
    return st_walk_get(&s, p->root, child, child_len, key, key_len, val, val_len);
}

static bst_state_res proof_next_key(void *ctx, const uint8_t *child, size_t child_len,
                                    const uint8_t *key, size_t key_len, bool inclusive,
                                    uint8_t **out, size_t *out_len) {
    bst_state_proof *p = ctx;
    st_node_source s = {p, proof_source_lookup};
    return st_walk_next_key(&s, p->root, child, child_len, key, key_len, inclusive, out, out_len);
}

static bst_state_res proof_next_child(void *ctx, const uint8_t *name, size_t name_len,
                                      bool inclusive, uint8_t **out, size_t *out_len) {
    bst_state_proof *p = ctx;
    st_node_source s = {p, proof_source_lookup};
    return st_walk_next_child(&s, p->root, name, name_len, inclusive, out, out_len);
}

bst_state_backend bst_state_proof_backend(bst_state_proof *p) {
    bst_state_backend b = {p, proof_get, proof_next_key, proof_next_child, NULL, NULL};
    return b;
}
