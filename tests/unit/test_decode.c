/*
 * test_decode.c — unit tests for module decoding and module-level validation: hand-written
 * binaries covering the cases the spec testsuite reaches only indirectly (SIMD rejection,
 * structural caps, the name section, deferred constant-expression errors, the public
 * import/export queries).
 */
#include <stdio.h>
#include <string.h>

#include "bastion.h"
#include "../support/check.h"

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

/* Decodes `bytes` and checks the outcome: status BST_OK means the module must load. */
static void expect(int line, const unsigned char *bytes, size_t len, bst_status want,
                   const char *msg_prefix) {
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_module *m = bst_module_new(bytes, len, &err);
    bst_status got = m ? BST_OK : err.status;
    check_count++;
    if (got != want || (!m && msg_prefix && strncmp(err.message, msg_prefix, strlen(msg_prefix)))) {
        check_fail(__FILE__, line, "want %s \"%s\", got %s \"%s\" at %zu", bst_status_name(want),
                   msg_prefix ? msg_prefix : "", bst_status_name(got), m ? "" : err.message,
                   err.offset);
    }
    bst_module_free(m);
}

#define EXPECT(st, msg, ...)                                                                       \
    do {                                                                                           \
        static const unsigned char bin_[] = {__VA_ARGS__};                                         \
        expect(__LINE__, bin_, sizeof bin_, st, msg);                                              \
    } while (0)

static void test_framing(void) {
    EXPECT(BST_OK, NULL, HDR);
    EXPECT(BST_ERR_MALFORMED, "unexpected end", 0x00, 0x61, 0x73);
    EXPECT(BST_ERR_MALFORMED, "magic header not detected", 0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0);
    EXPECT(BST_ERR_MALFORMED, "unknown binary version", 0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0);
    EXPECT(BST_ERR_MALFORMED, "malformed section id", HDR, 0x0d, 0x00);
    /* memory section before table section */
    EXPECT(BST_ERR_MALFORMED, "unexpected content after last section", HDR, 0x05, 0x01, 0x00, 0x04,
           0x01, 0x00);
    EXPECT(BST_ERR_MALFORMED, "section size mismatch", HDR, 0x01, 0x02, 0x00, 0x00);
    EXPECT(BST_ERR_MALFORMED, "length out of bounds", HDR, 0x01, 0x09, 0x00);
    /* a type count of 2^32-1 must be refused before anything is allocated for it */
    EXPECT(BST_ERR_MALFORMED, "length out of bounds", HDR, 0x01, 0x05, 0xff, 0xff, 0xff, 0xff,
           0x0f);
    EXPECT(BST_ERR_MALFORMED, "integer too large", HDR, 0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80,
           0x80, 0x70);
    EXPECT(BST_ERR_MALFORMED, "malformed UTF-8 encoding", HDR, 0x00, 0x02, 0x01, 0xc0);
    /* datacount section after the code section */
    EXPECT(BST_ERR_MALFORMED, "unexpected content after last section", HDR, 0x0a, 0x01, 0x00, 0x0c,
           0x01, 0x00);
    EXPECT(BST_ERR_MALFORMED, "data count and data section have inconsistent lengths", HDR, 0x0c,
           0x01, 0x01);
}

static void test_types(void) {
    /* (func (param v128)) */
    EXPECT(BST_ERR_UNSUPPORTED, "SIMD not supported", HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7b,
           0x00);
    EXPECT(BST_ERR_MALFORMED, "malformed function type", HDR, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00);
    /* (func (param i32 x 1001)) exceeds ENG_MAX_PARAMS */
    unsigned char many[8 + 8 + 1001 + 1] = {HDR, 0x01, 0xee, 0x07, 0x01, 0x60, 0xe9, 0x07};
    memset(many + 16, 0x7f, 1001);
    many[sizeof many - 1] = 0x00;
    expect(__LINE__, many, sizeof many, BST_ERR_LIMIT, "too many parameters");
    /* 50000 + 1 locals */
    EXPECT(BST_ERR_MALFORMED, "too many locals", HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00,
           0x03, 0x02, 0x01, 0x00, 0x0a, 0x08, 0x01, 0x06, 0x01, 0xd0, 0x86, 0x03, 0x7f, 0x0b);
    EXPECT(BST_ERR_MALFORMED, "function and code section have inconsistent lengths", HDR, 0x01,
           0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00);
}

static void test_validation(void) {
    EXPECT(BST_ERR_INVALID, "memory size must be at most 65536 pages", HDR, 0x05, 0x05, 0x01, 0x00,
           0x81, 0x80, 0x04);
    EXPECT(BST_ERR_INVALID, "size minimum must not be greater than maximum", HDR, 0x05, 0x04, 0x01,
           0x01, 0x02, 0x01);
    EXPECT(BST_ERR_INVALID, "multiple memories", HDR, 0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00);
    /* (global i32 (i64.const 0)) */
    EXPECT(BST_ERR_INVALID, "type mismatch", HDR, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x42, 0x00, 0x0b);
    /* (global i32 (i32.const 0) (i32.const 1)) */
    EXPECT(BST_ERR_INVALID, "type mismatch", HDR, 0x06, 0x08, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x41,
           0x01, 0x0b);
    /* (global i32 (i32.const 0) (i32.const 1) (i32.add)) */
    EXPECT(BST_ERR_INVALID, "constant expression required", HDR, 0x06, 0x09, 0x01, 0x7f, 0x00, 0x41,
           0x00, 0x41, 0x01, 0x6a, 0x0b);
    /* the same, followed by a malformed section: malformed wins, as in the reference */
    EXPECT(BST_ERR_MALFORMED, "malformed section id", HDR, 0x06, 0x09, 0x01, 0x7f, 0x00, 0x41, 0x00,
           0x41, 0x01, 0x6a, 0x0b, 0x0e, 0x00);
    /* imported mutable global in an initialiser */
    EXPECT(BST_ERR_INVALID, "constant expression required", HDR, 0x02, 0x08, 0x01, 0x01, 0x61, 0x01,
           0x62, 0x03, 0x7f, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b);
    /* defined global in an initialiser */
    EXPECT(BST_ERR_INVALID, "unknown global", HDR, 0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b,
           0x7f, 0x00, 0x23, 0x00, 0x0b);
    /* two exports named "a" */
    EXPECT(BST_ERR_INVALID, "duplicate export name", HDR, 0x05, 0x03, 0x01, 0x00, 0x00, 0x07, 0x09,
           0x02, 0x01, 0x61, 0x02, 0x00, 0x01, 0x61, 0x02, 0x00);
    /* start function of type [i32] -> [] */
    EXPECT(BST_ERR_INVALID, "start function", HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x03,
           0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b);
    EXPECT(BST_ERR_INVALID, "unknown type", HDR, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02,
           0x00, 0x0b);
    /* externref table, active funcref segment */
    EXPECT(BST_ERR_INVALID, "type mismatch", HDR, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x01, 0x09, 0x06,
           0x01, 0x00, 0x41, 0x00, 0x0b, 0x00);
}

static void test_names_and_queries(void) {
    /* A function-name subsection (size 3) whose entry's index and length bytes lie past its end
     * (found by fuzz_module): the names are dropped and the module loads, without reading past
     * the subsection (under ASan, an over-read is a heap-buffer-overflow). */
    EXPECT(BST_OK, NULL, HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a,
           0x04, 0x01, 0x02, 0x00, 0x0b, 0x00, 0x0c, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x03, 0x02,
           0x00, 0x00, 0x00, 0x7f);
    /* (import "a" "b" (func $imp)) (func $foo) (func) (func $bar (export "x")), with a name
     * section as wat2wasm --debug-names writes it */
    static const unsigned char bin[] = {
        HDR,  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x07, 0x01, 0x01, 0x61, 0x01,
        0x62, 0x00, 0x00, 0x03, 0x04, 0x03, 0x00, 0x00, 0x00, 0x07, 0x05, 0x01, 0x01,
        0x78, 0x00, 0x03, 0x0a, 0x0a, 0x03, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b, 0x02,
        0x00, 0x0b, 0x00, 0x22, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x10, 0x03, 0x00,
        0x03, 0x69, 0x6d, 0x70, 0x01, 0x03, 0x66, 0x6f, 0x6f, 0x03, 0x03, 0x62, 0x61,
        0x72, 0x02, 0x09, 0x04, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00};
    bst_error err;
    bst_module *m = bst_module_new(bin, sizeof bin, &err);
    CHECK(m != NULL);
    if (!m) return;
    const char *n0 = bst_module_func_name(m, 0), *n1 = bst_module_func_name(m, 1);
    const char *n3 = bst_module_func_name(m, 3);
    CHECK(n0 && strcmp(n0, "imp") == 0);
    CHECK(n1 && strcmp(n1, "foo") == 0);
    CHECK(bst_module_func_name(m, 2) == NULL);
    CHECK(n3 && strcmp(n3, "bar") == 0);
    CHECK(bst_module_func_name(m, 4) == NULL);
    CHECK(bst_module_import_count(m) == 1);
    bst_import_desc imp;
    bst_module_import(m, 0, &imp);
    CHECK(imp.module_len == 1 && imp.module[0] == 'a' && imp.name_len == 1 && imp.name[0] == 'b' &&
          imp.type.kind == BST_EXTERN_FUNC && imp.type.func.nparams == 0 &&
          imp.type.func.nresults == 0);
    CHECK(bst_module_export_count(m) == 1);
    bst_export_desc exp;
    bst_module_export(m, 0, &exp);
    CHECK(exp.name_len == 1 && exp.name[0] == 'x' && exp.type.kind == BST_EXTERN_FUNC);
    bst_module_free(m);

    /* A name section whose function-name subsection is cut short is ignored, never fatal. */
    EXPECT(BST_OK, NULL, HDR, 0x00, 0x09, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x05, 0x01, 0x00);
}

static void test_messages(void) {
    CHECK(strcmp(bst_trap_message(BST_TRAP_MEMORY_OOB), "out of bounds memory access") == 0);
    CHECK(strcmp(bst_trap_message(BST_TRAP_UNINITIALIZED_ELEMENT), "uninitialized element") == 0);
    CHECK(strcmp(bst_status_name(BST_OK), "ok") == 0);
}

int main(void) {
    test_framing();
    test_types();
    test_validation();
    test_names_and_queries();
    test_messages();
    return check_finish("unit/test_decode");
}
