/*
 * api.c — the /v1 endpoints of `bastion serve` (docs/service.md): code upload, contract
 * instantiation, calls and queries over the tenant's contract state, and plain export calls of
 * uploaded modules (/v1/invoke).  Every call runs under a ticket of the tenant
 * (bastion_pool.h): admission (max_instances, cpu), its deadline (call_timeout_ms, also spent
 * waiting for the tenant's state) and its counters.
 *
 * The tenant's bst_contracts handle serves one thread at a time (and every exec is an LMDB
 * write transaction, dry runs included), so contract requests of one tenant run one after the
 * other under state_lock; tenants never wait for each other.  A call is answered only after
 * bst_contracts_exec returned, i.e. after its transaction committed (synchronously: the
 * environment is opened without MDB_NOSYNC).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bastion_crypto.h"
#include "bastion_scale.h"
#include "bastion_sign.h"
#include "serve_impl.h"

/* ---- request bodies ------------------------------------------------------------------------ */

/* Whether key is one of the space-separated words of list. */
static bool one_of(const char *key, const char *list) {
    size_t n = strlen(key);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, key, n) == 0) return true;
        p += len + (end != NULL);
    }
    return false;
}

/* The body as a JSON object whose keys are all words of `allowed` (space-separated); NULL
 * after a 400 reply. */
static json_t *parse_object(const uint8_t *body, size_t len, const char *allowed, srv_reply *r) {
    json_error_t jerr;
    json_t *o = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o) {
        srv_reply_error(r, 400, "bad_request", "invalid JSON at line %d: %s", jerr.line, jerr.text);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        srv_reply_error(r, 400, "bad_request", "the body must be a JSON object");
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (!one_of(key, allowed)) {
            srv_reply_error(r, 400, "bad_request", "unknown field \"%s\"", key);
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* A field holding hex bytes ("0x..."); absent: empty.  false after a 400 reply. */
static bool field_hex(json_t *o, const char *key, uint8_t **out, size_t *len, srv_reply *r) {
    json_t *v = json_object_get(o, key);
    *out = NULL;
    *len = 0;
    if (!v) return true;
    const char *s = json_string_value(v);
    if (!s || !srv_hex_decode(s, out, len)) {
        srv_reply_error(r, 400, "bad_request", "\"%s\" must be a hex string (0x...)", key);
        return false;
    }
    return true;
}

/* A required 32-byte hex field. */
static bool field_hash(json_t *o, const char *key, uint8_t out[32], srv_reply *r) {
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || !srv_hex_exact(s, out, 32)) {
        srv_reply_error(r, 400, "bad_request", "\"%s\" must be 0x and 64 hex digits", key);
        return false;
    }
    return true;
}

/* A u128 (16 bytes LE) from a non-negative JSON integer or a decimal / 0x-hex string. */
static bool parse_u128(json_t *v, uint8_t out[16]) {
    memset(out, 0, 16);
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x < 0) return false;
        for (int i = 0; i < 8; i++) out[i] = (uint8_t)((uint64_t)x >> (8 * i));
        return true;
    }
    const char *s = json_string_value(v);
    if (!s || !*s) return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        size_t n = strlen(s + 2);
        if (n == 0 || n > 32) return false;
        for (size_t i = 0; i < n; i++) { /* the last digit is the lowest nibble */
            char c = s[2 + n - 1 - i];
            int d = (c >= '0' && c <= '9')   ? c - '0'
                    : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                             : -1;
            if (d < 0) return false;
            out[i / 2] |= (uint8_t)(d << (4 * (i % 2)));
        }
        return true;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned carry = (unsigned)(*s - '0');
        for (int i = 0; i < 16; i++) {
            unsigned v2 = out[i] * 10u + carry;
            out[i] = (uint8_t)v2;
            carry = v2 >> 8;
        }
        if (carry) return false; /* above u128::MAX */
    }
    return true;
}

/* "origin": a dev account name (alice ... ferdie) or 0x + 64 hex digits; default alice. */
static bool field_origin(const srv_tenant *t, json_t *o, uint8_t out[32], srv_reply *r) {
    json_t *v = json_object_get(o, "origin");
    const char *s = v ? json_string_value(v) : "alice";
    if (s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && srv_hex_exact(s, out, 32)) return true;
    const char *name;
    for (size_t i = 0; s && (name = bst_dev_account_name(i)) != NULL; i++) {
        if (strcasecmp(s, name) == 0) { /* as bst_dev_account: any case */
            memcpy(out, t->dev_pub[i], 32);
            return true;
        }
    }
    srv_reply_error(r, 400, "bad_request",
                    "\"origin\" must be alice, bob, charlie, dave, eve, ferdie or 0x and 64 hex "
                    "digits");
    return false;
}

/* ---- the tenant's state, under the call's deadline ----------------------------------------- */

/* Takes state_lock, waiting at most until deadline_ns (CLOCK_MONOTONIC; 0: no limit).  false
 * when the deadline passed first: the time a call waits for the state is part of its
 * call_timeout_ms. */
static bool lock_state(srv_tenant *t, uint64_t deadline_ns) {
    if (!deadline_ns) return pthread_mutex_lock(&t->state_lock) == 0;
    uint64_t now = bst_monotonic_ns();
    if (now >= deadline_ns) return pthread_mutex_trylock(&t->state_lock) == 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t left = deadline_ns - now;
    ts.tv_sec += (time_t)(left / 1000000000u);
    ts.tv_nsec += (long)(left % 1000000000u);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    int rc;
    while ((rc = pthread_mutex_timedlock(&t->state_lock, &ts)) == EINTR) {
    }
    return rc == 0;
}

/* ---- contract results ---------------------------------------------------------------------- */

static bst_outcome contract_outcome(bst_ticket *k, const bst_contract_result *res) {
    switch (res->outcome) {
    case BST_CONTRACT_SUCCESS: return BST_OUTCOME_SUCCESS;
    case BST_CONTRACT_REVERTED: return BST_OUTCOME_REVERT;
    case BST_CONTRACT_OUT_OF_GAS: return BST_OUTCOME_OUT_OF_GAS;
    case BST_CONTRACT_TRAPPED: {
        bst_error e;
        memset(&e, 0, sizeof e);
        e.status = BST_ERR_TRAP;
        e.trap = res->trap;
        return bst_ticket_outcome(k, BST_ERR_TRAP, &e);
    }
    default: return BST_OUTCOME_ERROR;
    }
}

static json_t *events_json(const bst_contract_result *res) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < res->nevents; i++) {
        const bst_contract_event *ev = &res->events[i];
        json_t *topics = json_array();
        for (uint32_t j = 0; topics && j < ev->ntopics; j++)
            json_array_append_new(topics, srv_json_hex(ev->topics[j], 32));
        json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "emitter",
                                           srv_json_hex(ev->emitter, 32), "topics", topics, "data",
                                           srv_json_hex(ev->data, ev->data_len)));
    }
    return a;
}

static void reply_result(srv_reply *r, bst_outcome oc, const bst_contract_result *res,
                         bool instantiate) {
    json_t *o = json_object();
    r->status = 200;
    r->json = o;
    if (!o) return;
    json_object_set_new(o, "outcome", json_string(bst_outcome_name(oc)));
    if (instantiate && oc == BST_OUTCOME_SUCCESS)
        json_object_set_new(o, "address", srv_json_hex(res->address, 32));
    json_object_set_new(o, "data", srv_json_hex(res->data, res->data_len));
    json_object_set_new(o, "gas_used", json_integer((json_int_t)res->gas_used));
    json_object_set_new(o, "proof_size_used", json_integer((json_int_t)res->proof_size_used));
    /* the net storage deposit, {"charge": "N"} or {"refund": "N"}: a u128 as decimal text */
    char dep[40];
    bst_scale_u128_decimal(res->storage_deposit, dep);
    json_object_set_new(o, "storage_deposit",
                        json_pack("{s:s}", res->storage_deposit_refund ? "refund" : "charge", dep));
    json_object_set_new(o, "events", events_json(res));
    if (oc == BST_OUTCOME_TRAP || oc == BST_OUTCOME_TIMEOUT || oc == BST_OUTCOME_CPU)
        json_object_set_new(o, "trap", json_string(res->error[0] ? res->error : "trap"));
    else if (oc != BST_OUTCOME_SUCCESS && res->error[0])
        json_object_set_new(o, "error", json_string(res->error));
    if (res->debug) json_object_set_new(o, "debug", json_stringn(res->debug, res->debug_len));
}

/* Runs one exec under a ticket of the tenant and the state lock.  For a call the destination
 * must be a contract of this tenant (else 404); for an instantiation the code must be stored
 * and max_contracts not reached. */
static void run_exec(srv_tenant *t, bst_contract_exec *ex, srv_reply *r) {
    bool inst = ex->kind == BST_CONTRACT_INSTANTIATE;
    bst_rejection rej;
    memset(&rej, 0, sizeof rej);
    bst_ticket *k = bst_tenant_enter(t->tenant, &rej);
    if (!k) {
        srv_reply_quota(r, &rej);
        return;
    }
    bst_contract_result res;
    memset(&res, 0, sizeof res);
    if (!lock_state(t, bst_ticket_deadline(k))) {
        snprintf(res.error, sizeof res.error, "call_timeout_ms passed waiting for the state");
        bst_tenant_leave(k, BST_OUTCOME_TIMEOUT);
        reply_result(r, BST_OUTCOME_TIMEOUT, &res, inst);
        return;
    }
    uint8_t hash[32];
    uint64_t ncontracts = 0;
    if (inst ? !bst_contracts_code_exists(t->contracts, ex->code_hash)
             : !bst_contracts_code_hash_of(t->contracts, ex->dest, hash)) {
        pthread_mutex_unlock(&t->state_lock);
        bst_tenant_leave(k, BST_OUTCOME_ERROR);
        srv_reply_error(r, 404, "not_found", inst ? "unknown code" : "unknown contract");
        return;
    }
    if (inst && (!bst_contracts_count(t->contracts, &ncontracts) ||
                 !bst_tenant_check_contracts(t->tenant, ncontracts, &rej))) {
        pthread_mutex_unlock(&t->state_lock);
        bst_tenant_leave(k, BST_OUTCOME_ERROR);
        if (rej.quota != BST_QUOTA_NONE)
            srv_reply_quota(r, &rej);
        else
            srv_reply_error(r, 500, "internal", "cannot read the state");
        return;
    }
    ex->ticket = k;
    ex->deadline = bst_ticket_deadline(k);
    ex->max_memory_pages = t->limits.memory_pages;
    bst_status st = bst_contracts_exec(t->contracts, ex, &res);
    bst_contracts_stats cs;
    bst_contracts_get_stats(t->contracts, &cs);
    atomic_store(&t->contract_instances_made, cs.instances_made);
    atomic_store(&t->contract_instances_reused, cs.instances_reused);
    pthread_mutex_unlock(&t->state_lock);
    bst_outcome oc = contract_outcome(k, &res);
    bst_tenant_leave(k, oc);
    if (st != BST_OK && st != BST_ERR_ARG) {
        srv_reply_error(r, 500, "internal", "%s", res.error[0] ? res.error : "state failure");
    } else {
        reply_result(r, oc, &res, inst);
    }
    bst_contract_result_free(&res);
}

/* A limit field: absent 0 (the default), else a non-negative integer.  False after replying. */
static bool field_limit(json_t *o, const char *key, uint64_t *out, srv_reply *r) {
    json_t *v = json_object_get(o, key);
    if (v && (!json_is_integer(v) || json_integer_value(v) < 0)) {
        srv_reply_error(r, 400, "bad_request", "\"%s\" must be a non-negative integer", key);
        return false;
    }
    *out = v ? (uint64_t)json_integer_value(v) : 0;
    return true;
}

/* The fields instantiate/call/query share: origin, data, value, gas_limit (ref_time),
 * proof_size_limit. */
static bool exec_fields(const srv_tenant *t, json_t *o, bst_contract_exec *ex, uint8_t **input,
                        srv_reply *r) {
    if (!field_origin(t, o, ex->origin, r) || !field_hex(o, "data", input, &ex->input_len, r))
        return false;
    ex->input = *input;
    json_t *v = json_object_get(o, "value");
    if (v && !parse_u128(v, ex->value)) {
        srv_reply_error(r, 400, "bad_request",
                        "\"value\" must be a u128 (a number, or a decimal or 0x hex string)");
        return false;
    }
    return field_limit(o, "gas_limit", &ex->gas_limit, r) &&
           field_limit(o, "proof_size_limit", &ex->proof_size_limit, r);
}

void srv_instantiate(srv_tenant *t, const uint8_t *body, size_t len, srv_reply *r) {
    static const char keys[] = "code_hash data value gas_limit proof_size_limit salt origin";
    json_t *o = parse_object(body, len, keys, r);
    if (!o) return;
    bst_contract_exec ex;
    memset(&ex, 0, sizeof ex);
    ex.kind = BST_CONTRACT_INSTANTIATE;
    uint8_t *input = NULL, *salt = NULL;
    if (field_hash(o, "code_hash", ex.code_hash, r) && exec_fields(t, o, &ex, &input, r) &&
        field_hex(o, "salt", &salt, &ex.salt_len, r)) {
        ex.salt = salt;
        run_exec(t, &ex, r);
    }
    free(input);
    free(salt);
    json_decref(o);
}

void srv_call(srv_tenant *t, const char *address, bool query, const uint8_t *body, size_t len,
              srv_reply *r) {
    static const char keys[] = "data value gas_limit proof_size_limit origin";
    bst_contract_exec ex;
    memset(&ex, 0, sizeof ex);
    ex.kind = BST_CONTRACT_CALL;
    ex.dry_run = query;
    if (!srv_hex_exact(address, ex.dest, 32)) {
        srv_reply_error(r, 404, "not_found", "unknown contract");
        return;
    }
    json_t *o = parse_object(body, len, keys, r);
    if (!o) return;
    uint8_t *input = NULL;
    if (exec_fields(t, o, &ex, &input, r)) run_exec(t, &ex, r);
    free(input);
    json_decref(o);
}

/* ---- code upload --------------------------------------------------------------------------- */

/* A module without imports is a plain module for /v1/invoke; anything else must pass the
 * contract upload rules (docs/contracts.md). */
/* The tenant's trust policy (docs/signing.md): with trusted keys, the module must carry enough
 * of their signatures, checked before anything decodes it; *len becomes the signed part's
 * length (unsigned custom sections after it are dropped: only what was signed is stored).
 * false after a 422 reply. */
static bool check_signature(const srv_tenant *t, const uint8_t *body, size_t *len, srv_reply *r) {
    if (t->nkeys == 0) return true;
    bst_sign_trust trust = {t->keys, t->nkeys, t->signatures_required};
    bst_sign_result res;
    if (bst_sign_verify_module(&trust, body, *len, NULL, 0, &res) == BST_SIGN_OK) {
        *len = res.signed_len;
        return true;
    }
    if (res.status == BST_SIGN_ERROR) { /* out of memory: not the module's fault */
        srv_reply_error(r, 500, "internal", "signature check: %s", res.message);
        return false;
    }
    r->status = 422;
    r->json = json_pack("{s:s, s:s, s:s}", "error", "signature", "reason",
                        bst_sign_status_name(res.status), "message",
                        res.message[0] ? res.message : bst_sign_status_name(res.status));
    return false;
}

void srv_put_code(srv_tenant *t, const uint8_t *body, size_t len, srv_reply *r) {
    bst_rejection rej;
    memset(&rej, 0, sizeof rej);
    if (!bst_tenant_check_code(t->tenant, len, &rej)) {
        srv_reply_error(r, 413, "too_large", "%s", rej.message);
        return;
    }
    if (!check_signature(t, body, &len, r)) return;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_module *m = bst_module_new(body, len, &err);
    if (!m) {
        srv_reply_error(r, 400, "bad_request", "module rejected: %s",
                        err.message[0] ? err.message : bst_status_name(err.status));
        return;
    }
    bool plain = bst_module_import_count(m) == 0;
    uint8_t hash[32];
    if (plain) {
        if (!bst_tenant_check_module(t->tenant, m, &rej)) {
            bst_module_free(m);
            srv_reply_quota(r, &rej);
            return;
        }
        bst_module_free(m);
        bst_blake2_256(body, len, hash);
        if (!srv_module_store(t, hash, body, len, &err)) {
            srv_reply_error(r, 500, "internal", "%s", err.message);
            return;
        }
    } else {
        bst_module_free(m);
        /* the uploader pays the code deposit: the tenant's first dev account (alice), which
         * the tenant endows */
        const uint8_t *origin = t->dev_pub[0];
        pthread_mutex_lock(&t->state_lock);
        bst_status st = bst_contracts_upload(t->contracts, origin, body, len, hash, &err);
        pthread_mutex_unlock(&t->state_lock);
        if (st != BST_OK) {
            srv_reply_error(r, st == BST_ERR_NOMEM ? 500 : 400, "bad_request", "code rejected: %s",
                            err.message[0] ? err.message : bst_status_name(st));
            return;
        }
    }
    r->status = 201;
    r->json = json_pack("{s:o, s:s}", "code_hash", srv_json_hex(hash, 32), "kind",
                        plain ? "module" : "contract");
}

/* ---- /v1/invoke ------------------------------------------------------------------------------ */

static bool arg_value(json_t *v, bst_valtype type, bst_value *out) {
    out->type = type;
    switch (type) {
    case BST_I32: {
        if (!json_is_integer(v)) return false;
        json_int_t x = json_integer_value(v);
        if (x < INT32_MIN || x > (json_int_t)UINT32_MAX) return false;
        out->of.i32 = (int32_t)(uint32_t)x;
        return true;
    }
    case BST_I64: {
        if (json_is_integer(v)) {
            out->of.i64 = (int64_t)json_integer_value(v);
            return true;
        }
        const char *s = json_string_value(v);
        char *end;
        if (!s || !*s) return false;
        errno = 0;
        out->of.i64 = (int64_t)strtoll(s, &end, 10);
        return !*end && errno == 0;
    }
    case BST_F32: {
        if (!json_is_number(v)) return false;
        float f = (float)json_number_value(v);
        memcpy(&out->of.f32, &f, 4);
        return true;
    }
    case BST_F64: {
        if (!json_is_number(v)) return false;
        double d = json_number_value(v);
        memcpy(&out->of.f64, &d, 8);
        return true;
    }
    default: return false;
    }
}

static json_t *result_json(const bst_value *v) {
    double d;
    switch (v->type) {
    case BST_I32: return json_integer(v->of.i32);
    case BST_I64: return json_integer((json_int_t)v->of.i64);
    case BST_F32: {
        float f;
        memcpy(&f, &v->of.f32, 4);
        d = f;
        break;
    }
    case BST_F64: memcpy(&d, &v->of.f64, 8); break;
    default: return json_null();
    }
    if (isnan(d)) return json_string("nan");
    if (isinf(d)) return json_string(d > 0 ? "inf" : "-inf");
    return json_real(d);
}

#define INVOKE_MAX_VALUES 64

/* The exported function's arguments from "args"; false after a 400 reply. */
static bool invoke_args(json_t *o, const bst_functype *ft, bst_value *args, srv_reply *r) {
    json_t *a = json_object_get(o, "args");
    if (a && !json_is_array(a)) {
        srv_reply_error(r, 400, "bad_request", "\"args\" must be an array");
        return false;
    }
    size_t n = a ? json_array_size(a) : 0;
    if (n != ft->nparams || ft->nparams > INVOKE_MAX_VALUES || ft->nresults > INVOKE_MAX_VALUES) {
        srv_reply_error(r, 400, "bad_request", "the function takes %u arguments, %zu given",
                        ft->nparams, n);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!arg_value(json_array_get(a, i), ft->params[i], &args[i])) {
            srv_reply_error(r, 400, "bad_request", "args[%zu] is not a valid %s", i,
                            bst_valtype_name(ft->params[i]));
            return false;
        }
    }
    return true;
}

/* The type of the function exported as name (the module's, valid as long as it). */
static bool export_func_type(const bst_module *m, const char *name, bst_functype *out) {
    size_t n = strlen(name);
    for (uint32_t i = 0, count = bst_module_export_count(m); i < count; i++) {
        bst_export_desc d;
        bst_module_export(m, i, &d);
        if (d.type.kind == BST_EXTERN_FUNC && d.name_len == n && memcmp(d.name, name, n) == 0) {
            *out = d.type.func;
            return true;
        }
    }
    return false;
}

/* Calls the export on a pooled instance (the lease is admitted by the tenant's quotas). */
static void invoke_call(srv_module *sm, const char *fname, json_t *o, srv_reply *r) {
    bst_rejection rej;
    bst_error err;
    memset(&rej, 0, sizeof rej);
    memset(&err, 0, sizeof err);
    bst_functype ft;
    if (!export_func_type(sm->m, fname, &ft)) {
        srv_reply_error(r, 400, "bad_request", "no exported function \"%s\"", fname);
        return;
    }
    bst_value args[INVOKE_MAX_VALUES], results[INVOKE_MAX_VALUES];
    if (!invoke_args(o, &ft, args, r)) return;
    json_t *fuel = json_object_get(o, "fuel");
    if (fuel && (!json_is_integer(fuel) || json_integer_value(fuel) <= 0)) {
        srv_reply_error(r, 400, "bad_request", "\"fuel\" must be a positive integer");
        return;
    }
    bst_lease *l = bst_pool_acquire(sm->pool, &rej, &err);
    if (!l) {
        if (rej.quota != BST_QUOTA_NONE)
            srv_reply_quota(r, &rej);
        else
            srv_reply_error(r, 500, "internal", "cannot make an instance: %s", err.message);
        return;
    }
    bst_store *st = bst_lease_store(l);
    if (fuel) bst_store_set_fuel(st, (uint64_t)json_integer_value(fuel));
    uint64_t fuel_before = bst_store_fuel(st);
    bst_func *f = bst_instance_func(bst_lease_instance(l), fname);
    bst_status s =
        f ? bst_call(f, args, ft.nparams, results, ft.nresults, &err) : BST_ERR_NOT_FOUND;
    bst_outcome oc = bst_lease_outcome(l, s, &err);
    uint64_t fuel_used = fuel_before - bst_store_fuel(st);
    bool reused = bst_lease_reused(l);
    bst_lease_release(l, oc);
    json_t *res = json_object();
    r->status = 200;
    r->json = res;
    if (!res) return;
    json_object_set_new(res, "outcome", json_string(bst_outcome_name(oc)));
    json_t *out = json_array();
    for (uint32_t i = 0; s == BST_OK && out && i < ft.nresults; i++)
        json_array_append_new(out, result_json(&results[i]));
    json_object_set_new(res, "results", out);
    json_object_set_new(res, "fuel_used", json_integer((json_int_t)fuel_used));
    json_object_set_new(res, "pooled", json_boolean(reused));
    if (s != BST_OK)
        json_object_set_new(res, "trap",
                            json_string(err.message[0] ? err.message
                                        : err.trap     ? bst_trap_message(err.trap)
                                                       : bst_status_name(s)));
}

void srv_invoke(srv_tenant *t, const uint8_t *body, size_t len, srv_reply *r) {
    static const char keys[] = "code_hash function args fuel";
    json_t *o = parse_object(body, len, keys, r);
    if (!o) return;
    uint8_t hash[32];
    const char *fname = json_string_value(json_object_get(o, "function"));
    if (!field_hash(o, "code_hash", hash, r)) goto out;
    if (!fname) {
        srv_reply_error(r, 400, "bad_request", "\"function\" must be a string");
        goto out;
    }
    bst_rejection rej;
    bst_error err;
    memset(&rej, 0, sizeof rej);
    memset(&err, 0, sizeof err);
    srv_module *sm = srv_module_get(t, hash, &rej, &err);
    if (!sm) {
        if (err.status == BST_ERR_NOT_FOUND)
            srv_reply_error(r, 404, "not_found", "unknown code");
        else if (rej.quota != BST_QUOTA_NONE)
            srv_reply_quota(r, &rej);
        else
            srv_reply_error(r, 500, "internal", "cannot load the module: %s", err.message);
        goto out;
    }
    invoke_call(sm, fname, o, r);
out:
    json_decref(o);
}
