/*
 * spec_cmd.h — the `bastion spec` subcommand: runs WebAssembly spec tests converted by wast2json.
 */
#ifndef BASTION_CLI_SPEC_CMD_H
#define BASTION_CLI_SPEC_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* `bastion spec [-v] FILE.json...`; argv[0] is the first argument after "spec".
 * Returns the process exit status: 0 if every assertion passed, 1 otherwise, 64 on misuse. */
int spec_main(int argc, char **argv);

#endif /* BASTION_CLI_SPEC_CMD_H */
