/*
 * module_cache.c — compiled modules kept across execs in the handle (bst_contracts.cache): code
 * under a hash never changes and a bst_module is immutable, so a module compiled once serves
 * every later frame running that code.  Reference-counted: a module evicted while a frame
 * still runs it is freed when that frame ends.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

void ctr_module_release(bst_contracts *c, ctr_module *mod) {
    if (!mod || --mod->refs) return;
    bst_pool_free(mod->pool); /* before its module; no frame runs it any more */
    bst_module_free(mod->m);
    free(mod->code);
    free(mod);
    c->stats.modules_live--;
}

void bst_contracts_get_stats(const bst_contracts *c, bst_contracts_stats *out) { *out = c->stats; }

/* The compiled module of the code under hash, with a reference for the caller (give it back
 * with ctr_module_release).  NULL with *rc_out: the LMDB error, -1 out of memory. */
ctr_module *ctr_module_load(ctr_exec *x, MDB_txn *t, const uint8_t hash[32], int *rc_out) {
    *rc_out = 0;
    bst_contracts *c = x->c;
    for (unsigned i = 0; i < CTR_MODULE_CACHE; i++) {
        if (c->cache[i] && memcmp(c->cache[i]->hash, hash, 32) == 0) {
            c->cache[i]->refs++;
            return c->cache[i];
        }
    }
    MDB_val v;
    int rc = ctr_code_get(c, t, hash, &v);
    if (rc) {
        *rc_out = rc;
        return NULL;
    }
    ctr_module *mod = calloc(1, sizeof *mod);
    uint8_t *code = malloc(v.mv_size ? v.mv_size : 1);
    if (!mod || !code) {
        free(mod);
        free(code);
        *rc_out = -1;
        return NULL;
    }
    memcpy(code, v.mv_data, v.mv_size);
    bst_error err;
    bst_module *m = ctr_compile(x->cfg, code, v.mv_size, &err);
    if (!m) {
        free(code);
        free(mod);
        *rc_out = MDB_CORRUPTED; /* stored code was validated at upload: the state is damaged */
        return NULL;
    }
    memcpy(mod->hash, hash, 32);
    mod->code = code;
    mod->len = v.mv_size;
    mod->m = m;
    mod->refs = 2; /* the cache slot and the caller */
    if (++c->stats.modules_live > c->stats.modules_peak)
        c->stats.modules_peak = c->stats.modules_live;
    /* Evict round-robin: the slot's module goes now unless a frame still runs it. */
    ctr_module **slot = &c->cache[c->cache_next];
    c->cache_next = (c->cache_next + 1) % CTR_MODULE_CACHE;
    ctr_module_release(c, *slot);
    *slot = mod;
    return mod;
}
