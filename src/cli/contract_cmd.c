/*
 * contract_cmd.c — the `bastion contract` subcommand (being written; this placeholder only refuses).
 */
#include "contract_cmd.h"

#include <stdio.h>

int contract_main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("bastion contract: not available in this build yet\n", stderr);
    return 1;
}
