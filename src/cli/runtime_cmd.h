/*
 * runtime_cmd.h — the `bastion runtime` subcommand (Substrate runtimes), see runtime_cmd.c.
 */
#ifndef BASTION_CLI_RUNTIME_CMD_H
#define BASTION_CLI_RUNTIME_CMD_H

/* `bastion runtime version FILE`; argv[0] is the first argument after "runtime".  Returns the
 * process exit status: 0 success, 1 error, 10 + trap kind on a trap, 64 on misuse. */
int runtime_main(int argc, char **argv);

#endif /* BASTION_CLI_RUNTIME_CMD_H */
