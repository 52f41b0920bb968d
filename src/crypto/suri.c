/*
 * suri.c — secret URIs as sp-core (and so `subkey`) reads them: PHRASE, then soft `/x` and hard
 * `//x` junctions, then `///password`; a mnemonic, a hex seed or the development phrase becomes
 * the root key, and the junctions derive from it per scheme (sr25519 with schnorrkel's HDKD,
 * ed25519 and ecdsa hard-only with BLAKE2b over a SCALE-encoded tuple).  The grammar follows
 * sp-core's AddressUri: the phrase is [A-Za-z0-9 ]*, a junction is at least one character other
 * than '/', the password is the rest (no newline).
 */
#include <sodium.h>
#include <string.h>

#include "bastion_crypto.h"
#include "internal.h"

static const char DEV_PHRASE[] =
    "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/* The parts of a URI, as pointers into it. */
typedef struct suri_parts {
    const char *phrase;
    size_t phrase_len;
    const char *path; /* the junctions, "/a//b..." */
    size_t path_len;
    const char *password; /* NULL when there is no ///password */
} suri_parts;

static bool is_phrase_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
}

static bool parse_parts(const char *s, suri_parts *p) {
    memset(p, 0, sizeof *p);
    p->phrase = s;
    while (is_phrase_char(*s)) {
        s++;
    }
    p->phrase_len = (size_t)(s - p->phrase);
    p->path = s;
    while (*s != '\0') {
        if (strncmp(s, "///", 3) == 0) {
            p->path_len = (size_t)(s - p->path);
            p->password = s + 3;
            return strchr(p->password, '\n') == NULL;
        }
        if (*s != '/') {
            return false;
        }
        s += s[1] == '/' ? 2 : 1; /* "//" hard or "/" soft */
        if (*s == '/' || *s == '\0') {
            return false; /* an empty junction */
        }
        while (*s != '\0' && *s != '/') {
            s++;
        }
    }
    p->path_len = (size_t)(s - p->path);
    return true;
}

/* A decimal u64 as Rust's str::parse::<u64> reads it (an optional '+', then digits). */
static bool parse_u64(const char *s, size_t n, uint64_t *out) {
    if (n > 0 && s[0] == '+') {
        s++;
        n--;
    }
    if (n == 0) {
        return false;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return false;
        }
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* DeriveJunction::from(code): the SCALE encoding of the u64 or of the string, zero-padded to
 * 32 bytes, or its BLAKE2b-256 when longer. */
static void junction_chain_code(const char *code, size_t n, uint8_t cc[32]) {
    uint64_t v;
    memset(cc, 0, 32);
    if (parse_u64(code, n, &v)) {
        for (int i = 0; i < 8; i++) {
            cc[i] = (uint8_t)(v >> (8 * i));
        }
        return;
    }
    /* Compact length prefix: the junction is a piece of a C string, so n < 2^30 in practice;
     * longer is clamped to the 4-byte form's range, which only changes the hash of a URI that
     * could not be typed anyway. */
    uint8_t prefix[4];
    size_t plen;
    if (n < 64) {
        prefix[0] = (uint8_t)(n << 2);
        plen = 1;
    } else if (n < 16384) {
        uint32_t x = (uint32_t)(n << 2) | 1;
        prefix[0] = (uint8_t)x;
        prefix[1] = (uint8_t)(x >> 8);
        plen = 2;
    } else {
        uint32_t x = (uint32_t)((n & 0x3fffffff) << 2) | 2;
        for (int i = 0; i < 4; i++) {
            prefix[i] = (uint8_t)(x >> (8 * i));
        }
        plen = 4;
    }
    if (plen + n <= 32) {
        memcpy(cc, prefix, plen);
        memcpy(cc + plen, code, n);
        return;
    }
    bst_blake2b_state st;
    bst_blake2b_init(&st, 32);
    bst_blake2b_update(&st, prefix, plen);
    bst_blake2b_update(&st, code, n);
    bst_blake2b_final(&st, cc);
}

/* ed25519 / ecdsa hard derivation: BLAKE2b-256 of the SCALE tuple (label, seed, chain code). */
static void hdkd_blake2(const char *label, const uint8_t seed[32], const uint8_t cc[32],
                        uint8_t out[32]) {
    size_t n = strlen(label); /* < 64: one-byte compact length */
    uint8_t len_byte = (uint8_t)(n << 2);
    bst_blake2b_state st;
    bst_blake2b_init(&st, 32);
    bst_blake2b_update(&st, &len_byte, 1);
    bst_blake2b_update(&st, label, n);
    bst_blake2b_update(&st, seed, 32);
    bst_blake2b_update(&st, cc, 32);
    bst_blake2b_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

/* The pair of a seed, per scheme; false only for a seed that is not an ecdsa secret key. */
static bool pair_from_seed(bst_key_pair *k) {
    memset(k->secret, 0, sizeof k->secret);
    memset(k->pub, 0, sizeof k->pub);
    switch (k->scheme) {
    case BST_KEY_SR25519:
        bst_sr25519_from_seed(k->seed, k->pub, k->secret);
        k->pub_len = 32;
        return true;
    case BST_KEY_ED25519:
        bst_ed25519_from_seed(k->seed, k->pub, k->secret);
        k->pub_len = 32;
        return true;
    case BST_KEY_ECDSA:
        memcpy(k->secret, k->seed, 32);
        k->pub_len = 33;
        return bst_ecdsa_from_seed(k->seed, k->pub);
    }
    return false;
}

/* The root seed: a 0x hex seed, else the mnemonic (the development phrase when empty). */
static bst_suri_status root_seed(const suri_parts *p, const char *password, uint8_t seed[32]) {
    const char *phrase = p->phrase_len > 0 ? p->phrase : DEV_PHRASE;
    size_t len = p->phrase_len > 0 ? p->phrase_len : strlen(DEV_PHRASE);
    if (len >= 2 && phrase[0] == '0' && phrase[1] == 'x') {
        if (len != 2 + 64) {
            return BST_SURI_BAD_SEED;
        }
        return sodium_hex2bin(seed, 32, phrase + 2, 64, NULL, NULL, NULL) == 0 ? BST_SURI_OK
                                                                               : BST_SURI_BAD_SEED;
    }
    uint8_t entropy[32], big[64];
    size_t n;
    if (!cry_bip39_entropy(phrase, len, entropy, &n)) {
        return BST_SURI_BAD_PHRASE;
    }
    /* substrate-bip39 seed_from_entropy: salt "mnemonic" ++ password, taken as given. */
    size_t plen = password != NULL ? strlen(password) : 0;
    uint8_t *salt = sodium_malloc(8 + plen + 1);
    if (salt == NULL) {
        sodium_memzero(entropy, sizeof entropy);
        return BST_SURI_BAD_PHRASE;
    }
    memcpy(salt, "mnemonic", 8);
    if (plen > 0) {
        memcpy(salt + 8, password, plen);
    }
    cry_pbkdf2_sha512(entropy, n, salt, 8 + plen, 2048, big);
    memcpy(seed, big, 32);
    sodium_free(salt); /* sodium_free wipes it */
    sodium_memzero(entropy, sizeof entropy);
    sodium_memzero(big, sizeof big);
    return BST_SURI_OK;
}

/* Applies one junction to k (whose has_seed says whether k->seed is still meaningful). */
static bst_suri_status derive(bst_key_pair *k, bool hard, const uint8_t cc[32]) {
    if (k->scheme == BST_KEY_SR25519) {
        if (hard) {
            cry_sr25519_hard_derive(k->secret, cc, k->seed);
            bst_sr25519_from_seed(k->seed, k->pub, k->secret);
        } else {
            cry_sr25519_soft_derive(k->secret, k->pub, cc);
            k->has_seed = false; /* and it stays so: sp-core keeps a seed only while hard */
        }
        return BST_SURI_OK;
    }
    if (!hard) {
        return BST_SURI_BAD_PATH;
    }
    hdkd_blake2(k->scheme == BST_KEY_ED25519 ? "Ed25519HDKD" : "Secp256k1HDKD", k->seed, cc,
                k->seed);
    return pair_from_seed(k) ? BST_SURI_OK : BST_SURI_BAD_SEED;
}

static bst_suri_status walk_path(bst_key_pair *k, const char *path, size_t len) {
    size_t i = 0;
    while (i < len) {
        bool hard = i + 1 < len && path[i + 1] == '/';
        i += hard ? 2 : 1;
        size_t start = i;
        while (i < len && path[i] != '/') {
            i++;
        }
        uint8_t cc[32];
        junction_chain_code(path + start, i - start, cc);
        bst_suri_status st = derive(k, hard, cc);
        if (st != BST_SURI_OK) {
            return st;
        }
    }
    return BST_SURI_OK;
}

bst_suri_status bst_key_from_suri(bst_key_scheme scheme, const char *suri, const char *password,
                                  bst_key_pair *out) {
    suri_parts p;
    memset(out, 0, sizeof *out);
    out->scheme = scheme;
    if (scheme != BST_KEY_SR25519 && scheme != BST_KEY_ED25519 && scheme != BST_KEY_ECDSA) {
        return BST_SURI_BAD_FORMAT;
    }
    if (suri == NULL || !parse_parts(suri, &p)) {
        return BST_SURI_BAD_FORMAT;
    }
    bst_suri_status st = root_seed(&p, password != NULL ? password : p.password, out->seed);
    if (st == BST_SURI_OK) {
        out->has_seed = true;
        st = pair_from_seed(out) ? BST_SURI_OK : BST_SURI_BAD_SEED;
    }
    if (st == BST_SURI_OK) {
        st = walk_path(out, p.path, p.path_len);
    }
    if (st != BST_SURI_OK) {
        bst_secure_wipe(out, sizeof *out);
        out->scheme = scheme;
        return st;
    }
    out->is_phrase = p.phrase_len > 0 && p.path_len == 0 && p.password == NULL &&
                     !(p.phrase[0] == '0' && p.phrase_len > 1 && p.phrase[1] == 'x');
    if (!out->has_seed) {
        memset(out->seed, 0, sizeof out->seed);
    }
    return BST_SURI_OK;
}

const char *bst_suri_status_text(bst_suri_status st) {
    switch (st) {
    case BST_SURI_OK: return "ok";
    case BST_SURI_BAD_FORMAT:
        return "invalid secret URI (expected PHRASE[/soft|//hard]...[///password])";
    case BST_SURI_BAD_PHRASE:
        return "invalid phrase (not a BIP39 English mnemonic of 12, 15, 18, 21 or 24 words "
               "with a valid checksum)";
    case BST_SURI_BAD_SEED: return "invalid seed (expected 0x and 32 bytes of hex)";
    case BST_SURI_BAD_PATH: return "invalid path (this scheme allows only hard // junctions)";
    }
    return "unknown secret URI error";
}

void bst_key_account_id(const bst_key_pair *k, uint8_t out[32]) {
    if (k->scheme == BST_KEY_ECDSA) {
        bst_blake2_256(k->pub, 33, out);
    } else {
        memcpy(out, k->pub, 32);
    }
}
