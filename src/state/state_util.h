/*
 * state_util.h — helpers shared by the state layer's sources (state.c, mem.c, trie.c, node.c,
 * proof.c, triedb*.c); internal, not installed.  Byte-string order and copies, the trie node header and
 * hash, and SCALE compact integers through
 * bastion_scale.h (the one codec of the project) with a fixed stack buffer instead of a heap one.
 * Internal names carry the layer's private prefix st_/ST_ (bst_ is the public API's).
 */
#ifndef BASTION_STATE_UTIL_H
#define BASTION_STATE_UTIL_H

#include "bastion_scale.h"
#include "bastion_trie.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The longest compact this layer writes: a u64 in big-integer mode, 1 + 8 bytes. */
#define ST_COMPACT_MAX 9

/* memcmp order, a shorter string before its extensions. */
static inline int st_bytes_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl) {
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return (al > bl) - (al < bl);
}

/* A malloc'd copy (at least one byte allocated, so NULL means out of memory). */
static inline uint8_t *st_dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *d = malloc(n ? n : 1);
    if (d && n) memcpy(d, p, n);
    return d;
}

/* Room for one more element in a growable array: `arr` (an lvalue of pointer type) has `cap`
 * elements of which n are used; doubling the capacity, `first` on the first growth.  False on
 * size overflow or out of memory, the array then as it was. */
#define STATE_GROW(arr, n, cap, first)                                                             \
    ((n) < (cap) || state_grow_array((void *)&(arr), sizeof *(arr), &(cap), (first)))
static inline bool state_grow_array(void *arrp, size_t elem, size_t *cap, size_t first) {
    size_t nc = *cap ? *cap * 2 : first;
    if (nc > SIZE_MAX / elem) return false;
    void *old;
    memcpy(&old, arrp, sizeof old); /* arrp points to a T *: copied, not punned */
    void *a = realloc(old, nc * elem);
    if (!a) return false;
    memcpy(arrp, &a, sizeof a);
    *cap = nc;
    return true;
}

/* bst_scale_buf allocator handing out the caller's fixed buffer (ctx); the buffer's size limit
 * (ST_COMPACT_MAX) keeps requests within it. */
static inline void *st_fixed_realloc(void *ctx, void *ptr, size_t size) {
    (void)ptr;
    return size && size <= ST_COMPACT_MAX ? ctx : NULL;
}

/* SCALE Compact<u64> of v into out; returns its length (1..9). */
static inline size_t st_compact_put(uint8_t out[ST_COMPACT_MAX], uint64_t v) {
    bst_scale_buf b;
    bst_scale_buf_init_ex(&b, st_fixed_realloc, out, ST_COMPACT_MAX);
    if (bst_scale_put_compact_u64(&b, v) != BST_SCALE_OK) return 0; /* cannot happen */
    return b.len;
}

/* A canonical Compact<u32> at the start of p (parity-scale-codec's strict decoding); returns
 * its length, 0 when it does not decode. */
static inline size_t st_compact_u32_get(const uint8_t *p, size_t len, uint32_t *out) {
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    if (bst_scale_get_compact_u32(&d, out) != BST_SCALE_OK) return 0;
    return d.pos;
}

/* ---- the trie node codec (trie.c, node.c) -------------------------------------------------- */

/* sp-trie NIBBLE_SIZE_BOUND (u16::MAX): the header's nibble count saturates there, while the
 * partial still holds every nibble (size_and_prefix_iterator / fuse_nibbles_node). */
#define ST_NIBBLE_SIZE_BOUND 65535u
/* The longest node header: one byte, then 255s and a last byte for up to 65535 nibbles. */
#define ST_HEADER_MAX 260

/* Hidden internals of the layer (st_ prefix; bst_ is the public API's). */
#define ST_FUNC __attribute__((visibility("hidden")))

/* A node header into out: `prefix` holds the kind bits, `bits` how many low bits hold the
 * nibble count (continued in following bytes when it does not fit).  Returns its length. */
ST_FUNC size_t st_node_header(uint8_t out[ST_HEADER_MAX], uint8_t prefix, unsigned bits,
                              size_t count);
/* The trie's hash (32 bytes) of data. */
ST_FUNC void st_trie_hash(bst_trie_hasher h, const uint8_t *data, size_t len, uint8_t out[32]);

#endif
