/*
 * chain.c — the chain database's records and read side: opening it, the genesis block, looking
 * blocks up (by hash, by canonical number, the head), read-only calls and storage reads at a
 * block.  Authoring and import are in author.c.
 *
 * States are stored in a bst_triedb; its aux records, all written in the transaction that
 * stores the block's state:
 *   "genesis"          the genesis hash
 *   "head"             the head's hash
 *   "b" ++ hash        state version (1 byte) ++ the encoded block (sealed header ++ body)
 *   "n" ++ be32 number the hash of the canonical block at that number
 */
#include "chain_internal.h"
#include "bastion_crypto.h"
#include "bastion_trie.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool chn_fail(char *err, size_t errlen, const char *fmt, ...) {
    if (errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

bool chn_apply(bst_triedb_txn *t, const uint8_t parent_root[32], const bst_state *st,
               unsigned state_version, uint8_t new_root[32], char *err, size_t errlen) {
    if (bst_triedb_apply(t, parent_root, st, state_version, new_root)) return true;
    return chn_fail(err, errlen, "storing the state: %s", bst_triedb_txn_error(t));
}

bst_chain *bst_chain_open(const char *dir, char *err, size_t errlen) {
    if (!bst_crypto_init()) {
        chn_fail(err, errlen, "cannot initialise the crypto library");
        return NULL;
    }
    bst_chain *c = calloc(1, sizeof *c);
    if (!c) {
        chn_fail(err, errlen, "out of memory");
        return NULL;
    }
    c->db = bst_triedb_open(dir, err, errlen);
    if (!c->db) {
        free(c);
        return NULL;
    }
    return c;
}

void bst_chain_close(bst_chain *c) {
    if (!c) return;
    bst_triedb_close(c->db);
    free(c);
}

/* ---- records ------------------------------------------------------------------------------- */

static void number_key(uint32_t n, uint8_t k[5]) {
    k[0] = 'n';
    k[1] = (uint8_t)(n >> 24);
    k[2] = (uint8_t)(n >> 16);
    k[3] = (uint8_t)(n >> 8);
    k[4] = (uint8_t)n;
}

bool chn_put_block(bst_triedb_txn *t, const uint8_t hash[32], unsigned state_version,
                   const uint8_t *block, size_t len, bool canonical) {
    uint8_t k[33], nk[5];
    k[0] = 'b';
    memcpy(k + 1, hash, 32);
    uint8_t *rec = malloc(len + 1);
    if (!rec) return false;
    rec[0] = (uint8_t)state_version;
    memcpy(rec + 1, block, len);
    bool ok = bst_triedb_aux_put(t, k, sizeof k, rec, len + 1);
    free(rec);
    if (ok && canonical) {
        /* the number is the header's second field */
        bst_scale_dec d;
        uint64_t number;
        bst_scale_dec_init(&d, block + 32, len - 32);
        ok = bst_scale_get_compact_u64(&d, &number) == BST_SCALE_OK && number <= UINT32_MAX;
        number_key((uint32_t)number, nk);
        ok = ok && bst_triedb_aux_put(t, nk, sizeof nk, hash, 32) &&
             bst_triedb_aux_put(t, (const uint8_t *)"head", 4, hash, 32);
    }
    return ok;
}

/* The stored record of a block: its state version and a malloc'd copy of the encoding. */
static bool get_block(bst_chain *c, const uint8_t hash[32], unsigned *version, uint8_t **block,
                      size_t *len) {
    uint8_t k[33], *rec;
    size_t n;
    k[0] = 'b';
    memcpy(k + 1, hash, 32);
    if (!bst_triedb_aux_get(c->db, k, sizeof k, &rec, &n)) return false;
    if (n < 1) {
        free(rec);
        return false;
    }
    *version = rec[0];
    memmove(rec, rec + 1, n - 1);
    *block = rec;
    *len = n - 1;
    return true;
}

bool chn_load_block(bst_chain *c, const uint8_t hash[32], chn_stored *s, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    if (!get_block(c, hash, &s->info.state_version, &s->bytes, &s->len))
        return chn_fail(err, errlen, "no block with this hash in the database");
    if (!chn_block_decode(s->bytes, s->len, &s->block, err, errlen)) {
        free(s->bytes);
        s->bytes = NULL;
        return false;
    }
    const chn_header *h = &s->block.header;
    memcpy(s->info.hash, hash, 32);
    memcpy(s->info.parent, h->parent, 32);
    memcpy(s->info.state_root, h->state_root, 32);
    memcpy(s->info.extrinsics_root, h->extrinsics_root, 32);
    s->info.number = h->number;
    s->info.extrinsics = s->block.next;
    if (!chn_header_aura_slot(h, &s->info.slot)) s->info.slot = 0;
    return true;
}

void chn_stored_free(chn_stored *s) {
    chn_block_free(&s->block);
    free(s->bytes);
    s->bytes = NULL;
}

static bool get_hash_record(bst_chain *c, const uint8_t *key, size_t klen, uint8_t out[32]) {
    uint8_t *v;
    size_t n;
    if (!bst_triedb_aux_get(c->db, key, klen, &v, &n)) return false;
    bool ok = n == 32;
    if (ok) memcpy(out, v, 32);
    free(v);
    return ok;
}

bool chn_head_hash(bst_chain *c, uint8_t out[32], char *err, size_t errlen) {
    if (get_hash_record(c, (const uint8_t *)"head", 4, out)) return true;
    return chn_fail(err, errlen, "the database has no chain (run `bastion chain init` first)");
}

bool bst_chain_genesis_hash(bst_chain *c, uint8_t out[32], char *err, size_t errlen) {
    if (get_hash_record(c, (const uint8_t *)"genesis", 7, out)) return true;
    return chn_fail(err, errlen, "the database has no chain (run `bastion chain init` first)");
}

bool bst_chain_block_by_hash(bst_chain *c, const uint8_t hash[32], bst_chain_block_info *out,
                             char *err, size_t errlen) {
    chn_stored s;
    if (!chn_load_block(c, hash, &s, err, errlen)) return false;
    *out = s.info;
    chn_stored_free(&s);
    return true;
}

bool bst_chain_head(bst_chain *c, bst_chain_block_info *out, char *err, size_t errlen) {
    uint8_t h[32];
    return chn_head_hash(c, h, err, errlen) && bst_chain_block_by_hash(c, h, out, err, errlen);
}

bool bst_chain_block_by_number(bst_chain *c, uint32_t number, bst_chain_block_info *out, char *err,
                               size_t errlen) {
    uint8_t k[5], h[32];
    number_key(number, k);
    if (!get_hash_record(c, k, sizeof k, h))
        return chn_fail(err, errlen, "no block number %u in the database", (unsigned)number);
    return bst_chain_block_by_hash(c, h, out, err, errlen);
}

bool bst_chain_block_encoded(bst_chain *c, const uint8_t hash[32], uint8_t **out, size_t *out_len,
                             char *err, size_t errlen) {
    unsigned v;
    if (get_block(c, hash, &v, out, out_len)) return true;
    return chn_fail(err, errlen, "no block with this hash in the database");
}

/* ---- genesis ------------------------------------------------------------------------------- */

/* Copies every pair of a backend (top trie, then each child trie) into st's overlay. */
static bool copy_trie(const bst_state_backend *b, bst_state *st, const uint8_t *child,
                      size_t child_len) {
    uint8_t *key = NULL, *val = NULL;
    size_t klen = 0, vlen = 0;
    bool first = true, ok = true;
    for (;;) {
        uint8_t *next = NULL;
        size_t nlen = 0;
        bst_state_res r = b->next_key(b->ctx, child, child_len, key, klen, first, &next, &nlen);
        free(key);
        first = false;
        if (r != BST_STATE_FOUND) {
            ok = r == BST_STATE_ABSENT;
            break;
        }
        key = next;
        klen = nlen;
        if (b->get(b->ctx, child, child_len, key, klen, &val, &vlen) != BST_STATE_FOUND ||
            !bst_state_set(st, child, child_len, key, klen, val, vlen)) {
            free(val);
            free(key);
            ok = false;
            break;
        }
        free(val);
    }
    return ok;
}

static bool copy_backend(const bst_state_backend *b, bst_state *st) {
    if (!copy_trie(b, st, NULL, 0)) return false;
    uint8_t *name = NULL;
    size_t nlen = 0;
    bool first = true, ok = true;
    for (;;) {
        uint8_t *next = NULL;
        size_t next_len = 0;
        bst_state_res r = b->next_child(b->ctx, name, nlen, first, &next, &next_len);
        free(name);
        first = false;
        if (r != BST_STATE_FOUND) {
            ok = r == BST_STATE_ABSENT;
            break;
        }
        name = next;
        nlen = next_len;
        if (!copy_trie(b, st, name, nlen)) {
            free(name);
            ok = false;
            break;
        }
    }
    return ok;
}

/* The state version the runtime in a backend's :code declares. */
static bool genesis_state_version(const bst_state_backend *b, unsigned *version, char *err,
                                  size_t errlen) {
    uint8_t *blob = NULL, *code = NULL;
    size_t blob_len = 0, code_len = 0;
    if (b->get(b->ctx, NULL, 0, (const uint8_t *)":code", 5, &blob, &blob_len) != BST_STATE_FOUND)
        return chn_fail(err, errlen, "the genesis storage has no :code");
    bst_error e;
    memset(&e, 0, sizeof e);
    bst_substrate_runtime *rt = NULL;
    bool ok = false;
    if (bst_substrate_code_decode(blob, blob_len, 0, &code, &code_len, &e) == BST_OK) {
        bst_substrate_options opts;
        bst_substrate_options_default(&opts);
        opts.allow_missing = true; /* only Core_version may run */
        opts.storage = b;
        rt = bst_substrate_runtime_new(code, code_len, &opts, &e);
    }
    if (!rt)
        chn_fail(err, errlen, "the genesis runtime: %s", e.message);
    else
        ok = chn_code_state_version(code, code_len, rt, version, err, errlen);
    bst_substrate_runtime_free(rt);
    free(code);
    free(blob);
    return ok;
}

bool bst_chain_init(bst_chain *c, const bst_state_backend *genesis, bst_chain_block_info *out,
                    char *err, size_t errlen) {
    uint8_t h[32];
    if (bst_chain_genesis_hash(c, h, NULL, 0))
        return chn_fail(err, errlen, "the database already holds a chain");
    unsigned version;
    if (!genesis_state_version(genesis, &version, err, errlen)) return false;
    bst_state *st = bst_state_new(NULL);
    if (!st || !copy_backend(genesis, st)) {
        bst_state_free(st);
        return chn_fail(err, errlen, "cannot read the genesis storage");
    }
    chn_header hdr;
    memset(&hdr, 0, sizeof hdr);
    bst_trie_empty_root(hdr.extrinsics_root);
    uint8_t empty[32];
    bst_trie_empty_root(empty);
    bst_triedb_txn *t = bst_triedb_begin(c->db, err, errlen);
    bool ok = t && chn_apply(t, empty, st, version, hdr.state_root, err, errlen);
    bst_state_free(st);
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    if (ok) {
        chn_block_encode(&hdr, NULL, NULL, 0, &b);
        ok = bst_scale_buf_error(&b) == BST_SCALE_OK && chn_header_hash(&hdr, h) &&
             chn_put_block(t, h, version, b.data, b.len, true) &&
             bst_triedb_aux_put(t, (const uint8_t *)"genesis", 7, h, 32);
        if (!ok) chn_fail(err, errlen, "cannot store the genesis block");
    }
    bst_scale_buf_free(&b);
    if (!ok) {
        bst_triedb_abort(t);
        return false;
    }
    if (!bst_triedb_commit(t, err, errlen)) return false;
    return bst_chain_block_by_hash(c, h, out, err, errlen);
}

/* ---- reads at a block ---------------------------------------------------------------------- */

static bool root_at(bst_chain *c, const uint8_t *at, uint8_t root[32], char *err, size_t errlen) {
    bst_chain_block_info info;
    bool ok = at ? bst_chain_block_by_hash(c, at, &info, err, errlen)
                 : bst_chain_head(c, &info, err, errlen);
    if (ok) memcpy(root, info.state_root, 32);
    return ok;
}

bool bst_chain_call(bst_chain *c, const uint8_t *at, const char *method, const uint8_t *input,
                    size_t input_len, uint8_t **out, size_t *out_len, char *err, size_t errlen) {
    uint8_t root[32];
    chn_runtime r;
    if (!root_at(c, at, root, err, errlen) || !chn_runtime_open(c->db, root, &r, err, errlen))
        return false;
    bool ok = chn_call(&r, method, input, input_len, true, out, out_len, err, errlen);
    chn_runtime_close(&r);
    return ok;
}

bool bst_chain_storage(bst_chain *c, const uint8_t *at, const uint8_t *key, size_t key_len,
                       bool *found, uint8_t **val, size_t *val_len, char *err, size_t errlen) {
    uint8_t root[32];
    if (!root_at(c, at, root, err, errlen)) return false;
    bst_triedb_view *v = bst_triedb_view_open(c->db, root, err, errlen);
    if (!v) return false;
    bst_state_backend b = bst_triedb_view_backend(v);
    *val = NULL;
    *val_len = 0;
    bst_state_res r = b.get(b.ctx, NULL, 0, key, key_len, val, val_len);
    bst_triedb_view_close(v);
    if (r == BST_STATE_ERROR) return chn_fail(err, errlen, "storage read error");
    *found = r == BST_STATE_FOUND;
    return true;
}
