/*
 * fuzz_runtime_blob.c — libFuzzer target for bst_substrate_code_decode
 * (include/bastion_substrate.h): a runtime code blob, plain or zstd-compressed behind the 8-byte
 * prefix, decoded with a small bomb limit (max_out) so that each run stays fast.
 *
 * The input is the blob; the limit is 64 KiB, or (when the blob is compressed and its last
 * byte is odd) a tiny one derived from its length, to reach the exact-limit edge.  Checked,
 * besides ASan/UBSan and leaks: the result against libzstd's streaming decoder run over the
 * whole input at once (one complete frame, no bytes after it, at most max_out bytes: the same
 * bytes; more: BST_ERR_LIMIT; else refused), the plain blob copied verbatim, and the documented
 * statuses and outputs on failure.  (libzstd's one-shot ZSTD_decompress is not the reference: it
 * differs from the streaming decoder on corner cases, e.g. a block larger than the window.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "bastion_substrate.h"
#include "../support/check.h"

#define MAX_OUT (64u * 1024u)

/* The reference: libzstd's streaming decoder (what Substrate's decoder uses as well) run over
 * the whole input at once into a buffer of cap bytes. */
enum { REF_OK, REF_ERROR, REF_TRAILING, REF_TOO_BIG };

static int ref_stream(const uint8_t *src, size_t n, uint8_t *buf, size_t cap, size_t *len) {
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    REQUIRE(dctx != NULL);
    ZSTD_inBuffer in = {src, n, 0};
    ZSTD_outBuffer out = {buf, cap, 0};
    int res;
    for (;;) {
        size_t in0 = in.pos, out0 = out.pos;
        size_t ret = ZSTD_decompressStream(dctx, &out, &in);
        if (ZSTD_isError(ret)) {
            res = REF_ERROR;
            break;
        }
        if (ret == 0) {
            res = in.pos == n ? REF_OK : REF_TRAILING;
            break;
        }
        if (out.pos == cap) {
            res = REF_TOO_BIG;
            break;
        }
        if (in.pos == in0 && out.pos == out0) { /* truncated */
            res = REF_ERROR;
            break;
        }
    }
    *len = out.pos;
    ZSTD_freeDCtx(dctx);
    return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bool compressed = bst_substrate_code_is_compressed(data, size);
    size_t max_out = MAX_OUT;
    if (compressed && (data[size - 1] & 1)) max_out = 1 + size % 512;

    uint8_t *code = (uint8_t *)"sentinel";
    size_t code_len = 12345;
    bst_error err;
    bst_status st = bst_substrate_code_decode(data, size, max_out, &code, &code_len, &err);
    if (st != BST_OK) {
        REQUIRE(code == NULL && code_len == 0);
        REQUIRE(err.status == st && err.message[0] != '\0');
        REQUIRE(st == BST_ERR_LIMIT || st == BST_ERR_MALFORMED);
    } else {
        REQUIRE(code != NULL && code_len <= max_out);
    }
    if (!compressed) {
        /* Plain wasm: copied as is, or refused when larger than the limit. */
        REQUIRE(st == (size > max_out ? BST_ERR_LIMIT : BST_OK));
        if (st == BST_OK) REQUIRE(code_len == size && (size == 0 || memcmp(code, data, size) == 0));
        free(code);
        return 0;
    }

    /* Reference: the streaming decoder with room for max_out + 2 bytes. */
    size_t cap = max_out + 2, rlen = 0;
    uint8_t *ref = malloc(cap);
    REQUIRE(ref != NULL);
    int r = ref_stream(data + BST_SUBSTRATE_ZSTD_PREFIX_LEN, size - BST_SUBSTRATE_ZSTD_PREFIX_LEN,
                       ref, cap, &rlen);
    if (r == REF_OK && rlen <= max_out) {
        REQUIRE(st == BST_OK && code_len == rlen && (rlen == 0 || memcmp(code, ref, rlen) == 0));
    } else if (r == REF_OK) {
        REQUIRE(st == BST_ERR_LIMIT); /* exactly one byte over the limit */
    } else if (r == REF_TOO_BIG) {
        REQUIRE(st == BST_ERR_LIMIT || st == BST_ERR_MALFORMED);
    } else {
        /* corrupt, truncated or bytes after the frame (LIMIT: a declared size over it) */
        REQUIRE(st == BST_ERR_MALFORMED || st == BST_ERR_LIMIT);
    }
    free(ref);
    free(code);
    return 0;
}
