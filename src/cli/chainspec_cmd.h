/*
 * chainspec_cmd.h — the `bastion chainspec` subcommand, see chainspec_cmd.c.
 */
#ifndef BASTION_CLI_CHAINSPEC_CMD_H
#define BASTION_CLI_CHAINSPEC_CMD_H

/* argv[0] is the first argument after "chainspec".  Returns the process exit status. */
int chainspec_main(int argc, char **argv);

#include "bastion_state.h"
#include "json.h"

#include <stdbool.h>

/* Puts a parsed raw chain spec's genesis storage (genesis.raw.top and
 * genesis.raw.childrenDefault, hex keys and values) into m.  Prints an error naming path and
 * returns false on failure. */
bool chainspec_genesis_storage(const char *path, const json_value *root, bst_state_mem *m);

#endif
