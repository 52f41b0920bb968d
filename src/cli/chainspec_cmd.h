/*
 * chainspec_cmd.h — the `bastion chainspec` subcommand, see chainspec_cmd.c.
 */
#ifndef BASTION_CLI_CHAINSPEC_CMD_H
#define BASTION_CLI_CHAINSPEC_CMD_H

/* argv[0] is the first argument after "chainspec".  Returns the process exit status. */
int chainspec_main(int argc, char **argv);

#endif /* BASTION_CLI_CHAINSPEC_CMD_H */
