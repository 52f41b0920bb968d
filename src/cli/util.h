/*
 * util.h — small helpers the `bastion` subcommands share: reading input files under a size
 * limit, hex in and out, decimal numbers, the text of an error, --help, telling WebAssembly
 * text from a binary module, and the exit statuses and fuel figures every command uses.
 */
#ifndef BASTION_CLI_UTIL_H
#define BASTION_CLI_UTIL_H

#include "bastion.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Input files a person may hand over whole (chain specs, spec-test scripts): far beyond any real
 * one, far below what would strain the host. */
#define CLI_MAX_TEXT_BYTES ((size_t)256 << 20)

/* Reads all of `path` (the file descriptor fd, named `name` in errors) into a malloc'd buffer,
 * NUL-terminated for convenience (the terminator is not counted in *len), refusing more than max
 * bytes without ever holding more than max + 1: a regular file is measured (fstat) before
 * anything is read, and anything else (a pipe, stdin, a device such as /dev/zero) is read only
 * until it has produced more than max bytes.  On failure returns false with a reason in errbuf. */
bool cli_read_file(const char *path, size_t max, uint8_t **data, size_t *len, char *errbuf,
                   size_t errlen);
bool cli_read_fd(int fd, const char *name, size_t max, uint8_t **data, size_t *len, char *errbuf,
                 size_t errlen);

/* The value of one hex digit, or -1. */
int cli_hex_digit(int c);
/* s[0..n) as hex (optional 0x prefix, even length) into a malloc'd buffer (never NULL on
 * success; free it).  False on bad hex or out of memory. */
bool cli_hex_decode(const char *s, size_t n, uint8_t **out, size_t *out_len);
/* Exactly out_n bytes of hex (optional 0x prefix) from s[0..n) into out. */
bool cli_hex_exact(const char *s, size_t n, uint8_t *out, size_t out_n);
/* Prints "LABEL 0x<hex>\n" to stdout, or "0x<hex>\n" for a NULL label. */
void cli_print_hex(const char *label, const uint8_t *p, size_t n);
/* A decimal u64; '_' may separate digit groups (1_000_000).  False on junk or overflow. */
bool cli_parse_u64(const char *s, uint64_t *out);
/* The most specific text of an error: its message, else the trap's or the status's name. */
const char *cli_err_text(const bst_error *err);

/* The largest fuel / gas budget a store keeps: the engine's fuel counter is a signed 64-bit
 * count and bst_store_set_fuel caps larger budgets there, so the CLI refuses them rather than
 * report a budget it did not apply. */
#define CLI_FUEL_MAX ((uint64_t)INT64_MAX)

/* The budget of each runtime call the CLI makes unless told otherwise (`bastion runtime`'s
 * default --fuel; the genesis runtime `bastion chainspec` asks for its state version): a hostile
 * runtime cannot loop forever, a real one never gets near it. */
#define CLI_RUNTIME_FUEL UINT64_C(10000000000)

/* Exit statuses every command shares: misuse of the command line (EX_USAGE in sysexits.h), and
 * the base of a trap's status, which is CLI_EXIT_TRAP_BASE + bst_trap_kind (11..23, listed in
 * `bastion --help`). */
#define CLI_EXIT_USAGE 64
#define CLI_EXIT_TRAP_BASE 10

/* --help or -h. */
bool cli_is_help(const char *arg);
/* Whether b[0..n) is WebAssembly text rather than a binary module: after an optional UTF-8
 * byte order mark, white space and ;; / (; ;) comments, it starts with '('. */
bool cli_is_wat(const uint8_t *b, size_t n);
/* Writes into buf the error for a text module read from path ("-": standard input): that only
 * binary modules are accepted, and the wat2wasm command that converts it. */
void cli_wat_error(char *buf, size_t len, const char *path);
/* cli_read_file for a binary module: WebAssembly text is refused too, with cli_wat_error's
 * reason for `shown` (the name the user gave, "-" for standard input). */
bool cli_read_module(const char *path, const char *shown, size_t max, uint8_t **data, size_t *len,
                     char *errbuf, size_t errlen);

#endif /* BASTION_CLI_UTIL_H */
