/*
 * host_sandbox.c — ext_sandbox_*: the sandbox API of sp-io / sp-sandbox, with which a runtime
 * instantiates and runs wasm modules of its own (pallet-contracts did so before it embedded an
 * engine).  Owns struct sub_sandbox: the call's sandbox store, its instances and memories.
 *
 * Model (Substrate's client/executor/common/src/sandbox.rs):
 *   - One sandbox store per runtime call (freed with the call's instance): memories made by
 *     memory_new and the instances made by instantiate live in it, indexed from 0 in creation
 *     order; teardown only retires an index (what a live instance imports stays alive, as with
 *     Substrate's reference counting), everything is freed at the end of the call.
 *   - instantiate(dispatch_thunk, wasm, env_def, state): env_def is a SCALE
 *     EnvironmentDefinition { entries: Vec<Entry { module: Vec<u8>, field: Vec<u8>,
 *     entity: Function(u32) = 1 | Memory(u32) = 2 }> } naming what the module may import:
 *     functions are indices into the runtime's table, memories are sandbox memory indices.
 *   - A sandboxed call to an imported function goes back into the runtime: the arguments as a
 *     SCALE Vec<Value> (Value: I32 = 0, I64 = 1, F32 = 2, F64 = 3, little-endian payload) are
 *     written to a block of the runtime's allocator, and the dispatch thunk (the runtime's table
 *     entry given to instantiate, (i32 args_ptr, i32 args_len, i32 state, i32 func) -> i64) is
 *     called; it returns ptr << 32 | len of a SCALE Result<ReturnValue, HostError>
 *     (ReturnValue: Unit = 0 | Value(Value) = 1), which the host reads and frees.
 *   - Results for the runtime are sp-core's codes: an index, ERR_OK 0, ERR_MODULE -1,
 *     ERR_OUT_OF_BOUNDS -2, ERR_EXECUTION -3.  A sandboxed trap (or a HostError) is
 *     ERR_EXECUTION; only the runtime's own misuse (a bad index, a pointer outside its memory,
 *     a dispatch thunk outside its table) traps the runtime, as in Substrate.
 *
 * Limits: the sandbox store has the runtime's bst_config (call depth, stack, pages) and its
 * modules are always fuel-metered; with a fuel budget, runtime and sandbox draw on the same fuel
 * (moved across at every crossing).  Nesting (runtime -> sandbox -> runtime -> sandbox ...) is
 * bounded by SBX_MAX_NESTING, the modules compiled in one call by the module size limit in
 * total, instances and memories by SBX_MAX_OBJECTS each.
 *
 * Guest memory is touched only through the bounds-checked accessors of bastion.h.
 */
#include "host.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sp-core's sandbox codes (u32 on the wire). */
#define SBX_ERR_OK 0u
#define SBX_ERR_MODULE 0xFFFFFFFFu
#define SBX_ERR_OUT_OF_BOUNDS 0xFFFFFFFEu
#define SBX_ERR_EXECUTION 0xFFFFFFFDu
#define SBX_MEM_UNLIMITED 0xFFFFFFFFu

#define SBX_MAX_OBJECTS 1024u /* instances, and memories, per call */
#define SBX_MAX_NESTING 16u   /* sandboxed code running inside sandboxed code's host call */

/* The environment of one sandboxed function import: which runtime function serves it. */
typedef struct sbx_binding {
    bst_substrate_runtime *rt;
    bst_func *thunk;   /* the dispatch thunk (in the runtime's store) */
    uint32_t func_idx; /* the runtime function the thunk dispatches to */
    bst_functype type; /* the import's type (points into the sandboxed module) */
} sbx_binding;

/* Everything one instantiate attempt made, freed at the end of the call. */
typedef struct sbx_owned {
    bst_module *module;
    sbx_binding *bindings;
} sbx_owned;

struct sub_sandbox {
    bst_store *store;
    bst_instance **insts; /* by index; NULL once torn down */
    uint32_t ninsts, insts_cap;
    bst_memory **mems; /* by index; NULL once torn down */
    uint32_t nmems, mems_cap;
    sbx_owned *owned;
    uint32_t nowned, owned_cap;
    uint64_t code_bytes; /* compiled this call */
    uint32_t state;      /* the `state` of the innermost instantiate / invoke */
    uint32_t nesting;
};

void sub_sandbox_free(bst_substrate_runtime *rt) {
    struct sub_sandbox *s = rt->sandbox;
    if (!s) return;
    bst_store_free(s->store); /* before the modules: its instances refer to them */
    for (uint32_t i = 0; i < s->nowned; i++) {
        bst_module_free(s->owned[i].module);
        free(s->owned[i].bindings);
    }
    free(s->owned);
    free(s->insts);
    free(s->mems);
    free(s);
    rt->sandbox = NULL;
}

/* The call's sandbox, made on first use; NULL after trapping. */
static struct sub_sandbox *sbx_get(bst_caller *c, bst_substrate_runtime *rt, const char *fn) {
    if (rt->sandbox) return rt->sandbox;
    struct sub_sandbox *s = calloc(1, sizeof *s);
    if (!s) {
        sub_fail(c, fn, "out of host memory");
        return NULL;
    }
    bst_config cfg = rt->opts.config;
    s->store = bst_store_new(&cfg);
    if (!s->store) {
        free(s);
        sub_fail(c, fn, "out of host memory");
        return NULL;
    }
    /* sandboxed code runs under the call's deadline too */
    bst_store_set_deadline(s->store, bst_store_deadline(rt->store));
    rt->sandbox = s;
    return s;
}

/* Room for one more element in a growable array (typed, so no pointer punning); false when
 * out of memory. */
#define GROW(arr, n, cap) ((n) < (cap) || grow_array((void *)&(arr), sizeof *(arr), &(cap)))
static bool grow_array(void *arrp, size_t elem, uint32_t *cap) {
    void *old;
    memcpy(&old, arrp, sizeof old);
    if (*cap > UINT32_MAX / 2 || (size_t)*cap * 2 > SIZE_MAX / elem) return false;
    uint32_t ncap = *cap ? *cap * 2 : 8;
    void *a = realloc(old, (size_t)ncap * elem);
    if (!a) return false;
    memcpy(arrp, &a, sizeof a);
    *cap = ncap;
    return true;
}

/* ---- fuel: one budget for the runtime and its sandbox ----------------------------------------- */

/* Moves the remaining fuel from one store to the other when the runtime has a budget (without
 * one both stores run unmetered in effect, each from its own "unlimited" amount). */
static void fuel_move(const bst_substrate_runtime *rt, bst_store *from, bst_store *to) {
    if (rt->opts.fuel) bst_store_set_fuel(to, bst_store_fuel(from));
}

/* ---- values ------------------------------------------------------------------------------- */

/* sp-wasm-interface Value tag of a wasm value type, or -1 (v128, references: not
 * representable, as in Substrate's sandbox). */
static int value_tag(bst_valtype t) {
    switch (t) {
    case BST_I32: return 0;
    case BST_I64: return 1;
    case BST_F32: return 2;
    case BST_F64: return 3;
    default: return -1;
    }
}

/* Encodes a Value (tag, little-endian payload) into out (9 bytes at most); its length, or 0. */
static size_t value_encode(const bst_value *v, uint8_t out[9]) {
    int tag = value_tag(v->type);
    if (tag < 0) return 0;
    uint64_t bits;
    size_t n;
    switch (v->type) {
    case BST_I32:
        bits = (uint32_t)v->of.i32;
        n = 4;
        break;
    case BST_I64:
        bits = (uint64_t)v->of.i64;
        n = 8;
        break;
    case BST_F32:
        bits = v->of.f32;
        n = 4;
        break;
    default:
        bits = v->of.f64;
        n = 8;
        break;
    }
    out[0] = (uint8_t)tag;
    for (size_t i = 0; i < n; i++) out[1 + i] = (uint8_t)(bits >> (8 * i));
    return 1 + n;
}

/* Decodes a Value; false on a bad tag or short input. */
static bool value_decode(bst_scale_dec *d, bst_value *v) {
    uint8_t tag;
    memset(v, 0, sizeof *v);
    if (bst_scale_get_u8(d, &tag) != BST_SCALE_OK) return false;
    bst_scale_err e;
    switch (tag) { /* floats cross as their bits, as bst_value holds them */
    case 0:
        v->type = BST_I32;
        e = bst_scale_get_i32(d, &v->of.i32);
        break;
    case 1:
        v->type = BST_I64;
        e = bst_scale_get_i64(d, &v->of.i64);
        break;
    case 2:
        v->type = BST_F32;
        e = bst_scale_get_u32(d, &v->of.f32);
        break;
    case 3:
        v->type = BST_F64;
        e = bst_scale_get_u64(d, &v->of.f64);
        break;
    default: return false;
    }
    return e == BST_SCALE_OK;
}

/* ---- the way back: a sandboxed import served by the runtime ------------------------------------ */

/* Traps the sandboxed code (not the runtime): its invoke / instantiate then reports it. */
static bool import_fail(bst_caller *c, const char *what) {
    bst_caller_trap(c, what);
    return false;
}

static bool sbx_import(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    sbx_binding *b = env;
    bst_substrate_runtime *rt = b->rt;
    struct sub_sandbox *s = rt->sandbox;
    bst_memory *mem = rt->memory;
    /* Vec<Value> of the arguments. */
    bst_scale_buf buf;
    bst_scale_buf_init(&buf);
    bst_scale_put_len(&buf, b->type.nparams);
    for (uint32_t i = 0; i < b->type.nparams; i++) {
        uint8_t enc[9];
        size_t n = value_encode(&args[i], enc);
        if (!n) {
            bst_scale_buf_free(&buf);
            return import_fail(c, "sandbox: an argument type the dispatch thunk cannot take");
        }
        bst_scale_put_raw(&buf, enc, n);
    }
    if (bst_scale_buf_error(&buf) != BST_SCALE_OK || buf.len > UINT32_MAX) {
        bst_scale_buf_free(&buf);
        return import_fail(c, "sandbox: out of host memory");
    }
    uint32_t args_ptr = 0, args_len = (uint32_t)buf.len;
    if (bst_alloc_malloc(&rt->alloc, mem, args_len, &args_ptr) != BST_ALLOC_OK) {
        bst_scale_buf_free(&buf);
        return import_fail(c, "Can't allocate memory in supervisor for the arguments");
    }
    bool wrote = bst_memory_write(mem, args_ptr, buf.data, args_len);
    bst_scale_buf_free(&buf);
    if (!wrote) {
        bst_alloc_free(&rt->alloc, mem, args_ptr);
        return import_fail(c, "Can't write invoke args into memory");
    }

    /* The dispatch thunk, in the runtime's store, on the shared fuel. */
    bst_value targs[4], tres[1];
    memset(targs, 0, sizeof targs);
    memset(tres, 0, sizeof tres);
    for (int i = 0; i < 4; i++) targs[i].type = BST_I32;
    targs[0].of.i32 = (int32_t)args_ptr;
    targs[1].of.i32 = (int32_t)args_len;
    targs[2].of.i32 = (int32_t)s->state;
    targs[3].of.i32 = (int32_t)b->func_idx;
    tres[0].type = BST_I64;
    bst_error err;
    memset(&err, 0, sizeof err);
    fuel_move(rt, s->store, rt->store);
    bst_status st = bst_call(b->thunk, targs, 4, tres, 1, &err);
    fuel_move(rt, rt->store, s->store);
    if (bst_alloc_free(&rt->alloc, mem, args_ptr) != BST_ALLOC_OK)
        return import_fail(c, "Can't deallocate memory for dispatch thunk's invoke arguments");
    if (st != BST_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "sandbox: the dispatch thunk failed: %.150s", err.message);
        return import_fail(c, msg);
    }

    /* Result<ReturnValue, HostError> at ptr << 32 | len (the reverse of the usual packing). */
    uint64_t packed = (uint64_t)tres[0].of.i64;
    uint32_t rptr = (uint32_t)(packed >> 32), rlen = (uint32_t)packed;
    uint8_t rbuf[16];
    uint32_t n = rlen < sizeof rbuf ? rlen : (uint32_t)sizeof rbuf;
    bool read = bst_memory_slice(mem, rptr, rlen) != NULL && bst_memory_read(mem, rptr, rbuf, n);
    if (bst_alloc_free(&rt->alloc, mem, rptr) != BST_ALLOC_OK)
        return import_fail(c, "Can't deallocate memory for dispatch thunk's result");
    if (!read) return import_fail(c, "Can't read the serialized result from dispatch thunk");

    bst_scale_dec d;
    bst_scale_dec_init(&d, rbuf, n);
    uint8_t outer, kind;
    if (bst_scale_get_u8(&d, &outer) != BST_SCALE_OK || outer > 1)
        return import_fail(c, "Decoding Result<ReturnValue, HostError> failed!");
    if (outer == 1) return import_fail(c, "Supervisor function returned sandbox::HostError");
    if (bst_scale_get_u8(&d, &kind) != BST_SCALE_OK || kind > 1)
        return import_fail(c, "Decoding Result<ReturnValue, HostError> failed!");
    if (kind == 0) {
        if (b->type.nresults != 0)
            return import_fail(c, "sandbox: the host function returned no value, one expected");
        return true;
    }
    bst_value v;
    if (!value_decode(&d, &v))
        return import_fail(c, "Decoding Result<ReturnValue, HostError> failed!");
    if (b->type.nresults != 1 || b->type.results[0] != v.type)
        return import_fail(c, "sandbox: the host function returned a value of the wrong type");
    results[0] = v;
    return true;
}

/* ---- instantiate -------------------------------------------------------------------------- */

/* One entry of the environment definition (views into the runtime's memory, used before any
 * code runs, so before the memory can grow). */
typedef struct env_entry {
    const uint8_t *module, *field;
    size_t module_len, field_len;
    bool is_memory;
    uint32_t index;
} env_entry;

/* Decodes an EnvironmentDefinition; false if corrupted (as Substrate: trailing bytes are
 * ignored, a memory entry must name a live sandbox memory). */
static bool env_decode(const struct sub_sandbox *s, const uint8_t *p, uint32_t len, env_entry **out,
                       size_t *count) {
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    size_t n;
    *out = NULL;
    *count = 0;
    if (bst_scale_get_len(&d, 7, &n) != BST_SCALE_OK) return false; /* 1 + 1 + 1 + 4 bytes */
    env_entry *e = calloc(n ? n : 1, sizeof *e);
    if (!e) return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t kind;
        bst_scale_get_bytes(&d, &e[i].module, &e[i].module_len);
        bst_scale_get_bytes(&d, &e[i].field, &e[i].field_len);
        bst_scale_get_u8(&d, &kind);
        bst_scale_get_u32(&d, &e[i].index);
        if (d.err != BST_SCALE_OK || (kind != 1 && kind != 2)) goto bad;
        e[i].is_memory = kind == 2;
        if (e[i].is_memory && (e[i].index >= s->nmems || !s->mems[e[i].index])) goto bad;
    }
    *out = e;
    *count = n;
    return true;
bad:
    free(e);
    return false;
}

/* The last entry (a later one replaces an earlier one, as in Substrate's maps) of that kind. */
static const env_entry *env_find(const env_entry *e, size_t n, const bst_import_desc *imp,
                                 bool memory) {
    const env_entry *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (e[i].is_memory == memory && e[i].module_len == imp->module_len &&
            e[i].field_len == imp->name_len &&
            memcmp(e[i].module, imp->module, imp->module_len) == 0 &&
            memcmp(e[i].field, imp->name, imp->name_len) == 0)
            found = &e[i];
    return found;
}

/* ext_sandbox_instantiate_version_1(dispatch_thunk: i32, wasm: span, env_def: span,
 * state: i32) -> i32: the instance index, ERR_MODULE or ERR_EXECUTION (the start function
 * trapped). */
SUB_HOST(ext_sandbox_instantiate_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    /* The dispatch thunk from the runtime's table: misuse traps the runtime. */
    bst_extern tab;
    if (!bst_instance_export(rt->inst, "__indirect_function_table", 25, &tab) ||
        tab.kind != BST_EXTERN_TABLE)
        return sub_fail(c, fn, "Runtime doesn't have a table; sandbox is unavailable");
    bst_value thunk;
    if (!bst_table_get(tab.of.table, (uint32_t)args[0].of.i32, &thunk) || thunk.type != BST_FUNCREF)
        return sub_fail(c, fn, "dispatch_thunk_idx is out of the table bounds");
    if (!thunk.of.funcref)
        return sub_fail(c, fn, "dispatch_thunk_idx points on an empty table entry");
    SUB_SPAN_ARG(wasm, args[1].of.i64);
    SUB_SPAN_ARG(env_def, args[2].of.i64);
    struct sub_sandbox *s = sbx_get(c, rt, fn);
    if (!s) return false;
    results[0].of.i32 = (int32_t)SBX_ERR_MODULE;

    env_entry *entries;
    size_t nentries;
    if (!env_decode(s, env_def, env_def_len, &entries, &nentries)) return true;
    if (s->ninsts >= SBX_MAX_OBJECTS || s->nesting >= SBX_MAX_NESTING ||
        s->code_bytes + wasm_len > rt->opts.module_config.max_module_bytes) {
        free(entries);
        if (s->nesting >= SBX_MAX_NESTING) results[0].of.i32 = (int32_t)SBX_ERR_EXECUTION;
        return true;
    }
    if (!GROW(s->owned, s->nowned, s->owned_cap)) {
        free(entries);
        return sub_fail(c, fn, "out of host memory");
    }
    s->code_bytes += wasm_len;

    /* Sandboxed code is always metered: its fuel is the runtime's, and a start function that
     * ran shows in the fuel (how a trap in it is told from a failed segment). */
    bst_module_config mcfg = rt->opts.module_config;
    mcfg.fuel_metering = true;
    bst_error err;
    bst_module *m = bst_module_new_ex(wasm, wasm_len, &mcfg, &err);
    if (!m) {
        free(entries);
        return true;
    }
    uint32_t nimp = bst_module_import_count(m);
    sbx_owned *own = &s->owned[s->nowned++];
    own->module = m;
    own->bindings = calloc(nimp ? nimp : 1, sizeof *own->bindings);
    bst_extern *ext = calloc(nimp ? nimp : 1, sizeof *ext);
    if (!own->bindings || !ext) {
        free(entries);
        free(ext);
        return sub_fail(c, fn, "out of host memory");
    }
    for (uint32_t i = 0; i < nimp; i++) {
        bst_import_desc imp;
        bst_module_import(m, i, &imp);
        if (imp.type.kind == BST_EXTERN_FUNC) {
            const env_entry *e = env_find(entries, nentries, &imp, false);
            if (!e) goto unlinkable;
            sbx_binding *b = &own->bindings[i];
            b->rt = rt;
            b->thunk = thunk.of.funcref;
            b->func_idx = e->index;
            b->type = imp.type.func;
            ext[i].kind = BST_EXTERN_FUNC;
            ext[i].of.func = bst_func_new_host(s->store, &imp.type.func, sbx_import, b);
            if (!ext[i].of.func) {
                free(entries);
                free(ext);
                return sub_fail(c, fn, "out of host memory");
            }
        } else if (imp.type.kind == BST_EXTERN_MEMORY) {
            const env_entry *e = env_find(entries, nentries, &imp, true);
            if (!e) goto unlinkable;
            ext[i].kind = BST_EXTERN_MEMORY;
            ext[i].of.memory = s->mems[e->index];
        } else {
            goto unlinkable; /* tables and globals cannot be provided */
        }
    }
    free(entries);
    entries = NULL;

    uint32_t saved_state = s->state;
    s->state = (uint32_t)args[3].of.i32;
    s->nesting++;
    fuel_move(rt, rt->store, s->store);
    uint64_t fuel_before = bst_store_fuel(s->store);
    bst_instance *inst = bst_instance_new(s->store, m, ext, nimp, NULL, &err);
    bool started = bst_store_fuel(s->store) != fuel_before;
    fuel_move(rt, s->store, rt->store);
    s->nesting--;
    s->state = saved_state;
    free(ext);
    if (!inst) {
        /* Linking, limits, segments out of bounds: ERR_MODULE; a trap of the start function
         * (it ran: it used fuel; or a trap only execution gives, e.g. out of fuel):
         * ERR_EXECUTION. */
        if (err.status == BST_ERR_TRAP &&
            (started || (err.trap != BST_TRAP_MEMORY_OOB && err.trap != BST_TRAP_TABLE_OOB)))
            results[0].of.i32 = (int32_t)SBX_ERR_EXECUTION;
        return true;
    }
    /* Only now: a start function may have instantiated (and grown the arrays) itself. */
    if (!GROW(s->insts, s->ninsts, s->insts_cap)) return sub_fail(c, fn, "out of host memory");
    s->insts[s->ninsts] = inst;
    results[0].of.i32 = (int32_t)s->ninsts++;
    return true;
unlinkable:
    free(entries);
    free(ext);
    return true;
}

/* The two kinds of sandbox object a runtime names by index. */
typedef enum sbx_kind { SBX_INSTANCE, SBX_MEMORY } sbx_kind;

/* Whether index i names a live object of kind k, to use (teardown false) or to tear down; when
 * not, traps the runtime with Substrate's message and returns false. */
static bool sbx_live(bst_caller *c, const struct sub_sandbox *s, sbx_kind k, int32_t i,
                     bool teardown, const char *fn) {
    uint32_t idx = (uint32_t)i;
    bool inst = k == SBX_INSTANCE;
    const char *what = inst ? "instance" : "sandboxed memory";
    char msg[80];
    if (!s || idx >= (inst ? s->ninsts : s->nmems)) {
        snprintf(msg, sizeof msg, "Trying to %s a non-existent %s",
                 teardown ? "teardown" : "access", what);
        return sub_fail(c, fn, msg);
    }
    if (inst ? !s->insts[idx] : !s->mems[idx]) {
        if (teardown)
            snprintf(msg, sizeof msg, "Double teardown of %s %s", inst ? "an" : "a", what);
        else
            snprintf(msg, sizeof msg, "Trying to access a torndown %s", what);
        return sub_fail(c, fn, msg);
    }
    return true;
}

/* ext_sandbox_instance_teardown_version_1(instance: i32) and
 * ext_sandbox_memory_teardown_version_1(memory: i32): the index is retired (what uses the
 * object keeps it). */
static bool sbx_teardown(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                         sbx_kind k, const char *fn) {
    (void)results;
    struct sub_sandbox *s = HOST_RT(env)->sandbox;
    uint32_t i = (uint32_t)args[0].of.i32;
    if (!sbx_live(c, s, k, (int32_t)i, true, fn)) return false;
    if (k == SBX_INSTANCE)
        s->insts[i] = NULL;
    else
        s->mems[i] = NULL;
    return true;
}

/* The live instance at index i, or NULL after trapping the runtime. */
static bst_instance *sbx_instance(bst_caller *c, struct sub_sandbox *s, int32_t i, const char *fn) {
    return sbx_live(c, s, SBX_INSTANCE, i, false, fn) ? s->insts[(uint32_t)i] : NULL;
}

/* SUB_SPAN_ARG for a span holding a Rust &str: valid UTF-8, or the runtime traps. */
#define SBX_STR_ARG(name, packed)                                                                  \
    SUB_SPAN_ARG(name, packed);                                                                    \
    if (!bst_scale_utf8_valid(name, name##_len))                                                   \
    return sub_fail(c, fn, "Invalid utf8 data provided")

/* ---- invoke, globals ---------------------------------------------------------------------- */

/* ext_sandbox_invoke_version_1(instance: i32, function: span, args: span, return_val: i32,
 * return_val_len: i32, state: i32) -> i32: ERR_OK (a result, if any, written as a
 * ReturnValue) or ERR_EXECUTION (no such export, wrong arguments, a trap). */
SUB_HOST(ext_sandbox_invoke_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SBX_STR_ARG(name, args[1].of.i64);
    SUB_SPAN_ARG(raw, args[2].of.i64);
    /* Vec<Value>: each takes 5 bytes at least. */
    bst_scale_dec d;
    bst_scale_dec_init(&d, raw, raw_len);
    size_t nargs;
    if (bst_scale_get_len(&d, 5, &nargs) != BST_SCALE_OK)
        return sub_fail(c, fn, "Can't decode serialized arguments for the invocation");
    bst_value *vals = calloc(nargs ? nargs : 1, sizeof *vals);
    if (!vals) return sub_fail(c, fn, "out of host memory");
    for (size_t i = 0; i < nargs; i++)
        if (!value_decode(&d, &vals[i])) {
            free(vals);
            return sub_fail(c, fn, "Can't decode serialized arguments for the invocation");
        }
    bst_instance *inst = sbx_instance(c, rt->sandbox, args[0].of.i32, fn);
    if (!inst) {
        free(vals);
        return false;
    }
    struct sub_sandbox *s = rt->sandbox;
    results[0].of.i32 = (int32_t)SBX_ERR_EXECUTION;

    bst_extern ex;
    if (!bst_instance_export(inst, (const char *)name, name_len, &ex) ||
        ex.kind != BST_EXTERN_FUNC || s->nesting >= SBX_MAX_NESTING) {
        free(vals);
        return true;
    }
    const bst_functype *ft = bst_func_type(ex.of.func);
    bool ok = ft->nparams == nargs && ft->nresults <= 1;
    for (size_t i = 0; ok && i < nargs; i++) ok = ft->params[i] == vals[i].type;
    if (ok && ft->nresults == 1) ok = value_tag(ft->results[0]) >= 0;
    if (!ok) {
        free(vals);
        return true;
    }
    bst_value res[1];
    memset(res, 0, sizeof res);
    if (ft->nresults) res[0].type = ft->results[0];
    bst_error err;
    uint32_t saved_state = s->state;
    s->state = (uint32_t)args[5].of.i32;
    s->nesting++;
    fuel_move(rt, rt->store, s->store);
    bst_status st = bst_call(ex.of.func, vals, nargs, res, ft->nresults, &err);
    fuel_move(rt, s->store, rt->store);
    s->nesting--;
    s->state = saved_state;
    free(vals);
    if (st != BST_OK) return true;

    if (ft->nresults == 1) {
        uint8_t out[10];
        out[0] = 1; /* ReturnValue::Value */
        size_t n = 1 + value_encode(&res[0], out + 1);
        if (n > (uint32_t)args[4].of.i32)
            return sub_fail(c, fn, "Return value buffer is too small");
        if (!bst_memory_write(rt->memory, (uint32_t)args[3].of.i32, out, (uint32_t)n))
            return sub_fail(c, fn, "Return value buffer is OOB");
    }
    results[0].of.i32 = (int32_t)SBX_ERR_OK;
    return true;
}

/* ext_sandbox_get_global_val_version_1(instance: i32, name: span) -> Option<Value> (None when
 * there is no such exported global). */
SUB_HOST(ext_sandbox_get_global_val_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SBX_STR_ARG(name, args[1].of.i64);
    bst_instance *inst = sbx_instance(c, rt->sandbox, args[0].of.i32, fn);
    if (!inst) return false;
    uint8_t out[10];
    size_t n = 0;
    bst_extern ex;
    if (bst_instance_export(inst, (const char *)name, name_len, &ex) &&
        ex.kind == BST_EXTERN_GLOBAL) {
        bst_value v = bst_global_get(ex.of.global);
        n = value_encode(&v, out + 1);
    }
    out[0] = n ? 1 : 0;
    return sub_ret_span(c, rt, out, 1 + n, &results[0], fn);
}

SUB_HOST_CALLS(ext_sandbox_instance_teardown_version_1, sbx_teardown, SBX_INSTANCE)

/* ---- memories ----------------------------------------------------------------------------- */

/* ext_sandbox_memory_new_version_1(initial: i32, maximum: i32) -> i32: the memory index
 * (maximum MEM_UNLIMITED = no maximum); bad limits trap the runtime, as in Substrate. */
SUB_HOST(ext_sandbox_memory_new_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    struct sub_sandbox *s = sbx_get(c, rt, fn);
    if (!s) return false;
    if (s->nmems >= SBX_MAX_OBJECTS) {
        results[0].of.i32 = (int32_t)SBX_ERR_MODULE;
        return true;
    }
    if (!GROW(s->mems, s->nmems, s->mems_cap)) return sub_fail(c, fn, "out of host memory");
    bst_limits lim;
    lim.min = (uint32_t)args[0].of.i32;
    lim.max = (uint32_t)args[1].of.i32;
    lim.has_max = lim.max != SBX_MEM_UNLIMITED;
    if (lim.has_max && lim.max < lim.min)
        return sub_fail(c, fn, "the initial size exceeds the maximum");
    bst_error err;
    bst_memory *m = bst_memory_new(s->store, lim, &err);
    if (!m) return sub_fail(c, fn, err.message);
    s->mems[s->nmems] = m;
    results[0].of.i32 = (int32_t)s->nmems++;
    return true;
}

/* The live memory at index i, or NULL after trapping the runtime. */
static bst_memory *sbx_memory(bst_caller *c, struct sub_sandbox *s, int32_t i, const char *fn) {
    return sbx_live(c, s, SBX_MEMORY, i, false, fn) ? s->mems[(uint32_t)i] : NULL;
}

/* Copies len bytes between a sandbox memory and the runtime's: ERR_OK, or ERR_OUT_OF_BOUNDS
 * (nothing copied) when either side is out of bounds. */
static uint32_t transfer(bst_memory *src, uint32_t src_off, bst_memory *dst, uint32_t dst_off,
                         uint32_t len) {
    if ((uint64_t)src_off + len > bst_memory_size(src) ||
        (uint64_t)dst_off + len > bst_memory_size(dst))
        return SBX_ERR_OUT_OF_BOUNDS;
    if (len == 0) return SBX_ERR_OK;
    const uint8_t *from = bst_memory_slice(src, src_off, len);
    uint8_t *to = bst_memory_slice(dst, dst_off, len);
    if (!from || !to) return SBX_ERR_OUT_OF_BOUNDS;
    memmove(to, from, len);
    return SBX_ERR_OK;
}

/* ext_sandbox_memory_get_version_1(memory: i32, offset: i32, buf: i32, buf_len: i32) -> i32
 * copies from the sandbox memory into the runtime's; ext_sandbox_memory_set_version_1(memory,
 * offset, val, val_len) -> i32 the other way. */
static bool sbx_memory_copy(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                            bool set, const char *fn) {
    bst_substrate_runtime *rt = HOST_RT(env);
    bst_memory *m = sbx_memory(c, rt->sandbox, args[0].of.i32, fn);
    if (!m) return false;
    bst_memory *own = sub_memory(rt, c);
    uint32_t off = (uint32_t)args[1].of.i32, buf = (uint32_t)args[2].of.i32;
    uint32_t len = (uint32_t)args[3].of.i32;
    results[0].of.i32 =
        (int32_t)(set ? transfer(own, buf, m, off, len) : transfer(m, off, own, buf, len));
    return true;
}

SUB_HOST_CALLS(ext_sandbox_memory_get_version_1, sbx_memory_copy, false)
SUB_HOST_CALLS(ext_sandbox_memory_set_version_1, sbx_memory_copy, true)

SUB_HOST_CALLS(ext_sandbox_memory_teardown_version_1, sbx_teardown, SBX_MEMORY)
