/*
 * pool_impl.h — internals shared by the files of src/pool/: the tenant (struct bst_tenant) with
 * its tickets, CPU window and counters (tenant.c), and what the pools (pool.c) report to it.
 * Not part of the public API.
 */
#ifndef BASTION_POOL_IMPL_H
#define BASTION_POOL_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "bastion.h"
#include "bastion_pool.h"

/* Functions shared by the files of src/pool/ but not part of the API. */
#define POOL_FUNC __attribute__((visibility("hidden")))

/* One admitted call (a slot of bst_tenant.tickets; in_use while held).  Everything but the
 * atomics is guarded by the tenant's mutex; cpu_clock and the start values are written by the
 * ticket's thread at enter, before the ticket becomes visible to the watchdog. */
struct bst_ticket {
    bst_tenant *t;
    bool in_use;
    clockid_t cpu_clock;     /* the entering thread's CPU clock (read by the watchdog) */
    uint64_t cpu_start_ns;   /* that clock at enter */
    uint64_t cpu_charged_ns; /* of this call's CPU time, what is already charged */
    uint64_t wall_start_ns;  /* CLOCK_MONOTONIC at enter */
    uint64_t deadline;       /* CLOCK_MONOTONIC ns, 0: none */
    atomic_bool cpu_exhausted;
    bst_store **stores; /* attached stores */
    size_t nstores, cap;
};

struct bst_tenant {
    char name[64];
    bst_tenant_limits lim;
    pthread_mutex_t mu;
    pthread_cond_t freed; /* a place became free (CLOCK_MONOTONIC) */
    pthread_cond_t wake;  /* the watchdog: a call started, or stop */
    bst_ticket *tickets;  /* lim.max_instances slots */
    uint32_t in_use;
    uint64_t window_start_ns; /* the current CPU window [start, start + 1 s) */
    uint64_t window_used_ns;  /* CPU charged to it */
    bst_tenant_stats stats;
    pthread_t watchdog;
    bool has_watchdog, stopping;
};

/* Counts an acquire served from the pool (hit) or by a new instance (tenant.c). */
POOL_FUNC void pool_tenant_count_acquire(bst_tenant *t, bool hit);

/* A clock in nanoseconds (CLOCK_MONOTONIC, a thread's CPU clock, ...); 0 when it cannot be
 * read. */
POOL_FUNC uint64_t pool_clock_ns(clockid_t clock);

#endif
