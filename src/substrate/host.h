/*
 * host.h — internals shared by the Substrate host's files: the runtime object, the table of
 * host functions, and the helpers every host function uses to touch guest memory (spans,
 * fixed-size pointers, results written through the runtime's allocator).
 *
 * The files:
 *   runtime.c      code blobs, instantiation (a fresh instance per call), calls, RuntimeVersion
 *   host_table.h   the list of host functions: import name and signature (one row each)
 *   host_table.c   the lookup by import name, generated from the list
 *   host_mem.c     guest memory: argument spans and pointers, results through the allocator,
 *                  the trap for bad arguments; the allocator's functions (ext_allocator_*)
 *   host_misc.c    logging, misc (print, runtime_version), offchain, panic handler, tracing,
 *                  transaction index, storage_proof_size
 *   host_http.c    ext_offchain_http_*: the embedder's HTTP provider (opts.http)
 *   host_storage.c ext_storage_*, ext_default_child_storage_*, ext_trie_* (roots, proofs)
 *   host_crypto.c  ext_hashing_*, ext_crypto_* and the in-memory keystore
 *   host_sandbox.c ext_sandbox_*: wasm modules instantiated and run by the runtime itself
 *   metadata.c     Metadata_metadata decoding (pallet names)
 * Everything here is private to src/substrate/; hosts see only include/bastion_substrate.h.
 */
#ifndef BASTION_SUBSTRATE_HOST_H
#define BASTION_SUBSTRATE_HOST_H

#include "bastion_alloc.h"
#include "bastion_pool.h"
#include "bastion_state.h"
#include "bastion_substrate.h"
#include "host_table.h"

#include <stdbool.h>
#include <stdint.h>

/* One key in the in-memory keystore (ext_crypto_*_generate / _sign / _public_keys). */
typedef enum host_key_scheme { HOST_KEY_ED25519, HOST_KEY_SR25519, HOST_KEY_ECDSA } host_key_scheme;
typedef struct host_key {
    host_key_scheme scheme;
    uint8_t key_type[4]; /* KeyTypeId, e.g. "babe" */
    uint8_t pub[33];     /* 32 bytes (ed25519, sr25519) or 33 (ecdsa, compressed) */
    uint8_t secret[64];  /* the scheme's secret form (ecdsa: the 32-byte seed) */
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
    uint32_t nstubs;        /* imports linked to trapping stubs */
    uint32_t initial_pages; /* the memory's initial size (imported or exported) */
    uint64_t deadline;      /* CLOCK_MONOTONIC ns of bst_substrate_runtime_set_deadline, 0 */
    bst_pool *pool;         /* the runtime's instance, reset between calls (runtime.c) */
    /* Per call (a fresh instance each time, as Substrate does, or one reset to that state): */
    bst_lease *lease;
    bst_store *store;
    bst_instance *inst;
    bst_memory *memory; /* the imported memory we created, or the exported one */
    bst_alloc alloc;
    stub_env *stubs;   /* one per import (only function stubs use theirs) */
    uint32_t tx_base;  /* storage transaction depth when the runtime was entered */
    bool dry_run;      /* bst_substrate_call_dry_run: the call's transaction is rolled back */
    bool batch_active; /* ext_crypto_start_batch_verify .. finish */
    bool batch_ok;
    uint32_t depth;              /* nesting of runtime_version calls (recursive loads) */
    struct sub_sandbox *sandbox; /* ext_sandbox_* state of the call (host_sandbox.c), or NULL */
    bst_call_stats last_stats; /* a copy of the last call's statistics (bst_substrate_call_stats) */
    /* The panic message a runtime with sp-io's logging panic handler logged in this call
     * (error level, target "runtime", "panicked at ..."), before it traps with `unreachable`:
     * the call's error then carries it, as abort_on_panic's does.  Empty when none. */
    char panic_log[200];
};

/* ---- the host functions (host_table.h) -------------------------------------------------- */

/* Functions shared by the files of src/substrate/ but not part of the API: hidden, so that
 * they never leave the library, and prefixed sub_ (bst_ is the public API's prefix). */
#define SUB_FUNC __attribute__((visibility("hidden")))

/* The C function of each row of SUBSTRATE_HOST_FUNCTIONS: sub_NAME. */
#define SUB_DECLARE_HOST(name, sig)                                                                \
    SUB_FUNC bool sub_##name(bst_caller *c, const bst_value *args, bst_value *results, void *env);
SUBSTRATE_HOST_FUNCTIONS(SUB_DECLARE_HOST)
#undef SUB_DECLARE_HOST

/* Defines host function NAME: SUB_HOST(NAME) { body }.  The body sees the caller c, args,
 * results, env (the runtime, see HOST_RT) and fn, the import name for trap messages.  sub_NAME
 * passes them on to the static body; the enum constant makes a NAME that is no row of the
 * table a compile error.  SUB_OFFCHAIN_HOST(NAME) { body } defines an offchain-worker function:
 * outside an offchain call it traps before the body runs (sub_offchain_ok). */
enum {
#define SUB_HOST_ID(name, sig) SUB_HOST_ID_##name,
    SUBSTRATE_HOST_FUNCTIONS(SUB_HOST_ID)
#undef SUB_HOST_ID
        SUB_HOST_COUNT
};
#define SUB_HOST_GUARDED(name, guard)                                                              \
    _Static_assert(SUB_HOST_ID_##name < SUB_HOST_COUNT, "a row of host_table.h");                  \
    static bool name##_body(bst_caller *c, const bst_value *args, bst_value *results, void *env,   \
                            const char *fn);                                                       \
    bool sub_##name(bst_caller *c, const bst_value *args, bst_value *results, void *env) {         \
        if (!guard(c, HOST_RT(env), #name)) return false;                                          \
        return name##_body(c, args, results, env, #name);                                          \
    }                                                                                              \
    static bool name##_body(bst_caller *c, const bst_value *args, bst_value *results, void *env,   \
                            __attribute__((unused)) const char *fn)
#define SUB_HOST(name) SUB_HOST_GUARDED(name, sub_any_call)
#define SUB_OFFCHAIN_HOST(name) SUB_HOST_GUARDED(name, sub_offchain_ok)

/* Defines host function NAME as helper(c, args, results, env, ..., fn), the helper's own
 * parameters in between: one line per row of a family that shares one implementation and
 * differs in a parameter (the hashes, the signature schemes, the versions of a function). */
#define SUB_HOST_CALLS(name, helper, ...)                                                          \
    SUB_HOST(name) { return helper(c, args, results, env, __VA_ARGS__, fn); }

/* A host function found by name: its signature (bst_functype_parse notation) and C function. */
typedef struct sub_host_def {
    const char *sig;
    bst_host_fn fn;
} sub_host_def;

/* Finds env.NAME (name[0..len), not NUL-terminated); false when the host has no such
 * function. */
SUB_FUNC bool sub_host_lookup(const char *name, size_t len, sub_host_def *out);

/* ---- helpers for host functions ---------------------------------------------------------- */

/* The runtime behind a caller (every host function's env is the runtime). */
#define HOST_RT(env) ((bst_substrate_runtime *)(env))

/* Traps with "NAME: what" and returns false. */
SUB_FUNC bool sub_fail(bst_caller *c, const char *fn_name, const char *what);

/* The bytes of a (ptr, len) span packed as ptr | len << 32, or NULL after trapping. */
SUB_FUNC const uint8_t *sub_span(bst_caller *c, bst_substrate_runtime *rt, int64_t packed,
                                 uint32_t *len, const char *fn_name);
/* n bytes at guest address ptr, or NULL after trapping. */
SUB_FUNC const uint8_t *sub_ptr(bst_caller *c, bst_substrate_runtime *rt, int32_t ptr, uint32_t n,
                                const char *fn_name);
/* Copies n bytes to guest address ptr; false after trapping. */
SUB_FUNC bool sub_write(bst_caller *c, bst_substrate_runtime *rt, int32_t ptr, const void *data,
                        uint32_t n, const char *fn_name);

/* The arguments of a host function, read in its body or helper (where c, rt and fn are in
 * scope): each declares `name`, a view of the guest bytes, or returns false after trapping.
 *   SUB_SPAN_ARG(name, packed): the span packed as ptr | len << 32; its length is name_len;
 *   SUB_PTR_ARG(name, ptr, n): n bytes at guest address ptr. */
#define SUB_SPAN_ARG(name, packed)                                                                 \
    uint32_t name##_len;                                                                           \
    const uint8_t *name = sub_span(c, rt, (packed), &name##_len, fn);                              \
    if (!name) return false
#define SUB_PTR_ARG(name, ptr, n)                                                                  \
    const uint8_t *name = sub_ptr(c, rt, (ptr), (n), fn);                                          \
    if (!name) return false

/* Allocates len bytes with the runtime's allocator and copies data there; *ptr is the guest
 * address.  False after trapping ("Failed to allocate memory: ..."). */
SUB_FUNC bool sub_alloc_copy(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                             uint32_t *ptr, const char *fn_name);
/* Results of the sp-runtime-interface kinds: a pointer to fixed-size bytes (i32), a byte
 * vector as ptr | len << 32 (i64), a SCALE Option<Vec<u8>> (Some(data[0..len)) when some, else
 * None) as a span. */
SUB_FUNC bool sub_ret_ptr(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                          bst_value *result, const char *fn_name);
SUB_FUNC bool sub_ret_span(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                           bst_value *result, const char *fn_name);
SUB_FUNC bool sub_ret_option(bst_caller *c, bst_substrate_runtime *rt, bool some, const void *data,
                             size_t len, bst_value *result, const char *fn_name);
/* Decodes an Option<Vec<u8>> argument held in p[0..len) (the bytes are a view into p); false
 * after trapping when it is not exactly that. */
SUB_FUNC bool sub_get_option_bytes(bst_caller *c, const uint8_t *p, uint32_t len, bool *some,
                                   const uint8_t **data, size_t *data_len, const char *fn_name);

/* Decodes the span argument `packed`, which must hold exactly a SCALE Option<u32> (width 4) or
 * Option<u64> (width 8): *some, and *v when Some (left as it was for None).  False after
 * trapping with `what` (e.g. "limit is not a SCALE Option<u32>"). */
SUB_FUNC bool sub_option_uint_arg(bst_caller *c, bst_substrate_runtime *rt, int64_t packed,
                                  unsigned width, bool *some, uint64_t *v, const char *what,
                                  const char *fn_name);

/* The runtime's memory during a call. */
SUB_FUNC bst_memory *sub_memory(bst_substrate_runtime *rt, bst_caller *c);

/* The offchain-worker functions exist only in an offchain call (Substrate registers their
 * extension only for offchain workers): true in one, else false after trapping. */
SUB_FUNC bool sub_offchain_ok(bst_caller *c, bst_substrate_runtime *rt, const char *fn_name);
/* The guard of SUB_HOST: every call may use the function. */
static inline bool sub_any_call(bst_caller *c, bst_substrate_runtime *rt, const char *fn_name) {
    (void)c;
    (void)rt;
    (void)fn_name;
    return true;
}

/* Frees the call's sandbox (its store, instances, memories); rt->sandbox becomes NULL.  Called
 * when the call's instance is dropped, as Substrate's sandbox store lives for one call. */
SUB_FUNC void sub_sandbox_free(bst_substrate_runtime *rt);

#endif /* BASTION_SUBSTRATE_HOST_H */
