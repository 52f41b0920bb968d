/*
 * pool.c — instance pools (bastion_pool.h): the instances of one module, each in a store of its
 * own, created ahead and reused.  A lease is the pooled instance itself (no allocation per
 * acquire); the idle ones form a list under the pool's mutex.  Releasing resets the instance
 * (bst_instance_reset, and before it the memories, tables and globals the embedder's link
 * created in the store) so that the next call cannot see anything of the last one; an instance
 * whose reset fails is destroyed, never reused.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clockid_t, pthread */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool/pool_impl.h"
#include "probes/probes.h"

struct bst_lease {
    bst_pool *pool;
    bst_lease *next; /* idle list */
    bst_store *store;
    bst_instance *inst;
    void *ctx;
    bst_extern *imports; /* what link made, reset with the instance */
    size_t nimports;
    bst_ticket *ticket; /* while leased, with a tenant */
    bool reused;
};

struct bst_pool {
    bst_tenant *tenant;
    const bst_module *m;
    bst_pool_config cfg;
    pthread_mutex_t mu;
    bst_lease *idle; /* guarded by mu, as the counters below */
    bst_pool_stats stats;
};

void bst_pool_config_default(bst_pool_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->prewarm = 1;
    cfg->max_idle = BST_POOL_IDLE_DEFAULT;
    bst_config_default(&cfg->store);
}

static void fail(bst_error *err, bst_status st, const char *msg) {
    err->status = st;
    err->trap = BST_TRAP_NONE;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* ---- pooled instances ---------------------------------------------------------------------- */

static void entry_destroy(bst_pool *p, bst_lease *e) {
    if (!e) return;
    if (e->ctx && p->cfg.unlink) p->cfg.unlink(p->cfg.link_arg, e->ctx);
    bst_store_free(e->store);
    free(e->imports);
    free(e);
}

/* A new instance in a store of its own; NULL with *err. */
static bst_lease *entry_create(bst_pool *p, bst_error *err) {
    bst_lease *e = calloc(1, sizeof *e);
    if (!e) {
        fail(err, BST_ERR_NOMEM, "out of memory");
        return NULL;
    }
    e->pool = p;
    e->nimports = bst_module_import_count(p->m);
    e->imports = calloc(e->nimports ? e->nimports : 1, sizeof *e->imports);
    e->store = bst_store_new(&p->cfg.store);
    if (!e->imports || !e->store) {
        fail(err, BST_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (e->nimports) {
        if (!p->cfg.link) {
            fail(err, BST_ERR_UNLINKABLE, "the module has imports and the pool no link function");
            goto fail;
        }
        err->status = BST_OK;
        if (!p->cfg.link(p->cfg.link_arg, e->store, p->m, e->imports, e->nimports, &e->ctx, err)) {
            if (err->status == BST_OK) fail(err, BST_ERR_UNLINKABLE, "link refused the module");
            goto fail;
        }
    } else if (p->cfg.link) {
        if (!p->cfg.link(p->cfg.link_arg, e->store, p->m, e->imports, 0, &e->ctx, err)) goto fail;
    }
    e->inst = bst_instance_new(e->store, p->m, e->imports, e->nimports, e->ctx, err);
    if (!e->inst) goto fail;
    pthread_mutex_lock(&p->mu);
    p->stats.created++;
    pthread_mutex_unlock(&p->mu);
    return e;
fail:
    entry_destroy(p, e);
    return NULL;
}

/* Back to the state after instantiation: what link made, then the instance. */
static bool entry_reset(bst_lease *e) {
    bst_store_clear_interrupt(e->store);
    bst_store_set_deadline(e->store, 0);
    bst_store_set_fuel(e->store, UINT64_MAX); /* a start function runs again on it */
    for (size_t i = 0; i < e->nimports; i++) {
        const bst_extern *x = &e->imports[i];
        if (x->kind == BST_EXTERN_MEMORY && !bst_memory_reset(x->of.memory)) return false;
        if (x->kind == BST_EXTERN_TABLE && !bst_table_reset(x->of.table)) return false;
        if (x->kind == BST_EXTERN_GLOBAL) bst_global_reset(x->of.global);
    }
    bst_error err;
    return bst_instance_reset(e->inst, &err) == BST_OK;
}

/* ---- pools --------------------------------------------------------------------------------- */

bst_pool *bst_pool_new(bst_tenant *t, const bst_module *m, const bst_pool_config *cfg,
                       bst_rejection *rej, bst_error *err) {
    if (rej) {
        memset(rej, 0, sizeof *rej);
        rej->quota = BST_QUOTA_NONE;
    }
    if (!m) {
        fail(err, BST_ERR_ARG, "no module");
        return NULL;
    }
    if (t && !bst_tenant_check_module(t, m, rej)) {
        fail(err, BST_ERR_LIMIT, rej ? rej->message : "memory minimum above memory_pages");
        return NULL;
    }
    bst_pool *p = calloc(1, sizeof *p);
    if (!p || pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        fail(err, BST_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->tenant = t;
    p->m = m;
    if (cfg)
        p->cfg = *cfg;
    else
        bst_pool_config_default(&p->cfg);
    if (p->cfg.max_idle == BST_POOL_IDLE_DEFAULT)
        p->cfg.max_idle = t ? bst_tenant_get_limits(t)->max_instances : 8;
    if (t && bst_tenant_get_limits(t)->memory_pages < p->cfg.store.max_memory_pages)
        p->cfg.store.max_memory_pages = bst_tenant_get_limits(t)->memory_pages;
    for (uint32_t i = 0; i < p->cfg.prewarm; i++) {
        bst_lease *e = entry_create(p, err);
        if (!e) {
            bst_pool_free(p);
            return NULL;
        }
        e->next = p->idle;
        p->idle = e;
        p->stats.idle++;
    }
    return p;
}

void bst_pool_free(bst_pool *p) {
    if (!p) return;
    while (p->idle) {
        bst_lease *e = p->idle;
        p->idle = e->next;
        entry_destroy(p, e);
    }
    pthread_mutex_destroy(&p->mu);
    free(p);
}

const bst_module *bst_pool_module(const bst_pool *p) { return p->m; }
bst_tenant *bst_pool_tenant(const bst_pool *p) { return p->tenant; }

void bst_pool_get_stats(bst_pool *p, bst_pool_stats *out) {
    pthread_mutex_lock(&p->mu);
    *out = p->stats;
    pthread_mutex_unlock(&p->mu);
}

/* ---- leases -------------------------------------------------------------------------------- */

bst_lease *bst_pool_acquire(bst_pool *p, bst_rejection *rej, bst_error *err) {
    memset(rej, 0, sizeof *rej);
    err->status = BST_OK;
    err->message[0] = '\0';
    bst_ticket *k = NULL;
    if (p->tenant && !(k = bst_tenant_enter(p->tenant, rej))) {
        fail(err, BST_ERR_LIMIT, rej->message);
        return NULL;
    }
    pthread_mutex_lock(&p->mu);
    bst_lease *e = p->idle;
    if (e) {
        p->idle = e->next;
        p->stats.idle--;
        p->stats.hits++;
    } else {
        p->stats.misses++;
    }
    p->stats.in_use++;
    pthread_mutex_unlock(&p->mu);
    if (p->tenant) pool_tenant_count_acquire(p->tenant, e != NULL);
    bool reused = e != NULL;
    if (!e) e = entry_create(p, err);
    if (e && k && !bst_ticket_attach(k, e->store)) {
        fail(err, BST_ERR_NOMEM, "out of memory");
        entry_destroy(p, e);
        e = NULL;
    }
    if (!e) {
        pthread_mutex_lock(&p->mu);
        p->stats.in_use--;
        pthread_mutex_unlock(&p->mu);
        if (k) bst_tenant_leave(k, BST_OUTCOME_ERROR);
        return NULL;
    }
    e->next = NULL;
    e->ticket = k;
    e->reused = reused;
    bst_store_clear_interrupt(e->store);
    if (p->cfg.fuel) bst_store_set_fuel(e->store, p->cfg.fuel);
    bst_store_set_deadline(e->store, k ? bst_ticket_deadline(k) : 0);
    BASTION_PROBE(pool__acquire, p->tenant ? bst_tenant_name(p->tenant) : "", "");
    return e;
}

void bst_lease_release(bst_lease *e, bst_outcome outcome) {
    bst_pool *p = e->pool;
    bst_ticket *k = e->ticket;
    e->ticket = NULL;
    /* Detached first: once back in the pool, no interrupt meant for this call may reach it. */
    if (k) bst_ticket_detach(k, e->store);
    bool ok = entry_reset(e);
    pthread_mutex_lock(&p->mu);
    p->stats.in_use--;
    if (ok)
        p->stats.resets++;
    else
        p->stats.reset_failures++;
    bool keep = ok && p->stats.idle < p->cfg.max_idle;
    if (keep) {
        e->next = p->idle;
        p->idle = e;
        p->stats.idle++;
    }
    pthread_mutex_unlock(&p->mu);
    if (!keep) entry_destroy(p, e);
    if (k) bst_tenant_leave(k, outcome);
}

bst_instance *bst_lease_instance(const bst_lease *l) { return l->inst; }
bst_store *bst_lease_store(const bst_lease *l) { return l->store; }
void *bst_lease_context(const bst_lease *l) { return l->ctx; }
bst_ticket *bst_lease_ticket(const bst_lease *l) { return l->ticket; }
bool bst_lease_reused(const bst_lease *l) { return l->reused; }

bst_outcome bst_lease_outcome(const bst_lease *l, bst_status st, const bst_error *err) {
    return bst_ticket_outcome(l->ticket, st, err);
}
