/*
 * test_proof.c — CTest state/proof: the Keccak-256 trie roots and bst_trie_verify_proof, trie-db's
 * proof format as sp-trie's verify_trie_proof reads it.  The proofs are spelled out byte by byte
 * from the format (the nodes on the path in pre-order, the reference to the next proof node an
 * empty inline child, the proven value emptied); the roots they must reach come from
 * bst_trie_root_hashed, the independent builder of trie.c.  Then every way a proof can be wrong:
 * another value, an absent key, a node missing or left over, a value not omitted, a hash on the
 * path, malformed nodes.  Then the state backend over a proof (bst_state_proof): over the nodes
 * of a whole trie (bst_trie_nodes) every read answers as the pairs say and the state root comes
 * out the same; the nodes one read used replay that read alone, and a pruned proof fails as
 * incomplete, never as an absent key.
 */
#include "bastion_trie.h"

#include "bastion_crypto.h"
#include "bastion_state.h"
#include "../support/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t VA[40], VB[40];
static const uint8_t KA[1] = {0x10}, KB[1] = {0x20};

static void hashed(bst_trie_hasher h, const uint8_t *p, size_t n, uint8_t out[32]) {
    if (h == BST_TRIE_KECCAK_256)
        bst_keccak_256(p, n, out);
    else
        bst_blake2_256(p, n, out);
}

/* The trie {KA: VA, KB: VB}: a root branch without partial (children 1 and 2), each child a
 * leaf with the one nibble 0 left of its key.  Leaf B as it is in the trie of that version. */
static size_t leaf_b(unsigned version, bst_trie_hasher h, uint8_t *out) {
    if (version == 1) { /* hashed-value leaf: 001 + 1 nibble, partial 00, hash */
        out[0] = 0x21;
        out[1] = 0x00;
        hashed(h, VB, sizeof VB, out + 2);
        return 34;
    }
    out[0] = 0x41; /* leaf, 1 nibble */
    out[1] = 0x00; /* the odd nibble 0, padded */
    out[2] = (uint8_t)(sizeof VB << 2);
    memcpy(out + 3, VB, sizeof VB);
    return 3 + sizeof VB;
}

/* The proof of KA: the root with child 1 emptied and child 2 hashed, then leaf A emptied. */
static uint8_t g_root_node[64], g_leaf_a[3] = {0x41, 0x00, 0x00};
static bst_trie_node g_proof[3];

static void make_proof(unsigned version, bst_trie_hasher h) {
    uint8_t b[64];
    size_t bl = leaf_b(version, h, b);
    g_root_node[0] = 0x80; /* branch without value, no partial */
    g_root_node[1] = 0x06; /* children 1 and 2 */
    g_root_node[2] = 0x00;
    g_root_node[3] = 0x00; /* child 1: the next proof node */
    g_root_node[4] = 32u << 2;
    hashed(h, b, bl, g_root_node + 5);
    g_proof[0].data = g_root_node;
    g_proof[0].len = 37;
    g_proof[1].data = g_leaf_a;
    g_proof[1].len = sizeof g_leaf_a;
    g_proof[2] = g_proof[1]; /* for the "node left over" case */
}

static void expect(bool want, bst_trie_hasher h, unsigned version, const uint8_t root[32], size_t n,
                   const uint8_t *key, const uint8_t *value, size_t value_len, const char *what) {
    bool got = bst_trie_verify_proof(h, version, root, g_proof, n, key, 1, value, value_len);
    CHECK_MSG(got == want, "%s (hasher %d, version %u): got %d", what, (int)h, version, (int)got);
}

static void verify_cases(bst_trie_hasher h, unsigned version) {
    bst_trie_pair pairs[2] = {{KA, 1, VA, sizeof VA}, {KB, 1, VB, sizeof VB}};
    uint8_t root[32];
    REQUIRE(bst_trie_root_hashed(pairs, 2, version, h, root));
    make_proof(version, h);
    expect(true, h, version, root, 2, KA, VA, sizeof VA, "the proof of KA");
    expect(false, h, version, root, 2, KA, VB, sizeof VB, "another value");
    expect(false, h, version, root, 2, KA, VA, 10, "a shorter value");
    expect(false, h, version, root, 1, KA, VA, sizeof VA, "the leaf missing");
    expect(false, h, version, root, 3, KA, VA, sizeof VA, "a node left over");
    expect(false, h, version, root, 2, KB, VB, sizeof VB, "KB behind a hash");
    static const uint8_t K0[1] = {0x30}, K1[2] = {0x10, 0x00};
    expect(false, h, version, root, 2, K0, VA, sizeof VA, "an absent child");
    bool got = bst_trie_verify_proof(h, version, root, g_proof, 2, K1, 2, VA, sizeof VA);
    CHECK_MSG(!got, "a key past the leaf");
    /* The other state version's rule for the 40-byte value gives another root. */
    expect(false, h, 1 - version, root, 2, KA, VA, sizeof VA, "the other state version");
    uint8_t other[32];
    memcpy(other, root, 32);
    other[0] ^= 1;
    expect(false, h, version, other, 2, KA, VA, sizeof VA, "another root");
    /* The value not omitted. */
    uint8_t full[3 + sizeof VA];
    full[0] = 0x41;
    full[1] = 0x00;
    full[2] = (uint8_t)(sizeof VA << 2);
    memcpy(full + 3, VA, sizeof VA);
    g_proof[1].data = full;
    g_proof[1].len = sizeof full;
    expect(false, h, version, root, 2, KA, VA, sizeof VA, "a value left in");
    /* Malformed: truncated, trailing byte, bad header, zero bitmap, bad padding. */
    static const uint8_t trunc[2] = {0x41, 0x00}, trail[4] = {0x41, 0x00, 0x00, 0x00},
                         bad_header[3] = {0x05, 0x00, 0x00}, pad[3] = {0x41, 0x10, 0x00};
    const uint8_t *bad[] = {trunc, trail, bad_header, pad};
    size_t bad_len[] = {2, 4, 3, 3};
    for (size_t i = 0; i < 4; i++) {
        g_proof[1].data = bad[i];
        g_proof[1].len = bad_len[i];
        expect(false, h, version, root, 2, KA, VA, sizeof VA, "a malformed leaf");
    }
    uint8_t zero_bitmap[37];
    memcpy(zero_bitmap, g_root_node, 37);
    zero_bitmap[1] = 0;
    g_proof[0].data = zero_bitmap;
    g_proof[1].data = g_leaf_a;
    g_proof[1].len = sizeof g_leaf_a;
    expect(false, h, version, root, 2, KA, VA, sizeof VA, "a branch without children");
    g_proof[0].data = g_root_node;
    expect(true, h, version, root, 2, KA, VA, sizeof VA, "the proof again");
    CHECK(!bst_trie_verify_proof(h, 2, root, g_proof, 2, KA, 1, VA, sizeof VA));
    CHECK(!bst_trie_verify_proof(h, version, root, g_proof, 0, KA, 1, VA, sizeof VA));
}

/* A one-leaf trie whose root is the leaf itself, and an inline child on the path. */
static void small_cases(bst_trie_hasher h) {
    static const uint8_t k[1] = {0xab}, v[3] = {1, 2, 3};
    bst_trie_pair p = {k, 1, v, 3};
    uint8_t root[32];
    REQUIRE(bst_trie_root_hashed(&p, 1, 0, h, root));
    static const uint8_t leaf[4] = {0x42, 0xab, 0x00};
    bst_trie_node proof[1] = {{leaf, 3}};
    CHECK(bst_trie_verify_proof(h, 0, root, proof, 1, k, 1, v, 3));
    CHECK(!bst_trie_verify_proof(h, 0, root, proof, 1, k, 1, v, 2));
    /* Two short leaves: both are inline in the root (under 32 bytes), so the proof is the root
     * alone with the proven leaf's value emptied inside it. */
    static const uint8_t k2[1] = {0x1a}, k3[1] = {0x2b}, v2[1] = {7}, v3[1] = {8};
    bst_trie_pair two[2] = {{k2, 1, v2, 1}, {k3, 1, v3, 1}};
    REQUIRE(bst_trie_root_hashed(two, 2, 0, h, root));
    static const uint8_t node[] = {0x80,
                                   0x06,
                                   0x00,
                                   /* child 1 */ 3 << 2,
                                   0x41,
                                   0x0a,
                                   0x00,
                                   /* child 2 */ 4 << 2,
                                   0x41,
                                   0x0b,
                                   1 << 2,
                                   8};
    bst_trie_node proof2[1] = {{node, sizeof node}};
    CHECK(bst_trie_verify_proof(h, 0, root, proof2, 1, k2, 1, v2, 1));
    CHECK(!bst_trie_verify_proof(h, 0, root, proof2, 1, k2, 1, v3, 1));
    CHECK(!bst_trie_verify_proof(h, 0, root, proof2, 1, k3, 1, v3, 1)); /* not omitted */
}

static void keccak_roots(void) {
    /* The empty trie's root is the hash of [0x00] with either hasher. */
    uint8_t r[32], want[32];
    const uint8_t zero = 0;
    bst_trie_empty_root_hashed(BST_TRIE_KECCAK_256, r);
    bst_keccak_256(&zero, 1, want);
    CHECK(memcmp(r, want, 32) == 0);
    CHECK(bst_trie_root_hashed(NULL, 0, 1, BST_TRIE_KECCAK_256, r) && memcmp(r, want, 32) == 0);
    /* One short leaf: the root is keccak of the leaf's bytes. */
    static const uint8_t k[1] = {0xab}, v[3] = {1, 2, 3};
    static const uint8_t leaf[6] = {0x42, 0xab, 3 << 2, 1, 2, 3};
    bst_trie_pair p = {k, 1, v, 3};
    CHECK(bst_trie_root_hashed(&p, 1, 0, BST_TRIE_KECCAK_256, r));
    bst_keccak_256(leaf, sizeof leaf, want);
    CHECK(memcmp(r, want, 32) == 0);
    uint8_t b[32];
    CHECK(bst_trie_root(&p, 1, 0, b) && memcmp(r, b, 32) != 0);
    CHECK(!bst_trie_root_hashed(&p, 1, 0, (bst_trie_hasher)9, r));
    /* The ordered root hashes the same way (key compact(0) = 0x00). */
    static const uint8_t oleaf[6] = {0x42, 0x00, 3 << 2, 1, 2, 3};
    CHECK(bst_trie_ordered_root_hashed(&p, 1, 0, BST_TRIE_KECCAK_256, r));
    bst_keccak_256(oleaf, sizeof oleaf, want);
    CHECK(memcmp(r, want, 32) == 0);
}

/* ---- the proof backend ------------------------------------------------------------------- */

typedef struct node_set {
    bst_trie_node *v;
    size_t n, cap;
} node_set;

static bool collect(void *user, const uint8_t hash[32], const uint8_t *data, size_t len) {
    (void)hash;
    node_set *s = user;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        REQUIRE(s->v);
    }
    uint8_t *copy = malloc(len);
    REQUIRE(copy);
    memcpy(copy, data, len);
    s->v[s->n].data = copy;
    s->v[s->n++].len = len;
    return true;
}

static void set_free(node_set *s) {
    for (size_t i = 0; i < s->n; i++) free((void *)s->v[i].data);
    free(s->v);
}

#define NKEYS 300
static uint8_t g_keys[NKEYS][3], g_vals[NKEYS][48];

static int pair_cmp(const void *a, const void *b) {
    const bst_trie_pair *x = a, *y = b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/* NKEYS pairs of 1..3-byte keys (some keys prefixes of others) and 1..48-byte values. */
static void make_pairs(bst_trie_pair *pairs) {
    for (size_t i = 0; i < NKEYS; i++) {
        g_keys[i][0] = (uint8_t)(i * 7);
        g_keys[i][1] = (uint8_t)(i / 3);
        g_keys[i][2] = (uint8_t)i;
        for (size_t j = 0; j < sizeof g_vals[i]; j++) g_vals[i][j] = (uint8_t)(i + j);
        pairs[i].key = g_keys[i];
        pairs[i].key_len = 1 + i % 3;
        pairs[i].value = g_vals[i];
        pairs[i].value_len = 1 + (i * 13) % 48;
    }
    qsort(pairs, NKEYS, sizeof *pairs, pair_cmp);
}

static size_t dedup(bst_trie_pair *pairs, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (w == 0 || pair_cmp(&pairs[w - 1], &pairs[i]) != 0) pairs[w++] = pairs[i];
    return w;
}

static void proof_backend(unsigned version) {
    static bst_trie_pair pairs[NKEYS + 1];
    make_pairs(pairs);
    size_t n = dedup(pairs, NKEYS);
    /* A child trie "c" of three pairs; its root goes into the top trie. */
    static const uint8_t ck[3][2] = {{1, 2}, {1, 3}, {9, 9}};
    uint8_t cval[40];
    memset(cval, 0x5a, sizeof cval);
    bst_trie_pair cpairs[3];
    for (int i = 0; i < 3; i++) cpairs[i] = (bst_trie_pair){ck[i], 2, cval, 10 + 15 * (size_t)i};
    node_set set = {0};
    uint8_t croot[32], root[32], want[32];
    REQUIRE(bst_trie_nodes(cpairs, 3, version, collect, &set, croot));
    static const char ckey[] = ":child_storage:default:c";
    pairs[n++] = (bst_trie_pair){(const uint8_t *)ckey, sizeof ckey - 1, croot, 32};
    qsort(pairs, n, sizeof *pairs, pair_cmp);
    REQUIRE(bst_trie_nodes(pairs, n, version, collect, &set, root));
    REQUIRE(bst_trie_root(pairs, n, version, want));
    CHECK(memcmp(root, want, 32) == 0);

    /* The whole state: every key reads back, absent ones are absent, the root is the same. */
    bst_state_proof *p = bst_state_proof_new(set.v, set.n, root);
    REQUIRE(p);
    bst_state_backend be = bst_state_proof_backend(p);
    bst_state *st = bst_state_new(&be);
    REQUIRE(st);
    /* The state keeps child roots out of the top trie's keys (they are the child tries'
     * business): the pairs without that entry are what it reads and iterates. */
    static bst_trie_pair plain[NKEYS + 1];
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (pairs[i].key != (const uint8_t *)ckey) plain[np++] = pairs[i];
    size_t bad = 0;
    for (size_t i = 0; i < np; i++) {
        uint8_t *v = NULL;
        size_t vl = 0;
        bst_state_res r = bst_state_get(st, NULL, 0, plain[i].key, plain[i].key_len, &v, &vl);
        if (r != BST_STATE_FOUND || vl != plain[i].value_len ||
            (vl && memcmp(v, plain[i].value, vl) != 0))
            bad++;
        free(v);
    }
    CHECK_MSG(bad == 0, "%zu of %zu keys read wrong (version %u)", bad, np, version);
    static const uint8_t absent[4] = {0xff, 0xff, 0xff, 0xff};
    uint8_t *v = NULL;
    size_t vl = 0;
    CHECK(bst_state_get(st, NULL, 0, absent, 4, &v, &vl) == BST_STATE_ABSENT);
    CHECK(bst_state_get(st, (const uint8_t *)"c", 1, ck[2], 2, &v, &vl) == BST_STATE_FOUND &&
          vl == 40 && memcmp(v, cval, 40) == 0);
    free(v);
    CHECK(bst_state_get(st, (const uint8_t *)"c", 1, absent, 2, &v, &vl) == BST_STATE_ABSENT);
    uint8_t got[32], cgot[32];
    CHECK(bst_state_root(st, version, got));
    CHECK(bst_state_child_root(st, (const uint8_t *)"c", 1, version, cgot));
    CHECK(memcmp(cgot, croot, 32) == 0);
    /* the top trie of the state: the pairs without the child's root entry, plus that entry */
    CHECK(memcmp(got, root, 32) == 0);
    /* next_key walks every key in order */
    uint8_t *k = NULL, *prev = NULL;
    size_t kl = 0, pl = 0, count = 0;
    while (bst_state_next_key(st, NULL, 0, prev, pl, &k, &kl) == BST_STATE_FOUND) {
        CHECK(count < np && kl == plain[count].key_len && memcmp(k, plain[count].key, kl) == 0);
        free(prev);
        prev = k;
        pl = kl;
        count++;
    }
    free(prev);
    CHECK_MSG(count == np, "next_key visited %zu of %zu keys", count, np);
    CHECK(!bst_state_proof_incomplete(p, NULL));
    bst_state_free(st);
    bst_state_proof_free(p);

    /* Record one read, replay it on the recorded nodes alone. */
    p = bst_state_proof_new(set.v, set.n, root);
    be = bst_state_proof_backend(p);
    st = bst_state_new(&be);
    const bst_trie_pair *target = &plain[np / 2];
    CHECK(bst_state_get(st, NULL, 0, target->key, target->key_len, &v, &vl) == BST_STATE_FOUND);
    free(v);
    bst_trie_node rec[64];
    size_t nrec = bst_state_proof_take_recorded(p, rec, 64);
    CHECK(nrec > 0 && nrec < 64 && nrec < set.n);
    bst_state_proof *small = bst_state_proof_new(rec, nrec, root);
    bst_state_free(st);
    bst_state_proof *recorder = p; /* rec views its nodes: kept until the pruned cases */
    REQUIRE(small);
    be = bst_state_proof_backend(small);
    st = bst_state_new(&be);
    CHECK(bst_state_get(st, NULL, 0, target->key, target->key_len, &v, &vl) == BST_STATE_FOUND &&
          vl == target->value_len && memcmp(v, target->value, vl) == 0);
    free(v);
    CHECK(!bst_state_proof_incomplete(small, NULL));
    /* a key elsewhere needs nodes the small proof lacks: incomplete, never absent */
    bst_state_res r = bst_state_get(st, NULL, 0, plain[0].key, plain[0].key_len, &v, &vl);
    CHECK(r == BST_STATE_ERROR || (r == BST_STATE_FOUND && vl == plain[0].value_len));
    if (r == BST_STATE_FOUND) free(v);
    CHECK(r == BST_STATE_FOUND || bst_state_proof_incomplete(small, NULL));
    bst_state_free(st);
    bst_state_proof_free(small);
    /* pruned: without its last recorded node the read fails as incomplete */
    for (size_t drop = 0; drop < nrec; drop++) {
        bst_trie_node pruned[64];
        size_t m = 0;
        for (size_t i = 0; i < nrec; i++)
            if (i != drop) pruned[m++] = rec[i];
        bst_state_proof *pp = bst_state_proof_new(pruned, m, root);
        bst_state_backend pbe = bst_state_proof_backend(pp);
        bst_state *ps = bst_state_new(&pbe);
        uint8_t miss[32];
        r = bst_state_get(ps, NULL, 0, target->key, target->key_len, &v, &vl);
        CHECK_MSG(r == BST_STATE_ERROR && bst_state_proof_incomplete(pp, miss),
                  "dropping recorded node %zu: %d", drop, (int)r);
        bst_state_free(ps);
        bst_state_proof_free(pp);
    }
    bst_state_proof_free(recorder);
    /* the empty trie's root needs no node */
    uint8_t empty[32];
    bst_trie_empty_root(empty);
    p = bst_state_proof_new(NULL, 0, empty);
    be = bst_state_proof_backend(p);
    st = bst_state_new(&be);
    CHECK(bst_state_get(st, NULL, 0, absent, 1, &v, &vl) == BST_STATE_ABSENT);
    bst_state_free(st);
    bst_state_proof_free(p);
    set_free(&set);
}

int main(void) {
    if (!bst_crypto_init()) return 1;
    for (size_t i = 0; i < sizeof VA; i++) {
        VA[i] = (uint8_t)(i + 1);
        VB[i] = (uint8_t)(0xf0 - i);
    }
    keccak_roots();
    for (int h = 0; h < 2; h++) {
        verify_cases((bst_trie_hasher)h, 0);
        verify_cases((bst_trie_hasher)h, 1);
        small_cases((bst_trie_hasher)h);
    }
    proof_backend(0);
    proof_backend(1);
    return check_finish("state/proof");
}
