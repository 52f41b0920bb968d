/*
 * bip39.c — BIP39 mnemonics as Substrate reads them: the words back to their entropy (the
 * English list comes from the build, see cmake/crypto.cmake), and PBKDF2-HMAC-SHA512 on
 * libsodium's HMAC, which substrate-bip39 runs over that entropy (not over the phrase, as plain
 * BIP39 seeds do) to make a mini secret key.
 */
#include <sodium.h>
#include <string.h>

#include "bastion_crypto.h"
#include "internal.h"

void cry_pbkdf2_sha512(const uint8_t *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                       unsigned rounds, uint8_t out[64]) {
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

/* The index of word w[0..n) in the sorted list, or -1 (binary search). */
static int word_index(const char *w, size_t n) {
    if (n == 0 || n > 8) {
        return -1;
    }
    char key[9] = {0};
    memcpy(key, w, n);
    int lo = 0, hi = 2047;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strncmp(key, cry_bip39_english[mid], 9);
        if (c == 0) {
            return mid;
        }
        if (c < 0) {
            hi = mid - 1;
        } else {
            lo = mid + 1;
        }
    }
    return -1;
}

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool cry_bip39_entropy(const char *phrase, size_t len, uint8_t entropy[32], size_t *n) {
    /* 24 words x 11 bits = 264 bits = 33 bytes: the entropy, then its checksum bits. */
    uint8_t bits[33];
    size_t words = 0, i = 0;
    memset(bits, 0, sizeof bits);
    while (i < len) {
        if (is_space(phrase[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && !is_space(phrase[i])) {
            i++;
        }
        int idx = word_index(phrase + start, i - start);
        if (idx < 0 || words == 24) {
            sodium_memzero(bits, sizeof bits);
            return false;
        }
        for (unsigned b = 0; b < 11; b++) {
            size_t pos = words * 11 + b;
            if ((unsigned)idx & (1u << (10 - b))) {
                bits[pos / 8] |= (uint8_t)(0x80u >> (pos % 8));
            }
        }
        words++;
    }
    bool ok = words >= 12 && words % 3 == 0;
    if (ok) {
        /* ENT + ENT/32 = 11 * words bits, so ENT = 32 * words / 3 and the checksum is the first
         * ENT/32 bits of SHA-256(entropy). */
        size_t ent_bytes = words * 4 / 3, cs_bits = words / 3;
        uint8_t h[32];
        crypto_hash_sha256(h, bits, ent_bytes);
        uint8_t mask = (uint8_t)(0xffu << (8 - cs_bits));
        ok = ((h[0] ^ bits[ent_bytes]) & mask) == 0;
        if (ok) {
            memcpy(entropy, bits, ent_bytes);
            *n = ent_bytes;
        }
    }
    sodium_memzero(bits, sizeof bits);
    return ok;
}
