/*
 * transfer_tx.h — `bastion runtime transfer-tx` (transfer_tx.c): a signed Balances transfer
 * built from a runtime's metadata (bastion_extrinsic.h), printed as hex.  runtime_cmd.c loads
 * the runtime and hands it over.
 */
#ifndef BASTION_CLI_TRANSFER_TX_H
#define BASTION_CLI_TRANSFER_TX_H

#include "bastion_crypto.h"
#include "bastion_state.h"
#include "bastion_substrate.h"

#include <stdbool.h>
#include <stdint.h>

/* The options of transfer-tx (the runtime options are runtime_cmd.c's). */
typedef struct cli_tx_opts {
    const char *from, *to, *amount; /* --from SURI, --to ACCOUNT, --amount N */
    bst_key_scheme scheme;          /* --scheme (the signer's), default sr25519 */
    bool has_nonce;                 /* --nonce N */
    uint64_t nonce;
    bool has_genesis; /* --genesis-hash 0x.. */
    uint8_t genesis_hash[32];
    bool validate; /* --validate */
} cli_tx_opts;

#define CLI_TX_HELP                                                                                \
    "transfer-tx options:\n"                                                                       \
    "  --from SURI       the signer: a secret URI (//Alice, a mnemonic[//path], 0xSEED)\n"         \
    "  --to ACCOUNT      the destination: a secret URI (its sr25519 account), an SS58\n"           \
    "                    address or 0x + 32 bytes of hex\n"                                        \
    "  --amount N        the balance to transfer, a decimal u128\n"                                \
    "  --scheme sr25519|ed25519|ecdsa  the signer's scheme (default sr25519)\n"                    \
    "  --nonce N         the signer's nonce (default: AccountNonceApi_account_nonce on\n"          \
    "                    FILE's genesis state)\n"                                                  \
    "  --genesis-hash 0x..  (default: computed from the chain spec's genesis storage;\n"           \
    "                    required when FILE is a runtime rather than a chain spec)\n"              \
    "  --validate        also run TaggedTransactionQueue_validate_transaction (External,\n"        \
    "                    at the chain spec's genesis hash) and fail with the runtime's\n"          \
    "                    reason when it is invalid\n"

/* One transfer-tx option at argv[*i] (advancing *i past its value): 1 when consumed, 0 when it
 * is not one, -1 after printing misuse. */
int cli_tx_option(int argc, char **argv, int *i, cli_tx_opts *o);

/* How transfer-tx calls the runtime: runtime_cmd.c's call (prints errors, sets *rc). */
typedef bool (*cli_tx_call_fn)(bst_substrate_runtime *rt, const char *path, const char *method,
                               const uint8_t *in, size_t in_len, bool dry_run, uint8_t **out,
                               size_t *out_len, int *rc);

/* Builds (and with --validate validates) the transfer on the runtime of FILE path, whose
 * genesis storage is genesis (NULL for a plain runtime), and prints its hex.  Returns the exit
 * status (64 when a required option is missing). */
int cli_transfer_tx(const char *path, bst_substrate_runtime *rt, bst_state_mem *genesis,
                    const cli_tx_opts *o, cli_tx_call_fn call);

#endif /* BASTION_CLI_TRANSFER_TX_H */
