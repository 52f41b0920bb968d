/*
 * node.c — the Substrate trie node codec (sp-trie node_codec.rs) and the read walks over encoded
 * nodes (src/state/node.h): get, next_key and the child-trie enumeration of a stored trie,
 * whatever holds its nodes (a Merkle proof in proof.c, LMDB in triedb.c).  Also the node header
 * encoder that trie.c shares (st_node_header).
 *
 * A node: the header (kind and partial-key nibble count, see trie.c), the partial key, then for
 * a branch a u16 LE child bitmap (never zero); the value as compact(len) ++ bytes or, in the
 * hashed-value kinds, 32 bytes; then each present child as compact(len) ++ bytes, a hash when
 * len is 32, else the child node inline.
 *
 * Nodes may come from guests (proofs) or from a damaged database: every length is checked
 * against the input, and the walks keep their path in a heap-allocated stack, not in C
 * recursion.
 */
#include "bastion_state.h"
#include "bastion_trie.h"
#include "node.h"
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
static bool decode_header(const uint8_t *p, size_t len, size_t *pos, st_node *n, unsigned *bits) {
    uint8_t h = p[0];
    n->has_value = n->value_hashed = false;
    if (h == 0) {
        n->kind = ST_NODE_EMPTY;
        return len == 1;
    }
    switch (h >> 6) {
    case 1: n->kind = ST_NODE_LEAF, n->has_value = true, *bits = 6; break;
    case 2: n->kind = ST_NODE_BRANCH, *bits = 6; break;
    case 3: n->kind = ST_NODE_BRANCH, n->has_value = true, *bits = 6; break;
    default:
        if ((h >> 5) == 1) {
            n->kind = ST_NODE_LEAF, n->has_value = n->value_hashed = true, *bits = 5;
        } else if ((h >> 4) == 1) {
            n->kind = ST_NODE_BRANCH, n->has_value = n->value_hashed = true, *bits = 4;
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

bool st_node_decode(const uint8_t *p, size_t len, st_node *n) {
    memset(n, 0, sizeof *n);
    unsigned bits = 0;
    size_t pos = 0;
    if (len == 0 || !decode_header(p, len, &pos, n, &bits)) return false;
    if (n->kind == ST_NODE_EMPTY) return true;
    size_t pbytes = (n->nibbles + 1) / 2;
    if (pbytes > len - pos) return false;
    n->partial = p + pos;
    if ((n->nibbles & 1u) && (p[pos] >> 4) != 0) return false; /* padding must be zero */
    pos += pbytes;
    if (n->kind == ST_NODE_BRANCH) {
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

/* ---- encoding ----------------------------------------------------------------------------- */

uint8_t *st_node_encode(const st_node *n, const uint8_t *const *ref, const size_t *ref_len,
                        size_t *out_len) {
    size_t cap = ST_HEADER_MAX + n->nibbles / 2 + 1 + 2 + ST_COMPACT_MAX + n->value_len;
    for (unsigned c = 0; c < 16; c++) cap += ST_COMPACT_MAX + (ref ? ref_len[c] : n->child_len[c]);
    uint8_t *b = malloc(cap);
    if (!b) return NULL;
    uint8_t prefix;
    unsigned bits = 6;
    if (n->kind == ST_NODE_LEAF)
        prefix = n->value_hashed ? 0x20 : 0x40;
    else if (!n->has_value)
        prefix = 0x80;
    else
        prefix = n->value_hashed ? 0x10 : 0xc0;
    if (prefix == 0x20) bits = 5;
    if (prefix == 0x10) bits = 4;
    size_t len = st_node_header(b, prefix, bits, n->nibbles);
    if (n->nibbles) memcpy(b + len, n->partial, (n->nibbles + 1) / 2);
    len += (n->nibbles + 1) / 2;
    if (n->kind == ST_NODE_BRANCH) {
        b[len++] = (uint8_t)(n->bitmap & 0xffu);
        b[len++] = (uint8_t)(n->bitmap >> 8);
    }
    if (n->has_value) {
        if (!n->value_hashed) len += st_compact_put(b + len, n->value_len);
        if (n->value_len) memcpy(b + len, n->value, n->value_len);
        len += n->value_len;
    }
    for (int c = 0; c < 16; c++) {
        if (!(n->bitmap & (1u << c))) continue;
        const uint8_t *r = ref ? ref[c] : n->child[c];
        size_t rl = ref ? ref_len[c] : n->child_len[c];
        len += st_compact_put(b + len, rl);
        if (rl) memcpy(b + len, r, rl);
        len += rl;
    }
    *out_len = len;
    return b;
}

/* ---- walks -------------------------------------------------------------------------------- */

bool st_is_empty_root(const uint8_t root[32]) {
    uint8_t e[32];
    bst_trie_empty_root(e);
    return memcmp(e, root, 32) == 0;
}

/* A child reference: inline bytes, or the node its hash names. */
static bool walk_child(const st_node_source *s, const st_node *n, unsigned c, const uint8_t **data,
                       size_t *len) {
    if (n->child_len[c] == 32) return s->lookup(s->ctx, n->child[c], data, len);
    *data = n->child[c];
    *len = n->child_len[c];
    return true;
}

/* The value under key in the trie with that root. */
static bst_state_res get_in(const st_node_source *s, const uint8_t root[32], const uint8_t *key,
                            size_t key_len, uint8_t **val, size_t *val_len) {
    const uint8_t *data;
    size_t len, pos = 0, knib = key_len * 2;
    if (st_is_empty_root(root)) return BST_STATE_ABSENT;
    if (!s->lookup(s->ctx, root, &data, &len)) return BST_STATE_ERROR;
    for (;;) {
        st_node n;
        if (!st_node_decode(data, len, &n)) return BST_STATE_ERROR;
        if (n.kind == ST_NODE_EMPTY || n.nibbles > knib - pos) return BST_STATE_ABSENT;
        for (size_t i = 0; i < n.nibbles; i++)
            if (st_partial_nibble(&n, i) != st_key_nibble(key, pos + i)) return BST_STATE_ABSENT;
        pos += n.nibbles;
        if (pos == knib) {
            if (!n.has_value) return BST_STATE_ABSENT;
            const uint8_t *v = n.value;
            size_t vl = n.value_len;
            if (n.value_hashed && !s->lookup(s->ctx, n.value, &v, &vl)) return BST_STATE_ERROR;
            *val = st_dup_bytes(v, vl);
            *val_len = vl;
            return *val ? BST_STATE_FOUND : BST_STATE_ERROR;
        }
        if (n.kind == ST_NODE_LEAF) return BST_STATE_ABSENT;
        unsigned c = st_key_nibble(key, pos++);
        if (!(n.bitmap & (1u << c))) return BST_STATE_ABSENT;
        if (!walk_child(s, &n, c, &data, &len)) return BST_STATE_ERROR;
    }
}

bst_state_res st_walk_child_root(const st_node_source *s, const uint8_t top[32],
                                 const uint8_t *child, size_t child_len, uint8_t root[32]) {
    const size_t pl = sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1;
    uint8_t *k = malloc(pl + child_len + 1), *v = NULL;
    size_t vl = 0;
    if (!k) return BST_STATE_ERROR;
    memcpy(k, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl);
    if (child_len) memcpy(k + pl, child, child_len);
    bst_state_res r = get_in(s, top, k, pl + child_len, &v, &vl);
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

bst_state_res st_walk_get(const st_node_source *s, const uint8_t top[32], const uint8_t *child,
                          size_t child_len, const uint8_t *key, size_t key_len, uint8_t **val,
                          size_t *val_len) {
    uint8_t root[32];
    if (!child) return get_in(s, top, key, key_len, val, val_len);
    bst_state_res r = st_walk_child_root(s, top, child, child_len, root);
    return r == BST_STATE_FOUND ? get_in(s, root, key, key_len, val, val_len) : r;
}

/* In-order search for the smallest key > target (>= when inclusive) in the trie under root. */
typedef struct walk_frame {
    st_node n;
    size_t path_at; /* nibbles of the path above this node */
    unsigned next;  /* next child to visit; 16 = done */
} walk_frame;

/* -1, 0, 1: path[0..pl) against target's nibbles, over the shorter; *prefix when equal there. */
static int path_cmp(const uint8_t *path, size_t pl, const uint8_t *t, size_t tnib, bool *prefix) {
    size_t m = pl < tnib ? pl : tnib;
    for (size_t i = 0; i < m; i++) {
        unsigned tn = st_key_nibble(t, i);
        if (path[i] != tn) return path[i] < tn ? -1 : 1;
    }
    *prefix = true;
    return 0;
}

static bst_state_res next_in(const st_node_source *s, const uint8_t root[32], const uint8_t *t,
                             size_t t_len, bool inclusive, uint8_t **out, size_t *out_len) {
    if (st_is_empty_root(root)) return BST_STATE_ABSENT;
    walk_frame *st = NULL;
    uint8_t *path = NULL;
    size_t depth = 0, cap = 0, pcap = 0, tnib = t_len * 2;
    bst_state_res r = BST_STATE_ABSENT;
    const uint8_t *data;
    size_t len;
    if (!s->lookup(s->ctx, root, &data, &len)) return BST_STATE_ERROR;
    size_t at = 0;
    for (;;) {
        /* Enter the node data[0..len) at path length `at`. */
        st_node n;
        if (!st_node_decode(data, len, &n) || !STATE_GROW(st, depth, cap, 16)) {
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
        for (size_t i = 0; i < n.nibbles; i++) path[at + i] = (uint8_t)st_partial_nibble(&n, i);
        bool prefix = false;
        int c = path_cmp(path, pl, t, tnib, &prefix);
        bool skip = n.kind == ST_NODE_EMPTY || c < 0 || (c == 0 && pl < tnib && !prefix);
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
        st[depth].next = skip || n.kind != ST_NODE_BRANCH ? 16 : 0;
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
            if (!walk_child(s, &f->n, ch, &data, &len)) {
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

bst_state_res st_walk_next_key(const st_node_source *s, const uint8_t top[32], const uint8_t *child,
                               size_t child_len, const uint8_t *key, size_t key_len, bool inclusive,
                               uint8_t **out, size_t *out_len) {
    uint8_t root[32];
    if (!child) return next_in(s, top, key, key_len, inclusive, out, out_len);
    bst_state_res r = st_walk_child_root(s, top, child, child_len, root);
    if (r != BST_STATE_FOUND) return r;
    return next_in(s, root, key, key_len, inclusive, out, out_len);
}

/* The next child trie: the next top key under ":child_storage:default:". */
bst_state_res st_walk_next_child(const st_node_source *s, const uint8_t top[32],
                                 const uint8_t *name, size_t name_len, bool inclusive,
                                 uint8_t **out, size_t *out_len) {
    const size_t pl = sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1;
    uint8_t *k = malloc(pl + name_len + 1), *next = NULL;
    size_t nl = 0;
    if (!k) return BST_STATE_ERROR;
    memcpy(k, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl);
    if (name_len) memcpy(k + pl, name, name_len);
    bst_state_res r = next_in(s, top, k, pl + name_len, inclusive, &next, &nl);
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
