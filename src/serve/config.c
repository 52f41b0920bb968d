/*
 * config.c — the tenants file of `bastion serve` (docs/service.md):
 *
 *   {"tenants": [{"name": "a", "token": "...", "max_instances": 8, "memory_pages": 64,
 *                 "cpu_ms_per_s": 200, "acquire_timeout_ms": 100, "call_timeout_ms": 1000,
 *                 "max_code_bytes": 131072, "max_contracts": 1000,
 *                 "trusted_keys": ["<minisign .pub text or its base64 line>"],
 *                 "signatures_required": 1}],
 *    "metrics_token": "..."}
 *
 * Strict: an unknown field, a duplicate key, a wrong type, a value out of range, a repeated
 * name or token, a key that does not parse is an error naming it; missing limits take
 * bst_tenant_limits_default's values.  Tokens are kept only as BLAKE2b-256 digests, compared in
 * constant time (server.c).  Trusted keys are parsed here, once, not at each upload.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_crypto.h"
#include "bastion_sign.h"
#include "serve_impl.h"

static bool fail(bst_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(bst_error *err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    err->status = BST_ERR_ARG;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return false;
}

static bool valid_name(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > SRV_NAME_MAX) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* A non-empty string token of printable ASCII without spaces (it travels in a header). */
static bool token_hash(json_t *v, uint8_t out[32]) {
    const char *s = json_string_value(v);
    size_t n = s ? json_string_length(v) : 0;
    if (n == 0 || n > 1024) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~') return false;
    bst_blake2_256(s, n, out);
    return true;
}

/* One numeric limit: an integer within [lo, hi]. */
static bool limit(const char *tenant, const char *key, json_t *v, uint64_t lo, uint64_t hi,
                  uint64_t *out, bst_error *err) {
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) < lo ||
        (uint64_t)json_integer_value(v) > hi)
        return fail(err, "tenant %s: %s must be an integer from %llu to %llu", tenant, key,
                    (unsigned long long)lo, (unsigned long long)hi);
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static bool tenant_limit(srv_tenant *t, const char *key, json_t *v, bst_error *err) {
    bst_tenant_limits *l = &t->limits;
    uint64_t x;
    /* clang-format off */
#define U32(field, lo, hi)                                                      \
    if (strcmp(key, #field) == 0) {                                             \
        if (!limit(t->name, key, v, lo, hi, &x, err)) return false;             \
        l->field = (uint32_t)x;                                                 \
        return true;                                                            \
    }
    U32(max_instances, 1, 4096)
    U32(memory_pages, 1, 65536)
    U32(cpu_ms_per_s, 0, 1000000)
    U32(acquire_timeout_ms, 0, 3600000)
    U32(call_timeout_ms, 0, 3600000)
    U32(max_contracts, 0, UINT32_MAX)
#undef U32
    /* clang-format on */
    if (strcmp(key, "max_code_bytes") == 0) {
        /* the body of one upload: at most 16 MiB */
        if (!limit(t->name, key, v, 1, 16u << 20, &x, err)) return false;
        l->max_code_bytes = x;
        return true;
    }
    return fail(err, "tenant %s: unknown field \"%s\"", t->name, key);
}

/* "trusted_keys": 1 to BST_SIGN_MAX_KEYS strings, each a minisign public key (bastion_sign.h). */
static bool trusted_keys(srv_tenant *t, json_t *v, bst_error *err) {
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n == 0 || n > BST_SIGN_MAX_KEYS)
        return fail(err, "tenant %s: \"trusted_keys\" must be an array of 1 to %d public keys",
                    t->name, BST_SIGN_MAX_KEYS);
    t->keys = calloc(n, sizeof *t->keys);
    if (!t->keys) {
        fail(err, "out of memory");
        err->status = BST_ERR_NOMEM;
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *k = json_array_get(v, i);
        const char *text = json_string_value(k);
        char why[160] = "not a string";
        if (!text || bst_sign_pubkey_parse(text, json_string_length(k), &t->keys[i], why,
                                           sizeof why) != BST_SIGN_OK)
            return fail(err, "tenant %s: trusted_keys[%zu]: %s", t->name, i, why);
    }
    t->nkeys = n;
    return true;
}

/* The trust policy fields; the threshold is checked against the keys once both are read. */
static bool trust_fields(srv_tenant *t, json_t *obj, bst_error *err) {
    json_t *keys = json_object_get(obj, "trusted_keys");
    json_t *k = json_object_get(obj, "signatures_required");
    if (keys && !trusted_keys(t, keys, err)) return false;
    if (!k) {
        t->signatures_required = t->nkeys ? 1 : 0;
        return true;
    }
    if (!keys)
        return fail(err, "tenant %s: \"signatures_required\" needs \"trusted_keys\"", t->name);
    uint64_t x;
    if (!limit(t->name, "signatures_required", k, 1, t->nkeys, &x, err)) return false;
    t->signatures_required = (size_t)x;
    return true;
}

static bool parse_tenant(bst_serve *s, size_t i, json_t *obj, bst_error *err) {
    srv_tenant *t = &s->tenants[i];
    if (!json_is_object(obj)) return fail(err, "tenants[%zu] must be an object", i);
    const char *name = json_string_value(json_object_get(obj, "name"));
    if (!name || !valid_name(name))
        return fail(err, "tenants[%zu]: \"name\" must be 1 to %d of A-Z a-z 0-9 _ -", i,
                    SRV_NAME_MAX);
    snprintf(t->name, sizeof t->name, "%s", name);
    if (!token_hash(json_object_get(obj, "token"), t->token_hash))
        return fail(err,
                    "tenant %s: \"token\" must be a non-empty string of printable ASCII "
                    "without spaces (at most 1024 bytes)",
                    name);
    bst_tenant_limits_default(&t->limits);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (strcmp(key, "name") == 0 || strcmp(key, "token") == 0 ||
            strcmp(key, "trusted_keys") == 0 || strcmp(key, "signatures_required") == 0)
            continue;
        if (!tenant_limit(t, key, v, err)) return false;
    }
    if (!trust_fields(t, obj, err)) return false;
    for (size_t j = 0; j < i; j++) {
        if (strcmp(s->tenants[j].name, t->name) == 0)
            return fail(err, "tenant %s: the name is used twice", name);
        if (memcmp(s->tenants[j].token_hash, t->token_hash, 32) == 0)
            return fail(err, "tenant %s: the same token as tenant %s", name, s->tenants[j].name);
    }
    return true;
}

bool srv_config_load(bst_serve *s, const char *path, bst_error *err) {
    json_error_t jerr;
    /* A config file is small: refuse anything that is not (jansson reads it whole). */
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) return fail(err, "%s:%d: %s", path, jerr.line, jerr.text);
    bool ok = false;
    json_t *tenants = json_object_get(root, "tenants");
    const char *key;
    json_t *v;
    if (!json_is_object(root)) {
        fail(err, "%s: the top level must be an object", path);
        goto out;
    }
    json_object_foreach(root, key, v) {
        if (strcmp(key, "tenants") == 0) continue;
        if (strcmp(key, "metrics_token") == 0) {
            if (!token_hash(v, s->metrics_token_hash)) {
                fail(err,
                     "%s: \"metrics_token\" must be a non-empty string of printable "
                     "ASCII without spaces",
                     path);
                goto out;
            }
            s->metrics_token_set = true;
            continue;
        }
        fail(err, "%s: unknown field \"%s\"", path, key);
        goto out;
    }
    if (!json_is_array(tenants) || json_array_size(tenants) == 0 ||
        json_array_size(tenants) > 1024) {
        fail(err, "%s: \"tenants\" must be an array of 1 to 1024 tenants", path);
        goto out;
    }
    s->ntenants = json_array_size(tenants);
    s->tenants = calloc(s->ntenants, sizeof *s->tenants);
    if (!s->tenants) {
        err->status = BST_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        s->ntenants = 0;
        goto out;
    }
    for (size_t i = 0; i < s->ntenants; i++)
        if (!parse_tenant(s, i, json_array_get(tenants, i), err)) goto out;
    ok = true;
out:
    json_decref(root);
    return ok;
}
