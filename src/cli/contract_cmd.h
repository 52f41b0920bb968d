/*
 * contract_cmd.h — the `bastion contract` subcommand, see contract_cmd.c.
 */
#ifndef BASTION_CLI_CONTRACT_CMD_H
#define BASTION_CLI_CONTRACT_CMD_H

/* argv[0] is the first argument after "contract".  Returns the process exit status. */
int contract_main(int argc, char **argv);

#endif
