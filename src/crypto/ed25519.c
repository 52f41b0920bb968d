/*
 * ed25519.c — Ed25519 (RFC 8032) on libsodium.  Verification is libsodium's, which is
 * stricter than the ed25519-zebra (ZIP 215) rules Substrate's host uses: it rejects small-order
 * public keys and R, and non-canonical encodings that zebra accepts.  Signatures made by honest
 * signers verify under both; crafted edge cases may not (a consensus caveat for the host).
 */
#include <sodium.h>

#include "bastion_crypto.h"

void bst_ed25519_from_seed(const uint8_t seed[32], uint8_t pub[32], uint8_t secret[64])
{
    crypto_sign_ed25519_seed_keypair(pub, secret, seed);
}

void bst_ed25519_sign(const uint8_t secret[64], const void *msg, size_t len, uint8_t sig[64])
{
    crypto_sign_ed25519_detached(sig, NULL, msg, len, secret);
}

bool bst_ed25519_verify(const uint8_t sig[64], const void *msg, size_t len, const uint8_t pub[32])
{
    return crypto_sign_ed25519_verify_detached(sig, msg, len, pub) == 0;
}
