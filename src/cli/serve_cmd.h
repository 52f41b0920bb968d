/*
 * serve_cmd.h — the `bastion serve` command, see serve_cmd.c.
 */
#ifndef BASTION_CLI_SERVE_CMD_H
#define BASTION_CLI_SERVE_CMD_H

#define CLI_SERVE_HELP                                                                             \
    "  serve --listen HOST:PORT --config TENANTS.json --state DIR [--threads N]\n"                 \
    "        The multi-tenant HTTP service: contracts and plain modules per tenant,\n"             \
    "        with instance pools and quotas (docs/service.md).  `bastion serve --help`.\n"

/* argv[0] is the first argument after "serve".  Returns the process exit status. */
int serve_main(int argc, char **argv);

#endif
