/*
 * test_encoding.c — the primitives signed modules and minisign keys use (CTest crypto/encoding):
 * incremental SHA-256 (every split of the input, and a copied state finalised while the original
 * goes on: the rolling hash), strict Ed25519 verification, constant-time comparison, scrypt
 * against libsodium's own entry point, and base64 (RFC 4648 vectors, and what must be refused).
 */
#include <sodium.h>

#include "hex.h"

static void test_sha256_incremental(void) {
    unsigned char msg[200], one[32], inc[32];
    for (size_t i = 0; i < sizeof msg; i++) msg[i] = (unsigned char)(i * 7 + 3);
    int mismatches = 0;
    for (size_t cut = 0; cut <= sizeof msg; cut++) {
        bst_sha256_state st;
        bst_sha256_init(&st);
        bst_sha256_update(&st, msg, cut);
        /* a copy finalised here is the digest of the prefix; the original keeps going */
        bst_sha256_state snap = st;
        unsigned char prefix[32];
        bst_sha256_final(&snap, prefix);
        bst_sha2_256(msg, cut, one);
        if (memcmp(prefix, one, 32) != 0) mismatches++;
        bst_sha256_update(&st, msg + cut, sizeof msg - cut);
        bst_sha256_final(&st, inc);
        bst_sha2_256(msg, sizeof msg, one);
        if (memcmp(inc, one, 32) != 0) mismatches++;
    }
    CHECK_EQ(mismatches, 0);
    bst_sha256_state st;
    bst_sha256_init(&st);
    bst_sha256_update(&st, "ab", 2);
    bst_sha256_update(&st, "c", 1);
    bst_sha256_final(&st, inc);
    CHECK(eq_hex(inc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

static void test_ed25519_strict(void) {
    uint8_t seed[32] = {1, 2, 3}, pub[32], sec[64], sig[64];
    bst_ed25519_from_seed(seed, pub, sec);
    bst_ed25519_sign(sec, "msg", 3, sig);
    CHECK(bst_ed25519_verify_strict(sig, "msg", 3, pub));
    CHECK(!bst_ed25519_verify_strict(sig, "msG", 3, pub));
    sig[63] ^= 0x10; /* s no longer canonical or simply wrong */
    CHECK(!bst_ed25519_verify_strict(sig, "msg", 3, pub));
    sig[63] ^= 0x10;
    /* The identity as public key with R = identity and s = 0: ZIP 215 accepts it for every
     * message, the strict rules refuse a small-order key. */
    uint8_t ident[32] = {1}, weak[64] = {1};
    CHECK(bst_ed25519_verify(weak, "any", 3, ident));
    CHECK(!bst_ed25519_verify_strict(weak, "any", 3, ident));
}

static void test_ct_equal(void) {
    CHECK(bst_ct_equal("abcd", "abcd", 4));
    CHECK(!bst_ct_equal("abcd", "abce", 4));
    CHECK(!bst_ct_equal("xbcd", "abcd", 4));
    CHECK(bst_ct_equal("a", "b", 0));
}

static void test_scrypt(void) {
    uint8_t salt[32] = {9}, a[104], b[104], c[104];
    const uint64_t ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE;
    const size_t mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE;
    CHECK(bst_scrypt_salsa208_sha256(a, sizeof a, "pw", 2, salt, ops, mem));
    CHECK(crypto_pwhash_scryptsalsa208sha256(b, sizeof b, "pw", 2, salt, ops, mem) == 0);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(bst_scrypt_salsa208_sha256(c, sizeof c, "pX", 2, salt, ops, mem));
    CHECK(memcmp(a, c, sizeof a) != 0);
    salt[0] ^= 1;
    CHECK(bst_scrypt_salsa208_sha256(c, sizeof c, "pw", 2, salt, ops, mem));
    CHECK(memcmp(a, c, sizeof a) != 0);
}

static void test_base64(void) {
    static const char *const vec[][2] = {{"", ""},
                                         {"f", "Zg=="},
                                         {"fo", "Zm8="},
                                         {"foo", "Zm9v"},
                                         {"foob", "Zm9vYg=="},
                                         {"fooba", "Zm9vYmE="},
                                         {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        char enc[16];
        size_t n = strlen(vec[i][0]);
        CHECK_EQ(bst_base64_len(n), strlen(vec[i][1]));
        bst_base64_encode(enc, vec[i][0], n);
        CHECK_STR(enc, vec[i][1]);
        uint8_t dec[16];
        size_t dlen = 99;
        CHECK(bst_base64_decode(dec, sizeof dec, &dlen, vec[i][1], strlen(vec[i][1])));
        CHECK_EQ(dlen, n);
        CHECK(memcmp(dec, vec[i][0], n) == 0);
    }
    uint8_t out[16];
    size_t len;
    CHECK(!bst_base64_decode(out, sizeof out, &len, "Zg", 2));     /* padding missing */
    CHECK(!bst_base64_decode(out, sizeof out, &len, "Zm9v\n", 5)); /* trailing newline */
    CHECK(!bst_base64_decode(out, sizeof out, &len, "Zm 9v", 5));  /* white space */
    CHECK(!bst_base64_decode(out, sizeof out, &len, "Zm9v!", 5));  /* not base64 */
    CHECK(!bst_base64_decode(out, 2, &len, "Zm9v", 4));            /* does not fit */
    CHECK(bst_base64_decode(out, 3, &len, "Zm9v", 4) && len == 3);
}

int main(void) {
    check_init();
    REQUIRE(bst_crypto_init());
    test_sha256_incremental();
    test_ed25519_strict();
    test_ct_equal();
    test_scrypt();
    test_base64();
    return check_finish("crypto/encoding");
}
