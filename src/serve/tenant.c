/*
 * tenant.c — one tenant's resources: its quota accounting (bst_tenant), its contract state (an
 * LMDB environment of its own under STATE/<name>/contracts, with the Substrate dev accounts
 * endowed), and its plain modules for /v1/invoke (files STATE/<name>/modules/<hash>.wasm, each
 * loaded on first use with a pool of its instances).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bastion_crypto.h"
#include "serve_impl.h"

/* The dev accounts every tenant starts with (docs/service.md: "origin"), one string of
 * NUL-separated names (a table of pointers would be relocated data). */

static bool fail(bst_error *err, bst_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(bst_error *err, bst_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    err->status = st;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return false;
}

static bool make_dir(const char *path, bst_error *err) {
    if (mkdir(path, 0700) == 0 || errno == EEXIST) return true;
    return fail(err, BST_ERR_INVALID, "cannot create %s: %s", path, strerror(errno));
}

/* 10^24 as a u128, little-endian: what each dev account is endowed with. */
static void endowment(uint8_t out[16]) {
    memset(out, 0, 16);
    out[0] = 1;
    for (int k = 0; k < 24; k++) {
        unsigned carry = 0;
        for (int i = 0; i < 16; i++) {
            unsigned v = out[i] * 10u + carry;
            out[i] = (uint8_t)v;
            carry = v >> 8;
        }
    }
}

static bool endow_dev_accounts(srv_tenant *t, bst_error *err) {
    uint8_t amount[16];
    endowment(amount);
    const char *name;
    for (size_t i = 0; (name = bst_dev_account_name(i)) != NULL; i++) {
        uint8_t *pub = t->dev_pub[i], secret[64], bal[16];
        if (!bst_dev_account(name, pub, secret))
            return fail(err, BST_ERR_INVALID, "no dev account %s", name);
        bst_secure_wipe(secret, sizeof secret);
        if (!bst_contracts_balance(t->contracts, pub, bal))
            return fail(err, BST_ERR_INVALID, "tenant %s: cannot read the state", t->name);
        static const uint8_t zero[16];
        if (memcmp(bal, zero, 16) != 0) continue;
        if (bst_contracts_set_balance(t->contracts, pub, amount, err) != BST_OK) return false;
    }
    return true;
}

bool srv_tenant_open(srv_tenant *t, const char *state_dir, bst_error *err) {
    size_t n = strlen(state_dir) + strlen(t->name) + 32;
    char *sub = malloc(n);
    t->dir = malloc(n);
    if (!sub || !t->dir) {
        free(sub);
        return fail(err, BST_ERR_NOMEM, "out of memory");
    }
    snprintf(t->dir, n, "%s/%s", state_dir, t->name);
    bool ok = false;
    if (!make_dir(t->dir, err)) goto out;
    snprintf(sub, n, "%s/modules", t->dir);
    if (!make_dir(sub, err)) goto out;
    t->tenant = bst_tenant_new(t->name, &t->limits, err);
    if (!t->tenant) goto out;
    snprintf(sub, n, "%s/contracts", t->dir);
    bst_contracts_config cc;
    bst_contracts_config_default(&cc);
    cc.state_dir = sub;
    cc.max_code_bytes = (uint32_t)t->limits.max_code_bytes;
    /* A contract's imported memory may not declare more than the tenant's cap. */
    cc.max_memory_pages = t->limits.memory_pages;
    if (t->fresh) cc.pooled_instances = 0;
    t->contracts = bst_contracts_open(&cc, err);
    if (!t->contracts) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        fail(err, BST_ERR_INVALID, "tenant %s: %s", t->name, msg);
        goto out;
    }
    if (!endow_dev_accounts(t, err)) goto out;
    pthread_mutex_init(&t->state_lock, NULL);
    pthread_mutex_init(&t->modules_lock, NULL);
    t->opened = true;
    ok = true;
out:
    free(sub);
    return ok;
}

void srv_tenant_close(srv_tenant *t) {
    if (t->opened) {
        for (srv_module *m = t->modules, *next; m; m = next) {
            next = m->next;
            bst_pool_free(m->pool);
            bst_module_free(m->m);
            free(m->code);
            free(m);
        }
        pthread_mutex_destroy(&t->state_lock);
        pthread_mutex_destroy(&t->modules_lock);
    }
    bst_contracts_close(t->contracts);
    bst_tenant_free(t->tenant);
    free(t->dir);
    free(t->keys);
    memset(t, 0, sizeof *t);
}

/* STATE/<tenant>/modules/<hex>.wasm (suffix appended, e.g. ".tmp"). */
static char *module_path(const srv_tenant *t, const uint8_t hash[32], const char *suffix) {
    size_t n = strlen(t->dir) + 16 + 64 + 5 + strlen(suffix) + 1;
    char *p = malloc(n);
    if (!p) return NULL;
    int off = snprintf(p, n, "%s/modules/", t->dir);
    for (int i = 0; i < 32; i++) off += snprintf(p + off, n - (size_t)off, "%02x", hash[i]);
    snprintf(p + off, n - (size_t)off, ".wasm%s", suffix);
    return p;
}

static bool write_all(int fd, const uint8_t *p, size_t len) {
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        len -= (size_t)w;
    }
    return true;
}

bool srv_module_store(srv_tenant *t, const uint8_t hash[32], const uint8_t *code, size_t len,
                      bst_error *err) {
    char *tmp = module_path(t, hash, ".tmp"), *dst = module_path(t, hash, "");
    bool ok = false;
    if (!tmp || !dst) {
        fail(err, BST_ERR_NOMEM, "out of memory");
        goto out;
    }
    pthread_mutex_lock(&t->modules_lock);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || !write_all(fd, code, len) || fsync(fd) != 0 || close(fd) != 0 ||
        rename(tmp, dst) != 0) {
        fail(err, BST_ERR_INVALID, "cannot store the module: %s", strerror(errno));
        if (fd >= 0) close(fd);
        unlink(tmp);
    } else {
        /* the rename is durable once the directory is synced */
        char *dir = module_path(t, hash, "");
        *strrchr(dir, '/') = '\0';
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ok = dfd >= 0 && fsync(dfd) == 0;
        if (dfd >= 0) close(dfd);
        free(dir);
        if (!ok) fail(err, BST_ERR_INVALID, "cannot sync the module directory");
    }
    pthread_mutex_unlock(&t->modules_lock);
out:
    free(tmp);
    free(dst);
    return ok;
}

/* Reads and compiles the module file; NULL when absent (BST_ERR_NOT_FOUND) or unusable. */
static srv_module *module_load(srv_tenant *t, const uint8_t hash[32], bst_rejection *rej,
                               bst_error *err) {
    char *path = module_path(t, hash, "");
    srv_module *sm = calloc(1, sizeof *sm);
    FILE *f = path ? fopen(path, "rbe") : NULL;
    if (!f) {
        if (path && sm && errno == ENOENT)
            fail(err, BST_ERR_NOT_FOUND, "unknown code");
        else
            fail(err, BST_ERR_INVALID, "cannot read the module");
        goto fail;
    }
    size_t cap = (size_t)t->limits.max_code_bytes, len;
    sm->code = malloc(cap + 1);
    len = sm->code ? fread(sm->code, 1, cap + 1, f) : 0;
    fclose(f);
    if (!sm->code || len == 0 || len > cap) {
        fail(err, BST_ERR_INVALID, "the stored module is unusable");
        goto fail;
    }
    memcpy(sm->hash, hash, 32);
    sm->m = bst_module_new(sm->code, len, err);
    if (!sm->m) goto fail;
    bst_pool_config pc;
    bst_pool_config_default(&pc);
    if (t->fresh) pc.prewarm = pc.max_idle = 0;
    sm->pool = bst_pool_new(t->tenant, sm->m, &pc, rej, err);
    if (!sm->pool) goto fail;
    free(path);
    return sm;
fail:
    if (sm) {
        bst_module_free(sm->m);
        free(sm->code);
        free(sm);
    }
    free(path);
    return NULL;
}

srv_module *srv_module_get(srv_tenant *t, const uint8_t hash[32], bst_rejection *rej,
                           bst_error *err) {
    pthread_mutex_lock(&t->modules_lock);
    srv_module *m = t->modules;
    while (m && memcmp(m->hash, hash, 32) != 0) m = m->next;
    if (!m) {
        m = module_load(t, hash, rej, err);
        if (m) {
            m->next = t->modules;
            t->modules = m;
        }
    }
    pthread_mutex_unlock(&t->modules_lock);
    return m;
}
