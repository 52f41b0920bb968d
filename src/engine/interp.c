/*
 * interp.c — the interpreter loop (engine-internal).
 *
 * Executes the internal code produced by compile.c with direct threading: each instruction's
 * first cell is the address of its handler, and every handler ends by jumping straight to the
 * next one (computed goto), so there is no central switch.  Operands are frame slots read
 * relative to `fp`; there is no run-time operand stack pointer.
 *
 * Wasm calls never recurse natively: a call pushes a eng_frame on the store's frame stack and
 * continues in the same loop, so the native stack depth is independent of the wasm call depth.
 * Only host functions (and wasm re-entered from them through bst_call) nest natively, and those
 * are bounded by the same frame limit.
 *
 * All wasm semantics are expressed without undefined behaviour: integer arithmetic is done on
 * unsigned types (wrap-around), shifts mask their count, signed division and float-to-int
 * conversions are range-checked before the C operation.
 */
/* The handler families are macros aligned by hand, column by column, and the loop is laid out
 * for reading as a table of handlers. */
/* clang-format off */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ops.h"
#include "engine/runtime.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "Bastion's memory accessors assume a little-endian host"
#endif

/* ---- operand decoding ---------------------------------------------------------------------- */

/* An operand cell is read field by field straight from memory (w points at the cell): one
 * independent load per field, instead of one load of the whole cell and a chain of shifts and
 * masks that every operand fetch of a handler would wait on. */
static inline uint32_t cell_u16(const uint64_t *cell, unsigned field) {
    uint16_t v;
    memcpy(&v, (const unsigned char *)cell + 2 * field, sizeof v);
    return v;
}
static inline uint32_t cell_u32(const uint64_t *cell, unsigned half) {
    uint32_t v;
    memcpy(&v, (const unsigned char *)cell + 4 * half, sizeof v);
    return v;
}
#define OD(w) cell_u16((w), 0)  /* destination / first slot */
#define OA(w) cell_u16((w), 1)  /* second slot */
#define OB(w) cell_u16((w), 2)  /* third slot */
#define OC(w) cell_u16((w), 3)  /* fourth slot */
#define OLO(w) cell_u32((w), 0) /* low 32 bits */
#define OHI(w) cell_u32((w), 1) /* 32-bit immediate */

/* ---- value helpers ------------------------------------------------------------------------- */

static inline float f32_of(uint64_t s) {
    uint32_t u = (uint32_t)s;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline double f64_of(uint64_t s) {
    double d;
    memcpy(&d, &s, 8);
    return d;
}
static inline uint64_t bits_f32(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static inline uint64_t bits_f64(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static inline uint32_t shr_s32(uint32_t a, uint32_t k) {
    k &= 31;
    uint32_t r = a >> k;
    if ((a & 0x80000000u) && k) r |= ~(0xffffffffu >> k);
    return r;
}
static inline uint64_t shr_s64(uint64_t a, uint64_t k) {
    k &= 63;
    uint64_t r = a >> k;
    if ((a >> 63) && k) r |= ~(~(uint64_t)0 >> k);
    return r;
}
static inline uint32_t rotl32(uint32_t a, uint32_t k) {
    k &= 31;
    return (a << k) | (a >> ((32 - k) & 31));
}
static inline uint32_t rotr32(uint32_t a, uint32_t k) {
    k &= 31;
    return (a >> k) | (a << ((32 - k) & 31));
}
static inline uint64_t rotl64(uint64_t a, uint64_t k) {
    k &= 63;
    return (a << k) | (a >> ((64 - k) & 63));
}
static inline uint64_t rotr64(uint64_t a, uint64_t k) {
    k &= 63;
    return (a >> k) | (a << ((64 - k) & 63));
}
static inline int32_t s32(uint32_t a) { return (int32_t)a; }
static inline int64_t s64(uint64_t a) { return (int64_t)a; }
static inline uint64_t sext32(uint32_t a) { return (uint64_t)(a ^ 0x80000000u) - 0x80000000u; }
static inline uint32_t sext8_32(uint32_t a) { return ((a & 0xffu) ^ 0x80u) - 0x80u; }
static inline uint32_t sext16_32(uint32_t a) { return ((a & 0xffffu) ^ 0x8000u) - 0x8000u; }
static inline uint64_t sext8_64(uint64_t a) { return ((a & 0xffu) ^ 0x80u) - 0x80u; }
static inline uint64_t sext16_64(uint64_t a) { return ((a & 0xffffu) ^ 0x8000u) - 0x8000u; }

/* Rounding functions may return a signalling NaN operand unchanged (GCC inlines them as
 * roundss/roundsd); wasm requires an arithmetic (quiet) NaN result. */
static inline uint64_t quiet32(uint64_t in, float r) {
    return isnan(r) ? ((uint32_t)in | 0x00400000u) : bits_f32(r);
}
static inline uint64_t quiet64(uint64_t in, double r) {
    return isnan(r) ? (in | 0x0008000000000000u) : bits_f64(r);
}

/* wasm min/max: NaN if either is NaN, and -0 < +0. */
static inline float f32_min(float a, float b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == 0 && b == 0) return signbit(a) ? a : b;
    return a < b ? a : b;
}
static inline float f32_max(float a, float b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == 0 && b == 0) return signbit(a) ? b : a;
    return a > b ? a : b;
}
static inline double f64_min(double a, double b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == 0 && b == 0) return signbit(a) ? a : b;
    return a < b ? a : b;
}
static inline double f64_max(double a, double b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == 0 && b == 0) return signbit(a) ? b : a;
    return a > b ? a : b;
}

/* Float -> int: range tests are done in double, where every bound below is exact. */
#define I32_S_OK(x) ((x) > -2147483649.0 && (x) < 2147483648.0)
#define I32_U_OK(x) ((x) > -1.0 && (x) < 4294967296.0)
#define I64_S_OK(x) ((x) >= -9223372036854775808.0 && (x) < 9223372036854775808.0)
#define I64_U_OK(x) ((x) > -1.0 && (x) < 18446744073709551616.0)

static inline uint64_t sat_i32_s(double x) {
    if (isnan(x)) return 0;
    if (x <= -2147483648.0) return 0x80000000u;
    if (x >= 2147483647.0) return 0x7fffffffu;
    return (uint32_t)(int32_t)x;
}
static inline uint64_t sat_i32_u(double x) {
    if (isnan(x) || x <= 0) return 0;
    if (x >= 4294967295.0) return 0xffffffffu;
    return (uint32_t)x;
}
static inline uint64_t sat_i64_s(double x) {
    if (isnan(x)) return 0;
    if (x <= -9223372036854775808.0) return (uint64_t)1 << 63;
    if (x >= 9223372036854775808.0) return ((uint64_t)1 << 63) - 1;
    return (uint64_t)(int64_t)x;
}
static inline uint64_t sat_i64_u(double x) {
    if (isnan(x) || x <= 0) return 0;
    if (x >= 18446744073709551616.0) return ~(uint64_t)0;
    return (uint64_t)x;
}

/* ---- host calls ---------------------------------------------------------------------------- */

/* Calls a host function with arguments/results in slots[].  Returns false on a host trap
 * (message copied to err).  When slots[] lies on the store's value stack, wasm re-entered from
 * the host continues above it; otherwise (a direct bst_call of a host function) the free part
 * of the value stack is unchanged. */
static bool call_host(bst_store *s, bst_func *f, bst_instance *inst, uint64_t *slots,
                      bool on_value_stack, bst_error *err) {
    const eng_ftype *t = f->type;
    bst_value small[16];
    size_t n = (size_t)t->nparams + t->nresults;
    bst_value *vals = n <= 16 ? small : malloc(n * sizeof *vals);
    if (!vals) {
        eng_fail(err, BST_ERR_TRAP, 0, "out of memory calling a host function");
        err->trap = BST_TRAP_HOST;
        return false;
    }
    for (uint32_t i = 0; i < t->nparams; i++) vals[i] = eng_slot_to_value(t->types[i], slots[i]);
    bst_value *res = vals + t->nparams;
    for (uint32_t i = 0; i < t->nresults; i++) res[i] = eng_slot_to_value(t->types[t->nparams + i], 0);
    bst_caller caller;
    caller.store = s;
    caller.inst = inst;
    caller.trapped = false;
    caller.message[0] = 0;
    uint64_t *saved_top = s->stack_top;
    uint32_t need = t->nparams > t->nresults ? t->nparams : t->nresults;
    if (on_value_stack) s->stack_top = slots + need;
    uint64_t t0 = eng_host_begin(s, f, inst);
    bool ok = f->host(&caller, vals, res, f->env);
    eng_host_end(f, inst, t0, ok);
    s->stack_top = saved_top;
    if (ok) {
        for (uint32_t i = 0; i < t->nresults; i++) slots[i] = eng_value_to_slot(&res[i]);
    } else {
        eng_fail(err, BST_ERR_TRAP, 0, "%s", caller.message[0] ? caller.message : "host trap");
        err->trap = BST_TRAP_HOST;
    }
    if (vals != small) free(vals);
    return ok;
}

/* ---- the loop ------------------------------------------------------------------------------ */

static bst_status run(bst_store *s, bst_func *entry, uint64_t *fp, bst_error *err,
                      const void *const **handlers_out) {
#define ENG_OP_ITEM(name) &&L_##name,
    static const void *const handlers[] = {ENG_ALL_OPS};
#undef ENG_OP_ITEM
    _Static_assert(sizeof handlers / sizeof handlers[0] == ENG_OP__COUNT, "one handler per op");
    if (handlers_out) {
        *handlers_out = handlers;
        return BST_OK;
    }

    const uint64_t *pc = entry->code->cells;
    bst_func *cur = entry;
    bst_instance *inst = entry->inst;
    uint8_t *mbase = NULL;
    uint64_t msize = 0;
    /* The usable end of the value stack (eng_interp_call made room for the entry frame).  Only
     * the slow path of a call moves it, and a stale copy (after wasm re-entered from a host
     * function grew the stack) merely sends the next call through that slow path again. */
    uint64_t *stack_end = s->stack_end;
    const uint32_t base_depth = s->depth;
    bst_trap_kind trap = BST_TRAP_NONE;
    bool err_filled = false; /* err already describes the trap (host trap, named stack limit) */
    bst_func *callee;
    uint64_t *nfp;
    int64_t fuel = s->fuel; /* kept in a register; written back whenever control leaves */
    uint32_t deadline_tick = 1; /* see eng_interrupt_check(); the first check reads the clock */

#define RELOAD_MEM()                                                                             \
    do {                                                                                         \
        bst_memory *m0_ = inst->mem0;                                                            \
        mbase = m0_ ? m0_->data : NULL;                                                          \
        msize = m0_ ? m0_->size : 0;                                                             \
    } while (0)
#define NEXT() goto *(const void *)(uintptr_t)pc[0]
#define TRAP(kind)                                                                               \
    do {                                                                                         \
        trap = (kind);                                                                           \
        goto trapped;                                                                            \
    } while (0)
#define TRAP_FILLED()                                                                            \
    do {                                                                                         \
        trap = err->trap;                                                                        \
        err_filled = true;                                                                       \
        goto trapped;                                                                            \
    } while (0)
#define INTERRUPTED() eng_interrupt_check(s, &deadline_tick)
/* Enters the metered block whose FUEL (ENTER_FUEL) or FUEL_LOOP (ENTER_LOOP) instruction pc is
 * at, doing that instruction's work here instead of dispatching it: the same interrupt poll, then
 * the charge when the budget covers it.  A short budget continues in the FUEL handler at the same
 * pc, so checkpoints, traps and backtraces are exactly those of the charge done by the handler. */
#define ENTER_FUEL()                                                                             \
    do {                                                                                         \
        int64_t c_ = (int64_t)pc[1];                                                             \
        if (fuel < c_) goto L_FUEL;                                                              \
        fuel -= c_;                                                                              \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    } while (0)
#define ENTER_LOOP()                                                                             \
    do {                                                                                         \
        if (INTERRUPTED()) TRAP(BST_TRAP_INTERRUPTED);                                           \
        int64_t c_ = (int64_t)pc[1];                                                             \
        if (fuel < c_) goto L_FUEL_CHARGE;                                                       \
        fuel -= c_;                                                                              \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    } while (0)
/* Charges fuel.  Too little fuel may be a sampling checkpoint (sampling.c), handled out of line:
 * the fast path is the one comparison either way. */
#define CHARGE(cost)                                                                             \
    do {                                                                                         \
        int64_t cost_ = (cost);                                                                  \
        if (fuel < cost_) {                                                                      \
            fuel = eng_fuel_checkpoint(s, fuel, cost_, cur);                                     \
            if (fuel < cost_) TRAP(BST_TRAP_OUT_OF_FUEL);                                        \
        }                                                                                        \
        fuel -= cost_;                                                                           \
    } while (0)
/* Bulk operations pay 1 fuel per 64 bytes/elements on top of their instruction cost. */
#define CHARGE_BULK(n) CHARGE((int64_t)((n) >> 6))
/* A trap in a call's own checks, after pc moved past the call: back into the call, so that the
 * backtrace names the call's offset (callers' frames are found the same way, from pc - 1). */
#define CALL_TRAP(kind)                                                                          \
    do {                                                                                         \
        pc--;                                                                                    \
        TRAP(kind);                                                                              \
    } while (0)
#define CALL_TRAP_FILLED()                                                                       \
    do {                                                                                         \
        pc--;                                                                                    \
        TRAP_FILLED();                                                                           \
    } while (0)

    memset(fp + entry->code->nparams, 0, (size_t)entry->code->nlocals * sizeof *fp);
    RELOAD_MEM();
    NEXT();

    /* ---- numeric handlers: [op][dst | a<<16 | b<<32] ---- */
/* An op's work without its dispatch (the *_BODY macros) is also the first half of the
 * superinstructions that start with it (FUSED below); the expressions of those ops are named
 * E_<op> so that both expand the same text. */
#define UN_BODY(expr)                                                                            \
    const uint64_t *w = pc + 1;                                                                     \
    uint64_t x = fp[OA(w)];                                                                      \
    (void)x;                                                                                     \
    fp[OD(w)] = (expr);
#define UN(name, expr)                                                                           \
    L_##name : {                                                                                 \
        UN_BODY(expr)                                                                            \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
/* An op's work names its result res_ (the chained superinstructions hand it on), and takes its
 * slot operands as the arguments `src_a`/`src_b` of its *_FROM form: the slots fp[OA(w)] and
 * fp[OB(w)] for the op itself, the value handed over for a chained one. */
#define BIN_BODY_FROM(T, expr, src_a, src_b)                                                     \
    const uint64_t *w = pc + 1;                                                                  \
    T a = (T)(src_a), b = (T)(src_b);                                                            \
    uint64_t res_ = (expr);                                                                      \
    fp[OD(w)] = res_;
#define BIN_BODY(T, expr) BIN_BODY_FROM(T, expr, fp[OA(w)], fp[OB(w)])
/* the immediate form (flag I in ops.h): b comes from the operand cell, sign-extended for
 * 64-bit types */
#define BINI_BODY_FROM(T, expr, src_a)                                                           \
    const uint64_t *w = pc + 1;                                                                  \
    T a = (T)(src_a), b = (T)(sizeof(T) == 4 ? (uint64_t)OHI(w) : sext32(OHI(w)));              \
    uint64_t res_ = (expr);                                                                      \
    fp[OD(w)] = res_;
#define BINI_BODY(T, expr) BINI_BODY_FROM(T, expr, fp[OA(w)])
#define BIN_BODY_E(...) BIN_BODY(__VA_ARGS__)
#define BINI_BODY_E(...) BINI_BODY(__VA_ARGS__)
#define BIN(name, T, expr)                                                                       \
    L_##name : {                                                                                 \
        BIN_BODY(T, expr)                                                                        \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
/* An operation that also has an immediate form. */
#define BIN2(name, T, expr)                                                                      \
    BIN(name, T, expr)                                                                           \
    L_##name##_IMM : {                                                                           \
        BINI_BODY(T, expr)                                                                       \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
#define BIN2_E(name) BIN2_E_(name, E_##name)
#define BIN2_E_(name, ...) BIN2(name, __VA_ARGS__)
#define BINF32(name, expr)                                                                       \
    L_##name : {                                                                                 \
        const uint64_t *w = pc + 1;                                                                 \
        float a = f32_of(fp[OA(w)]), b = f32_of(fp[OB(w)]);                                      \
        fp[OD(w)] = (expr);                                                                      \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
#define BINF64_BODY_FROM(expr, src_a, src_b)                                                     \
    const uint64_t *w = pc + 1;                                                                  \
    double a = f64_of(src_a), b = f64_of(src_b);                                                 \
    uint64_t res_ = (expr);                                                                      \
    fp[OD(w)] = res_;
#define BINF64_BODY(expr) BINF64_BODY_FROM(expr, fp[OA(w)], fp[OB(w)])
#define BINF64(name, expr)                                                                       \
    L_##name : {                                                                                 \
        BINF64_BODY(expr)                                                                        \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
#define BINF64_E(name) BINF64(name, E_##name)

    /* i32 and i64 comparisons, shared with the fused compare-and-branch handlers below */
#define CMP_I32_EQ (a == b)
#define CMP_I32_NE (a != b)
#define CMP_I32_LT_S (s32(a) < s32(b))
#define CMP_I32_LT_U (a < b)
#define CMP_I32_GT_S (s32(a) > s32(b))
#define CMP_I32_GT_U (a > b)
#define CMP_I32_LE_S (s32(a) <= s32(b))
#define CMP_I32_LE_U (a <= b)
#define CMP_I32_GE_S (s32(a) >= s32(b))
#define CMP_I32_GE_U (a >= b)
#define CMP_I64_EQ (a == b)
#define CMP_I64_NE (a != b)
#define CMP_I64_LT_S (s64(a) < s64(b))
#define CMP_I64_LT_U (a < b)
#define CMP_I64_GT_S (s64(a) > s64(b))
#define CMP_I64_GT_U (a > b)
#define CMP_I64_LE_S (s64(a) <= s64(b))
#define CMP_I64_LE_U (a <= b)
#define CMP_I64_GE_S (s64(a) >= s64(b))
#define CMP_I64_GE_U (a >= b)
    UN(I32_EQZ, (uint32_t)x == 0)
    BIN2(I32_EQ, uint32_t, CMP_I32_EQ)
    BIN2(I32_NE, uint32_t, CMP_I32_NE)
    BIN2(I32_LT_S, uint32_t, CMP_I32_LT_S)
    BIN2(I32_LT_U, uint32_t, CMP_I32_LT_U)
    BIN2(I32_GT_S, uint32_t, CMP_I32_GT_S)
    BIN2(I32_GT_U, uint32_t, CMP_I32_GT_U)
    BIN2(I32_LE_S, uint32_t, CMP_I32_LE_S)
    BIN2(I32_LE_U, uint32_t, CMP_I32_LE_U)
    BIN2(I32_GE_S, uint32_t, CMP_I32_GE_S)
    BIN2(I32_GE_U, uint32_t, CMP_I32_GE_U)
    UN(I64_EQZ, x == 0)
    BIN2(I64_EQ, uint64_t, CMP_I64_EQ)
    BIN2(I64_NE, uint64_t, CMP_I64_NE)
    BIN2(I64_LT_S, uint64_t, CMP_I64_LT_S)
    BIN2(I64_LT_U, uint64_t, CMP_I64_LT_U)
    BIN2(I64_GT_S, uint64_t, CMP_I64_GT_S)
    BIN2(I64_GT_U, uint64_t, CMP_I64_GT_U)
    BIN2(I64_LE_S, uint64_t, CMP_I64_LE_S)
    BIN2(I64_LE_U, uint64_t, CMP_I64_LE_U)
    BIN2(I64_GE_S, uint64_t, CMP_I64_GE_S)
    BIN2(I64_GE_U, uint64_t, CMP_I64_GE_U)
    BINF32(F32_EQ, a == b)
    BINF32(F32_NE, a != b)
    BINF32(F32_LT, a < b)
    BINF32(F32_GT, a > b)
    BINF32(F32_LE, a <= b)
    BINF32(F32_GE, a >= b)
    BINF64(F64_EQ, a == b)
    BINF64(F64_NE, a != b)
#define E_F64_LT a < b
#define E_F64_GT a > b
    BINF64_E(F64_LT)
    BINF64_E(F64_GT)
    BINF64(F64_LE, a <= b)
    BINF64(F64_GE, a >= b)
    UN(I32_CLZ, (uint32_t)x ? (uint64_t)__builtin_clz((uint32_t)x) : 32)
    UN(I32_CTZ, (uint32_t)x ? (uint64_t)__builtin_ctz((uint32_t)x) : 32)
    UN(I32_POPCNT, (uint64_t)__builtin_popcount((uint32_t)x))
#define E_I32_ADD uint32_t, (uint32_t)(a + b)
#define E_I32_MUL uint32_t, (uint32_t)(a * b)
#define E_I32_AND uint32_t, a & b
#define E_I32_XOR uint32_t, a ^ b
#define E_I32_SHL uint32_t, (uint32_t)(a << (b & 31))
#define E_I32_SHR_U uint32_t, a >> (b & 31)
    BIN2_E(I32_ADD)
#define E_I32_SUB uint32_t, (uint32_t)(a - b)
    BIN2_E(I32_SUB)
    BIN2_E(I32_MUL)
    L_I32_DIV_S : {
        const uint64_t *w = pc + 1;
        uint32_t a = (uint32_t)fp[OA(w)], b = (uint32_t)fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        if (a == 0x80000000u && b == 0xffffffffu) TRAP(BST_TRAP_INT_OVERFLOW);
        fp[OD(w)] = (uint32_t)(s32(a) / s32(b));
        pc += 2;
        NEXT();
    }
    L_I32_DIV_U : {
        const uint64_t *w = pc + 1;
        uint32_t a = (uint32_t)fp[OA(w)], b = (uint32_t)fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        fp[OD(w)] = a / b;
        pc += 2;
        NEXT();
    }
    L_I32_REM_S : {
        const uint64_t *w = pc + 1;
        uint32_t a = (uint32_t)fp[OA(w)], b = (uint32_t)fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        fp[OD(w)] = b == 0xffffffffu ? 0 : (uint32_t)(s32(a) % s32(b));
        pc += 2;
        NEXT();
    }
    L_I32_REM_U : {
        const uint64_t *w = pc + 1;
        uint32_t a = (uint32_t)fp[OA(w)], b = (uint32_t)fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        fp[OD(w)] = a % b;
        pc += 2;
        NEXT();
    }
    BIN2_E(I32_AND)
    BIN2(I32_OR, uint32_t, a | b)
    BIN2_E(I32_XOR)
    BIN2_E(I32_SHL)
    BIN2(I32_SHR_S, uint32_t, shr_s32(a, b))
    BIN2_E(I32_SHR_U)
    BIN(I32_ROTL, uint32_t, rotl32(a, b))
    BIN(I32_ROTR, uint32_t, rotr32(a, b))
    UN(I64_CLZ, x ? (uint64_t)__builtin_clzll(x) : 64)
    UN(I64_CTZ, x ? (uint64_t)__builtin_ctzll(x) : 64)
    UN(I64_POPCNT, (uint64_t)__builtin_popcountll(x))
#define E_I64_ADD uint64_t, a + b
#define E_I64_SUB uint64_t, a - b
    BIN2_E(I64_ADD)
    BIN2_E(I64_SUB)
#define E_I64_MUL uint64_t, a * b
#define E_I64_SHL uint64_t, a << (b & 63)
#define E_I64_SHR_U uint64_t, a >> (b & 63)
    BIN2_E(I64_MUL)
    L_I64_DIV_S : {
        const uint64_t *w = pc + 1;
        uint64_t a = fp[OA(w)], b = fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        if (a == (uint64_t)1 << 63 && b == ~(uint64_t)0) TRAP(BST_TRAP_INT_OVERFLOW);
        fp[OD(w)] = (uint64_t)(s64(a) / s64(b));
        pc += 2;
        NEXT();
    }
    L_I64_DIV_U : {
        const uint64_t *w = pc + 1;
        uint64_t a = fp[OA(w)], b = fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        fp[OD(w)] = a / b;
        pc += 2;
        NEXT();
    }
    L_I64_REM_S : {
        const uint64_t *w = pc + 1;
        uint64_t a = fp[OA(w)], b = fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        fp[OD(w)] = b == ~(uint64_t)0 ? 0 : (uint64_t)(s64(a) % s64(b));
        pc += 2;
        NEXT();
    }
    L_I64_REM_U : {
        const uint64_t *w = pc + 1;
        uint64_t a = fp[OA(w)], b = fp[OB(w)];
        if (b == 0) TRAP(BST_TRAP_DIV_ZERO);
        fp[OD(w)] = a % b;
        pc += 2;
        NEXT();
    }
    BIN2(I64_AND, uint64_t, a & b)
#define E_I64_OR uint64_t, a | b
    BIN2_E(I64_OR)
    BIN2(I64_XOR, uint64_t, a ^ b)
    BIN2_E(I64_SHL)
    BIN2(I64_SHR_S, uint64_t, shr_s64(a, b))
    BIN2_E(I64_SHR_U)
    BIN(I64_ROTL, uint64_t, rotl64(a, b))
    BIN(I64_ROTR, uint64_t, rotr64(a, b))
    UN(F32_ABS, (uint32_t)x & 0x7fffffffu)
    UN(F32_NEG, (uint32_t)x ^ 0x80000000u)
    UN(F32_CEIL, quiet32(x, ceilf(f32_of(x))))
    UN(F32_FLOOR, quiet32(x, floorf(f32_of(x))))
    UN(F32_TRUNC, quiet32(x, truncf(f32_of(x))))
    UN(F32_NEAREST, quiet32(x, rintf(f32_of(x))))
    UN(F32_SQRT, bits_f32(sqrtf(f32_of(x))))
    BINF32(F32_ADD, bits_f32(a + b))
    BINF32(F32_SUB, bits_f32(a - b))
    BINF32(F32_MUL, bits_f32(a * b))
    BINF32(F32_DIV, bits_f32(a / b))
    BINF32(F32_MIN, bits_f32(f32_min(a, b)))
    BINF32(F32_MAX, bits_f32(f32_max(a, b)))
    BIN(F32_COPYSIGN, uint32_t, (a & 0x7fffffffu) | (b & 0x80000000u))
    UN(F64_ABS, x & ~((uint64_t)1 << 63))
    UN(F64_NEG, x ^ ((uint64_t)1 << 63))
    UN(F64_CEIL, quiet64(x, ceil(f64_of(x))))
    UN(F64_FLOOR, quiet64(x, floor(f64_of(x))))
    UN(F64_TRUNC, quiet64(x, trunc(f64_of(x))))
    UN(F64_NEAREST, quiet64(x, rint(f64_of(x))))
    UN(F64_SQRT, bits_f64(sqrt(f64_of(x))))
#define E_F64_ADD bits_f64(a + b)
#define E_F64_SUB bits_f64(a - b)
#define E_F64_MUL bits_f64(a * b)
    BINF64_E(F64_ADD)
    BINF64_E(F64_SUB)
    BINF64_E(F64_MUL)
    BINF64(F64_DIV, bits_f64(a / b))
    BINF64(F64_MIN, bits_f64(f64_min(a, b)))
    BINF64(F64_MAX, bits_f64(f64_max(a, b)))
    BIN(F64_COPYSIGN, uint64_t, (a & ~((uint64_t)1 << 63)) | (b & ((uint64_t)1 << 63)))
#define E_I32_WRAP_I64 (uint32_t)x
    UN(I32_WRAP_I64, E_I32_WRAP_I64)

#define TRUNC(name, getf, okf, conv)                                                             \
    L_##name : {                                                                                 \
        const uint64_t *w = pc + 1;                                                                 \
        double v = getf(fp[OA(w)]);                                                              \
        if (isnan(v)) TRAP(BST_TRAP_INVALID_CONVERSION);                                         \
        if (!okf(v)) TRAP(BST_TRAP_INT_OVERFLOW);                                                \
        fp[OD(w)] = (conv);                                                                      \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
    TRUNC(I32_TRUNC_F32_S, f32_of, I32_S_OK, (uint32_t)(int32_t)v)
    TRUNC(I32_TRUNC_F32_U, f32_of, I32_U_OK, (uint32_t)v)
    TRUNC(I32_TRUNC_F64_S, f64_of, I32_S_OK, (uint32_t)(int32_t)v)
    TRUNC(I32_TRUNC_F64_U, f64_of, I32_U_OK, (uint32_t)v)
    UN(I64_EXTEND_I32_S, sext32((uint32_t)x))
#define E_I64_EXTEND_I32_U (uint32_t)x
    UN(I64_EXTEND_I32_U, E_I64_EXTEND_I32_U)
    TRUNC(I64_TRUNC_F32_S, f32_of, I64_S_OK, (uint64_t)(int64_t)v)
    TRUNC(I64_TRUNC_F32_U, f32_of, I64_U_OK, (uint64_t)v)
    TRUNC(I64_TRUNC_F64_S, f64_of, I64_S_OK, (uint64_t)(int64_t)v)
    TRUNC(I64_TRUNC_F64_U, f64_of, I64_U_OK, (uint64_t)v)
    UN(F32_CONVERT_I32_S, bits_f32((float)s32((uint32_t)x)))
    UN(F32_CONVERT_I32_U, bits_f32((float)(uint32_t)x))
    UN(F32_CONVERT_I64_S, bits_f32((float)s64(x)))
    UN(F32_CONVERT_I64_U, bits_f32((float)x))
    UN(F32_DEMOTE_F64, bits_f32((float)f64_of(x)))
    UN(F64_CONVERT_I32_S, bits_f64((double)s32((uint32_t)x)))
    UN(F64_CONVERT_I32_U, bits_f64((double)(uint32_t)x))
    UN(F64_CONVERT_I64_S, bits_f64((double)s64(x)))
    UN(F64_CONVERT_I64_U, bits_f64((double)x))
    UN(F64_PROMOTE_F32, bits_f64((double)f32_of(x)))
    UN(I32_REINTERPRET_F32, (uint32_t)x)
    UN(I64_REINTERPRET_F64, x)
    UN(F32_REINTERPRET_I32, (uint32_t)x)
    UN(F64_REINTERPRET_I64, x)
    UN(I32_EXTEND8_S, sext8_32((uint32_t)x))
    UN(I32_EXTEND16_S, sext16_32((uint32_t)x))
    UN(I64_EXTEND8_S, sext8_64(x))
    UN(I64_EXTEND16_S, sext16_64(x))
    UN(I64_EXTEND32_S, sext32((uint32_t)x))
    UN(I32_TRUNC_SAT_F32_S, sat_i32_s(f32_of(x)))
    UN(I32_TRUNC_SAT_F32_U, sat_i32_u(f32_of(x)))
    UN(I32_TRUNC_SAT_F64_S, sat_i32_s(f64_of(x)))
    UN(I32_TRUNC_SAT_F64_U, sat_i32_u(f64_of(x)))
    UN(I64_TRUNC_SAT_F32_S, sat_i64_s(f32_of(x)))
    UN(I64_TRUNC_SAT_F32_U, sat_i64_u(f32_of(x)))
    UN(I64_TRUNC_SAT_F64_S, sat_i64_s(f64_of(x)))
    UN(I64_TRUNC_SAT_F64_U, sat_i64_u(f64_of(x)))

    /* ---- control ---- */
    L_UNREACHABLE : TRAP(BST_TRAP_UNREACHABLE);
    L_BR : /* [op][rel] */
        pc += (int64_t)pc[1];
    NEXT();
    L_BR_IF_NZ : /* [op][cond][rel] */
        if ((uint32_t)fp[pc[1]]) pc += (int64_t)pc[2];
    else pc += 3;
    NEXT();
    L_BR_IF_Z : /* [op][cond][rel] */
        if (!(uint32_t)fp[pc[1]]) pc += (int64_t)pc[2];
    else pc += 3;
    NEXT();
    /* branches into a metered block (ops.h): [op][rel], [op][cond][rel] */
    L_BR_FUEL : pc += (int64_t)pc[1];
    ENTER_FUEL();
    L_BR_LOOP : pc += (int64_t)pc[1];
    ENTER_LOOP();
#define BR_IF_INTO(name, test)                                                                   \
    L_##name##_FUEL : if (test) {                                                                \
        pc += (int64_t)pc[2];                                                                    \
        ENTER_FUEL();                                                                            \
    }                                                                                            \
    pc += 3;                                                                                     \
    NEXT();                                                                                      \
    L_##name##_LOOP : if (test) {                                                                \
        pc += (int64_t)pc[2];                                                                    \
        ENTER_LOOP();                                                                            \
    }                                                                                            \
    pc += 3;                                                                                     \
    NEXT();
    BR_IF_INTO(BR_IF_NZ, (uint32_t)fp[pc[1]])
    BR_IF_INTO(BR_IF_Z, !(uint32_t)fp[pc[1]])
    L_IF_NZ_FUEL : /* both ways into a block */
        pc += (uint32_t)fp[pc[1]] ? (int64_t)pc[2] : 3;
    ENTER_FUEL();
    L_IF_Z_FUEL : pc += (uint32_t)fp[pc[1]] ? 3 : (int64_t)pc[2];
    ENTER_FUEL();
    L_BR_TABLE : { /* [op][index | count<<32][rel x count+1] */
        const uint64_t *w = pc + 1;
        uint32_t i = (uint32_t)fp[OD(w)], count = OHI(w);
        if (i > count) i = count;
        pc += (int64_t)pc[2 + i];
        /* its targets are mostly block ends (FUEL), some value-moving stubs */
        if (pc[0] == (uint64_t)(uintptr_t)&&L_FUEL) ENTER_FUEL();
        NEXT();
    }
    L_RETURN : { /* [op]: results already in fp[0..n) */
        if (s->depth == base_depth) goto done;
        eng_frame *fr = &s->frames[--s->depth];
        pc = fr->pc;
        fp = fr->fp;
        cur = fr->func;
        /* mbase/msize are current unless the caller belongs to another instance: a grow in
         * the callee reloaded them, as does every return from a host function */
        if (cur->inst != inst) {
            inst = cur->inst;
            RELOAD_MEM();
        }
        NEXT();
    }
/* Enters callee, a wasm function, with its arguments at nfp (pc is past the call): the frame
 * push, locals cleared, then the body's first block charged here (eng_code.entry); SWITCH is
 * what changes when the callee may belong to another instance. */
#define ENTER_WASM(SWITCH)                                                                       \
    do {                                                                                         \
        const eng_code *code = callee->code;                                                     \
        /* capacity checks; the out-of-line slow paths grow the stacks or name the limit hit */  \
        if (__builtin_expect(s->depth >= s->frames_cap, 0) && !eng_frames_grow(s, err))          \
            CALL_TRAP_FILLED();                                                                  \
        if (__builtin_expect(nfp + code->frame_slots > stack_end, 0)) {                          \
            if (!eng_stack_grow(s, nfp, code->frame_slots, err)) CALL_TRAP_FILLED();             \
            stack_end = s->stack_end;                                                            \
        }                                                                                        \
        eng_frame *fr = &s->frames[s->depth++];                                                  \
        fr->pc = pc;                                                                             \
        fr->fp = fp;                                                                             \
        fr->func = cur;                                                                          \
        /* Declared locals start at zero.  Most functions have few: the first                    \
         * ENG_ZEROED_LOCALS are cleared by plain stores (every frame has room for them,         \
         * compile.c), so the common call makes no library call and keeps its registers. */      \
        uint64_t *locals = nfp + code->nparams;                                                  \
        for (unsigned i = 0; i < ENG_ZEROED_LOCALS; i++) locals[i] = 0;                          \
        if (__builtin_expect(code->nlocals > ENG_ZEROED_LOCALS, 0))                              \
            memset(locals + ENG_ZEROED_LOCALS, 0,                                                \
                   (size_t)(code->nlocals - ENG_ZEROED_LOCALS) * sizeof *nfp);                   \
        fp = nfp;                                                                                \
        cur = callee;                                                                            \
        SWITCH                                                                                   \
        /* a short budget runs the body's FUEL itself: checkpoint, or out of fuel right there */ \
        if (__builtin_expect(fuel < code->entry_fuel, 0)) {                                      \
            pc = code->cells;                                                                    \
            NEXT();                                                                              \
        }                                                                                        \
        fuel -= code->entry_fuel;                                                                \
        pc = code->entry;                                                                        \
        NEXT();                                                                                  \
    } while (0)
#define SAME_INSTANCE
#define SWITCH_INSTANCE                                                                          \
    if (callee->inst != inst) {                                                                  \
        inst = callee->inst;                                                                     \
        RELOAD_MEM();                                                                            \
    }
    L_CALL : { /* [op][base | funcidx<<32]: a function of this instance, compiled with it */
        const uint64_t *w = pc + 1;
        callee = inst->funcs[OHI(w)];
        nfp = fp + OLO(w);
        pc += 2;
        if (INTERRUPTED()) CALL_TRAP(BST_TRAP_INTERRUPTED);
        ENTER_WASM(SAME_INSTANCE);
    }
    L_CALL_IMPORT : { /* [op][base | funcidx<<32]: a host function or another instance's */
        const uint64_t *w = pc + 1;
        callee = inst->funcs[OHI(w)];
        nfp = fp + OLO(w);
        pc += 2;
        goto do_call;
    }
    L_CALL_INDIRECT : { /* [op][index | base<<16 | typeidx<<32][table] */
        const uint64_t *w = pc + 1;
        bst_table *t = inst->tables[pc[2]];
        uint32_t i = (uint32_t)fp[OD(w)];
        if (i >= t->size) TRAP(BST_TRAP_UNDEFINED_ELEMENT);
        callee = (bst_func *)(uintptr_t)t->elems[i];
        if (!callee) TRAP(BST_TRAP_UNINITIALIZED_ELEMENT);
        const eng_ftype *want = &inst->module->types[OHI(w)];
        if (callee->type != want && !eng_functype_equal(callee->type, want))
            TRAP(BST_TRAP_INDIRECT_MISMATCH);
        nfp = fp + OA(w);
        pc += 3;
        goto do_call;
    }
do_call:
    if (INTERRUPTED()) CALL_TRAP(BST_TRAP_INTERRUPTED);
    if (callee->code) {
        ENTER_WASM(SWITCH_INSTANCE);
    } else {
        if (s->depth >= s->frames_cap && !eng_frames_grow(s, err)) CALL_TRAP_FILLED();
        uint32_t need = callee->type->nparams > callee->type->nresults ? callee->type->nparams
                                                                       : callee->type->nresults;
        if (nfp + need > stack_end) {
            if (!eng_stack_grow(s, nfp, need, err)) CALL_TRAP_FILLED();
            stack_end = s->stack_end;
        }
        /* keep the caller visible to re-entrant calls and backtraces */
        eng_frame *fr = &s->frames[s->depth++];
        fr->pc = pc;
        fr->fp = fp;
        fr->func = cur;
        s->fuel = fuel;
        bool ok = call_host(s, callee, inst, nfp, true, err);
        fuel = s->fuel;
        s->depth--;
        /* an interrupt that arrived during the host call (or ended its wait) wins */
        if (atomic_load_explicit(&s->interrupt, memory_order_relaxed) && eng_interrupt_due(s))
            CALL_TRAP(BST_TRAP_INTERRUPTED);
        if (!ok) CALL_TRAP_FILLED(); /* BST_TRAP_HOST with the host's message */
        RELOAD_MEM();
        NEXT();
    }

    /* ---- variables and constants ---- */
    L_COPY : { /* [op][dst | src<<16] */
        const uint64_t *w = pc + 1;
        fp[OD(w)] = fp[OA(w)];
        pc += 2;
        NEXT();
    }
    L_COPY2 : { /* [op][dst1 | src1<<16 | dst2<<32 | src2<<48]: two copies in order */
        const uint64_t *w = pc + 1;
        fp[OD(w)] = fp[OA(w)];
        fp[OB(w)] = fp[OC(w)];
        pc += 2;
        NEXT();
    }
    L_COPY_BR : { /* [op][dst | src<<16][rel]: a move then a jump (phi copy at a back-edge) */
        const uint64_t *w = pc + 1;
        fp[OD(w)] = fp[OA(w)];
        pc += (int64_t)pc[2];
        NEXT();
    }
    L_COPY2_BR : { /* [op][dst1 | src1<<16 | dst2<<32 | src2<<48][rel] */
        const uint64_t *w = pc + 1;
        fp[OD(w)] = fp[OA(w)];
        fp[OB(w)] = fp[OC(w)];
        pc += (int64_t)pc[2];
        NEXT();
    }
#define COPY_BR_INTO(kind, ENTER)                                                                \
    L_COPY_BR_##kind : {                                                                         \
        const uint64_t *w = pc + 1;                                                                 \
        fp[OD(w)] = fp[OA(w)];                                                                   \
        pc += (int64_t)pc[2];                                                                    \
        ENTER();                                                                                 \
    }                                                                                            \
    L_COPY2_BR_##kind : {                                                                        \
        const uint64_t *w = pc + 1;                                                                 \
        fp[OD(w)] = fp[OA(w)];                                                                   \
        fp[OB(w)] = fp[OC(w)];                                                                   \
        pc += (int64_t)pc[2];                                                                    \
        ENTER();                                                                                 \
    }
    COPY_BR_INTO(FUEL, ENTER_FUEL)
    COPY_BR_INTO(LOOP, ENTER_LOOP)
#define CONST32_BODY                                                                             \
    const uint64_t *w = pc + 1;                                                                     \
    fp[OD(w)] = OHI(w);
    L_CONST32 : { /* [op][dst | imm<<32] */
        CONST32_BODY
        pc += 2;
        NEXT();
    }
    L_CONST64 : { /* [op][dst][imm] */
        fp[OD(pc + 1)] = pc[2];
        pc += 3;
        NEXT();
    }
#define SELECT_BODY                                                                              \
    const uint64_t *w = pc + 1;                                                                     \
    uint64_t res_ = (uint32_t)fp[OC(w)] ? fp[OA(w)] : fp[OB(w)];                                 \
    fp[OD(w)] = res_;
    L_SELECT : { /* [op][dst | a<<16 | b<<32 | cond<<48] */
        SELECT_BODY
        pc += 2;
        NEXT();
    }
#define GLOBAL_GET_BODY                                                                          \
    const uint64_t *w = pc + 1;                                                                     \
    fp[OD(w)] = inst->globals[OHI(w)]->val;
    L_GLOBAL_GET : { /* [op][dst | g<<32] */
        GLOBAL_GET_BODY
        pc += 2;
        NEXT();
    }
    L_GLOBAL_SET : { /* [op][src | g<<32] */
        const uint64_t *w = pc + 1;
        inst->globals[OHI(w)]->val = fp[OD(w)];
        pc += 2;
        NEXT();
    }

    /* ---- memory: [op][dst-or-value | addr<<16 | offset<<32] ---- */
#define LOAD_BODY_FROM(N, T, conv, src_addr)                                                     \
    const uint64_t *w = pc + 1;                                                                  \
    uint64_t ea = (uint64_t)(uint32_t)(src_addr) + OHI(w);                                       \
    if (ea + N > msize) TRAP(BST_TRAP_MEMORY_OOB);                                               \
    T v;                                                                                         \
    memcpy(&v, mbase + ea, N);                                                                   \
    uint64_t res_ = (conv);                                                                      \
    fp[OD(w)] = res_;
#define LOAD_BODY(N, T, conv) LOAD_BODY_FROM(N, T, conv, fp[OA(w)])
#define LOAD_BODY_E(...) LOAD_BODY(__VA_ARGS__)
#define LOAD(name, N, T, conv)                                                                   \
    L_##name : {                                                                                 \
        LOAD_BODY(N, T, conv)                                                                    \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
#define LOAD_E(name) LOAD_E_(name, E_##name)
#define LOAD_E_(name, ...) LOAD(name, __VA_ARGS__)
#define E_I32_LOAD 4, uint32_t, v
#define E_I64_LOAD 8, uint64_t, v
#define E_I32_LOAD8_U 1, uint8_t, v
    LOAD_E(I32_LOAD)
    LOAD_E(I64_LOAD)
    LOAD(I32_LOAD8_S, 1, uint8_t, sext8_32(v))
    LOAD_E(I32_LOAD8_U)
#define E_I32_LOAD16_S 2, uint16_t, sext16_32(v)
    LOAD_E(I32_LOAD16_S)
#define E_I32_LOAD16_U 2, uint16_t, v
    LOAD_E(I32_LOAD16_U)
    LOAD(I64_LOAD8_S, 1, uint8_t, sext8_64(v))
    LOAD(I64_LOAD8_U, 1, uint8_t, v)
    LOAD(I64_LOAD16_S, 2, uint16_t, sext16_64(v))
    LOAD(I64_LOAD16_U, 2, uint16_t, v)
    LOAD(I64_LOAD32_S, 4, uint32_t, sext32(v))
    LOAD(I64_LOAD32_U, 4, uint32_t, v)
#define STORE_BODY(N, T)                                                                         \
    const uint64_t *w = pc + 1;                                                                     \
    uint64_t ea = (uint64_t)(uint32_t)fp[OA(w)] + OHI(w);                                        \
    if (ea + N > msize) TRAP(BST_TRAP_MEMORY_OOB);                                               \
    T v = (T)fp[OD(w)];                                                                          \
    memcpy(mbase + ea, &v, N);
#define STORE(name, N, T)                                                                        \
    L_##name : {                                                                                 \
        STORE_BODY(N, T)                                                                         \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
    STORE(STORE8, 1, uint8_t)
    STORE(STORE16, 2, uint16_t)
    STORE(STORE32, 4, uint32_t)
    STORE(STORE64, 8, uint64_t)
    L_MEMORY_SIZE : { /* [op][dst] */
        fp[OD(pc + 1)] = inst->mem0->pages;
        pc += 2;
        NEXT();
    }
    L_MEMORY_GROW : { /* [op][dst | delta<<16] */
        const uint64_t *w = pc + 1;
        int64_t old = eng_memory_grow_internal(inst->mem0, (uint32_t)fp[OA(w)]);
        fp[OD(w)] = (uint32_t)old;
        RELOAD_MEM();
        pc += 2;
        NEXT();
    }
    L_MEMORY_INIT : { /* [op][d | s<<16 | n<<32][data] */
        const uint64_t *w = pc + 1;
        uint64_t d = (uint32_t)fp[OD(w)], src = (uint32_t)fp[OA(w)], n = (uint32_t)fp[OB(w)];
        CHARGE_BULK(n);
        uint32_t seg = (uint32_t)pc[2];
        if (src + n > inst->data_len[seg] || d + n > msize) TRAP(BST_TRAP_MEMORY_OOB);
        if (n) memcpy(mbase + d, inst->module->datas[seg].bytes + src, n);
        pc += 3;
        NEXT();
    }
    L_DATA_DROP : { /* [op][data] */
        inst->data_len[pc[1]] = 0;
        pc += 2;
        NEXT();
    }
    L_MEMORY_COPY : { /* [op][d | s<<16 | n<<32] */
        const uint64_t *w = pc + 1;
        uint64_t d = (uint32_t)fp[OD(w)], src = (uint32_t)fp[OA(w)], n = (uint32_t)fp[OB(w)];
        CHARGE_BULK(n);
        if (src + n > msize || d + n > msize) TRAP(BST_TRAP_MEMORY_OOB);
        if (n) memmove(mbase + d, mbase + src, n);
        pc += 2;
        NEXT();
    }
    L_MEMORY_FILL : { /* [op][d | val<<16 | n<<32] */
        const uint64_t *w = pc + 1;
        uint64_t d = (uint32_t)fp[OD(w)], n = (uint32_t)fp[OB(w)];
        CHARGE_BULK(n);
        if (d + n > msize) TRAP(BST_TRAP_MEMORY_OOB);
        if (n) memset(mbase + d, (int)(fp[OA(w)] & 0xff), n);
        pc += 2;
        NEXT();
    }

    /* ---- tables ---- */
    L_TABLE_GET : { /* [op][dst | index<<16 | table<<32] */
        const uint64_t *w = pc + 1;
        bst_table *t = inst->tables[OHI(w)];
        uint32_t i = (uint32_t)fp[OA(w)];
        if (i >= t->size) TRAP(BST_TRAP_TABLE_OOB);
        fp[OD(w)] = t->elems[i];
        pc += 2;
        NEXT();
    }
    L_TABLE_SET : { /* [op][value | index<<16 | table<<32] */
        const uint64_t *w = pc + 1;
        bst_table *t = inst->tables[OHI(w)];
        uint32_t i = (uint32_t)fp[OA(w)];
        if (i >= t->size) TRAP(BST_TRAP_TABLE_OOB);
        t->elems[i] = fp[OD(w)];
        pc += 2;
        NEXT();
    }
    L_TABLE_SIZE : { /* [op][dst | table<<32] */
        const uint64_t *w = pc + 1;
        fp[OD(w)] = inst->tables[OHI(w)]->size;
        pc += 2;
        NEXT();
    }
    L_TABLE_GROW : { /* [op][dst | init<<16 | n<<32][table] */
        const uint64_t *w = pc + 1;
        int64_t old = eng_table_grow_internal(inst->tables[pc[2]], (uint32_t)fp[OB(w)], fp[OA(w)]);
        fp[OD(w)] = (uint32_t)old;
        pc += 3;
        NEXT();
    }
    L_TABLE_FILL : { /* [op][i | val<<16 | n<<32][table] */
        const uint64_t *w = pc + 1;
        bst_table *t = inst->tables[pc[2]];
        uint64_t i = (uint32_t)fp[OD(w)], n = (uint32_t)fp[OB(w)], v = fp[OA(w)];
        CHARGE_BULK(n);
        if (i + n > t->size) TRAP(BST_TRAP_TABLE_OOB);
        for (uint64_t k = 0; k < n; k++) t->elems[i + k] = v;
        pc += 3;
        NEXT();
    }
    L_TABLE_COPY : { /* [op][d | s<<16 | n<<32][dst_table | src_table<<32] */
        const uint64_t *w = pc + 1;
        bst_table *dt = inst->tables[(uint32_t)pc[2]], *st = inst->tables[OHI(pc + 2)];
        uint64_t d = (uint32_t)fp[OD(w)], src = (uint32_t)fp[OA(w)], n = (uint32_t)fp[OB(w)];
        CHARGE_BULK(n);
        if (src + n > st->size || d + n > dt->size) TRAP(BST_TRAP_TABLE_OOB);
        if (n) memmove(dt->elems + d, st->elems + src, n * sizeof *dt->elems);
        pc += 3;
        NEXT();
    }
    L_TABLE_INIT : { /* [op][d | s<<16 | n<<32][elem | table<<32] */
        const uint64_t *w = pc + 1;
        uint32_t seg = (uint32_t)pc[2];
        bst_table *t = inst->tables[OHI(pc + 2)];
        uint64_t d = (uint32_t)fp[OD(w)], src = (uint32_t)fp[OA(w)], n = (uint32_t)fp[OB(w)];
        CHARGE_BULK(n);
        if (src + n > inst->elem_len[seg] || d + n > t->size) TRAP(BST_TRAP_TABLE_OOB);
        if (n) memcpy(t->elems + d, inst->elem_items[seg] + src, n * sizeof *t->elems);
        pc += 3;
        NEXT();
    }
    L_ELEM_DROP : { /* [op][elem] */
        inst->elem_len[pc[1]] = 0;
        pc += 2;
        NEXT();
    }
    L_REF_IS_NULL : { /* [op][dst | ref<<16] */
        const uint64_t *w = pc + 1;
        fp[OD(w)] = fp[OA(w)] == 0;
        pc += 2;
        NEXT();
    }
    L_REF_FUNC : { /* [op][dst | func<<32] */
        const uint64_t *w = pc + 1;
        fp[OD(w)] = (uint64_t)(uintptr_t)inst->funcs[OHI(w)];
        pc += 2;
        NEXT();
    }

    /* ---- fused compare + branch: [op][- | a<<16 | b<<32 (or imm32<<32)][rel] ---- */
/* CMPBR_REGS / CMPBR_IMM read the operands a and b of type T; an i64 immediate is sign-extended,
 * as in BINI_BODY */
#define CMPBR_REGS(T)                                                                            \
    const uint64_t *w = pc + 1;                                                                  \
    T a = (T)fp[OA(w)], b = (T)fp[OB(w)];
#define CMPBR_IMM(T)                                                                             \
    const uint64_t *w = pc + 1;                                                                  \
    T a = (T)fp[OA(w)], b = (T)(sizeof(T) == 4 ? (uint64_t)OHI(w) : sext32(OHI(w)));
#define CMPBR(name, cmp, OPERANDS)                                                               \
    L_BR_##name : {                                                                              \
        OPERANDS                                                                                 \
        pc += CMP_##cmp ? (int64_t)pc[2] : 3;                                                    \
        NEXT();                                                                                  \
    }
/* into a metered block (ops.h: ENG_X_OP_CMPBR_INTO), as BR_IF_INTO above */
#define CMPBR_INTO(name, cmp, OPERANDS)                                                          \
    L_BR_##name##_FUEL : {                                                                       \
        OPERANDS                                                                                 \
        if (CMP_##cmp) {                                                                         \
            pc += (int64_t)pc[2];                                                                \
            ENTER_FUEL();                                                                        \
        }                                                                                        \
        pc += 3;                                                                                 \
        NEXT();                                                                                  \
    }                                                                                            \
    L_BR_##name##_LOOP : {                                                                       \
        OPERANDS                                                                                 \
        if (CMP_##cmp) {                                                                         \
            pc += (int64_t)pc[2];                                                                \
            ENTER_LOOP();                                                                        \
        }                                                                                        \
        pc += 3;                                                                                 \
        NEXT();                                                                                  \
    }                                                                                            \
    L_IF_##name##_FUEL : {                                                                       \
        OPERANDS                                                                                 \
        pc += CMP_##cmp ? (int64_t)pc[2] : 3;                                                    \
        ENTER_FUEL();                                                                            \
    }
#define CMPBR_T_I32 uint32_t
#define CMPBR_T_I64 uint64_t
#define CMPBR_ALL(iop, T)                                                                        \
    CMPBR(iop, iop, CMPBR_REGS(T)) CMPBR(iop##_IMM, iop, CMPBR_IMM(T))                           \
    CMPBR_INTO(iop, iop, CMPBR_REGS(T)) CMPBR_INTO(iop##_IMM, iop, CMPBR_IMM(T))
#define CMPBR_ROW(code, name, imm, how, iop, in, out, C, I, B, N, inv)                           \
    ENG_PICK_##B(CMPBR_ALL(iop, CMPBR_T_##in), )
    ENG_WASM_NUMERIC_OPS(CMPBR_ROW)

    /* ---- superinstructions (ops.h: ENG_FUSED_OPS): [op][first's cell][second's cell] ---- */
#define FIRST_I32_ADD BIN_BODY_E(E_I32_ADD)
#define FIRST_I32_ADD_IMM BINI_BODY_E(E_I32_ADD)
#define FIRST_I32_MUL BIN_BODY_E(E_I32_MUL)
#define FIRST_I32_AND BIN_BODY_E(E_I32_AND)
#define FIRST_I32_AND_IMM BINI_BODY_E(E_I32_AND)
#define FIRST_I32_XOR BIN_BODY_E(E_I32_XOR)
#define FIRST_I32_SHL_IMM BINI_BODY_E(E_I32_SHL)
#define FIRST_I32_SHR_U_IMM BINI_BODY_E(E_I32_SHR_U)
#define FIRST_F64_ADD BINF64_BODY(E_F64_ADD)
#define FIRST_F64_SUB BINF64_BODY(E_F64_SUB)
#define FIRST_F64_MUL BINF64_BODY(E_F64_MUL)
#define FIRST_I32_LOAD LOAD_BODY_E(E_I32_LOAD)
#define FIRST_I64_LOAD LOAD_BODY_E(E_I64_LOAD)
#define FIRST_I32_LOAD8_U LOAD_BODY_E(E_I32_LOAD8_U)
#define FIRST_STORE32 STORE_BODY(4, uint32_t)
#define FIRST_STORE64 STORE_BODY(8, uint64_t)
#define FIRST_SELECT SELECT_BODY
#define FIRST_CONST32 CONST32_BODY
#define FIRST_I32_XOR_IMM BINI_BODY_E(E_I32_XOR)
#define FIRST_I64_MUL BIN_BODY_E(E_I64_MUL)
#define FIRST_I64_SHL_IMM BINI_BODY_E(E_I64_SHL)
#define FIRST_I64_SHR_U_IMM BINI_BODY_E(E_I64_SHR_U)
#define FIRST_I64_EXTEND_I32_U UN_BODY(E_I64_EXTEND_I32_U)
#define FIRST_I32_LOAD16_S LOAD_BODY_E(E_I32_LOAD16_S)
#define FIRST_I32_LOAD16_U LOAD_BODY_E(E_I32_LOAD16_U)
#define FIRST_F64_LT BINF64_BODY(E_F64_LT)
#define FIRST_F64_GT BINF64_BODY(E_F64_GT)
#define FIRST_GLOBAL_GET GLOBAL_GET_BODY
#define FIRST_I32_SUB BIN_BODY_E(E_I32_SUB)
#define FIRST_I64_ADD BIN_BODY_E(E_I64_ADD)
#define FIRST_I64_OR BIN_BODY_E(E_I64_OR)
#define FIRST_I64_LT_U BIN_BODY(uint64_t, CMP_I64_LT_U)
#define FIRST_I32_WRAP_I64 UN_BODY(E_I32_WRAP_I64)
#define FIRST_GLOBAL_SET                                                                         \
    const uint64_t *w = pc + 1;                                                                  \
    inst->globals[OHI(w)]->val = fp[OD(w)];
#define FIRST_I32_SUB_IMM BINI_BODY_E(E_I32_SUB)
#define FIRST_I64_SUB_IMM BINI_BODY_E(E_I64_SUB)
/* three cells: one more step than the other first halves take */
#define FIRST_CONST64                                                                            \
    fp[OD(pc + 1)] = pc[2];                                                                      \
    pc += 1;
#define FIRST_COPY                                                                               \
    const uint64_t *w = pc + 1;                                                                  \
    fp[OD(w)] = fp[OA(w)];
/* The first op's work (a trap in it has pc at the instruction, which the code map gives the
 * first op's offset), then the second's handler one cell on, where its operand cell is pc[1]
 * and its trap site maps to the second op (compile.c notes it there). */
#define FUSED(first, second)                                                                     \
    L_##first##__##second : {                                                                    \
        FIRST_##first                                                                            \
        pc += 1;                                                                                 \
        goto L_##second;                                                                         \
    }
    ENG_FUSED_OPS(FUSED)
/* A__B__C: A's work, B's one cell on, then C's handler two cells on (compile.c moves each op's
 * code map entry to the cell its work starts from, as for the pairs). */
#define FUSED3(a, b, c)                                                                          \
    L_##a##__##b##__##c : {                                                                      \
        {FIRST_##a}                                                                              \
        pc += 1;                                                                                 \
        {FIRST_##b}                                                                              \
        pc += 1;                                                                                 \
        goto L_##c;                                                                              \
    }
    ENG_FUSED3_OPS(FUSED3)
/* Chained superinstructions (ops.h: ENG_CHAINED_OPS, ENG_CHAINED3_OPS): A's work, whose body
 * names its result res_ (not read back from the slot: the C compiler must assume that the store
 * into the frame may have changed the code cells, both being uint64_t), then B's (and C's) with
 * the value of the op before as its operand a (link CA) or b (CB), or with both from the slots
 * (CN).  pc moves on as in FUSED/FUSED3, so that a trap in B's or C's part names that op. */
#define CHAIN_SRC_CA_A r_
#define CHAIN_SRC_CA_B fp[OB(w)]
#define CHAIN_SRC_CB_A fp[OA(w)]
#define CHAIN_SRC_CB_B r_
#define CHAIN_SRC_CN_A fp[OA(w)]
#define CHAIN_SRC_CN_B fp[OB(w)]
/* the ops that may be chained into (the second or third op of a row): their own work (the
 * *_BODY_FROM forms), with the operands the link gives */
#define CHAIN_BIN_E(link, ...) BIN_BODY_FROM(__VA_ARGS__, CHAIN_SRC_##link##_A, CHAIN_SRC_##link##_B)
#define CHAIN_BINI_E(link, ...) BINI_BODY_FROM(__VA_ARGS__, CHAIN_SRC_##link##_A)
#define CHAIN_LOAD_E(link, ...) LOAD_BODY_FROM(__VA_ARGS__, CHAIN_SRC_##link##_A)
#define CHAIN_F64(link, expr) BINF64_BODY_FROM(expr, CHAIN_SRC_##link##_A, CHAIN_SRC_##link##_B)
#define CHAINED_F64_ADD(link) CHAIN_F64(link, E_F64_ADD)
#define CHAINED_F64_SUB(link) CHAIN_F64(link, E_F64_SUB)
#define CHAINED_F64_MUL(link) CHAIN_F64(link, E_F64_MUL)
#define CHAINED_I32_ADD(link) CHAIN_BIN_E(link, E_I32_ADD)
#define CHAINED_I32_MUL(link) CHAIN_BIN_E(link, E_I32_MUL)
#define CHAINED_I32_ADD_IMM(link) CHAIN_BINI_E(link, E_I32_ADD)
#define CHAINED_I32_AND_IMM(link) CHAIN_BINI_E(link, E_I32_AND)
#define CHAINED_I32_XOR_IMM(link) CHAIN_BINI_E(link, E_I32_XOR)
#define CHAINED_I32_SHR_U_IMM(link) CHAIN_BINI_E(link, E_I32_SHR_U)
#define CHAINED_I32_LOAD(link) CHAIN_LOAD_E(link, E_I32_LOAD)
#define CHAINED_I32_LOAD8_U(link) CHAIN_LOAD_E(link, E_I32_LOAD8_U)
#define CHAINED_I32_LOAD16_U(link) CHAIN_LOAD_E(link, E_I32_LOAD16_U)
/* A's work, then B's reached by link2 (the part every chained superinstruction starts with), pc
 * on B's cell; r_ holds B's result */
#define CHAIN_FIRST_TWO(first, second, link2)                                                    \
    uint64_t r_;                                                                                 \
    {                                                                                            \
        FIRST_##first                                                                            \
        r_ = res_;                                                                               \
    }                                                                                            \
    pc += 1;                                                                                     \
    {                                                                                            \
        CHAINED_##second(link2)                                                                  \
        r_ = res_;                                                                               \
    }
#define CHAINED_AS(first, second, link)                                                          \
    L_##first##__##second##__##link : {                                                          \
        CHAIN_FIRST_TWO(first, second, link)                                                     \
        pc += 2;                                                                                 \
        NEXT();                                                                                  \
    }
#define CHAINED_LINKS_AB(first, second) CHAINED_AS(first, second, CA) CHAINED_AS(first, second, CB)
#define CHAINED_LINKS_A(first, second) CHAINED_AS(first, second, CA)
#define CHAINED(first, second, links) CHAINED_LINKS_##links(first, second)
    ENG_CHAINED_OPS(CHAINED)
/* C's part: its work reached by the link (CA, CB), or its own handler (GO) */
#define CHAIN_THIRD_LINKED(third, link)                                                          \
    {                                                                                            \
        CHAINED_##third(link)                                                                    \
    }                                                                                            \
    pc += 2;                                                                                     \
    NEXT();
#define CHAIN_THIRD_CA(third) CHAIN_THIRD_LINKED(third, CA)
#define CHAIN_THIRD_CB(third) CHAIN_THIRD_LINKED(third, CB)
#define CHAIN_THIRD_GO(third) goto L_##third;
#define CHAINED3_AS(first, second, third, link2, link3)                                          \
    L_##first##__##second##__##third##__##link2##link3 : {                                       \
        CHAIN_FIRST_TWO(first, second, link2)                                                    \
        pc += 1;                                                                                 \
        CHAIN_THIRD_##link3(third)                                                               \
    }
#define CHAINED3(a, b, c, links2, links3) ENG_CHAINED3_VARIANTS(CHAINED3_AS, a, b, c, links2, links3)
    ENG_CHAINED3_OPS(CHAINED3)

    /* ---- metering and determinism ---- */
    L_FUEL : /* [op][cost] */
        CHARGE((int64_t)pc[1]);
    pc += 2;
    NEXT();
    L_FUEL_LOOP : /* [op][cost]: a loop head, so also the place to notice interruption */
        if (INTERRUPTED()) TRAP(BST_TRAP_INTERRUPTED);
    L_FUEL_CHARGE : /* FUEL_LOOP after its poll */
        CHARGE((int64_t)pc[1]);
    pc += 2;
    NEXT();
    /* count_instructions: before the block's FUEL/FUEL_LOOP, whose cost is the block's
     * instruction count.  Nothing but the add, so that the dispatch loop's register allocation
     * stays as it is without it (a fuller handler here spilled a hot register). */
    L_COUNT : /* [op][func], then [FUEL op][cost] */
        inst->insn[pc[1]] += pc[3];
    pc += 2;
    NEXT();
    L_INTERRUPT_CHECK : /* [op] */
        if (INTERRUPTED()) TRAP(BST_TRAP_INTERRUPTED);
    pc += 1;
    NEXT();
    L_CANON32 : { /* [op][dst | src<<16] */
        const uint64_t *w = pc + 1;
        uint32_t v = (uint32_t)fp[OA(w)];
        fp[OD(w)] = (v & 0x7fffffffu) > 0x7f800000u ? 0x7fc00000u : v;
        pc += 2;
        NEXT();
    }
    L_CANON64 : { /* [op][dst | src<<16] */
        const uint64_t *w = pc + 1;
        uint64_t v = fp[OA(w)];
        fp[OD(w)] = (v & ~((uint64_t)1 << 63)) > 0x7ff0000000000000u ? 0x7ff8000000000000u : v;
        pc += 2;
        NEXT();
    }

trapped:
    /* the wasm stack at the trap, innermost first: `cur`, then the saved callers */
    s->ntrace = 0;
    s->trace_pc[s->ntrace] = pc;
    s->trace[s->ntrace++] = cur;
    for (uint32_t d = s->depth; d > base_depth && s->ntrace < BST_MAX_BACKTRACE; d--) {
        s->trace_pc[s->ntrace] = s->frames[d - 1].pc - 1; /* inside the call */
        s->trace[s->ntrace++] = s->frames[d - 1].func;
    }
    s->depth = base_depth;
    s->fuel = fuel;
    /* Only the outermost activation withdraws the request: a call re-entered from a host
     * function leaves it set, so the interrupt also stops every activation around it. */
    if (trap == BST_TRAP_INTERRUPTED && s->activations == 1) eng_interrupt_consume(s);
    if (!err_filled) eng_trap_error(err, trap);
    if (BASTION_PROBE_ENABLED(trap) || BASTION_PROBE_ENABLED(fuel__exhausted) ||
        BASTION_PROBE_ENABLED(interrupt))
        eng_observe_trap(s, cur, trap, err);
    return BST_ERR_TRAP;
done:
    s->fuel = fuel;
    return BST_OK;
}

const void *const *eng_interp_handlers(void) {
    const void *const *h = NULL;
    run(NULL, NULL, NULL, NULL, &h);
    return h;
}

bst_status eng_interp_call(bst_store *s, bst_func *f, uint64_t *slots, bst_error *err) {
    if (!s->stack && !eng_stacks_init(s, err)) return BST_ERR_NOMEM;
    const eng_ftype *t = f->type;
    /* Each activation nests native frames (run, host function, bst_call): bound them
     * separately from wasm call depth, which costs no native stack. */
    if (s->activations >= s->config.max_reentry) {
        eng_trap_reentry(s, err);
        return BST_ERR_TRAP;
    }
    if (!f->code) {
        s->activations++;
        bool ok = call_host(s, f, NULL, slots, false, err);
        bool interrupted = eng_interrupt_due(s);
        if (interrupted && s->activations == 1) eng_interrupt_consume(s);
        s->activations--;
        if (interrupted) return eng_trap_error(err, BST_TRAP_INTERRUPTED);
        return ok ? BST_OK : BST_ERR_TRAP;
    }
    uint64_t *base = s->stack_top;
    if (s->depth >= s->config.max_call_depth) {
        eng_trap_call_depth(s, err);
        return BST_ERR_TRAP;
    }
    if (base + f->code->frame_slots > s->stack_end &&
        !eng_stack_grow(s, base, f->code->frame_slots, err))
        return BST_ERR_TRAP;
    if (s->depth >= s->frames_cap && !eng_frames_grow(s, err)) return BST_ERR_TRAP;
    memcpy(base, slots, t->nparams * sizeof *slots);
    /* The host's own activation counts towards the depth limit; its frame, without a function,
     * marks the boundary for stack walks (bst_store_stack). */
    s->frames[s->depth].func = NULL;
    s->frames[s->depth].pc = NULL;
    s->frames[s->depth].fp = NULL;
    s->depth++;
    s->activations++;
    bst_status st = run(s, f, base, err, NULL);
    s->activations--;
    s->depth--;
    if (st == BST_OK) memcpy(slots, base, t->nresults * sizeof *slots);
    return st;
}
/* clang-format on */
