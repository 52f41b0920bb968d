/*
 * fuzz_scale.c — libFuzzer target for the strict SCALE decoder (include/bastion_scale.h).
 *
 * Input: byte 0 = number of op bytes (mod 64), then the op bytes, then the SCALE payload.  Each
 * op byte picks a typed getter (low 5 bits) and a parameter (high 3 bits: raw length, element
 * size, enum variant count).  Checked, besides ASan/UBSan:
 *   - decode: every getter against an independent reference (widths, tags, compact modes and
 *     canonicality, UTF-8), the documented error contract (sticky error, cursor and err_pos left
 *     at the failing item, views inside the input), the compact_u32/u64/u128 shortcuts against
 *     compact_bytes, and the round trip: every value decoded is re-encoded with the matching
 *     writer, and the re-encoding equals the consumed bytes exactly (all these types are
 *     canonical under the strict decoder);
 *   - encode: the same op sequence driven by values taken from the payload is written, then
 *     decoded back to the same values with bst_scale_finish OK; and the same writes through a
 *     size-limited buffer with a failing allocator produce a prefix of the unlimited bytes and
 *     the documented sticky LIMIT / NOMEM errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_scale.h"
#include "../support/check.h"

enum {
    OP_U8,
    OP_U16,
    OP_U32,
    OP_U64,
    OP_U128,
    OP_I8,
    OP_I16,
    OP_I32,
    OP_I64,
    OP_BOOL,
    OP_RAW,
    OP_C32,
    OP_C64,
    OP_C128,
    OP_CBYTES,
    OP_LEN,
    OP_BYTES,
    OP_STR,
    OP_OPTION,
    OP_OPTBOOL,
    OP_RESULT,
    OP_ENUM,
    OP_FINISH,
    OP_COUNT
};

static const unsigned enum_variants[8] = {0, 1, 2, 3, 7, 64, 255, 256};
static const size_t elem_sizes[8] = {0, 1, 2, 3, 8, 12, 32, 1000};

/* ---- references, written independently of scale.c -------------------------------------- */

static bool ref_utf8(const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
            min = 0x10000;
        } else
            return false;
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

/* A compact at p[0..rem): the error or OK with its minimal magnitude bytes and size. */
static bst_scale_err ref_compact(const uint8_t *p, size_t rem, uint8_t *mag, size_t *nmag,
                                 size_t *used) {
    if (rem == 0) return BST_SCALE_ERR_TRUNCATED;
    uint64_t v;
    size_t sz, k;
    switch (p[0] & 3) {
    case 0:
        v = p[0] >> 2;
        sz = 1;
        break;
    case 1:
        if (rem < 2) return BST_SCALE_ERR_TRUNCATED;
        v = (p[0] | (uint64_t)p[1] << 8) >> 2;
        if (v <= 0x3F) return BST_SCALE_ERR_NONCANONICAL;
        sz = 2;
        break;
    case 2:
        if (rem < 4) return BST_SCALE_ERR_TRUNCATED;
        v = (p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24) >> 2;
        if (v <= 0x3FFF) return BST_SCALE_ERR_NONCANONICAL;
        sz = 4;
        break;
    default:
        k = (size_t)(p[0] >> 2) + 4;
        if (rem < k + 1) return BST_SCALE_ERR_TRUNCATED;
        if (p[k] == 0) return BST_SCALE_ERR_NONCANONICAL;
        if (k == 4) {
            uint64_t x = p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16 | (uint64_t)p[4] << 24;
            if (x <= 0x3FFFFFFF) return BST_SCALE_ERR_NONCANONICAL;
        }
        memcpy(mag, p + 1, k);
        *nmag = k;
        *used = k + 1;
        return BST_SCALE_OK;
    }
    *nmag = 0;
    while (v) {
        mag[(*nmag)++] = (uint8_t)v;
        v >>= 8;
    }
    *used = sz;
    return BST_SCALE_OK;
}

/* ---- decode side -------------------------------------------------------------------------- */

typedef struct {
    const uint8_t *in;
    size_t len;
    bst_scale_dec d;
    bst_scale_buf re; /* re-encoding of everything decoded */
} dec_ctx;

/* Expected result of reading a fixed-width item of `w` bytes (OK or TRUNCATED). */
static bst_scale_err want_width(const bst_scale_dec *d, size_t w) {
    return bst_scale_remaining(d) >= w ? BST_SCALE_OK : BST_SCALE_ERR_TRUNCATED;
}

static bst_scale_err want_tag(const bst_scale_dec *d, unsigned limit, bst_scale_err e) {
    if (bst_scale_remaining(d) < 1) return BST_SCALE_ERR_TRUNCATED;
    return d->p[d->pos] < limit ? BST_SCALE_OK : e;
}

static uint64_t le_at(const uint8_t *p, size_t n) {
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x |= (uint64_t)p[i] << (8 * i);
    return x;
}

/* One getter; returns false once the decoder is in its error state. */
static bool dec_op(dec_ctx *c, uint8_t op) {
    bst_scale_dec *d = &c->d;
    unsigned kind = (op & 31u) % OP_COUNT, par = op >> 5;
    size_t pos0 = d->pos, rem = bst_scale_remaining(d);
    const uint8_t *at = d->p + d->pos;
    size_t re0 = c->re.len;
    bst_scale_err want = BST_SCALE_OK, got = BST_SCALE_OK;
    REQUIRE(d->err == BST_SCALE_OK);
    switch (kind) {
    case OP_U8: {
        uint8_t v;
        want = want_width(d, 1);
        got = bst_scale_get_u8(d, &v);
        if (!got) {
            REQUIRE(v == at[0]);
            bst_scale_put_u8(&c->re, v);
        }
        break;
    }
    case OP_U16: {
        uint16_t v;
        want = want_width(d, 2);
        got = bst_scale_get_u16(d, &v);
        if (!got) {
            REQUIRE(v == le_at(at, 2));
            bst_scale_put_u16(&c->re, v);
        }
        break;
    }
    case OP_U32: {
        uint32_t v;
        want = want_width(d, 4);
        got = bst_scale_get_u32(d, &v);
        if (!got) {
            REQUIRE(v == le_at(at, 4));
            bst_scale_put_u32(&c->re, v);
        }
        break;
    }
    case OP_U64: {
        uint64_t v;
        want = want_width(d, 8);
        got = bst_scale_get_u64(d, &v);
        if (!got) {
            REQUIRE(v == le_at(at, 8));
            bst_scale_put_u64(&c->re, v);
        }
        break;
    }
    case OP_U128: {
        bst_scale_u128 v;
        want = want_width(d, 16);
        got = bst_scale_get_u128(d, &v);
        if (!got) {
            REQUIRE(v.lo == le_at(at, 8) && v.hi == le_at(at + 8, 8));
            bst_scale_put_u128(&c->re, v);
        }
        break;
    }
    case OP_I8: {
        int8_t v;
        want = want_width(d, 1);
        got = bst_scale_get_i8(d, &v);
        if (!got) {
            REQUIRE((uint8_t)v == at[0]);
            bst_scale_put_i8(&c->re, v);
        }
        break;
    }
    case OP_I16: {
        int16_t v;
        want = want_width(d, 2);
        got = bst_scale_get_i16(d, &v);
        if (!got) {
            REQUIRE((uint16_t)v == le_at(at, 2));
            bst_scale_put_i16(&c->re, v);
        }
        break;
    }
    case OP_I32: {
        int32_t v;
        want = want_width(d, 4);
        got = bst_scale_get_i32(d, &v);
        if (!got) {
            REQUIRE((uint32_t)v == le_at(at, 4));
            bst_scale_put_i32(&c->re, v);
        }
        break;
    }
    case OP_I64: {
        int64_t v;
        want = want_width(d, 8);
        got = bst_scale_get_i64(d, &v);
        if (!got) {
            REQUIRE((uint64_t)v == le_at(at, 8));
            bst_scale_put_i64(&c->re, v);
        }
        break;
    }
    case OP_BOOL: {
        bool v;
        want = want_tag(d, 2, BST_SCALE_ERR_INVALID_BOOL);
        got = bst_scale_get_bool(d, &v);
        if (!got) {
            REQUIRE(v == (at[0] == 1));
            bst_scale_put_bool(&c->re, v);
        }
        break;
    }
    case OP_RAW: {
        const uint8_t *p;
        size_t n = par * 5u;
        want = want_width(d, n);
        got = bst_scale_get_raw(d, n, &p);
        if (!got) {
            REQUIRE(p == at);
            bst_scale_put_raw(&c->re, p, n);
        }
        break;
    }
    case OP_C32:
    case OP_C64:
    case OP_C128:
    case OP_CBYTES: {
        uint8_t mag[BST_SCALE_COMPACT_MAX_BYTES];
        size_t nmag = 0, used = 0;
        want = ref_compact(at, rem, mag, &nmag, &used);
        size_t width = kind == OP_C32 ? 4 : kind == OP_C64 ? 8 : kind == OP_C128 ? 16 : 67;
        if (want == BST_SCALE_OK && nmag > width) want = BST_SCALE_ERR_OVERFLOW;
        if (kind == OP_C32) {
            uint32_t v;
            got = bst_scale_get_compact_u32(d, &v);
            if (!got) {
                REQUIRE(v == le_at(mag, nmag));
                bst_scale_put_compact_u64(&c->re, v);
            }
        } else if (kind == OP_C64) {
            uint64_t v;
            got = bst_scale_get_compact_u64(d, &v);
            if (!got) {
                REQUIRE(v == le_at(mag, nmag));
                bst_scale_put_compact_u64(&c->re, v);
            }
        } else if (kind == OP_C128) {
            bst_scale_u128 v;
            got = bst_scale_get_compact_u128(d, &v);
            if (!got) {
                REQUIRE(v.lo == le_at(mag, nmag < 8 ? nmag : 8));
                REQUIRE(v.hi == (nmag > 8 ? le_at(mag + 8, nmag - 8) : 0));
                bst_scale_put_compact_u128(&c->re, v);
            }
        } else {
            uint8_t le[BST_SCALE_COMPACT_MAX_BYTES];
            size_t n = 99;
            got = bst_scale_get_compact_bytes(d, le, &n);
            if (!got) {
                REQUIRE(n == nmag && (n == 0 || memcmp(le, mag, n) == 0));
                REQUIRE(n == 0 || le[n - 1] != 0);
                bst_scale_put_compact_bytes(&c->re, le, n);
            }
        }
        if (!got) REQUIRE(d->pos == pos0 + used);
        break;
    }
    case OP_LEN: {
        uint8_t mag[BST_SCALE_COMPACT_MAX_BYTES];
        size_t nmag = 0, used = 0, n = 0, es = elem_sizes[par];
        want = ref_compact(at, rem, mag, &nmag, &used);
        if (want == BST_SCALE_OK) {
            size_t max = (rem - used) / (es ? es : 1);
            if (nmag > 8 || le_at(mag, nmag) > max) want = BST_SCALE_ERR_LENGTH;
        }
        got = bst_scale_get_len(d, es, &n);
        if (!got) {
            REQUIRE(n == le_at(mag, nmag) && d->pos == pos0 + used);
            bst_scale_put_len(&c->re, n);
        }
        break;
    }
    case OP_BYTES:
    case OP_STR: {
        uint8_t mag[BST_SCALE_COMPACT_MAX_BYTES];
        size_t nmag = 0, used = 0, n = 0;
        want = ref_compact(at, rem, mag, &nmag, &used);
        if (want == BST_SCALE_OK && (nmag > 8 || le_at(mag, nmag) > rem - used))
            want = BST_SCALE_ERR_LENGTH;
        if (want == BST_SCALE_OK && kind == OP_STR &&
            !ref_utf8(at + used, (size_t)le_at(mag, nmag)))
            want = BST_SCALE_ERR_INVALID_UTF8;
        if (kind == OP_BYTES) {
            const uint8_t *p;
            got = bst_scale_get_bytes(d, &p, &n);
            if (!got) bst_scale_put_bytes(&c->re, p, n);
            if (!got) REQUIRE(p == at + used);
        } else {
            const char *s;
            got = bst_scale_get_str(d, &s, &n);
            if (!got) REQUIRE(bst_scale_put_str(&c->re, s, n) == BST_SCALE_OK);
            if (!got) REQUIRE((const uint8_t *)s == at + used);
        }
        if (!got) REQUIRE(n == le_at(mag, nmag) && d->pos == pos0 + used + n && d->pos <= d->len);
        break;
    }
    case OP_OPTION: {
        bool v;
        want = want_tag(d, 2, BST_SCALE_ERR_INVALID_OPTION);
        got = bst_scale_get_option(d, &v);
        if (!got) bst_scale_put_option(&c->re, v);
        break;
    }
    case OP_OPTBOOL: {
        bst_scale_optbool v;
        want = want_tag(d, 3, BST_SCALE_ERR_INVALID_OPTION);
        got = bst_scale_get_option_bool(d, &v);
        if (!got) {
            REQUIRE((unsigned)v == at[0]);
            bst_scale_put_option_bool(&c->re, v);
        }
        break;
    }
    case OP_RESULT: {
        bool v;
        want = want_tag(d, 2, BST_SCALE_ERR_INVALID_RESULT);
        got = bst_scale_get_result(d, &v);
        if (!got) bst_scale_put_result(&c->re, v);
        break;
    }
    case OP_ENUM: {
        uint8_t v;
        unsigned nv = enum_variants[par];
        want = want_tag(d, nv, BST_SCALE_ERR_INVALID_ENUM);
        got = bst_scale_get_enum(d, nv, &v);
        if (!got) {
            REQUIRE(v == at[0] && v < nv);
            bst_scale_put_enum(&c->re, v);
        }
        break;
    }
    case OP_FINISH:
        want = rem ? BST_SCALE_ERR_TRAILING : BST_SCALE_OK;
        got = bst_scale_finish(d);
        break;
    }
    if (got != want) {
        fprintf(stderr, "fuzz_scale: op %u at %zu: got %s, want %s\n", kind, pos0,
                bst_scale_err_str(got), bst_scale_err_str(want));
        abort();
    }
    REQUIRE(d->err == got && d->pos <= d->len);
    if (got == BST_SCALE_OK) {
        /* The re-encoding of the item is exactly the bytes it was decoded from. */
        REQUIRE(bst_scale_buf_error(&c->re) == BST_SCALE_OK);
        REQUIRE(c->re.len - re0 == d->pos - pos0);
        REQUIRE(d->pos == pos0 || memcmp(c->re.data + re0, at, d->pos - pos0) == 0);
        return true;
    }
    /* The cursor stays at the failing item, which err_pos names; the error is sticky. */
    REQUIRE(d->pos == pos0 && d->err_pos == pos0 && c->re.len == re0);
    uint64_t x;
    REQUIRE(bst_scale_get_u64(d, &x) == got && bst_scale_finish(d) == got && d->pos == pos0);
    return false;
}

/* ---- encode side -------------------------------------------------------------------------- */

typedef struct {
    const uint8_t *p;
    size_t n, i;
} src;

static uint8_t take(src *s) { return s->i < s->n ? s->p[s->i++] : 0; }
static uint64_t take_n(src *s, unsigned bytes) {
    uint64_t x = 0;
    for (unsigned k = 0; k < bytes; k++) x |= (uint64_t)take(s) << (8 * k);
    return x;
}
/* A view of up to `max` source bytes. */
static const uint8_t *take_span(src *s, size_t max, size_t *n) {
    size_t want = take(s) % (max + 1);
    size_t left = s->n - s->i;
    *n = want < left ? want : left;
    const uint8_t *p = s->p + s->i;
    s->i += *n;
    return p;
}

/* Writes one value drawn from the source for op; returns the expected write error. */
static bst_scale_err enc_op(bst_scale_buf *b, uint8_t op, src *s) {
    unsigned kind = (op & 31u) % OP_COUNT, par = op >> 5;
    switch (kind) {
    case OP_U8: return bst_scale_put_u8(b, (uint8_t)take_n(s, 1));
    case OP_U16: return bst_scale_put_u16(b, (uint16_t)take_n(s, 2));
    case OP_U32: return bst_scale_put_u32(b, (uint32_t)take_n(s, 4));
    case OP_U64: return bst_scale_put_u64(b, take_n(s, 8));
    case OP_U128: {
        bst_scale_u128 v;
        v.lo = take_n(s, 8);
        v.hi = take_n(s, 8);
        return bst_scale_put_u128(b, v);
    }
    case OP_I8: return bst_scale_put_i8(b, (int8_t)take_n(s, 1));
    case OP_I16: return bst_scale_put_i16(b, (int16_t)take_n(s, 2));
    case OP_I32: return bst_scale_put_i32(b, (int32_t)take_n(s, 4));
    case OP_I64: return bst_scale_put_i64(b, (int64_t)take_n(s, 8));
    case OP_BOOL: return bst_scale_put_bool(b, take(s) & 1);
    case OP_RAW: {
        uint8_t t[35];
        for (unsigned k = 0; k < par * 5u; k++) t[k] = take(s);
        return bst_scale_put_raw(b, t, par * 5u);
    }
    case OP_C32: return bst_scale_put_compact_u64(b, (uint32_t)take_n(s, 4) >> (take(s) % 32));
    case OP_C64: return bst_scale_put_compact_u64(b, take_n(s, 8) >> (take(s) % 64));
    case OP_C128: {
        bst_scale_u128 v;
        v.lo = take_n(s, 8);
        v.hi = take_n(s, 8) >> (take(s) % 64);
        return bst_scale_put_compact_u128(b, v);
    }
    case OP_CBYTES: {
        size_t n;
        const uint8_t *p = take_span(s, 70, &n);
        bst_scale_err e0 = bst_scale_buf_error(b), e = bst_scale_put_compact_bytes(b, p, n);
        size_t sig = n;
        while (sig && p[sig - 1] == 0) sig--;
        if (e0 == BST_SCALE_OK && b->max_len == SIZE_MAX)
            REQUIRE((e == BST_SCALE_ERR_ARG) == (sig > BST_SCALE_COMPACT_MAX_BYTES));
        return e;
    }
    case OP_LEN:
        return bst_scale_put_len(b, take(s)); /* the decoder checks it against
                                                            what follows: keep it small */
    case OP_BYTES: {
        size_t n;
        const uint8_t *p = take_span(s, 40, &n);
        return bst_scale_put_bytes(b, p, n);
    }
    case OP_STR: {
        size_t n;
        const uint8_t *p = take_span(s, 40, &n);
        bst_scale_err e0 = bst_scale_buf_error(b), e = bst_scale_put_str(b, (const char *)p, n);
        if (e0 == BST_SCALE_OK && b->max_len == SIZE_MAX)
            REQUIRE((e == BST_SCALE_ERR_INVALID_UTF8) == !ref_utf8(p, n));
        return e;
    }
    case OP_OPTION: return bst_scale_put_option(b, take(s) & 1);
    case OP_OPTBOOL: return bst_scale_put_option_bool(b, (bst_scale_optbool)(take(s) % 4));
    case OP_RESULT: return bst_scale_put_result(b, take(s) & 1);
    case OP_ENUM: return bst_scale_put_enum(b, take(s));
    default: return bst_scale_buf_error(b);
    }
}

/* Realloc that fails once its budget of successful calls is spent. */
typedef struct {
    unsigned left;
} alloc_budget;

static void *budget_realloc(void *ctx, void *ptr, size_t size) {
    alloc_budget *a = ctx;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    if (a->left == 0) return NULL;
    a->left--;
    return realloc(ptr, size);
}

/* Writes the ops' values; when they all succeed, decodes them back with the same ops. */
static void encode_side(const uint8_t *ops, size_t nops, const uint8_t *payload, size_t plen) {
    bst_scale_buf b, lim;
    bst_scale_buf_init(&b);
    alloc_budget budget = {plen ? payload[0] % 4u : 0};
    size_t max_len = plen > 1 ? payload[1] * 4u + 1u : 1;
    bst_scale_buf_init_ex(&lim, budget_realloc, &budget, max_len);
    src s = {payload, plen, 0};
    for (size_t i = 0; i < nops; i++) {
        size_t si = s.i;
        bst_scale_err e = enc_op(&b, ops[i], &s);
        REQUIRE(e == bst_scale_buf_error(&b));
        s.i = si; /* the same value again through the limited buffer */
        enc_op(&lim, ops[i], &s);
        if (e != BST_SCALE_OK) break;
    }
    /* The limited buffer holds a prefix of the unlimited bytes and fails only for its limit or
     * allocator (or the error the unlimited buffer also saw). */
    bst_scale_err le = bst_scale_buf_error(&lim), be = bst_scale_buf_error(&b);
    REQUIRE(lim.len <= max_len && lim.len <= b.len);
    REQUIRE(lim.len == 0 || memcmp(lim.data, b.data, lim.len) == 0);
    if (le == BST_SCALE_OK)
        REQUIRE(be == BST_SCALE_OK && lim.len == b.len);
    else
        REQUIRE(le == be || le == BST_SCALE_ERR_LIMIT || le == BST_SCALE_ERR_NOMEM);
    if (le == BST_SCALE_ERR_LIMIT) REQUIRE(b.len > max_len || be != BST_SCALE_OK);
    bst_scale_buf_free(&lim);

    if (be == BST_SCALE_OK) {
        /* Decode back: every op succeeds and reads back exactly the value written. */
        dec_ctx c = {b.data, b.len, {0}, {0}};
        bst_scale_dec_init(&c.d, b.data, b.len);
        bst_scale_buf_init(&c.re);
        for (size_t i = 0; i < nops; i++) {
            if ((ops[i] & 31u) % OP_COUNT == OP_FINISH) continue;
            if ((ops[i] & 31u) % OP_COUNT == OP_LEN) {
                /* A length is checked against what follows; read it as a plain compact. */
                uint64_t v;
                REQUIRE(bst_scale_get_compact_u64(&c.d, &v) == BST_SCALE_OK);
                bst_scale_put_compact_u64(&c.re, v);
                continue;
            }
            if (!dec_op(&c, ops[i])) {
                /* only an enum tag beyond the op's variant count, or an Option<bool> tag
                 * written as 3 (refused by the writer, so not here), may fail */
                REQUIRE((ops[i] & 31u) % OP_COUNT == OP_ENUM);
                break;
            }
        }
        if (c.d.err == BST_SCALE_OK) {
            REQUIRE(bst_scale_finish(&c.d) == BST_SCALE_OK);
            REQUIRE(c.re.len == b.len && (b.len == 0 || memcmp(c.re.data, b.data, b.len) == 0));
        }
        bst_scale_buf_free(&c.re);
    }
    bst_scale_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t nops = data[0] % 64u;
    if (nops > size - 1) nops = size - 1;
    const uint8_t *ops = data + 1, *payload = data + 1 + nops;
    size_t plen = size - 1 - nops;

    /* Decode the payload with the op sequence (a copy, so ASan sees reads past the end). */
    uint8_t *in = malloc(plen ? plen : 1);
    if (!in) return 0;
    if (plen) memcpy(in, payload, plen);
    dec_ctx c = {in, plen, {0}, {0}};
    bst_scale_dec_init(&c.d, plen ? in : NULL, plen);
    bst_scale_buf_init(&c.re);
    for (size_t i = 0; i < nops; i++)
        if (!dec_op(&c, ops[i])) break;
    /* Round trip of everything decoded so far. */
    REQUIRE(c.re.len == (c.d.err ? c.d.err_pos : c.d.pos));
    REQUIRE(c.re.len == 0 || memcmp(c.re.data, in, c.re.len) == 0);
    /* UTF-8 validation of the whole payload against the reference. */
    REQUIRE(bst_scale_utf8_valid(in, plen) == ref_utf8(in, plen));
    bst_scale_buf_free(&c.re);
    free(in);

    encode_side(ops, nops, payload, plen);
    return 0;
}
