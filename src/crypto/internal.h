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

#endif /* BASTION_CRYPTO_INTERNAL_H */
