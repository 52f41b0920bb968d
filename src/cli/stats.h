/*
 * stats.h — `--stats[=FILE]` of `run`, `contract instantiate/call/query` and `runtime
 * version/metadata/call`: the statistics of the call the command made (bst_call_stats) as one
 * JSON object, on standard error or into FILE.  The schema is in docs/observability.md.
 */
#ifndef BASTION_CLI_STATS_H
#define BASTION_CLI_STATS_H

#include "bastion.h"

#include <stdbool.h>

/* The option's text for the commands' --help. */
#define CLI_STATS_HELP                                                                             \
    "  --stats[=FILE]    after the call, print its statistics as JSON to standard error\n"         \
    "                    (or write them to FILE): fuel, wall and CPU time, memory peak, host\n"    \
    "                    calls by import, instructions by function (docs/observability.md)\n"

typedef struct cli_stats_opt {
    bool on;
    const char *file; /* NULL: standard error */
} cli_stats_opt;

/* Whether arg is --stats or --stats=FILE (then recorded in *o); an empty FILE is a usage error,
 * printed for command cmd: returns 1 consumed, 0 not this option, -1 misuse. */
int cli_stats_option(const char *cmd, const char *arg, cli_stats_opt *o);

/* Writes the statistics of the call of `call` (st NULL: the function was never called, e.g. an
 * unknown export) when o->on.  Returns false after printing why when FILE cannot be written. */
bool cli_stats_write(const cli_stats_opt *o, const char *call, const bst_call_stats *st);

#endif /* BASTION_CLI_STATS_H */
