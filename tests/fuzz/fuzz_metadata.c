/*
 * fuzz_metadata.c — libFuzzer target for the decoders of what a runtime returns
 * (include/bastion_substrate.h): bst_substrate_metadata_decode (OpaqueMetadata, versions 9..15)
 * and bst_substrate_version_decode (RuntimeVersion), on arbitrary bytes; and the signed
 * extrinsics built from metadata V14/V15 (include/bastion_extrinsic.h), which walk its type
 * registry: a transfer and a System.remark, which either fail with a message or give an
 * extrinsic with a well-formed length prefix.
 *
 * The input is decoded three ways: as is by both decoders, and wrapped in a correct
 * OpaqueMetadata length prefix (so that mutations of a seed's inner bytes, which break the outer
 * length, still reach the pallet walk).  Seeds: the Metadata_metadata / Core_version outputs of
 * ../shared/runtimes (`bastion runtime call FILE Metadata_metadata`, V11 and the
 * node-template local testnet's V14), raw and without the prefix.  Checked, besides ASan/UBSan: results point into the input, pallet names are UTF-8,
 * the version is 9..15, indices exist from V12 on, failures leave nothing allocated and
 * zeroed outputs, and decoding is deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_extrinsic.h"
#include "bastion_substrate.h"
#include "../support/check.h"

static bool inside(const void *p, size_t n, const uint8_t *base, size_t len) {
    const uint8_t *q = p;
    return n == 0 || (q >= base && n <= len && (size_t)(q - base) <= len - n);
}

static void metadata(const uint8_t *p, size_t len) {
    bst_substrate_metadata m, m2;
    const char *e = bst_substrate_metadata_decode(p, len, &m);
    const char *e2 = bst_substrate_metadata_decode(p, len, &m2);
    REQUIRE((e == NULL) == (e2 == NULL) && m.version == m2.version && m.npallets == m2.npallets);
    if (e) {
        REQUIRE(*e != '\0');
        REQUIRE(m.pallets == NULL && m.npallets == 0);
    } else {
        REQUIRE(m.version >= 9 && m.version <= 15);
        REQUIRE(m.pallets != NULL && m.npallets <= len);
        for (size_t i = 0; i < m.npallets; i++) {
            const bst_substrate_pallet *pl = &m.pallets[i];
            REQUIRE(inside(pl->name, pl->name_len, p, len));
            REQUIRE(bst_scale_utf8_valid((const uint8_t *)pl->name, pl->name_len));
            REQUIRE(pl->has_index == (m.version >= 12));
            REQUIRE(pl->name == m2.pallets[i].name && pl->index == m2.pallets[i].index);
        }
    }
    bst_substrate_metadata_free(&m);
    bst_substrate_metadata_free(&m2);
    REQUIRE(m.pallets == NULL && m.npallets == 0);
}

/* An extrinsic built from metadata p: an error with a message, or bytes that are a Vec<u8>. */
static void extrinsics(const uint8_t *p, size_t len) {
    static const uint8_t seed[32] = {7}, dest[32] = {9}, amount[16] = {1, 2, 3};
    bst_key_pair k;
    memset(&k, 0, sizeof k);
    k.scheme = BST_KEY_ED25519; /* the fastest signer: the payload is what is exercised */
    bst_ed25519_from_seed(seed, k.pub, k.secret);
    k.pub_len = 32;
    bst_extrinsic_context ctx = {p, len, {1}, 100, 1, 5};
    for (int i = 0; i < 2; i++) {
        uint8_t *xt = NULL;
        size_t n = 0;
        char err[160] = "";
        static const uint8_t remark[] = {4, 'h'};
        bool ok = i == 0 ? bst_extrinsic_transfer(&ctx, &k, dest, amount, &xt, &n, err, sizeof err)
                         : bst_extrinsic_signed(&ctx, &k, "System", "remark", remark, sizeof remark,
                                                &xt, &n, err, sizeof err);
        if (!ok) {
            REQUIRE(xt == NULL && err[0] != '\0');
            continue;
        }
        bst_scale_dec d;
        const uint8_t *body;
        size_t body_len;
        bst_scale_dec_init(&d, xt, n);
        bst_scale_get_bytes(&d, &body, &body_len);
        REQUIRE(bst_scale_finish(&d) == BST_SCALE_OK && body_len > 1 + 32 + 64 && body[0] == 0x84);
        free(xt);
    }
}

static void version(const uint8_t *p, size_t len) {
    bst_substrate_version v;
    bst_scale_err e = bst_substrate_version_decode(p, len, &v);
    if (e != BST_SCALE_OK) {
        static const bst_substrate_version zero;
        REQUIRE(memcmp(&v, &zero, sizeof v) == 0);
        return;
    }
    REQUIRE(inside(v.spec_name, v.spec_name_len, p, len));
    REQUIRE(inside(v.impl_name, v.impl_name_len, p, len));
    REQUIRE(bst_scale_utf8_valid((const uint8_t *)v.spec_name, v.spec_name_len));
    REQUIRE(bst_scale_utf8_valid((const uint8_t *)v.impl_name, v.impl_name_len));
    REQUIRE(v.napis <= len / 12 && inside(v.apis_raw, v.napis * 12, p, len));
    REQUIRE(!v.has_state_version || v.has_transaction_version);
    uint32_t sum = 0;
    for (size_t i = 0; i <= v.napis; i++) { /* one past the end: zeroed */
        bst_substrate_api a;
        bst_substrate_version_api(&v, i, &a);
        sum += a.version + a.id[0];
        if (i == v.napis) REQUIRE(a.version == 0 && a.id[0] == 0);
    }
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* Exact-size copies: ASan then sees any read past the end. */
    uint8_t *in = malloc(size ? size : 1);
    if (!in) return 0;
    if (size) memcpy(in, data, size);
    if (!bst_crypto_init()) return 0;
    metadata(size ? in : NULL, size);
    extrinsics(size ? in : NULL, size);
    version(size ? in : NULL, size);
    free(in);

    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_bytes(&b, data, size); /* OpaqueMetadata(data) */
    if (bst_scale_buf_error(&b) == BST_SCALE_OK) {
        uint8_t *w = malloc(b.len);
        if (w) {
            memcpy(w, b.data, b.len);
            metadata(w, b.len);
            free(w);
        }
    }
    bst_scale_buf_free(&b);
    return 0;
}
