/*
 * test_runtime_test.c — Substrate's executor test runtime (sc_runtime_test.wasm) run by the
 * Substrate host, with the results Substrate's own executor integration tests expect
 * (client/executor/src/integration_tests/mod.rs), plus host-level guarantees: a trap rolls the
 * call's storage changes back, every call gets a fresh instance.
 *
 * usage: test_substrate_runtime_test RUNTIMES_DIR
 * Uses only the public APIs (bastion_substrate.h, bastion_state.h, bastion_crypto.h).
 */
#include "substrate_test.h"

#include "bastion_crypto.h"
#include "bastion_substrate.h"
#include "bastion_trie.h"

static uint8_t *g_code;
static size_t g_code_len;

static bst_substrate_runtime *open_rt_ex(uint32_t heap_pages, bool offchain) {
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.offchain = offchain;
    o.allow_missing = true;   /* the runtime imports two functions on purpose that nobody has */
    o.heap_pages = heap_pages;
    o.max_log_level = 0;
    bst_error err;
    bst_substrate_runtime *rt = bst_substrate_runtime_new(g_code, g_code_len, &o, &err);
    if (!rt) {
        fprintf(stderr, "sc_runtime_test.wasm: %s\n", err.message);
        exit(2);
    }
    return rt;
}

/* Calls `name` and compares the output with expect[0..expect_len). */
static void expect_call(bst_substrate_runtime *rt, const char *name, const void *in, size_t in_len,
                        const void *expect, size_t expect_len) {
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_substrate_call(rt, name, in, in_len, &out, &out_len, &err);
    CHECK_OK(st, err);
    if (st == BST_OK) {
        CHECK_EQ(out_len, expect_len);
        CHECK(out_len == expect_len && (expect_len == 0 || memcmp(out, expect, expect_len) == 0));
        if (out_len != expect_len || (expect_len && memcmp(out, expect, expect_len) != 0))
            fprintf(stderr, "  (in %s)\n", name);
    }
    free(out);
}

/* Calls `name` expecting a trap whose message contains `needle`. */
static void expect_trap(bst_substrate_runtime *rt, const char *name, const void *in,
                        size_t in_len, const char *needle) {
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_substrate_call(rt, name, in, in_len, &out, &out_len, &err);
    CHECK_EQ(st, BST_ERR_TRAP);
    CHECK(out == NULL);
    if (needle) {
        CHECK(strstr(err.message, needle) != NULL);
        if (!strstr(err.message, needle))
            fprintf(stderr, "  %s: message \"%s\" lacks \"%s\"\n", name, err.message, needle);
    }
    free(out);
}

/* SCALE Vec<u8> of bytes (compact length < 2^14). */
static size_t enc_vec(uint8_t *dst, const void *bytes, size_t n) {
    size_t h;
    if (n < 64) {
        dst[0] = (uint8_t)(n << 2);
        h = 1;
    } else {
        dst[0] = (uint8_t)((n << 2) | 1);
        dst[1] = (uint8_t)(n >> 6);
        h = 2;
    }
    memcpy(dst + h, bytes, n);
    return h + n;
}

static bst_substrate_runtime *open_rt(uint32_t heap_pages) { return open_rt_ex(heap_pages, false); }

static const uint8_t ALL_OK[] = {0x1c, 'a', 'l', 'l', ' ', 'o', 'k', '!'};   /* b"all ok!".encode() */

static void set_top(bst_state *st, const char *k, const char *v) {
    CHECK(bst_state_set(st, NULL, 0, (const uint8_t *)k, strlen(k), (const uint8_t *)v, strlen(v)));
}

/* The value of top key k equals v (v NULL: absent). */
static void check_top(bst_state *st, const char *k, const void *v, size_t vlen) {
    uint8_t *got = NULL;
    size_t got_len = 0;
    bst_state_res r = bst_state_get(st, NULL, 0, (const uint8_t *)k, strlen(k), &got, &got_len);
    if (!v) {
        CHECK_EQ(r, BST_STATE_ABSENT);
    } else {
        CHECK_EQ(r, BST_STATE_FOUND);
        CHECK(got_len == vlen && (vlen == 0 || memcmp(got, v, vlen) == 0));
    }
    free(got);
}

static void test_storage(void) {
    bst_substrate_runtime *rt = open_rt(1024);
    bst_state *st = bst_substrate_runtime_state(rt);
    /* storage_should_work: a 60-byte value (over 32 bytes, for the trie versioning) */
    set_top(st, "foo", "bar");
    uint8_t value[60], in[64];
    memset(value, 7, sizeof value);
    size_t n = enc_vec(in, value, sizeof value);
    expect_call(rt, "test_data_in", in, n, ALL_OK, sizeof ALL_OK);
    check_top(st, "input", value, sizeof value);
    check_top(st, "foo", "bar", 3);
    check_top(st, "baz", "bar", 3);
    uint8_t root_before[32], root_after[32];
    CHECK(bst_state_root(st, 1, root_before));
    /* panicking_should_work, and the panic leaves storage exactly as it was */
    expect_trap(rt, "test_panic", NULL, 0, NULL);
    static const uint8_t empty_vec[1] = {0}, two[2] = {0x04, 0x02};
    expect_call(rt, "test_conditional_panic", empty_vec, 1, empty_vec, 1);
    expect_trap(rt, "test_conditional_panic", two, 2, NULL);
    CHECK(bst_state_root(st, 1, root_after));
    CHECK(memcmp(root_before, root_after, 32) == 0);
    bst_substrate_runtime_free(rt);

    /* clear_prefix_should_work */
    rt = open_rt(1024);
    st = bst_substrate_runtime_state(rt);
    set_top(st, "aaa", "1");
    set_top(st, "aab", "2");
    set_top(st, "aba", "3");
    set_top(st, "abb", "4");
    set_top(st, "bbb", "5");
    static const uint8_t ab[3] = {0x08, 'a', 'b'};
    expect_call(rt, "test_clear_prefix", ab, 3, ALL_OK, sizeof ALL_OK);
    check_top(st, "aaa", "1", 1);
    check_top(st, "aab", "2", 1);
    check_top(st, "aba", NULL, 0);
    check_top(st, "abb", NULL, 0);
    check_top(st, "bbb", "5", 1);
    bst_substrate_runtime_free(rt);
}

static void expect_hash(bst_substrate_runtime *rt, const char *name, const char *msg,
                        const uint8_t *digest, size_t dlen) {
    uint8_t in[64], want[1 + 32];
    size_t n = enc_vec(in, msg, strlen(msg));
    size_t w = enc_vec(want, digest, dlen);
    expect_call(rt, name, in, n, want, w);
}

static void unhex(const char *h, uint8_t *out) {
    for (size_t i = 0; h[2 * i]; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void test_hashing(void) {
    bst_substrate_runtime *rt = open_rt(1024);
    uint8_t d[32];
    bst_blake2_256("", 0, d);
    expect_hash(rt, "test_blake2_256", "", d, 32);
    bst_blake2_256("Hello world!", 12, d);
    expect_hash(rt, "test_blake2_256", "Hello world!", d, 32);
    bst_blake2_128("", 0, d);
    expect_hash(rt, "test_blake2_128", "", d, 16);
    bst_blake2_128("Hello world!", 12, d);
    expect_hash(rt, "test_blake2_128", "Hello world!", d, 16);
    /* the hex digests are the ones in Substrate's tests */
    unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", d);
    expect_hash(rt, "test_sha2_256", "", d, 32);
    unhex("c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a", d);
    expect_hash(rt, "test_sha2_256", "Hello world!", d, 32);
    unhex("99e9d85137db46ef4bbea33613baafd56f963c64b1f3685a4eb4abd67ff6203a", d);
    expect_hash(rt, "test_twox_256", "", d, 32);
    unhex("b27dfd7f223f177f2a13647b533599af0c07f68bda23d96d059da2b451a35a74", d);
    expect_hash(rt, "test_twox_256", "Hello world!", d, 32);
    unhex("99e9d85137db46ef4bbea33613baafd5", d);
    expect_hash(rt, "test_twox_128", "", d, 16);
    unhex("b27dfd7f223f177f2a13647b533599af", d);
    expect_hash(rt, "test_twox_128", "Hello world!", d, 16);
    bst_substrate_runtime_free(rt);
}

/* ed25519_verify_should_work / sr25519_verify_should_work: key from seed blake2_256("test"),
 * a signature of "all ok!" verifies, one of "all is not ok!" does not. */
static void test_signatures(void) {
    bst_substrate_runtime *rt = open_rt(1024);
    uint8_t seed[32], pub[32], secret[64], sig[64], buf[96], in[100];
    static const uint8_t yes[1] = {1}, no[1] = {0};
    bst_blake2_256("test", 4, seed);
    for (int scheme = 0; scheme < 2; scheme++) {
        const char *fn = scheme ? "test_sr25519_verify" : "test_ed25519_verify";
        for (int good = 1; good >= 0; good--) {
            const char *msg = good ? "all ok!" : "all is not ok!";
            if (scheme) {
                bst_sr25519_from_seed(seed, pub, secret);
                bst_sr25519_sign(secret, pub, msg, strlen(msg), sig);
            } else {
                bst_ed25519_from_seed(seed, pub, secret);
                bst_ed25519_sign(secret, msg, strlen(msg), sig);
            }
            memcpy(buf, pub, 32);
            memcpy(buf + 32, sig, 64);
            size_t n = enc_vec(in, buf, 96);
            expect_call(rt, fn, in, n, good ? yes : no, 1);
        }
    }
    bst_substrate_runtime_free(rt);
}

static void test_trie_and_offchain(void) {
    bst_substrate_runtime *rt = open_rt(1024);
    /* ordered_trie_root_should_work: ["zero", "one", "two"], state version 0 */
    static const uint8_t zero[1] = {0};
    bst_trie_pair vals[3] = {{NULL, 0, (const uint8_t *)"zero", 4},
                             {NULL, 0, (const uint8_t *)"one", 3},
                             {NULL, 0, (const uint8_t *)"two", 3}};
    uint8_t root[32], want[33];
    CHECK(bst_trie_ordered_root(vals, 3, 0, root));
    size_t w = enc_vec(want, root, 32);
    expect_call(rt, "test_ordered_trie_root", zero, 1, want, w);
    /* the offchain-worker functions trap outside an offchain call */
    expect_trap(rt, "test_offchain_local_storage", zero, 1, "offchain worker context");
    bst_substrate_runtime_free(rt);
    rt = open_rt_ex(1024, true);
    /* offchain_local_storage_should_work: compare_and_set(Some("asd") -> "") succeeds */
    static const uint8_t yes[1] = {1}, no[1] = {0};
    expect_call(rt, "test_offchain_local_storage", zero, 1, yes, 1);
    /* the offchain database outlives calls: "test" is still set, so the next test (which
     * asserts it absent) panics here, and passes on a runtime of its own */
    expect_trap(rt, "test_offchain_local_storage_with_none", zero, 1, NULL);
    bst_substrate_runtime *fresh = open_rt_ex(1024, true);
    expect_call(fresh, "test_offchain_local_storage_with_none", zero, 1, NULL, 0);
    bst_substrate_runtime_free(fresh);
    /* This host makes no HTTP requests (Substrate's test answers from a scripted mock): the
     * runtime sees http_request_start fail and reports false. */
    expect_call(rt, "test_offchain_http", zero, 1, no, 1);
    bst_substrate_runtime_free(rt);
}

static void test_instances_and_heap(void) {
    bst_substrate_runtime *rt = open_rt(1024);
    expect_call(rt, "test_empty_return", NULL, 0, NULL, 0);
    /* call_not_existing_function: the stub's trap names the function */
    expect_trap(rt, "test_calling_missing_external", NULL, 0,
                "Function `missing_external` is only a stub. Calling a stub is not allowed.");
    expect_trap(rt, "test_calling_yet_another_missing_external", NULL, 0,
                "Function `yet_another_missing_external` is only a stub. Calling a stub is not "
                "allowed.");
    /* returns_mutable_static: 33 on every call (a fresh instance each time) */
    static const uint8_t zero[1] = {0}, t33[8] = {33};
    expect_call(rt, "returns_mutable_static", zero, 1, t33, 8);
    expect_call(rt, "returns_mutable_static", zero, 1, t33, 8);
    bst_substrate_runtime_free(rt);

    /* should_trap_when_heap_exhausted: a 16 MiB Vec with 8 pages of heap room */
    rt = open_rt(8);
    expect_trap(rt, "test_exhaust_heap", zero, 1, "Allocator ran out of space");
    bst_substrate_runtime_free(rt);

    /* restoration_of_globals: a trap after a huge stack frame does not leak the stack */
    rt = open_rt(32);
    static const uint8_t t[1] = {1}, f[1] = {0};
    expect_trap(rt, "allocates_huge_stack_array", t, 1, NULL);
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    bst_status st = bst_substrate_call(rt, "allocates_huge_stack_array", f, 1, &out, &out_len, &err);
    CHECK_OK(st, err);
    free(out);
    bst_substrate_runtime_free(rt);
}

/* Without allow_missing, an import nobody provides fails instantiation, naming it. */
static void test_missing_import_policy(void) {
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_substrate_runtime *rt = bst_substrate_runtime_new(g_code, g_code_len, &o, &err);
    CHECK(rt == NULL);
    CHECK_EQ(err.status, BST_ERR_UNLINKABLE);
    CHECK(strstr(err.message, "env.") != NULL);
    bst_substrate_runtime_free(rt);
}

int main(int argc, char **argv) {
    g_code = st_load_runtime(argc, argv, "sc_runtime_test.wasm", &g_code_len);
    test_storage();
    test_hashing();
    test_signatures();
    test_trie_and_offchain();
    test_instances_and_heap();
    test_missing_import_policy();
    free(g_code);
    return h_finish("substrate/runtime_test");
}
