/*
 * flamegraph.h — a self-contained interactive flame graph in SVG, see flamegraph.c.
 */
#ifndef BASTION_CLI_FLAMEGRAPH_H
#define BASTION_CLI_FLAMEGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One folded stack: frame names root first, joined by ';' (names contain no ';'). */
typedef struct cli_folded {
    const char *stack;
    uint64_t count;
} cli_folded;

/* Writes the flame graph of stacks[0..n) to out; `title` heads it (any text: it is escaped).
 * False when out of memory or writing failed. */
bool cli_flamegraph_write(FILE *out, const cli_folded *stacks, size_t n, const char *title);

#endif /* BASTION_CLI_FLAMEGRAPH_H */
