/*
 * bastion_sign.h — signed code: Ed25519 signatures over WebAssembly modules and files, keys in
 * minisign's formats, and a trust policy (trusted keys + a threshold) checked before a module is
 * decoded.  docs/signing.md describes the formats and the trust model.
 *
 * Two signature formats, both Ed25519:
 *   - embedded: the WebAssembly tool-conventions format (Signatures.md, as wasmsign2 writes it):
 *     a `signature` custom section first in the module holding SHA-256 rolling hashes of the
 *     module's parts (each part ends with a `signature_delimiter` custom section) and signatures
 *     over "wasmsig" ‖ version ‖ content type ‖ hash function ‖ hashes.  Several keys may sign;
 *     custom sections appended after the last signed delimiter are allowed and left out;
 *   - detached: minisign's .minisig files (prehashed "ED", BLAKE2b-512 of the file, or legacy
 *     "Ed"), with the trusted comment and its global signature.
 * Keys are minisign's: a public key file ("untrusted comment:" line, then base64 of "Ed" ‖ key id
 * (8 bytes) ‖ key (32 bytes)) and a secret key file, unencrypted or encrypted with scrypt.
 *
 * Verification parses only section headers and the signature data, with every count checked
 * against the bytes present before it is used, allocates nothing, and compares hashes in
 * constant time.  Needs bst_crypto_init() (bastion_crypto.h) to have succeeded.  No global
 * state; thread-safe.
 */
#ifndef BASTION_SIGN_H
#define BASTION_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/* Why a check failed (or BST_SIGN_OK).  bst_sign_status_name gives a short name for each. */
typedef enum bst_sign_status {
    BST_SIGN_OK = 0,
    BST_SIGN_UNSIGNED,         /* no signature: no `signature` section first, no detached one */
    BST_SIGN_MALFORMED,        /* the module's sections or the signature data are not well formed,
                                * or use a version / hash function / algorithm not supported */
    BST_SIGN_UNKNOWN_KEY,      /* signed, but by no trusted key */
    BST_SIGN_BAD_SIGNATURE,    /* a signature naming a trusted key does not verify */
    BST_SIGN_TAMPERED,         /* a trusted key's signature verifies, but the module's bytes are
                                * not the ones it signed */
    BST_SIGN_UNSIGNED_SECTION, /* a non-custom section lies outside the signed part */
    BST_SIGN_THRESHOLD,        /* fewer distinct trusted keys signed than the policy requires */
    BST_SIGN_BAD_KEY,          /* a key file or string that cannot be used (or wrong password) */
    BST_SIGN_ERROR             /* bad arguments, out of memory */
} bst_sign_status;

const char *bst_sign_status_name(bst_sign_status s);

/* ---- keys -------------------------------------------------------------------------------- */

/* A public key: minisign's 8-byte key id (stored little-endian; shown as 16 upper-case hex
 * digits of that number, as minisign prints it) and the Ed25519 key. */
typedef struct bst_sign_pubkey {
    uint8_t id[8];
    uint8_t key[32];
} bst_sign_pubkey;

/* A secret key: key id, and libsodium's 64-byte Ed25519 secret (seed ‖ public key). */
typedef struct bst_sign_secret {
    uint8_t id[8];
    uint8_t key[64];
} bst_sign_secret;

/* The key id as minisign shows it: 16 upper-case hex digits and a NUL. */
void bst_sign_key_id_text(const uint8_t id[8], char out[17]);

/* Parses a public key: the text of a minisign .pub file, or the base64 line alone (as minisign
 * -P takes it).  On failure returns BST_SIGN_BAD_KEY with the reason in why. */
bst_sign_status bst_sign_pubkey_parse(const char *text, size_t len, bst_sign_pubkey *out, char *why,
                                      size_t why_len);
/* A new key pair (random key id and seed). */
void bst_sign_keygen(bst_sign_secret *secret, bst_sign_pubkey *pub);
/* The public key of a secret key. */
void bst_sign_secret_pubkey(const bst_sign_secret *secret, bst_sign_pubkey *pub);
/* The .pub file text (NUL-terminated, malloc'd; NULL when out of memory). */
char *bst_sign_pubkey_format(const bst_sign_pubkey *pub);
/* The secret key file text (malloc'd).  With a password (password_len > 0) the key is encrypted
 * as minisign does it, with scrypt's opslimit and memlimit (0, 0: minisign's own,
 * BST_SCRYPT_*_SENSITIVE in bastion_crypto.h, about a second and 1 GiB of memory; the limits are
 * stored in the file, so any reader uses them); without, it is stored in clear (minisign -W).
 * NULL when out of memory or scrypt fails. */
char *bst_sign_secret_format(const bst_sign_secret *secret, const char *password,
                             size_t password_len, uint64_t opslimit, size_t memlimit);
/* Parses a secret key file, decrypting it with the password when it is encrypted (an encrypted
 * key without a password, a wrong password and a corrupt file are BST_SIGN_BAD_KEY).  The
 * password of an unencrypted key is ignored.  Wipe *out (bst_secure_wipe) after use. */
bst_sign_status bst_sign_secret_parse(const char *text, size_t len, const char *password,
                                      size_t password_len, bst_sign_secret *out, char *why,
                                      size_t why_len);
/* Whether the secret key file text is encrypted (needs a password); false for anything else. */
bool bst_sign_secret_is_encrypted(const char *text, size_t len);

/* ---- the trust policy and verification --------------------------------------------------- */

/* At most this many trusted keys (the result reports signers as a bit set). */
#define BST_SIGN_MAX_KEYS 64

/* The keys an operator trusts and how many distinct ones must have signed (threshold >= 1; keys
 * listed twice count once). */
typedef struct bst_sign_trust {
    const bst_sign_pubkey *keys;
    size_t nkeys;
    size_t threshold;
} bst_sign_trust;

typedef struct bst_sign_result {
    bst_sign_status status;
    uint64_t signers;  /* bit i: trust->keys[i] signed everything outside signed_len's tail */
    size_t nsigners;   /* distinct keys among them */
    size_t signed_len; /* embedded: load module[0..signed_len) only; what follows is unsigned
                        * custom sections, left out.  Detached: the file's length. */
    const char *trusted_comment; /* minisig: the verified trusted comment (inside the minisig
                                  * text), else NULL */
    size_t trusted_comment_len;
    char message[256]; /* what failed, precisely (part, key id, offset); "" when OK */
} bst_sign_result;

/* Verifies a module against the trust policy before anything decodes it.  The signature data is
 * the module's first section (a `signature` custom section), or `detached` (the same bytes,
 * given separately) when detached is not NULL.  OK when at least trust->threshold distinct
 * trusted keys signed every non-custom section (and their signatures match the module); then
 * res->signed_len tells how much of the module to load.  Otherwise the status and res->message
 * say why (bad signatures and tampering take precedence over a missing signer). */
bst_sign_status bst_sign_verify_module(const bst_sign_trust *trust, const uint8_t *module,
                                       size_t len, const uint8_t *detached, size_t detached_len,
                                       bst_sign_result *res);

/* Verifies a minisign detached signature (the .minisig text) of data[0..len) against the trust
 * policy: OK when the key that made it is trusted, the signature and the trusted comment's
 * global signature verify, and the policy's threshold is 1 (one file holds one signature). */
bst_sign_status bst_sign_verify_minisig(const bst_sign_trust *trust, const uint8_t *data,
                                        size_t len, const char *minisig, size_t minisig_len,
                                        bst_sign_result *res);

/* ---- signing (for tools) ----------------------------------------------------------------- */

/* Signs a module, embedding the signature: the output is the module with a `signature` section
 * first and a `signature_delimiter` last (added when the module does not end with one, so that
 * custom sections can be appended later).  An already signed module keeps its signatures; the
 * new one joins them (BST_SIGN_ERROR when this key already signed the same parts,
 * BST_SIGN_TAMPERED when an earlier signature no longer matches the module).  *out is malloc'd.
 * BST_SIGN_MALFORMED with the reason in why when the module's sections are not well formed. */
bst_sign_status bst_sign_module(const bst_sign_secret *secret, const uint8_t *module, size_t len,
                                uint8_t **out, size_t *out_len, char *why, size_t why_len);

/* A minisign detached signature of data[0..len) (prehashed, "ED"), with the trusted comment
 * given (one line; NULL: "timestamp:<now>"), as malloc'd .minisig text; NULL when out of memory
 * or the comment holds a line break. */
char *bst_sign_minisig(const bst_sign_secret *secret, const uint8_t *data, size_t len,
                       const char *trusted_comment);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_SIGN_H */
