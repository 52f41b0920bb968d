/*
 * spec_cmd.c — runs WebAssembly spec tests from wast2json output (`bastion spec FILE.json...`).
 *
 * wast2json turns a .wast script into a JSON command list plus one .wasm file per module.  Each
 * JSON file runs in its own bst_store so registered instances can link to each other; the
 * `spectest` host module the tests import from is created in that store first.  Text-format
 * modules (assert_malformed with module_type "text") need a text parser Bastion does not have,
 * so they are counted as skipped.
 *
 * Only the public API (bastion.h) is used: this doubles as a test of the embedding interface.
 */
#include "spec_cmd.h"

#include "bastion.h"
#include "json_util.h"
#include "util.h"
#include "wasm_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- per-file state ------------------------------------------------------------------------ */

typedef struct named_instance {
    char *name;
    size_t len;
    bst_instance *inst;
} named_instance;

typedef struct spectest_entry {
    const char *name;
    bst_extern ext;
} spectest_entry;

#define SPECTEST_ENTRIES 13

typedef struct counts {
    unsigned long passed, failed, skipped;
} counts;

typedef struct spec_run {
    bool verbose;
    const char *source; /* file name used in messages (the .wast when known) */
    char *dir;          /* directory of the JSON file, for .wasm paths */
    unsigned long line; /* line of the command being run */
    bst_store *store;
    bst_module **modules; /* freed after the store: instances may still use them */
    size_t nmodules, cap_modules;
    named_instance *named; /* `(module $name ...)` */
    size_t nnamed, cap_named;
    named_instance *registered; /* `(register "as" ...)` */
    size_t nregistered, cap_registered;
    spectest_entry spectest[SPECTEST_ENTRIES];
    size_t nspectest;
    bst_instance *current; /* the most recently instantiated module */
    counts *counts;
} spec_run;

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

static void report_fail(spec_run *r, const char *kind, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void report_fail(spec_run *r, const char *kind, const char *fmt, ...) {
    va_list ap;
    printf("%s:%lu: %s: ", r->source, r->line, kind);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    r->counts->failed++;
}

/* Writes a printable rendering of a name that may contain any bytes (NUL included). */
static void escape_name(char *dst, size_t dstlen, const char *s, size_t len) {
    size_t o = 0;
    if (dstlen == 0) return;
    for (size_t i = 0; i < len && o + 5 < dstlen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != 0x7f && c != '\\' && c != '"')
            dst[o++] = (char)c; /* UTF-8 multi-byte sequences pass through */
        else
            o += (size_t)snprintf(dst + o, dstlen - o, "\\%02x", c);
    }
    dst[o < dstlen ? o : dstlen - 1] = '\0';
}

static bool push_ptr(void **arr, size_t *n, size_t *cap, size_t elem, const void *item) {
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        void *na = realloc(*arr, ncap * elem);
        if (!na) return false;
        *arr = na;
        *cap = ncap;
    }
    memcpy((char *)*arr + *n * elem, item, elem);
    (*n)++;
    return true;
}

static bool add_name(named_instance **arr, size_t *n, size_t *cap, const char *name, size_t len,
                     bst_instance *inst) {
    named_instance ni = {malloc(len + 1), len, inst};
    if (!ni.name) return false;
    memcpy(ni.name, name, len);
    ni.name[len] = '\0';
    void *a = *arr;
    if (!push_ptr(&a, n, cap, sizeof ni, &ni)) {
        free(ni.name);
        return false;
    }
    *arr = a;
    return true;
}

/* The latest binding of a name wins, as in the reference interpreter. */
static bst_instance *find_name(const named_instance *arr, size_t n, const char *name, size_t len) {
    for (size_t i = n; i-- > 0;)
        if (arr[i].len == len && memcmp(arr[i].name, name, len) == 0) return arr[i].inst;
    return NULL;
}

/* ---- the spectest module ----------------------------------------------------------------- */

static bool spectest_print(bst_caller *caller, const bst_value *args, bst_value *results,
                           void *env) {
    (void)caller, (void)args, (void)results, (void)env;
    return true; /* the tests only need these to be callable */
}

static const bst_valtype T_I32[] = {BST_I32};
static const bst_valtype T_I64[] = {BST_I64};
static const bst_valtype T_F32[] = {BST_F32};
static const bst_valtype T_F64[] = {BST_F64};
static const bst_valtype T_I32_F32[] = {BST_I32, BST_F32};
static const bst_valtype T_F64_F64[] = {BST_F64, BST_F64};

static const struct {
    const char *name;
    bst_functype type;
} SPECTEST_FUNCS[] = {
    {"print", {0, 0, NULL, NULL}},
    {"print_i32", {1, 0, T_I32, NULL}},
    {"print_i64", {1, 0, T_I64, NULL}},
    {"print_f32", {1, 0, T_F32, NULL}},
    {"print_f64", {1, 0, T_F64, NULL}},
    {"print_i32_f32", {2, 0, T_I32_F32, NULL}},
    {"print_f64_f64", {2, 0, T_F64_F64, NULL}},
};

static bool spectest_add(spec_run *r, const char *name, bst_extern ext) {
    if (r->nspectest >= SPECTEST_ENTRIES) return false;
    r->spectest[r->nspectest].name = name;
    r->spectest[r->nspectest].ext = ext;
    r->nspectest++;
    return true;
}

static bool spectest_init(spec_run *r, char *why, size_t whylen) {
    for (size_t i = 0; i < sizeof SPECTEST_FUNCS / sizeof SPECTEST_FUNCS[0]; i++) {
        bst_extern e = {.kind = BST_EXTERN_FUNC};
        e.of.func = bst_func_new_host(r->store, &SPECTEST_FUNCS[i].type, spectest_print, NULL);
        if (!e.of.func) {
            snprintf(why, whylen, "cannot create spectest.%s", SPECTEST_FUNCS[i].name);
            return false;
        }
        spectest_add(r, SPECTEST_FUNCS[i].name, e);
    }

    float f32 = 666.6f;
    double f64 = 666.6;
    bst_value gv[4] = {{.type = BST_I32}, {.type = BST_I64}, {.type = BST_F32}, {.type = BST_F64}};
    gv[0].of.i32 = 666;
    gv[1].of.i64 = 666;
    memcpy(&gv[2].of.f32, &f32, sizeof f32);
    memcpy(&gv[3].of.f64, &f64, sizeof f64);
    static const char *const gnames[4] = {"global_i32", "global_i64", "global_f32", "global_f64"};
    for (int i = 0; i < 4; i++) {
        bst_extern e = {.kind = BST_EXTERN_GLOBAL};
        e.of.global = bst_global_new(r->store, gv[i].type, false, gv[i]);
        if (!e.of.global) {
            snprintf(why, whylen, "cannot create spectest.%s", gnames[i]);
            return false;
        }
        spectest_add(r, gnames[i], e);
    }

    bst_error err;
    memset(&err, 0, sizeof err);
    bst_value null_func = {.type = BST_FUNCREF};
    bst_extern t = {.kind = BST_EXTERN_TABLE};
    t.of.table = bst_table_new(r->store, BST_FUNCREF, (bst_limits){10, 20, true}, null_func, &err);
    if (!t.of.table) {
        snprintf(why, whylen, "cannot create spectest.table: %.200s", err.message);
        return false;
    }
    spectest_add(r, "table", t);

    bst_extern m = {.kind = BST_EXTERN_MEMORY};
    m.of.memory = bst_memory_new(r->store, (bst_limits){1, 2, true}, &err);
    if (!m.of.memory) {
        snprintf(why, whylen, "cannot create spectest.memory: %.200s", err.message);
        return false;
    }
    spectest_add(r, "memory", m);
    return true;
}

/* ---- modules ----------------------------------------------------------------------------- */

static char *join_path(const char *dir, const char *file) {
    if (file[0] == '/' || dir[0] == '\0') {
        size_t n = strlen(file) + 1;
        char *p = malloc(n);
        if (p) memcpy(p, file, n);
        return p;
    }
    size_t n = strlen(dir) + 1 + strlen(file) + 1;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, file);
    return p;
}

typedef enum load_result {
    LOAD_OK,
    LOAD_IO,       /* missing file etc.: a harness problem, always a failure */
    LOAD_REJECTED, /* the engine refused the binary; *err says why */
} load_result;

/* Loads a .wasm named in the JSON.  A module that loads is owned by r (freed after the store)
 * unless `keep` is false, in which case the caller frees it. */
static load_result load_module(spec_run *r, const char *filename, bool keep, bst_module **out,
                               bst_error *err, char *why, size_t whylen) {
    *out = NULL;
    memset(err, 0, sizeof *err);
    char *path = join_path(r->dir, filename);
    if (!path) {
        snprintf(why, whylen, "out of memory");
        return LOAD_IO;
    }
    uint8_t *bytes;
    size_t len;
    bst_module_config mcfg;
    bst_module_config_default(&mcfg);
    bool ok = cli_read_file(path, mcfg.max_module_bytes, &bytes, &len, why, whylen);
    free(path);
    if (!ok) return LOAD_IO;
    bst_module *m = bst_module_new(bytes, len, err);
    free(bytes);
    if (!m) return LOAD_REJECTED;
    if (keep) {
        void *a = r->modules;
        if (!push_ptr(&a, &r->nmodules, &r->cap_modules, sizeof m, &m)) {
            bst_module_free(m);
            snprintf(why, whylen, "out of memory");
            return LOAD_IO;
        }
        r->modules = a;
    }
    *out = m;
    return LOAD_OK;
}

/* Resolves every import of m against spectest and registered instances.  Returns false with
 * *why set when an import names nothing we have (the module is then unlinkable).  A name that
 * exists with the wrong kind or type is handed over anyway: rejecting it is the engine's job. */
static bool resolve_imports(spec_run *r, const bst_module *m, bst_extern **out, size_t *nout,
                            char *why, size_t whylen) {
    uint32_t n = bst_module_import_count(m);
    *out = NULL;
    *nout = 0;
    if (n == 0) return true;
    bst_extern *ext = calloc(n, sizeof *ext);
    if (!ext) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        memset(&d, 0, sizeof d);
        bst_module_import(m, i, &d);
        bool found = false;
        if (d.module_len == 8 && memcmp(d.module, "spectest", 8) == 0) {
            for (size_t j = 0; j < r->nspectest; j++) {
                const char *sn = r->spectest[j].name;
                if (strlen(sn) == d.name_len && memcmp(sn, d.name, d.name_len) == 0) {
                    ext[i] = r->spectest[j].ext;
                    found = true;
                    break;
                }
            }
        } else {
            bst_instance *inst = find_name(r->registered, r->nregistered, d.module, d.module_len);
            if (inst) found = bst_instance_export(inst, d.name, d.name_len, &ext[i]);
        }
        if (!found) {
            char mod[128], name[128];
            escape_name(mod, sizeof mod, d.module, d.module_len);
            escape_name(name, sizeof name, d.name, d.name_len);
            snprintf(why, whylen, "unknown import \"%.100s\" \"%.100s\" (%s)", mod, name,
                     cli_extern_kind_name(d.type.kind));
            free(ext);
            return false;
        }
    }
    *out = ext;
    *nout = n;
    return true;
}

typedef enum inst_result {
    INST_OK,
    INST_MISSING_IMPORT, /* resolve_imports failed; why says which */
    INST_FAILED,         /* bst_instance_new failed; err says why */
} inst_result;

static inst_result instantiate(spec_run *r, const bst_module *m, bst_instance **out, bst_error *err,
                               char *why, size_t whylen) {
    bst_extern *ext;
    size_t n;
    *out = NULL;
    memset(err, 0, sizeof *err);
    if (!resolve_imports(r, m, &ext, &n, why, whylen)) return INST_MISSING_IMPORT;
    *out = bst_instance_new(r->store, m, ext, n, NULL, err);
    free(ext);
    return *out ? INST_OK : INST_FAILED;
}

/* ---- values ------------------------------------------------------------------------------ */

static bool valtype_from_name(const char *s, bst_valtype *out) {
    static const bst_valtype all[] = {BST_I32,  BST_I64,     BST_F32,      BST_F64,
                                      BST_V128, BST_FUNCREF, BST_EXTERNREF};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, bst_valtype_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    }
    return false;
}

/* Strict unsigned decimal (what wast2json writes for every number). */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out) {
    uint64_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Two's-complement reinterpretation without relying on implementation-defined conversions. */
static int32_t s32(uint32_t u) {
    return u <= INT32_MAX ? (int32_t)u : -(int32_t)(UINT32_MAX - u) - 1;
}

static int64_t s64(uint64_t u) {
    return u <= INT64_MAX ? (int64_t)u : -(int64_t)(UINT64_MAX - u) - 1;
}

/* Parses a concrete JSON value ({"type": T, "value": V}) into *out. */
static bool parse_value(const json_t *jv, bst_value *out, char *why, size_t whylen) {
    const char *type = cli_json_str(jv, "type");
    const char *val = cli_json_str(jv, "value");
    bst_valtype t;
    uint64_t u;
    memset(out, 0, sizeof *out);
    if (!type || !valtype_from_name(type, &t)) {
        snprintf(why, whylen, "unknown value type %s", type ? type : "(missing)");
        return false;
    }
    out->type = t;
    switch (t) {
    case BST_I32:
    case BST_F32:
        if (!val || !parse_u64(val, UINT32_MAX, &u)) break;
        if (t == BST_I32)
            out->of.i32 = s32((uint32_t)u);
        else
            out->of.f32 = (uint32_t)u;
        return true;
    case BST_I64:
    case BST_F64:
        if (!val || !parse_u64(val, UINT64_MAX, &u)) break;
        if (t == BST_I64)
            out->of.i64 = s64(u);
        else
            out->of.f64 = u;
        return true;
    case BST_EXTERNREF:
        if (val && strcmp(val, "null") == 0) return true;
        /* Host reference N travels as N+1 so that 0 stays free for null. */
        if (!val || !parse_u64(val, UINTPTR_MAX - 1, &u)) break;
        out->of.externref = (uintptr_t)u + 1;
        return true;
    case BST_FUNCREF:
        if (val && strcmp(val, "null") == 0) return true;
        snprintf(why, whylen, "non-null funcref arguments cannot be expressed");
        return false;
    case BST_V128: snprintf(why, whylen, "v128 values are not supported"); return false;
    }
    snprintf(why, whylen, "bad %s value %s", type, val ? val : "(missing)");
    return false;
}

static void format_value(char *buf, size_t n, const bst_value *v) {
    switch (v->type) {
    case BST_I32:
        snprintf(buf, n, "i32:%" PRId32 " (0x%08" PRIx32 ")", v->of.i32, (uint32_t)v->of.i32);
        return;
    case BST_I64:
        snprintf(buf, n, "i64:%" PRId64 " (0x%016" PRIx64 ")", v->of.i64, (uint64_t)v->of.i64);
        return;
    case BST_F32: {
        float f;
        memcpy(&f, &v->of.f32, sizeof f);
        snprintf(buf, n, "f32:%.9g (0x%08" PRIx32 ")", (double)f, v->of.f32);
        return;
    }
    case BST_F64: {
        double d;
        memcpy(&d, &v->of.f64, sizeof d);
        snprintf(buf, n, "f64:%.17g (0x%016" PRIx64 ")", d, v->of.f64);
        return;
    }
    case BST_FUNCREF: snprintf(buf, n, "%s", v->of.funcref ? "ref.func" : "ref.null func"); return;
    case BST_EXTERNREF:
        if (v->of.externref)
            snprintf(buf, n, "ref.extern %" PRIuPTR, v->of.externref - 1);
        else
            snprintf(buf, n, "ref.null extern");
        return;
    case BST_V128: snprintf(buf, n, "v128"); return;
    }
    snprintf(buf, n, "<type 0x%x>", (unsigned)v->type);
}

/* Checks a result against an expected JSON value, which may be a NaN pattern or, for funcref, a
 * bare "non-null".  exp_text receives a rendering of the expectation. */
static bool value_matches(const json_t *exp, const bst_value *got, char *exp_text, size_t n) {
    const char *type = cli_json_str(exp, "type");
    const char *val = cli_json_str(exp, "value");
    bst_valtype t;
    if (!type || !valtype_from_name(type, &t)) {
        snprintf(exp_text, n, "<unsupported type %s>", type ? type : "(missing)");
        return false;
    }
    if (val && (t == BST_F32 || t == BST_F64) && strncmp(val, "nan:", 4) == 0) {
        snprintf(exp_text, n, "%s:%s", type, val);
        if (got->type != t) return false;
        bool canonical = strcmp(val, "nan:canonical") == 0;
        if (!canonical && strcmp(val, "nan:arithmetic") != 0) return false;
        if (t == BST_F32) {
            uint32_t b = got->of.f32 & 0x7fffffffu;
            /* canonical: exactly the quiet bit; arithmetic: quiet bit plus any payload */
            return canonical ? b == 0x7fc00000u : (b & 0x7fc00000u) == 0x7fc00000u;
        }
        uint64_t b = got->of.f64 & 0x7fffffffffffffffu;
        return canonical ? b == 0x7ff8000000000000u
                         : (b & 0x7ff8000000000000u) == 0x7ff8000000000000u;
    }
    if (t == BST_FUNCREF && !(val && strcmp(val, "null") == 0)) {
        /* The JSON cannot name a specific function: any non-null reference matches. */
        snprintf(exp_text, n, "ref.func");
        return got->type == BST_FUNCREF && got->of.funcref != NULL;
    }
    bst_value ev;
    char why[128];
    if (!parse_value(exp, &ev, why, sizeof why)) {
        snprintf(exp_text, n, "<%.80s>", why);
        return false;
    }
    format_value(exp_text, n, &ev);
    if (got->type != ev.type) return false;
    switch (t) {
    case BST_I32: return got->of.i32 == ev.of.i32;
    case BST_I64: return got->of.i64 == ev.of.i64;
    case BST_F32: return got->of.f32 == ev.of.f32;
    case BST_F64: return got->of.f64 == ev.of.f64;
    case BST_EXTERNREF: return got->of.externref == ev.of.externref;
    case BST_FUNCREF: return got->of.funcref == NULL;
    case BST_V128: return false;
    }
    return false;
}

/* ---- actions ----------------------------------------------------------------------------- */

typedef struct action_result {
    bst_status status;
    bst_error err;
    bst_value *results; /* malloc'd, nresults entries */
    size_t nresults;
} action_result;

/* Runs an invoke/get action.  Returns false (after reporting a failure of kind `kind`) when
 * the action could not even be attempted; otherwise fills *res (status may be a trap). */
static bool run_action(spec_run *r, const char *kind, const json_t *action, action_result *res) {
    memset(res, 0, sizeof *res);
    const char *type = cli_json_str(action, "type");
    const json_t *field = json_object_get(action, "field");
    const json_t *modname = json_object_get(action, "module");
    if (!type || !json_is_string(field)) {
        report_fail(r, kind, "malformed action");
        return false;
    }
    char fname[128];
    escape_name(fname, sizeof fname, json_string_value(field), json_string_length(field));

    bst_instance *inst = r->current;
    if (modname) {
        if (!json_is_string(modname)) {
            report_fail(r, kind, "malformed action module name");
            return false;
        }
        inst =
            find_name(r->named, r->nnamed, json_string_value(modname), json_string_length(modname));
        if (!inst) {
            report_fail(r, kind, "no module named %s for \"%s\"", json_string_value(modname),
                        fname);
            return false;
        }
    }
    if (!inst) {
        report_fail(r, kind, "no module instantiated for \"%s\"", fname);
        return false;
    }
    bst_extern ext;
    if (!bst_instance_export(inst, json_string_value(field), json_string_length(field), &ext)) {
        report_fail(r, kind, "no export \"%s\"", fname);
        return false;
    }

    if (strcmp(type, "get") == 0) {
        if (ext.kind != BST_EXTERN_GLOBAL) {
            report_fail(r, kind, "export \"%s\" is a %s, not a global", fname,
                        cli_extern_kind_name(ext.kind));
            return false;
        }
        res->results = malloc(sizeof *res->results);
        if (!res->results) {
            report_fail(r, kind, "out of memory");
            return false;
        }
        res->results[0] = bst_global_get(ext.of.global);
        res->nresults = 1;
        res->status = BST_OK;
        return true;
    }
    if (strcmp(type, "invoke") != 0) {
        report_fail(r, kind, "unknown action type %s", type);
        return false;
    }
    if (ext.kind != BST_EXTERN_FUNC) {
        report_fail(r, kind, "export \"%s\" is a %s, not a function", fname,
                    cli_extern_kind_name(ext.kind));
        return false;
    }
    const bst_functype *ft = bst_func_type(ext.of.func);
    const json_t *args = json_object_get(action, "args");
    size_t nargs = json_array_size(args); /* 0 when absent */
    if (args && !json_is_array(args)) {
        report_fail(r, kind, "malformed action args");
        return false;
    }
    if (nargs != ft->nparams) {
        report_fail(r, kind, "\"%s\" takes %" PRIu32 " arguments, the test passes %zu", fname,
                    ft->nparams, nargs);
        return false;
    }
    bst_value *argv = calloc(nargs ? nargs : 1, sizeof *argv);
    res->results = calloc(ft->nresults ? ft->nresults : 1, sizeof *res->results);
    if (!argv || !res->results) {
        free(argv);
        free(res->results);
        res->results = NULL;
        report_fail(r, kind, "out of memory");
        return false;
    }
    for (size_t i = 0; i < nargs; i++) {
        char why[128];
        if (!parse_value(json_array_get(args, i), &argv[i], why, sizeof why)) {
            report_fail(r, kind, "argument %zu of \"%s\": %s", i, fname, why);
            free(argv);
            free(res->results);
            res->results = NULL;
            return false;
        }
    }
    for (uint32_t i = 0; i < ft->nresults; i++) res->results[i].type = ft->results[i];
    res->nresults = ft->nresults;
    res->status = bst_call(ext.of.func, argv, nargs, res->results, res->nresults, &res->err);
    res->err.status = res->status;
    free(argv);
    return true;
}

/* Does a trap of kind k (with message msg) satisfy the spec's expected failure text? */
static bool trap_matches(const char *text, bst_trap_kind k, const char *msg) {
    static const struct {
        const char *text;
        bst_trap_kind kind, alt;
    } map[] = {
        {"unreachable", BST_TRAP_UNREACHABLE, BST_TRAP_UNREACHABLE},
        {"out of bounds memory access", BST_TRAP_MEMORY_OOB, BST_TRAP_MEMORY_OOB},
        {"out of bounds table access", BST_TRAP_TABLE_OOB, BST_TRAP_TABLE_OOB},
        /* call_indirect past the end of the table */
        {"undefined element", BST_TRAP_UNDEFINED_ELEMENT, BST_TRAP_UNDEFINED_ELEMENT},
        {"uninitialized element", BST_TRAP_UNINITIALIZED_ELEMENT, BST_TRAP_UNINITIALIZED_ELEMENT},
        {"indirect call type mismatch", BST_TRAP_INDIRECT_MISMATCH, BST_TRAP_INDIRECT_MISMATCH},
        {"integer divide by zero", BST_TRAP_DIV_ZERO, BST_TRAP_DIV_ZERO},
        {"integer overflow", BST_TRAP_INT_OVERFLOW, BST_TRAP_INT_OVERFLOW},
        {"invalid conversion to integer", BST_TRAP_INVALID_CONVERSION, BST_TRAP_INVALID_CONVERSION},
        {"call stack exhausted", BST_TRAP_STACK_EXHAUSTED, BST_TRAP_STACK_EXHAUSTED},
    };
    if (!text) return true;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t n = strlen(map[i].text);
        if (strncmp(text, map[i].text, n) == 0) return k == map[i].kind || k == map[i].alt;
    }
    /* An unknown expectation: fall back to comparing the message's prefix. */
    return msg && strncmp(msg, text, strlen(text)) == 0;
}

/* ---- commands ---------------------------------------------------------------------------- */

static void cmd_module(spec_run *r, const json_t *cmd) {
    const char *filename = cli_json_str(cmd, "filename");
    const json_t *name = json_object_get(cmd, "name");
    char why[256] = "";
    bst_error err;
    bst_module *m;
    r->current = NULL; /* later actions must not silently hit an older module */
    if (!filename) {
        report_fail(r, "module", "command has no filename");
        return;
    }
    load_result lr = load_module(r, filename, true, &m, &err, why, sizeof why);
    if (lr == LOAD_IO) {
        report_fail(r, "module", "%s", why);
        return;
    }
    if (lr == LOAD_REJECTED) {
        report_fail(r, "module", "%s failed to load: %s at offset %zu: %s", filename,
                    bst_status_name(err.status), err.offset, cli_err_text(&err));
        return;
    }
    bst_instance *inst;
    inst_result ir = instantiate(r, m, &inst, &err, why, sizeof why);
    if (ir == INST_MISSING_IMPORT) {
        report_fail(r, "module", "%s: %s", filename, why);
        return;
    }
    if (ir == INST_FAILED) {
        report_fail(r, "module", "%s failed to instantiate: %s: %s", filename,
                    bst_status_name(err.status), cli_err_text(&err));
        return;
    }
    r->current = inst;
    if (json_is_string(name) &&
        !add_name(&r->named, &r->nnamed, &r->cap_named, json_string_value(name),
                  json_string_length(name), inst)) {
        report_fail(r, "module", "out of memory");
        return;
    }
    r->counts->passed++;
}

static void cmd_register(spec_run *r, const json_t *cmd) {
    const json_t *as = json_object_get(cmd, "as");
    const json_t *name = json_object_get(cmd, "name");
    if (!json_is_string(as)) {
        report_fail(r, "register", "command has no \"as\"");
        return;
    }
    bst_instance *inst = r->current;
    if (json_is_string(name))
        inst = find_name(r->named, r->nnamed, json_string_value(name), json_string_length(name));
    if (!inst) {
        report_fail(r, "register", "no module to register as \"%s\"", json_string_value(as));
        return;
    }
    if (!add_name(&r->registered, &r->nregistered, &r->cap_registered, json_string_value(as),
                  json_string_length(as), inst)) {
        report_fail(r, "register", "out of memory");
        return;
    }
    r->counts->passed++;
}

static void cmd_action(spec_run *r, const json_t *cmd) {
    action_result res;
    if (!run_action(r, "action", json_object_get(cmd, "action"), &res)) return;
    if (res.status != BST_OK)
        report_fail(r, "action", "failed: %s: %s", bst_status_name(res.status),
                    cli_err_text(&res.err));
    else
        r->counts->passed++;
    free(res.results);
}

static void cmd_assert_return(spec_run *r, const json_t *cmd) {
    const char *kind = "assert_return";
    const json_t *expected = json_object_get(cmd, "expected");
    action_result res;
    if (!json_is_array(expected)) {
        report_fail(r, kind, "command has no expected values");
        return;
    }
    if (!run_action(r, kind, json_object_get(cmd, "action"), &res)) return;
    char fname[128] = "";
    const json_t *field = json_object_get(json_object_get(cmd, "action"), "field");
    if (json_is_string(field))
        escape_name(fname, sizeof fname, json_string_value(field), json_string_length(field));
    if (res.status != BST_OK) {
        report_fail(r, kind, "\"%s\": unexpected %s: %s", fname, bst_status_name(res.status),
                    cli_err_text(&res.err));
    } else if (res.nresults != json_array_size(expected)) {
        report_fail(r, kind, "\"%s\": expected %zu results, got %zu", fname,
                    json_array_size(expected), res.nresults);
    } else {
        bool ok = true;
        for (size_t i = 0; i < res.nresults && ok; i++) {
            char exp[96], got[96];
            if (!value_matches(json_array_get(expected, i), &res.results[i], exp, sizeof exp)) {
                format_value(got, sizeof got, &res.results[i]);
                if (res.nresults == 1)
                    report_fail(r, kind, "\"%s\" (expected %s, got %s)", fname, exp, got);
                else
                    report_fail(r, kind, "\"%s\" result %zu (expected %s, got %s)", fname, i, exp,
                                got);
                ok = false;
            }
        }
        if (ok) r->counts->passed++;
    }
    free(res.results);
}

/* A module that an assert_uninstantiable / assert_unlinkable command loads and instantiates. */
typedef struct instantiation {
    const char *filename;
    const char *text;     /* the expected failure, or NULL */
    const char *expected; /* text for messages ("" when NULL) */
    inst_result result;
    bst_error err; /* INST_FAILED: why */
    char why[256]; /* INST_MISSING_IMPORT: which import */
} instantiation;

/* Loads cmd's module (r keeps it) and instantiates it into *in.  Returns false after reporting
 * the failure when there is no file or it does not load.  expect ("trap " or "") says in those
 * messages what the test expected. */
static bool load_and_instantiate(spec_run *r, const char *kind, const json_t *cmd,
                                 const char *expect, instantiation *in) {
    in->filename = cli_json_str(cmd, "filename");
    in->text = cli_json_str(cmd, "text");
    in->expected = in->text ? in->text : "";
    in->why[0] = '\0';
    bst_module *m;
    if (!in->filename) {
        report_fail(r, kind, "command has no filename");
        return false;
    }
    load_result lr = load_module(r, in->filename, true, &m, &in->err, in->why, sizeof in->why);
    if (lr == LOAD_IO) {
        report_fail(r, kind, "%s", in->why);
        return false;
    }
    if (lr == LOAD_REJECTED) {
        report_fail(r, kind, "%s failed to load (expected %s\"%s\", got %s at offset %zu: %s)",
                    in->filename, expect, in->expected, bst_status_name(in->err.status),
                    in->err.offset, cli_err_text(&in->err));
        return false;
    }
    bst_instance *inst;
    in->result = instantiate(r, m, &inst, &in->err, in->why, sizeof in->why);
    return true;
}

/* assert_uninstantiable, and assert_trap on a module: loads and links, instantiation traps. */
static void cmd_uninstantiable(spec_run *r, const char *kind, const json_t *cmd) {
    instantiation in;
    if (!load_and_instantiate(r, kind, cmd, "trap ", &in)) return;
    if (in.result == INST_MISSING_IMPORT) {
        report_fail(r, kind, "%s: %s", in.filename, in.why);
    } else if (in.result == INST_OK) {
        report_fail(r, kind, "%s instantiated (expected trap \"%s\")", in.filename, in.expected);
    } else if (in.err.status != BST_ERR_TRAP) {
        report_fail(r, kind, "%s (expected trap \"%s\", got %s: %s)", in.filename, in.expected,
                    bst_status_name(in.err.status), cli_err_text(&in.err));
    } else if (!trap_matches(in.text, in.err.trap, cli_err_text(&in.err))) {
        report_fail(r, kind, "%s (expected trap \"%s\", got trap \"%s\")", in.filename, in.expected,
                    cli_err_text(&in.err));
    } else {
        r->counts->passed++;
    }
}

static void cmd_assert_trap(spec_run *r, const char *kind, const json_t *cmd, bool exhaustion) {
    const json_t *action = json_object_get(cmd, "action");
    const char *text = cli_json_str(cmd, "text");
    if (!action) {
        cmd_uninstantiable(r, kind, cmd);
        return;
    }
    action_result res;
    if (!run_action(r, kind, action, &res)) return;
    char fname[128] = "";
    const json_t *field = json_object_get(action, "field");
    if (json_is_string(field))
        escape_name(fname, sizeof fname, json_string_value(field), json_string_length(field));
    if (exhaustion) text = "call stack exhausted";
    if (res.status == BST_OK) {
        char got[96] = "no results";
        if (res.nresults > 0) format_value(got, sizeof got, &res.results[0]);
        report_fail(r, kind, "\"%s\" returned (expected trap \"%s\", got %s)", fname,
                    text ? text : "", got);
    } else if (res.status != BST_ERR_TRAP) {
        report_fail(r, kind, "\"%s\" (expected trap \"%s\", got %s: %s)", fname, text ? text : "",
                    bst_status_name(res.status), cli_err_text(&res.err));
    } else if (!trap_matches(text, res.err.trap, cli_err_text(&res.err))) {
        report_fail(r, kind, "\"%s\" (expected trap \"%s\", got trap \"%s\")", fname,
                    text ? text : "", cli_err_text(&res.err));
    } else {
        r->counts->passed++;
    }
    free(res.results);
}

/* assert_invalid / assert_malformed: the binary must be rejected (any reason will do). */
static void cmd_must_not_load(spec_run *r, const char *kind, const json_t *cmd) {
    const char *filename = cli_json_str(cmd, "filename");
    const char *module_type = cli_json_str(cmd, "module_type");
    const char *text = cli_json_str(cmd, "text");
    char why[256] = "";
    bst_error err;
    bst_module *m;
    if (module_type && strcmp(module_type, "binary") != 0) {
        r->counts->skipped++; /* text format: no parser in Bastion */
        return;
    }
    if (!filename) {
        report_fail(r, kind, "command has no filename");
        return;
    }
    load_result lr = load_module(r, filename, false, &m, &err, why, sizeof why);
    if (lr == LOAD_IO) {
        report_fail(r, kind, "%s", why);
    } else if (lr == LOAD_OK) {
        bst_module_free(m);
        report_fail(r, kind, "%s loaded (expected \"%s\")", filename, text ? text : "");
    } else {
        if (r->verbose)
            printf("%s:%lu: %s: ok (expected \"%s\", got %s at offset %zu: %s)\n", r->source,
                   r->line, kind, text ? text : "", bst_status_name(err.status), err.offset,
                   cli_err_text(&err));
        r->counts->passed++;
    }
}

static void cmd_assert_unlinkable(spec_run *r, const json_t *cmd) {
    const char *kind = "assert_unlinkable";
    instantiation in;
    if (!load_and_instantiate(r, kind, cmd, "", &in)) return;
    if (in.result == INST_MISSING_IMPORT) {
        if (r->verbose)
            printf("%s:%lu: %s: ok (expected \"%s\", got %s)\n", r->source, r->line, kind,
                   in.expected, in.why);
        r->counts->passed++;
    } else if (in.result == INST_OK) {
        report_fail(r, kind, "%s instantiated (expected \"%s\")", in.filename, in.expected);
    } else if (in.err.status != BST_ERR_UNLINKABLE) {
        report_fail(r, kind, "%s (expected \"%s\", got %s: %s)", in.filename, in.expected,
                    bst_status_name(in.err.status), cli_err_text(&in.err));
    } else {
        if (r->verbose)
            printf("%s:%lu: %s: ok (expected \"%s\", got %s)\n", r->source, r->line, kind,
                   in.expected, cli_err_text(&in.err));
        r->counts->passed++;
    }
}

static void run_command(spec_run *r, const json_t *cmd) {
    const char *type = cli_json_str(cmd, "type");
    const json_t *line = json_object_get(cmd, "line");
    r->line = 0;
    if (json_is_integer(line) && json_integer_value(line) >= 0)
        r->line = (unsigned long)json_integer_value(line);
    if (!type) {
        report_fail(r, "command", "command without a type");
        return;
    }
    if (strcmp(type, "module") == 0)
        cmd_module(r, cmd);
    else if (strcmp(type, "register") == 0)
        cmd_register(r, cmd);
    else if (strcmp(type, "action") == 0)
        cmd_action(r, cmd);
    else if (strcmp(type, "assert_return") == 0)
        cmd_assert_return(r, cmd);
    else if (strcmp(type, "assert_trap") == 0)
        cmd_assert_trap(r, type, cmd, false);
    else if (strcmp(type, "assert_exhaustion") == 0)
        cmd_assert_trap(r, type, cmd, true);
    else if (strcmp(type, "assert_invalid") == 0 || strcmp(type, "assert_malformed") == 0)
        cmd_must_not_load(r, type, cmd);
    else if (strcmp(type, "assert_unlinkable") == 0)
        cmd_assert_unlinkable(r, cmd);
    else if (strcmp(type, "assert_uninstantiable") == 0)
        cmd_uninstantiable(r, type, cmd);
    else
        report_fail(r, type, "unknown command type");
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (slash && n == 0) n = 1; /* "/x.json" lives in "/" */
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

static void run_file(const char *path, bool verbose, counts *c) {
    spec_run r;
    memset(&r, 0, sizeof r);
    r.verbose = verbose;
    r.source = path;
    r.counts = c;

    char why[256];
    uint8_t *text;
    size_t len;
    if (!cli_read_file(path, CLI_MAX_TEXT_BYTES, &text, &len, why, sizeof why)) {
        printf("%s: error: %s\n", path, why);
        c->failed++;
        return;
    }
    json_error_t jerr;
    json_t *root = cli_json_parse((const char *)text, len, &jerr);
    free(text);
    if (!root) {
        printf("%s:%d:%d: error: invalid JSON: %s\n", path, jerr.line, jerr.column, jerr.text);
        c->failed++;
        return;
    }
    const json_t *commands = json_object_get(root, "commands");
    const char *source = cli_json_str(root, "source_filename");
    if (source && *source) r.source = source; /* line numbers refer to the .wast */
    r.dir = dir_of(path);
    r.store = bst_store_new(NULL);
    if (!json_is_array(commands)) {
        printf("%s: error: no \"commands\" array\n", path);
        c->failed++;
    } else if (!r.dir || !r.store) {
        printf("%s: error: out of memory\n", path);
        c->failed++;
    } else if (!spectest_init(&r, why, sizeof why)) {
        printf("%s: error: %s\n", path, why);
        c->failed++;
    } else {
        for (size_t i = 0; i < json_array_size(commands); i++) {
            /* Flush per command so a crash inside the engine still shows earlier results. */
            run_command(&r, json_array_get(commands, i));
            fflush(stdout);
        }
    }

    /* Instances die with the store; modules must outlive it. */
    if (r.store) bst_store_free(r.store);
    for (size_t i = 0; i < r.nmodules; i++) bst_module_free(r.modules[i]);
    free(r.modules);
    for (size_t i = 0; i < r.nnamed; i++) free(r.named[i].name);
    free(r.named);
    for (size_t i = 0; i < r.nregistered; i++) free(r.registered[i].name);
    free(r.registered);
    free(r.dir);
    json_decref(root);
}

static const char SPEC_USAGE[] =
    "usage: bastion spec [-v] FILE.json...\n"
    "  Run WebAssembly spec tests converted by `wast2json` (each FILE.json next to the\n"
    "  .wasm files it names) and print one line per failure and the totals; text-format\n"
    "  modules are counted as skipped.  -v, --verbose also explains expected failures.\n"
    "  Exit status: 0 every assertion passed, 1 a failure, 64 misuse.\n";

int spec_main(int argc, char **argv) {
    bool verbose = false;
    int nfiles = 0;
    counts c = {0, 0, 0};
    int nopts = argc; /* arguments from here on are files (after `--`) */
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            nopts = i;
            break;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(SPEC_USAGE, stdout);
            return 0;
        }
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "bastion spec: unknown option %s\n%s", argv[i], SPEC_USAGE);
            return CLI_EXIT_USAGE;
        }
    }
    for (int i = 0; i < argc; i++) {
        if (i == nopts || (i < nopts && argv[i][0] == '-' && argv[i][1] != '\0')) continue;
        run_file(argv[i], verbose, &c);
        nfiles++;
    }
    if (nfiles == 0) {
        fputs(SPEC_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    if (c.skipped)
        printf("%lu passed, %lu failed, %lu skipped\n", c.passed, c.failed, c.skipped);
    else
        printf("%lu passed, %lu failed\n", c.passed, c.failed);
    return c.failed ? 1 : 0;
}
