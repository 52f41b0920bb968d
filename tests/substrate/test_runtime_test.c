/*
 * test_runtime_test.c — Substrate's executor test runtime (sc_runtime_test.wasm) run by the
 * Substrate host, with the results Substrate's own executor integration tests expect
 * (client/executor/src/integration_tests/mod.rs), plus host-level guarantees: a trap rolls the
 * call's storage changes back, every call gets a fresh instance.  Offchain HTTP runs against a
 * scripted provider modelled on Substrate's TestOffchainExt, and a runtime built byte by byte
 * here calls each ext_offchain_http_* import with malformed arguments and unknown ids.  A dry
 * run (bst_substrate_call_dry_run) answers as the call and leaves the state root unchanged.
 *
 * usage: test_substrate_runtime_test RUNTIMES_DIR
 * Uses only the public APIs (bastion_substrate.h, bastion_state.h, bastion_crypto.h).
 */
#include "substrate_test.h"

#include "bastion_crypto.h"
#include "bastion_substrate.h"
#include "bastion_trie.h"

#include <time.h>

static uint8_t *g_code;
static size_t g_code_len;

/* heap_pages for the Dynamic heap strategy (opts.heap_dynamic). */
#define HEAP_DYNAMIC UINT32_MAX

/* A runtime of `code` (offchain calls with the HTTP provider `http` when offchain is set). */
static bst_substrate_runtime *open_code(const uint8_t *code, size_t len, uint32_t heap_pages,
                                        bool offchain, const bst_substrate_http *http) {
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.offchain = offchain;
    o.http = http;
    o.allow_missing = true; /* the runtime imports two functions on purpose that nobody has */
    o.heap_pages = heap_pages == HEAP_DYNAMIC ? 0 : heap_pages;
    o.heap_dynamic = heap_pages == HEAP_DYNAMIC;
    o.max_log_level = 0;
    bst_error err;
    bst_substrate_runtime *rt = bst_substrate_runtime_new(code, len, &o, &err);
    if (!rt) {
        fprintf(stderr, "runtime: %s\n", err.message);
        exit(2);
    }
    return rt;
}

static bst_substrate_runtime *open_rt_ex(uint32_t heap_pages, bool offchain) {
    return open_code(g_code, g_code_len, heap_pages, offchain, NULL);
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
static void expect_trap(bst_substrate_runtime *rt, const char *name, const void *in, size_t in_len,
                        const char *needle) {
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

static const uint8_t ALL_OK[] = {0x1c, 'a', 'l', 'l', ' ', 'o', 'k', '!'}; /* b"all ok!".encode() */

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

    /* A dry run answers as the call does and leaves the state root unchanged (test_data_in
     * writes "input" and "baz"); the same call for real then changes it. */
    rt = open_rt(1024);
    st = bst_substrate_runtime_state(rt);
    set_top(st, "foo", "bar");
    memset(value, 9, sizeof value);
    n = enc_vec(in, value, sizeof value);
    CHECK(bst_state_root(st, 1, root_before));
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status dst = bst_substrate_call_dry_run(rt, "test_data_in", in, n, &out, &out_len, &err);
    CHECK_OK(dst, err);
    CHECK(out_len == sizeof ALL_OK && memcmp(out, ALL_OK, out_len) == 0);
    free(out);
    CHECK(bst_state_root(st, 1, root_after));
    CHECK(memcmp(root_before, root_after, 32) == 0);
    check_top(st, "input", NULL, 0);
    check_top(st, "baz", NULL, 0);
    expect_call(rt, "test_data_in", in, n, ALL_OK, sizeof ALL_OK);
    CHECK(bst_state_root(st, 1, root_after));
    CHECK(memcmp(root_before, root_after, 32) != 0);
    check_top(st, "input", value, sizeof value);
    /* and a failing dry run is the call's failure */
    expect_trap(rt, "test_panic", NULL, 0, NULL);
    memset(&err, 0, sizeof err);
    CHECK(bst_substrate_call_dry_run(rt, "test_panic", NULL, 0, &out, &out_len, &err) ==
          BST_ERR_TRAP);
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
    /* Without an HTTP provider (bst_substrate_options.http NULL) the runtime sees
     * http_request_start fail and reports false; test_offchain_http below gives it one. */
    expect_call(rt, "test_offchain_http", zero, 1, no, 1);
    bst_substrate_runtime_free(rt);
}

/* ---- offchain HTTP through a provider (bst_substrate_options.http) -------------------------- */

/* A scripted provider, as Substrate's TestOffchainExt: requests get ids 0, 1, ... in order of
 * http_request_start; one expected request (PendingRequest: method, uri, one header, body) is
 * checked when the runtime finalises its body and then answered with the scripted status,
 * header and body.  Whatever Substrate's mock panics on is counted in `failures`. */
#define MOCK_MAX 8
typedef struct mock_req {
    bool live; /* known to the provider (a body read to its end is not) */
    char method[16], uri[64];
    size_t meta_len;
    size_t nheaders;
    char headers[4][2][32];
    uint8_t body[64];
    size_t body_len;
    bool sent, has_response;
    uint16_t status;
    const uint8_t *response;
    size_t response_len, read;
    bst_substrate_http_header response_header;
} mock_req;

typedef struct mock_http {
    mock_req reqs[MOCK_MAX];
    size_t nreqs;
    bool refuse;    /* refuse every request (http_request_start is Err) */
    bool expecting; /* the expected request has not been made yet */
    const char *method, *uri, *hdr_name, *hdr_value;
    const uint8_t *body;
    size_t body_len;
    uint16_t status; /* its scripted response */
    const uint8_t *response;
    size_t response_len;
    const char *resp_hdr_name, *resp_hdr_value;
    unsigned calls, failures;
    bool has_deadline; /* the last write_body's deadline */
    uint64_t deadline;
    bst_store *sleeper; /* set: write_body sleeps until its deadline + 2 ms (a
                                        provider that honours it, a little late) */
} mock_http;

/* Milliseconds since the Unix epoch: the clock of HTTP deadlines. */
static uint64_t unix_ms(void) {
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void mock_fail(mock_http *m, const char *what) {
    m->failures++;
    fprintf(stderr, "  http mock: %s\n", what);
}

static mock_req *mock_get(mock_http *m, uint16_t id) {
    return id < m->nreqs && m->reqs[id].live ? &m->reqs[id] : NULL;
}

static bool mock_start(void *ctx, const char *method, size_t method_len, const char *uri,
                       size_t uri_len, const uint8_t *meta, size_t meta_len, uint16_t *id) {
    mock_http *m = ctx;
    m->calls++;
    (void)meta;
    if (m->refuse || m->nreqs == MOCK_MAX || method_len >= 16 || uri_len >= 64) return false;
    CHECK(method[method_len] == 0 && uri[uri_len] == 0); /* NUL-terminated copies */
    mock_req *r = &m->reqs[m->nreqs];
    memset(r, 0, sizeof *r);
    r->live = true;
    memcpy(r->method, method, method_len);
    memcpy(r->uri, uri, uri_len);
    r->meta_len = meta_len;
    *id = (uint16_t)m->nreqs++;
    return true;
}

static bool mock_add_header(void *ctx, uint16_t id, const char *name, size_t name_len,
                            const char *value, size_t value_len) {
    mock_http *m = ctx;
    m->calls++;
    mock_req *r = mock_get(m, id);
    if (!r || r->sent || r->nheaders == 4 || name_len >= 32 || value_len >= 32) return false;
    memcpy(r->headers[r->nheaders][0], name, name_len);
    memcpy(r->headers[r->nheaders][1], value, value_len);
    r->nheaders++;
    return true;
}

/* OffchainState::fulfill_expected: the request just sent must equal the expected one. */
static void mock_fulfill(mock_http *m, mock_req *r) {
    if (!m->expecting) return;
    m->expecting = false;
    bool same = strcmp(r->method, m->method) == 0 && strcmp(r->uri, m->uri) == 0 &&
                r->meta_len == 0 && r->nheaders == 1 &&
                strcmp(r->headers[0][0], m->hdr_name) == 0 &&
                strcmp(r->headers[0][1], m->hdr_value) == 0 && r->body_len == m->body_len &&
                memcmp(r->body, m->body, m->body_len) == 0;
    if (!same) mock_fail(m, "the request differs from the expected one");
    r->has_response = true;
    r->status = m->status;
    r->response = m->response;
    r->response_len = m->response_len;
    r->response_header.name = (const uint8_t *)m->resp_hdr_name;
    r->response_header.name_len = strlen(m->resp_hdr_name);
    r->response_header.value = (const uint8_t *)m->resp_hdr_value;
    r->response_header.value_len = strlen(m->resp_hdr_value);
}

static bst_substrate_http_error mock_write_body(void *ctx, uint16_t id, const uint8_t *chunk,
                                                size_t len, const uint64_t *deadline) {
    mock_http *m = ctx;
    m->calls++;
    m->has_deadline = deadline != NULL;
    m->deadline = deadline ? *deadline : 0;
    if (m->sleeper && deadline) {
        uint64_t now = unix_ms();
        bst_store_sleep_ns(m->sleeper, ((*deadline > now ? *deadline - now : 0) + 2) * 1000000u);
        return BST_SUBSTRATE_HTTP_DEADLINE_REACHED;
    }
    mock_req *r = mock_get(m, id);
    if (!r || r->body_len + len > sizeof r->body) return BST_SUBSTRATE_HTTP_IO_ERROR;
    memcpy(r->body + r->body_len, chunk, len);
    r->body_len += len;
    if (len == 0) r->sent = true;
    if (r->sent) mock_fulfill(m, r);
    return BST_SUBSTRATE_HTTP_OK;
}

static void mock_wait(void *ctx, const uint16_t *ids, size_t n, const uint64_t *deadline,
                      bst_substrate_http_status *st) {
    mock_http *m = ctx;
    m->calls++;
    (void)deadline;
    for (size_t i = 0; i < n; i++) {
        mock_req *r = mock_get(m, ids[i]);
        CHECK_EQ(st[i].state, BST_SUBSTRATE_HTTP_STATUS_INVALID); /* the host's prefill */
        if (r && !r->has_response) mock_fail(m, "no response scripted for a waited request");
        if (r && r->has_response) {
            st[i].state = BST_SUBSTRATE_HTTP_STATUS_FINISHED;
            st[i].code = r->status;
        }
    }
}

static size_t mock_headers(void *ctx, uint16_t id, const bst_substrate_http_header **h) {
    mock_http *m = ctx;
    m->calls++;
    mock_req *r = mock_get(m, id);
    if (!r || !r->has_response) return 0;
    *h = &r->response_header;
    return 1;
}

static bst_substrate_http_error mock_read_body(void *ctx, uint16_t id, uint8_t *buf, size_t cap,
                                               const uint64_t *deadline, size_t *n) {
    mock_http *m = ctx;
    m->calls++;
    (void)deadline;
    mock_req *r = mock_get(m, id);
    if (!r) return BST_SUBSTRATE_HTTP_IO_ERROR;
    if (!r->has_response) {
        mock_fail(m, "no response scripted for a read request");
        return BST_SUBSTRATE_HTTP_IO_ERROR;
    }
    if (r->read >= r->response_len) {
        r->live = false; /* "Remove the pending request as per spec." */
        *n = 0;
        return BST_SUBSTRATE_HTTP_OK;
    }
    size_t k = r->response_len - r->read < cap ? r->response_len - r->read : cap;
    memcpy(buf, r->response + r->read, k);
    r->read += k;
    *n = k;
    return BST_SUBSTRATE_HTTP_OK;
}

static const uint8_t HTTP_BODY[4] = {1, 2, 3, 4}, HTTP_RESPONSE[3] = {1, 2, 3};

/* offchain_http_should_work's script: POST http://localhost:12345, X-Auth: test, body
 * [1, 2, 3, 4]; response 200, X-Auth: hello, body [1, 2, 3]. */
static bst_substrate_http mock_init(mock_http *m, uint16_t status) {
    memset(m, 0, sizeof *m);
    m->expecting = true;
    m->method = "POST";
    m->uri = "http://localhost:12345";
    m->hdr_name = "X-Auth";
    m->hdr_value = "test";
    m->body = HTTP_BODY;
    m->body_len = sizeof HTTP_BODY;
    m->status = status;
    m->response = HTTP_RESPONSE;
    m->response_len = sizeof HTTP_RESPONSE;
    m->resp_hdr_name = "X-Auth";
    m->resp_hdr_value = "hello";
    bst_substrate_http h = {m,         mock_start,   mock_add_header, mock_write_body,
                            mock_wait, mock_headers, mock_read_body};
    return h;
}

/* A runtime made of direct calls of the http imports with constant arguments: each export
 * (ptr, len) -> i64 ignores its input and returns what its import returns (a span, which is
 * also how a runtime API function answers).  Memory (1 page and the host's heap pages,
 * exported) holds at PROBE_DATA the arguments below; __heap_base is 1024. */
enum { P_START, P_ADD_HEADER, P_WRITE_BODY, P_WAIT, P_HEADERS, P_READ_BODY, P_NIMPORTS };
static const struct {
    const char *name, *params;
} PROBE_IMPORTS[P_NIMPORTS] = {
    {"ext_offchain_http_request_start_version_1", "jjj"},
    {"ext_offchain_http_request_add_header_version_1", "ijj"},
    {"ext_offchain_http_request_write_body_version_1", "ijj"},
    {"ext_offchain_http_response_wait_version_1", "jj"},
    {"ext_offchain_http_response_headers_version_1", "i"},
    {"ext_offchain_http_response_read_body_version_1", "ijj"},
};
#define PROBE_DATA 16u
static const uint8_t PROBE_BYTES[] = {
    'P',  'O',  'S',  'T',                                /* 16: method */
    'h',  't',  't',  'p',  ':',  '/',  '/',  'x',        /* 20: uri */
    0xff, 0xfe, 0,    0,                                  /* 28: not UTF-8 */
    'X',  '-',  'A',  'u',  't',  'h',                    /* 32: header name */
    't',  'e',  's',  't',                                /* 38: header value, a chunk */
    0x00,                                                 /* 42: None */
    0x01, 8,    7,    6,    5,    4,    3,    2,    1,    /* 43: Some(0x0102030405060708) */
    0x02,                                                 /* 52: not an Option */
    0x08, 0x07, 0x00, 0x34, 0x12,                         /* 53: vec![7, 0x1234] (u16) */
    0x08, 0x07,                                           /* 58: a truncated Vec<u16> */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 60: Some(..) with a byte short */
};
#define SPAN(ptr, len) ((int64_t)((uint64_t)(ptr) | (uint64_t)(len) << 32))

typedef struct probe {
    const char *name;
    int import;
    int64_t args[3];
    const char *trap; /* the call traps with this in its message, or */
    uint8_t out[8];   /* returns these bytes */
    size_t out_len;
    bool reaches_provider; /* the provider is asked */
} probe;

static const probe PROBES[] = {
    /* request_start: Ok(0) = 00 0000; &str arguments must be UTF-8, spans inside memory */
    {"start", P_START, {SPAN(16, 4), SPAN(20, 8), SPAN(0, 0)}, NULL, {0, 0, 0}, 3, true},
    {"start_bad_method",
     P_START,
     {SPAN(28, 2), SPAN(20, 8), SPAN(0, 0)},
     "method is not valid UTF-8",
     {0},
     0,
     false},
    {"start_bad_uri",
     P_START,
     {SPAN(16, 4), SPAN(29, 1), SPAN(0, 0)},
     "uri is not valid UTF-8",
     {0},
     0,
     false},
    {"start_meta_oob",
     P_START,
     {SPAN(16, 4), SPAN(20, 8), SPAN(0xfffffff0u, 7)},
     "outside the memory",
     {0},
     0,
     false},
    /* add_header: request 0 exists (Ok), 7 does not (the provider's Err(())), 0x10000 is no
     * HttpRequestId (Err(()) without asking the provider) */
    {"header", P_ADD_HEADER, {0, SPAN(32, 6), SPAN(38, 4)}, NULL, {0}, 1, true},
    {"header_unknown_id", P_ADD_HEADER, {7, SPAN(32, 6), SPAN(38, 4)}, NULL, {1}, 1, true},
    {"header_bad_id", P_ADD_HEADER, {0x10000, SPAN(32, 6), SPAN(38, 4)}, NULL, {1}, 1, false},
    {"header_bad_value",
     P_ADD_HEADER,
     {0, SPAN(32, 6), SPAN(28, 2)},
     "header value is not valid UTF-8",
     {0},
     0,
     false},
    /* write_body: the deadline reaches the provider; Err(IoError) = 01 02 is the provider's
     * answer for an unknown id, Err(Invalid) = 01 03 the host's for a value beyond u16 */
    {"write_deadline", P_WRITE_BODY, {0, SPAN(38, 4), SPAN(43, 9)}, NULL, {0}, 1, true},
    {"write_unknown_id", P_WRITE_BODY, {7, SPAN(38, 4), SPAN(42, 1)}, NULL, {1, 2}, 2, true},
    {"write_bad_id", P_WRITE_BODY, {-1, SPAN(38, 4), SPAN(42, 1)}, NULL, {1, 3}, 2, false},
    {"write_bad_deadline",
     P_WRITE_BODY,
     {0, SPAN(38, 4), SPAN(52, 1)},
     "deadline is not a SCALE Option<Timestamp>",
     {0},
     0,
     false},
    {"write_short_deadline",
     P_WRITE_BODY,
     {0, SPAN(38, 4), SPAN(43, 8)},
     "deadline is not a SCALE Option<Timestamp>",
     {0},
     0,
     false},
    {"write_long_deadline",
     P_WRITE_BODY,
     {0, SPAN(38, 4), SPAN(42, 2)},
     "deadline is not a SCALE Option<Timestamp>",
     {0},
     0,
     false},
    /* response_wait: unknown ids are Invalid (2); request 0 has no response scripted, so it
     * is not waited on here */
    {"wait_unknown_ids", P_WAIT, {SPAN(53, 5), SPAN(42, 1)}, NULL, {0x08, 2, 2}, 3, true},
    {"wait_no_ids", P_WAIT, {SPAN(42, 1), SPAN(42, 1)}, NULL, {0x00}, 1, false},
    {"wait_truncated_ids",
     P_WAIT,
     {SPAN(58, 2), SPAN(42, 1)},
     "ids are not a SCALE Vec<HttpRequestId>",
     {0},
     0,
     false},
    {"wait_trailing_ids",
     P_WAIT,
     {SPAN(53, 6), SPAN(42, 1)},
     "ids are not a SCALE Vec<HttpRequestId>",
     {0},
     0,
     false},
    /* response_headers: none for unknown ids */
    {"headers_unknown_id", P_HEADERS, {7, 0, 0}, NULL, {0x00}, 1, true},
    {"headers_bad_id", P_HEADERS, {0x10007, 0, 0}, NULL, {0x00}, 1, false},
    /* response_read_body: the buffer must lie in memory */
    {"read_unknown_id", P_READ_BODY, {7, SPAN(256, 64), SPAN(42, 1)}, NULL, {1, 2}, 2, true},
    {"read_bad_id", P_READ_BODY, {0x10000, SPAN(256, 64), SPAN(42, 1)}, NULL, {1, 3}, 2, false},
    {"read_buffer_oob",
     P_READ_BODY,
     {7, SPAN(0xfffffff0u, 64), SPAN(42, 1)},
     "outside the memory",
     {0},
     0,
     false},
};
#define NPROBES (sizeof PROBES / sizeof PROBES[0])

static void h_sleb(h_buf *b, int64_t v) {
    for (;;) {
        uint8_t byte = (uint8_t)(v & 0x7f);
        v >>= 7; /* arithmetic on every compiler this builds with */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        h_u8(b, done ? byte : (uint8_t)(byte | 0x80));
        if (done) return;
    }
}

static h_buf probe_module(void) {
    h_buf m = {0}, s = {0};
    h_header(&m);
    /* types: one per import (params, -> i64), then (i32, i32) -> i64 */
    h_uleb(&s, P_NIMPORTS + 1);
    for (int i = 0; i < P_NIMPORTS; i++) {
        const char *p = PROBE_IMPORTS[i].params;
        h_u8(&s, 0x60);
        h_uleb(&s, strlen(p));
        for (; *p; p++) h_u8(&s, *p == 'i' ? 0x7f : 0x7e);
        h_uleb(&s, 1);
        h_u8(&s, 0x7e);
    }
    h_u8(&s, 0x60);
    h_uleb(&s, 2);
    h_u8(&s, 0x7f);
    h_u8(&s, 0x7f);
    h_uleb(&s, 1);
    h_u8(&s, 0x7e);
    h_section(&m, 1, &s);
    h_uleb(&s, P_NIMPORTS); /* imports */
    for (int i = 0; i < P_NIMPORTS; i++) {
        h_name(&s, "env");
        h_name(&s, PROBE_IMPORTS[i].name);
        h_u8(&s, 0x00);
        h_uleb(&s, (uint64_t)i);
    }
    h_section(&m, 2, &s);
    h_uleb(&s, NPROBES); /* functions */
    for (size_t i = 0; i < NPROBES; i++) h_uleb(&s, P_NIMPORTS);
    h_section(&m, 3, &s);
    h_uleb(&s, 1); /* memory: 1 page */
    h_u8(&s, 0x00);
    h_uleb(&s, 1);
    h_section(&m, 5, &s);
    h_uleb(&s, 1); /* global __heap_base: i32 const 1024 */
    h_u8(&s, 0x7f);
    h_u8(&s, 0x00);
    h_u8(&s, 0x41);
    h_sleb(&s, 1024);
    h_u8(&s, 0x0b);
    h_section(&m, 6, &s);
    h_uleb(&s, NPROBES + 2); /* exports */
    h_name(&s, "memory");
    h_u8(&s, 0x02);
    h_uleb(&s, 0);
    h_name(&s, "__heap_base");
    h_u8(&s, 0x03);
    h_uleb(&s, 0);
    for (size_t i = 0; i < NPROBES; i++) {
        h_name(&s, PROBES[i].name);
        h_u8(&s, 0x00);
        h_uleb(&s, P_NIMPORTS + i);
    }
    h_section(&m, 7, &s);
    h_uleb(&s, NPROBES); /* code: the constant arguments, call, end */
    for (size_t i = 0; i < NPROBES; i++) {
        h_buf body = {0};
        const char *p = PROBE_IMPORTS[PROBES[i].import].params;
        h_uleb(&body, 0);
        for (size_t a = 0; p[a]; a++) {
            h_u8(&body, p[a] == 'i' ? 0x41 : 0x42);
            h_sleb(&body, p[a] == 'i' ? (int64_t)(int32_t)PROBES[i].args[a] : PROBES[i].args[a]);
        }
        h_u8(&body, 0x10);
        h_uleb(&body, (uint64_t)PROBES[i].import);
        h_u8(&body, 0x0b);
        h_uleb(&s, body.n);
        h_put(&s, body.p, body.n);
        free(body.p);
    }
    h_section(&m, 10, &s);
    h_uleb(&s, 1); /* data: PROBE_BYTES at PROBE_DATA */
    h_u8(&s, 0x00);
    h_u8(&s, 0x41);
    h_sleb(&s, PROBE_DATA);
    h_u8(&s, 0x0b);
    h_uleb(&s, sizeof PROBE_BYTES);
    h_put(&s, PROBE_BYTES, sizeof PROBE_BYTES);
    h_section(&m, 11, &s);
    return m;
}

static void test_offchain_http(void) {
    static const uint8_t zero[1] = {0}, yes[1] = {1}, no[1] = {0};
    /* offchain_http_should_work: the scripted request is made and the runtime reports true */
    mock_http m;
    bst_substrate_http h = mock_init(&m, 200);
    bst_substrate_runtime *rt = open_code(g_code, g_code_len, 1024, true, &h);
    expect_call(rt, "test_offchain_http", zero, 1, yes, 1);
    CHECK(!m.expecting); /* Substrate's mock checks this when dropped */
    CHECK_EQ(m.failures, 0);
    CHECK_EQ(m.nreqs, 1);
    CHECK(m.reqs[0].sent && !m.reqs[0].live); /* finalised, then read to its end */
    CHECK_EQ(m.reqs[0].read, 3);
    CHECK(!m.has_deadline); /* the runtime passes None */
    bst_substrate_runtime_free(rt);

    /* A provider that refuses the request: http_request_start is Err(()), the runtime false. */
    h = mock_init(&m, 200);
    m.refuse = true;
    rt = open_code(g_code, g_code_len, 1024, true, &h);
    expect_call(rt, "test_offchain_http", zero, 1, no, 1);
    CHECK_EQ(m.calls, 1);
    CHECK(m.expecting);
    bst_substrate_runtime_free(rt);

    /* The provider's status reaches the runtime: Finished(500) fails its assertion (a panic). */
    h = mock_init(&m, 500);
    rt = open_code(g_code, g_code_len, 1024, true, &h);
    expect_trap(rt, "test_offchain_http", zero, 1, NULL);
    CHECK(!m.expecting);
    CHECK_EQ(m.failures, 0);
    bst_substrate_runtime_free(rt);

    /* A provider with a NULL callback answers as without one there: no header can be added. */
    h = mock_init(&m, 200);
    h.request_add_header = NULL;
    rt = open_code(g_code, g_code_len, 1024, true, &h);
    expect_call(rt, "test_offchain_http", zero, 1, no, 1);
    bst_substrate_runtime_free(rt);

    /* Outside an offchain call the http functions trap, provider or not. */
    h = mock_init(&m, 200);
    rt = open_code(g_code, g_code_len, 1024, false, &h);
    expect_trap(rt, "test_offchain_http", zero, 1, "offchain worker context");
    CHECK_EQ(m.calls, 0);
    bst_substrate_runtime_free(rt);

    /* Misuse, one import call at a time (PROBES): malformed arguments trap before the provider
     * is asked, ids beyond u16 never reach it, unknown ids get the provider's answers. */
    h_buf mod = probe_module();
    h = mock_init(&m, 200);
    m.expecting = false;
    rt = open_code(mod.p, mod.n, 16, true, &h);
    for (size_t i = 0; i < NPROBES; i++) {
        const probe *p = &PROBES[i];
        unsigned calls = m.calls;
        if (p->trap)
            expect_trap(rt, p->name, NULL, 0, p->trap);
        else
            expect_call(rt, p->name, NULL, 0, p->out, p->out_len);
        CHECK_EQ(m.calls - calls, p->reaches_provider ? 1 : 0);
        if (m.calls - calls != (p->reaches_provider ? 1u : 0u))
            fprintf(stderr, "  (probe %s)\n", p->name);
        if (strcmp(p->name, "write_deadline") == 0)
            CHECK(m.has_deadline && m.deadline == 0x0102030405060708ull);
    }
    CHECK_EQ(m.nreqs, 1);
    CHECK_EQ(m.reqs[0].nheaders, 1);
    CHECK(m.reqs[0].body_len == 4 && memcmp(m.reqs[0].body, "test", 4) == 0);
    CHECK_EQ(m.failures, 0);
    bst_substrate_runtime_free(rt);

    /* Without a provider the same calls answer as for unknown ids. */
    rt = open_code(mod.p, mod.n, 16, true, NULL);
    static const uint8_t err_unit[1] = {1}, err_invalid[2] = {1, 3}, invalid2[3] = {0x08, 2, 2},
                         none[1] = {0};
    expect_call(rt, "start", NULL, 0, err_unit, 1);
    expect_call(rt, "header", NULL, 0, err_unit, 1);
    expect_call(rt, "write_deadline", NULL, 0, err_invalid, 2);
    expect_call(rt, "wait_unknown_ids", NULL, 0, invalid2, 3);
    expect_call(rt, "headers_unknown_id", NULL, 0, none, 1);
    expect_call(rt, "read_unknown_id", NULL, 0, err_invalid, 2);
    expect_trap(rt, "start_bad_method", NULL, 0, "method is not valid UTF-8");
    bst_substrate_runtime_free(rt);
    free(mod.p);
}

/* bst_substrate_runtime_set_deadline and offchain HTTP: the provider is handed the call's
 * deadline when the runtime passes none or a later one; a provider that honours it ends the
 * call, interrupted, within the deadline + 50 ms; a deadline already passed stops a call at once;
 * 0 removes it. */
static void test_http_deadline(void) {
    h_buf mod = probe_module();
    mock_http m;
    bst_substrate_http h = mock_init(&m, 200);
    m.expecting = false;
    bst_substrate_runtime *rt = open_code(mod.p, mod.n, 16, true, &h);
    expect_call(rt, "start", NULL, 0, (const uint8_t[3]){0, 0, 0}, 3);
    /* None, and Some(far future), become the call's deadline in Unix milliseconds */
    static const uint8_t ok[1] = {0};
    for (int far = 0; far < 2; far++) {
        uint64_t before = unix_ms();
        bst_substrate_runtime_set_deadline(rt, bst_monotonic_ns() + 60000 * UINT64_C(1000000));
        expect_call(rt, far ? "write_deadline" : "write_unknown_id", NULL, 0,
                    far ? ok : (const uint8_t[2]){1, 2}, far ? 1 : 2);
        CHECK(m.has_deadline);
        CHECK(m.deadline >= before + 59000 && m.deadline <= unix_ms() + 60000);
    }
    /* removed: None stays None */
    bst_substrate_runtime_set_deadline(rt, 0);
    expect_call(rt, "write_unknown_id", NULL, 0, (const uint8_t[2]){1, 2}, 2);
    CHECK(!m.has_deadline);
    /* a provider that sleeps until the deadline: the call ends interrupted, on time */
    bst_store *sleeper = bst_store_new(NULL);
    m.sleeper = sleeper;
    st_expect_deadline_ends(rt, "write_deadline", NULL, 0,
                            "offchain HTTP provider honouring the deadline");
    m.sleeper = NULL;
    bst_store_free(sleeper);
    /* past: the next call stops at its first call, before the provider is asked */
    unsigned calls = m.calls;
    bst_substrate_runtime_set_deadline(rt, bst_monotonic_ns() - 1);
    expect_trap(rt, "write_unknown_id", NULL, 0, "interrupted");
    CHECK_EQ(m.calls, calls);
    bst_substrate_runtime_set_deadline(rt, 0);
    expect_call(rt, "write_unknown_id", NULL, 0, (const uint8_t[2]){1, 2}, 2);
    bst_substrate_runtime_free(rt);
    free(mod.p);
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

    /* The Dynamic heap strategy: the memory grows as the allocator needs, so the 16 MiB the
     * 8 static pages refused fit (the memory starts at the runtime's declared size). */
    rt = open_rt(HEAP_DYNAMIC);
    expect_call(rt, "test_exhaust_heap", zero, 1, zero, 1);
    bst_substrate_runtime_free(rt);

    /* restoration_of_globals: a trap after a huge stack frame does not leak the stack */
    rt = open_rt(32);
    static const uint8_t t[1] = {1}, f[1] = {0};
    expect_trap(rt, "allocates_huge_stack_array", t, 1, NULL);
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    bst_status st =
        bst_substrate_call(rt, "allocates_huge_stack_array", f, 1, &out, &out_len, &err);
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

/* A module of custom sections only: "runtime_version" (spec "a", impl "b", versions 1 2 3, no
 * apis, transaction_version 7) and, when with_apis, "runtime_apis" with Core version 3. */
static size_t version_module(uint8_t *m, bool with_apis, bool bad_apis) {
    static const uint8_t magic[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    static const uint8_t ver[] = {4, 'a', 4, 'b', 1, 0, 0, 0, 2, 0, 0,
                                  0, 3,   0, 0,   0, 0, 7, 0, 0, 0};
    static const uint8_t apis[] = {0xdf, 0x6a, 0xcb, 0x68, 0x99, 0x07, 0x60, 0x9b, 3, 0, 0, 0};
    size_t n = 0;
    memcpy(m, magic, 8), n = 8;
    m[n++] = 0;
    m[n++] = (uint8_t)(1 + 15 + sizeof ver);
    m[n++] = 15;
    memcpy(m + n, "runtime_version", 15), n += 15;
    memcpy(m + n, ver, sizeof ver), n += sizeof ver;
    if (with_apis) {
        size_t al = bad_apis ? 11 : 12;
        m[n++] = 0;
        m[n++] = (uint8_t)(1 + 12 + al);
        m[n++] = 12;
        memcpy(m + n, "runtime_apis", 12), n += 12;
        memcpy(m + n, apis, al), n += al;
    }
    return n;
}

/* The embedded version (custom sections, no instantiation) is what Core_version answers: the
 * node-template-local spec's runtime has both sections; the executor test runtime has none. */
static void test_embedded_version(const char *dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/node-template-local.json", dir);
    size_t len;
    uint8_t *json = h_read_file(path, &len);
    REQUIRE(json);
    const char *at = strstr((const char *)json, "\"0x3a636f6465\": \"0x");
    REQUIRE(at);
    at += strlen("\"0x3a636f6465\": \"0x");
    size_t hl = strcspn(at, "\"");
    uint8_t *blob = malloc(hl / 2 + 1), *code = NULL, *emb = NULL, *called = NULL;
    REQUIRE(blob);
    for (size_t i = 0; i < hl / 2; i++) {
        unsigned v;
        REQUIRE(sscanf(at + 2 * i, "%2x", &v) == 1);
        blob[i] = (uint8_t)v;
    }
    size_t code_len = 0, emb_len = 0, called_len = 0;
    bst_error err;
    REQUIRE(bst_substrate_code_decode(blob, hl / 2, 0, &code, &code_len, &err) == BST_OK);
    CHECK(bst_substrate_embedded_version(code, code_len, &emb, &emb_len));
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.max_log_level = 0;
    bst_substrate_runtime *rt = bst_substrate_runtime_new(code, code_len, &o, &err);
    REQUIRE(rt);
    CHECK(bst_substrate_call(rt, "Core_version", NULL, 0, &called, &called_len, &err) == BST_OK);
    CHECK(emb && called && emb_len == called_len && memcmp(emb, called, emb_len) == 0);
    bst_substrate_runtime_free(rt);
    free(emb), free(called), free(code), free(blob), free(json);
    /* none in the executor test runtime, nor in what is not a module */
    CHECK(!bst_substrate_embedded_version(g_code, g_code_len, &emb, &emb_len));
    CHECK(!bst_substrate_embedded_version((const uint8_t *)"\0asm", 4, &emb, &emb_len));
    /* hand-made sections: Core 3 brings transaction_version; without apis it is the legacy form;
     * apis not a multiple of 12 bytes is refused */
    uint8_t m[128];
    static const uint8_t want3[] = {4,    'a',  4,    'b', 1, 0, 0,    0,    2,    0,    0,
                                    0,    3,    0,    0,   0, 4, 0xdf, 0x6a, 0xcb, 0x68, 0x99,
                                    0x07, 0x60, 0x9b, 3,   0, 0, 0,    7,    0,    0,    0};
    size_t n = version_module(m, true, false);
    CHECK(bst_substrate_embedded_version(m, n, &emb, &emb_len) && emb_len == sizeof want3 &&
          memcmp(emb, want3, sizeof want3) == 0);
    free(emb);
    n = version_module(m, false, false);
    CHECK(bst_substrate_embedded_version(m, n, &emb, &emb_len) && emb_len == 17 &&
          memcmp(emb, want3, 16) == 0 && emb[16] == 0);
    free(emb);
    n = version_module(m, true, true);
    CHECK(!bst_substrate_embedded_version(m, n, &emb, &emb_len));
    m[9] = 100; /* a section running past the end */
    CHECK(!bst_substrate_embedded_version(m, n, &emb, &emb_len));
}

int main(int argc, char **argv) {
    g_code = st_load_runtime(argc, argv, "sc_runtime_test.wasm", &g_code_len);
    test_storage();
    test_hashing();
    test_signatures();
    test_trie_and_offchain();
    test_offchain_http();
    test_http_deadline();
    test_instances_and_heap();
    test_missing_import_policy();
    test_embedded_version(argv[1]);
    free(g_code);
    return h_finish("substrate/runtime_test");
}
