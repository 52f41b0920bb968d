/*
 * chainspec.h — reading raw Substrate chain specs (JSON), shared by `bastion runtime` (whose
 * FILE may be a chain spec) and `bastion chainspec`: the genesis runtime code, the genesis
 * storage, and the state version the genesis runtime declares.  See chainspec.c.
 */
#ifndef BASTION_CLI_CHAINSPEC_H
#define BASTION_CLI_CHAINSPEC_H

#include "bastion_state.h"
#include "json_util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The :code blob (hex-decoded, maybe still compressed) of a parsed raw chain spec; prints an
 * error naming path and returns false when there is none.  On success *blob is freed with
 * free(). */
bool cli_chainspec_code(const char *path, const json_t *root, uint8_t **blob, size_t *blob_len);
/* Whether the spec has raw genesis storage (genesis.raw, either format). */
bool cli_chainspec_is_raw(const json_t *root);
/* The code a call on the genesis state runs: codeSubstitutes["0"] when the spec has one (said
 * on stderr), else the :code blob as cli_chainspec_code. */
bool cli_chainspec_runtime_code(const char *path, const json_t *root, uint8_t **blob,
                                size_t *blob_len);
/* The block numbers of the spec's codeSubstitutes (the code to use from that block on): the
 * first max into blocks, their count in *n (0 when there are none).  False after printing an
 * error when they are malformed. */
bool cli_chainspec_code_substitutes(const char *path, const json_t *root, uint64_t *blocks,
                                    size_t max, size_t *n);
/* The genesis :heappages (a u64), when the raw genesis storage has a well-formed one. */
bool cli_chainspec_heap_pages(const json_t *root, uint64_t *pages);
/* Puts a parsed raw chain spec's genesis storage (genesis.raw.top and
 * genesis.raw.childrenDefault, hex keys and values) into m.  Prints an error naming path and
 * returns false on failure. */
bool cli_chainspec_genesis_storage(const char *path, const json_t *root, bst_state_mem *m);
/* The state version a runtime (blob: wasm, maybe compressed) declares: from its
 * runtime_version section, else its Core_version (0 when the RuntimeVersion has none). */
bool cli_code_state_version(const char *path, const uint8_t *blob, size_t blob_len,
                            unsigned *version);
/* The state version the chain spec's genesis runtime (its :code) declares in its
 * RuntimeVersion (0 when it has none); prints an error naming path and returns false when it
 * cannot be found. */
bool cli_chainspec_state_version(const char *path, const json_t *root, unsigned *version);

/* The genesis block's hash from its state root (sc-chain-spec construct_genesis_block: a header
 * with number 0, no parent, the empty trie's root as extrinsics root and no digest). */
void cli_genesis_hash(const uint8_t state_root[32], uint8_t hash[32]);

#endif /* BASTION_CLI_CHAINSPEC_H */
