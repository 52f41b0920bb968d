/*
 * u128.c — unsigned 128-bit arithmetic on balances, which pallet-contracts keeps as u128 and
 * this host stores as 16 little-endian bytes.  Pure functions: no state, no allocation.
 */
#include "contracts_impl.h"

ctr_u128 ctr_u128_load(const uint8_t b[16]) {
    ctr_u128 v = {0, 0};
    for (int i = 7; i >= 0; i--) {
        v.lo = (v.lo << 8) | b[i];
        v.hi = (v.hi << 8) | b[8 + i];
    }
    return v;
}

void ctr_u128_store(ctr_u128 v, uint8_t b[16]) {
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(v.lo >> (8 * i));
        b[8 + i] = (uint8_t)(v.hi >> (8 * i));
    }
}

int ctr_u128_cmp(ctr_u128 a, ctr_u128 b) {
    if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
    return 0;
}

ctr_u128 ctr_u128_sub(ctr_u128 a, ctr_u128 b) {
    ctr_u128 r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo ? 1u : 0u);
    return r;
}

ctr_u128 ctr_u128_add_sat(ctr_u128 a, ctr_u128 b) {
    ctr_u128 r;
    r.lo = a.lo + b.lo;
    uint64_t carry = r.lo < a.lo ? 1u : 0u;
    uint64_t hi = a.hi + b.hi;
    bool over = hi < a.hi;
    r.hi = hi + carry;
    if (r.hi < hi) over = true;
    if (over) r.lo = r.hi = UINT64_MAX;
    return r;
}

bool ctr_u128_add(ctr_u128 a, ctr_u128 b, ctr_u128 *out) {
    ctr_u128 r = ctr_u128_add_sat(a, b);
    if (r.lo == UINT64_MAX && r.hi == UINT64_MAX) {
        /* saturated, or exactly u128::MAX: tell them apart */
        ctr_u128 max = {UINT64_MAX, UINT64_MAX};
        if (ctr_u128_cmp(b, ctr_u128_sub(max, a)) > 0) return false;
    }
    *out = r;
    return true;
}

bool ctr_u128_is_zero(ctr_u128 a) { return a.lo == 0 && a.hi == 0; }

ctr_u128 ctr_u128_from64(uint64_t v) {
    ctr_u128 r = {v, 0};
    return r;
}

ctr_u128 ctr_u128_sub_sat(ctr_u128 a, ctr_u128 b) {
    if (ctr_u128_cmp(a, b) <= 0) return ctr_u128_from64(0);
    return ctr_u128_sub(a, b);
}

ctr_u128 ctr_u128_min(ctr_u128 a, ctr_u128 b) { return ctr_u128_cmp(a, b) <= 0 ? a : b; }

/* 64 x 64 -> 128 bits from 32-bit halves (no compiler extension needed). */
static ctr_u128 mul64(uint64_t a, uint64_t b) {
    uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    ctr_u128 r;
    r.lo = (mid << 32) | (ll & 0xffffffffu);
    r.hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return r;
}

ctr_u128 ctr_u128_mul_sat(ctr_u128 a, uint64_t b) {
    ctr_u128 lo = mul64(a.lo, b), hi = mul64(a.hi, b);
    ctr_u128 max = {UINT64_MAX, UINT64_MAX};
    if (hi.hi != 0) return max;
    ctr_u128 shifted = {0, hi.lo};
    ctr_u128 r;
    if (!ctr_u128_add(lo, shifted, &r)) return max;
    return r;
}

/* Long division of a 128-bit value by a 32-bit one, 32 bits at a time. */
static ctr_u128 div32(ctr_u128 a, uint32_t d, uint32_t *rem) {
    uint32_t w[4] = {(uint32_t)(a.hi >> 32), (uint32_t)a.hi, (uint32_t)(a.lo >> 32),
                     (uint32_t)a.lo};
    uint64_t r = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t cur = (r << 32) | w[i];
        w[i] = (uint32_t)(cur / d);
        r = cur % d;
    }
    if (rem) *rem = (uint32_t)r;
    ctr_u128 q = {((uint64_t)w[2] << 32) | w[3], ((uint64_t)w[0] << 32) | w[1]};
    return q;
}

ctr_u128 ctr_u128_share(ctr_u128 a, uint32_t num, uint32_t den) {
    if (den == 0 || num >= den) return a;
    /* a * num / den = (a / den) * num + (a % den) * num / den, exact and without overflow
     * (num < den, a % den < den < 2^32) */
    uint32_t rem;
    ctr_u128 q = div32(a, den, &rem);
    ctr_u128 r = ctr_u128_mul_sat(q, num);
    return ctr_u128_add_sat(r, ctr_u128_from64((uint64_t)rem * num / den));
}

void ctr_u128_format(ctr_u128 v, char out[40]) {
    char buf[40];
    int n = 0;
    do {
        uint32_t rem;
        v = div32(v, 10, &rem);
        buf[n++] = (char)('0' + rem);
    } while (!ctr_u128_is_zero(v));
    for (int i = 0; i < n; i++) out[i] = buf[n - 1 - i];
    out[n] = 0;
}
