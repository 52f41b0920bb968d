/*
 * bastion_crypto.h — the hashes and signature schemes the blockchain hosts need, shared by the
 * Substrate runtime host and the smart-contract host.  Built on Debian's libraries: libsodium
 * (BLAKE2b, SHA-256, Ed25519, ristretto255), libxxhash (twox), nettle (the Keccak-f[1600]
 * permutation, for Keccak-256 and merlin/STROBE) and libsecp256k1 (ECDSA with recovery).
 *
 * sr25519 is schnorrkel's Schnorr signature over ristretto255 with merlin transcripts, signing
 * context "substrate", as Substrate uses it; it has no Debian package and is built here on
 * libsodium's ristretto255 primitives.
 *
 * The other layers use these functions only; none of them includes a libsodium or
 * libsecp256k1 header.
 *
 * For signed modules and keys (bastion_sign.h): incremental SHA-256, strict RFC 8032 Ed25519
 * verification, scrypt (libsodium's scryptsalsa208sha256, as minisign encrypts secret keys),
 * constant-time comparison and base64.
 *
 * No global state: every function is pure apart from its output buffers (signing draws fresh
 * randomness from libsodium's randombytes where the scheme wants it).  Thread-safe.
 */
#ifndef BASTION_CRYPTO_H
#define BASTION_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

/* Must be called once before anything else here (it calls sodium_init(); idempotent and
 * thread-safe).  Returns false when libsodium cannot initialise. */
bool bst_crypto_init(void);

/* ---- hashing ---------------------------------------------------------------------------- */

/* BLAKE2b with an out_len-byte digest (1..64), no key. */
void bst_blake2b(uint8_t *out, size_t out_len, const void *data, size_t len);
void bst_blake2_128(const void *data, size_t len, uint8_t out[16]);
void bst_blake2_256(const void *data, size_t len, uint8_t out[32]);
/* Incremental BLAKE2b (no key), for data that arrives in pieces: init with the digest length
 * (1..64), update any number of times, final writes out_len bytes.  The state is caller-owned
 * and needs no cleanup; its contents are private (sized and aligned for libsodium's state). */
typedef struct bst_blake2b_state {
#ifdef __cplusplus
    alignas(64) unsigned char opaque_[384];
#else
    _Alignas(64) unsigned char opaque_[384];
#endif
    size_t out_len_;
} bst_blake2b_state;
void bst_blake2b_init(bst_blake2b_state *st, size_t out_len);
void bst_blake2b_update(bst_blake2b_state *st, const void *data, size_t len);
void bst_blake2b_final(bst_blake2b_state *st, uint8_t *out);
/* Substrate's twox: XXH64 with seeds 0, 1, 2, 3 concatenated, each little-endian. */
void bst_twox_64(const void *data, size_t len, uint8_t out[8]);
void bst_twox_128(const void *data, size_t len, uint8_t out[16]);
void bst_twox_256(const void *data, size_t len, uint8_t out[32]);
/* Keccak-256 with the original padding (Ethereum's, not SHA3-256). */
void bst_keccak_256(const void *data, size_t len, uint8_t out[32]);
/* Keccak-512, original padding (sp-core keccak_512). */
void bst_keccak_512(const void *data, size_t len, uint8_t out[64]);
void bst_sha2_256(const void *data, size_t len, uint8_t out[32]);
/* Incremental SHA-256.  The state is caller-owned, needs no cleanup, and may be copied by value:
 * finalising a copy yields the digest of everything so far while the original keeps hashing
 * (the rolling hash of module signatures). */
typedef struct bst_sha256_state {
#ifdef __cplusplus
    alignas(8) unsigned char opaque_[128];
#else
    _Alignas(8) unsigned char opaque_[128];
#endif
} bst_sha256_state;
void bst_sha256_init(bst_sha256_state *st);
void bst_sha256_update(bst_sha256_state *st, const void *data, size_t len);
void bst_sha256_final(bst_sha256_state *st, uint8_t out[32]);

/* ---- Ed25519 ------------------------------------------------------------------------------ */

/* Key pair from a 32-byte seed (RFC 8032).  secret is libsodium's 64-byte form (seed ++ pub). */
void bst_ed25519_from_seed(const uint8_t seed[32], uint8_t pub[32], uint8_t secret[64]);
void bst_ed25519_sign(const uint8_t secret[64], const void *msg, size_t len, uint8_t sig[64]);
/* Verification with Substrate's rules (sp-core ed25519 uses ed25519-zebra, i.e. ZIP 215): s must
 * be canonical (< l); A and R need only decode to curve points (non-canonical encodings and
 * small-order points are accepted); the equation is the cofactored [8](sB - R - kA) = 0.  This
 * accepts everything RFC 8032/libsodium accepts, plus crafted edge cases they reject. */
bool bst_ed25519_verify(const uint8_t sig[64], const void *msg, size_t len, const uint8_t pub[32]);
/* Strict RFC 8032 verification as libsodium (and so minisign) does it: canonical encodings, no
 * small-order keys or R, the cofactorless equation.  For signatures made by tools rather than a
 * chain's consensus rules: modules and files signed for a trust policy. */
bool bst_ed25519_verify_strict(const uint8_t sig[64], const void *msg, size_t len,
                               const uint8_t pub[32]);

/* ---- sr25519 (schnorrkel, signing context "substrate") ------------------------------------ */

/* Key pair from a 32-byte mini secret key, expanded the way Substrate does
 * (ExpansionMode::Ed25519).  secret = scalar key (32, little-endian) ++ nonce (32). */
void bst_sr25519_from_seed(const uint8_t seed[32], uint8_t pub[32], uint8_t secret[64]);
/* Signs msg; the signature carries schnorrkel's marker bit (sig[63] & 0x80). */
void bst_sr25519_sign(const uint8_t secret[64], const uint8_t pub[32], const void *msg, size_t len,
                      uint8_t sig[64]);
/* Strict verification (ext_crypto_sr25519_verify_version_2, seal sr25519_verify). */
bool bst_sr25519_verify(const uint8_t sig[64], const void *msg, size_t len, const uint8_t pub[32]);
/* ext_crypto_sr25519_verify_version_1: also accepts the pre-0.8 schnorrkel signatures without
 * the marker bit, as Substrate's verify_deprecated does. */
bool bst_sr25519_verify_deprecated(const uint8_t sig[64], const void *msg, size_t len,
                                   const uint8_t pub[32]);

/* ---- ECDSA over secp256k1 ----------------------------------------------------------------- */

/* Substrate's EcdsaVerifyError, in its SCALE order. */
typedef enum bst_ecdsa_error {
    BST_ECDSA_OK = -1,
    BST_ECDSA_BAD_RS = 0,
    BST_ECDSA_BAD_V = 1,
    BST_ECDSA_BAD_SIGNATURE = 2
} bst_ecdsa_error;

/* Recovers the public key from a 65-byte signature (r ++ s ++ v, v in 0..3 or 27..30) over a
 * 32-byte message hash.  strict = false is ext_crypto_secp256k1_ecdsa_recover_version_1
 * (overflowing r/s accepted as the old libsecp256k1 Rust crate did); strict = true is
 * _version_2 (standard parsing).  pub64 is the uncompressed key without its 0x04 tag; pub33
 * the compressed one. */
bst_ecdsa_error bst_secp256k1_recover(const uint8_t sig[65], const uint8_t msg_hash[32],
                                      bool strict, uint8_t pub64[64]);
bst_ecdsa_error bst_secp256k1_recover_compressed(const uint8_t sig[65], const uint8_t msg_hash[32],
                                                 bool strict, uint8_t pub33[33]);
/* Substrate's ecdsa::Pair: the message is hashed with BLAKE2b-256, the signature is
 * recoverable (65 bytes), the public key compressed (33 bytes).  from_seed returns false for
 * a seed that is not a valid secret key. */
bool bst_ecdsa_from_seed(const uint8_t seed[32], uint8_t pub33[33]);
bool bst_ecdsa_sign(const uint8_t seed[32], const void *msg, size_t len, uint8_t sig[65]);
bool bst_ecdsa_verify(const uint8_t sig[65], const void *msg, size_t len, const uint8_t pub33[33]);
/* Signs a 32-byte message hash as given (ext_crypto_ecdsa_sign_prehashed). */
bool bst_ecdsa_sign_prehashed(const uint8_t seed[32], const uint8_t msg_hash[32], uint8_t sig[65]);
/* Verification as sp-io does it (these take recovery ids 0..3 only, unlike the recover functions
 * above, which also take Ethereum's 27..30):
 * bst_ecdsa_verify_deprecated: ext_crypto_ecdsa_verify_version_1 (ecdsa::Pair::verify_deprecated:
 *   r and s >= n reduced mod n instead of rejected);
 * bst_ecdsa_verify (above): ext_crypto_ecdsa_verify_version_2 and batch verification;
 * bst_ecdsa_verify_prehashed: ext_crypto_ecdsa_verify_prehashed_version_1 (hash as given). */
bool bst_ecdsa_verify_deprecated(const uint8_t sig[65], const void *msg, size_t len,
                                 const uint8_t pub33[33]);
bool bst_ecdsa_verify_prehashed(const uint8_t sig[65], const uint8_t msg_hash[32],
                                const uint8_t pub33[33]);

/* The Ethereum address of a compressed secp256k1 public key: the last 20 bytes of the
 * Keccak-256 of the uncompressed key without its 0x04 tag (pallet-contracts'
 * ecdsa_to_eth_address).  False when pub33 is not a valid compressed key. */
bool bst_ecdsa_eth_address(const uint8_t pub33[33], uint8_t out20[20]);

/* ---- randomness and secrets --------------------------------------------------------------- */

/* n bytes from the operating system's CSPRNG (libsodium's randombytes; never fails once
 * bst_crypto_init has succeeded). */
void bst_random_bytes(void *buf, size_t n);
/* Zeroes n bytes in a way the compiler may not optimise away: for secrets about to go out of
 * scope or be freed. */
void bst_secure_wipe(void *buf, size_t n);

/* ---- keys and encodings ------------------------------------------------------------------ */

/* Whether a[0..n) equals b[0..n), in time that depends on n only (libsodium's sodium_memcmp):
 * for digests, keys and checksums an attacker may probe. */
bool bst_ct_equal(const void *a, const void *b, size_t n);

/* scrypt with Salsa20/8 and SHA-256 (libsodium's crypto_pwhash_scryptsalsa208sha256, minisign's
 * key-encryption KDF): out_len bytes from the password and a 32-byte salt, with libsodium's
 * opslimit/memlimit parameters.  False when the limits are out of range or memory runs out.
 * BST_SCRYPT_*_SENSITIVE are libsodium's (and minisign's) defaults for secret keys: about a
 * second and 1 GiB of memory. */
#define BST_SCRYPT_OPSLIMIT_SENSITIVE UINT64_C(33554432)
#define BST_SCRYPT_MEMLIMIT_SENSITIVE ((size_t)1073741824)
bool bst_scrypt_salsa208_sha256(uint8_t *out, size_t out_len, const void *password,
                                size_t password_len, const uint8_t salt[32], uint64_t opslimit,
                                size_t memlimit);

/* Standard base64 with padding (RFC 4648 section 4, minisign's encoding).  The encoded length of
 * n bytes, without the terminating NUL: */
size_t bst_base64_len(size_t n);
/* Writes the encoding of in[0..n) and a NUL into out, which holds bst_base64_len(n) + 1 bytes. */
void bst_base64_encode(char *out, const void *in, size_t n);
/* Decodes exactly the text in[0..len) (no white space, padding required) into out (at most cap
 * bytes); false on anything else or when it does not fit.  *out_len receives the length. */
bool bst_base64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *in, size_t len);

/* ---- secret URIs, as sp-core and `subkey` read them ------------------------------------------ */

typedef enum bst_key_scheme {
    BST_KEY_SR25519 = 0,
    BST_KEY_ED25519 = 1,
    BST_KEY_ECDSA = 2
} bst_key_scheme;

/* A key pair made from a secret URI. */
typedef struct bst_key_pair {
    bst_key_scheme scheme;
    /* The 32-byte seed that makes this pair by itself (sp-core's Pair::from_seed): the mini
     * secret / seed after the last hard junction.  An sr25519 soft junction leaves no such seed
     * (has_seed false; `subkey` prints "n/a"). */
    bool has_seed;
    uint8_t seed[32];
    /* Signing key: sr25519 scalar ++ nonce (bst_sr25519_sign); ed25519 seed ++ public
     * (bst_ed25519_sign); ecdsa the seed, then zeros (bst_ecdsa_sign). */
    uint8_t secret[64];
    uint8_t pub[33];
    size_t pub_len; /* 32; 33 for ecdsa (compressed) */
    /* The URI was a mnemonic phrase alone (no path, no ///password): `subkey` then calls it a
     * "Secret phrase" rather than a "Secret Key URI". */
    bool is_phrase;
} bst_key_pair;

/* Why a secret URI was refused (sp-core's SecretStringError). */
typedef enum bst_suri_status {
    BST_SURI_OK = 0,
    BST_SURI_BAD_FORMAT, /* not PHRASE(/soft|//hard)*(///password)? */
    BST_SURI_BAD_PHRASE, /* not a BIP39 English mnemonic of 12..24 words with a valid checksum */
    BST_SURI_BAD_SEED,   /* a 0x seed that is not 32 bytes of hex, or not a valid ecdsa key */
    BST_SURI_BAD_PATH    /* a soft junction for ed25519 or ecdsa (hard derivation only) */
} bst_suri_status;

/* The key pair of a secret URI `PHRASE[/soft|//hard]...[///password]`:
 * - PHRASE is a BIP39 English mnemonic (turned into a mini secret the substrate-bip39 way:
 *   PBKDF2-HMAC-SHA512 over the mnemonic's *entropy*, salt "mnemonic" ++ password, 2048
 *   rounds, the first 32 bytes), or a 32-byte hex seed 0x..., or empty for the development
 *   phrase "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
 * - each junction is a decimal u64 (8 bytes little-endian) or else the SCALE-encoded string,
 *   zero-padded to 32 bytes (BLAKE2b-256 of it when longer); `//` is hard derivation
 *   (sr25519: schnorrkel's hard_derive_mini_secret_key; ed25519: BLAKE2b-256 of
 *   ("Ed25519HDKD", seed, chain code) SCALE-encoded; ecdsa the same with "Secp256k1HDKD"),
 *   `/` soft (sr25519 only: schnorrkel's derived_key_simple);
 * - password (NULL for none) overrides a `///password` in the URI, as `subkey --password`
 *   does; it salts the mnemonic only (a hex seed ignores it).
 * The secrets in *out should be wiped (bst_secure_wipe) when done. */
bst_suri_status bst_key_from_suri(bst_key_scheme scheme, const char *suri, const char *password,
                                  bst_key_pair *out);
/* A short English text for a status ("invalid phrase", ...). */
const char *bst_suri_status_text(bst_suri_status st);
/* The account id of a public key (sp-runtime's MultiSigner::into_account): the key itself for
 * sr25519 and ed25519, BLAKE2b-256 of the compressed key for ecdsa. */
void bst_key_account_id(const bst_key_pair *k, uint8_t out[32]);

/* ---- SS58 addresses ------------------------------------------------------------------------- */

/* The longest SS58 text bst_ss58_encode writes, with its NUL, for data up to 64 bytes. */
#define BST_SS58_MAX 100
/* SS58 (Base58 of prefix ++ data ++ the first two bytes of BLAKE2b-512("SS58PRE" ++ prefix ++
 * data)) with the network prefix (0..16383: one byte below 64, two above).  False when prefix
 * or len (1..64) is out of range or out_size is too small. */
bool bst_ss58_encode(const uint8_t *data, size_t len, uint16_t prefix, char *out, size_t out_size);
/* The inverse for an address whose body is exactly len bytes: false unless s is valid Base58
 * with a good checksum and a prefix of the right form. */
bool bst_ss58_decode(const char *s, uint8_t *data, size_t len, uint16_t *prefix);

/* ---- development accounts ----------------------------------------------------------------- */

/* The sr25519 key of a Substrate development account ("alice", "bob", "charlie", "dave",
 * "eve", "ferdie"; case-insensitive): the dev phrase with the hard junction //Name.  Returns
 * false for an unknown name. */
bool bst_dev_account(const char *name, uint8_t pub[32], uint8_t secret[64]);
/* How many dev accounts there are, and the name of account i in that order ("alice", "bob",
 * "charlie", "dave", "eve", "ferdie"); NULL for i >= BST_DEV_ACCOUNT_COUNT. */
#define BST_DEV_ACCOUNT_COUNT 6
const char *bst_dev_account_name(size_t i);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_CRYPTO_H */
