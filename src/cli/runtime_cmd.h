/*
 * runtime_cmd.h — the `bastion runtime` subcommand (Substrate runtimes), see runtime_cmd.c.
 */
#ifndef BASTION_CLI_RUNTIME_CMD_H
#define BASTION_CLI_RUNTIME_CMD_H

/* `bastion runtime version FILE`; argv[0] is the first argument after "runtime".  Returns the
 * process exit status: 0 success, 1 error, 10 + trap kind on a trap, 64 on misuse. */
int runtime_main(int argc, char **argv);

#include "bastion_state.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The runtime code (plain wasm, decompressed when the blob is zstd-compressed) of FILE: a
 * runtime blob or a raw chain spec whose genesis.raw.top holds it under :code.  When FILE is a
 * chain spec and genesis is not NULL, *genesis receives its genesis storage (free it with
 * bst_state_mem_free; NULL for a plain runtime).  Prints an error to stderr and returns false on
 * failure; on success *code is freed with free(). */
bool runtime_code_from_file(const char *path, uint8_t **code, size_t *code_len,
                            bst_state_mem **genesis);
/* The :code blob (hex-decoded, maybe still compressed) of a parsed raw chain spec; prints an
 * error naming path and returns false when there is none. */
bool runtime_code_from_chain_spec(const char *path, const json_value *root, uint8_t **blob,
                                  size_t *blob_len);
/* The state version the runtime in blob declares in its RuntimeVersion (0 when it has none);
 * prints an error naming path and returns false when it cannot be found. */
bool runtime_state_version(const char *path, const uint8_t *blob, size_t blob_len,
                           unsigned *version);

#endif /* BASTION_CLI_RUNTIME_CMD_H */
