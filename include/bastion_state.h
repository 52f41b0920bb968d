/*
 * bastion_state.h — the key-value state a Substrate runtime reads and writes: a read-only backend
 * (in memory here; a persistent store elsewhere implements the same vtable) under an overlay of
 * changes with nested transactions, child tries ("default" child tries only) and the state root.
 *
 * Naming: `child` selects the trie.  child == NULL selects the top trie; otherwise child/child_len
 * is the child trie's storage key WITHOUT the ":child_storage:default:" prefix (what
 * ext_default_child_storage_* receive).  An empty child key (child != NULL, child_len 0) is a
 * valid, distinct child trie name.
 *
 * Top-trie keys starting with ":child_storage:" are reserved for child roots: set / clear /
 * append on them are ignored, and so is clear_prefix with a prefix that starts with
 * ":child_storage:" or is a prefix of it (even the empty prefix), as in sp-state-machine;
 * get / next_key do not see child roots (they only enter the root).
 *
 * Complexity (k = overlay entries of that trie, b = backend cost of one look-up):
 *   get / exists            O(log k) + one backend get when the overlay does not know the key
 *   set / clear             O(log k) expected (skip list) + O(value) copy + one journal entry
 *   append                  O(log k) + amortised O(item): the value grows in place, a
 *                           transaction records only its old length (rollback cuts it back);
 *                           O(value) only when it starts a new Vec over an overlay value or
 *                           extends a backend value (one copy), and when the prefix changes
 *                           size (63 -> 64, 16383 -> 16384, 2^30 - 1 -> 2^30 items)
 *   next_key                O(log k) per overlay step + backend next_key calls, skipping keys
 *                           deleted in the overlay
 *   clear_prefix / kill     O(matching overlay keys + visited backend keys)
 *   tx_start / tx_commit    O(1) / O(changes made in the transaction): a commit merges the
 *                           level into its parent, freeing the values no level can restore
 *   tx_rollback             O(changes made in the transaction), O(log k) each to unlink
 *   child trie creation     O(log c) expected for c child tries in the overlay
 *   root / child_root       O(size of the merged trie): every key is visited; the last top
 *                           root per version and the last child root are cached until the
 *                           next change (a repeated call without changes is O(1)).  Over a
 *                           backend with `root` / `child_root` functions (a bst_triedb view)
 *                           they are O(changed keys x trie depth) instead
 * Memory: the overlay keeps the keys changed at depth 0 or in an open transaction; a rollback
 * frees the keys (and child tries) it takes back to "no change", a nested commit frees the
 * values no level can restore.  It grows with the distinct keys changed, never with the backend
 * size or the number of transactions.
 *
 * Not thread-safe per bst_state (one runtime call at a time); no global state.
 */
#ifndef BASTION_STATE_H
#define BASTION_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

/* The prefix of child-trie root keys in the top trie. */
#define BST_CHILD_STORAGE_PREFIX ":child_storage:"
#define BST_CHILD_STORAGE_DEFAULT_PREFIX ":child_storage:default:"

/* Result of a look-up that may fail for reasons other than absence. */
typedef enum bst_state_res {
    BST_STATE_ERROR = -1, /* out of memory, backend I/O error, ... */
    BST_STATE_ABSENT = 0,
    BST_STATE_FOUND = 1,
} bst_state_res;

/* The state (below); declared here for the backend's optional root function. */
typedef struct bst_state bst_state;

/* ---- backends -------------------------------------------------------------------------------
 * A read-only view of a committed state.  All three functions return BST_STATE_FOUND with a
 * malloc'd result the caller frees (free(NULL) is fine: a zero-length result may be NULL),
 * BST_STATE_ABSENT with nothing allocated, or BST_STATE_ERROR.
 *
 *  get:        the value of key in trie `child` (NULL = top).
 *  next_key:   the smallest key of trie `child` strictly greater than key (or >= key when
 *              inclusive); key may be NULL when key_len is 0.  Returns the key in *out.
 *  next_child: the smallest non-empty child trie name strictly greater than name (or >= when
 *              inclusive) — enumerates the child tries (names without the prefix) in order.
 *
 * A child trie with no keys does not exist.  Order is memcmp order, shorter first on ties.
 * The functions must not be re-entered into the bst_state using the backend.
 *
 *  root:       OPTIONAL (NULL in the in-memory and proof backends): the top root of this
 *              backend's content with every overlay change of st applied (bst_state_changes,
 *              open transactions included) for state_version, into out; false on error.  It
 *              must not modify anything.  A backend that keeps its trie's nodes computes it from
 *              the changed paths only (bst_triedb_view_backend); when NULL, bst_state_root
 *              visits the whole merged state.
 *  child_root: OPTIONAL, the same for one child trie (bst_state_child_root): the root of child
 *              trie `child` (the empty root when it has no keys) with st's changes applied. */
typedef struct bst_state_backend {
    void *ctx;
    bst_state_res (*get)(void *ctx, const uint8_t *child, size_t child_len, const uint8_t *key,
                         size_t key_len, uint8_t **val, size_t *val_len);
    bst_state_res (*next_key)(void *ctx, const uint8_t *child, size_t child_len, const uint8_t *key,
                              size_t key_len, bool inclusive, uint8_t **out, size_t *out_len);
    bst_state_res (*next_child)(void *ctx, const uint8_t *name, size_t name_len, bool inclusive,
                                uint8_t **out, size_t *out_len);
    bool (*root)(void *ctx, const bst_state *st, unsigned state_version, uint8_t out[32]);
    bool (*child_root)(void *ctx, const bst_state *st, const uint8_t *child, size_t child_len,
                       unsigned state_version, uint8_t out[32]);
} bst_state_backend;

/* The in-memory backend: a sorted array of (child, key, value).  Build it with put (any order;
 * a later put of the same child/key replaces the value), then bst_state_mem_finish, then hand
 * bst_state_mem_backend(m) to bst_state_new.  The bst_state_mem must outlive every bst_state
 * using it and must not be modified after finish. */
typedef struct bst_state_mem bst_state_mem;
bst_state_mem *bst_state_mem_new(void);
void bst_state_mem_free(bst_state_mem *m);
/* false on out-of-memory or after finish. */
bool bst_state_mem_put(bst_state_mem *m, const uint8_t *child, size_t child_len, const uint8_t *key,
                       size_t key_len, const uint8_t *val, size_t val_len);
/* Sorts and de-duplicates (O(n log n)); idempotent. */
void bst_state_mem_finish(bst_state_mem *m);
size_t bst_state_mem_count(const bst_state_mem *m); /* distinct entries after finish */
bst_state_backend bst_state_mem_backend(bst_state_mem *m);

/* ---- the state --------------------------------------------------------------------------- */

/* A backend over a Merkle proof (the StorageProof / state_getReadProof shape): a set of encoded
 * trie nodes (BLAKE2b-256, any order, duplicates allowed; copied) and the state root.  Reads
 * walk the nodes from the root (child tries through their root entry in the top trie).  A read
 * that needs a node the proof lacks is BST_STATE_ERROR and marks the proof incomplete
 * (bst_state_proof_incomplete): it is never taken for an absent key.  The proof records the
 * nodes its reads used (bst_state_proof_take_recorded): over the nodes of a whole state
 * (bst_trie_nodes) it is a proof recorder.  Not thread-safe. */
typedef struct bst_state_proof bst_state_proof;
struct bst_trie_node; /* bastion_trie.h: { data, len } */
bst_state_proof *bst_state_proof_new(const struct bst_trie_node *nodes, size_t n,
                                     const uint8_t root[32]);
void bst_state_proof_free(bst_state_proof *p);
bst_state_backend bst_state_proof_backend(bst_state_proof *p);
/* Whether a read needed a node the proof lacks; *missing (may be NULL) its hash (the first). */
bool bst_state_proof_incomplete(const bst_state_proof *p, uint8_t missing[32]);
/* The nodes reads have used (views into p, valid while it lives): the first max into out; the
 * count is returned. */
size_t bst_state_proof_take_recorded(bst_state_proof *p, struct bst_trie_node *out, size_t max);

/* backend NULL: an empty backend.  The vtable is copied; its ctx must outlive the state, and
 * its content must not change while the state uses it (roots are cached).  NULL on
 * out-of-memory. */
bst_state *bst_state_new(const bst_state_backend *backend);
void bst_state_free(bst_state *st);

/* The current value of key: *val is a malloc'd copy the caller frees (NULL allowed when
 * *val_len is 0). */
bst_state_res bst_state_get(bst_state *st, const uint8_t *child, size_t child_len,
                            const uint8_t *key, size_t key_len, uint8_t **val, size_t *val_len);
bst_state_res bst_state_exists(bst_state *st, const uint8_t *child, size_t child_len,
                               const uint8_t *key, size_t key_len);

/* Writes.  false only on out-of-memory (the state is then unchanged). */
bool bst_state_set(bst_state *st, const uint8_t *child, size_t child_len, const uint8_t *key,
                   size_t key_len, const uint8_t *val, size_t val_len);
bool bst_state_clear(bst_state *st, const uint8_t *child, size_t child_len, const uint8_t *key,
                     size_t key_len);

/* sp-io storage::append: the value is a SCALE Vec<T>; item is one encoded T.  When the current
 * value is absent or empty, or its prefix is not a canonical Compact<u32> (parity-scale-codec
 * decodes strictly), or count + 1 overflows u32, the value becomes compact(1) ++ item;
 * otherwise the count is incremented (the prefix re-encoded, its size may grow: 63 -> 64 items
 * takes it from 1 to 2 bytes) and item appended.  false on out-of-memory / backend error. */
bool bst_state_append(bst_state *st, const uint8_t *child, size_t child_len, const uint8_t *key,
                      size_t key_len, const uint8_t *item, size_t item_len);

/* Removes every key starting with prefix (sp-state-machine Ext::clear_prefix semantics):
 * every matching overlay key is deleted, then the backend's matching keys are visited in
 * order, at most `limit` of them (UINT32_MAX = no limit), and each not already changed in the
 * overlay is deleted.  *removed (may be NULL) = backend keys visited by this call, those the
 * overlay had already deleted included (sp-state-machine's MultiRemovalResults.loops, which
 * sp-io clear_prefix v2 / storage_kill v3 report in KillStorageResult; at most `limit`);
 * *all_removed (may be NULL) = no matching backend key is left unvisited (AllRemoved vs
 * SomeRemaining; a refused top-trie prefix, see above, is AllRemoved(0) as in
 * sp-state-machine).
 * false on out-of-memory / backend error (the changes made so far stay; callers trap). */
bool bst_state_clear_prefix(bst_state *st, const uint8_t *child, size_t child_len,
                            const uint8_t *prefix, size_t prefix_len, uint32_t limit,
                            uint32_t *removed, bool *all_removed);
/* ext_default_child_storage_storage_kill v1..v3: clear_prefix with an empty prefix on child. */
bool bst_state_child_kill(bst_state *st, const uint8_t *child, size_t child_len, uint32_t limit,
                          uint32_t *removed, bool *all_removed);

/* The smallest key strictly greater than key in the merged state (overlay over backend,
 * deleted keys skipped).  *next is malloc'd (caller frees).  key may be NULL when key_len 0. */
bst_state_res bst_state_next_key(bst_state *st, const uint8_t *child, size_t child_len,
                                 const uint8_t *key, size_t key_len, uint8_t **next,
                                 size_t *next_len);

/* ---- transactions (sp-io storage_start/commit/rollback_transaction) ----------------------- */

bool bst_state_tx_start(bst_state *st);    /* false on out-of-memory */
bool bst_state_tx_commit(bst_state *st);   /* false when no transaction is open */
bool bst_state_tx_rollback(bst_state *st); /* false when no transaction is open */
size_t bst_state_tx_depth(const bst_state *st);

/* What the overlay holds (for tests and diagnostics; O(overlay size + journal) to compute).
 * Committing a nested transaction merges it into its parent, so the journal holds at most one
 * entry per key and open level. */
typedef struct bst_state_stats {
    size_t nodes;           /* overlay entries (keys with a change or a journaled one), all tries */
    size_t child_tries;     /* child tries the overlay holds */
    size_t value_bytes;     /* bytes allocated for the entries' current values */
    size_t journal_entries; /* undo entries kept for the open transactions */
    size_t journal_bytes;   /* bytes allocated for the earlier values they keep */
} bst_state_stats;
void bst_state_get_stats(const bst_state *st, bst_state_stats *out);

/* ---- roots ------------------------------------------------------------------------------- */

/* The top trie root of the merged state for state_version 0 or 1: the top pairs plus, for
 * every non-empty child trie, (":child_storage:default:" ++ name, child root).  Open
 * transactions are included (like sp-state-machine's storage_root).  false on out-of-memory /
 * backend error / bad version.  Over a backend with a `root` function (a bst_triedb view) the
 * backend computes it from the changes; for a trie whose values were stored under the other
 * state version it follows trie-db (a value keeps its stored form until written again; see
 * bastion_triedb.h). */
bool bst_state_root(bst_state *st, unsigned state_version, uint8_t out[32]);
/* The root of one child trie (the empty-trie root when it has no keys). */
bool bst_state_child_root(bst_state *st, const uint8_t *child, size_t child_len,
                          unsigned state_version, uint8_t out[32]);

/* ---- changes relative to the backend ----------------------------------------------------- */

/* Visits every overlay change, top trie first (child == NULL) then each child trie in name
 * order, keys in order within a trie: val == NULL means deleted (val_len 0); an empty value
 * is a non-NULL pointer with val_len 0.  Keys whose overlay value equals "no change" (rolled
 * back) are skipped; a set to the backend's own value is still reported.  The callback returns
 * false to stop (then this returns false too).  Must not modify st. */
typedef bool (*bst_state_change_fn)(void *user, const uint8_t *child, size_t child_len,
                                    const uint8_t *key, size_t key_len, const uint8_t *val,
                                    size_t val_len);
bool bst_state_changes(const bst_state *st, bst_state_change_fn fn, void *user);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
