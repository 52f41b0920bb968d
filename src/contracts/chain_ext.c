/*
 * chain_ext.c — what a contract asks of the chain around it, handed to the embedder:
 * pallet-contracts' chain extensions (seal0 call_chain_extension dispatched by extension id to
 * the handlers registered with bst_contracts_chain_extension) and runtime calls (call_runtime,
 * xcm_execute, xcm_send, through the callback of bst_contracts_runtime_call).  Both see the
 * calling frame through a bst_contracts_env: its input and output buffers, its gas, and a
 * runtime key-value state written in the frame's own storage transaction, so that what a
 * handler writes rolls back with the call.  Also the upload rule for code that imports
 * call_chain_extension, and the public read of the runtime state.
 */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bst_contracts_env {
    ctr_frame *f;
    bst_caller *c;
    uint32_t args[4];   /* input_ptr, input_len, output_ptr, output_len_ptr */
    const uint8_t *msg; /* runtime calls: the message, a host copy (args unused) */
    size_t msg_len;
    int slot;      /* the extension's index (frame state), -1 for runtime calls */
    void *scratch; /* runtime calls: their frame state slot, kept for one call only */
    bool trapped;  /* an env function trapped the contract */
    bool diverged; /* bst_contracts_env_diverge was called */
    uint32_t div_flags;
    uint8_t *div_data;
    size_t div_len;
    char error[160];
};

/* ---- registration -------------------------------------------------------------------------- */

static void set_err(bst_error *err, bst_status st, const char *msg) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->status = st;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

bst_status bst_contracts_chain_extension(bst_contracts *c, const bst_chain_extension *ext,
                                         bst_error *err) {
    if (!c || !ext || (!ext->disabled && !ext->fn)) {
        set_err(err, BST_ERR_ARG, "bad arguments: a chain extension needs a handler");
        return BST_ERR_ARG;
    }
    for (unsigned i = 0; i < c->n_chain_ext; i++)
        if (c->chain_ext[i].id == ext->id) {
            set_err(err, BST_ERR_ARG, "a chain extension with that id is already registered");
            return BST_ERR_ARG;
        }
    if (c->n_chain_ext == BST_CONTRACTS_MAX_CHAIN_EXTENSIONS) {
        set_err(err, BST_ERR_LIMIT, "too many chain extensions");
        return BST_ERR_LIMIT;
    }
    c->chain_ext[c->n_chain_ext++] = *ext;
    if (err) memset(err, 0, sizeof *err);
    return BST_OK;
}

void bst_contracts_runtime_call(bst_contracts *c, bst_runtime_call_fn fn, void *user) {
    if (!c) return;
    c->runtime_call = fn;
    c->runtime_call_user = fn ? user : NULL;
}

void bst_contracts_refuse_runtime_calls(bst_contracts *c, bool refuse) {
    if (c) c->refuse_runtime_calls = refuse;
}

static bool any_enabled(const bst_contracts *c) {
    for (unsigned i = 0; i < c->n_chain_ext; i++)
        if (!c->chain_ext[i].disabled) return true;
    return false;
}

bool ctr_chain_ext_check_imports(const bst_contracts *c, const bst_module *m, bst_error *err) {
    bool ext_ok = any_enabled(c), runtime_ok = c->runtime_call || !c->refuse_runtime_calls;
    if (ext_ok && runtime_ok) return true;
    uint32_t n = bst_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        ctr_seal_def def;
        if (d.type.kind != BST_EXTERN_FUNC ||
            !ctr_seal_lookup(d.module, d.module_len, d.name, d.name_len, &d.type.func, &def))
            continue;
        if (!ext_ok && def.id == CTR_SEAL_seal0_call_chain_extension) {
            set_err(err, BST_ERR_UNSUPPORTED,
                    "NoChainExtension: the code imports call_chain_extension but this host "
                    "has no chain extension registered");
            return false;
        }
        if (!runtime_ok &&
            (def.id == CTR_SEAL_seal0_call_runtime || def.id == CTR_SEAL_unstable_call_runtime ||
             def.id == CTR_SEAL_seal0_xcm_execute || def.id == CTR_SEAL_seal0_xcm_send)) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     "the code imports %.*s.%.*s but this host has no runtime to dispatch it to",
                     (int)(d.module_len > 32 ? 32 : d.module_len), d.module,
                     (int)(d.name_len > 32 ? 32 : d.name_len), d.name);
            set_err(err, BST_ERR_UNSUPPORTED, msg);
            return false;
        }
    }
    return true;
}

/* ---- the environment ------------------------------------------------------------------------ */

size_t bst_contracts_env_input_len(const bst_contracts_env *env) {
    return env->msg ? env->msg_len : env->args[1];
}

bool bst_contracts_env_read(bst_contracts_env *env, size_t max_len, uint8_t *buf, size_t *len) {
    *len = 0;
    if (env->trapped) return false;
    size_t n = bst_contracts_env_input_len(env);
    if (n > max_len) n = max_len;
    if (env->msg) {
        if (n) memcpy(buf, env->msg, n);
        *len = n;
        return true;
    }
    const uint8_t *p = ctr_seal_view(env->f, env->c, env->args[0], (uint32_t)n);
    if (!p) return !(env->trapped = true);
    if (n) memcpy(buf, p, n);
    *len = n;
    return true;
}

bool bst_contracts_env_write(bst_contracts_env *env, const uint8_t *data, size_t len,
                             bool allow_skip) {
    if (env->trapped || env->msg) return false; /* runtime calls have no output buffer */
    if (!ctr_seal_write_output(env->f, env->c, env->args[2], env->args[3], data, len, allow_skip))
        return !(env->trapped = true);
    return true;
}

bool bst_contracts_env_charge(bst_contracts_env *env, uint64_t gas) {
    return bst_contracts_env_charge_weight(env, gas, 0);
}

bool bst_contracts_env_charge_weight(bst_contracts_env *env, uint64_t ref_time,
                                     uint64_t proof_size) {
    if (env->trapped) return false;
    /* either running out traps the frame and ends it out of gas, so the order only decides
     * which limit the error names */
    if (!ctr_seal_charge(env->f, env->c, ref_time) ||
        !ctr_seal_charge_proof(env->f, env->c, proof_size))
        return !(env->trapped = true);
    return true;
}

void bst_contracts_env_args(const bst_contracts_env *env, uint32_t out[4]) {
    memcpy(out, env->args, sizeof env->args);
}

void bst_contracts_env_address(const bst_contracts_env *env, uint8_t out[32]) {
    memcpy(out, env->f->address, 32);
}

void bst_contracts_env_caller(const bst_contracts_env *env, uint8_t out[32]) {
    memcpy(out, env->f->caller, 32);
}

bool bst_contracts_env_read_only(const bst_contracts_env *env) { return env->f->read_only; }

void **bst_contracts_env_frame_state(bst_contracts_env *env) {
    if (env->slot < 0) return &env->scratch; /* runtime calls keep no frame state */
    return &env->f->ext_state[env->slot];
}

bool bst_contracts_env_diverge(bst_contracts_env *env, uint32_t flags, const uint8_t *data,
                               size_t len) {
    if (env->slot < 0 || (flags & ~BST_CONTRACT_FLAG_REVERT) || (len && !data) ||
        len > env->f->x->cfg->max_input_bytes)
        return false;
    uint8_t *copy = NULL;
    if (len && !(copy = malloc(len))) return false;
    if (len) memcpy(copy, data, len);
    free(env->div_data);
    env->div_data = copy;
    env->div_len = len;
    env->div_flags = flags;
    env->diverged = true;
    return true;
}

void bst_contracts_env_fail(bst_contracts_env *env, const char *msg) {
    snprintf(env->error, sizeof env->error, "%s", msg ? msg : "");
}

/* The runtime state's stored key: the variable-key kind then the key (a contract storage slot
 * under CTR_RUNTIME_STORAGE_ID, which no contract has). */
static bool runtime_key(const bst_contracts_config *cfg, const uint8_t *key, size_t klen,
                        uint8_t out[CTR_STORED_KEY_MAX]) {
    if (!key || klen == 0 || klen > cfg->max_storage_key_bytes) return false;
    out[0] = CTR_KEY_VAR;
    memcpy(out + 1, key, klen);
    return true;
}

/* A copy of an LMDB value for the caller (NULL when empty). */
static bst_status copy_out(const MDB_val *v, uint8_t **out, size_t *out_len) {
    if (!v->mv_size) return BST_OK;
    if (!(*out = malloc(v->mv_size))) return BST_ERR_NOMEM;
    memcpy(*out, v->mv_data, v->mv_size);
    *out_len = v->mv_size;
    return BST_OK;
}

bst_status bst_contracts_env_state_get(bst_contracts_env *env, const uint8_t *key, size_t klen,
                                       uint8_t **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    uint8_t k[CTR_STORED_KEY_MAX];
    if (!runtime_key(env->f->x->cfg, key, klen, k)) return BST_ERR_ARG;
    MDB_val v;
    int rc = ctr_storage_get(env->f->x->c, env->f->txn, CTR_RUNTIME_STORAGE_ID, k, 1 + klen, &v);
    if (rc == MDB_NOTFOUND) return BST_ERR_NOT_FOUND;
    if (rc) {
        if (!env->f->x->fatal) env->f->x->fatal = rc;
        return BST_ERR_INVALID;
    }
    return copy_out(&v, out, out_len);
}

/* set (val given) or clear (del) in the frame's transaction; a state failure voids the exec. */
static bst_status state_put(bst_contracts_env *env, const uint8_t *key, size_t klen,
                            const uint8_t *val, size_t vlen, bool del) {
    uint8_t k[CTR_STORED_KEY_MAX];
    if (!runtime_key(env->f->x->cfg, key, klen, k) || (vlen && !val)) return BST_ERR_ARG;
    if (vlen > env->f->x->cfg->max_storage_value_bytes) return BST_ERR_LIMIT;
    bst_contracts *c = env->f->x->c;
    int rc = del ? ctr_storage_del(c, env->f->txn, CTR_RUNTIME_STORAGE_ID, k, 1 + klen)
                 : ctr_storage_put(c, env->f->txn, CTR_RUNTIME_STORAGE_ID, k, 1 + klen, val, vlen);
    if (rc == MDB_NOTFOUND && del) return BST_OK;
    if (rc) {
        if (!env->f->x->fatal) env->f->x->fatal = rc;
        return BST_ERR_INVALID;
    }
    return BST_OK;
}

bst_status bst_contracts_env_state_set(bst_contracts_env *env, const uint8_t *key, size_t klen,
                                       const uint8_t *val, size_t vlen) {
    return state_put(env, key, klen, val, vlen, false);
}

bst_status bst_contracts_env_state_clear(bst_contracts_env *env, const uint8_t *key, size_t klen) {
    return state_put(env, key, klen, NULL, 0, true);
}

bst_status bst_contracts_runtime_state_get(bst_contracts *c, const uint8_t *key, size_t klen,
                                           uint8_t **out, size_t *out_len) {
    if (!c || !out || !out_len) return BST_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    uint8_t k[CTR_STORED_KEY_MAX];
    if (!runtime_key(&c->cfg, key, klen, k)) return BST_ERR_ARG;
    MDB_txn *t;
    if (mdb_txn_begin(c->env, NULL, MDB_RDONLY, &t)) return BST_ERR_INVALID;
    MDB_val v;
    int rc = ctr_storage_get(c, t, CTR_RUNTIME_STORAGE_ID, k, 1 + klen, &v);
    bst_status st = rc == MDB_NOTFOUND ? BST_ERR_NOT_FOUND
                    : rc               ? BST_ERR_INVALID
                                       : copy_out(&v, out, out_len);
    mdb_txn_abort(t);
    return st;
}

/* ---- the seal functions ------------------------------------------------------------------- */

/* After a handler: a state failure voids the exec (fatal), an env trap stands, else the
 * handler's failure traps with its message. */
static bool handler_failed(bst_contracts_env *env, const char *fallback) {
    if (env->f->x->fatal) return ctr_seal_fatal(env->f, env->c, env->f->x->fatal);
    if (env->trapped) return false;
    return ctr_seal_trap(env->f, env->c, env->error[0] ? env->error : fallback);
}

bool ctr_call_chain_extension(ctr_frame *f, bst_caller *c, const bst_value *args, bst_value *ret) {
    uint32_t id = (uint32_t)args[0].of.i32;
    bst_contracts *k = f->x->c;
    int slot = -1;
    for (unsigned i = 0; i < k->n_chain_ext; i++)
        if (k->chain_ext[i].id == (uint16_t)(id >> 16) && !k->chain_ext[i].disabled) slot = (int)i;
    /* pallet-contracts: an id no enabled extension has is NoChainExtension (a trap) */
    if (slot < 0) return ctr_seal_trap(f, c, "NoChainExtension");
    bst_contracts_env env;
    memset(&env, 0, sizeof env);
    env.f = f;
    env.c = c;
    env.slot = slot;
    for (int i = 0; i < 4; i++) env.args[i] = (uint32_t)args[1 + i].of.i32;
    const bst_chain_extension *ext = &k->chain_ext[slot];
    uint32_t code = 0;
    bool ok = ext->fn(ext->user, &env, (uint16_t)id, &code);
    if (!ok || env.trapped || f->x->fatal) {
        free(env.div_data);
        return handler_failed(&env, "chain extension failed");
    }
    if (env.diverged) {
        /* RetVal::Diverging: the contract ends as with seal_return */
        f->exit = EXIT_RETURN;
        f->ret_flags = env.div_flags;
        f->ret_data = env.div_data;
        f->ret_len = env.div_len;
        bst_caller_trap(c, "chain extension returned");
        return false;
    }
    ret->of.i32 = (int32_t)code;
    return true;
}

/* The most of dest an xcm_send passes on: a VersionedLocation is far smaller. */
#define CTR_XCM_DEST_MAX 1024u

/* A kind's seal function and its failure ReturnCode (a switch: the library keeps no table of
 * relocated pointers). */
static const char *kind_name(bst_runtime_call_kind kind) {
    switch (kind) {
    case BST_XCM_EXECUTE: return "xcm_execute";
    case BST_XCM_SEND: return "xcm_send";
    default: return "call_runtime";
    }
}

static uint32_t kind_failed(bst_runtime_call_kind kind) {
    switch (kind) {
    case BST_XCM_EXECUTE: return RC_XCM_EXECUTION_FAILED;
    case BST_XCM_SEND: return RC_XCM_SEND_FAILED;
    default: return RC_CALL_RUNTIME_FAILED;
    }
}

/* Puts "NAME failed: REASON\n" in the debug buffer (pallet-contracts appends the dispatch
 * error there) and answers the kind's failure ReturnCode. */
static bool dispatch_failed(ctr_frame *f, bst_runtime_call_kind kind, const char *why,
                            bst_value *ret) {
    char line[224];
    int n = snprintf(line, sizeof line, "%s failed: %s\n", kind_name(kind), why);
    if (n > 0)
        ctr_seal_debug_append(f, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    ret->of.i32 = (int32_t)kind_failed(kind);
    return true;
}

bool ctr_dispatch_runtime(ctr_frame *f, bst_caller *c, bst_runtime_call_kind kind,
                          uint32_t dest_ptr, uint32_t msg_ptr, uint32_t msg_len, uint32_t out_ptr,
                          bst_value *ret) {
    if (msg_len > f->x->cfg->max_input_bytes)
        return ctr_seal_trap(f, c, "DecodingFailed: message larger than the limit");
    const uint8_t *p = ctr_seal_view(f, c, msg_ptr, msg_len);
    if (!p) return false;
    const uint8_t *dest = NULL;
    size_t dest_len = 0;
    if (kind == BST_XCM_SEND) {
        /* the location is decoded from dest_ptr on: pass what memory holds there */
        uint64_t size = bst_memory_size(f->mem);
        if (dest_ptr >= size)
            return ctr_seal_trap(f, c, "OutOfBounds: pointer outside contract memory");
        dest_len =
            size - dest_ptr < CTR_XCM_DEST_MAX ? (size_t)(size - dest_ptr) : CTR_XCM_DEST_MAX;
        if (!(dest = ctr_seal_view(f, c, dest_ptr, (uint32_t)dest_len))) return false;
    }
    bst_contracts *k = f->x->c;
    if (!k->runtime_call) return dispatch_failed(f, kind, "no runtime to dispatch to", ret);
    /* the callback may run anything: it gets copies, not views of memory it could grow */
    uint8_t *msg = malloc(msg_len ? msg_len : 1), *dcopy = malloc(dest_len ? dest_len : 1);
    if (!msg || !dcopy) {
        free(msg);
        free(dcopy);
        return ctr_seal_fatal(f, c, -1);
    }
    if (msg_len) memcpy(msg, p, msg_len);
    if (dest_len) memcpy(dcopy, dest, dest_len);
    bst_contracts_env env;
    memset(&env, 0, sizeof env);
    env.f = f;
    env.c = c;
    env.slot = -1;
    env.msg = msg;
    env.msg_len = msg_len;
    env.args[0] = msg_ptr;
    env.args[1] = msg_len;
    env.args[2] = out_ptr;
    env.args[3] = CTR_SENTINEL;
    uint8_t hash[32] = {0};
    bst_dispatch_result r =
        k->runtime_call(k->runtime_call_user, &env, kind, kind == BST_XCM_SEND ? dcopy : NULL,
                        dest_len, msg, msg_len, hash);
    free(msg);
    free(dcopy);
    if (env.trapped || f->x->fatal || r == BST_DISPATCH_TRAP)
        return handler_failed(&env, "DecodingFailed");
    if (r != BST_DISPATCH_OK)
        return dispatch_failed(f, kind, env.error[0] ? env.error : "dispatch error", ret);
    if (kind == BST_XCM_SEND) {
        /* the message's hash, 32 bytes at output (no length pointer) */
        if (!ctr_seal_charge(f, c, 32 * BST_CONTRACTS_GAS_PER_BYTE)) return false;
        if (!bst_memory_write(f->mem, out_ptr, hash, 32))
            return ctr_seal_trap(f, c, "OutOfBounds: pointer outside contract memory");
    }
    ret->of.i32 = RC_SUCCESS;
    return true;
}

void ctr_chain_ext_frame_end(ctr_frame *f) {
    bst_contracts *k = f->x->c;
    for (unsigned i = 0; i < k->n_chain_ext; i++) {
        if (f->ext_state[i] && k->chain_ext[i].free_state)
            k->chain_ext[i].free_state(k->chain_ext[i].user, f->ext_state[i]);
        f->ext_state[i] = NULL;
    }
}
