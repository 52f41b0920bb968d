/*
 * runtime_at.c — the runtime of a stored state: `:code` (decompressed) and `:heappages` read
 * from the state with that root, instantiated over a read view of it, and the state version its
 * RuntimeVersion declares (what the state root of a block it builds is computed with).
 */
#include "chain_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The instruction budget of one runtime call: generous for a block of transfers, a bound for a
 * runtime that loops. */
#define CHN_CALL_FUEL 100000000000ull

static bool decode_state_version(const uint8_t *p, size_t len, unsigned *version, char *err,
                                 size_t errlen) {
    bst_substrate_version v;
    bst_scale_err se = bst_substrate_version_decode(p, len, &v);
    if (se != BST_SCALE_OK)
        return chn_fail(err, errlen, "bad RuntimeVersion: %s", bst_scale_err_str(se));
    if (v.has_state_version && v.state_version > 1)
        return chn_fail(err, errlen, "unknown state version %u", (unsigned)v.state_version);
    *version = v.has_state_version ? v.state_version : 0;
    return true;
}

bool chn_code_state_version(const uint8_t *code, size_t len, bst_substrate_runtime *rt,
                            unsigned *version, char *err, size_t errlen) {
    uint8_t *out = NULL;
    size_t out_len = 0;
    bool ok;
    if (bst_substrate_embedded_version(code, len, &out, &out_len))
        ok = decode_state_version(out, out_len, version, err, errlen);
    else
        ok = chn_call(&(chn_runtime){.rt = rt}, "Core_version", NULL, 0, true, &out, &out_len, err,
                      errlen) &&
             decode_state_version(out, out_len, version, err, errlen);
    free(out);
    return ok;
}

/* A u64 :heappages (as Substrate reads it), when the state has a well-formed one. */
static bool heap_pages(const bst_state_backend *b, uint32_t *pages) {
    uint8_t *v = NULL;
    size_t n = 0;
    bool ok = false;
    if (b->get(b->ctx, NULL, 0, (const uint8_t *)":heappages", 10, &v, &n) == BST_STATE_FOUND &&
        n == 8) {
        uint64_t x = 0;
        for (int i = 7; i >= 0; i--) x = x << 8 | v[i];
        if (x <= 65536) {
            *pages = (uint32_t)x;
            ok = true;
        }
    }
    free(v);
    return ok;
}

bool chn_runtime_open(bst_triedb *db, const uint8_t root[32], chn_runtime *r, char *err,
                      size_t errlen) {
    memset(r, 0, sizeof *r);
    r->view = bst_triedb_view_open(db, root, err, errlen);
    if (!r->view) return false;
    r->backend = bst_triedb_view_backend(r->view);
    uint8_t *blob = NULL, *code = NULL;
    size_t blob_len = 0, code_len = 0;
    bst_state_res got =
        r->backend.get(r->backend.ctx, NULL, 0, (const uint8_t *)":code", 5, &blob, &blob_len);
    if (got != BST_STATE_FOUND) {
        chn_runtime_close(r);
        return chn_fail(err, errlen, "the state has no :code");
    }
    bst_error e;
    memset(&e, 0, sizeof e);
    bst_substrate_options opts;
    bst_substrate_options_default(&opts);
    opts.fuel = CHN_CALL_FUEL;
    opts.max_log_level = 0; /* a panic reaches the caller in the error; no stderr noise */
    opts.storage = &r->backend;
    heap_pages(&r->backend, &opts.heap_pages);
    if (bst_substrate_code_decode(blob, blob_len, 0, &code, &code_len, &e) == BST_OK)
        r->rt = bst_substrate_runtime_new(code, code_len, &opts, &e);
    free(blob);
    if (!r->rt) {
        free(code);
        chn_runtime_close(r);
        return chn_fail(err, errlen, "the runtime in :code: %s", e.message);
    }
    bool ok = chn_code_state_version(code, code_len, r->rt, &r->state_version, err, errlen);
    free(code);
    if (!ok) chn_runtime_close(r);
    return ok;
}

void chn_runtime_close(chn_runtime *r) {
    bst_substrate_runtime_free(r->rt);
    bst_triedb_view_close(r->view);
    memset(r, 0, sizeof *r);
}

bool chn_call(chn_runtime *r, const char *method, const uint8_t *in, size_t in_len, bool dry,
              uint8_t **out, size_t *out_len, char *err, size_t errlen) {
    bst_error e;
    memset(&e, 0, sizeof e);
    bst_status st = dry ? bst_substrate_call_dry_run(r->rt, method, in, in_len, out, out_len, &e)
                        : bst_substrate_call(r->rt, method, in, in_len, out, out_len, &e);
    if (st == BST_OK) return true;
    return chn_fail(err, errlen, "%s: %s", method, e.message[0] ? e.message : bst_status_name(st));
}
