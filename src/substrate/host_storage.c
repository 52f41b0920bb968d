/*
 * host_storage.c — ext_storage_*, ext_default_child_storage_* and ext_trie_*: the runtime's
 * view of its storage (bastion_state.h: an overlay with nested transactions over a backend) and
 * the trie-root functions (bastion_trie.h).
 *
 * Encodings follow sp-runtime-interface: `&[u8]` arguments are spans, `Vec<u8>` results raw
 * bytes behind a span, everything else (Option, KillStorageResult, Vec<Vec<u8>>) SCALE.
 * Storage transactions opened by the runtime nest inside the one bst_substrate_call opens for
 * the whole call; rollback/commit below that floor is refused, as Substrate refuses to close a
 * transaction it did not see opened.
 */
#include "host.h"

#include "bastion_trie.h"

#include <stdlib.h>
#include <string.h>

#define TOP NULL, 0 /* the main trie in bst_state calls */

static bool oom(bst_caller *c, const char *fn) {
    return sub_fail(c, fn, "out of host memory (or a storage backend error)");
}

/* ---- shared bodies (top trie: child == NULL) ---------------------------------------------- */

/* get and next_key share one shape: a key in, an Option<Vec<u8>> out (the value, or the next
 * key), from state functions of the same signature. */
typedef bst_state_res (*state_lookup_fn)(bst_state *st, const uint8_t *child, size_t child_len,
                                         const uint8_t *key, size_t key_len, uint8_t **out,
                                         size_t *out_len);

static bool do_lookup(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                      size_t child_len, int64_t key_span, state_lookup_fn lookup, bst_value *result,
                      const char *fn) {
    SUB_SPAN_ARG(key, key_span);
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_state_res r = lookup(rt->state, child, child_len, key, key_len, &out, &out_len);
    if (r == BST_STATE_ERROR) return oom(c, fn);
    bool ok = sub_ret_option(c, rt, r == BST_STATE_FOUND, out, out_len, result, fn);
    free(out);
    return ok;
}

/* read(key, value_out: span, offset) -> Option<u32>: copies value[offset..] into value_out as
 * far as it fits and answers how many bytes value[offset..] has. */
static bool do_read(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                    size_t child_len, int64_t key_span, int64_t out_span, int32_t offset,
                    bst_value *result, const char *fn) {
    SUB_SPAN_ARG(key, key_span);
    SUB_SPAN_ARG(out, out_span);
    uint8_t *val = NULL;
    size_t vlen = 0;
    bst_state_res r = bst_state_get(rt->state, child, child_len, key, key_len, &val, &vlen);
    if (r == BST_STATE_ERROR) return oom(c, fn);
    uint8_t enc[5] = {0};
    size_t enc_len = 1;
    bool ok = true;
    if (r == BST_STATE_FOUND) {
        size_t off = (uint32_t)offset < vlen ? (uint32_t)offset : vlen;
        size_t rest = vlen - off;
        size_t written = rest < out_len ? rest : out_len;
        ok = sub_write(c, rt, (int32_t)(uint32_t)(uint64_t)out_span, val + off, (uint32_t)written,
                       fn);
        enc[0] = 1;
        for (int i = 0; i < 4; i++) enc[1 + i] = (uint8_t)((uint32_t)rest >> (8 * i));
        enc_len = 5;
    }
    free(val);
    return ok && sub_ret_span(c, rt, enc, enc_len, result, fn);
}

static bool do_set(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child, size_t child_len,
                   int64_t key_span, int64_t val_span, const char *fn) {
    SUB_SPAN_ARG(key, key_span);
    SUB_SPAN_ARG(val, val_span);
    return bst_state_set(rt->state, child, child_len, key, key_len, val, val_len) || oom(c, fn);
}

static bool do_clear(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                     size_t child_len, int64_t key_span, const char *fn) {
    SUB_SPAN_ARG(key, key_span);
    return bst_state_clear(rt->state, child, child_len, key, key_len) || oom(c, fn);
}

static bool do_exists(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                      size_t child_len, int64_t key_span, bst_value *result, const char *fn) {
    SUB_SPAN_ARG(key, key_span);
    bst_state_res r = bst_state_exists(rt->state, child, child_len, key, key_len);
    if (r == BST_STATE_ERROR) return oom(c, fn);
    result->of.i32 = r == BST_STATE_FOUND;
    return true;
}

/* The `limit: Option<u32>` argument of the v2/v3 clear functions. */
static bool get_limit(bst_caller *c, bst_substrate_runtime *rt, int64_t span, uint32_t *limit,
                      const char *fn) {
    bool some;
    uint64_t v = UINT32_MAX; /* None: no limit */
    if (!sub_option_uint_arg(c, rt, span, 4, &some, &v, "limit is not a SCALE Option<u32>", fn))
        return false;
    *limit = (uint32_t)v;
    return true;
}

/* KillStorageResult: AllRemoved(u32) = 0, SomeRemaining(u32) = 1. */
static bool ret_kill_result(bst_caller *c, bst_substrate_runtime *rt, bool all, uint32_t removed,
                            bst_value *result, const char *fn) {
    uint8_t enc[5] = {all ? 0 : 1};
    for (int i = 0; i < 4; i++) enc[1 + i] = (uint8_t)(removed >> (8 * i));
    return sub_ret_span(c, rt, enc, 5, result, fn);
}

static bool do_clear_prefix(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                            size_t child_len, int64_t prefix_span, uint32_t limit,
                            uint32_t *removed, bool *all, const char *fn) {
    SUB_SPAN_ARG(prefix, prefix_span);
    return bst_state_clear_prefix(rt->state, child, child_len, prefix, prefix_len, limit, removed,
                                  all) ||
           oom(c, fn);
}

/* clear_prefix v2, of the top trie or a child: at most `limit` (an Option<u32> span) keys
 * removed, and a KillStorageResult. */
static bool clear_prefix_limited(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                                 size_t child_len, int64_t prefix_span, int64_t limit_span,
                                 bst_value *result, const char *fn) {
    uint32_t limit, removed = 0;
    bool all = false;
    if (!get_limit(c, rt, limit_span, &limit, fn)) return false;
    if (!do_clear_prefix(c, rt, child, child_len, prefix_span, limit, &removed, &all, fn))
        return false;
    return ret_kill_result(c, rt, all, removed, result, fn);
}

/* The first key >= key (key itself when present) in the merged state: FOUND with *out
 * malloc'd, ABSENT, or ERROR. */
static bst_state_res first_key_from(bst_state *st, const uint8_t *child, size_t child_len,
                                    const uint8_t *key, size_t key_len, uint8_t **out,
                                    size_t *out_len) {
    bst_state_res r = bst_state_exists(st, child, child_len, key, key_len);
    if (r != BST_STATE_FOUND)
        return r == BST_STATE_ABSENT
                   ? bst_state_next_key(st, child, child_len, key, key_len, out, out_len)
                   : r;
    *out = malloc(key_len ? key_len : 1);
    if (!*out) return BST_STATE_ERROR;
    if (key_len) memcpy(*out, key, key_len);
    *out_len = key_len;
    return BST_STATE_FOUND;
}

/* The register-only cursor versions (ext_storage_clear_prefix_version_3,
 * ext_default_child_storage_clear_prefix_version_3, ext_default_child_storage_storage_kill_
 * version_4): at most `limit` keys under the prefix removed, and MultiRemovalResults
 * { maybe_cursor: Option<Vec<u8>>, backend, unique, loops: u32 }, the cursor Some(the first key
 * left) until none is.  The keys are visited in the merged view (overlay over backend), where a
 * removed key is gone at once: each call starts at the first key left, so the cursor passed in
 * (checked to be an Option<Vec<u8>>) is not needed to make progress, and every call with a
 * limit of at least 1 does.  Unlike Substrate, keys only in the overlay count towards the limit
 * too, and the three counters all give the number of keys removed. */
static bool clear_prefix_cursor(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                                size_t child_len, int64_t prefix_span, int64_t limit_span,
                                int64_t cursor_span, bst_value *result, const char *fn) {
    uint32_t limit, removed = 0;
    bool some;
    const uint8_t *cur;
    size_t cur_len;
    SUB_SPAN_ARG(cursor, cursor_span);
    if (!sub_get_option_bytes(c, cursor, cursor_len, &some, &cur, &cur_len, fn)) return false;
    if (!get_limit(c, rt, limit_span, &limit, fn)) return false;
    SUB_SPAN_ARG(prefix, prefix_span);
    uint8_t *key = NULL;
    size_t key_len = 0;
    bst_state_res r =
        first_key_from(rt->state, child, child_len, prefix, prefix_len, &key, &key_len);
    while (r == BST_STATE_FOUND) {
        if (key_len < prefix_len || memcmp(key, prefix, prefix_len) != 0) {
            r = BST_STATE_ABSENT; /* past the prefix: all removed */
            break;
        }
        if (removed == limit) break; /* key is the cursor */
        uint8_t *next = NULL;
        size_t next_len = 0;
        if (!bst_state_clear(rt->state, child, child_len, key, key_len)) {
            r = BST_STATE_ERROR;
            break;
        }
        removed++;
        r = bst_state_next_key(rt->state, child, child_len, key, key_len, &next, &next_len);
        free(key);
        key = next;
        key_len = next_len;
    }
    if (r == BST_STATE_ERROR) {
        free(key);
        return oom(c, fn);
    }
    bool more = r == BST_STATE_FOUND;
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_u8(&b, more ? 1 : 0);
    if (more) bst_scale_put_bytes(&b, key, key_len);
    for (int i = 0; i < 3; i++) bst_scale_put_u32(&b, removed);
    free(key);
    bool ok = b.err == BST_SCALE_OK ? sub_ret_span(c, rt, b.data, b.len, result, fn) : oom(c, fn);
    bst_scale_buf_free(&b);
    return ok;
}

/* storage_kill v2 and v3: at most `limit` (an Option<u32> span) keys of the child trie
 * removed; *removed and *all say how it went. */
static bool kill_limited(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                         size_t child_len, int64_t limit_span, uint32_t *removed, bool *all,
                         const char *fn) {
    uint32_t limit;
    if (!get_limit(c, rt, limit_span, &limit, fn)) return false;
    return bst_state_child_kill(rt->state, child, child_len, limit, removed, all) || oom(c, fn);
}

static bool state_version_arg(bst_caller *c, int32_t v, unsigned *out, const char *fn) {
    if (v != 0 && v != 1) return sub_fail(c, fn, "unknown state version");
    *out = (unsigned)v;
    return true;
}

static bool do_root(bst_caller *c, bst_substrate_runtime *rt, const uint8_t *child,
                    size_t child_len, unsigned version, bst_value *result, const char *fn) {
    uint8_t root[32];
    bool ok = child ? bst_state_child_root(rt->state, child, child_len, version, root)
                    : bst_state_root(rt->state, version, root);
    if (!ok) return oom(c, fn);
    return sub_ret_span(c, rt, root, 32, result, fn);
}

/* ---- ext_storage_* ------------------------------------------------------------------------ */

SUB_HOST(ext_storage_get_version_1) {
    return do_lookup(c, HOST_RT(env), TOP, args[0].of.i64, bst_state_get, &results[0], fn);
}
SUB_HOST(ext_storage_read_version_1) {
    return do_read(c, HOST_RT(env), TOP, args[0].of.i64, args[1].of.i64, args[2].of.i32,
                   &results[0], fn);
}
SUB_HOST(ext_storage_set_version_1) {
    (void)results;
    return do_set(c, HOST_RT(env), TOP, args[0].of.i64, args[1].of.i64, fn);
}
SUB_HOST(ext_storage_clear_version_1) {
    (void)results;
    return do_clear(c, HOST_RT(env), TOP, args[0].of.i64, fn);
}
SUB_HOST(ext_storage_exists_version_1) {
    return do_exists(c, HOST_RT(env), TOP, args[0].of.i64, &results[0], fn);
}
SUB_HOST(ext_storage_next_key_version_1) {
    return do_lookup(c, HOST_RT(env), TOP, args[0].of.i64, bst_state_next_key, &results[0], fn);
}
SUB_HOST(ext_storage_clear_prefix_version_1) {
    (void)results;
    return do_clear_prefix(c, HOST_RT(env), TOP, args[0].of.i64, UINT32_MAX, NULL, NULL, fn);
}
SUB_HOST(ext_storage_clear_prefix_version_2) {
    return clear_prefix_limited(c, HOST_RT(env), TOP, args[0].of.i64, args[1].of.i64, &results[0],
                                fn);
}
SUB_HOST(ext_storage_clear_prefix_version_3) {
    return clear_prefix_cursor(c, HOST_RT(env), TOP, args[0].of.i64, args[1].of.i64, args[2].of.i64,
                               &results[0], fn);
}
SUB_HOST(ext_storage_append_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(key, args[0].of.i64);
    SUB_SPAN_ARG(item, args[1].of.i64);
    return bst_state_append(rt->state, TOP, key, key_len, item, item_len) || oom(c, fn);
}
SUB_HOST(ext_storage_root_version_1) {
    (void)args;
    return do_root(c, HOST_RT(env), TOP, 0, &results[0], fn);
}
SUB_HOST(ext_storage_root_version_2) {
    unsigned v = 0;
    if (!state_version_arg(c, args[0].of.i32, &v, fn)) return false;
    return do_root(c, HOST_RT(env), TOP, v, &results[0], fn);
}
/* Changes tries are gone from Substrate; a host without them answers None. */
SUB_HOST(ext_storage_changes_root_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(parent_hash, args[0].of.i64);
    (void)parent_hash_len;
    return sub_ret_option(c, rt, false, NULL, 0, &results[0], fn);
}
SUB_HOST(ext_storage_start_transaction_version_1) {
    (void)args;
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    /* offchain-index writes are transactional like storage: both levels move together */
    return (bst_state_tx_start(rt->state) && bst_state_tx_start(rt->offchain_index)) || oom(c, fn);
}
/* Ends the innermost storage transaction (and the offchain index's with it): commits or rolls
 * back.  Only a transaction the runtime opened may end. */
static bool end_transaction(bst_caller *c, bst_substrate_runtime *rt, bool commit, const char *fn) {
    if (bst_state_tx_depth(rt->state) <= rt->tx_base)
        return sub_fail(c, fn,
                        commit ? "No open transaction that can be committed."
                               : "No open transaction that can be rolled back.");
    if (commit) {
        bst_state_tx_commit(rt->state);
        bst_state_tx_commit(rt->offchain_index);
    } else {
        bst_state_tx_rollback(rt->state);
        bst_state_tx_rollback(rt->offchain_index);
    }
    return true;
}
SUB_HOST(ext_storage_rollback_transaction_version_1) {
    (void)args;
    (void)results;
    return end_transaction(c, HOST_RT(env), false, fn);
}
SUB_HOST(ext_storage_commit_transaction_version_1) {
    (void)args;
    (void)results;
    return end_transaction(c, HOST_RT(env), true, fn);
}

/* ---- ext_default_child_storage_* ---------------------------------------------------------- */

/* Declares rt and child[0..child_len), the child trie's storage key (unprefixed, as sp-io
 * passes it): the span every function here takes first.  Returns false after a trap. */
#define CHILD_OR_FAIL()                                                                            \
    bst_substrate_runtime *rt = HOST_RT(env);                                                      \
    SUB_SPAN_ARG(child, args[0].of.i64)

SUB_HOST(ext_default_child_storage_get_version_1) {
    CHILD_OR_FAIL();
    return do_lookup(c, rt, child, child_len, args[1].of.i64, bst_state_get, &results[0], fn);
}
SUB_HOST(ext_default_child_storage_read_version_1) {
    CHILD_OR_FAIL();
    return do_read(c, rt, child, child_len, args[1].of.i64, args[2].of.i64, args[3].of.i32,
                   &results[0], fn);
}
SUB_HOST(ext_default_child_storage_set_version_1) {
    (void)results;
    CHILD_OR_FAIL();
    return do_set(c, rt, child, child_len, args[1].of.i64, args[2].of.i64, fn);
}
SUB_HOST(ext_default_child_storage_clear_version_1) {
    (void)results;
    CHILD_OR_FAIL();
    return do_clear(c, rt, child, child_len, args[1].of.i64, fn);
}
SUB_HOST(ext_default_child_storage_exists_version_1) {
    CHILD_OR_FAIL();
    return do_exists(c, rt, child, child_len, args[1].of.i64, &results[0], fn);
}
SUB_HOST(ext_default_child_storage_next_key_version_1) {
    CHILD_OR_FAIL();
    return do_lookup(c, rt, child, child_len, args[1].of.i64, bst_state_next_key, &results[0], fn);
}
SUB_HOST(ext_default_child_storage_clear_prefix_version_1) {
    (void)results;
    CHILD_OR_FAIL();
    return do_clear_prefix(c, rt, child, child_len, args[1].of.i64, UINT32_MAX, NULL, NULL, fn);
}
SUB_HOST(ext_default_child_storage_clear_prefix_version_2) {
    CHILD_OR_FAIL();
    return clear_prefix_limited(c, rt, child, child_len, args[1].of.i64, args[2].of.i64,
                                &results[0], fn);
}
SUB_HOST(ext_default_child_storage_storage_kill_version_1) {
    (void)results;
    CHILD_OR_FAIL();
    return bst_state_child_kill(rt->state, child, child_len, UINT32_MAX, NULL, NULL) || oom(c, fn);
}
/* v2: -> bool (all removed) */
SUB_HOST(ext_default_child_storage_storage_kill_version_2) {
    CHILD_OR_FAIL();
    uint32_t removed = 0;
    bool all = false;
    if (!kill_limited(c, rt, child, child_len, args[1].of.i64, &removed, &all, fn)) return false;
    results[0].of.i32 = all;
    return true;
}
/* v3: -> KillStorageResult */
SUB_HOST(ext_default_child_storage_storage_kill_version_3) {
    CHILD_OR_FAIL();
    uint32_t removed = 0;
    bool all = false;
    return kill_limited(c, rt, child, child_len, args[1].of.i64, &removed, &all, fn) &&
           ret_kill_result(c, rt, all, removed, &results[0], fn);
}
SUB_HOST(ext_default_child_storage_clear_prefix_version_3) {
    CHILD_OR_FAIL();
    return clear_prefix_cursor(c, rt, child, child_len, args[1].of.i64, args[2].of.i64,
                               args[3].of.i64, &results[0], fn);
}
/* v4: storage_kill as clear_prefix v3 with an empty prefix */
SUB_HOST(ext_default_child_storage_storage_kill_version_4) {
    CHILD_OR_FAIL();
    return clear_prefix_cursor(c, rt, child, child_len, 0, args[1].of.i64, args[2].of.i64,
                               &results[0], fn);
}
SUB_HOST(ext_default_child_storage_root_version_1) {
    CHILD_OR_FAIL();
    return do_root(c, rt, child, child_len, 0, &results[0], fn);
}
SUB_HOST(ext_default_child_storage_root_version_2) {
    CHILD_OR_FAIL();
    unsigned v = 0;
    if (!state_version_arg(c, args[1].of.i32, &v, fn)) return false;
    return do_root(c, rt, child, child_len, v, &results[0], fn);
}

/* ---- ext_trie_* --------------------------------------------------------------------------- */

static int key_cmp(const bst_trie_pair *x, const bst_trie_pair *y) {
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int r = n ? memcmp(x->key, y->key, n) : 0;
    if (r) return r;
    return x->key_len == y->key_len ? 0 : x->key_len < y->key_len ? -1 : 1;
}

/* A pair with its input position: equal keys sort by position, so the last one is found. */
typedef struct ranked_pair {
    bst_trie_pair pair;
    size_t pos;
} ranked_pair;

static int ranked_cmp(const void *a, const void *b) {
    const ranked_pair *x = a, *y = b;
    int r = key_cmp(&x->pair, &y->pair);
    if (r) return r;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* trie_root takes any order and lets a later duplicate key win (it collects a BTreeMap):
 * sorts v[0..*n) by key and keeps the last of each run of equal keys.  False on OOM. */
static bool sort_unique(bst_trie_pair *v, size_t *n) {
    ranked_pair *r = malloc(*n * sizeof *r);
    if (!r) return false;
    for (size_t i = 0; i < *n; i++) {
        r[i].pair = v[i];
        r[i].pos = i;
    }
    qsort(r, *n, sizeof *r, ranked_cmp);
    size_t w = 0;
    for (size_t i = 0; i < *n; i++)
        if (i + 1 == *n || key_cmp(&r[i].pair, &r[i + 1].pair) != 0) v[w++] = r[i].pair;
    *n = w;
    free(r);
    return true;
}

/* Decodes the SCALE input: Vec<(Vec<u8>, Vec<u8>)> when pairs, else Vec<Vec<u8>> (values). */
static bst_trie_pair *decode_trie_input(const uint8_t *p, uint32_t len, bool pairs, size_t *n) {
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    bst_scale_get_len(&d, pairs ? 2 : 1, n);
    if (d.err != BST_SCALE_OK) return NULL;
    bst_trie_pair *v = calloc(*n ? *n : 1, sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < *n && d.err == BST_SCALE_OK; i++) {
        if (pairs) bst_scale_get_bytes(&d, &v[i].key, &v[i].key_len);
        bst_scale_get_bytes(&d, &v[i].value, &v[i].value_len);
    }
    if (bst_scale_finish(&d) != BST_SCALE_OK) {
        free(v);
        return NULL;
    }
    return v;
}

/* (input: span[, state_version: i32 when versioned]) -> pointer to the root: the trie root of
 * the key-value pairs or, when ordered, of the values keyed by their SCALE-compact index. */
static bool trie_root_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                           bst_trie_hasher h, bool ordered, bool versioned, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    unsigned version = 0;
    if (versioned && !state_version_arg(c, args[1].of.i32, &version, fn)) return false;
    SUB_SPAN_ARG(in, args[0].of.i64);
    size_t n = 0;
    bst_trie_pair *v = decode_trie_input(in, in_len, !ordered, &n);
    if (!v) return sub_fail(c, fn, "input is not the SCALE encoding it should be");
    if (!ordered && n > 1 && !sort_unique(v, &n)) {
        free(v);
        return oom(c, fn);
    }
    uint8_t root[32];
    bool ok = ordered ? bst_trie_ordered_root_hashed(v, n, version, h, root)
                      : bst_trie_root_hashed(v, n, version, h, root);
    free(v);
    if (!ok) return oom(c, fn);
    return sub_ret_ptr(c, rt, root, 32, &results[0], fn);
}

/* (root: pointer to 32 bytes, proof: span of a SCALE Vec<Vec<u8>>, key: span, value: span
 * [, state_version: i32]) -> bool: bst_trie_verify_proof.  A proof that does not decode is
 * false (sp-io decodes it before the call; a runtime cannot pass anything else), not a trap. */
static bool trie_verify_host(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                             bst_trie_hasher h, bool versioned, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    unsigned version = 0;
    if (versioned && !state_version_arg(c, args[4].of.i32, &version, fn)) return false;
    SUB_PTR_ARG(root, args[0].of.i32, 32);
    SUB_SPAN_ARG(proof, args[1].of.i64);
    SUB_SPAN_ARG(key, args[2].of.i64);
    SUB_SPAN_ARG(value, args[3].of.i64);
    size_t n = 0;
    bst_trie_pair *items = decode_trie_input(proof, proof_len, false, &n);
    if (!items) return sub_fail(c, fn, "proof is not a SCALE Vec<Vec<u8>>");
    bst_trie_node *nodes = malloc((n ? n : 1) * sizeof *nodes);
    if (!nodes) {
        free(items);
        return oom(c, fn);
    }
    for (size_t i = 0; i < n; i++) {
        nodes[i].data = items[i].value;
        nodes[i].len = items[i].value_len;
    }
    results[0].of.i32 =
        bst_trie_verify_proof(h, version, root, nodes, n, key, key_len, value, value_len);
    free(nodes);
    free(items);
    return true;
}

/* clang-format off */
SUB_HOST_CALLS(ext_trie_blake2_256_root_version_1, trie_root_host, BST_TRIE_BLAKE2_256, false, false)
SUB_HOST_CALLS(ext_trie_blake2_256_root_version_2, trie_root_host, BST_TRIE_BLAKE2_256, false, true)
SUB_HOST_CALLS(ext_trie_blake2_256_ordered_root_version_1, trie_root_host, BST_TRIE_BLAKE2_256, true, false)
SUB_HOST_CALLS(ext_trie_blake2_256_ordered_root_version_2, trie_root_host, BST_TRIE_BLAKE2_256, true, true)
SUB_HOST_CALLS(ext_trie_keccak_256_root_version_1, trie_root_host, BST_TRIE_KECCAK_256, false, false)
SUB_HOST_CALLS(ext_trie_keccak_256_root_version_2, trie_root_host, BST_TRIE_KECCAK_256, false, true)
SUB_HOST_CALLS(ext_trie_keccak_256_ordered_root_version_1, trie_root_host, BST_TRIE_KECCAK_256, true, false)
SUB_HOST_CALLS(ext_trie_keccak_256_ordered_root_version_2, trie_root_host, BST_TRIE_KECCAK_256, true, true)
SUB_HOST_CALLS(ext_trie_blake2_256_verify_proof_version_1, trie_verify_host, BST_TRIE_BLAKE2_256, false)
SUB_HOST_CALLS(ext_trie_blake2_256_verify_proof_version_2, trie_verify_host, BST_TRIE_BLAKE2_256, true)
SUB_HOST_CALLS(ext_trie_keccak_256_verify_proof_version_1, trie_verify_host, BST_TRIE_KECCAK_256, false)
SUB_HOST_CALLS(ext_trie_keccak_256_verify_proof_version_2, trie_verify_host, BST_TRIE_KECCAK_256, true)
/* clang-format on */
