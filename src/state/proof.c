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
