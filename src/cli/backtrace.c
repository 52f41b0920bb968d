/*
 * backtrace.c — the backtrace `bastion run` prints on a trap: the code hash of the module, then
 * one line per wasm frame, innermost first, as
 *
 *     #0 0x0001c1 func[6] main at /src/prog.c:9:5
 *
 * with the module byte offset of the frame's instruction (the trapping one, or the call a caller
 * is in), the function's index and name (name section) and, when the module carries DWARF
 * (clang -g), its source position.  The code hash is BLAKE2b-256 of the module's bytes, the
 * code hash pallet-contracts gives the same bytes, so a trap can be matched to deployed code.
 * The line table is decoded only here, on the trap, and only once.
 */
#include "backtrace.h"
#include "bastion_crypto.h"

#include <inttypes.h>
#include <string.h>

static void print_source(FILE *out, const bst_debug_lines *lines, uint32_t offset) {
    bst_source_line src;
    if (!lines || !bst_debug_lines_find(lines, offset, &src) || src.line == 0) return;
    fputs(" at ", out);
    if (src.dir && src.file[0] != '/') fprintf(out, "%s/", src.dir);
    fprintf(out, "%s:%" PRIu32, src.file, src.line);
    if (src.column) fprintf(out, ":%" PRIu32, src.column);
}

void cli_print_backtrace(FILE *out, const bst_store *s, const bst_module *m, const uint8_t *bytes,
                         size_t len) {
    uint8_t hash[32];
    bst_blake2b(hash, sizeof hash, bytes, len);
    fputs("module code hash (blake2b-256): 0x", out);
    for (size_t i = 0; i < sizeof hash; i++) fprintf(out, "%02x", hash[i]);
    fputc('\n', out);
    bst_frame_info frames[BST_MAX_BACKTRACE];
    size_t n = bst_store_backtrace(s, frames, BST_MAX_BACKTRACE);
    bst_debug_lines *lines = NULL;
    bool dwarf = bst_module_has_custom_section(m, ".debug_line");
    if (n && dwarf) {
        bst_error err;
        memset(&err, 0, sizeof err);
        lines = bst_debug_lines_new(m, &err);
        if (!lines)
            fprintf(out, "(no source lines: .debug_line at offset %zu: %s)\n", err.offset,
                    err.message);
    }
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  #%zu ", i);
        if (frames[i].offset != BST_NO_OFFSET) fprintf(out, "0x%06" PRIx32 " ", frames[i].offset);
        fprintf(out, "func[%" PRIu32 "]", frames[i].func_index);
        if (frames[i].func_name) fprintf(out, " %s", frames[i].func_name);
        /* frames of other modules (imports of another instance) have no lines of this one */
        if (frames[i].module == m) print_source(out, lines, frames[i].offset);
        fputc('\n', out);
    }
    bst_debug_lines_free(lines);
}
