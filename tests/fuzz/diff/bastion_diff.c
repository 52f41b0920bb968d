/*
 * bastion_diff.c — Bastion's side of the differential fuzzing harness (tests/fuzz/diff/, driven
 * by run.py; docs/sandbox.md, "Fuzzing").  Runs one module the way v8_run.js runs it under V8
 * (node) and prints the same canonical trace, which run.py compares line by line.
 *
 * The order is that of binaryen's fuzz_shell.js: instantiate with binaryen's `fuzzing-support`
 * imports (log-i32, log-i64, log-f32, log-f64: print their arguments), call every exported
 * function in export order, catching traps and going on with the next export, then dump the
 * exported globals, memories and tables.  Arguments are zeros of the parameter types (0, 0.0,
 * null): fuzz_shell.js passes none, which JS turns into NaN for floats and a TypeError for i64,
 * testing the JS API rather than the engine.
 *
 * Trace lines (shared with v8_run.js; values are typed, NaNs print as "nan" since the spec
 * leaves NaN payloads open, other floats as their raw bits):
 *   compile error | link error | start trap    (nothing follows)
 *   call NAME                        before each exported function
 *   log-i32 V | log-i64 V | log-f32 V | log-f64 V   one per import call
 *   result NAME [V...]               the function returned
 *   trap NAME                        it trapped (messages differ between engines: not printed)
 *   limit NAME                       fuel, call depth or stack ran out: the trace ends, since
 *                                    where an engine gives up is a limit that differs by design
 *   global NAME V | memory NAME PAGES FNV1A | table NAME SIZE FNV1A-OF-NULL-FLAGS
 *
 * Usage: bastion_diff [--fuel N] FILE.wasm.  Exit 0 once a trace is printed, 2 on a usage or
 * read error.  The fuel budget is per exported call.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion.h"

/* One fuzzing-support import: its name (NUL-terminated) and parameter count, the host
 * function's environment. */
typedef struct log_import {
    char name[32];
    uint32_t nparams;
} log_import;

/* Names are printed byte by byte: printable ASCII as is, anything else as \xNN (v8_run.js does
 * the same with the name's UTF-8 bytes). */
static void print_name(const char *name, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c > 0x20 && c < 0x7f && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
}

static void print_value(bst_value v) {
    switch (v.type) {
    case BST_I32: printf(" %" PRId32, v.of.i32); break;
    case BST_I64: printf(" %" PRId64, v.of.i64); break;
    case BST_F32:
        if ((v.of.f32 & 0x7f800000u) == 0x7f800000u && (v.of.f32 & 0x007fffffu))
            printf(" nan");
        else
            printf(" f32:%08" PRIx32, v.of.f32);
        break;
    case BST_F64:
        if ((v.of.f64 & 0x7ff0000000000000u) == 0x7ff0000000000000u &&
            (v.of.f64 & 0x000fffffffffffffu))
            printf(" nan");
        else
            printf(" f64:%016" PRIx64, v.of.f64);
        break;
    case BST_FUNCREF: printf(v.of.funcref ? " func" : " null"); break;
    case BST_EXTERNREF: printf(v.of.externref ? " extern" : " null"); break;
    default: printf(" v128"); break;
    }
}

static bool log_host(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)c;
    (void)results;
    const log_import *imp = env;
    printf("%s", imp->name);
    for (uint32_t i = 0; i < imp->nparams; i++) print_value(args[i]);
    putchar('\n');
    return true;
}

/* Only binaryen's log imports are provided (what `wasm-opt -ttf` modules import); anything
 * else leaves the module unlinkable, as in v8_run.js. */
static bool link_imports(bst_store *s, const bst_module *m, bst_extern *out, log_import *logs) {
    static const char module_name[] = "fuzzing-support";
    for (uint32_t i = 0; i < bst_module_import_count(m); i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        if (d.type.kind != BST_EXTERN_FUNC || d.type.func.nresults != 0 ||
            d.module_len != sizeof module_name - 1 ||
            memcmp(d.module, module_name, d.module_len) != 0 || d.name_len < 5 ||
            d.name_len >= sizeof logs[i].name || memcmp(d.name, "log-", 4) != 0 ||
            memchr(d.name, 0, d.name_len))
            return false;
        memcpy(logs[i].name, d.name, d.name_len);
        logs[i].name[d.name_len] = '\0';
        logs[i].nparams = d.type.func.nparams;
        out[i].kind = BST_EXTERN_FUNC;
        out[i].of.func = bst_func_new_host(s, &d.type.func, log_host, &logs[i]);
        if (!out[i].of.func) return false;
    }
    return true;
}

static bool is_limit(const bst_error *err) {
    if (err->status != BST_ERR_TRAP) return true; /* NOMEM, LIMIT: the host gave up */
    return err->trap == BST_TRAP_OUT_OF_FUEL || err->trap == BST_TRAP_STACK_EXHAUSTED ||
           err->trap == BST_TRAP_INTERRUPTED;
}

/* Calls one exported function with zero arguments and prints its outcome.  Returns false when
 * a limit ended the trace. */
static bool call_export(bst_store *s, const bst_export_desc *e, bst_func *f, uint64_t fuel) {
    const bst_functype *ft = &e->type.func;
    printf("call ");
    print_name(e->name, e->name_len);
    putchar('\n');
    fflush(stdout); /* a crash below still leaves the trace up to this call */
    bst_value *vals = calloc((size_t)ft->nparams + ft->nresults + 1u, sizeof *vals);
    if (!vals) {
        printf("limit ");
        print_name(e->name, e->name_len);
        putchar('\n');
        return false;
    }
    bst_value *results = vals + ft->nparams;
    for (uint32_t i = 0; i < ft->nparams; i++) vals[i].type = ft->params[i]; /* all zero */
    bst_error err;
    bst_store_set_fuel(s, fuel);
    bst_status st = bst_call(f, vals, ft->nparams, results, ft->nresults, &err);
    bool go_on = true;
    if (st == BST_OK) {
        printf("result ");
        print_name(e->name, e->name_len);
        for (uint32_t i = 0; i < ft->nresults; i++) print_value(results[i]);
    } else {
        go_on = !is_limit(&err);
        printf(go_on ? "trap " : "limit ");
        print_name(e->name, e->name_len);
    }
    putchar('\n');
    free(vals);
    return go_on;
}

static uint32_t fnv1a(uint32_t h, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static void dump_memory(bst_memory *mem) {
    uint32_t h = 2166136261u;
    uint32_t pages = bst_memory_pages(mem);
    for (uint32_t p = 0; p < pages; p++) {
        const uint8_t *page = bst_memory_slice(mem, p * 65536u, 65536u);
        if (page) h = fnv1a(h, page, 65536u);
    }
    printf(" %" PRIu32 " %08" PRIx32, pages, h);
}

static void dump_table(const bst_table *t) {
    uint32_t h = 2166136261u;
    uint32_t size = bst_table_size(t);
    for (uint32_t i = 0; i < size; i++) {
        bst_value v;
        uint8_t nonnull = 0;
        if (bst_table_get(t, i, &v))
            nonnull = v.type == BST_FUNCREF ? v.of.funcref != NULL : v.of.externref != 0;
        h = fnv1a(h, &nonnull, 1);
    }
    printf(" %" PRIu32 " %08" PRIx32, size, h);
}

/* The final state of every exported global, memory and table, in export order. */
static void dump_exports(const bst_module *m, const bst_instance *inst) {
    for (uint32_t i = 0; i < bst_module_export_count(m); i++) {
        bst_export_desc e;
        bst_extern ex;
        bst_module_export(m, i, &e);
        if (e.type.kind == BST_EXTERN_FUNC || !bst_instance_export(inst, e.name, e.name_len, &ex))
            continue;
        static const char *const kinds[] = {"func", "table", "memory", "global"};
        printf("%s ", kinds[e.type.kind]);
        print_name(e.name, e.name_len);
        if (e.type.kind == BST_EXTERN_GLOBAL) print_value(bst_global_get(ex.of.global));
        if (e.type.kind == BST_EXTERN_MEMORY) dump_memory(ex.of.memory);
        if (e.type.kind == BST_EXTERN_TABLE) dump_table(ex.of.table);
        putchar('\n');
    }
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1u << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *bigger = realloc(buf, cap * 2);
        if (!bigger) free(buf);
        buf = bigger;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Instantiates and runs the module; every outcome is a trace line. */
static void run(const bst_module *m, uint64_t fuel) {
    bst_store *s = bst_store_new(NULL);
    uint32_t nimports = bst_module_import_count(m);
    bst_extern *imports = calloc(nimports + 1u, sizeof *imports);
    log_import *logs = calloc(nimports + 1u, sizeof *logs);
    bst_instance *inst = NULL;
    bst_error err;
    if (!s || !imports || !logs) {
        printf("limit start\n");
    } else if (!link_imports(s, m, imports, logs)) {
        printf("link error\n");
    } else if (bst_store_set_fuel(s, fuel),
               !(inst = bst_instance_new(s, m, imports, nimports, NULL, &err))) {
        if (err.status == BST_ERR_UNLINKABLE)
            printf("link error\n");
        else
            printf(is_limit(&err) ? "limit start\n" : "start trap\n");
    } else {
        bool go_on = true;
        for (uint32_t i = 0; go_on && i < bst_module_export_count(m); i++) {
            bst_export_desc e;
            bst_extern ex;
            bst_module_export(m, i, &e);
            if (e.type.kind == BST_EXTERN_FUNC &&
                bst_instance_export(inst, e.name, e.name_len, &ex))
                go_on = call_export(s, &e, ex.of.func, fuel);
        }
        if (go_on) dump_exports(m, inst);
    }
    free(logs);
    free(imports);
    bst_store_free(s);
}

int main(int argc, char **argv) {
    uint64_t fuel = 1000000000u;
    int argi = 1;
    if (argc == 4 && strcmp(argv[1], "--fuel") == 0) {
        char *end;
        fuel = strtoull(argv[2], &end, 10);
        if (*end || end == argv[2]) argc = 0;
        argi = 3;
    }
    if (argc != argi + 1) {
        fprintf(stderr, "usage: bastion_diff [--fuel N] FILE.wasm\n");
        return 2;
    }
    size_t len;
    uint8_t *bytes = read_file(argv[argi], &len);
    if (!bytes) {
        fprintf(stderr, "bastion_diff: cannot read %s\n", argv[argi]);
        return 2;
    }
    bst_error err;
    bst_module *m = bst_module_new(bytes, len, &err);
    if (!m)
        printf(err.status == BST_ERR_LIMIT || err.status == BST_ERR_NOMEM ? "limit compile\n"
                                                                          : "compile error\n");
    else
        run(m, fuel);
    fflush(stdout);
    bst_module_free(m);
    free(bytes);
    return 0;
}
