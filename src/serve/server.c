/*
 * server.c — the HTTP side of `bastion serve` on libmicrohttpd: starting and stopping the
 * daemon, the bounds on connections, idle time, header memory and bodies, routing, bearer-token
 * authentication (constant time over BLAKE2b-256 digests) and the drain on shutdown.
 *
 * Threads: one per connection (MHD_USE_THREAD_PER_CONNECTION), so a call that runs long (up to
 * its tenant's call_timeout_ms) holds only its own connection: another tenant's requests never
 * queue behind it.  A request is handled in two steps: the first callback (headers known)
 * routes, authenticates and checks the announced size, answering at once when it must (404,
 * 401, 413, 503: the body is then never read); the last one (body complete) runs the endpoint.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bastion_crypto.h"
#include "serve_impl.h"

typedef enum route {
    ROUTE_HEALTHZ,
    ROUTE_METRICS,
    ROUTE_CODE,
    ROUTE_CONTRACTS,
    ROUTE_CALL,
    ROUTE_QUERY,
    ROUTE_INVOKE,
} route;

/* One request in progress (MHD's per-request pointer). */
typedef struct srv_req {
    route route;
    srv_tenant *tenant;
    char address[80]; /* ROUTE_CALL / ROUTE_QUERY: the {address} of the path */
    uint8_t *body;
    size_t len, cap, limit;
    bool answered; /* a reply was queued by the first callback */
    bool running;  /* counted in bst_serve.running until MHD reports the request completed */
} srv_req;

void bst_serve_config_default(bst_serve_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->host = "127.0.0.1";
    cfg->max_connections = 256;
    cfg->idle_timeout_s = 15;
    cfg->max_json_bytes = 256u << 10;
    cfg->max_header_bytes = 32u << 10;
}

/* ---- routing ------------------------------------------------------------------------------- */

/* The route of url and the method it takes; false for an unknown path. */
static bool match(const char *url, route *out, const char **method, char *address, size_t cap) {
    /* clang-format off */
    if (strcmp(url, "/healthz") == 0)      { *out = ROUTE_HEALTHZ;   *method = "GET";  return true; }
    if (strcmp(url, "/metrics") == 0)      { *out = ROUTE_METRICS;   *method = "GET";  return true; }
    if (strcmp(url, "/v1/code") == 0)      { *out = ROUTE_CODE;      *method = "PUT";  return true; }
    if (strcmp(url, "/v1/contracts") == 0) { *out = ROUTE_CONTRACTS; *method = "POST"; return true; }
    if (strcmp(url, "/v1/invoke") == 0)    { *out = ROUTE_INVOKE;    *method = "POST"; return true; }
    /* clang-format on */
    static const char prefix[] = "/v1/contracts/";
    if (strncmp(url, prefix, sizeof prefix - 1) != 0) return false;
    const char *a = url + sizeof prefix - 1, *slash = strchr(a, '/');
    if (!slash || slash == a || (size_t)(slash - a) >= cap) return false;
    if (strcmp(slash, "/call") == 0)
        *out = ROUTE_CALL;
    else if (strcmp(slash, "/query") == 0)
        *out = ROUTE_QUERY;
    else
        return false;
    memcpy(address, a, (size_t)(slash - a));
    address[slash - a] = '\0';
    *method = "POST";
    return true;
}

/* ---- authentication ------------------------------------------------------------------------ */

/* The bearer token's digest; false when the header is missing or not "Bearer TOKEN". */
static bool bearer_digest(struct MHD_Connection *c, uint8_t out[32]) {
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) return false;
    h += 7;
    while (*h == ' ') h++;
    size_t n = strlen(h);
    while (n && h[n - 1] == ' ') n--;
    if (n == 0) return false;
    bst_blake2_256(h, n, out);
    return true;
}

/* Constant time in the digest's bytes: every byte of both is looked at. */
static bool digest_equal(const uint8_t a[32], const uint8_t b[32]) {
    volatile uint8_t diff = 0;
    for (int i = 0; i < 32; i++) diff |= (uint8_t)(a[i] ^ b[i]);
    return diff == 0;
}

/* The tenant whose token was presented, or NULL.  Every tenant's digest is compared, so the
 * time taken does not tell which tenant (or how much of a digest) matched. */
static srv_tenant *authenticate(bst_serve *s, struct MHD_Connection *c) {
    uint8_t d[32];
    if (!bearer_digest(c, d)) return NULL;
    srv_tenant *found = NULL;
    for (size_t i = 0; i < s->ntenants; i++) {
        bool eq = digest_equal(d, s->tenants[i].token_hash);
        found = eq ? &s->tenants[i] : found;
    }
    return found;
}

/* ---- answering ----------------------------------------------------------------------------- */

static enum MHD_Result send_reply(struct MHD_Connection *c, srv_reply *r) {
    char *body = NULL;
    const char *type = "application/json";
    if (r->json) {
        body = json_dumps(r->json, JSON_COMPACT);
        json_decref(r->json);
        r->json = NULL;
    } else if (r->text) {
        body = r->text;
        r->text = NULL;
        type = "text/plain; version=0.0.4";
    }
    if (!body) { /* out of memory building the reply */
        r->status = 500;
        body = strdup("{\"error\":\"internal\",\"message\":\"out of memory\"}");
        if (!body) return MHD_NO;
    }
    size_t len = strlen(body);
    if (type[0] == 'a') body[len++] = '\n'; /* JSON: a final newline instead of the NUL */
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (r->retry_after_s) {
        char v[16];
        snprintf(v, sizeof v, "%u", r->retry_after_s);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
    if (r->status == 401) MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (r->status == 503) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The first callback of a request: route, method, token, announced size, drain.  false with *r
 * set when the request is answered now. */
static bool admit(bst_serve *s, struct MHD_Connection *c, const char *url, const char *method,
                  srv_req *q, srv_reply *r) {
    const char *want;
    if (!match(url, &q->route, &want, q->address, sizeof q->address)) {
        srv_reply_error(r, 404, "not_found", "no such endpoint");
        return false;
    }
    if (atomic_load(&s->draining)) {
        srv_reply_error(r, 503, "shutting_down", "the server is shutting down");
        return false;
    }
    if (q->route == ROUTE_METRICS && s->metrics_token_set) {
        uint8_t d[32];
        if (!bearer_digest(c, d) || !digest_equal(d, s->metrics_token_hash)) {
            srv_reply_error(r, 401, "unauthorized", "a valid metrics token is needed");
            return false;
        }
    } else if (q->route != ROUTE_HEALTHZ && q->route != ROUTE_METRICS) {
        q->tenant = authenticate(s, c);
        if (!q->tenant) {
            srv_reply_error(r, 401, "unauthorized", "missing or unknown bearer token");
            return false;
        }
    }
    if (strcmp(method, want) != 0) {
        srv_reply_error(r, 405, "method_not_allowed", "%s takes %s", url, want);
        return false;
    }
    q->limit = q->route == ROUTE_CODE ? q->tenant->limits.max_code_bytes
               : q->route == ROUTE_HEALTHZ || q->route == ROUTE_METRICS ? 0
                                                                        : s->cfg.max_json_bytes;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (*end || n > q->limit) {
            srv_reply_error(r, 413, "too_large", "the body is larger than %zu bytes", q->limit);
            return false;
        }
        q->cap = (size_t)n; /* allocated once the first bytes arrive */
    }
    return true;
}

/* Runs the endpoint once the body is complete. */
static void dispatch(bst_serve *s, srv_req *q, srv_reply *r) {
    srv_tenant *t = q->tenant;
    switch (q->route) {
    case ROUTE_HEALTHZ:
        r->status = 200;
        r->json = json_pack("{s:s}", "status", "ok");
        break;
    case ROUTE_METRICS: srv_metrics(s, r); break;
    case ROUTE_CODE: srv_put_code(t, q->body, q->len, r); break;
    case ROUTE_CONTRACTS: srv_instantiate(t, q->body, q->len, r); break;
    case ROUTE_CALL:
    case ROUTE_QUERY: srv_call(t, q->address, q->route == ROUTE_QUERY, q->body, q->len, r); break;
    case ROUTE_INVOKE: srv_invoke(t, q->body, q->len, r); break;
    }
}

/* Appends a piece of the body; false when it passes the limit (a body without Content-Length
 * that grows too large: the connection is dropped). */
static bool append(srv_req *q, const char *data, size_t n) {
    if (n > q->limit - q->len) return false;
    if (q->len + n > q->cap || !q->body) {
        size_t cap = q->cap > q->len + n ? q->cap : q->len + n;
        if (cap < q->limit / 4 && q->len + n > q->cap) cap = q->len + n > 4096 ? 2 * cap : 4096;
        if (cap > q->limit) cap = q->limit;
        uint8_t *b = realloc(q->body, cap);
        if (!b) return false;
        q->body = b;
        q->cap = cap;
    }
    memcpy(q->body + q->len, data, n);
    q->len += n;
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **req_cls) {
    (void)version;
    bst_serve *s = cls;
    srv_req *q = *req_cls;
    srv_reply r;
    memset(&r, 0, sizeof r);
    if (!q) {
        q = calloc(1, sizeof *q);
        if (!q) return MHD_NO;
        *req_cls = q;
        if (admit(s, c, url, method, q, &r)) return MHD_YES;
        q->answered = true;
        return send_reply(c, &r);
    }
    if (*data_size) {
        if (q->answered) { /* answered already: what the client still sends is dropped */
            *data_size = 0;
            return MHD_YES;
        }
        if (!append(q, data, *data_size)) return MHD_NO;
        *data_size = 0;
        return MHD_YES;
    }
    if (q->answered) return MHD_YES;
    q->answered = true;
    pthread_mutex_lock(&s->run_lock);
    bool draining = atomic_load(&s->draining);
    if (!draining) s->running++;
    pthread_mutex_unlock(&s->run_lock);
    if (draining) {
        srv_reply_error(&r, 503, "shutting_down", "the server is shutting down");
        return send_reply(c, &r);
    }
    q->running = true;
    dispatch(s, q, &r);
    /* MHD sends the queued reply after this returns; the request stays counted until
     * on_completed, so that a drain never stops the daemon under an unsent answer. */
    return send_reply(c, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode code) {
    bst_serve *s = cls;
    (void)c;
    (void)code;
    srv_req *q = *req_cls;
    if (!q) return;
    if (q->running) {
        pthread_mutex_lock(&s->run_lock);
        if (--s->running == 0) pthread_cond_broadcast(&s->idle);
        pthread_mutex_unlock(&s->run_lock);
    }
    free(q->body);
    free(q);
    *req_cls = NULL;
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

static void serve_free(bst_serve *s) {
    for (size_t i = 0; i < s->ntenants; i++) srv_tenant_close(&s->tenants[i]);
    free(s->tenants);
    pthread_cond_destroy(&s->idle);
    pthread_mutex_destroy(&s->run_lock);
    free(s->host);
    free(s->tenants_path);
    free(s->state_dir);
    free(s);
}

static bst_serve *start_fail(bst_serve *s, bst_error *err, bst_status st, const char *msg) {
    if (st != BST_OK) {
        err->status = st;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    serve_free(s);
    return NULL;
}

static bool start_daemon(bst_serve *s, bst_error *err) {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(s->cfg.port);
    if (inet_pton(AF_INET, s->cfg.host, &sa.sin_addr) != 1) {
        err->status = BST_ERR_ARG;
        snprintf(err->message, sizeof err->message, "bad listen address '%s' (numeric IPv4)",
                 s->cfg.host);
        return false;
    }
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ITC;
    s->daemon =
        MHD_start_daemon(flags, s->cfg.port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &sa,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->cfg.max_connections,
                         MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->cfg.max_connections,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.idle_timeout_s,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)s->cfg.max_header_bytes,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->daemon) {
        err->status = BST_ERR_INVALID;
        snprintf(err->message, sizeof err->message, "cannot listen on %s:%u", s->cfg.host,
                 (unsigned)s->cfg.port);
        return false;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info && info->port ? info->port : s->cfg.port;
    return true;
}

bst_serve *bst_serve_start(const bst_serve_config *cfg, bst_error *err) {
    memset(err, 0, sizeof *err);
    bst_serve *s = calloc(1, sizeof *s);
    if (!s) {
        err->status = BST_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->run_lock, NULL);
    pthread_cond_init(&s->idle, NULL);
    atomic_init(&s->draining, false);
    if (!cfg || !cfg->tenants_path || !cfg->state_dir || !cfg->host || !cfg->max_connections ||
        !cfg->max_header_bytes)
        return start_fail(s, err, BST_ERR_ARG,
                          "the config needs host, tenants_path, state_dir, "
                          "max_connections and max_header_bytes");
    s->cfg = *cfg;
    s->host = strdup(cfg->host);
    s->tenants_path = strdup(cfg->tenants_path);
    s->state_dir = strdup(cfg->state_dir);
    if (!s->host || !s->tenants_path || !s->state_dir)
        return start_fail(s, err, BST_ERR_NOMEM, "out of memory");
    s->cfg.host = s->host;
    s->cfg.tenants_path = s->tenants_path;
    s->cfg.state_dir = s->state_dir;
    if (!bst_crypto_init()) return start_fail(s, err, BST_ERR_INVALID, "crypto init failed");
    if (!srv_config_load(s, s->tenants_path, err)) return start_fail(s, err, BST_OK, NULL);
    if (mkdir(s->state_dir, 0700) != 0 && errno != EEXIST)
        return start_fail(s, err, BST_ERR_INVALID, "cannot create the state directory");
    for (size_t i = 0; i < s->ntenants; i++) s->tenants[i].fresh = s->cfg.fresh_instances;
    for (size_t i = 0; i < s->ntenants; i++)
        if (!srv_tenant_open(&s->tenants[i], s->state_dir, err))
            return start_fail(s, err, BST_OK, NULL);
    if (!start_daemon(s, err)) return start_fail(s, err, BST_OK, NULL);
    return s;
}

uint16_t bst_serve_port(const bst_serve *s) { return s->port; }

void bst_serve_stop(bst_serve *s) {
    if (!s) return;
    pthread_mutex_lock(&s->run_lock);
    atomic_store(&s->draining, true);
    pthread_mutex_unlock(&s->run_lock);
    /* No new connections; the listening socket is ours to close once quiesced. */
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    pthread_mutex_lock(&s->run_lock);
    while (s->running) pthread_cond_wait(&s->idle, &s->run_lock);
    pthread_mutex_unlock(&s->run_lock);
    MHD_stop_daemon(s->daemon);
    serve_free(s);
}
