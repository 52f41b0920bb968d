/*
 * contract_accounts.h — accounts and balances for `bastion contract`: how an account is named
 * on the command line (a dev name, a secret URI, SS58 or hex), balances as decimal text, and
 * the state options of the balance model (--balance-width, --existential-deposit,
 * --deposit-per-byte, --deposit-per-item, --endow) turned into the contracts configuration.
 * See contract_accounts.c.
 */
#ifndef BASTION_CLI_CONTRACT_ACCOUNTS_H
#define BASTION_CLI_CONTRACT_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bastion_contracts.h"

#define CONTRACT_MAX_ENDOW 64

/* An account: alice ... ferdie, a secret URI (//Alice, a phrase with a derivation path; its
 * sr25519 key), an SS58 address or 0x + 64 hex digits.  *is_dev tells a development account
 * (a name, or //Name), which the CLI endows when it has nothing. */
bool contract_parse_account(const char *s, uint8_t out[32], bool *is_dev);

/* The state options of the balance model, as given (NULL: absent). */
typedef struct contract_state_opts {
    const char *balance_width; /* 64 or 128 */
    const char *existential_deposit, *deposit_per_byte, *deposit_per_item;
    const char *endow[CONTRACT_MAX_ENDOW]; /* ACCOUNT=AMOUNT */
    size_t nendow;
} contract_state_opts;

/* Applies o to cfg; the endowments go to out (CONTRACT_MAX_ENDOW entries).  False after
 * printing why to standard error (a usage error). */
bool contract_state_config(const char *cmd, const contract_state_opts *o, bst_contracts_config *cfg,
                           bst_contracts_endowment *out);

#endif /* BASTION_CLI_CONTRACT_ACCOUNTS_H */
