/*
 * wasm_file.h — a WebAssembly module file as `bastion run` and `bastion inspect` read and show
 * it: loading (bounded read, text refused, compiled) and the way both print names and types.
 * See wasm_file.c.
 */
#ifndef BASTION_CLI_WASM_FILE_H
#define BASTION_CLI_WASM_FILE_H

#include "bastion.h"
#include "trust.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How messages name a module file: "-" is standard input. */
const char *cli_display_name(const char *path);
/* Reads and compiles a module (cfg NULL = the defaults); path "-" reads standard input.  With a
 * trust policy (trust not NULL and holding keys) the bytes are checked against it before they
 * are decoded, and only the signed part is compiled.  Prints the error and returns NULL on
 * failure.  With bytes_out, the file's bytes are handed over too (free them with free()). */
bst_module *cli_load_module(const char *path, const bst_module_config *cfg, const cli_trust *trust,
                            uint8_t **bytes_out, size_t *len_out);

/* "func", "table", "memory" or "global". */
const char *cli_extern_kind_name(bst_extern_kind k);
/* Prints a name that may hold arbitrary bytes, quoted, with control bytes escaped. */
void cli_print_name(FILE *out, const char *s, size_t len);
/* "(i32, i64) -> (f32)". */
void cli_print_functype(FILE *out, const bst_functype *ft);
/* A function's type, a table's element type and limits, a memory's limits or a global's
 * [mut] type. */
void cli_print_externtype(FILE *out, const bst_externtype *t);
/* One export line: kind, quoted name, type. */
void cli_print_export(FILE *out, const bst_export_desc *d);

#endif /* BASTION_CLI_WASM_FILE_H */
