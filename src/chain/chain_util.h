/*
 * chain_util.h — the chain layer's private interfaces: the header and block codec (block.c)
 * and the runtime at a stored state (runtime_at.c).
 */
#ifndef BASTION_CHAIN_UTIL_H
#define BASTION_CHAIN_UTIL_H

#include "bastion_chain.h"
#include "bastion_state.h"
#include "bastion_substrate.h"
#include "bastion_triedb.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* States and aux records live in a bst_triedb (bastion_triedb.h): a block's state and its
 * records are written in one of its transactions.  chn_apply is bst_triedb_apply with the
 * transaction's error message in err. */
bool chn_apply(bst_triedb_txn *t, const uint8_t parent_root[32], const bst_state *st,
               unsigned state_version, uint8_t new_root[32], char *err, size_t errlen);

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
    bst_triedb_view *view;
    bst_state_backend backend;
    bst_substrate_runtime *rt;
    unsigned state_version;
} chn_runtime;

/* The runtime `:code` of root's state holds (with its `:heappages`), over that state. */
bool chn_runtime_open(bst_triedb *db, const uint8_t root[32], chn_runtime *r, char *err,
                      size_t errlen);
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
