/*
 * runtime.c — stores, instantiation, and the runtime objects of the public API (engine-internal
 * implementation of bastion.h's store/instance/func/memory/table/global calls).
 *
 * Every object is owned by exactly one store and freed with it, so instances never share
 * mutable state unless the embedder explicitly passes one instance's export as another's import.
 * Guest memory is only touched here through bounds checks computed in 64 bits.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* mremap */
#endif
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"

#if defined(__linux__)
#include <sys/mman.h>
#define ENG_USE_MMAP 1
#endif

/* Linear-memory backing store.  On Linux, anonymous mappings: pages are zero-filled by the
 * kernel on first touch, so neither instantiation nor memory.grow commits host memory the guest
 * never writes (a grow to the limit costs address space, not RAM), and mremap grows without
 * copying where it can.  Elsewhere, calloc/realloc plus an explicit clear. */
static uint8_t *linear_alloc(uint64_t size) {
#if ENG_USE_MMAP
    void *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
#else
    return calloc(1, (size_t)size);
#endif
}

static uint8_t *linear_grow(uint8_t *old, uint64_t old_size, uint64_t new_size) {
#if ENG_USE_MMAP
    if (!old) return linear_alloc(new_size);
    void *p = mremap(old, (size_t)old_size, (size_t)new_size, MREMAP_MAYMOVE);
    return p == MAP_FAILED ? NULL : p;
#else
    uint8_t *p = realloc(old, (size_t)new_size);
    if (p) memset(p + old_size, 0, (size_t)(new_size - old_size));
    return p;
#endif
}

/* Maps in, in one system call, the pages [lo, hi) of a memory that instantiation is about to
 * write (its data segments): cheaper than a page fault for each, notably under virtualisation.
 * Only a hint: without MADV_POPULATE_WRITE (Linux < 5.14) the copy faults the pages in. */
static void linear_prefault(uint8_t *p, uint64_t lo, uint64_t hi) {
#if ENG_USE_MMAP && defined(MADV_POPULATE_WRITE)
    const uint64_t page = 4096;
    lo &= ~(page - 1);
    if (p && hi > lo) (void)madvise(p + lo, (size_t)(hi - lo), MADV_POPULATE_WRITE);
#else
    (void)p, (void)lo, (void)hi;
#endif
}

static void linear_free(uint8_t *p, uint64_t size) {
#if ENG_USE_MMAP
    if (p) munmap(p, (size_t)size);
#else
    (void)size;
    free(p);
#endif
}

/* ---- configuration and stores ---------------------------------------------------------------- */

void bst_config_default(bst_config *cfg) {
    cfg->max_call_depth = 10000;
    cfg->max_stack_slots = 1u << 20;
    cfg->max_memory_pages = ENG_MAX_PAGES;
    cfg->max_table_elems = 10000000u;
    cfg->max_reentry = 100;
    cfg->time_calls = false;
}

bst_store *bst_store_new(const bst_config *cfg) {
    bst_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (cfg)
        s->config = *cfg;
    else
        bst_config_default(&s->config);
    if (s->config.max_call_depth == 0) s->config.max_call_depth = 1;
    if (s->config.max_stack_slots < 1024) s->config.max_stack_slots = 1024;
    if (s->config.max_reentry == 0) s->config.max_reentry = 1;
    if (s->config.max_memory_pages > ENG_MAX_PAGES) s->config.max_memory_pages = ENG_MAX_PAGES;
    s->fuel = INT64_MAX;
    eng_interrupt_init(s);
    return s;
}

void bst_store_set_time_calls(bst_store *s, bool on) { s->config.time_calls = on; }

void eng_store_adopt(bst_store *s, eng_object *o, void (*release)(eng_object *)) {
    o->release = release;
    o->owner = s;
    o->next_object = s->objects;
    s->objects = o;
}

void bst_store_free(bst_store *s) {
    if (!s) return;
    eng_object *o = s->objects;
    while (o) {
        eng_object *next = o->next_object;
        o->release(o);
        o = next;
    }
    eng_stacks_free(s);
    eng_interrupt_fini(s);
    free(s->stats.counts);
    free(s);
}

bool eng_functype_equal(const eng_ftype *a, const eng_ftype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (a->nparams + a->nresults == 0 ||
            memcmp(a->types, b->types, (a->nparams + a->nresults) * sizeof *a->types) == 0);
}

/* ---- memories ------------------------------------------------------------------------------ */

static void memory_release(eng_object *o) {
    bst_memory *m = (bst_memory *)o;
    linear_free(m->data, m->size);
    free(m);
}

/* The growth cap in force: the lowest of the declared maximum, the store's limit and the
 * host's cap. */
static uint32_t memory_cap(const bst_store *s, bst_limits limits, uint32_t host_cap) {
    uint32_t cap = s->config.max_memory_pages;
    if (limits.has_max && limits.max < cap) cap = limits.max;
    return host_cap < cap ? host_cap : cap;
}

static bst_memory *memory_create(bst_store *s, bst_limits limits, bst_error *err) {
    if (limits.min > s->config.max_memory_pages ||
        s->memory_pages + limits.min > s->config.max_memory_pages) {
        eng_fail(
            err, BST_ERR_LIMIT, 0,
            "memory minimum of %u pages exceeds the limit of %u pages (%llu in use in the store)",
            limits.min, s->config.max_memory_pages, (unsigned long long)s->memory_pages);
        return NULL;
    }
    bst_memory *m = calloc(1, sizeof *m);
    if (!m) goto nomem;
    m->limits = limits;
    m->host_cap = UINT32_MAX;
    m->max_pages = memory_cap(s, limits, m->host_cap);
    m->pages = limits.min;
    m->size = (uint64_t)limits.min * ENG_PAGE_SIZE;
    if (m->size > SIZE_MAX) { /* 4 GiB on a 32-bit host */
        free(m);
        goto nomem;
    }
    if (m->size) {
        m->data = linear_alloc(m->size);
        if (!m->data) {
            free(m);
            goto nomem;
        }
    }
    eng_store_adopt(s, &m->obj, memory_release);
    s->memory_pages += m->pages;
    eng_observe_pages(s, m, -1);
    return m;
nomem:
    eng_fail(err, BST_ERR_NOMEM, 0, "cannot allocate a memory of %u pages", limits.min);
    return NULL;
}

bst_memory *bst_memory_new(bst_store *s, bst_limits limits, bst_error *err) {
    if (limits.min > ENG_MAX_PAGES || (limits.has_max && limits.max > ENG_MAX_PAGES) ||
        (limits.has_max && limits.min > limits.max)) {
        eng_fail(err, BST_ERR_ARG, 0, "invalid memory limits");
        return NULL;
    }
    return memory_create(s, limits, err);
}

static int64_t memory_grow(bst_memory *m, uint32_t delta) {
    uint32_t old = m->pages;
    if (delta == 0) return old;
    bst_store *s = m->obj.owner;
    /* the store-wide budget stops many memories from adding up past the limit */
    if ((uint64_t)old + delta > m->max_pages ||
        s->memory_pages + delta > s->config.max_memory_pages)
        return -1;
    uint64_t new_size = ((uint64_t)old + delta) * ENG_PAGE_SIZE;
    if (new_size > SIZE_MAX) return -1;
    uint8_t *p = linear_grow(m->data, m->size, new_size);
    if (!p) return -1;
    m->data = p;
    m->size = new_size;
    m->pages = old + delta;
    s->memory_pages += delta;
    return old;
}

bool eng_memory_shrink(bst_memory *m, uint32_t pages) {
    if (pages >= m->pages) return pages == m->pages;
    uint64_t new_size = (uint64_t)pages * ENG_PAGE_SIZE;
    uint8_t *p = NULL;
    if (new_size == 0) {
        linear_free(m->data, m->size);
    } else {
#if ENG_USE_MMAP
        /* shrinking in place unmaps the tail: a later grow gets fresh zero pages there */
        void *q = mremap(m->data, (size_t)m->size, (size_t)new_size, 0);
        if (q == MAP_FAILED) return false;
        p = q;
#else
        p = realloc(m->data, (size_t)new_size);
        if (!p) return false;
#endif
    }
    m->obj.owner->memory_pages -= m->pages - pages;
    m->data = p;
    m->size = new_size;
    m->pages = pages;
    return true;
}

bool bst_memory_set_max_pages(bst_memory *m, uint32_t max_pages) {
    if (m->pages > max_pages) return false;
    m->host_cap = max_pages;
    m->max_pages = memory_cap(m->obj.owner, m->limits, max_pages);
    return true;
}

/* memory_grow, reported to the statistics (the store's peak) and the memory__grow probe. */
int64_t eng_memory_grow_internal(bst_memory *m, uint32_t delta) {
    uint32_t old = m->pages;
    int64_t r = memory_grow(m, delta);
    eng_observe_pages(m->obj.owner, m, old);
    return r;
}

int64_t bst_memory_grow(bst_memory *m, uint32_t delta) {
    return eng_memory_grow_internal(m, delta);
}
uint32_t bst_memory_pages(const bst_memory *m) { return m->pages; }
uint64_t bst_memory_size(const bst_memory *m) { return m->size; }

bool bst_memory_read(const bst_memory *m, uint32_t ptr, void *dst, uint32_t len) {
    if (!m || (uint64_t)ptr + len > m->size) return false;
    if (len) memcpy(dst, m->data + ptr, len);
    return true;
}

bool bst_memory_write(bst_memory *m, uint32_t ptr, const void *src, uint32_t len) {
    if (!m || (uint64_t)ptr + len > m->size) return false;
    if (len) memcpy(m->data + ptr, src, len);
    return true;
}

uint8_t *bst_memory_slice(bst_memory *m, uint32_t ptr, uint32_t len) {
    if (!m || (uint64_t)ptr + len > m->size || !m->data) return NULL;
    return m->data + ptr;
}

/* ---- tables -------------------------------------------------------------------------------- */

static void table_release(eng_object *o) {
    bst_table *t = (bst_table *)o;
    free(t->elems);
    free(t);
}

static bst_table *table_create(bst_store *s, bst_valtype elem, bst_limits limits, uint64_t init,
                               bst_error *err) {
    uint32_t cap = s->config.max_table_elems;
    if (limits.has_max && limits.max < cap) cap = limits.max;
    if (limits.min > s->config.max_table_elems ||
        s->table_elems + limits.min > s->config.max_table_elems) {
        eng_fail(err, BST_ERR_LIMIT, 0,
                 "table minimum of %u elements exceeds the limit of %u (%llu in use in the store)",
                 limits.min, s->config.max_table_elems, (unsigned long long)s->table_elems);
        return NULL;
    }
    bst_table *t = calloc(1, sizeof *t);
    if (!t) goto nomem;
    t->elem = elem;
    t->limits = limits;
    t->init = init;
    t->max_size = cap;
    t->size = limits.min;
    size_t bytes;
    if (t->size) {
        t->elems = eng_array_bytes(t->size, sizeof *t->elems, &bytes) ? malloc(bytes) : NULL;
        if (!t->elems) {
            free(t);
            goto nomem;
        }
        for (uint32_t i = 0; i < t->size; i++) t->elems[i] = init;
    }
    eng_store_adopt(s, &t->obj, table_release);
    s->table_elems += t->size;
    return t;
nomem:
    eng_fail(err, BST_ERR_NOMEM, 0, "cannot allocate a table of %u elements", limits.min);
    return NULL;
}

bst_table *bst_table_new(bst_store *s, bst_valtype elem, bst_limits limits, bst_value init,
                         bst_error *err) {
    if (!eng_is_reftype(elem) || init.type != elem || (limits.has_max && limits.min > limits.max)) {
        eng_fail(err, BST_ERR_ARG, 0, "invalid table type or initial value");
        return NULL;
    }
    return table_create(s, elem, limits, eng_value_to_slot(&init), err);
}

int64_t eng_table_grow_internal(bst_table *t, uint32_t delta, uint64_t init) {
    uint32_t old = t->size;
    bst_store *s = t->obj.owner;
    if ((uint64_t)old + delta > t->max_size || s->table_elems + delta > s->config.max_table_elems)
        return -1;
    if (delta == 0) return old;
    size_t bytes;
    if (!eng_array_bytes((size_t)old + delta, sizeof *t->elems, &bytes)) return -1;
    uint64_t *p = realloc(t->elems, bytes);
    if (!p) return -1;
    for (uint32_t i = old; i < old + delta; i++) p[i] = init;
    t->elems = p;
    t->size = old + delta;
    s->table_elems += delta;
    return old;
}

uint32_t bst_table_size(const bst_table *t) { return t->size; }

bool bst_table_get(const bst_table *t, uint32_t i, bst_value *out) {
    if (i >= t->size) return false;
    *out = eng_slot_to_value(t->elem, t->elems[i]);
    return true;
}

bool bst_table_set(bst_table *t, uint32_t i, bst_value v) {
    if (i >= t->size || v.type != t->elem) return false;
    if (v.type == BST_FUNCREF && v.of.funcref && v.of.funcref->obj.owner != t->obj.owner)
        return false; /* a function of another store would dangle when that store is freed */
    t->elems[i] = eng_value_to_slot(&v);
    return true;
}

/* ---- globals ------------------------------------------------------------------------------- */

static void plain_release(eng_object *o) { free(o); }

static bst_global *global_create(bst_store *s, bst_valtype type, bool mut, uint64_t val) {
    bst_global *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->type = type;
    g->mut = mut;
    g->val = val;
    g->init = val;
    eng_store_adopt(s, &g->obj, plain_release);
    return g;
}

bst_global *bst_global_new(bst_store *s, bst_valtype type, bool mutable_, bst_value init) {
    if (init.type != type) return NULL;
    return global_create(s, type, mutable_, eng_value_to_slot(&init));
}

bst_value bst_global_get(const bst_global *g) { return eng_slot_to_value(g->type, g->val); }

bool bst_global_set(bst_global *g, bst_value v) {
    if (!g->mut || v.type != g->type) return false;
    g->val = eng_value_to_slot(&v);
    return true;
}

/* ---- functions ----------------------------------------------------------------------------- */

static void func_release(eng_object *o) {
    bst_func *f = (bst_func *)o;
    free(f->own_type.types);
    free(f);
}

bst_func *bst_func_new_host(bst_store *s, const bst_functype *type, bst_host_fn fn, void *env) {
    /* No module can import or call a type beyond the decoder's caps, and uncapped counts from the
     * embedder would wrap n below. */
    if (type->nparams > ENG_MAX_PARAMS || type->nresults > ENG_MAX_RESULTS) return NULL;
    bst_func *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    uint32_t n = type->nparams + type->nresults;
    f->own_type.types = malloc((n ? n : 1) * sizeof(bst_valtype));
    if (!f->own_type.types) {
        free(f);
        return NULL;
    }
    if (type->nparams) memcpy(f->own_type.types, type->params, type->nparams * sizeof(bst_valtype));
    if (type->nresults)
        memcpy(f->own_type.types + type->nparams, type->results,
               type->nresults * sizeof(bst_valtype));
    f->own_type.nparams = type->nparams;
    f->own_type.nresults = type->nresults;
    f->own_type.pub.nparams = type->nparams;
    f->own_type.pub.nresults = type->nresults;
    f->own_type.pub.params = f->own_type.types;
    f->own_type.pub.results = f->own_type.types + type->nparams;
    f->type = &f->own_type;
    f->store = s;
    f->host = fn;
    f->env = env;
    eng_store_adopt(s, &f->obj, func_release);
    return f;
}

const bst_functype *bst_func_type(const bst_func *f) { return &f->type->pub; }

bst_status bst_call(bst_func *f, const bst_value *args, size_t nargs, bst_value *results,
                    size_t nresults, bst_error *err) {
    const eng_ftype *t = f->type;
    if (nargs != t->nparams || nresults < t->nresults) {
        eng_fail(err, BST_ERR_ARG, 0, "function expects %u arguments and %u results", t->nparams,
                 t->nresults);
        return BST_ERR_ARG;
    }
    size_t n = t->nparams > t->nresults ? t->nparams : t->nresults;
    uint64_t small[16];
    uint64_t *slots = n <= 16 ? small : malloc(n * sizeof *slots);
    if (!slots) {
        eng_fail(err, BST_ERR_NOMEM, 0, "out of memory");
        return BST_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < t->nparams; i++) {
        if (args[i].type != t->types[i]) {
            if (slots != small) free(slots);
            eng_fail(err, BST_ERR_ARG, 0, "argument %u has the wrong type", i);
            return BST_ERR_ARG;
        }
        slots[i] = eng_value_to_slot(&args[i]);
    }
    eng_call_mark mark = eng_call_begin(f->store, f);
    bst_status st = eng_interp_call(f->store, f, slots, err);
    eng_call_end(f->store, f, mark, st, err);
    if (st == BST_OK) {
        for (uint32_t i = 0; i < t->nresults; i++)
            results[i] = eng_slot_to_value(t->types[t->nparams + i], slots[i]);
        err->status = BST_OK;
    }
    if (slots != small) free(slots);
    return st;
}

bst_store *bst_caller_store(bst_caller *c) { return c->store; }
bst_instance *bst_caller_instance(bst_caller *c) { return c->inst; }
bst_memory *bst_caller_memory(bst_caller *c) { return c->inst ? c->inst->mem0 : NULL; }
void *bst_caller_user_data(bst_caller *c) { return c->inst ? c->inst->user_data : NULL; }
void bst_caller_trap(bst_caller *c, const char *message) {
    c->trapped = true;
    snprintf(c->message, sizeof c->message, "%s", message ? message : "host trap");
}

/* ---- instances ----------------------------------------------------------------------------- */

static void instance_release(eng_object *o) {
    bst_instance *inst = (bst_instance *)o;
    if (inst->elem_items) {
        for (uint32_t i = 0; i < inst->module->nelems; i++) free(inst->elem_items[i]);
    }
    free(inst->elem_items);
    free(inst->elem_len);
    free(inst->data_len);
    free(inst->insn);
    free(inst->funcs);
    free(inst->tables);
    free(inst->memories);
    free(inst->globals);
    free(inst);
}

static bool limits_match(bst_limits have, bst_limits want) {
    if (have.min < want.min) return false;
    if (want.has_max) {
        if (!have.has_max || have.max > want.max) return false;
    }
    return true;
}

static bst_store *extern_owner(const bst_extern *ex) {
    switch (ex->kind) {
    case BST_EXTERN_FUNC: return ex->of.func ? ex->of.func->obj.owner : NULL;
    case BST_EXTERN_TABLE: return ex->of.table ? ex->of.table->obj.owner : NULL;
    case BST_EXTERN_MEMORY: return ex->of.memory ? ex->of.memory->obj.owner : NULL;
    case BST_EXTERN_GLOBAL: return ex->of.global ? ex->of.global->obj.owner : NULL;
    }
    return NULL;
}

static bool check_import(bst_store *s, const bst_module *m, const eng_import *im,
                         const bst_extern *ex, bst_error *err) {
    const char *why = NULL;
    if (extern_owner(ex) != s) {
        why = "import from another store (or NULL)";
    } else if (ex->kind != im->kind) {
        why = "incompatible import type";
    } else {
        switch (im->kind) {
        case BST_EXTERN_FUNC:
            if (!ex->of.func || !eng_functype_equal(ex->of.func->type, &m->types[im->type]))
                why = "incompatible import type";
            break;
        case BST_EXTERN_TABLE: {
            const bst_table *t = ex->of.table;
            bst_limits have = {t->size, t->limits.max, t->limits.has_max};
            if (t->elem != im->elem || !limits_match(have, im->limits))
                why = "incompatible import type";
            break;
        }
        case BST_EXTERN_MEMORY: {
            const bst_memory *mm = ex->of.memory;
            bst_limits have = {mm->pages, mm->limits.max, mm->limits.has_max};
            if (!limits_match(have, im->limits)) why = "incompatible import type";
            break;
        }
        case BST_EXTERN_GLOBAL:
            if (ex->of.global->type != im->gtype || ex->of.global->mut != im->gmut)
                why = "incompatible import type";
            break;
        }
    }
    if (!why) return true;
    eng_fail(err, BST_ERR_UNLINKABLE, 0, "%s for import \"%s\" \"%s\"", why, im->module, im->name);
    return false;
}

static uint64_t eval_const(const bst_instance *inst, const eng_constexpr *e) {
    switch (e->op) {
    case 0x41: return (uint32_t)e->value;
    case 0x43: return (uint32_t)e->value;
    case 0x42:
    case 0x44: return e->value;
    case 0xd2: return (uint64_t)(uintptr_t)inst->funcs[e->value];
    case 0x23: return inst->globals[e->value]->val;
    default: return 0; /* ref.null */
    }
}

/* The stretch of memory 0 that the active data segments cover, mapped in at once when they
 * fill most of it (a sparse layout would map pages nothing writes). */
static void prefault_data(bst_instance *inst) {
    const bst_module *m = inst->module;
    uint64_t lo = UINT64_MAX, hi = 0, bytes = 0;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const eng_mdata *d = &m->datas[i];
        if (d->mode != ENG_SEG_ACTIVE || d->memory != 0 || !d->len) continue;
        uint64_t off = (uint32_t)eval_const(inst, &d->offset);
        if (off < lo) lo = off;
        if (off + d->len > hi) hi = off + d->len;
        bytes += d->len;
    }
    bst_memory *mem = m->nmemories ? inst->memories[0] : NULL;
    if (!mem || hi <= lo || hi > mem->size || hi - lo > 2 * bytes + 65536) return;
    linear_prefault(mem->data, lo, hi);
}

/* Active segments, then the start function: the observable effects the spec prescribes. */
bool eng_instance_initialise(bst_instance *inst, bst_error *err) {
    const bst_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const eng_melem *e = &m->elems[i];
        if (e->mode == ENG_SEG_ACTIVE) {
            bst_table *t = inst->tables[e->table];
            uint64_t off = (uint32_t)eval_const(inst, &e->offset);
            if (off + e->count > t->size) {
                eng_trap_error(err, BST_TRAP_TABLE_OOB);
                return false;
            }
            if (e->count) memcpy(t->elems + off, inst->elem_items[i], e->count * sizeof *t->elems);
        }
        if (e->mode != ENG_SEG_PASSIVE) inst->elem_len[i] = 0;
    }
    prefault_data(inst);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const eng_mdata *d = &m->datas[i];
        if (d->mode != ENG_SEG_ACTIVE) continue;
        bst_memory *mem = inst->memories[d->memory];
        uint64_t off = (uint32_t)eval_const(inst, &d->offset);
        if (off + d->len > mem->size) {
            eng_trap_error(err, BST_TRAP_MEMORY_OOB);
            return false;
        }
        if (d->len) memcpy(mem->data + off, d->bytes, d->len);
        inst->data_len[i] = 0;
    }
    if (m->has_start) {
        /* a call like bst_call's, for the statistics and the probes */
        uint64_t slots[1];
        bst_func *start = inst->funcs[m->start];
        eng_call_mark mark = eng_call_begin(inst->store, start);
        bst_status st = eng_interp_call(inst->store, start, slots, err);
        eng_call_end(inst->store, start, mark, st, err);
        if (st != BST_OK) return false;
    }
    return true;
}

static bst_instance *instance_new(bst_store *s, const bst_module *m, const bst_extern *imports,
                                  size_t nimports, void *user_data, bst_error *err) {
    if (nimports != m->nimports) {
        eng_fail(err, BST_ERR_UNLINKABLE, 0, "module has %u imports, %zu provided", m->nimports,
                 nimports);
        return NULL;
    }
    for (uint32_t i = 0; i < m->nimports; i++)
        if (!check_import(s, m, &m->imports[i], &imports[i], err)) return NULL;

    bst_instance *inst = calloc(1, sizeof *inst);
    if (!inst) goto nomem;
    inst->store = s;
    inst->module = m;
    inst->user_data = user_data;
    eng_store_adopt(s, &inst->obj, instance_release);
    /* (+1 in size_t: never a zero-byte request, and a count of 2^32-1 cannot wrap) */
    inst->funcs = calloc((size_t)m->nfuncs + 1, sizeof *inst->funcs);
    inst->tables = calloc((size_t)m->ntables + 1, sizeof *inst->tables);
    inst->memories = calloc((size_t)m->nmemories + 1, sizeof *inst->memories);
    inst->globals = calloc((size_t)m->nglobals + 1, sizeof *inst->globals);
    inst->elem_items = calloc((size_t)m->nelems + 1, sizeof *inst->elem_items);
    inst->elem_len = calloc((size_t)m->nelems + 1, sizeof *inst->elem_len);
    inst->data_len = calloc((size_t)m->ndatas + 1, sizeof *inst->data_len);
    if (m->config.count_instructions)
        inst->insn = calloc((size_t)m->nfuncs + 1, sizeof *inst->insn);
    if (!inst->funcs || !inst->tables || !inst->memories || !inst->globals || !inst->elem_items ||
        !inst->elem_len || !inst->data_len || (m->config.count_instructions && !inst->insn))
        goto nomem;

    uint32_t fi = 0, ti = 0, mi = 0, gi = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        switch (imports[i].kind) {
        case BST_EXTERN_FUNC: inst->funcs[fi++] = imports[i].of.func; break;
        case BST_EXTERN_TABLE: inst->tables[ti++] = imports[i].of.table; break;
        case BST_EXTERN_MEMORY: inst->memories[mi++] = imports[i].of.memory; break;
        case BST_EXTERN_GLOBAL: inst->globals[gi++] = imports[i].of.global; break;
        }
    }
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        bst_func *f = calloc(1, sizeof *f);
        if (!f) goto nomem;
        f->store = s;
        f->type = &m->types[m->funcs[i].type];
        f->inst = inst;
        f->code = m->funcs[i].code;
        f->index = i;
        eng_store_adopt(s, &f->obj, plain_release);
        inst->funcs[i] = f;
    }
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++) {
        inst->tables[i] = table_create(s, m->tables[i].elem, m->tables[i].limits, 0, err);
        if (!inst->tables[i]) return NULL;
    }
    for (uint32_t i = m->nimported_memories; i < m->nmemories; i++) {
        inst->memories[i] = memory_create(s, m->memories[i].limits, err);
        if (!inst->memories[i]) return NULL;
    }
    inst->mem0 = m->nmemories ? inst->memories[0] : NULL;
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
        const eng_mglobal *g = &m->globals[i];
        inst->globals[i] = global_create(s, g->type, g->mut, eval_const(inst, &g->init));
        if (!inst->globals[i]) goto nomem;
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const eng_melem *e = &m->elems[i];
        inst->elem_items[i] = calloc((size_t)e->count + 1, sizeof(uint64_t));
        if (!inst->elem_items[i]) goto nomem;
        for (uint32_t k = 0; k < e->count; k++)
            inst->elem_items[i][k] = eval_const(inst, &e->items[k]);
        inst->elem_len[i] = e->count;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) inst->data_len[i] = m->datas[i].len;

    if (!eng_instance_initialise(inst, err)) return NULL;
    err->status = BST_OK;
    return inst;
nomem:
    eng_fail(err, BST_ERR_NOMEM, 0, "out of memory while instantiating");
    return NULL;
}

bst_instance *bst_instance_new(bst_store *s, const bst_module *m, const bst_extern *imports,
                               size_t nimports, void *user_data, bst_error *err) {
    uint64_t t0 = BASTION_PROBE_ENABLED(instance__new) ? bst_monotonic_ns() : 0;
    bst_instance *inst = instance_new(s, m, imports, nimports, user_data, err);
    BASTION_PROBE(instance__new, inst, m, (uint32_t)s->memory_pages,
                  t0 ? bst_monotonic_ns() - t0 : 0, inst ? 0 : (int)err->status);
    return inst;
}

bool bst_instance_export(const bst_instance *inst, const char *name, size_t name_len,
                         bst_extern *out) {
    const bst_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const eng_mexport *e = &m->exports[i];
        if (e->name_len != name_len || memcmp(e->name, name, name_len) != 0) continue;
        out->kind = e->kind;
        switch (e->kind) {
        case BST_EXTERN_FUNC: out->of.func = inst->funcs[e->index]; break;
        case BST_EXTERN_TABLE: out->of.table = inst->tables[e->index]; break;
        case BST_EXTERN_MEMORY: out->of.memory = inst->memories[e->index]; break;
        case BST_EXTERN_GLOBAL: out->of.global = inst->globals[e->index]; break;
        }
        return true;
    }
    return false;
}

bst_func *bst_instance_func(const bst_instance *inst, const char *name) {
    bst_extern e;
    if (!bst_instance_export(inst, name, strlen(name), &e) || e.kind != BST_EXTERN_FUNC)
        return NULL;
    return e.of.func;
}

bst_memory *bst_instance_memory(const bst_instance *inst, const char *name) {
    bst_extern e;
    if (!bst_instance_export(inst, name, strlen(name), &e) || e.kind != BST_EXTERN_MEMORY)
        return NULL;
    return e.of.memory;
}

void *bst_instance_user_data(const bst_instance *inst) { return inst->user_data; }
const bst_module *bst_instance_module(const bst_instance *inst) { return inst->module; }
