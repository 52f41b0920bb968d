/*
 * bastion_serve.h — the multi-tenant HTTP service behind `bastion serve` (docs/service.md):
 * tenants from a JSON config file, each with its own LMDB state, instance pools and quotas
 * (bastion_pool.h), serving contract uploads, instantiations, calls and queries
 * (bastion_contracts.h) and plain export calls of uploaded modules over HTTP/1.1 + JSON.
 *
 * Lifecycle: bst_serve_start() loads the config, opens every tenant's state and starts
 * listening; requests are served by the server's own threads (one per connection) until
 * bst_serve_stop(), which stops accepting, answers 503 to requests that arrive meanwhile, waits
 * for the running calls to finish and closes everything.  Nothing here keeps global state.
 */
#ifndef BASTION_SERVE_H
#define BASTION_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bastion.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef struct bst_serve bst_serve;

typedef struct bst_serve_config {
    const char *host;          /* numeric IPv4 address to listen on; default "127.0.0.1" */
    uint16_t port;             /* 0: a free port (bst_serve_port tells which) */
    const char *tenants_path;  /* the tenants config file (JSON, docs/service.md); required */
    const char *state_dir;     /* one LMDB environment per tenant under DIR/<tenant>;
                                    created (mode 0700) if absent; required */
    uint32_t max_connections;  /* connections served at once, each by its own thread
                                    (the same bound per client address); default 256 */
    uint32_t idle_timeout_s;   /* a connection silent this long is closed; default 15 */
    uint32_t max_json_bytes;   /* request body limit of the JSON endpoints; default 256 KiB
                                    (code uploads are bounded by the tenant's max_code_bytes) */
    uint32_t max_header_bytes; /* memory for one request's headers (per connection);
                                    default 32 KiB */
    bool fresh_instances;      /* no pooling: every call (contract frame or /v1/invoke)
                                  instantiates anew, for comparison; default false */
} bst_serve_config;

/* Fills *cfg with the defaults above (tenants_path = state_dir = NULL, port 0). */
void bst_serve_config_default(bst_serve_config *cfg);

/* Loads the config, opens the tenants' states and starts listening.  NULL with *err filled
 * (BST_ERR_ARG: a bad config file, its message naming the field; BST_ERR_INVALID: a state that
 * cannot be opened or the address that cannot be bound; BST_ERR_NOMEM). */
bst_serve *bst_serve_start(const bst_serve_config *cfg, bst_error *err);

/* The port the server listens on. */
uint16_t bst_serve_port(const bst_serve *s);

/* Stops accepting connections, answers 503 to new requests on open connections, waits for the
 * running requests to finish, then stops the server and frees everything.  s may be NULL. */
void bst_serve_stop(bst_serve *s);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_SERVE_H */
