/*
 * decode_budget.c — bst_module_config.max_decoded_bytes: small binaries that decode into large
 * host structures (sandbox guarantee 6).
 *
 * Every count in a binary is checked against the bytes left, but one byte can still decode into
 * many: an element item (1 byte) is a 24-byte constant expression, a five-byte local declaration
 * is up to 50,000 locals (200 KB), an empty custom section (3 bytes) is an entry and a name.  A
 * 10 MB module with a 10M-item element segment took 400 MB, an 80 KB module declaring 10,000
 * functions of 50,000 locals 2 GB, before this budget.  Checked: each of those is refused with
 * BST_ERR_LIMIT, quickly, with a message naming what overflowed and without the peak RSS rising
 * anywhere near the decoded size; a larger budget accepts the same module (and the store's
 * max_table_elems then decides whether its table may exist); the name section past the budget
 * is dropped rather than failing the load.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "harness.h"

/* A sanitizer's shadow memory, redzones and quarantine multiply the RSS of what is allocated. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_SCALE 3
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RSS_SCALE 3
#endif
#endif
#ifndef RSS_SCALE
#define RSS_SCALE 1
#endif

/* CPU seconds of this process: unlike the wall clock, not stretched by a loaded machine. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads b with the given decoded-memory budget (0: the default). */
static bst_module *load(const h_buf *b, uint64_t budget, bst_error *err) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    if (budget) mc.max_decoded_bytes = budget;
    return bst_module_new_ex(b->p, b->n, &mc, err);
}

/* Refused with LIMIT, naming `what`, within `max_s` CPU seconds, the peak RSS rising by less
 * than `max_rss_kb`. */
static void expect_refused(const h_buf *b, uint64_t budget, const char *what, double max_s,
                           long max_rss_kb) {
    bst_error err;
    long rss0 = h_proc_status_kb("VmHWM");
    double t0 = now();
    bst_module *m = load(b, budget, &err);
    double dt = now() - t0;
    long rss1 = h_proc_status_kb("VmHWM");
    CHECK(m == NULL);
    bst_module_free(m);
    if (m) return;
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    CHECK(strstr(err.message, "decoded module exceeds its memory limit") != NULL);
    CHECK(strstr(err.message, what) != NULL);
    printf("%s: refused in %.3f s, peak RSS +%ld KiB: %s\n", what, dt, rss1 - rss0, err.message);
    CHECK(dt < max_s);
    if (rss0 >= 0) CHECK(rss1 - rss0 < max_rss_kb * RSS_SCALE);
}

/* One function () -> i32 returning 7, exported as "f"; a funcref table of `elems` elements,
 * exported as "t", and an active element segment filling it with `items` references to the
 * function. */
static h_buf table_module(uint32_t elems, uint32_t items) {
    h_buf m = {0}, s = {0};
    h_header(&m);
    h_uleb(&s, 1);
    h_u8(&s, 0x60);
    h_u8(&s, 0x00);
    h_u8(&s, 0x01);
    h_u8(&s, 0x7f);
    h_section(&m, 1, &s);
    h_uleb(&s, 1);
    h_uleb(&s, 0);
    h_section(&m, 3, &s);
    h_uleb(&s, 1);
    h_u8(&s, 0x70);
    h_u8(&s, 0x00);
    h_uleb(&s, elems);
    h_section(&m, 4, &s);
    static const uint8_t exports[] = {0x02, 0x01, 'f', 0x00, 0x00, 0x01, 't', 0x01, 0x00};
    h_put(&s, exports, sizeof exports);
    h_section(&m, 7, &s);
    h_uleb(&s, 1);
    static const uint8_t seg[] = {0x00, 0x41, 0x00, 0x0b}; /* active, table 0, offset 0 */
    h_put(&s, seg, sizeof seg);
    h_uleb(&s, items);
    uint8_t *zeros = calloc(items ? items : 1, 1); /* function index 0, one byte each */
    h_put(&s, zeros, items);
    free(zeros);
    h_section(&m, 9, &s);
    static const uint8_t body[] = {0x04, 0x00, 0x41, 0x07, 0x0b}; /* size, no locals, 7 */
    h_uleb(&s, 1);
    h_put(&s, body, sizeof body);
    h_section(&m, 10, &s);
    return m;
}

/* `nfuncs` functions () -> () each declaring `nlocals` i32 locals in one declaration. */
static h_buf locals_module(uint32_t nfuncs, uint32_t nlocals) {
    h_buf m = {0}, s = {0}, body = {0};
    h_header(&m);
    static const uint8_t type[] = {0x01, 0x60, 0x00, 0x00};
    h_put(&s, type, sizeof type);
    h_section(&m, 1, &s);
    h_uleb(&s, nfuncs);
    for (uint32_t i = 0; i < nfuncs; i++) h_u8(&s, 0x00);
    h_section(&m, 3, &s);
    h_uleb(&body, 1);
    h_uleb(&body, nlocals);
    h_u8(&body, 0x7f);
    h_u8(&body, 0x0b);
    h_uleb(&s, nfuncs);
    for (uint32_t i = 0; i < nfuncs; i++) {
        h_uleb(&s, body.n);
        h_put(&s, body.p, body.n);
    }
    free(body.p);
    h_section(&m, 10, &s);
    return m;
}

/* The budget's three amplifiers, each refused at the default budget. */
static void bombs(void) {
    /* 10M element items: 10 MB of binary, 240 MB decoded */
    h_buf b = table_module(10000000, 10000000);
    expect_refused(&b, 0, "element segment items", 2.0, 48 * 1024);
    free(b.p);
    /* 10,000 functions x 49,999 locals: 80 KB of binary, 2 GB decoded */
    b = locals_module(10000, 49999);
    expect_refused(&b, 0, "locals", 10.0, 160 * 1024);
    free(b.p);
    /* 3M empty custom sections: 9 MB of binary, ~200 MB decoded */
    memset(&b, 0, sizeof b);
    h_header(&b);
    for (uint32_t i = 0; i < 3000000; i++) {
        static const uint8_t empty[] = {0x00, 0x01, 0x00};
        h_put(&b, empty, sizeof empty);
    }
    expect_refused(&b, 0, "custom sections", 10.0, 200 * 1024);
    free(b.p);
}

/* The same kind of module within a budget that allows it; then the store's table limit. */
static void accepted_when_allowed(void) {
    h_buf b = table_module(1000000, 1000000); /* 24 MB of element items */
    expect_refused(&b, (uint64_t)16 << 20, "element segment items", 2.0, 24 * 1024);
    bst_error err;
    bst_module *m = load(&b, (uint64_t)32 << 20, &err);
    CHECK(m != NULL);
    free(b.p);
    if (!m) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    bst_store *s = bst_store_new(NULL);
    bst_instance *inst = h_instance(s, m, NULL);
    bst_table *t = h_table(inst, "t");
    CHECK_EQ(bst_table_size(t), 1000000);
    bst_value v;
    CHECK(bst_table_get(t, 999999, &v) && v.of.funcref == h_func(inst, "f"));
    CHECK_OK(h_call(h_func(inst, "f"), &err, &v, 0), err);
    CHECK_EQ(v.of.i32, 7);
    bst_store_free(s);
    /* the table is the store's to allow: one element short of the limit fails instantiation */
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_table_elems = 999999;
    s = bst_store_new(&cfg);
    CHECK(bst_instance_new(s, m, NULL, 0, NULL, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    CHECK(strstr(err.message, "table minimum of 1000000 elements exceeds the limit of 999999") !=
          NULL);
    bst_store_free(s);
    bst_module_free(m);

    /* locals: the same module fits a larger budget */
    b = locals_module(100, 49999); /* 20 MB of locals */
    expect_refused(&b, (uint64_t)8 << 20, "locals", 2.0, 16 * 1024);
    m = load(&b, (uint64_t)32 << 20, &err);
    CHECK(m != NULL);
    bst_module_free(m);
    free(b.p);
}

/* A name section that does not fit what is left of the budget is dropped, not an error. */
static void names_dropped(void) {
    static const uint8_t body[] = {0x20, 0x00}; /* local.get 0 */
    h_buf b = h_module_one_func(1, 0, body, sizeof body);
    h_buf names = {0}, sub = {0}, custom = {0};
    h_uleb(&sub, 1);     /* one name */
    h_uleb(&sub, 0);     /* function 0 */
    h_uleb(&sub, 60000); /* a 60,000-byte name */
    for (int i = 0; i < 60000; i++) h_u8(&sub, 'n');
    h_u8(&names, 0x01); /* subsection 1: function names */
    h_uleb(&names, sub.n);
    h_put(&names, sub.p, sub.n);
    free(sub.p);
    h_uleb(&custom, 4);
    h_put(&custom, "name", 4);
    h_put(&custom, names.p, names.n);
    free(names.p);
    h_section(&b, 0, &custom);
    bst_error err;
    bst_module *m = load(&b, 0, &err);
    CHECK(m != NULL);
    if (m) {
        const char *n = bst_module_func_name(m, 0);
        CHECK(n != NULL && strlen(n) == 60000);
    }
    bst_module_free(m);
    m = load(&b, 4096, &err);
    CHECK(m != NULL);
    if (m) CHECK(bst_module_func_name(m, 0) == NULL);
    bst_module_free(m);
    free(b.p);
}

int main(void) {
    bombs(); /* first: the peak RSS is still low enough for a rise to show */
    accepted_when_allowed();
    names_dropped();
    return h_finish("decode_budget");
}
