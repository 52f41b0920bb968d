/*
 * fuzz_sign.c — libFuzzer target for the signing layer's parsers (include/bastion_sign.h): the
 * module's section headers and the `signature` section's data, minisign signature text and key
 * strings, all from hostile bytes.
 *
 * Byte 0 picks what the rest is (mod 4):
 *   0  a module, verified against two fixed trusted keys with threshold 1 or 2 (byte 1's bit);
 *   1  the data of a detached signature section, verified over a module signed by key 1;
 *   2  minisign signature text, verified over fixed data;
 *   3  a module signed with key 1 (when bst_sign_module accepts it): the result must verify.
 * Checked, besides ASan/UBSan and leaks: every status is one of the enum's; OK means enough
 * signers, signed_len within the module and an empty message; a refusal names no signer beyond
 * the trust set and explains itself; and signing then verifying round-trips with signed_len the
 * whole output.  The keys come from fixed seeds, so seeds in the corpus may carry signatures
 * that verify and reach the hash comparison.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_crypto.h"
#include "bastion_sign.h"
#include "../support/check.h"

/* (module (func (export "f") (result i32) i32.const 42)) */
static const uint8_t MODULE[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                                 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
                                 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a,
                                 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b};

/* Key k (1 or 2): id k,k,...; the seed k,k,... */
static void fixed_key(uint8_t k, bst_sign_secret *s, bst_sign_pubkey *p) {
    uint8_t seed[32], pk[32];
    memset(seed, k, sizeof seed);
    memset(s->id, k, sizeof s->id);
    bst_ed25519_from_seed(seed, pk, s->key);
    bst_sign_secret_pubkey(s, p);
}

static void check_result(bst_sign_status st, const bst_sign_result *r, size_t len,
                         size_t threshold) {
    REQUIRE(st == r->status);
    REQUIRE(st >= BST_SIGN_OK && st <= BST_SIGN_ERROR);
    REQUIRE(r->signers < 4); /* two trusted keys */
    if (st == BST_SIGN_OK) {
        REQUIRE(r->nsigners >= threshold && r->signed_len <= len && r->message[0] == 0);
    } else {
        REQUIRE(r->message[0] != 0);
        REQUIRE(memchr(r->message, 0, sizeof r->message) != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    REQUIRE(bst_crypto_init());
    if (size < 2) return 0;
    bst_sign_secret sec[2];
    bst_sign_pubkey pub[2];
    fixed_key(1, &sec[0], &pub[0]);
    fixed_key(2, &sec[1], &pub[1]);
    size_t threshold = (data[1] & 1) + 1;
    bst_sign_trust trust = {pub, 2, threshold};
    bst_sign_result res;
    const uint8_t *in = data + 2;
    size_t n = size - 2;
    switch (data[0] % 4) {
    case 0:
        check_result(bst_sign_verify_module(&trust, in, n, NULL, 0, &res), &res, n, threshold);
        break;
    case 1: {
        uint8_t *signed_mod;
        size_t slen;
        char why[256];
        REQUIRE(bst_sign_module(&sec[0], MODULE, sizeof MODULE, &signed_mod, &slen, why,
                                sizeof why) == BST_SIGN_OK);
        /* the module without its signature section (header, then the original sections on) */
        size_t sig_end = 10 + signed_mod[9];
        uint8_t *bare = malloc(slen);
        REQUIRE(bare);
        memcpy(bare, signed_mod, 8);
        memcpy(bare + 8, signed_mod + sig_end, slen - sig_end);
        size_t blen = 8 + slen - sig_end;
        check_result(bst_sign_verify_module(&trust, bare, blen, in, n, &res), &res, blen,
                     threshold);
        free(bare);
        free(signed_mod);
        break;
    }
    case 2: {
        static const uint8_t file[] = "fuzzed file";
        bst_sign_trust one = {pub, 2, 1};
        check_result(bst_sign_verify_minisig(&one, file, sizeof file, (const char *)in, n, &res),
                     &res, sizeof file, 1);
        bst_sign_pubkey k;
        char why[128];
        bst_sign_status st = bst_sign_pubkey_parse((const char *)in, n, &k, why, sizeof why);
        REQUIRE(st == BST_SIGN_OK || st == BST_SIGN_BAD_KEY);
        break;
    }
    case 3: {
        uint8_t *out;
        size_t out_len;
        char why[256];
        if (bst_sign_module(&sec[0], in, n, &out, &out_len, why, sizeof why) != BST_SIGN_OK) break;
        bst_sign_trust t1 = {pub, 1, 1};
        bst_sign_status st = bst_sign_verify_module(&t1, out, out_len, NULL, 0, &res);
        if (st != BST_SIGN_OK) fprintf(stderr, "round trip: %s\n", res.message);
        REQUIRE(st == BST_SIGN_OK && res.signed_len == out_len && res.signers == 1);
        free(out);
        break;
    }
    }
    return 0;
}
