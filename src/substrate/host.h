/*
 * host.h — internals shared by the Substrate host's files: the runtime object, the table of
 * host functions, and the helpers every host function uses to touch guest memory (spans,
 * fixed-size pointers, results written through the runtime's allocator).
 *
 * The files:
 *   runtime.c      code blobs, instantiation (a fresh instance per call), calls, RuntimeVersion
 *   host_table.c   the table: import name and signature -> host function
 *   host_misc.c    allocator, logging, misc (print, runtime_version), offchain
 *   host_http.c    ext_offchain_http_*: the embedder's HTTP provider (opts.http)
 *   host_storage.c ext_storage_*, ext_default_child_storage_*, ext_trie_*
 *   host_crypto.c  ext_hashing_*, ext_crypto_* and the in-memory keystore
 *   host_sandbox.c ext_sandbox_*: wasm modules instantiated and run by the runtime itself
 *   metadata.c     Metadata_metadata decoding (pallet names)
 * Everything here is private to src/substrate/; hosts see only include/bastion_substrate.h.
 */
#ifndef BASTION_SUBSTRATE_HOST_H
#define BASTION_SUBSTRATE_HOST_H

#include "bastion_alloc.h"
#include "bastion_state.h"
#include "bastion_substrate.h"

#include <stdbool.h>
#include <stdint.h>

/* One key in the in-memory keystore (ext_crypto_*_generate / _sign / _public_keys). */
typedef enum host_key_scheme { HOST_KEY_ED25519, HOST_KEY_SR25519, HOST_KEY_ECDSA } host_key_scheme;
typedef struct host_key {
    host_key_scheme scheme;
    uint8_t key_type[4];     /* KeyTypeId, e.g. "babe" */
    uint8_t pub[33];         /* 32 bytes (ed25519, sr25519) or 33 (ecdsa, compressed) */
    uint8_t secret[64];      /* the scheme's secret form (ecdsa: the 32-byte seed) */
} host_key;

/* Environment of a trapping stub (a missing import under allow_missing). */
typedef struct stub_env {
    const char *module, *name;
    size_t module_len, name_len;
} stub_env;

struct bst_substrate_runtime {
    bst_module *module;
    bst_substrate_options opts;
    bst_state *state;          /* the runtime's storage, kept across calls */
    bst_state *offchain;       /* offchain local storage: child "persistent" / "local" */
    bst_state *offchain_index; /* ext_offchain_index_* writes of the current call: transactional
                                  like storage, applied to "persistent" when the call commits */
    uint64_t fuel_used;        /* fuel the runtime's calls and instantiations have used */
    host_key *keys;            /* the in-memory keystore */
    size_t nkeys, keys_cap;
    uint32_t nstubs;           /* imports linked to trapping stubs */
    uint32_t initial_pages;    /* the memory's initial size (imported or exported) */
    uint64_t deadline;         /* CLOCK_MONOTONIC ns of bst_substrate_runtime_set_deadline, 0 */
    /* Per call (a fresh instance each time, as Substrate does): */
    bst_store *store;
    bst_instance *inst;
    bst_memory *memory;        /* the imported memory we created, or the exported one */
    bst_alloc alloc;
    stub_env *stubs;           /* one per import (only function stubs use theirs) */
    uint32_t tx_base;          /* storage transaction depth when the runtime was entered */
    bool batch_active;         /* ext_crypto_start_batch_verify .. finish */
    bool batch_ok;
    uint32_t depth;            /* nesting of runtime_version calls (recursive loads) */
    struct bst_sandbox *sandbox; /* ext_sandbox_* state of the call (host_sandbox.c), or NULL */
};

/* ---- the host-function table ------------------------------------------------------------ */

/* A signature as two strings over 'i' (i32) and 'j' (i64): params, results. */
typedef struct host_def {
    const char *name;          /* the import name, in module "env" */
    const char *params;
    const char *results;
    bst_host_fn fn;
} host_def;

/* The definition of env.NAME, or NULL. */
const host_def *bst_host_lookup(const char *name, size_t len);

/* ---- helpers for host functions ---------------------------------------------------------- */

/* The runtime behind a caller (every host function's env is the runtime). */
#define HOST_RT(env) ((bst_substrate_runtime *)(env))

/* Traps with "NAME: what" and returns false. */
bool bst_host_fail(bst_caller *c, const char *fn_name, const char *what);

/* The bytes of a (ptr, len) span packed as ptr | len << 32, or NULL after trapping. */
const uint8_t *bst_host_span(bst_caller *c, bst_substrate_runtime *rt, int64_t packed,
                         uint32_t *len, const char *fn_name);
/* n bytes at guest address ptr, or NULL after trapping. */
const uint8_t *bst_host_ptr(bst_caller *c, bst_substrate_runtime *rt, int32_t ptr, uint32_t n,
                        const char *fn_name);
/* Copies n bytes to guest address ptr; false after trapping. */
bool bst_host_write(bst_caller *c, bst_substrate_runtime *rt, int32_t ptr, const void *data,
                uint32_t n, const char *fn_name);

/* Allocates len bytes with the runtime's allocator and copies data there; *ptr is the guest
 * address.  False after trapping ("Failed to allocate memory: ..."). */
bool bst_host_alloc_copy(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                     uint32_t *ptr, const char *fn_name);
/* Results of the sp-runtime-interface kinds: a pointer to fixed-size bytes (i32), a byte
 * vector as ptr | len << 32 (i64), a SCALE Option<Vec<u8>> (Some(data[0..len)) when some, else
 * None) as a span. */
bool bst_host_ret_ptr(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                      bst_value *result, const char *fn_name);
bool bst_host_ret_span(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                       bst_value *result, const char *fn_name);
bool bst_host_ret_option(bst_caller *c, bst_substrate_runtime *rt, bool some, const void *data,
                         size_t len, bst_value *result, const char *fn_name);
/* Decodes an Option<Vec<u8>> argument held in p[0..len) (the bytes are a view into p); false
 * after trapping when it is not exactly that. */
bool bst_host_get_option_bytes(bst_caller *c, const uint8_t *p, uint32_t len, bool *some,
                               const uint8_t **data, size_t *data_len, const char *fn_name);

/* The runtime's memory during a call. */
bst_memory *bst_host_memory(bst_substrate_runtime *rt, bst_caller *c);

/* Frees the call's sandbox (its store, instances, memories); rt->sandbox becomes NULL.  Called
 * when the call's instance is dropped, as Substrate's sandbox store lives for one call. */
void bst_sandbox_free(bst_substrate_runtime *rt);

#endif /* BASTION_SUBSTRATE_HOST_H */
