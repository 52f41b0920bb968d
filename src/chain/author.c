/*
 * author.c — building blocks (sc-block-builder with Aura's slot and seal, for development
 * authorities) and importing them (Aura's seal check, then Core_execute_block as sc-service's
 * import does), each committed with its state in one database transaction.
 *
 * Both run the parent's runtime (`:code` in the parent's state) over a view of the parent's
 * state; the block's changes accumulate in that runtime's overlay and are stored under the new
 * root only after the runtime has accepted the whole block.
 */
#include "chain_internal.h"
#include "bastion_crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arrays of chars, not of pointers: a pointer table would be relocated data (no-global-state). */
static const char DEV_ACCOUNTS[][8] = {"alice", "bob", "charlie", "dave", "eve", "ferdie"};

static void hex_into(char *out, size_t cap, const uint8_t *p, size_t n) {
    size_t o = 0;
    if (cap < 3) return;
    o += (size_t)snprintf(out, cap, "0x");
    for (size_t i = 0; i < n && o + 3 <= cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%02x", p[i]);
}

static uint64_t le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void put_le64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- Aura ---------------------------------------------------------------------------------- */

typedef struct aura {
    uint64_t slot_duration;
    uint8_t *authorities; /* n × 32 bytes (sr25519 public keys) */
    size_t n;
} aura;

/* AuraApi_slot_duration and AuraApi_authorities at the runtime's (parent) state. */
static bool aura_params(chn_runtime *r, aura *a, char *err, size_t errlen) {
    uint8_t *out = NULL;
    size_t len = 0;
    memset(a, 0, sizeof *a);
    if (!chn_call(r, "AuraApi_slot_duration", NULL, 0, true, &out, &len, err, errlen)) return false;
    bool ok = len == 8;
    if (ok) a->slot_duration = le64(out);
    free(out);
    if (!ok || a->slot_duration == 0)
        return chn_fail(err, errlen, "AuraApi_slot_duration: not a non-zero u64");
    if (!chn_call(r, "AuraApi_authorities", NULL, 0, true, &out, &len, err, errlen)) return false;
    bst_scale_dec d;
    bst_scale_dec_init(&d, out, len);
    const uint8_t *p = NULL;
    ok = bst_scale_get_len(&d, 32, &a->n) == BST_SCALE_OK &&
         bst_scale_get_raw(&d, a->n * 32, &p) == BST_SCALE_OK &&
         bst_scale_finish(&d) == BST_SCALE_OK && a->n > 0;
    if (ok) {
        a->authorities = malloc(a->n * 32);
        ok = a->authorities != NULL;
        if (ok) memcpy(a->authorities, p, a->n * 32);
    }
    free(out);
    if (!ok) return chn_fail(err, errlen, "AuraApi_authorities: not a non-empty Vec<[u8; 32]>");
    return true;
}

static const uint8_t *slot_author(const aura *a, uint64_t slot) {
    return a->authorities + (size_t)(slot % a->n) * 32;
}

/* The development account whose sr25519 key is pub. */
static bool dev_key(const uint8_t pub[32], uint8_t secret[64]) {
    uint8_t p[32];
    for (size_t i = 0; i < sizeof DEV_ACCOUNTS / sizeof *DEV_ACCOUNTS; i++)
        if (bst_dev_account(DEV_ACCOUNTS[i], p, secret) && memcmp(p, pub, 32) == 0) return true;
    bst_secure_wipe(secret, 64);
    return false;
}

/* ---- what the runtime said about an extrinsic ---------------------------------------------- */

static const char DISPATCH_ERR[][20] = {
    "Other",       "CannotLookup",     "BadOrigin",   "Module",        "ConsumerRemaining",
    "NoProviders", "TooManyConsumers", "Token",       "Arithmetic",    "Transactional",
    "Exhausted",   "Corruption",       "Unavailable", "RootNotAllowed"};

#define NAME_OF(tab, i) ((i) < sizeof tab / sizeof *tab ? tab[i] : "?")

/* Decodes an ApplyExtrinsicResult (Result<Result<(), DispatchError>, TransactionValidityError>):
 * 0 applied, 1 applied with a dispatch error, 2 invalid (left out), -1 malformed; reason gets a
 * text with the encoding's hex. */
static int apply_outcome(const uint8_t *p, size_t n, char *reason, size_t cap) {
    char hex[64];
    hex_into(hex, sizeof hex, p, n < 24 ? n : 24);
    if (n < 2 || p[0] > 1) {
        snprintf(reason, cap, "malformed ApplyExtrinsicResult %s", hex);
        return -1;
    }
    if (p[0] == 0 && p[1] == 0) {
        snprintf(reason, cap, "ok");
        return 0;
    }
    if (p[0] == 0) {
        unsigned v = n > 2 ? p[2] : 99u;
        if (v == 3 && n >= 5)
            snprintf(reason, cap, "dispatch error: Module { index: %u, error: %u } (%s)", p[3],
                     p[4], hex);
        else
            snprintf(reason, cap, "dispatch error: %s (%s)", NAME_OF(DISPATCH_ERR, v), hex);
        return 1;
    }
    unsigned v = n > 2 ? p[2] : 99u;
    snprintf(reason, cap, "invalid transaction: %s(%s) (%s)", p[1] == 0 ? "Invalid" : "Unknown",
             bst_substrate_validity_error_name(p[1] == 0 ? 0 : 1, v), hex);
    return 2;
}

/* ---- building ------------------------------------------------------------------------------ */

typedef struct builder {
    chn_runtime r;
    chn_stored parent;
    uint8_t **ext; /* copies of the extrinsics applied, in order */
    size_t *ext_len;
    size_t n, cap;
} builder;

static bool builder_push(builder *b, const uint8_t *p, size_t len) {
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        uint8_t **e = realloc(b->ext, cap * sizeof *e);
        if (e) b->ext = e;
        size_t *l = realloc(b->ext_len, cap * sizeof *l);
        if (l) b->ext_len = l;
        if (!e || !l) return false;
        b->cap = cap;
    }
    b->ext[b->n] = malloc(len ? len : 1);
    if (!b->ext[b->n]) return false;
    memcpy(b->ext[b->n], p, len);
    b->ext_len[b->n++] = len;
    return true;
}

static void builder_free(builder *b) {
    for (size_t i = 0; i < b->n; i++) free(b->ext[i]);
    free(b->ext);
    free(b->ext_len);
    chn_runtime_close(&b->r);
    chn_stored_free(&b->parent);
}

/* BlockBuilder_apply_extrinsic in a storage transaction of its own, kept when the runtime
 * applied the extrinsic (the extrinsic then joins the block), rolled back when it is invalid.
 * Returns apply_outcome's code, or -1 when the call failed (err). */
static int apply_one(builder *b, const uint8_t *x, size_t len, char *reason, size_t cap, char *err,
                     size_t errlen) {
    bst_state *st = bst_substrate_runtime_state(b->r.rt);
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (!bst_state_tx_start(st)) {
        chn_fail(err, errlen, "out of memory");
        return -1;
    }
    if (!chn_call(&b->r, "BlockBuilder_apply_extrinsic", x, len, false, &out, &out_len, err,
                  errlen)) {
        bst_state_tx_rollback(st);
        return -1;
    }
    int rc = apply_outcome(out, out_len, reason, cap);
    free(out);
    if ((rc == 0 || rc == 1) && !builder_push(b, x, len)) {
        /* its changes must not stay without it in the block */
        bst_state_tx_rollback(st);
        chn_fail(err, errlen, "out of memory");
        return -1;
    }
    if (rc == 0 || rc == 1) {
        bst_state_tx_commit(st);
    } else {
        bst_state_tx_rollback(st);
        if (rc < 0) chn_fail(err, errlen, "BlockBuilder_apply_extrinsic: %s", reason);
    }
    return rc;
}

/* InherentData (BTreeMap<[u8; 8], Vec<u8>>, keys in order): the Aura slot and the timestamp,
 * each a SCALE u64 inside a Vec<u8>; a runtime ignores identifiers it has no pallet for. */
static void inherent_data(uint64_t slot, uint64_t timestamp, bst_scale_buf *b) {
    uint8_t v[8];
    bst_scale_put_len(b, 2);
    bst_scale_put_raw(b, "auraslot", 8);
    put_le64(v, slot);
    bst_scale_put_bytes(b, v, 8);
    bst_scale_put_raw(b, "timstap0", 8);
    put_le64(v, timestamp);
    bst_scale_put_bytes(b, v, 8);
}

/* Core_initialize_block with the Aura pre-digest, then the inherents. */
static bool start_block(builder *b, uint64_t slot, uint64_t timestamp, char *err, size_t errlen) {
    chn_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.parent, b->parent.info.hash, 32);
    h.number = b->parent.info.number + 1;
    uint8_t slot_le[8];
    put_le64(slot_le, slot);
    h.ndigest = 1;
    h.digest[0] = (chn_digest_item){CHN_DIGEST_PRERUNTIME, {'a', 'u', 'r', 'a'}, slot_le, 8};
    bst_scale_buf buf;
    bst_scale_buf_init(&buf);
    chn_header_encode(&h, &buf);
    uint8_t *out = NULL, *inh = NULL;
    size_t out_len = 0, inh_len = 0;
    bool ok = chn_call(&b->r, "Core_initialize_block", buf.data, buf.len, false, &out, &out_len,
                       err, errlen);
    free(out);
    bst_scale_buf_reset(&buf);
    inherent_data(slot, timestamp, &buf);
    /* sc-block-builder runs inherent_extrinsics and throws its changes away */
    ok = ok && chn_call(&b->r, "BlockBuilder_inherent_extrinsics", buf.data, buf.len, true, &inh,
                        &inh_len, err, errlen);
    bst_scale_buf_free(&buf);
    const uint8_t **ext = NULL;
    size_t *ext_len = NULL, n = 0;
    if (ok && !chn_extrinsics_split(inh, inh_len, &ext, &ext_len, &n))
        ok = chn_fail(err, errlen, "BlockBuilder_inherent_extrinsics: not a Vec of extrinsics");
    for (size_t i = 0; ok && i < n; i++) {
        char reason[160];
        int rc = apply_one(b, ext[i], ext_len[i], reason, sizeof reason, err, errlen);
        if (rc < 0) ok = false;
        if (rc > 0) ok = chn_fail(err, errlen, "inherent %zu refused: %s", i, reason);
    }
    free(ext);
    free(ext_len);
    free(inh);
    return ok;
}

/* Appends the Aura seal to a finalized header: sr25519 over its hash, by the slot's author. */
static bool seal_header(chn_header *h, const aura *a, uint64_t slot, uint8_t sig[64], char *err,
                        size_t errlen) {
    uint8_t secret[64], pre[32];
    const uint8_t *pub = slot_author(a, slot);
    if (!dev_key(pub, secret)) {
        char hex[80];
        hex_into(hex, sizeof hex, pub, 32);
        return chn_fail(err, errlen,
                        "the authority of slot %" PRIu64 " (%s) is not a development account", slot,
                        hex);
    }
    if (h->ndigest >= CHN_MAX_DIGEST || !chn_header_hash(h, pre)) {
        bst_secure_wipe(secret, sizeof secret);
        return chn_fail(err, errlen, "cannot seal the header");
    }
    bst_sr25519_sign(secret, pub, pre, 32, sig);
    bst_secure_wipe(secret, sizeof secret);
    h->digest[h->ndigest++] = (chn_digest_item){CHN_DIGEST_SEAL, {'a', 'u', 'r', 'a'}, sig, 64};
    return true;
}

/* Stores a block executed by st's runtime: its state, record, and (canonical) number and head,
 * in one transaction. */
static bool commit_block(bst_chain *c, chn_runtime *r, const uint8_t parent_root[32],
                         const chn_header *h, const uint8_t *const *ext, const size_t *ext_len,
                         size_t n, bool canonical, const bst_chain_author_options *opts,
                         uint8_t hash[32], char *err, size_t errlen) {
    uint8_t root[32];
    bst_scale_buf buf;
    bst_scale_buf_init(&buf);
    chn_block_encode(h, ext, ext_len, n, &buf);
    bst_triedb_txn *t = bst_triedb_begin(c->db, err, errlen);
    bool ok = t && bst_scale_buf_error(&buf) == BST_SCALE_OK && chn_header_hash(h, hash) &&
              chn_apply(t, parent_root, bst_substrate_runtime_state(r->rt), r->state_version, root,
                        err, errlen);
    if (ok && memcmp(root, h->state_root, 32) != 0)
        ok =
            chn_fail(err, errlen, "the state root of the executed block differs from its header's");
    if (ok && !chn_put_block(t, hash, r->state_version, buf.data, buf.len, canonical))
        ok = chn_fail(err, errlen, "cannot store the block");
    bst_scale_buf_free(&buf);
    if (ok && opts && opts->before_commit) opts->before_commit(opts->user);
    if (!ok) {
        bst_triedb_abort(t);
        return false;
    }
    return bst_triedb_commit(t, err, errlen);
}

/* The slot and timestamp of the next block (see bst_chain_author_options.timestamp_ms). */
static bool next_slot(const builder *b, const aura *a, uint64_t timestamp_ms, uint64_t *slot,
                      uint64_t *ts, char *err, size_t errlen) {
    uint64_t parent_slot = b->parent.info.slot;
    if (timestamp_ms) {
        *ts = timestamp_ms;
        *slot = timestamp_ms / a->slot_duration;
        if (*slot <= parent_slot)
            return chn_fail(err, errlen,
                            "timestamp %" PRIu64 " is in slot %" PRIu64
                            ", not after the parent's slot %" PRIu64,
                            timestamp_ms, *slot, parent_slot);
        return true;
    }
    if (parent_slot >= UINT64_MAX / a->slot_duration - 1)
        return chn_fail(err, errlen, "the parent's slot is too large");
    *slot = parent_slot + 1;
    *ts = *slot * a->slot_duration;
    return true;
}

bool bst_chain_author(bst_chain *c, const bst_chain_author_options *opts, bst_chain_block_info *out,
                      char *err, size_t errlen) {
    builder b;
    memset(&b, 0, sizeof b);
    aura a = {0};
    uint8_t head[32], hash[32], sig[64], *fin = NULL;
    size_t fin_len = 0;
    uint64_t slot = 0, ts = 0;
    bool ok = chn_head_hash(c, head, err, errlen) &&
              chn_load_block(c, head, &b.parent, err, errlen) &&
              chn_runtime_open(c->db, b.parent.info.state_root, &b.r, err, errlen) &&
              aura_params(&b.r, &a, err, errlen) &&
              next_slot(&b, &a, opts ? opts->timestamp_ms : 0, &slot, &ts, err, errlen) &&
              start_block(&b, slot, ts, err, errlen);
    for (size_t i = 0; ok && opts && i < opts->ntxs; i++) {
        char reason[160];
        int rc = apply_one(&b, opts->txs[i], opts->tx_lens[i], reason, sizeof reason, err, errlen);
        /* a transaction the runtime traps on is left out like an invalid one */
        if (rc < 0) snprintf(reason, sizeof reason, "%s", err);
        if (opts->results) {
            opts->results[i].included = rc == 0 || rc == 1;
            opts->results[i].dispatch_error = rc == 1;
            snprintf(opts->results[i].reason, sizeof opts->results[i].reason, "%s", reason);
        }
    }
    ok = ok &&
         chn_call(&b.r, "BlockBuilder_finalize_block", NULL, 0, false, &fin, &fin_len, err, errlen);
    chn_header h;
    if (ok) {
        bst_scale_dec d;
        bst_scale_dec_init(&d, fin, fin_len);
        ok = chn_header_decode(&d, &h, err, errlen) && bst_scale_finish(&d) == BST_SCALE_OK;
        if (!ok) chn_fail(err, errlen, "BlockBuilder_finalize_block: not a header");
    }
    ok = ok && seal_header(&h, &a, slot, sig, err, errlen) &&
         commit_block(c, &b.r, b.parent.info.state_root, &h, (const uint8_t *const *)b.ext,
                      b.ext_len, b.n, true, opts, hash, err, errlen);
    free(fin);
    free(a.authorities);
    builder_free(&b);
    return ok && bst_chain_block_by_hash(c, hash, out, err, errlen);
}

/* ---- import -------------------------------------------------------------------------------- */

/* Checks the Aura seal (the last digest item) of h, a child of parent, against the slot's
 * authority, and removes it from h. */
static bool check_seal(chn_runtime *r, const chn_stored *parent, chn_header *h, char *err,
                       size_t errlen) {
    uint64_t slot;
    if (h->ndigest == 0 || h->digest[h->ndigest - 1].kind != CHN_DIGEST_SEAL ||
        memcmp(h->digest[h->ndigest - 1].engine, "aura", 4) != 0 ||
        h->digest[h->ndigest - 1].len != 64)
        return chn_fail(err, errlen, "the header has no Aura seal");
    if (!chn_header_aura_slot(h, &slot))
        return chn_fail(err, errlen, "the header has no Aura pre-runtime digest (slot)");
    if (parent->info.number > 0 && slot <= parent->info.slot)
        return chn_fail(err, errlen, "slot %" PRIu64 " is not after the parent's slot %" PRIu64,
                        slot, parent->info.slot);
    aura a;
    if (!aura_params(r, &a, err, errlen)) return false;
    const chn_digest_item seal = h->digest[--h->ndigest];
    uint8_t pre[32];
    bool ok =
        chn_header_hash(h, pre) && bst_sr25519_verify(seal.data, pre, 32, slot_author(&a, slot));
    free(a.authorities);
    if (!ok)
        return chn_fail(err, errlen, "bad Aura seal: not signed by the authority of slot %" PRIu64,
                        slot);
    return true;
}

bool bst_chain_import(bst_chain *c, const uint8_t *block, size_t len, bst_chain_block_info *out,
                      bool *known, char *err, size_t errlen) {
    chn_block blk;
    uint8_t hash[32], head[32];
    if (known) *known = false;
    if (!chn_block_decode(block, len, &blk, err, errlen)) return false;
    chn_header *h = &blk.header;
    if (!chn_header_hash(h, hash)) {
        chn_block_free(&blk);
        return chn_fail(err, errlen, "out of memory");
    }
    if (bst_chain_block_by_hash(c, hash, out, NULL, 0)) {
        chn_block_free(&blk);
        if (known) *known = true;
        return true;
    }
    builder b;
    memset(&b, 0, sizeof b);
    char hex[80];
    hex_into(hex, sizeof hex, h->parent, 32);
    bool ok = chn_load_block(c, h->parent, &b.parent, NULL, 0);
    if (!ok) chn_fail(err, errlen, "unknown parent %s", hex);
    if (ok && h->number != b.parent.info.number + 1)
        ok = chn_fail(err, errlen, "block number %u does not follow its parent's %u",
                      (unsigned)h->number, (unsigned)b.parent.info.number);
    ok = ok && chn_runtime_open(c->db, b.parent.info.state_root, &b.r, err, errlen) &&
         check_seal(&b.r, &b.parent, h, err, errlen);
    uint8_t *res = NULL;
    size_t res_len = 0;
    bst_scale_buf buf;
    bst_scale_buf_init(&buf);
    if (ok) {
        /* the block as the runtime executes it: without the seal */
        chn_block_encode(h, blk.ext, blk.ext_len, blk.next, &buf);
        ok = bst_scale_buf_error(&buf) == BST_SCALE_OK &&
             chn_call(&b.r, "Core_execute_block", buf.data, buf.len, false, &res, &res_len, err,
                      errlen);
    }
    free(res);
    bst_scale_buf_free(&buf);
    if (ok) h->ndigest++; /* the seal again: the block is stored as received */
    ok = ok && chn_head_hash(c, head, err, errlen);
    ok = ok && commit_block(c, &b.r, b.parent.info.state_root, h, blk.ext, blk.ext_len, blk.next,
                            memcmp(head, h->parent, 32) == 0, NULL, hash, err, errlen);
    chn_block_free(&blk);
    builder_free(&b);
    return ok && bst_chain_block_by_hash(c, hash, out, err, errlen);
}
