/*
 * scale.c — the SCALE codec layer (include/bastion_scale.h).  It owns: the growable encode
 * buffer and its sticky error state (allocation failure, size limit), the little-endian
 * fixed-width writers and readers, compact integers in all four modes (single-byte, two-byte,
 * four-byte and big-integer up to 2^536 - 1) with strict canonicality checks, the length-prefix
 * check done before any caller allocation, UTF-8 validation of strings, and the Option /
 * Option<bool> / Result / enum tags.  It depends on nothing but the C library and has no global
 * state.
 */
#include "bastion_scale.h"

#include <stdlib.h>
#include <string.h>

const char *bst_scale_err_str(bst_scale_err e) {
    switch (e) {
    case BST_SCALE_OK: return "ok";
    case BST_SCALE_ERR_TRUNCATED: return "truncated input";
    case BST_SCALE_ERR_TRAILING: return "trailing bytes";
    case BST_SCALE_ERR_NONCANONICAL: return "non-canonical compact integer";
    case BST_SCALE_ERR_OVERFLOW: return "compact integer out of range";
    case BST_SCALE_ERR_INVALID_BOOL: return "invalid bool";
    case BST_SCALE_ERR_INVALID_OPTION: return "invalid option tag";
    case BST_SCALE_ERR_INVALID_RESULT: return "invalid result tag";
    case BST_SCALE_ERR_INVALID_ENUM: return "invalid enum index";
    case BST_SCALE_ERR_INVALID_UTF8: return "invalid UTF-8";
    case BST_SCALE_ERR_LENGTH: return "length too large";
    case BST_SCALE_ERR_NOMEM: return "out of memory";
    case BST_SCALE_ERR_LIMIT: return "buffer size limit exceeded";
    case BST_SCALE_ERR_ARG: return "invalid argument";
    }
    return "unknown error";
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

bool bst_scale_utf8_valid(const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates U+D800..U+DFFF */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return false; /* continuation byte, C0/C1 overlong lead, or F5..FF */
        }
        if (n - i - 1 < need) return false;
        if (p[i + 1] < lo || p[i + 1] > hi) return false;
        for (size_t k = 2; k <= need; k++)
            if ((p[i + k] & 0xC0) != 0x80) return false;
        i += need + 1;
    }
    return true;
}

/* ---- encoder ------------------------------------------------------------------------------ */

static void *default_realloc(void *ctx, void *ptr, size_t size) {
    (void)ctx;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, size);
}

void bst_scale_buf_init_ex(bst_scale_buf *b, bst_scale_realloc_fn fn, void *ctx, size_t max_len) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max_len = max_len ? max_len : SIZE_MAX;
    b->err = BST_SCALE_OK;
    b->realloc_fn = fn ? fn : default_realloc;
    b->alloc_ctx = fn ? ctx : NULL;
}

void bst_scale_buf_init(bst_scale_buf *b) { bst_scale_buf_init_ex(b, NULL, NULL, 0); }

void bst_scale_buf_free(bst_scale_buf *b) {
    if (b->data) b->realloc_fn(b->alloc_ctx, b->data, 0);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->err = BST_SCALE_OK;
}

void bst_scale_buf_reset(bst_scale_buf *b) {
    b->len = 0;
    b->err = BST_SCALE_OK;
}

bst_scale_err bst_scale_buf_error(const bst_scale_buf *b) { return b->err; }

static bst_scale_err buf_fail(bst_scale_buf *b, bst_scale_err e) {
    if (b->err == BST_SCALE_OK) b->err = e;
    return b->err;
}

/* Makes room for n more bytes. */
static bst_scale_err reserve(bst_scale_buf *b, size_t n) {
    if (b->err != BST_SCALE_OK) return b->err;
    if (n > b->max_len - b->len) return buf_fail(b, BST_SCALE_ERR_LIMIT);
    size_t need = b->len + n;
    if (need <= b->cap) return BST_SCALE_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > b->max_len / 2) {
            cap = b->max_len;
            break;
        }
        cap *= 2;
    }
    if (cap > b->max_len) cap = b->max_len;
    uint8_t *p = b->realloc_fn(b->alloc_ctx, b->data, cap);
    if (!p) return buf_fail(b, BST_SCALE_ERR_NOMEM);
    b->data = p;
    b->cap = cap;
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_put_raw(bst_scale_buf *b, const void *p, size_t n) {
    if (reserve(b, n) != BST_SCALE_OK) return b->err;
    if (n) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    }
    return BST_SCALE_OK;
}

/* Writes the low `n` bytes of v, little-endian. */
static bst_scale_err put_le(bst_scale_buf *b, uint64_t v, size_t n) {
    uint8_t t[8];
    for (size_t i = 0; i < n; i++) t[i] = (uint8_t)(v >> (8 * i));
    return bst_scale_put_raw(b, t, n);
}

bst_scale_err bst_scale_put_u8(bst_scale_buf *b, uint8_t v) { return put_le(b, v, 1); }
bst_scale_err bst_scale_put_u16(bst_scale_buf *b, uint16_t v) { return put_le(b, v, 2); }
bst_scale_err bst_scale_put_u32(bst_scale_buf *b, uint32_t v) { return put_le(b, v, 4); }
bst_scale_err bst_scale_put_u64(bst_scale_buf *b, uint64_t v) { return put_le(b, v, 8); }
bst_scale_err bst_scale_put_i8(bst_scale_buf *b, int8_t v) { return put_le(b, (uint8_t)v, 1); }
bst_scale_err bst_scale_put_i16(bst_scale_buf *b, int16_t v) { return put_le(b, (uint16_t)v, 2); }
bst_scale_err bst_scale_put_i32(bst_scale_buf *b, int32_t v) { return put_le(b, (uint32_t)v, 4); }
bst_scale_err bst_scale_put_i64(bst_scale_buf *b, int64_t v) { return put_le(b, (uint64_t)v, 8); }
bst_scale_err bst_scale_put_bool(bst_scale_buf *b, bool v) { return put_le(b, v ? 1u : 0u, 1); }

bst_scale_err bst_scale_put_u128(bst_scale_buf *b, bst_scale_u128 v) {
    put_le(b, v.lo, 8);
    return put_le(b, v.hi, 8);
}

bst_scale_err bst_scale_put_compact_bytes(bst_scale_buf *b, const uint8_t *le, size_t n) {
    if (b->err != BST_SCALE_OK) return b->err;
    while (n > 0 && le[n - 1] == 0) n--;
    if (n > BST_SCALE_COMPACT_MAX_BYTES) return buf_fail(b, BST_SCALE_ERR_ARG);
    if (n <= 4) {
        uint32_t v = 0;
        for (size_t i = 0; i < n; i++) v |= (uint32_t)le[i] << (8 * i);
        if (v < (1u << 6)) return put_le(b, v << 2, 1);
        if (v < (1u << 14)) return put_le(b, (v << 2) | 1u, 2);
        if (v < (1u << 30)) return put_le(b, (v << 2) | 2u, 4);
        /* 2^30 .. 2^32-1: big-integer mode with 4 bytes */
    }
    put_le(b, (uint64_t)(((n - 4) << 2) | 3u), 1);
    return bst_scale_put_raw(b, le, n);
}

bst_scale_err bst_scale_put_compact_u64(bst_scale_buf *b, uint64_t v) {
    uint8_t le[8];
    for (size_t i = 0; i < 8; i++) le[i] = (uint8_t)(v >> (8 * i));
    return bst_scale_put_compact_bytes(b, le, 8);
}

bst_scale_err bst_scale_put_compact_u128(bst_scale_buf *b, bst_scale_u128 v) {
    uint8_t le[16];
    for (size_t i = 0; i < 8; i++) {
        le[i] = (uint8_t)(v.lo >> (8 * i));
        le[8 + i] = (uint8_t)(v.hi >> (8 * i));
    }
    return bst_scale_put_compact_bytes(b, le, 16);
}

bst_scale_err bst_scale_put_len(bst_scale_buf *b, size_t n) {
    return bst_scale_put_compact_u64(b, (uint64_t)n);
}

bst_scale_err bst_scale_put_bytes(bst_scale_buf *b, const void *p, size_t n) {
    bst_scale_put_len(b, n);
    return bst_scale_put_raw(b, p, n);
}

bst_scale_err bst_scale_put_str(bst_scale_buf *b, const char *s, size_t n) {
    if (b->err != BST_SCALE_OK) return b->err;
    if (n && !bst_scale_utf8_valid((const uint8_t *)s, n))
        return buf_fail(b, BST_SCALE_ERR_INVALID_UTF8);
    return bst_scale_put_bytes(b, s, n);
}

bst_scale_err bst_scale_put_option(bst_scale_buf *b, bool some) { return put_le(b, some, 1); }
bst_scale_err bst_scale_put_result(bst_scale_buf *b, bool is_err) { return put_le(b, is_err, 1); }
bst_scale_err bst_scale_put_enum(bst_scale_buf *b, uint8_t index) { return put_le(b, index, 1); }

bst_scale_err bst_scale_put_option_bool(bst_scale_buf *b, bst_scale_optbool v) {
    if (v != BST_SCALE_OPTBOOL_NONE && v != BST_SCALE_OPTBOOL_TRUE && v != BST_SCALE_OPTBOOL_FALSE)
        return buf_fail(b, BST_SCALE_ERR_ARG);
    return put_le(b, (uint64_t)v, 1);
}

/* ---- decoder ------------------------------------------------------------------------------ */

/* Stands in for a NULL input so that pointer arithmetic on an empty input stays defined. */
static const uint8_t empty_input[1];

void bst_scale_dec_init(bst_scale_dec *d, const void *p, size_t len) {
    d->p = p ? (const uint8_t *)p : empty_input;
    d->len = p ? len : 0;
    d->pos = 0;
    d->err = BST_SCALE_OK;
    d->err_pos = 0;
}

/* Records the first error at the current position (the start of the failing item). */
static bst_scale_err dec_fail(bst_scale_dec *d, bst_scale_err e) {
    if (d->err == BST_SCALE_OK) {
        d->err = e;
        d->err_pos = d->pos;
    }
    return d->err;
}

bst_scale_err bst_scale_finish(bst_scale_dec *d) {
    if (d->err != BST_SCALE_OK) return d->err;
    if (d->pos != d->len) return dec_fail(d, BST_SCALE_ERR_TRAILING);
    return BST_SCALE_OK;
}

/* Reads n (<= 8) bytes little-endian. */
static bst_scale_err get_le(bst_scale_dec *d, size_t n, uint64_t *v) {
    if (d->err != BST_SCALE_OK) return d->err;
    if (bst_scale_remaining(d) < n) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x |= (uint64_t)d->p[d->pos + i] << (8 * i);
    d->pos += n;
    *v = x;
    return BST_SCALE_OK;
}

/* Reads an n-byte (1, 2, 4 or 8) little-endian integer into the n-byte integer at out, left
 * as it was on failure.  out is an unsigned integer or the signed one of the same width: the
 * exact-width signed types are two's complement without padding (C11 7.20.1.1) and may be
 * written through their unsigned type (6.5p7), so the bits stored are the signed value. */
static bst_scale_err get_fixed(bst_scale_dec *d, size_t n, void *out) {
    uint64_t x = 0;
    if (get_le(d, n, &x) != BST_SCALE_OK) return d->err;
    switch (n) {
    case 1: *(uint8_t *)out = (uint8_t)x; break;
    case 2: *(uint16_t *)out = (uint16_t)x; break;
    case 4: *(uint32_t *)out = (uint32_t)x; break;
    default: *(uint64_t *)out = x; break;
    }
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_u8(bst_scale_dec *d, uint8_t *v) { return get_fixed(d, 1, v); }
bst_scale_err bst_scale_get_u16(bst_scale_dec *d, uint16_t *v) { return get_fixed(d, 2, v); }
bst_scale_err bst_scale_get_u32(bst_scale_dec *d, uint32_t *v) { return get_fixed(d, 4, v); }
bst_scale_err bst_scale_get_u64(bst_scale_dec *d, uint64_t *v) { return get_fixed(d, 8, v); }
bst_scale_err bst_scale_get_i8(bst_scale_dec *d, int8_t *v) { return get_fixed(d, 1, v); }
bst_scale_err bst_scale_get_i16(bst_scale_dec *d, int16_t *v) { return get_fixed(d, 2, v); }
bst_scale_err bst_scale_get_i32(bst_scale_dec *d, int32_t *v) { return get_fixed(d, 4, v); }
bst_scale_err bst_scale_get_i64(bst_scale_dec *d, int64_t *v) { return get_fixed(d, 8, v); }

bst_scale_err bst_scale_get_u128(bst_scale_dec *d, bst_scale_u128 *v) {
    if (d->err != BST_SCALE_OK) return d->err;
    if (bst_scale_remaining(d) < 16) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
    get_le(d, 8, &v->lo);
    return get_le(d, 8, &v->hi);
}

/* Reads one tag byte that must be below `limit`; otherwise fails with `e` at the tag. */
static bst_scale_err get_tag(bst_scale_dec *d, unsigned limit, bst_scale_err e, uint8_t *tag) {
    if (d->err != BST_SCALE_OK) return d->err;
    if (bst_scale_remaining(d) < 1) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
    uint8_t t = d->p[d->pos];
    if (t >= limit) return dec_fail(d, e);
    d->pos++;
    *tag = t;
    return BST_SCALE_OK;
}

/* A tag byte 0 or 1 (false, true); anything else fails with `e`. */
static bst_scale_err get_flag(bst_scale_dec *d, bst_scale_err e, bool *v) {
    uint8_t t = 0;
    if (get_tag(d, 2, e, &t) != BST_SCALE_OK) return d->err;
    *v = t == 1;
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_bool(bst_scale_dec *d, bool *v) {
    return get_flag(d, BST_SCALE_ERR_INVALID_BOOL, v);
}

bst_scale_err bst_scale_get_option(bst_scale_dec *d, bool *some) {
    return get_flag(d, BST_SCALE_ERR_INVALID_OPTION, some);
}

bst_scale_err bst_scale_get_result(bst_scale_dec *d, bool *is_err) {
    return get_flag(d, BST_SCALE_ERR_INVALID_RESULT, is_err);
}

bst_scale_err bst_scale_get_option_bool(bst_scale_dec *d, bst_scale_optbool *v) {
    uint8_t t = 0;
    if (get_tag(d, 3, BST_SCALE_ERR_INVALID_OPTION, &t) != BST_SCALE_OK) return d->err;
    *v = t == 0   ? BST_SCALE_OPTBOOL_NONE
         : t == 1 ? BST_SCALE_OPTBOOL_TRUE
                  : BST_SCALE_OPTBOOL_FALSE;
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_enum(bst_scale_dec *d, unsigned n_variants, uint8_t *index) {
    return get_tag(d, n_variants, BST_SCALE_ERR_INVALID_ENUM, index);
}

bst_scale_err bst_scale_get_raw(bst_scale_dec *d, size_t n, const uint8_t **p) {
    if (d->err != BST_SCALE_OK) return d->err;
    if (bst_scale_remaining(d) < n) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
    *p = d->p + d->pos;
    d->pos += n;
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_compact_bytes(bst_scale_dec *d, uint8_t le[BST_SCALE_COMPACT_MAX_BYTES],
                                          size_t *n) {
    if (d->err != BST_SCALE_OK) return d->err;
    size_t rem = bst_scale_remaining(d);
    const uint8_t *p = d->p + d->pos;
    if (rem < 1) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
    uint32_t v;
    size_t used;
    switch (p[0] & 3u) {
    case 0:
        v = (uint32_t)p[0] >> 2;
        used = 1;
        break;
    case 1:
        if (rem < 2) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
        v = ((uint32_t)p[0] | (uint32_t)p[1] << 8) >> 2;
        if (v < (1u << 6)) return dec_fail(d, BST_SCALE_ERR_NONCANONICAL);
        used = 2;
        break;
    case 2:
        if (rem < 4) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
        v = ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24) >>
            2;
        if (v < (1u << 14)) return dec_fail(d, BST_SCALE_ERR_NONCANONICAL);
        used = 4;
        break;
    default: {
        size_t k = ((size_t)p[0] >> 2) + 4; /* 4 .. 67 */
        if (rem - 1 < k) return dec_fail(d, BST_SCALE_ERR_TRUNCATED);
        if (p[k] == 0) return dec_fail(d, BST_SCALE_ERR_NONCANONICAL); /* leading zero byte */
        if (k == 4 && p[4] < 0x40) return dec_fail(d, BST_SCALE_ERR_NONCANONICAL); /* < 2^30 */
        memcpy(le, p + 1, k);
        *n = k;
        d->pos += 1 + k;
        return BST_SCALE_OK;
    }
    }
    size_t k = 0;
    while (v) {
        le[k++] = (uint8_t)v;
        v >>= 8;
    }
    *n = k;
    d->pos += used;
    return BST_SCALE_OK;
}

/* A compact that must fit in `width` bytes; on overflow the cursor returns to its start. */
static bst_scale_err get_compact_le(bst_scale_dec *d, size_t width, uint8_t out[16]) {
    uint8_t le[BST_SCALE_COMPACT_MAX_BYTES];
    size_t n = 0, start = d->pos;
    if (bst_scale_get_compact_bytes(d, le, &n) != BST_SCALE_OK) return d->err;
    if (n > width) {
        d->pos = start;
        return dec_fail(d, BST_SCALE_ERR_OVERFLOW);
    }
    memset(out, 0, 16);
    memcpy(out, le, n);
    return BST_SCALE_OK;
}

static uint64_t load_le64(const uint8_t *p) {
    uint64_t x = 0;
    for (size_t i = 0; i < 8; i++) x |= (uint64_t)p[i] << (8 * i);
    return x;
}

bst_scale_err bst_scale_get_compact_u32(bst_scale_dec *d, uint32_t *v) {
    uint8_t t[16];
    if (get_compact_le(d, 4, t) != BST_SCALE_OK) return d->err;
    *v = (uint32_t)load_le64(t);
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_compact_u64(bst_scale_dec *d, uint64_t *v) {
    uint8_t t[16];
    if (get_compact_le(d, 8, t) != BST_SCALE_OK) return d->err;
    *v = load_le64(t);
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_compact_u128(bst_scale_dec *d, bst_scale_u128 *v) {
    uint8_t t[16];
    if (get_compact_le(d, 16, t) != BST_SCALE_OK) return d->err;
    v->lo = load_le64(t);
    v->hi = load_le64(t + 8);
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_len(bst_scale_dec *d, size_t elem_min_size, size_t *n) {
    if (d->err != BST_SCALE_OK) return d->err;
    size_t start = d->pos;
    uint8_t le[BST_SCALE_COMPACT_MAX_BYTES];
    size_t nb = 0;
    if (bst_scale_get_compact_bytes(d, le, &nb) != BST_SCALE_OK) return d->err;
    if (elem_min_size == 0) elem_min_size = 1;
    size_t max = bst_scale_remaining(d) / elem_min_size;
    /* The length, if it fits in a size_t at all, must not exceed max. */
    bool too_big = nb > sizeof(size_t);
    size_t len = 0;
    if (!too_big) {
        for (size_t i = nb; i-- > 0;) len = (len << 8) | le[i];
        too_big = len > max;
    }
    if (too_big) {
        d->pos = start;
        return dec_fail(d, BST_SCALE_ERR_LENGTH);
    }
    *n = len;
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_bytes(bst_scale_dec *d, const uint8_t **p, size_t *n) {
    size_t len = 0;
    if (bst_scale_get_len(d, 1, &len) != BST_SCALE_OK) return d->err;
    *p = d->p + d->pos;
    *n = len;
    d->pos += len;
    return BST_SCALE_OK;
}

bst_scale_err bst_scale_get_str(bst_scale_dec *d, const char **s, size_t *n) {
    size_t start = d->pos;
    const uint8_t *p = NULL;
    size_t len = 0;
    if (bst_scale_get_bytes(d, &p, &len) != BST_SCALE_OK) return d->err;
    if (!bst_scale_utf8_valid(p, len)) {
        d->pos = start;
        return dec_fail(d, BST_SCALE_ERR_INVALID_UTF8);
    }
    *s = (const char *)p;
    *n = len;
    return BST_SCALE_OK;
}

void bst_scale_u128_decimal(const uint8_t le[16], char out[40]) {
    uint8_t v[16];
    memcpy(v, le, 16);
    char buf[40];
    int n = 0;
    bool zero;
    do { /* divide by 10, most significant byte first; the remainder is the next digit */
        unsigned rem = 0;
        zero = true;
        for (int i = 15; i >= 0; i--) {
            unsigned cur = rem << 8 | v[i];
            v[i] = (uint8_t)(cur / 10);
            rem = cur % 10;
            if (v[i]) zero = false;
        }
        buf[n++] = (char)('0' + rem);
    } while (!zero);
    for (int i = 0; i < n; i++) out[i] = buf[n - 1 - i];
    out[n] = 0;
}
