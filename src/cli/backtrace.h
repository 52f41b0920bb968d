/*
 * backtrace.h — printing the wasm backtrace of a trap, see backtrace.c.
 */
#ifndef BASTION_CLI_BACKTRACE_H
#define BASTION_CLI_BACKTRACE_H

#include "bastion.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Prints to out the code hash of the module (BLAKE2b-256 of bytes[0..len), the module m was
 * compiled from) and the backtrace of the store's last trap: per frame its module offset,
 * function index and name and, when the module has DWARF line information, the source file and
 * line. */
void cli_print_backtrace(FILE *out, const bst_store *s, const bst_module *m, const uint8_t *bytes,
                         size_t len);

#endif /* BASTION_CLI_BACKTRACE_H */
