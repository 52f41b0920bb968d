/*
 * sr25519.c — schnorrkel's Schnorr signatures over ristretto255 as Substrate uses them:
 * signing context "substrate", keys expanded with ExpansionMode::Ed25519, signatures R ++ s
 * with the marker bit sig[63] & 0x80.  Group and scalar arithmetic are libsodium's
 * ristretto255 primitives; transcripts are merlin.c.  Follows w3f/schnorrkel sign.rs,
 * keys.rs and context.rs.
 */
#include <sodium.h>
#include <string.h>

#include "bastion_crypto.h"
#include "internal.h"

/* The group order l = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t L_BYTES[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

/* s < l (schnorrkel's check_scalar / Scalar::from_canonical_bytes; also ed25519.c).  Variable
 * time is fine: only public signature scalars are checked. */
bool cry_sc25519_is_canonical(const uint8_t s[32]) {
    for (int i = 31; i >= 0; i--) {
        if (s[i] != L_BYTES[i]) {
            return s[i] < L_BYTES[i];
        }
    }
    return false; /* s == l */
}

void cry_sr25519_expand_ed25519(const uint8_t mini[32], uint8_t secret[64]) {
    uint8_t h[64];
    crypto_hash_sha512(h, mini, 32);
    /* ed25519 clamping, then divide by the cofactor 8 (schnorrkel keeps the key mod l; the
     * clamped value is a multiple of 8 below 2^255, so the quotient is < 2^252 < l). */
    h[0] &= 248;
    h[31] &= 63;
    h[31] |= 64;
    uint8_t low = 0;
    for (int i = 31; i >= 0; i--) {
        uint8_t r = h[i] & 7;
        secret[i] = (uint8_t)((h[i] >> 3) + low);
        low = (uint8_t)(r << 5);
    }
    memcpy(secret + 32, h + 32, 32);
    sodium_memzero(h, sizeof h);
}

void bst_sr25519_from_seed(const uint8_t seed[32], uint8_t pub[32], uint8_t secret[64]) {
    cry_sr25519_expand_ed25519(seed, secret);
    /* key != 0 (it is >= 2^251), so the result is never the identity and this cannot fail. */
    (void)crypto_scalarmult_ristretto255_base(pub, secret);
}

/* schnorrkel signing_context(b"substrate").bytes(msg) */
static void signing_transcript(cry_merlin *t, const void *msg, size_t len) {
    cry_merlin_init(t, CRY_LIT("SigningContext"));
    cry_merlin_append(t, CRY_LIT(""), CRY_LIT("substrate"));
    cry_merlin_append(t, CRY_LIT("sign-bytes"), msg, len);
}

static void challenge_scalar(cry_merlin *t, const void *label, size_t label_len, uint8_t k[32]) {
    uint8_t wide[64];
    cry_merlin_challenge(t, label, label_len, wide, sizeof wide);
    crypto_core_ristretto255_scalar_reduce(k, wide);
}

void bst_sr25519_sign(const uint8_t secret[64], const uint8_t pub[32], const void *msg, size_t len,
                      uint8_t sig[64]) {
    cry_merlin t;
    uint8_t wide[64], r[32], k[32], kx[32];

    signing_transcript(&t, msg, len);
    cry_merlin_append(&t, CRY_LIT("proto-name"), CRY_LIT("Schnorr-sig"));
    cry_merlin_append(&t, CRY_LIT("sign:pk"), pub, 32);
    /* witness_scalar(b"signing", &[&nonce]) */
    cry_merlin_witness_bytes(&t, CRY_LIT("signing"), secret + 32, 32, wide, sizeof wide);
    crypto_core_ristretto255_scalar_reduce(r, wide);
    /* r = 0 has probability 2^-252; its R would be the identity, still a valid signature. */
    if (crypto_scalarmult_ristretto255_base(sig, r) != 0) {
        memset(sig, 0, 32);
    }
    cry_merlin_append(&t, CRY_LIT("sign:R"), sig, 32);
    challenge_scalar(&t, CRY_LIT("sign:c"), k);
    crypto_core_ristretto255_scalar_mul(kx, k, secret);
    crypto_core_ristretto255_scalar_add(sig + 32, kx, r);
    sig[63] |= 0x80;
    sodium_memzero(wide, sizeof wide);
    sodium_memzero(r, sizeof r);
    sodium_memzero(kx, sizeof kx);
    sodium_memzero(&t, sizeof t);
}

/* R == s*B - k*A, compared as encodings (schnorrkel never decompresses R). */
static bool check_equation(const uint8_t k[32], const uint8_t pub[32], const uint8_t R[32],
                           const uint8_t s[32]) {
    uint8_t sb[32], ka[32], rr[32];
    /* Both products return -1 only for the identity (inputs are valid), whose encoding is all
     * zeros: normalise to it. */
    if (crypto_scalarmult_ristretto255_base(sb, s) != 0) {
        memset(sb, 0, 32);
    }
    if (crypto_scalarmult_ristretto255(ka, k, pub) != 0) {
        memset(ka, 0, 32);
    }
    if (crypto_core_ristretto255_sub(rr, sb, ka) != 0) {
        return false;
    }
    return sodium_memcmp(rr, R, 32) == 0;
}

/* Splits a marked signature into R and the canonical scalar s; false if unmarked or s >= l. */
static bool parse_sig(const uint8_t sig[64], uint8_t s[32]) {
    if ((sig[63] & 0x80) == 0) {
        return false;
    }
    memcpy(s, sig + 32, 32);
    s[31] &= 0x7f;
    return cry_sc25519_is_canonical(s);
}

bool bst_sr25519_verify(const uint8_t sig[64], const void *msg, size_t len, const uint8_t pub[32]) {
    uint8_t s[32], k[32];
    cry_merlin t;
    if (!crypto_core_ristretto255_is_valid_point(pub) || !parse_sig(sig, s)) {
        return false;
    }
    signing_transcript(&t, msg, len);
    cry_merlin_append(&t, CRY_LIT("proto-name"), CRY_LIT("Schnorr-sig"));
    cry_merlin_append(&t, CRY_LIT("sign:pk"), pub, 32);
    cry_merlin_append(&t, CRY_LIT("sign:R"), sig, 32);
    challenge_scalar(&t, CRY_LIT("sign:c"), k);
    return check_equation(k, pub, sig, s);
}

bool bst_sr25519_verify_deprecated(const uint8_t sig[64], const void *msg, size_t len,
                                   const uint8_t pub[32]) {
    uint8_t s[32], k[32], marked[64];
    cry_merlin t;
    if (!crypto_core_ristretto255_is_valid_point(pub)) {
        return false;
    }
    /* schnorrkel verify_simple_preaudit_deprecated: a signature that parses as a current one
     * is judged by the current rules only. */
    if (parse_sig(sig, s)) {
        return bst_sr25519_verify(sig, msg, len, pub);
    }
    /* Otherwise the schnorrkel 0.1.1 scheme: the signature without its marker bit, and the
     * pre-audit transcript (labelled by the context itself, "pk"/"no", empty challenge label). */
    memcpy(marked, sig, 64);
    marked[63] |= 0x80;
    if (!parse_sig(marked, s)) {
        return false;
    }
    cry_merlin_init(&t, CRY_LIT("substrate"));
    cry_merlin_append(&t, CRY_LIT("sign-bytes"), msg, len);
    cry_merlin_append(&t, CRY_LIT("proto-name"), CRY_LIT("Schnorr-sig"));
    cry_merlin_append(&t, CRY_LIT("pk"), pub, 32);
    cry_merlin_append(&t, CRY_LIT("no"), sig, 32);
    challenge_scalar(&t, CRY_LIT(""), k);
    return check_equation(k, pub, sig, s);
}

/* ---- hierarchical deterministic key derivation (schnorrkel derive.rs) --------------------- */

void cry_sr25519_hard_derive(const uint8_t secret[64], const uint8_t cc[32], uint8_t mini[32]) {
    /* SecretKey::hard_derive_mini_secret_key(Some(cc), b""): the key scalar, not the nonce. */
    cry_merlin t;
    cry_merlin_init(&t, CRY_LIT("SchnorrRistrettoHDKD"));
    cry_merlin_append(&t, CRY_LIT("sign-bytes"), "", 0);
    cry_merlin_append(&t, CRY_LIT("chain-code"), cc, 32);
    cry_merlin_append(&t, CRY_LIT("secret-key"), secret, 32);
    cry_merlin_challenge(&t, CRY_LIT("HDKD-hard"), mini, 32);
    sodium_memzero(&t, sizeof t);
}

void cry_sr25519_soft_derive(uint8_t secret[64], uint8_t pub[32], const uint8_t cc[32]) {
    /* SecretKey::derived_key_simple(cc, b""): the transcript binds the chain code and the
     * *public* key, so the public side can derive the same child (key + s)*B = pub + s*B. */
    cry_merlin t;
    uint8_t s[32], nonce[32];
    cry_merlin_init(&t, CRY_LIT("SchnorrRistrettoHDKD"));
    cry_merlin_append(&t, CRY_LIT("sign-bytes"), "", 0);
    cry_merlin_append(&t, CRY_LIT("chain-code"), cc, 32);
    cry_merlin_append(&t, CRY_LIT("public-key"), pub, 32);
    challenge_scalar(&t, CRY_LIT("HDKD-scalar"), s);
    cry_merlin_witness_bytes(&t, CRY_LIT("HDKD-nonce"), secret + 32, 32, nonce, sizeof nonce);
    crypto_core_ristretto255_scalar_add(secret, secret, s);
    memcpy(secret + 32, nonce, 32);
    /* The child scalar is zero with probability 2^-252; its public key is then the identity. */
    if (crypto_scalarmult_ristretto255_base(pub, secret) != 0) {
        memset(pub, 0, 32);
    }
    sodium_memzero(s, sizeof s);
    sodium_memzero(nonce, sizeof nonce);
    sodium_memzero(&t, sizeof t);
}
