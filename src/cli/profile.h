/*
 * profile.h — the guest profiler of `bastion run/contract/runtime --profile FILE`, see
 * profile.c.
 */
#ifndef BASTION_CLI_PROFILE_H
#define BASTION_CLI_PROFILE_H

#include "bastion.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The default --profile-interval: fuel between two samples. */
#define CLI_PROFILE_INTERVAL UINT64_C(10000)

/* The help lines of the two options, for every command that takes them. */
#define CLI_PROFILE_HELP                                                                           \
    "          --profile FILE        sample the wasm call stack every N units of fuel and\n"       \
    "                                write FILE.folded (folded stacks) and FILE.svg (an\n"         \
    "                                interactive flame graph); deterministic: the same\n"          \
    "                                run gives the same profile (docs/observability.md)\n"         \
    "          --profile-interval N  fuel between samples (1..2^63-1, default 10000)\n"

/* What the options asked for: file is NULL when not profiling. */
typedef struct cli_profile_opts {
    const char *file;
    uint64_t interval;
} cli_profile_opts;

/* Parses the value of --profile-interval into *out; false after a usage message. */
bool cli_profile_interval(const char *cmd, const char *v, uint64_t *out);

/* Parses --profile FILE or --profile-interval N at argv[*i] (cmd names the command in errors).
 * Returns 1 when consumed (*i then at its value), 0 when argv[*i] is neither, -1 after a usage
 * message. */
int cli_profile_option(const char *cmd, int argc, char **argv, int *i, cli_profile_opts *o);

/* The samples of a profiled run. */
typedef struct cli_profile cli_profile;

/* NULL (after an error message) when out of memory. */
cli_profile *cli_profile_new(uint64_t interval);
void cli_profile_free(cli_profile *p);
/* The sampler that records into p, for bst_store_set_sampler or a host's options. */
bst_sampler cli_profile_sampler(cli_profile *p);
/* Writes BASE.folded and BASE.svg (title: what ran).  False after an error message. */
bool cli_profile_write(const cli_profile *p, const char *base, const char *title);

#endif /* BASTION_CLI_PROFILE_H */
