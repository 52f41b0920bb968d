/*
 * coldstart.c — measures Bastion's cold path on one module: decode + validate + compile
 * (bst_module_new_ex) and instantiation, plus the process's peak RSS.
 *
 *   bastion_coldstart [--reps N] [--no-metering] FILE.wasm
 *
 * Prints one line of key=value pairs:
 *   file=... bytes=... reps=... compile_min_ms=... compile_med_ms=... first_ms=...
 *   inst_med_ms=...|n/a base_rss_kb=... peak_rss_kb=...
 *
 * first_ms is the very first bst_module_new of the process (caches cold, allocator fresh);
 * min/median are over all repetitions.  Instantiation resolves every imported function with a
 * stub host function of the declared type (the stub traps if ever called; instantiation does
 * not call imports, only the start function could, and the benchmark modules have none), and
 * imported memories/tables/globals with fresh objects of the declared type.  It covers
 * allocating memories and tables and running data/element initialisation.  base_rss_kb is
 * the peak RSS (VmHWM) after reading the file, before the first compile; peak_rss_kb the
 * peak at exit.
 *
 * Built by the bastion_coldstart CMake target; run by bench/run.  Not a test.
 */
#include <bastion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

/* Peak RSS of this process image in KiB: VmHWM from /proc (getrusage's ru_maxrss would also
 * count the parent's peak inherited across fork + exec, e.g. a Python driver's). */
static long peak_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

static bool stub_trap(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    (void)env;
    bst_caller_trap(c, "bastion_coldstart: import stub called");
    return false;
}

static bst_value zero_of(bst_valtype t) {
    bst_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    return v;
}

/* Instantiates m once in a fresh store with stub imports; returns elapsed ms or -1. */
static double instantiate_once(const bst_module *m, char *why, size_t why_len) {
    uint32_t n = bst_module_import_count(m);
    bst_store *s = bst_store_new(NULL);
    if (!s) {
        snprintf(why, why_len, "no memory");
        return -1;
    }
    bst_extern *imps = calloc(n ? n : 1, sizeof *imps);
    if (!imps) {
        bst_store_free(s);
        snprintf(why, why_len, "no memory");
        return -1;
    }
    double t0 = bench_now_ms();
    bst_error err;
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        imps[i].kind = d.type.kind;
        switch (d.type.kind) {
        case BST_EXTERN_FUNC:
            imps[i].of.func = bst_func_new_host(s, &d.type.func, stub_trap, NULL);
            ok = imps[i].of.func != NULL;
            break;
        case BST_EXTERN_MEMORY:
            imps[i].of.memory = bst_memory_new(s, d.type.limits, &err);
            ok = imps[i].of.memory != NULL;
            break;
        case BST_EXTERN_TABLE:
            imps[i].of.table =
                bst_table_new(s, d.type.elem, d.type.limits, zero_of(d.type.elem), &err);
            ok = imps[i].of.table != NULL;
            break;
        case BST_EXTERN_GLOBAL:
            imps[i].of.global =
                bst_global_new(s, d.type.global, d.type.global_mutable, zero_of(d.type.global));
            ok = imps[i].of.global != NULL;
            break;
        }
        if (!ok) snprintf(why, why_len, "cannot make import %u", i);
    }
    bst_instance *inst = NULL;
    if (ok) {
        inst = bst_instance_new(s, m, imps, n, NULL, &err);
        if (!inst) snprintf(why, why_len, "%s", err.message);
    }
    double t = bench_now_ms() - t0;
    free(imps);
    bst_store_free(s);
    return inst ? t : -1;
}

int main(int argc, char **argv) {
    int reps = 10;
    bst_module_config cfg;
    bst_module_config_default(&cfg);
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--no-metering")) {
            cfg.fuel_metering = false;
        } else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "usage: bastion_coldstart [--reps N] [--no-metering] FILE.wasm\n");
            return 64;
        } else {
            path = argv[i];
        }
    }
    if (!path || reps < 1 || reps > 100000) {
        fprintf(stderr, "usage: bastion_coldstart [--reps N] [--no-metering] FILE.wasm\n");
        return 64;
    }
    size_t len = 0;
    uint8_t *bytes = bench_read_file(path, &len);
    if (!bytes) {
        fprintf(stderr, "bastion_coldstart: %s: %s\n", path, strerror(errno));
        return 1;
    }
    long base_rss = peak_rss_kb();

    double *ct = malloc((size_t)reps * sizeof *ct), *it = malloc((size_t)reps * sizeof *it);
    if (!ct || !it) {
        fprintf(stderr, "bastion_coldstart: no memory\n");
        return 1;
    }
    int ninst = 0;
    char why[300] = "";
    for (int r = 0; r < reps; r++) {
        bst_error err;
        double t0 = bench_now_ms();
        bst_module *m = bst_module_new_ex(bytes, len, &cfg, &err);
        ct[r] = bench_now_ms() - t0;
        if (!m) {
            fprintf(stderr, "bastion_coldstart: %s: %s: %s (offset %zu)\n", path,
                    bst_status_name(err.status), err.message, err.offset);
            return 1;
        }
        if (!why[0]) {
            double ti = instantiate_once(m, why, sizeof why);
            if (ti >= 0) it[ninst++] = ti;
        }
        bst_module_free(m);
    }
    double first = ct[0];
    double cmin = ct[0];
    for (int r = 1; r < reps; r++)
        if (ct[r] < cmin) cmin = ct[r];
    double cmed = bench_median(ct, reps);

    printf("file=%s bytes=%zu reps=%d metering=%s compile_min_ms=%.3f compile_med_ms=%.3f "
           "first_ms=%.3f ",
           path, len, reps, cfg.fuel_metering ? "on" : "off", cmin, cmed, first);
    if (ninst)
        printf("inst_med_ms=%.3f ", bench_median(it, ninst));
    else
        printf("inst_med_ms=n/a ");
    printf("base_rss_kb=%ld peak_rss_kb=%ld\n", base_rss, peak_rss_kb());
    if (why[0]) fprintf(stderr, "bastion_coldstart: %s: not instantiated: %s\n", path, why);
    free(ct);
    free(it);
    free(bytes);
    return 0;
}
