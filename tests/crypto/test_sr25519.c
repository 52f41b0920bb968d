/*
 * test_sr25519.c — merlin transcripts and sr25519 (CTest crypto/sr25519): merlin's own
 * transcript vectors; sp-core sr25519.rs known public keys and pre-audit signatures
 * (verify_from_old_wasm_works, verify_known_old_message_should_work); polkadot-js
 * wasm-crypto's known signatures (can_verify_known_message, ..._wrapped_message); sign/verify
 * round trips and rejection of tampering, unmarked or non-canonical signatures.
 */
#include <sodium.h>

#include "hex.h"
#include "internal.h"

static void test_merlin(void) {
    cry_merlin t;
    unsigned char c[32];
    /* merlin transcript.rs equivalence_simple */
    cry_merlin_init(&t, CRY_LIT("test protocol"));
    cry_merlin_append(&t, CRY_LIT("some label"), CRY_LIT("some data"));
    cry_merlin_challenge(&t, CRY_LIT("challenge"), c, 32);
    CHECK(eq_hex(c, "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615"));

    /* equivalence_complex: many permutations (1 KiB messages), challenges fed back. */
    static unsigned char data[1024];
    memset(data, 99, sizeof data);
    cry_merlin_init(&t, CRY_LIT("test protocol"));
    cry_merlin_append(&t, CRY_LIT("step1"), CRY_LIT("some data"));
    for (int i = 0; i < 32; i++) {
        cry_merlin_challenge(&t, CRY_LIT("challenge"), c, 32);
        cry_merlin_append(&t, CRY_LIT("bigdata"), data, sizeof data);
        cry_merlin_append(&t, CRY_LIT("challengedata"), c, 32);
    }
    CHECK(eq_hex(c, "a8c933f54fae76e3f9bea93648c1308e7dfa2152dd51674ff3ca438351cf003c"));
}

static void test_known_keys(void) {
    unsigned char seed[32], pub[32], secret[64];
    unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed, 32);
    bst_sr25519_from_seed(seed, pub, secret);
    CHECK(eq_hex(pub, "44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f"));
    bst_sr25519_from_seed((const unsigned char *)"12345678901234567890123456789012", pub, secret);
    CHECK(eq_hex(pub, "741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63"));
    /* The key scalar is canonical and below 2^252 (divided by the cofactor). */
    CHECK(secret[31] < 0x10);
}

static void test_known_signatures(void) {
    unsigned char pub[32], sig[64], seed[32], secret[64];

    /* Marked (schnorrkel >= 0.8) signatures made by other implementations. */
    const char *m1 =
        "I hereby verify that I control 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    unhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", pub, 32);
    unhex("1037eb7e51613d0dcf5930ae518819c87d655056605764840d9280984e1b7063"
          "c4566b55bf292fcab07b369d01095879b50517beca4d26e6a65866e25fec0d83",
          sig, 64);
    CHECK(bst_sr25519_verify(sig, m1, strlen(m1), pub));
    CHECK(bst_sr25519_verify_deprecated(sig, m1, strlen(m1), pub));
    CHECK(!bst_sr25519_verify(sig, m1, strlen(m1) - 1, pub));

    const char *m2 = "<Bytes>message to sign</Bytes>";
    unhex("f84d048da2ddae2d9d8fd6763f469566e8817a26114f39408de15547f6d47805", pub, 32);
    unhex("48ce2c90e08651adfc8ecef84e916f6d1bb51ebebd16150ee12df247841a5437"
          "951ea0f9d632ca165e6ab391532e75e701be6a1caa88c8a6bcca3511f55b4183",
          sig, 64);
    CHECK(bst_sr25519_verify(sig, m2, strlen(m2), pub));
    CHECK(!bst_sr25519_verify(sig, "message to sign", 15, pub));

    /* Pre-audit (schnorrkel 0.1.1) signatures: only the deprecated verifier takes them. */
    memset(seed, 0, 32);
    bst_sr25519_from_seed(seed, pub, secret);
    unhex("28a854d54903e056f89581c691c1f7d2ff39f8f896c9e9c22475e60902cc2b35"
          "47199e0e91fa32902028f2ca2355e8cdd16cfe19ba5e8b658c94aa80f3b81a00",
          sig, 64);
    CHECK(bst_sr25519_verify_deprecated(sig, "SUBSTRATE", 9, pub));
    CHECK(!bst_sr25519_verify(sig, "SUBSTRATE", 9, pub));
    CHECK(!bst_sr25519_verify_deprecated(sig, "SUBSTRATf", 9, pub));

    const char *m3 =
        "Verifying that I am the owner of 5G9hQLdsKQswNPgB499DeA5PkFBbgkLPJWkkS6FAM6xGQ8xD. "
        "Hash: 221455a3\n";
    unhex("b4bfa1f7a5166695eb75299fd1c4c03ea212871c342f2c5dfea0902b2c246918", pub, 32);
    unhex("5a9755f069939f45d96aaf125cf5ce7ba1db998686f87f2fb3cbdea922078741"
          "a73891ba265f70c31436e18a9acd14d189d73c12317ab6c313285cd938453202",
          sig, 64);
    CHECK(bst_sr25519_verify_deprecated(sig, m3, strlen(m3), pub));
    CHECK(!bst_sr25519_verify(sig, m3, strlen(m3), pub));
    /* Marking an old signature does not make it a new one: a marked signature is judged by
     * the current transcript only. */
    sig[63] |= 0x80;
    CHECK(!bst_sr25519_verify_deprecated(sig, m3, strlen(m3), pub));
}

static void test_round_trip(void) {
    unsigned char pub[32], secret[64], sig[64], sig2[64], bad[64];
    bst_sr25519_from_seed((const unsigned char *)"12345678901234567890123456789012", pub, secret);
    const char *msg = "Something important";
    bst_sr25519_sign(secret, pub, msg, strlen(msg), sig);
    CHECK((sig[63] & 0x80) != 0);
    CHECK(bst_sr25519_verify(sig, msg, strlen(msg), pub));
    CHECK(bst_sr25519_verify_deprecated(sig, msg, strlen(msg), pub));
    CHECK(!bst_sr25519_verify(sig, "Something unimportant", 21, pub));
    /* Randomised nonces: two signatures differ, both verify. */
    bst_sr25519_sign(secret, pub, msg, strlen(msg), sig2);
    CHECK(memcmp(sig, sig2, 64) != 0);
    CHECK(bst_sr25519_verify(sig2, msg, strlen(msg), pub));
    /* Empty message (sp-core sr_test_vector_should_work signs b""). */
    bst_sr25519_sign(secret, pub, "", 0, sig2);
    CHECK(bst_sr25519_verify(sig2, "", 0, pub));

    /* Every single-bit flip is rejected by both verifiers (the marker bit included). */
    int accepted = 0;
    for (size_t bit = 0; bit < 512; bit++) {
        memcpy(bad, sig, 64);
        bad[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        accepted += bst_sr25519_verify(bad, msg, strlen(msg), pub);
        accepted += bst_sr25519_verify_deprecated(bad, msg, strlen(msg), pub);
    }
    CHECK(accepted == 0);

    /* s + l is the same scalar mod l but not canonical: rejected. */
    static const unsigned char L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                        0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                        0,    0,    0,    0,    0,    0,    0,    0,
                                        0,    0,    0,    0,    0,    0,    0,    0x10};
    memcpy(bad, sig, 64);
    bad[63] &= 0x7f;
    unsigned carry = 0;
    for (size_t i = 0; i < 32; i++) {
        unsigned v = bad[32 + i] + L[i] + carry;
        bad[32 + i] = (unsigned char)v;
        carry = v >> 8;
    }
    if (bad[63] < 0x80) { /* always: s < 2^253, so s + l < 2^254 */
        bad[63] |= 0x80;
        CHECK(!bst_sr25519_verify(bad, msg, strlen(msg), pub));
        CHECK(!bst_sr25519_verify_deprecated(bad, msg, strlen(msg), pub));
    }

    /* Wrong key; a key that is not a valid ristretto encoding. */
    unsigned char pub2[32], secret2[64];
    bst_sr25519_from_seed((const unsigned char *)"22345678901234567890123456789012", pub2, secret2);
    CHECK(!bst_sr25519_verify(sig, msg, strlen(msg), pub2));
    memset(pub2, 0xff, 32);
    CHECK(!bst_sr25519_verify(sig, msg, strlen(msg), pub2));
    CHECK(!bst_sr25519_verify_deprecated(sig, msg, strlen(msg), pub2));
}

/* schnorrkel accepts the identity as a public key (it is a valid ristretto255 encoding), and
 * then R = s*B verifies any message: Substrate does the same, so must we (this also checks the
 * handling of libsodium's "result is the identity" returns). */
static void test_identity_key(void) {
    unsigned char pub[32] = {0}, sig[64], wide[64];
    crypto_hash_sha512(wide, (const unsigned char *)"s", 1);
    crypto_core_ristretto255_scalar_reduce(sig + 32, wide);
    CHECK(crypto_scalarmult_ristretto255_base(sig, sig + 32) == 0);
    sig[63] |= 0x80;
    CHECK(bst_sr25519_verify(sig, "anything", 8, pub));
    CHECK(bst_sr25519_verify(sig, "else", 4, pub));
    sig[0] ^= 1;
    CHECK(!bst_sr25519_verify(sig, "anything", 8, pub));
}

int main(void) {
    check_init();
    test_merlin();
    test_known_keys();
    test_known_signatures();
    test_round_trip();
    test_identity_key();
    return check_finish("crypto/sr25519");
}
