/*
 * account.h — what commands that sign or address accounts share (account.c): a key scheme by
 * name, an account given as a secret URI, an SS58 address or hex, and balances as decimal u128.
 */
#ifndef BASTION_CLI_ACCOUNT_H
#define BASTION_CLI_ACCOUNT_H

#include "bastion_crypto.h"

#include <stdbool.h>
#include <stdint.h>

/* "sr25519", "ed25519" or "ecdsa"; false for anything else. */
bool cli_parse_scheme(const char *s, bst_key_scheme *scheme);
/* A 32-byte account id from 0x + 64 hex digits, an SS58 address (any network prefix), or a
 * secret URI (//Bob, a mnemonic, ...) taken as an sr25519 key.  False when it is none of them. */
bool cli_parse_account(const char *s, uint8_t id[32]);
/* A u128, decimal ('_' may separate digit groups) or 0x hex, into 16 little-endian bytes; false
 * on junk or overflow. */
bool cli_parse_u128(const char *s, uint8_t le[16]);
#endif /* BASTION_CLI_ACCOUNT_H */
