/*
 * chain_cmd.h — the `bastion chain` subcommand, see chain_cmd.c.
 */
#ifndef BASTION_CLI_CHAIN_CMD_H
#define BASTION_CLI_CHAIN_CMD_H

/* argv[0] is the first argument after "chain".  Returns the process exit status. */
int chain_main(int argc, char **argv);

#endif /* BASTION_CLI_CHAIN_CMD_H */
