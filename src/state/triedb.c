/*
 * triedb.c — the persistent trie store (include/bastion_triedb.h): LMDB environment, read views
 * that are state backends, and atomic writes of new trie nodes plus aux records.
 *
 * Owns the LMDB environment and its two databases ("nodes": hash -> node or hashed value;
 * "aux": the caller's records).  The node codec, the read walks and the incremental root are
 * node.c's and delta.c's; this file only gives them LMDB as their node source.
 *
 * Nodes are content-addressed and never deleted, so a node reachable from a committed root is
 * there for ever: a view need not pin a snapshot, and reads through a fresh (renewed) read
 * transaction per call, which keeps no old pages alive.  Writes go through one LMDB write
 * transaction, committed with LMDB's fsync (no MDB_NOSYNC / MDB_NOMETASYNC): after a crash the
 * environment is at the last completed commit.
 */
#define _POSIX_C_SOURCE 200809L

#include "bastion_state.h"
#include "bastion_triedb.h"
#include "bastion_trie.h"
#include "node.h"
#include "state_util.h"

#include <errno.h>
#include <lmdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 64 GiB of address space (sparse: the file grows with the data); 1 GiB where size_t is 32-bit. */
#define TRIEDB_MAP_SIZE (sizeof(size_t) >= 8 ? (size_t)64 << 30 : (size_t)1 << 30)
#define TRIEDB_MAX_READERS 1024u

struct bst_triedb {
    MDB_env *env;
    MDB_dbi nodes, aux;
};

struct bst_triedb_view {
    bst_triedb *db;
    uint8_t root[32];
    MDB_txn *rtxn; /* reset between calls, renewed for each */
};

struct bst_triedb_txn {
    bst_triedb *db;
    MDB_txn *txn;
    char error[160];
};

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- opening --------------------------------------------------------------------------------- */

/* LMDB maps data.mdb and trusts its meta page's last page number: a truncated file would end
 * the process with SIGBUS on the first read beyond its end, so the file must hold every page
 * the meta page records. */
static bool check_size(MDB_env *env, const char *dir, char *err, size_t errlen) {
    MDB_envinfo info;
    MDB_stat stat_;
    mdb_filehandle_t fd;
    struct stat st;
    if (mdb_env_info(env, &info) || mdb_env_stat(env, &stat_) || mdb_env_get_fd(env, &fd) ||
        fstat(fd, &st) != 0) {
        set_err(err, errlen, "%s: cannot inspect data.mdb", dir);
        return false;
    }
    uint64_t psize = stat_.ms_psize, size = (uint64_t)st.st_size;
    if (psize < 512 || (psize & (psize - 1)) != 0 || info.me_last_pgno >= size / psize) {
        set_err(err, errlen, "%s: data.mdb is truncated or damaged (%llu bytes)", dir,
                (unsigned long long)size);
        return false;
    }
    return true;
}

bst_triedb *bst_triedb_open(const char *dir, char *err, size_t errlen) {
    if (!dir || !dir[0]) {
        set_err(err, errlen, "bst_triedb_open: no directory");
        return NULL;
    }
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
            set_err(err, errlen, "%s: %s", dir, strerror(errno));
            return NULL;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        set_err(err, errlen, "%s: not a directory", dir);
        return NULL;
    }
    bst_triedb *db = calloc(1, sizeof *db);
    if (!db) {
        set_err(err, errlen, "%s: out of memory", dir);
        return NULL;
    }
    MDB_txn *t = NULL;
    int rc;
    if ((rc = mdb_env_create(&db->env))) goto fail;
    if ((rc = mdb_env_set_maxdbs(db->env, 4))) goto fail;
    if ((rc = mdb_env_set_mapsize(db->env, TRIEDB_MAP_SIZE))) goto fail;
    if ((rc = mdb_env_set_maxreaders(db->env, TRIEDB_MAX_READERS))) goto fail;
    /* MDB_NOTLS: read transactions belong to views, not threads. */
    if ((rc = mdb_env_open(db->env, dir, MDB_NOTLS, 0600))) goto fail;
    if (!check_size(db->env, dir, err, errlen)) goto closed;
    if ((rc = mdb_txn_begin(db->env, NULL, 0, &t))) goto fail;
    if ((rc = mdb_dbi_open(t, "nodes", MDB_CREATE, &db->nodes))) goto fail;
    if ((rc = mdb_dbi_open(t, "aux", MDB_CREATE, &db->aux))) goto fail;
    rc = mdb_txn_commit(t);
    t = NULL;
    if (rc) goto fail;
    return db;
fail:
    set_err(err, errlen, "%s: %s", dir, mdb_strerror(rc));
closed:
    if (t) mdb_txn_abort(t);
    if (db->env) mdb_env_close(db->env);
    free(db);
    return NULL;
}

void bst_triedb_close(bst_triedb *db) {
    if (!db) return;
    mdb_env_close(db->env);
    free(db);
}

/* ---- the node source ------------------------------------------------------------------------- */

typedef struct lmdb_src {
    MDB_txn *txn;
    MDB_dbi dbi;
} lmdb_src;

static bool lmdb_lookup(void *ctx, const uint8_t hash[32], const uint8_t **data, size_t *len) {
    lmdb_src *s = ctx;
    MDB_val k = {32, (void *)hash}, v;
    if (mdb_get(s->txn, s->dbi, &k, &v) != MDB_SUCCESS) return false;
    *data = v.mv_data;
    *len = v.mv_size;
    return true;
}

bool bst_triedb_has_node(bst_triedb *db, const uint8_t hash[32]) {
    MDB_txn *t;
    if (mdb_txn_begin(db->env, NULL, MDB_RDONLY, &t)) return false;
    lmdb_src s = {t, db->nodes};
    const uint8_t *d;
    size_t l;
    bool ok = lmdb_lookup(&s, hash, &d, &l);
    mdb_txn_abort(t);
    return ok;
}

/* ---- views ----------------------------------------------------------------------------------- */

bst_triedb_view *bst_triedb_view_open(bst_triedb *db, const uint8_t root[32], char *err,
                                      size_t errlen) {
    bst_triedb_view *v = calloc(1, sizeof *v);
    if (!v) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    v->db = db;
    memcpy(v->root, root, 32);
    int rc = mdb_txn_begin(db->env, NULL, MDB_RDONLY, &v->rtxn);
    if (rc) {
        set_err(err, errlen, "triedb view: %s", mdb_strerror(rc));
        free(v);
        return NULL;
    }
    lmdb_src s = {v->rtxn, db->nodes};
    const uint8_t *d;
    size_t l;
    bool known = st_is_empty_root(root) || lmdb_lookup(&s, root, &d, &l);
    mdb_txn_reset(v->rtxn);
    if (!known) {
        set_err(err, errlen, "triedb view: the root is not a committed state");
        bst_triedb_view_close(v);
        return NULL;
    }
    return v;
}

void bst_triedb_view_close(bst_triedb_view *v) {
    if (!v) return;
    mdb_txn_abort(v->rtxn);
    free(v);
}

void bst_triedb_view_root(const bst_triedb_view *v, uint8_t root[32]) { memcpy(root, v->root, 32); }

/* Starts one backend call: the view's read transaction renewed, the node source over it. */
static bool view_enter(bst_triedb_view *v, lmdb_src *ls, st_node_source *s) {
    if (mdb_txn_renew(v->rtxn) != MDB_SUCCESS) return false;
    ls->txn = v->rtxn;
    ls->dbi = v->db->nodes;
    s->ctx = ls;
    s->lookup = lmdb_lookup;
    return true;
}

static bst_state_res view_get(void *ctx, const uint8_t *child, size_t child_len, const uint8_t *key,
                              size_t key_len, uint8_t **val, size_t *val_len) {
    bst_triedb_view *v = ctx;
    lmdb_src ls;
    st_node_source s;
    if (!view_enter(v, &ls, &s)) return BST_STATE_ERROR;
    bst_state_res r = st_walk_get(&s, v->root, child, child_len, key, key_len, val, val_len);
    mdb_txn_reset(v->rtxn);
    return r;
}

static bst_state_res view_next_key(void *ctx, const uint8_t *child, size_t child_len,
                                   const uint8_t *key, size_t key_len, bool inclusive,
                                   uint8_t **out, size_t *out_len) {
    bst_triedb_view *v = ctx;
    lmdb_src ls;
    st_node_source s;
    if (!view_enter(v, &ls, &s)) return BST_STATE_ERROR;
    bst_state_res r =
        st_walk_next_key(&s, v->root, child, child_len, key, key_len, inclusive, out, out_len);
    mdb_txn_reset(v->rtxn);
    return r;
}

static bst_state_res view_next_child(void *ctx, const uint8_t *name, size_t name_len,
                                     bool inclusive, uint8_t **out, size_t *out_len) {
    bst_triedb_view *v = ctx;
    lmdb_src ls;
    st_node_source s;
    if (!view_enter(v, &ls, &s)) return BST_STATE_ERROR;
    bst_state_res r = st_walk_next_child(&s, v->root, name, name_len, inclusive, out, out_len);
    mdb_txn_reset(v->rtxn);
    return r;
}

static bool view_root(void *ctx, const bst_state *st, unsigned state_version, uint8_t out[32]) {
    bst_triedb_view *v = ctx;
    lmdb_src ls;
    st_node_source s;
    if (!view_enter(v, &ls, &s)) return false;
    bool ok = st_delta_root(&s, v->root, st, state_version, NULL, NULL, out);
    mdb_txn_reset(v->rtxn);
    return ok;
}

static bool view_child_root(void *ctx, const bst_state *st, const uint8_t *child, size_t child_len,
                            unsigned state_version, uint8_t out[32]) {
    bst_triedb_view *v = ctx;
    lmdb_src ls;
    st_node_source s;
    if (!view_enter(v, &ls, &s)) return false;
    bool ok = st_delta_child_root(&s, v->root, st, child, child_len, state_version, out);
    mdb_txn_reset(v->rtxn);
    return ok;
}

bst_state_backend bst_triedb_view_backend(bst_triedb_view *v) {
    bst_state_backend b = {v, view_get, view_next_key, view_next_child, view_root, view_child_root};
    return b;
}

/* ---- aux records ----------------------------------------------------------------------------- */

bool bst_triedb_aux_get(bst_triedb *db, const uint8_t *key, size_t klen, uint8_t **val,
                        size_t *vlen) {
    MDB_txn *t;
    if (mdb_txn_begin(db->env, NULL, MDB_RDONLY, &t)) return false;
    MDB_val k = {klen, (void *)key}, v;
    bool ok = mdb_get(t, db->aux, &k, &v) == MDB_SUCCESS;
    if (ok) {
        *val = st_dup_bytes(v.mv_data, v.mv_size);
        *vlen = v.mv_size;
        ok = *val != NULL;
    }
    mdb_txn_abort(t);
    return ok;
}

/* ---- writing --------------------------------------------------------------------------------- */

bst_triedb_txn *bst_triedb_begin(bst_triedb *db, char *err, size_t errlen) {
    bst_triedb_txn *t = calloc(1, sizeof *t);
    if (!t) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    t->db = db;
    int rc = mdb_txn_begin(db->env, NULL, 0, &t->txn);
    if (rc) {
        set_err(err, errlen, "triedb begin: %s", mdb_strerror(rc));
        free(t);
        return NULL;
    }
    return t;
}

static bool txn_fail(bst_triedb_txn *t, const char *what, int rc) {
    snprintf(t->error, sizeof t->error, "%s: %s", what, rc ? mdb_strerror(rc) : "failed");
    return false;
}

typedef struct store_ctx {
    bst_triedb_txn *t;
    int rc;
} store_ctx;

/* Stores one new node or hashed value; one already there (same hash, same bytes) stays. */
static bool store_node(void *user, const uint8_t hash[32], const uint8_t *data, size_t len) {
    store_ctx *c = user;
    MDB_val k = {32, (void *)hash}, v = {len, (void *)data};
    int rc = mdb_put(c->t->txn, c->t->db->nodes, &k, &v, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) return true;
    c->rc = rc;
    return rc == MDB_SUCCESS;
}

bool bst_triedb_apply(bst_triedb_txn *t, const uint8_t parent_root[32], const bst_state *st,
                      unsigned state_version, uint8_t new_root[32]) {
    if (state_version > 1) return txn_fail(t, "triedb apply: state_version must be 0 or 1", 0);
    lmdb_src ls = {t->txn, t->db->nodes};
    st_node_source s = {&ls, lmdb_lookup};
    const uint8_t *d;
    size_t l;
    if (!st_is_empty_root(parent_root) && !lmdb_lookup(&ls, parent_root, &d, &l))
        return txn_fail(t, "triedb apply: the parent root is not stored", 0);
    store_ctx c = {t, 0};
    if (!st_delta_root(&s, parent_root, st, state_version, store_node, &c, new_root))
        return txn_fail(t,
                        c.rc ? "triedb apply: storing a node"
                             : "triedb apply: a node is missing or damaged, or out of memory",
                        c.rc);
    t->error[0] = 0;
    return true;
}

bool bst_triedb_aux_put(bst_triedb_txn *t, const uint8_t *key, size_t klen, const uint8_t *val,
                        size_t vlen) {
    MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
    int rc = mdb_put(t->txn, t->db->aux, &k, &v, 0);
    return rc == MDB_SUCCESS || txn_fail(t, "triedb aux put", rc);
}

bool bst_triedb_aux_del(bst_triedb_txn *t, const uint8_t *key, size_t klen) {
    MDB_val k = {klen, (void *)key};
    int rc = mdb_del(t->txn, t->db->aux, &k, NULL);
    return rc == MDB_SUCCESS || rc == MDB_NOTFOUND || txn_fail(t, "triedb aux delete", rc);
}

const char *bst_triedb_txn_error(const bst_triedb_txn *t) { return t->error; }

bool bst_triedb_commit(bst_triedb_txn *t, char *err, size_t errlen) {
    int rc = mdb_txn_commit(t->txn);
    free(t);
    if (rc) set_err(err, errlen, "triedb commit: %s", mdb_strerror(rc));
    return rc == MDB_SUCCESS;
}

void bst_triedb_abort(bst_triedb_txn *t) {
    if (!t) return;
    mdb_txn_abort(t->txn);
    free(t);
}
