/*
 * test_scale.c — tests of the SCALE codec (include/bastion_scale.h): the published SCALE
 * examples (compact integers, fixed-width integers, bool, Option, Vec, strings), round trips,
 * and every decode error: truncation at each prefix of valid encodings, non-canonical compacts,
 * trailing bytes, invalid bool / Option / Result / enum tags, invalid UTF-8, lengths larger than
 * the input; plus the encoder's sticky error state (allocation failure, size limit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_scale.h"
#include "../support/check.h"

#define CHECK_ERR(got, want)                                                                       \
    do {                                                                                           \
        bst_scale_err g_ = (got), w_ = (want);                                                     \
        check_count++;                                                                             \
        if (g_ != w_) {                                                                            \
            check_failures++;                                                                      \
            printf("%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, bst_scale_err_str(g_),  \
                   bst_scale_err_str(w_));                                                         \
        }                                                                                          \
    } while (0)

/* Parses hex digits (spaces ignored) into out; returns the byte count. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
    size_t n = 0;
    int half = -1;
    for (const char *p = hex; *p; p++) {
        int v;
        if (*p >= '0' && *p <= '9')
            v = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            v = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            v = *p - 'A' + 10;
        else
            continue;
        if (half < 0) {
            half = v;
        } else {
            if (n >= cap) abort();
            out[n++] = (uint8_t)(half << 4 | v);
            half = -1;
        }
    }
    if (half >= 0) abort();
    return n;
}

/* The buffer must hold exactly the bytes `hex` and no error. */
static void expect_buf(int line, const bst_scale_buf *b, const char *hex) {
    uint8_t want[256];
    size_t n = unhex(hex, want, sizeof want);
    check_count++;
    if (b->err != BST_SCALE_OK || b->len != n || (n && memcmp(b->data, want, n) != 0)) {
        check_failures++;
        printf("%s:%d: encoding mismatch (err \"%s\"): want %s, got ", __FILE__, line,
               bst_scale_err_str(b->err), hex);
        for (size_t i = 0; i < b->len; i++) printf("%02x", b->data[i]);
        printf("\n");
    }
}
#define EXPECT_BUF(b, hex) expect_buf(__LINE__, (b), (hex))

static bool u128_eq(bst_scale_u128 a, bst_scale_u128 b) { return a.lo == b.lo && a.hi == b.hi; }

/* ---- compact integers --------------------------------------------------------------------- */

/* Encodes v as a compact, checks the bytes, decodes them back (u64, u128 and, when it fits,
 * u32) and checks that every proper prefix is reported as truncated. */
static void compact_case(int line, uint64_t v, const char *hex) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_compact_u64(&b, v);
    expect_buf(line, &b, hex);

    uint8_t in[32];
    size_t n = unhex(hex, in, sizeof in);
    bst_scale_dec d;
    uint64_t got = ~v;
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_compact_u64(&d, &got), BST_SCALE_OK);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    if (got != v) printf("line %d: compact decoded %llu\n", line, (unsigned long long)got);
    CHECK(got == v);

    bst_scale_u128 g128 = {0, 1};
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_compact_u128(&d, &g128), BST_SCALE_OK);
    CHECK(g128.lo == v && g128.hi == 0);

    uint32_t g32 = 0;
    bst_scale_dec_init(&d, in, n);
    if (v <= UINT32_MAX) {
        CHECK_ERR(bst_scale_get_compact_u32(&d, &g32), BST_SCALE_OK);
        CHECK(g32 == v);
    } else {
        CHECK_ERR(bst_scale_get_compact_u32(&d, &g32), BST_SCALE_ERR_OVERFLOW);
        CHECK(d.pos == 0 && d.err_pos == 0);
    }

    for (size_t k = 0; k < n; k++) {
        bst_scale_dec_init(&d, in, k);
        CHECK_ERR(bst_scale_get_compact_u64(&d, &got), BST_SCALE_ERR_TRUNCATED);
        CHECK(d.pos == 0 && d.err_pos == 0);
    }
    bst_scale_buf_free(&b);
}
#define COMPACT(v, hex) compact_case(__LINE__, (v), (hex))

static void test_compact_examples(void) {
    /* the published examples */
    COMPACT(0, "00");
    COMPACT(1, "04");
    COMPACT(42, "a8");
    COMPACT(69, "1501");
    COMPACT(65535, "feff0300");
    COMPACT(100000000000000ull, "0b00407a10f35a");
    /* mode boundaries */
    COMPACT(63, "fc");
    COMPACT(64, "0101");
    COMPACT(16383, "fdff");
    COMPACT(16384, "02000100");
    COMPACT(1073741823, "feffffff");
    COMPACT(1073741824, "0300000040");
    COMPACT(4294967295u, "03ffffffff");
    COMPACT(4294967296ull, "070000000001");
    COMPACT(UINT64_MAX, "13ffffffffffffffff");
    COMPACT(1ull << 63, "130000000000000080");
}

static void test_compact_u128(void) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_u128 max = {UINT64_MAX, UINT64_MAX};
    bst_scale_put_compact_u128(&b, max);
    EXPECT_BUF(&b, "33 ffffffffffffffff ffffffffffffffff");
    bst_scale_buf_reset(&b);
    bst_scale_u128 two64 = {0, 1};
    bst_scale_put_compact_u128(&b, two64);
    EXPECT_BUF(&b, "17 0000000000000000 01");
    bst_scale_buf_reset(&b);
    bst_scale_u128 small = {42, 0};
    bst_scale_put_compact_u128(&b, small);
    EXPECT_BUF(&b, "a8");
    bst_scale_buf_reset(&b);
    /* 10^30 = 0xc9f2c9cd04674edea40000000 */
    bst_scale_u128 big = {0x4674edea40000000ull, 0xc9f2c9cd0ull};
    bst_scale_put_compact_u128(&b, big);
    EXPECT_BUF(&b, "27 00000040eaed7446d09c2c9f0c");

    bst_scale_dec d;
    bst_scale_u128 got;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_compact_u128(&d, &got), BST_SCALE_OK);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    CHECK(u128_eq(got, big));
    uint64_t g64;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_compact_u64(&d, &g64), BST_SCALE_ERR_OVERFLOW);
    CHECK(d.pos == 0);

    /* u128::MAX round trip, and 2^128 (17 bytes) overflows u128 */
    uint8_t in[80];
    size_t n = unhex("33 ffffffffffffffff ffffffffffffffff", in, sizeof in);
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_compact_u128(&d, &got), BST_SCALE_OK);
    CHECK(u128_eq(got, max));
    n = unhex("37 0000000000000000 0000000000000000 01", in, sizeof in);
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_compact_u128(&d, &got), BST_SCALE_ERR_OVERFLOW);
    uint8_t le[BST_SCALE_COMPACT_MAX_BYTES];
    size_t nle = 0;
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_compact_bytes(&d, le, &nle), BST_SCALE_OK);
    CHECK(nle == 17 && le[16] == 1 && le[0] == 0);

    /* the largest compact, 2^536 - 1: 67 bytes of 0xff behind 0xff */
    uint8_t ones[68];
    memset(ones, 0xff, sizeof ones);
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_compact_bytes(&b, ones, 67), BST_SCALE_OK);
    CHECK(b.len == 68 && memcmp(b.data, ones, 68) == 0);
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_compact_bytes(&d, le, &nle), BST_SCALE_OK);
    CHECK(nle == 67 && memcmp(le, ones, 67) == 0);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_compact_u128(&d, &got), BST_SCALE_ERR_OVERFLOW);
    for (size_t k = 0; k < 68; k++) {
        bst_scale_dec_init(&d, b.data, k);
        CHECK_ERR(bst_scale_get_compact_bytes(&d, le, &nle), BST_SCALE_ERR_TRUNCATED);
    }
    /* leading zero bytes are trimmed when encoding; a 68-byte value is refused (sticky) */
    uint8_t padded[70] = {5};
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_compact_bytes(&b, padded, sizeof padded), BST_SCALE_OK);
    EXPECT_BUF(&b, "14");
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_compact_bytes(&b, ones, 68), BST_SCALE_ERR_ARG);
    CHECK_ERR(bst_scale_put_u8(&b, 1), BST_SCALE_ERR_ARG);
    CHECK(b.len == 0);
    /* zero from an empty magnitude */
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_compact_bytes(&b, ones, 0), BST_SCALE_OK);
    EXPECT_BUF(&b, "00");
    bst_scale_buf_free(&b);
}

/* Round trip over powers of two and their neighbours, checking each mode's length. */
static void test_compact_sweep(void) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    for (unsigned sh = 0; sh < 128; sh++) {
        for (int delta = -1; delta <= 1; delta++) {
            bst_scale_u128 v = {0, 0};
            if (sh < 64)
                v.lo = 1ull << sh;
            else
                v.hi = 1ull << (sh - 64);
            if (delta < 0) {
                if (v.lo == 0) v.hi--;
                v.lo--;
            } else if (delta > 0) {
                v.lo++;
            }
            bst_scale_buf_reset(&b);
            bst_scale_put_compact_u128(&b, v);
            size_t want;
            if (v.hi == 0 && v.lo < (1u << 6))
                want = 1;
            else if (v.hi == 0 && v.lo < (1u << 14))
                want = 2;
            else if (v.hi == 0 && v.lo < (1u << 30))
                want = 4;
            else {
                size_t bytes = 0;
                for (size_t i = 0; i < 16; i++) {
                    uint64_t w = i < 8 ? v.lo : v.hi;
                    if ((w >> (8 * (i % 8))) & 0xff) bytes = i + 1;
                }
                want = 1 + bytes;
            }
            CHECK(b.err == BST_SCALE_OK && b.len == want);
            bst_scale_dec d;
            bst_scale_u128 got = {0, 0};
            bst_scale_dec_init(&d, b.data, b.len);
            CHECK_ERR(bst_scale_get_compact_u128(&d, &got), BST_SCALE_OK);
            CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
            CHECK(u128_eq(got, v));
        }
    }
    bst_scale_buf_free(&b);
}

static void noncanonical(int line, const char *hex) {
    uint8_t in[80];
    size_t n = unhex(hex, in, sizeof in);
    bst_scale_dec d;
    uint8_t le[BST_SCALE_COMPACT_MAX_BYTES];
    size_t nle;
    bst_scale_dec_init(&d, in, n);
    bst_scale_err e = bst_scale_get_compact_bytes(&d, le, &nle);
    check_count++;
    if (e != BST_SCALE_ERR_NONCANONICAL || d.pos != 0 || d.err_pos != 0) {
        check_failures++;
        printf("%s:%d: %s: got \"%s\", want non-canonical\n", __FILE__, line, hex,
               bst_scale_err_str(e));
    }
    uint64_t v;
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_compact_u64(&d, &v), BST_SCALE_ERR_NONCANONICAL);
    size_t len;
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_len(&d, 1, &len), BST_SCALE_ERR_NONCANONICAL);
}
#define NONCANONICAL(hex) noncanonical(__LINE__, (hex))

static void test_compact_noncanonical(void) {
    NONCANONICAL("0100");               /* 0 in two-byte mode */
    NONCANONICAL("fd00");               /* 63 in two-byte mode */
    NONCANONICAL("02000000");           /* 0 in four-byte mode */
    NONCANONICAL("feff0000");           /* 16383 in four-byte mode */
    NONCANONICAL("0300000000");         /* 0 in big-integer mode */
    NONCANONICAL("03ffffff3f");         /* 2^30 - 1 in big-integer mode */
    NONCANONICAL("0300000001");         /* 2^24 in big-integer mode */
    NONCANONICAL("07ffffffff00");       /* leading zero byte */
    NONCANONICAL("0700000000 00");      /* 0 with five bytes */
    NONCANONICAL("13ffffffffffffff00"); /* u64 with a leading zero byte */
    NONCANONICAL("33 ffffffffffffffff ffffffffffffff00");
    /* canonical neighbours of the cases above are accepted */
    uint8_t in[8];
    size_t n = unhex("03000000 40", in, sizeof in);
    bst_scale_dec d;
    uint64_t v;
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_compact_u64(&d, &v), BST_SCALE_OK);
    CHECK(v == (1ull << 30));
}

/* Canonicality means one encoding per value: whenever random bytes decode as a compact, encoding
 * the value again must give back exactly the bytes consumed.  Inputs come from a fixed xorshift
 * sequence, biased towards each mode's tag bits and short big-integer lengths. */
static void test_compact_unique(void) {
    uint64_t x = 0x9e3779b97f4a7c15ull;
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    unsigned ok = 0, mismatches = 0;
    for (unsigned iter = 0; iter < 200000; iter++) {
        uint8_t in[72];
        for (size_t i = 0; i < sizeof in; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            in[i] = (uint8_t)(x >> 24);
        }
        if (iter & 1) in[0] = (uint8_t)((in[0] & 0x1f) | 3u);  /* big mode, <= 35 bytes */
        if ((iter & 6) == 0) in[1 + (in[0] >> 2) % 8] &= 0x3f; /* small top bytes */
        size_t n = 1 + (size_t)(x % sizeof in);
        bst_scale_dec d;
        uint8_t le[BST_SCALE_COMPACT_MAX_BYTES];
        size_t nle = 0;
        bst_scale_dec_init(&d, in, n);
        if (bst_scale_get_compact_bytes(&d, le, &nle) != BST_SCALE_OK) continue;
        ok++;
        bst_scale_buf_reset(&b);
        bst_scale_put_compact_bytes(&b, le, nle);
        if (b.err != BST_SCALE_OK || b.len != d.pos || memcmp(b.data, in, d.pos) != 0) mismatches++;
    }
    CHECK(ok > 1000);
    CHECK(mismatches == 0);
    bst_scale_buf_free(&b);
}

/* ---- fixed-width integers, bool ----------------------------------------------------------- */

static void test_fixed_ints(void) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_u16(&b, 42);
    EXPECT_BUF(&b, "2a00");
    bst_scale_buf_reset(&b);
    bst_scale_put_u32(&b, 16777215);
    EXPECT_BUF(&b, "ffffff00");
    bst_scale_buf_reset(&b);
    bst_scale_put_i16(&b, -1);
    EXPECT_BUF(&b, "ffff");
    bst_scale_buf_reset(&b);
    bst_scale_put_u8(&b, 69);
    bst_scale_put_i8(&b, -128);
    bst_scale_put_i32(&b, INT32_MIN);
    bst_scale_put_i64(&b, -2);
    bst_scale_put_u64(&b, 0x0123456789abcdefull);
    bst_scale_u128 u = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
    bst_scale_put_u128(&b, u);
    bst_scale_put_i16(&b, INT16_MIN);
    bst_scale_put_i32(&b, -1);
    bst_scale_put_i64(&b, INT64_MIN);
    bst_scale_put_i64(&b, INT64_MAX);
    bst_scale_put_i8(&b, 127);
    EXPECT_BUF(&b, "45 80 00000080 feffffffffffffff efcdab8967452301"
                   "000102030405060708090a0b0c0d0e0f 0080 ffffffff 0000000000000080"
                   "ffffffffffffff7f 7f");

    bst_scale_dec d;
    bst_scale_dec_init(&d, b.data, b.len);
    uint8_t u8;
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    uint64_t u64;
    bst_scale_u128 u128;
    CHECK_ERR(bst_scale_get_u8(&d, &u8), BST_SCALE_OK);
    CHECK(u8 == 69);
    CHECK_ERR(bst_scale_get_i8(&d, &i8), BST_SCALE_OK);
    CHECK(i8 == -128);
    CHECK_ERR(bst_scale_get_i32(&d, &i32), BST_SCALE_OK);
    CHECK(i32 == INT32_MIN);
    CHECK_ERR(bst_scale_get_i64(&d, &i64), BST_SCALE_OK);
    CHECK(i64 == -2);
    CHECK_ERR(bst_scale_get_u64(&d, &u64), BST_SCALE_OK);
    CHECK(u64 == 0x0123456789abcdefull);
    CHECK_ERR(bst_scale_get_u128(&d, &u128), BST_SCALE_OK);
    CHECK(u128_eq(u128, u));
    CHECK_ERR(bst_scale_get_i16(&d, &i16), BST_SCALE_OK);
    CHECK(i16 == INT16_MIN);
    CHECK_ERR(bst_scale_get_i32(&d, &i32), BST_SCALE_OK);
    CHECK(i32 == -1);
    CHECK_ERR(bst_scale_get_i64(&d, &i64), BST_SCALE_OK);
    CHECK(i64 == INT64_MIN);
    CHECK_ERR(bst_scale_get_i64(&d, &i64), BST_SCALE_OK);
    CHECK(i64 == INT64_MAX);
    CHECK_ERR(bst_scale_get_i8(&d, &i8), BST_SCALE_OK);
    CHECK(i8 == 127);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);

    /* the published examples decode */
    uint8_t in[4];
    uint16_t u16;
    uint32_t u32;
    size_t n = unhex("2a00", in, sizeof in);
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_u16(&d, &u16), BST_SCALE_OK);
    CHECK(u16 == 42);
    n = unhex("ffffff00", in, sizeof in);
    bst_scale_dec_init(&d, in, n);
    CHECK_ERR(bst_scale_get_u32(&d, &u32), BST_SCALE_OK);
    CHECK(u32 == 16777215);
    bst_scale_dec_init(&d, in, 3);
    CHECK_ERR(bst_scale_get_u32(&d, &u32), BST_SCALE_ERR_TRUNCATED);

    /* every fixed width truncated at every prefix */
    uint8_t z[16] = {0};
    for (size_t k = 0; k < 16; k++) {
        bst_scale_dec_init(&d, z, k);
        CHECK_ERR(bst_scale_get_u128(&d, &u128), BST_SCALE_ERR_TRUNCATED);
        CHECK(d.pos == 0);
        if (k < 8) {
            bst_scale_dec_init(&d, z, k);
            CHECK_ERR(bst_scale_get_u64(&d, &u64), BST_SCALE_ERR_TRUNCATED);
            bst_scale_dec_init(&d, z, k);
            CHECK_ERR(bst_scale_get_i64(&d, &i64), BST_SCALE_ERR_TRUNCATED);
        }
        if (k < 4) {
            bst_scale_dec_init(&d, z, k);
            CHECK_ERR(bst_scale_get_i32(&d, &i32), BST_SCALE_ERR_TRUNCATED);
        }
        if (k < 2) {
            bst_scale_dec_init(&d, z, k);
            CHECK_ERR(bst_scale_get_i16(&d, &i16), BST_SCALE_ERR_TRUNCATED);
        }
    }
    bst_scale_dec_init(&d, NULL, 0);
    CHECK_ERR(bst_scale_get_u8(&d, &u8), BST_SCALE_ERR_TRUNCATED);
    bst_scale_buf_free(&b);
}

static void test_bool(void) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_bool(&b, true);
    bst_scale_put_bool(&b, false);
    EXPECT_BUF(&b, "0100");
    bst_scale_dec d;
    bool v = false;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_bool(&d, &v), BST_SCALE_OK);
    CHECK(v == true);
    CHECK_ERR(bst_scale_get_bool(&d, &v), BST_SCALE_OK);
    CHECK(v == false);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    CHECK_ERR(bst_scale_get_bool(&d, &v), BST_SCALE_ERR_TRUNCATED);
    for (unsigned x = 2; x < 256; x++) {
        uint8_t in[1] = {(uint8_t)x};
        bst_scale_dec_init(&d, in, 1);
        CHECK_ERR(bst_scale_get_bool(&d, &v), BST_SCALE_ERR_INVALID_BOOL);
        CHECK(d.pos == 0 && d.err_pos == 0);
    }
    bst_scale_buf_free(&b);
}

/* ---- Option, Result, enums ---------------------------------------------------------------- */

static void test_option_result_enum(void) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    /* Option<u32>: None, Some(42) */
    bst_scale_put_option(&b, false);
    bst_scale_put_option(&b, true);
    bst_scale_put_u32(&b, 42);
    EXPECT_BUF(&b, "00 01 2a000000");
    bst_scale_dec d;
    bool some = true;
    uint32_t u32 = 0;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_option(&d, &some), BST_SCALE_OK);
    CHECK(!some);
    CHECK_ERR(bst_scale_get_option(&d, &some), BST_SCALE_OK);
    CHECK(some);
    CHECK_ERR(bst_scale_get_u32(&d, &u32), BST_SCALE_OK);
    CHECK(u32 == 42);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    /* Some(42) truncated at each prefix */
    for (size_t k = 1; k < 6; k++) {
        bst_scale_dec_init(&d, b.data + 1, k - 1);
        bst_scale_err e = bst_scale_get_option(&d, &some);
        if (e == BST_SCALE_OK) e = bst_scale_get_u32(&d, &u32);
        CHECK_ERR(e, BST_SCALE_ERR_TRUNCATED);
    }
    uint8_t bad[1] = {2};
    bst_scale_dec_init(&d, bad, 1);
    CHECK_ERR(bst_scale_get_option(&d, &some), BST_SCALE_ERR_INVALID_OPTION);

    /* Option<bool>: None 00, Some(true) 01, Some(false) 02 */
    bst_scale_buf_reset(&b);
    bst_scale_put_option_bool(&b, BST_SCALE_OPTBOOL_NONE);
    bst_scale_put_option_bool(&b, BST_SCALE_OPTBOOL_TRUE);
    bst_scale_put_option_bool(&b, BST_SCALE_OPTBOOL_FALSE);
    EXPECT_BUF(&b, "000102");
    bst_scale_optbool ob;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_option_bool(&d, &ob), BST_SCALE_OK);
    CHECK(ob == BST_SCALE_OPTBOOL_NONE);
    CHECK_ERR(bst_scale_get_option_bool(&d, &ob), BST_SCALE_OK);
    CHECK(ob == BST_SCALE_OPTBOOL_TRUE);
    CHECK_ERR(bst_scale_get_option_bool(&d, &ob), BST_SCALE_OK);
    CHECK(ob == BST_SCALE_OPTBOOL_FALSE);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    uint8_t bad3[1] = {3};
    bst_scale_dec_init(&d, bad3, 1);
    CHECK_ERR(bst_scale_get_option_bool(&d, &ob), BST_SCALE_ERR_INVALID_OPTION);
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_option_bool(&b, (bst_scale_optbool)7), BST_SCALE_ERR_ARG);
    bst_scale_buf_reset(&b);

    /* Result<u8, bool>: Ok(42) = 00 2a, Err(false) = 01 00 */
    bst_scale_put_result(&b, false);
    bst_scale_put_u8(&b, 42);
    bst_scale_put_result(&b, true);
    bst_scale_put_bool(&b, false);
    EXPECT_BUF(&b, "002a 0100");
    bool is_err = true, bv = true;
    uint8_t u8 = 0;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_result(&d, &is_err), BST_SCALE_OK);
    CHECK(!is_err);
    CHECK_ERR(bst_scale_get_u8(&d, &u8), BST_SCALE_OK);
    CHECK(u8 == 42);
    CHECK_ERR(bst_scale_get_result(&d, &is_err), BST_SCALE_OK);
    CHECK(is_err);
    CHECK_ERR(bst_scale_get_bool(&d, &bv), BST_SCALE_OK);
    CHECK(!bv);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    bst_scale_dec_init(&d, bad, 1);
    CHECK_ERR(bst_scale_get_result(&d, &is_err), BST_SCALE_ERR_INVALID_RESULT);

    /* enum of 3 variants: index 2 with a u16 field; index 3 is invalid */
    bst_scale_buf_reset(&b);
    bst_scale_put_enum(&b, 2);
    bst_scale_put_u16(&b, 0x1234);
    EXPECT_BUF(&b, "02 3412");
    uint8_t idx = 0;
    uint16_t u16 = 0;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_enum(&d, 3, &idx), BST_SCALE_OK);
    CHECK(idx == 2);
    CHECK_ERR(bst_scale_get_u16(&d, &u16), BST_SCALE_OK);
    CHECK(u16 == 0x1234);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_enum(&d, 2, &idx), BST_SCALE_ERR_INVALID_ENUM);
    uint8_t all[1] = {255};
    bst_scale_dec_init(&d, all, 1);
    CHECK_ERR(bst_scale_get_enum(&d, 256, &idx), BST_SCALE_OK);
    CHECK(idx == 255);
    bst_scale_dec_init(&d, all, 0);
    CHECK_ERR(bst_scale_get_enum(&d, 256, &idx), BST_SCALE_ERR_TRUNCATED);
    bst_scale_buf_free(&b);
}

/* ---- Vec, bytes, strings ------------------------------------------------------------------ */

static void test_vec(void) {
    static const uint16_t items[] = {4, 8, 15, 16, 23, 42};
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_len(&b, 6);
    for (size_t i = 0; i < 6; i++) bst_scale_put_u16(&b, items[i]);
    EXPECT_BUF(&b, "18 0400 0800 0f00 1000 1700 2a00");

    bst_scale_dec d;
    size_t n = 0;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_len(&d, sizeof(uint16_t), &n), BST_SCALE_OK);
    CHECK(n == 6);
    for (size_t i = 0; i < n; i++) {
        uint16_t v = 0;
        CHECK_ERR(bst_scale_get_u16(&d, &v), BST_SCALE_OK);
        CHECK(v == items[i]);
    }
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);

    /* truncated: no prefix at all, then a declared length the remaining bytes cannot hold */
    bst_scale_dec_init(&d, b.data, 0);
    CHECK_ERR(bst_scale_get_len(&d, 2, &n), BST_SCALE_ERR_TRUNCATED);
    for (size_t k = 1; k < b.len; k++) {
        bst_scale_dec_init(&d, b.data, k);
        CHECK_ERR(bst_scale_get_len(&d, 2, &n), BST_SCALE_ERR_LENGTH);
        CHECK(d.pos == 0 && d.err_pos == 0);
    }
    /* with a minimum element size of 0 or 1, 12 bytes can hold 6 elements */
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_len(&d, 0, &n), BST_SCALE_OK);
    CHECK(n == 6);
    /* lengths far beyond the input, and beyond size_t */
    uint8_t huge[80];
    size_t hn = unhex("13ffffffffffffffff", huge, sizeof huge);
    bst_scale_dec_init(&d, huge, hn);
    CHECK_ERR(bst_scale_get_len(&d, 1, &n), BST_SCALE_ERR_LENGTH);
    memset(huge, 0xff, sizeof huge);
    bst_scale_dec_init(&d, huge, 68); /* 2^536 - 1 */
    CHECK_ERR(bst_scale_get_len(&d, 1, &n), BST_SCALE_ERR_LENGTH);
    CHECK(d.pos == 0);
    /* an element size so large that n * size would overflow */
    uint8_t two[3] = {0x08, 0, 0};
    bst_scale_dec_init(&d, two, 3);
    CHECK_ERR(bst_scale_get_len(&d, SIZE_MAX, &n), BST_SCALE_ERR_LENGTH);
    bst_scale_dec_init(&d, two, 3);
    CHECK_ERR(bst_scale_get_len(&d, 1, &n), BST_SCALE_OK);
    CHECK(n == 2);
    /* empty Vec */
    uint8_t zero[1] = {0};
    bst_scale_dec_init(&d, zero, 1);
    CHECK_ERR(bst_scale_get_len(&d, SIZE_MAX, &n), BST_SCALE_OK);
    CHECK(n == 0);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    bst_scale_buf_free(&b);
}

static void test_bytes_and_strings(void) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_str(&b, "Hello", 5);
    EXPECT_BUF(&b, "14 48656c6c6f");
    bst_scale_dec d;
    const char *s = NULL;
    size_t n = 0;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_str(&d, &s, &n), BST_SCALE_OK);
    CHECK(n == 5 && memcmp(s, "Hello", 5) == 0);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    bst_scale_dec_init(&d, b.data, 0);
    CHECK_ERR(bst_scale_get_str(&d, &s, &n), BST_SCALE_ERR_TRUNCATED);
    for (size_t k = 1; k < b.len; k++) {
        bst_scale_dec_init(&d, b.data, k);
        CHECK_ERR(bst_scale_get_str(&d, &s, &n), BST_SCALE_ERR_LENGTH);
    }

    /* multi-byte UTF-8: "é€😀" */
    static const char utf[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_str(&b, utf, 9), BST_SCALE_OK);
    EXPECT_BUF(&b, "24 c3a9 e282ac f09f9880");
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_str(&d, &s, &n), BST_SCALE_OK);
    CHECK(n == 9 && memcmp(s, utf, 9) == 0);

    /* empty string */
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_str(&b, "", 0), BST_SCALE_OK);
    EXPECT_BUF(&b, "00");
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_str(&d, &s, &n), BST_SCALE_OK);
    CHECK(n == 0);

    /* invalid UTF-8, decoder and encoder */
    static const char *const bad[] = {
        "80",               /* lone continuation */
        "c080",             /* overlong NUL */
        "c1bf",             /* overlong */
        "e08080",           /* overlong three-byte */
        "eda080",           /* surrogate U+D800 */
        "edbfbf",           /* surrogate U+DFFF */
        "f08f8080",         /* overlong four-byte */
        "f4908080",         /* U+110000 */
        "f5808080",         /* lead byte above F4 */
        "ff",       "e282", /* truncated sequence */
        "41c3",             /* truncated at the end */
        "c341",             /* bad continuation */
        "e28241",   "f09f9841",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t raw[8], enc[16];
        size_t rn = unhex(bad[i], raw, sizeof raw);
        CHECK(!bst_scale_utf8_valid(raw, rn));
        enc[0] = (uint8_t)(rn << 2);
        memcpy(enc + 1, raw, rn);
        bst_scale_dec_init(&d, enc, rn + 1);
        bst_scale_err e = bst_scale_get_str(&d, &s, &n);
        if (e != BST_SCALE_ERR_INVALID_UTF8) printf("bad utf-8 case %s\n", bad[i]);
        CHECK_ERR(e, BST_SCALE_ERR_INVALID_UTF8);
        CHECK(d.pos == 0 && d.err_pos == 0);
        /* the same bytes are fine as Vec<u8> */
        const uint8_t *bp;
        bst_scale_dec_init(&d, enc, rn + 1);
        CHECK_ERR(bst_scale_get_bytes(&d, &bp, &n), BST_SCALE_OK);
        CHECK(n == rn && memcmp(bp, raw, rn) == 0);
        bst_scale_buf_reset(&b);
        CHECK_ERR(bst_scale_put_str(&b, (const char *)raw, rn), BST_SCALE_ERR_INVALID_UTF8);
        CHECK(b.len == 0 && bst_scale_buf_error(&b) == BST_SCALE_ERR_INVALID_UTF8);
    }
    /* boundary code points that are valid */
    static const char *const good[] = {"7f",     "c280",   "dfbf",     "e0a080",  "ed9fbf",
                                       "ee8080", "efbfbf", "f0908080", "f48fbfbf"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint8_t raw[8];
        size_t rn = unhex(good[i], raw, sizeof raw);
        CHECK(bst_scale_utf8_valid(raw, rn));
    }

    /* Vec<u8> and fixed arrays */
    static const uint8_t blob[3] = {0xde, 0xad, 0xbe};
    bst_scale_buf_reset(&b);
    bst_scale_put_bytes(&b, blob, 3);
    bst_scale_put_raw(&b, blob, 2);
    EXPECT_BUF(&b, "0c deadbe dead");
    const uint8_t *p;
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_bytes(&d, &p, &n), BST_SCALE_OK);
    CHECK(n == 3 && memcmp(p, blob, 3) == 0);
    CHECK_ERR(bst_scale_get_raw(&d, 3, &p), BST_SCALE_ERR_TRUNCATED);
    CHECK(d.err_pos == 4);
    bst_scale_dec_init(&d, b.data, b.len);
    CHECK_ERR(bst_scale_get_bytes(&d, &p, &n), BST_SCALE_OK);
    CHECK_ERR(bst_scale_get_raw(&d, 2, &p), BST_SCALE_OK);
    CHECK(p[0] == 0xde && p[1] == 0xad);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    bst_scale_buf_free(&b);
}

/* ---- trailing bytes, sticky errors, tuples ------------------------------------------------ */

static void test_trailing_and_sticky(void) {
    uint8_t in[3] = {0x2a, 0x00, 0x07};
    bst_scale_dec d;
    uint16_t u16;
    uint8_t u8;
    bst_scale_dec_init(&d, in, 3);
    CHECK_ERR(bst_scale_get_u16(&d, &u16), BST_SCALE_OK);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_ERR_TRAILING);
    CHECK(d.err_pos == 2);
    /* the error is sticky: later reads fail without consuming */
    CHECK_ERR(bst_scale_get_u8(&d, &u8), BST_SCALE_ERR_TRAILING);
    CHECK(d.pos == 2);

    /* a failed read is recorded at its item; later reads and finish report it */
    uint8_t in2[2] = {0x01, 0x05};
    bool v;
    bst_scale_dec_init(&d, in2, 2);
    CHECK_ERR(bst_scale_get_bool(&d, &v), BST_SCALE_OK);
    CHECK_ERR(bst_scale_get_bool(&d, &v), BST_SCALE_ERR_INVALID_BOOL);
    CHECK(d.err_pos == 1 && d.pos == 1);
    CHECK_ERR(bst_scale_get_u8(&d, &u8), BST_SCALE_ERR_INVALID_BOOL);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_ERR_INVALID_BOOL);
    CHECK(d.pos == 1);
}

/* struct { id: u32, balance: Compact<u128>, name: String, flags: Vec<bool>, nonce: Option<u64> } */
static void test_struct_round_trip(void) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_u128 bal = {1000000000000ull, 0};
    bst_scale_put_u32(&b, 7);
    bst_scale_put_compact_u128(&b, bal);
    bst_scale_put_str(&b, "alice", 5);
    bst_scale_put_len(&b, 3);
    bst_scale_put_bool(&b, true);
    bst_scale_put_bool(&b, false);
    bst_scale_put_bool(&b, true);
    bst_scale_put_option(&b, true);
    bst_scale_put_u64(&b, 9);
    /* 10^12 = 0xe8d4a51000 -> big-integer mode, 5 bytes */
    EXPECT_BUF(&b, "07000000 07 0010a5d4e8 14 616c696365 0c 010001 01 0900000000000000");

    bst_scale_dec d;
    uint32_t id;
    bst_scale_u128 got;
    const char *s;
    size_t n, nf;
    bool f[3];
    bool some;
    uint64_t nonce;
    bst_scale_dec_init(&d, b.data, b.len);
    bst_scale_get_u32(&d, &id);
    bst_scale_get_compact_u128(&d, &got);
    bst_scale_get_str(&d, &s, &n);
    bst_scale_get_len(&d, 1, &nf);
    CHECK_ERR(d.err, BST_SCALE_OK);
    CHECK(nf == 3);
    for (size_t i = 0; i < 3 && i < nf; i++) bst_scale_get_bool(&d, &f[i]);
    bst_scale_get_option(&d, &some);
    bst_scale_get_u64(&d, &nonce);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    CHECK(id == 7 && u128_eq(got, bal) && n == 5 && memcmp(s, "alice", 5) == 0);
    CHECK(f[0] && !f[1] && f[2] && some && nonce == 9);

    /* every proper prefix fails; none is accepted */
    for (size_t k = 0; k < b.len; k++) {
        bst_scale_dec_init(&d, b.data, k);
        bst_scale_get_u32(&d, &id);
        bst_scale_get_compact_u128(&d, &got);
        bst_scale_get_str(&d, &s, &n);
        nf = 0;
        bst_scale_get_len(&d, 1, &nf);
        for (size_t i = 0; i < 3 && i < nf; i++) bst_scale_get_bool(&d, &f[i]);
        bst_scale_get_option(&d, &some);
        bst_scale_get_u64(&d, &nonce);
        bst_scale_err e = bst_scale_finish(&d);
        CHECK(e == BST_SCALE_ERR_TRUNCATED || e == BST_SCALE_ERR_LENGTH);
    }
    bst_scale_buf_free(&b);
}

/* ---- encoder error state ------------------------------------------------------------------ */

typedef struct alloc_ctl {
    int allowed; /* allocations that may still succeed */
    int calls;
} alloc_ctl;

static void *test_realloc(void *ctx, void *ptr, size_t size) {
    alloc_ctl *c = ctx;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    c->calls++;
    if (c->allowed <= 0) return NULL;
    c->allowed--;
    return realloc(ptr, size);
}

static void test_buffer_errors(void) {
    alloc_ctl ctl = {1, 0};
    bst_scale_buf b;
    bst_scale_buf_init_ex(&b, test_realloc, &ctl, 0);
    uint8_t chunk[40];
    memset(chunk, 0xab, sizeof chunk);
    CHECK_ERR(bst_scale_put_raw(&b, chunk, 40), BST_SCALE_OK); /* first allocation: 64 bytes */
    CHECK(ctl.calls == 1 && b.len == 40);
    CHECK_ERR(bst_scale_put_raw(&b, chunk, 40), BST_SCALE_ERR_NOMEM); /* growth fails */
    CHECK(b.len == 40 && bst_scale_buf_error(&b) == BST_SCALE_ERR_NOMEM);
    /* sticky: even writes that would fit do nothing */
    CHECK_ERR(bst_scale_put_u8(&b, 1), BST_SCALE_ERR_NOMEM);
    CHECK_ERR(bst_scale_put_compact_u64(&b, 1), BST_SCALE_ERR_NOMEM);
    CHECK_ERR(bst_scale_put_str(&b, "x", 1), BST_SCALE_ERR_NOMEM);
    CHECK(b.len == 40 && b.data[39] == 0xab);
    /* reset clears the error and keeps the storage */
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_u8(&b, 1), BST_SCALE_OK);
    CHECK(b.len == 1 && ctl.calls == 2);
    bst_scale_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);

    /* the size limit */
    bst_scale_buf_init_ex(&b, NULL, NULL, 5);
    CHECK_ERR(bst_scale_put_u32(&b, 1), BST_SCALE_OK);
    CHECK_ERR(bst_scale_put_u16(&b, 1), BST_SCALE_ERR_LIMIT);
    CHECK(b.len == 4 && b.cap <= 5);
    bst_scale_buf_reset(&b);
    CHECK_ERR(bst_scale_put_raw(&b, chunk, 5), BST_SCALE_OK);
    EXPECT_BUF(&b, "abababab ab");
    bst_scale_buf_free(&b);

    /* a buffer grows across many doublings */
    bst_scale_buf_init(&b);
    for (unsigned i = 0; i < 10000; i++) bst_scale_put_u32(&b, i);
    CHECK(b.err == BST_SCALE_OK && b.len == 40000);
    bst_scale_dec d;
    bst_scale_dec_init(&d, b.data, b.len);
    unsigned bad = 0;
    for (unsigned i = 0; i < 10000; i++) {
        uint32_t v;
        if (bst_scale_get_u32(&d, &v) != BST_SCALE_OK || v != i) bad++;
    }
    CHECK(bad == 0);
    CHECK_ERR(bst_scale_finish(&d), BST_SCALE_OK);
    bst_scale_buf_free(&b);

    CHECK(strcmp(bst_scale_err_str(BST_SCALE_ERR_TRUNCATED), "truncated input") == 0);
    CHECK(strcmp(bst_scale_err_str(BST_SCALE_ERR_NONCANONICAL), "non-canonical compact integer") ==
          0);
}

/* bst_scale_u128_decimal: zero, one byte, a carry across bytes, the u64 boundary and u128::MAX. */
static void test_u128_decimal(void) {
    static const struct {
        uint8_t le[16];
        const char *text;
    } cases[] = {
        {{0}, "0"},
        {{9}, "9"},
        {{0x0a}, "10"},
        {{0x00, 0x01}, "256"},
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "18446744073709551615"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 1}, "18446744073709551616"},
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
          0xff},
         "340282366920938463463374607431768211455"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[40];
        memset(out, 'x', sizeof out);
        bst_scale_u128_decimal(cases[i].le, out);
        CHECK(strcmp(out, cases[i].text) == 0);
    }
}

int main(void) {
    test_u128_decimal();
    test_compact_examples();
    test_compact_u128();
    test_compact_sweep();
    test_compact_noncanonical();
    test_compact_unique();
    test_fixed_ints();
    test_bool();
    test_option_result_enum();
    test_vec();
    test_bytes_and_strings();
    test_trailing_and_sticky();
    test_struct_round_trip();
    test_buffer_errors();
    return check_finish("scale/codec");
}
