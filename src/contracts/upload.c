/*
 * upload.c — contract code upload (bst_contracts_upload: validate, then store under its
 * BLAKE2b-256 hash) and its validation, after pallet-contracts' wasm/prepare.rs:
 * size limit, the engine's own decoding/validation with floating point rejected, no start
 * function, memory imported as env.memory with a declared maximum within the limit, only known
 * seal imports with exactly the right signature, exports `deploy` and `call` of type () -> () (or the
 * legacy () -> i32).
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

bst_status bst_contracts_upload(bst_contracts *c, const uint8_t origin[32], const uint8_t *code,
                                size_t len, uint8_t code_hash_out[32], bst_error *err) {
    bst_error local;
    if (!err) err = &local;
    memset(err, 0, sizeof *err);
    (void)origin;
    if (!c || !code || !code_hash_out) {
        err->status = BST_ERR_ARG;
        snprintf(err->message, sizeof err->message, "bad arguments");
        return BST_ERR_ARG;
    }
    bst_module *m = ctr_validate(&c->cfg, code, len, err);
    if (!m) return err->status ? err->status : BST_ERR_INVALID;
    bool usable = ctr_chain_ext_check_imports(c, m, err);
    bst_module_free(m);
    if (!usable) return err->status;
    bst_blake2_256(code, len, code_hash_out);
    MDB_txn *t;
    int rc = mdb_txn_begin(c->env, NULL, 0, &t);
    if (!rc) {
        rc = ctr_code_put(c, t, code_hash_out, code, len);
        if (rc)
            mdb_txn_abort(t);
        else
            rc = mdb_txn_commit(t);
    }
    if (rc) {
        err->status = BST_ERR_INVALID;
        snprintf(err->message, sizeof err->message, "storing code: %s", mdb_strerror(rc));
        return BST_ERR_INVALID;
    }
    return BST_OK;
}
