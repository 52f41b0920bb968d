/*
 * node.h — the trie node codec and the read walks over encoded nodes, shared by the backends
 * that read a stored trie (proof.c over a Merkle proof, triedb.c over LMDB) and by the
 * incremental root (triedb_root.c); internal, not installed.
 *
 * A walk never trusts its nodes: every length is checked against the input, and a node that a
 * reference names but the source does not have is an error (BST_STATE_ERROR), never an absent
 * key.
 */
#ifndef BASTION_STATE_NODE_H
#define BASTION_STATE_NODE_H

#include "bastion_state.h"
#include "bastion_trie.h"
#include "state_util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum st_node_kind { ST_NODE_EMPTY, ST_NODE_LEAF, ST_NODE_BRANCH } st_node_kind;

/* A decoded node: views into its encoding. */
typedef struct st_node {
    st_node_kind kind;
    const uint8_t *partial; /* (nibbles + 1) / 2 bytes; an odd count pads the first byte */
    size_t nibbles;
    bool has_value, value_hashed;
    const uint8_t *value; /* value_len bytes, or the 32-byte hash */
    size_t value_len;
    uint16_t bitmap;
    const uint8_t *child[16]; /* references: 32 bytes = a hash, else an inline node */
    size_t child_len[16];
} st_node;

/* Nibble i of n's partial key / of a key. */
static inline unsigned st_partial_nibble(const st_node *n, size_t i) {
    size_t j = i + (n->nibbles & 1u);
    uint8_t b = n->partial[j / 2];
    return (j & 1u) ? (b & 0x0fu) : (b >> 4);
}
static inline unsigned st_key_nibble(const uint8_t *key, size_t i) {
    return (i & 1u) ? (key[i / 2] & 0x0fu) : (key[i / 2] >> 4);
}

/* Decodes p[0..len) (false when malformed). */
ST_FUNC bool st_node_decode(const uint8_t *p, size_t len, st_node *n);
/* Encodes n (kind LEAF or BRANCH) with child c's reference taken from ref[c]/ref_len[c]
 * instead of n->child[c] when ref is not NULL; malloc'd, NULL on out of memory. */
ST_FUNC uint8_t *st_node_encode(const st_node *n, const uint8_t *const *ref, const size_t *ref_len,
                                size_t *out_len);

/* Where the walks find the nodes (and hashed values) that hashes name.  lookup returns true with
 * data valid until the walk ends, false when the node is missing or cannot be read. */
typedef struct st_node_source {
    void *ctx;
    bool (*lookup)(void *ctx, const uint8_t hash[32], const uint8_t **data, size_t *len);
} st_node_source;

/* The bst_state_backend functions over the trie whose top root is `root` (child tries through
 * their root entry in the top trie; see bastion_state.h for the semantics). */
ST_FUNC bst_state_res st_walk_get(const st_node_source *s, const uint8_t root[32],
                                  const uint8_t *child, size_t child_len, const uint8_t *key,
                                  size_t key_len, uint8_t **val, size_t *val_len);
ST_FUNC bst_state_res st_walk_next_key(const st_node_source *s, const uint8_t root[32],
                                       const uint8_t *child, size_t child_len, const uint8_t *key,
                                       size_t key_len, bool inclusive, uint8_t **out,
                                       size_t *out_len);
ST_FUNC bst_state_res st_walk_next_child(const st_node_source *s, const uint8_t root[32],
                                         const uint8_t *name, size_t name_len, bool inclusive,
                                         uint8_t **out, size_t *out_len);
/* The root of child trie `child` from its entry in the top trie `root`: FOUND, ABSENT (no such
 * child trie) or ERROR (also for an entry that is not 32 bytes). */
ST_FUNC bst_state_res st_walk_child_root(const st_node_source *s, const uint8_t root[32],
                                         const uint8_t *child, size_t child_len,
                                         uint8_t child_root[32]);
/* The root of (the trie `root` + every overlay change of st, child tries included) for
 * state_version, reading only the changed keys' paths from s (delta.c).  emit (may be NULL)
 * receives every new node and new hashed value (the root included); its data is valid during
 * the call only.  false on a missing or malformed node, out of memory, emit failing. */
ST_FUNC bool st_delta_root(const st_node_source *s, const uint8_t root[32], const bst_state *st,
                           unsigned version, bst_trie_node_fn emit, void *user, uint8_t out[32]);
/* The same for child trie `child` alone (its root; the empty root when it ends up empty);
 * writes nothing. */
ST_FUNC bool st_delta_child_root(const st_node_source *s, const uint8_t root[32],
                                 const bst_state *st, const uint8_t *child, size_t child_len,
                                 unsigned version, uint8_t out[32]);
/* Whether root is the empty trie's (BLAKE2b-256). */
ST_FUNC bool st_is_empty_root(const uint8_t root[32]);

#endif
