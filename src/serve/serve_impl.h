/*
 * serve_impl.h — internals shared by the files of src/serve/: the server (struct bst_serve),
 * its tenants (srv_tenant: config, quota accounting, LMDB state, plain-module pools), a reply
 * under construction (srv_reply) and the functions each file offers: config.c (the tenants
 * file), tenant.c (opening a tenant's state, plain modules), api.c (the /v1 endpoints),
 * metrics.c (/metrics), server.c (HTTP, routing, auth, limits, drain).  Not part of the API.
 */
#ifndef BASTION_SERVE_IMPL_H
#define BASTION_SERVE_IMPL_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bastion.h"
#include "bastion_contracts.h"
#include "bastion_crypto.h"
#include "bastion_pool.h"
#include "bastion_serve.h"
#include "bastion_sign.h"

/* Hidden: shared between the layer's files, never exported (bst_ is the public prefix). */
#define SRV_FUNC __attribute__((visibility("hidden")))

#define SRV_NAME_MAX 63 /* tenant names: [A-Za-z0-9_-], 1..63 bytes (directory and label) */

/* A plain module uploaded for /v1/invoke (no imports), with the tenant's pool of its
 * instances.  Created on first use and kept until the server stops. */
typedef struct srv_module {
    uint8_t hash[32];
    uint8_t *code; /* the module may refer to its bytes: kept alongside */
    bst_module *m;
    bst_pool *pool;
    struct srv_module *next;
} srv_module;

typedef struct srv_tenant {
    char name[SRV_NAME_MAX + 1];
    uint8_t token_hash[32]; /* BLAKE2b-256 of the token: compared in constant time */
    bst_tenant_limits limits;
    bst_tenant *tenant;       /* quotas, tickets, counters (bastion_pool.h) */
    char *dir;                /* STATE/<name> */
    bst_contracts *contracts; /* STATE/<name>/contracts; one thread at a time: state_lock */
    pthread_mutex_t state_lock;
    pthread_mutex_t modules_lock; /* the list below and the module files */
    srv_module *modules;
    /* The contracts handle's instance counters, copied after each exec (under state_lock) so
     * that /metrics reads them without waiting for a running call. */
    _Atomic uint64_t contract_instances_made, contract_instances_reused;
    /* The dev accounts' public keys (bst_dev_account_name order), derived once when the tenant
     * opens: deriving one costs a PBKDF2 of 2048 rounds (~2 ms), far more than a query. */
    uint8_t dev_pub[BST_DEV_ACCOUNT_COUNT][32];
    /* The trust policy of uploads ("trusted_keys", "signatures_required"), parsed once from the
     * config: nkeys == 0 accepts unsigned code. */
    bst_sign_pubkey *keys; /* malloc'd, nkeys entries */
    size_t nkeys, signatures_required;
    bool fresh;  /* bst_serve_config.fresh_instances */
    bool opened; /* srv_tenant_open succeeded: the locks exist */
} srv_tenant;

struct bst_serve {
    bst_serve_config cfg; /* host/paths point into the copies below */
    char *host, *tenants_path, *state_dir;
    srv_tenant *tenants;
    size_t ntenants;
    bool metrics_token_set;
    uint8_t metrics_token_hash[32];
    struct MHD_Daemon *daemon;
    uint16_t port;
    atomic_bool draining;     /* set by bst_serve_stop: new requests get 503 */
    pthread_mutex_t run_lock; /* guards running; idle is signalled when it drops to 0 */
    pthread_cond_t idle;
    unsigned running; /* requests executing a handler now */
};

/* A reply: HTTP status and a JSON body (owned), or a text body (metrics). */
typedef struct srv_reply {
    unsigned status;
    json_t *json;
    char *text;             /* malloc'd; sent as text/plain when json is NULL */
    uint32_t retry_after_s; /* > 0: a Retry-After header */
} srv_reply;

/* ---- config.c ---- */
/* Reads the tenants file into s->tenants (name, token hash, limits; nothing opened yet).
 * false with *err (BST_ERR_ARG and a message naming the field) on any error. */
SRV_FUNC bool srv_config_load(bst_serve *s, const char *path, bst_error *err);

/* ---- tenant.c ---- */
/* Opens tenant t's state under state_dir (creating it) and its quota accounting; endows the
 * dev accounts that have nothing.  false with *err. */
SRV_FUNC bool srv_tenant_open(srv_tenant *t, const char *state_dir, bst_error *err);
SRV_FUNC void srv_tenant_close(srv_tenant *t);
/* Stores a plain module (no imports) of the tenant under its hash: written to a temporary file,
 * synced and renamed, so a crash leaves the old file or the new one. */
SRV_FUNC bool srv_module_store(srv_tenant *t, const uint8_t hash[32], const uint8_t *code,
                               size_t len, bst_error *err);
/* The tenant's plain module under hash, loaded (with its pool) on first use; NULL when the
 * tenant has no such module (*err BST_ERR_NOT_FOUND) or it cannot be loaded. */
SRV_FUNC srv_module *srv_module_get(srv_tenant *t, const uint8_t hash[32], bst_rejection *rej,
                                    bst_error *err);

/* ---- api.c: the endpoints (the tenant is authenticated; body is the request body) ---- */
SRV_FUNC void srv_put_code(srv_tenant *t, const uint8_t *body, size_t len, srv_reply *r);
SRV_FUNC void srv_instantiate(srv_tenant *t, const uint8_t *body, size_t len, srv_reply *r);
SRV_FUNC void srv_call(srv_tenant *t, const char *address, bool query, const uint8_t *body,
                       size_t len, srv_reply *r);
SRV_FUNC void srv_invoke(srv_tenant *t, const uint8_t *body, size_t len, srv_reply *r);

/* ---- metrics.c ---- */
SRV_FUNC void srv_metrics(bst_serve *s, srv_reply *r);

/* ---- replies (server.c) ---- */
/* {"error": code, "message": text} with status. */
SRV_FUNC void srv_reply_error(srv_reply *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 429 {"error":"quota_exceeded","quota":...,"message":...} with Retry-After. */
SRV_FUNC void srv_reply_quota(srv_reply *r, const bst_rejection *rej);
/* "0x" + hex of p[0..n) as a JSON string (NULL when out of memory). */
SRV_FUNC json_t *srv_json_hex(const uint8_t *p, size_t n);
/* Hex (optional 0x prefix) into a malloc'd buffer (never NULL on success; free it). */
SRV_FUNC bool srv_hex_decode(const char *s, uint8_t **out, size_t *out_len);
/* Exactly n bytes of hex (optional 0x prefix). */
SRV_FUNC bool srv_hex_exact(const char *s, uint8_t *out, size_t n);

#endif
