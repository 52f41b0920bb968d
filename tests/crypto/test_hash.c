/*
 * test_hash.c — known answers for the hash functions (CTest crypto/hash): RFC 7693 BLAKE2b,
 * FIPS 180 SHA-256, Substrate's twox storage prefixes, Keccak-256 (Ethereum), plus the
 * Keccak sponge cross-checked against nettle's SHA3-256 at every block boundary; incremental
 * BLAKE2b against the one-shot digest, random bytes and secure wiping.
 */
#include <nettle/sha3.h>

#include "hex.h"
#include "internal.h"

static void test_blake2(void) {
    unsigned char out[64];
    /* RFC 7693 appendix A: BLAKE2b-512("abc"). */
    bst_blake2b(out, 64, "abc", 3);
    CHECK(eq_hex(out, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                      "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"));
    /* blake2_256(b"") — Substrate's empty-trie-adjacent constant. */
    bst_blake2_256("", 0, out);
    CHECK(eq_hex(out, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
    bst_blake2_128("", 0, out);
    CHECK(eq_hex(out, "cae66941d9efbd404e4d88758ea67670"));
    /* Digest length is a parameter of BLAKE2b, not a truncation. */
    unsigned char o16[16];
    bst_blake2b(o16, 16, "", 0);
    CHECK(memcmp(o16, out, 16) == 0);
    bst_blake2b(out, 32, "", 0);
    CHECK(memcmp(o16, out, 16) != 0);
}

/* Incremental BLAKE2b equals the one-shot digest for every digest length and every way of
 * cutting the input in two (empty pieces, block boundaries at 128 bytes included). */
static void test_blake2_incremental(void) {
    unsigned char msg[300], one[64], inc[64];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (unsigned char)(i * 13 + 1);
    }
    int mismatches = 0;
    static const size_t lens[] = {1, 16, 20, 32, 63, 64};
    for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
        size_t out_len = lens[l];
        bst_blake2b(one, out_len, msg, sizeof msg);
        for (size_t cut = 0; cut <= sizeof msg; cut++) {
            bst_blake2b_state st;
            memset(inc, 0xee, sizeof inc);
            bst_blake2b_init(&st, out_len);
            bst_blake2b_update(&st, msg, cut);
            bst_blake2b_update(&st, msg + cut, sizeof msg - cut);
            bst_blake2b_final(&st, inc);
            /* exactly out_len bytes written */
            mismatches += memcmp(one, inc, out_len) != 0 || (out_len < 64 && inc[out_len] != 0xee);
        }
    }
    CHECK(mismatches == 0);
    /* a known answer through the incremental path: BLAKE2b-256 of "" in three empty pieces */
    bst_blake2b_state st;
    bst_blake2b_init(&st, 32);
    bst_blake2b_update(&st, "", 0);
    bst_blake2b_update(&st, "", 0);
    bst_blake2b_final(&st, inc);
    CHECK(eq_hex(inc, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
}

/* bst_random_bytes fills the whole buffer with fresh bytes; bst_secure_wipe zeroes exactly the
 * given range. */
static void test_random_and_wipe(void) {
    unsigned char a[64], b[64], zero[64] = {0};
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    bst_random_bytes(a, sizeof a);
    bst_random_bytes(b, sizeof b);
    /* 512 random bits: equal or all-zero halves would mean the buffer was not filled */
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK(memcmp(a, zero, 32) != 0 && memcmp(a + 32, zero, 32) != 0);
    bst_random_bytes(a, 0); /* nothing to do, must not crash */
    memset(b, 0x5a, sizeof b);
    bst_secure_wipe(b + 8, 48);
    CHECK(b[7] == 0x5a && b[56] == 0x5a);
    CHECK(memcmp(b + 8, zero, 48) == 0);
}

static void test_twox(void) {
    unsigned char out[32], o128[16];
    bst_twox_64("", 0, out);
    CHECK(eq_hex(out, "99e9d85137db46ef"));
    bst_twox_128("", 0, out);
    CHECK(eq_hex(out, "99e9d85137db46ef4bbea33613baafd5"));
    /* Storage prefixes every Substrate chain has: twox_128("System"), twox_128("Balances"),
     * twox_128("Account") (System.Account = 26aa394e...b99d880ec681799c0cf30e8886371da9). */
    bst_twox_128("System", 6, out);
    CHECK(eq_hex(out, "26aa394eea5630e07c48ae0c9558cef7"));
    bst_twox_128("Balances", 8, out);
    CHECK(eq_hex(out, "c2261276cc9d1f8598ea4b6a74b15c2f"));
    bst_twox_128("Account", 7, out);
    CHECK(eq_hex(out, "b99d880ec681799c0cf30e8886371da9"));
    /* twox_256 extends twox_128 with seeds 2 and 3. */
    bst_twox_128("Balances", 8, o128);
    bst_twox_256("Balances", 8, out);
    CHECK(memcmp(out, o128, 16) == 0);
    CHECK(memcmp(out + 16, o128, 16) != 0 && memcmp(out + 16, out + 24, 8) != 0);
}

static void test_keccak(void) {
    unsigned char out[32];
    bst_keccak_256("", 0, out);
    CHECK(eq_hex(out, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
    bst_keccak_256("abc", 3, out);
    CHECK(eq_hex(out, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"));
    /* Solidity's event/function hashing: keccak256("transfer(address,uint256)") starts with
     * the ERC-20 selector a9059cbb. */
    bst_keccak_256("transfer(address,uint256)", 25, out);
    CHECK(eq_hex(out, "a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b"));

    /* The same sponge with SHA-3's 0x06 padding must equal nettle's SHA3-256 for every length
     * around the 136-byte rate (empty, partial, exactly full, multi-block). */
    unsigned char msg[420], ours[32], ref[32];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (unsigned char)(i * 7 + 3);
    }
    int mismatches = 0;
    for (size_t len = 0; len <= sizeof msg; len++) {
        struct sha3_256_ctx ctx;
        sha3_256_init(&ctx);
        sha3_256_update(&ctx, len, msg);
        sha3_256_digest(&ctx, sizeof ref, ref);
        cry_keccak_sponge(136, 0x06, msg, len, ours, 32);
        mismatches += memcmp(ours, ref, 32) != 0;
    }
    CHECK(mismatches == 0);
}

static void test_sha2(void) {
    unsigned char out[32];
    bst_sha2_256("", 0, out);
    CHECK(eq_hex(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    bst_sha2_256("abc", 3, out);
    CHECK(eq_hex(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

int main(void) {
    check_init();
    test_blake2();
    test_blake2_incremental();
    test_random_and_wipe();
    test_twox();
    test_keccak();
    test_sha2();
    return check_finish("crypto/hash");
}
