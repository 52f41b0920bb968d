/*
 * embedded.c — signatures embedded in a module (WebAssembly tool-conventions, Signatures.md):
 * signing, and verification against a trust policy.
 *
 * A signed module is: header, `signature` section, then parts, each ending with a
 * `signature_delimiter` section (16 random bytes).  The hash of part i is the rolling SHA-256 of
 * every section byte from the first section after the signature up to and including delimiter i
 * (a module that does not end with a delimiter has one more part, up to its end).  A signature
 * covers "wasmsig" ‖ 01 ‖ 01 ‖ 01 ‖ h1 ‖ ... ‖ hn.
 *
 * Verification, before anything decodes the module (only section headers are read):
 *   1. the signature data is validated whole (wire.c);
 *   2. each signature is checked against the trusted keys it may belong to (its key id, or all
 *      of them when it has none): per set of hashes, the bit set of trusted keys that signed it;
 *   3. one pass over the module computes the rolling hash at every part's end and compares it
 *      (in constant time) with each such set's hashes, in order: a set is intact when its hashes
 *      are exactly the module's first parts;
 *   4. a trusted key counts when every set it signed is intact and the parts they cover hold
 *      every non-custom section.  What follows the covered parts can only be custom sections
 *      (appended later, e.g. debug names): the result's signed_len leaves them out.
 * Partial signatures (a set skipping parts) are not intact, hence refused, as Signatures.md asks
 * of runtimes by default.
 */
#include "bastion_crypto.h"
#include "sign_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- verification ------------------------------------------------------------------------- */

/* What one pass over the signature data and the module learns. */
typedef struct verify_state {
    const bst_sign_trust *trust;
    sig_set sets[SIG_MAX_SETS];
    uint32_t nsets;
    uint64_t signed_by[SIG_MAX_SETS]; /* per set: the trusted keys whose signature verifies */
    uint32_t matched[SIG_MAX_SETS];   /* per set: its leading hashes that match the module */
    size_t set_end[SIG_MAX_SETS];     /* per intact set: where its last part ends */
    uint32_t mismatch[SIG_MAX_SETS];  /* per set: the first part that differs (0: none) */
    uint32_t nparts;
    size_t code_end;   /* the end of the last non-custom section (0: none) */
    size_t code_start; /* ... and where it starts, its id */
    uint8_t code_id;
    int bad_key;         /* a trusted key named by a signature that does not verify, or -1 */
    uint32_t unknown;    /* signatures that no trusted key made */
    char unknown_id[33]; /* the first such signature's key id, as text */
} verify_state;

/* A signature record's key id as text: minisign's form for 8 bytes, hex otherwise. */
static void record_id_text(const sig_record *r, char out[33]) {
    static const char HEX[] = "0123456789abcdef";
    if (r->key_id_len == 8) {
        bst_sign_key_id_text(r->key_id, out);
        return;
    }
    if (r->key_id_len == 0) {
        strcpy(out, "(none)");
        return;
    }
    size_t n = r->key_id_len > 16 ? 16 : r->key_id_len;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = HEX[r->key_id[i] >> 4];
        out[2 * i + 1] = HEX[r->key_id[i] & 15];
    }
    out[2 * n] = 0;
}

/* Step 2: which trusted keys signed which set. */
static void check_signatures(verify_state *v, sig_data *d) {
    uint8_t msg[SIG_MSG_MAX];
    for (uint32_t i = 0; i < d->nsets; i++) {
        sig_set *set = &v->sets[i];
        if (!sig_next_set(d, set)) return; /* cannot happen: the data was validated */
        v->nsets = i + 1;
        size_t mlen = sig_message(set->hashes, set->nhashes, msg);
        sig_record r;
        for (uint32_t j = 0; j < set->nsigs && sig_next_record(set, &r); j++) {
            bool named = false, verified = false;
            for (size_t k = 0; k < v->trust->nkeys; k++) {
                const bst_sign_pubkey *key = &v->trust->keys[k];
                if (r.key_id_len && !(r.key_id_len == 8 && bst_ct_equal(r.key_id, key->id, 8)))
                    continue;
                named = named || r.key_id_len;
                if (r.alg == SIG_ALG_ED25519 && r.sig_len == 64 &&
                    bst_ed25519_verify_strict(r.sig, msg, mlen, key->key)) {
                    v->signed_by[i] |= (uint64_t)1 << k;
                    verified = true;
                } else if (r.key_id_len && v->bad_key < 0) {
                    v->bad_key = (int)k;
                }
            }
            if (!verified && !named && v->unknown++ == 0) record_id_text(&r, v->unknown_id);
        }
    }
}

/* Step 3 at the end of part p (1-based), whose rolling hash is h and which ends at `end`. */
static void part_end(verify_state *v, uint32_t p, const uint8_t h[32], size_t end) {
    v->nparts = p;
    for (uint32_t i = 0; i < v->nsets; i++) {
        const sig_set *set = &v->sets[i];
        if (!v->signed_by[i] || v->mismatch[i] || p > set->nhashes) continue;
        if (!bst_ct_equal(set->hashes + (size_t)(p - 1) * 32, h, 32)) {
            v->mismatch[i] = p;
            continue;
        }
        v->matched[i] = p;
        if (p == set->nhashes) v->set_end[i] = end;
    }
}

/* Step 3: one pass over the sections from `pos`, hashing them. */
static bool hash_parts(verify_state *v, const uint8_t *m, size_t len, size_t pos, char *why,
                       size_t why_len) {
    bst_sha256_state st;
    sig_section s;
    uint8_t h[32];
    bool last_was_delimiter = false;
    uint32_t part = 0;
    int rc;
    bst_sha256_init(&st);
    while ((rc = sig_next_section(m, len, &pos, &s, why, why_len)) == 1) {
        bst_sha256_update(&st, m + s.start, s.end - s.start);
        if (s.id != 0) {
            v->code_start = s.start;
            v->code_end = s.end;
            v->code_id = s.id;
        }
        last_was_delimiter = sig_is_custom(&s, SIG_DELIMITER_NAME);
        if (last_was_delimiter && part < UINT32_MAX) {
            bst_sha256_state snap = st;
            bst_sha256_final(&snap, h);
            part_end(v, ++part, h, s.end);
        }
    }
    if (rc < 0) return false;
    if (!last_was_delimiter && part < UINT32_MAX) {
        bst_sha256_final(&st, h);
        part_end(v, ++part, h, len);
    }
    return true;
}

/* Step 4 for trusted key k: how far its intact sets reach (0: it does not count), or why not. */
static size_t key_reach(const verify_state *v, size_t k, uint32_t *tampered_part) {
    size_t reach = 0;
    bool any = false;
    for (uint32_t i = 0; i < v->nsets; i++) {
        if (!(v->signed_by[i] >> k & 1)) continue;
        any = true;
        if (v->matched[i] != v->sets[i].nhashes) {
            *tampered_part = v->mismatch[i] ? v->mismatch[i] : v->nparts + 1;
            return 0;
        }
        if (v->set_end[i] > reach) reach = v->set_end[i];
    }
    return any ? reach : 0;
}

/* The status and message when too few keys count, most alarming reason first. */
static bst_sign_status explain(const verify_state *v, bst_sign_result *res, int tampered_key,
                               uint32_t tampered_part, int short_key, size_t short_reach) {
    char id[17];
    char *msg = res->message;
    size_t n = sizeof res->message;
    if (v->bad_key >= 0) {
        bst_sign_key_id_text(v->trust->keys[v->bad_key].id, id);
        sig_why(msg, n, "the signature by trusted key %s does not verify", id);
        return BST_SIGN_BAD_SIGNATURE;
    }
    if (tampered_key >= 0) {
        bst_sign_key_id_text(v->trust->keys[tampered_key].id, id);
        if (tampered_part > v->nparts)
            sig_why(msg, n,
                    "key %s signed more parts than the module has (%u): sections were "
                    "removed",
                    id, (unsigned)v->nparts);
        else
            sig_why(msg, n, "part %u of the module differs from what key %s signed (tampered)",
                    (unsigned)tampered_part, id);
        return BST_SIGN_TAMPERED;
    }
    if (short_key >= 0) {
        bst_sign_key_id_text(v->trust->keys[short_key].id, id);
        sig_why(msg, n,
                "section %u at offset %zu lies outside the part key %s signed (which "
                "ends at offset %zu)",
                (unsigned)v->code_id, v->code_start, id, short_reach);
        return BST_SIGN_UNSIGNED_SECTION;
    }
    if (res->nsigners) {
        sig_why(msg, n, "signed by %zu distinct trusted key%s, the policy requires %zu",
                res->nsigners, res->nsigners == 1 ? "" : "s", v->trust->threshold);
        return BST_SIGN_THRESHOLD;
    }
    if (v->unknown)
        sig_why(msg, n, "signed by no trusted key (%u signature%s, key id %s%s)",
                (unsigned)v->unknown, v->unknown == 1 ? "" : "s", v->unknown_id,
                v->unknown == 1 ? "" : " first");
    else
        sig_why(msg, n, "signed by no trusted key");
    return BST_SIGN_UNKNOWN_KEY;
}

/* Step 4: the keys that count, distinct ones counted once. */
static bst_sign_status count_signers(const verify_state *v, bst_sign_result *res) {
    int tampered_key = -1, short_key = -1;
    uint32_t tampered_part = 0;
    size_t short_reach = 0, load = 0;
    for (size_t k = 0; k < v->trust->nkeys; k++) {
        uint32_t part = 0;
        size_t reach = key_reach(v, k, &part);
        if (part && tampered_key < 0) {
            tampered_key = (int)k;
            tampered_part = part;
        }
        if (!reach) continue;
        if (reach < v->code_end) {
            if (short_key < 0) {
                short_key = (int)k;
                short_reach = reach;
            }
            continue;
        }
        res->signers |= (uint64_t)1 << k;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = (res->signers >> j & 1) &&
                   bst_ct_equal(v->trust->keys[j].key, v->trust->keys[k].key, 32);
        if (!seen) res->nsigners++;
        if (!load || reach < load) load = reach;
    }
    if (res->nsigners >= v->trust->threshold) {
        res->signed_len = load;
        return BST_SIGN_OK;
    }
    return explain(v, res, tampered_key, tampered_part, short_key, short_reach);
}

bst_sign_status bst_sign_verify_module(const bst_sign_trust *trust, const uint8_t *module,
                                       size_t len, const uint8_t *detached, size_t detached_len,
                                       bst_sign_result *res) {
    if (!res) return BST_SIGN_ERROR;
    memset(res, 0, sizeof *res);
    char *why = res->message;
    size_t why_len = sizeof res->message;
    if (!trust || !module || trust->nkeys > BST_SIGN_MAX_KEYS || (trust->nkeys && !trust->keys) ||
        trust->threshold < 1) {
        sig_why(why, why_len, "bad arguments (at most %d keys, a threshold of at least 1)",
                BST_SIGN_MAX_KEYS);
        return res->status = BST_SIGN_ERROR;
    }
    size_t pos = sig_module_start(module, len, why, why_len);
    if (!pos) return res->status = BST_SIGN_MALFORMED;
    const uint8_t *data = detached;
    size_t data_len = detached_len;
    if (!detached) {
        sig_section first;
        int rc = sig_next_section(module, len, &pos, &first, why, why_len);
        if (rc < 0) return res->status = BST_SIGN_MALFORMED;
        if (rc == 0 || !sig_is_custom(&first, SIG_SECTION_NAME)) {
            sig_why(why, why_len,
                    "the module's first section is not a `signature` "
                    "section");
            return res->status = BST_SIGN_UNSIGNED;
        }
        data = first.body;
        data_len = first.body_len;
    }
    sig_data d;
    if (!sig_data_parse(data, data_len, &d, why, why_len)) return res->status = BST_SIGN_MALFORMED;
    verify_state *v = calloc(1, sizeof *v); /* ~6 KiB, fixed: kept off small thread stacks */
    if (!v) return res->status = BST_SIGN_ERROR;
    v->trust = trust;
    v->bad_key = -1;
    check_signatures(v, &d);
    if (!hash_parts(v, module, len, pos, why, why_len)) {
        free(v);
        return res->status = BST_SIGN_MALFORMED;
    }
    res->status = count_signers(v, res);
    free(v);
    return res->status;
}

/* ---- signing ------------------------------------------------------------------------------ */

/* A new delimiter section: custom, named signature_delimiter, 16 random bytes. */
static size_t new_delimiter(uint8_t out[64]) {
    size_t name = sizeof SIG_DELIMITER_NAME - 1, n = 0;
    out[n++] = 0;
    out[n++] = (uint8_t)(1 + name + SIG_DELIMITER_BYTES);
    out[n++] = (uint8_t)name;
    memcpy(out + n, SIG_DELIMITER_NAME, name);
    n += name;
    bst_random_bytes(out + n, SIG_DELIMITER_BYTES);
    return n + SIG_DELIMITER_BYTES;
}

/* The parts' rolling hashes of the sections from pos on, plus the delimiter `extra` when given
 * (appended to the module).  Returns the number of parts, 0 with the reason in why. */
static uint32_t part_hashes(const uint8_t *m, size_t len, size_t pos, const uint8_t *extra,
                            size_t extra_len, uint8_t hashes[SIG_MAX_HASHES][32], char *why,
                            size_t why_len) {
    bst_sha256_state st;
    sig_section s;
    uint32_t n = 0;
    int rc;
    bst_sha256_init(&st);
    while ((rc = sig_next_section(m, len, &pos, &s, why, why_len)) == 1 || (rc == 0 && extra)) {
        const uint8_t *bytes = rc == 1 ? m + s.start : extra;
        size_t blen = rc == 1 ? s.end - s.start : extra_len;
        bool delim = rc == 0 || sig_is_custom(&s, SIG_DELIMITER_NAME);
        if (rc == 0) extra = NULL;
        bst_sha256_update(&st, bytes, blen);
        if (!delim) continue;
        if (n == SIG_MAX_HASHES) {
            sig_why(why, why_len, "more than %d signed parts", SIG_MAX_HASHES);
            return 0;
        }
        bst_sha256_state snap = st;
        bst_sha256_final(&snap, hashes[n++]);
    }
    return rc < 0 ? 0 : n;
}

/* Whether the module (from pos) ends with a delimiter; false also when it is malformed (which
 * part_hashes then reports). */
static bool ends_with_delimiter(const uint8_t *m, size_t len, size_t pos) {
    sig_section s;
    bool last = false;
    while (sig_next_section(m, len, &pos, &s, NULL, 0) == 1)
        last = sig_is_custom(&s, SIG_DELIMITER_NAME);
    return last;
}

/* One signature record with its length prefix: key id, algorithm, signature. */
#define RECORD_LEN (1 + 8 + 1 + 1 + 64)
#define RECORD_BYTES (1 + RECORD_LEN)
static void put_record(sig_buf *b, const bst_sign_secret *secret, const uint8_t sig[64]) {
    sig_put_u32(b, RECORD_LEN);
    sig_put_u32(b, 8);
    sig_put(b, secret->id, 8);
    sig_put_byte(b, SIG_ALG_ED25519);
    sig_put_u32(b, 64);
    sig_put(b, sig, 64);
}

/* The new signature data: the old sets (old may be NULL), the new signature joining the set with
 * the same hashes or a new set. */
static bst_sign_status build_data(sig_buf *b, sig_data *old, const bst_sign_secret *secret,
                                  const uint8_t hashes[][32], uint32_t nhashes,
                                  const uint8_t sig[64], char *why, size_t why_len) {
    uint32_t nsets = old ? old->nsets : 0, join = UINT32_MAX;
    sig_set sets[SIG_MAX_SETS];
    for (uint32_t i = 0; i < nsets; i++) {
        sig_next_set(old, &sets[i]);
        /* an earlier signature must still match the parts it covers: adding a signature to a
         * module changed since would produce one that no verifier accepts as a whole */
        if (sets[i].nhashes > nhashes ||
            memcmp(sets[i].hashes, hashes, (size_t)sets[i].nhashes * 32) != 0) {
            sig_why(why, why_len,
                    "the module's earlier signature (set %u) no longer matches its contents: it "
                    "was changed after signing",
                    (unsigned)i + 1);
            return BST_SIGN_TAMPERED;
        }
        if (sets[i].nhashes == nhashes) join = i;
    }
    if (join == UINT32_MAX && nsets == SIG_MAX_SETS) {
        sig_why(why, why_len, "the module already holds %d sets of signed hashes", SIG_MAX_SETS);
        return BST_SIGN_ERROR;
    }
    sig_put_byte(b, SIG_SPEC_VERSION);
    sig_put_byte(b, SIG_CONTENT_WASM);
    sig_put_byte(b, SIG_HASH_SHA256);
    sig_put_u32(b, nsets + (join == UINT32_MAX));
    for (uint32_t i = 0; i < nsets; i++) {
        if (i != join) {
            sig_put_u32(b, (uint32_t)sets[i].raw_len);
            sig_put(b, sets[i].raw, sets[i].raw_len);
            continue;
        }
        sig_record r;
        sig_set s = sets[i];
        while (sig_next_record(&s, &r))
            if (r.key_id_len == 8 && memcmp(r.key_id, secret->id, 8) == 0) {
                char id[17];
                bst_sign_key_id_text(secret->id, id);
                sig_why(why, why_len, "key %s already signed these parts", id);
                return BST_SIGN_ERROR;
            }
        if (sets[i].nsigs == SIG_MAX_SIGS) {
            sig_why(why, why_len, "these parts already carry %d signatures", SIG_MAX_SIGS);
            return BST_SIGN_ERROR;
        }
        /* the records after the count stay as they are; the count grows by one */
        size_t records = sets[i].raw_len - sets[i].sigs.pos;
        size_t body = sig_u32_len(nhashes) + (size_t)nhashes * 32 + sig_u32_len(sets[i].nsigs + 1) +
                      records + RECORD_BYTES;
        sig_put_u32(b, (uint32_t)body);
        sig_put_u32(b, nhashes);
        sig_put(b, hashes, (size_t)nhashes * 32);
        sig_put_u32(b, sets[i].nsigs + 1);
        sig_put(b, sets[i].raw + sets[i].sigs.pos, records);
        put_record(b, secret, sig);
    }
    if (join == UINT32_MAX) {
        sig_put_u32(b, (uint32_t)(sig_u32_len(nhashes) + (size_t)nhashes * 32 + 1 + RECORD_BYTES));
        sig_put_u32(b, nhashes);
        sig_put(b, hashes, (size_t)nhashes * 32);
        sig_put_u32(b, 1);
        put_record(b, secret, sig);
    }
    return BST_SIGN_OK;
}

bst_sign_status bst_sign_module(const bst_sign_secret *secret, const uint8_t *module, size_t len,
                                uint8_t **out, size_t *out_len, char *why, size_t why_len) {
    if (!secret || !module || !out || !out_len) return BST_SIGN_ERROR;
    *out = NULL;
    *out_len = 0;
    size_t start = sig_module_start(module, len, why, why_len), pos = start;
    if (!start) return BST_SIGN_MALFORMED;
    /* an existing signature section is kept (its sets), the rest is what gets signed */
    sig_section first;
    sig_data old, *oldp = NULL;
    size_t body = start;
    if (sig_next_section(module, len, &pos, &first, why, why_len) == 1 &&
        sig_is_custom(&first, SIG_SECTION_NAME)) {
        if (!sig_data_parse(first.body, first.body_len, &old, why, why_len))
            return BST_SIGN_MALFORMED;
        oldp = &old;
        body = first.end;
    }
    uint8_t delim[64], hashes[SIG_MAX_HASHES][32], msg[SIG_MSG_MAX], sig[64];
    size_t delim_len = ends_with_delimiter(module, len, body) ? 0 : new_delimiter(delim);
    uint32_t n =
        part_hashes(module, len, body, delim_len ? delim : NULL, delim_len, hashes, why, why_len);
    if (!n) return BST_SIGN_MALFORMED;
    bst_ed25519_sign(secret->key, msg, sig_message(hashes[0], n, msg), sig);

    sig_buf data = {0}, o = {0};
    bst_sign_status st =
        build_data(&data, oldp, secret, (const uint8_t(*)[32])hashes, n, sig, why, why_len);
    if (st != BST_SIGN_OK) {
        free(data.p);
        return st;
    }
    size_t name = sizeof SIG_SECTION_NAME - 1;
    sig_put(&o, module, start);
    sig_put_byte(&o, 0);
    sig_put_u32(&o, (uint32_t)(sig_u32_len((uint32_t)name) + name + data.len));
    sig_put_u32(&o, (uint32_t)name);
    sig_put(&o, SIG_SECTION_NAME, name);
    sig_put(&o, data.p, data.len);
    sig_put(&o, module + body, len - body);
    sig_put(&o, delim, delim_len);
    free(data.p);
    if (o.failed || data.failed) {
        free(o.p);
        sig_why(why, why_len, "out of memory");
        return BST_SIGN_ERROR;
    }
    *out = o.p;
    *out_len = o.len;
    return BST_SIGN_OK;
}
