/*
 * lmdb.c — the contract host's chain state in LMDB: opening the environment, the five named
 * databases (accounts, code, contracts, storage, meta) and the small read/write helpers every
 * exec uses inside its transaction.  Also the public account and lookup functions of
 * bastion_contracts.h, each in its own short transaction.
 */
#define _POSIX_C_SOURCE 200809L
#include "contracts_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bastion_crypto.h"

/* ---- contracts ---- */

/* The record: code hash (32) ++ storage id u64 LE (8), then (INFO_DEPOSITS bytes; absent in
 * states made before storage deposits, read as zeros) storage bytes u32 LE ++ storage items
 * u32 LE ++ byte, item and base deposits u128 LE. */
#define INFO_BASE 40
#define INFO_DEPOSITS (4 + 4 + 3 * 16)

int ctr_get_contract(bst_contracts *c, MDB_txn *t, const uint8_t addr[32], ctr_contract_info *out) {
    MDB_val k = {32, (void *)addr}, v;
    int rc = mdb_get(t, c->db_contracts, &k, &v);
    if (rc) return rc;
    if (v.mv_size != INFO_BASE && v.mv_size != INFO_BASE + INFO_DEPOSITS) return MDB_CORRUPTED;
    memset(out, 0, sizeof *out);
    const uint8_t *p = v.mv_data;
    memcpy(out->code_hash, p, 32);
    out->storage_id = ctr_get_le64(p + 32);
    if (v.mv_size == INFO_BASE) return MDB_SUCCESS;
    p += INFO_BASE;
    out->storage_bytes = ctr_get_le32(p);
    out->storage_items = ctr_get_le32(p + 4);
    out->byte_deposit = ctr_u128_load(p + 8);
    out->item_deposit = ctr_u128_load(p + 24);
    out->base_deposit = ctr_u128_load(p + 40);
    return MDB_SUCCESS;
}

int ctr_put_contract(bst_contracts *c, MDB_txn *t, const uint8_t addr[32],
                     const ctr_contract_info *info) {
    uint8_t b[INFO_BASE + INFO_DEPOSITS];
    memcpy(b, info->code_hash, 32);
    ctr_put_le64(b + 32, info->storage_id);
    ctr_put_le32(b + INFO_BASE, info->storage_bytes);
    ctr_put_le32(b + INFO_BASE + 4, info->storage_items);
    ctr_u128_store(info->byte_deposit, b + INFO_BASE + 8);
    ctr_u128_store(info->item_deposit, b + INFO_BASE + 24);
    ctr_u128_store(info->base_deposit, b + INFO_BASE + 40);
    MDB_val k = {32, (void *)addr}, v = {INFO_BASE + INFO_DEPOSITS, b};
    return mdb_put(t, c->db_contracts, &k, &v, 0);
}

int ctr_del_contract(bst_contracts *c, MDB_txn *t, const uint8_t addr[32], uint64_t sid,
                     uint64_t *nkeys) {
    uint64_t n = 0;
    if (nkeys) *nkeys = 0;
    MDB_val k = {32, (void *)addr};
    int rc = mdb_del(t, c->db_contracts, &k, NULL);
    if (rc) return rc;
    /* The instance's storage: every key starting with its storage id. */
    uint8_t prefix[8];
    for (int i = 0; i < 8; i++) prefix[i] = (uint8_t)(sid >> (56 - 8 * i));
    MDB_cursor *cur;
    if ((rc = mdb_cursor_open(t, c->db_storage, &cur))) return rc;
    MDB_val ck = {8, prefix}, cv;
    rc = mdb_cursor_get(cur, &ck, &cv, MDB_SET_RANGE);
    while (rc == MDB_SUCCESS && ck.mv_size >= 8 && memcmp(ck.mv_data, prefix, 8) == 0) {
        if ((rc = mdb_cursor_del(cur, 0))) break;
        n++;
        rc = mdb_cursor_get(cur, &ck, &cv, MDB_GET_CURRENT);
        if (rc == EINVAL) rc = MDB_NOTFOUND;
    }
    mdb_cursor_close(cur);
    if (nkeys) *nkeys = n;
    return rc == MDB_NOTFOUND ? MDB_SUCCESS : rc;
}

/* ---- meta counters ---- */

int ctr_meta_get(bst_contracts *c, MDB_txn *t, const char *name, uint64_t *out) {
    MDB_val k = {strlen(name), (void *)name}, v;
    int rc = mdb_get(t, c->db_meta, &k, &v);
    if (rc == MDB_NOTFOUND) {
        *out = 0;
        return MDB_SUCCESS;
    }
    if (rc) return rc;
    if (v.mv_size != 8) return MDB_CORRUPTED;
    *out = ctr_get_le64(v.mv_data);
    return MDB_SUCCESS;
}

int ctr_meta_put(bst_contracts *c, MDB_txn *t, const char *name, uint64_t val) {
    uint8_t b[8];
    ctr_put_le64(b, val);
    MDB_val k = {strlen(name), (void *)name}, v = {8, b};
    return mdb_put(t, c->db_meta, &k, &v, 0);
}

/* ---- storage ---- */

static size_t skey(uint8_t *out, uint64_t sid, const uint8_t *key, size_t klen) {
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(sid >> (56 - 8 * i));
    if (klen) memcpy(out + 8, key, klen);
    return 8 + klen;
}

/* Keys are at most 8 + 1 + max_storage_key_bytes; the open() check keeps that below LMDB's
 * limit. */
#define CTR_MAX_KEY 512

int ctr_storage_get(bst_contracts *c, MDB_txn *t, uint64_t sid, const uint8_t *key, size_t klen,
                    MDB_val *out) {
    uint8_t kb[CTR_MAX_KEY];
    if (klen + 8 > sizeof kb) return MDB_BAD_VALSIZE;
    MDB_val k = {skey(kb, sid, key, klen), kb};
    return mdb_get(t, c->db_storage, &k, out);
}

int ctr_storage_put(bst_contracts *c, MDB_txn *t, uint64_t sid, const uint8_t *key, size_t klen,
                    const uint8_t *val, size_t vlen) {
    uint8_t kb[CTR_MAX_KEY];
    if (klen + 8 > sizeof kb) return MDB_BAD_VALSIZE;
    MDB_val k = {skey(kb, sid, key, klen), kb}, v = {vlen, (void *)val};
    return mdb_put(t, c->db_storage, &k, &v, 0);
}

int ctr_storage_del(bst_contracts *c, MDB_txn *t, uint64_t sid, const uint8_t *key, size_t klen) {
    uint8_t kb[CTR_MAX_KEY];
    if (klen + 8 > sizeof kb) return MDB_BAD_VALSIZE;
    MDB_val k = {skey(kb, sid, key, klen), kb};
    int rc = mdb_del(t, c->db_storage, &k, NULL);
    return rc;
}

/* ---- code ---- */

int ctr_code_get(bst_contracts *c, MDB_txn *t, const uint8_t hash[32], MDB_val *out) {
    MDB_val k = {32, (void *)hash};
    return mdb_get(t, c->db_code, &k, out);
}

int ctr_code_put(bst_contracts *c, MDB_txn *t, const uint8_t hash[32], const uint8_t *code,
                 size_t len) {
    MDB_val k = {32, (void *)hash}, v = {len, (void *)code};
    return mdb_put(t, c->db_code, &k, &v, 0);
}

/* ---- open / close ---- */

void bst_contracts_config_default(bst_contracts_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->state_dir = NULL;
    cfg->map_size = (uint64_t)1 << 30;
    cfg->max_code_bytes = 256u * 1024u;
    cfg->max_memory_pages = 16;
    cfg->max_call_depth = 5;
    cfg->allow_reentry = false;
    cfg->max_storage_value_bytes = 16u * 1024u;
    cfg->max_storage_key_bytes = 128;
    cfg->default_gas_limit = 10000000000ull;
    cfg->default_proof_limit = BST_CONTRACTS_DEFAULT_PROOF_SIZE;
    cfg->max_event_topics = 4;
    cfg->max_event_data_bytes = 16u * 1024u;
    cfg->max_debug_buffer_bytes = 2u * 1024u * 1024u;
    cfg->max_input_bytes = 64u * 1024u;
    cfg->max_event_bytes_total = 4u * 1024u * 1024u;
    cfg->pooled_instances = 4;
    cfg->balance_bytes = 0;
    cfg->existential_deposit[0] = BST_CONTRACTS_MINIMUM_BALANCE;
    cfg->deposit_per_byte[0] = 1;
    cfg->deposit_per_item[0] = 2;
}

static void fail(bst_error *err, bst_status s, const char *what, int rc) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->status = s;
    snprintf(err->message, sizeof err->message, "%s: %s", what, rc ? mdb_strerror(rc) : "failed");
}

/* Why a state directory cannot be used: BST_ERR_NOT_FOUND for an absent state (must_exist),
 * BST_ERR_INVALID for a damaged one.  The message names the directory. */
static void refuse(bst_error *err, bst_status s, const char *dir, const char *why) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->status = s;
    /* a long directory name may cut the message short; the reason comes first then */
    int n = snprintf(err->message, sizeof err->message, "%.120s: %s", dir, why);
    if (n < 0 || (size_t)n >= sizeof err->message)
        snprintf(err->message, sizeof err->message, "%s", why);
}

#define DAMAGED_HINT                                                                               \
    "; the state is damaged (restore a backup, or remove the directory to "                        \
    "start a new state)"

/* Before LMDB sees the directory: an existing environment must have a data file that LMDB will
 * not mistake for a new one.  LMDB initialises an empty (0-byte) data.mdb as a fresh
 * environment, which would silently turn a damaged state into an empty one; a data.mdb that is
 * missing while lock.mdb remains is the same damage.  Creates the directory when it is absent
 * and creating is allowed.  Returns false with *err filled. */
static bool check_before_open(const bst_contracts_config *cfg, bst_error *err) {
    const char *dir = cfg->state_dir;
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT) {
            refuse(err, BST_ERR_INVALID, dir, strerror(errno));
            return false;
        }
        if (cfg->must_exist) {
            refuse(err, BST_ERR_NOT_FOUND, dir, "the state directory does not exist");
            return false;
        }
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            refuse(err, BST_ERR_INVALID, dir, strerror(errno));
            return false;
        }
        return true; /* a new directory: LMDB creates a new environment in it */
    }
    if (!S_ISDIR(st.st_mode)) {
        refuse(err, BST_ERR_INVALID, dir, "not a directory");
        return false;
    }
    size_t n = strlen(dir) + sizeof "/data.mdb";
    char *path = malloc(n);
    if (!path) {
        refuse(err, BST_ERR_NOMEM, dir, "out of memory");
        return false;
    }
    snprintf(path, n, "%s/data.mdb", dir);
    struct stat data;
    bool have_data = stat(path, &data) == 0;
    int data_errno = errno;
    snprintf(path, n, "%s/lock.mdb", dir);
    struct stat lock;
    bool have_lock = stat(path, &lock) == 0;
    free(path);
    if (!have_data && data_errno != ENOENT) {
        refuse(err, BST_ERR_INVALID, dir, strerror(data_errno));
        return false;
    }
    if (have_data && !S_ISREG(data.st_mode)) {
        refuse(err, BST_ERR_INVALID, dir, "data.mdb is not a regular file");
        return false;
    }
    if (have_data && data.st_size == 0) {
        refuse(err, BST_ERR_INVALID, dir, "data.mdb is empty (0 bytes)" DAMAGED_HINT);
        return false;
    }
    if (!have_data && have_lock) {
        refuse(err, BST_ERR_INVALID, dir, "data.mdb is missing but lock.mdb exists" DAMAGED_HINT);
        return false;
    }
    if (!have_data && cfg->must_exist) {
        refuse(err, BST_ERR_NOT_FOUND, dir, "no contracts state in this directory (no data.mdb)");
        return false;
    }
    return true;
}

/* After mdb_env_open, before any transaction reads a page: LMDB has checked both meta pages'
 * magic and version (MDB_INVALID / MDB_VERSION_MISMATCH otherwise), but it maps the data file
 * and reads pages up to the meta page's last page number without comparing that with the
 * file's size, so a truncated data.mdb would end the process with SIGBUS on the first read
 * beyond the end.  Every page a transaction can reach is at most me_last_pgno (LMDB refuses
 * higher page numbers), so the file must hold pages 0..me_last_pgno. */
static bool check_size(MDB_env *env, const char *dir, bst_error *err) {
    MDB_envinfo info;
    MDB_stat stat_;
    mdb_filehandle_t fd;
    struct stat st;
    if (mdb_env_info(env, &info) || mdb_env_stat(env, &stat_) || mdb_env_get_fd(env, &fd) ||
        fstat(fd, &st) != 0) {
        refuse(err, BST_ERR_INVALID, dir, "cannot inspect data.mdb");
        return false;
    }
    uint64_t psize = stat_.ms_psize;
    uint64_t size = (uint64_t)st.st_size;
    char why[200];
    if (psize < 512 || (psize & (psize - 1)) != 0) {
        snprintf(why, sizeof why, "data.mdb has a bad page size (%" PRIu64 ")" DAMAGED_HINT, psize);
        refuse(err, BST_ERR_INVALID, dir, why);
        return false;
    }
    uint64_t last = info.me_last_pgno;
    if (last >= size / psize) { /* needs (last + 1) * psize bytes, without overflow */
        snprintf(why, sizeof why,
                 "data.mdb is truncated: %" PRIu64 " bytes, but it records pages 0..%" PRIu64
                 " of %" PRIu64 " bytes each" DAMAGED_HINT,
                 size, last, psize);
        refuse(err, BST_ERR_INVALID, dir, why);
        return false;
    }
    return true;
}

bst_contracts *bst_contracts_open(const bst_contracts_config *cfg, bst_error *err) {
    if (err) memset(err, 0, sizeof *err);
    if (!cfg || !cfg->state_dir || !cfg->state_dir[0] || cfg->max_storage_key_bytes > 256 ||
        cfg->max_call_depth > 64 || cfg->max_memory_pages == 0 || cfg->max_memory_pages > 65536 ||
        cfg->map_size < (1u << 20)) {
        fail(err, BST_ERR_ARG, "bst_contracts_open: bad configuration", 0);
        return NULL;
    }
    if (!bst_crypto_init()) {
        fail(err, BST_ERR_INVALID, "bst_contracts_open: libsodium cannot initialise", 0);
        return NULL;
    }
    if (!check_before_open(cfg, err)) return NULL;
    bst_contracts *c = calloc(1, sizeof *c);
    if (!c) {
        fail(err, BST_ERR_NOMEM, "bst_contracts_open", 0);
        return NULL;
    }
    c->cfg = *cfg;
    c->pool_idle = cfg->pooled_instances;
    c->cfg.state_dir = NULL; /* not kept: the caller's string need not outlive the call */
    int rc;
    MDB_txn *t = NULL;
    /* must_exist: opening writes nothing, so the named databases must already be there. */
    unsigned dbflags = cfg->must_exist ? 0 : MDB_CREATE;
    if ((rc = mdb_env_create(&c->env))) goto lmdb_fail;
    if ((rc = mdb_env_set_maxdbs(c->env, 8))) goto lmdb_fail;
    if ((rc = mdb_env_set_mapsize(c->env, (size_t)cfg->map_size))) goto lmdb_fail;
    /* MDB_NOTLS: the handle may move between threads (used by one at a time). */
    if ((rc = mdb_env_open(c->env, cfg->state_dir, MDB_NOTLS, 0600))) goto lmdb_fail;
    if (!check_size(c->env, cfg->state_dir, err)) goto fail_closed;
    if ((rc = mdb_txn_begin(c->env, NULL, 0, &t))) goto lmdb_fail;
    if ((rc = mdb_dbi_open(t, "accounts", dbflags, &c->db_accounts))) goto lmdb_fail;
    if ((rc = mdb_dbi_open(t, "code", dbflags, &c->db_code))) goto lmdb_fail;
    if ((rc = mdb_dbi_open(t, "contracts", dbflags, &c->db_contracts))) goto lmdb_fail;
    if ((rc = mdb_dbi_open(t, "storage", dbflags, &c->db_storage))) goto lmdb_fail;
    if ((rc = mdb_dbi_open(t, "meta", dbflags, &c->db_meta))) goto lmdb_fail;
    rc = mdb_txn_commit(t);
    t = NULL;
    if (rc) goto lmdb_fail;
    if (!ctr_balances_open(c, cfg, err)) goto fail_closed;
    return c;
lmdb_fail:
    if (t) mdb_txn_abort(t);
    if (rc == MDB_NOTFOUND && cfg->must_exist)
        refuse(err, BST_ERR_NOT_FOUND, cfg->state_dir,
               "not a contracts state (a database is missing)");
    else if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH)
        refuse(err, BST_ERR_INVALID, cfg->state_dir,
               rc == MDB_INVALID ? "data.mdb has no valid LMDB meta pages" DAMAGED_HINT
                                 : "data.mdb is of another LMDB version" DAMAGED_HINT);
    else
        refuse(err, BST_ERR_INVALID, cfg->state_dir, mdb_strerror(rc));
fail_closed:
    if (c->env) mdb_env_close(c->env);
    free(c);
    return NULL;
}

void bst_contracts_close(bst_contracts *c) {
    if (!c) return;
    for (unsigned i = 0; i < CTR_MODULE_CACHE; i++)
        if (c->cache[i]) ctr_module_release(c, c->cache[i]);
    mdb_env_close(c->env);
    free(c);
}

/* ---- public lookups ---- */

bool bst_contracts_code_exists(bst_contracts *c, const uint8_t code_hash[32]) {
    MDB_txn *t;
    if (mdb_txn_begin(c->env, NULL, MDB_RDONLY, &t)) return false;
    MDB_val v;
    int rc = ctr_code_get(c, t, code_hash, &v);
    mdb_txn_abort(t);
    return rc == MDB_SUCCESS;
}

bool bst_contracts_code_hash_of(bst_contracts *c, const uint8_t address[32], uint8_t out32[32]) {
    MDB_txn *t;
    if (mdb_txn_begin(c->env, NULL, MDB_RDONLY, &t)) return false;
    ctr_contract_info info;
    int rc = ctr_get_contract(c, t, address, &info);
    mdb_txn_abort(t);
    if (rc) return false;
    memcpy(out32, info.code_hash, 32);
    return true;
}

bool bst_contracts_count(bst_contracts *c, uint64_t *contracts) {
    *contracts = 0;
    MDB_txn *t;
    if (mdb_txn_begin(c->env, NULL, MDB_RDONLY, &t)) return false;
    MDB_stat st;
    int rc = mdb_stat(t, c->db_contracts, &st);
    mdb_txn_abort(t);
    if (rc) return false;
    *contracts = st.ms_entries;
    return true;
}

static bst_status storage_get(bst_contracts *c, const uint8_t address[32], uint8_t kind,
                              const uint8_t *key, size_t key_len, uint8_t **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    if (key_len > c->cfg.max_storage_key_bytes) return BST_ERR_ARG;
    uint8_t skey[CTR_STORED_KEY_MAX];
    skey[0] = kind;
    if (key_len) memcpy(skey + 1, key, key_len);
    MDB_txn *t;
    if (mdb_txn_begin(c->env, NULL, MDB_RDONLY, &t)) return BST_ERR_INVALID;
    ctr_contract_info info;
    int rc = ctr_get_contract(c, t, address, &info);
    bst_status st = BST_OK;
    MDB_val v;
    if (rc == MDB_SUCCESS) rc = ctr_storage_get(c, t, info.storage_id, skey, 1 + key_len, &v);
    if (rc == MDB_NOTFOUND) {
        st = BST_ERR_NOT_FOUND;
    } else if (rc) {
        st = BST_ERR_INVALID;
    } else if (v.mv_size) {
        *out = malloc(v.mv_size);
        if (!*out) {
            st = BST_ERR_NOMEM;
        } else {
            memcpy(*out, v.mv_data, v.mv_size);
            *out_len = v.mv_size;
        }
    }
    mdb_txn_abort(t);
    return st;
}

bst_status bst_contracts_storage_get(bst_contracts *c, const uint8_t address[32],
                                     const uint8_t *key, size_t key_len, uint8_t **out,
                                     size_t *out_len) {
    return storage_get(c, address, CTR_KEY_VAR, key, key_len, out, out_len);
}

bst_status bst_contracts_storage_get_fixed(bst_contracts *c, const uint8_t address[32],
                                           const uint8_t key[32], uint8_t **out, size_t *out_len) {
    return storage_get(c, address, CTR_KEY_FIXED, key, 32, out, out_len);
}
