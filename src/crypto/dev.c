/*
 * dev.c — Substrate's development accounts (//Alice, //Bob, ...): the well-known dev phrase
 * "bottom drive obey lake curtain smoke basket hold race lonely fit walk" turned into a mini
 * secret the substrate-bip39 way (PBKDF2-HMAC-SHA512 over the BIP39 *entropy*, not over the
 * phrase as plain BIP39 does), expanded as sr25519 and hard-derived with the junction //Name
 * (schnorrkel's hard_derive_mini_secret_key, as sp-core sr25519 Pair::derive does).
 */
#include <sodium.h>
#include <string.h>

#include "bastion_crypto.h"
#include "internal.h"

/* Indices of the dev phrase's twelve words in the BIP39 English word list (bitcoin/bips
 * bip-0039/english.txt, 0-based): bottom 210, drive 538, obey 1215, lake 997, curtain 433,
 * smoke 1638, basket 153, hold 868, race 1411, lonely 1053, fit 702, walk 1972.  Only these
 * are needed, so the 2048-word list is not embedded; the tests check the result end to end
 * (the mini secret and the six dev public keys). */
static const uint16_t DEV_PHRASE_INDICES[12] = {210, 538, 1215, 997,  433, 1638,
                                                153, 868, 1411, 1053, 702, 1972};

/* 12 words x 11 bits = 132 bits: 128 bits of entropy, then a 4-bit checksum (ignored: the
 * phrase is fixed). */
static void dev_entropy(uint8_t entropy[16]) {
    uint32_t acc = 0;
    unsigned bits = 0, n = 0;
    for (size_t i = 0; i < 12 && n < 16; i++) {
        acc = (acc << 11) | DEV_PHRASE_INDICES[i];
        bits += 11;
        while (bits >= 8 && n < 16) {
            bits -= 8;
            entropy[n++] = (uint8_t)(acc >> bits);
        }
        acc &= (1u << bits) - 1; /* keep only the bits not yet emitted (bits < 8) */
    }
}

/* PBKDF2-HMAC-SHA512 with one 64-byte output block (RFC 8018), on libsodium's HMAC. */
static void pbkdf2_sha512_block1(const uint8_t *pass, size_t pass_len, const uint8_t *salt,
                                 size_t salt_len, unsigned rounds, uint8_t out[64]) {
    crypto_auth_hmacsha512_state keyed, st;
    uint8_t u[64];
    static const uint8_t block_index[4] = {0, 0, 0, 1};

    crypto_auth_hmacsha512_init(&keyed, pass, pass_len);
    st = keyed;
    crypto_auth_hmacsha512_update(&st, salt, salt_len);
    crypto_auth_hmacsha512_update(&st, block_index, 4);
    crypto_auth_hmacsha512_final(&st, u);
    memcpy(out, u, 64);
    for (unsigned r = 1; r < rounds; r++) {
        st = keyed; /* reuse the keyed inner/outer state instead of rehashing the key */
        crypto_auth_hmacsha512_update(&st, u, 64);
        crypto_auth_hmacsha512_final(&st, u);
        for (size_t i = 0; i < 64; i++) {
            out[i] ^= u[i];
        }
    }
    sodium_memzero(&keyed, sizeof keyed);
    sodium_memzero(&st, sizeof st);
    sodium_memzero(u, sizeof u);
}

/* substrate-bip39 mini_secret_from_entropy(entropy, password = ""). */
static void dev_mini_secret(uint8_t mini[32]) {
    uint8_t entropy[16], seed[64];
    dev_entropy(entropy);
    pbkdf2_sha512_block1(entropy, sizeof entropy, (const uint8_t *)"mnemonic", 8, 2048, seed);
    memcpy(mini, seed, 32);
    sodium_memzero(seed, sizeof seed);
}

/* The canonical junction name of a dev account (as written in "//Alice"), NULL if unknown.
 * An if-chain instead of a table of string pointers: such a table would be relocated data. */
static bool ascii_ieq(const char *a, const char *b) {
    for (;; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
        if (x == '\0') {
            return true;
        }
    }
}

static const char *dev_junction(const char *name) {
    if (ascii_ieq(name, "alice")) return "Alice";
    if (ascii_ieq(name, "bob")) return "Bob";
    if (ascii_ieq(name, "charlie")) return "Charlie";
    if (ascii_ieq(name, "dave")) return "Dave";
    if (ascii_ieq(name, "eve")) return "Eve";
    if (ascii_ieq(name, "ferdie")) return "Ferdie";
    return NULL;
}

bool bst_dev_account(const char *name, uint8_t pub[32], uint8_t secret[64]) {
    const char *junction = name != NULL ? dev_junction(name) : NULL;
    if (junction == NULL) {
        return false;
    }
    uint8_t mini[32], root[64], cc[32];
    cry_merlin t;

    dev_mini_secret(mini);
    cry_sr25519_expand_ed25519(mini, root);

    /* DeriveJunction::hard("Name"): the SCALE encoding of the string (compact length, here a
     * single byte len << 2 since len < 64, then the bytes), zero-padded to 32 bytes. */
    size_t n = strlen(junction);
    memset(cc, 0, sizeof cc);
    cc[0] = (uint8_t)(n << 2);
    memcpy(cc + 1, junction, n);

    /* schnorrkel SecretKey::hard_derive_mini_secret_key(Some(cc), b"") */
    cry_merlin_init(&t, CRY_LIT("SchnorrRistrettoHDKD"));
    cry_merlin_append(&t, CRY_LIT("sign-bytes"), "", 0);
    cry_merlin_append(&t, CRY_LIT("chain-code"), cc, 32);
    cry_merlin_append(&t, CRY_LIT("secret-key"), root, 32);
    cry_merlin_challenge(&t, CRY_LIT("HDKD-hard"), mini, 32);

    bst_sr25519_from_seed(mini, pub, secret);
    sodium_memzero(mini, sizeof mini);
    sodium_memzero(root, sizeof root);
    sodium_memzero(&t, sizeof t);
    return true;
}
