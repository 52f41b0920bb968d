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
#include "bastion_substrate.h"
#include "bastion_alloc.h"

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
        snprintf(msg, sizeof msg, "compressed code: declared size %llu exceeds the limit of %zu bytes",
                 declared, max_out);
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
        if (ret == 0) break;   /* the frame is complete and flushed */
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

/* Environment of a trapping stub: the import's names (views into the module). */
typedef struct stub_env {
    const char *module, *name;
    size_t module_len, name_len;
} stub_env;

struct bst_substrate_runtime {
    bst_module *module;
    bst_store *store;
    bst_instance *inst;
    bst_memory *memory;        /* the imported memory we created; else found on first use */
    bst_alloc alloc;
    bool alloc_ready;
    stub_env *stubs;           /* one per import (only function stubs use theirs) */
    uint32_t nstubs;
    uint32_t max_log_level;    /* what ext_logging_max_level reports and ext_logging_log prints */
};

void bst_substrate_options_default(bst_substrate_options *o) {
    memset(o, 0, sizeof *o);
    bst_config_default(&o->config);
    bst_module_config_default(&o->module_config);
    o->module_config.canonicalize_nans = true;
    o->fuel = 0;
    o->max_log_level = 1;
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

static bool host_stub(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    const stub_env *e = env;
    char mod[64], name[120], msg[256];
    name_text(mod, sizeof mod, e->module, e->module_len);
    name_text(name, sizeof name, e->name, e->name_len);
    snprintf(msg, sizeof msg, "unsupported host function %s.%s", mod, name);
    bst_caller_trap(c, msg);
    return false;
}

/* The runtime's memory: the imported one, else the instance's exported "memory" / first one. */
static bst_memory *runtime_memory(bst_substrate_runtime *rt, bst_caller *c) {
    if (rt->memory) return rt->memory;
    if (c) return bst_caller_memory(c);
    return rt->inst ? bst_instance_memory(rt->inst, "memory") : NULL;
}

/* Sets up the allocator at the instance's `__heap_base`.  Returns NULL or an error message. */
static const char *alloc_setup(bst_substrate_runtime *rt, const bst_instance *inst) {
    if (rt->alloc_ready) return NULL;
    bst_extern ex;
    if (!inst || !bst_instance_export(inst, "__heap_base", 11, &ex))
        return "the runtime does not export __heap_base";
    if (ex.kind != BST_EXTERN_GLOBAL) return "__heap_base is not a global";
    bst_value v = bst_global_get(ex.of.global);
    if (v.type != BST_I32) return "__heap_base is not an i32 global";
    bst_alloc_init(&rt->alloc, (uint32_t)v.of.i32);
    rt->alloc_ready = true;
    return NULL;
}

/* Common start of both allocator host functions: the allocator (set up lazily) and memory. */
static bool alloc_enter(bst_substrate_runtime *rt, bst_caller *c, bst_memory **mem) {
    const char *why = alloc_setup(rt, rt->inst ? rt->inst : bst_caller_instance(c));
    if (why) {
        bst_caller_trap(c, why);
        return false;
    }
    *mem = runtime_memory(rt, c);
    if (!*mem) {
        bst_caller_trap(c, "the runtime has no memory");
        return false;
    }
    return true;
}

static bool host_malloc(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    bst_substrate_runtime *rt = env;
    bst_memory *mem;
    if (!alloc_enter(rt, c, &mem)) return false;
    uint32_t ptr = 0;
    bst_alloc_status st = bst_alloc_malloc(&rt->alloc, mem, (uint32_t)args[0].of.i32, &ptr);
    if (st != BST_ALLOC_OK) {
        char msg[160];
        snprintf(msg, sizeof msg, "ext_allocator_malloc_version_1: %s",
                 bst_alloc_status_message(st));
        bst_caller_trap(c, msg);
        return false;
    }
    results[0].of.i32 = (int32_t)ptr;
    return true;
}

static bool host_free(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)results;
    bst_substrate_runtime *rt = env;
    bst_memory *mem;
    if (!alloc_enter(rt, c, &mem)) return false;
    bst_alloc_status st = bst_alloc_free(&rt->alloc, mem, (uint32_t)args[0].of.i32);
    if (st != BST_ALLOC_OK) {
        char msg[160];
        snprintf(msg, sizeof msg, "ext_allocator_free_version_1: %s",
                 bst_alloc_status_message(st));
        bst_caller_trap(c, msg);
        return false;
    }
    return true;
}

/* ext_logging_max_level_version_1() -> i32: the runtime skips formatting what we would drop. */
static bool host_log_max_level(bst_caller *c, const bst_value *args, bst_value *results,
                               void *env) {
    (void)c;
    (void)args;
    results[0].of.i32 = (int32_t)((bst_substrate_runtime *)env)->max_log_level;
    return true;
}

/* A (ptr, len) span packed as ptr | len << 32 into bytes of guest memory, or NULL. */
static const uint8_t *span(bst_memory *mem, int64_t packed, uint32_t *len) {
    uint64_t v = (uint64_t)packed;
    *len = (uint32_t)(v >> 32);
    return bst_memory_slice(mem, (uint32_t)v, *len);
}

/* A switch, not a table of pointers: such a table would be relocated (writable before
 * relocation), which the no-global-state check rightly refuses. */
static const char *log_level_name(uint32_t level) {
    switch (level) {
    case 1: return "ERROR";
    case 2: return "WARN";
    case 3: return "INFO";
    case 4: return "DEBUG";
    default: return "TRACE";
    }
}

/* ext_logging_log_version_1(level: i32, target: i64 span, message: i64 span). */
static bool host_log(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)results;
    bst_substrate_runtime *rt = env;
    uint32_t level = (uint32_t)args[0].of.i32;
    bst_memory *mem = runtime_memory(rt, c);
    uint32_t tlen = 0, mlen = 0;
    const uint8_t *target = mem ? span(mem, args[1].of.i64, &tlen) : NULL;
    const uint8_t *message = mem ? span(mem, args[2].of.i64, &mlen) : NULL;
    if (!target || !message) {
        bst_caller_trap(c, "ext_logging_log_version_1: span outside memory");
        return false;
    }
    if (level == 0 || level > rt->max_log_level) return true;
    /* bounded, and no control bytes from the guest reach the terminal */
    fprintf(stderr, "[runtime %s ", log_level_name(level));
    for (uint32_t i = 0; i < tlen && i < 128; i++)
        fputc(target[i] >= 0x20 && target[i] < 0x7f ? target[i] : '?', stderr);
    fputs("] ", stderr);
    for (uint32_t i = 0; i < mlen && i < 4096; i++)
        fputc(message[i] >= 0x20 && message[i] < 0x7f ? message[i] : '?', stderr);
    fputc('\n', stderr);
    return true;
}

static bool functype_is(const bst_functype *t, uint32_t np, const bst_valtype *p, uint32_t nr,
                        const bst_valtype *r) {
    if (t->nparams != np || t->nresults != nr) return false;
    for (uint32_t i = 0; i < np; i++)
        if (t->params[i] != p[i]) return false;
    for (uint32_t i = 0; i < nr; i++)
        if (t->results[i] != r[i]) return false;
    return true;
}

/* Resolves import i into *out.  Returns false with *err filled. */
static bool resolve_import(bst_substrate_runtime *rt, uint32_t i, bst_extern *out,
                           bst_error *err) {
    bst_import_desc d;
    bst_module_import(rt->module, i, &d);
    char mod[64], name[120], msg[256];
    name_text(mod, sizeof mod, d.module, d.module_len);
    name_text(name, sizeof name, d.name, d.name_len);
    static const bst_valtype i32[1] = {BST_I32};
    switch (d.type.kind) {
    case BST_EXTERN_FUNC: {
        bst_host_fn fn = host_stub;
        void *env = &rt->stubs[i];
        bool is_env = name_is(d.module, d.module_len, "env");
        if (is_env && name_is(d.name, d.name_len, "ext_allocator_malloc_version_1")) {
            if (!functype_is(&d.type.func, 1, i32, 1, i32)) goto bad_type;
            fn = host_malloc;
            env = rt;
        } else if (is_env && name_is(d.name, d.name_len, "ext_allocator_free_version_1")) {
            if (!functype_is(&d.type.func, 1, i32, 0, NULL)) goto bad_type;
            fn = host_free;
            env = rt;
        } else if (is_env && name_is(d.name, d.name_len, "ext_logging_max_level_version_1")) {
            if (!functype_is(&d.type.func, 0, NULL, 1, i32)) goto bad_type;
            fn = host_log_max_level;
            env = rt;
        } else if (is_env && name_is(d.name, d.name_len, "ext_logging_log_version_1")) {
            static const bst_valtype log_params[3] = {BST_I32, BST_I64, BST_I64};
            if (!functype_is(&d.type.func, 3, log_params, 0, NULL)) goto bad_type;
            fn = host_log;
            env = rt;
        } else {
            rt->stubs[i].module = d.module;
            rt->stubs[i].module_len = d.module_len;
            rt->stubs[i].name = d.name;
            rt->stubs[i].name_len = d.name_len;
            rt->nstubs++;
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
        if (rt->memory) {
            snprintf(msg, sizeof msg, "import %s.%s: a second memory", mod, name);
            set_err(err, BST_ERR_UNLINKABLE, msg);
            return false;
        }
        out->kind = BST_EXTERN_MEMORY;
        out->of.memory = bst_memory_new(rt->store, d.type.limits, err);
        if (!out->of.memory) return false;
        rt->memory = out->of.memory;
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
bad_type:
    snprintf(msg, sizeof msg, "import %s.%s has the wrong type", mod, name);
    set_err(err, BST_ERR_UNLINKABLE, msg);
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
    bst_extern *imports = NULL;
    if (!rt) goto nomem;
    rt->max_log_level = opts->max_log_level;
    rt->module = bst_module_new_ex(code, len, &opts->module_config, err);
    if (!rt->module) goto fail;
    rt->store = bst_store_new(&opts->config);
    if (!rt->store) goto nomem;
    if (opts->fuel) bst_store_set_fuel(rt->store, opts->fuel);
    uint32_t n = bst_module_import_count(rt->module);
    rt->stubs = calloc(n ? n : 1, sizeof *rt->stubs);
    imports = calloc(n ? n : 1, sizeof *imports);
    if (!rt->stubs || !imports) goto nomem;
    for (uint32_t i = 0; i < n; i++)
        if (!resolve_import(rt, i, &imports[i], err)) goto fail;
    rt->inst = bst_instance_new(rt->store, rt->module, imports, n, rt, err);
    if (!rt->inst) goto fail;
    free(imports);
    return rt;
nomem:
    set_err(err, BST_ERR_NOMEM, "out of memory");
fail:
    free(imports);
    bst_substrate_runtime_free(rt);
    return NULL;
}

void bst_substrate_runtime_free(bst_substrate_runtime *rt) {
    if (!rt) return;
    bst_store_free(rt->store);   /* before the module: the store's instances refer to it */
    bst_module_free(rt->module);
    free(rt->stubs);
    free(rt);
}

uint32_t bst_substrate_runtime_stub_count(const bst_substrate_runtime *rt) {
    return rt ? rt->nstubs : 0;
}

static bst_status call_fail(bst_error *err, bst_status st, bst_trap_kind trap, const char *msg) {
    set_err(err, st, msg);
    if (err) err->trap = trap;
    return st;
}

bst_status bst_substrate_call(bst_substrate_runtime *rt, const char *name, const uint8_t *input,
                              size_t input_len, uint8_t **out, size_t *out_len, bst_error *err) {
    if (!rt || !name || !out || !out_len || (!input && input_len))
        return call_fail(err, BST_ERR_ARG, BST_TRAP_NONE, "bad arguments");
    *out = NULL;
    *out_len = 0;
    char msg[256];
    bst_func *f = bst_instance_func(rt->inst, name);
    if (!f) {
        snprintf(msg, sizeof msg, "the runtime does not export a function %.200s", name);
        return call_fail(err, BST_ERR_NOT_FOUND, BST_TRAP_NONE, msg);
    }
    static const bst_valtype p[2] = {BST_I32, BST_I32}, r[1] = {BST_I64};
    if (!functype_is(bst_func_type(f), 2, p, 1, r)) {
        snprintf(msg, sizeof msg, "export %.200s is not (i32, i32) -> i64", name);
        return call_fail(err, BST_ERR_INVALID, BST_TRAP_NONE, msg);
    }
    const char *why = alloc_setup(rt, rt->inst);
    if (why) return call_fail(err, BST_ERR_UNLINKABLE, BST_TRAP_NONE, why);
    bst_memory *mem = runtime_memory(rt, NULL);
    if (!mem) return call_fail(err, BST_ERR_UNLINKABLE, BST_TRAP_NONE, "the runtime has no memory");
    if (input_len > UINT32_MAX)
        return call_fail(err, BST_ERR_LIMIT, BST_TRAP_NONE, "input too large");

    /* As Substrate: the input always gets a block from the allocator, even when empty. */
    uint32_t in_ptr = 0;
    bst_alloc_status ast = bst_alloc_malloc(&rt->alloc, mem, (uint32_t)input_len, &in_ptr);
    if (ast != BST_ALLOC_OK) {
        snprintf(msg, sizeof msg, "allocating the input: %s", bst_alloc_status_message(ast));
        return call_fail(err, BST_ERR_TRAP, BST_TRAP_HOST, msg);
    }
    if (input_len && !bst_memory_write(mem, in_ptr, input, (uint32_t)input_len))
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
    mem = runtime_memory(rt, NULL);   /* same object; the call may have grown it */
    if ((uint64_t)rptr + rlen > bst_memory_size(mem)) {
        snprintf(msg, sizeof msg,
                 "%.100s returned bytes [0x%x, +%u) outside the memory (%llu bytes)", name, rptr,
                 rlen, (unsigned long long)bst_memory_size(mem));
        return call_fail(err, BST_ERR_TRAP, BST_TRAP_MEMORY_OOB, msg);
    }
    uint8_t *buf = malloc(rlen ? rlen : 1);
    if (!buf) return call_fail(err, BST_ERR_NOMEM, BST_TRAP_NONE, "out of memory");
    if (rlen && !bst_memory_read(mem, rptr, buf, rlen)) {
        free(buf);
        return call_fail(err, BST_ERR_TRAP, BST_TRAP_MEMORY_OOB, "reading the result");
    }
    *out = buf;
    *out_len = rlen;
    return BST_OK;
}

/* ---- RuntimeVersion ----------------------------------------------------------------------- */

#define API_ENTRY_SIZE 12u   /* [u8; 8] + u32 */

bst_scale_err bst_substrate_version_decode(const uint8_t *p, size_t len,
                                           bst_substrate_version *v) {
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
    if (d.err == BST_SCALE_OK)
        bst_scale_get_raw(&d, v->napis * API_ENTRY_SIZE, &v->apis_raw);
    if (d.err == BST_SCALE_OK && bst_scale_remaining(&d) > 0) {
        if (bst_scale_get_u32(&d, &v->transaction_version) == BST_SCALE_OK)
            v->has_transaction_version = true;
    }
    if (d.err == BST_SCALE_OK && bst_scale_remaining(&d) > 0) {
        if (bst_scale_get_u8(&d, &v->state_version) == BST_SCALE_OK)
            v->has_state_version = true;
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
    out->version = (uint32_t)e[8] | (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 |
                   (uint32_t)e[11] << 24;
}
