/*
 * block.c — Substrate's generic header and block encodings (sp-runtime generic::Header with
 * BLAKE2b-256 and a u32 block number, generic::Block of opaque extrinsics) and the Aura slot of
 * a header's PreRuntime digest.
 *
 * Header: parent_hash [32] ++ Compact<u32> number ++ state_root ++ extrinsics_root ++
 * Vec<DigestItem>; DigestItem: 0 Other(Vec<u8>), 4 Consensus / 5 Seal / 6 PreRuntime
 * (engine [4], Vec<u8>), 8 RuntimeEnvironmentUpdated.  Block: header ++ Vec<Vec<u8>>.
 */
#include "chain_util.h"
#include "bastion_crypto.h"

#include <stdlib.h>
#include <string.h>

static bool get_hash(bst_scale_dec *d, uint8_t out[32]) {
    const uint8_t *p;
    if (bst_scale_get_raw(d, 32, &p) != BST_SCALE_OK) return false;
    memcpy(out, p, 32);
    return true;
}

static bool digest_item_decode(bst_scale_dec *d, chn_digest_item *it) {
    if (bst_scale_get_u8(d, &it->kind) != BST_SCALE_OK) return false;
    memset(it->engine, 0, 4);
    it->data = NULL;
    it->len = 0;
    const uint8_t *p;
    switch (it->kind) {
    case CHN_DIGEST_OTHER: return bst_scale_get_bytes(d, &it->data, &it->len) == BST_SCALE_OK;
    case CHN_DIGEST_CONSENSUS:
    case CHN_DIGEST_SEAL:
    case CHN_DIGEST_PRERUNTIME:
        if (bst_scale_get_raw(d, 4, &p) != BST_SCALE_OK) return false;
        memcpy(it->engine, p, 4);
        return bst_scale_get_bytes(d, &it->data, &it->len) == BST_SCALE_OK;
    case CHN_DIGEST_RUNTIME_UPDATED: return true;
    default: return false;
    }
}

bool chn_header_decode(bst_scale_dec *d, chn_header *h, char *err, size_t errlen) {
    uint64_t number;
    size_t n;
    if (!get_hash(d, h->parent) || bst_scale_get_compact_u64(d, &number) != BST_SCALE_OK ||
        number > UINT32_MAX || !get_hash(d, h->state_root) || !get_hash(d, h->extrinsics_root) ||
        bst_scale_get_len(d, 1, &n) != BST_SCALE_OK)
        return chn_fail(err, errlen, "malformed header");
    if (n > CHN_MAX_DIGEST)
        return chn_fail(err, errlen, "header has %zu digest items (at most %d)", n, CHN_MAX_DIGEST);
    h->number = (uint32_t)number;
    h->ndigest = n;
    for (size_t i = 0; i < n; i++)
        if (!digest_item_decode(d, &h->digest[i]))
            return chn_fail(err, errlen, "malformed header digest item %zu", i);
    return true;
}

void chn_header_encode(const chn_header *h, bst_scale_buf *b) {
    bst_scale_put_raw(b, h->parent, 32);
    bst_scale_put_compact_u64(b, h->number);
    bst_scale_put_raw(b, h->state_root, 32);
    bst_scale_put_raw(b, h->extrinsics_root, 32);
    bst_scale_put_len(b, h->ndigest);
    for (size_t i = 0; i < h->ndigest; i++) {
        const chn_digest_item *it = &h->digest[i];
        bst_scale_put_u8(b, it->kind);
        if (it->kind == CHN_DIGEST_RUNTIME_UPDATED) continue;
        if (it->kind != CHN_DIGEST_OTHER) bst_scale_put_raw(b, it->engine, 4);
        bst_scale_put_bytes(b, it->data, it->len);
    }
}

bool chn_header_hash(const chn_header *h, uint8_t out[32]) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    chn_header_encode(h, &b);
    bool ok = bst_scale_buf_error(&b) == BST_SCALE_OK;
    if (ok) bst_blake2_256(b.data, b.len, out);
    bst_scale_buf_free(&b);
    return ok;
}

bool chn_header_aura_slot(const chn_header *h, uint64_t *slot) {
    for (size_t i = 0; i < h->ndigest; i++) {
        const chn_digest_item *it = &h->digest[i];
        if (it->kind == CHN_DIGEST_PRERUNTIME && memcmp(it->engine, "aura", 4) == 0 &&
            it->len == 8) {
            uint64_t s = 0;
            for (int k = 7; k >= 0; k--) s = s << 8 | it->data[k];
            *slot = s;
            return true;
        }
    }
    return false;
}

/* Views of each element's encoding (compact length ++ bytes) of a Vec<Vec<u8>> read from d. */
static bool split_vec(bst_scale_dec *d, const uint8_t ***ext, size_t **ext_len, size_t *n) {
    size_t count;
    *ext = NULL;
    *ext_len = NULL;
    *n = 0;
    if (bst_scale_get_len(d, 1, &count) != BST_SCALE_OK) return false;
    *ext = calloc(count ? count : 1, sizeof **ext);
    *ext_len = calloc(count ? count : 1, sizeof **ext_len);
    if (!*ext || !*ext_len) return false;
    for (size_t i = 0; i < count; i++) {
        size_t start = d->pos, len;
        const uint8_t *p;
        if (bst_scale_get_bytes(d, &p, &len) != BST_SCALE_OK) return false;
        (*ext)[i] = d->p + start;
        (*ext_len)[i] = d->pos - start;
    }
    *n = count;
    return true;
}

bool chn_extrinsics_split(const uint8_t *p, size_t len, const uint8_t ***ext, size_t **ext_len,
                          size_t *n) {
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    if (split_vec(&d, ext, ext_len, n) && bst_scale_finish(&d) == BST_SCALE_OK) return true;
    free(*ext);
    free(*ext_len);
    *ext = NULL;
    *ext_len = NULL;
    return false;
}

bool chn_block_decode(const uint8_t *p, size_t len, chn_block *b, char *err, size_t errlen) {
    memset(b, 0, sizeof *b);
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    if (!chn_header_decode(&d, &b->header, err, errlen)) return false;
    if (!split_vec(&d, &b->ext, &b->ext_len, &b->next) || bst_scale_finish(&d) != BST_SCALE_OK) {
        chn_block_free(b);
        return chn_fail(err, errlen, "malformed block body");
    }
    return true;
}

void chn_block_free(chn_block *b) {
    free(b->ext);
    free(b->ext_len);
    b->ext = NULL;
    b->ext_len = NULL;
    b->next = 0;
}

void chn_block_encode(const chn_header *h, const uint8_t *const *ext, const size_t *ext_len,
                      size_t n, bst_scale_buf *b) {
    chn_header_encode(h, b);
    bst_scale_put_len(b, n);
    for (size_t i = 0; i < n; i++) bst_scale_put_raw(b, ext[i], ext_len[i]);
}
