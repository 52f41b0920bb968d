/*
 * inspect_cmd.h — the `bastion inspect` subcommand, see inspect_cmd.c.
 */
#ifndef BASTION_CLI_INSPECT_CMD_H
#define BASTION_CLI_INSPECT_CMD_H

/* What `inspect` does, as `bastion --help` and `bastion inspect --help` both describe it. */
#define CLI_INSPECT_HELP                                                                           \
    "        Print the module's sections, whether it carries debug information (a\n"               \
    "        name section, DWARF sections, a .debug_line table that decodes), its\n"               \
    "        imports and its exports with their types (FILE - reads standard input).\n"

/* `bastion inspect FILE.wasm`; argv[0] is the first argument after "inspect".  Returns the
 * process exit status: 0 success, 1 error, 64 misuse. */
int inspect_main(int argc, char **argv);

#endif /* BASTION_CLI_INSPECT_CMD_H */
