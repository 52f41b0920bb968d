/*
 * runtime_coldstart.c — the cold path of a Substrate runtime: code blob -> (zstd) decompress ->
 * decode + validate + compile + first instantiation (bst_substrate_runtime_new) -> a fresh
 * instance + `Core_version` (bst_substrate_call), the way a node meets a runtime it has never
 * seen (a new block with a runtime upgrade, a new chain).
 *
 *   bastion_runtime_coldstart [--reps N] NAME=FILE...
 *
 * FILE is runtime code: plain wasm or the zstd-compressed blob (bench/runtime_coldstart.sh
 * extracts :code from a chain spec).  Prints one line per runtime:
 *   name=... code_bytes=... wasm_bytes=... decompress_ms=... new_ms=... call_ms=...
 *   total_ms=... first_total_ms=... spec=...
 * Times are medians over N repetitions (default 10) of the whole path, each from scratch;
 * first_total_ms is the first repetition of the process.  Not a test.
 */
#include "bastion_substrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

/* One cold run; returns false (after printing) on failure. */
static bool run_once(const uint8_t *blob, size_t blob_len, double *t_dec, double *t_new,
                     double *t_call, size_t *wasm_len, char *spec, size_t spec_cap) {
    bst_error err;
    uint8_t *code = NULL, *out = NULL;
    size_t code_len = 0, out_len = 0;
    double t0 = bench_now_ms();
    if (bst_substrate_code_decode(blob, blob_len, 0, &code, &code_len, &err) != BST_OK) {
        fprintf(stderr, "decode: %s\n", err.message);
        return false;
    }
    double t1 = bench_now_ms();
    bst_substrate_runtime *rt = bst_substrate_runtime_new(code, code_len, NULL, &err);
    double t2 = bench_now_ms();
    bool ok = rt && bst_substrate_call(rt, "Core_version", NULL, 0, &out, &out_len, &err) == BST_OK;
    double t3 = bench_now_ms();
    if (!ok) {
        fprintf(stderr, "%s\n", err.message);
    } else {
        bst_substrate_version v;
        if (bst_substrate_version_decode(out, out_len, &v) == BST_SCALE_OK)
            snprintf(spec, spec_cap, "%.*s/%u", (int)v.spec_name_len, v.spec_name,
                     (unsigned)v.spec_version);
    }
    *t_dec = t1 - t0;
    *t_new = t2 - t1;
    *t_call = t3 - t2;
    *wasm_len = code_len;
    free(out);
    bst_substrate_runtime_free(rt);
    free(code);
    return ok;
}

int main(int argc, char **argv) {
    int reps = 10, i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--reps") == 0) {
        reps = atoi(argv[i + 1]);
        i += 2;
    }
    if (i >= argc || reps < 1 || reps > 1000) {
        fprintf(stderr, "usage: %s [--reps N] NAME=FILE...\n", argv[0]);
        return 64;
    }
    int rc = 0;
    for (; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "%s: expected NAME=FILE\n", argv[i]);
            return 64;
        }
        size_t blob_len;
        uint8_t *blob = bench_read_file(eq + 1, &blob_len);
        if (!blob) {
            fprintf(stderr, "cannot read %s\n", eq + 1);
            rc = 1;
            continue;
        }
        double *dec = calloc((size_t)reps, sizeof *dec), *nw = calloc((size_t)reps, sizeof *nw),
               *call = calloc((size_t)reps, sizeof *call), *tot = calloc((size_t)reps, sizeof *tot);
        char spec[96] = "?";
        size_t wasm_len = 0;
        bool ok = dec && nw && call && tot;
        for (int r = 0; r < reps && ok; r++) {
            ok = run_once(blob, blob_len, &dec[r], &nw[r], &call[r], &wasm_len, spec, sizeof spec);
            tot[r] = dec[r] + nw[r] + call[r];
        }
        if (ok) {
            double first = tot[0];
            printf("name=%.*s code_bytes=%zu wasm_bytes=%zu decompress_ms=%.2f new_ms=%.2f "
                   "call_ms=%.2f total_ms=%.2f first_total_ms=%.2f spec=%s\n",
                   (int)(eq - argv[i]), argv[i], blob_len, wasm_len, bench_median(dec, reps),
                   bench_median(nw, reps), bench_median(call, reps), bench_median(tot, reps), first,
                   spec);
        } else {
            rc = 1;
        }
        free(dec);
        free(nw);
        free(call);
        free(tot);
        free(blob);
    }
    return rc;
}
