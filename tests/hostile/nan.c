/*
 * nan.c — deterministic NaNs (bst_module_config.canonicalize_nans).
 *
 * With the option, every float operation whose NaN result the spec leaves unspecified (arithmetic,
 * sqrt, min/max, rounding, demote/promote) yields exactly the canonical NaN 0x7fc00000 /
 * 0x7ff8000000000000 — e.g. f32.div 0/0 (x86 hardware gives the negative 0xffc00000) and
 * arithmetic on a NaN carrying a payload — whether the result is returned, folded into a local or
 * stored to memory.  Non-NaN results are untouched, and the exact bit operations (neg, abs,
 * copysign) keep payloads.  Without the option, the results are still NaNs.
 */
#include "harness.h"

#define F32_CANON 0x7fc00000u
#define F64_CANON UINT64_C(0x7ff8000000000000)
#define F32_ZERO 0x00000000u
#define F32_ONE 0x3f800000u
#define F32_TWO 0x40000000u
#define F32_MINUS_ONE 0xbf800000u
#define F32_PAYLOAD 0x7fa00001u  /* signalling NaN with a payload */
#define F32_NPAYLOAD 0xffc12345u /* negative quiet NaN with a payload */
#define F64_ZERO UINT64_C(0)
#define F64_ONE UINT64_C(0x3ff0000000000000)
#define F64_PAYLOAD UINT64_C(0x7ff4000000000123)
#define F64_NPAYLOAD UINT64_C(0xfff8000000abcdef)

static int is_nan32(uint32_t b) { return (b & 0x7fffffffu) > 0x7f800000u; }
static int is_nan64(uint64_t b) {
    return (b & ~(UINT64_C(1) << 63)) > UINT64_C(0x7ff0000000000000);
}

static bst_value call(bst_instance *inst, const char *fn, bst_value a, bst_value b) {
    bst_func *f = h_func(inst, fn);
    bst_value args[2] = {a, b}, r;
    bst_error err;
    memset(&r, 0, sizeof r);
    bst_status st = bst_call(f, args, bst_func_type(f)->nparams, &r, 1, &err);
    CHECK_OK(st, err);
    return r;
}

/* op(a, b) must give `want` bits (canonical mode) or some NaN (default mode). */
static void f32_case(bst_instance *canon, bst_instance *plain, const char *fn, uint32_t a,
                     uint32_t b, uint32_t want) {
    uint32_t got = call(canon, fn, h_f32(a), h_f32(b)).of.f32;
    check_count++;
    if (got != want) {
        check_failures++;
        fprintf(stderr, "%s(0x%08x, 0x%08x) = 0x%08x, want 0x%08x\n", fn, a, b, got, want);
    }
    uint32_t raw = call(plain, fn, h_f32(a), h_f32(b)).of.f32;
    CHECK(is_nan32(raw) == is_nan32(want));
}

static void f64_case(bst_instance *canon, bst_instance *plain, const char *fn, bst_value a,
                     bst_value b, uint64_t want) {
    uint64_t got = call(canon, fn, a, b).of.f64;
    check_count++;
    if (got != want) {
        check_failures++;
        fprintf(stderr, "%s = 0x%016" PRIx64 ", want 0x%016" PRIx64 "\n", fn, got, want);
    }
    uint64_t raw = call(plain, fn, a, b).of.f64;
    CHECK(is_nan64(raw) == is_nan64(want));
}

int main(void) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.canonicalize_nans = true;
    bst_module *mcanon = h_load("nan", &mc);
    bst_module *mplain = h_load("nan", NULL);
    bst_store *s = bst_store_new(NULL);
    bst_instance *c = h_instance(s, mcanon, NULL), *p = h_instance(s, mplain, NULL);

    f32_case(c, p, "f32_div", F32_ZERO, F32_ZERO, F32_CANON);
    f32_case(c, p, "f32_div_local", F32_ZERO, F32_ZERO, F32_CANON);
    f32_case(c, p, "f32_add", F32_PAYLOAD, F32_ONE, F32_CANON);
    f32_case(c, p, "f32_add", F32_ONE, F32_NPAYLOAD, F32_CANON);
    f32_case(c, p, "f32_mul", F32_NPAYLOAD, F32_NPAYLOAD, F32_CANON);
    f32_case(c, p, "f32_sqrt", F32_MINUS_ONE, 0, F32_CANON);
    f32_case(c, p, "f32_sqrt", F32_PAYLOAD, 0, F32_CANON);
    f32_case(c, p, "f32_min", F32_NPAYLOAD, F32_ONE, F32_CANON);
    f32_case(c, p, "f32_ceil", F32_PAYLOAD, 0, F32_CANON);
    f32_case(c, p, "f32_neg", F32_PAYLOAD, 0, 0xffa00001u);             /* sign flip only */
    f32_case(c, p, "f32_copysign", F32_NPAYLOAD, F32_ONE, 0x7fc12345u); /* sign copy only */
    /* ordinary results are untouched */
    f32_case(c, p, "f32_div", F32_ONE, F32_TWO, 0x3f000000u);
    f32_case(c, p, "f32_add", F32_ONE, F32_ONE, F32_TWO);
    /* -0 stays -0, infinities stay infinite */
    f32_case(c, p, "f32_mul", 0x80000000u, F32_ONE, 0x80000000u);
    f32_case(c, p, "f32_div", F32_ONE, F32_ZERO, 0x7f800000u);

    f64_case(c, p, "f64_div", h_f64(F64_ZERO), h_f64(F64_ZERO), F64_CANON);
    f64_case(c, p, "f64_div_mem", h_f64(F64_ZERO), h_f64(F64_ZERO), F64_CANON);
    f64_case(c, p, "f64_add", h_f64(F64_PAYLOAD), h_f64(F64_ONE), F64_CANON);
    f64_case(c, p, "f64_sub", h_f64(F64_ONE), h_f64(F64_NPAYLOAD), F64_CANON);
    f64_case(c, p, "f64_max", h_f64(F64_NPAYLOAD), h_f64(F64_ONE), F64_CANON);
    f64_case(c, p, "f64_nearest", h_f64(F64_PAYLOAD), h_f64(0), F64_CANON);
    f64_case(c, p, "f64_abs", h_f64(F64_NPAYLOAD), h_f64(0), UINT64_C(0x7ff8000000abcdef));
    f64_case(c, p, "f64_div", h_f64(F64_ONE), h_f64(UINT64_C(0x4000000000000000)),
             UINT64_C(0x3fe0000000000000));
    /* conversions between widths: a payload must not leak through */
    f64_case(c, p, "f64_promote", h_f32(F32_PAYLOAD), h_f32(0), F64_CANON);
    {
        uint32_t got = call(c, "f32_demote", h_f64(F64_NPAYLOAD), h_f64(0)).of.f32;
        CHECK_EQ(got, F32_CANON);
        got = call(c, "f32_demote", h_f64(F64_ONE), h_f64(0)).of.f32;
        CHECK_EQ(got, F32_ONE);
    }

    bst_store_free(s);
    bst_module_free(mcanon);
    bst_module_free(mplain);
    return h_finish("nan");
}
