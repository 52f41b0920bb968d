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
