/*
 * bastion_trie.h — the Substrate base-16 Patricia-Merkle trie root (paritytech trie-db/trie-root
 * with sp-trie's NodeCodec, LayoutV0 and LayoutV1, no extension nodes), with BLAKE2b-256 (the
 * state's hasher) or Keccak-256 (ext_trie_keccak_256_*), and trie-db's proof verification.
 *
 * Roots are computed here (the host needs ext_storage_root, ext_trie_*_root and the genesis
 * block) and proofs checked (ext_trie_*_verify_proof); no nodes are stored.
 *
 * state_version 0 (LayoutV0): every value is stored inline in its node.
 * state_version 1 (LayoutV1): values of 33 bytes or more (sp-trie TRIE_VALUE_NODE_THRESHOLD) are
 * replaced by their BLAKE2b-256 hash in a "hashed value" leaf/branch node.
 *
 * No global state; thread-safe.  Cost: O(total key and value bytes) time, O(n + depth) memory.
 */
#ifndef BASTION_TRIE_H
#define BASTION_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

/* One key/value pair.  A pointer may be NULL when its length is 0. */
typedef struct bst_trie_pair {
    const uint8_t *key;
    size_t key_len;
    const uint8_t *value;
    size_t value_len;
} bst_trie_pair;

/* The hash a trie's nodes are referenced by: sp-core's Blake2Hasher or KeccakHasher. */
typedef enum bst_trie_hasher { BST_TRIE_BLAKE2_256 = 0, BST_TRIE_KECCAK_256 = 1 } bst_trie_hasher;

/* The root of the empty trie, blake2_256([0x00]) =
 * 03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314 (both versions). */
void bst_trie_empty_root(uint8_t out[32]);

/* Root of the trie holding pairs[0..n).  The pairs must be sorted by key (memcmp order, a
 * shorter key before its extensions) and the keys unique; state_version is 0 or 1.
 * Returns false (out untouched) when memory runs out, the pairs are not sorted/unique or the
 * version is unknown. */
bool bst_trie_root(const bst_trie_pair *pairs, size_t n, unsigned state_version, uint8_t out[32]);

/* sp-trie ordered_trie_root: the root of the trie mapping SCALE compact(i) to values[i].value
 * for i in 0..n (the key fields of values are ignored; the pairs need not be sorted).  Used for
 * extrinsics roots and ext_trie_blake2_256_ordered_root (v1 uses state version 0, v2 takes it).
 * Returns false on out-of-memory or an unknown version. */
bool bst_trie_ordered_root(const bst_trie_pair *values, size_t n, unsigned state_version,
                           uint8_t out[32]);

/* The same three with the hasher given (the ones above are BST_TRIE_BLAKE2_256); false also
 * for an unknown hasher. */
void bst_trie_empty_root_hashed(bst_trie_hasher h, uint8_t out[32]);
bool bst_trie_root_hashed(const bst_trie_pair *pairs, size_t n, unsigned state_version,
                          bst_trie_hasher h, uint8_t out[32]);
bool bst_trie_ordered_root_hashed(const bst_trie_pair *values, size_t n, unsigned state_version,
                                  bst_trie_hasher h, uint8_t out[32]);

/* One encoded node of a proof. */
typedef struct bst_trie_node {
    const uint8_t *data;
    size_t len;
} bst_trie_node;

/* Receives one node of a trie (its hash and encoding) from bst_trie_nodes; false stops the
 * walk (bst_trie_nodes then returns false). */
typedef bool (*bst_trie_node_fn)(void *user, const uint8_t hash[32], const uint8_t *data,
                                 size_t len);
/* The trie of bst_trie_root (BLAKE2b-256) node by node: fn gets every node that is referenced
 * by its hash (the root, and children of 32 bytes or more; children under 32 bytes live inline
 * in their parent) and, in state_version 1, every value stored by its hash — what a
 * StorageProof of the whole trie holds.  root as bst_trie_root.  False on OOM, unsorted
 * pairs, a bad version or fn stopping. */
bool bst_trie_nodes(const bst_trie_pair *pairs, size_t n, unsigned state_version,
                    bst_trie_node_fn fn, void *user, uint8_t root[32]);

/* sp-trie verify_trie_proof for one item (ext_trie_*_verify_proof): whether proof[0..n) is a
 * trie-db proof that the trie with `root` maps key to value.  trie-db's proof format: the nodes
 * on the path in pre-order, each with the references to the next proof node emptied (an inline
 * reference of length 0) and the proven value emptied; the verifier puts the value back (hashed
 * in a state_version 1 node when 33 bytes or more), rebuilds the root and compares.  False for
 * a wrong value, an absent key, a missing or unused node, a malformed node or OOM. */
bool bst_trie_verify_proof(bst_trie_hasher h, unsigned state_version, const uint8_t root[32],
                           const bst_trie_node *proof, size_t n, const uint8_t *key, size_t key_len,
                           const uint8_t *value, size_t value_len);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
