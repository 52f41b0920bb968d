/*
 * decode.c — the WebAssembly 2.0 binary format: turns module bytes into a bst_module.
 *
 * Owns everything structural: header, section framing and order, LEB128 and UTF-8 rules, every
 * section's entries (element encodings 0..7, data encodings 0..2), local declarations, constant
 * expressions, custom sections and the `name` section's function names.  It rejects with status
 * MALFORMED (UNSUPPORTED for SIMD, LIMIT for the caps of module.h); index ranges and types are
 * left to validate.c, function bodies to the compiler.
 *
 * Memory: every array whose size follows a count in the input (entries of every section, element
 * items, locals, names) is charged to bst_module_config.max_decoded_bytes before it is allocated,
 * so a small binary cannot make the host allocate without bound: one byte of element segment is
 * 24 bytes decoded, a five-byte local declaration up to 200 KB.  Over the budget is LIMIT.
 *
 * Reads are bounded by the end of the whole input, not by the enclosing section, and each
 * section's size is checked once it has been parsed.  That is how the reference interpreter
 * decodes, so the spec testsuite's expected messages ("section size mismatch", "unexpected end",
 * "length out of bounds") come out the same.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/leb.h"
#include "engine/module.h"
#include "engine/ops.h"

typedef struct dec {
    eng_reader r; /* over m->bytes, end = end of the input */
    bst_module *m;
    bst_error *err;
    size_t len;
    uint32_t nfunc_decls; /* entries of the function section */
    uint32_t ncode;       /* entries of the code section */
    size_t code_offset;   /* where the code section started, for the count mismatch */
    /* Non-constant instructions in constant expressions are validation errors, but the
     * reference reports malformed input anywhere in the module first, so the first such error
     * is held back until decoding has finished. */
    bool has_deferred;
    bst_error deferred;
    uint64_t charged;     /* bytes charged to m->config.max_decoded_bytes so far */
    uint32_t customs_cap; /* allocated entries of m->customs */
} dec;

/* What malloc itself needs per allocation, charged on top of the bytes asked for. */
#define ALLOC_OVERHEAD 16u

enum {
    SEC_CUSTOM = 0,
    SEC_TYPE,
    SEC_IMPORT,
    SEC_FUNCTION,
    SEC_TABLE,
    SEC_MEMORY,
    SEC_GLOBAL,
    SEC_EXPORT,
    SEC_START,
    SEC_ELEMENT,
    SEC_CODE,
    SEC_DATA,
    SEC_DATACOUNT
};

static size_t off(const dec *d) { return eng_reader_offset(&d->r); }
static size_t remaining(const dec *d) { return (size_t)(d->r.end - d->r.p); }

/* The error helpers return a literal false (not eng_fail's result) so the compiler can see that
 * a failing reader never leaves its output unset on a "success" path. */
static bool malformed(dec *d, size_t at, const char *msg) {
    eng_fail(d->err, BST_ERR_MALFORMED, at, "%s", msg);
    return false;
}

static bool unsupported_simd(dec *d, size_t at) {
    eng_fail(d->err, BST_ERR_UNSUPPORTED, at, "SIMD not supported");
    return false;
}

static bool nomem(dec *d) {
    eng_fail(d->err, BST_ERR_NOMEM, off(d), "out of memory");
    return false;
}

static bool too_many(dec *d, size_t at, const char *what, uint32_t cap) {
    eng_fail(d->err, BST_ERR_LIMIT, at, "too many %s (limit %u)", what, cap);
    return false;
}

/* Charges an allocation of n entries of `size` bytes to the decoded-memory budget before it is
 * made; LIMIT when it does not fit.  (n <= 2^32 and size is a small struct: no overflow.) */
static bool charge(dec *d, size_t at, uint64_t n, size_t size, const char *what) {
    uint64_t bytes = n * size + ALLOC_OVERHEAD;
    uint64_t budget = d->m->config.max_decoded_bytes;
    if (bytes > budget - d->charged) {
        eng_fail(d->err, BST_ERR_LIMIT, at,
                 "decoded module exceeds its memory limit of %llu bytes (%llu more for %llu %s, "
                 "%llu already used)",
                 (unsigned long long)budget, (unsigned long long)bytes, (unsigned long long)n, what,
                 (unsigned long long)d->charged);
        return false;
    }
    d->charged += bytes;
    return true;
}

static void defer_invalid(dec *d, size_t at, const char *msg) {
    if (d->has_deferred) return;
    d->has_deferred = true;
    eng_fail(&d->deferred, BST_ERR_INVALID, at, "%s", msg);
}

static bool rd_u8(dec *d, uint8_t *out) {
    *out = 0;
    if (!eng_read_u8(&d->r, out)) return false;
    return true;
}

static bool read_u32(eng_reader *r, uint32_t *out) {
    uint64_t v = 0;
    *out = 0;
    if (!eng_read_uleb(r, 32, &v)) return false;
    *out = (uint32_t)v;
    return true;
}

static bool rd_u32(dec *d, uint32_t *out) { return read_u32(&d->r, out); }

static bool rd_sleb(dec *d, unsigned bits, int64_t *out) {
    *out = 0;
    if (!eng_read_sleb(&d->r, bits, out)) return false;
    return true;
}

/* A byte length (section size, name, data bytes).  Like the reference, it is compared with what
 * is left of the input counted from the length's own first byte. */
static bool rd_len(dec *d, uint32_t *out) {
    size_t at = off(d);
    if (!rd_u32(d, out)) return false;
    if (*out > d->len - at) return malformed(d, at, "length out of bounds");
    return true;
}

/* A vector length.  Every entry takes at least one byte, so a count larger than the rest of the
 * input can never be satisfied: rejecting it here keeps allocations proportional to the input.
 * `cap` is the structural limit of module.h for what the vector holds. */
static bool rd_count(dec *d, uint32_t *out, uint32_t cap, const char *what) {
    size_t at = off(d);
    if (!rd_len(d, out)) return false;
    if (*out > remaining(d)) return malformed(d, d->len, "unexpected end");
    if (*out > cap) return too_many(d, at, what, cap);
    return true;
}

/* Type bytes are signed 7-bit LEB128 in the format, so a continuation bit is an overlong
 * integer, not merely an unknown type. */
static bool rd_typebyte(dec *d, uint8_t *out, size_t *at) {
    *at = off(d);
    if (!rd_u8(d, out)) return false;
    if (*out & 0x80) return malformed(d, *at, "integer representation too long");
    return true;
}

static bool rd_valtype(dec *d, bst_valtype *out) {
    uint8_t b;
    size_t at;
    if (!rd_typebyte(d, &b, &at)) return false;
    if (b == BST_V128) return unsupported_simd(d, at);
    if (!eng_is_valtype(b)) return malformed(d, at, "malformed value type");
    *out = (bst_valtype)b;
    return true;
}

static bool rd_reftype(dec *d, bst_valtype *out) {
    uint8_t b;
    size_t at;
    if (!rd_typebyte(d, &b, &at)) return false;
    if (!eng_is_reftype((bst_valtype)b)) return malformed(d, at, "malformed reference type");
    *out = (bst_valtype)b;
    return true;
}

static bool rd_limits(dec *d, bst_limits *out) {
    size_t at = off(d);
    uint8_t flag;
    if (!rd_u8(d, &flag)) return false;
    /* The flag is a 1-bit LEB128 in the reference, hence these two messages. */
    if (flag & 0x80) return malformed(d, at, "integer representation too long");
    if (flag > 1) return malformed(d, at, "integer too large");
    memset(out, 0, sizeof *out);
    if (!rd_u32(d, &out->min)) return false;
    out->has_max = flag == 1;
    if (out->has_max && !rd_u32(d, &out->max)) return false;
    return true;
}

static bool rd_mut(dec *d, bool *out) {
    size_t at = off(d);
    uint8_t b;
    if (!rd_u8(d, &b)) return false;
    if (b > 1) return malformed(d, at, "malformed mutability");
    *out = b == 1;
    return true;
}

static bool utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            k = 1, cp = c & 0x1fu, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            k = 2, cp = c & 0x0fu, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            k = 3, cp = c & 0x07u, min = 0x10000;
        } else {
            return false;
        }
        if (n - i - 1 < k) return false;
        for (size_t j = 1; j <= k; j++) {
            uint8_t b = s[i + j];
            if ((b & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3fu);
        }
        /* overlong forms, surrogates and code points past U+10FFFF are not UTF-8 */
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += k + 1;
    }
    return true;
}

static char *dup_bytes(const uint8_t *p, size_t n) {
    char *s = malloc(n + 1);
    if (!s) return NULL;
    if (n) memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

/* A name: length-prefixed UTF-8, returned as a NUL-terminated copy. */
static bool rd_name(dec *d, char **out, uint32_t *out_len) {
    size_t at = off(d);
    uint32_t n;
    if (!rd_len(d, &n)) return false;
    if (n > remaining(d)) return malformed(d, d->len, "unexpected end");
    if (!utf8_valid(d->r.p, n)) return malformed(d, at, "malformed UTF-8 encoding");
    if (!charge(d, at, (uint64_t)n + 1, 1, "name bytes")) return false;
    *out = dup_bytes(d->r.p, n);
    if (!*out) return nomem(d);
    *out_len = n;
    d->r.p += n;
    return true;
}

/* A zero-filled array of n elements; never asks malloc for 0 bytes (which may return NULL). */
static void *alloc_array(size_t n, size_t size) { return calloc(n ? n : 1, size); }

/* Grows *arr from old_n to new_n elements, zeroing the new ones. */
static bool grow_array(void **arr, size_t old_n, size_t new_n, size_t size) {
    void *p = realloc(*arr, (new_n ? new_n : 1) * size);
    if (!p) return false;
    if (new_n > old_n) memset((uint8_t *)p + old_n * size, 0, (new_n - old_n) * size);
    *arr = p;
    return true;
}

/* ---- instructions inside constant expressions ------------------------------------------- */

static bool expect_zero(dec *d) {
    size_t at = off(d);
    uint8_t b;
    if (!rd_u8(d, &b)) return false;
    if (b != 0) return malformed(d, at, "zero byte expected");
    return true;
}

static bool skip_u32s(dec *d, unsigned n) {
    uint32_t x;
    for (unsigned i = 0; i < n; i++)
        if (!rd_u32(d, &x)) return false;
    return true;
}

static bool skip_blocktype(dec *d) {
    if (d->r.p >= d->r.end) return malformed(d, d->len, "unexpected end");
    uint8_t b = *d->r.p;
    if (b == 0x40) {
        d->r.p++;
        return true;
    }
    if ((b & 0xc0) == 0x40) {
        bst_valtype t;
        return rd_valtype(d, &t);
    }
    int64_t idx;
    return rd_sleb(d, 33, &idx);
}

/* The immediate shape of every opcode, from the instruction table (ENG_IMM_ILLEGAL where there
 * is no instruction). */
#define ENG_X_IMM(code, name, imm, how, iop, in, out, C, I, B, N, inv) [code] = ENG_IMM_##imm,
static const uint8_t k_imm[256] = {ENG_WASM_OPS(ENG_X_IMM)};
static const uint8_t k_fc_imm[] = {ENG_WASM_FC_OPS(ENG_X_IMM)};
#undef ENG_X_IMM

/* Skips the immediates of one non-constant instruction in a constant expression (opcode at
 * `at` already read, `imm` its shape) so decoding can go on to find any malformed input after
 * it; the caller records "constant expression required". */
static bool skip_imm(dec *d, uint8_t imm, size_t at, uint32_t *depth) {
    uint32_t n;
    int64_t s = 0;
    uint8_t buf[8] = {0};
    bst_valtype t;
    switch ((eng_imm)imm) {
    case ENG_IMM_NONE: return true;
    case ENG_IMM_BLOCKTYPE: (*depth)++; return skip_blocktype(d);
    case ENG_IMM_LABEL:
    case ENG_IMM_FUNC:
    case ENG_IMM_LOCAL:
    case ENG_IMM_GLOBAL:
    case ENG_IMM_TABLE:
    case ENG_IMM_DATA:
    case ENG_IMM_ELEM: return skip_u32s(d, 1);
    case ENG_IMM_TYPE_TABLE:
    case ENG_IMM_TABLE2:
    case ENG_IMM_ELEM_TABLE:
    case ENG_IMM_MEMARG1:
    case ENG_IMM_MEMARG2:
    case ENG_IMM_MEMARG4:
    case ENG_IMM_MEMARG8: return skip_u32s(d, 2);
    case ENG_IMM_BR_TABLE:
        if (!rd_count(d, &n, UINT32_MAX, "branch targets")) return false;
        for (uint32_t i = 0; i <= n; i++)
            if (!skip_u32s(d, 1)) return false;
        return true;
    case ENG_IMM_VALTYPES:
        if (!rd_count(d, &n, UINT32_MAX, "select types")) return false;
        for (uint32_t i = 0; i < n; i++)
            if (!rd_valtype(d, &t)) return false;
        return true;
    case ENG_IMM_MEMORY: return expect_zero(d);
    case ENG_IMM_MEMORY2: return expect_zero(d) && expect_zero(d);
    case ENG_IMM_DATA_MEM: return skip_u32s(d, 1) && expect_zero(d);
    case ENG_IMM_I32: return rd_sleb(d, 32, &s);
    case ENG_IMM_I64: return rd_sleb(d, 64, &s);
    case ENG_IMM_F32: return eng_read_fixed(&d->r, buf, 4);
    case ENG_IMM_F64: return eng_read_fixed(&d->r, buf, 8);
    case ENG_IMM_REFTYPE: return rd_reftype(d, &t);
    case ENG_IMM_PREFIX_FC:
        if (!rd_u32(d, &n)) return false;
        if (n >= sizeof k_fc_imm) break;
        return skip_imm(d, k_fc_imm[n], at, depth); /* never PREFIX_FC again: one level deep */
    case ENG_IMM_SIMD: return unsupported_simd(d, at);
    case ENG_IMM_ILLEGAL:
    case ENG_IMM__COUNT: break;
    }
    return malformed(d, at, "illegal opcode");
}

static uint64_t load_le(const uint8_t *p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;) v = (v << 8) | p[i];
    return v;
}

/* A constant expression up to its `end`.  Only a single constant instruction is stored; any
 * other shape is recorded as a (deferred) validation error. */
static bool rd_constexpr(dec *d, eng_constexpr *out) {
    memset(out, 0, sizeof *out);
    out->offset = off(d);
    uint32_t nvals = 0, depth = 0;
    bool nonconst = false;
    size_t nonconst_at = 0;
    for (;;) {
        size_t at = off(d);
        uint8_t op;
        if (!rd_u8(d, &op)) return false;
        if (op == 0x0b) {
            if (depth == 0) break;
            depth--;
            continue;
        }
        if (op == 0x05 && depth == 0) return malformed(d, at, "END opcode expected");
        eng_constexpr ce;
        memset(&ce, 0, sizeof ce);
        ce.op = op;
        ce.offset = out->offset;
        int64_t s = 0;
        uint8_t buf[8] = {0};
        uint32_t idx;
        switch (op) {
        case 0x41:
            if (!rd_sleb(d, 32, &s)) return false;
            ce.value = (uint64_t)s;
            break;
        case 0x42:
            if (!rd_sleb(d, 64, &s)) return false;
            ce.value = (uint64_t)s;
            break;
        case 0x43:
            if (!eng_read_fixed(&d->r, buf, 4)) return false;
            ce.value = load_le(buf, 4);
            break;
        case 0x44:
            if (!eng_read_fixed(&d->r, buf, 8)) return false;
            ce.value = load_le(buf, 8);
            break;
        case 0xd0:
            if (!rd_reftype(d, &ce.reftype)) return false;
            break;
        case 0xd2:
        case 0x23:
            if (!rd_u32(d, &idx)) return false;
            ce.value = idx;
            break;
        default:
            if (!nonconst) nonconst = true, nonconst_at = at;
            if (!skip_imm(d, k_imm[op], at, &depth)) return false;
            continue;
        }
        if (nvals == 0) *out = ce;
        if (nvals < 2) nvals++;
    }
    if (nonconst) {
        defer_invalid(d, nonconst_at, "constant expression required");
    } else if (nvals != 1) {
        defer_invalid(d, out->offset, "type mismatch");
    }
    return true;
}

/* ---- sections ------------------------------------------------------------------------------ */

static bool sec_custom(dec *d, size_t sec_end) {
    bst_module *m = d->m;
    size_t at = off(d);
    uint32_t n;
    if (!rd_len(d, &n)) return false;
    /* The name must fit the section; the payload is whatever follows it. */
    if (off(d) > sec_end || n > sec_end - off(d)) return malformed(d, d->len, "unexpected end");
    if (!utf8_valid(d->r.p, n)) return malformed(d, at, "malformed UTF-8 encoding");
    if (!charge(d, at, 1, sizeof *m->customs + n + 1 + ALLOC_OVERHEAD, "custom sections"))
        return false;
    if (m->ncustoms == d->customs_cap) { /* doubling: there may be millions of tiny ones */
        uint32_t cap = d->customs_cap ? 2 * d->customs_cap : 4;
        if (!grow_array((void **)&m->customs, m->ncustoms, cap, sizeof *m->customs))
            return nomem(d);
        d->customs_cap = cap;
    }
    eng_custom *c = &m->customs[m->ncustoms++];
    c->name = dup_bytes(d->r.p, n);
    if (!c->name) return nomem(d);
    c->name_len = n;
    d->r.p += n;
    c->offset = off(d);
    c->len = sec_end - c->offset;
    d->r.p = d->r.base + sec_end;
    return true;
}

static bool sec_type(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    size_t at0 = off(d);
    if (!rd_count(d, &n, ENG_MAX_TYPES, "types")) return false;
    if (!charge(d, at0, n, sizeof *m->types + ALLOC_OVERHEAD, "types")) return false;
    m->types = alloc_array(n, sizeof *m->types);
    if (!m->types) return nomem(d);
    m->ntypes = n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t form;
        size_t at;
        if (!rd_typebyte(d, &form, &at)) return false;
        if (form != 0x60) return malformed(d, at, "malformed function type");
        /* Value types are single bytes, so both vectors are checked in place and copied once
         * their total size is known. */
        uint32_t np, nr;
        bst_valtype t;
        if (!rd_count(d, &np, ENG_MAX_PARAMS, "parameters")) return false;
        const uint8_t *params = d->r.p;
        for (uint32_t j = 0; j < np; j++)
            if (!rd_valtype(d, &t)) return false;
        if (!rd_count(d, &nr, ENG_MAX_RESULTS, "results")) return false;
        const uint8_t *results = d->r.p;
        for (uint32_t j = 0; j < nr; j++)
            if (!rd_valtype(d, &t)) return false;
        eng_ftype *ft = &m->types[i];
        if (!charge(d, at, (uint64_t)np + nr, sizeof *ft->types, "parameter and result types"))
            return false;
        ft->types = alloc_array((size_t)np + nr, sizeof *ft->types);
        if (!ft->types) return nomem(d);
        for (uint32_t j = 0; j < np; j++) ft->types[j] = (bst_valtype)params[j];
        for (uint32_t j = 0; j < nr; j++) ft->types[np + j] = (bst_valtype)results[j];
        ft->nparams = np;
        ft->nresults = nr;
        ft->pub.nparams = np;
        ft->pub.nresults = nr;
        ft->pub.params = ft->types;
        ft->pub.results = ft->types + np;
    }
    return true;
}

static bool sec_import(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    size_t at0 = off(d);
    if (!rd_count(d, &n, ENG_MAX_IMPORTS, "imports")) return false;
    /* the entry, and one in the index space it extends */
    if (!charge(d, at0, n, sizeof *m->imports + sizeof(eng_mfunc) + 1, "imports")) return false;
    m->imports = alloc_array(n, sizeof *m->imports);
    if (!m->imports) return nomem(d);
    m->nimports = n;
    uint32_t counts[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < n; i++) {
        eng_import *imp = &m->imports[i];
        if (!rd_name(d, &imp->module, &imp->module_len)) return false;
        if (!rd_name(d, &imp->name, &imp->name_len)) return false;
        size_t at = off(d);
        uint8_t kind;
        if (!rd_u8(d, &kind)) return false;
        switch (kind) {
        case 0:
            if (!rd_u32(d, &imp->type)) return false;
            break;
        case 1:
            if (!rd_reftype(d, &imp->elem) || !rd_limits(d, &imp->limits)) return false;
            break;
        case 2:
            if (!rd_limits(d, &imp->limits)) return false;
            break;
        case 3:
            if (!rd_valtype(d, &imp->gtype) || !rd_mut(d, &imp->gmut)) return false;
            break;
        default: return malformed(d, at, "malformed import kind");
        }
        imp->kind = (bst_extern_kind)kind;
        counts[kind]++;
    }
    if (counts[BST_EXTERN_TABLE] > ENG_MAX_TABLES)
        return too_many(d, off(d), "tables", ENG_MAX_TABLES);
    if (counts[BST_EXTERN_GLOBAL] > ENG_MAX_GLOBALS)
        return too_many(d, off(d), "globals", ENG_MAX_GLOBALS);
    m->funcs = alloc_array(counts[BST_EXTERN_FUNC], sizeof *m->funcs);
    m->tables = alloc_array(counts[BST_EXTERN_TABLE], sizeof *m->tables);
    m->memories = alloc_array(counts[BST_EXTERN_MEMORY], sizeof *m->memories);
    m->globals = alloc_array(counts[BST_EXTERN_GLOBAL], sizeof *m->globals);
    if (!m->funcs || !m->tables || !m->memories || !m->globals) return nomem(d);
    for (uint32_t i = 0; i < n; i++) {
        const eng_import *imp = &m->imports[i];
        switch (imp->kind) {
        case BST_EXTERN_FUNC: {
            eng_mfunc *f = &m->funcs[m->nfuncs++];
            f->type = imp->type;
            f->imported = true;
            break;
        }
        case BST_EXTERN_TABLE: {
            eng_mtable *t = &m->tables[m->ntables++];
            t->elem = imp->elem;
            t->limits = imp->limits;
            t->imported = true;
            break;
        }
        case BST_EXTERN_MEMORY: {
            eng_mmemory *mem = &m->memories[m->nmemories++];
            mem->limits = imp->limits;
            mem->imported = true;
            break;
        }
        case BST_EXTERN_GLOBAL: {
            eng_mglobal *g = &m->globals[m->nglobals++];
            g->type = imp->gtype;
            g->mut = imp->gmut;
            g->imported = true;
            break;
        }
        }
    }
    m->nimported_funcs = m->nfuncs;
    m->nimported_tables = m->ntables;
    m->nimported_memories = m->nmemories;
    m->nimported_globals = m->nglobals;
    return true;
}

/* Reads a section's entry count and extends the index space it belongs to (imports first). */
static bool extend_space(dec *d, void **arr, uint32_t *nitems, size_t size, uint32_t cap,
                         const char *what, uint32_t *n) {
    size_t at = off(d);
    if (!rd_count(d, n, cap, what)) return false;
    if (*n > cap - *nitems) return too_many(d, at, what, cap);
    /* (+1: validation's per-function "declared" flag) */
    if (!charge(d, at, *n, size + 1, what)) return false;
    if (!grow_array(arr, *nitems, (size_t)*nitems + *n, size)) return nomem(d);
    return true;
}

static bool sec_function(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    if (!extend_space(d, (void **)&m->funcs, &m->nfuncs, sizeof *m->funcs, ENG_MAX_FUNCS,
                      "functions", &n))
        return false;
    d->nfunc_decls = n;
    for (uint32_t i = 0; i < n; i++) {
        eng_mfunc *f = &m->funcs[m->nfuncs];
        if (!rd_u32(d, &f->type)) return false;
        m->nfuncs++;
    }
    return true;
}

static bool sec_table(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    if (!extend_space(d, (void **)&m->tables, &m->ntables, sizeof *m->tables, ENG_MAX_TABLES,
                      "tables", &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        eng_mtable *t = &m->tables[m->ntables];
        if (!rd_reftype(d, &t->elem) || !rd_limits(d, &t->limits)) return false;
        m->ntables++;
    }
    return true;
}

static bool sec_memory(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    /* No cap of its own: validation allows one memory, and the count is bounded by the input. */
    if (!extend_space(d, (void **)&m->memories, &m->nmemories, sizeof *m->memories, UINT32_MAX,
                      "memories", &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!rd_limits(d, &m->memories[m->nmemories].limits)) return false;
        m->nmemories++;
    }
    return true;
}

static bool sec_global(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    if (!extend_space(d, (void **)&m->globals, &m->nglobals, sizeof *m->globals, ENG_MAX_GLOBALS,
                      "globals", &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        eng_mglobal *g = &m->globals[m->nglobals];
        if (!rd_valtype(d, &g->type) || !rd_mut(d, &g->mut) || !rd_constexpr(d, &g->init))
            return false;
        m->nglobals++;
    }
    return true;
}

static bool sec_export(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    size_t at0 = off(d);
    if (!rd_count(d, &n, ENG_MAX_EXPORTS, "exports")) return false;
    if (!charge(d, at0, n, sizeof *m->exports, "exports")) return false;
    m->exports = alloc_array(n, sizeof *m->exports);
    if (!m->exports) return nomem(d);
    m->nexports = n;
    for (uint32_t i = 0; i < n; i++) {
        eng_mexport *e = &m->exports[i];
        if (!rd_name(d, &e->name, &e->name_len)) return false;
        size_t at = off(d);
        uint8_t kind;
        if (!rd_u8(d, &kind)) return false;
        if (kind > 3) return malformed(d, at, "malformed export kind");
        e->kind = (bst_extern_kind)kind;
        if (!rd_u32(d, &e->index)) return false;
    }
    return true;
}

static bool sec_start(dec *d) {
    if (!rd_u32(d, &d->m->start)) return false;
    d->m->has_start = true;
    return true;
}

static bool sec_element(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    size_t at0 = off(d);
    if (!rd_count(d, &n, ENG_MAX_SEGMENTS, "element segments")) return false;
    if (!charge(d, at0, n, sizeof *m->elems, "element segments")) return false;
    m->elems = alloc_array(n, sizeof *m->elems);
    if (!m->elems) return nomem(d);
    m->nelems = n;
    for (uint32_t i = 0; i < n; i++) {
        eng_melem *e = &m->elems[i];
        size_t at = off(d);
        uint32_t kind;
        if (!rd_u32(d, &kind)) return false;
        if (kind > 7) return malformed(d, at, "malformed elements segment kind");
        /* bit 0: passive or declarative; bit 1: explicit table index (active) or declarative
         * (otherwise); bit 2: items are expressions rather than function indices. */
        if (kind & 1)
            e->mode = (kind & 2) ? ENG_SEG_DECLARATIVE : ENG_SEG_PASSIVE;
        else
            e->mode = ENG_SEG_ACTIVE;
        e->type = BST_FUNCREF;
        if (e->mode == ENG_SEG_ACTIVE) {
            if ((kind & 2) && !rd_u32(d, &e->table)) return false;
            if (!rd_constexpr(d, &e->offset)) return false;
        }
        if (kind & 3) {
            if (kind & 4) {
                if (!rd_reftype(d, &e->type)) return false;
            } else {
                size_t kat = off(d);
                uint8_t ek;
                if (!rd_u8(d, &ek)) return false;
                if (ek != 0x00) return malformed(d, kat, "malformed element kind");
            }
        }
        uint32_t count;
        size_t cat = off(d);
        if (!rd_count(d, &count, ENG_MAX_ELEM_ITEMS, "element segment items")) return false;
        if (!charge(d, cat, count, sizeof *e->items, "element segment items")) return false;
        e->items = alloc_array(count, sizeof *e->items);
        if (!e->items) return nomem(d);
        for (uint32_t j = 0; j < count; j++) {
            eng_constexpr *it = &e->items[j];
            if (kind & 4) {
                if (!rd_constexpr(d, it)) return false;
            } else {
                it->offset = off(d);
                it->op = 0xd2;
                uint32_t fidx;
                if (!rd_u32(d, &fidx)) return false;
                it->value = fidx;
            }
            e->count = j + 1;
        }
    }
    return true;
}

static bool sec_datacount(dec *d) {
    if (!rd_u32(d, &d->m->datacount)) return false;
    d->m->has_datacount = true;
    return true;
}

/* Local declarations of one body.  Read twice: once to check the total against the cap before
 * anything is allocated, once to fill the array. */
static bool rd_locals(dec *d, eng_mfunc *f, size_t body_end) {
    bst_module *m = d->m;
    uint32_t ndecls;
    if (!rd_count(d, &ndecls, UINT32_MAX, "local declarations")) return false;
    const uint8_t *decls = d->r.p;
    uint64_t nparams = 0;
    if (f && f->type < m->ntypes) nparams = m->types[f->type].nparams;
    uint64_t total = 0;
    for (uint32_t i = 0; i < ndecls; i++) {
        size_t at = off(d);
        uint32_t cnt;
        bst_valtype t;
        if (!rd_u32(d, &cnt)) return false;
        total += cnt;
        if (nparams + total > ENG_MAX_LOCALS) return malformed(d, at, "too many locals");
        if (!rd_valtype(d, &t)) return false;
    }
    if (off(d) > body_end) return malformed(d, body_end, "section size mismatch");
    if (!f) return true;
    if (total && !charge(d, eng_reader_offset(&d->r), total, sizeof *f->local_types, "locals"))
        return false;
    const uint8_t *after = d->r.p;
    f->local_types = total ? malloc((size_t)total * sizeof *f->local_types) : NULL;
    if (total && !f->local_types) return nomem(d);
    d->r.p = decls;
    uint32_t k = 0;
    for (uint32_t i = 0; i < ndecls; i++) {
        uint32_t cnt;
        bst_valtype t;
        if (!rd_u32(d, &cnt) || !rd_valtype(d, &t)) return false;
        for (uint32_t j = 0; j < cnt; j++) f->local_types[k++] = t;
    }
    f->nlocals = k;
    d->r.p = after;
    return true;
}

static bool sec_code(dec *d, size_t sec_end) {
    bst_module *m = d->m;
    uint32_t n;
    if (!rd_count(d, &n, ENG_MAX_FUNCS, "function bodies")) return false;
    d->ncode = n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t size;
        if (!rd_len(d, &size)) return false;
        size_t start = off(d);
        if (size > d->len - start) return malformed(d, d->len, "unexpected end");
        size_t end = start + size;
        /* Bodies beyond the function section's count are parsed but not kept: the count
         * mismatch is reported once the whole module has been read. */
        eng_mfunc *f = i < d->nfunc_decls ? &m->funcs[m->nimported_funcs + i] : NULL;
        if (!rd_locals(d, f, end)) return false;
        size_t body = off(d);
        if (body == end || m->bytes[end - 1] != 0x0b) {
            /* The reference parser would run on past the body; these are the messages it then
             * gives in the three situations the body can be in. */
            if (end == d->len) return malformed(d, end, "unexpected end");
            if (end == sec_end) return malformed(d, end, "section size mismatch");
            return malformed(d, end, "END opcode expected");
        }
        if (f) {
            f->body_start = body;
            f->body_end = end;
        }
        d->r.p = d->r.base + end;
    }
    return true;
}

static bool sec_data(dec *d) {
    bst_module *m = d->m;
    uint32_t n;
    size_t at0 = off(d);
    if (!rd_count(d, &n, ENG_MAX_SEGMENTS, "data segments")) return false;
    if (!charge(d, at0, n, sizeof *m->datas, "data segments")) return false;
    m->datas = alloc_array(n, sizeof *m->datas);
    if (!m->datas) return nomem(d);
    m->ndatas = n;
    for (uint32_t i = 0; i < n; i++) {
        eng_mdata *s = &m->datas[i];
        size_t at = off(d);
        uint32_t kind;
        if (!rd_u32(d, &kind)) return false;
        switch (kind) {
        case 0:
            s->mode = ENG_SEG_ACTIVE;
            if (!rd_constexpr(d, &s->offset)) return false;
            break;
        case 1: s->mode = ENG_SEG_PASSIVE; break;
        case 2:
            s->mode = ENG_SEG_ACTIVE;
            if (!rd_u32(d, &s->memory) || !rd_constexpr(d, &s->offset)) return false;
            break;
        default: return malformed(d, at, "malformed data segment kind");
        }
        uint32_t len;
        if (!rd_len(d, &len)) return false;
        if (len > remaining(d)) return malformed(d, d->len, "unexpected end");
        s->bytes = d->r.p;
        s->len = len;
        d->r.p += len;
    }
    return true;
}

/* The `name` section's function names (subsection 1).  A custom section never makes a module
 * malformed, so any defect here just drops the names, and so does needing more than `budget`
 * bytes (what is left of max_decoded_bytes). */
static void parse_names(bst_module *m, const eng_custom *c, uint64_t budget) {
    bst_error scratch;
    eng_reader r = {m->bytes + c->offset, m->bytes + c->offset + c->len, m->bytes, &scratch};
    char **names = NULL;
    while (r.p < r.end) {
        uint8_t id = 0;
        uint32_t size;
        if (!eng_read_u8(&r, &id) || !read_u32(&r, &size)) goto bad;
        if (size > (size_t)(r.end - r.p)) goto bad;
        const uint8_t *sub_end = r.p + size;
        if (id != 1) {
            r.p = sub_end;
            continue;
        }
        /* Every read of the subsection stops at its end: an index or length read past it would
         * make sub_end - r.p negative, and the length checks below would pass. */
        r.end = sub_end;
        uint32_t n;
        if (!read_u32(&r, &n) || n > (size_t)(sub_end - r.p) || m->nfuncs == 0) goto bad;
        uint64_t need = (uint64_t)m->nfuncs * sizeof *names + ALLOC_OVERHEAD;
        if (need > budget) goto bad;
        budget -= need;
        names = calloc(m->nfuncs, sizeof *names);
        if (!names) goto bad;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t idx, len;
            if (!read_u32(&r, &idx) || !read_u32(&r, &len)) goto bad;
            if (len > (size_t)(sub_end - r.p) || !utf8_valid(r.p, len)) goto bad;
            if (idx >= m->nfuncs || names[idx]) goto bad;
            need = (uint64_t)len + 1 + ALLOC_OVERHEAD;
            if (need > budget) goto bad;
            budget -= need;
            names[idx] = dup_bytes(r.p, len);
            if (!names[idx]) goto bad;
            r.p += len;
        }
        if (r.p != sub_end) goto bad;
        m->func_names = names;
        return;
    }
    return;
bad:
    if (names) {
        for (uint32_t i = 0; i < m->nfuncs; i++) free(names[i]);
        free(names);
    }
}

/* Position of each known section id in the required order (datacount sits before code). */
static const uint8_t section_rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};

static bool decode(bst_module *m, const uint8_t *bytes, size_t len, bst_error *err) {
    m->bytes = malloc(len ? len : 1);
    if (!m->bytes) {
        eng_fail(err, BST_ERR_NOMEM, 0, "out of memory");
        return false;
    }
    if (len) memcpy(m->bytes, bytes, len);
    m->nbytes = len;

    dec dd;
    memset(&dd, 0, sizeof dd);
    dec *d = &dd;
    d->m = m;
    d->err = err;
    d->len = len;
    d->r.p = d->r.base = m->bytes;
    d->r.end = m->bytes + len;
    d->r.err = err;

    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    if (len < 4) return malformed(d, len, "unexpected end");
    if (memcmp(m->bytes, magic, 4) != 0) return malformed(d, 0, "magic header not detected");
    if (len < 8) return malformed(d, len, "unexpected end");
    if (memcmp(m->bytes + 4, version, 4) != 0) return malformed(d, 4, "unknown binary version");
    d->r.p += 8;

    unsigned last_rank = 0;
    while (d->r.p < d->r.end) {
        size_t sec_at = off(d);
        uint8_t id;
        if (!rd_u8(d, &id)) return false;
        if (id > SEC_DATACOUNT) return malformed(d, sec_at, "malformed section id");
        uint32_t size;
        if (!rd_len(d, &size)) return false;
        size_t start = off(d);
        if (size > len - start) return malformed(d, len, "unexpected end");
        size_t sec_end = start + size;
        if (id != SEC_CUSTOM) {
            if (section_rank[id] <= last_rank)
                return malformed(d, sec_at, "unexpected content after last section");
            last_rank = section_rank[id];
        }
        bool ok = true;
        switch (id) {
        case SEC_CUSTOM: ok = sec_custom(d, sec_end); break;
        case SEC_TYPE: ok = sec_type(d); break;
        case SEC_IMPORT: ok = sec_import(d); break;
        case SEC_FUNCTION: ok = sec_function(d); break;
        case SEC_TABLE: ok = sec_table(d); break;
        case SEC_MEMORY: ok = sec_memory(d); break;
        case SEC_GLOBAL: ok = sec_global(d); break;
        case SEC_EXPORT: ok = sec_export(d); break;
        case SEC_START: ok = sec_start(d); break;
        case SEC_ELEMENT: ok = sec_element(d); break;
        case SEC_CODE:
            d->code_offset = sec_at;
            m->code_start = start;
            ok = sec_code(d, sec_end);
            break;
        case SEC_DATA: ok = sec_data(d); break;
        case SEC_DATACOUNT: ok = sec_datacount(d); break;
        }
        if (!ok) return false;
        if (off(d) != sec_end) return malformed(d, start, "section size mismatch");
    }

    if (d->ncode != d->nfunc_decls)
        return malformed(d, d->code_offset ? d->code_offset : len,
                         "function and code section have inconsistent lengths");
    if (m->has_datacount && m->datacount != m->ndatas)
        return malformed(d, len, "data count and data section have inconsistent lengths");
    if (d->has_deferred) {
        *err = d->deferred;
        return false;
    }
    for (uint32_t i = 0; i < m->ncustoms; i++) {
        if (m->customs[i].name_len == 4 && memcmp(m->customs[i].name, "name", 4) == 0) {
            parse_names(m, &m->customs[i], m->config.max_decoded_bytes - d->charged);
            break;
        }
    }
    return true;
}

bool eng_decode_module(bst_module *m, const uint8_t *bytes, size_t len, bst_error *err) {
    bst_error scratch;
    if (!err) err = &scratch;
    if (decode(m, bytes, len, err)) return true;
    /* leb.h and the helpers above say "unexpected end"; past the header, the reference's wording
     * (which the testsuite expects) names where the input ran out. */
    if (err->status == BST_ERR_MALFORMED && err->offset > 8 &&
        strcmp(err->message, "unexpected end") == 0)
        eng_fail(err, BST_ERR_MALFORMED, err->offset, "unexpected end of section or function");
    return false;
}
