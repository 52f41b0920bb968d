/*
 * leb.h — bounds-checked readers for the WebAssembly binary encoding (engine-internal).
 *
 * A eng_reader walks [p, end) of module->bytes; `base` is the start of the binary so errors can
 * report absolute offsets.  Every reader checks the remaining length before touching a byte and
 * enforces the spec's LEB128 rules (no more bytes than ceil(N/7), unused bits of the last byte
 * must be a sign/zero extension).  On failure the reader sets `*err` and returns false; the
 * first error wins.
 */
#ifndef ENG_ENGINE_LEB_H
#define ENG_ENGINE_LEB_H

#include <string.h>
#include "engine/module.h"

typedef struct eng_reader {
    const uint8_t *p, *end, *base;
    bst_error *err;
} eng_reader;

static inline size_t eng_reader_offset(const eng_reader *r) { return (size_t)(r->p - r->base); }

static inline bool eng_read_fail(eng_reader *r, bst_status st, const char *msg) {
    eng_fail(r->err, st, eng_reader_offset(r), "%s", msg);
    return false; /* spelled out so compilers see every failing read return false */
}

static inline bool eng_read_u8(eng_reader *r, uint8_t *out) {
    if (r->p >= r->end) return eng_read_fail(r, BST_ERR_MALFORMED, "unexpected end");
    *out = *r->p++;
    return true;
}

/* Unsigned LEB128 of at most `bits` (<= 64) significant bits. */
static inline bool eng_read_uleb(eng_reader *r, unsigned bits, uint64_t *out) {
    uint64_t result = 0;
    unsigned shift = 0;
    for (;;) {
        if (r->p >= r->end) return eng_read_fail(r, BST_ERR_MALFORMED, "unexpected end");
        uint8_t b = *r->p++;
        unsigned remaining = bits - shift; /* significant bits this byte may still carry */
        if (remaining < 7) {
            /* last permitted byte: no continuation, no bits beyond `bits` */
            if (b & 0x80)
                return eng_read_fail(r, BST_ERR_MALFORMED, "integer representation too long");
            if ((b >> remaining) != 0)
                return eng_read_fail(r, BST_ERR_MALFORMED, "integer too large");
        }
        result |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
        shift += 7;
        if (shift >= bits)
            return eng_read_fail(r, BST_ERR_MALFORMED, "integer representation too long");
    }
    *out = result;
    return true;
}

/* Signed LEB128 of `bits` (<= 64) bits, sign-extended to 64. */
static inline bool eng_read_sleb(eng_reader *r, unsigned bits, int64_t *out) {
    uint64_t result = 0;
    unsigned shift = 0;
    uint8_t b;
    for (;;) {
        if (r->p >= r->end) return eng_read_fail(r, BST_ERR_MALFORMED, "unexpected end");
        b = *r->p++;
        unsigned remaining = bits - shift;
        if (remaining < 7) {
            if (b & 0x80)
                return eng_read_fail(r, BST_ERR_MALFORMED, "integer representation too long");
            /* the unused high bits (including the sign bit of this byte) must all equal the
             * sign bit of the value */
            uint8_t top = (uint8_t)((b & 0x7f) >> (remaining - 1)); /* sign bit and above */
            uint8_t all = (uint8_t)(0x7f >> (remaining - 1));
            if (top != 0 && top != all)
                return eng_read_fail(r, BST_ERR_MALFORMED, "integer too large");
        }
        result |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
        if (shift >= bits)
            return eng_read_fail(r, BST_ERR_MALFORMED, "integer representation too long");
    }
    if (shift < 64 && (b & 0x40)) result |= ~(uint64_t)0 << shift;
    *out = (int64_t)result;
    return true;
}

static inline bool eng_read_u32(eng_reader *r, uint32_t *out) {
    uint64_t v;
    if (!eng_read_uleb(r, 32, &v)) return false;
    *out = (uint32_t)v;
    return true;
}

static inline bool eng_read_fixed(eng_reader *r, void *dst, size_t n) {
    if ((size_t)(r->end - r->p) < n) return eng_read_fail(r, BST_ERR_MALFORMED, "unexpected end");
    memcpy(dst, r->p, n);
    r->p += n;
    return true;
}

#endif /* ENG_ENGINE_LEB_H */
