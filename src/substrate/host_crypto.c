/*
 * host_crypto.c — ext_hashing_* and ext_crypto_*: hashes, signature verification (Ed25519,
 * sr25519, ECDSA/secp256k1 with key recovery), batch verification, and key generation and
 * signing against an in-memory keystore (the keys a node would hold in its keystore; here they
 * live and die with the bst_substrate_runtime).
 *
 * All cryptography is bastion_crypto's (randomness and wiping of secrets included); this file
 * only moves bytes between guest memory and those functions, with Substrate's encodings.
 */
#include "host.h"

#include "bastion_crypto.h"

#include <stdlib.h>
#include <string.h>

/* ---- hashing: (data: span) -> pointer to the digest ------------------------------------- */

typedef void (*hash_fn)(const void *data, size_t len, uint8_t *out);

static bool hash_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                      hash_fn hash, size_t out_len, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(data, args[0].of.i64);
    uint8_t digest[64];
    hash(data, data_len, digest);
    return sub_ret_ptr(c, rt, digest, out_len, &results[0], fn);
}

/* Adapters: the fixed-size prototypes of bastion_crypto.h as one pointer type. */
static void h_keccak_256(const void *d, size_t n, uint8_t *o) { bst_keccak_256(d, n, o); }
static void h_keccak_512(const void *d, size_t n, uint8_t *o) { bst_keccak_512(d, n, o); }
static void h_sha2_256(const void *d, size_t n, uint8_t *o) { bst_sha2_256(d, n, o); }
static void h_blake2_128(const void *d, size_t n, uint8_t *o) { bst_blake2_128(d, n, o); }
static void h_blake2_256(const void *d, size_t n, uint8_t *o) { bst_blake2_256(d, n, o); }
static void h_twox_64(const void *d, size_t n, uint8_t *o) { bst_twox_64(d, n, o); }
static void h_twox_128(const void *d, size_t n, uint8_t *o) { bst_twox_128(d, n, o); }
static void h_twox_256(const void *d, size_t n, uint8_t *o) { bst_twox_256(d, n, o); }

SUB_HOST_CALLS(ext_hashing_keccak_256_version_1, hash_host, h_keccak_256, 32)
SUB_HOST_CALLS(ext_hashing_keccak_512_version_1, hash_host, h_keccak_512, 64)
SUB_HOST_CALLS(ext_hashing_sha2_256_version_1, hash_host, h_sha2_256, 32)
SUB_HOST_CALLS(ext_hashing_blake2_128_version_1, hash_host, h_blake2_128, 16)
SUB_HOST_CALLS(ext_hashing_blake2_256_version_1, hash_host, h_blake2_256, 32)
SUB_HOST_CALLS(ext_hashing_twox_64_version_1, hash_host, h_twox_64, 8)
SUB_HOST_CALLS(ext_hashing_twox_128_version_1, hash_host, h_twox_128, 16)
SUB_HOST_CALLS(ext_hashing_twox_256_version_1, hash_host, h_twox_256, 32)

/* ---- verification ------------------------------------------------------------------------ */

typedef enum verify_kind {
    V_ED25519,
    V_SR25519_V1, /* accepts pre-0.8 schnorrkel signatures too */
    V_SR25519,
    V_ECDSA_V1, /* overflowing r/s accepted, as the old libsecp256k1 crate did */
    V_ECDSA,
} verify_kind;

/* verify(sig: ptr, msg: span, pub: ptr) -> bool for one scheme.  batch_verify (batch) gives its
 * verdict at once too; inside start/finish_batch_verify the verdict is also folded into the
 * batch's result, as current sp-io does. */
static bool verify_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                        verify_kind kind, bool batch, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    bool ecdsa = kind == V_ECDSA_V1 || kind == V_ECDSA;
    SUB_PTR_ARG(sig, args[0].of.i32, ecdsa ? 65 : 64);
    SUB_SPAN_ARG(msg, args[1].of.i64);
    SUB_PTR_ARG(pub, args[2].of.i32, ecdsa ? 33 : 32);
    bool valid = false;
    switch (kind) {
    case V_ED25519: valid = bst_ed25519_verify(sig, msg, msg_len, pub); break;
    case V_SR25519_V1: valid = bst_sr25519_verify_deprecated(sig, msg, msg_len, pub); break;
    case V_SR25519: valid = bst_sr25519_verify(sig, msg, msg_len, pub); break;
    case V_ECDSA_V1: valid = bst_ecdsa_verify_deprecated(sig, msg, msg_len, pub); break;
    case V_ECDSA: valid = bst_ecdsa_verify(sig, msg, msg_len, pub); break;
    }
    if (batch && rt->batch_active) rt->batch_ok = rt->batch_ok && valid;
    results[0].of.i32 = valid;
    return true;
}

SUB_HOST_CALLS(ext_crypto_ed25519_verify_version_1, verify_host, V_ED25519, false)
SUB_HOST_CALLS(ext_crypto_ed25519_batch_verify_version_1, verify_host, V_ED25519, true)
SUB_HOST_CALLS(ext_crypto_sr25519_verify_version_1, verify_host, V_SR25519_V1, false)
SUB_HOST_CALLS(ext_crypto_sr25519_verify_version_2, verify_host, V_SR25519, false)
SUB_HOST_CALLS(ext_crypto_sr25519_batch_verify_version_1, verify_host, V_SR25519, true)
SUB_HOST_CALLS(ext_crypto_ecdsa_verify_version_1, verify_host, V_ECDSA_V1, false)
SUB_HOST_CALLS(ext_crypto_ecdsa_verify_version_2, verify_host, V_ECDSA, false)
SUB_HOST_CALLS(ext_crypto_ecdsa_batch_verify_version_1, verify_host, V_ECDSA, true)

/* verify_prehashed(sig: ptr 65, msg: ptr 32, pub: ptr 33) -> bool */
SUB_HOST(ext_crypto_ecdsa_verify_prehashed_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_PTR_ARG(sig, args[0].of.i32, 65);
    SUB_PTR_ARG(hash, args[1].of.i32, 32);
    SUB_PTR_ARG(pub, args[2].of.i32, 33);
    results[0].of.i32 = bst_ecdsa_verify_prehashed(sig, hash, pub);
    return true;
}

SUB_HOST(ext_crypto_start_batch_verify_version_1) {
    (void)args;
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    if (rt->batch_active) return sub_fail(c, fn, "batch verification is already active");
    rt->batch_active = true;
    rt->batch_ok = true;
    return true;
}

SUB_HOST(ext_crypto_finish_batch_verify_version_1) {
    (void)args;
    bst_substrate_runtime *rt = HOST_RT(env);
    if (!rt->batch_active)
        return sub_fail(c, fn, "`finish_batch_verify` called without `start_batch_verify`");
    rt->batch_active = false;
    results[0].of.i32 = rt->batch_ok;
    return true;
}

/* ---- key recovery ------------------------------------------------------------------------ */

/* recover(sig: ptr 65, msg: ptr 32) -> Result<[u8; N], EcdsaVerifyError> */
static bool recover_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                         bool strict, bool compressed, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_PTR_ARG(sig, args[0].of.i32, 65);
    SUB_PTR_ARG(hash, args[1].of.i32, 32);
    uint8_t out[1 + 64];
    bst_ecdsa_error e = compressed ? bst_secp256k1_recover_compressed(sig, hash, strict, out + 1)
                                   : bst_secp256k1_recover(sig, hash, strict, out + 1);
    if (e != BST_ECDSA_OK) {
        out[0] = 1;
        out[1] = (uint8_t)e;
        return sub_ret_span(c, rt, out, 2, &results[0], fn);
    }
    out[0] = 0;
    return sub_ret_span(c, rt, out, compressed ? 34 : 65, &results[0], fn);
}

SUB_HOST_CALLS(ext_crypto_secp256k1_ecdsa_recover_version_1, recover_host, false, false)
SUB_HOST_CALLS(ext_crypto_secp256k1_ecdsa_recover_version_2, recover_host, true, false)
SUB_HOST_CALLS(ext_crypto_secp256k1_ecdsa_recover_compressed_version_1, recover_host, false, true)
SUB_HOST_CALLS(ext_crypto_secp256k1_ecdsa_recover_compressed_version_2, recover_host, true, true)

/* ---- the keystore ------------------------------------------------------------------------ */

static size_t pub_len(host_key_scheme s) { return s == HOST_KEY_ECDSA ? 33 : 32; }

/* Decodes exactly 2 * n hex digits (either case) into out[0..n); false on anything else. */
static bool hex_decode(const uint8_t *hex, size_t n, uint8_t *out) {
    for (size_t i = 0; i < 2 * n; i++) {
        unsigned ch = hex[i], lower = ch | 0x20, v;
        if (ch >= '0' && ch <= '9')
            v = ch - '0';
        else if (lower >= 'a' && lower <= 'f')
            v = lower - 'a' + 10;
        else
            return false;
        out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] << 4 | v : v);
    }
    return true;
}

/* The secret seed of a new key from generate's `seed: Option<Vec<u8>>` (a secret URI):
 * None -> fresh randomness; "0x" + 64 hex digits -> that seed; "//Name" of a development
 * account (sr25519 only) -> the dev key.  Anything else traps: this host has no BIP39 phrase
 * derivation beyond the development accounts.  Returns false after trapping. */
static bool make_key(bst_caller *c, host_key_scheme scheme, const uint8_t *opt, uint32_t opt_len,
                     host_key *k, const char *fn) {
    bool some;
    const uint8_t *uri;
    size_t uri_len;
    if (!sub_get_option_bytes(c, opt, opt_len, &some, &uri, &uri_len, fn)) return false;
    uint8_t seed[32];
    if (!some) {
        bst_random_bytes(seed, sizeof seed);
    } else if (uri_len == 66 && uri[0] == '0' && (uri[1] == 'x' || uri[1] == 'X')) {
        if (!hex_decode(uri + 2, sizeof seed, seed)) {
            bst_secure_wipe(seed, sizeof seed);
            return sub_fail(c, fn, "seed: bad hex");
        }
    } else if (scheme == HOST_KEY_SR25519 && uri_len > 2 && uri_len < 32 && uri[0] == '/' &&
               uri[1] == '/') {
        char dev[32];
        memcpy(dev, uri + 2, uri_len - 2);
        dev[uri_len - 2] = '\0';
        if (!bst_dev_account(dev, k->pub, k->secret))
            return sub_fail(c, fn, "seed: unknown development account");
        return true;
    } else {
        return sub_fail(c, fn,
                        "seed: only 0x-hex seeds and //Dev accounts are supported as secret "
                        "URIs");
    }
    switch (scheme) {
    case HOST_KEY_ED25519: bst_ed25519_from_seed(seed, k->pub, k->secret); break;
    case HOST_KEY_SR25519: bst_sr25519_from_seed(seed, k->pub, k->secret); break;
    case HOST_KEY_ECDSA:
        if (!bst_ecdsa_from_seed(seed, k->pub)) {
            bst_secure_wipe(seed, sizeof seed);
            return sub_fail(c, fn, "seed is not a valid secp256k1 secret key");
        }
        memcpy(k->secret, seed, 32);
        break;
    }
    bst_secure_wipe(seed, sizeof seed);
    return true;
}

/* generate(key_type: ptr 4, seed: span of Option<Vec<u8>>) -> pointer to the public key */
static bool generate_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                          host_key_scheme scheme, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_PTR_ARG(kt, args[0].of.i32, 4);
    SUB_SPAN_ARG(opt, args[1].of.i64);
    host_key k;
    memset(&k, 0, sizeof k);
    k.scheme = scheme;
    memcpy(k.key_type, kt, 4);
    if (!make_key(c, scheme, opt, opt_len, &k, fn)) {
        bst_secure_wipe(&k, sizeof k);
        return false;
    }
    if (rt->nkeys == rt->keys_cap) {
        size_t cap = rt->keys_cap ? rt->keys_cap * 2 : 8;
        host_key *nk = calloc(cap, sizeof *nk);
        if (!nk) return sub_fail(c, fn, "out of host memory");
        if (rt->keys) {
            memcpy(nk, rt->keys, rt->nkeys * sizeof *nk);
            bst_secure_wipe(rt->keys, rt->keys_cap * sizeof *rt->keys);
            free(rt->keys);
        }
        rt->keys = nk;
        rt->keys_cap = cap;
    }
    rt->keys[rt->nkeys++] = k;
    bst_secure_wipe(&k, sizeof k);
    const host_key *stored = &rt->keys[rt->nkeys - 1];
    return sub_ret_ptr(c, rt, stored->pub, pub_len(scheme), &results[0], fn);
}

SUB_HOST_CALLS(ext_crypto_ed25519_generate_version_1, generate_host, HOST_KEY_ED25519)
SUB_HOST_CALLS(ext_crypto_sr25519_generate_version_1, generate_host, HOST_KEY_SR25519)
SUB_HOST_CALLS(ext_crypto_ecdsa_generate_version_1, generate_host, HOST_KEY_ECDSA)

/* public_keys(key_type: ptr 4) -> Vec<[u8; N]> */
static bool public_keys_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                             host_key_scheme scheme, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_PTR_ARG(kt, args[0].of.i32, 4);
    size_t n = 0, plen = pub_len(scheme);
    for (size_t i = 0; i < rt->nkeys; i++)
        if (rt->keys[i].scheme == scheme && memcmp(rt->keys[i].key_type, kt, 4) == 0) n++;
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_len(&b, n);
    for (size_t i = 0; i < rt->nkeys; i++)
        if (rt->keys[i].scheme == scheme && memcmp(rt->keys[i].key_type, kt, 4) == 0)
            bst_scale_put_raw(&b, rt->keys[i].pub, plen);
    if (bst_scale_buf_error(&b) != BST_SCALE_OK) {
        bst_scale_buf_free(&b);
        return sub_fail(c, fn, "out of host memory");
    }
    bool ok = sub_ret_span(c, rt, b.data, b.len, &results[0], fn);
    bst_scale_buf_free(&b);
    return ok;
}

SUB_HOST_CALLS(ext_crypto_ed25519_public_keys_version_1, public_keys_host, HOST_KEY_ED25519)
SUB_HOST_CALLS(ext_crypto_sr25519_public_keys_version_1, public_keys_host, HOST_KEY_SR25519)
SUB_HOST_CALLS(ext_crypto_ecdsa_public_keys_version_1, public_keys_host, HOST_KEY_ECDSA)

/* The keystore's key of this scheme, type and public key, or NULL. */
static const host_key *find_key(const bst_substrate_runtime *rt, host_key_scheme scheme,
                                const uint8_t kt[4], const uint8_t *pub) {
    for (size_t i = 0; i < rt->nkeys; i++)
        if (rt->keys[i].scheme == scheme && memcmp(rt->keys[i].key_type, kt, 4) == 0 &&
            memcmp(rt->keys[i].pub, pub, pub_len(scheme)) == 0)
            return &rt->keys[i];
    return NULL;
}

/* sign(key_type: ptr 4, pub: ptr N, msg: span) -> Option<[u8; SIG]>: None when the keystore
 * has no such key. */
static bool sign_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                      host_key_scheme scheme, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    size_t plen = pub_len(scheme);
    SUB_PTR_ARG(kt, args[0].of.i32, 4);
    SUB_PTR_ARG(pub, args[1].of.i32, (uint32_t)plen);
    SUB_SPAN_ARG(msg, args[2].of.i64);
    const host_key *k = find_key(rt, scheme, kt, pub);
    uint8_t out[1 + 65];
    size_t out_len = 1;
    out[0] = 0;
    if (k) {
        out[0] = 1;
        switch (scheme) {
        case HOST_KEY_ED25519:
            bst_ed25519_sign(k->secret, msg, msg_len, out + 1);
            out_len += 64;
            break;
        case HOST_KEY_SR25519:
            bst_sr25519_sign(k->secret, k->pub, msg, msg_len, out + 1);
            out_len += 64;
            break;
        case HOST_KEY_ECDSA:
            if (!bst_ecdsa_sign(k->secret, msg, msg_len, out + 1))
                return sub_fail(c, fn, "signing failed");
            out_len += 65;
            break;
        }
    }
    return sub_ret_span(c, rt, out, out_len, &results[0], fn);
}

SUB_HOST_CALLS(ext_crypto_ed25519_sign_version_1, sign_host, HOST_KEY_ED25519)
SUB_HOST_CALLS(ext_crypto_sr25519_sign_version_1, sign_host, HOST_KEY_SR25519)
SUB_HOST_CALLS(ext_crypto_ecdsa_sign_version_1, sign_host, HOST_KEY_ECDSA)

/* sign_prehashed(key_type, pub: ptr 33, msg: ptr 32) -> Option<[u8; 65]> */
SUB_HOST(ext_crypto_ecdsa_sign_prehashed_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_PTR_ARG(kt, args[0].of.i32, 4);
    SUB_PTR_ARG(pub, args[1].of.i32, 33);
    SUB_PTR_ARG(hash, args[2].of.i32, 32);
    const host_key *k = find_key(rt, HOST_KEY_ECDSA, kt, pub);
    uint8_t out[1 + 65];
    out[0] = k ? 1 : 0;
    if (k && !bst_ecdsa_sign_prehashed(k->secret, hash, out + 1))
        return sub_fail(c, fn, "signing failed");
    return sub_ret_span(c, rt, out, k ? 66 : 1, &results[0], fn);
}
