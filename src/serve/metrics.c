/*
 * metrics.c — GET /metrics in the Prometheus text format (version 0.0.4): per tenant, the
 * counters bastion_pool.h keeps (calls by outcome, quota rejections by quota, CPU time,
 * instances in use, pool hits and misses, the call latency histogram).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_impl.h"

/* A growing text buffer; on allocation failure it stays failed (ok false). */
typedef struct text {
    char *p;
    size_t len, cap;
    bool ok;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...) {
    for (int attempt = 0; t->ok && attempt < 2; attempt++) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->ok = false;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = 2 * t->cap + (size_t)n + 1;
        char *p = realloc(t->p, cap);
        if (!p) {
            t->ok = false;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
}

static void header(text *t, const char *name, const char *type, const char *help) {
    put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void srv_metrics(bst_serve *s, srv_reply *r) {
    text t = {malloc(4096), 0, 4096, true};
    if (!t.p) t.ok = false;
    bst_tenant_stats *st = calloc(s->ntenants ? s->ntenants : 1, sizeof *st);
    if (!st) t.ok = false;
    for (size_t i = 0; st && i < s->ntenants; i++)
        bst_tenant_get_stats(s->tenants[i].tenant, &st[i]);
#define EACH for (size_t i = 0; st && i < s->ntenants; i++)
#define NAME s->tenants[i].name
    header(&t, "bastion_calls_total", "counter", "Calls ended, by outcome.");
    EACH for (int o = 0; o < BST_OUTCOME__COUNT; o++)
        put(&t, "bastion_calls_total{tenant=\"%s\",outcome=\"%s\"} %llu\n", NAME,
            bst_outcome_name((bst_outcome)o), (unsigned long long)st[i].calls[o]);
    header(&t, "bastion_quota_rejections_total", "counter", "Requests rejected by a quota.");
    EACH for (int q = 1; q < BST_QUOTA__COUNT; q++)
        put(&t, "bastion_quota_rejections_total{tenant=\"%s\",quota=\"%s\"} %llu\n", NAME,
            bst_quota_name((bst_quota)q), (unsigned long long)st[i].rejections[q]);
    header(&t, "bastion_cpu_seconds_total", "counter", "CPU time of the tenant's calls.");
    EACH put(&t, "bastion_cpu_seconds_total{tenant=\"%s\"} %.6f\n", NAME,
             (double)st[i].cpu_ns / 1e9);
    header(&t, "bastion_instances_in_use", "gauge", "Calls of the tenant running now.");
    EACH put(&t, "bastion_instances_in_use{tenant=\"%s\"} %u\n", NAME, st[i].instances_in_use);
    header(&t, "bastion_pool_hits_total", "counter", "/v1/invoke instances served from a pool.");
    EACH put(&t, "bastion_pool_hits_total{tenant=\"%s\"} %llu\n", NAME,
             (unsigned long long)st[i].pool_hits);
    header(&t, "bastion_pool_misses_total", "counter", "/v1/invoke instances created for a call.");
    EACH put(&t, "bastion_pool_misses_total{tenant=\"%s\"} %llu\n", NAME,
             (unsigned long long)st[i].pool_misses);
    header(&t, "bastion_contract_instances_reused_total", "counter",
           "Contract frames run on a pooled instance.");
    EACH put(&t, "bastion_contract_instances_reused_total{tenant=\"%s\"} %llu\n", NAME,
             (unsigned long long)atomic_load(&s->tenants[i].contract_instances_reused));
    header(&t, "bastion_contract_instances_made_total", "counter",
           "Contract frames that instantiated their module.");
    EACH put(&t, "bastion_contract_instances_made_total{tenant=\"%s\"} %llu\n", NAME,
             (unsigned long long)atomic_load(&s->tenants[i].contract_instances_made));
    header(&t, "bastion_call_duration_seconds", "histogram", "Wall-clock time of calls.");
    EACH {
        for (size_t b = 0; b < BST_LATENCY_BUCKETS; b++)
            put(&t, "bastion_call_duration_seconds_bucket{tenant=\"%s\",le=\"%g\"} %llu\n", NAME,
                (double)bst_latency_bucket_us(b) / 1e6, (unsigned long long)st[i].latency_le[b]);
        put(&t, "bastion_call_duration_seconds_bucket{tenant=\"%s\",le=\"+Inf\"} %llu\n", NAME,
            (unsigned long long)st[i].latency_count);
        put(&t, "bastion_call_duration_seconds_sum{tenant=\"%s\"} %.6f\n", NAME,
            (double)st[i].latency_sum_ns / 1e9);
        put(&t, "bastion_call_duration_seconds_count{tenant=\"%s\"} %llu\n", NAME,
            (unsigned long long)st[i].latency_count);
    }
#undef EACH
#undef NAME
    free(st);
    if (!t.ok) {
        free(t.p);
        srv_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    r->status = 200;
    r->text = t.p;
}
