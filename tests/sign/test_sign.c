/*
 * test_sign.c — the signing layer (CTest sign/unit): minisign keys (round trips, an encrypted
 * key and a wrong password), embedded module signatures (round trip, every single-byte change
 * of a signed module refused, custom sections appended after the signed part, several keys and
 * thresholds, distinct keys, detached signature data, each refusal's status), minisign detached
 * signatures (prehashed and legacy, tampering, the trusted comment) and the parser's bounds
 * against hostile counts.
 */
#include "bastion_crypto.h"
#include "bastion_sign.h"
#include "sign_impl.h"

#include "../support/check.h"

#include <stdlib.h>
#include <string.h>

/* (module (func (export "f") (result i32) i32.const 42)) */
static const uint8_t MODULE[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                                 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
                                 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a,
                                 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b};
/* a custom section "x" holding "hi", and a start section (id 8) for function 0 */
static const uint8_t CUSTOM[] = {0x00, 0x04, 0x01, 'x', 'h', 'i'};
static const uint8_t NONCUSTOM[] = {0x08, 0x01, 0x00};

static bst_sign_secret key_a, key_b, key_c;
static bst_sign_pubkey pub_a, pub_b, pub_c;

static uint8_t *cat(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, size_t *len) {
    uint8_t *p = malloc(alen + blen);
    REQUIRE(p);
    memcpy(p, a, alen);
    memcpy(p + alen, b, blen);
    *len = alen + blen;
    return p;
}

static uint8_t *sign(const bst_sign_secret *k, const uint8_t *m, size_t len, size_t *out_len) {
    uint8_t *out;
    char why[256];
    bst_sign_status st = bst_sign_module(k, m, len, &out, out_len, why, sizeof why);
    REQUIRE(st == BST_SIGN_OK);
    return out;
}

static bst_sign_status verify(const bst_sign_pubkey *keys, size_t n, size_t threshold,
                              const uint8_t *m, size_t len, bst_sign_result *res) {
    bst_sign_trust t = {keys, n, threshold};
    return bst_sign_verify_module(&t, m, len, NULL, 0, res);
}

static void test_keys(void) {
    char why[256];
    char *pub = bst_sign_pubkey_format(&pub_a);
    REQUIRE(pub);
    CHECK(strncmp(pub, "untrusted comment: minisign public key ", 39) == 0);
    bst_sign_pubkey back;
    CHECK(bst_sign_pubkey_parse(pub, strlen(pub), &back, why, sizeof why) == BST_SIGN_OK);
    CHECK(memcmp(&back, &pub_a, sizeof back) == 0);
    /* the base64 line alone, as minisign -P takes it */
    const char *line = strchr(pub, '\n') + 1;
    CHECK(bst_sign_pubkey_parse(line, strlen(line) - 1, &back, why, sizeof why) == BST_SIGN_OK);
    CHECK(memcmp(&back, &pub_a, sizeof back) == 0);
    CHECK(bst_sign_pubkey_parse("untrusted comment: x\nRWQ=\n", 26, &back, why, sizeof why) ==
          BST_SIGN_BAD_KEY);
    CHECK(bst_sign_pubkey_parse("", 0, &back, why, sizeof why) == BST_SIGN_BAD_KEY);
    free(pub);

    char *sec = bst_sign_secret_format(&key_a, NULL, 0, 0, 0);
    REQUIRE(sec);
    bst_sign_secret s;
    CHECK(!bst_sign_secret_is_encrypted(sec, strlen(sec)));
    CHECK(bst_sign_secret_parse(sec, strlen(sec), NULL, 0, &s, why, sizeof why) == BST_SIGN_OK);
    CHECK(memcmp(&s, &key_a, sizeof s) == 0);
    /* a corrupt secret: its public half no longer matches the seed */
    char *p = strchr(sec, '\n') + 1 + 100;
    *p = *p == 'A' ? 'B' : 'A';
    CHECK(bst_sign_secret_parse(sec, strlen(sec), NULL, 0, &s, why, sizeof why) ==
          BST_SIGN_BAD_KEY);
    free(sec);

    /* encrypted, with scrypt's interactive limits (minisign's own are tried by sign/minisign) */
    sec = bst_sign_secret_format(&key_b, "pw", 2, 524288, 16777216);
    REQUIRE(sec);
    CHECK(bst_sign_secret_is_encrypted(sec, strlen(sec)));
    CHECK(bst_sign_secret_parse(sec, strlen(sec), NULL, 0, &s, why, sizeof why) ==
          BST_SIGN_BAD_KEY);
    CHECK(bst_sign_secret_parse(sec, strlen(sec), "pW", 2, &s, why, sizeof why) ==
          BST_SIGN_BAD_KEY);
    CHECK(strstr(why, "wrong password") != NULL);
    CHECK(bst_sign_secret_parse(sec, strlen(sec), "pw", 2, &s, why, sizeof why) == BST_SIGN_OK);
    CHECK(memcmp(&s, &key_b, sizeof s) == 0);
    free(sec);

    char id[17];
    const uint8_t le[8] = {0xee, 0xb0, 0x5a, 0x85, 0x3e, 0x06, 0x2f, 0x98};
    bst_sign_key_id_text(le, id);
    CHECK_STR(id, "982F063E855AB0EE");
}

static void test_round_trip(void) {
    size_t len;
    uint8_t *m = sign(&key_a, MODULE, sizeof MODULE, &len);
    bst_sign_result res;
    CHECK(verify(&pub_a, 1, 1, m, len, &res) == BST_SIGN_OK);
    CHECK_EQ(res.signers, 1);
    CHECK_EQ(res.nsigners, 1);
    CHECK_EQ(res.signed_len, len);
    /* the original module follows the signature section unchanged, then a delimiter */
    sig_section s;
    size_t pos = 8;
    CHECK(sig_next_section(m, len, &pos, &s, NULL, 0) == 1 && sig_is_custom(&s, "signature"));
    CHECK(memcmp(m + pos, MODULE + 8, sizeof MODULE - 8) == 0);
    CHECK_EQ(len - pos - (sizeof MODULE - 8), 1 + 1 + 1 + 19 + 16);

    CHECK(verify(&pub_b, 1, 1, m, len, &res) == BST_SIGN_UNKNOWN_KEY);
    CHECK(verify(&pub_a, 1, 1, MODULE, sizeof MODULE, &res) == BST_SIGN_UNSIGNED);
    CHECK(verify(&pub_a, 1, 2, m, len, &res) == BST_SIGN_THRESHOLD);

    /* signing a signed module with the same key is refused; the same parts keep one set */
    uint8_t *out;
    size_t out_len;
    char why[256];
    CHECK(bst_sign_module(&key_a, m, len, &out, &out_len, why, sizeof why) == BST_SIGN_ERROR);
    CHECK(strstr(why, "already signed") != NULL);
    /* nor is a module whose earlier signature no longer matches it */
    m[len - 38 - 2] ^= 1;
    CHECK(bst_sign_module(&key_b, m, len, &out, &out_len, why, sizeof why) == BST_SIGN_TAMPERED);
    CHECK(strstr(why, "changed after signing") != NULL);
    free(m);
}

/* Every single-byte change of a signed module is refused, whatever the byte. */
static void test_every_byte(void) {
    size_t len;
    uint8_t *m = sign(&key_a, MODULE, sizeof MODULE, &len);
    size_t sig_end = 8;
    sig_section s;
    REQUIRE(sig_next_section(m, len, &sig_end, &s, NULL, 0) == 1);
    int accepted = 0, tampered = 0, bad = 0;
    for (size_t i = 0; i < len; i++) {
        for (int flip = 1; flip < 256; flip <<= 1) {
            m[i] ^= (uint8_t)flip;
            bst_sign_result res;
            bst_sign_status st = verify(&pub_a, 1, 1, m, len, &res);
            if (st == BST_SIGN_OK) {
                accepted++;
                fprintf(stderr, "byte %zu ^ 0x%02x accepted\n", i, flip);
            }
            /* a change in the signed part (not a section header) reads as tampering */
            if (i >= sig_end && st == BST_SIGN_TAMPERED) tampered++;
            if (i >= sig_end - 64 && i < sig_end && st == BST_SIGN_BAD_SIGNATURE) bad++;
            m[i] ^= (uint8_t)flip;
        }
    }
    CHECK_EQ(accepted, 0);
    CHECK(tampered > 0 && bad == 64 * 8);
    free(m);
}

static void test_appended(void) {
    size_t len, len2, len3;
    uint8_t *m = sign(&key_a, MODULE, sizeof MODULE, &len);
    bst_sign_result res;
    /* a custom section appended after the delimiter: verified, and left out of what loads */
    uint8_t *m2 = cat(m, len, CUSTOM, sizeof CUSTOM, &len2);
    CHECK(verify(&pub_a, 1, 1, m2, len2, &res) == BST_SIGN_OK);
    CHECK_EQ(res.signed_len, len);
    /* a second key signs the extended module: a new part, a second set */
    uint8_t *m3 = sign(&key_b, m2, len2, &len3);
    bst_sign_pubkey both[2] = {pub_a, pub_b};
    CHECK(verify(both, 2, 2, m3, len3, &res) == BST_SIGN_OK);
    CHECK_EQ(res.signers, 3);
    CHECK_EQ(res.signed_len, len3 - 38 - sizeof CUSTOM); /* a's part ends before the custom */
    free(m3);
    /* a non-custom section appended: refused */
    free(m2);
    m2 = cat(m, len, NONCUSTOM, sizeof NONCUSTOM, &len2);
    CHECK(verify(&pub_a, 1, 1, m2, len2, &res) == BST_SIGN_UNSIGNED_SECTION);
    CHECK(strstr(res.message, "section 8") != NULL);
    free(m2);
    /* a section removed from the signed part (here its closing delimiter): tampered */
    CHECK(verify(&pub_a, 1, 1, m, len - 38, &res) == BST_SIGN_TAMPERED);
    free(m);
}

/* Two keys and thresholds; the same key counted once however often it appears. */
static void test_threshold(void) {
    size_t l1, l2;
    uint8_t *m1 = sign(&key_a, MODULE, sizeof MODULE, &l1);
    uint8_t *m2 = sign(&key_b, m1, l1, &l2);
    bst_sign_result res;
    bst_sign_pubkey ab[2] = {pub_a, pub_b}, aa[2] = {pub_a, pub_a}, ac[2] = {pub_a, pub_c};
    CHECK(verify(ab, 2, 2, m2, l2, &res) == BST_SIGN_OK);
    CHECK_EQ(res.nsigners, 2);
    CHECK_EQ(res.signed_len, l2);
    CHECK(verify(ab, 2, 3, m2, l2, &res) == BST_SIGN_THRESHOLD);
    CHECK(verify(ac, 2, 2, m2, l2, &res) == BST_SIGN_THRESHOLD);
    CHECK(verify(aa, 2, 2, m1, l1, &res) == BST_SIGN_THRESHOLD);
    CHECK_EQ(res.signers, 3);
    CHECK_EQ(res.nsigners, 1);

    /* one key's record twice in the set: still one signer */
    size_t pos = 8;
    sig_section s;
    REQUIRE(sig_next_section(m1, l1, &pos, &s, NULL, 0) == 1);
    sig_data d;
    sig_set set;
    sig_record r;
    REQUIRE(sig_data_parse(s.body, s.body_len, &d, NULL, 0) && sig_next_set(&d, &set));
    REQUIRE(sig_next_record(&set, &r));
    sig_buf data = {0}, mod = {0};
    sig_put(&data, "\x01\x01\x01\x01", 4);
    sig_put_u32(&data, (uint32_t)(1 + 32 + 1 + 2 * (1 + r.raw_len)));
    sig_put(&data, "\x01", 1);
    sig_put(&data, set.hashes, 32);
    sig_put(&data, "\x02", 1);
    for (int i = 0; i < 2; i++) {
        sig_put_u32(&data, (uint32_t)r.raw_len);
        sig_put(&data, r.raw, r.raw_len);
    }
    sig_put(&mod, m1, 8);
    sig_put_byte(&mod, 0);
    sig_put_u32(&mod, (uint32_t)(1 + 9 + data.len));
    sig_put(&mod, "\x09signature", 10);
    sig_put(&mod, data.p, data.len);
    sig_put(&mod, m1 + s.end, l1 - s.end);
    REQUIRE(!data.failed && !mod.failed);
    CHECK(verify(ab, 2, 1, mod.p, mod.len, &res) == BST_SIGN_OK);
    CHECK(verify(ab, 2, 2, mod.p, mod.len, &res) == BST_SIGN_THRESHOLD);
    CHECK_EQ(res.nsigners, 1);

    /* detached: the signature data given apart from the module */
    bst_sign_trust t = {&pub_a, 1, 1};
    uint8_t *bare;
    size_t bare_len;
    bare = cat(m1, 8, m1 + s.end, l1 - s.end, &bare_len);
    CHECK(bst_sign_verify_module(&t, bare, bare_len, s.body, s.body_len, &res) == BST_SIGN_OK);
    bare[bare_len - 1] ^= 1;
    CHECK(bst_sign_verify_module(&t, bare, bare_len, s.body, s.body_len, &res) ==
          BST_SIGN_TAMPERED);
    free(bare);
    free(data.p);
    free(mod.p);
    free(m1);
    free(m2);
}

/* Hostile counts are refused against the bytes present, before anything is sized by them. */
static void test_parser_bounds(void) {
    sig_data d;
    char why[256];
    static const uint8_t many_sets[] = {1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f};
    CHECK(!sig_data_parse(many_sets, sizeof many_sets, &d, why, sizeof why));
    static const uint8_t many_hashes[] = {1, 1, 1, 1, 6, 0xff, 0xff, 0xff, 0xff, 0x0f, 0};
    CHECK(!sig_data_parse(many_hashes, sizeof many_hashes, &d, why, sizeof why));
    static const uint8_t bad_version[] = {2, 1, 1, 0};
    CHECK(!sig_data_parse(bad_version, sizeof bad_version, &d, why, sizeof why));
    CHECK(strstr(why, "unsupported") != NULL);
    static const uint8_t long_leb[] = {1, 1, 1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00};
    CHECK(!sig_data_parse(long_leb, sizeof long_leb, &d, why, sizeof why));
    /* a section whose size runs past the module */
    static const uint8_t cut[] = {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 0xff, 0x01, 9};
    bst_sign_result res;
    CHECK(verify(&pub_a, 1, 1, cut, sizeof cut, &res) == BST_SIGN_MALFORMED);
}

static void test_minisig(void) {
    const uint8_t data[] = "some file contents";
    bst_sign_trust t = {&pub_a, 1, 1};
    bst_sign_result res;
    char *sig = bst_sign_minisig(&key_a, data, sizeof data, "timestamp:1\tfile:x");
    REQUIRE(sig);
    CHECK(bst_sign_verify_minisig(&t, data, sizeof data, sig, strlen(sig), &res) == BST_SIGN_OK);
    CHECK(res.trusted_comment_len == 18 &&
          memcmp(res.trusted_comment, "timestamp:1\tfile:x", 18) == 0);
    uint8_t changed[sizeof data];
    memcpy(changed, data, sizeof data);
    changed[3] ^= 1;
    CHECK(bst_sign_verify_minisig(&t, changed, sizeof data, sig, strlen(sig), &res) ==
          BST_SIGN_BAD_SIGNATURE);
    /* the trusted comment is covered by the global signature */
    char *tc = strstr(sig, "file:x");
    tc[5] = 'y';
    CHECK(bst_sign_verify_minisig(&t, data, sizeof data, sig, strlen(sig), &res) ==
          BST_SIGN_BAD_SIGNATURE);
    CHECK(strstr(res.message, "trusted comment") != NULL);
    tc[5] = 'x';
    bst_sign_trust tb = {&pub_b, 1, 1}, t2 = {&pub_a, 1, 2};
    CHECK(bst_sign_verify_minisig(&tb, data, sizeof data, sig, strlen(sig), &res) ==
          BST_SIGN_UNKNOWN_KEY);
    CHECK(bst_sign_verify_minisig(&t2, data, sizeof data, sig, strlen(sig), &res) ==
          BST_SIGN_THRESHOLD);
    CHECK(bst_sign_verify_minisig(&t, data, sizeof data, "junk", 4, &res) == BST_SIGN_MALFORMED);
    free(sig);

    /* legacy "Ed": the file itself is signed, not its BLAKE2b-512 */
    uint8_t raw[74] = {'E', 'd'}, global[64], gmsg[64 + 1];
    memcpy(raw + 2, key_a.id, 8);
    bst_ed25519_sign(key_a.key, data, sizeof data, raw + 10);
    memcpy(gmsg, raw + 10, 64);
    gmsg[64] = 'c';
    bst_ed25519_sign(key_a.key, gmsg, sizeof gmsg, global);
    char text[512], b1[128], b2[128];
    bst_base64_encode(b1, raw, sizeof raw);
    bst_base64_encode(b2, global, sizeof global);
    snprintf(text, sizeof text, "untrusted comment: legacy\n%s\ntrusted comment: c\n%s\n", b1, b2);
    CHECK(bst_sign_verify_minisig(&t, data, sizeof data, text, strlen(text), &res) == BST_SIGN_OK);
    CHECK(bst_sign_verify_minisig(&t, changed, sizeof data, text, strlen(text), &res) ==
          BST_SIGN_BAD_SIGNATURE);
}

int main(void) {
    REQUIRE(bst_crypto_init());
    bst_sign_keygen(&key_a, &pub_a);
    bst_sign_keygen(&key_b, &pub_b);
    bst_sign_keygen(&key_c, &pub_c);
    test_keys();
    test_round_trip();
    test_every_byte();
    test_appended();
    test_threshold();
    test_parser_bounds();
    test_minisig();
    return check_finish("sign/unit");
}
