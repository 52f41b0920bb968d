/*
 * bastion_triedb.h — a persistent Substrate state: the nodes of every committed state trie in
 * LMDB, keyed by their BLAKE2b-256 hash (an archive: nothing is ever deleted, so every committed
 * root stays readable; there is no pruning), a read view at any committed root that is a
 * bst_state_backend with an incremental root, and atomic writes that store the new nodes of a
 * state's changes together with the caller's own ("aux") records.
 *
 * Layout: the directory holds an LMDB environment (data.mdb, lock.mdb) with two databases:
 *   nodes  hash -> encoded trie node (sp-trie's codec, exactly as bst_trie_root hashes it), and,
 *          for state_version 1, hash -> value for the values of 33 bytes or more that a node
 *          references by hash.  Child tries ("default" child tries only) are tries of their own
 *          whose root is the value of ":child_storage:default:" ++ name in the top trie, as
 *          bst_state_root computes them; their nodes sit in the same database.
 *   aux    the caller's key -> value records (e.g. blocks and the chain head).
 *
 * Map size: 64 GiB of address space (a sparse reservation on 64-bit systems, 1 GiB on 32-bit
 * ones; the file grows with the data only).  A write that would exceed it fails with LMDB's
 * "MDB_MAP_FULL" in the message; the database then stays at its last commit.
 *
 * Versions: state_version 0 stores every value inline; 1 stores values of 33 bytes or more by
 * hash.  Like trie-db (Substrate's lazy state migration), a value keeps the form it was stored
 * in until it is written again: a trie built with one version and changed with the same version
 * has the root bst_trie_root gives for its pairs; after a switch from 0 to 1 the values not yet
 * rewritten stay inline.
 *
 * Threads: one writer at a time (bst_triedb_begin waits for the previous transaction to end:
 * never begin a second one on the thread that holds one).  Views and bst_triedb_aux_get may be
 * used from any thread, concurrently with each other and with the writer; one view is used by
 * one thread at a time (like a bst_state).  Each view holds an LMDB reader slot: at most 1000
 * views may be open at once.  A view reads through a short read transaction per call, so it
 * keeps no old pages alive between calls (nodes are never deleted, so none is needed).
 *
 * Errors: a node that a reachable reference names but the database lacks (a damaged database)
 * makes the read fail (BST_STATE_ERROR), never a silent "absent".
 */
#ifndef BASTION_TRIEDB_H
#define BASTION_TRIEDB_H

#include "bastion_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef struct bst_triedb bst_triedb;

/* Opens (creating the directory and the environment when missing) the store in dir.  NULL with
 * a message in err (errlen bytes, may be 0) on error, e.g. a damaged or truncated data.mdb. */
bst_triedb *bst_triedb_open(const char *dir, char *err, size_t errlen);
/* Every view and transaction must be closed first.  NULL is fine. */
void bst_triedb_close(bst_triedb *db);

/* ---- reading ----------------------------------------------------------------------------- */

/* A read view of the state at one committed root. */
typedef struct bst_triedb_view bst_triedb_view;
/* root must be committed (its node stored) or the empty-trie root (always valid); NULL with a
 * message otherwise. */
bst_triedb_view *bst_triedb_view_open(bst_triedb *db, const uint8_t root[32], char *err,
                                      size_t errlen);
/* The backend for bst_state_new: get / next_key / next_child walk the stored nodes (O(depth)
 * LMDB look-ups each), and `root` / `child_root` compute the root of (view's root + the state's
 * overlay changes) from the changed paths only, writing nothing: bst_state_root and
 * bst_state_child_root over this backend cost O(changed keys x depth), not O(state).  Valid
 * while the view is open. */
bst_state_backend bst_triedb_view_backend(bst_triedb_view *v);
/* The view's root. */
void bst_triedb_view_root(const bst_triedb_view *v, uint8_t root[32]);
void bst_triedb_view_close(bst_triedb_view *v); /* NULL is fine */

/* The committed value of aux record key: malloc'd into *val (the caller frees; at least one byte
 * is allocated), true; false when absent or on error. */
bool bst_triedb_aux_get(bst_triedb *db, const uint8_t *key, size_t klen, uint8_t **val,
                        size_t *vlen);

/* Whether the node or hashed value with that hash is stored (for diagnostics and tests). */
bool bst_triedb_has_node(bst_triedb *db, const uint8_t hash[32]);

/* ---- writing ----------------------------------------------------------------------------- */

/* One atomic write: nothing of it is visible to readers before bst_triedb_commit returns, and
 * after a crash the store is at the last completed commit. */
typedef struct bst_triedb_txn bst_triedb_txn;
bst_triedb_txn *bst_triedb_begin(bst_triedb *db, char *err, size_t errlen);

/* Stores the trie of (parent_root + every overlay change of st, open transactions included;
 * child tries too) and returns its root in new_root.  parent_root must be committed, the empty
 * root, or a root an earlier apply of this transaction returned.  Cost: O(changed keys x trie
 * depth) node reads and writes; unchanged subtrees are neither read nor written.  To load a
 * genesis: a bst_state over an empty backend (bst_state_new(NULL)), every pair set, applied
 * with parent_root = the empty-trie root (bst_trie_empty_root).  false on error (a missing
 * node, out of memory, LMDB error: see bst_triedb_txn_error); the transaction may then hold
 * some of the new nodes, which are harmless (content-addressed) whether it commits or aborts. */
bool bst_triedb_apply(bst_triedb_txn *t, const uint8_t parent_root[32], const bst_state *st,
                      unsigned state_version, uint8_t new_root[32]);
/* Sets aux record key to val (replacing it).  Keys are 1 to 511 bytes (LMDB's key size
 * limit); values any size. */
bool bst_triedb_aux_put(bst_triedb_txn *t, const uint8_t *key, size_t klen, const uint8_t *val,
                        size_t vlen);
/* Deletes aux record key (true when it was absent too). */
bool bst_triedb_aux_del(bst_triedb_txn *t, const uint8_t *key, size_t klen);
/* The message of the transaction's last failure ("" when none). */
const char *bst_triedb_txn_error(const bst_triedb_txn *t);
/* Commits: durable (fsync'd) when it returns true.  Frees t in every case. */
bool bst_triedb_commit(bst_triedb_txn *t, char *err, size_t errlen);
/* Discards everything of t and frees it.  NULL is fine. */
void bst_triedb_abort(bst_triedb_txn *t);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
