/*
 * contracts_test_util.h — the setup the C drivers of the contract host share (test_contracts,
 * test_balances, test_pallet_fixtures): a temporary state directory removed at exit, opening a
 * state with the default configuration, reading a wasm file, u128 balances from and to u64, and
 * the fields every exec request sets.  Failures here are a broken test setup: they print why
 * and exit, so they never count as (or hide) a checked expectation.
 */
#ifndef BST_TEST_CONTRACTS_UTIL_H
#define BST_TEST_CONTRACTS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bastion_contracts.h"

/* Creates a fresh directory /tmp/PREFIX-XXXXXX, removed with its contents when the test exits;
 * its path (valid until exit).  One per test process. */
const char *ctu_fresh_state_dir(const char *prefix);

/* Opens the state in dir with the default configuration. */
bst_contracts *ctu_open(const char *dir);

/* The bytes of a file (malloc'd, len bytes). */
uint8_t *ctu_read_file(const char *path, size_t *len);

/* The bytes of DIR/NAME.wasm (malloc'd, len bytes). */
uint8_t *ctu_read_wasm(const char *dir, const char *name, size_t *len);

/* v as a u128 balance (16 bytes little-endian). */
void u128(uint8_t out[16], uint64_t v);

/* The low 64 bits of a u128 balance. */
uint64_t lo64(const uint8_t b[16]);

/* Zeroes *e and sets what every exec sets: the kind, the origin, the target (the contract of a
 * call, the code hash of an instantiate; NULL for an instantiate that brings its code), the
 * input and whether it is a dry run. */
void ctu_exec_init(bst_contract_exec *e, bst_contract_exec_kind kind, const uint8_t origin[32],
                   const uint8_t *target, const uint8_t *input, size_t len, bool dry);

#endif
