/*
 * harness.h — shared helpers for the hostile-guest tests (one .c file per test in tests/hostile).
 *
 * Every test is a standalone executable using only the public API (bastion.h).  Checks count
 * failures instead of aborting, so one run reports every broken guarantee; main() returns
 * non-zero when any check failed.  Modules come from the .wat files next to the tests, assembled
 * by wat2wasm (with --debug-names) into HOSTILE_WASM_DIR at build time, or are built byte by byte
 * with the small encoder below when a test needs sizes that are parameters (nesting depth, local
 * counts).
 */
#ifndef BST_TEST_HOSTILE_HARNESS_H
#define BST_TEST_HOSTILE_HARNESS_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion.h"
#include "../support/check.h"

#ifndef HOSTILE_WASM_DIR
#error "HOSTILE_WASM_DIR must name the directory holding the assembled .wasm files"
#endif

/* A call's outcome: status (and trap kind when it trapped). */
#define CHECK_OK(st, err)                                                                          \
    do {                                                                                           \
        check_count++;                                                                             \
        if ((st) != BST_OK) {                                                                      \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: expected ok, got %s: %s\n", __FILE__, __LINE__,                \
                    bst_status_name(st), (err).message);                                           \
        }                                                                                          \
    } while (0)

#define CHECK_TRAP(st, err, kind)                                                                  \
    do {                                                                                           \
        check_count++;                                                                             \
        if ((st) != BST_ERR_TRAP || (err).status != BST_ERR_TRAP || (err).trap != (kind)) {        \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: expected trap \"%s\", got %s / \"%s\"\n", __FILE__, __LINE__,  \
                    bst_trap_message(kind), bst_status_name(st),                                   \
                    (st) == BST_OK ? "" : (err).message);                                          \
        }                                                                                          \
    } while (0)

static inline int h_finish(const char *name) { return check_finish(name); }

/* ---- files and modules --------------------------------------------------------------------- */

static inline uint8_t *h_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *p = realloc(buf, cap);
            if (!p) break;
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The bytes of HOSTILE_WASM_DIR/<name>.wasm (exits on failure: a build problem, not a check). */
static inline uint8_t *h_wasm_bytes(const char *name, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", HOSTILE_WASM_DIR, name);
    uint8_t *b = h_read_file(path, len);
    if (!b) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    return b;
}

/* Loads <name>.wasm with the given module config (NULL: defaults); exits if it does not load. */
static inline bst_module *h_load(const char *name, const bst_module_config *cfg) {
    size_t len;
    uint8_t *b = h_wasm_bytes(name, &len);
    bst_error err;
    bst_module *m = bst_module_new_ex(b, len, cfg, &err);
    free(b);
    if (!m) {
        fprintf(stderr, "%s.wasm: %s: %s\n", name, bst_status_name(err.status), err.message);
        exit(2);
    }
    return m;
}

/* Instantiates a module without imports; exits on failure. */
static inline bst_instance *h_instance(bst_store *s, const bst_module *m, void *user_data) {
    bst_error err;
    bst_instance *inst = bst_instance_new(s, m, NULL, 0, user_data, &err);
    if (!inst) {
        fprintf(stderr, "instantiation failed: %s: %s\n", bst_status_name(err.status), err.message);
        exit(2);
    }
    return inst;
}

static inline bst_func *h_func(const bst_instance *inst, const char *name) {
    bst_func *f = bst_instance_func(inst, name);
    if (!f) {
        fprintf(stderr, "no exported function \"%s\"\n", name);
        exit(2);
    }
    return f;
}

static inline bst_global *h_global(const bst_instance *inst, const char *name) {
    bst_extern e;
    if (!bst_instance_export(inst, name, strlen(name), &e) || e.kind != BST_EXTERN_GLOBAL) {
        fprintf(stderr, "no exported global \"%s\"\n", name);
        exit(2);
    }
    return e.of.global;
}

static inline bst_table *h_table(const bst_instance *inst, const char *name) {
    bst_extern e;
    if (!bst_instance_export(inst, name, strlen(name), &e) || e.kind != BST_EXTERN_TABLE) {
        fprintf(stderr, "no exported table \"%s\"\n", name);
        exit(2);
    }
    return e.of.table;
}

static inline bst_value h_i32(int32_t v) {
    bst_value x;
    memset(&x, 0, sizeof x);
    x.type = BST_I32;
    x.of.i32 = v;
    return x;
}
static inline bst_value h_i64(int64_t v) {
    bst_value x;
    memset(&x, 0, sizeof x);
    x.type = BST_I64;
    x.of.i64 = v;
    return x;
}
static inline bst_value h_f32(uint32_t bits) {
    bst_value x;
    memset(&x, 0, sizeof x);
    x.type = BST_F32;
    x.of.f32 = bits;
    return x;
}
static inline bst_value h_f64(uint64_t bits) {
    bst_value x;
    memset(&x, 0, sizeof x);
    x.type = BST_F64;
    x.of.f64 = bits;
    return x;
}

/* Calls f with up to 8 i32 arguments and at most one result (written to *out if non-NULL). */
static inline bst_status h_call(bst_func *f, bst_error *err, bst_value *out, size_t nargs, ...) {
    bst_value args[8];
    va_list ap;
    va_start(ap, nargs);
    for (size_t i = 0; i < nargs && i < 8; i++) args[i] = h_i32(va_arg(ap, int32_t));
    va_end(ap);
    bst_value res[1];
    memset(res, 0, sizeof res);
    memset(err, 0, sizeof *err);
    size_t nres = bst_func_type(f)->nresults;
    bst_status st = bst_call(f, args, nargs, res, nres, err);
    if (out) *out = res[0];
    return st;
}

/* ---- a minimal binary encoder for generated modules ------------------------------------------ */

typedef struct h_buf {
    uint8_t *p;
    size_t n, cap;
} h_buf;

static inline void h_put(h_buf *b, const void *src, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}
static inline void h_u8(h_buf *b, uint8_t v) { h_put(b, &v, 1); }
static inline void h_uleb(h_buf *b, uint64_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        if (v) byte |= 0x80;
        h_u8(b, byte);
    } while (v);
}
static inline void h_header(h_buf *b) {
    static const uint8_t hdr[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    h_put(b, hdr, sizeof hdr);
}
/* Appends section `id` with the contents of `body` (which is freed). */
static inline void h_section(h_buf *b, uint8_t id, h_buf *body) {
    h_u8(b, id);
    h_uleb(b, body->n);
    h_put(b, body->p, body->n);
    free(body->p);
    memset(body, 0, sizeof *body);
}

/* A module with one function of type [i32]->[i32] exported as "f": `nlocals` extra i32 locals
 * and the given body bytes (without the final `end`, which is added). */
static inline h_buf h_module_one_func(uint32_t nparams_i32, uint32_t nlocals, const uint8_t *code,
                                      size_t code_len) {
    h_buf m = {0}, s = {0}, body = {0};
    h_header(&m);
    /* type section: (func (param i32 x nparams) (result i32)) */
    h_uleb(&s, 1);
    h_u8(&s, 0x60);
    h_uleb(&s, nparams_i32);
    for (uint32_t i = 0; i < nparams_i32; i++) h_u8(&s, 0x7f);
    h_uleb(&s, 1);
    h_u8(&s, 0x7f);
    h_section(&m, 1, &s);
    /* function section */
    h_uleb(&s, 1);
    h_uleb(&s, 0);
    h_section(&m, 3, &s);
    /* export section: "f" */
    h_uleb(&s, 1);
    h_uleb(&s, 1);
    h_u8(&s, 'f');
    h_u8(&s, 0x00);
    h_uleb(&s, 0);
    h_section(&m, 7, &s);
    /* code section */
    if (nlocals) {
        h_uleb(&body, 1);
        h_uleb(&body, nlocals);
        h_u8(&body, 0x7f);
    } else {
        h_uleb(&body, 0);
    }
    h_put(&body, code, code_len);
    h_u8(&body, 0x0b);
    h_uleb(&s, 1);
    h_uleb(&s, body.n);
    h_put(&s, body.p, body.n);
    free(body.p);
    h_section(&m, 10, &s);
    return m;
}

/* One function import of a module built by h_module_imports. */
typedef struct h_import {
    const char *module, *name;
    bst_functype type;
} h_import;

/* Hands `expect` the import `imp` with each type one step off its own (at most 32 parameters):
 * an extra parameter, a missing or an extra result, each i32 turned i64 and each other type
 * turned i32; `what` names the change.  The host-function list tests use it to show that
 * nothing but the listed signature links. */
static inline void h_each_type_one_off(h_import imp,
                                       void (*expect)(const h_import *imp, const char *what)) {
    const bst_functype want = imp.type;
    bst_valtype p[33], r[2];
    if (want.nparams > 32 || want.nresults > 1) return;
    memcpy(p, want.params, want.nparams * sizeof *p);
    memcpy(r, want.results, want.nresults * sizeof *r);
    imp.type.params = p;
    imp.type.results = r;

    p[want.nparams] = BST_I32;
    imp.type.nparams = want.nparams + 1;
    expect(&imp, "extra parameter");
    imp.type.nparams = want.nparams;

    r[0] = BST_I32;
    imp.type.nresults = want.nresults ? 0 : 1;
    expect(&imp, want.nresults ? "no result" : "a result");
    imp.type.nresults = want.nresults;
    if (want.nresults) r[0] = want.results[0];

    for (uint32_t k = 0; k < want.nparams; k++) {
        p[k] = p[k] == BST_I32 ? BST_I64 : BST_I32;
        expect(&imp, "parameter type");
        p[k] = want.params[k];
    }
    for (uint32_t k = 0; k < want.nresults; k++) {
        r[k] = r[k] == BST_I32 ? BST_I64 : BST_I32;
        expect(&imp, "result type");
        r[k] = want.results[k];
    }
}

static inline void h_name(h_buf *b, const char *s) {
    h_uleb(b, strlen(s));
    h_put(b, s, strlen(s));
}

static inline uint8_t h_valtype_byte(bst_valtype t) {
    switch (t) {
    case BST_I32: return 0x7f;
    case BST_I64: return 0x7e;
    case BST_F32: return 0x7d;
    case BST_F64: return 0x7c;
    case BST_FUNCREF: return 0x70;
    default: return 0x6f; /* externref */
    }
}

/* A module of n function imports (a type each), re-exported as "f0", "f1", ..., with one page
 * of memory exported as "memory" and an i32 global 1024 exported as "__heap_base" (what a
 * Substrate runtime must export): enough to link a host's functions and call them. */
static inline h_buf h_module_imports(const h_import *imp, size_t n) {
    h_buf m = {0}, s = {0};
    h_header(&m);
    h_uleb(&s, n);
    for (size_t i = 0; i < n; i++) {
        h_u8(&s, 0x60);
        h_uleb(&s, imp[i].type.nparams);
        for (uint32_t k = 0; k < imp[i].type.nparams; k++)
            h_u8(&s, h_valtype_byte(imp[i].type.params[k]));
        h_uleb(&s, imp[i].type.nresults);
        for (uint32_t k = 0; k < imp[i].type.nresults; k++)
            h_u8(&s, h_valtype_byte(imp[i].type.results[k]));
    }
    h_section(&m, 1, &s);
    h_uleb(&s, n);
    for (size_t i = 0; i < n; i++) {
        h_name(&s, imp[i].module);
        h_name(&s, imp[i].name);
        h_u8(&s, 0x00);
        h_uleb(&s, i);
    }
    h_section(&m, 2, &s);
    h_uleb(&s, 1); /* memory: 1 page */
    h_u8(&s, 0x00);
    h_uleb(&s, 1);
    h_section(&m, 5, &s);
    h_uleb(&s, 1); /* global: i32 const 1024 (signed LEB128 80 08) */
    h_u8(&s, 0x7f);
    h_u8(&s, 0x00);
    h_u8(&s, 0x41);
    h_u8(&s, 0x80);
    h_u8(&s, 0x08);
    h_u8(&s, 0x0b);
    h_section(&m, 6, &s);
    h_uleb(&s, n + 2);
    h_name(&s, "memory");
    h_u8(&s, 0x02);
    h_uleb(&s, 0);
    h_name(&s, "__heap_base");
    h_u8(&s, 0x03);
    h_uleb(&s, 0);
    for (size_t i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof name, "f%zu", i);
        h_name(&s, name);
        h_u8(&s, 0x00);
        h_uleb(&s, i);
    }
    h_section(&m, 7, &s);
    return m;
}

/* A field of /proc/self/status in KiB (VmHWM: peak RSS, VmSize: address space), or -1 where
 * there is no such file.  (getrusage's ru_maxrss would include the peak of the process this one
 * was exec'ed from.) */
static inline long h_proc_status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            kb = strtol(line + n + 1, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

#endif /* BST_TEST_HOSTILE_HARNESS_H */
