/*
 * host_memory.c — host functions reading guest memory (sandbox guarantee 2).
 *
 * The guest passes hostile (ptr, len) pairs to a host function, which uses bst_memory_read,
 * bst_memory_write or bst_memory_slice on them and turns a refusal into a trap with
 * bst_caller_trap.  Each accessor must accept exactly the ranges inside the memory — including
 * zero-length ranges ending at the very end — and refuse the rest without touching anything:
 * len = 0xffffffff, ptr = size, ptr+len wrapping past 2^32, a range one byte too long; the guest
 * then sees BST_ERR_TRAP / BST_TRAP_HOST with the host's message.  After memory.grow (by the
 * guest or by the host), re-fetched slices see the same bytes and the new pages.
 */
#include "harness.h"

#define PAGE 65536u
#define REFUSED "guest range refused"

enum mode { M_READ, M_WRITE, M_SLICE, M_GROW };

typedef struct host {
    enum mode mode;
    int calls;
    int canary_damage; /* refused calls that touched the host's buffer anyway */
} host;

static bool check(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    host *h = env;
    h->calls++;
    uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
    bst_memory *mem = bst_caller_memory(c);
    uint64_t size = mem ? bst_memory_size(mem) : 0;
    /* buffers are exactly len bytes when that is plausible, else a 16-byte canary: an accessor
     * that wrongly accepted would overflow it (ASan) or corrupt it (checked below) */
    size_t blen = len <= size ? len : 16;
    uint8_t *buf = malloc(blen ? blen : 1);
    memset(buf, 0xcc, blen);
    bool ok = false;
    switch (h->mode) {
    case M_READ:
        ok = bst_memory_read(mem, ptr, buf, len);
        if (!ok)
            for (size_t i = 0; i < blen; i++)
                if (buf[i] != 0xcc) {
                    h->canary_damage++;
                    break;
                }
        break;
    case M_WRITE:
        memset(buf, 0x5a, blen);
        ok = bst_memory_write(mem, ptr, buf, len);
        break;
    case M_SLICE: {
        uint8_t *p = bst_memory_slice(mem, ptr, len);
        ok = p != NULL;
        if (ok) {
            /* touch every byte: out of range would be an ASan report */
            unsigned sum = 0;
            for (uint32_t i = 0; i < len; i++) sum += p[i];
            results[0].of.i32 = (int32_t)sum;
        }
        break;
    }
    case M_GROW: {
        /* the host grows the memory (moving it) and writes into the new page */
        uint64_t old = size;
        uint32_t v = 0xcafebabe;
        ok = bst_memory_grow(mem, 1) == (int64_t)(old / PAGE) &&
             bst_memory_write(mem, (uint32_t)old, &v, 4);
        break;
    }
    }
    free(buf);
    if (!ok) {
        bst_caller_trap(c, REFUSED);
        return false;
    }
    if (h->mode != M_SLICE) results[0].of.i32 = 1;
    return true;
}

typedef struct range {
    uint32_t ptr, len;
    bool inside; /* with a one-page memory */
} range;

static const range k_ranges[] = {
    {0, 0, true},
    {0, 1, true},
    {0, PAGE, true},
    {0, PAGE + 1, false},
    {0, 0xffffffffu, false},
    {PAGE, 0, true}, /* zero length at the very end */
    {PAGE, 1, false},
    {PAGE + 1, 0, false}, /* zero length past the end */
    {PAGE - 1, 1, true},
    {PAGE - 1, 2, false},
    {PAGE - 2, 2, true},
    {0xffffffffu, 0, false},
    {0xffffffffu, 1, false},           /* ptr+len wraps to 0 in 32 bits */
    {0xffffffffu, 0xffffffffu, false}, /* wraps to 0xfffffffe */
    {1, 0xffffffffu, false},           /* wraps to 0 */
    {0x10, 0xfffffff0u, false},        /* wraps to exactly 0 */
    {0x10, 0xfffffff1u, false},
    {0x80000000u, 0x80000000u, false},
    {PAGE / 2, PAGE / 2, true},
    {PAGE / 2, PAGE / 2 + 1, false},
};

static bst_instance *instantiate(bst_store *s, const bst_module *m, host *h) {
    bst_valtype params[2] = {BST_I32, BST_I32}, results[1] = {BST_I32};
    bst_functype ft = {2, 1, params, results};
    bst_extern imp;
    imp.kind = BST_EXTERN_FUNC;
    imp.of.func = bst_func_new_host(s, &ft, check, h);
    bst_error err;
    bst_instance *inst = bst_instance_new(s, m, &imp, 1, NULL, &err);
    if (!inst) {
        fprintf(stderr, "instantiation failed: %s\n", err.message);
        exit(2);
    }
    return inst;
}

static void expect_probe(bst_func *probe, uint32_t ptr, uint32_t len, bool inside, int line) {
    bst_error err;
    bst_value r;
    bst_status st = h_call(probe, &err, &r, 2, (int32_t)ptr, (int32_t)len);
    check_count++;
    bool good = inside ? st == BST_OK
                       : st == BST_ERR_TRAP && err.status == BST_ERR_TRAP &&
                             err.trap == BST_TRAP_HOST && strcmp(err.message, REFUSED) == 0;
    if (!good) {
        check_failures++;
        fprintf(stderr, "line %d: ptr=0x%x len=0x%x: expected %s, got %s (%s)\n", line, ptr, len,
                inside ? "acceptance" : "a host trap", bst_status_name(st),
                st == BST_OK ? "" : err.message);
    }
}

static void ranges(void) {
    bst_module *m = h_load("host_memory", NULL);
    bst_store *s = bst_store_new(NULL);
    host h = {M_READ, 0, 0};
    bst_instance *inst = instantiate(s, m, &h);
    bst_func *probe = h_func(inst, "probe");
    bst_memory *mem = bst_instance_memory(inst, "memory");
    uint8_t *base = bst_memory_slice(mem, 0, PAGE);
    CHECK(base != NULL);
    size_t n = sizeof k_ranges / sizeof k_ranges[0];

    h.mode = M_READ;
    for (size_t i = 0; i < n; i++)
        expect_probe(probe, k_ranges[i].ptr, k_ranges[i].len, k_ranges[i].inside, __LINE__);
    CHECK_EQ(h.canary_damage, 0);

    h.mode = M_SLICE;
    for (size_t i = 0; i < n; i++)
        expect_probe(probe, k_ranges[i].ptr, k_ranges[i].len, k_ranges[i].inside, __LINE__);

    /* writes: exactly [ptr, ptr+len) changes when accepted, nothing when refused */
    h.mode = M_WRITE;
    for (size_t i = 0; i < n; i++) {
        const range *r = &k_ranges[i];
        memset(base, 0, PAGE);
        expect_probe(probe, r->ptr, r->len, r->inside, __LINE__);
        size_t changed = 0, outside = 0;
        for (uint32_t a = 0; a < PAGE; a++) {
            if (base[a] == 0) continue;
            changed++;
            if (!r->inside || a < r->ptr || a - r->ptr >= r->len) outside++;
        }
        CHECK_EQ(outside, 0);
        CHECK_EQ(changed, r->inside ? r->len : 0);
    }

    /* the public accessors agree with the guest's own view of the bytes */
    bst_error err;
    bst_value v;
    uint32_t word = 0x01020304;
    CHECK(bst_memory_write(mem, PAGE - 4, &word, 4));
    CHECK_OK(h_call(h_func(inst, "load"), &err, &v, 1, (int32_t)(PAGE - 4)), err);
    CHECK_EQ(v.of.i32, 0x01020304);
    CHECK_TRAP(h_call(h_func(inst, "load"), &err, &v, 1, (int32_t)(PAGE - 3)), err,
               BST_TRAP_MEMORY_OOB);

    /* after the guest grows the memory, re-fetched slices see the old bytes and the new page */
    CHECK_OK(h_call(h_func(inst, "store"), &err, NULL, 2, (int32_t)(PAGE - 8), 0x12345678), err);
    CHECK_OK(h_call(h_func(inst, "grow"), &err, &v, 1, 1), err);
    CHECK_EQ(v.of.i32, 1);
    CHECK_EQ(bst_memory_size(mem), 2 * PAGE);
    uint8_t *p = bst_memory_slice(mem, PAGE - 8, 4);
    uint32_t got = 0;
    CHECK(p != NULL);
    if (p) memcpy(&got, p, 4);
    CHECK_EQ(got, 0x12345678);
    uint8_t *fresh = bst_memory_slice(mem, PAGE, PAGE);
    CHECK(fresh != NULL);
    size_t nonzero = 0;
    for (uint32_t a = 0; fresh && a < PAGE; a++) nonzero += fresh[a] != 0;
    CHECK_EQ(nonzero, 0);
    h.mode = M_READ;
    expect_probe(probe, PAGE - 1, 2, true, __LINE__);
    expect_probe(probe, 2 * PAGE, 0, true, __LINE__);
    expect_probe(probe, 2 * PAGE, 1, false, __LINE__);
    expect_probe(probe, 2 * PAGE - 1, 2, false, __LINE__);
    expect_probe(probe, PAGE, 0xffffffffu - PAGE + 1, false, __LINE__);
    h.mode = M_SLICE;
    expect_probe(probe, 0, 2 * PAGE, true, __LINE__);
    expect_probe(probe, 0, 2 * PAGE + 1, false, __LINE__);

    /* the host grows (and moves) the memory during a call: the guest's next access must use the
     * new memory (no stale base pointer in the interpreter) */
    h.mode = M_GROW;
    CHECK_OK(h_call(h_func(inst, "probe_then_load"), &err, &v, 3, 0, 0, (int32_t)(2 * PAGE)), err);
    CHECK_EQ(v.of.i32, (int32_t)0xcafebabe);
    CHECK_EQ(bst_memory_pages(mem), 3);

    bst_store_free(s);
    bst_module_free(m);
}

/* A host function with no memory to look at: the accessors refuse a NULL memory. */
static void no_memory(void) {
    CHECK(!bst_memory_read(NULL, 0, NULL, 0));
    CHECK(!bst_memory_write(NULL, 0, NULL, 0));
    CHECK(bst_memory_slice(NULL, 0, 0) == NULL);

    bst_module *m = h_load("host_nomem", NULL);
    bst_store *s = bst_store_new(NULL);
    host h = {M_READ, 0, 0};
    bst_instance *inst = instantiate(s, m, &h);
    expect_probe(h_func(inst, "probe"), 0, 0, false, __LINE__);
    /* the host function called directly from the embedder has no caller instance or memory */
    bst_valtype params[2] = {BST_I32, BST_I32}, results[1] = {BST_I32};
    bst_functype ft = {2, 1, params, results};
    bst_func *direct = bst_func_new_host(s, &ft, check, &h);
    expect_probe(direct, 0, 0, false, __LINE__);
    CHECK_EQ(h.calls, 2);
    bst_store_free(s);
    bst_module_free(m);
}

/* Trap messages: NULL gives "host trap", returning false without a message too, and an overlong
 * message is truncated, not overflowed. */
static const char k_silent[] = "";
static bool trap_with(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    const char *msg = env;
    if (msg == k_silent) return false; /* no bst_caller_trap at all */
    bst_caller_trap(c, msg);
    return false;
}

static void trap_messages(void) {
    bst_store *s = bst_store_new(NULL);
    bst_functype ft = {0, 0, NULL, NULL};
    char longmsg[600];
    memset(longmsg, 'x', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = 0;
    struct {
        const char *env, *want_prefix;
        size_t want_len;
    } cases[] = {
        {"disk on fire", "disk on fire", 12},
        {NULL, "host trap", 9},
        {k_silent, "host trap", 9},
        {longmsg, "xxxxxxxx", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bst_func *f = bst_func_new_host(s, &ft, trap_with, (void *)cases[i].env);
        bst_error err;
        bst_status st = bst_call(f, NULL, 0, NULL, 0, &err);
        CHECK_TRAP(st, err, BST_TRAP_HOST);
        CHECK(strncmp(err.message, cases[i].want_prefix, strlen(cases[i].want_prefix)) == 0);
        const char *nul = memchr(err.message, 0, sizeof err.message);
        CHECK(nul != NULL);
        size_t len = nul ? (size_t)(nul - err.message) : sizeof err.message;
        if (cases[i].want_len)
            CHECK_EQ(len, cases[i].want_len);
        else
            CHECK(len > 100 && len < sizeof longmsg - 1);
    }
    bst_store_free(s);
}

int main(void) {
    ranges();
    no_memory();
    trap_messages();
    return h_finish("host_memory");
}
