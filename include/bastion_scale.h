/*
 * bastion_scale.h — the SCALE codec (Simple Concatenated Aggregate Little-Endian), the wire
 * format of Substrate runtimes.
 *
 * Encoding appends to a growable byte buffer (bst_scale_buf).  A write that fails (allocation
 * failure, the buffer's size limit, an invalid argument such as a non-UTF-8 string) puts the
 * buffer in a sticky error state: later writes do nothing and bst_scale_buf_error() reports the
 * first failure, so a whole value can be written and the error checked once at the end.
 *
 * Decoding is strict and works over (ptr, len) with a cursor (bst_scale_dec).  Every reader
 * returns BST_SCALE_OK or a precise error; the first error is also recorded in the cursor with
 * the offset of the item that failed, the cursor stays at that item, and every later read
 * returns the same error (so a sequence of reads can be checked once).  Nothing the decoder
 * returns is allocated: byte strings and strings are views into the input.  Rejected: truncated
 * input, bytes left over (bst_scale_finish), non-canonical compact integers (a value in a longer
 * mode than needed, a big-integer mode with a leading zero byte), bools other than 0/1, bad
 * Option / Result / enum tags, invalid UTF-8 and lengths larger than the bytes that remain.
 *
 * Types map as follows: fixed-width integers are little-endian (i* as two's complement); u128 is
 * a {lo, hi} pair; compact integers are unsigned, up to 2^536 - 1 as little-endian magnitude
 * bytes, with u32/u64/u128 shortcuts; Vec<T> is a compact length then the elements; strings are
 * a compact byte length then UTF-8; Option<T> is 0x00 or 0x01 + T, except Option<bool>
 * (0x00 None, 0x01 Some(true), 0x02 Some(false)); Result<T, E> is 0x00 + T or 0x01 + E; an enum
 * is its u8 index then the variant's fields; tuples and structs are their fields in order.
 *
 * No global state; a buffer or cursor is used by one thread at a time.
 */
#ifndef BASTION_SCALE_H
#define BASTION_SCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef enum bst_scale_err {
    BST_SCALE_OK = 0,
    BST_SCALE_ERR_TRUNCATED,      /* the input ends inside an item */
    BST_SCALE_ERR_TRAILING,       /* bst_scale_finish: bytes remain after the value */
    BST_SCALE_ERR_NONCANONICAL,   /* compact integer not in its shortest form */
    BST_SCALE_ERR_OVERFLOW,       /* compact integer too large for the requested type */
    BST_SCALE_ERR_INVALID_BOOL,   /* bool byte other than 0x00 / 0x01 */
    BST_SCALE_ERR_INVALID_OPTION, /* Option tag other than 0x00 / 0x01 (0x02 for Option<bool>) */
    BST_SCALE_ERR_INVALID_RESULT, /* Result tag other than 0x00 / 0x01 */
    BST_SCALE_ERR_INVALID_ENUM,   /* enum index not below the number of variants */
    BST_SCALE_ERR_INVALID_UTF8,   /* string bytes are not well-formed UTF-8 */
    BST_SCALE_ERR_LENGTH,         /* declared length larger than the bytes that remain */
    BST_SCALE_ERR_NOMEM,          /* encoder: allocation failed */
    BST_SCALE_ERR_LIMIT,          /* encoder: the buffer's size limit would be exceeded */
    BST_SCALE_ERR_ARG             /* invalid argument (e.g. a big compact over 67 bytes) */
} bst_scale_err;

/* A constant string naming the error, e.g. "truncated input". */
const char *bst_scale_err_str(bst_scale_err e);

/* Unsigned 128-bit value (also carries i128 as its two's-complement bit pattern). */
typedef struct bst_scale_u128 {
    uint64_t lo, hi;
} bst_scale_u128;

/* The largest compact integer is 2^536 - 1: 67 magnitude bytes. */
#define BST_SCALE_COMPACT_MAX_BYTES 67

/* Option<bool>. */
typedef enum bst_scale_optbool {
    BST_SCALE_OPTBOOL_NONE = 0,
    BST_SCALE_OPTBOOL_TRUE = 1,
    BST_SCALE_OPTBOOL_FALSE = 2
} bst_scale_optbool;

/* ---- encoder ------------------------------------------------------------------------------ */

/* Allocator: realloc semantics; size 0 frees `ptr` and returns NULL. */
typedef void *(*bst_scale_realloc_fn)(void *ctx, void *ptr, size_t size);

typedef struct bst_scale_buf {
    uint8_t *data; /* the encoded bytes (owned by the buffer); NULL while empty */
    size_t len, cap;
    size_t max_len;    /* the buffer never grows beyond this many bytes */
    bst_scale_err err; /* sticky: BST_SCALE_OK or the first failure */
    bst_scale_realloc_fn realloc_fn;
    void *alloc_ctx;
} bst_scale_buf;

/* An empty buffer using malloc/realloc/free and no size limit (SIZE_MAX). */
void bst_scale_buf_init(bst_scale_buf *b);
/* An empty buffer with an allocator (NULL = the default) and a size limit (0 = none). */
void bst_scale_buf_init_ex(bst_scale_buf *b, bst_scale_realloc_fn fn, void *ctx, size_t max_len);
/* Frees the bytes; the buffer is empty (and error-free) again and can be reused. */
void bst_scale_buf_free(bst_scale_buf *b);
/* Empties the buffer and clears its error, keeping its storage. */
void bst_scale_buf_reset(bst_scale_buf *b);
/* BST_SCALE_OK, or the first write failure. */
bst_scale_err bst_scale_buf_error(const bst_scale_buf *b);

/* Every writer returns the buffer's error state after the write (BST_SCALE_OK on success). */
bst_scale_err bst_scale_put_raw(bst_scale_buf *b, const void *p, size_t n); /* no length prefix */
bst_scale_err bst_scale_put_u8(bst_scale_buf *b, uint8_t v);
bst_scale_err bst_scale_put_u16(bst_scale_buf *b, uint16_t v);
bst_scale_err bst_scale_put_u32(bst_scale_buf *b, uint32_t v);
bst_scale_err bst_scale_put_u64(bst_scale_buf *b, uint64_t v);
bst_scale_err bst_scale_put_u128(bst_scale_buf *b, bst_scale_u128 v);
bst_scale_err bst_scale_put_i8(bst_scale_buf *b, int8_t v);
bst_scale_err bst_scale_put_i16(bst_scale_buf *b, int16_t v);
bst_scale_err bst_scale_put_i32(bst_scale_buf *b, int32_t v);
bst_scale_err bst_scale_put_i64(bst_scale_buf *b, int64_t v);
bst_scale_err bst_scale_put_bool(bst_scale_buf *b, bool v);

/* Compact integers, always in the shortest mode. */
bst_scale_err bst_scale_put_compact_u64(bst_scale_buf *b, uint64_t v);
bst_scale_err bst_scale_put_compact_u128(bst_scale_buf *b, bst_scale_u128 v);
/* An arbitrary compact from little-endian magnitude bytes (leading zeros allowed); a value that
 * needs more than BST_SCALE_COMPACT_MAX_BYTES bytes is BST_SCALE_ERR_ARG. */
bst_scale_err bst_scale_put_compact_bytes(bst_scale_buf *b, const uint8_t *le, size_t n);

/* A Vec/collection length prefix (compact). */
bst_scale_err bst_scale_put_len(bst_scale_buf *b, size_t n);
/* Vec<u8>: compact length + the bytes. */
bst_scale_err bst_scale_put_bytes(bst_scale_buf *b, const void *p, size_t n);
/* String: compact length + the bytes, which must be valid UTF-8 (else BST_SCALE_ERR_INVALID_UTF8,
 * which also becomes the buffer's error). */
bst_scale_err bst_scale_put_str(bst_scale_buf *b, const char *s, size_t n);
/* Option<T> tag: 0x00 (None) or 0x01 (Some: the caller writes T next). */
bst_scale_err bst_scale_put_option(bst_scale_buf *b, bool some);
bst_scale_err bst_scale_put_option_bool(bst_scale_buf *b, bst_scale_optbool v);
/* Result<T, E> tag: 0x00 (Ok) or 0x01 (Err); the caller writes T or E next. */
bst_scale_err bst_scale_put_result(bst_scale_buf *b, bool is_err);
/* Enum variant index (the caller writes the variant's fields next). */
bst_scale_err bst_scale_put_enum(bst_scale_buf *b, uint8_t index);

/* ---- decoder ------------------------------------------------------------------------------ */

typedef struct bst_scale_dec {
    const uint8_t *p;
    size_t len;
    size_t pos;        /* bytes consumed */
    bst_scale_err err; /* sticky: BST_SCALE_OK or the first failure */
    size_t err_pos;    /* offset of the item that failed */
} bst_scale_dec;

void bst_scale_dec_init(bst_scale_dec *d, const void *p, size_t len);
static inline size_t bst_scale_remaining(const bst_scale_dec *d) { return d->len - d->pos; }
/* BST_SCALE_OK when every byte was consumed and no read failed; else the first read error, or
 * BST_SCALE_ERR_TRAILING (recorded like any other error) when bytes remain. */
bst_scale_err bst_scale_finish(bst_scale_dec *d);

bst_scale_err bst_scale_get_u8(bst_scale_dec *d, uint8_t *v);
bst_scale_err bst_scale_get_u16(bst_scale_dec *d, uint16_t *v);
bst_scale_err bst_scale_get_u32(bst_scale_dec *d, uint32_t *v);
bst_scale_err bst_scale_get_u64(bst_scale_dec *d, uint64_t *v);
bst_scale_err bst_scale_get_u128(bst_scale_dec *d, bst_scale_u128 *v);
bst_scale_err bst_scale_get_i8(bst_scale_dec *d, int8_t *v);
bst_scale_err bst_scale_get_i16(bst_scale_dec *d, int16_t *v);
bst_scale_err bst_scale_get_i32(bst_scale_dec *d, int32_t *v);
bst_scale_err bst_scale_get_i64(bst_scale_dec *d, int64_t *v);
bst_scale_err bst_scale_get_bool(bst_scale_dec *d, bool *v);
/* `n` raw bytes (a fixed-size array such as [u8; 32]), as a view into the input. */
bst_scale_err bst_scale_get_raw(bst_scale_dec *d, size_t n, const uint8_t **p);

/* Compact integers.  A canonical value too large for the type is BST_SCALE_ERR_OVERFLOW. */
bst_scale_err bst_scale_get_compact_u32(bst_scale_dec *d, uint32_t *v);
bst_scale_err bst_scale_get_compact_u64(bst_scale_dec *d, uint64_t *v);
bst_scale_err bst_scale_get_compact_u128(bst_scale_dec *d, bst_scale_u128 *v);
/* Any compact: its little-endian magnitude in `le` (no leading zero bytes; *n == 0 for 0). */
bst_scale_err bst_scale_get_compact_bytes(bst_scale_dec *d, uint8_t le[BST_SCALE_COMPACT_MAX_BYTES],
                                          size_t *n);

/* A collection length whose elements take at least `elem_min_size` bytes each (0 is taken as
 * 1): fails with BST_SCALE_ERR_LENGTH, before the caller allocates anything, when
 * n * elem_min_size exceeds the bytes that remain. */
bst_scale_err bst_scale_get_len(bst_scale_dec *d, size_t elem_min_size, size_t *n);
/* Vec<u8>: a view of the bytes. */
bst_scale_err bst_scale_get_bytes(bst_scale_dec *d, const uint8_t **p, size_t *n);
/* String: a view of validated UTF-8 bytes (not NUL-terminated). */
bst_scale_err bst_scale_get_str(bst_scale_dec *d, const char **s, size_t *n);
/* Option<T> tag: *some = false for 0x00, true for 0x01 (the caller then reads T). */
bst_scale_err bst_scale_get_option(bst_scale_dec *d, bool *some);
bst_scale_err bst_scale_get_option_bool(bst_scale_dec *d, bst_scale_optbool *v);
/* Result<T, E> tag: *is_err = false for 0x00 (Ok), true for 0x01 (Err). */
bst_scale_err bst_scale_get_result(bst_scale_dec *d, bool *is_err);
/* Enum index, which must be below `n_variants`. */
bst_scale_err bst_scale_get_enum(bst_scale_dec *d, unsigned n_variants, uint8_t *index);

/* True when p[0..n) is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF). */
bool bst_scale_utf8_valid(const uint8_t *p, size_t n);

/* The decimal text of a little-endian u128 (16 bytes; a Balance), NUL-terminated: at most 39
 * digits.  For reporting amounts where JSON numbers (doubles) would round them. */
void bst_scale_u128_decimal(const uint8_t le[16], char out[40]);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* BASTION_SCALE_H */
