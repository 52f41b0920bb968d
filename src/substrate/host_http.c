/*
 * host_http.c — the offchain HTTP host functions (ext_offchain_http_*, sp-io's `offchain`
 * interface) over the embedder's provider, bst_substrate_options.http (bastion_substrate.h).
 *
 * Each function first decodes and checks every argument from the runtime as
 * sp-runtime-interface does (spans inside the memory, UTF-8 for &str, SCALE for
 * Vec<HttpRequestId> and Option<Timestamp>; a violation traps), a little stricter in two ways:
 * bytes after a SCALE argument trap (Substrate ignores them), and an id beyond u16 (Substrate
 * truncates it) is answered as unknown without asking the provider.  Then it asks the provider
 * with host-side copies and encodes the answer as sp-io does:
 *
 *   request_start(method: &str, uri: &str, meta: &[u8])          -> Result<HttpRequestId, ()>
 *   request_add_header(id, name: &str, value: &str)               -> Result<(), ()>
 *   request_write_body(id, chunk: &[u8], deadline)                -> Result<(), HttpError>
 *   response_wait(ids: &[HttpRequestId], deadline)                -> Vec<HttpRequestStatus>
 *   response_headers(id)                                          -> Vec<(Vec<u8>, Vec<u8>)>
 *   response_read_body(id, buffer: &mut [u8], deadline)           -> Result<u32, HttpError>
 *
 * HttpRequestId is a u16 passed as an i32; deadlines are Option<Timestamp> (u64 milliseconds);
 * HttpError's SCALE discriminants are its explicit ones (DeadlineReached = 1, IoError = 2,
 * Invalid = 3); HttpRequestStatus is DeadlineReached, IoError, Invalid, Finished(u16).  Without a
 * provider (or callback) request_start answers Err(()) and every id is unknown.
 *
 * Like every offchain-worker function these trap outside an offchain call (opts.offchain).  The
 * call's deadline (bst_substrate_runtime_set_deadline) caps the deadline handed to the provider,
 * and a call that returns past it traps as interrupted (the engine's check after host calls).
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The provider, when it has the callback `cb`, else NULL. */
#define HTTP_CB(rt, cb) ((rt)->opts.http && (rt)->opts.http->cb ? (rt)->opts.http : NULL)

/* A request id from the runtime: an HttpRequestId is a u16 crossing as an i32; a value beyond
 * it is never handed to the provider (false: answer as for an unknown id). */
static bool http_id(const bst_value *arg, uint16_t *id) {
    uint32_t v = (uint32_t)arg->of.i32;
    *id = (uint16_t)v;
    return v <= UINT16_MAX;
}

/* A host-side copy of the span `packed`, NUL-terminated (*out is freed with free()); with
 * `utf8` the bytes must be valid UTF-8 (a &str argument).  False after trapping. */
static bool http_copy(bst_caller *c, bst_substrate_runtime *rt, int64_t packed, bool utf8,
                      const char *what, uint8_t **out, uint32_t *len, const char *fn) {
    *out = NULL;
    const uint8_t *p = sub_span(c, rt, packed, len, fn);
    if (!p) return false;
    uint8_t *copy = malloc((size_t)*len + 1);
    if (!copy) return sub_fail(c, fn, "out of host memory");
    memcpy(copy, p, *len);
    copy[*len] = 0;
    if (utf8 && !bst_scale_utf8_valid(copy, *len)) {
        free(copy);
        char msg[64];
        snprintf(msg, sizeof msg, "%s is not valid UTF-8", what);
        return sub_fail(c, fn, msg);
    }
    *out = copy;
    return true;
}

/* A deadline argument: SCALE Option<Timestamp> (Timestamp: u64 milliseconds), exactly.
 * *deadline is NULL for None, else points to *ms.  False after trapping. */
static bool http_deadline(bst_caller *c, bst_substrate_runtime *rt, int64_t packed, uint64_t *ms,
                          const uint64_t **deadline, const char *fn) {
    bool some;
    *ms = 0;
    if (!sub_option_uint_arg(c, rt, packed, 8, &some, ms,
                             "deadline is not a SCALE Option<Timestamp>", fn))
        return false;
    /* The call's own deadline (bst_substrate_runtime_set_deadline) bounds the provider too:
     * handed over as the Unix milliseconds it falls on (rounded down) when it comes first. */
    uint64_t limit = bst_store_deadline(bst_caller_store(c));
    if (limit) {
        uint64_t now = bst_monotonic_ns();
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        uint64_t cap = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u +
                       (limit > now ? (limit - now) / 1000000u : 0);
        if (!some || *ms > cap) *ms = cap;
        some = true;
    }
    *deadline = some ? ms : NULL;
    return true;
}

/* Result<(), ()>: Ok = 0x00, Err(()) = 0x01. */
static bool ret_unit_result(bst_caller *c, bst_substrate_runtime *rt, bool ok, bst_value *result,
                            const char *fn) {
    const uint8_t b = ok ? 0 : 1;
    return sub_ret_span(c, rt, &b, 1, result, fn);
}

/* Result<(), HttpError>: Ok = 0x00, Err(e) = 0x01 e.  A provider's value outside HttpError
 * traps (the embedder's bug, reported rather than encoded). */
static bool ret_http_result(bst_caller *c, bst_substrate_runtime *rt, bst_substrate_http_error e,
                            bst_value *result, const char *fn) {
    if ((unsigned)e > BST_SUBSTRATE_HTTP_INVALID)
        return sub_fail(c, fn, "the HTTP provider returned an invalid HttpError");
    const uint8_t b[2] = {e == BST_SUBSTRATE_HTTP_OK ? 0 : 1, (uint8_t)e};
    return sub_ret_span(c, rt, b, e == BST_SUBSTRATE_HTTP_OK ? 1 : 2, result, fn);
}

/* A SCALE buffer as the call's result span; traps when building it ran out of memory. */
static bool ret_buf(bst_caller *c, bst_substrate_runtime *rt, bst_scale_buf *b, bst_value *result,
                    const char *fn) {
    bool ok = bst_scale_buf_error(b) == BST_SCALE_OK
                  ? sub_ret_span(c, rt, b->data, b->len, result, fn)
                  : sub_fail(c, fn, "out of host memory");
    bst_scale_buf_free(b);
    return ok;
}

/* request_start(method, uri, meta) -> Result<HttpRequestId, ()>: Ok(id) = 0x00 id (u16 LE). */
SUB_OFFCHAIN_HOST(ext_offchain_http_request_start_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    uint8_t *method = NULL, *uri = NULL, *meta = NULL;
    uint32_t method_len, uri_len, meta_len;
    bool ok = http_copy(c, rt, args[0].of.i64, true, "method", &method, &method_len, fn) &&
              http_copy(c, rt, args[1].of.i64, true, "uri", &uri, &uri_len, fn) &&
              http_copy(c, rt, args[2].of.i64, false, "meta", &meta, &meta_len, fn);
    if (ok) {
        const bst_substrate_http *h = HTTP_CB(rt, request_start);
        uint16_t id = 0;
        if (h && h->request_start(h->ctx, (const char *)method, method_len, (const char *)uri,
                                  uri_len, meta, meta_len, &id)) {
            const uint8_t b[3] = {0, (uint8_t)id, (uint8_t)(id >> 8)};
            ok = sub_ret_span(c, rt, b, sizeof b, &results[0], fn);
        } else {
            ok = ret_unit_result(c, rt, false, &results[0], fn);
        }
    }
    free(method);
    free(uri);
    free(meta);
    return ok;
}

/* request_add_header(id, name, value) -> Result<(), ()> */
SUB_OFFCHAIN_HOST(ext_offchain_http_request_add_header_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    uint8_t *name = NULL, *value = NULL;
    uint32_t name_len, value_len;
    bool ok = http_copy(c, rt, args[1].of.i64, true, "header name", &name, &name_len, fn) &&
              http_copy(c, rt, args[2].of.i64, true, "header value", &value, &value_len, fn);
    if (ok) {
        const bst_substrate_http *h = HTTP_CB(rt, request_add_header);
        uint16_t id;
        bool added = h && http_id(&args[0], &id) &&
                     h->request_add_header(h->ctx, id, (const char *)name, name_len,
                                           (const char *)value, value_len);
        ok = ret_unit_result(c, rt, added, &results[0], fn);
    }
    free(name);
    free(value);
    return ok;
}

/* request_write_body(id, chunk, deadline) -> Result<(), HttpError> */
SUB_OFFCHAIN_HOST(ext_offchain_http_request_write_body_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    uint8_t *chunk = NULL;
    uint32_t chunk_len;
    uint64_t ms;
    const uint64_t *deadline = NULL;
    bool ok = http_copy(c, rt, args[1].of.i64, false, "chunk", &chunk, &chunk_len, fn) &&
              http_deadline(c, rt, args[2].of.i64, &ms, &deadline, fn);
    if (ok) {
        const bst_substrate_http *h = HTTP_CB(rt, request_write_body);
        uint16_t id;
        bst_substrate_http_error e =
            h && http_id(&args[0], &id)
                ? h->request_write_body(h->ctx, id, chunk, chunk_len, deadline)
                : BST_SUBSTRATE_HTTP_INVALID;
        ok = ret_http_result(c, rt, e, &results[0], fn);
    }
    free(chunk);
    return ok;
}

/* response_wait(ids, deadline) -> Vec<HttpRequestStatus>: a status per id, in order (Invalid
 * for each without a provider). */
SUB_OFFCHAIN_HOST(ext_offchain_http_response_wait_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(ids_enc, args[0].of.i64);
    /* &[HttpRequestId] crosses as a SCALE Vec<u16>; decoded into a host-side array */
    bst_scale_dec d;
    bst_scale_dec_init(&d, ids_enc, ids_enc_len);
    size_t n = 0;
    bst_scale_get_len(&d, 2, &n);
    uint16_t *ids = NULL;
    bst_substrate_http_status *st = NULL;
    if (d.err == BST_SCALE_OK && n) {
        ids = malloc(n * sizeof *ids);
        st = malloc(n * sizeof *st);
        if (!ids || !st) {
            free(ids);
            free(st);
            return sub_fail(c, fn, "out of host memory");
        }
    }
    for (size_t i = 0; i < n && d.err == BST_SCALE_OK; i++) {
        bst_scale_get_u16(&d, &ids[i]);
        st[i].state = BST_SUBSTRATE_HTTP_STATUS_INVALID;
        st[i].code = 0;
    }
    bool ok = true;
    if (bst_scale_finish(&d) != BST_SCALE_OK)
        ok = sub_fail(c, fn, "ids are not a SCALE Vec<HttpRequestId>");
    uint64_t ms;
    const uint64_t *deadline = NULL;
    if (ok) ok = http_deadline(c, rt, args[1].of.i64, &ms, &deadline, fn);
    if (ok) {
        const bst_substrate_http *h = HTTP_CB(rt, response_wait);
        if (h && n) h->response_wait(h->ctx, ids, n, deadline, st);
        bst_scale_buf b;
        bst_scale_buf_init(&b);
        bst_scale_put_len(&b, n);
        for (size_t i = 0; i < n && ok; i++) {
            if ((unsigned)st[i].state > BST_SUBSTRATE_HTTP_STATUS_FINISHED) {
                ok = sub_fail(c, fn, "the HTTP provider returned an invalid status");
                break;
            }
            bst_scale_put_enum(&b, (uint8_t)st[i].state);
            if (st[i].state == BST_SUBSTRATE_HTTP_STATUS_FINISHED)
                bst_scale_put_u16(&b, st[i].code);
        }
        if (ok)
            ok = ret_buf(c, rt, &b, &results[0], fn);
        else
            bst_scale_buf_free(&b);
    }
    free(ids);
    free(st);
    return ok;
}

/* response_headers(id) -> Vec<(Vec<u8>, Vec<u8>)>: empty for an unknown id. */
SUB_OFFCHAIN_HOST(ext_offchain_http_response_headers_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    const bst_substrate_http *h = HTTP_CB(rt, response_headers);
    const bst_substrate_http_header *hs = NULL;
    size_t n = 0;
    uint16_t id;
    if (h && http_id(&args[0], &id)) n = h->response_headers(h->ctx, id, &hs);
    if (n && !hs) return sub_fail(c, fn, "the HTTP provider returned no header array");
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_len(&b, n);
    for (size_t i = 0; i < n; i++) {
        if ((hs[i].name_len && !hs[i].name) || (hs[i].value_len && !hs[i].value)) {
            bst_scale_buf_free(&b);
            return sub_fail(c, fn, "the HTTP provider returned a header without bytes");
        }
        bst_scale_put_bytes(&b, hs[i].name, hs[i].name_len);
        bst_scale_put_bytes(&b, hs[i].value, hs[i].value_len);
    }
    return ret_buf(c, rt, &b, &results[0], fn);
}

/* response_read_body(id, buffer, deadline) -> Result<u32, HttpError>: Ok(n) = 0x00 n (u32 LE),
 * the n bytes written to the start of the runtime's buffer (the rest is left as it was). */
SUB_OFFCHAIN_HOST(ext_offchain_http_response_read_body_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(out, args[1].of.i64); /* checked here, written below */
    uint32_t out_ptr = (uint32_t)(uint64_t)args[1].of.i64;
    uint64_t ms;
    const uint64_t *deadline = NULL;
    if (!http_deadline(c, rt, args[2].of.i64, &ms, &deadline, fn)) return false;
    const bst_substrate_http *h = HTTP_CB(rt, response_read_body);
    uint16_t id;
    if (!h || !http_id(&args[0], &id))
        return ret_http_result(c, rt, BST_SUBSTRATE_HTTP_INVALID, &results[0], fn);
    size_t cap = out_len < BST_SUBSTRATE_HTTP_READ_MAX ? out_len : BST_SUBSTRATE_HTTP_READ_MAX;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf) return sub_fail(c, fn, "out of host memory");
    size_t got = 0;
    bst_substrate_http_error e = h->response_read_body(h->ctx, id, buf, cap, deadline, &got);
    bool ok;
    if (e != BST_SUBSTRATE_HTTP_OK) {
        ok = ret_http_result(c, rt, e, &results[0], fn);
    } else if (got > cap) {
        ok = sub_fail(c, fn, "the HTTP provider read more than the buffer holds");
    } else {
        const uint8_t r[5] = {0, (uint8_t)got, (uint8_t)(got >> 8), (uint8_t)(got >> 16),
                              (uint8_t)(got >> 24)};
        ok = sub_write(c, rt, (int32_t)out_ptr, buf, (uint32_t)got, fn) &&
             sub_ret_span(c, rt, r, sizeof r, &results[0], fn);
    }
    free(buf);
    return ok;
}
