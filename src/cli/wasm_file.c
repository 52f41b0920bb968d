/*
 * wasm_file.c — module files for `bastion run` and `bastion inspect` (see wasm_file.h): reads
 * one under the module size limit (standard input for "-"), refuses WebAssembly text with the
 * wat2wasm command that converts it, compiles it, and prints names and types in the one format
 * both commands use.
 */
#include "wasm_file.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *cli_display_name(const char *path) { return strcmp(path, "-") == 0 ? "<stdin>" : path; }

bst_module *cli_load_module(const char *path, const bst_module_config *cfg, const cli_trust *trust,
                            uint8_t **bytes_out, size_t *len_out) {
    char why[512];
    uint8_t *bytes;
    size_t len;
    bst_module_config defaults;
    if (!cfg) {
        bst_module_config_default(&defaults);
        cfg = &defaults;
    }
    /* never read more of the file than a module may have */
    if (!cli_read_module(strcmp(path, "-") == 0 ? "/dev/stdin" : path, path, cfg->max_module_bytes,
                         &bytes, &len, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return NULL;
    }
    if (trust && !cli_trust_check(trust, "run", cli_display_name(path), bytes, &len)) {
        free(bytes);
        return NULL;
    }
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_module *m = bst_module_new_ex(bytes, len, cfg, &err);
    if (!m) {
        fprintf(stderr, "error: %s at offset %zu: %s\n", bst_status_name(err.status), err.offset,
                err.message);
        free(bytes);
        return NULL;
    }
    if (bytes_out) {
        *bytes_out = bytes;
        *len_out = len;
    } else {
        free(bytes);
    }
    return m;
}

const char *cli_extern_kind_name(bst_extern_kind k) {
    switch (k) {
    case BST_EXTERN_FUNC: return "func";
    case BST_EXTERN_TABLE: return "table";
    case BST_EXTERN_MEMORY: return "memory";
    case BST_EXTERN_GLOBAL: return "global";
    }
    return "?";
}

void cli_print_name(FILE *out, const char *s, size_t len) {
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            fprintf(out, "\\%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

void cli_print_functype(FILE *out, const bst_functype *ft) {
    fputc('(', out);
    for (uint32_t i = 0; i < ft->nparams; i++)
        fprintf(out, "%s%s", i ? ", " : "", bst_valtype_name(ft->params[i]));
    fputs(") -> (", out);
    for (uint32_t i = 0; i < ft->nresults; i++)
        fprintf(out, "%s%s", i ? ", " : "", bst_valtype_name(ft->results[i]));
    fputc(')', out);
}

static void print_limits(FILE *out, bst_limits l) {
    if (l.has_max)
        fprintf(out, "{min %" PRIu32 ", max %" PRIu32 "}", l.min, l.max);
    else
        fprintf(out, "{min %" PRIu32 "}", l.min);
}

void cli_print_externtype(FILE *out, const bst_externtype *t) {
    switch (t->kind) {
    case BST_EXTERN_FUNC: cli_print_functype(out, &t->func); return;
    case BST_EXTERN_TABLE:
        fprintf(out, "%s ", bst_valtype_name(t->elem));
        print_limits(out, t->limits);
        return;
    case BST_EXTERN_MEMORY: print_limits(out, t->limits); return;
    case BST_EXTERN_GLOBAL:
        fprintf(out, "%s%s", t->global_mutable ? "mut " : "", bst_valtype_name(t->global));
        return;
    }
}

void cli_print_export(FILE *out, const bst_export_desc *d) {
    fprintf(out, "  %-6s ", cli_extern_kind_name(d->type.kind));
    cli_print_name(out, d->name, d->name_len);
    fputc(' ', out);
    cli_print_externtype(out, &d->type);
    fputc('\n', out);
}
