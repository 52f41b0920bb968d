/*
 * keccak.c — Keccak-f[1600] on a byte-addressed state (nettle's sha3_permute does the
 * permutation; this file only converts between bytes and 64-bit lanes) and the one-shot
 * sponge behind bst_keccak_256.  nettle only offers SHA-3 (0x06 padding); Ethereum and
 * Substrate need the original Keccak padding (0x01), hence the sponge here.
 */
#include "internal.h"

#include <nettle/sha3.h>
#include <string.h>

#include "bastion_crypto.h"

void cry_keccak_f1600(uint8_t state[200]) {
    struct sha3_state s;
    /* Lanes are little-endian by definition of Keccak; assemble them byte by byte so the
     * code is independent of host endianness and never does an unaligned load. */
    for (size_t i = 0; i < 25; i++) {
        uint64_t lane = 0;
        for (size_t b = 0; b < 8; b++) {
            lane |= (uint64_t)state[8 * i + b] << (8 * b);
        }
        s.a[i] = lane;
    }
    sha3_permute(&s);
    for (size_t i = 0; i < 25; i++) {
        for (size_t b = 0; b < 8; b++) {
            state[8 * i + b] = (uint8_t)(s.a[i] >> (8 * b));
        }
    }
}

void cry_keccak_sponge(size_t rate, uint8_t pad, const void *data, size_t len, uint8_t *out,
                       size_t out_len) {
    uint8_t st[200];
    const uint8_t *p = data;
    memset(st, 0, sizeof st);
    while (len >= rate) {
        for (size_t i = 0; i < rate; i++) {
            st[i] ^= p[i];
        }
        cry_keccak_f1600(st);
        p += rate;
        len -= rate;
    }
    for (size_t i = 0; i < len; i++) {
        st[i] ^= p[i];
    }
    /* pad10*1: the domain byte at the first free position, 0x80 at the last rate byte (they
     * may coincide, then both bits are set). */
    st[len] ^= pad;
    st[rate - 1] ^= 0x80;
    cry_keccak_f1600(st);
    memcpy(out, st, out_len);
}

void bst_keccak_256(const void *data, size_t len, uint8_t out[32]) {
    cry_keccak_sponge(136, 0x01, data, len, out, 32);
}

void bst_keccak_512(const void *data, size_t len, uint8_t out[64]) {
    cry_keccak_sponge(72, 0x01, data, len, out, 64);
}
