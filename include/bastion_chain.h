/*
 * bastion_chain.h — a local development chain on the Substrate runtime host: a database of
 * blocks and their states (one directory, LMDB), the genesis block of a chain spec's genesis
 * storage, block authoring with Aura (initialize, inherents, transactions, finalize, seal with the
 * slot's development authority key), block import (seal check, Core_execute_block on the
 * parent's state) and read-only runtime calls at any stored block.
 *
 * Every block is committed with its state, its number and the new head in one database
 * transaction: a process killed while authoring or importing leaves the previous head and its
 * state intact.  Nothing is cached across processes except what the database holds.  The code a
 * block runs is `:code` in its parent's state (codeSubstitutes are not applied here).
 *
 * Errors come back as false with a message in err[0..errlen) (a runtime's own reason, e.g. its
 * panic message, when it refused a block or a transaction).  One bst_chain is used by one thread
 * at a time; no global state.
 */
#ifndef BASTION_CHAIN_H
#define BASTION_CHAIN_H

#include "bastion_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef struct bst_chain bst_chain;

/* Opens (creating the directory's database files when needed) the chain database in dir. */
bst_chain *bst_chain_open(const char *dir, char *err, size_t errlen);
void bst_chain_close(bst_chain *c);

/* A stored block, as the chain knows it. */
typedef struct bst_chain_block_info {
    uint8_t hash[32];
    uint8_t parent[32];
    uint8_t state_root[32];
    uint8_t extrinsics_root[32];
    uint32_t number;
    uint64_t slot; /* the Aura slot of its PreRuntime digest (0 for genesis) */
    size_t extrinsics;
    unsigned state_version;
} bst_chain_block_info;

/* Writes the genesis block of a chain into an empty database: the genesis storage (read through
 * the backend), its state root for the state version the genesis runtime (:code) declares, and
 * the genesis header (number 0, parent zero, the empty trie as extrinsics root, empty digest)
 * as block 0 and head.  Fails when the database already has a genesis. */
bool bst_chain_init(bst_chain *c, const bst_state_backend *genesis, bst_chain_block_info *out,
                    char *err, size_t errlen);

/* The head block, or the block with the given hash / canonical number. */
bool bst_chain_head(bst_chain *c, bst_chain_block_info *out, char *err, size_t errlen);
bool bst_chain_block_by_hash(bst_chain *c, const uint8_t hash[32], bst_chain_block_info *out,
                             char *err, size_t errlen);
bool bst_chain_block_by_number(bst_chain *c, uint32_t number, bst_chain_block_info *out, char *err,
                               size_t errlen);
/* The SCALE-encoded block (sealed header ++ Vec<extrinsic>) with that hash; *out malloc'd. */
bool bst_chain_block_encoded(bst_chain *c, const uint8_t hash[32], uint8_t **out, size_t *out_len,
                             char *err, size_t errlen);

/* What happened to one transaction given to bst_chain_author. */
typedef struct bst_chain_tx_result {
    bool included;       /* applied (possibly with a dispatch error) and in the block */
    bool dispatch_error; /* included, but its call failed (Ok(Err(DispatchError))) */
    char reason[160];    /* why it was left out / failed: the runtime's error, hex of its
                            encoding */
} bst_chain_tx_result;

typedef struct bst_chain_author_options {
    const uint8_t *const *txs; /* SCALE-encoded extrinsics (with their compact length prefix) */
    const size_t *tx_lens;
    size_t ntxs;
    bst_chain_tx_result *results; /* ntxs entries, or NULL */
    /* The block's timestamp in milliseconds; 0 = derived: (parent's slot + 1) * slot duration,
     * so blocks are reproducible.  Its slot (timestamp / slot duration) must be greater than
     * the parent's. */
    uint64_t timestamp_ms;
    /* Stop after executing and sealing (for tests of crash safety: a hook called just before
     * the database commit; NULL = none). */
    void (*before_commit)(void *user);
    void *user;
} bst_chain_author_options;

/* Builds, seals and stores the next block on the head: Core_initialize_block with the Aura
 * PreRuntime digest of its slot, the inherents of BlockBuilder_inherent_extrinsics (timestamp,
 * Aura slot), the transactions through BlockBuilder_apply_extrinsic (an invalid one is left out
 * with the runtime's reason), BlockBuilder_finalize_block, and the Aura seal: the sr25519
 * signature of the header's hash by the authority of slot % authorities, which must be a
 * development account (//Alice, //Bob, ...).  The block becomes the head. */
bool bst_chain_author(bst_chain *c, const bst_chain_author_options *opts, bst_chain_block_info *out,
                      char *err, size_t errlen);

/* Imports an encoded block whose parent is stored: checks its Aura seal against the authority
 * of its slot, executes it (without the seal) with Core_execute_block on the parent's state
 * (the runtime checks the state and extrinsics roots), stores it with its state and makes it the
 * head when it extends the head.  A refused block commits nothing.  A block already stored is
 * not executed again (*known set, may be NULL). */
bool bst_chain_import(bst_chain *c, const uint8_t *block, size_t len, bst_chain_block_info *out,
                      bool *known, char *err, size_t errlen);

/* A read-only runtime API call at the state of block `at` (NULL = the head): run and discard.
 * *out malloc'd (never NULL on success). */
bool bst_chain_call(bst_chain *c, const uint8_t *at, const char *method, const uint8_t *input,
                    size_t input_len, uint8_t **out, size_t *out_len, char *err, size_t errlen);

/* The value of a top-trie storage key in the state of block `at` (NULL = the head): true with
 * *found and *val malloc'd (may be NULL when empty). */
bool bst_chain_storage(bst_chain *c, const uint8_t *at, const uint8_t *key, size_t key_len,
                       bool *found, uint8_t **val, size_t *val_len, char *err, size_t errlen);

/* The genesis hash of the chain. */
bool bst_chain_genesis_hash(bst_chain *c, uint8_t out[32], char *err, size_t errlen);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* BASTION_CHAIN_H */
