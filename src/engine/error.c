/*
 * error.c — the engine's error reporting: eng_fail() (fills a bst_error), eng_trap_error() (the
 * error of a trap), and the names the public API gives statuses and traps.
 */
#include <stdarg.h>
#include <stdio.h>

#include "engine/runtime.h"

bool eng_fail(bst_error *err, bst_status status, size_t offset, const char *fmt, ...) {
    if (!err) return false;
    err->status = status;
    err->trap = BST_TRAP_NONE;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0) err->message[0] = '\0';
    return false;
}

const char *bst_status_name(bst_status s) {
    switch (s) {
    case BST_OK: return "ok";
    case BST_ERR_MALFORMED: return "malformed module";
    case BST_ERR_INVALID: return "invalid module";
    case BST_ERR_UNSUPPORTED: return "unsupported feature";
    case BST_ERR_LIMIT: return "limit exceeded";
    case BST_ERR_UNLINKABLE: return "unlinkable";
    case BST_ERR_TRAP: return "trap";
    case BST_ERR_NOMEM: return "out of memory";
    case BST_ERR_NOT_FOUND: return "not found";
    case BST_ERR_ARG: return "invalid argument";
    }
    return "unknown status";
}

/* The spec testsuite's assert_trap strings, so the wast runner can compare them verbatim. */
const char *bst_trap_message(bst_trap_kind k) {
    switch (k) {
    case BST_TRAP_NONE: return "no trap";
    case BST_TRAP_UNREACHABLE: return "unreachable";
    case BST_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case BST_TRAP_TABLE_OOB: return "out of bounds table access";
    case BST_TRAP_DIV_ZERO: return "integer divide by zero";
    case BST_TRAP_INT_OVERFLOW: return "integer overflow";
    case BST_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case BST_TRAP_INDIRECT_MISMATCH: return "indirect call type mismatch";
    case BST_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case BST_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case BST_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case BST_TRAP_OUT_OF_FUEL: return "out of fuel";
    case BST_TRAP_INTERRUPTED: return "interrupted";
    case BST_TRAP_HOST: return "host trap";
    case BST_TRAP__COUNT: break;
    }
    return "unknown trap";
}

bst_status eng_trap_error(bst_error *err, bst_trap_kind k) {
    eng_fail(err, BST_ERR_TRAP, 0, "%s", bst_trap_message(k));
    err->trap = k;
    return BST_ERR_TRAP;
}
