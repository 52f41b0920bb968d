/*
 * test_ed25519.c — RFC 8032 section 7.1 test vectors 1-3 (key pair from seed, deterministic
 * signature, verification) and rejection of tampered signatures, messages and keys (CTest
 * crypto/ed25519).
 */
#include "check.h"

struct vec {
    const char *seed, *pub, *msg, *sig;
};

static const struct vec VECS[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

int main(void)
{
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
    return check_done("crypto/ed25519");
}
