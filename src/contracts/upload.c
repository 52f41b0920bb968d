/*
 * upload.c — contract code upload (bst_contracts_upload: validate, then store under its
 * BLAKE2b-256 hash) and its validation, after pallet-contracts' wasm/prepare.rs:
 * size limit, the engine's own decoding/validation with floating point rejected, no start
 * function, memory imported as env.memory with a declared maximum within the limit, only known
 * seal imports with exactly the right signature, exports `deploy` and `call` of type () -> () (or the
 * legacy () -> i32).  The code deposit an upload costs (deposit.c) and remove_code, which
 * refunds it.
 * Every rejection names its reason.
 */
#include "contracts_impl.h"

#include <stdio.h>
#include <string.h>

#include "bastion_crypto.h"

static void reject(bst_error *err, bst_status st, const char *fmt, const char *a, size_t alen,
                   const char *b, size_t blen) {
    memset(err, 0, sizeof *err);
    err->status = st;
    /* %.*s with the lengths: import names may contain NUL bytes or be long. */
    snprintf(err->message, sizeof err->message, fmt, (int)(alen > 64 ? 64 : alen), a ? a : "",
             (int)(blen > 64 ? 64 : blen), b ? b : "");
}

bst_module *ctr_compile(const bst_contracts_config *cfg, const uint8_t *code, size_t len,
                        bst_error *err) {
    bst_module_config mc;
    bst_module_config_default(&mc);
    mc.fuel_metering = true;
    mc.reject_floats = true;
    mc.canonicalize_nans = true;
    mc.max_module_bytes = cfg->max_code_bytes;
    return bst_module_new_ex(code, len, &mc, err);
}

bst_module *ctr_validate(const bst_contracts_config *cfg, const uint8_t *code, size_t len,
                         bst_error *err) {
    /* pallet-revive's PolkaVM programs (ink! 6) start with "PVM\0": another machine and ABI */
    if (len >= 4 && memcmp(code, "PVM\0", 4) == 0) {
        reject(err, BST_ERR_INVALID,
               "a PolkaVM (RISC-V) program, as ink! 6 builds for pallet-revive: this host runs "
               "pallet-contracts wasm contracts only%.*s%.*s",
               "", 0, "", 0);
        return NULL;
    }
    if (len > cfg->max_code_bytes) {
        memset(err, 0, sizeof *err);
        err->status = BST_ERR_LIMIT;
        snprintf(err->message, sizeof err->message, "code size %zu exceeds the limit of %u bytes",
                 len, cfg->max_code_bytes);
        return NULL;
    }
    bst_module *m = ctr_compile(cfg, code, len, err);
    if (!m) return NULL;

    /* A memory section comes before a start section: a module with both is rejected for its
     * memory, as the section order would have it. */
    if (bst_module_defines_memory(m)) {
        reject(err, BST_ERR_INVALID, "memory must be imported as env.memory, not defined%.*s%.*s",
               "", 0, "", 0);
        goto fail;
    }
    if (bst_module_has_start(m)) {
        reject(err, BST_ERR_INVALID, "start function not allowed%.*s%.*s", "", 0, "", 0);
        goto fail;
    }

    bool have_memory = false;
    uint32_t ni = bst_module_import_count(m);
    for (uint32_t i = 0; i < ni; i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        if (d.type.kind == BST_EXTERN_MEMORY) {
            if (!(d.module_len == 3 && memcmp(d.module, "env", 3) == 0 && d.name_len == 6 &&
                  memcmp(d.name, "memory", 6) == 0)) {
                reject(err, BST_ERR_UNLINKABLE, "memory import %.*s.%.*s: must be env.memory",
                       d.module, d.module_len, d.name, d.name_len);
                goto fail;
            }
            if (have_memory) {
                reject(err, BST_ERR_UNLINKABLE, "more than one memory import%.*s%.*s", "", 0, "",
                       0);
                goto fail;
            }
            have_memory = true;
            if (!d.type.limits.has_max) {
                reject(err, BST_ERR_LIMIT, "env.memory must declare a maximum%.*s%.*s", "", 0, "",
                       0);
                goto fail;
            }
            if (d.type.limits.max > cfg->max_memory_pages ||
                d.type.limits.min > d.type.limits.max) {
                memset(err, 0, sizeof *err);
                err->status = BST_ERR_LIMIT;
                snprintf(err->message, sizeof err->message, "memory maximum %u pages exceeds %u",
                         d.type.limits.max, cfg->max_memory_pages);
                goto fail;
            }
            continue;
        }
        if (d.type.kind != BST_EXTERN_FUNC) {
            reject(err, BST_ERR_UNLINKABLE,
                   "import %.*s.%.*s: only functions and env.memory "
                   "may be imported",
                   d.module, d.module_len, d.name, d.name_len);
            goto fail;
        }
        ctr_seal_def def;
        if (!ctr_seal_lookup(d.module, d.module_len, d.name, d.name_len, &d.type.func, &def)) {
            reject(err, BST_ERR_UNLINKABLE, "unknown import %.*s.%.*s", d.module, d.module_len,
                   d.name, d.name_len);
            goto fail;
        }
        if (!bst_functype_matches(&d.type.func, def.sig)) {
            reject(err, BST_ERR_UNLINKABLE, "import %.*s.%.*s has the wrong signature", d.module,
                   d.module_len, d.name, d.name_len);
            goto fail;
        }
    }
    if (!have_memory) {
        reject(err, BST_ERR_UNLINKABLE, "no env.memory import%.*s%.*s", "", 0, "", 0);
        goto fail;
    }

    bool have_call = false, have_deploy = false;
    uint32_t ne = bst_module_export_count(m);
    for (uint32_t i = 0; i < ne; i++) {
        bst_export_desc d;
        bst_module_export(m, i, &d);
        bool is_call = d.name_len == 4 && memcmp(d.name, "call", 4) == 0;
        bool is_deploy = d.name_len == 6 && memcmp(d.name, "deploy", 6) == 0;
        if (!is_call && !is_deploy) continue;
        /* () -> (); ink! 2/3-era code exports () -> i32, which pallet-contracts of that era
         * also accepted (a status: non-zero is an error, frame.c). */
        if (d.type.kind != BST_EXTERN_FUNC || d.type.func.nparams || d.type.func.nresults > 1 ||
            (d.type.func.nresults == 1 && d.type.func.results[0] != BST_I32)) {
            reject(err, BST_ERR_INVALID, "export `%.*s` must be a function of type () -> ()%.*s",
                   d.name, d.name_len, "", 0);
            goto fail;
        }
        if (is_call) have_call = true;
        if (is_deploy) have_deploy = true;
    }
    if (!have_call || !have_deploy) {
        reject(err, BST_ERR_INVALID, "missing export `%.*s`%.*s", have_call ? "deploy" : "call",
               have_call ? 6 : 4, "", 0);
        goto fail;
    }
    return m;
fail:
    bst_module_free(m);
    return NULL;
}

/* Fills err (status st) and returns st. */
static bst_status upload_fail(bst_error *err, bst_status st, const char *msg, int rc) {
    err->status = st;
    snprintf(err->message, sizeof err->message, "%s%s%s", msg, rc ? ": " : "",
             rc ? mdb_strerror(rc) : "");
    return st;
}

/* Stores new code and charges its deposit in t: BST_OK, or why not (err filled). */
static bst_status store_code(bst_contracts *c, MDB_txn *t, const uint8_t origin[32],
                             const uint8_t *code, size_t len, const uint8_t *limit_le16,
                             const uint8_t hash[32], ctr_u128 *deposit, bst_error *err) {
    MDB_val v;
    int rc = ctr_code_get(c, t, hash, &v);
    if (rc == MDB_SUCCESS) return BST_OK; /* stored already: nothing more to pay */
    if (rc != MDB_NOTFOUND) return upload_fail(err, BST_ERR_INVALID, "storing code", rc);
    *deposit = ctr_code_deposit(c, len);
    char amount[40];
    ctr_u128_format(*deposit, amount);
    char msg[200];
    if (limit_le16 && ctr_u128_cmp(*deposit, ctr_u128_load(limit_le16)) > 0) {
        snprintf(msg, sizeof msg,
                 "StorageDepositLimitExhausted: the code deposit %s is above the limit", amount);
        return upload_fail(err, BST_ERR_LIMIT, msg, 0);
    }
    rc = ctr_code_charge(c, t, hash, origin, *deposit);
    if (rc == MDB_NOTFOUND) {
        snprintf(msg, sizeof msg,
                 "StorageDepositNotEnoughFunds: the uploader cannot pay the code deposit %s",
                 amount);
        return upload_fail(err, BST_ERR_LIMIT, msg, 0);
    }
    if (!rc) rc = ctr_code_put(c, t, hash, code, len);
    return rc ? upload_fail(err, BST_ERR_INVALID, "storing code", rc) : BST_OK;
}

bst_status bst_contracts_upload_ex(bst_contracts *c, const uint8_t origin[32], const uint8_t *code,
                                   size_t len, const uint8_t *deposit_limit_le16,
                                   uint8_t code_hash_out[32], uint8_t *deposit_out_le16,
                                   bst_error *err) {
    bst_error local;
    if (!err) err = &local;
    memset(err, 0, sizeof *err);
    if (deposit_out_le16) memset(deposit_out_le16, 0, 16);
    if (!c || !origin || !code || !code_hash_out)
        return upload_fail(err, BST_ERR_ARG, "bad arguments", 0);
    bst_module *m = ctr_validate(&c->cfg, code, len, err);
    if (!m) return err->status ? err->status : BST_ERR_INVALID;
    bool usable = ctr_chain_ext_check_imports(c, m, err);
    bst_module_free(m);
    if (!usable) return err->status;
    bst_blake2_256(code, len, code_hash_out);
    MDB_txn *t;
    int rc = mdb_txn_begin(c->env, NULL, 0, &t);
    if (rc) return upload_fail(err, BST_ERR_INVALID, "storing code", rc);
    ctr_u128 deposit = {0, 0};
    bst_status st =
        store_code(c, t, origin, code, len, deposit_limit_le16, code_hash_out, &deposit, err);
    if (st != BST_OK) {
        mdb_txn_abort(t);
        return st;
    }
    if ((rc = mdb_txn_commit(t))) return upload_fail(err, BST_ERR_INVALID, "storing code", rc);
    if (deposit_out_le16) ctr_u128_store(deposit, deposit_out_le16);
    return BST_OK;
}

bst_status bst_contracts_upload(bst_contracts *c, const uint8_t origin[32], const uint8_t *code,
                                size_t len, uint8_t code_hash_out[32], bst_error *err) {
    return bst_contracts_upload_ex(c, origin, code, len, NULL, code_hash_out, NULL, err);
}

/* Whether a contract instance runs the code (a scan of the instances: removing code is rare). */
static int code_in_use(bst_contracts *c, MDB_txn *t, const uint8_t hash[32], bool *used) {
    MDB_cursor *cur;
    *used = false;
    int rc = mdb_cursor_open(t, c->db_contracts, &cur);
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == MDB_SUCCESS && !*used;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        *used = v.mv_size >= 32 && memcmp(v.mv_data, hash, 32) == 0;
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? MDB_SUCCESS : rc;
}

static bst_status remove_code(bst_contracts *c, MDB_txn *t, const uint8_t origin[32],
                              const uint8_t hash[32], ctr_u128 *refund, bst_error *err) {
    uint8_t key[33];
    memcpy(key, hash, 32);
    key[32] = CTR_CODE_OWNER;
    MDB_val k = {sizeof key, key}, v;
    int rc = mdb_get(t, c->db_code, &k, &v);
    if (rc == MDB_NOTFOUND) {
        /* code stored before deposits has no owner record: it cannot be removed */
        return upload_fail(err, BST_ERR_NOT_FOUND, "CodeNotFound: no such code (with an owner)", 0);
    }
    if (rc) return upload_fail(err, BST_ERR_INVALID, "removing code", rc);
    if (v.mv_size != 48) return upload_fail(err, BST_ERR_INVALID, "removing code", MDB_CORRUPTED);
    if (memcmp(v.mv_data, origin, 32) != 0)
        return upload_fail(err, BST_ERR_ARG,
                           "CodeNotFound: the code was uploaded by another "
                           "account (only its owner may remove it)",
                           0);
    ctr_u128 deposit = ctr_u128_load((const uint8_t *)v.mv_data + 32);
    bool used;
    if ((rc = code_in_use(c, t, hash, &used)))
        return upload_fail(err, BST_ERR_INVALID, "removing code", rc);
    if (used) return upload_fail(err, BST_ERR_INVALID, "CodeInUse: a contract runs this code", 0);
    MDB_val hk = {32, (void *)hash};
    if ((rc = mdb_del(t, c->db_code, &k, NULL)) || (rc = mdb_del(t, c->db_code, &hk, NULL)) ||
        (rc = ctr_release(c, t, origin, origin, deposit, refund)))
        return upload_fail(err, BST_ERR_INVALID, "removing code", rc);
    return BST_OK;
}

bst_status bst_contracts_remove_code(bst_contracts *c, const uint8_t origin[32],
                                     const uint8_t code_hash[32], uint8_t *refund_out_le16,
                                     bst_error *err) {
    bst_error local;
    if (!err) err = &local;
    memset(err, 0, sizeof *err);
    if (refund_out_le16) memset(refund_out_le16, 0, 16);
    if (!c || !origin || !code_hash) return upload_fail(err, BST_ERR_ARG, "bad arguments", 0);
    MDB_txn *t;
    int rc = mdb_txn_begin(c->env, NULL, 0, &t);
    if (rc) return upload_fail(err, BST_ERR_INVALID, "removing code", rc);
    ctr_u128 refund = {0, 0};
    bst_status st = remove_code(c, t, origin, code_hash, &refund, err);
    if (st != BST_OK) {
        mdb_txn_abort(t);
        return st;
    }
    if ((rc = mdb_txn_commit(t))) return upload_fail(err, BST_ERR_INVALID, "removing code", rc);
    if (refund_out_le16) ctr_u128_store(refund, refund_out_le16);
    return BST_OK;
}
