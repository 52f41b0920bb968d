/*
 * encoding.c — what signed modules and minisign keys need besides hashes and Ed25519, on
 * libsodium so that no other layer includes its header: constant-time comparison, scrypt
 * (scryptsalsa208sha256, minisign's key-encryption KDF) and base64.
 */
#include <sodium.h>

#include "bastion_crypto.h"

_Static_assert(BST_SCRYPT_OPSLIMIT_SENSITIVE ==
                   crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE,
               "scrypt opslimit differs from libsodium's");
_Static_assert(BST_SCRYPT_MEMLIMIT_SENSITIVE ==
                   crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE,
               "scrypt memlimit differs from libsodium's");

bool bst_ct_equal(const void *a, const void *b, size_t n) { return sodium_memcmp(a, b, n) == 0; }

bool bst_scrypt_salsa208_sha256(uint8_t *out, size_t out_len, const void *password,
                                size_t password_len, const uint8_t salt[32], uint64_t opslimit,
                                size_t memlimit) {
    return crypto_pwhash_scryptsalsa208sha256(out, out_len, password, password_len, salt,
                                              (unsigned long long)opslimit, memlimit) == 0;
}

size_t bst_base64_len(size_t n) {
    return sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1;
}

void bst_base64_encode(char *out, const void *in, size_t n) {
    sodium_bin2base64(out, bst_base64_len(n) + 1, in, n, sodium_base64_VARIANT_ORIGINAL);
}

bool bst_base64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *in, size_t len) {
    /* b64_end NULL: the whole text must be base64, nothing may follow it. */
    return sodium_base642bin(out, cap, in, len, NULL, out_len, NULL,
                             sodium_base64_VARIANT_ORIGINAL) == 0;
}
