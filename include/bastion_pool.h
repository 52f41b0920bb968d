/*
 * bastion_pool.h — instance pools and tenant quotas: the library a long-running, multi-tenant
 * host is built on (docs/pool.md).
 *
 * Creating an instance is expensive (most of it is the kernel mapping and unmapping the fresh
 * linear memory), so a host keeps instances and reuses them.  Between two uses an instance is
 * reset to its state right after instantiation (bst_instance_reset in bastion.h): no call can
 * observe anything an earlier call left behind.
 *
 * Objects:
 *   bst_tenant — one customer of the host: its limits (bst_tenant_limits), its quota accounting
 *                (instances running at once, CPU time per second) and its counters
 *                (bst_tenant_stats).  Thread-safe: any number of threads borrow at once.  With
 *                cpu_ms_per_s set it runs one watchdog thread that interrupts the tenant's
 *                running calls when its CPU budget of the current second is spent.
 *   bst_ticket — admission of one call of a tenant (bst_tenant_enter .. bst_tenant_leave): it
 *                holds one of the tenant's max_instances places, measures the call's CPU time
 *                (the calling thread's CLOCK_THREAD_CPUTIME_ID) and carries the call's deadline.
 *                Stores attached to it (bst_ticket_attach) are interrupted when the tenant's CPU
 *                budget runs out.  Code that runs its own instances (the contracts host) is held
 *                to the tenant's quotas through a ticket alone.
 *   bst_pool   — the instances of one module for one tenant (or for no tenant: no quotas),
 *                each in its own store.  bst_pool_acquire admits the call (a ticket), takes an
 *                idle instance (a "hit") or creates one (a "miss"), and hands it out as a
 *                bst_lease with fuel and deadline set; bst_lease_release resets the instance
 *                and puts it back.  Thread-safe.
 *   bst_lease  — one borrowed instance; used by one thread, from acquire to release.
 *
 * Quota rejections name the quota (bst_quota, bst_quota_name: "max_instances", "cpu",
 * "memory", "max_code_bytes", "max_contracts") and suggest when to retry (retry_after_ms), so a
 * service can answer 429 {"error":"quota_exceeded","quota":...} with Retry-After.
 *
 * Lifetimes: a module outlives its pools; a pool is freed after all its leases are released; a
 * tenant is freed after all its pools and tickets are gone.  Nothing here keeps global state.
 */
#ifndef BASTION_POOL_H
#define BASTION_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bastion.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef struct bst_tenant bst_tenant;
typedef struct bst_ticket bst_ticket;
typedef struct bst_pool bst_pool;
typedef struct bst_lease bst_lease;

/* ---- quotas and rejections ----------------------------------------------------------------- */

typedef enum bst_quota {
    BST_QUOTA_NONE = 0,       /* not a rejection */
    BST_QUOTA_MAX_INSTANCES,  /* "max_instances": no place freed within acquire_timeout_ms */
    BST_QUOTA_CPU,            /* "cpu": the CPU budget of the current second is spent */
    BST_QUOTA_MEMORY,         /* "memory": a memory minimum above memory_pages */
    BST_QUOTA_MAX_CODE_BYTES, /* "max_code_bytes": code larger than the limit */
    BST_QUOTA_MAX_CONTRACTS,  /* "max_contracts": one contract more than the limit */
    BST_QUOTA__COUNT
} bst_quota;

/* The quota's name as the service reports it ("max_instances", "cpu", "memory",
 * "max_code_bytes", "max_contracts"; "none" for BST_QUOTA_NONE, "?" out of range). */
const char *bst_quota_name(bst_quota q);

typedef struct bst_rejection {
    bst_quota quota;         /* BST_QUOTA_NONE when the failure was not a quota (see err) */
    uint32_t retry_after_ms; /* a hint: when a retry may succeed (cpu: the end of the current
                                second; max_instances: about one mean call duration) */
    char message[160];       /* e.g. "tenant a: 8 instances in use (max_instances 8)" */
} bst_rejection;

/* ---- tenants ------------------------------------------------------------------------------- */

typedef struct bst_tenant_limits {
    uint32_t max_instances;      /* calls running at once; default 8; at least 1 */
    uint32_t acquire_timeout_ms; /* how long an acquire waits for a place; default 100 */
    uint32_t memory_pages;       /* cap of every memory of every instance (64 KiB pages):
                                    memory.grow beyond it returns -1, and a module whose
                                    minimum is larger is rejected; default 64; 0 = 65536 */
    uint32_t cpu_ms_per_s;       /* CPU ms the tenant may use per wall-clock second; 0 = no
                                    limit; default 200 */
    uint32_t call_timeout_ms;    /* wall-clock limit of one call, host functions included
                                    (the ticket's deadline); 0 = none; default 1000 */
    uint64_t max_code_bytes;     /* carried for the service (bst_tenant_check_code); default
                                    131072 */
    uint32_t max_contracts;      /* carried for the service (bst_tenant_check_contracts);
                                    default 1000 */
} bst_tenant_limits;

/* Fills *l with the defaults above. */
void bst_tenant_limits_default(bst_tenant_limits *l);

/* A tenant named name (copied; at most 63 bytes are kept) with the given limits (NULL:
 * defaults).  NULL with *err filled when out of memory or the watchdog thread cannot start. */
bst_tenant *bst_tenant_new(const char *name, const bst_tenant_limits *limits, bst_error *err);
/* Stops the watchdog and frees the tenant.  Every pool of it must be freed and every ticket
 * left before. */
void bst_tenant_free(bst_tenant *t);

const char *bst_tenant_name(const bst_tenant *t);
const bst_tenant_limits *bst_tenant_get_limits(const bst_tenant *t);

/* Checks against the limits that are the service's to apply; true when within them, false
 * with *rej filled (quota, message; retry_after_ms 0: retrying does not help). */
bool bst_tenant_check_code(const bst_tenant *t, size_t code_bytes, bst_rejection *rej);
/* contracts_now: how many the tenant has; false when one more would exceed max_contracts. */
bool bst_tenant_check_contracts(const bst_tenant *t, uint64_t contracts_now, bst_rejection *rej);
/* Whether every memory m defines or imports has a minimum within memory_pages. */
bool bst_tenant_check_module(const bst_tenant *t, const bst_module *m, bst_rejection *rej);

/* Interrupts every call of the tenant running now (bst_store_interrupt on each attached store;
 * they end as BST_TRAP_INTERRUPTED).  For shutting a tenant down.  Thread-safe. */
void bst_tenant_interrupt_all(bst_tenant *t);

/* ---- tickets: admission of one call --------------------------------------------------------- */

/* How a call ended, for the counters (bst_tenant_stats.calls) and the service's "outcome". */
typedef enum bst_outcome {
    BST_OUTCOME_SUCCESS = 0, /* "success" */
    BST_OUTCOME_REVERT,      /* "revert": a contract reverted */
    BST_OUTCOME_TRAP,        /* "trap" */
    BST_OUTCOME_OUT_OF_GAS,  /* "out_of_gas": fuel / gas exhausted */
    BST_OUTCOME_TIMEOUT,     /* "timeout": call_timeout_ms passed */
    BST_OUTCOME_CPU,         /* "cpu": interrupted because the tenant's CPU budget ran out */
    BST_OUTCOME_ERROR,       /* "error": did not run (bad request, host failure, ...) */
    BST_OUTCOME__COUNT
} bst_outcome;

/* "success", "revert", "trap", "out_of_gas", "timeout", "cpu", "error" ("?" out of range). */
const char *bst_outcome_name(bst_outcome o);

/* Admits one call: waits up to acquire_timeout_ms for one of the tenant's max_instances places
 * and refuses at once while the tenant's CPU budget of this second is spent.  NULL with *rej
 * filled on a rejection (counted in bst_tenant_stats.rejections).  The ticket's deadline is
 * now + call_timeout_ms.  Enter and leave on the same thread: the ticket measures that thread's
 * CPU time. */
bst_ticket *bst_tenant_enter(bst_tenant *t, bst_rejection *rej);
/* Ends the call: charges its CPU time to the tenant, counts the outcome and the latency, and
 * frees the place (waking one waiting enter).  Every attached store is detached.  The ticket is
 * invalid afterwards. */
void bst_tenant_leave(bst_ticket *k, bst_outcome outcome);

/* Attaches a store that runs code of this call: when the tenant's CPU budget runs out while the
 * call runs, the watchdog calls bst_store_interrupt on it.  The store must stay alive until it
 * is detached (bst_ticket_detach or bst_tenant_leave).  A store attached after the budget ran
 * out is interrupted at once.  False when out of memory.  Only the ticket's own thread attaches
 * and detaches. */
bool bst_ticket_attach(bst_ticket *k, bst_store *s);
void bst_ticket_detach(bst_ticket *k, bst_store *s);
/* The call's deadline (CLOCK_MONOTONIC ns, for bst_store_set_deadline), 0 when the tenant has
 * no call_timeout_ms. */
uint64_t bst_ticket_deadline(const bst_ticket *k);
/* True once the watchdog interrupted this call for the tenant's CPU budget. */
bool bst_ticket_cpu_exhausted(const bst_ticket *k);
/* Classifies what bst_call returned for this call: OK is SUCCESS, an out-of-fuel trap
 * OUT_OF_GAS, an interrupt CPU (when the watchdog stopped it) or TIMEOUT, another trap TRAP,
 * anything else ERROR.  err may be NULL when st is BST_OK. */
bst_outcome bst_ticket_outcome(const bst_ticket *k, bst_status st, const bst_error *err);

/* ---- counters ------------------------------------------------------------------------------ */

/* Latency histogram buckets (Prometheus style): upper bounds in microseconds, ascending; the
 * last bucket (+Inf) is implicit. */
#define BST_LATENCY_BUCKETS 16
/* Upper bound of bucket i in microseconds (i < BST_LATENCY_BUCKETS): 100, 250, 500, 1000, 2500,
 * 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000. */
uint64_t bst_latency_bucket_us(size_t i);

typedef struct bst_tenant_stats {
    uint64_t calls[BST_OUTCOME__COUNT];       /* calls ended (bst_tenant_leave), by outcome */
    uint64_t rejections[BST_QUOTA__COUNT];    /* quota rejections by quota (those of enter and of
                                              the check helpers) */
    uint64_t cpu_ns;                          /* CPU time used by the tenant's calls in total */
    uint32_t instances_in_use;                /* tickets held now (running calls) */
    uint64_t pool_hits;                       /* acquires served by an idle pooled instance */
    uint64_t pool_misses;                     /* acquires that had to instantiate */
    uint64_t latency_le[BST_LATENCY_BUCKETS]; /* cumulative: calls of latency <= bucket i */
    uint64_t latency_count;                   /* all calls (the +Inf bucket) */
    uint64_t latency_sum_ns;                  /* their total wall-clock time */
} bst_tenant_stats;

/* A consistent snapshot of the tenant's counters.  Thread-safe. */
void bst_tenant_get_stats(bst_tenant *t, bst_tenant_stats *out);

/* ---- pools --------------------------------------------------------------------------------- */

/* Links a new pooled instance: fills imports[0..nimports) (in import order, as for
 * bst_instance_new) with externs created in s, and may set *ctx to a per-instance object of the
 * embedder.  ctx becomes the instance's user data (bst_caller_user_data) and is what
 * bst_lease_context returns: host functions that need per-call state should be bound with ctx
 * as env and find the current call through it (the embedder sets it after each acquire),
 * because an instance, and its host functions, live across calls.  Memories, tables and
 * globals created here are reset with the instance (to their state when created) on every
 * release.  false with *err filled to refuse (the acquire then fails with that error). */
typedef bool (*bst_pool_link_fn)(void *arg, bst_store *s, const bst_module *m, bst_extern *imports,
                                 size_t nimports, void **ctx, bst_error *err);
/* Frees what link made for ctx, when its instance is destroyed (the store itself is freed by
 * the pool afterwards). */
typedef void (*bst_pool_unlink_fn)(void *arg, void *ctx);

/* bst_pool_config.max_idle: the tenant's max_instances, or 8 without a tenant. */
#define BST_POOL_IDLE_DEFAULT UINT32_MAX

typedef struct bst_pool_config {
    /* Instances created by bst_pool_new; default 1. */
    uint32_t prewarm;
    /* Idle instances kept (more are destroyed at release); 0 keeps none, so that every acquire
     * instantiates (fresh instances, for comparison); default BST_POOL_IDLE_DEFAULT. */
    uint32_t max_idle;
    /* Fuel set at every acquire; 0 (the default): the pool sets none, so a reused instance has
     * unlimited fuel and a new one what link left (unlimited unless link set fuel before the
     * instantiation, e.g. to charge a start function). */
    uint64_t fuel;
    /* Every instance's store; max_memory_pages is lowered to the tenant's memory_pages;
     * default bst_config_default. */
    bst_config store;
    /* Makes the imports of a new instance; NULL: the module must have no imports. */
    bst_pool_link_fn link;
    bst_pool_unlink_fn unlink;
    void *link_arg;
} bst_pool_config;

/* Fills *cfg with the defaults above. */
void bst_pool_config_default(bst_pool_config *cfg);

/* A pool of instances of m for tenant t (NULL: no tenant, no quotas, no admission).  Creates
 * cfg->prewarm instances at once, so a module that does not link or whose start function traps
 * fails here.  NULL with *err filled; a module whose memory minimum exceeds the tenant's
 * memory_pages is rejected with status BST_ERR_LIMIT and *rej (may be NULL) naming
 * BST_QUOTA_MEMORY.  cfg NULL: defaults. */
bst_pool *bst_pool_new(bst_tenant *t, const bst_module *m, const bst_pool_config *cfg,
                       bst_rejection *rej, bst_error *err);
/* Destroys the idle instances and the pool.  Every lease must be released before. */
void bst_pool_free(bst_pool *p);

const bst_module *bst_pool_module(const bst_pool *p);
bst_tenant *bst_pool_tenant(const bst_pool *p);

/* Borrows an instance: with a tenant, admits the call first (bst_tenant_enter: NULL with
 * *rej filled on a quota rejection).  The store comes with the ticket's deadline (or none), no
 * pending interrupt, cfg->fuel as fuel (see bst_pool_config.fuel), and is attached to the
 * ticket.  NULL with rej->quota == BST_QUOTA_NONE and *err filled when an instance cannot be
 * made.  rej and err must not be NULL. */
bst_lease *bst_pool_acquire(bst_pool *p, bst_rejection *rej, bst_error *err);
/* Gives the instance back: ends the ticket (bst_tenant_leave with outcome), resets the
 * instance (bst_instance_reset, and the memories/tables/globals link created) and keeps it for
 * the next acquire, or destroys it when the reset fails or max_idle instances are idle. */
void bst_lease_release(bst_lease *l, bst_outcome outcome);

bst_instance *bst_lease_instance(const bst_lease *l);
bst_store *bst_lease_store(const bst_lease *l);
void *bst_lease_context(const bst_lease *l);      /* link's ctx (NULL without link) */
bst_ticket *bst_lease_ticket(const bst_lease *l); /* NULL for a pool without tenant */
/* Whether the instance was taken from the pool (true) or created for this acquire. */
bool bst_lease_reused(const bst_lease *l);
/* The same classification as bst_ticket_outcome (without a tenant: never CPU). */
bst_outcome bst_lease_outcome(const bst_lease *l, bst_status st, const bst_error *err);

typedef struct bst_pool_stats {
    uint32_t idle;           /* instances waiting in the pool */
    uint32_t in_use;         /* leases out */
    uint64_t created;        /* instances made (prewarm and misses) */
    uint64_t hits, misses;   /* acquires served from the pool / by a new instance */
    uint64_t resets;         /* successful resets */
    uint64_t reset_failures; /* instances destroyed because their reset failed */
} bst_pool_stats;
void bst_pool_get_stats(bst_pool *p, bst_pool_stats *out);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_POOL_H */
