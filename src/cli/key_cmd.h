/*
 * key_cmd.h — the `bastion key` subcommand, see key_cmd.c.
 */
#ifndef BASTION_CLI_KEY_CMD_H
#define BASTION_CLI_KEY_CMD_H

/* argv[0] is the first argument after "key".  Returns the process exit status. */
int key_main(int argc, char **argv);

#endif /* BASTION_CLI_KEY_CMD_H */
