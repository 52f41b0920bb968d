/*
 * fuzz_dwarf_line.c — libFuzzer target for the DWARF line-table reader (bst_debug_lines_new,
 * bst_debug_lines_find in include/bastion.h; src/engine/dwarf_line.c).
 *
 * Input: bytes 0-1 (little-endian) = length L of a `.debug_line_str` section (cut to what is
 * there), then its L bytes, then the `.debug_line` section: both become custom sections of a
 * module with nothing else (so addresses are module offsets).  Checked, besides ASan/UBSan:
 *   - the reader either decodes or fails with one of its documented statuses and an offset
 *     inside the section;
 *   - lookups at every offset up to the section's size, and at the edges of the address space,
 *     return a file name for every position they find, and the same answers from a second
 *     decoding of the same module (no state leaks between decodings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion.h"
#include "../support/check.h"

static size_t put_custom(uint8_t *out, const char *name, const uint8_t *p, size_t n) {
    size_t nl = strlen(name), size = 1 + nl + n, k = 0;
    out[k++] = 0;
    do {
        out[k++] = (uint8_t)((size & 0x7f) | (size > 0x7f ? 0x80 : 0));
        size >>= 7;
    } while (size);
    out[k++] = (uint8_t)nl;
    memcpy(out + k, name, nl);
    memcpy(out + k + nl, p, n);
    return k + nl + n;
}

static bool same(const bst_source_line *a, const bst_source_line *b) {
    return a->line == b->line && a->column == b->column && strcmp(a->file, b->file) == 0 &&
           (a->dir == b->dir || (a->dir && b->dir && strcmp(a->dir, b->dir) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t lstr = (size_t)data[0] | (size_t)data[1] << 8;
    if (lstr > size - 2) lstr = size - 2;
    const uint8_t *str = data + 2, *line = data + 2 + lstr;
    size_t nline = size - 2 - lstr;
    uint8_t *mod = malloc(8 + 2 * 32 + size);
    if (!mod) return 0;
    memcpy(mod, "\0asm\1\0\0\0", 8);
    size_t len = 8;
    len += put_custom(mod + len, ".debug_line_str", str, lstr);
    len += put_custom(mod + len, ".debug_line", line, nline);
    bst_error err;
    bst_module *m = bst_module_new(mod, len, &err);
    CHECK(m != NULL);
    free(mod);
    if (!m) return 0;
    CHECK(bst_module_has_custom_section(m, ".debug_line"));

    bst_debug_lines *a = bst_debug_lines_new(m, &err), *b = NULL;
    if (!a) {
        CHECK(err.status == BST_ERR_MALFORMED || err.status == BST_ERR_UNSUPPORTED ||
              err.status == BST_ERR_LIMIT || err.status == BST_ERR_NOMEM);
        CHECK(err.offset <= nline);
    } else {
        b = bst_debug_lines_new(m, &err);
        CHECK(b != NULL);
    }
    uint32_t edges[] = {0, 1, BST_NO_OFFSET - 1, BST_NO_OFFSET, 0x7fffffffu, 0x80000000u};
    for (size_t i = 0; a && b && i < nline + 8 + sizeof edges / sizeof edges[0]; i++) {
        uint32_t off = i < nline + 8 ? (uint32_t)i : edges[i - nline - 8];
        bst_source_line x, y;
        bool fx = bst_debug_lines_find(a, off, &x), fy = bst_debug_lines_find(b, off, &y);
        CHECK(fx == fy);
        if (fx) {
            CHECK(x.file != NULL);
            CHECK(same(&x, &y));
        }
    }
    if (check_failures) abort();
    bst_debug_lines_free(a);
    bst_debug_lines_free(b);
    bst_module_free(m);
    return 0;
}
