/*
 * ed25519.c — Ed25519 (RFC 8032) on libsodium: key pairs and signing are libsodium's;
 * verification follows Substrate, whose sp-core uses ed25519-zebra (ZIP 215 rules), because a
 * host that rejects a signature Substrate accepts (or the reverse) splits consensus.
 *
 * libsodium's own verifier is stricter (canonical encodings, no small-order A or R, cofactorless
 * equation), and whatever it accepts ZIP 215 accepts too, so it serves as the fast path; only
 * signatures it rejects are re-checked with the ZIP 215 equation, computed with libsodium's
 * point arithmetic: crypto_core_ed25519_add/sub only require points on the curve (any order, any
 * encoding of y), and 8A lies in the prime-order subgroup, where crypto_scalarmult works.
 */
#include <sodium.h>
#include <string.h>

#include "bastion_crypto.h"
#include "internal.h"

void bst_ed25519_from_seed(const uint8_t seed[32], uint8_t pub[32], uint8_t secret[64]) {
    crypto_sign_ed25519_seed_keypair(pub, secret, seed);
}

void bst_ed25519_sign(const uint8_t secret[64], const void *msg, size_t len, uint8_t sig[64]) {
    crypto_sign_ed25519_detached(sig, NULL, msg, len, secret);
}

bool bst_ed25519_verify_strict(const uint8_t sig[64], const void *msg, size_t len,
                               const uint8_t pub[32]) {
    return crypto_sign_ed25519_verify_detached(sig, msg, len, pub) == 0;
}

/* The encoding of the identity (x = 0, y = 1). */
static const uint8_t ED_IDENTITY[32] = {1};

/* out = 8P; false if p does not decode to a curve point. */
static bool mul_by_cofactor(uint8_t out[32], const uint8_t p[32]) {
    uint8_t t[32];
    if (crypto_core_ed25519_add(t, p, p) != 0 || crypto_core_ed25519_add(out, t, t) != 0 ||
        crypto_core_ed25519_add(t, out, out) != 0) {
        return false;
    }
    memcpy(out, t, 32);
    return true;
}

static bool verify_zip215(const uint8_t sig[64], const void *msg, size_t len,
                          const uint8_t pub[32]) {
    const uint8_t *R = sig, *S = sig + 32;
    uint8_t wide[64], k[32], sb[32], t[32], t8[32], a8[32], ka8[32];
    crypto_hash_sha512_state h;

    if (!cry_sc25519_is_canonical(S)) {
        return false;
    }
    /* k = SHA-512(R || A || M) mod l, over the encodings as given (canonical or not). */
    crypto_hash_sha512_init(&h);
    crypto_hash_sha512_update(&h, R, 32);
    crypto_hash_sha512_update(&h, pub, 32);
    crypto_hash_sha512_update(&h, msg, len);
    crypto_hash_sha512_final(&h, wide);
    crypto_core_ed25519_scalar_reduce(k, wide);

    /* [8](sB - R) == [k](8A).  The scalar multiplications return -1 exactly when the result is
     * the identity (s = 0, or 8A the identity, or k = 0): use the identity's encoding then. */
    if (crypto_scalarmult_ed25519_base_noclamp(sb, S) != 0) {
        memcpy(sb, ED_IDENTITY, 32);
    }
    if (crypto_core_ed25519_sub(t, sb, R) != 0 || !mul_by_cofactor(t8, t)) {
        return false; /* R is not a curve point */
    }
    if (!mul_by_cofactor(a8, pub)) {
        return false; /* A is not a curve point */
    }
    if (crypto_scalarmult_ed25519_noclamp(ka8, k, a8) != 0) {
        memcpy(ka8, ED_IDENTITY, 32);
    }
    /* Both sides are canonical encodings (outputs of libsodium's point encoder). */
    return memcmp(t8, ka8, 32) == 0;
}

bool bst_ed25519_verify(const uint8_t sig[64], const void *msg, size_t len, const uint8_t pub[32]) {
    if (crypto_sign_ed25519_verify_detached(sig, msg, len, pub) == 0) {
        return true;
    }
    return verify_zip215(sig, msg, len, pub);
}
