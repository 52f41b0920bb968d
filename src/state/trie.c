/*
 * trie.c — the Substrate Patricia-Merkle trie root (include/bastion_trie.h): base-16, no
 * extension nodes, sp-trie's node codec (LayoutV0 / LayoutV1), BLAKE2b-256 or Keccak-256 from
 * the crypto layer.
 *
 * Owns the node encoder.  Node layout (sp-trie node_header.rs / trie_stream.rs):
 *   header   kind bits then the partial key's nibble count: leaf 01, branch without value 10,
 *            branch with value 11 (6 count bits), hashed-value leaf 001 (5 bits), hashed-value
 *            branch 0001 (4 bits).  A count that does not fit the bits sets them all and
 *            continues in following bytes: 255 while more than 255 remain, then (rest - 1).
 *            The count in the header saturates at 65535 (sp-trie NIBBLE_SIZE_BOUND); the
 *            partial that follows still has all its nibbles.
 *   partial  the nibbles, an odd count leaving the first nibble alone in the low half of a byte
 *   branch   a u16 little-endian child bitmap (bit i = child nibble i) after the partial
 *   value    compact(len) ++ bytes, or (V1, len >= 33) the 32-byte hash of the value
 *   children each compact(len) ++ encoding when the child encodes to < 32 bytes, else
 *            compact(32) ++ hash(encoding)
 * The root is always hashed, whatever its size.
 *
 * The builder walks the sorted pairs with an explicit stack (no recursion: a guest controls the
 * keys, and a chain of nested keys must not exhaust the C stack).  Every node is encoded at the
 * end of one growing buffer; when a child is finished its bytes are replaced in place by its
 * reference, so the parent's encoding ends up contiguous.
 */
#include "bastion_crypto.h"
#include "bastion_trie.h"
#include "state_util.h"

#include <stdlib.h>
#include <string.h>

#define TRIE_VALUE_NODE_THRESHOLD 33u

void st_trie_hash(bst_trie_hasher h, const uint8_t *data, size_t len, uint8_t out[32]) {
    if (h == BST_TRIE_KECCAK_256)
        bst_keccak_256(data, len, out);
    else
        bst_blake2_256(data, len, out);
}

void bst_trie_empty_root_hashed(bst_trie_hasher h, uint8_t out[32]) {
    const uint8_t empty = 0x00;
    st_trie_hash(h, &empty, 1, out);
}

void bst_trie_empty_root(uint8_t out[32]) { bst_trie_empty_root_hashed(BST_TRIE_BLAKE2_256, out); }

/* ---- growable byte buffer ----------------------------------------------------------------- */

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
    bst_trie_hasher hasher;
    bst_trie_node_fn emit; /* bst_trie_nodes: every hashed node and value, or NULL */
    void *emit_user;
} buf;

/* The hash of data[0..len) as the trie references it, handed to the emitter when there is one. */
static void hash_emit(buf *b, const uint8_t *data, size_t len, uint8_t out[32]) {
    st_trie_hash(b->hasher, data, len, out);
    if (b->emit && !b->emit(b->emit_user, out, data, len)) b->oom = true;
}

static bool buf_reserve(buf *b, size_t extra) {
    if (b->oom) return false;
    if (extra > SIZE_MAX - b->len) {
        b->oom = true;
        return false;
    }
    size_t need = b->len + extra;
    if (need <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    uint8_t *np = realloc(b->p, cap);
    if (!np) {
        b->oom = true;
        return false;
    }
    b->p = np;
    b->cap = cap;
    return true;
}

static void buf_put(buf *b, const void *src, size_t n) {
    if (n == 0 || !buf_reserve(b, n)) return;
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void buf_byte(buf *b, uint8_t v) { buf_put(b, &v, 1); }

/* SCALE compact for lengths (values of any size up to 2^64 - 1). */
static void buf_compact(buf *b, uint64_t v) {
    uint8_t t[ST_COMPACT_MAX];
    buf_put(b, t, st_compact_put(t, v));
}

/* ---- node pieces -------------------------------------------------------------------------- */

static unsigned nibble_at(const bst_trie_pair *p, size_t i) {
    uint8_t byte = p->key[i / 2];
    return (i & 1u) ? (byte & 0x0fu) : (byte >> 4);
}

/* Header: `prefix` holds the kind bits, `bits` is how many low bits hold the count. */
static void put_header(buf *b, uint8_t prefix, unsigned bits, size_t count) {
    uint8_t h[ST_HEADER_MAX];
    buf_put(b, h, st_node_header(h, prefix, bits, count));
}

/* Header and partial key: nibbles [from, from + count) of p's key. */
static void put_partial(buf *b, uint8_t prefix, unsigned bits, const bst_trie_pair *p, size_t from,
                        size_t count) {
    put_header(b, prefix, bits, count);
    size_t i = from;
    if (count & 1u) {
        buf_byte(b, (uint8_t)nibble_at(p, i));
        i++;
    }
    for (; i < from + count; i += 2)
        buf_byte(b, (uint8_t)((nibble_at(p, i) << 4) | nibble_at(p, i + 1)));
}

static bool value_hashed(unsigned version, size_t len) {
    return version == 1 && len >= TRIE_VALUE_NODE_THRESHOLD;
}

static void put_value(buf *b, unsigned version, const bst_trie_pair *p) {
    if (value_hashed(version, p->value_len)) {
        uint8_t h[32];
        hash_emit(b, p->value, p->value_len, h);
        buf_put(b, h, 32);
    } else {
        buf_compact(b, p->value_len);
        buf_put(b, p->value, p->value_len);
    }
}

/* memcmp order, a prefix first. */
static int key_cmp(const bst_trie_pair *a, const bst_trie_pair *b) {
    return st_bytes_cmp(a->key, a->key_len, b->key, b->key_len);
}

/* ---- the builder -------------------------------------------------------------------------- */

typedef struct frame {
    size_t lo, hi;    /* pairs of this subtree */
    size_t cur;       /* next pair not yet placed in a child */
    size_t child_pos; /* nibble index of the child selector */
    size_t start;     /* offset of this node's encoding in the buffer */
    size_t bitmap_at; /* offset of the bitmap */
    uint16_t bitmap;
} frame;

/* First index in (lo, hi] whose nibble at pos exceeds c; all of [lo, hi) have >= pos + 1
 * nibbles and are sorted, so their nibbles at pos are non-decreasing. */
static size_t child_end(const bst_trie_pair *pairs, size_t lo, size_t hi, size_t pos, unsigned c) {
    size_t a = lo + 1, z = hi;
    while (a < z) {
        size_t m = a + (z - a) / 2;
        if (nibble_at(&pairs[m], pos) <= c)
            a = m + 1;
        else
            z = m;
    }
    return a;
}

/* Opens the node for pairs [lo, hi) at nibble depth p.  A leaf is complete at once (returns
 * true); a branch gets its header, partial and value written and its frame filled. */
static bool open_node(buf *b, const bst_trie_pair *pairs, size_t lo, size_t hi, size_t p,
                      unsigned version, frame *f) {
    const bst_trie_pair *first = &pairs[lo], *last = &pairs[hi - 1];
    size_t fl = first->key_len * 2, ll = last->key_len * 2;
    size_t lim = fl < ll ? fl : ll;
    size_t cp = 0;
    while (p + cp < lim && nibble_at(first, p + cp) == nibble_at(last, p + cp)) cp++;
    bool has_value = fl == p + cp;
    f->start = b->len;
    if (has_value && hi - lo == 1) {
        bool hv = value_hashed(version, first->value_len);
        put_partial(b, hv ? 0x20 : 0x40, hv ? 5 : 6, first, p, cp);
        put_value(b, version, first);
        return true;
    }
    uint8_t prefix = 0x80;
    unsigned bits = 6;
    if (has_value) {
        if (value_hashed(version, first->value_len)) {
            prefix = 0x10;
            bits = 4;
        } else {
            prefix = 0xc0;
        }
    }
    put_partial(b, prefix, bits, first, p, cp);
    f->bitmap_at = b->len;
    buf_byte(b, 0);
    buf_byte(b, 0);
    if (has_value) put_value(b, version, first);
    f->lo = lo;
    f->hi = hi;
    f->cur = lo + (has_value ? 1 : 0);
    f->child_pos = p + cp;
    f->bitmap = 0;
    return false;
}

/* Replaces the finished child encoding at [start, len) with its reference. */
static void reference_child(buf *b, size_t start) {
    size_t n = b->len - start;
    if (b->oom) return;
    if (n < 32) {
        if (!buf_reserve(b, 1)) return;
        memmove(b->p + start + 1, b->p + start, n);
        b->p[start] = (uint8_t)(n << 2);
        b->len++;
    } else {
        uint8_t h[32];
        hash_emit(b, b->p + start, n, h);
        b->len = start;
        buf_byte(b, 32u << 2);
        buf_put(b, h, 32);
    }
}

static bool build(const bst_trie_pair *pairs, size_t n, unsigned version, bst_trie_hasher h,
                  bst_trie_node_fn emit, void *user, uint8_t out[32]) {
    buf b = {0};
    b.hasher = h;
    b.emit = emit;
    b.emit_user = user;
    frame *stack = NULL;
    size_t depth = 0, cap = 0;
    bool ok = false;
    frame f;
    if (open_node(&b, pairs, 0, n, 0, version, &f)) {
        if (b.oom) goto done;
        hash_emit(&b, b.p, b.len, out);
        ok = !b.oom;
        goto done;
    }
    for (;;) {
        if (b.oom) goto done;
        if (f.cur < f.hi) {
            /* Descend into the next child. */
            unsigned c = nibble_at(&pairs[f.cur], f.child_pos);
            size_t end = child_end(pairs, f.cur, f.hi, f.child_pos, c);
            f.bitmap = (uint16_t)(f.bitmap | (1u << c));
            size_t lo = f.cur;
            f.cur = end;
            frame child;
            if (open_node(&b, pairs, lo, end, f.child_pos + 1, version, &child)) {
                reference_child(&b, child.start);
                continue;
            }
            if (!STATE_GROW(stack, depth, cap, 16)) goto done;
            stack[depth++] = f;
            f = child;
            continue;
        }
        /* Branch complete. */
        b.p[f.bitmap_at] = (uint8_t)(f.bitmap & 0xffu);
        b.p[f.bitmap_at + 1] = (uint8_t)(f.bitmap >> 8);
        if (depth == 0) {
            hash_emit(&b, b.p + f.start, b.len - f.start, out);
            ok = !b.oom;
            goto done;
        }
        reference_child(&b, f.start);
        f = stack[--depth];
    }
done:
    free(stack);
    free(b.p);
    return ok;
}

/* The root, every hashed node and value handed to emit when it is not NULL. */
static bool root_with(const bst_trie_pair *pairs, size_t n, unsigned state_version,
                      bst_trie_hasher h, bst_trie_node_fn emit, void *user, uint8_t out[32]) {
    if (state_version > 1 || (h != BST_TRIE_BLAKE2_256 && h != BST_TRIE_KECCAK_256)) return false;
    if (n == 0) {
        bst_trie_empty_root_hashed(h, out);
        return true;
    }
    if (!pairs) return false;
    for (size_t i = 0; i < n; i++) {
        if (pairs[i].key_len > SIZE_MAX / 2) return false;
        if (i && key_cmp(&pairs[i - 1], &pairs[i]) >= 0) return false;
    }
    return build(pairs, n, state_version, h, emit, user, out);
}

bool bst_trie_root_hashed(const bst_trie_pair *pairs, size_t n, unsigned state_version,
                          bst_trie_hasher h, uint8_t out[32]) {
    return root_with(pairs, n, state_version, h, NULL, NULL, out);
}

bool bst_trie_nodes(const bst_trie_pair *pairs, size_t n, unsigned state_version,
                    bst_trie_node_fn fn, void *user, uint8_t root[32]) {
    return fn && root_with(pairs, n, state_version, BST_TRIE_BLAKE2_256, fn, user, root);
}

bool bst_trie_root(const bst_trie_pair *pairs, size_t n, unsigned state_version, uint8_t out[32]) {
    return bst_trie_root_hashed(pairs, n, state_version, BST_TRIE_BLAKE2_256, out);
}

/* ---- ordered root ------------------------------------------------------------------------- */

typedef struct ordered_key {
    uint8_t k[ST_COMPACT_MAX];
    uint8_t len;
} ordered_key;

static int pair_qsort_cmp(const void *a, const void *b) {
    return key_cmp((const bst_trie_pair *)a, (const bst_trie_pair *)b);
}

bool bst_trie_ordered_root_hashed(const bst_trie_pair *values, size_t n, unsigned state_version,
                                  bst_trie_hasher h, uint8_t out[32]) {
    if (state_version > 1 || (h != BST_TRIE_BLAKE2_256 && h != BST_TRIE_KECCAK_256)) return false;
    if (n == 0) {
        bst_trie_empty_root_hashed(h, out);
        return true;
    }
    /* Keys are Compact<u32> indices; more than 2^32 values cannot be encoded. */
    if (!values || (uint64_t)n > UINT32_MAX) return false;
    if (n > SIZE_MAX / (sizeof(ordered_key) + sizeof(bst_trie_pair))) return false;
    ordered_key *keys = malloc(n * sizeof *keys);
    bst_trie_pair *pairs = malloc(n * sizeof *pairs);
    bool ok = false;
    if (!keys || !pairs) goto out;
    for (size_t i = 0; i < n; i++) {
        keys[i].len = (uint8_t)st_compact_put(keys[i].k, i);
        pairs[i].key = keys[i].k;
        pairs[i].key_len = keys[i].len;
        pairs[i].value = values[i].value;
        pairs[i].value_len = values[i].value_len;
    }
    /* Compact encodings do not sort like the integers (compact(64) = 01 01 < compact(1) = 04). */
    qsort(pairs, n, sizeof *pairs, pair_qsort_cmp);
    ok = bst_trie_root_hashed(pairs, n, state_version, h, out);
out:
    free(keys);
    free(pairs);
    return ok;
}

bool bst_trie_ordered_root(const bst_trie_pair *values, size_t n, unsigned state_version,
                           uint8_t out[32]) {
    return bst_trie_ordered_root_hashed(values, n, state_version, BST_TRIE_BLAKE2_256, out);
}
