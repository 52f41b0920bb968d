/*
 * keys.c — minisign's key formats (see bastion_sign.h): public keys ("Ed" ‖ key id ‖ key, base64
 * under an untrusted comment), secret keys (algorithms, KDF salt and limits, then key id ‖ secret
 * ‖ checksum, XOR-encrypted with an scrypt stream when a password protects them), key pairs, and
 * the status names of the layer.
 *
 * The secret key file (158 bytes before base64):
 *   "Ed" | KDF "Sc" (scrypt-salsa208-sha256) or "\0\0" (none) | checksum "B2" (BLAKE2b-256)
 *   | salt (32) | opslimit (8, LE) | memlimit (8, LE) | key id (8) | secret (64) | checksum (32)
 * The checksum is BLAKE2b-256 of "Ed" ‖ key id ‖ secret; minisign leaves it zero in unencrypted
 * files and checks it only when decrypting, so an unencrypted key is checked here by deriving its
 * public half from its seed instead.
 */
#include "bastion_crypto.h"
#include "sign_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bst_sign_status_name(bst_sign_status s) {
    switch (s) {
    case BST_SIGN_OK: return "ok";
    case BST_SIGN_UNSIGNED: return "unsigned";
    case BST_SIGN_MALFORMED: return "malformed";
    case BST_SIGN_UNKNOWN_KEY: return "unknown key";
    case BST_SIGN_BAD_SIGNATURE: return "bad signature";
    case BST_SIGN_TAMPERED: return "tampered";
    case BST_SIGN_UNSIGNED_SECTION: return "unsigned section";
    case BST_SIGN_THRESHOLD: return "too few signers";
    case BST_SIGN_BAD_KEY: return "bad key";
    case BST_SIGN_ERROR: return "error";
    }
    return "?";
}

void bst_sign_key_id_text(const uint8_t id[8], char out[17]) {
    /* minisign prints the little-endian number, most significant digit first */
    static const char HEX[] = "0123456789ABCDEF";
    for (int i = 0; i < 8; i++) {
        out[2 * i] = HEX[id[7 - i] >> 4];
        out[2 * i + 1] = HEX[id[7 - i] & 15];
    }
    out[16] = 0;
}

#define PUB_BYTES 42     /* "Ed" ‖ key id ‖ key */
#define SECRET_BYTES 158 /* see the layout above */
#define SK_KDF 2
#define SK_CHK_ALG 4
#define SK_SALT 6
#define SK_OPS 38
#define SK_MEM 46
#define SK_KEYNUM 54 /* key id ‖ secret ‖ checksum: what the KDF stream encrypts */
#define SK_KEYNUM_LEN 104
/* Limits an encrypted key file may ask of scrypt: minisign's are 2^25 operations and 1 GiB. */
#define SK_MAX_OPS ((uint64_t)1 << 32)
#define SK_MAX_MEM ((uint64_t)1 << 31)

/* The base64 line of a key file: the line after an "untrusted comment:" line, or the first line
 * when there is no comment (a key given as a string).  Blank lines and trailing blanks aside. */
static bool key_line(const char *text, size_t len, const char **line, size_t *n) {
    size_t pos = 0;
    bool comment = false;
    while (sig_next_line(text, len, &pos, line, n)) {
        while (*n && ((*line)[*n - 1] == ' ' || (*line)[*n - 1] == '\t')) (*n)--;
        if (!*n) continue;
        if (!comment && sig_has_prefix(*line, *n, "untrusted comment:")) {
            comment = true;
            continue;
        }
        return true;
    }
    return false;
}

/* Decodes a key file's base64 line into exactly `want` bytes. */
static bool key_bytes(const char *text, size_t len, uint8_t *out, size_t want, const char *what,
                      char *why, size_t why_len) {
    const char *line;
    size_t n, got = 0;
    if (!key_line(text, len, &line, &n)) {
        sig_why(why, why_len, "no %s in it (empty, or only a comment)", what);
        return false;
    }
    if (!bst_base64_decode(out, want, &got, line, n) || got != want) {
        sig_why(why, why_len, "not a minisign %s (expected base64 of %zu bytes)", what, want);
        return false;
    }
    if (out[0] != 'E' || out[1] != 'd') {
        sig_why(why, why_len, "unsupported %s algorithm \"%c%c\" (minisign's Ed25519 is \"Ed\")",
                what, out[0] >= 0x20 && out[0] < 0x7f ? out[0] : '?',
                out[1] >= 0x20 && out[1] < 0x7f ? out[1] : '?');
        return false;
    }
    return true;
}

bst_sign_status bst_sign_pubkey_parse(const char *text, size_t len, bst_sign_pubkey *out, char *why,
                                      size_t why_len) {
    uint8_t b[PUB_BYTES];
    if (!text || !out) return BST_SIGN_ERROR;
    if (!key_bytes(text, len, b, sizeof b, "public key", why, why_len)) return BST_SIGN_BAD_KEY;
    memcpy(out->id, b + 2, 8);
    memcpy(out->key, b + 10, 32);
    return BST_SIGN_OK;
}

void bst_sign_keygen(bst_sign_secret *secret, bst_sign_pubkey *pub) {
    uint8_t seed[32], pk[32];
    bst_random_bytes(secret->id, 8);
    bst_random_bytes(seed, sizeof seed);
    bst_ed25519_from_seed(seed, pk, secret->key);
    bst_secure_wipe(seed, sizeof seed);
    if (pub) bst_sign_secret_pubkey(secret, pub);
}

void bst_sign_secret_pubkey(const bst_sign_secret *secret, bst_sign_pubkey *pub) {
    memcpy(pub->id, secret->id, 8);
    memcpy(pub->key, secret->key + 32, 32);
}

/* "untrusted comment: COMMENT\n" ‖ base64(b) ‖ "\n", malloc'd. */
static char *key_file(const char *comment, const uint8_t *b, size_t n) {
    size_t clen = strlen("untrusted comment: ") + strlen(comment) + 1;
    size_t total = clen + bst_base64_len(n) + 2;
    char *out = malloc(total);
    if (!out) return NULL;
    snprintf(out, total, "untrusted comment: %s\n", comment);
    bst_base64_encode(out + clen, b, n);
    memcpy(out + total - 2, "\n", 2);
    return out;
}

char *bst_sign_pubkey_format(const bst_sign_pubkey *pub) {
    uint8_t b[PUB_BYTES] = {'E', 'd'};
    char comment[64], id[17];
    memcpy(b + 2, pub->id, 8);
    memcpy(b + 10, pub->key, 32);
    bst_sign_key_id_text(pub->id, id);
    snprintf(comment, sizeof comment, "minisign public key %s", id);
    return key_file(comment, b, sizeof b);
}

static void put_le64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* BLAKE2b-256("Ed" ‖ key id ‖ secret), the file's checksum. */
static void secret_checksum(const uint8_t *b, uint8_t out[32]) {
    bst_blake2b_state st;
    bst_blake2b_init(&st, 32);
    bst_blake2b_update(&st, b, 2);
    bst_blake2b_update(&st, b + SK_KEYNUM, 8 + 64);
    bst_blake2b_final(&st, out);
}

/* XORs key id ‖ secret ‖ checksum with scrypt(password, salt, limits from the file). */
static bool secret_crypt(uint8_t *b, const char *password, size_t password_len) {
    uint8_t stream[SK_KEYNUM_LEN];
    if (!bst_scrypt_salsa208_sha256(stream, sizeof stream, password, password_len, b + SK_SALT,
                                    get_le64(b + SK_OPS), (size_t)get_le64(b + SK_MEM)))
        return false;
    for (size_t i = 0; i < SK_KEYNUM_LEN; i++) b[SK_KEYNUM + i] ^= stream[i];
    bst_secure_wipe(stream, sizeof stream);
    return true;
}

char *bst_sign_secret_format(const bst_sign_secret *secret, const char *password,
                             size_t password_len, uint64_t opslimit, size_t memlimit) {
    uint8_t b[SECRET_BYTES] = {'E', 'd', 0, 0, 'B', '2'};
    bool encrypt = password && password_len;
    memcpy(b + SK_KEYNUM, secret->id, 8);
    memcpy(b + SK_KEYNUM + 8, secret->key, 64);
    char *out = NULL;
    if (encrypt) {
        b[SK_KDF] = 'S';
        b[SK_KDF + 1] = 'c';
        bst_random_bytes(b + SK_SALT, 32);
        put_le64(b + SK_OPS, opslimit ? opslimit : BST_SCRYPT_OPSLIMIT_SENSITIVE);
        put_le64(b + SK_MEM, memlimit ? memlimit : BST_SCRYPT_MEMLIMIT_SENSITIVE);
        secret_checksum(b, b + SK_KEYNUM + 72);
        if (!secret_crypt(b, password, password_len)) goto out;
    }
    out = key_file(encrypt ? "minisign encrypted secret key" : "minisign secret key", b, sizeof b);
out:
    bst_secure_wipe(b, sizeof b);
    return out;
}

bool bst_sign_secret_is_encrypted(const char *text, size_t len) {
    uint8_t b[SECRET_BYTES];
    bool enc = text && key_bytes(text, len, b, sizeof b, "secret key", NULL, 0) &&
               b[SK_KDF] == 'S' && b[SK_KDF + 1] == 'c';
    bst_secure_wipe(b, sizeof b);
    return enc;
}

/* Checks a decoded (and decrypted) secret key file and copies the key out. */
static bst_sign_status secret_check(const uint8_t *b, bool encrypted, bst_sign_secret *out,
                                    char *why, size_t why_len) {
    if (encrypted) {
        uint8_t chk[32];
        secret_checksum(b, chk);
        if (!bst_ct_equal(chk, b + SK_KEYNUM + 72, 32)) {
            sig_why(why, why_len, "wrong password for this secret key (or the file is corrupt)");
            return BST_SIGN_BAD_KEY;
        }
    }
    /* The secret holds its public half: it must be the one its seed gives. */
    uint8_t pk[32], full[64];
    bst_ed25519_from_seed(b + SK_KEYNUM + 8, pk, full);
    bool ok = bst_ct_equal(pk, b + SK_KEYNUM + 8 + 32, 32);
    bst_secure_wipe(full, sizeof full);
    if (!ok) {
        sig_why(why, why_len, "corrupt secret key (its public half does not match its seed)");
        return BST_SIGN_BAD_KEY;
    }
    memcpy(out->id, b + SK_KEYNUM, 8);
    memcpy(out->key, b + SK_KEYNUM + 8, 64);
    return BST_SIGN_OK;
}

bst_sign_status bst_sign_secret_parse(const char *text, size_t len, const char *password,
                                      size_t password_len, bst_sign_secret *out, char *why,
                                      size_t why_len) {
    uint8_t b[SECRET_BYTES];
    bst_sign_status st = BST_SIGN_BAD_KEY;
    if (!text || !out) return BST_SIGN_ERROR;
    if (!key_bytes(text, len, b, sizeof b, "secret key", why, why_len)) goto out;
    if (b[SK_CHK_ALG] != 'B' || b[SK_CHK_ALG + 1] != '2') {
        sig_why(why, why_len, "unsupported checksum algorithm in the secret key (expected B2)");
        goto out;
    }
    bool encrypted = b[SK_KDF] == 'S' && b[SK_KDF + 1] == 'c';
    if (!encrypted && (b[SK_KDF] || b[SK_KDF + 1])) {
        sig_why(why, why_len, "unsupported key derivation in the secret key (expected Sc or none)");
        goto out;
    }
    if (encrypted) {
        uint64_t ops = get_le64(b + SK_OPS), mem = get_le64(b + SK_MEM);
        if (!password || !password_len) {
            sig_why(why, why_len, "the secret key is encrypted: a password is needed");
            goto out;
        }
        if (ops > SK_MAX_OPS || mem > SK_MAX_MEM) {
            sig_why(why, why_len,
                    "the secret key asks scrypt for %llu operations and %llu bytes of memory, "
                    "beyond the limits of 2^32 and 2 GiB",
                    (unsigned long long)ops, (unsigned long long)mem);
            goto out;
        }
        if (!secret_crypt(b, password, password_len)) {
            sig_why(why, why_len, "scrypt failed (out of memory, or limits it refuses)");
            st = BST_SIGN_ERROR;
            goto out;
        }
    }
    st = secret_check(b, encrypted, out, why, why_len);
out:
    bst_secure_wipe(b, sizeof b);
    return st;
}
