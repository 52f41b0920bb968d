/*
 * contract_json.h — `bastion contract instantiate|call|query --json`: the outcome of one exec
 * as a single JSON object instead of labelled lines.  See contract_json.c; the shape is
 * documented in docs/contracts.md and `bastion contract --help`.
 */
#ifndef BASTION_CLI_CONTRACT_JSON_H
#define BASTION_CLI_CONTRACT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bastion_contracts.h"
#include "ink_metadata.h"

/* Prints r (with the input that was sent) as one JSON object on one line of standard output;
 * with md, the return value (fn) and the events are decoded too.  False if it could not be
 * built (out of memory), after printing nothing. */
bool contract_print_json(const bst_contract_result *r, bool instantiate, const uint8_t *input,
                         size_t input_len, const ink_metadata *md, const ink_fn *fn);

#endif /* BASTION_CLI_CONTRACT_JSON_H */
