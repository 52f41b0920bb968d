/*
 * module.c — lifetime and introspection of bst_module: bst_module_new() (decode → validate →
 * compile), bst_module_free()/eng_module_release(), and the import/export/name queries of the
 * public API.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/module.h"
#include "probes/probes.h"

void eng_module_release(bst_module *m) {
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
            if (m->funcs[i].code) eng_code_free(m->funcs[i].code);
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

void bst_module_config_default(bst_module_config *cfg) {
    cfg->fuel_metering = true;
    cfg->canonicalize_nans = false;
    cfg->reject_floats = false;
    cfg->count_instructions = false;
    cfg->max_module_bytes = 64u << 20;
    cfg->max_functions = 100000u;
    cfg->max_locals = ENG_MAX_LOCALS;
    cfg->max_nesting = 1024u;
    cfg->max_decoded_bytes = (uint64_t)128 << 20;
}

static bool is_float(bst_valtype t) { return t == BST_F32 || t == BST_F64; }

/* Configured limits and the no-floats rule, checked on the decoded module. */
static bool check_config(const bst_module *m, bst_error *err) {
    const bst_module_config *cfg = &m->config;
    if (m->nfuncs > cfg->max_functions)
        return eng_fail(err, BST_ERR_LIMIT, 0, "module has %u functions, the limit is %u",
                        m->nfuncs, cfg->max_functions);
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        uint64_t n = (uint64_t)m->types[m->funcs[i].type].nparams + m->funcs[i].nlocals;
        if (n > cfg->max_locals)
            return eng_fail(err, BST_ERR_LIMIT, m->funcs[i].body_start,
                            "function %u has %llu locals, the limit is %u", i,
                            (unsigned long long)n, cfg->max_locals);
    }
    if (!cfg->reject_floats) return true;
    for (uint32_t i = 0; i < m->ntypes; i++)
        for (uint32_t k = 0; k < m->types[i].nparams + m->types[i].nresults; k++)
            if (is_float(m->types[i].types[k]))
                return eng_fail(err, BST_ERR_UNSUPPORTED, 0, "floating point not allowed (type %u)",
                                i);
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (is_float(m->globals[i].type))
            return eng_fail(err, BST_ERR_UNSUPPORTED, 0, "floating point not allowed (global %u)",
                            i);
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
        for (uint32_t k = 0; k < m->funcs[i].nlocals; k++)
            if (is_float(m->funcs[i].local_types[k]))
                return eng_fail(err, BST_ERR_UNSUPPORTED, m->funcs[i].body_start,
                                "floating point not allowed (function %u)", i);
    return true;
}

static bst_module *module_new(const uint8_t *bytes, size_t len, const bst_module_config *cfg,
                              bst_error *err) {
    if (!bytes && len) {
        eng_fail(err, BST_ERR_ARG, 0, "module bytes are NULL");
        return NULL;
    }
    bst_module_config defaults;
    if (!cfg) {
        bst_module_config_default(&defaults);
        cfg = &defaults;
    }
    if (len > cfg->max_module_bytes) {
        eng_fail(err, BST_ERR_LIMIT, 0, "module of %zu bytes exceeds the limit of %u bytes", len,
                 cfg->max_module_bytes);
        return NULL;
    }
    bst_module *m = calloc(1, sizeof *m);
    if (!m) {
        eng_fail(err, BST_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    m->config = *cfg;
    if (!eng_decode_module(m, bytes, len, err) || !eng_validate_module(m, err) ||
        !check_config(m, err) || !eng_compile_module(m, err)) {
        eng_module_release(m);
        free(m);
        return NULL;
    }
    return m;
}

/* The module__load probe's identity of the code: FNV-1a 64 of the bytes (computed only while the
 * probe is traced). */
static uint64_t code_hash(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

bst_module *bst_module_new_ex(const uint8_t *bytes, size_t len, const bst_module_config *cfg,
                              bst_error *err) {
    bst_error scratch;
    if (!err) err = &scratch;
    memset(err, 0, sizeof *err);
    uint64_t t0 = BASTION_PROBE_ENABLED(module__load) ? bst_monotonic_ns() : 0;
    bst_module *m = module_new(bytes, len, cfg, err);
    BASTION_PROBE(module__load, bytes ? code_hash(bytes, len) : 0, (uint64_t)len,
                  t0 ? bst_monotonic_ns() - t0 : 0, m ? 0 : (int)err->status, m);
    return m;
}

bst_module *bst_module_new(const uint8_t *bytes, size_t len, bst_error *err) {
    return bst_module_new_ex(bytes, len, NULL, err);
}

void bst_module_free(bst_module *m) {
    if (!m) return;
    eng_module_release(m);
    free(m);
}

uint32_t bst_module_import_count(const bst_module *m) { return m ? m->nimports : 0; }

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
    const eng_import *imp = &m->imports[i];
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

uint32_t bst_module_export_count(const bst_module *m) { return m ? m->nexports : 0; }

void bst_module_export(const bst_module *m, uint32_t i, bst_export_desc *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!m || i >= m->nexports) return;
    const eng_mexport *e = &m->exports[i];
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

bool bst_module_has_start(const bst_module *m) { return m && m->has_start; }

bool bst_module_defines_memory(const bst_module *m) {
    return m && m->nmemories > m->nimported_memories;
}

bool bst_module_memory_limits(const bst_module *m, uint32_t index, bst_limits *out) {
    if (!m || index >= m->nmemories) return false;
    *out = m->memories[index].limits;
    return true;
}

const char *bst_module_func_name(const bst_module *m, uint32_t func_index) {
    if (!m || !m->func_names || func_index >= m->nfuncs) return NULL;
    return m->func_names[func_index];
}
