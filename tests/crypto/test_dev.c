/*
 * test_dev.c — Substrate's development accounts (CTest crypto/dev): the sr25519 public keys of
 * //Alice .. //Ferdie as every Substrate chain spec and `subkey inspect //Name` show them.
 * This exercises BIP39 entropy, PBKDF2, key expansion, merlin-based hard derivation and
 * ristretto255 end to end.  The keys also sign and verify.
 */
#include <ctype.h>

#include "hex.h"

static const struct {
    const char *name, *pub;
} DEV[] = {
    {"alice", "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"},
    {"bob", "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"},
    {"charlie", "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22"},
    {"dave", "306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20"},
    {"eve", "e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e"},
    {"ferdie", "1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c"},
};

int main(void) {
    check_init();
    unsigned char pub[32], secret[64], pub2[32], secret2[64], sig[64];
    for (size_t i = 0; i < sizeof DEV / sizeof DEV[0]; i++) {
        memset(pub, 0, 32);
        CHECK(bst_dev_account(DEV[i].name, pub, secret));
        CHECK(eq_hex(pub, DEV[i].pub));
        /* Case-insensitive: "Alice", "ALICE". */
        char upper[16];
        size_t n = strlen(DEV[i].name);
        for (size_t j = 0; j <= n; j++) {
            upper[j] = (char)toupper((unsigned char)DEV[i].name[j]);
        }
        CHECK(bst_dev_account(upper, pub2, secret2));
        CHECK(memcmp(pub, pub2, 32) == 0 && memcmp(secret, secret2, 64) == 0);
        bst_sr25519_sign(secret, pub, "dev", 3, sig);
        CHECK(bst_sr25519_verify(sig, "dev", 3, pub));
    }
    CHECK(!bst_dev_account("mallory", pub, secret));
    CHECK(!bst_dev_account("alic", pub, secret));
    CHECK(!bst_dev_account("alicee", pub, secret));
    CHECK(!bst_dev_account("", pub, secret));
    CHECK(!bst_dev_account(NULL, pub, secret));
    return check_finish("crypto/dev");
}
