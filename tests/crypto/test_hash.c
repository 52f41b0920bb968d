/*
 * test_hash.c — known answers for the hash functions (CTest crypto/hash): RFC 7693 BLAKE2b,
 * FIPS 180 SHA-256, Substrate's twox storage prefixes, Keccak-256 (Ethereum), plus the
 * Keccak sponge cross-checked against nettle's SHA3-256 at every block boundary.
 */
#include <nettle/sha3.h>

#include "check.h"
#include "internal.h"

static void test_blake2(void)
{
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

static void test_twox(void)
{
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

static void test_keccak(void)
{
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

static void test_sha2(void)
{
    unsigned char out[32];
    bst_sha2_256("", 0, out);
    CHECK(eq_hex(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    bst_sha2_256("abc", 3, out);
    CHECK(eq_hex(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

int main(void)
{
    check_init();
    test_blake2();
    test_twox();
    test_keccak();
    test_sha2();
    return check_done("crypto/hash");
}
