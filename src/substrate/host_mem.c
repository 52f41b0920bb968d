/*
 * host_mem.c — the Substrate host's access to guest memory: the helpers every host function
 * uses to read its arguments (spans, fixed-size pointers, SCALE options) and to return results
 * through the runtime's allocator, the trap they raise on a bad argument, and the allocator's
 * own host functions (ext_allocator_*).
 *
 * Guest memory is touched only through the bounds-checked accessors of bastion.h.
 */
#include "host.h"

#include <inttypes.h>
#include <stdio.h>

/* ---- helpers ----------------------------------------------------------------------------- */

bool sub_fail(bst_caller *c, const char *fn_name, const char *what) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", fn_name, what);
    bst_caller_trap(c, msg);
    return false;
}

bst_memory *sub_memory(bst_substrate_runtime *rt, bst_caller *c) {
    if (rt->memory) return rt->memory;
    return c ? bst_caller_memory(c) : NULL;
}

const uint8_t *sub_span(bst_caller *c, bst_substrate_runtime *rt, int64_t packed, uint32_t *len,
                        const char *fn_name) {
    uint64_t v = (uint64_t)packed;
    *len = (uint32_t)(v >> 32);
    bst_memory *mem = sub_memory(rt, c);
    /* A zero-length span reads no bytes, but its pointer must still lie within the memory (at
     * most one past its end), as Substrate checks. */
    static const uint8_t none[1] = {0};
    if (*len == 0 && mem && (uint32_t)v <= bst_memory_size(mem)) return none;
    const uint8_t *p = mem && *len ? bst_memory_slice(mem, (uint32_t)v, *len) : NULL;
    if (!p) {
        char what[96];
        snprintf(what, sizeof what, "span [0x%" PRIx32 ", +%" PRIu32 ") outside the memory",
                 (uint32_t)v, *len);
        sub_fail(c, fn_name, what);
    }
    return p;
}

const uint8_t *sub_ptr(bst_caller *c, bst_substrate_runtime *rt, int32_t ptr, uint32_t n,
                       const char *fn_name) {
    bst_memory *mem = sub_memory(rt, c);
    const uint8_t *p = mem ? bst_memory_slice(mem, (uint32_t)ptr, n) : NULL;
    if (!p) {
        char what[96];
        snprintf(what, sizeof what, "pointer [0x%" PRIx32 ", +%" PRIu32 ") outside the memory",
                 (uint32_t)ptr, n);
        sub_fail(c, fn_name, what);
    }
    return p;
}

bool sub_write(bst_caller *c, bst_substrate_runtime *rt, int32_t ptr, const void *data, uint32_t n,
               const char *fn_name) {
    bst_memory *mem = sub_memory(rt, c);
    if (n && (!mem || !bst_memory_write(mem, (uint32_t)ptr, data, n))) {
        char what[96];
        snprintf(what, sizeof what, "output [0x%" PRIx32 ", +%" PRIu32 ") outside the memory",
                 (uint32_t)ptr, n);
        return sub_fail(c, fn_name, what);
    }
    return true;
}

/* Traps with Substrate's wording: Failed to allocate memory: "Allocator ran out of space". */
static bool alloc_fail(bst_caller *c, const char *fn_name, const char *verb, bst_alloc_status st) {
    char what[128];
    snprintf(what, sizeof what, "Failed to %s memory: \"%s\"", verb, bst_alloc_status_message(st));
    return sub_fail(c, fn_name, what);
}

bool sub_alloc_copy(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                    uint32_t *ptr, const char *fn_name) {
    bst_memory *mem = sub_memory(rt, c);
    if (len > UINT32_MAX) return sub_fail(c, fn_name, "result too large");
    bst_alloc_status st =
        mem ? bst_alloc_malloc(&rt->alloc, mem, (uint32_t)len, ptr) : BST_ALLOC_ARG;
    if (st != BST_ALLOC_OK) return alloc_fail(c, fn_name, "allocate", st);
    if (len && !bst_memory_write(mem, *ptr, data, (uint32_t)len))
        return sub_fail(c, fn_name, "writing the result");
    return true;
}

bool sub_ret_ptr(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                 bst_value *result, const char *fn_name) {
    uint32_t ptr;
    if (!sub_alloc_copy(c, rt, data, len, &ptr, fn_name)) return false;
    result->of.i32 = (int32_t)ptr;
    return true;
}

bool sub_ret_span(bst_caller *c, bst_substrate_runtime *rt, const void *data, size_t len,
                  bst_value *result, const char *fn_name) {
    uint32_t ptr;
    if (!sub_alloc_copy(c, rt, data, len, &ptr, fn_name)) return false;
    result->of.i64 = (int64_t)((uint64_t)ptr | (uint64_t)len << 32);
    return true;
}

bool sub_ret_option(bst_caller *c, bst_substrate_runtime *rt, bool some, const void *data,
                    size_t len, bst_value *result, const char *fn_name) {
    if (!some) {
        static const uint8_t none = 0;
        return sub_ret_span(c, rt, &none, 1, result, fn_name);
    }
    /* Some(Vec<u8>): 0x01, compact length, bytes */
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_u8(&b, 1);
    if (bst_scale_put_bytes(&b, data, len) != BST_SCALE_OK) {
        bst_scale_buf_free(&b);
        return sub_fail(c, fn_name, "out of host memory");
    }
    bool ok = sub_ret_span(c, rt, b.data, b.len, result, fn_name);
    bst_scale_buf_free(&b);
    return ok;
}

bool sub_get_option_bytes(bst_caller *c, const uint8_t *p, uint32_t len, bool *some,
                          const uint8_t **data, size_t *data_len, const char *fn_name) {
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    *some = false;
    *data = NULL;
    *data_len = 0;
    bst_scale_get_option(&d, some);
    if (*some) bst_scale_get_bytes(&d, data, data_len);
    if (bst_scale_finish(&d) != BST_SCALE_OK)
        return sub_fail(c, fn_name, "argument is not a SCALE Option<Vec<u8>>");
    return true;
}

bool sub_option_uint_arg(bst_caller *c, bst_substrate_runtime *rt, int64_t packed, unsigned width,
                         bool *some, uint64_t *v, const char *what, const char *fn_name) {
    uint32_t len;
    const uint8_t *p = sub_span(c, rt, packed, &len, fn_name);
    if (!p) return false;
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    *some = false;
    bst_scale_get_option(&d, some);
    if (*some && width == 4) {
        uint32_t x;
        if (bst_scale_get_u32(&d, &x) == BST_SCALE_OK) *v = x;
    } else if (*some) {
        bst_scale_get_u64(&d, v);
    }
    if (bst_scale_finish(&d) != BST_SCALE_OK) return sub_fail(c, fn_name, what);
    return true;
}

/* ---- allocator --------------------------------------------------------------------------- */

SUB_HOST(ext_allocator_malloc_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    uint32_t ptr = 0;
    bst_memory *mem = sub_memory(rt, c);
    bst_alloc_status st = bst_alloc_malloc(&rt->alloc, mem, (uint32_t)args[0].of.i32, &ptr);
    if (st != BST_ALLOC_OK) return alloc_fail(c, fn, "allocate", st);
    results[0].of.i32 = (int32_t)ptr;
    return true;
}

SUB_HOST(ext_allocator_free_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    bst_alloc_status st = bst_alloc_free(&rt->alloc, sub_memory(rt, c), (uint32_t)args[0].of.i32);
    if (st != BST_ALLOC_OK) return alloc_fail(c, fn, "free", st);
    return true;
}
