/*
 * bastion.h — the public embedding API of Bastion, a hardened WebAssembly host.
 *
 * Everything an embedder (the CLI, the Substrate host, the contracts host, a node) may use is
 * declared here; nothing else under src/ is part of the API.  Every symbol starts with `bst_` /
 * `BST_`.  The library keeps no mutable global state: all state hangs off a bst_store, and host
 * functions receive their own environment pointer.
 *
 * Object model (lifetimes):
 *   bst_module   — decoded, validated and compiled code; immutable, may be shared read-only by
 *                  many stores and threads.  Must outlive every instance made from it.
 *   bst_store    — the unit of isolation and of execution: owns instances, memories, tables,
 *                  globals and host functions created in it, and the execution stacks.  A store is
 *                  used by one thread at a time.  bst_store_free() frees everything it owns.
 *   bst_instance — an instantiated module inside a store.
 *
 * Values: floats travel as raw IEEE bit patterns (f32/f64 fields are bits), so NaN payloads are
 * never altered by the host ABI.
 */
#ifndef BASTION_H
#define BASTION_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

#define BST_VERSION "0.1.0"

typedef struct bst_module bst_module;
typedef struct bst_store bst_store;
typedef struct bst_instance bst_instance;
typedef struct bst_func bst_func;
typedef struct bst_memory bst_memory;
typedef struct bst_table bst_table;
typedef struct bst_global bst_global;
typedef struct bst_caller bst_caller;

/* Value types use their binary-format encodings. */
typedef enum bst_valtype {
    BST_I32 = 0x7f,
    BST_I64 = 0x7e,
    BST_F32 = 0x7d,
    BST_F64 = 0x7c,
    BST_V128 = 0x7b,
    BST_FUNCREF = 0x70,
    BST_EXTERNREF = 0x6f,
} bst_valtype;

typedef struct bst_value {
    bst_valtype type;
    union {
        int32_t i32;
        int64_t i64;
        uint32_t f32;        /* IEEE-754 binary32 bits */
        uint64_t f64;        /* IEEE-754 binary64 bits */
        bst_func *funcref;   /* NULL is ref.null func */
        uintptr_t externref; /* 0 is ref.null extern; any other value is the host's own */
    } of;
} bst_value;

typedef enum bst_extern_kind {
    BST_EXTERN_FUNC = 0,
    BST_EXTERN_TABLE = 1,
    BST_EXTERN_MEMORY = 2,
    BST_EXTERN_GLOBAL = 3,
} bst_extern_kind;

typedef struct bst_extern {
    bst_extern_kind kind;
    union {
        bst_func *func;
        bst_table *table;
        bst_memory *memory;
        bst_global *global;
    } of;
} bst_extern;

/* ---- errors and traps --------------------------------------------------------------------- */

typedef enum bst_status {
    BST_OK = 0,
    BST_ERR_MALFORMED,   /* binary does not decode */
    BST_ERR_INVALID,     /* decodes but fails validation */
    BST_ERR_UNSUPPORTED, /* valid wasm using a feature Bastion rejects (SIMD, ...) */
    BST_ERR_LIMIT,       /* exceeds a configured limit (module size, pages, ...) */
    BST_ERR_UNLINKABLE,  /* imports missing or of the wrong type */
    BST_ERR_TRAP,        /* execution trapped; see bst_error.trap */
    BST_ERR_NOMEM,       /* host allocation failed */
    BST_ERR_NOT_FOUND,   /* no such export */
    BST_ERR_ARG,         /* bad arguments to an API call */
} bst_status;

typedef enum bst_trap_kind {
    BST_TRAP_NONE = 0,
    BST_TRAP_UNREACHABLE,
    BST_TRAP_MEMORY_OOB,
    BST_TRAP_TABLE_OOB,
    BST_TRAP_DIV_ZERO,
    BST_TRAP_INT_OVERFLOW,
    BST_TRAP_INVALID_CONVERSION,
    BST_TRAP_INDIRECT_MISMATCH,
    BST_TRAP_UNINITIALIZED_ELEMENT,
    BST_TRAP_UNDEFINED_ELEMENT, /* call_indirect index outside the table */
    BST_TRAP_STACK_EXHAUSTED,
    BST_TRAP_OUT_OF_FUEL,
    BST_TRAP_INTERRUPTED,
    BST_TRAP_HOST, /* raised by a host function */
    BST_TRAP__COUNT
} bst_trap_kind;

typedef struct bst_error {
    bst_status status;
    bst_trap_kind trap; /* when status == BST_ERR_TRAP */
    size_t offset;      /* byte offset in the module binary, for decode/validation errors */
    char message[256];
} bst_error;

/* Human-readable name of a status / trap kind ("out of bounds memory access", ...). */
const char *bst_status_name(bst_status s);
const char *bst_trap_message(bst_trap_kind k);

/* ---- configuration ------------------------------------------------------------------------ */

typedef struct bst_config {
    uint32_t max_call_depth;   /* wasm frames; default 10000 */
    uint32_t max_stack_slots;  /* 64-bit value-stack slots; default 1M */
    uint32_t max_memory_pages; /* 64 KiB pages per memory and in total over all memories
                                      of the store; default 65536 */
    uint32_t max_table_elems;  /* elements per table and in total over all tables of the
                                      store; default 10,000,000 */
    uint32_t max_reentry;      /* nested wasm activations entered from host code (each uses
                                      native stack: wasm -> host -> bst_call -> wasm ...);
                                      default 100 */
    bool time_calls;           /* measure the wall-clock and thread CPU time of each call for
                                      bst_store_call_stats: two clock reads at each end of a call,
                                      one of them a system call (about 2 us); default false */
} bst_config;

/* Fills *cfg with the defaults. */
void bst_config_default(bst_config *cfg);

/* Options fixed when a module is compiled (a module may be shared by many stores). */
typedef struct bst_module_config {
    bool fuel_metering;         /* emit per-basic-block fuel charges; default true */
    bool canonicalize_nans;     /* deterministic mode: every float result NaN is canonical */
    bool reject_floats;         /* refuse modules that use floating point at all */
    uint32_t max_module_bytes;  /* default 64 MiB */
    uint32_t max_functions;     /* default 100,000 */
    uint32_t max_locals;        /* per function, params included; default 50,000 */
    uint32_t max_nesting;       /* block nesting depth per function; default 1,024 */
    bool count_instructions;    /* count the instructions each function runs, for
                                      bst_store_call_stats (implies fuel_metering: the count is
                                      taken where fuel is charged, per basic block); modules
                                      compiled without it pay nothing; default false */
    uint64_t max_decoded_bytes; /* host memory for the decoded module's tables, whose sizes
                                      follow counts in the binary: types, imports, functions and
                                      their locals, globals, exports, element segment items, data
                                      segments, custom sections, names; default 128 MiB.  (The
                                      binary and the compiled code come on top.) */
} bst_module_config;

void bst_module_config_default(bst_module_config *cfg);

/* ---- modules ------------------------------------------------------------------------------ */

typedef struct bst_functype {
    uint32_t nparams, nresults;
    const bst_valtype *params;
    const bst_valtype *results;
} bst_functype;

/* Signature strings: one letter per value type, parameters, then ':' and the results, e.g.
 * "iI:i" is (i32, i64) -> i32.  Letters: i = i32, I = i64, f = f32, F = f64, r = funcref,
 * e = externref.  The hosts declare their imports with these strings.
 * bst_functype_parse fills *out with arrays taken from buf (cap entries); false when the string
 * is malformed or needs more than cap entries.  bst_functype_matches compares a type with a
 * signature string (false for a malformed string). */
bool bst_functype_parse(const char *sig, bst_valtype *buf, size_t cap, bst_functype *out);
bool bst_functype_matches(const bst_functype *ft, const char *sig);
/* The text-format name of a value type ("i32", "funcref", ...; "?" for none of them). */
const char *bst_valtype_name(bst_valtype t);

typedef struct bst_limits {
    uint32_t min;
    uint32_t max; /* valid when has_max */
    bool has_max;
} bst_limits;

typedef struct bst_externtype {
    bst_extern_kind kind;
    bst_functype func;  /* BST_EXTERN_FUNC */
    bst_valtype elem;   /* BST_EXTERN_TABLE: element reference type */
    bst_limits limits;  /* BST_EXTERN_TABLE / BST_EXTERN_MEMORY */
    bst_valtype global; /* BST_EXTERN_GLOBAL: value type */
    bool global_mutable;
} bst_externtype;

typedef struct bst_import_desc {
    const char *module;
    const char *name;
    size_t module_len, name_len; /* names may contain NUL bytes */
    bst_externtype type;
} bst_import_desc;

typedef struct bst_export_desc {
    const char *name;
    size_t name_len;
    bst_externtype type;
} bst_export_desc;

/* Decodes, validates and compiles a binary module.  On failure returns NULL and fills *err
 * (status MALFORMED / INVALID / UNSUPPORTED / LIMIT / NOMEM, with the byte offset). */
bst_module *bst_module_new(const uint8_t *bytes, size_t len, bst_error *err);
/* The same with explicit options (cfg NULL = defaults). */
bst_module *bst_module_new_ex(const uint8_t *bytes, size_t len, const bst_module_config *cfg,
                              bst_error *err);
void bst_module_free(bst_module *m);

uint32_t bst_module_import_count(const bst_module *m);
void bst_module_import(const bst_module *m, uint32_t i, bst_import_desc *out);
uint32_t bst_module_export_count(const bst_module *m);
void bst_module_export(const bst_module *m, uint32_t i, bst_export_desc *out);
/* Whether the module has a start function (a `start` section). */
bool bst_module_has_start(const bst_module *m);
/* Whether the module defines a memory of its own (an entry in its memory section); an imported
 * memory does not count. */
bool bst_module_defines_memory(const bst_module *m);
/* The limits of memory `index` of the module's memory index space (imported memories first,
 * then those it defines); false when there is no such memory. */
bool bst_module_memory_limits(const bst_module *m, uint32_t index, bst_limits *out);
/* Function name from the `name` section (or NULL), by function index (imports first). */
const char *bst_module_func_name(const bst_module *m, uint32_t func_index);
/* Whether the module has a custom section with this name (e.g. "name", ".debug_line"). */
bool bst_module_has_custom_section(const bst_module *m, const char *name);

/* Source positions from DWARF: the line table a compiler writes into the `.debug_line` custom
 * section (clang -g; DWARF versions 2 to 5, DWARF 5 names from `.debug_line_str`).  Decoded on
 * demand (e.g. on the first trap) into an object of its own, so the module stays immutable.
 * Rows are bounded by the section's size and by 4M rows and 1M file entries; anything that
 * does not decode is an error, never a crash.
 * bst_debug_lines_new: NULL with *err filled: BST_ERR_NOT_FOUND without a .debug_line section,
 * BST_ERR_MALFORMED (offset in the section) when it does not decode, BST_ERR_LIMIT beyond the
 * bounds, BST_ERR_NOMEM.  The module must outlive the object (names point into its bytes). */
typedef struct bst_debug_lines bst_debug_lines;
typedef struct bst_source_line {
    const char *dir;  /* the file's directory as the table names it, or NULL */
    const char *file; /* file name (may itself be absolute) */
    uint32_t line;    /* 1-based; 0: no line (compiler-generated code) */
    uint32_t column;  /* 1-based; 0: unknown */
} bst_source_line;
bst_debug_lines *bst_debug_lines_new(const bst_module *m, bst_error *err);
/* The source position of the instruction at a module byte offset (bst_frame_info.offset);
 * false when no row covers it. */
bool bst_debug_lines_find(const bst_debug_lines *d, uint32_t offset, bst_source_line *out);
void bst_debug_lines_free(bst_debug_lines *d);

/* ---- stores ------------------------------------------------------------------------------- */

/* cfg may be NULL for the defaults. */
bst_store *bst_store_new(const bst_config *cfg);
void bst_store_free(bst_store *s);

/* Fuel: every metered basic block costs the sum of its instructions' costs (1 each; bulk memory
 * and table operations also 1 per 64 bytes/elements moved), charged before it runs.  A store
 * starts with unlimited fuel; set a budget with bst_store_set_fuel().  Running out traps with
 * BST_TRAP_OUT_OF_FUEL at the same instruction on every run and machine. */
void bst_store_set_fuel(bst_store *s, uint64_t fuel);
/* Turns bst_config.time_calls on or off for the store's next calls (a pooled store serves
 * calls that want timing and calls that do not). */
void bst_store_set_time_calls(bst_store *s, bool on);
uint64_t bst_store_fuel(const bst_store *s); /* remaining */

/* Asks code running in the store to stop with BST_TRAP_INTERRUPTED at the next loop back-edge or
 * call, and wakes a host function blocked in bst_store_poll / bst_store_sleep_ns (which then
 * traps the same way).  The only call that is safe from another thread, and async-signal-safe
 * (it preserves errno).  The store must outlive every bst_store_interrupt() call. */
void bst_store_interrupt(bst_store *s);
/* Clears a pending interrupt (done automatically when the outermost call's trap reports it). */
void bst_store_clear_interrupt(bst_store *s);

/* ---- deadlines and interruptible waits (see docs/sandbox.md, "Timeouts") ------------------ *
 *
 * A store may carry a deadline: an absolute CLOCK_MONOTONIC time in nanoseconds
 * (bst_monotonic_ns() + budget).  Once it has passed, code running in the store traps with
 * BST_TRAP_INTERRUPTED exactly as after bst_store_interrupt(): wasm code at a loop head or call
 * (the clock is read at every 64th such check), a host function blocked in
 * bst_store_poll / bst_store_sleep_ns at the deadline itself.  The deadline stays until it is
 * changed or cleared: every later call traps at its first check.
 *
 * Host functions that block must wait through bst_store_poll / bst_store_sleep_ns (or poll
 * bst_store_wake_fd themselves) so that an interrupt or the deadline ends the wait.  When a
 * wait reports BST_WAIT_INTERRUPTED the host function traps:
 *
 *     struct pollfd p = {fd, POLLIN, 0};
 *     if (bst_store_poll(bst_caller_store(c), &p, 1, -1) == BST_WAIT_INTERRUPTED) {
 *         bst_caller_trap(c, "interrupted");
 *         return false;
 *     }
 *
 * Whenever a host function returns (normally or trapping) while the store is interrupted — a
 * request pending or the deadline passed — the engine turns the call's outcome into
 * BST_TRAP_INTERRUPTED, so an interrupt that arrives during a host call is never lost. */

typedef enum bst_wait {
    BST_WAIT_READY = 0,   /* a descriptor is ready: see the revents fields */
    BST_WAIT_TIMEOUT,     /* the wait's own timeout elapsed (bst_store_sleep_ns: slept in full) */
    BST_WAIT_INTERRUPTED, /* the store was interrupted or its deadline passed: trap */
    BST_WAIT_ERROR,       /* poll() failed, or no wake descriptor could be made: see errno */
} bst_wait;

/* The CLOCK_MONOTONIC time in nanoseconds, the clock deadlines are measured on. */
uint64_t bst_monotonic_ns(void);
/* Sets the store's deadline (CLOCK_MONOTONIC ns); 0 removes it. */
void bst_store_set_deadline(bst_store *s, uint64_t monotonic_ns);
/* The deadline, or 0 when none is set. */
uint64_t bst_store_deadline(const bst_store *s);
/* True when the store is interrupted: a request is pending or the deadline has passed.  A host
 * function doing long work without waiting checks it between steps (and traps). */
bool bst_store_interrupted(bst_store *s);

struct pollfd; /* <poll.h> */
/* poll(2) on fds[0..nfds) (nfds may be 0: a plain sleep) that also ends when the store is
 * interrupted or its deadline passes.  timeout_ns < 0 waits without a timeout of its own.
 * Checks for an interrupt before waiting; retries EINTR.  READY fills every revents; the
 * other outcomes leave them 0. */
bst_wait bst_store_poll(bst_store *s, struct pollfd *fds, size_t nfds, int64_t timeout_ns);
/* Sleeps ns nanoseconds unless interrupted first: TIMEOUT when it slept in full. */
bst_wait bst_store_sleep_ns(bst_store *s, uint64_t ns);
/* A descriptor that becomes readable when bst_store_interrupt() is called, for embedders that
 * wait in their own event loop (add it to the set; when it is readable, check
 * bst_store_interrupted(), as it may wake spuriously).  Created on first use (close-on-exec)
 * and owned by the store: never read or close it.  -1 (errno set) if it cannot be made. */
int bst_store_wake_fd(bst_store *s);

/* After a trap: the wasm call stack at the trap, innermost first.  Returns the number of frames
 * written (at most max; the stack is truncated to the innermost BST_MAX_BACKTRACE frames).
 * Each frame's offset is the module byte offset of its instruction: where the innermost frame
 * trapped, and the call each outer frame is in (what bst_debug_lines_find takes). */
#define BST_MAX_BACKTRACE 32
#define BST_NO_OFFSET UINT32_MAX
typedef struct bst_frame_info {
    const bst_module *module;
    uint32_t func_index;
    const char *func_name; /* from the name section, or NULL */
    uint32_t offset;       /* module byte offset, or BST_NO_OFFSET (bst_store_stack) */
} bst_frame_info;
size_t bst_store_backtrace(const bst_store *s, bst_frame_info *out, size_t max);

/* ---- statistics of a call (docs/observability.md) ------------------------------------------ *
 *
 * Every store keeps the statistics of its last outermost call: a bst_call, or the start function
 * bst_instance_new runs (calls host functions make through bst_call while it runs are part of
 * it).  Fuel, memory and host calls are always
 * counted (a subtraction per call, an increment per host call); times only with
 * bst_config.time_calls, instructions only in modules compiled with count_instructions. */

/* One count of a call's statistics: calls of one import, or instructions of one function. */
typedef struct bst_stats_count {
    uint32_t index;     /* the import's index (bst_module_import) / the function's index */
    const char *module; /* host calls: the import's module name; instructions: NULL */
    const char *name;   /* the import's name; the function's name (name section, else its
                                      export name), or NULL */
    uint64_t count;
} bst_stats_count;

typedef struct bst_call_stats {
    uint32_t func_index;          /* the function called (in its module; host functions: 0) */
    const char *func_name;        /* its name (name section, else export name), or NULL */
    bst_status status;            /* how the call ended */
    bst_trap_kind trap;           /* when status is BST_ERR_TRAP */
    uint64_t fuel_used;           /* fuel the call used (what host functions charged with
                                      bst_store_set_fuel included); 0 without metering */
    bool timed;                   /* wall_ns and cpu_ns were measured (bst_config.time_calls) */
    uint64_t wall_ns, cpu_ns;     /* CLOCK_MONOTONIC and CLOCK_THREAD_CPUTIME_ID */
    uint32_t memory_pages;        /* pages of all the store's memories after the call */
    uint32_t peak_memory_pages;   /* the most they held at once during the call */
    uint64_t host_calls;          /* host function calls during the call */
    size_t nhost;                 /* imports of the called instance whose host function ran */
    const bst_stats_count *host;  /* their calls, in import order (a function bound to two
                                      imports shows its calls at both) */
    bool counted;                 /* the module counts instructions (count_instructions) */
    uint64_t instructions;        /* instructions run in the called instance's functions */
    size_t nfuncs;                /* functions of the called instance that ran */
    const bst_stats_count *funcs; /* their instructions, by function index */
    void *owned_;                 /* bst_call_stats_copy's block */
} bst_call_stats;

/* The statistics of the store's last outermost call; false (and *out zeroed) before the first
 * call, or when the tables cannot be allocated.
 * Names and arrays stay valid until the store's next call, or until the store or the module is
 * freed: bst_call_stats_copy keeps them longer. */
bool bst_store_call_stats(bst_store *s, bst_call_stats *out);
/* A deep copy, names included, in one allocation that outlives store and module; free it with
 * bst_call_stats_free.  False (dst zeroed) when out of memory. */
bool bst_call_stats_copy(const bst_call_stats *src, bst_call_stats *dst);
void bst_call_stats_free(bst_call_stats *st);

/* ---- sampling the call stack (profilers) -------------------------------------------------- *
 *
 * A sampler is called every `interval` units of fuel the store's code uses (fuel charged by host
 * functions through bst_store_set_fuel counts too), at the metered block where the count
 * crosses the checkpoint, so two runs of the same code take the same samples.  It costs nothing
 * while unset: the interpreter's fuel check is unchanged, and the checkpoint is a fuel count
 * that looks exhausted to it, handled out of line, where the sampler runs and the next
 * checkpoint is armed.  The fuel the code sees, and where it runs out, stay exactly as without
 * a sampler.  Only modules compiled with fuel_metering are sampled.
 *
 * The sampler may only call bst_store_stack and bst_store_fuel on the store: it runs in the
 * middle of an instruction sequence. */
typedef void (*bst_sample_fn)(void *env, bst_store *s);
typedef struct bst_sampler {
    uint64_t interval; /* fuel between samples; 0 is taken as 1 */
    bst_sample_fn fn;  /* NULL: no sampling */
    void *env;
} bst_sampler;
/* Sets (sampler->fn non-NULL) or removes (NULL or fn NULL) the store's sampler. */
void bst_store_set_sampler(bst_store *s, const bst_sampler *sampler);
/* The wasm call stack now, innermost first, across wasm re-entered from host functions: from a
 * sampler, or from a host function (whose wasm caller comes first).  Writes at most max frames
 * (offset BST_NO_OFFSET: a sample needs no instruction offsets) and returns how many there are
 * in all, so a caller can retry with room for all of them. */
size_t bst_store_stack(const bst_store *s, bst_frame_info *out, size_t max);

/* ---- instances ---------------------------------------------------------------------------- */

/* Instantiates m in s.  `imports` holds one extern per module import, in import order; each is
 * type-checked (UNLINKABLE on mismatch).  Runs data/elem initialisation and the start function
 * (a trap there gives status TRAP; the instance is not returned).  `user_data` is retrievable
 * by host functions through bst_caller_user_data(). */
bst_instance *bst_instance_new(bst_store *s, const bst_module *m, const bst_extern *imports,
                               size_t nimports, void *user_data, bst_error *err);

/* Resets inst to its state right after bst_instance_new, so that it can serve another call
 * without a trace of the previous ones (instance pooling, bastion_pool.h):
 *   - every memory the instance defines: contents zero, size back to its minimum (memory.grow
 *     made it larger; the growth cap is kept);
 *   - every table it defines: size back to its minimum, every element null;
 *   - every global it defines: its initial value;
 *   - dropped data and element segments are available again;
 *   - then, exactly as instantiation: active element and data segments are applied again (also
 *     into imported tables and memories) and the start function, if any, runs again.
 * Imported memories, tables and globals are the embedder's and are NOT reset here (another
 * instance may share them): reset them first with bst_memory_reset / bst_table_reset /
 * bst_global_reset.  The store's fuel, deadline and interrupt are not touched either (the start
 * function runs on the store's fuel).  Host functions stay bound.  Nothing may be running in
 * the store.  On failure (a segment out of bounds, a trapping start function, no memory) the
 * instance must not be used again: free its store.  Cost: proportional to the memory the
 * previous calls touched (docs/pool.md). */
bst_status bst_instance_reset(bst_instance *inst, bst_error *err);

/* Looks an export up by name.  Returns false if absent. */
bool bst_instance_export(const bst_instance *inst, const char *name, size_t name_len,
                         bst_extern *out);
/* Convenience: the exported function / memory with that NUL-terminated name, or NULL. */
bst_func *bst_instance_func(const bst_instance *inst, const char *name);
bst_memory *bst_instance_memory(const bst_instance *inst, const char *name);
void *bst_instance_user_data(const bst_instance *inst);
const bst_module *bst_instance_module(const bst_instance *inst);

/* ---- functions ---------------------------------------------------------------------------- */

/* A host function.  `args` has nparams values, `results` room for nresults (types preset).
 * Return true on success; to trap, call bst_caller_trap() and return false. */
typedef bool (*bst_host_fn)(bst_caller *caller, const bst_value *args, bst_value *results,
                            void *env);

/* NULL when out of memory, or for a type of more than 1,000 parameters or results (the most a
 * module's types may have). */
bst_func *bst_func_new_host(bst_store *s, const bst_functype *type, bst_host_fn fn, void *env);
/* The function's type; valid as long as the function. */
const bst_functype *bst_func_type(const bst_func *f);

/* Calls f with nargs arguments (type-checked).  Results go to results[0..nresults). */
bst_status bst_call(bst_func *f, const bst_value *args, size_t nargs, bst_value *results,
                    size_t nresults, bst_error *err);

/* Inside a host function: the store it runs in, the instance whose code called it (NULL when
 * called directly from bst_call), its exported "memory" or first memory, its user data. */
bst_store *bst_caller_store(bst_caller *c);
bst_instance *bst_caller_instance(bst_caller *c);
bst_memory *bst_caller_memory(bst_caller *c);
void *bst_caller_user_data(bst_caller *c);
/* Records a host trap with a message; the host function then returns false. */
void bst_caller_trap(bst_caller *c, const char *message);

/* ---- memories ----------------------------------------------------------------------------- */

bst_memory *bst_memory_new(bst_store *s, bst_limits limits, bst_error *err);
uint32_t bst_memory_pages(const bst_memory *m);
uint64_t bst_memory_size(const bst_memory *m); /* bytes */
/* Grows by delta pages; returns the old page count or -1 (as memory.grow). */
int64_t bst_memory_grow(bst_memory *m, uint32_t delta);

/* Back to the state bst_memory_new made: size = its minimum, contents zero (growth cap kept).
 * Pages the guest never touched cost nothing; touched pages stay committed but zeroed.
 * Nothing may be running in the store.  False (memory unchanged) when out of memory. */
bool bst_memory_reset(bst_memory *m);
/* Sets the memory's growth cap for the host's policy (a tenant's page quota, a per-call cap):
 * memory.grow / bst_memory_grow past max_pages return -1.  The cap in force is the lowest of
 * max_pages, the declared maximum and the store's max_memory_pages (each call recomputes it, so
 * a cap can be raised again up to those).  False (nothing changed) when the memory already has
 * more than max_pages pages. */
bool bst_memory_set_max_pages(bst_memory *m, uint32_t max_pages);

/* Bounds-checked, overflow-safe guest memory access.  All return false (touching nothing) when
 * [ptr, ptr+len) is not inside the memory; ptr+len is computed in 64 bits, so it cannot wrap. */
bool bst_memory_read(const bst_memory *m, uint32_t ptr, void *dst, uint32_t len);
bool bst_memory_write(bst_memory *m, uint32_t ptr, const void *src, uint32_t len);
/* A direct pointer to [ptr, ptr+len), valid until the memory next grows, or NULL. */
uint8_t *bst_memory_slice(bst_memory *m, uint32_t ptr, uint32_t len);

/* ---- tables ------------------------------------------------------------------------------- */

bst_table *bst_table_new(bst_store *s, bst_valtype elem, bst_limits limits, bst_value init,
                         bst_error *err);
uint32_t bst_table_size(const bst_table *t);
bool bst_table_get(const bst_table *t, uint32_t i, bst_value *out);
bool bst_table_set(bst_table *t, uint32_t i, bst_value v);
/* Back to the state bst_table_new made: size = its minimum, every element its initial value.
 * Returns true (a shrinking table never needs new memory). */
bool bst_table_reset(bst_table *t);

/* ---- globals ------------------------------------------------------------------------------ */

bst_global *bst_global_new(bst_store *s, bst_valtype type, bool mutable_, bst_value init);
bst_value bst_global_get(const bst_global *g);
bool bst_global_set(bst_global *g, bst_value v); /* false if immutable or wrong type */
/* Back to the value it was created with (also for an immutable global: a no-op). */
void bst_global_reset(bst_global *g);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_H */
