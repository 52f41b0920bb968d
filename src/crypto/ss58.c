/*
 * ss58.c — SS58 addresses (Substrate's Base58Check variant): the network prefix in one or two
 * bytes, the data, and two checksum bytes from BLAKE2b-512("SS58PRE" ++ prefix ++ data), all in
 * Bitcoin's Base58 alphabet.
 */
#include <string.h>

#include "bastion_crypto.h"

static const char ALPHABET[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* The largest payload: two prefix bytes, 64 data bytes, two checksum bytes. */
#define PAYLOAD_MAX 68

static void checksum(const uint8_t *payload, size_t n, uint8_t out[2]) {
    uint8_t h[64];
    bst_blake2b_state st;
    bst_blake2b_init(&st, 64);
    bst_blake2b_update(&st, "SS58PRE", 7);
    bst_blake2b_update(&st, payload, n);
    bst_blake2b_final(&st, h);
    out[0] = h[0];
    out[1] = h[1];
}

/* The prefix bytes of a network id (sp-core to_ss58check_with_version). */
static size_t encode_prefix(uint16_t id, uint8_t out[2]) {
    if (id < 64) {
        out[0] = (uint8_t)id;
        return 1;
    }
    out[0] = (uint8_t)(((id & 0xfc) >> 2) | 0x40);
    out[1] = (uint8_t)((id >> 8) | ((id & 0x03) << 6));
    return 2;
}

bool bst_ss58_encode(const uint8_t *data, size_t len, uint16_t prefix, char *out, size_t out_size) {
    uint8_t payload[PAYLOAD_MAX];
    if (prefix > 16383 || len == 0 || len > 64 || out_size == 0) {
        return false;
    }
    size_t n = encode_prefix(prefix, payload);
    memcpy(payload + n, data, len);
    n += len;
    checksum(payload, n, payload + n);
    n += 2;

    /* Base58: repeated division of the big-endian number by 58, digits least significant
     * first; each leading zero byte is a leading '1'. */
    uint8_t digits[PAYLOAD_MAX * 138 / 100 + 1];
    size_t nd = 0, zeros = 0;
    while (zeros < n && payload[zeros] == 0) {
        zeros++;
    }
    for (size_t i = zeros; i < n; i++) {
        unsigned carry = payload[i];
        for (size_t j = 0; j < nd; j++) {
            carry += (unsigned)digits[j] << 8;
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits[nd++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    if (zeros + nd + 1 > out_size) {
        return false;
    }
    size_t o = 0;
    for (size_t i = 0; i < zeros; i++) {
        out[o++] = '1';
    }
    while (nd > 0) {
        out[o++] = ALPHABET[digits[--nd]];
    }
    out[o] = '\0';
    return true;
}

bool bst_ss58_decode(const char *s, uint8_t *data, size_t len, uint16_t *prefix) {
    uint8_t bytes[PAYLOAD_MAX + 1];
    size_t nb = 0, zeros = 0;
    if (len == 0 || len > 64) {
        return false;
    }
    while (s[zeros] == '1') {
        zeros++;
    }
    for (const char *p = s + zeros; *p != '\0'; p++) {
        const char *at = strchr(ALPHABET, *p);
        if (at == NULL) {
            return false;
        }
        unsigned carry = (unsigned)(at - ALPHABET);
        for (size_t j = 0; j < nb; j++) {
            carry += (unsigned)bytes[j] * 58;
            bytes[j] = (uint8_t)carry;
            carry >>= 8;
        }
        while (carry > 0) {
            if (nb == sizeof bytes) {
                return false;
            }
            bytes[nb++] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    size_t n = zeros + nb;
    if (n > PAYLOAD_MAX) {
        return false;
    }
    uint8_t payload[PAYLOAD_MAX];
    memset(payload, 0, zeros);
    for (size_t i = 0; i < nb; i++) {
        payload[zeros + i] = bytes[nb - 1 - i];
    }
    size_t plen;
    uint16_t id;
    if (n >= 1 && payload[0] < 64) {
        plen = 1;
        id = payload[0];
    } else if (n >= 2 && payload[0] < 128) {
        plen = 2;
        uint8_t lower = (uint8_t)((payload[0] << 2) | (payload[1] >> 6));
        id = (uint16_t)(lower | ((payload[1] & 0x3f) << 8));
    } else {
        return false;
    }
    if (n != plen + len + 2) {
        return false;
    }
    uint8_t sum[2];
    checksum(payload, plen + len, sum);
    if (sum[0] != payload[plen + len] || sum[1] != payload[plen + len + 1]) {
        return false;
    }
    memcpy(data, payload + plen, len);
    *prefix = id;
    return true;
}
