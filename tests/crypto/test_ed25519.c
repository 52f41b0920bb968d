/*
 * test_ed25519.c — RFC 8032 section 7.1 test vectors 1-3 (key pair from seed, deterministic
 * signature, verification) and rejection of tampered signatures, messages and keys; then the
 * ZIP 215 rules Substrate verifies with (ed25519-zebra): ZIP 215's 196 small-order vectors, the
 * ed25519-speccheck case 0, a public key with a torsion component, non-canonical s (CTest
 * crypto/ed25519).
 */
#include <sodium.h>

#include "hex.h"

struct vec {
    const char *seed, *pub, *msg, *sig;
};

static const struct vec VECS[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
     "46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11"
     "d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc"
     "6594a7c15e9716ed28dc027beceea1ec40a"},
};

/* The 14 encodings of small-order points ZIP 215 enumerates: the 8 canonical ones and 6
 * non-canonical ones (y >= p, or x = 0 with the sign bit set). */
static const char *SMALL_ORDER[14] = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "0100000000000000000000000000000000000000000000000000000000000080",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
};

/* ZIP 215: with s = 0 and small-order A and R, [8](sB - R - kA) is the identity, so all
 * 14 x 14 signatures on b"Zcash" verify under ZIP 215; libsodium rejects every one. */
static void test_zip215_small_order(void) {
    int accepted = 0, sodium_accepted = 0;
    for (int a = 0; a < 14; a++) {
        for (int r = 0; r < 14; r++) {
            unsigned char pub[32], sig[64];
            unhex(SMALL_ORDER[a], pub, 32);
            unhex(SMALL_ORDER[r], sig, 32);
            memset(sig + 32, 0, 32);
            accepted += bst_ed25519_verify(sig, "Zcash", 5, pub);
            sodium_accepted += crypto_sign_ed25519_verify_detached(
                                   sig, (const unsigned char *)"Zcash", 5, pub) == 0;
        }
    }
    CHECK(accepted == 196);
    CHECK(sodium_accepted == 0);
}

/* novifinancial/ed25519-speccheck case 0 (S = 0, small A, small R): Zebra accepts. */
static void test_speccheck_case0(void) {
    unsigned char msg[32], pub[32], sig[64];
    unhex("8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6", msg, 32);
    unhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", pub, 32);
    unhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
          "0000000000000000000000000000000000000000000000000000000000000000",
          sig, 64);
    CHECK(bst_ed25519_verify(sig, msg, 32, pub));
    CHECK(crypto_sign_ed25519_verify_detached(sig, msg, 32, pub) != 0);
}

/* A' = aB + T with T of order 8: a signature made with a for A' satisfies the cofactored
 * equation (the k*T residue is killed by 8) but not the cofactorless one unless 8 | k. */
static void test_mixed_order_key(void) {
    unsigned char wide[64], a[32], r[32], ab[32], T[32], A[32], R[32], k[32], ka[32], sig[64];
    crypto_hash_sha512(wide, (const unsigned char *)"bastion a", 9);
    crypto_core_ed25519_scalar_reduce(a, wide);
    crypto_hash_sha512(wide, (const unsigned char *)"bastion r", 9);
    crypto_core_ed25519_scalar_reduce(r, wide);
    CHECK(crypto_scalarmult_ed25519_base_noclamp(ab, a) == 0);
    unhex(SMALL_ORDER[4], T, 32);
    CHECK(crypto_core_ed25519_add(A, ab, T) == 0);
    CHECK(crypto_scalarmult_ed25519_base_noclamp(R, r) == 0);

    unsigned char msg[1] = {0};
    int tried = 0;
    do { /* pick a message whose k is not a multiple of 8 (7 in 8 are not) */
        crypto_hash_sha512_state h;
        msg[0]++;
        crypto_hash_sha512_init(&h);
        crypto_hash_sha512_update(&h, R, 32);
        crypto_hash_sha512_update(&h, A, 32);
        crypto_hash_sha512_update(&h, msg, 1);
        crypto_hash_sha512_final(&h, wide);
        crypto_core_ed25519_scalar_reduce(k, wide);
    } while ((k[0] & 7) == 0 && ++tried < 50);
    crypto_core_ed25519_scalar_mul(ka, k, a);
    memcpy(sig, R, 32);
    crypto_core_ed25519_scalar_add(sig + 32, r, ka);
    CHECK(bst_ed25519_verify(sig, msg, 1, A));
    CHECK(crypto_sign_ed25519_verify_detached(sig, msg, 1, A) != 0);
    /* ...and it is still a signature on this message only, by this key only. */
    unsigned char other[1] = {(unsigned char)(msg[0] + 1)};
    CHECK(!bst_ed25519_verify(sig, other, 1, A));
    CHECK(!bst_ed25519_verify(sig, msg, 1, ab));
    sig[40] ^= 1;
    CHECK(!bst_ed25519_verify(sig, msg, 1, A));
}

/* s + l encodes the same scalar mod l but is not canonical: rejected (ZIP 215 and RFC 8032). */
static void test_non_canonical_s(void) {
    static const unsigned char L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                        0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                        0,    0,    0,    0,    0,    0,    0,    0,
                                        0,    0,    0,    0,    0,    0,    0,    0x10};
    unsigned char pub[32], sig[64];
    unhex(VECS[0].pub, pub, 32);
    unhex(VECS[0].sig, sig, 64);
    CHECK(bst_ed25519_verify(sig, "", 0, pub));
    unsigned carry = 0;
    for (size_t i = 0; i < 32; i++) {
        unsigned v = sig[32 + i] + L[i] + carry;
        sig[32 + i] = (unsigned char)v;
        carry = v >> 8;
    }
    CHECK(carry == 0);
    CHECK(!bst_ed25519_verify(sig, "", 0, pub));
    /* And the small-order case with s = l instead of 0. */
    unhex(SMALL_ORDER[4], pub, 32);
    unhex(SMALL_ORDER[5], sig, 32);
    memcpy(sig + 32, L, 32);
    CHECK(!bst_ed25519_verify(sig, "Zcash", 5, pub));
}

int main(void) {
    check_init();
    for (size_t i = 0; i < sizeof VECS / sizeof VECS[0]; i++) {
        unsigned char seed[32], pub[32], secret[64], msg[2], sig[64], want[64];
        size_t mlen = strlen(VECS[i].msg) / 2;
        unhex(VECS[i].seed, seed, 32);
        unhex(VECS[i].msg, msg, mlen);
        unhex(VECS[i].sig, want, 64);

        bst_ed25519_from_seed(seed, pub, secret);
        CHECK(eq_hex(pub, VECS[i].pub));
        CHECK(memcmp(secret, seed, 32) == 0 && memcmp(secret + 32, pub, 32) == 0);
        bst_ed25519_sign(secret, msg, mlen, sig);
        CHECK(eq_hex(sig, VECS[i].sig));
        CHECK(bst_ed25519_verify(want, msg, mlen, pub));

        /* Every single-bit flip of the signature must be rejected. */
        int accepted = 0;
        for (size_t bit = 0; bit < 512; bit++) {
            unsigned char bad[64];
            memcpy(bad, want, 64);
            bad[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            accepted += bst_ed25519_verify(bad, msg, mlen, pub);
        }
        CHECK(accepted == 0);
        /* Another message, another key. */
        unsigned char other[3] = {1, 2, 3};
        CHECK(!bst_ed25519_verify(want, other, sizeof other, pub));
        unsigned char pub2[32];
        memcpy(pub2, pub, 32);
        pub2[0] ^= 1;
        CHECK(!bst_ed25519_verify(want, msg, mlen, pub2));
    }
    test_zip215_small_order();
    test_speccheck_case0();
    test_mixed_order_key();
    test_non_canonical_s();
    return check_finish("crypto/ed25519");
}
