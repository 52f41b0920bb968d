/*
 * backtrace.c — bst_store_backtrace() after a trap.
 *
 * A trap three calls deep lists the three functions innermost first, with their indices, their
 * module and their names from the name section (wat2wasm --debug-names); deep recursion is
 * truncated to the innermost BST_MAX_BACKTRACE frames and `max` is honoured; a host trap lists
 * the wasm frames below the host function; a later trap replaces the earlier backtrace.  Each
 * frame's offset is the module byte offset of its instruction: the trapping one innermost, the
 * call in each caller (checked against the opcode at that byte).
 */
#include "harness.h"

static bool fail(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    (void)env;
    bst_caller_trap(c, "host says no");
    return false;
}

static void expect_frame(const bst_frame_info *fr, const bst_module *m, uint32_t index,
                         const char *name) {
    CHECK(fr->module == m);
    CHECK_EQ(fr->func_index, index);
    CHECK_STR(fr->func_name, name);
}

/* The opcode at each frame's offset: the trapping instruction innermost, calls below it. */
static void expect_opcodes(const bst_frame_info *fr, size_t n, const uint8_t *bytes, size_t len,
                           uint8_t innermost) {
    for (size_t i = 0; i < n; i++) {
        CHECK(fr[i].offset < len);
        if (fr[i].offset < len) CHECK_EQ(bytes[fr[i].offset], i ? 0x10 : innermost);
    }
}

int main(void) {
    bst_module *m = h_load("backtrace", NULL);
    size_t wasm_len;
    uint8_t *wasm = h_wasm_bytes("backtrace", &wasm_len);
    bst_store *s = bst_store_new(NULL);
    bst_functype ft = {0, 0, NULL, NULL};
    bst_extern imp;
    imp.kind = BST_EXTERN_FUNC;
    imp.of.func = bst_func_new_host(s, &ft, fail, NULL);
    bst_error err;
    bst_instance *inst = bst_instance_new(s, m, &imp, 1, NULL, &err);
    if (!inst) {
        fprintf(stderr, "instantiation failed: %s\n", err.message);
        return 2;
    }
    CHECK_STR(bst_module_func_name(m, 1), "outer");
    CHECK(bst_module_func_name(m, 99) == NULL);

    /* three deep: inner, middle, outer */
    bst_frame_info fr[BST_MAX_BACKTRACE + 8];
    CHECK_TRAP(h_call(h_func(inst, "outer"), &err, NULL, 0), err, BST_TRAP_DIV_ZERO);
    size_t n = bst_store_backtrace(s, fr, BST_MAX_BACKTRACE + 8);
    CHECK_EQ(n, 3);
    if (n == 3) {
        expect_frame(&fr[0], m, 3, "inner");
        expect_frame(&fr[1], m, 2, "middle");
        expect_frame(&fr[2], m, 1, "outer");
        expect_opcodes(fr, n, wasm, wasm_len, 0x6e); /* i32.div_u */
        CHECK(fr[2].offset < fr[1].offset && fr[1].offset < fr[0].offset);
    }
    /* max is honoured: the innermost first */
    memset(fr, 0, sizeof fr);
    CHECK_EQ(bst_store_backtrace(s, fr, 2), 2);
    expect_frame(&fr[0], m, 3, "inner");
    expect_frame(&fr[1], m, 2, "middle");
    CHECK(fr[2].module == NULL);
    CHECK_EQ(bst_store_backtrace(s, fr, 0), 0);

    /* deep recursion: truncated to the innermost BST_MAX_BACKTRACE frames, all "deep" */
    CHECK_TRAP(h_call(h_func(inst, "deep"), &err, NULL, 1, 100), err, BST_TRAP_UNREACHABLE);
    n = bst_store_backtrace(s, fr, BST_MAX_BACKTRACE + 8);
    CHECK_EQ(n, BST_MAX_BACKTRACE);
    for (size_t i = 0; i < n; i++) expect_frame(&fr[i], m, 4, "deep");
    expect_opcodes(fr, n, wasm, wasm_len, 0x00); /* unreachable */

    /* a host trap: the wasm frames below the host function, innermost first */
    CHECK_TRAP(h_call(h_func(inst, "via_host"), &err, NULL, 0), err, BST_TRAP_HOST);
    CHECK_STR(err.message, "host says no");
    n = bst_store_backtrace(s, fr, BST_MAX_BACKTRACE + 8);
    CHECK_EQ(n, 2);
    if (n == 2) {
        expect_frame(&fr[0], m, 6, "host_caller");
        expect_frame(&fr[1], m, 5, "via_host");
        expect_opcodes(fr, n, wasm, wasm_len, 0x10); /* the call of the host function */
    }

    /* the next trap replaces it */
    CHECK_TRAP(h_call(h_func(inst, "deep"), &err, NULL, 1, 0), err, BST_TRAP_UNREACHABLE);
    n = bst_store_backtrace(s, fr, BST_MAX_BACKTRACE + 8);
    CHECK_EQ(n, 1);
    expect_frame(&fr[0], m, 4, "deep");

    /* without a name section the names are NULL, the indices still right */
    size_t len;
    uint8_t *bytes = h_wasm_bytes("backtrace", &len);
    /* the name section is the last section: cut it off */
    size_t cut = len;
    for (size_t i = 8; i + 8 < len && cut == len; i++) {
        if (bytes[i] != 0x00) continue; /* custom section id, then its LEB128 size */
        size_t k = i + 1;
        while (k < i + 6 && (bytes[k] & 0x80)) k++;
        if (k + 6 <= len && memcmp(bytes + k + 1, "\x04name", 5) == 0) cut = i;
    }
    CHECK(cut < len);
    bst_module *anon = bst_module_new(bytes, cut, &err);
    CHECK(anon != NULL);
    if (anon) {
        bst_store *s2 = bst_store_new(NULL);
        imp.of.func = bst_func_new_host(s2, &ft, fail, NULL);
        bst_instance *i2 = bst_instance_new(s2, anon, &imp, 1, NULL, &err);
        CHECK(i2 != NULL);
        if (i2) {
            CHECK_TRAP(h_call(h_func(i2, "outer"), &err, NULL, 0), err, BST_TRAP_DIV_ZERO);
            CHECK_EQ(bst_store_backtrace(s2, fr, 8), 3);
            CHECK_EQ(fr[0].func_index, 3);
            CHECK(fr[0].func_name == NULL);
            CHECK(fr[0].module == anon);
        }
        bst_store_free(s2);
        bst_module_free(anon);
    }
    free(bytes);
    free(wasm);

    bst_store_free(s);
    bst_module_free(m);
    return h_finish("backtrace");
}
