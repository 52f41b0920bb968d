/*
 * chain_internal.h — what chain.c (records, reads) and author.c (authoring, import) share: the
 * bst_chain handle and the stored-block records.
 */
#ifndef BASTION_CHAIN_INTERNAL_H
#define BASTION_CHAIN_INTERNAL_H

#include "chain_util.h"

struct bst_chain {
    bst_triedb *db;
};

/* A stored block: its record decoded (views into bytes). */
typedef struct chn_stored {
    bst_chain_block_info info;
    uint8_t *bytes;
    size_t len;
    chn_block block;
} chn_stored;

bool chn_load_block(bst_chain *c, const uint8_t hash[32], chn_stored *s, char *err, size_t errlen);
void chn_stored_free(chn_stored *s);
bool chn_head_hash(bst_chain *c, uint8_t out[32], char *err, size_t errlen);
/* Writes a block's record; canonical: also its number -> hash and the head. */
bool chn_put_block(bst_triedb_txn *t, const uint8_t hash[32], unsigned state_version,
                   const uint8_t *block, size_t len, bool canonical);

#endif /* BASTION_CHAIN_INTERNAL_H */
