/*
 * inspect_cmd.c — `bastion inspect FILE.wasm`: compiles the module (so only a valid one is
 * listed) and prints its sections with their offsets and sizes, its imports and its exports
 * with their types.
 *
 * The section list comes from the file's own framing (id, LEB128 size, a custom section's
 * name), which the public API does not describe; the walk bounds-checks every read.  The debug
 * information summary says what backtraces and profiles can show: function names (the name
 * section) and source lines (DWARF's .debug_line, decoded here to say whether it is usable).
 */
#include "inspect_cmd.h"
#include "bastion.h"
#include "util.h"
#include "wasm_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char INSPECT_USAGE[] = "usage: bastion inspect FILE.wasm\n" CLI_INSPECT_HELP;

/* Reads an unsigned LEB128 u32 at *pos; false if truncated or too long. */
static bool read_u32(const uint8_t *b, size_t len, size_t *pos, uint32_t *out) {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (*pos >= len) return false;
        uint8_t byte = b[(*pos)++];
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) break;
        if (shift == 28) return false;
    }
    if (v > UINT32_MAX) return false;
    *out = (uint32_t)v;
    return true;
}

static const char *section_name(uint8_t id) {
    static const char *const names[] = {
        "custom", "type",  "import",  "function", "table", "memory",    "global",
        "export", "start", "element", "code",     "data",  "datacount",
    };
    return id < sizeof names / sizeof names[0] ? names[id] : "unknown";
}

/* Walks the section framing only; the module has already been validated by the engine, and
 * the walk still bounds-checks every read rather than trusting that. */
static void print_sections(const uint8_t *b, size_t len) {
    size_t pos = 8;
    printf("sections:\n");
    while (pos < len) {
        size_t start = pos;
        uint8_t id = b[pos++];
        uint32_t size;
        if (!read_u32(b, len, &pos, &size) || size > len - pos) {
            printf("  <truncated section at offset 0x%zx>\n", start);
            return;
        }
        printf("  %-10s offset 0x%08zx  size %" PRIu32, section_name(id), start, size);
        if (id == 0) {
            size_t p = pos;
            uint32_t nlen;
            if (read_u32(b, pos + size, &p, &nlen) && nlen <= pos + size - p) {
                putchar(' ');
                cli_print_name(stdout, (const char *)b + p, nlen);
            }
        }
        putchar('\n');
        pos += size;
    }
}

/* The DWARF sections clang and rustc write for wasm. */
static const char *const DWARF_SECTIONS[] = {
    ".debug_info",     ".debug_abbrev", ".debug_line",        ".debug_line_str",
    ".debug_str",      ".debug_ranges", ".debug_rnglists",    ".debug_loc",
    ".debug_loclists", ".debug_addr",   ".debug_str_offsets", ".debug_frame",
};

static void print_debug_info(const bst_module *m) {
    printf("debug info:\n  name section: %s\n", bst_module_has_custom_section(m, "name")
                                                    ? "yes (function names in backtraces and "
                                                      "profiles)"
                                                    : "no (functions appear as func[N])");
    fputs("  DWARF:", stdout);
    size_t n = 0;
    for (size_t i = 0; i < sizeof DWARF_SECTIONS / sizeof DWARF_SECTIONS[0]; i++)
        if (bst_module_has_custom_section(m, DWARF_SECTIONS[i])) {
            printf(" %s", DWARF_SECTIONS[i]);
            n++;
        }
    puts(n ? "" : " none");
    if (!bst_module_has_custom_section(m, ".debug_line")) return;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_debug_lines *lines = bst_debug_lines_new(m, &err);
    if (lines)
        puts("  source lines: yes (.debug_line decodes; backtraces show file:line)");
    else
        printf("  source lines: no (.debug_line at offset %zu: %s)\n", err.offset, err.message);
    bst_debug_lines_free(lines);
}

int inspect_main(int argc, char **argv) {
    if (argc == 1 && cli_is_help(argv[0])) {
        fputs(INSPECT_USAGE, stdout);
        return 0;
    }
    if (argc == 2 && strcmp(argv[0], "--") == 0) { /* `--` ends the options */
        argc--;
        argv++;
    } else if (argc == 1 && argv[0][0] == '-' && argv[0][1] != '\0') {
        fprintf(stderr, "bastion inspect: unknown option %s\n%s", argv[0], INSPECT_USAGE);
        return CLI_EXIT_USAGE;
    }
    if (argc != 1) {
        fputs(INSPECT_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    uint8_t *bytes;
    size_t len;
    bst_module *m = cli_load_module(argv[0], NULL, NULL, &bytes, &len);
    if (!m) return 1;
    printf("%s: %zu bytes\n", cli_display_name(argv[0]), len);
    print_sections(bytes, len);
    print_debug_info(m);

    uint32_t n = bst_module_import_count(m);
    printf("imports (%" PRIu32 "):\n", n);
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        memset(&d, 0, sizeof d);
        bst_module_import(m, i, &d);
        printf("  %-6s ", cli_extern_kind_name(d.type.kind));
        cli_print_name(stdout, d.module, d.module_len);
        putchar('.');
        cli_print_name(stdout, d.name, d.name_len);
        putchar(' ');
        cli_print_externtype(stdout, &d.type);
        putchar('\n');
    }
    n = bst_module_export_count(m);
    printf("exports (%" PRIu32 "):\n", n);
    for (uint32_t i = 0; i < n; i++) {
        bst_export_desc d;
        memset(&d, 0, sizeof d);
        bst_module_export(m, i, &d);
        cli_print_export(stdout, &d);
    }
    free(bytes);
    bst_module_free(m);
    return 0;
}
