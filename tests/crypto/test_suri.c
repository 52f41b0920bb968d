/*
 * test_suri.c — secret URIs and SS58 (CTest crypto/suri) against published outputs of Substrate's
 * own tools and tests: `subkey inspect` examples (subkey's README: a mnemonic, a hex seed, a
 * mnemonic with --password, the Polkadot and Kusama forms of an address), the dev accounts
 * //Alice (sr25519, ed25519, ecdsa) and //Alice//stash, and sp-core's sr25519 known-pair tests
 * (DEV_PHRASE/Alice soft, DEV_ADDRESS).  Also the BIP39 standard's own vectors (entropy back
 * from the words) and every refusal.
 */
#include "hex.h"
#include "internal.h"

/* One URI, one scheme: the published public key, seed and SS58 address (each NULL: not
 * checked; seed "": there must be none). */
static void expect_key(bst_key_scheme scheme, const char *uri, const char *password,
                       const char *pub_hex, const char *seed_hex, const char *ss58) {
    bst_key_pair k;
    bst_suri_status st = bst_key_from_suri(scheme, uri, password, &k);
    CHECK_MSG(st == BST_SURI_OK, "%s: %s", uri, bst_suri_status_text(st));
    if (st != BST_SURI_OK) {
        return;
    }
    if (pub_hex != NULL) {
        CHECK(k.pub_len == strlen(pub_hex) / 2);
        CHECK_MSG(eq_hex(k.pub, pub_hex), "%s public key", uri);
    }
    if (seed_hex != NULL && seed_hex[0] == '\0') {
        CHECK_MSG(!k.has_seed, "%s has no seed", uri);
    } else if (seed_hex != NULL) {
        CHECK(k.has_seed);
        CHECK_MSG(eq_hex(k.seed, seed_hex), "%s seed", uri);
    }
    if (ss58 != NULL) {
        uint8_t account[32];
        char text[BST_SS58_MAX];
        bst_key_account_id(&k, account);
        CHECK(bst_ss58_encode(account, 32, 42, text, sizeof text));
        CHECK_MSG(strcmp(text, ss58) == 0, "%s: %s, want %s", uri, text, ss58);
    }
    /* The pair signs and verifies with its scheme's functions. */
    if (scheme == BST_KEY_SR25519) {
        uint8_t sig[64];
        bst_sr25519_sign(k.secret, k.pub, "m", 1, sig);
        CHECK(bst_sr25519_verify(sig, "m", 1, k.pub));
    } else if (scheme == BST_KEY_ED25519) {
        uint8_t sig[64];
        bst_ed25519_sign(k.secret, "m", 1, sig);
        CHECK(bst_ed25519_verify(sig, "m", 1, k.pub));
    } else {
        uint8_t sig[65];
        CHECK(bst_ecdsa_sign(k.secret, "m", 1, sig));
        CHECK(bst_ecdsa_verify(sig, "m", 1, k.pub));
    }
}

static void published_keys(void) {
    static const char ALICE[] = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
    /* `subkey inspect //Alice` */
    expect_key(BST_KEY_SR25519, "//Alice", NULL, ALICE,
               "e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a",
               "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
    expect_key(BST_KEY_SR25519,
               "bottom drive obey lake curtain smoke basket hold race lonely fit walk//Alice", NULL,
               ALICE, NULL, NULL);
    expect_key(BST_KEY_ED25519, "//Alice", NULL,
               "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee", NULL, NULL);
    /* ecdsa: the account is BLAKE2b-256 of the compressed key. */
    expect_key(BST_KEY_ECDSA, "//Alice", NULL,
               "020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1", NULL, NULL);
    /* Alice_stash of every dev chain spec: two hard junctions. */
    expect_key(BST_KEY_SR25519, "//Alice//stash", NULL,
               "be5ddb1579b72e84524fc29e78609e3caf42e85aa118ebfe0b0ad404b5bdd25f", NULL,
               "5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY");
    /* sp-core derive_soft_known_pair_should_work: a soft junction, so no seed; and
     * default_phrase_should_be_used: "/Alice" is the dev phrase's. */
    expect_key(BST_KEY_SR25519,
               "bottom drive obey lake curtain smoke basket hold race lonely fit walk/Alice", NULL,
               "d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e", "", NULL);
    expect_key(BST_KEY_SR25519, "/Alice", NULL,
               "d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e", "", NULL);
    /* sp-core DEV_ADDRESS: the dev phrase itself. */
    expect_key(BST_KEY_SR25519, "", NULL, NULL, NULL,
               "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
    /* subkey README: `subkey generate` and `subkey inspect 0x...` of the same key. */
    static const char HOTEL_PUB[] =
        "fec70cfbf1977c6965b5af10a4534a6a35d548eb14580594d0bc543286892515";
    static const char HOTEL_SEED[] =
        "a05c75731970cc7868a2fb7cb577353cd5b31f62dccced92c441acd8fee0c92d";
    expect_key(BST_KEY_SR25519,
               "hotel forest jar hover kite book view eight stuff angle legend defense", NULL,
               HOTEL_PUB, HOTEL_SEED, "5Hpm9fq3W3dQgwWpAwDS2ZHKAdnk86QRCu7iX4GnmDxycrte");
    expect_key(BST_KEY_SR25519,
               "0xa05c75731970cc7868a2fb7cb577353cd5b31f62dccced92c441acd8fee0c92d", NULL,
               HOTEL_PUB, HOTEL_SEED, "5Hpm9fq3W3dQgwWpAwDS2ZHKAdnk86QRCu7iX4GnmDxycrte");
    /* subkey README: --password extra_secret, and the same phrase without it. */
    static const char SOUP[] =
        "soup lyrics media market way crouch elevator put moon useful question wide";
    expect_key(BST_KEY_SR25519, SOUP, "extra_secret",
               "f6a233c3e1de1a2ae0486100b460b3ce3d7231ddfe9dadabbd35ab968c70905d",
               "e7cfd179d6537a676cb94bac3b5c5c9cb1550e846ac4541040d077dfbac2e7fd",
               "5He5pZpc7AJ8evPuab37vJF6KkFDqq9uDq2WXh877Qw6iaVC");
    char with_pass[128];
    snprintf(with_pass, sizeof with_pass, "%s///extra_secret", SOUP);
    expect_key(BST_KEY_SR25519, with_pass, NULL,
               "f6a233c3e1de1a2ae0486100b460b3ce3d7231ddfe9dadabbd35ab968c70905d", NULL, NULL);
    bst_key_pair k;
    char ss58[BST_SS58_MAX];
    CHECK(bst_key_from_suri(BST_KEY_SR25519, SOUP, NULL, &k) == BST_SURI_OK && k.is_phrase);
    CHECK(bst_ss58_encode(k.pub, 32, 42, ss58, sizeof ss58));
    CHECK(strcmp(ss58, "5Fe4sqj2K4fRuzEGvToi4KATqZfiDU7TqynjXG6PZE2dxwyh") == 0);
    /* sp-core default_phrase_should_be_used: "//Alice///password" is the dev phrase with the
     * password "password"; an explicit password overrides the URI's. */
    bst_key_pair a, b, c;
    CHECK(bst_key_from_suri(BST_KEY_SR25519, "//Alice///password", NULL, &a) == BST_SURI_OK);
    CHECK(bst_key_from_suri(BST_KEY_SR25519, "//Alice", "password", &b) == BST_SURI_OK);
    CHECK(bst_key_from_suri(BST_KEY_SR25519, "//Alice///other", "password", &c) == BST_SURI_OK);
    CHECK(memcmp(a.pub, b.pub, 32) == 0 && memcmp(a.pub, c.pub, 32) == 0);
    CHECK(memcmp(a.pub, k.pub, 32) != 0 && !a.is_phrase);
}

static void ss58_forms(void) {
    /* subkey README: the Polkadot (0) and Kusama (2) addresses of the hotel key. */
    uint8_t pub[32], back[32];
    char text[BST_SS58_MAX];
    uint16_t prefix;
    unhex("fec70cfbf1977c6965b5af10a4534a6a35d548eb14580594d0bc543286892515", pub, 32);
    CHECK(bst_ss58_encode(pub, 32, 0, text, sizeof text));
    CHECK(strcmp(text, "16m4J167Mptt8UXL8aGSAi7U2FnPpPxZHPrCgMG9KJzVoFqM") == 0);
    CHECK(bst_ss58_decode(text, back, 32, &prefix) && prefix == 0 && memcmp(back, pub, 32) == 0);
    CHECK(bst_ss58_encode(pub, 32, 2, text, sizeof text));
    CHECK(strcmp(text, "JLNozAv8QeLSbLFwe2UvWeKKE4yvmDbfGxTuiYkF2BUMx4M") == 0);
    /* Two-byte prefixes round-trip, and every refusal. */
    static const uint16_t PREFIXES[] = {42, 63, 64, 255, 1284, 16383};
    for (size_t i = 0; i < sizeof PREFIXES / sizeof PREFIXES[0]; i++) {
        CHECK(bst_ss58_encode(pub, 32, PREFIXES[i], text, sizeof text));
        CHECK(bst_ss58_decode(text, back, 32, &prefix) && prefix == PREFIXES[i]);
        CHECK(memcmp(back, pub, 32) == 0);
    }
    CHECK(!bst_ss58_encode(pub, 32, 16384, text, sizeof text));
    CHECK(!bst_ss58_encode(pub, 32, 42, text, 10));
    CHECK(!bst_ss58_decode("5Hpm9fq3W3dQgwWpAwDS2ZHKAdnk86QRCu7iX4GnmDxycrtf", back, 32, &prefix));
    CHECK(!bst_ss58_decode("5Hpm9fq3W3dQgwWpAwDS2ZHKAdnk86QRCu7iX4GnmDxycrte", back, 33, &prefix));
    CHECK(!bst_ss58_decode("0OIl", back, 32, &prefix));
    CHECK(!bst_ss58_decode("", back, 32, &prefix));
}

static void bip39_vectors(void) {
    /* The BIP39 standard's vectors (entropy and words; its seeds are plain BIP39's, which
     * Substrate does not use). */
    static const struct {
        const char *words, *entropy;
    } V[] = {
        {"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
         "about",
         "00000000000000000000000000000000"},
        {"legal winner thank year wave sausage worth useful legal winner thank yellow",
         "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f"},
        {"zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong", "ffffffffffffffffffffffffffffffff"},
        {"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
         "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
         "abandon art",
         "0000000000000000000000000000000000000000000000000000000000000000"},
    };
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
        uint8_t e[32];
        size_t n = 0;
        CHECK(cry_bip39_entropy(V[i].words, strlen(V[i].words), e, &n));
        CHECK(n == strlen(V[i].entropy) / 2 && eq_hex(e, V[i].entropy));
    }
    /* The list is sorted (the lookup is a binary search) and has the standard's ends. */
    for (size_t i = 1; i < 2048; i++) {
        CHECK(strcmp(cry_bip39_english[i - 1], cry_bip39_english[i]) < 0);
    }
    CHECK(strcmp(cry_bip39_english[0], "abandon") == 0);
    CHECK(strcmp(cry_bip39_english[2047], "zoo") == 0);
    uint8_t e[32];
    size_t n;
    /* Bad checksum (last word changed), unknown word, 11 words, 13 words. */
    static const char *BAD[] = {
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrongly",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
        "",
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        CHECK_MSG(!cry_bip39_entropy(BAD[i], strlen(BAD[i]), e, &n), "%s", BAD[i]);
    }
}

static void refusals(void) {
    static const struct {
        bst_key_scheme scheme;
        const char *uri;
        bst_suri_status want;
    } R[] = {
        {BST_KEY_SR25519, "//", BST_SURI_BAD_FORMAT},
        {BST_KEY_SR25519, "//Alice/", BST_SURI_BAD_FORMAT},
        {BST_KEY_SR25519, "a.b//Alice", BST_SURI_BAD_FORMAT},
        {BST_KEY_SR25519, "//Alice///pass\nword", BST_SURI_BAD_FORMAT},
        {BST_KEY_SR25519, "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo", BST_SURI_BAD_PHRASE},
        {BST_KEY_SR25519, "Bottom drive obey lake curtain smoke basket hold race lonely fit walk",
         BST_SURI_BAD_PHRASE},
        {BST_KEY_SR25519, "0x1234", BST_SURI_BAD_SEED},
        {BST_KEY_SR25519, "0xzz5c75731970cc7868a2fb7cb577353cd5b31f62dccced92c441acd8fee0c92d",
         BST_SURI_BAD_SEED},
        {BST_KEY_ED25519, "/Alice", BST_SURI_BAD_PATH},
        {BST_KEY_ECDSA, "//Alice/stash", BST_SURI_BAD_PATH},
        /* An all-zero seed is no secp256k1 key. */
        {BST_KEY_ECDSA, "0x0000000000000000000000000000000000000000000000000000000000000000",
         BST_SURI_BAD_SEED},
    };
    for (size_t i = 0; i < sizeof R / sizeof R[0]; i++) {
        bst_key_pair k;
        bst_suri_status st = bst_key_from_suri(R[i].scheme, R[i].uri, NULL, &k);
        CHECK_MSG(st == R[i].want, "%s: got %s", R[i].uri, bst_suri_status_text(st));
    }
    bst_key_pair k;
    CHECK(bst_key_from_suri(BST_KEY_SR25519, NULL, NULL, &k) == BST_SURI_BAD_FORMAT);
    CHECK(bst_key_from_suri((bst_key_scheme)7, "//Alice", NULL, &k) == BST_SURI_BAD_FORMAT);
    /* Numeric and long junctions take their own chain codes: //1 is not //01's string form... */
    bst_key_pair n1, n2, s1, l1, l2;
    CHECK(bst_key_from_suri(BST_KEY_ED25519, "//1", NULL, &n1) == BST_SURI_OK);
    CHECK(bst_key_from_suri(BST_KEY_ED25519, "//+1", NULL, &n2) == BST_SURI_OK);
    CHECK(bst_key_from_suri(BST_KEY_ED25519, "//1x", NULL, &s1) == BST_SURI_OK);
    CHECK(memcmp(n1.pub, n2.pub, 32) == 0 && memcmp(n1.pub, s1.pub, 32) != 0);
    /* ...and junctions past 31 bytes are hashed, so they still differ in their last byte. */
    CHECK(bst_key_from_suri(BST_KEY_ED25519, "//aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
                            &l1) == BST_SURI_OK);
    CHECK(bst_key_from_suri(BST_KEY_ED25519, "//aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", NULL,
                            &l2) == BST_SURI_OK);
    CHECK(memcmp(l1.pub, l2.pub, 32) != 0);
}

int main(void) {
    check_init();
    published_keys();
    ss58_forms();
    bip39_vectors();
    refusals();
    return check_finish("crypto/suri");
}
