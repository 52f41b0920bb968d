/*
 * validate.c — module-level validation (the spec's validation chapter minus function bodies,
 * which the compiler validates as it translates them).
 *
 * Checks index ranges, limits, constant-expression types, segment and export rules and the start
 * function, in the order the reference interpreter does, and computes m->func_declared (the
 * functions ref.func may name inside bodies).  Every failure is BST_ERR_INVALID.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/module.h"

/* Both return a literal false so the compiler sees no "success" path with outputs unset. */
static bool invalid(bst_error *err, size_t at, const char *msg) {
    eng_fail(err, BST_ERR_INVALID, at, "%s", msg);
    return false;
}

static bool unknown(bst_error *err, size_t at, const char *what, uint64_t index) {
    eng_fail(err, BST_ERR_INVALID, at, "unknown %s %llu", what, (unsigned long long)index);
    return false;
}

static bool check_type_index(const bst_module *m, uint32_t type, size_t at, bst_error *err) {
    if (type >= m->ntypes) return unknown(err, at, "type", type);
    return true;
}

static bool check_table_limits(const bst_limits *l, size_t at, bst_error *err) {
    if (l->has_max && l->min > l->max)
        return invalid(err, at, "size minimum must not be greater than maximum");
    return true;
}

static bool check_memory_limits(const bst_limits *l, size_t at, bst_error *err) {
    if (l->min > ENG_MAX_PAGES || (l->has_max && l->max > ENG_MAX_PAGES))
        return invalid(err, at, "memory size must be at most 65536 pages (4GiB)");
    if (l->has_max && l->min > l->max)
        return invalid(err, at, "size minimum must not be greater than maximum");
    return true;
}

/* The type a constant expression produces, checking what it refers to.  Only imported globals
 * are visible to constant expressions (WebAssembly 2.0), and they must be immutable. */
static bool const_type(const bst_module *m, const eng_constexpr *ce, bst_valtype *out,
                       bst_error *err) {
    switch (ce->op) {
    case 0x41: *out = BST_I32; return true;
    case 0x42: *out = BST_I64; return true;
    case 0x43: *out = BST_F32; return true;
    case 0x44: *out = BST_F64; return true;
    case 0xd0: *out = ce->reftype; return true;
    case 0xd2:
        if (ce->value >= m->nfuncs) return unknown(err, ce->offset, "function", ce->value);
        *out = BST_FUNCREF;
        return true;
    case 0x23:
        if (ce->value >= m->nimported_globals) return unknown(err, ce->offset, "global", ce->value);
        if (m->globals[ce->value].mut)
            return invalid(err, ce->offset, "constant expression required");
        *out = m->globals[ce->value].type;
        return true;
    default:
        /* the decoder stores nothing else */
        return invalid(err, ce->offset, "constant expression required");
    }
}

static bool check_const(const bst_module *m, const eng_constexpr *ce, bst_valtype want,
                        bst_error *err) {
    bst_valtype t = BST_I32;
    if (!const_type(m, ce, &t, err)) return false;
    if (t != want) return invalid(err, ce->offset, "type mismatch");
    return true;
}

static void declare(bst_module *m, const eng_constexpr *ce) {
    if (ce->op == 0xd2 && ce->value < m->nfuncs) m->func_declared[ce->value] = 1;
}

static bool name_less(const eng_mexport *a, const eng_mexport *b) {
    uint32_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = n ? memcmp(a->name, b->name, n) : 0;
    return c < 0 || (c == 0 && a->name_len < b->name_len);
}

static int cmp_export_ptr(const void *pa, const void *pb) {
    const eng_mexport *a = *(const eng_mexport *const *)pa;
    const eng_mexport *b = *(const eng_mexport *const *)pb;
    if (name_less(a, b)) return -1;
    if (name_less(b, a)) return 1;
    /* ties by position, so the later duplicate is the one reported */
    return a < b ? -1 : a > b;
}

/* Export names must be unique; sorting keeps this O(n log n) for large export sections. */
static bool check_export_names(const bst_module *m, bst_error *err) {
    if (m->nexports < 2) return true;
    const eng_mexport **sorted = malloc(m->nexports * sizeof *sorted);
    if (!sorted) {
        eng_fail(err, BST_ERR_NOMEM, 0, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < m->nexports; i++) sorted[i] = &m->exports[i];
    qsort(sorted, m->nexports, sizeof *sorted, cmp_export_ptr);
    const eng_mexport *dup = NULL;
    for (uint32_t i = 1; i < m->nexports; i++) {
        if (!name_less(sorted[i - 1], sorted[i]) && (!dup || sorted[i] < dup)) dup = sorted[i];
    }
    free(sorted);
    if (dup) return invalid(err, 0, "duplicate export name");
    return true;
}

bool eng_validate_module(bst_module *m, bst_error *err) {
    bst_error scratch;
    if (!err) err = &scratch;

    for (uint32_t i = 0; i < m->nimports; i++) {
        const eng_import *imp = &m->imports[i];
        switch (imp->kind) {
        case BST_EXTERN_FUNC:
            if (!check_type_index(m, imp->type, 0, err)) return false;
            break;
        case BST_EXTERN_TABLE:
            if (!check_table_limits(&imp->limits, 0, err)) return false;
            break;
        case BST_EXTERN_MEMORY:
            if (!check_memory_limits(&imp->limits, 0, err)) return false;
            break;
        case BST_EXTERN_GLOBAL: break;
        }
    }
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        const eng_mfunc *f = &m->funcs[i];
        if (!check_type_index(m, f->type, f->body_start, err)) return false;
    }
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++)
        if (!check_table_limits(&m->tables[i].limits, 0, err)) return false;
    for (uint32_t i = m->nimported_memories; i < m->nmemories; i++)
        if (!check_memory_limits(&m->memories[i].limits, 0, err)) return false;
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
        const eng_mglobal *g = &m->globals[i];
        if (!check_const(m, &g->init, g->type, err)) return false;
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const eng_melem *e = &m->elems[i];
        for (uint32_t j = 0; j < e->count; j++)
            if (!check_const(m, &e->items[j], e->type, err)) return false;
        if (e->mode == ENG_SEG_ACTIVE) {
            if (e->table >= m->ntables) return unknown(err, e->offset.offset, "table", e->table);
            if (!check_const(m, &e->offset, BST_I32, err)) return false;
            if (m->tables[e->table].elem != e->type)
                return invalid(err, e->offset.offset, "type mismatch");
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const eng_mdata *s = &m->datas[i];
        if (s->mode != ENG_SEG_ACTIVE) continue;
        if (s->memory >= m->nmemories) return unknown(err, s->offset.offset, "memory", s->memory);
        if (!check_const(m, &s->offset, BST_I32, err)) return false;
    }
    if (m->has_start) {
        if (m->start >= m->nfuncs) return unknown(err, 0, "function", m->start);
        const eng_ftype *t = &m->types[m->funcs[m->start].type];
        if (t->nparams != 0 || t->nresults != 0) return invalid(err, 0, "start function");
    }
    for (uint32_t i = 0; i < m->nexports; i++) {
        const eng_mexport *e = &m->exports[i];
        uint32_t limit = 0;
        const char *what = "";
        switch (e->kind) {
        case BST_EXTERN_FUNC: limit = m->nfuncs, what = "function"; break;
        case BST_EXTERN_TABLE: limit = m->ntables, what = "table"; break;
        case BST_EXTERN_MEMORY: limit = m->nmemories, what = "memory"; break;
        case BST_EXTERN_GLOBAL: limit = m->nglobals, what = "global"; break;
        }
        if (e->index >= limit) return unknown(err, 0, what, e->index);
    }
    if (!check_export_names(m, err)) return false;
    if (m->nmemories > 1) return invalid(err, 0, "multiple memories");

    free(m->func_declared);
    m->func_declared = calloc(m->nfuncs ? m->nfuncs : 1, 1);
    if (!m->func_declared) {
        eng_fail(err, BST_ERR_NOMEM, 0, "out of memory");
        return false;
    }
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) declare(m, &m->globals[i].init);
    for (uint32_t i = 0; i < m->nelems; i++)
        for (uint32_t j = 0; j < m->elems[i].count; j++) declare(m, &m->elems[i].items[j]);
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == BST_EXTERN_FUNC) m->func_declared[m->exports[i].index] = 1;
    return true;
}
