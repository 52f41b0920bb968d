/*
 * test_ecdsa.c — ECDSA/secp256k1 (CTest crypto/ecdsa): sp-core ecdsa.rs test vectors
 * (test_vector_should_work, seeded_pair_should_work), public-key recovery with the sp-io
 * version 1 (overflowing r/s reduced) and version 2 (strict) rules and their error codes,
 * the Ethereum 27/28 recovery ids, go-ethereum's recovery vector, tampering, and the
 * Ethereum address of a key (bst_ecdsa_eth_address).
 */
#include "hex.h"

/* secp256k1 group order n, big-endian. */
static const char *N_HEX = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

static void test_sp_core_vector(void) {
    unsigned char seed[32], pub33[33], sig[65], hash[32], pub64[64], got33[33];
    unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed, 32);
    CHECK(bst_ecdsa_from_seed(seed, pub33));
    /* Public::from_full(8db55b05...d4): y is even, so the compressed tag is 02. */
    CHECK(eq_hex(pub33, "028db55b05db86c0b1786ca49f095d76344c9e6056b2f02701a7e7f3c20aabfd91"));
    CHECK(bst_ecdsa_sign(seed, "", 0, sig));
    CHECK(eq_hex(sig, "3dde91174bd9359027be59a428b8146513df80a2a3c7eda2194f64de04a69ab9"
                      "7b753169e94db6ffd50921a2668a48b94ca11e3d32c1ff19cfe88890aa7e8f3c00"));
    CHECK(bst_ecdsa_verify(sig, "", 0, pub33));

    /* sign = sign_prehashed(blake2_256(msg)) */
    unsigned char sig2[65];
    bst_blake2_256("", 0, hash);
    CHECK(bst_ecdsa_sign_prehashed(seed, hash, sig2));
    CHECK(memcmp(sig, sig2, 65) == 0);

    /* Recovery gives the full key, both versions, with v as 0/1 or Ethereum's 27/28. */
    const char *full = "8db55b05db86c0b1786ca49f095d76344c9e6056b2f02701a7e7f3c20aabfd91"
                       "3ebbe148dd17c56551a52952371071a6c604b3f3abe8f2c8fa742158ea6dd7d4";
    for (int strict = 0; strict <= 1; strict++) {
        memset(pub64, 0, 64);
        CHECK(bst_secp256k1_recover(sig, hash, strict, pub64) == BST_ECDSA_OK);
        CHECK(eq_hex(pub64, full));
        unsigned char eth[65];
        memcpy(eth, sig, 65);
        eth[64] = (unsigned char)(sig[64] + 27);
        memset(pub64, 0, 64);
        CHECK(bst_secp256k1_recover(eth, hash, strict, pub64) == BST_ECDSA_OK);
        CHECK(eq_hex(pub64, full));
        CHECK(bst_secp256k1_recover_compressed(eth, hash, strict, got33) == BST_ECDSA_OK);
        CHECK(memcmp(got33, pub33, 33) == 0);
        /* The other parity recovers a different key. */
        unsigned char fullb[64];
        unhex(full, fullb, 64);
        eth[64] = (unsigned char)(27 + (sig[64] ^ 1));
        CHECK(bst_secp256k1_recover(eth, hash, strict, pub64) == BST_ECDSA_OK);
        CHECK(memcmp(pub64, fullb, 64) != 0);
    }

    /* Bad recovery ids: 4..26 and above 30. */
    unsigned char bad[65];
    memcpy(bad, sig, 65);
    const unsigned char bad_v[] = {4, 5, 26, 31, 32, 255};
    for (size_t i = 0; i < sizeof bad_v; i++) {
        bad[64] = bad_v[i];
        CHECK(bst_secp256k1_recover(bad, hash, true, pub64) == BST_ECDSA_BAD_V);
        CHECK(bst_secp256k1_recover(bad, hash, false, pub64) == BST_ECDSA_BAD_V);
        CHECK(bst_secp256k1_recover_compressed(bad, hash, false, got33) == BST_ECDSA_BAD_V);
    }
    /* ecdsa::Pair::verify takes 0..3 only, no 27 offset. */
    memcpy(bad, sig, 65);
    bad[64] = (unsigned char)(sig[64] + 27);
    CHECK(!bst_ecdsa_verify(bad, "", 0, pub33));

    /* Tampering. */
    CHECK(!bst_ecdsa_verify(sig, "x", 1, pub33));
    int accepted = 0;
    for (size_t bit = 0; bit < 512; bit += 7) {
        memcpy(bad, sig, 65);
        bad[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        accepted += bst_ecdsa_verify(bad, "", 0, pub33);
    }
    CHECK(accepted == 0);
}

static void test_overflowing_rs(void) {
    unsigned char seed[32], sig[65], hash[32], a[64], b[64], s[65];
    unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed, 32);
    bst_blake2_256("", 0, hash);
    CHECK(bst_ecdsa_sign(seed, "", 0, sig));

    /* s = n: v2 rejects the encoding (BadRS); v1 reduces it to 0, which no signature can
     * have (BadSignature). */
    memcpy(s, sig, 65);
    unhex(N_HEX, s + 32, 32);
    CHECK(bst_secp256k1_recover(s, hash, true, a) == BST_ECDSA_BAD_RS);
    CHECK(bst_secp256k1_recover(s, hash, false, a) == BST_ECDSA_BAD_SIGNATURE);

    /* s = n + 1: v2 BadRS; v1 treats it exactly as s = 1. */
    s[63] = 0x42;
    CHECK(bst_secp256k1_recover(s, hash, true, a) == BST_ECDSA_BAD_RS);
    CHECK(bst_secp256k1_recover(s, hash, false, a) == BST_ECDSA_OK);
    memset(s + 32, 0, 32);
    s[63] = 1;
    CHECK(bst_secp256k1_recover(s, hash, true, b) == BST_ECDSA_OK);
    CHECK(memcmp(a, b, 64) == 0);

    /* r = n + 1 likewise equals r = 1 under v1 (if 1 is an x coordinate for this parity, both
     * succeed with the same key; otherwise both fail the same way). */
    memcpy(s, sig, 65);
    unhex(N_HEX, s, 32);
    s[31] = 0x42;
    bst_ecdsa_error e1 = bst_secp256k1_recover(s, hash, false, a);
    CHECK(bst_secp256k1_recover(s, hash, true, a) == BST_ECDSA_BAD_RS);
    memset(s, 0, 32);
    s[31] = 1;
    bst_ecdsa_error e2 = bst_secp256k1_recover(s, hash, true, b);
    CHECK(e1 == e2);
    if (e1 == BST_ECDSA_OK) {
        bst_secp256k1_recover(s, hash, false, a);
        CHECK(memcmp(a, b, 64) == 0);
    }

    /* r = 0: parses, never recovers. */
    memcpy(s, sig, 65);
    memset(s, 0, 32);
    CHECK(bst_secp256k1_recover(s, hash, true, a) == BST_ECDSA_BAD_SIGNATURE);
    CHECK(bst_secp256k1_recover(s, hash, false, a) == BST_ECDSA_BAD_SIGNATURE);
}

/* The three verifiers: deprecated (v1) reduces overflowing scalars, the others reject them;
 * all take recovery ids 0..3 only.  Built from a signature whose s is 1, so s + n fits in 256
 * bits: its signer is whatever key recovery yields for (r, 1). */
static void test_verifiers(void) {
    unsigned char seed[32], sig[65], hash[32], pub64[64], pub33[33], s1[65], sn1[65];
    unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed, 32);
    CHECK(bst_ecdsa_sign(seed, "msg", 3, sig));
    CHECK(bst_ecdsa_from_seed(seed, pub33));
    bst_blake2_256("msg", 3, hash);
    CHECK(bst_ecdsa_verify(sig, "msg", 3, pub33));
    CHECK(bst_ecdsa_verify_deprecated(sig, "msg", 3, pub33));
    CHECK(bst_ecdsa_verify_prehashed(sig, hash, pub33));
    CHECK(!bst_ecdsa_verify_prehashed(sig, seed, pub33));
    sig[64] = (unsigned char)(sig[64] + 27);
    CHECK(!bst_ecdsa_verify(sig, "msg", 3, pub33));
    CHECK(!bst_ecdsa_verify_deprecated(sig, "msg", 3, pub33));
    CHECK(!bst_ecdsa_verify_prehashed(sig, hash, pub33));
    sig[64] = (unsigned char)(sig[64] - 27);

    memcpy(s1, sig, 65);
    memset(s1 + 32, 0, 32);
    s1[63] = 1;
    CHECK(bst_secp256k1_recover_compressed(s1, hash, true, pub33) == BST_ECDSA_OK);
    CHECK(bst_secp256k1_recover(s1, hash, true, pub64) == BST_ECDSA_OK);
    CHECK(bst_ecdsa_verify(s1, "msg", 3, pub33));
    CHECK(bst_ecdsa_verify_deprecated(s1, "msg", 3, pub33));
    memcpy(sn1, s1, 65);
    unhex(N_HEX, sn1 + 32, 32);
    sn1[63] = 0x42; /* s = n + 1 */
    CHECK(!bst_ecdsa_verify(sn1, "msg", 3, pub33));
    CHECK(!bst_ecdsa_verify_prehashed(sn1, hash, pub33));
    CHECK(bst_ecdsa_verify_deprecated(sn1, "msg", 3, pub33));
    CHECK(!bst_ecdsa_verify_deprecated(sn1, "msh", 3, pub33));
}

/* go-ethereum crypto/signature_test.go (TestRecoverSanity, testmsg/testsig/testpubkey). */
static void test_geth_vector(void) {
    unsigned char hash[32], sig[65], pub64[64], pub33[33];
    unhex("ce0677bb30baa8cf067c88db9811f4333d131bf8bcf12fe7065d211dce971008", hash, 32);
    unhex("90f27b8b488db00b00606796d2987f6a5f59ae62ea05effe84fef5b8b0e54998"
          "4a691139ad57a3f0b906637673aa2f63d1f55cb1a69199d4009eea23ceaddc9301",
          sig, 65);
    const char *want64 = "e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a"
                         "0a2b2667f7e725ceea70c673093bf67663e0312623c8e091b13cf2c0f11ef652";
    for (int eth = 0; eth <= 1; eth++) {
        for (int strict = 0; strict <= 1; strict++) {
            memset(pub64, 0, 64);
            CHECK(bst_secp256k1_recover(sig, hash, strict, pub64) == BST_ECDSA_OK);
            CHECK(eq_hex(pub64, want64));
            CHECK(bst_secp256k1_recover_compressed(sig, hash, strict, pub33) == BST_ECDSA_OK);
            CHECK(eq_hex(pub33,
                         "02e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a"));
        }
        sig[64] = 28; /* the same recovery id, Ethereum style */
    }
    sig[64] = 1;
    CHECK(bst_ecdsa_verify_prehashed(sig, hash, pub33));
    hash[0] ^= 1;
    CHECK(!bst_ecdsa_verify_prehashed(sig, hash, pub33));
}

static void test_seeded_pair(void) {
    unsigned char pub33[33], sig[65], msg[82];
    const unsigned char *seed = (const unsigned char *)"12345678901234567890123456789012";
    CHECK(bst_ecdsa_from_seed(seed, pub33));
    /* sp-core seeded_pair_should_work: Public::from_full(5676109c...d813), y odd -> 03. */
    CHECK(eq_hex(pub33, "035676109c54b9a16d271abeb4954316a40a32bcce023ac14c8e26e958aa68fba9"));
    unhex("2f8c6129d816cf51c374bc7f08c3e63ed156cf78aefb4a6550d97b87997977ee0000000000000000"
          "0200d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a4500000000000000",
          msg, sizeof msg);
    CHECK(bst_ecdsa_sign(seed, msg, sizeof msg, sig));
    CHECK(bst_ecdsa_verify(sig, msg, sizeof msg, pub33));
    CHECK(!bst_ecdsa_verify(sig, "Other message", 13, pub33));
}

static void test_invalid_seeds(void) {
    unsigned char seed[32], pub33[33], sig[65];
    memset(seed, 0, 32);
    CHECK(!bst_ecdsa_from_seed(seed, pub33));
    CHECK(!bst_ecdsa_sign(seed, "m", 1, sig));
    unhex(N_HEX, seed, 32);
    CHECK(!bst_ecdsa_from_seed(seed, pub33));
    CHECK(!bst_ecdsa_sign_prehashed(seed, seed, sig));
    seed[31] = 0x40; /* n - 1: the largest valid key */
    CHECK(bst_ecdsa_from_seed(seed, pub33));
}

/* Ethereum addresses of well-known keys: secret key 1 (the generator G; address
 * 0x7E5F4552...) and Moonbeam's Alith / Baltathar development keys; keys that do not decode
 * give false. */
static void test_eth_address(void) {
    unsigned char pub33[33], addr[20];
    unhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", pub33, 33);
    CHECK(bst_ecdsa_eth_address(pub33, addr));
    CHECK(eq_hex(addr, "7e5f4552091a69125d5dfcb7b8c2659029395bdf"));
    unhex("02509540919faacf9ab52146c9aa40db68172d83777250b28e4679176e49ccdd9f", pub33, 33);
    CHECK(bst_ecdsa_eth_address(pub33, addr));
    CHECK(eq_hex(addr, "f24ff3a9cf04c71dbc94d0b566f7a27b94566cac"));
    unhex("033bc19e36ff1673910575b6727a974a9abd80c9a875d41ab3e2648dbfb9e4b518", pub33, 33);
    CHECK(bst_ecdsa_eth_address(pub33, addr));
    CHECK(eq_hex(addr, "3cd0a705a2dc65e5b1e1205896baa2be8a07c6e0"));
    /* A compressed key's parity tag is 02 or 03; 04 is the uncompressed tag (65 bytes). */
    pub33[0] = 0x05;
    CHECK(!bst_ecdsa_eth_address(pub33, addr));
    pub33[0] = 0x04;
    CHECK(!bst_ecdsa_eth_address(pub33, addr));
    /* x = p - 1 (>= p is not a field element either way; p - 1 has no y: -1 + 7 = 6 is not
     * a square mod p). */
    unhex("02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e", pub33, 33);
    CHECK(!bst_ecdsa_eth_address(pub33, addr));
    unhex("02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", pub33, 33);
    CHECK(!bst_ecdsa_eth_address(pub33, addr));
}

int main(void) {
    check_init();
    test_sp_core_vector();
    test_overflowing_rs();
    test_verifiers();
    test_geth_vector();
    test_seeded_pair();
    test_invalid_seeds();
    test_eth_address();
    return check_finish("crypto/ecdsa");
}
