/*
 * runtime_cmd.h — the `bastion runtime` subcommand (Substrate runtimes), see runtime_cmd.c.
 */
#ifndef BASTION_CLI_RUNTIME_CMD_H
#define BASTION_CLI_RUNTIME_CMD_H

/* `bastion runtime version FILE`; argv[0] is the first argument after "runtime".  Returns the
 * process exit status: 0 success, 1 error, 10 + trap kind on a trap, 64 on misuse. */
int runtime_main(int argc, char **argv);

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The runtime code (plain wasm, decompressed when the blob is zstd-compressed) of FILE: a
 * runtime blob or a raw chain spec whose genesis.raw.top holds it under :code.  Prints an error
 * to stderr and returns false on failure; on success *code is freed with free(). */
bool runtime_code_from_file(const char *path, uint8_t **code, size_t *code_len);

#endif /* BASTION_CLI_RUNTIME_CMD_H */
