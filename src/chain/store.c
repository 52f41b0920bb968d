/*
 * store.c — the chain database: states by root and auxiliary records (blocks, numbers, head) in
 * one LMDB environment, so a block and its state are committed in one transaction.
 *
 * Sub-database "state" holds each stored state as a flat snapshot under its root:
 *   root ++ 0x00 ++ key                    a top-trie value
 *   root ++ 0x01 ++ blake2_256(name) ++ key a child-trie value (hashed: names may be long)
 *   root ++ 0x02 ++ name                   a non-empty child trie (for next_child, in order)
 *   root ++ 0x03                           "this state is stored"
 * LMDB orders keys by bytes, shorter first on ties: the order bst_state_backend needs, so
 * next_key is one cursor seek.  A block's state is its parent's entries copied under the new root
 * with the block's changes applied: O(state) per block, which a dev chain affords; states are
 * never deleted.  Sub-database "aux" holds the caller's records.
 */
#include "chain_util.h"
#include "bastion_crypto.h"
#include "bastion_trie.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct chn_db {
    MDB_env *env;
    MDB_dbi state, aux;
};

struct chn_view {
    chn_db *db;
    MDB_txn *txn;
    uint8_t root[32];
};

struct chn_txn {
    chn_db *db;
    MDB_txn *txn;
};

/* 16 GiB of address space: the file grows only as data is written. */
#define CHN_MAP_SIZE ((size_t)16 << 30)
#define CHN_TAG_TOP 0x00
#define CHN_TAG_CHILD 0x01
#define CHN_TAG_CHILD_NAME 0x02
#define CHN_TAG_PRESENT 0x03

bool chn_fail(char *err, size_t errlen, const char *fmt, ...) {
    if (errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

chn_db *chn_db_open(const char *dir, char *err, size_t errlen) {
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        chn_fail(err, errlen, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    chn_db *db = calloc(1, sizeof *db);
    if (!db) {
        chn_fail(err, errlen, "out of memory");
        return NULL;
    }
    MDB_txn *txn = NULL;
    int rc = mdb_env_create(&db->env);
    if (rc == 0) rc = mdb_env_set_maxdbs(db->env, 2);
    if (rc == 0) rc = mdb_env_set_mapsize(db->env, CHN_MAP_SIZE);
    /* MDB_NOTLS: read views are not tied to the thread, and one may stay open while the write
     * transaction that stores the state built over it runs. */
    if (rc == 0) rc = mdb_env_open(db->env, dir, MDB_NOTLS, 0666);
    if (rc == 0) rc = mdb_txn_begin(db->env, NULL, 0, &txn);
    if (rc == 0) rc = mdb_dbi_open(txn, "state", MDB_CREATE, &db->state);
    if (rc == 0) rc = mdb_dbi_open(txn, "aux", MDB_CREATE, &db->aux);
    if (rc == 0) {
        rc = mdb_txn_commit(txn);
        txn = NULL;
    }
    if (rc != 0) {
        if (txn) mdb_txn_abort(txn);
        chn_fail(err, errlen, "%s: cannot open the chain database: %s", dir, mdb_strerror(rc));
        mdb_env_close(db->env);
        free(db);
        return NULL;
    }
    return db;
}

void chn_db_close(chn_db *db) {
    if (!db) return;
    mdb_env_close(db->env);
    free(db);
}

/* ---- keys ---------------------------------------------------------------------------------- */

/* root ++ tag [++ blake2_256(child)] into out (at least 65 bytes); returns the length. */
static size_t state_prefix(const uint8_t root[32], const uint8_t *child, size_t child_len,
                           uint8_t *out) {
    memcpy(out, root, 32);
    if (!child) {
        out[32] = CHN_TAG_TOP;
        return 33;
    }
    out[32] = CHN_TAG_CHILD;
    bst_blake2_256(child, child_len, out + 33);
    return 65;
}

/* prefix ++ key in a malloc'd buffer, or NULL when too long for LMDB or out of memory. */
static uint8_t *state_key(chn_db *db, const uint8_t *prefix, size_t plen, const uint8_t *key,
                          size_t klen, size_t *out_len) {
    if (plen + klen > (size_t)mdb_env_get_maxkeysize(db->env)) return NULL;
    uint8_t *k = malloc(plen + klen + 1);
    if (!k) return NULL;
    memcpy(k, prefix, plen);
    if (klen) memcpy(k + plen, key, klen);
    *out_len = plen + klen;
    return k;
}

static uint8_t *dup_bytes(const void *p, size_t n) {
    uint8_t *d = malloc(n ? n : 1);
    if (d && n) memcpy(d, p, n);
    return d;
}

/* ---- views ----------------------------------------------------------------------------------- */

static bool present(MDB_txn *txn, chn_db *db, const uint8_t root[32]) {
    uint8_t k[33];
    memcpy(k, root, 32);
    k[32] = CHN_TAG_PRESENT;
    MDB_val key = {sizeof k, k}, val;
    return mdb_get(txn, db->state, &key, &val) == 0;
}

chn_view *chn_view_open(chn_db *db, const uint8_t root[32], char *err, size_t errlen) {
    chn_view *v = calloc(1, sizeof *v);
    if (!v) {
        chn_fail(err, errlen, "out of memory");
        return NULL;
    }
    v->db = db;
    memcpy(v->root, root, 32);
    int rc = mdb_txn_begin(db->env, NULL, MDB_RDONLY, &v->txn);
    if (rc != 0) {
        chn_fail(err, errlen, "chain database: %s", mdb_strerror(rc));
        free(v);
        return NULL;
    }
    uint8_t empty[32];
    bst_trie_empty_root(empty);
    if (memcmp(root, empty, 32) != 0 && !present(v->txn, db, root)) {
        chn_fail(err, errlen, "the database has no state with this root");
        chn_view_close(v);
        return NULL;
    }
    return v;
}

void chn_view_close(chn_view *v) {
    if (!v) return;
    mdb_txn_abort(v->txn);
    free(v);
}

static bst_state_res view_get(void *ctx, const uint8_t *child, size_t child_len, const uint8_t *key,
                              size_t key_len, uint8_t **val, size_t *val_len) {
    chn_view *v = ctx;
    uint8_t prefix[65];
    size_t plen = state_prefix(v->root, child, child_len, prefix), klen;
    uint8_t *k = state_key(v->db, prefix, plen, key, key_len, &klen);
    if (!k) return BST_STATE_ERROR;
    MDB_val mk = {klen, k}, mv;
    int rc = mdb_get(v->txn, v->db->state, &mk, &mv);
    free(k);
    if (rc == MDB_NOTFOUND) return BST_STATE_ABSENT;
    if (rc != 0) return BST_STATE_ERROR;
    *val = dup_bytes(mv.mv_data, mv.mv_size);
    *val_len = mv.mv_size;
    return *val ? BST_STATE_FOUND : BST_STATE_ERROR;
}

/* The first key >= (or >) prefix ++ key that starts with prefix, without the prefix. */
static bst_state_res view_seek(chn_view *v, const uint8_t *prefix, size_t plen, const uint8_t *key,
                               size_t key_len, bool inclusive, uint8_t **out, size_t *out_len) {
    size_t klen;
    uint8_t *k = state_key(v->db, prefix, plen, key, key_len, &klen);
    if (!k) return BST_STATE_ERROR;
    MDB_cursor *cur;
    if (mdb_cursor_open(v->txn, v->db->state, &cur) != 0) {
        free(k);
        return BST_STATE_ERROR;
    }
    MDB_val mk = {klen, k}, mv;
    int rc = mdb_cursor_get(cur, &mk, &mv, MDB_SET_RANGE);
    if (rc == 0 && !inclusive && mk.mv_size == klen && memcmp(mk.mv_data, k, klen) == 0)
        rc = mdb_cursor_get(cur, &mk, &mv, MDB_NEXT);
    mdb_cursor_close(cur);
    free(k);
    if (rc == MDB_NOTFOUND) return BST_STATE_ABSENT;
    if (rc != 0) return BST_STATE_ERROR;
    if (mk.mv_size < plen || memcmp(mk.mv_data, prefix, plen) != 0) return BST_STATE_ABSENT;
    *out_len = mk.mv_size - plen;
    *out = dup_bytes((const uint8_t *)mk.mv_data + plen, *out_len);
    return *out ? BST_STATE_FOUND : BST_STATE_ERROR;
}

static bst_state_res view_next_key(void *ctx, const uint8_t *child, size_t child_len,
                                   const uint8_t *key, size_t key_len, bool inclusive,
                                   uint8_t **out, size_t *out_len) {
    chn_view *v = ctx;
    uint8_t prefix[65];
    size_t plen = state_prefix(v->root, child, child_len, prefix);
    return view_seek(v, prefix, plen, key, key_len, inclusive, out, out_len);
}

static bst_state_res view_next_child(void *ctx, const uint8_t *name, size_t name_len,
                                     bool inclusive, uint8_t **out, size_t *out_len) {
    chn_view *v = ctx;
    uint8_t prefix[33];
    memcpy(prefix, v->root, 32);
    prefix[32] = CHN_TAG_CHILD_NAME;
    return view_seek(v, prefix, sizeof prefix, name, name_len, inclusive, out, out_len);
}

bst_state_backend chn_view_backend(chn_view *v) {
    bst_state_backend b = {v, view_get, view_next_key, view_next_child};
    return b;
}

/* ---- writes ---------------------------------------------------------------------------------- */

chn_txn *chn_begin(chn_db *db, char *err, size_t errlen) {
    chn_txn *t = calloc(1, sizeof *t);
    if (!t) {
        chn_fail(err, errlen, "out of memory");
        return NULL;
    }
    t->db = db;
    int rc = mdb_txn_begin(db->env, NULL, 0, &t->txn);
    if (rc != 0) {
        chn_fail(err, errlen, "chain database: %s", mdb_strerror(rc));
        free(t);
        return NULL;
    }
    return t;
}

void chn_abort(chn_txn *t) {
    if (!t) return;
    mdb_txn_abort(t->txn);
    free(t);
}

bool chn_commit(chn_txn *t, char *err, size_t errlen) {
    int rc = mdb_txn_commit(t->txn);
    free(t);
    if (rc != 0) return chn_fail(err, errlen, "chain database commit: %s", mdb_strerror(rc));
    return true;
}

/* Copies of the entries under one root (prefix dropped), gathered before writing under another
 * root so no cursor walks a tree being modified. */
typedef struct entry_list {
    uint8_t **keys, **vals;
    size_t *klens, *vlens;
    size_t n, cap;
} entry_list;

static void entries_free(entry_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        free(l->keys[i]);
        free(l->vals[i]);
    }
    free(l->keys);
    free(l->vals);
    free(l->klens);
    free(l->vlens);
}

static bool entries_push(entry_list *l, const MDB_val *k, const MDB_val *v) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        uint8_t **nk = realloc(l->keys, cap * sizeof *nk);
        if (nk) l->keys = nk;
        uint8_t **nv = realloc(l->vals, cap * sizeof *nv);
        if (nv) l->vals = nv;
        size_t *nkl = realloc(l->klens, cap * sizeof *nkl);
        if (nkl) l->klens = nkl;
        size_t *nvl = realloc(l->vlens, cap * sizeof *nvl);
        if (nvl) l->vlens = nvl;
        if (!nk || !nv || !nkl || !nvl) return false;
        l->cap = cap;
    }
    l->keys[l->n] = dup_bytes((const uint8_t *)k->mv_data + 32, k->mv_size - 32);
    l->vals[l->n] = dup_bytes(v->mv_data, v->mv_size);
    l->klens[l->n] = k->mv_size - 32;
    l->vlens[l->n] = v->mv_size;
    l->n++;
    return l->keys[l->n - 1] && l->vals[l->n - 1];
}

/* Every entry of the state `root` except its presence marker. */
static bool entries_of(chn_txn *t, const uint8_t root[32], entry_list *l) {
    MDB_cursor *cur;
    if (mdb_cursor_open(t->txn, t->db->state, &cur) != 0) return false;
    MDB_val k = {32, (void *)root}, v;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    bool ok = true;
    while (ok && rc == 0 && k.mv_size > 32 && memcmp(k.mv_data, root, 32) == 0) {
        if (((const uint8_t *)k.mv_data)[32] != CHN_TAG_PRESENT) ok = entries_push(l, &k, &v);
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    return ok && (rc == 0 || rc == MDB_NOTFOUND);
}

typedef struct apply_ctx {
    chn_txn *t;
    const uint8_t *root;
    int rc;
} apply_ctx;

static int put_raw(chn_txn *t, const uint8_t *k, size_t klen, const uint8_t *v, size_t vlen) {
    MDB_val mk = {klen, (void *)k}, mv = {vlen, (void *)v};
    return mdb_put(t->txn, t->db->state, &mk, &mv, 0);
}

static bool apply_change(void *user, const uint8_t *child, size_t child_len, const uint8_t *key,
                         size_t key_len, const uint8_t *val, size_t val_len) {
    apply_ctx *a = user;
    uint8_t prefix[65];
    size_t plen = state_prefix(a->root, child, child_len, prefix), klen;
    uint8_t *k = state_key(a->t->db, prefix, plen, key, key_len, &klen);
    if (!k) {
        a->rc = MDB_BAD_VALSIZE;
        return false;
    }
    if (val) {
        a->rc = put_raw(a->t, k, klen, val, val_len);
    } else {
        MDB_val mk = {klen, k};
        a->rc = mdb_del(a->t->txn, a->t->db->state, &mk, NULL);
        if (a->rc == MDB_NOTFOUND) a->rc = 0;
    }
    free(k);
    if (a->rc == 0 && child && val) {
        /* the child trie exists: its name record (idempotent) */
        uint8_t np[33];
        memcpy(np, a->root, 32);
        np[32] = CHN_TAG_CHILD_NAME;
        uint8_t *nk = state_key(a->t->db, np, sizeof np, child, child_len, &klen);
        a->rc = nk ? put_raw(a->t, nk, klen, NULL, 0) : MDB_BAD_VALSIZE;
        free(nk);
    }
    return a->rc == 0;
}

/* Drops the name records of child tries the changes left without keys. */
static int prune_children(chn_txn *t, const uint8_t root[32]) {
    entry_list names = {0};
    uint8_t np[33];
    memcpy(np, root, 32);
    np[32] = CHN_TAG_CHILD_NAME;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(t->txn, t->db->state, &cur);
    if (rc != 0) return rc;
    MDB_val k = {33, np}, v;
    rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (rc == 0 && k.mv_size >= 33 && memcmp(k.mv_data, np, 33) == 0) {
        if (!entries_push(&names, &k, &v)) rc = ENOMEM;
        if (rc == 0) rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    if (rc == MDB_NOTFOUND) rc = 0;
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        /* names.keys[i] = tag ++ name */
        uint8_t prefix[65], *any = NULL;
        size_t plen = state_prefix(root, names.keys[i] + 1, names.klens[i] - 1, prefix), alen;
        chn_view probe = {t->db, t->txn, {0}};
        memcpy(probe.root, root, 32);
        bst_state_res r = view_seek(&probe, prefix, plen, NULL, 0, true, &any, &alen);
        free(any);
        if (r == BST_STATE_ERROR) rc = EIO;
        if (r == BST_STATE_ABSENT) {
            uint8_t full[33 + 512];
            size_t flen = 32 + names.klens[i];
            if (flen > sizeof full) continue;
            memcpy(full, root, 32);
            memcpy(full + 32, names.keys[i], names.klens[i]);
            MDB_val dk = {flen, full};
            rc = mdb_del(t->txn, t->db->state, &dk, NULL);
        }
    }
    entries_free(&names);
    return rc;
}

bool chn_apply(chn_txn *t, const uint8_t parent_root[32], bst_state *st, unsigned state_version,
               uint8_t new_root[32], char *err, size_t errlen) {
    if (!bst_state_root(st, state_version, new_root))
        return chn_fail(err, errlen,
                        "cannot compute the state root (out of memory or a "
                        "storage read error)");
    if (present(t->txn, t->db, new_root)) return true; /* the same state is stored already */
    entry_list l = {0};
    int rc = entries_of(t, parent_root, &l) ? 0 : ENOMEM;
    uint8_t k[32 + 1 + 512];
    memcpy(k, new_root, 32);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        if (32 + l.klens[i] > sizeof k) {
            rc = MDB_BAD_VALSIZE;
            break;
        }
        memcpy(k + 32, l.keys[i], l.klens[i]);
        rc = put_raw(t, k, 32 + l.klens[i], l.vals[i], l.vlens[i]);
    }
    entries_free(&l);
    if (rc == 0) {
        apply_ctx a = {t, new_root, 0};
        if (!bst_state_changes(st, apply_change, &a)) rc = a.rc ? a.rc : ENOMEM;
    }
    if (rc == 0) rc = prune_children(t, new_root);
    if (rc == 0) {
        k[32] = CHN_TAG_PRESENT;
        rc = put_raw(t, k, 33, NULL, 0);
    }
    if (rc != 0)
        return chn_fail(err, errlen, "storing the state: %s",
                        rc == ENOMEM ? "out of memory" : mdb_strerror(rc));
    return true;
}

bool chn_aux_put(chn_txn *t, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen) {
    MDB_val mk = {klen, (void *)key}, mv = {vlen, (void *)val};
    return mdb_put(t->txn, t->db->aux, &mk, &mv, 0) == 0;
}

bool chn_aux_get(chn_db *db, const uint8_t *key, size_t klen, uint8_t **val, size_t *vlen) {
    MDB_txn *txn;
    if (mdb_txn_begin(db->env, NULL, MDB_RDONLY, &txn) != 0) return false;
    MDB_val mk = {klen, (void *)key}, mv;
    bool ok = mdb_get(txn, db->aux, &mk, &mv) == 0;
    if (ok) {
        *val = dup_bytes(mv.mv_data, mv.mv_size);
        *vlen = mv.mv_size;
        ok = *val != NULL;
    }
    mdb_txn_abort(txn);
    return ok;
}
