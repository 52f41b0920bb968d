/*
 * contract_json.c — the JSON form of an exec's outcome (contract_json.h), built with jansson
 * so that every string is escaped by the library: contract output (data, events, debug text)
 * is untrusted and must not be able to break the document.  The members are those of the
 * labelled lines; a member that has no line for this outcome is null, so the shape is fixed.
 */
#include "contract_json.h"

#include "account.h"
#include "bastion_scale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* "0x" + the hex of p[0..n). */
static json_t *hex_str(const uint8_t *p, size_t n) {
    char *s = malloc(2 * n + 3);
    if (!s) return NULL;
    s[0] = '0';
    s[1] = 'x';
    s[2] = 0; /* empty data (n == 0) is "0x" */
    for (size_t i = 0; i < n; i++) snprintf(s + 2 + 2 * i, 3, "%02x", p[i]);
    json_t *j = json_string(s);
    free(s);
    return j;
}

/* Text from a contract (its debug buffer, an error naming what it did) as a JSON string: as it
 * is when it is UTF-8 (NULs included), else with every byte >= 0x80 written as the text \xNN
 * so the rest stays readable. */
static json_t *text_str(const char *p, size_t n) {
    json_t *j = json_stringn(p, n);
    if (j) return j;
    char *s = malloc(4 * n + 1);
    if (!s) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x80)
            k += (size_t)snprintf(s + k, 5, "\\x%02x", c);
        else
            s[k++] = (char)c;
    }
    j = json_stringn(s, k);
    free(s);
    return j;
}

/* Takes ownership of v (NULL: the build failed, remembered in *ok). */
static void put(json_t *obj, const char *key, json_t *v, bool *ok) {
    if (!v || json_object_set_new(obj, key, v) != 0) *ok = false;
}

/* "text" decoded by the metadata, or null; a decoding failure's reason in `error_key`. */
static void put_decoded(json_t *obj, const char *key, const char *error_key, bool decoded,
                        char *text, const char *err, bool *ok) {
    put(obj, key, decoded && text ? json_string(text) : json_null(), ok);
    if (error_key) put(obj, error_key, decoded ? json_null() : json_string(err), ok);
    free(text);
}

static json_t *event_json(const bst_contract_event *ev, const ink_metadata *md, bool *ok) {
    json_t *e = json_object(), *topics = json_array();
    if (!e || !topics) {
        json_decref(e);
        json_decref(topics);
        *ok = false;
        return NULL;
    }
    put(e, "emitter", hex_str(ev->emitter, 32), ok);
    for (uint32_t t = 0; t < ev->ntopics; t++)
        if (json_array_append_new(topics, hex_str(ev->topics[t], 32)) != 0) *ok = false;
    put(e, "topics", topics, ok);
    put(e, "data", hex_str(ev->data, ev->data_len), ok);
    char *text = NULL, err[256] = "";
    bool decoded = md && ink_decode_event(md, (const uint8_t(*)[32])ev->topics, ev->ntopics,
                                          ev->data, ev->data_len, &text, err, sizeof err);
    if (!md) snprintf(err, sizeof err, "no metadata");
    put_decoded(e, "decoded", "decode_error", decoded, text, err, ok);
    return e;
}

bool contract_print_json(const bst_contract_result *r, bool instantiate, const uint8_t *input,
                         size_t input_len, const ink_metadata *md, const ink_fn *fn) {
    bool ok = true;
    json_t *o = json_object(), *events = json_array();
    if (!o || !events) {
        json_decref(o);
        json_decref(events);
        return false;
    }
    bool ran = r->outcome == BST_CONTRACT_SUCCESS || r->outcome == BST_CONTRACT_REVERTED;
    static const uint8_t zero[32];
    put(o, "input", hex_str(input, input_len), &ok);
    put(o, "outcome", json_string(bst_contract_outcome_name(r->outcome)), &ok);
    put(o, "address",
        instantiate && r->outcome == BST_CONTRACT_SUCCESS ? hex_str(r->address, 32) : json_null(),
        &ok);
    put(o, "code_hash", memcmp(r->code_hash, zero, 32) ? hex_str(r->code_hash, 32) : json_null(),
        &ok);
    put(o, "flags", ran ? json_integer(r->flags) : json_null(), &ok);
    put(o, "data", ran ? hex_str(r->data, r->data_len) : json_null(), &ok);
    if (ran && md && fn) {
        char *text = NULL, err[256] = "";
        bool decoded = ink_decode_return(md, fn, r->data, r->data_len, &text, err, sizeof err);
        put_decoded(o, "result", "result_error", decoded, text, err, &ok);
    } else {
        put(o, "result", json_null(), &ok);
        put(o, "result_error", json_null(), &ok);
    }
    for (size_t i = 0; i < r->nevents; i++)
        if (json_array_append_new(events, event_json(&r->events[i], md, &ok)) != 0) ok = false;
    put(o, "events", events, &ok);
    /* gas_used never exceeds the limit, at most INT64_MAX (CLI_FUEL_MAX) */
    put(o, "gas_used", json_integer((json_int_t)r->gas_used), &ok);
    /* Weight v2: both dimensions, as pallet-contracts' gas_consumed (proof_size_used is at most
     * its limit, itself at most INT64_MAX) */
    put(o, "gas_consumed",
        json_pack("{s:I, s:I}", "ref_time", (json_int_t)r->gas_used, "proof_size",
                  (json_int_t)r->proof_size_used),
        &ok);
    /* {"charge": "N"} or {"refund": "N"}: u128 as a decimal string (JSON numbers are doubles) */
    char dep[40];
    bst_scale_u128_decimal(r->storage_deposit, dep);
    json_t *d = json_object();
    if (d && json_object_set_new(d, r->storage_deposit_refund ? "refund" : "charge",
                                 json_string(dep)) != 0)
        ok = false;
    put(o, "storage_deposit", d, &ok);
    put(o, "debug", r->debug ? text_str(r->debug, r->debug_len) : json_null(), &ok);
    put(o, "error",
        r->outcome != BST_CONTRACT_SUCCESS && r->error[0] ? text_str(r->error, strlen(r->error))
                                                          : json_null(),
        &ok);
    if (ok) {
        ok = json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0;
        if (ok) putchar('\n');
    }
    json_decref(o);
    return ok;
}
