/*
 * runtime.c — the Substrate runtime host (include/bastion_substrate.h): runtime code blobs
 * (optional zstd compression with a bomb limit), instantiation with every import resolved,
 * runtime API calls with Substrate's (ptr, len) -> ptr | len << 32 convention, and the
 * RuntimeVersion decoder.
 *
 * Owns: struct bst_substrate_runtime (module, store, instance, the imported memory if any, the
 * heap allocator and the environments of the host-function stubs).  No globals.  Guest memory is
 * read and written only through bst_memory_read / bst_memory_write (and the allocator, which
 * does the same).
 *
 * src/substrate/ is the Substrate host layer; like every host it uses only include/.
 */
#include "host.h"
#include "probes/probes.h"

#include "bastion_crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

/* ---- code blobs --------------------------------------------------------------------------- */

static void set_err(bst_error *err, bst_status st, const char *msg) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->status = st;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

bool bst_substrate_code_is_compressed(const uint8_t *blob, size_t len) {
    return blob && len >= BST_SUBSTRATE_ZSTD_PREFIX_LEN &&
           memcmp(blob, BST_SUBSTRATE_ZSTD_PREFIX, BST_SUBSTRATE_ZSTD_PREFIX_LEN) == 0;
}

/* Decompresses exactly one zstd frame, refusing output beyond max_out. */
static bst_status zstd_decode(const uint8_t *src, size_t n, size_t max_out, uint8_t **code,
                              size_t *code_len, bst_error *err) {
    unsigned long long declared = ZSTD_getFrameContentSize(src, n);
    if (declared == ZSTD_CONTENTSIZE_ERROR) {
        set_err(err, BST_ERR_MALFORMED, "compressed code: not a zstd frame");
        return BST_ERR_MALFORMED;
    }
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > max_out) {
        char msg[128];
        snprintf(msg, sizeof msg,
                 "compressed code: declared size %llu exceeds the limit of %zu bytes", declared,
                 max_out);
        set_err(err, BST_ERR_LIMIT, msg);
        return BST_ERR_LIMIT;
    }
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    if (!dctx) {
        set_err(err, BST_ERR_NOMEM, "out of memory");
        return BST_ERR_NOMEM;
    }
    /* The declared size is only a hint (the stream decides); start there or at 1 MiB. */
    size_t cap = declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > 0 ? (size_t)declared : 1u << 20;
    if (cap > max_out) cap = max_out;
    /* One byte of room beyond the limit tells "exactly max_out" from "more than max_out". */
    cap += 1;
    uint8_t *buf = malloc(cap);
    bst_status st = BST_OK;
    ZSTD_inBuffer in = {src, n, 0};
    size_t pos = 0;
    if (!buf) {
        st = BST_ERR_NOMEM;
        set_err(err, st, "out of memory");
        goto out;
    }
    for (;;) {
        ZSTD_outBuffer ob = {buf, cap, pos};
        size_t in_before = in.pos;
        size_t ret = ZSTD_decompressStream(dctx, &ob, &in);
        pos = ob.pos;
        if (ZSTD_isError(ret)) {
            char msg[200];
            snprintf(msg, sizeof msg, "compressed code: %s", ZSTD_getErrorName(ret));
            st = BST_ERR_MALFORMED;
            set_err(err, st, msg);
            goto out;
        }
        if (pos > max_out) {
            char msg[128];
            snprintf(msg, sizeof msg, "compressed code: decompresses to more than %zu bytes",
                     max_out);
            st = BST_ERR_LIMIT;
            set_err(err, st, msg);
            goto out;
        }
        if (ret == 0) break; /* the frame is complete and flushed */
        if (pos == cap) {
            size_t ncap = cap - 1 > max_out / 2 ? max_out + 1 : (cap - 1) * 2 + 1;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                st = BST_ERR_NOMEM;
                set_err(err, st, "out of memory");
                goto out;
            }
            buf = nb;
            cap = ncap;
            continue;
        }
        if (in.pos == in.size && in.pos == in_before) {
            st = BST_ERR_MALFORMED;
            set_err(err, st, "compressed code: truncated zstd frame");
            goto out;
        }
    }
    if (in.pos != in.size) {
        st = BST_ERR_MALFORMED;
        set_err(err, st, "compressed code: bytes after the zstd frame");
        goto out;
    }
    *code = buf;
    *code_len = pos;
    buf = NULL;
out:
    free(buf);
    ZSTD_freeDCtx(dctx);
    return st;
}

bst_status bst_substrate_code_decode(const uint8_t *blob, size_t len, size_t max_out,
                                     uint8_t **code, size_t *code_len, bst_error *err) {
    if (!code || !code_len || (!blob && len)) {
        set_err(err, BST_ERR_ARG, "bad arguments");
        return BST_ERR_ARG;
    }
    *code = NULL;
    *code_len = 0;
    if (max_out == 0) max_out = BST_SUBSTRATE_CODE_BOMB_LIMIT;
    if (bst_substrate_code_is_compressed(blob, len))
        return zstd_decode(blob + BST_SUBSTRATE_ZSTD_PREFIX_LEN,
                           len - BST_SUBSTRATE_ZSTD_PREFIX_LEN, max_out, code, code_len, err);
    if (len > max_out) {
        set_err(err, BST_ERR_LIMIT, "code larger than the limit");
        return BST_ERR_LIMIT;
    }
    uint8_t *c = malloc(len ? len : 1);
    if (!c) {
        set_err(err, BST_ERR_NOMEM, "out of memory");
        return BST_ERR_NOMEM;
    }
    if (len) memcpy(c, blob, len);
    *code = c;
    *code_len = len;
    return BST_OK;
}

/* ---- the runtime -------------------------------------------------------------------------- */

void bst_substrate_options_default(bst_substrate_options *o) {
    memset(o, 0, sizeof *o);
    bst_config_default(&o->config);
    bst_module_config_default(&o->module_config);
    o->module_config.canonicalize_nans = true;
    o->fuel = 0;
    o->max_log_level = 1;
    o->heap_pages = BST_SUBSTRATE_DEFAULT_HEAP_PAGES;
    o->allow_missing = false;
    o->storage = NULL;
}

static bool name_is(const char *s, size_t n, const char *lit) {
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* Copies an import name for a message, escaping anything that is not printable ASCII. */
static void name_text(char *dst, size_t cap, const char *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            dst[o++] = (char)c;
        } else {
            snprintf(dst + o, cap - o, "\\x%02x", c);
            o += 4;
        }
    }
    dst[o] = '\0';
}

/* A missing import under allow_missing: traps when (and only when) it is called, with the
 * message Substrate's interpreter gives. */
static bool host_stub(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    const stub_env *e = env;
    char name[120], msg[256];
    name_text(name, sizeof name, e->name, e->name_len);
    snprintf(msg, sizeof msg, "Function `%s` is only a stub. Calling a stub is not allowed.", name);
    bst_caller_trap(c, msg);
    return false;
}

/* The memory a runtime gets, as Substrate's HeapAllocStrategy::Static { extra_pages }: its
 * initial size plus heap_pages, fixed (minimum = maximum; a declared maximum is overridden, as
 * Substrate rewrites it), so the allocator has exactly that room and no more.  With
 * heap_dynamic (HeapAllocStrategy::Dynamic) this is the maximum: the memory starts at its
 * declared size and the allocator grows it when it runs out.  Linux maps the
 * pages lazily: untouched heap costs address space, not memory. */
static uint32_t heap_total_pages(const bst_substrate_runtime *rt, uint32_t initial) {
    uint64_t total = (uint64_t)initial + rt->opts.heap_pages;
    if (rt->opts.heap_dynamic) total = rt->opts.config.max_memory_pages; /* grown on demand */
    return total > 65536 ? 65536 : (uint32_t)total;
}

/* Resolves import i into *out.  Returns false with *err filled. */
static bool resolve_import(bst_substrate_runtime *rt, uint32_t i, bst_extern *out, bst_error *err) {
    bst_import_desc d;
    bst_module_import(rt->module, i, &d);
    char mod[64], name[120], msg[256];
    name_text(mod, sizeof mod, d.module, d.module_len);
    name_text(name, sizeof name, d.name, d.name_len);
    bool is_env = name_is(d.module, d.module_len, "env");
    switch (d.type.kind) {
    case BST_EXTERN_FUNC: {
        sub_host_def def;
        bst_host_fn fn;
        void *env;
        if (is_env && sub_host_lookup(d.name, d.name_len, &def)) {
            if (!bst_functype_matches(&d.type.func, def.sig)) {
                snprintf(msg, sizeof msg, "import %s.%s has the wrong type", mod, name);
                set_err(err, BST_ERR_UNLINKABLE, msg);
                return false;
            }
            fn = def.fn;
            env = rt;
        } else if (rt->opts.allow_missing) {
            rt->stubs[i].module = d.module;
            rt->stubs[i].module_len = d.module_len;
            rt->stubs[i].name = d.name;
            rt->stubs[i].name_len = d.name_len;
            fn = host_stub;
            env = &rt->stubs[i];
        } else {
            snprintf(msg, sizeof msg, "import %s.%s: no such host function (allow_missing: a stub)",
                     mod, name);
            set_err(err, BST_ERR_UNLINKABLE, msg);
            return false;
        }
        out->kind = BST_EXTERN_FUNC;
        out->of.func = bst_func_new_host(rt->store, &d.type.func, fn, env);
        if (!out->of.func) {
            set_err(err, BST_ERR_NOMEM, "out of memory");
            return false;
        }
        return true;
    }
    case BST_EXTERN_MEMORY:
        if (rt->memory || !is_env || !name_is(d.name, d.name_len, "memory")) {
            snprintf(msg, sizeof msg, "import %s.%s: the only memory import is env.memory", mod,
                     name);
            set_err(err, BST_ERR_UNLINKABLE, msg);
            return false;
        }
        out->kind = BST_EXTERN_MEMORY;
        bst_limits lim;
        lim.min = lim.max = heap_total_pages(rt, d.type.limits.min);
        if (rt->opts.heap_dynamic) lim.min = d.type.limits.min; /* Dynamic: grows from there */
        lim.has_max = true;
        out->of.memory = bst_memory_new(rt->store, lim, err);
        if (!out->of.memory) return false;
        rt->memory = out->of.memory;
        rt->initial_pages = d.type.limits.min;
        return true;
    case BST_EXTERN_TABLE: {
        bst_value null;
        memset(&null, 0, sizeof null);
        null.type = d.type.elem;
        out->kind = BST_EXTERN_TABLE;
        out->of.table = bst_table_new(rt->store, d.type.elem, d.type.limits, null, err);
        return out->of.table != NULL;
    }
    case BST_EXTERN_GLOBAL:
        snprintf(msg, sizeof msg, "import %s.%s: imported globals are not supported", mod, name);
        set_err(err, BST_ERR_UNLINKABLE, msg);
        return false;
    }
    set_err(err, BST_ERR_UNLINKABLE, "unknown import kind");
    return false;
}

/* Gives the per-call instance back to the runtime's pool, which resets it. */
static void instance_drop(bst_substrate_runtime *rt) {
    sub_sandbox_free(rt); /* first: its import bindings point at the runtime's functions */
    if (rt->store && rt->opts.fuel) rt->fuel_used += rt->opts.fuel - bst_store_fuel(rt->store);
    if (rt->lease) bst_lease_release(rt->lease, BST_OUTCOME_SUCCESS); /* no tenant: not counted */
    rt->lease = NULL;
    rt->store = NULL;
    rt->inst = NULL;
    rt->memory = NULL;
}

/* What a pooled instance remembers of its linking: the memory it imports (NULL: it exports
 * its own). */
typedef struct sub_slot {
    bst_memory *imported;
    uint32_t initial_pages;
} sub_slot;

/* The pool's link function: the imports of a new instance, made in its store s.  A new
 * instance is made with the call's fuel and deadline already set, as a fresh one always was:
 * they bind a start function too. */
static bool link_runtime(void *arg, bst_store *s, const bst_module *m, bst_extern *imports,
                         size_t n, void **ctx, bst_error *err) {
    (void)m;
    bst_substrate_runtime *rt = arg;
    sub_slot *slot = calloc(1, sizeof *slot);
    *ctx = slot;
    if (!slot) {
        set_err(err, BST_ERR_NOMEM, "out of memory");
        return false;
    }
    if (rt->opts.fuel) bst_store_set_fuel(s, rt->opts.fuel);
    bst_store_set_deadline(s, rt->deadline);
    rt->store = s; /* resolve_import creates the imports in it */
    rt->memory = NULL;
    for (uint32_t i = 0; i < n; i++)
        if (!resolve_import(rt, i, &imports[i], err)) return false;
    slot->imported = rt->memory;
    slot->initial_pages = rt->initial_pages;
    return true;
}

static void unlink_runtime(void *arg, void *ctx) {
    (void)arg;
    free(ctx);
}

/* The runtime's instance pool: one instance kept, reset between calls.  A runtime with a start
 * function gets a fresh instance every call instead (no instance kept), so that its start
 * function runs, charged to the call's fuel and bound by its deadline, as it always did. */
static bool pool_make(bst_substrate_runtime *rt, bst_error *err) {
    bst_config cfg = rt->opts.config;
    /* A memory the runtime defines itself gets the same fixed heap room as an imported one:
     * the store's page budget ends at its initial size + heap_pages, and it is grown there
     * right after instantiation (instance_make). */
    uint32_t defined_total = 0;
    for (uint32_t i = 0; i < bst_module_export_count(rt->module); i++) {
        bst_export_desc e;
        bst_module_export(rt->module, i, &e);
        if (e.type.kind == BST_EXTERN_MEMORY && name_is(e.name, e.name_len, "memory"))
            defined_total = heap_total_pages(rt, e.type.limits.min);
    }
    if (defined_total && defined_total < cfg.max_memory_pages) cfg.max_memory_pages = defined_total;
    bst_pool_config pc;
    bst_pool_config_default(&pc);
    pc.prewarm = 0;
    pc.max_idle = bst_module_has_start(rt->module) ? 0 : 1;
    pc.store = cfg;
    pc.link = link_runtime;
    pc.unlink = unlink_runtime;
    pc.link_arg = rt;
    rt->pool = bst_pool_new(NULL, rt->module, &pc, NULL, err);
    return rt->pool != NULL;
}

/* The call's instance (memory, globals, heap as the module defines them), as Substrate makes
 * for every call: a fresh one or one reset to exactly that state, so nothing a call leaves in
 * memory is seen by the next. */
static bool instance_make(bst_substrate_runtime *rt, bst_error *err) {
    instance_drop(rt);
    bst_rejection rej;
    bst_error lerr;
    memset(&lerr, 0, sizeof lerr);
    rt->lease = bst_pool_acquire(rt->pool, &rej, &lerr);
    if (!rt->lease) {
        if (err) *err = lerr;
        rt->store = NULL;
        rt->memory = NULL;
        return false;
    }
    rt->store = bst_lease_store(rt->lease);
    rt->inst = bst_lease_instance(rt->lease);
    /* a new instance was made with them (link_runtime); a reused one gets them now */
    if (bst_lease_reused(rt->lease) && rt->opts.fuel) bst_store_set_fuel(rt->store, rt->opts.fuel);
    bst_store_set_sampler(rt->store, rt->opts.sampler.fn ? &rt->opts.sampler : NULL);
    bst_store_set_deadline(rt->store, rt->deadline);
    const sub_slot *slot = bst_lease_context(rt->lease);
    rt->memory = slot->imported;
    rt->initial_pages = slot->initial_pages;
    if (!rt->memory) {
        rt->memory = bst_instance_memory(rt->inst, "memory");
        if (!rt->memory) {
            set_err(err, BST_ERR_UNLINKABLE, "the runtime neither imports nor exports a memory");
            goto fail;
        }
        rt->initial_pages = bst_memory_pages(rt->memory);
        uint32_t total = heap_total_pages(rt, rt->initial_pages);
        if (total > rt->initial_pages && !rt->opts.heap_dynamic)
            bst_memory_grow(rt->memory, total - rt->initial_pages);
    }
    bst_extern ex;
    if (!bst_instance_export(rt->inst, "__heap_base", 11, &ex) || ex.kind != BST_EXTERN_GLOBAL ||
        bst_global_get(ex.of.global).type != BST_I32) {
        set_err(err, BST_ERR_UNLINKABLE, "the runtime does not export an i32 global __heap_base");
        goto fail;
    }
    bst_alloc_init(&rt->alloc, (uint32_t)bst_global_get(ex.of.global).of.i32);
    return true;
fail:
    instance_drop(rt);
    return false;
}

bst_substrate_runtime *bst_substrate_runtime_new(const uint8_t *code, size_t len,
                                                 const bst_substrate_options *opts,
                                                 bst_error *err) {
    bst_substrate_options defaults;
    if (!opts) {
        bst_substrate_options_default(&defaults);
        opts = &defaults;
    }
    if (!code && len) {
        set_err(err, BST_ERR_ARG, "bad arguments");
        return NULL;
    }
    bst_substrate_runtime *rt = calloc(1, sizeof *rt);
    if (!rt) goto nomem;
    rt->opts = *opts;
    if (rt->opts.max_log_level > 5) rt->opts.max_log_level = 5;
    rt->module = bst_module_new_ex(code, len, &opts->module_config, err);
    if (!rt->module) goto fail;
    uint32_t n = bst_module_import_count(rt->module);
    rt->stubs = calloc(n ? n : 1, sizeof *rt->stubs);
    rt->state = bst_state_new(opts->storage);
    rt->offchain = bst_state_new(NULL);
    if (!rt->stubs || !rt->state || !rt->offchain) goto nomem;
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        sub_host_def def;
        bst_module_import(rt->module, i, &d);
        if (d.type.kind == BST_EXTERN_FUNC &&
            !(name_is(d.module, d.module_len, "env") && sub_host_lookup(d.name, d.name_len, &def)))
            rt->nstubs++;
    }
    /* Instantiate once now, so that a missing or mistyped import, a bad memory or a trapping
     * start function is an error here rather than at the first call. */
    if (!pool_make(rt, err) || !instance_make(rt, err)) goto fail;
    instance_drop(rt);
    return rt;
nomem:
    set_err(err, BST_ERR_NOMEM, "out of memory");
fail:
    bst_substrate_runtime_free(rt);
    return NULL;
}

void bst_substrate_runtime_free(bst_substrate_runtime *rt) {
    if (!rt) return;
    instance_drop(rt);
    bst_pool_free(rt->pool); /* before the module: its instances refer to it */
    bst_module_free(rt->module);
    bst_state_free(rt->state);
    bst_state_free(rt->offchain);
    if (rt->keys) bst_secure_wipe(rt->keys, rt->keys_cap * sizeof *rt->keys);
    free(rt->keys);
    free(rt->stubs);
    bst_call_stats_free(&rt->last_stats);
    free(rt);
}

void bst_substrate_runtime_set_deadline(bst_substrate_runtime *rt, uint64_t monotonic_ns) {
    rt->deadline = monotonic_ns;
}

uint32_t bst_substrate_runtime_stub_count(const bst_substrate_runtime *rt) {
    return rt ? rt->nstubs : 0;
}

bst_state *bst_substrate_runtime_state(bst_substrate_runtime *rt) { return rt ? rt->state : NULL; }

static bst_status call_fail(bst_error *err, bst_status st, bst_trap_kind trap, const char *msg) {
    set_err(err, st, msg);
    if (err) err->trap = trap;
    return st;
}

/* Runs the export; the instance exists. */
static bst_status call_export(bst_substrate_runtime *rt, const char *name, const uint8_t *input,
                              size_t input_len, uint8_t **out, size_t *out_len, bst_error *err) {
    char msg[256];
    bst_func *f = bst_instance_func(rt->inst, name);
    if (!f) {
        snprintf(msg, sizeof msg, "the runtime does not export a function %.200s", name);
        return call_fail(err, BST_ERR_NOT_FOUND, BST_TRAP_NONE, msg);
    }
    if (!bst_functype_matches(bst_func_type(f), "ii:I")) {
        snprintf(msg, sizeof msg, "export %.200s is not (i32, i32) -> i64", name);
        return call_fail(err, BST_ERR_INVALID, BST_TRAP_NONE, msg);
    }
    if (input_len > UINT32_MAX)
        return call_fail(err, BST_ERR_LIMIT, BST_TRAP_NONE, "input too large");

    /* As Substrate: the input always gets a block from the allocator, even when empty. */
    uint32_t in_ptr = 0;
    bst_alloc_status ast = bst_alloc_malloc(&rt->alloc, rt->memory, (uint32_t)input_len, &in_ptr);
    if (ast != BST_ALLOC_OK) {
        snprintf(msg, sizeof msg, "allocating the input: %s", bst_alloc_status_message(ast));
        return call_fail(err, BST_ERR_TRAP, BST_TRAP_HOST, msg);
    }
    if (input_len && !bst_memory_write(rt->memory, in_ptr, input, (uint32_t)input_len))
        return call_fail(err, BST_ERR_TRAP, BST_TRAP_MEMORY_OOB, "writing the input");

    bst_value args[2], res[1];
    memset(args, 0, sizeof args);
    memset(res, 0, sizeof res);
    args[0].type = BST_I32;
    args[0].of.i32 = (int32_t)in_ptr;
    args[1].type = BST_I32;
    args[1].of.i32 = (int32_t)(uint32_t)input_len;
    res[0].type = BST_I64;
    bst_status st = bst_call(f, args, 2, res, 1, err);
    if (st != BST_OK) return st;

    uint64_t packed = (uint64_t)res[0].of.i64;
    uint32_t rptr = (uint32_t)packed, rlen = (uint32_t)(packed >> 32);
    if ((uint64_t)rptr + rlen > bst_memory_size(rt->memory)) {
        snprintf(msg, sizeof msg,
                 "%.100s returned bytes [0x%x, +%u) outside the memory (%llu bytes)", name, rptr,
                 rlen, (unsigned long long)bst_memory_size(rt->memory));
        return call_fail(err, BST_ERR_TRAP, BST_TRAP_MEMORY_OOB, msg);
    }
    uint8_t *buf = malloc(rlen ? rlen : 1);
    if (!buf) return call_fail(err, BST_ERR_NOMEM, BST_TRAP_NONE, "out of memory");
    if (rlen && !bst_memory_read(rt->memory, rptr, buf, rlen)) {
        free(buf);
        return call_fail(err, BST_ERR_TRAP, BST_TRAP_MEMORY_OOB, "reading the result");
    }
    *out = buf;
    *out_len = rlen;
    return BST_OK;
}

/* bst_state_changes visitor: one committed offchain-index change into the "persistent" local
 * storage (the offchain database an offchain worker reads). */
static bool apply_offchain_index(void *user, const uint8_t *child, size_t child_len,
                                 const uint8_t *key, size_t key_len, const uint8_t *val,
                                 size_t val_len) {
    (void)child;
    (void)child_len;
    bst_state *db = user;
    static const uint8_t persistent[] = "persistent";
    return val ? bst_state_set(db, persistent, 10, key, key_len, val, val_len)
               : bst_state_clear(db, persistent, 10, key, key_len);
}

BASTION_PROBE_SEMAPHORES(BASTION_PROBES_SUBSTRATE)

/* The statistics of the call just made, copied out of the store that is dropped next. */
static void keep_stats(bst_substrate_runtime *rt) {
    bst_call_stats st;
    if (bst_store_call_stats(rt->store, &st)) bst_call_stats_copy(&st, &rt->last_stats);
}

bool bst_substrate_call_stats(const bst_substrate_runtime *rt, bst_call_stats *out) {
    *out = rt->last_stats;
    out->owned_ = NULL; /* a view: the runtime keeps the copy */
    return rt->last_stats.owned_ != NULL;
}

bst_status bst_substrate_call(bst_substrate_runtime *rt, const char *name, const uint8_t *input,
                              size_t input_len, uint8_t **out, size_t *out_len, bst_error *err) {
    if (!rt || !name || !out || !out_len || (!input && input_len))
        return call_fail(err, BST_ERR_ARG, BST_TRAP_NONE, "bad arguments");
    *out = NULL;
    *out_len = 0;
    if (rt->store)
        return call_fail(err, BST_ERR_ARG, BST_TRAP_NONE, "the runtime is already in a call");
    bst_call_stats_free(&rt->last_stats);
    if (!instance_make(rt, err)) return err ? err->status : BST_ERR_UNLINKABLE;
    /* Every call is one storage transaction: a trap or an error leaves storage as it was. */
    uint32_t depth0 = bst_state_tx_depth(rt->state);
    if (!bst_state_tx_start(rt->state)) {
        instance_drop(rt);
        return call_fail(err, BST_ERR_NOMEM, BST_TRAP_NONE, "out of memory");
    }
    rt->tx_base = depth0 + 1;
    rt->batch_active = false;
    rt->offchain_index = bst_state_new(NULL);
    if (!rt->offchain_index) {
        bst_state_tx_rollback(rt->state);
        instance_drop(rt);
        return call_fail(err, BST_ERR_NOMEM, BST_TRAP_NONE, "out of memory");
    }
    uint64_t t0 = BASTION_PROBE_ENABLED(runtime__call) ? bst_monotonic_ns() : 0;
    rt->panic_log[0] = '\0';
    bst_status st = call_export(rt, name, input, input_len, out, out_len, err);
    if (st == BST_ERR_TRAP && err && err->trap == BST_TRAP_UNREACHABLE && rt->panic_log[0])
        snprintf(err->message, sizeof err->message, "Runtime panicked: %s", rt->panic_log);
    keep_stats(rt);
    BASTION_PROBE(runtime__call, name, (uint64_t)input_len, (int)st, (uint64_t)*out_len,
                  rt->last_stats.fuel_used, t0 ? bst_monotonic_ns() - t0 : 0);
    /* Transactions the runtime left open are rolled back (with a warning) and the call keeps
     * its other changes, as Substrate's exit_runtime does. */
    if (bst_state_tx_depth(rt->state) > rt->tx_base) {
        if (st == BST_OK && rt->opts.max_log_level >= 2)
            fprintf(stderr,
                    "[bastion WARN] %.80s left %u storage transaction(s) open; rolled back\n", name,
                    (unsigned)(bst_state_tx_depth(rt->state) - rt->tx_base));
        while (bst_state_tx_depth(rt->state) > rt->tx_base) {
            bst_state_tx_rollback(rt->state);
            bst_state_tx_rollback(rt->offchain_index);
        }
    }
    if (st == BST_OK && !rt->dry_run) {
        bst_state_tx_commit(rt->state);
        /* offchain indexing: what the call committed reaches the offchain database */
        if (!bst_state_changes(rt->offchain_index, apply_offchain_index, rt->offchain)) {
            free(*out);
            *out = NULL;
            *out_len = 0;
            st = call_fail(err, BST_ERR_NOMEM, BST_TRAP_NONE, "out of memory");
        }
    } else {
        bst_state_tx_rollback(rt->state);
    }
    bst_state_free(rt->offchain_index);
    rt->offchain_index = NULL;
    instance_drop(rt);
    return st;
}

bst_status bst_substrate_call_dry_run(bst_substrate_runtime *rt, const char *name,
                                      const uint8_t *input, size_t input_len, uint8_t **out,
                                      size_t *out_len, bst_error *err) {
    if (!rt) return call_fail(err, BST_ERR_ARG, BST_TRAP_NONE, "bad arguments");
    rt->dry_run = true; /* the call rolls its transaction back even when it succeeds */
    bst_status st = bst_substrate_call(rt, name, input, input_len, out, out_len, err);
    rt->dry_run = false;
    return st;
}

/* ---- RuntimeVersion ----------------------------------------------------------------------- */

#define API_ENTRY_SIZE 12u /* [u8; 8] + u32 */

bst_scale_err bst_substrate_version_decode(const uint8_t *p, size_t len, bst_substrate_version *v) {
    memset(v, 0, sizeof *v);
    if (!p && len) return BST_SCALE_ERR_ARG;
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    bst_scale_get_str(&d, &v->spec_name, &v->spec_name_len);
    bst_scale_get_str(&d, &v->impl_name, &v->impl_name_len);
    bst_scale_get_u32(&d, &v->authoring_version);
    bst_scale_get_u32(&d, &v->spec_version);
    bst_scale_get_u32(&d, &v->impl_version);
    bst_scale_get_len(&d, API_ENTRY_SIZE, &v->napis);
    if (d.err == BST_SCALE_OK) bst_scale_get_raw(&d, v->napis * API_ENTRY_SIZE, &v->apis_raw);
    if (d.err == BST_SCALE_OK && bst_scale_remaining(&d) > 0) {
        if (bst_scale_get_u32(&d, &v->transaction_version) == BST_SCALE_OK)
            v->has_transaction_version = true;
    }
    if (d.err == BST_SCALE_OK && bst_scale_remaining(&d) > 0) {
        if (bst_scale_get_u8(&d, &v->state_version) == BST_SCALE_OK) v->has_state_version = true;
    }
    bst_scale_err e = bst_scale_finish(&d);
    if (e != BST_SCALE_OK) {
        memset(v, 0, sizeof *v);
        return e;
    }
    return BST_SCALE_OK;
}

void bst_substrate_version_api(const bst_substrate_version *v, size_t i, bst_substrate_api *out) {
    memset(out, 0, sizeof *out);
    if (!v || i >= v->napis || !v->apis_raw) return;
    const uint8_t *e = v->apis_raw + i * API_ENTRY_SIZE;
    memcpy(out->id, e, 8);
    out->version =
        (uint32_t)e[8] | (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 | (uint32_t)e[11] << 24;
}
