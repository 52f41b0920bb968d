/*
 * chain_util.h — the chain layer's private interfaces: the state/aux database (store.c), the
 * header and block codec (block.c) and the runtime at a stored state (runtime_at.c).
 */
#ifndef BASTION_CHAIN_UTIL_H
#define BASTION_CHAIN_UTIL_H

#include "bastion_chain.h"
#include "bastion_state.h"
#include "bastion_substrate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- store.c: states by root and auxiliary records, in one LMDB environment ----------------
 * The shape of a trie database (views of committed roots, a write transaction that applies a
 * state's changes over a parent root and stores aux records, committed atomically).  States are
 * kept as flat key/value snapshots per root: simple and O(state) per block, which a dev chain
 * can afford. */
typedef struct chn_db chn_db;
typedef struct chn_view chn_view;
typedef struct chn_txn chn_txn;

chn_db *chn_db_open(const char *dir, char *err, size_t errlen);
void chn_db_close(chn_db *db);
/* A read-only view of the state with that root (the empty trie's root is always there). */
chn_view *chn_view_open(chn_db *db, const uint8_t root[32], char *err, size_t errlen);
bst_state_backend chn_view_backend(chn_view *v);
void chn_view_close(chn_view *v);
chn_txn *chn_begin(chn_db *db, char *err, size_t errlen);
/* Stores parent_root's state with st's changes (st: an overlay over parent_root's view, no open
 * transaction) and its root for state_version in new_root. */
bool chn_apply(chn_txn *t, const uint8_t parent_root[32], bst_state *st, unsigned state_version,
               uint8_t new_root[32], char *err, size_t errlen);
bool chn_aux_put(chn_txn *t, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen);
/* True with *val malloc'd when the record exists; false when absent or on error. */
bool chn_aux_get(chn_db *db, const uint8_t *key, size_t klen, uint8_t **val, size_t *vlen);
bool chn_commit(chn_txn *t, char *err, size_t errlen);
void chn_abort(chn_txn *t);

/* ---- block.c: headers and blocks ----------------------------------------------------------- */

enum {
    CHN_DIGEST_OTHER = 0,
    CHN_DIGEST_CONSENSUS = 4,
    CHN_DIGEST_SEAL = 5,
    CHN_DIGEST_PRERUNTIME = 6,
    CHN_DIGEST_RUNTIME_UPDATED = 8
};
#define CHN_MAX_DIGEST 16

typedef struct chn_digest_item {
    uint8_t kind;
    uint8_t engine[4];
    const uint8_t *data; /* a view; NULL for RuntimeEnvironmentUpdated */
    size_t len;
} chn_digest_item;

typedef struct chn_header {
    uint8_t parent[32];
    uint32_t number;
    uint8_t state_root[32];
    uint8_t extrinsics_root[32];
    size_t ndigest;
    chn_digest_item digest[CHN_MAX_DIGEST];
} chn_header;

/* Decodes a header from d (views into its bytes); false with a message. */
bool chn_header_decode(bst_scale_dec *d, chn_header *h, char *err, size_t errlen);
/* Appends the encoding to b. */
void chn_header_encode(const chn_header *h, bst_scale_buf *b);
/* blake2_256 of the encoding. */
bool chn_header_hash(const chn_header *h, uint8_t out[32]);
/* The Aura slot of a header's PreRuntime digest; false when it has none. */
bool chn_header_aura_slot(const chn_header *h, uint64_t *slot);

/* A block: the header, then the extrinsics as views of their encodings (with their length
 * prefixes: what BlockBuilder_apply_extrinsic takes). */
typedef struct chn_block {
    chn_header header;
    size_t next;
    const uint8_t **ext;
    size_t *ext_len;
} chn_block;
bool chn_block_decode(const uint8_t *p, size_t len, chn_block *b, char *err, size_t errlen);
void chn_block_free(chn_block *b);
/* header ++ compact(n) ++ the extrinsics (already length-prefixed). */
void chn_block_encode(const chn_header *h, const uint8_t *const *ext, const size_t *ext_len,
                      size_t n, bst_scale_buf *b);
/* Splits an encoded Vec<OpaqueExtrinsic> into views of each element's encoding. */
bool chn_extrinsics_split(const uint8_t *p, size_t len, const uint8_t ***ext, size_t **ext_len,
                          size_t *n);

/* ---- runtime_at.c: a runtime over a stored state ------------------------------------------ */

typedef struct chn_runtime {
    chn_view *view;
    bst_state_backend backend;
    bst_substrate_runtime *rt;
    unsigned state_version;
} chn_runtime;

/* The runtime `:code` of root's state holds (with its `:heappages`), over that state. */
bool chn_runtime_open(chn_db *db, const uint8_t root[32], chn_runtime *r, char *err, size_t errlen);
void chn_runtime_close(chn_runtime *r);
/* A call that commits (dry == false) or is discarded; err gets "METHOD: reason". */
bool chn_call(chn_runtime *r, const char *method, const uint8_t *in, size_t in_len, bool dry,
              uint8_t **out, size_t *out_len, char *err, size_t errlen);
/* The state version a runtime blob declares (runtime_version section, else Core_version). */
bool chn_code_state_version(const uint8_t *code, size_t len, bst_substrate_runtime *rt,
                            unsigned *version, char *err, size_t errlen);

/* snprintf into err (a no-op when errlen is 0); returns false for `return chn_fail(...)`. */
bool chn_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* BASTION_CHAIN_UTIL_H */
