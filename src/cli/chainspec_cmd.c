/*
 * chainspec_cmd.c — the `bastion chainspec` subcommand (being written; this placeholder only refuses).
 */
#include "chainspec_cmd.h"

#include <stdio.h>

int chainspec_main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("bastion chainspec: not available in this build yet\n", stderr);
    return 1;
}
