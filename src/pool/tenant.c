/*
 * tenant.c — tenants: their limits, admission of calls (tickets), the CPU budget and its
 * watchdog, the checks the service applies, and the counters (bastion_pool.h).
 *
 * Everything a tenant counts is guarded by its one mutex: enter and leave each hold it for a
 * few hundred nanoseconds, far below the cost of a call, and one lock keeps the quota decisions
 * exact (no over-admission under contention).
 *
 * CPU budget: time is cut into one-second windows from the tenant's creation; each window may
 * be charged cpu_ms_per_s of CPU.  A call's CPU time is its thread's CPU clock
 * (CLOCK_THREAD_CPUTIME_ID) between enter and leave.  It is charged at leave — and, while calls
 * run, progressively by the watchdog thread, which reads each running call's thread clock
 * (pthread_getcpuclockid) every few milliseconds.  So a budget is noticed spent while calls are
 * still running: the watchdog then interrupts every store attached to a running ticket
 * (bst_store_interrupt, thread-safe), and enter refuses new calls until the window ends.
 */
#if !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* pthread_getcpuclockid, pthread_condattr_setclock */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool/pool_impl.h"
#include "probes/probes.h"

#define NS_PER_MS 1000000u
#define WINDOW_NS 1000000000u
#define MAX_INSTANCES_CAP 65536u
/* How often the watchdog looks at running calls: at most every WATCH_MAX_NS, sooner when the
 * budget left is small (so a call overruns the budget by about WATCH_MIN_NS at most). */
#define WATCH_MIN_NS 1000000u
#define WATCH_MAX_NS 10000000u

uint64_t pool_clock_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void) { return pool_clock_ns(CLOCK_MONOTONIC); }

const char *bst_quota_name(bst_quota q) {
    switch (q) {
    case BST_QUOTA_NONE: return "none";
    case BST_QUOTA_MAX_INSTANCES: return "max_instances";
    case BST_QUOTA_CPU: return "cpu";
    case BST_QUOTA_MEMORY: return "memory";
    case BST_QUOTA_MAX_CODE_BYTES: return "max_code_bytes";
    case BST_QUOTA_MAX_CONTRACTS: return "max_contracts";
    case BST_QUOTA__COUNT: break;
    }
    return "?";
}

const char *bst_outcome_name(bst_outcome o) {
    switch (o) {
    case BST_OUTCOME_SUCCESS: return "success";
    case BST_OUTCOME_REVERT: return "revert";
    case BST_OUTCOME_TRAP: return "trap";
    case BST_OUTCOME_OUT_OF_GAS: return "out_of_gas";
    case BST_OUTCOME_TIMEOUT: return "timeout";
    case BST_OUTCOME_CPU: return "cpu";
    case BST_OUTCOME_ERROR: return "error";
    case BST_OUTCOME__COUNT: break;
    }
    return "?";
}

uint64_t bst_latency_bucket_us(size_t i) {
    /* 1, 2.5, 5 per decade from 100 us to 10 s */
    static const uint64_t bounds[BST_LATENCY_BUCKETS] = {
        100,   250,    500,    1000,   2500,    5000,    10000,   25000,
        50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};
    return i < BST_LATENCY_BUCKETS ? bounds[i] : UINT64_MAX;
}

void bst_tenant_limits_default(bst_tenant_limits *l) {
    memset(l, 0, sizeof *l);
    l->max_instances = 8;
    l->acquire_timeout_ms = 100;
    l->memory_pages = 64;
    l->cpu_ms_per_s = 200;
    l->call_timeout_ms = 1000;
    l->max_code_bytes = 131072;
    l->max_contracts = 1000;
}

BASTION_PROBE_SEMAPHORES(BASTION_PROBES_POOL)

/* ---- rejections ---------------------------------------------------------------------------- */

/* Fills *rej and counts the rejection (t->mu held).  Always returns false. */
static bool reject_locked(bst_tenant *t, bst_rejection *rej, bst_quota q, uint32_t retry_ms,
                          const char *fmt, unsigned long long a, unsigned long long b) {
    t->stats.rejections[q]++;
    BASTION_PROBE(pool__reject, t->name, bst_quota_name(q));
    if (rej) {
        rej->quota = q;
        rej->retry_after_ms = retry_ms;
        snprintf(rej->message, sizeof rej->message, fmt, t->name, a, b);
    }
    return false;
}

static bool reject(bst_tenant *t, bst_rejection *rej, bst_quota q, const char *fmt,
                   unsigned long long a, unsigned long long b) {
    pthread_mutex_lock(&t->mu);
    reject_locked(t, rej, q, 0, fmt, a, b);
    pthread_mutex_unlock(&t->mu);
    return false;
}

bool bst_tenant_check_code(const bst_tenant *t, size_t code_bytes, bst_rejection *rej) {
    if (code_bytes <= t->lim.max_code_bytes) return true;
    return reject((bst_tenant *)t, rej, BST_QUOTA_MAX_CODE_BYTES,
                  "tenant %s: code of %llu bytes exceeds max_code_bytes %llu", code_bytes,
                  t->lim.max_code_bytes);
}

bool bst_tenant_check_contracts(const bst_tenant *t, uint64_t contracts_now, bst_rejection *rej) {
    if (contracts_now < t->lim.max_contracts) return true;
    return reject((bst_tenant *)t, rej, BST_QUOTA_MAX_CONTRACTS,
                  "tenant %s: %llu contracts, max_contracts %llu", contracts_now,
                  t->lim.max_contracts);
}

bool bst_tenant_check_module(const bst_tenant *t, const bst_module *m, bst_rejection *rej) {
    bst_limits lim;
    for (uint32_t i = 0; bst_module_memory_limits(m, i, &lim); i++) {
        if (lim.min > t->lim.memory_pages)
            return reject((bst_tenant *)t, rej, BST_QUOTA_MEMORY,
                          "tenant %s: a memory minimum of %llu pages exceeds memory_pages %llu",
                          lim.min, t->lim.memory_pages);
    }
    return true;
}

/* ---- the CPU window ------------------------------------------------------------------------ */

/* Moves the window forward to the one holding now (t->mu held). */
static void window_roll(bst_tenant *t, uint64_t now) {
    if (now - t->window_start_ns < WINDOW_NS) return;
    t->window_start_ns += (now - t->window_start_ns) / WINDOW_NS * WINDOW_NS;
    t->window_used_ns = 0;
}

static uint64_t budget_ns(const bst_tenant *t) { return (uint64_t)t->lim.cpu_ms_per_s * NS_PER_MS; }

/* Whether the window's budget is spent (t->mu held, window rolled). */
static bool cpu_spent(const bst_tenant *t) {
    return t->lim.cpu_ms_per_s && t->window_used_ns >= budget_ns(t);
}

/* Charges what ticket k used since its last charge (t->mu held). */
static void charge(bst_tenant *t, bst_ticket *k, uint64_t cpu_now, uint64_t now) {
    uint64_t used = cpu_now > k->cpu_start_ns ? cpu_now - k->cpu_start_ns : 0;
    if (used <= k->cpu_charged_ns) return;
    uint64_t delta = used - k->cpu_charged_ns;
    k->cpu_charged_ns = used;
    window_roll(t, now);
    t->window_used_ns += delta;
    t->stats.cpu_ns += delta;
}

/* Interrupts every store attached to ticket k (t->mu held). */
static void interrupt_ticket(bst_ticket *k) {
    for (size_t i = 0; i < k->nstores; i++) bst_store_interrupt(k->stores[i]);
}

/* The watchdog: charges running calls and interrupts them once the budget is spent. */
static void *watchdog_main(void *arg) {
    bst_tenant *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stopping) {
        if (t->in_use == 0) {
            pthread_cond_wait(&t->wake, &t->mu);
            continue;
        }
        uint64_t now = now_ns();
        for (uint32_t i = 0; i < t->lim.max_instances; i++) {
            bst_ticket *k = &t->tickets[i];
            if (k->in_use) charge(t, k, pool_clock_ns(k->cpu_clock), now);
        }
        window_roll(t, now);
        if (cpu_spent(t)) {
            for (uint32_t i = 0; i < t->lim.max_instances; i++) {
                bst_ticket *k = &t->tickets[i];
                if (!k->in_use || atomic_load(&k->cpu_exhausted)) continue;
                atomic_store(&k->cpu_exhausted, true);
                interrupt_ticket(k);
            }
        }
        /* look again when the budget left could be used up by the running calls */
        uint64_t left = cpu_spent(t) ? 0 : budget_ns(t) - t->window_used_ns;
        uint64_t wait = left / (t->in_use ? t->in_use : 1);
        if (wait < WATCH_MIN_NS) wait = WATCH_MIN_NS;
        if (wait > WATCH_MAX_NS) wait = WATCH_MAX_NS;
        uint64_t until = now_ns() + wait;
        struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
        pthread_cond_timedwait(&t->wake, &t->mu, &ts);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* ---- tenants ------------------------------------------------------------------------------- */

static bool monotonic_cond(pthread_cond_t *c) {
    pthread_condattr_t a;
    if (pthread_condattr_init(&a) != 0) return false;
    bool ok = pthread_condattr_setclock(&a, CLOCK_MONOTONIC) == 0 && pthread_cond_init(c, &a) == 0;
    pthread_condattr_destroy(&a);
    return ok;
}

bst_tenant *bst_tenant_new(const char *name, const bst_tenant_limits *limits, bst_error *err) {
    bst_tenant *t = calloc(1, sizeof *t);
    if (!t) goto nomem;
    if (limits)
        t->lim = *limits;
    else
        bst_tenant_limits_default(&t->lim);
    if (t->lim.max_instances == 0) t->lim.max_instances = 1;
    if (t->lim.max_instances > MAX_INSTANCES_CAP) t->lim.max_instances = MAX_INSTANCES_CAP;
    if (t->lim.memory_pages == 0 || t->lim.memory_pages > 65536) t->lim.memory_pages = 65536;
    snprintf(t->name, sizeof t->name, "%s", name ? name : "");
    t->tickets = calloc(t->lim.max_instances, sizeof *t->tickets);
    if (!t->tickets) {
        free(t);
        goto nomem;
    }
    for (uint32_t i = 0; i < t->lim.max_instances; i++) {
        t->tickets[i].t = t;
        atomic_init(&t->tickets[i].cpu_exhausted, false);
    }
    t->window_start_ns = now_ns();
    if (pthread_mutex_init(&t->mu, NULL) != 0 || !monotonic_cond(&t->freed) ||
        !monotonic_cond(&t->wake)) {
        free(t->tickets);
        free(t);
        goto nomem;
    }
    if (t->lim.cpu_ms_per_s) {
        int rc = pthread_create(&t->watchdog, NULL, watchdog_main, t);
        if (rc != 0) {
            bst_tenant_free(t);
            if (err) {
                err->status = BST_ERR_NOMEM;
                snprintf(err->message, sizeof err->message, "cannot start the watchdog: %s",
                         strerror(rc));
            }
            return NULL;
        }
        t->has_watchdog = true;
    }
    return t;
nomem:
    if (err) {
        err->status = BST_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return NULL;
}

void bst_tenant_free(bst_tenant *t) {
    if (!t) return;
    if (t->has_watchdog) {
        pthread_mutex_lock(&t->mu);
        t->stopping = true;
        pthread_cond_broadcast(&t->wake);
        pthread_mutex_unlock(&t->mu);
        pthread_join(t->watchdog, NULL);
    }
    for (uint32_t i = 0; i < t->lim.max_instances; i++) free(t->tickets[i].stores);
    free(t->tickets);
    pthread_cond_destroy(&t->freed);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

const char *bst_tenant_name(const bst_tenant *t) { return t->name; }
const bst_tenant_limits *bst_tenant_get_limits(const bst_tenant *t) { return &t->lim; }

void bst_tenant_interrupt_all(bst_tenant *t) {
    pthread_mutex_lock(&t->mu);
    for (uint32_t i = 0; i < t->lim.max_instances; i++)
        if (t->tickets[i].in_use) interrupt_ticket(&t->tickets[i]);
    pthread_mutex_unlock(&t->mu);
}

void bst_tenant_get_stats(bst_tenant *t, bst_tenant_stats *out) {
    pthread_mutex_lock(&t->mu);
    *out = t->stats;
    out->instances_in_use = t->in_use;
    pthread_mutex_unlock(&t->mu);
}

void pool_tenant_count_acquire(bst_tenant *t, bool hit) {
    pthread_mutex_lock(&t->mu);
    if (hit)
        t->stats.pool_hits++;
    else
        t->stats.pool_misses++;
    pthread_mutex_unlock(&t->mu);
}

/* ---- tickets ------------------------------------------------------------------------------- */

/* When a place may free up: about one mean call, at least 1 ms (t->mu held). */
static uint32_t instance_retry_ms(const bst_tenant *t) {
    uint64_t n = t->stats.latency_count;
    uint64_t ms = n ? t->stats.latency_sum_ns / n / NS_PER_MS + 1 : t->lim.acquire_timeout_ms;
    return ms > 60000 ? 60000 : ms ? (uint32_t)ms : 1;
}

/* Waits (t->mu held) until a place is free or the acquire timeout passes. */
static bool wait_for_place(bst_tenant *t) {
    if (t->in_use < t->lim.max_instances) return true;
    uint64_t until = now_ns() + (uint64_t)t->lim.acquire_timeout_ms * NS_PER_MS;
    struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
    while (t->in_use >= t->lim.max_instances) {
        if (pthread_cond_timedwait(&t->freed, &t->mu, &ts) == ETIMEDOUT)
            return t->in_use < t->lim.max_instances;
    }
    return true;
}

bst_ticket *bst_tenant_enter(bst_tenant *t, bst_rejection *rej) {
    clockid_t cpu_clock;
    if (pthread_getcpuclockid(pthread_self(), &cpu_clock) != 0) cpu_clock = CLOCK_THREAD_CPUTIME_ID;
    pthread_mutex_lock(&t->mu);
    uint64_t now = now_ns();
    window_roll(t, now);
    if (cpu_spent(t)) {
        uint64_t left = t->window_start_ns + WINDOW_NS - now;
        reject_locked(t, rej, BST_QUOTA_CPU, (uint32_t)(left / NS_PER_MS + 1),
                      "tenant %s: the CPU budget of this second is spent (%llu of %llu ms)",
                      t->window_used_ns / NS_PER_MS, t->lim.cpu_ms_per_s);
        pthread_mutex_unlock(&t->mu);
        return NULL;
    }
    if (!wait_for_place(t)) {
        reject_locked(t, rej, BST_QUOTA_MAX_INSTANCES, instance_retry_ms(t),
                      "tenant %s: %llu instances in use (max_instances %llu)", t->in_use,
                      t->lim.max_instances);
        pthread_mutex_unlock(&t->mu);
        return NULL;
    }
    bst_ticket *k = NULL;
    for (uint32_t i = 0; !k; i++)
        if (!t->tickets[i].in_use) k = &t->tickets[i];
    k->in_use = true;
    k->cpu_clock = cpu_clock;
    k->cpu_start_ns = pool_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    k->cpu_charged_ns = 0;
    k->wall_start_ns = now_ns();
    k->deadline = t->lim.call_timeout_ms
                      ? k->wall_start_ns + (uint64_t)t->lim.call_timeout_ms * NS_PER_MS
                      : 0;
    atomic_store(&k->cpu_exhausted, false);
    k->nstores = 0;
    if (t->in_use++ == 0 && t->has_watchdog) pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->mu);
    return k;
}

void bst_tenant_leave(bst_ticket *k, bst_outcome outcome) {
    bst_tenant *t = k->t;
    uint64_t cpu_now = pool_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    pthread_mutex_lock(&t->mu);
    uint64_t now = now_ns();
    charge(t, k, cpu_now, now);
    uint64_t lat = now - k->wall_start_ns;
    for (size_t i = 0; i < BST_LATENCY_BUCKETS; i++)
        if (lat <= bst_latency_bucket_us(i) * 1000u) t->stats.latency_le[i]++;
    t->stats.latency_count++;
    t->stats.latency_sum_ns += lat;
    t->stats.calls[(unsigned)outcome < BST_OUTCOME__COUNT ? outcome : BST_OUTCOME_ERROR]++;
    k->nstores = 0;
    k->in_use = false;
    t->in_use--;
    pthread_cond_signal(&t->freed);
    pthread_mutex_unlock(&t->mu);
}

bool bst_ticket_attach(bst_ticket *k, bst_store *s) {
    bst_tenant *t = k->t;
    pthread_mutex_lock(&t->mu);
    bool ok = true;
    if (k->nstores == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 4;
        bst_store **p = realloc(k->stores, cap * sizeof *p);
        if (p) {
            k->stores = p;
            k->cap = cap;
        } else {
            ok = false;
        }
    }
    if (ok) {
        k->stores[k->nstores++] = s;
        if (atomic_load(&k->cpu_exhausted)) bst_store_interrupt(s);
    }
    pthread_mutex_unlock(&t->mu);
    return ok;
}

void bst_ticket_detach(bst_ticket *k, bst_store *s) {
    bst_tenant *t = k->t;
    pthread_mutex_lock(&t->mu);
    for (size_t i = 0; i < k->nstores; i++) {
        if (k->stores[i] != s) continue;
        k->stores[i] = k->stores[--k->nstores];
        break;
    }
    pthread_mutex_unlock(&t->mu);
}

uint64_t bst_ticket_deadline(const bst_ticket *k) { return k->deadline; }
bool bst_ticket_cpu_exhausted(const bst_ticket *k) { return atomic_load(&k->cpu_exhausted); }

bst_outcome bst_ticket_outcome(const bst_ticket *k, bst_status st, const bst_error *err) {
    if (st == BST_OK) return BST_OUTCOME_SUCCESS;
    if (st != BST_ERR_TRAP || !err) return BST_OUTCOME_ERROR;
    if (err->trap == BST_TRAP_OUT_OF_FUEL) return BST_OUTCOME_OUT_OF_GAS;
    if (err->trap != BST_TRAP_INTERRUPTED) return BST_OUTCOME_TRAP;
    if (k && atomic_load(&k->cpu_exhausted)) return BST_OUTCOME_CPU;
    return BST_OUTCOME_TIMEOUT;
}
