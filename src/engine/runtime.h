/*
 * runtime.h — runtime objects of the engine (engine-internal): store, instances, functions,
 * memories, tables, globals, compiled code, and the interpreter entry point.
 *
 * Values live in untyped 64-bit slots: i32 in the low 32 bits, floats as their bits, references
 * as pointers (funcref: bst_func*, NULL = null) or the host's uintptr_t (externref, 0 = null).
 */
#ifndef ENG_ENGINE_RUNTIME_H
#define ENG_ENGINE_RUNTIME_H

#include <stdatomic.h>

#include "engine/module.h"
#include "probes/probes.h"

#define ENG_PAGE_SIZE 65536u

/* A call zeroes this many slots after the parameters with plain stores, whatever the number of
 * declared locals: frame_slots is at least nparams + ENG_ZEROED_LOCALS (compile.c). */
#define ENG_ZEROED_LOCALS 4u

/* A compiled function body.  `cells` is the internal code: see ops.h and docs/architecture.md. */
typedef struct eng_code {
    uint64_t *cells;
    size_t ncells;
    uint32_t nparams, nlocals, nresults; /* nlocals: declared locals (zeroed at entry) */
    uint32_t frame_slots; /* params + locals + maximum operand-stack height, at least nparams +
                           * ENG_ZEROED_LOCALS */
    /* Where a call enters: after the body's first FUEL, whose charge (entry_fuel) the call does
     * itself; cells and 0 when the body does not start with one (no metering, counting). */
    const uint64_t *entry;
    int64_t entry_fuel;
    /* Which wasm instruction each stretch of cells came from (codemap.c), for the offsets of
     * backtraces: pairs (cell delta, byte offset delta) as LEB128, from (0, map_base). */
    uint8_t *map;
    size_t map_len;
    uint32_t map_base; /* module offset of the body's first instruction */
} eng_code;

void eng_code_free(eng_code *c);

/* Everything a store allocates is chained so bst_store_free() can release it. */
typedef struct eng_object {
    struct eng_object *next_object;
    void (*release)(struct eng_object *);
    bst_store *owner; /* objects of one store may never be linked into another */
} eng_object;

struct bst_func {
    eng_object obj;
    bst_store *store;
    const eng_ftype *type;
    bst_instance *inst;   /* defining instance (wasm functions) */
    const eng_code *code; /* wasm functions; NULL for host functions */
    uint32_t index;       /* index in the defining module, for backtraces */
    bst_host_fn host;
    void *env;
    eng_ftype own_type; /* host functions own a copy of their type */
    /* Host functions: calls during the store's outermost call number calls_epoch (observe.c). */
    uint64_t calls, calls_epoch;
};

struct bst_memory {
    eng_object obj; /* obj.owner: the store whose page budget it uses */
    uint8_t *data;
    uint64_t size; /* bytes = pages * 64 KiB */
    uint32_t pages;
    uint32_t max_pages; /* effective cap: declared max, engine cap, config and host_cap */
    uint32_t host_cap;  /* bst_memory_set_max_pages (UINT32_MAX: none) */
    bst_limits limits;  /* as declared */
};

struct bst_table {
    eng_object obj;
    uint64_t *elems;
    uint32_t size;
    uint32_t max_size; /* effective cap */
    bst_valtype elem;
    bst_limits limits;
    uint64_t init; /* the value it was created with (bst_table_reset) */
};

struct bst_global {
    eng_object obj;
    uint64_t val;
    uint64_t init; /* the value it was created with (bst_global_reset) */
    bst_valtype type;
    bool mut;
};

struct bst_instance {
    eng_object obj;
    bst_store *store;
    const bst_module *module;
    void *user_data;
    bst_func **funcs;
    bst_table **tables;
    bst_memory **memories;
    bst_global **globals;
    bst_memory *mem0; /* memories[0] or NULL: what the interpreter addresses */
    /* Element segments evaluated at instantiation; a dropped segment has length 0. */
    uint64_t **elem_items;
    uint32_t *elem_len;
    uint32_t *data_len; /* data segment lengths; 0 once dropped */
    uint64_t *insn;     /* count_instructions modules: instructions run per function index */
};

/* A saved caller frame on the control stack. */
typedef struct eng_frame {
    const uint64_t *pc;
    uint64_t *fp;
    bst_func *func;
} eng_frame;

struct bst_caller {
    bst_store *store;
    bst_instance *inst;
    bool trapped;
    char message[200];
};

/* What observe.c records of a store's outermost call (bst_store_call_stats). */
typedef struct eng_stats {
    uint64_t epoch;       /* outermost calls made so far; host functions count per epoch */
    const bst_func *func; /* the function called; NULL before the first call */
    bst_status status;
    bst_trap_kind trap;
    int64_t fuel0; /* the store's fuel when the call started */
    uint64_t fuel_used;
    uint64_t wall0, cpu0; /* clocks at the start (wall also while call__end is traced) */
    uint64_t wall_ns, cpu_ns;
    uint64_t peak_pages; /* most memory pages of the store during the call */
    uint64_t host_calls;
    bst_stats_count *counts; /* the arrays bst_store_call_stats hands out */
    size_t counts_cap;
} eng_stats;

struct bst_store {
    bst_config config;
    eng_object *objects; /* every object owned by the store */
    /* Execution stacks, set up by the first call and grown on demand up to the limits (stack.c). */
    uint64_t *stack;            /* value stack: room reserved for config.max_stack_slots slots */
    uint64_t *stack_end;        /* end of the usable part (never moves the stack itself) */
    size_t stack_reserved;      /* bytes of address space reserved for it */
    eng_frame *frames;          /* frames_cap frames (realloc'ed: index it, never keep pointers) */
    uint32_t frames_cap;        /* <= config.max_call_depth */
    uint64_t *stack_top;        /* first free slot for a new activation (re-entrant calls) */
    uint32_t depth;             /* frames in use */
    uint32_t activations;       /* nested eng_interp_call()s: bounds native recursion */
    uint64_t table_elems;       /* sum of all table sizes: capped by config.max_table_elems */
    uint64_t memory_pages;      /* sum of all memory sizes: capped by config.max_memory_pages */
    int64_t fuel;               /* remaining, up to the next sampling checkpoint (below) */
    int64_t fuel_banked;        /* fuel held back behind that checkpoint (0 without a sampler);
                                   what remains is fuel + fuel_banked, INT64_MAX when unlimited */
    bst_sampler sampler;        /* sampling.c; sampler.fn NULL when off */
    bst_func *sample_func;      /* the running function while the sampler runs, else NULL */
    _Atomic uint32_t interrupt; /* ENG_INTR_* bits; REQUESTED is set from any thread */
    uint64_t deadline;          /* CLOCK_MONOTONIC ns; 0 = none (interrupt.c) */
    _Atomic int wake_wr;        /* bst_store_interrupt() writes here; -1 until a wait needs it */
    int wake_rd;                /* waits poll this end (the same eventfd on Linux) */
    uint32_t ntrace;            /* backtrace of the last trap */
    bst_func *trace[BST_MAX_BACKTRACE];
    eng_stats stats;                             /* the outermost call's statistics (observe.c) */
    const uint64_t *trace_pc[BST_MAX_BACKTRACE]; /* a cell of each frame's instruction */
};

/* sampling.c: the interpreter's slow path when a fuel charge of `cost` exceeds the fuel it holds
 * (a fuel count, never a pointer to it, so the loop keeps it in a register): while a sampler's
 * checkpoint is what was reached, samples (cur: the running function) and releases the
 * next interval's fuel.  Returns the fuel now held: still below cost means out of fuel. */
int64_t eng_fuel_checkpoint(bst_store *s, int64_t fuel, int64_t cost, bst_func *cur);

/* codemap.c: building a eng_code's map while compiling (entries in cell order; an entry at or
 * past a cell that a later one starts at is replaced, as code the compiler takes back is), and
 * finding the module offset of the instruction a cell belongs to. */
typedef struct eng_codemap_builder {
    size_t (*entries)[2]; /* {cell, module offset} */
    size_t n, cap;
} eng_codemap_builder;
bool eng_codemap_note_slow(eng_codemap_builder *b, size_t cell, size_t offset);
/* Notes that the wasm instruction at module offset `offset` starts at `cell`.  Called for every
 * instruction compiled, so the common case (a new cell, room left) is inline. */
static inline bool eng_codemap_note(eng_codemap_builder *b, size_t cell, size_t offset) {
    size_t n = b->n;
    if (n && b->entries[n - 1][0] == cell && (n == 1 || b->entries[n - 2][0] < cell)) {
        b->entries[n - 1][1] = offset; /* the last instruction emitted nothing: replaced */
        return true;
    }
    if (n && n < b->cap && b->entries[n - 1][0] < cell) {
        b->entries[n][0] = cell;
        b->entries[n][1] = offset;
        b->n = n + 1;
        return true;
    }
    return eng_codemap_note_slow(b, cell, offset);
}
bool eng_codemap_finish(eng_codemap_builder *b, size_t ncells, eng_code *code);
void eng_codemap_builder_free(eng_codemap_builder *b);
uint32_t eng_codemap_offset(const eng_code *code, const uint64_t *pc);

/* stack.c: the execution stacks.  eng_stacks_init runs on a store's first call (NOMEM when even
 * the reservation fails).  The grow functions are the interpreter's slow paths: they make room
 * for frames[s->depth] / for nslots slots from base, or fill err with a STACK_EXHAUSTED trap that
 * names the limit reached and return false.  The eng_trap_* helpers fill err the same way. */
bool eng_stacks_init(bst_store *s, bst_error *err);
void eng_stacks_free(bst_store *s);
bool eng_frames_grow(bst_store *s, bst_error *err);
bool eng_stack_grow(bst_store *s, const uint64_t *base, uint32_t nslots, bst_error *err);
bool eng_trap_call_depth(const bst_store *s, bst_error *err);
bool eng_trap_stack_slots(const bst_store *s, bst_error *err);
bool eng_trap_reentry(const bst_store *s, bst_error *err);

/* n * size in *out, or false when it does not fit a size_t: every allocation sized by a limit or
 * by a count from a module or an embedder goes through this (sizes wrap on 32-bit hosts). */
static inline bool eng_array_bytes(size_t n, size_t size, size_t *out) {
    if (size && n > SIZE_MAX / size) return false;
    *out = n * size;
    return true;
}

/* The bits of bst_store.interrupt.  Any nonzero value sends the interpreter's interrupt check
 * to eng_interrupt_due(), so a store without a deadline pays one load per check. */
#define ENG_INTR_REQUESTED 1u  /* bst_store_interrupt() */
#define ENG_INTR_DEADLINE 2u   /* a deadline is set */
#define ENG_INTR_EXPIRED 4u    /* ... and has passed (set by the store's own thread) */
#define ENG_DEADLINE_STRIDE 64 /* interrupt checks between two clock reads (bastion.h says 64) */

/* Whether code in the store must stop now: a request, or the deadline passed by the clock
 * (interrupt.c; bst_store_interrupted()). */
bool eng_interrupt_due(bst_store *s);

/* The interpreter's check at loop heads and calls: one relaxed load while nothing is pending and
 * no deadline is set.  With a deadline (and nothing else) pending, *tick — a counter the
 * interpreter keeps in a register — counts down and the clock is read every
 * ENG_DEADLINE_STRIDE checks only: a clock read costs more than a tight loop iteration. */
static inline bool eng_interrupt_check(bst_store *s, uint32_t *tick) {
    uint32_t v = atomic_load_explicit(&s->interrupt, memory_order_relaxed);
    if (__builtin_expect(!v, 1)) return false;
    if (v == ENG_INTR_DEADLINE && --*tick != 0) return false;
    *tick = ENG_DEADLINE_STRIDE;
    return eng_interrupt_due(s);
}
/* The outermost activation reported BST_TRAP_INTERRUPTED: withdraw the request. */
void eng_interrupt_consume(bst_store *s);
/* Wake descriptor setup and teardown (bst_store_new / bst_store_free). */
void eng_interrupt_init(bst_store *s);
void eng_interrupt_fini(bst_store *s);

/* observe.c: statistics and probes around calls.  eng_call_begin/_end wrap every bst_call
 * (the outermost one of a store restarts the statistics); eng_host_begin/_end every host
 * function call; eng_observe_trap reports a trap to the probes; eng_observe_pages follows the
 * store's memory peak after a memory is created or grown (old_pages: the grown memory's size
 * before, -1 for a new memory). */
typedef struct eng_call_mark {
    bool outer;    /* the store's outermost call: its statistics are kept */
    uint64_t t0;   /* CLOCK_MONOTONIC at the start, when measured */
    int64_t fuel0; /* the store's fuel at the start */
} eng_call_mark;
eng_call_mark eng_call_begin(bst_store *s, bst_func *f);
void eng_call_end(bst_store *s, bst_func *f, eng_call_mark mark, bst_status st,
                  const bst_error *err);
uint64_t eng_host_probe_begin(bst_func *f, const bst_instance *inst);
void eng_host_probe_end(bst_func *f, const bst_instance *inst, uint64_t t0, bool ok);
void eng_observe_trap(bst_store *s, const bst_func *cur, bst_trap_kind k, const bst_error *err);
void eng_observe_pages(bst_store *s, const bst_memory *m, int64_t old_pages);

/* Counts a host function call for the statistics, and reports it to the probes when traced
 * (the returned start time goes to eng_host_end). */
static inline uint64_t eng_host_begin(bst_store *s, bst_func *f, const bst_instance *inst) {
    if (f->calls_epoch != s->stats.epoch) {
        f->calls_epoch = s->stats.epoch;
        f->calls = 0;
    }
    f->calls++;
    s->stats.host_calls++;
    if (BASTION_PROBE_ENABLED(host__call__start) || BASTION_PROBE_ENABLED(host__call__end))
        return eng_host_probe_begin(f, inst);
    return 0;
}
static inline void eng_host_end(bst_func *f, const bst_instance *inst, uint64_t t0, bool ok) {
    if (BASTION_PROBE_ENABLED(host__call__end)) eng_host_probe_end(f, inst, t0, ok);
}

/* Registers a store-owned object. */
void eng_store_adopt(bst_store *s, eng_object *o, void (*release)(eng_object *));

/* Runs f with args/results in slots[] (at least max(nparams, nresults) entries).  On a trap
 * returns BST_ERR_TRAP with err filled. */
bst_status eng_interp_call(bst_store *s, bst_func *f, uint64_t *slots, bst_error *err);

/* The interpreter's handler table, indexed by eng_op (the compiler stores these addresses). */
const void *const *eng_interp_handlers(void);

/* Fills err for a trap of kind k (the spec's message); returns BST_ERR_TRAP. */
bst_status eng_trap_error(bst_error *err, bst_trap_kind k);

/* runtime.c, for reset.c: resizes a memory's backing store to `pages` (at most its current
 * size; the store's page count follows) and runs instantiation's last steps (active segments,
 * then the start function) again. */
bool eng_memory_shrink(bst_memory *m, uint32_t pages);
bool eng_instance_initialise(bst_instance *inst, bst_error *err);

/* Runtime helpers shared by the interpreter and the API. */
int64_t eng_memory_grow_internal(bst_memory *m, uint32_t delta);
int64_t eng_table_grow_internal(bst_table *t, uint32_t delta, uint64_t init);
bool eng_functype_equal(const eng_ftype *a, const eng_ftype *b);

/* Conversion between bst_value and slots. */
static inline uint64_t eng_value_to_slot(const bst_value *v) {
    switch (v->type) {
    case BST_I32: return (uint32_t)v->of.i32;
    case BST_I64: return (uint64_t)v->of.i64;
    case BST_F32: return v->of.f32;
    case BST_F64: return v->of.f64;
    case BST_FUNCREF: return (uint64_t)(uintptr_t)v->of.funcref;
    case BST_EXTERNREF: return (uint64_t)v->of.externref;
    default: return 0;
    }
}
static inline bst_value eng_slot_to_value(bst_valtype t, uint64_t s) {
    bst_value v;
    v.type = t;
    v.of.i64 = 0;
    switch (t) {
    case BST_I32: v.of.i32 = (int32_t)(uint32_t)s; break;
    case BST_I64: v.of.i64 = (int64_t)s; break;
    case BST_F32: v.of.f32 = (uint32_t)s; break;
    case BST_F64: v.of.f64 = s; break;
    case BST_FUNCREF: v.of.funcref = (bst_func *)(uintptr_t)s; break;
    case BST_EXTERNREF: v.of.externref = (uintptr_t)s; break;
    default: break;
    }
    return v;
}

#endif /* ENG_ENGINE_RUNTIME_H */
