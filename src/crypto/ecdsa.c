/*
 * ecdsa.c — ECDSA over secp256k1 with public-key recovery, on libsecp256k1 (0.2.0): the
 * semantics of Substrate's sp-io secp256k1_ecdsa_recover{,_compressed} versions 1 and 2 and of
 * sp-core's ecdsa::Pair, and the Ethereum address of a key.  No global context: parsing,
 * recovery and serialisation use the read-only secp256k1_context_static; signing and key
 * creation need a context with the generator tables enabled, so they create (and destroy) one
 * per call.
 */
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>
#include <string.h>

#include "bastion_crypto.h"

/* The curve order n, big-endian. */
static const uint8_t N_BYTES[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

/* x mod n for a 256-bit big-endian x: since x < 2^256 < 2n, one conditional subtraction.  This
 * is what the libsecp256k1 Rust crate's parse_overflowing did to r and s (Scalar::set_b32). */
static void reduce_mod_n(uint8_t x[32]) {
    int ge = 1; /* x >= n until a differing byte says otherwise */
    for (int i = 0; i < 32; i++) {
        if (x[i] != N_BYTES[i]) {
            ge = x[i] > N_BYTES[i];
            break;
        }
    }
    if (!ge) {
        return;
    }
    unsigned borrow = 0;
    for (int i = 31; i >= 0; i--) {
        unsigned d = (unsigned)x[i] - N_BYTES[i] - borrow;
        x[i] = (uint8_t)d;
        borrow = (d >> 8) & 1;
    }
}

static bst_ecdsa_error recover(const uint8_t sig[65], const uint8_t msg_hash[32], bool strict,
                               secp256k1_pubkey *pk) {
    /* sp-io: v = sig[64], minus 27 when above 26 (Ethereum style); recovery ids are 0..3. */
    int v = sig[64] > 26 ? sig[64] - 27 : sig[64];
    if (v > 3) {
        return BST_ECDSA_BAD_V;
    }
    uint8_t rs[64];
    memcpy(rs, sig, 64);
    if (!strict) {
        /* Version 1 accepted r, s >= n by reducing them; r or s reducing to zero then fails
         * recovery (BadSignature), as it did in the Rust crate. */
        reduce_mod_n(rs);
        reduce_mod_n(rs + 32);
    }
    secp256k1_ecdsa_recoverable_signature rsig;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &rsig, rs,
                                                             v)) {
        return BST_ECDSA_BAD_RS;
    }
    if (!secp256k1_ecdsa_recover(secp256k1_context_static, pk, &rsig, msg_hash)) {
        return BST_ECDSA_BAD_SIGNATURE;
    }
    return BST_ECDSA_OK;
}

bst_ecdsa_error bst_secp256k1_recover(const uint8_t sig[65], const uint8_t msg_hash[32],
                                      bool strict, uint8_t pub64[64]) {
    secp256k1_pubkey pk;
    bst_ecdsa_error e = recover(sig, msg_hash, strict, &pk);
    if (e == BST_ECDSA_OK) {
        uint8_t out[65];
        size_t n = sizeof out;
        secp256k1_ec_pubkey_serialize(secp256k1_context_static, out, &n, &pk,
                                      SECP256K1_EC_UNCOMPRESSED);
        memcpy(pub64, out + 1, 64);
    }
    return e;
}

bst_ecdsa_error bst_secp256k1_recover_compressed(const uint8_t sig[65], const uint8_t msg_hash[32],
                                                 bool strict, uint8_t pub33[33]) {
    secp256k1_pubkey pk;
    bst_ecdsa_error e = recover(sig, msg_hash, strict, &pk);
    if (e == BST_ECDSA_OK) {
        size_t n = 33;
        secp256k1_ec_pubkey_serialize(secp256k1_context_static, pub33, &n, &pk,
                                      SECP256K1_EC_COMPRESSED);
    }
    return e;
}

/* A context for using the secret key seed, randomised against side channels (blinding of the
 * generator tables); NULL when seed is not a valid secret key, or out of memory. */
static secp256k1_context *signing_context(const uint8_t seed[32]) {
    if (!secp256k1_ec_seckey_verify(secp256k1_context_static, seed)) {
        return NULL;
    }
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (ctx != NULL) {
        uint8_t blinding[32];
        randombytes_buf(blinding, sizeof blinding);
        int blinded = secp256k1_context_randomize(ctx, blinding);
        sodium_memzero(blinding, sizeof blinding);
        /* It only fails for the static context; blinding is hardening, signing is correct
         * without it, so the result needs no handling. */
        (void)blinded;
    }
    return ctx;
}

bool bst_ecdsa_from_seed(const uint8_t seed[32], uint8_t pub33[33]) {
    secp256k1_context *ctx = signing_context(seed);
    if (ctx == NULL) {
        return false;
    }
    secp256k1_pubkey pk;
    bool ok = secp256k1_ec_pubkey_create(ctx, &pk, seed) == 1;
    secp256k1_context_destroy(ctx);
    if (ok) {
        size_t n = 33;
        secp256k1_ec_pubkey_serialize(secp256k1_context_static, pub33, &n, &pk,
                                      SECP256K1_EC_COMPRESSED);
    }
    return ok;
}

bool bst_ecdsa_sign_prehashed(const uint8_t seed[32], const uint8_t msg_hash[32], uint8_t sig[65]) {
    secp256k1_context *ctx = signing_context(seed);
    if (ctx == NULL) {
        return false;
    }
    secp256k1_ecdsa_recoverable_signature rsig;
    /* NULL nonce function: RFC 6979, as the secp256k1 Rust crate's sign_ecdsa_recoverable, so
     * signatures are byte-identical to Substrate's. */
    bool ok = secp256k1_ecdsa_sign_recoverable(ctx, &rsig, msg_hash, seed, NULL, NULL) == 1;
    secp256k1_context_destroy(ctx);
    if (ok) {
        int recid = 0;
        secp256k1_ecdsa_recoverable_signature_serialize_compact(secp256k1_context_static, sig,
                                                                &recid, &rsig);
        sig[64] = (uint8_t)recid;
    }
    return ok;
}

bool bst_ecdsa_sign(const uint8_t seed[32], const void *msg, size_t len, uint8_t sig[65]) {
    /* sp-core ecdsa::Pair::sign = sign_prehashed(blake2_256(msg)). */
    uint8_t hash[32];
    bst_blake2_256(msg, len, hash);
    return bst_ecdsa_sign_prehashed(seed, hash, sig);
}

/* sp-core ecdsa::Pair verification: recover the signer of the hash (recovery id 0..3, no
 * Ethereum 27 offset) and compare with the compressed public key. */
static bool verify_hash(const uint8_t sig[65], const uint8_t hash[32], bool strict,
                        const uint8_t pub33[33]) {
    uint8_t got[33];
    if (sig[64] > 3) {
        return false;
    }
    if (bst_secp256k1_recover_compressed(sig, hash, strict, got) != BST_ECDSA_OK) {
        return false;
    }
    return memcmp(got, pub33, 33) == 0;
}

bool bst_ecdsa_verify(const uint8_t sig[65], const void *msg, size_t len, const uint8_t pub33[33]) {
    uint8_t hash[32];
    bst_blake2_256(msg, len, hash);
    return verify_hash(sig, hash, true, pub33);
}

bool bst_ecdsa_verify_deprecated(const uint8_t sig[65], const void *msg, size_t len,
                                 const uint8_t pub33[33]) {
    uint8_t hash[32];
    bst_blake2_256(msg, len, hash);
    return verify_hash(sig, hash, false, pub33);
}

bool bst_ecdsa_verify_prehashed(const uint8_t sig[65], const uint8_t msg_hash[32],
                                const uint8_t pub33[33]) {
    return verify_hash(sig, msg_hash, true, pub33);
}

bool bst_ecdsa_eth_address(const uint8_t pub33[33], uint8_t out20[20]) {
    secp256k1_pubkey pk;
    uint8_t full[65], hash[32];
    size_t n = sizeof full;
    if (!secp256k1_ec_pubkey_parse(secp256k1_context_static, &pk, pub33, 33) ||
        !secp256k1_ec_pubkey_serialize(secp256k1_context_static, full, &n, &pk,
                                       SECP256K1_EC_UNCOMPRESSED)) {
        return false;
    }
    bst_keccak_256(full + 1, 64, hash);
    memcpy(out20, hash + 12, 20);
    return true;
}
