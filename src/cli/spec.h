/*
 * spec.h — the `bastion spec` subcommand: runs WebAssembly spec tests converted by wast2json,
 * plus small helpers the other CLI subcommands share.
 */
#ifndef BASTION_CLI_SPEC_H
#define BASTION_CLI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* `bastion spec [-v] FILE.json...`; argv[0] is the first argument after "spec".
 * Returns the process exit status: 0 if every assertion passed, 1 otherwise, 64 on misuse. */
int spec_main(int argc, char **argv);

/* Reads a whole file into a malloc'd buffer (NUL-terminated for convenience, the terminator is
 * not counted in *len).  On failure returns false and writes a reason into errbuf. */
bool cli_read_file(const char *path, uint8_t **data, size_t *len, char *errbuf,
                   size_t errlen);

#endif /* BASTION_CLI_SPEC_H */
