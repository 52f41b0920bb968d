/*
 * limits.c — resource bombs and configured limits.
 *
 *  - memory.grow beyond bst_config.max_memory_pages (or the declared maximum) returns -1 and
 *    changes nothing; a declared minimum above the limit fails instantiation with BST_ERR_LIMIT;
 *  - table.grow beyond max_table_elems likewise, and the same for a table's minimum;
 *  - huge counts in section headers (0xffffffff types, functions, locals, segments, ...) fail
 *    with BST_ERR_MALFORMED at once, without large allocations: the address space is capped with
 *    RLIMIT_AS (or, under ASan, allocations above 256 MiB fail) and each load is timed;
 *  - bst_module_config: max_nesting, max_locals (params included), max_functions (imports
 *    included), max_module_bytes — at the limit accepted, one above refused with BST_ERR_LIMIT;
 *  - reject_floats: any float type or instruction is BST_ERR_UNSUPPORTED, integer code loads;
 *  - a host function type of 2^32-1 parameters (whose count once wrapped the copy's size to
 *    zero, then copied 16 GiB into it) is refused; 1,000 of each is the most accepted.
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/resource.h>
#include <time.h>

#include "harness.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define H_SHADOW_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define H_SHADOW_SANITIZER 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__)
#define H_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define H_ASAN 1
#endif
#endif

#ifdef H_ASAN
/* ASan reserves terabytes of shadow, so RLIMIT_AS is unusable; cap single allocations instead
 * (an oversized one returns NULL, which the engine reports as BST_ERR_NOMEM: a failed check). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "max_allocation_size_mb=256:allocator_may_return_null=1";
}
#endif

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
#define U32MAX 0xff, 0xff, 0xff, 0xff, 0x0f         /* 0xffffffff as LEB128 */
#define TYPE_V_V 0x01, 0x04, 0x01, 0x60, 0x00, 0x00 /* type section: (func) */
#define FUNC_1 0x03, 0x02, 0x01, 0x00               /* function section: one (func) */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bst_value call_i32(bst_instance *inst, const char *fn, int32_t arg) {
    bst_error err;
    bst_value v;
    bst_func *f = h_func(inst, fn);
    bst_status st =
        bst_func_type(f)->nparams ? h_call(f, &err, &v, 1, arg) : h_call(f, &err, &v, 0);
    CHECK_OK(st, err);
    return v;
}

static bst_instance *try_instance(bst_store *s, const char *name, bst_error *err) {
    bst_module *m = h_load(name, NULL);
    bst_instance *inst = bst_instance_new(s, m, NULL, 0, NULL, err);
    /* the module must outlive its instances: keep it until the store is gone */
    bst_store_free(s);
    bst_module_free(m);
    return inst;
}

/* ---- memory and table grow bombs ------------------------------------------------------------ */

static void memory_bombs(void) {
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_memory_pages = 16;
    bst_module *m = h_load("limits", NULL);
    bst_store *s = bst_store_new(&cfg);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_memory *mem = bst_instance_memory(inst, "memory");
    /* beyond the limit in one step, then in steps: -1 and nothing changes */
    CHECK_EQ(call_i32(inst, "grow", 16).of.i32, -1);
    CHECK_EQ(call_i32(inst, "grow", -1).of.i32, -1);      /* 0xffffffff pages */
    CHECK_EQ(call_i32(inst, "grow", 0x10000).of.i32, -1); /* 4 GiB */
    CHECK_EQ(call_i32(inst, "grow", 0x7fffffff).of.i32, -1);
    CHECK_EQ(call_i32(inst, "size", 0).of.i32, 1);
    CHECK_EQ(call_i32(inst, "grow", 15).of.i32, 1); /* exactly to the limit */
    CHECK_EQ(call_i32(inst, "size", 0).of.i32, 16);
    CHECK_EQ(call_i32(inst, "grow", 1).of.i32, -1);
    CHECK_EQ(call_i32(inst, "grow", 0).of.i32, 16);
    CHECK_EQ(bst_memory_grow(mem, 1), -1); /* the API obeys it too */
    CHECK_EQ(bst_memory_pages(mem), 16);
    CHECK_EQ(bst_memory_size(mem), 16u * 65536);
    /* a host-created memory is held to the store's limit */
    bst_error err;
    bst_limits big = {17, 0, false};
    CHECK(bst_memory_new(s, big, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    /* the limit is also a budget for the whole store: its 16 pages are in use */
    bst_limits one = {1, 0, false};
    CHECK(bst_memory_new(s, one, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    bst_limits none = {0, 0, false};
    bst_memory *empty = bst_memory_new(s, none, &err);
    CHECK(empty != NULL);
    CHECK_EQ(bst_memory_grow(empty, 1), -1);
    bst_store_free(s);

    /* a declared minimum above the limit: instantiation refused */
    cfg.max_memory_pages = 50;
    CHECK(try_instance(bst_store_new(&cfg), "limits_bigmem", &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    cfg.max_memory_pages = 100;
    CHECK(try_instance(bst_store_new(&cfg), "limits_bigmem", &err) != NULL);

    /* the module's own maximum is below the store's limit: it wins */
    bst_module *capped = h_load("limits_capped", NULL);
    s = bst_store_new(NULL);
    inst = h_instance(s, capped, NULL);
    CHECK_EQ(call_i32(inst, "grow", 3).of.i32, -1);
    CHECK_EQ(call_i32(inst, "grow", 2).of.i32, 1);
    CHECK_EQ(call_i32(inst, "grow", 1).of.i32, -1);
    CHECK_EQ(call_i32(inst, "table_grow", 2).of.i32, -1);
    CHECK_EQ(call_i32(inst, "table_grow", 1).of.i32, 1);
    CHECK_EQ(call_i32(inst, "table_grow", 1).of.i32, -1);
    bst_store_free(s);
    bst_module_free(capped);
    bst_module_free(m);
}

static void table_bombs(void) {
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_table_elems = 100;
    bst_module *m = h_load("limits", NULL);
    bst_store *s = bst_store_new(&cfg);
    bst_instance *inst = h_instance(s, m, NULL);
    CHECK_EQ(call_i32(inst, "table_grow", 100).of.i32, -1);
    CHECK_EQ(call_i32(inst, "table_grow", -1).of.i32, -1);
    CHECK_EQ(call_i32(inst, "table_grow", 0x7fffffff).of.i32, -1);
    CHECK_EQ(call_i32(inst, "table_size", 0).of.i32, 1);
    CHECK_EQ(call_i32(inst, "table_grow", 99).of.i32, 1);
    CHECK_EQ(call_i32(inst, "table_size", 0).of.i32, 100);
    CHECK_EQ(call_i32(inst, "table_grow", 1).of.i32, -1);
    CHECK_EQ(bst_table_size(h_table(inst, "table")), 100);
    bst_error err;
    bst_value null;
    memset(&null, 0, sizeof null);
    null.type = BST_FUNCREF;
    bst_limits big = {101, 0, false};
    CHECK(bst_table_new(s, BST_FUNCREF, big, null, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    bst_store_free(s);

    cfg.max_table_elems = 999;
    CHECK(try_instance(bst_store_new(&cfg), "limits_bigtable", &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    cfg.max_table_elems = 1000;
    CHECK(try_instance(bst_store_new(&cfg), "limits_bigtable", &err) != NULL);
    bst_module_free(m);
}

/* ---- huge counts ---------------------------------------------------------------------------- */

static void expect_load(const uint8_t *bytes, size_t len, bst_status want, int line) {
    bst_error err;
    double t0 = now();
    bst_module *m = bst_module_new(bytes, len, &err);
    double dt = now() - t0;
    bst_status got = m ? BST_OK : err.status;
    check_count++;
    if (got != want || dt > 0.5) {
        check_failures++;
        fprintf(stderr, "line %d: expected %s, got %s (%s) in %.3f s\n", line,
                bst_status_name(want), bst_status_name(got), m ? "" : err.message, dt);
    }
    bst_module_free(m);
}

#define EXPECT_LOAD(want, ...)                                                                     \
    do {                                                                                           \
        static const uint8_t bin_[] = {__VA_ARGS__};                                               \
        expect_load(bin_, sizeof bin_, want, __LINE__);                                            \
    } while (0)

static void huge_counts(void) {
#ifndef H_SHADOW_SANITIZER
    struct rlimit old, cap;
    int have = getrlimit(RLIMIT_AS, &old) == 0;
    cap = old;
    cap.rlim_cur = (rlim_t)256 << 20;
    if (have && (old.rlim_max == RLIM_INFINITY || old.rlim_max >= cap.rlim_cur))
        CHECK(setrlimit(RLIMIT_AS, &cap) == 0);
#endif
    /* section entry counts of 2^32-1, each followed by one small valid-looking entry */
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x01, 0x08, U32MAX, 0x60, 0x00, 0x00);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x02, 0x0b, U32MAX, 0x01, 'e', 0x01, 'f', 0x00, 0x00);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, TYPE_V_V, 0x03, 0x06, U32MAX, 0x00);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x04, 0x07, U32MAX, 0x70, 0x00);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x05, 0x07, U32MAX, 0x00, 0x01);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x06, 0x09, U32MAX, 0x7f, 0x00, 0x41, 0x00, 0x0b);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x07, 0x09, U32MAX, 0x01, 'x', 0x00, 0x00);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x09, 0x06, U32MAX, 0x00);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, TYPE_V_V, FUNC_1, 0x0a, 0x08, U32MAX, 0x02, 0x00, 0x0b);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x0b, 0x06, U32MAX, 0x00);
    /* a function declaring 2^32-1 locals, and two declarations summing to 2^32 */
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0a, 0x01, 0x08, 0x01, U32MAX,
                0x7f, 0x0b);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, TYPE_V_V, FUNC_1, 0x0a, 0x10, 0x01, 0x0e, 0x02, 0x80, 0x80,
                0x80, 0x80, 0x08, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x08, 0x7f, 0x0b);
    /* 2^32-1 local declarations */
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0a, 0x01, 0x08, U32MAX, 0x01,
                0x7f, 0x0b);
    /* br_table with 2^32-1 targets */
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00,
                0x0e, U32MAX, 0x00, 0x00, 0x0b);
    /* a data segment claiming 2^32-1 bytes, an element segment claiming 2^32-1 items */
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0b, 0x0b, 0x01, 0x00, 0x41,
                0x00, 0x0b, U32MAX, 0xaa);
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, TYPE_V_V, FUNC_1, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x09,
                0x0a, 0x01, 0x00, 0x41, 0x00, 0x0b, U32MAX, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00,
                0x0b);
    /* a name section announcing 2^32-1 function names: a custom section never fails the load */
    EXPECT_LOAD(BST_OK, HDR, TYPE_V_V, FUNC_1, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, 0x00, 0x0e, 0x04,
                'n', 'a', 'm', 'e', 0x01, 0x07, U32MAX, 0x00, 0x01);
    /* a type with 2^32-1 parameters */
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x01, 0x09, 0x01, 0x60, U32MAX, 0x7f, 0x00);
    /* a name of 2^32-1 bytes */
    EXPECT_LOAD(BST_ERR_MALFORMED, HDR, 0x00, 0x06, U32MAX, 'x');
#ifndef H_SHADOW_SANITIZER
    if (have) setrlimit(RLIMIT_AS, &old);
#endif
}

/* A table declaring 2^32-1 elements decodes and validates, but is never allocated. */
static void huge_table_minimum(void) {
    static const uint8_t bin[] = {HDR, 0x04, 0x08, 0x01, 0x70, 0x00, U32MAX};
    bst_error err;
    bst_module *m = bst_module_new(bin, sizeof bin, &err);
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    bst_store *s = bst_store_new(NULL);
    CHECK(bst_instance_new(s, m, NULL, 0, NULL, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    bst_store_free(s);
    bst_module_free(m);
}

/* ---- module configuration ------------------------------------------------------------------- */

static bst_status load_with(const h_buf *b, const bst_module_config *mc, bst_error *err) {
    bst_module *m = bst_module_new_ex(b->p, b->n, mc, err);
    bst_status st = m ? BST_OK : err->status;
    bst_module_free(m);
    return st;
}

/* f(x) = x inside `depth` nested blocks */
static h_buf nested(uint32_t depth) {
    h_buf code = {0};
    for (uint32_t i = 0; i < depth; i++) {
        h_u8(&code, 0x02);
        h_u8(&code, 0x40);
    }
    for (uint32_t i = 0; i < depth; i++) h_u8(&code, 0x0b);
    h_u8(&code, 0x20);
    h_u8(&code, 0x00);
    h_buf m = h_module_one_func(1, 0, code.p, code.n);
    free(code.p);
    return m;
}

static void expect_nesting(const bst_module_config *mc, uint32_t depth, bst_status want) {
    h_buf b = nested(depth);
    bst_error err;
    bst_status st = load_with(&b, mc, &err);
    check_count++;
    if (st != want) {
        check_failures++;
        fprintf(stderr, "%u nested blocks, max_nesting %u: expected %s, got %s (%s)\n", depth,
                mc->max_nesting, bst_status_name(want), bst_status_name(st),
                st == BST_OK ? "" : err.message);
    }
    free(b.p);
}

static void nesting(void) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.max_nesting = 10;
    expect_nesting(&mc, 9, BST_OK);
    expect_nesting(&mc, 11, BST_ERR_LIMIT);
    expect_nesting(&mc, 100000, BST_ERR_LIMIT);
    bst_module_config_default(&mc);
    expect_nesting(&mc, 1023, BST_OK);
    expect_nesting(&mc, 1025, BST_ERR_LIMIT);
    expect_nesting(&mc, 1000000, BST_ERR_LIMIT);
}

static void locals(void) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.max_locals = 10;
    static const uint8_t get0[] = {0x20, 0x00};
    h_buf at = h_module_one_func(2, 8, get0, sizeof get0);   /* 2 params + 8 locals */
    h_buf over = h_module_one_func(2, 9, get0, sizeof get0); /* 11 */
    h_buf params = h_module_one_func(11, 0, get0, sizeof get0);
    bst_error err;
    CHECK_EQ(load_with(&at, &mc, &err), BST_OK);
    CHECK_EQ(load_with(&over, &mc, &err), BST_ERR_LIMIT);
    CHECK_EQ(load_with(&params, &mc, &err), BST_ERR_LIMIT);
    free(at.p);
    free(over.p);
    free(params.p);
}

/* A module importing one function and defining `n` more. */
static h_buf many_functions(uint32_t n) {
    h_buf m = {0}, s = {0};
    h_header(&m);
    h_uleb(&s, 1);
    h_u8(&s, 0x60);
    h_u8(&s, 0x00);
    h_u8(&s, 0x00);
    h_section(&m, 1, &s);
    h_uleb(&s, 1);
    h_uleb(&s, 1);
    h_u8(&s, 'e');
    h_uleb(&s, 1);
    h_u8(&s, 'f');
    h_u8(&s, 0x00);
    h_uleb(&s, 0);
    h_section(&m, 2, &s);
    h_uleb(&s, n);
    for (uint32_t i = 0; i < n; i++) h_uleb(&s, 0);
    h_section(&m, 3, &s);
    h_uleb(&s, n);
    for (uint32_t i = 0; i < n; i++) {
        h_u8(&s, 0x02); /* body size */
        h_u8(&s, 0x00); /* no locals */
        h_u8(&s, 0x0b);
    }
    h_section(&m, 10, &s);
    return m;
}

static void functions(void) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.max_functions = 5;
    h_buf at = many_functions(4), over = many_functions(5);
    bst_error err;
    CHECK_EQ(load_with(&at, &mc, &err), BST_OK);
    CHECK_EQ(load_with(&over, &mc, &err), BST_ERR_LIMIT);
    free(at.p);
    free(over.p);
    bst_module_config_default(&mc);
    h_buf lots = many_functions(100000); /* the default: imports count */
    CHECK_EQ(load_with(&lots, &mc, &err), BST_ERR_LIMIT);
    free(lots.p);
}

static void module_size(void) {
    size_t len;
    uint8_t *bytes = h_wasm_bytes("limits", &len);
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.max_module_bytes = (uint32_t)len;
    bst_error err;
    bst_module *m = bst_module_new_ex(bytes, len, &mc, &err);
    CHECK(m != NULL);
    bst_module_free(m);
    mc.max_module_bytes = (uint32_t)len - 1;
    m = bst_module_new_ex(bytes, len, &mc, &err);
    CHECK(m == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    free(bytes);
}

static void reject_floats(void) {
    static const char *const floaty[] = {"floats_body",   "floats_param",  "floats_local",
                                         "floats_global", "floats_import", "floats_load"};
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.reject_floats = true;
    for (size_t i = 0; i < sizeof floaty / sizeof floaty[0]; i++) {
        size_t len;
        uint8_t *b = h_wasm_bytes(floaty[i], &len);
        bst_error err;
        bst_module *m = bst_module_new_ex(b, len, &mc, &err);
        check_count++;
        if (m || err.status != BST_ERR_UNSUPPORTED) {
            check_failures++;
            fprintf(stderr, "%s: expected unsupported, got %s\n", floaty[i],
                    m ? "ok" : bst_status_name(err.status));
        }
        bst_module_free(m);
        /* ... and all of them load normally without the option */
        m = bst_module_new(b, len, &err);
        CHECK(m != NULL);
        bst_module_free(m);
        free(b);
    }
    bst_module *ints = h_load("ints", &mc);
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, ints, NULL);
    bst_error err;
    bst_value v;
    CHECK_OK(h_call(h_func(inst, "f"), &err, &v, 1, -4), err);
    CHECK_EQ(v.of.i64, 16 + 7);
    bst_store_free(s);
    bst_module_free(ints);
}

static bool never_called(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)c, (void)args, (void)results, (void)env;
    return false;
}

static void host_types(void) {
    bst_valtype types[1000];
    for (int i = 0; i < 1000; i++) types[i] = BST_I32;
    bst_store *s = bst_store_new(NULL);
    bst_functype wrap = {UINT32_MAX, 1, types, types}; /* params + results wraps to 0 */
    CHECK(bst_func_new_host(s, &wrap, never_called, NULL) == NULL);
    bst_functype over = {1001, 0, types, types};
    CHECK(bst_func_new_host(s, &over, never_called, NULL) == NULL);
    over.nparams = 0;
    over.nresults = 1001;
    CHECK(bst_func_new_host(s, &over, never_called, NULL) == NULL);
    bst_functype most = {1000, 1000, types, types};
    bst_func *f = bst_func_new_host(s, &most, never_called, NULL);
    CHECK(f != NULL);
    if (f) CHECK_EQ(bst_func_type(f)->nparams + bst_func_type(f)->nresults, 2000);
    bst_store_free(s);
}

int main(void) {
    host_types();
    huge_counts();
    huge_table_minimum();
    memory_bombs();
    table_bombs();
    nesting();
    locals();
    functions();
    module_size();
    reject_floats();
    return h_finish("limits");
}
