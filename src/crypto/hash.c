/*
 * hash.c — the hash functions of Substrate's sp-io hashing interface except Keccak
 * (keccak.c): BLAKE2b and SHA-256 from libsodium, twox (XXH64) from libxxhash; also
 * bst_crypto_init (libsodium's one-time initialisation), incremental BLAKE2b, random bytes and
 * secure wiping (libsodium's, so the other layers need not include its header).
 */
#include <sodium.h>
#include <stdalign.h>
#include <xxhash.h>

#include "bastion_crypto.h"

bool bst_crypto_init(void) {
    /* sodium_init returns 0 on first success, 1 when already initialised, -1 on failure. */
    return sodium_init() >= 0;
}

void bst_blake2b(uint8_t *out, size_t out_len, const void *data, size_t len) {
    /* out_len is 1..64 (crypto_generichash_BYTES_MIN is 16, but the primitive itself accepts
     * any length from 1; use the _blake2b entry point that does). */
    crypto_generichash_blake2b(out, out_len, data, len, NULL, 0);
}

/* bst_blake2b_state holds libsodium's state in place: it must be large and aligned enough. */
_Static_assert(sizeof(((bst_blake2b_state *)0)->opaque_) >=
                   sizeof(crypto_generichash_blake2b_state),
               "bst_blake2b_state too small for libsodium's BLAKE2b state");
_Static_assert(alignof(bst_blake2b_state) >= alignof(crypto_generichash_blake2b_state),
               "bst_blake2b_state less aligned than libsodium's BLAKE2b state");

static crypto_generichash_blake2b_state *sodium_state(bst_blake2b_state *st) {
    return (crypto_generichash_blake2b_state *)(void *)st->opaque_;
}

void bst_blake2b_init(bst_blake2b_state *st, size_t out_len) {
    st->out_len_ = out_len;
    crypto_generichash_blake2b_init(sodium_state(st), NULL, 0, out_len);
}

void bst_blake2b_update(bst_blake2b_state *st, const void *data, size_t len) {
    crypto_generichash_blake2b_update(sodium_state(st), data, len);
}

void bst_blake2b_final(bst_blake2b_state *st, uint8_t *out) {
    crypto_generichash_blake2b_final(sodium_state(st), out, st->out_len_);
}

void bst_random_bytes(void *buf, size_t n) { randombytes_buf(buf, n); }

void bst_secure_wipe(void *buf, size_t n) { sodium_memzero(buf, n); }

void bst_blake2_128(const void *data, size_t len, uint8_t out[16]) {
    crypto_generichash_blake2b(out, 16, data, len, NULL, 0);
}

void bst_blake2_256(const void *data, size_t len, uint8_t out[32]) {
    crypto_generichash_blake2b(out, 32, data, len, NULL, 0);
}

/* n consecutive XXH64 digests with seeds 0..n-1, each written little-endian: Substrate's
 * twox_64/128/256. */
static void twox(const void *data, size_t len, uint8_t *out, unsigned n) {
    for (unsigned seed = 0; seed < n; seed++) {
        XXH64_hash_t h = XXH64(data, len, seed);
        for (unsigned b = 0; b < 8; b++) {
            out[8 * seed + b] = (uint8_t)(h >> (8 * b));
        }
    }
}

void bst_twox_64(const void *data, size_t len, uint8_t out[8]) { twox(data, len, out, 1); }
void bst_twox_128(const void *data, size_t len, uint8_t out[16]) { twox(data, len, out, 2); }
void bst_twox_256(const void *data, size_t len, uint8_t out[32]) { twox(data, len, out, 4); }

void bst_sha2_256(const void *data, size_t len, uint8_t out[32]) {
    crypto_hash_sha256(out, data, len);
}

/* bst_sha256_state holds libsodium's state in place (a plain struct: copying it by value copies
 * the hash, which the rolling hash of module signatures relies on). */
_Static_assert(sizeof(((bst_sha256_state *)0)->opaque_) >= sizeof(crypto_hash_sha256_state),
               "bst_sha256_state too small for libsodium's SHA-256 state");
_Static_assert(alignof(bst_sha256_state) >= alignof(crypto_hash_sha256_state),
               "bst_sha256_state less aligned than libsodium's SHA-256 state");

static crypto_hash_sha256_state *sha256_state(bst_sha256_state *st) {
    return (crypto_hash_sha256_state *)(void *)st->opaque_;
}

void bst_sha256_init(bst_sha256_state *st) { crypto_hash_sha256_init(sha256_state(st)); }

void bst_sha256_update(bst_sha256_state *st, const void *data, size_t len) {
    crypto_hash_sha256_update(sha256_state(st), data, len);
}

void bst_sha256_final(bst_sha256_state *st, uint8_t out[32]) {
    crypto_hash_sha256_final(sha256_state(st), out);
}
