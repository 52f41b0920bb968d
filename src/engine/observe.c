/*
 * observe.c — what the engine lets an operator see of running code: the statistics of a store's
 * outermost call (bastion.h's bst_store_call_stats and the copies of them) and the engine's USDT
 * probes (src/probes/probes.h), whose semaphores are defined here.
 *
 * Statistics cost a call almost nothing: a fuel subtraction, one compare per memory grow, one
 * increment per host call (a host function counts its own calls, tagged with the store's call
 * number, so nothing is reset per call).  The tables are built only when asked for.  Clocks are
 * read only with bst_config.time_calls (the thread CPU clock is a system call) or while a tracer
 * listens to call__end; instructions are counted only by code compiled for it.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime, CLOCK_THREAD_CPUTIME_ID */
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/runtime.h"

/* What the store's code has left: the interpreter's share plus what a sampler banked
 * (sampling.c). */
#define STORE_FUEL(s) ((s)->fuel + (s)->fuel_banked)

BASTION_PROBE_SEMAPHORES(BASTION_PROBES_ENGINE)

static uint64_t cpu_ns(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The name of a wasm function: its name section entry, else the name it is exported under, else
 * NULL (host functions have none). */
static const char *func_name(const bst_module *m, uint32_t index) {
    const char *n = bst_module_func_name(m, index);
    if (n) return n;
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == BST_EXTERN_FUNC && m->exports[i].index == index)
            return m->exports[i].name;
    return NULL;
}

static const char *name_of(const bst_func *f) {
    return f && f->inst ? func_name(f->inst->module, f->index) : NULL;
}

/* Probes take "" for a missing name: a tracer's str() of a null pointer is an error. */
static const char *probe_str(const char *s) { return s ? s : ""; }

static uint32_t pages32(uint64_t pages) {
    return pages > UINT32_MAX ? UINT32_MAX : (uint32_t)pages;
}

/* ---- calls ------------------------------------------------------------------------------- */

eng_call_mark eng_call_begin(bst_store *s, bst_func *f) {
    eng_call_mark mark = {s->activations == 0, 0, STORE_FUEL(s)};
    eng_stats *st = &s->stats;
    if (mark.outer) {
        st->epoch++;
        st->func = f;
        st->fuel0 = STORE_FUEL(s);
        st->peak_pages = s->memory_pages;
        st->host_calls = 0;
        if (f->inst && f->inst->insn)
            memset(f->inst->insn, 0, (size_t)f->inst->module->nfuncs * sizeof *f->inst->insn);
        if (s->config.time_calls) st->cpu0 = cpu_ns();
    }
    if ((mark.outer && s->config.time_calls) || BASTION_PROBE_ENABLED(call__end))
        mark.t0 = bst_monotonic_ns();
    BASTION_PROBE(call__start, f->inst, f->index, probe_str(name_of(f)), s->activations);
    return mark;
}

void eng_call_end(bst_store *s, bst_func *f, eng_call_mark mark, bst_status status,
                  const bst_error *err) {
    eng_stats *st = &s->stats;
    bst_trap_kind trap = status == BST_ERR_TRAP ? err->trap : BST_TRAP_NONE;
    uint64_t now = mark.t0 ? bst_monotonic_ns() : 0;
    if (mark.outer) {
        st->status = status;
        st->trap = trap;
        st->fuel_used = STORE_FUEL(s) < st->fuel0 ? (uint64_t)(st->fuel0 - STORE_FUEL(s)) : 0;
        st->wall_ns = st->cpu_ns = 0;
        if (s->config.time_calls) {
            st->wall_ns = now - mark.t0;
            st->cpu_ns = cpu_ns() - st->cpu0;
        }
    }
    BASTION_PROBE(call__end, f->inst, f->index, probe_str(name_of(f)),
                  status == BST_ERR_TRAP ? (int)trap : -(int)status,
                  STORE_FUEL(s) < mark.fuel0 ? (uint64_t)(mark.fuel0 - STORE_FUEL(s)) : 0,
                  now - mark.t0);
}

/* ---- host calls -------------------------------------------------------------------------- */

/* The import of inst that f is bound to, as module and name ("" when f is not one of its
 * imports, e.g. a host function called directly or through a table). */
static void import_names(const bst_func *f, const bst_instance *inst, const char **module,
                         const char **name) {
    *module = *name = "";
    if (!inst) return;
    const bst_module *m = inst->module;
    for (uint32_t i = 0, fi = 0; i < m->nimports; i++) {
        if (m->imports[i].kind != BST_EXTERN_FUNC) continue;
        if (inst->funcs[fi++] == f) {
            *module = m->imports[i].module;
            *name = m->imports[i].name;
            return;
        }
    }
}

uint64_t eng_host_probe_begin(bst_func *f, const bst_instance *inst) {
    const char *module, *name;
    import_names(f, inst, &module, &name);
    BASTION_PROBE(host__call__start, module, name, inst);
    return bst_monotonic_ns();
}

void eng_host_probe_end(bst_func *f, const bst_instance *inst, uint64_t t0, bool ok) {
    const char *module, *name;
    import_names(f, inst, &module, &name);
    BASTION_PROBE(host__call__end, module, name, (int)ok, t0 ? bst_monotonic_ns() - t0 : 0);
}

/* ---- traps and memory -------------------------------------------------------------------- */

void eng_observe_trap(bst_store *s, const bst_func *cur, bst_trap_kind k, const bst_error *err) {
    const bst_module *m = cur->inst ? cur->inst->module : NULL;
    const char *name = probe_str(name_of(cur));
    uint64_t body = m && cur->index < m->nfuncs ? m->funcs[cur->index].body_start : 0;
    BASTION_PROBE(trap, (int)k, err->message, cur->index, name, body, cur->inst);
    if (k == BST_TRAP_OUT_OF_FUEL)
        BASTION_PROBE(fuel__exhausted, cur->inst, cur->index, name,
                      STORE_FUEL(s) < s->stats.fuel0 ? (uint64_t)(s->stats.fuel0 - STORE_FUEL(s))
                                                     : 0);
    if (k == BST_TRAP_INTERRUPTED)
        BASTION_PROBE(interrupt, cur->inst, cur->index, name,
                      (int)(s->deadline && bst_monotonic_ns() >= s->deadline));
}

void eng_observe_pages(bst_store *s, const bst_memory *m, int64_t old_pages) {
    if (s->memory_pages > s->stats.peak_pages) s->stats.peak_pages = s->memory_pages;
    if (old_pages >= 0)
        BASTION_PROBE(memory__grow, m, (uint32_t)old_pages, m->pages, pages32(s->stats.peak_pages),
                      (int)(m->pages != (uint32_t)old_pages));
}

/* ---- the statistics API ------------------------------------------------------------------ */

/* Room for n counts in the store's table. */
static bool counts_reserve(eng_stats *st, size_t n) {
    if (n <= st->counts_cap) return true;
    size_t bytes;
    if (!eng_array_bytes(n, sizeof *st->counts, &bytes)) return false;
    bst_stats_count *p = realloc(st->counts, bytes);
    if (!p) return false;
    st->counts = p;
    st->counts_cap = n;
    return true;
}

/* The host-call counts of inst's function imports into out[]; returns how many. */
static size_t host_counts(const bst_store *s, const bst_instance *inst, bst_stats_count *out) {
    const bst_module *m = inst->module;
    size_t n = 0;
    for (uint32_t i = 0, fi = 0; i < m->nimports; i++) {
        if (m->imports[i].kind != BST_EXTERN_FUNC) continue;
        const bst_func *g = inst->funcs[fi++];
        if (!g->host || g->calls_epoch != s->stats.epoch || !g->calls) continue;
        out[n++] = (bst_stats_count){i, m->imports[i].module, m->imports[i].name, g->calls};
    }
    return n;
}

bool bst_store_call_stats(bst_store *s, bst_call_stats *out) {
    memset(out, 0, sizeof *out);
    const eng_stats *st = &s->stats;
    const bst_func *f = st->func;
    if (!f) return false;
    out->func_index = f->index;
    out->func_name = name_of(f);
    out->status = st->status;
    out->trap = st->trap;
    out->fuel_used = st->fuel_used;
    out->timed = s->config.time_calls;
    out->wall_ns = st->wall_ns;
    out->cpu_ns = st->cpu_ns;
    out->memory_pages = pages32(s->memory_pages);
    out->peak_memory_pages = pages32(st->peak_pages);
    out->host_calls = st->host_calls;
    const bst_instance *inst = f->inst;
    if (!inst) return true;
    const bst_module *m = inst->module;
    /* one table: the imports' counts, then the functions' */
    if (!counts_reserve(&s->stats, (size_t)m->nimports + m->nfuncs)) {
        memset(out, 0, sizeof *out);
        return false;
    }
    bst_stats_count *c = s->stats.counts;
    out->nhost = host_counts(s, inst, c);
    out->host = c;
    if (!inst->insn) return true;
    out->counted = true;
    bst_stats_count *fc = c + out->nhost;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        if (!inst->insn[i]) continue;
        out->instructions += inst->insn[i];
        fc[out->nfuncs++] = (bst_stats_count){i, NULL, func_name(m, i), inst->insn[i]};
    }
    out->funcs = fc;
    return true;
}

static size_t str_bytes(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Copies s into the string area at *p (advancing it); NULL stays NULL. */
static const char *str_put(char **p, const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*p, s, n);
    char *r = *p;
    *p += n;
    return r;
}

static void counts_put(bst_stats_count *dst, const bst_stats_count *src, size_t n, char **p) {
    for (size_t i = 0; i < n; i++) {
        dst[i] = src[i];
        dst[i].module = str_put(p, src[i].module);
        dst[i].name = str_put(p, src[i].name);
    }
}

bool bst_call_stats_copy(const bst_call_stats *src, bst_call_stats *dst) {
    size_t n = src->nhost + src->nfuncs, strings = str_bytes(src->func_name);
    for (size_t i = 0; i < src->nhost; i++)
        strings += str_bytes(src->host[i].module) + str_bytes(src->host[i].name);
    for (size_t i = 0; i < src->nfuncs; i++) strings += str_bytes(src->funcs[i].name);
    bst_stats_count *block = malloc(n * sizeof *block + strings + 1);
    *dst = *src;
    if (!block) {
        memset(dst, 0, sizeof *dst);
        return false;
    }
    char *p = (char *)(block + n);
    dst->owned_ = block;
    dst->func_name = str_put(&p, src->func_name);
    counts_put(block, src->host, src->nhost, &p);
    counts_put(block + src->nhost, src->funcs, src->nfuncs, &p);
    dst->host = src->nhost ? block : NULL;
    dst->funcs = src->nfuncs ? block + src->nhost : NULL;
    return true;
}

void bst_call_stats_free(bst_call_stats *st) {
    if (!st) return;
    free(st->owned_);
    memset(st, 0, sizeof *st);
}
