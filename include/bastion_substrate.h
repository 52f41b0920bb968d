/*
 * bastion_substrate.h — the Substrate runtime host: loads a runtime (a wasm blob, possibly
 * zstd-compressed), instantiates it with every import resolved and calls its exported runtime
 * API functions with Substrate's calling convention.
 *
 * It provides:
 *   - the runtime code blob: the optional compression prefix (52 bc 53 76 46 db 8e 05 + one zstd
 *     frame), decompressed with an output cap (the "bomb limit");
 *   - instantiation with every `env.ext_*` function of sp-io a runtime imports (storage, child
 *     storage, trie roots, hashing, crypto with an in-memory keystore, logging, misc, offchain
 *     with HTTP through the embedder's provider, sandboxes), each checked against its
 *     signature; `ext_allocator_*` is the freeing-bump allocator (bastion_alloc.h) whose heap
 *     starts at the runtime's exported `__heap_base`.  An imported `env.memory` is created with
 *     its declared minimum and room for heap_pages more (or the runtime's exported memory is
 *     used).  An import the host does not provide fails instantiation, or, with allow_missing,
 *     is linked to a stub that traps when (and only when) it is called, with Substrate's
 *     message;
 *   - calls: the input bytes are written into a block from the allocator (always allocated, as
 *     Substrate does, even for empty input), the export is called as (ptr: i32, len: i32) -> i64
 *     and the result is the byte range ptr = low 32 bits, len = high 32 bits, copied out through
 *     the bounds-checked bst_memory_read; each call is one storage transaction on a fresh
 *     instance;
 *   - the RuntimeVersion returned by `Core_version`, decoded with the strict SCALE decoder, and
 *     the pallets of `Metadata_metadata`.
 *
 * Guest memory is touched only through the bounds-checked accessors of bastion.h.  No global
 * state: everything hangs off a bst_substrate_runtime, used by one thread at a time.
 */
#ifndef BASTION_SUBSTRATE_H
#define BASTION_SUBSTRATE_H

#include "bastion.h"
#include "bastion_scale.h"
#include "bastion_state.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

/* The 8-byte prefix of a zstd-compressed runtime code blob. */
#define BST_SUBSTRATE_ZSTD_PREFIX "\x52\xbc\x53\x76\x46\xdb\x8e\x05"
#define BST_SUBSTRATE_ZSTD_PREFIX_LEN 8u
/* Default cap on decompressed code: Substrate's CODE_BLOB_BOMB_LIMIT (50 MiB). */
#define BST_SUBSTRATE_CODE_BOMB_LIMIT (50u * 1024u * 1024u)

/* True when blob starts with the compression prefix. */
bool bst_substrate_code_is_compressed(const uint8_t *blob, size_t len);

/* The wasm code of a runtime blob: a malloc'd copy of the blob, or (behind the prefix) its
 * decompressed zstd frame.  Decompressed output larger than max_out (0 = the default
 * BST_SUBSTRATE_CODE_BOMB_LIMIT) is refused without being produced (BST_ERR_LIMIT); a corrupt or
 * truncated frame, or bytes after it, is BST_ERR_MALFORMED.  On success *code is freed with
 * free(). */
bst_status bst_substrate_code_decode(const uint8_t *blob, size_t len, size_t max_out,
                                     uint8_t **code, size_t *code_len, bst_error *err);

/* ---- offchain HTTP ------------------------------------------------------------------------
 *
 * An embedder (a node) gives offchain workers real HTTP by setting bst_substrate_options.http to
 * a provider: the callbacks of sp_core::offchain::Externalities' http_* functions.  The host
 * decodes and checks everything the runtime passes (spans inside its memory, UTF-8 for &str
 * arguments, SCALE Vec<HttpRequestId> and Option<Timestamp> with no bytes left over; a
 * violation traps, as in Substrate), hands the provider host-side copies (never pointers into
 * the runtime's memory), and encodes what the provider answers exactly as sp-io does.  A request
 * id the runtime passes that does not fit HttpRequestId (u16; Substrate would truncate it) never
 * reaches the provider: it is answered as an unknown id (Err(()), Err(HttpError::Invalid),
 * HttpRequestStatus::Invalid, no headers).
 *
 * The provider owns the request ids and the requests' life cycle (ids are Substrate's
 * HttpRequestId; they outlive calls: a node that wants per-worker ids resets its provider
 * between offchain worker runs).  Callbacks run on the thread of bst_substrate_call, during the
 * call, and must not call back into the runtime.  The host itself never blocks: a provider with
 * a deadline (milliseconds since the Unix epoch, as ext_offchain_timestamp) should not block past
 * it; NULL means "no deadline" (Substrate blocks forever).  When the call has a deadline of its
 * own (bst_substrate_runtime_set_deadline), the provider gets the earlier of the two, never
 * NULL.  A NULL callback answers as without a provider. */

/* sp_core::offchain::HttpError with its SCALE discriminants; BST_SUBSTRATE_HTTP_OK is Ok. */
typedef enum bst_substrate_http_error {
    BST_SUBSTRATE_HTTP_OK = 0,
    BST_SUBSTRATE_HTTP_DEADLINE_REACHED = 1,
    BST_SUBSTRATE_HTTP_IO_ERROR = 2,
    BST_SUBSTRATE_HTTP_INVALID = 3
} bst_substrate_http_error;

/* sp_core::offchain::HttpRequestStatus's variants with their SCALE indices. */
typedef enum bst_substrate_http_state {
    BST_SUBSTRATE_HTTP_STATUS_DEADLINE_REACHED = 0,
    BST_SUBSTRATE_HTTP_STATUS_IO_ERROR = 1,
    BST_SUBSTRATE_HTTP_STATUS_INVALID = 2,
    BST_SUBSTRATE_HTTP_STATUS_FINISHED = 3
} bst_substrate_http_state;

typedef struct bst_substrate_http_status {
    bst_substrate_http_state state;
    uint16_t code; /* the HTTP status code of FINISHED */
} bst_substrate_http_status;

/* One response header, as bytes (Substrate's Vec<(Vec<u8>, Vec<u8>)>). */
typedef struct bst_substrate_http_header {
    const uint8_t *name;
    size_t name_len;
    const uint8_t *value;
    size_t value_len;
} bst_substrate_http_header;

/* The most a single http_response_read_body hands the provider room for: a runtime's larger
 * buffer gets a shorter read, which the API allows (runtimes read until Ok(0)). */
#define BST_SUBSTRATE_HTTP_READ_MAX (64u * 1024u)

typedef struct bst_substrate_http {
    void *ctx;
    /* http_request_start(method, uri, meta) -> Result<HttpRequestId, ()>: true and *id for Ok.
     * method and uri are valid UTF-8 (NUL-terminated copies; they may contain NUL: use the
     * lengths); meta is Substrate's reserved SCALE-encoded parameters (empty today). */
    bool (*request_start)(void *ctx, const char *method, size_t method_len, const char *uri,
                          size_t uri_len, const uint8_t *meta, size_t meta_len, uint16_t *id);
    /* http_request_add_header(id, name, value) -> Result<(), ()>: true for Ok.  UTF-8, as
     * above. */
    bool (*request_add_header)(void *ctx, uint16_t id, const char *name, size_t name_len,
                               const char *value, size_t value_len);
    /* http_request_write_body(id, chunk, deadline) -> Result<(), HttpError>; an empty chunk
     * finalises the request. */
    bst_substrate_http_error (*request_write_body)(void *ctx, uint16_t id, const uint8_t *chunk,
                                                   size_t chunk_len, const uint64_t *deadline);
    /* http_response_wait(ids, deadline) -> Vec<HttpRequestStatus>: fills statuses[0..n) (the
     * host prefills INVALID).  Not called for n == 0. */
    void (*response_wait)(void *ctx, const uint16_t *ids, size_t n, const uint64_t *deadline,
                          bst_substrate_http_status *statuses);
    /* http_response_headers(id) -> Vec<(Vec<u8>, Vec<u8>)>: the count of headers and, in
     * *headers, an array the provider owns (valid until its next callback). */
    size_t (*response_headers)(void *ctx, uint16_t id, const bst_substrate_http_header **headers);
    /* http_response_read_body(id, buffer, deadline) -> Result<u32, HttpError>: up to cap bytes
     * (at most BST_SUBSTRATE_HTTP_READ_MAX) into buf and their count in *n for OK; *n == 0
     * means the body is complete (the id is then invalid). */
    bst_substrate_http_error (*response_read_body)(void *ctx, uint16_t id, uint8_t *buf, size_t cap,
                                                   const uint64_t *deadline, size_t *n);
} bst_substrate_http;

typedef struct bst_substrate_options {
    bst_config config;                /* store limits (bst_config_default) */
    bst_module_config module_config;  /* compile options (defaults, with canonicalize_nans) */
    uint64_t fuel;                    /* fuel budget of each call (and of the instantiation
                                        bst_substrate_runtime_new makes); 0 = unlimited */
    uint32_t max_log_level;           /* runtime log messages up to this level go to stderr:
                                        0 off, 1 error, 2 warn, 3 info, 4 debug, 5 trace;
                                        default 1 */
    uint32_t heap_pages;              /* pages the memory may grow by beyond its initial size
                                        (the allocator's room; Substrate's "heap pages");
                                        default BST_SUBSTRATE_DEFAULT_HEAP_PAGES */
    bool heap_dynamic;                /* Substrate's HeapAllocStrategy::Dynamic: the memory
                                        starts at its declared size and the allocator grows it
                                        as it needs, up to the store's max_memory_pages
                                        (heap_pages is then unused); default false: Static,
                                        a fixed initial size + heap_pages */
    bool allow_missing;               /* link imports this host does not provide to stubs that
                                        trap when called (Substrate's allow_missing_func_imports);
                                        default false: such an import fails instantiation */
    bool offchain;                    /* an offchain-worker call: enables the ext_offchain_*
                                        worker functions (local storage, clock, randomness,
                                        HTTP, ...); default false: they trap, as outside an
                                        offchain worker in Substrate (offchain indexing works
                                        in every call) */
    const bst_state_backend *storage; /* the storage the runtime starts from (e.g. a genesis);
                                        NULL = empty.  Its ctx must outlive the runtime. */
    bst_sampler sampler;              /* profiling (bastion.h): set on the store of every call
                                        (and of the instantiation); fn NULL: none */
    const bst_substrate_http *http;   /* the offchain HTTP provider (see above) the
                                        ext_offchain_http_* functions of an offchain call use;
                                        NULL = none: request_start answers Err(()) and every
                                        id is invalid.  It must outlive the runtime. */
} bst_substrate_options;

/* Substrate's default: 2048 pages (128 MiB) of heap beyond the runtime's initial memory. */
#define BST_SUBSTRATE_DEFAULT_HEAP_PAGES 2048u

void bst_substrate_options_default(bst_substrate_options *o);

typedef struct bst_substrate_runtime bst_substrate_runtime;

/* Compiles and instantiates runtime code (plain wasm; see bst_substrate_code_decode).  opts may
 * be NULL for the defaults.  On failure returns NULL and fills *err (the engine's statuses;
 * BST_ERR_UNLINKABLE for an import that cannot be provided, e.g. an imported global, or an
 * allocator import of the wrong type). */
bst_substrate_runtime *bst_substrate_runtime_new(const uint8_t *code, size_t len,
                                                 const bst_substrate_options *opts, bst_error *err);
void bst_substrate_runtime_free(bst_substrate_runtime *rt);

/* A wall-clock limit for the calls that follow: an absolute CLOCK_MONOTONIC time in nanoseconds
 * (bst_monotonic_ns() + budget); 0 (the default) removes it.  A call still running at the
 * deadline traps with BST_TRAP_INTERRUPTED, wherever it is: in the runtime's code, in code it
 * runs through ext_sandbox_*, or in an offchain HTTP function, whose provider is handed the
 * earlier of the runtime's deadline and this one (and must not block past it).  The deadline
 * stays until changed: calls made after it trap at once. */
void bst_substrate_runtime_set_deadline(bst_substrate_runtime *rt, uint64_t monotonic_ns);

/* Number of imported functions this host does not provide (linked to trapping stubs under
 * allow_missing). */
uint32_t bst_substrate_runtime_stub_count(const bst_substrate_runtime *rt);

/* The runtime's storage: an overlay over opts->storage holding every change committed by
 * calls so far (each call is one transaction: a call that fails leaves it untouched). */
bst_state *bst_substrate_runtime_state(bst_substrate_runtime *rt);

/* Calls the runtime API function `name` with input[0..input_len) in a fresh instance (memory,
 * globals and heap as the module defines them: nothing one call leaves in memory is seen by the
 * next, as in Substrate), inside one storage transaction (committed on success, rolled back on
 * any failure).  On success *out is a malloc'd
 * copy of the returned bytes (never NULL; free with free()) and *out_len their count.  Errors:
 * BST_ERR_NOT_FOUND (no such export), BST_ERR_INVALID (not (i32, i32) -> i64), BST_ERR_TRAP (a
 * trap, including an unsupported host function or an allocator failure; err->message says
 * which; a returned range outside the memory is BST_TRAP_MEMORY_OOB), BST_ERR_NOMEM. */
bst_status bst_substrate_call(bst_substrate_runtime *rt, const char *name, const uint8_t *input,
                              size_t input_len, uint8_t **out, size_t *out_len, bst_error *err);

/* The statistics (bastion.h, bst_call_stats) of the runtime's export as the last
 * bst_substrate_call ran it; false when that call never reached the export (no such function,
 * failed instantiation) or before the first call.  Names and arrays stay valid until the next
 * call or bst_substrate_runtime_free; do not pass *out to bst_call_stats_free.  Times are measured
 * with opts->config.time_calls, instructions counted with opts->module_config.count_instructions. */
bool bst_substrate_call_stats(const bst_substrate_runtime *rt, bst_call_stats *out);

/* bst_substrate_call that runs and discards: the call's storage transaction (and its offchain
 * indexing) is rolled back even when it succeeds, so the state is as it was (read-only runtime
 * APIs: TaggedTransactionQueue_validate_transaction, TransactionPaymentApi_query_info, ...,
 * which a node runs on a throwaway overlay).  The output and errors are bst_substrate_call's.
 * Offchain local storage written by an offchain call (opts.offchain) is not state and is kept,
 * as a node's offchain database keeps it. */
bst_status bst_substrate_call_dry_run(bst_substrate_runtime *rt, const char *name,
                                      const uint8_t *input, size_t input_len, uint8_t **out,
                                      size_t *out_len, bst_error *err);

/* ---- RuntimeVersion ----------------------------------------------------------------------- */

typedef struct bst_substrate_api {
    uint8_t id[8]; /* blake2b-64 of the API trait name */
    uint32_t version;
} bst_substrate_api;

/* A decoded RuntimeVersion.  Strings and the API list are views into the decoded bytes (not
 * NUL-terminated), valid as long as those bytes. */
typedef struct bst_substrate_version {
    const char *spec_name;
    size_t spec_name_len;
    const char *impl_name;
    size_t impl_name_len;
    uint32_t authoring_version;
    uint32_t spec_version;
    uint32_t impl_version;
    size_t napis;
    const uint8_t *apis_raw;      /* napis entries of 12 bytes: id[8], version (u32 LE) */
    bool has_transaction_version; /* absent in old runtimes */
    uint32_t transaction_version;
    bool has_state_version;
    uint8_t state_version;
} bst_substrate_version;

/* Decodes p[0..len): spec_name, impl_name (String), authoring_version, spec_version,
 * impl_version (u32), apis (Vec<([u8; 8], u32)>), then transaction_version (u32) and
 * state_version (u8) when bytes remain.  Strict: truncation or bytes left over is an error. */
bst_scale_err bst_substrate_version_decode(const uint8_t *p, size_t len, bst_substrate_version *v);
/* The i-th API entry (i < v->napis). */
void bst_substrate_version_api(const bst_substrate_version *v, size_t i, bst_substrate_api *out);

/* What Core_version would return, read from the runtime's custom sections without
 * instantiating it (sc-executor read_embedded_version): "runtime_version" (the RuntimeVersion
 * sp-version's #[runtime_version] embeds, apis empty) with the APIs of "runtime_apis", and the
 * optional trailing fields the Core API's version implies.  code is the decompressed module.
 * True with *out malloc'd (free it) when there is a well-formed "runtime_version" section; false
 * when there is none or it does not decode (then call Core_version, as Substrate falls back to
 * doing). */
bool bst_substrate_embedded_version(const uint8_t *code, size_t len, uint8_t **out,
                                    size_t *out_len);

/* ---- metadata ------------------------------------------------------------------------------ */

typedef struct bst_substrate_pallet {
    const char *name; /* a view into the decoded bytes, not NUL-terminated */
    size_t name_len;
    uint8_t index; /* valid when has_index (metadata V12 and later) */
    bool has_index;
} bst_substrate_pallet;

typedef struct bst_substrate_metadata {
    uint32_t version; /* 9 .. 15 */
    size_t npallets;
    bst_substrate_pallet *pallets; /* malloc'd; free with bst_substrate_metadata_free */
} bst_substrate_metadata;

/* Decodes what Metadata_metadata returns (OpaqueMetadata: a Vec<u8> holding the "meta" magic,
 * the version byte and the metadata; the bytes inside the Vec<u8>, starting with the magic, are
 * accepted too): the version and the pallets.  Returns NULL on success,
 * else a constant message (m->version is set when the header was read). */
const char *bst_substrate_metadata_decode(const uint8_t *p, size_t len, bst_substrate_metadata *m);
void bst_substrate_metadata_free(bst_substrate_metadata *m);

/* The name of a TransactionValidityError variant (sp-runtime): kind 0 InvalidTransaction (index
 * 0 "Call" .. 10 "BadSigner"), kind 1 UnknownTransaction (0 "CannotLookup" .. 2 "Custom"); "?"
 * for any other kind or index.  A constant string. */
const char *bst_substrate_validity_error_name(unsigned kind, unsigned index);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_SUBSTRATE_H */
