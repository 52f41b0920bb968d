/*
 * test_state.c — CTest state/state: the overlay (include/bastion_state.h) over the in-memory
 * backend: get/set/clear, append (sp-io storage::append semantics incl. the compact prefix
 * growing from 1 to 2 bytes at 64 items; 100k appends in place), next_key across
 * overlay/backend/deletions, clear_prefix and child_kill with limits (sp-state-machine's
 * counting), nested transactions (commits merge into the parent, rollbacks free what they
 * undo), child tries, roots (checked against bst_trie_root over the expected merged pairs, whose
 * own encoding is checked by state/trie and the genesis hashes; cached until a change) and the
 * change iterator.
 */
#include "bastion_state.h"
#include "bastion_trie.h"

#include "bastion_crypto.h"
#include "../support/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(s) (const uint8_t *)(s), (sizeof(s) - 1)
#define C(s) (const uint8_t *)(s), (sizeof(s) - 1) /* child name */

/* The value of key as a string ("" with *found false when absent). */
static bool value_is(bst_state *st, const uint8_t *child, size_t cl, const char *key,
                     const char *want) {
    uint8_t *v = NULL;
    size_t vl = 0;
    bst_state_res r = bst_state_get(st, child, cl, (const uint8_t *)key, strlen(key), &v, &vl);
    bool ok;
    if (!want)
        ok = r == BST_STATE_ABSENT;
    else
        ok = r == BST_STATE_FOUND && vl == strlen(want) && memcmp(v, want, vl) == 0;
    free(v);
    return ok;
}

static bool next_is(bst_state *st, const uint8_t *child, size_t cl, const char *key,
                    const char *want) {
    uint8_t *k = NULL;
    size_t kl = 0;
    bst_state_res r = bst_state_next_key(st, child, cl, (const uint8_t *)key, strlen(key), &k, &kl);
    bool ok;
    if (!want)
        ok = r == BST_STATE_ABSENT;
    else
        ok = r == BST_STATE_FOUND && kl == strlen(want) && memcmp(k, want, kl) == 0;
    if (!ok && r == BST_STATE_FOUND)
        fprintf(stderr, "  next_key(%s) = %.*s, want %s\n", key, (int)kl, (const char *)k,
                want ? want : "(none)");
    free(k);
    return ok;
}

static bst_state_mem *backend_abc(void) {
    bst_state_mem *m = bst_state_mem_new();
    CHECK(bst_state_mem_put(m, NULL, 0, S("a"), S("1")));
    CHECK(bst_state_mem_put(m, NULL, 0, S("b"), S("old")));
    CHECK(bst_state_mem_put(m, NULL, 0, S("c"), S("3")));
    CHECK(bst_state_mem_put(m, NULL, 0, S("b"), S("2"))); /* later put wins */
    CHECK(bst_state_mem_put(m, NULL, 0, S("pre1"), S("x")));
    CHECK(bst_state_mem_put(m, NULL, 0, S("pre2"), S("y")));
    CHECK(bst_state_mem_put(m, NULL, 0, S("pre3"), S("z")));
    CHECK(bst_state_mem_put(m, C("kid"), S("k1"), S("v1")));
    CHECK(bst_state_mem_put(m, C("kid"), S("k2"), S("v2")));
    bst_state_mem_finish(m);
    CHECK(bst_state_mem_count(m) == 8);
    CHECK(!bst_state_mem_put(m, NULL, 0, S("late"), S("no")));
    return m;
}

static void test_basic(void) {
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    CHECK(value_is(st, NULL, 0, "a", "1"));
    CHECK(value_is(st, NULL, 0, "b", "2"));
    CHECK(value_is(st, NULL, 0, "zz", NULL));
    CHECK(bst_state_exists(st, NULL, 0, S("c")) == BST_STATE_FOUND);
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("one")));
    CHECK(bst_state_set(st, NULL, 0, S("new"), S("")));
    CHECK(bst_state_clear(st, NULL, 0, S("c")));
    CHECK(value_is(st, NULL, 0, "a", "one"));
    CHECK(value_is(st, NULL, 0, "new", ""));
    CHECK(bst_state_exists(st, NULL, 0, S("new")) == BST_STATE_FOUND);
    CHECK(value_is(st, NULL, 0, "c", NULL));
    CHECK(bst_state_exists(st, NULL, 0, S("c")) == BST_STATE_ABSENT);
    /* Child tries are separate namespaces. */
    CHECK(value_is(st, C("kid"), "k1", "v1"));
    CHECK(value_is(st, NULL, 0, "k1", NULL));
    CHECK(value_is(st, C("other"), "k1", NULL));
    CHECK(bst_state_set(st, C(""), S("a"), S("empty-named child")));
    CHECK(value_is(st, C(""), "a", "empty-named child"));
    CHECK(value_is(st, NULL, 0, "a", "one"));
    /* Child root keys are reserved in the top trie: writes ignored. */
    CHECK(bst_state_set(st, NULL, 0, S(":child_storage:default:kid"), S("x")));
    CHECK(value_is(st, NULL, 0, ":child_storage:default:kid", NULL));
    bst_state_free(st);

    /* No backend at all. */
    st = bst_state_new(NULL);
    CHECK(value_is(st, NULL, 0, "a", NULL));
    CHECK(next_is(st, NULL, 0, "", NULL));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("1")));
    CHECK(next_is(st, NULL, 0, "", "a"));
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* Vec<u8> items appended one byte at a time: the value is compact(n) ++ items. */
static void test_append(void) {
    bst_state *st = bst_state_new(NULL);
    uint8_t *v = NULL;
    size_t vl = 0;
    /* Absent -> compact(1) ++ item. */
    CHECK(bst_state_append(st, NULL, 0, S("vec"), S("\x07")));
    CHECK(bst_state_get(st, NULL, 0, S("vec"), &v, &vl) == BST_STATE_FOUND);
    CHECK(vl == 2 && v[0] == 0x04 && v[1] == 0x07);
    free(v);
    /* 63 -> 64 items: the prefix grows from 1 byte (0xfc) to 2 (0x01 0x01). */
    for (int i = 2; i <= 63; i++) CHECK(bst_state_append(st, NULL, 0, S("vec"), S("\x07")));
    CHECK(bst_state_get(st, NULL, 0, S("vec"), &v, &vl) == BST_STATE_FOUND);
    CHECK(vl == 64 && v[0] == 0xfc);
    free(v);
    CHECK(bst_state_append(st, NULL, 0, S("vec"), S("\x07")));
    CHECK(bst_state_get(st, NULL, 0, S("vec"), &v, &vl) == BST_STATE_FOUND);
    CHECK(vl == 66 && v[0] == 0x01 && v[1] == 0x01 && v[65] == 0x07);
    free(v);
    /* A multi-byte item is appended as is. */
    CHECK(bst_state_append(st, NULL, 0, S("vec"), S("\xaa\xbb")));
    CHECK(bst_state_get(st, NULL, 0, S("vec"), &v, &vl) == BST_STATE_FOUND);
    CHECK(vl == 68 && v[0] == 0x05 && v[1] == 0x01 && v[66] == 0xaa && v[67] == 0xbb);
    free(v);
    /* An undecodable prefix (empty value; truncated 2-byte mode; non-canonical 0x01 0x00 = 0 in
     * 2-byte mode) starts over with compact(1) ++ item. */
    const char *bad[] = {"", "\x01", "\x01\x00"};
    const size_t badlen[] = {0, 1, 2};
    for (int i = 0; i < 3; i++) {
        CHECK(bst_state_set(st, NULL, 0, S("bad"), (const uint8_t *)bad[i], badlen[i]));
        CHECK(bst_state_append(st, NULL, 0, S("bad"), S("\x09")));
        CHECK(bst_state_get(st, NULL, 0, S("bad"), &v, &vl) == BST_STATE_FOUND);
        CHECK(vl == 2 && v[0] == 0x04 && v[1] == 0x09);
        free(v);
    }
    /* The items are not validated: compact(2) ++ one byte still appends (count 3). */
    CHECK(bst_state_set(st, NULL, 0, S("odd"), S("\x08\x01")));
    CHECK(bst_state_append(st, NULL, 0, S("odd"), S("\x02")));
    CHECK(bst_state_get(st, NULL, 0, S("odd"), &v, &vl) == BST_STATE_FOUND);
    CHECK(vl == 3 && v[0] == 0x0c && v[1] == 0x01 && v[2] == 0x02);
    free(v);
    /* 16383 -> 16384: 2-byte to 4-byte prefix. */
    uint8_t big[2] = {0xfd, 0xff}; /* compact(16383) */
    CHECK(bst_state_set(st, NULL, 0, S("big"), big, 2));
    CHECK(bst_state_append(st, NULL, 0, S("big"), S("\x01")));
    CHECK(bst_state_get(st, NULL, 0, S("big"), &v, &vl) == BST_STATE_FOUND);
    CHECK(vl == 5 && v[0] == 0x02 && v[1] == 0x00 && v[2] == 0x01 && v[3] == 0x00 && v[4] == 0x01);
    free(v);
    /* Append inside a rolled-back transaction leaves nothing. */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_append(st, NULL, 0, S("tmp"), S("\x01")));
    CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "tmp", NULL));
    bst_state_free(st);
}

/* The Vec value of key must be compact(count) ++ items 0..count-1, each the 8 bytes of
 * item_bytes(first + i). */
static void item_bytes(uint32_t i, uint8_t out[8]) {
    for (int b = 0; b < 8; b++) out[b] = (uint8_t)(i * 7 + (uint32_t)b);
}

static bool vec_is(bst_state *st, const char *key, uint32_t first, uint32_t count) {
    uint8_t *v = NULL;
    size_t vl = 0;
    bool ok =
        bst_state_get(st, NULL, 0, (const uint8_t *)key, strlen(key), &v, &vl) == BST_STATE_FOUND;
    uint8_t pfx[9];
    size_t pl = 0;
    if (count < 64) {
        pfx[pl++] = (uint8_t)(count << 2);
    } else if (count < 16384) {
        pfx[pl++] = (uint8_t)((count << 2) | 1u);
        pfx[pl++] = (uint8_t)(count >> 6);
    } else {
        uint32_t x = (count << 2) | 2u;
        for (int i = 0; i < 4; i++) pfx[pl++] = (uint8_t)(x >> (8 * i));
    }
    ok = ok && vl == pl + 8 * (size_t)count && memcmp(v, pfx, pl) == 0;
    for (uint32_t i = 0; ok && i < count; i++) {
        uint8_t it[8];
        item_bytes(first + i, it);
        ok = memcmp(v + pl + 8 * (size_t)i, it, 8) == 0;
    }
    free(v);
    return ok;
}

/* ext_storage_append in place: 100k appends to one key, at depth 0, inside a transaction and
 * one per nested transaction, stay linear (each append was a copy of the whole value before:
 * 15 s for 100k); the prefix crosses 1 -> 2 -> 4 bytes in place.  Appends over a backend value, after a deletion, and
 * across nested commits / rollbacks keep the transactional semantics. */
static void test_append_many(void) {
    enum { N = 100000 };
    uint8_t it[8];
    bst_state_mem *m = bst_state_mem_new();
    uint8_t bv[1 + 8];
    bv[0] = 0x04; /* compact(1) */
    item_bytes(0, bv + 1);
    CHECK(bst_state_mem_put(m, NULL, 0, S("bvec"), bv, sizeof bv));
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    for (uint32_t i = 0; i < N; i++) {
        item_bytes(i, it);
        CHECK(bst_state_append(st, NULL, 0, S("v0"), it, 8));
    }
    CHECK(vec_is(st, "v0", 0, N));
    CHECK(bst_state_tx_start(st));
    for (uint32_t i = 0; i < N; i++) {
        item_bytes(i, it);
        CHECK(bst_state_append(st, NULL, 0, S("v1"), it, 8));
    }
    CHECK(vec_is(st, "v1", 0, N));
    /* A nested level appends to v0 (copied once), then rolls back: v0 as before. */
    CHECK(bst_state_tx_start(st));
    for (uint32_t i = N; i < N + 100; i++) {
        item_bytes(i, it);
        CHECK(bst_state_append(st, NULL, 0, S("v0"), it, 8));
    }
    CHECK(vec_is(st, "v0", 0, N + 100));
    CHECK(bst_state_tx_rollback(st));
    CHECK(vec_is(st, "v0", 0, N));
    /* Appends over the backend's Vec and over a deleted key. */
    for (uint32_t i = 1; i < 70; i++) {
        item_bytes(i, it);
        CHECK(bst_state_append(st, NULL, 0, S("bvec"), it, 8));
    }
    CHECK(vec_is(st, "bvec", 0, 70));
    CHECK(bst_state_clear(st, NULL, 0, S("v1")));
    item_bytes(5, it);
    CHECK(bst_state_append(st, NULL, 0, S("v1"), it, 8));
    CHECK(vec_is(st, "v1", 5, 1));
    /* Commit of a nested level that appended: kept; the outer rollback drops everything. */
    CHECK(bst_state_tx_start(st));
    item_bytes(6, it);
    CHECK(bst_state_append(st, NULL, 0, S("v1"), it, 8));
    CHECK(bst_state_tx_commit(st));
    item_bytes(7, it);
    CHECK(bst_state_append(st, NULL, 0, S("v1"), it, 8));
    CHECK(vec_is(st, "v1", 5, 3));
    CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "v1", NULL));
    CHECK(vec_is(st, "bvec", 0, 1));
    CHECK(vec_is(st, "v0", 0, N));
    /* One append per nested level, as a runtime appends an event per extrinsic in its own
     * transaction: the first append of a level records the old length and prefix instead of
     * copying the value (was O(value) per level: quadratic), and the merged journal keeps one
     * entry without a copy. */
    bst_state_stats ss;
    CHECK(bst_state_tx_start(st));
    for (uint32_t i = N; i < 2 * N; i++) {
        item_bytes(i, it);
        CHECK(bst_state_tx_start(st));
        CHECK(bst_state_append(st, NULL, 0, S("v0"), it, 8));
        if (i % 1000 == 999) { /* a rolled-back level between */
            CHECK(bst_state_tx_start(st));
            CHECK(bst_state_append(st, NULL, 0, S("v0"), it, 8));
            CHECK(bst_state_tx_rollback(st));
        }
        CHECK(bst_state_tx_commit(st));
    }
    CHECK(vec_is(st, "v0", 0, 2 * N));
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 1 && ss.journal_bytes == 0);
    CHECK(bst_state_tx_rollback(st));
    CHECK(vec_is(st, "v0", 0, N));
    bst_state_free(st);
    bst_state_mem_free(m);
}

static void test_next_key(void) {
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    CHECK(next_is(st, NULL, 0, "", "a"));
    CHECK(next_is(st, NULL, 0, "a", "b"));
    CHECK(next_is(st, NULL, 0, "pre3", NULL));
    CHECK(bst_state_clear(st, NULL, 0, S("b")));         /* hides a backend key */
    CHECK(bst_state_set(st, NULL, 0, S("ab"), S("o")));  /* overlay-only key */
    CHECK(bst_state_clear(st, NULL, 0, S("bb")));        /* deleting an absent key */
    CHECK(bst_state_set(st, NULL, 0, S("c"), S("new"))); /* overwrite */
    CHECK(next_is(st, NULL, 0, "a", "ab"));
    CHECK(next_is(st, NULL, 0, "ab", "c"));
    CHECK(next_is(st, NULL, 0, "b", "c"));
    CHECK(next_is(st, NULL, 0, "aa", "ab"));
    CHECK(bst_state_clear(st, NULL, 0, S("c")));
    CHECK(bst_state_clear(st, NULL, 0, S("pre1")));
    CHECK(next_is(st, NULL, 0, "ab", "pre2")); /* skips b, bb, c, pre1 */
    CHECK(bst_state_set(st, NULL, 0, S("zzz"), S("1")));
    CHECK(next_is(st, NULL, 0, "pre3", "zzz"));
    CHECK(next_is(st, NULL, 0, "zzz", NULL));
    /* Child tries. */
    CHECK(next_is(st, C("kid"), "", "k1"));
    CHECK(next_is(st, C("kid"), "k1", "k2"));
    CHECK(next_is(st, C("kid"), "k2", NULL));
    CHECK(bst_state_clear(st, C("kid"), S("k1")));
    CHECK(next_is(st, C("kid"), "", "k2"));
    CHECK(next_is(st, C("nokid"), "", NULL));
    /* The top trie never shows child roots. */
    CHECK(next_is(st, NULL, 0, ":", "a"));
    bst_state_free(st);
    bst_state_mem_free(m);
}

static void test_clear_prefix(void) {
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    uint32_t removed = 99;
    bool all = true;
    /* Overlay: pre2 set (over a backend key), pre9 set (overlay only). */
    CHECK(bst_state_set(st, NULL, 0, S("pre2"), S("Y")));
    CHECK(bst_state_set(st, NULL, 0, S("pre9"), S("9")));
    /* Limit 1: every overlay key goes; one backend key visited (pre1, deleted).  The count is
     * sp-state-machine's `loops` (backend keys visited), what KillStorageResult reports. */
    CHECK(bst_state_clear_prefix(st, NULL, 0, S("pre"), 1, &removed, &all));
    CHECK(removed == 1 && !all);
    CHECK(value_is(st, NULL, 0, "pre1", NULL));
    CHECK(value_is(st, NULL, 0, "pre2", NULL));
    CHECK(value_is(st, NULL, 0, "pre3", "z"));
    CHECK(value_is(st, NULL, 0, "pre9", NULL));
    /* Again, limit 2: pre1 and pre2 are already deleted in the overlay (visited, so counted),
     * the limit stops before pre3. */
    CHECK(bst_state_clear_prefix(st, NULL, 0, S("pre"), 2, &removed, &all));
    CHECK(removed == 2 && !all);
    CHECK(value_is(st, NULL, 0, "pre3", "z"));
    /* Limit 3: all three visited (only pre3 newly deleted), nothing remains. */
    CHECK(bst_state_clear_prefix(st, NULL, 0, S("pre"), 3, &removed, &all));
    CHECK(removed == 3 && all);
    /* Once more without a limit: the three backend keys are visited again. */
    CHECK(bst_state_clear_prefix(st, NULL, 0, S("pre"), UINT32_MAX, &removed, &all));
    CHECK(removed == 3 && all);
    CHECK(value_is(st, NULL, 0, "pre3", NULL));
    CHECK(value_is(st, NULL, 0, "a", "1"));
    /* Limit 0 with keys left: SomeRemaining(0); with none left: AllRemoved(0). */
    CHECK(bst_state_clear_prefix(st, NULL, 0, S("a"), 0, &removed, &all));
    CHECK(removed == 0 && !all);
    CHECK(value_is(st, NULL, 0, "a", "1"));
    CHECK(bst_state_clear_prefix(st, NULL, 0, S("q"), 0, &removed, &all));
    CHECK(removed == 0 && all);
    /* The empty prefix (and any prefix of ":child_storage:") is refused: AllRemoved(0). */
    CHECK(bst_state_clear_prefix(st, NULL, 0, S(""), UINT32_MAX, &removed, &all));
    CHECK(all && removed == 0);
    CHECK(bst_state_clear_prefix(st, NULL, 0, S(":chi"), UINT32_MAX, &removed, &all));
    CHECK(all && removed == 0);
    CHECK(value_is(st, NULL, 0, "a", "1"));
    /* ... but the empty prefix is fine in a child trie, see child_kill below. */
    /* No limit. */
    CHECK(bst_state_set(st, NULL, 0, S("b2"), S("o")));
    CHECK(bst_state_clear_prefix(st, NULL, 0, S("b"), UINT32_MAX, &removed, &all));
    CHECK(all && removed == 1); /* b visited; b2 was only in the overlay */
    CHECK(next_is(st, NULL, 0, "a", "c"));
    /* Child tries are untouched by the top's clear; child_kill with limits. */
    CHECK(value_is(st, C("kid"), "k1", "v1"));
    CHECK(bst_state_set(st, C("kid"), S("k3"), S("v3")));
    CHECK(bst_state_child_kill(st, C("kid"), 1, &removed, &all));
    CHECK(removed == 1 && !all);
    CHECK(value_is(st, C("kid"), "k3", NULL));
    CHECK(value_is(st, C("kid"), "k2", "v2"));
    CHECK(bst_state_child_kill(st, C("kid"), UINT32_MAX, &removed, &all));
    CHECK(removed == 2 && all); /* k1 (already deleted) and k2 visited */
    CHECK(next_is(st, C("kid"), "", NULL));
    /* A prefix inside the reserved child-root space is refused. */
    CHECK(bst_state_clear_prefix(st, NULL, 0, S(":child_storage:default:x"), UINT32_MAX, &removed,
                                 &all));
    CHECK(removed == 0 && all);
    bst_state_free(st);
    bst_state_mem_free(m);
}

static void test_transactions(void) {
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    CHECK(!bst_state_tx_commit(st));
    CHECK(!bst_state_tx_rollback(st));
    CHECK(bst_state_tx_depth(st) == 0);
    uint8_t r0[32], r[32];
    CHECK(bst_state_root(st, 0, r0));

    /* Depth 1: changes; depth 2: more changes, rolled back; depth 2 again: committed. */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A1")));
    CHECK(bst_state_clear(st, NULL, 0, S("b")));
    CHECK(bst_state_set(st, C("kid"), S("k9"), S("v9")));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_tx_depth(st) == 2);
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A2")));
    CHECK(bst_state_set(st, NULL, 0, S("b"), S("B2")));
    CHECK(bst_state_set(st, NULL, 0, S("d"), S("D2")));
    CHECK(bst_state_child_kill(st, C("kid"), UINT32_MAX, NULL, NULL));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A3")));
    CHECK(bst_state_tx_depth(st) == 3);
    CHECK(bst_state_tx_commit(st)); /* 3 into 2 */
    CHECK(value_is(st, NULL, 0, "a", "A3"));
    CHECK(next_is(st, C("kid"), "", NULL));
    CHECK(bst_state_tx_rollback(st)); /* 2: back to the depth-1 state */
    CHECK(bst_state_tx_depth(st) == 1);
    CHECK(value_is(st, NULL, 0, "a", "A1"));
    CHECK(value_is(st, NULL, 0, "b", NULL));
    CHECK(value_is(st, NULL, 0, "d", NULL));
    CHECK(value_is(st, C("kid"), "k9", "v9"));
    CHECK(value_is(st, C("kid"), "k1", "v1"));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("e"), S("E2")));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A2b")));
    CHECK(bst_state_tx_commit(st));
    CHECK(value_is(st, NULL, 0, "e", "E2"));
    CHECK(value_is(st, NULL, 0, "a", "A2b"));
    /* A write after a nested commit, then rollback of the outer level: everything goes. */
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A1c")));
    CHECK(bst_state_tx_rollback(st));
    CHECK(bst_state_tx_depth(st) == 0);
    CHECK(value_is(st, NULL, 0, "a", "1"));
    CHECK(value_is(st, NULL, 0, "b", "2"));
    CHECK(value_is(st, NULL, 0, "e", NULL));
    CHECK(value_is(st, C("kid"), "k9", NULL));
    CHECK(bst_state_root(st, 0, r) && memcmp(r, r0, 32) == 0);

    /* Commit at the outermost level keeps changes. */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("kept")));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_clear(st, NULL, 0, S("c")));
    CHECK(bst_state_tx_commit(st));
    CHECK(bst_state_tx_commit(st));
    CHECK(value_is(st, NULL, 0, "a", "kept"));
    CHECK(value_is(st, NULL, 0, "c", NULL));
    /* A new transaction after commits journals afresh: rollback restores "kept". */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("tmp")));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("tmp2")));
    CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "a", "tmp"));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("tmp3")));
    CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "a", "kept"));

    /* Deep nesting: 100 levels, each setting its own key and overwriting a shared one. */
    for (int i = 0; i < 100; i++) {
        char k[16];
        snprintf(k, sizeof k, "deep%03d", i);
        CHECK(bst_state_tx_start(st));
        CHECK(bst_state_set(st, NULL, 0, (const uint8_t *)k, strlen(k), S("v")));
        CHECK(bst_state_set(st, NULL, 0, S("shared"), (const uint8_t *)k, strlen(k)));
    }
    for (int i = 99; i >= 50; i--) CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "shared", "deep049"));
    CHECK(value_is(st, NULL, 0, "deep050", NULL));
    CHECK(value_is(st, NULL, 0, "deep049", "v"));
    for (int i = 49; i >= 1; i--) CHECK(bst_state_tx_commit(st));
    CHECK(bst_state_tx_depth(st) == 1);
    CHECK(value_is(st, NULL, 0, "shared", "deep049"));
    CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "shared", NULL));
    CHECK(value_is(st, NULL, 0, "deep000", NULL));
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* Nested commits merge into the parent: {start; set(k, 4 KiB); commit} repeated keeps one
 * journal entry and one old value, not one per cycle (200 x 1 MiB held 201 MiB before). */
static void test_commit_merges(void) {
    enum { BIG = 4096, CYCLES = 1000 };
    bst_state *st = bst_state_new(NULL);
    bst_state_stats ss;
    uint8_t *big = malloc(BIG);
    memset(big, 0, BIG);
    CHECK(bst_state_set(st, NULL, 0, S("k"), S("base")));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("k"), S("L1")));
    for (int i = 0; i < CYCLES; i++) {
        big[0] = (uint8_t)i;
        big[1] = (uint8_t)(i >> 8);
        CHECK(bst_state_tx_start(st));
        CHECK(bst_state_set(st, NULL, 0, S("k"), big, BIG));
        char key[16];
        snprintf(key, sizeof key, "m%d", i % 10);
        CHECK(bst_state_set(st, NULL, 0, (const uint8_t *)key, strlen(key), big, 8));
        CHECK(bst_state_tx_commit(st));
    }
    bst_state_get_stats(st, &ss);
    /* L1's own entry for k ("base") and one per m0..m9 (absent before L1). */
    CHECK(ss.journal_entries == 11);
    CHECK(ss.journal_bytes == 4);
    CHECK(ss.nodes == 11);
    CHECK(ss.value_bytes == BIG + 10 * 8);
    /* Deeper: L2 and L3 both write k; committing L3 then L2 leaves L1's entry only. */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("k"), S("x")));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("k"), S("y")));
    CHECK(bst_state_set(st, NULL, 0, S("new"), S("n")));
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 14);
    CHECK(bst_state_tx_commit(st));
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 13); /* L3's k entry freed, "new" moved to L2 */
    CHECK(bst_state_tx_commit(st));
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 12 && ss.journal_bytes == 4);
    CHECK(value_is(st, NULL, 0, "k", "y"));
    /* After the merges L1 writes k in place of its own value (no new entry) and a rollback of
     * L1 still restores everything. */
    CHECK(bst_state_set(st, NULL, 0, S("k"), S("z")));
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 12);
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("new"), S("n2")));
    CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "new", "n"));
    CHECK(bst_state_tx_rollback(st));
    CHECK(value_is(st, NULL, 0, "k", "base"));
    CHECK(value_is(st, NULL, 0, "new", NULL));
    CHECK(value_is(st, NULL, 0, "m3", NULL));
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 0 && ss.journal_bytes == 0);
    /* The outermost commit frees every entry. */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("k"), big, BIG));
    CHECK(bst_state_tx_commit(st));
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 0 && ss.journal_bytes == 0);
    free(big);
    bst_state_free(st);
}

/* A rollback unlinks the keys it takes back to "no change" and frees child tries left empty:
 * nothing stays behind a failed runtime call, and next_key does not walk dead entries. */
static void test_rollback_unlinks(void) {
    enum { N = 20000 };
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    bst_state_stats ss;
    CHECK(bst_state_set(st, NULL, 0, S("keep"), S("K")));
    CHECK(bst_state_clear(st, NULL, 0, S("c")));
    CHECK(bst_state_tx_start(st));
    for (int i = 0; i < N; i++) {
        uint8_t k[4] = {'z', (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        CHECK(bst_state_set(st, NULL, 0, k, 4, k, 4));
    }
    /* Child tries created in descending name order (one sorted insert each). */
    for (int i = N; i > 0; i--) {
        uint8_t c[3] = {(uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        CHECK(bst_state_set(st, c, 3, S("ck"), c, 3));
    }
    CHECK(bst_state_set(st, NULL, 0, S("keep"), S("K2")));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A")));
    CHECK(bst_state_clear(st, C("kid"), S("k1")));
    bst_state_get_stats(st, &ss);
    CHECK(ss.nodes == (size_t)2 * N + 4 && ss.child_tries == (size_t)N + 1);
    /* A nested level inside: creates and commits a key, the outer rollback removes it too. */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("nested"), S("n")));
    CHECK(bst_state_append(st, C("newkid"), S("v"), S("\x01")));
    CHECK(bst_state_tx_commit(st));
    uint8_t c5[3] = {0, 0, 5};
    CHECK(bst_state_exists(st, c5, 3, S("ck")) == BST_STATE_FOUND);
    CHECK(bst_state_tx_rollback(st));
    bst_state_get_stats(st, &ss);
    /* Left: "keep" (set) and "c" (deleted) from depth 0. */
    CHECK(ss.nodes == 2 && ss.child_tries == 0 && ss.journal_entries == 0);
    CHECK(value_is(st, NULL, 0, "keep", "K"));
    CHECK(value_is(st, NULL, 0, "a", "1"));
    CHECK(value_is(st, NULL, 0, "nested", NULL));
    CHECK(value_is(st, C("kid"), "k1", "v1"));
    CHECK(bst_state_exists(st, c5, 3, S("ck")) == BST_STATE_ABSENT);
    CHECK(next_is(st, NULL, 0, "pre3", NULL));
    CHECK(next_is(st, NULL, 0, "b", "keep"));
    CHECK(next_is(st, NULL, 0, "keep", "pre1"));
    CHECK(next_is(st, C("newkid"), "", NULL));
    /* Rolled back inside an outer level: the outer level's own changes stay. */
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, C("kid"), S("k9"), S("v9")));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, C("kid"), S("k9"), S("w9")));
    CHECK(bst_state_set(st, C("kid2"), S("x"), S("y")));
    CHECK(bst_state_tx_rollback(st));
    bst_state_get_stats(st, &ss);
    CHECK(ss.nodes == 3 && ss.child_tries == 1);
    CHECK(value_is(st, C("kid"), "k9", "v9"));
    CHECK(bst_state_tx_commit(st));
    CHECK(value_is(st, C("kid"), "k9", "v9"));
    /* The trie stays usable after the unlinks: the root matches a fresh overlay's. */
    uint8_t r1[32], r2[32];
    CHECK(bst_state_root(st, 1, r1));
    bst_state *st2 = bst_state_new(&be);
    CHECK(bst_state_set(st2, NULL, 0, S("keep"), S("K")));
    CHECK(bst_state_clear(st2, NULL, 0, S("c")));
    CHECK(bst_state_set(st2, C("kid"), S("k9"), S("v9")));
    CHECK(bst_state_root(st2, 1, r2));
    CHECK(memcmp(r1, r2, 32) == 0);
    bst_state_free(st2);
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* Roots are cached until the next change: every kind of change (set, clear, append in place,
 * clear_prefix, rollback) gives a fresh root; commit and reads keep the cached one. */
static void test_root_cache(void) {
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    uint8_t r0[32], r1[32], r2[32], r3[32], c0[32], c1[32], k0[32];
    CHECK(bst_state_root(st, 0, r0) && bst_state_root(st, 1, r1));
    CHECK(bst_state_root(st, 0, r2) && memcmp(r0, r2, 32) == 0);
    CHECK(bst_state_child_root(st, C("kid"), 0, k0));
    CHECK(bst_state_child_root(st, C("nokid"), 0, c0));
    CHECK(bst_state_child_root(st, C("kid"), 1, c1) && memcmp(c1, k0, 32) == 0);
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_append(st, NULL, 0, S("v"), S("\x01")));
    CHECK(bst_state_root(st, 0, r2) && memcmp(r0, r2, 32) != 0);
    CHECK(bst_state_append(st, NULL, 0, S("v"), S("\x02"))); /* in place */
    CHECK(bst_state_root(st, 0, r3) && memcmp(r3, r2, 32) != 0);
    CHECK(bst_state_set(st, C("kid"), S("k3"), S("v3")));
    uint8_t with_k3[32];
    CHECK(bst_state_child_root(st, C("kid"), 0, with_k3) && memcmp(with_k3, k0, 32) != 0);
    CHECK(bst_state_root(st, 0, r2) && memcmp(r3, r2, 32) != 0);
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_clear_prefix(st, C("kid"), S("k"), UINT32_MAX, NULL, NULL));
    CHECK(bst_state_child_root(st, C("kid"), 0, c1));
    uint8_t empty[32];
    bst_trie_empty_root(empty);
    CHECK(memcmp(c1, empty, 32) == 0);
    CHECK(bst_state_tx_rollback(st));
    CHECK(bst_state_child_root(st, C("kid"), 0, c1) && memcmp(c1, with_k3, 32) == 0);
    CHECK(bst_state_tx_commit(st));
    CHECK(bst_state_root(st, 0, r3) && memcmp(r3, r2, 32) == 0);
    CHECK(bst_state_clear(st, NULL, 0, S("v")));
    CHECK(bst_state_clear(st, C("kid"), S("k3")));
    CHECK(bst_state_root(st, 0, r2) && memcmp(r2, r0, 32) == 0);
    CHECK(bst_state_root(st, 1, r2) && memcmp(r2, r1, 32) == 0);
    CHECK(bst_state_child_root(st, C("kid"), 0, c1) && memcmp(c1, k0, 32) == 0);
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* ---- sp-state-machine ext.rs tests, transcribed --------------------------------------------- */

static bool next_byte_is(bst_state *st, const uint8_t *child, size_t cl, uint8_t key, int want) {
    uint8_t *k = NULL;
    size_t kl = 0;
    bst_state_res r = bst_state_next_key(st, child, cl, &key, 1, &k, &kl);
    bool ok =
        want < 0 ? r == BST_STATE_ABSENT : r == BST_STATE_FOUND && kl == 1 && k[0] == (uint8_t)want;
    free(k);
    return ok;
}

static void test_substrate_ext(void) {
    /* next_storage_key_works / next_child_storage_key_works: backend {10, 20, 40}, overlay
     * 20 deleted, 30 = 31; later 50 = 50. */
    for (int child = 0; child < 2; child++) {
        const uint8_t *c = child ? (const uint8_t *)"Child1" : NULL;
        size_t cl = child ? 6 : 0;
        bst_state_mem *m = bst_state_mem_new();
        const uint8_t k10 = 10, k20 = 20, k30 = 30, k40 = 40, k50 = 50, v31 = 31;
        CHECK(bst_state_mem_put(m, c, cl, &k10, 1, &k10, 1));
        CHECK(bst_state_mem_put(m, c, cl, &k20, 1, &k20, 1));
        CHECK(bst_state_mem_put(m, c, cl, &k40, 1, &k40, 1));
        bst_state_backend be = bst_state_mem_backend(m);
        bst_state *st = bst_state_new(&be);
        CHECK(bst_state_clear(st, c, cl, &k20, 1));
        CHECK(bst_state_set(st, c, cl, &k30, 1, &v31, 1));
        CHECK(next_byte_is(st, c, cl, 5, 10));  /* next_backend < next_overlay */
        CHECK(next_byte_is(st, c, cl, 10, 30)); /* equal, but the overlay deletes it */
        CHECK(next_byte_is(st, c, cl, 20, 30)); /* next_overlay < next_backend */
        CHECK(next_byte_is(st, c, cl, 30, 40)); /* no overlay key after */
        CHECK(bst_state_set(st, c, cl, &k50, 1, &k50, 1));
        CHECK(next_byte_is(st, c, cl, 40, 50)); /* no backend key after */
        /* child_storage_works (same shape): 10 from the backend, 20 deleted, 30 overridden. */
        uint8_t *v = NULL;
        size_t vl = 0;
        CHECK(bst_state_get(st, c, cl, &k10, 1, &v, &vl) == BST_STATE_FOUND && vl == 1 &&
              v[0] == 10);
        free(v);
        CHECK(bst_state_exists(st, c, cl, &k20, 1) == BST_STATE_ABSENT);
        v = NULL;
        CHECK(bst_state_get(st, c, cl, &k30, 1, &v, &vl) == BST_STATE_FOUND && vl == 1 &&
              v[0] == 31);
        free(v);
        bst_state_free(st);
        bst_state_mem_free(m);
    }
    /* next_storage_key_works_with_a_lot_empty_values_in_overlay: 20..29 deleted, backend {30}. */
    {
        bst_state_mem *m = bst_state_mem_new();
        const uint8_t k30 = 30;
        CHECK(bst_state_mem_put(m, NULL, 0, &k30, 1, &k30, 1));
        bst_state_backend be = bst_state_mem_backend(m);
        bst_state *st = bst_state_new(&be);
        for (uint8_t k = 20; k < 30; k++) CHECK(bst_state_clear(st, NULL, 0, &k, 1));
        CHECK(next_byte_is(st, NULL, 0, 5, 30));
        bst_state_free(st);
        bst_state_mem_free(m);
    }
    /* clear_prefix_cannot_delete_a_child_root: a top key ":chiXd_storage:path" = 10 and a
     * child trie "Child1" {30: 40}; clearing "" and ":chi" keeps both, ":chiX" removes the key. */
    {
        bst_state_mem *m = bst_state_mem_new();
        const uint8_t k30 = 30, v40 = 40, v10 = 10;
        CHECK(bst_state_mem_put(m, C("Child1"), &k30, 1, &v40, 1));
        bst_state_backend be = bst_state_mem_backend(m);
        bst_state *st = bst_state_new(&be);
        CHECK(bst_state_set(st, NULL, 0, S(":chiXd_storage:path"), &v10, 1));
        CHECK(bst_state_clear_prefix(st, NULL, 0, S(""), UINT32_MAX, NULL, NULL));
        CHECK(bst_state_clear_prefix(st, NULL, 0, S(":chi"), UINT32_MAX, NULL, NULL));
        CHECK(bst_state_clear_prefix(st, NULL, 0, S(":chi"), UINT32_MAX, NULL, NULL));
        CHECK(bst_state_exists(st, C("Child1"), &k30, 1) == BST_STATE_FOUND);
        CHECK(bst_state_exists(st, NULL, 0, S(":chiXd_storage:path")) == BST_STATE_FOUND);
        CHECK(bst_state_clear_prefix(st, NULL, 0, S(":chiX"), UINT32_MAX, NULL, NULL));
        CHECK(bst_state_exists(st, NULL, 0, S(":chiXd_storage:path")) == BST_STATE_ABSENT);
        bst_state_free(st);
        bst_state_mem_free(m);
    }
    /* storage_append_works: append 1u32, 2u32 gives Vec<u32> [1, 2]; starting from the
     * invalid [1] the same. */
    for (int invalid = 0; invalid < 2; invalid++) {
        bst_state *st = bst_state_new(NULL);
        if (invalid) CHECK(bst_state_set(st, NULL, 0, S("k"), S("\x01")));
        CHECK(bst_state_append(st, NULL, 0, S("k"), S("\x01\x00\x00\x00")));
        CHECK(bst_state_append(st, NULL, 0, S("k"), S("\x02\x00\x00\x00")));
        uint8_t *v = NULL;
        size_t vl = 0;
        const uint8_t want[] = {0x08, 1, 0, 0, 0, 2, 0, 0, 0};
        CHECK(bst_state_get(st, NULL, 0, S("k"), &v, &vl) == BST_STATE_FOUND && vl == sizeof want &&
              memcmp(v, want, vl) == 0);
        free(v);
        bst_state_free(st);
    }
}

/* ---- backend errors propagate ---------------------------------------------------------------- */

typedef struct flaky {
    bst_state_backend inner;
    bool fail;
} flaky;

static bst_state_res flaky_get(void *ctx, const uint8_t *c, size_t cl, const uint8_t *k, size_t kl,
                               uint8_t **v, size_t *vl) {
    flaky *f = ctx;
    return f->fail ? BST_STATE_ERROR : f->inner.get(f->inner.ctx, c, cl, k, kl, v, vl);
}
static bst_state_res flaky_next(void *ctx, const uint8_t *c, size_t cl, const uint8_t *k, size_t kl,
                                bool inc, uint8_t **o, size_t *ol) {
    flaky *f = ctx;
    return f->fail ? BST_STATE_ERROR : f->inner.next_key(f->inner.ctx, c, cl, k, kl, inc, o, ol);
}
static bst_state_res flaky_child(void *ctx, const uint8_t *n, size_t nl, bool inc, uint8_t **o,
                                 size_t *ol) {
    flaky *f = ctx;
    return f->fail ? BST_STATE_ERROR : f->inner.next_child(f->inner.ctx, n, nl, inc, o, ol);
}

static void test_backend_errors(void) {
    bst_state_mem *m = backend_abc();
    flaky f = {bst_state_mem_backend(m), false};
    bst_state_backend be = {&f, flaky_get, flaky_next, flaky_child, NULL, NULL};
    bst_state *st = bst_state_new(&be);
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A")));
    f.fail = true;
    uint8_t *v = NULL, r[32];
    size_t vl = 0;
    /* Answered by the overlay: no backend call. */
    CHECK(bst_state_get(st, NULL, 0, S("a"), &v, &vl) == BST_STATE_FOUND);
    free(v);
    CHECK(bst_state_get(st, NULL, 0, S("b"), &v, &vl) == BST_STATE_ERROR);
    CHECK(bst_state_exists(st, NULL, 0, S("b")) == BST_STATE_ERROR);
    CHECK(bst_state_next_key(st, NULL, 0, S("a"), &v, &vl) == BST_STATE_ERROR);
    CHECK(!bst_state_append(st, NULL, 0, S("b"), S("x")));
    CHECK(!bst_state_clear_prefix(st, NULL, 0, S("pre"), UINT32_MAX, NULL, NULL));
    CHECK(!bst_state_root(st, 0, r));
    CHECK(!bst_state_child_root(st, C("kid"), 0, r));
    f.fail = false;
    CHECK(value_is(st, NULL, 0, "b", "2")); /* the failed append changed nothing */
    CHECK(bst_state_root(st, 0, r));
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* ---- roots ---------------------------------------------------------------------------------- */

static void test_roots(void) {
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    uint8_t kid_root[32], want[32], got[32];
    /* Child root: the trie of the child's pairs. */
    bst_trie_pair kid[2] = {{(const uint8_t *)"k1", 2, (const uint8_t *)"v1", 2},
                            {(const uint8_t *)"k2", 2, (const uint8_t *)"v2", 2}};
    CHECK(bst_trie_root(kid, 2, 0, kid_root));
    CHECK(bst_state_child_root(st, C("kid"), 0, got) && memcmp(got, kid_root, 32) == 0);
    /* Top root: the top pairs plus (":child_storage:default:kid", child root), sorted. */
    bst_trie_pair top[8] = {
        {(const uint8_t *)":child_storage:default:kid", 26, kid_root, 32},
        {(const uint8_t *)"a", 1, (const uint8_t *)"1", 1},
        {(const uint8_t *)"b", 1, (const uint8_t *)"2", 1},
        {(const uint8_t *)"c", 1, (const uint8_t *)"3", 1},
        {(const uint8_t *)"pre1", 4, (const uint8_t *)"x", 1},
        {(const uint8_t *)"pre2", 4, (const uint8_t *)"y", 1},
        {(const uint8_t *)"pre3", 4, (const uint8_t *)"z", 1},
    };
    CHECK(bst_trie_root(top, 7, 0, want));
    CHECK(bst_state_root(st, 0, got) && memcmp(got, want, 32) == 0);

    /* Changes: b deleted, a changed, d added, a new child trie, kid emptied. */
    CHECK(bst_state_clear(st, NULL, 0, S("b")));
    CHECK(bst_state_set(st, NULL, 0, S("a"), S("A")));
    CHECK(bst_state_set(st, NULL, 0, S("d"), S("D")));
    CHECK(bst_state_set(st, C("new"), S("n"), S("N")));
    CHECK(bst_state_child_kill(st, C("kid"), UINT32_MAX, NULL, NULL));
    uint8_t new_root[32];
    bst_trie_pair np = {(const uint8_t *)"n", 1, (const uint8_t *)"N", 1};
    CHECK(bst_trie_root(&np, 1, 0, new_root));
    uint8_t empty[32];
    bst_trie_empty_root(empty);
    CHECK(bst_state_child_root(st, C("kid"), 0, got) && memcmp(got, empty, 32) == 0);
    bst_trie_pair top2[7] = {
        {(const uint8_t *)":child_storage:default:new", 26, new_root, 32},
        {(const uint8_t *)"a", 1, (const uint8_t *)"A", 1},
        {(const uint8_t *)"c", 1, (const uint8_t *)"3", 1},
        {(const uint8_t *)"d", 1, (const uint8_t *)"D", 1},
        {(const uint8_t *)"pre1", 4, (const uint8_t *)"x", 1},
        {(const uint8_t *)"pre2", 4, (const uint8_t *)"y", 1},
        {(const uint8_t *)"pre3", 4, (const uint8_t *)"z", 1},
    };
    CHECK(bst_trie_root(top2, 7, 0, want));
    CHECK(bst_state_root(st, 0, got) && memcmp(got, want, 32) == 0);
    /* Version 1 with a value of 33+ bytes differs from version 0; both match bst_trie_root. */
    uint8_t big[40];
    memset(big, 0xee, sizeof big);
    CHECK(bst_state_set(st, NULL, 0, S("d"), big, sizeof big));
    top2[3].value = big;
    top2[3].value_len = sizeof big;
    uint8_t w0[32], w1[32], g0[32], g1[32];
    CHECK(bst_trie_root(top2, 7, 0, w0) && bst_trie_root(top2, 7, 1, w1));
    CHECK(memcmp(w0, w1, 32) != 0);
    CHECK(bst_state_root(st, 0, g0) && memcmp(g0, w0, 32) == 0);
    CHECK(bst_state_root(st, 1, g1) && memcmp(g1, w1, 32) == 0);
    CHECK(!bst_state_root(st, 2, g1));
    bst_state_free(st);

    /* The empty state's root is the empty trie's. */
    st = bst_state_new(NULL);
    CHECK(bst_state_root(st, 0, got) && memcmp(got, empty, 32) == 0);
    CHECK(bst_state_set(st, C("c"), S("k"), S("v")));
    CHECK(bst_state_clear(st, C("c"), S("k")));
    CHECK(bst_state_root(st, 1, got) && memcmp(got, empty, 32) == 0);
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* ---- change iteration ----------------------------------------------------------------------- */

typedef struct seen {
    char log[512];
    size_t len;
    int stop_after;
} seen;

static bool record(void *u, const uint8_t *child, size_t cl, const uint8_t *key, size_t kl,
                   const uint8_t *val, size_t vl) {
    seen *s = u;
    s->len += (size_t)snprintf(s->log + s->len, sizeof s->log - s->len, "%s%.*s/%.*s=%s%.*s;",
                               child ? "" : "top", (int)cl, child ? (const char *)child : "",
                               (int)kl, (const char *)key, val ? "" : "DEL", (int)vl,
                               val ? (const char *)val : "");
    return --s->stop_after != 0;
}

static void test_changes(void) {
    bst_state_mem *m = backend_abc();
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    CHECK(bst_state_set(st, NULL, 0, S("z"), S("26")));
    CHECK(bst_state_clear(st, NULL, 0, S("a")));
    CHECK(bst_state_set(st, NULL, 0, S("e"), S("")));
    CHECK(bst_state_set(st, C("kid"), S("k1"), S("V")));
    CHECK(bst_state_set(st, C("b"), S("x"), S("y")));
    CHECK(bst_state_tx_start(st));
    CHECK(bst_state_set(st, NULL, 0, S("rolled"), S("back")));
    CHECK(bst_state_tx_rollback(st));
    seen s = {.stop_after = -1};
    CHECK(bst_state_changes(st, record, &s));
    CHECK(strcmp(s.log, "top/a=DEL;top/e=;top/z=26;b/x=y;kid/k1=V;") == 0);
    if (strcmp(s.log, "top/a=DEL;top/e=;top/z=26;b/x=y;kid/k1=V;") != 0)
        fprintf(stderr, "  changes: %s\n", s.log);
    seen s2 = {.stop_after = 2};
    CHECK(!bst_state_changes(st, record, &s2));
    CHECK(strcmp(s2.log, "top/a=DEL;top/e=;") == 0);
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* ---- a larger randomised cross-check against a flat model ------------------------------------ */

/* Two tries (top and child "ch"), 64 two-byte keys each; the backend holds every third key. */
#define MODEL_KEYS 64
typedef struct model {
    bool present[2][MODEL_KEYS];
    uint8_t val[2][MODEL_KEYS];
} model;

static const uint8_t CH[] = "ch";

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void key_of(int i, uint8_t k[2]) {
    k[0] = (uint8_t)(i / 8);
    k[1] = (uint8_t)(i % 8);
}

/* The model's root of trie t (0 top without children, 1 the child). */
static bool model_root(const model *md, int t, unsigned ver, uint8_t out[32]) {
    bst_trie_pair ps[MODEL_KEYS];
    uint8_t keys[MODEL_KEYS][2];
    size_t np = 0;
    for (int i = 0; i < MODEL_KEYS; i++) {
        if (!md->present[t][i]) continue;
        key_of(i, keys[i]);
        ps[np++] = (bst_trie_pair){keys[i], 2, &md->val[t][i], 1};
    }
    return bst_trie_root(ps, np, ver, out);
}

static bool model_matches(bst_state *st, const model *md) {
    bool ok = true;
    for (int t = 0; t < 2; t++) {
        const uint8_t *c = t ? CH : NULL;
        size_t cl = t ? 2 : 0;
        for (int i = 0; i < MODEL_KEYS; i++) {
            uint8_t k[2], *v = NULL;
            size_t vl = 0;
            key_of(i, k);
            bst_state_res r = bst_state_get(st, c, cl, k, 2, &v, &vl);
            if (md->present[t][i])
                ok = ok && r == BST_STATE_FOUND && vl == 1 && v[0] == md->val[t][i];
            else
                ok = ok && r == BST_STATE_ABSENT;
            free(v);
        }
        /* next_key walks exactly the present keys. */
        uint8_t cur[2] = {0, 0};
        size_t cur_len = 0;
        for (int i = 0; i < MODEL_KEYS; i++) {
            if (!md->present[t][i]) continue;
            uint8_t *n = NULL, want[2];
            size_t nl = 0;
            key_of(i, want);
            ok = ok && bst_state_next_key(st, c, cl, cur, cur_len, &n, &nl) == BST_STATE_FOUND &&
                 nl == 2 && memcmp(n, want, 2) == 0;
            free(n);
            memcpy(cur, want, 2);
            cur_len = 2;
        }
        uint8_t *n = NULL;
        size_t nl = 0;
        ok = ok && bst_state_next_key(st, c, cl, cur, cur_len, &n, &nl) == BST_STATE_ABSENT;
        free(n);
    }
    /* Roots: the child's, and the top's with the child root entry when the child has keys. */
    uint8_t child_root[32], got[32], want[32];
    ok = ok && model_root(md, 1, 0, child_root) && bst_state_child_root(st, CH, 2, 0, got) &&
         memcmp(child_root, got, 32) == 0;
    bool child_empty = true;
    for (int i = 0; i < MODEL_KEYS; i++) child_empty = child_empty && !md->present[1][i];
    bst_trie_pair ps[MODEL_KEYS + 1];
    uint8_t keys[MODEL_KEYS][2];
    size_t np = 0;
    for (int i = 0; i < MODEL_KEYS; i++) {
        if (!md->present[0][i]) continue;
        key_of(i, keys[i]);
        ps[np++] = (bst_trie_pair){keys[i], 2, &md->val[0][i], 1};
    }
    /* The model's keys start with bytes 0..7, so ':' (0x3a) sorts last. */
    if (!child_empty)
        ps[np++] =
            (bst_trie_pair){(const uint8_t *)":child_storage:default:ch", 25, child_root, 32};
    ok = ok && bst_trie_root(ps, np, 0, want) && bst_state_root(st, 0, got) &&
         memcmp(want, got, 32) == 0;
    return ok;
}

static void test_random(void) {
    bst_state_mem *m = bst_state_mem_new();
    model base;
    memset(&base, 0, sizeof base);
    for (int t = 0; t < 2; t++)
        for (int i = t; i < MODEL_KEYS; i += 3) {
            uint8_t k[2];
            key_of(i, k);
            base.present[t][i] = true;
            base.val[t][i] = (uint8_t)(i + 100 * t);
            CHECK(bst_state_mem_put(m, t ? CH : NULL, t ? 2 : 0, k, 2, &base.val[t][i], 1));
        }
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    model stack[12];
    int depth = 0;
    model cur = base;
    uint64_t seed = 0x1234567887654321u;
    for (int step = 0; step < 6000; step++) {
        uint64_t r = rng_next(&seed);
        int op = (int)(r % 12), i = (int)((r >> 8) % MODEL_KEYS), t = (int)((r >> 16) & 1);
        const uint8_t *c = t ? CH : NULL;
        size_t cl = t ? 2 : 0;
        uint8_t k[2], v = (uint8_t)(r >> 24);
        key_of(i, k);
        if (op < 4) {
            CHECK(bst_state_set(st, c, cl, k, 2, &v, 1));
            cur.present[t][i] = true;
            cur.val[t][i] = v;
        } else if (op < 6) {
            CHECK(bst_state_clear(st, c, cl, k, 2));
            cur.present[t][i] = false;
        } else if (op == 6 && depth < 12) {
            CHECK(bst_state_tx_start(st));
            stack[depth++] = cur;
        } else if (op == 7 && depth > 0) {
            CHECK(bst_state_tx_rollback(st));
            cur = stack[--depth];
        } else if (op == 8 && depth > 0) {
            CHECK(bst_state_tx_commit(st));
            depth--;
        } else if (op == 9) {
            /* clear_prefix of one first byte, unlimited. */
            uint8_t p = k[0];
            CHECK(bst_state_clear_prefix(st, c, cl, &p, 1, UINT32_MAX, NULL, NULL));
            for (int j = 0; j < MODEL_KEYS; j++)
                if (j / 8 == p) cur.present[t][j] = false;
        } else if (op == 10 && (r >> 32) % 8 == 0) {
            CHECK(bst_state_child_kill(st, CH, 2, UINT32_MAX, NULL, NULL));
            memset(cur.present[1], 0, sizeof cur.present[1]);
        } else if (op == 11) {
            /* A limited clear_prefix: afterwards every overlay-set key under the prefix is
             * gone, and the keys still present are a suffix of the backend-only ones. */
            uint8_t p = k[0];
            uint32_t removed = 0;
            bool all = false;
            CHECK(bst_state_clear_prefix(st, c, cl, &p, 1, 2, &removed, &all));
            CHECK(removed <= 2);
            for (int j = 0; j < MODEL_KEYS; j++) {
                if (j / 8 != p) continue;
                uint8_t kj[2];
                key_of(j, kj);
                cur.present[t][j] = bst_state_exists(st, c, cl, kj, 2) == BST_STATE_FOUND;
                if (cur.present[t][j]) {
                    /* Still there: must be the backend's own value, and not all removed. */
                    uint8_t *bv = NULL;
                    size_t bl = 0;
                    CHECK(bst_state_get(st, c, cl, kj, 2, &bv, &bl) == BST_STATE_FOUND && bl == 1 &&
                          bv[0] == (uint8_t)(j + 100 * t));
                    cur.val[t][j] = bv ? bv[0] : 0;
                    free(bv);
                    CHECK(!all);
                }
            }
        }
        if (step % 97 == 0 && !model_matches(st, &cur)) {
            fprintf(stderr, "FAIL: random model mismatch at step %d\n", step);
            check_failures++;
            break;
        }
    }
    CHECK(model_matches(st, &cur));
    /* Rolling back every open level restores the state at the outermost start. */
    while (depth > 0) {
        CHECK(bst_state_tx_commit(st));
        depth--;
    }
    for (int level = 0; level < 3; level++) {
        CHECK(bst_state_tx_start(st));
        for (int j = 0; j < 20; j++) {
            uint64_t r = rng_next(&seed);
            uint8_t k[2], v = (uint8_t)r;
            key_of((int)((r >> 8) % MODEL_KEYS), k);
            if (r & 0x10000)
                CHECK(bst_state_set(st, (r & 0x20000) ? CH : NULL, (r & 0x20000) ? 2 : 0, k, 2, &v,
                                    1));
            else
                CHECK(bst_state_clear(st, (r & 0x20000) ? CH : NULL, (r & 0x20000) ? 2 : 0, k, 2));
        }
        CHECK(bst_state_child_kill(st, CH, 2, 5, NULL, NULL));
    }
    for (int level = 0; level < 3; level++) CHECK(bst_state_tx_rollback(st));
    CHECK(model_matches(st, &cur));
    CHECK(!bst_state_tx_rollback(st));
    bst_state_free(st);
    bst_state_mem_free(m);
}

/* ---- appends and transactions against a model ---------------------------------------------- */

enum { AK = 4, AMAX = 600 };

typedef struct amodel {
    bool present[AK];
    size_t len[AK];
    uint8_t val[AK][AMAX];
} amodel;

/* A canonical compact u32 of at most 2 bytes at p (the model's values stay below 16384 items):
 * its length, 0 otherwise. */
static size_t model_compact(const uint8_t *p, size_t len, uint32_t *out) {
    if (len >= 1 && (p[0] & 3u) == 0) {
        *out = p[0] >> 2;
        return 1;
    }
    if (len >= 2 && (p[0] & 3u) == 1) {
        uint32_t v = ((uint32_t)p[0] | (uint32_t)p[1] << 8) >> 2;
        if (v < 64) return 0;
        *out = v;
        return 2;
    }
    return 0;
}

static void model_append(amodel *md, int k, const uint8_t *item, size_t il) {
    uint32_t count = 0;
    size_t pl = md->present[k] ? model_compact(md->val[k], md->len[k], &count) : 0;
    uint8_t body[AMAX];
    size_t bl = 0;
    if (pl) {
        bl = md->len[k] - pl;
        memcpy(body, md->val[k] + pl, bl);
        count++;
    } else {
        count = 1;
    }
    size_t n = 0;
    if (count < 64) {
        md->val[k][n++] = (uint8_t)(count << 2);
    } else {
        md->val[k][n++] = (uint8_t)((count << 2) | 1u);
        md->val[k][n++] = (uint8_t)(count >> 6);
    }
    memcpy(md->val[k] + n, body, bl);
    memcpy(md->val[k] + n + bl, item, il);
    md->len[k] = n + bl + il;
    md->present[k] = true;
}

/* Appends (1-3 byte items, so the prefix crosses 63 -> 64 items often), sets (valid, invalid
 * and empty prefixes), clears, clear_prefix and nested start / commit / rollback, checked
 * against a model with a snapshot per level. */
static void test_append_random(void) {
    bst_state_mem *m = bst_state_mem_new();
    amodel cur;
    memset(&cur, 0, sizeof cur);
    /* Backend: key 0 a Vec of 60 one-byte items, key 1 an undecodable value. */
    cur.present[0] = true;
    cur.val[0][0] = 60 << 2;
    for (int i = 1; i <= 60; i++) cur.val[0][i] = (uint8_t)i;
    cur.len[0] = 61;
    cur.present[1] = true;
    cur.val[1][0] = 0x01;
    cur.len[1] = 1;
    uint8_t k0 = 'A', k1 = 'B';
    CHECK(bst_state_mem_put(m, NULL, 0, &k0, 1, cur.val[0], cur.len[0]));
    CHECK(bst_state_mem_put(m, NULL, 0, &k1, 1, cur.val[1], cur.len[1]));
    bst_state_backend be = bst_state_mem_backend(m);
    bst_state *st = bst_state_new(&be);
    static amodel stack[10];
    int depth = 0;
    uint64_t seed = 0x0badc0ffee15600du;
    for (int step = 0; step < 20000; step++) {
        uint64_t r = rng_next(&seed);
        int op = (int)(r % 16), k = (int)((r >> 8) % AK);
        uint8_t key = (uint8_t)('A' + k);
        uint8_t item[3] = {(uint8_t)(r >> 16), (uint8_t)(r >> 24), (uint8_t)(r >> 32)};
        size_t il = 1 + (size_t)((r >> 40) % 3);
        if (op < 8) {
            if (cur.present[k] && cur.len[k] + il + 2 > AMAX) {
                CHECK(bst_state_clear(st, NULL, 0, &key, 1));
                cur.present[k] = false;
            } else {
                CHECK(bst_state_append(st, NULL, 0, &key, 1, item, il));
                model_append(&cur, k, item, il);
            }
        } else if (op == 8) {
            /* A valid Vec of 62 items, an undecodable value or an empty one. */
            static const uint8_t v62[] = {62 << 2, 1, 2, 3};
            int kind = (int)((r >> 48) % 3);
            const uint8_t *v = kind == 0 ? v62 : item;
            size_t vl = kind == 0 ? sizeof v62 : kind == 1 ? 1 : 0;
            if (kind == 1) item[0] = 0x03; /* big-integer mode, truncated */
            CHECK(bst_state_set(st, NULL, 0, &key, 1, v, vl));
            cur.present[k] = true;
            memcpy(cur.val[k], v, vl);
            cur.len[k] = vl;
        } else if (op == 9) {
            CHECK(bst_state_clear(st, NULL, 0, &key, 1));
            cur.present[k] = false;
        } else if (op == 10 || op == 11) {
            if (depth < 10) {
                CHECK(bst_state_tx_start(st));
                stack[depth++] = cur;
            }
        } else if (op == 12 && depth > 0) {
            CHECK(bst_state_tx_rollback(st));
            cur = stack[--depth];
        } else if (op == 13 && depth > 0) {
            CHECK(bst_state_tx_commit(st));
            depth--;
        } else if (op == 14 && (r >> 48) % 8 == 0) {
            CHECK(bst_state_clear_prefix(st, NULL, 0, &key, 1, UINT32_MAX, NULL, NULL));
            cur.present[k] = false;
        }
        bool ok = true;
        for (int j = 0; j < AK; j++) {
            uint8_t kj = (uint8_t)('A' + j), *v = NULL;
            size_t vl = 0;
            bst_state_res res = bst_state_get(st, NULL, 0, &kj, 1, &v, &vl);
            if (cur.present[j])
                ok = ok && res == BST_STATE_FOUND && vl == cur.len[j] &&
                     (vl == 0 || memcmp(v, cur.val[j], vl) == 0);
            else
                ok = ok && res == BST_STATE_ABSENT;
            free(v);
        }
        if (!ok) {
            fprintf(stderr, "FAIL: append model mismatch at step %d (op %d, depth %d)\n", step, op,
                    depth);
            check_failures++;
            break;
        }
    }
    while (depth > 0) {
        CHECK(bst_state_tx_rollback(st));
        cur = stack[--depth];
    }
    bst_state_stats ss;
    bst_state_get_stats(st, &ss);
    CHECK(ss.journal_entries == 0 && ss.journal_bytes == 0);
    bst_state_free(st);
    bst_state_mem_free(m);
}

int main(void) {
    if (!bst_crypto_init()) return 1;
    test_basic();
    test_append();
    test_append_many();
    test_next_key();
    test_clear_prefix();
    test_transactions();
    test_commit_merges();
    test_rollback_unlinks();
    test_root_cache();
    test_substrate_ext();
    test_backend_errors();
    test_roots();
    test_changes();
    test_random();
    test_append_random();
    return check_finish("state/state");
}
