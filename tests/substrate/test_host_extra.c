/*
 * test_host_extra.c — the host functions no shared runtime imports, through a small runtime of
 * our own (host_extra.wat) and the public API (CTest substrate/host_extra): Keccak-512 against
 * the Keccak reference vectors, the Keccak trie roots against bst_trie_root_hashed (and
 * different from the BLAKE2 ones), trie proof verification in all four versions (a trie-db proof
 * built by hand: true for the right value, false otherwise), the cursor versions of
 * clear_prefix / storage_kill (the keys removed, the cursor handed out, a malformed cursor
 * trapping), the panic handler's trap message, tracing disabled, transaction indexing accepted
 * and checked, and storage_proof_size answering u64::MAX.
 */
#include "substrate_test.h"

#include "bastion_state.h"
#include "bastion_trie.h"

static bst_substrate_runtime *g_rt;

/* METHOD(in) must succeed; its output is returned (malloc'd), its length in *n. */
static uint8_t *call_ok(const char *method, const uint8_t *in, size_t in_len, size_t *n) {
    uint8_t *out = NULL;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_substrate_call(g_rt, method, in, in_len, &out, n, &err);
    CHECK_OK(st, err);
    if (st != BST_OK) *n = 0;
    return out;
}

/* METHOD(in) must trap with a message containing `want`. */
static void call_traps(const char *method, const uint8_t *in, size_t in_len, const char *want) {
    uint8_t *out = NULL;
    size_t n = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_substrate_call(g_rt, method, in, in_len, &out, &n, &err);
    CHECK_MSG(st != BST_OK && strstr(err.message, want) != NULL, "%s: %s (want %s)", method,
              err.message, want);
    free(out);
}

static void unhex(const char *hex, uint8_t *out) {
    for (size_t i = 0; hex[2 * i]; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) abort();
        out[i] = (uint8_t)v;
    }
}

static void keccak_512(void) {
    static const struct {
        const char *in, *out;
    } V[] = {
        {"",
         "0eab42de4c3ceb9235fc91acffe746b29c29a8c366b7c60e4e67c466f36a4304c00fa9caf9d87976ba469bc"
         "be06713b435f091ef2769fb160cdab33d3670680e"},
        {"abc", "18587dc2ea106b9a1563e32b3312421ca164c7f1f07bc922a9c83d77cea3a1e5d0c69910739025372d"
                "c14ac9642629379540c17e2a65b19d77aa511a9d00bb96"},
    };
    for (size_t i = 0; i < 2; i++) {
        size_t n;
        uint8_t want[64];
        unhex(V[i].out, want);
        uint8_t *out = call_ok("keccak_512", (const uint8_t *)V[i].in, strlen(V[i].in), &n);
        CHECK_MSG(n == 64 && memcmp(out, want, 64) == 0, "keccak_512(\"%s\")", V[i].in);
        free(out);
    }
}

static void trie_roots(void) {
    /* Vec<(Vec<u8>, Vec<u8>)> [("a", 40 x 0x11), ("b", "x")] and Vec<Vec<u8>> of the values */
    uint8_t big[40];
    memset(big, 0x11, sizeof big);
    uint8_t in[128];
    size_t n = 0;
    in[n++] = 0;
    in[n++] = 0;
    in[n++] = 2 << 2;
    in[n++] = 1 << 2, in[n++] = 'a', in[n++] = 40 << 2;
    memcpy(in + n, big, 40), n += 40;
    in[n++] = 1 << 2, in[n++] = 'b', in[n++] = 1 << 2, in[n++] = 'x';
    bst_trie_pair pairs[2] = {{(const uint8_t *)"a", 1, big, 40},
                              {(const uint8_t *)"b", 1, (const uint8_t *)"x", 1}};
    uint8_t want[32], blake[32];
    /* selector 0: BLAKE2 v1, 1: Keccak v1, 2: Keccak v2 with version 1 */
    for (int sel = 0; sel < 3; sel++) {
        in[0] = (uint8_t)sel;
        in[1] = sel == 2 ? 1 : 0;
        size_t on;
        uint8_t *out = call_ok("trie_root", in, n, &on);
        REQUIRE(bst_trie_root_hashed(pairs, 2, in[1],
                                     sel ? BST_TRIE_KECCAK_256 : BST_TRIE_BLAKE2_256, want));
        CHECK_MSG(on == 32 && memcmp(out, want, 32) == 0, "trie_root selector %d", sel);
        if (sel == 0) memcpy(blake, out, 32);
        if (sel == 1) CHECK(memcmp(out, blake, 32) != 0);
        free(out);
    }
    /* Ordered roots: Vec<Vec<u8>> [40 x 0x11, "x"], selectors 3 (v1) and 4 (v2, version 1) */
    uint8_t oin[64];
    size_t on = 0;
    oin[on++] = 3, oin[on++] = 0, oin[on++] = 2 << 2, oin[on++] = 40 << 2;
    memcpy(oin + on, big, 40), on += 40;
    oin[on++] = 1 << 2, oin[on++] = 'x';
    for (int sel = 3; sel < 5; sel++) {
        oin[0] = (uint8_t)sel;
        oin[1] = sel == 4 ? 1 : 0;
        size_t rn;
        uint8_t *out = call_ok("trie_root", oin, on, &rn);
        bst_trie_pair vals[2] = {{NULL, 0, big, 40}, {NULL, 0, (const uint8_t *)"x", 1}};
        REQUIRE(bst_trie_ordered_root_hashed(vals, 2, oin[1], BST_TRIE_KECCAK_256, want));
        CHECK_MSG(rn == 32 && memcmp(out, want, 32) == 0, "ordered root selector %d", sel);
        free(out);
    }
    /* A state version other than 0 or 1 traps. */
    in[0] = 2;
    in[1] = 7;
    call_traps("trie_root", in, n, "unknown state version");
}

/* The verify input: selector, version, root, lengths, SCALE Vec<Vec<u8>> proof, key, value. */
static size_t verify_input(uint8_t *b, int sel, unsigned version, const uint8_t root[32],
                           const uint8_t *proof, size_t pl, const uint8_t *key, size_t kl,
                           const uint8_t *val, size_t vl) {
    size_t n = 0;
    b[n++] = (uint8_t)sel;
    b[n++] = (uint8_t)version;
    memcpy(b + n, root, 32), n += 32;
    uint32_t lens[3] = {(uint32_t)pl, (uint32_t)kl, (uint32_t)vl};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) b[n++] = (uint8_t)(lens[i] >> (8 * j));
    memcpy(b + n, proof, pl), n += pl;
    memcpy(b + n, key, kl), n += kl;
    memcpy(b + n, val, vl), n += vl;
    return n;
}

static bool verify(int sel, unsigned version, const uint8_t root[32], const uint8_t *proof,
                   size_t pl, const uint8_t *val, size_t vl) {
    uint8_t in[256];
    static const uint8_t key[1] = {0x1a};
    size_t n = verify_input(in, sel, version, root, proof, pl, key, 1, val, vl);
    size_t on;
    uint8_t *out = call_ok("verify", in, n, &on);
    bool r = on == 1 && out[0] == 1;
    CHECK(on == 1 && out[0] <= 1);
    free(out);
    return r;
}

static void verify_proofs(void) {
    /* The trie {0x1a: [7], 0x2b: [8]}: a root branch with both leaves inline; the proof of
     * 0x1a is that root with leaf 1's value emptied (SCALE Vec<Vec<u8>> of one node). */
    static const uint8_t k2[1] = {0x1a}, k3[1] = {0x2b}, v2[1] = {7}, v3[1] = {8};
    static const uint8_t proof[] = {1 << 2, 12 << 2, 0x80,   0x06, 0x00, 3 << 2, 0x41,
                                    0x0a,   0x00,    4 << 2, 0x41, 0x0b, 1 << 2, 8};
    bst_trie_pair two[2] = {{k2, 1, v2, 1}, {k3, 1, v3, 1}};
    for (int sel = 0; sel < 4; sel++) {
        bst_trie_hasher h = sel < 2 ? BST_TRIE_BLAKE2_256 : BST_TRIE_KECCAK_256;
        unsigned version = (sel & 1) ? 1 : 0;
        uint8_t root[32], other[32];
        REQUIRE(bst_trie_root_hashed(two, 2, version, h, root));
        CHECK_MSG(verify(sel, version, root, proof, sizeof proof, v2, 1), "verify sel %d", sel);
        CHECK(!verify(sel, version, root, proof, sizeof proof, v3, 1));
        REQUIRE(bst_trie_root_hashed(
            two, 2, version, h == BST_TRIE_KECCAK_256 ? BST_TRIE_BLAKE2_256 : BST_TRIE_KECCAK_256,
            other));
        CHECK(!verify(sel, version, other, proof, sizeof proof, v2, 1));
    }
    /* A proof that is not a Vec<Vec<u8>> traps. */
    uint8_t in[128], root[32] = {0};
    static const uint8_t bad[2] = {8 << 2, 1};
    size_t n = verify_input(in, 0, 0, root, bad, 2, k2, 1, v2, 1);
    call_traps("verify", in, n, "proof is not a SCALE Vec<Vec<u8>>");
}

/* The storage the runtime starts from: "ab1", "ab2", "ab3", "b" in the top trie and in the
 * child trie "c" (in the backend: removals from it count towards the limit, as in Substrate,
 * while keys only in the overlay are removed without counting). */
static const uint8_t CHILD[] = "c"; /* the child trie's name, without its prefix */
static bst_state_mem *storage(void) {
    static const char *KEYS[] = {"ab1", "ab2", "ab3", "b"};
    bst_state_mem *m = bst_state_mem_new();
    REQUIRE(m);
    for (int i = 0; i < 4; i++) {
        REQUIRE(bst_state_mem_put(m, NULL, 0, (const uint8_t *)KEYS[i], strlen(KEYS[i]),
                                  (const uint8_t *)"v", 1));
        REQUIRE(bst_state_mem_put(m, CHILD, sizeof CHILD - 1, (const uint8_t *)KEYS[i],
                                  strlen(KEYS[i]), (const uint8_t *)"v", 1));
    }
    bst_state_mem_finish(m);
    return m;
}

static bool exists(const uint8_t *child, size_t child_len, const char *key) {
    return bst_state_exists(bst_substrate_runtime_state(g_rt), child, child_len,
                            (const uint8_t *)key, strlen(key)) == BST_STATE_FOUND;
}

/* MultiRemovalResults with Some(cursor) and the three counters at 1 (limit 1). */
static void expect_removal(const char *method, const char *cursor) {
    size_t n;
    uint8_t *out = call_ok(method, NULL, 0, &n);
    size_t cl = strlen(cursor);
    bool ok = n == 2 + cl + 12 && out[0] == 1 && out[1] == (uint8_t)(cl << 2) &&
              memcmp(out + 2, cursor, cl) == 0;
    for (int i = 0; ok && i < 3; i++)
        ok = out[2 + cl + 4 * i] == 1 && out[3 + cl + 4 * i] == 0 && out[4 + cl + 4 * i] == 0 &&
             out[5 + cl + 4 * i] == 0;
    CHECK_MSG(ok, "%s: MultiRemovalResults { Some(\"%s\"), 1, 1, 1 }", method, cursor);
    if (!ok) {
        fprintf(stderr, "  got");
        for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", out[i]);
        fputc('\n', stderr);
    }
    free(out);
}

static void cursor_versions(void) {
    const uint8_t *child = CHILD;
    expect_removal("clear_prefix_v3", "ab2");
    CHECK(!exists(NULL, 0, "ab1") && exists(NULL, 0, "ab2") && exists(NULL, 0, "b"));
    expect_removal("clear_prefix_v3", "ab3"); /* each call goes on where the last stopped */
    size_t n;
    uint8_t *out = call_ok("clear_prefix_v3", NULL, 0, &n); /* the last one: no cursor */
    static const uint8_t none[13] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
    CHECK(n == 13 && memcmp(out, none, 13) == 0);
    free(out);
    CHECK(!exists(NULL, 0, "ab3") && exists(NULL, 0, "b"));
    call_traps("clear_prefix_bad_cursor", NULL, 0, "ext_storage_clear_prefix_version_3");
    /* The child trie "c" (the runtime passes the unprefixed name). */
    expect_removal("child_clear_prefix_v3", "ab2");
    CHECK(!exists(child, sizeof CHILD - 1, "ab1") && exists(child, sizeof CHILD - 1, "ab2"));
    expect_removal("kill_v4", "ab3");
    CHECK(!exists(child, sizeof CHILD - 1, "ab2") && exists(child, sizeof CHILD - 1, "b"));
}

static void misc(void) {
    static const char msg[] = "panicked at 'attempt to divide by zero'";
    call_traps("panic", (const uint8_t *)msg, strlen(msg),
               "Runtime panicked: panicked at 'attempt to divide by zero'");
    uint8_t hash[32];
    memset(hash, 0xaa, 32);
    size_t n;
    uint8_t *out = call_ok("misc", hash, 32, &n);
    CHECK(n == 20);
    if (n == 20) {
        for (int i = 0; i < 8; i++) CHECK(out[i] == 0xff); /* proof size u64::MAX */
        for (int i = 8; i < 20; i++) CHECK(out[i] == 0);   /* disabled, span 0 */
    }
    free(out);
    call_traps("tx_index_oob", NULL, 0, "ext_transaction_index_index_version_1");
}

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    if (!bst_crypto_init()) return 2;
    size_t len;
    uint8_t *code = h_wasm_bytes("host_extra", &len);
    bst_state_mem *m = storage();
    bst_state_backend backend = bst_state_mem_backend(m);
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.max_log_level = 0;
    o.storage = &backend;
    bst_error err;
    g_rt = bst_substrate_runtime_new(code, len, &o, &err); /* no allow_missing */
    free(code);
    if (!g_rt) {
        fprintf(stderr, "host_extra.wasm: %s\n", err.message);
        return 2;
    }
    CHECK(bst_substrate_runtime_stub_count(g_rt) == 0);
    keccak_512();
    trie_roots();
    verify_proofs();
    cursor_versions();
    misc();
    bst_substrate_runtime_free(g_rt);
    bst_state_mem_free(m);
    return check_finish("substrate/host_extra");
}
