/*
 * internal.h — helpers shared inside src/crypto only (not part of the public API): the
 * Keccak-f[1600] permutation on a byte state, a parameterised Keccak sponge, and merlin
 * transcripts (STROBE-128), which schnorrkel (sr25519) builds everything on.  Internal names
 * carry the crypto layer's private prefix `cry_` (`bst_` is the public API's) and are hidden.
 */
#ifndef BASTION_CRYPTO_INTERNAL_H
#define BASTION_CRYPTO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keccak-f[1600] over a 200-byte state in the standard byte order (lane i = bytes 8i..8i+7,
 * little-endian), via nettle's sha3_permute. */
void cry_keccak_f1600(uint8_t state[200]);

/* One-shot Keccak sponge: rate in bytes (< 200), domain padding byte (0x01 for original
 * Keccak, 0x06 for SHA-3), output up to rate bytes.  Exposed so the tests can check the
 * absorb/pad logic against nettle's SHA3-256 for every block boundary. */
void cry_keccak_sponge(size_t rate, uint8_t pad, const void *data, size_t len, uint8_t *out,
                       size_t out_len);

/* ---- STROBE-128 / merlin (the byte-level protocol of dalek-cryptography/merlin) ---------- */

typedef struct cry_strobe {
    uint8_t st[200];
    uint8_t pos;
    uint8_t pos_begin;
    uint8_t cur_flags;
} cry_strobe;

typedef struct cry_merlin {
    cry_strobe strobe;
} cry_merlin;

void cry_merlin_init(cry_merlin *t, const void *label, size_t label_len);
void cry_merlin_append(cry_merlin *t, const void *label, size_t label_len, const void *msg,
                       size_t msg_len);
void cry_merlin_challenge(cry_merlin *t, const void *label, size_t label_len, uint8_t *out,
                          size_t out_len);
/* merlin's TranscriptRngBuilder: rekey_with_witness_bytes(label, witness) then finalize with
 * 32 bytes of fresh randomness, then fill_bytes(out).  Works on a copy: t is unchanged. */
void cry_merlin_witness_bytes(const cry_merlin *t, const void *label, size_t label_len,
                              const uint8_t *witness, size_t witness_len, uint8_t *out,
                              size_t out_len);

/* C string literal with its length, without the terminating NUL. */
#define CRY_LIT(s) (s), (sizeof(s) - 1)

/* s < l, the order of the ed25519/ristretto255 prime-order group (s little-endian). */
bool cry_sc25519_is_canonical(const uint8_t s[32]);

/* sr25519 key expansion (schnorrkel ExpansionMode::Ed25519) from a 32-byte mini secret. */
void cry_sr25519_expand_ed25519(const uint8_t mini[32], uint8_t secret[64]);

/* schnorrkel hierarchical derivation (sr25519.c).  Hard: the new mini secret from a secret key
 * (scalar ++ nonce) and a 32-byte chain code.  Soft: secret and pub replaced in place by the
 * child key (the nonce is fresh: schnorrkel leaves it unspecified, it only protects signing). */
void cry_sr25519_hard_derive(const uint8_t secret[64], const uint8_t cc[32], uint8_t mini[32]);
void cry_sr25519_soft_derive(uint8_t secret[64], uint8_t pub[32], const uint8_t cc[32]);

/* ---- BIP39 mnemonics (bip39.c; the word list is generated at build time) ------------------- */

/* The BIP39 English word list, sorted, each word NUL-padded to 9 bytes. */
extern const char cry_bip39_english[2048][9];

/* The entropy (16..32 bytes, *n) of a mnemonic of 12, 15, 18, 21 or 24 English words separated
 * by ASCII white space; false for an unknown word, a bad count or a bad checksum. */
bool cry_bip39_entropy(const char *phrase, size_t len, uint8_t entropy[32], size_t *n);

/* PBKDF2-HMAC-SHA512 (RFC 8018) with one 64-byte output block. */
void cry_pbkdf2_sha512(const uint8_t *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                       unsigned rounds, uint8_t out[64]);

#endif /* BASTION_CRYPTO_INTERNAL_H */
