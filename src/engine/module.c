/*
 * module.c — lifetime and introspection of bst_module: bst_module_new() (decode, validate,
 * compile), bst_module_free()/bst_module_release(), the import/export/name queries of the public
 * API, and the error helpers shared by the whole engine (bst_fail, status names, trap messages).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/module.h"

bool bst_fail(bst_error *err, bst_status status, size_t offset, const char *fmt, ...) {
    if (!err) return false;
    err->status = status;
    err->trap = BST_TRAP_NONE;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0) err->message[0] = '\0';
    return false;
}

const char *bst_status_name(bst_status s) {
    switch (s) {
    case BST_OK: return "ok";
    case BST_ERR_MALFORMED: return "malformed module";
    case BST_ERR_INVALID: return "invalid module";
    case BST_ERR_UNSUPPORTED: return "unsupported feature";
    case BST_ERR_LIMIT: return "limit exceeded";
    case BST_ERR_UNLINKABLE: return "unlinkable";
    case BST_ERR_TRAP: return "trap";
    case BST_ERR_NOMEM: return "out of memory";
    case BST_ERR_NOT_FOUND: return "not found";
    case BST_ERR_ARG: return "invalid argument";
    }
    return "unknown status";
}

/* The spec testsuite's assert_trap strings, so the wast runner can compare them verbatim. */
const char *bst_trap_message(bst_trap_kind k) {
    switch (k) {
    case BST_TRAP_NONE: return "no trap";
    case BST_TRAP_UNREACHABLE: return "unreachable";
    case BST_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case BST_TRAP_TABLE_OOB: return "out of bounds table access";
    case BST_TRAP_DIV_ZERO: return "integer divide by zero";
    case BST_TRAP_INT_OVERFLOW: return "integer overflow";
    case BST_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case BST_TRAP_INDIRECT_MISMATCH: return "indirect call type mismatch";
    case BST_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case BST_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case BST_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case BST_TRAP_OUT_OF_FUEL: return "out of fuel";
    case BST_TRAP_INTERRUPTED: return "interrupted";
    case BST_TRAP_HOST: return "host trap";
    case BST_TRAP__COUNT: break;
    }
    return "unknown trap";
}

void bst_module_release(bst_module *m) {
    if (!m) return;
    if (m->types) {
        for (uint32_t i = 0; i < m->ntypes; i++) free(m->types[i].types);
        free(m->types);
    }
    if (m->imports) {
        for (uint32_t i = 0; i < m->nimports; i++) {
            free(m->imports[i].module);
            free(m->imports[i].name);
        }
        free(m->imports);
    }
    if (m->funcs) {
        for (uint32_t i = 0; i < m->nfuncs; i++) {
            free(m->funcs[i].local_types);
            if (m->funcs[i].code) bst_code_free(m->funcs[i].code);
        }
        free(m->funcs);
    }
    free(m->tables);
    free(m->memories);
    free(m->globals);
    if (m->exports) {
        for (uint32_t i = 0; i < m->nexports; i++) free(m->exports[i].name);
        free(m->exports);
    }
    if (m->elems) {
        for (uint32_t i = 0; i < m->nelems; i++) free(m->elems[i].items);
        free(m->elems);
    }
    free(m->datas);
    if (m->customs) {
        for (uint32_t i = 0; i < m->ncustoms; i++) free(m->customs[i].name);
        free(m->customs);
    }
    if (m->func_names) {
        for (uint32_t i = 0; i < m->nfuncs; i++) free(m->func_names[i]);
        free(m->func_names);
    }
    free(m->func_declared);
    free(m->bytes);
    /* Zeroed so a second release (or a stray query) sees an empty module, not dangling pointers. */
    memset(m, 0, sizeof *m);
}

bst_module *bst_module_new(const uint8_t *bytes, size_t len, bst_error *err) {
    bst_error scratch;
    if (!err) err = &scratch;
    memset(err, 0, sizeof *err);
    if (!bytes && len) {
        bst_fail(err, BST_ERR_ARG, 0, "module bytes are NULL");
        return NULL;
    }
    bst_module *m = calloc(1, sizeof *m);
    if (!m) {
        bst_fail(err, BST_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    if (!bst_decode_module(m, bytes, len, err) || !bst_validate_module(m, err) ||
        !bst_compile_module(m, err)) {
        bst_module_release(m);
        free(m);
        return NULL;
    }
    return m;
}

void bst_module_free(bst_module *m) {
    if (!m) return;
    bst_module_release(m);
    free(m);
}

uint32_t bst_module_import_count(const bst_module *m) {
    return m ? m->nimports : 0;
}

static void functype_of(const bst_module *m, uint32_t type, bst_functype *out) {
    if (type < m->ntypes) {
        *out = m->types[type].pub;
    } else {
        memset(out, 0, sizeof *out);
    }
}

void bst_module_import(const bst_module *m, uint32_t i, bst_import_desc *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!m || i >= m->nimports) return;
    const bst_import *imp = &m->imports[i];
    out->module = imp->module;
    out->name = imp->name;
    out->module_len = imp->module_len;
    out->name_len = imp->name_len;
    out->type.kind = imp->kind;
    switch (imp->kind) {
    case BST_EXTERN_FUNC: functype_of(m, imp->type, &out->type.func); break;
    case BST_EXTERN_TABLE:
        out->type.elem = imp->elem;
        out->type.limits = imp->limits;
        break;
    case BST_EXTERN_MEMORY: out->type.limits = imp->limits; break;
    case BST_EXTERN_GLOBAL:
        out->type.global = imp->gtype;
        out->type.global_mutable = imp->gmut;
        break;
    }
}

uint32_t bst_module_export_count(const bst_module *m) {
    return m ? m->nexports : 0;
}

void bst_module_export(const bst_module *m, uint32_t i, bst_export_desc *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!m || i >= m->nexports) return;
    const bst_mexport *e = &m->exports[i];
    out->name = e->name;
    out->name_len = e->name_len;
    out->type.kind = e->kind;
    /* Indices were range-checked by validation; the guards only protect against misuse on a
     * module that never passed it. */
    switch (e->kind) {
    case BST_EXTERN_FUNC:
        if (e->index < m->nfuncs) functype_of(m, m->funcs[e->index].type, &out->type.func);
        break;
    case BST_EXTERN_TABLE:
        if (e->index < m->ntables) {
            out->type.elem = m->tables[e->index].elem;
            out->type.limits = m->tables[e->index].limits;
        }
        break;
    case BST_EXTERN_MEMORY:
        if (e->index < m->nmemories) out->type.limits = m->memories[e->index].limits;
        break;
    case BST_EXTERN_GLOBAL:
        if (e->index < m->nglobals) {
            out->type.global = m->globals[e->index].type;
            out->type.global_mutable = m->globals[e->index].mut;
        }
        break;
    }
}

const char *bst_module_func_name(const bst_module *m, uint32_t func_index) {
    if (!m || !m->func_names || func_index >= m->nfuncs) return NULL;
    return m->func_names[func_index];
}
