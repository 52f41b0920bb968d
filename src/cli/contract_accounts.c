/*
 * contract_accounts.c — accounts and balances for `bastion contract` (contract_accounts.h):
 * account names (dev names, secret URIs through bst_key_from_suri, SS58 through
 * bst_ss58_decode, hex), u128 balances as decimal text, and the balance-model options that
 * become bst_contracts_config fields.
 */
#include "contract_accounts.h"
#include "account.h"

#include <stdio.h>
#include <string.h>

#include "bastion_crypto.h"
#include "ink_metadata.h"
#include "util.h"

/* A Substrate dev account (alice ... ferdie, any case) by name: its sr25519 public key. */
static bool dev_account(const char *name, uint8_t out[32]) {
    uint8_t secret[64];
    if (!bst_crypto_init() || !bst_dev_account(name, out, secret)) return false;
    bst_secure_wipe(secret, sizeof secret);
    return true;
}

bool contract_parse_account(const char *s, uint8_t out[32], bool *is_dev) {
    *is_dev = false;
    if (dev_account(s, out)) {
        *is_dev = true;
        return true;
    }
    if (!bst_crypto_init() || !cli_parse_account(s, out)) return false;
    /* //Alice is the dev account alice too (auto-endowed like it) */
    uint8_t dev[32];
    *is_dev = s[0] == '/' && s[1] == '/' && dev_account(s + 2, dev) && !memcmp(dev, out, 32);
    return true;
}

/* A u128 option value into cfg bytes; false after printing why. */
static bool amount(const char *cmd, const char *opt, const char *s, uint8_t out[16]) {
    if (ink_parse_u128_le(s, strlen(s), out)) return true;
    fprintf(stderr, "bastion contract %s: bad %s '%s' (a u128, decimal or 0x hex)\n", cmd, opt, s);
    return false;
}

bool contract_state_config(const char *cmd, const contract_state_opts *o, bst_contracts_config *cfg,
                           bst_contracts_endowment *out) {
    if (o->balance_width) {
        if (!strcmp(o->balance_width, "64"))
            cfg->balance_bytes = 8;
        else if (!strcmp(o->balance_width, "128"))
            cfg->balance_bytes = 16;
        else {
            fprintf(stderr, "bastion contract %s: bad --balance-width '%s' (64 or 128)\n", cmd,
                    o->balance_width);
            return false;
        }
    }
    if ((o->existential_deposit &&
         !amount(cmd, "--existential-deposit", o->existential_deposit, cfg->existential_deposit)) ||
        (o->deposit_per_byte &&
         !amount(cmd, "--deposit-per-byte", o->deposit_per_byte, cfg->deposit_per_byte)) ||
        (o->deposit_per_item &&
         !amount(cmd, "--deposit-per-item", o->deposit_per_item, cfg->deposit_per_item)))
        return false;
    for (size_t i = 0; i < o->nendow; i++) {
        const char *eq = strrchr(o->endow[i], '=');
        char who[256];
        bool dev;
        size_t n = eq ? (size_t)(eq - o->endow[i]) : 0;
        if (!eq || n == 0 || n >= sizeof who) {
            fprintf(stderr, "bastion contract %s: bad --endow '%s' (ACCOUNT=AMOUNT)\n", cmd,
                    o->endow[i]);
            return false;
        }
        memcpy(who, o->endow[i], n);
        who[n] = 0;
        if (!contract_parse_account(who, out[i].account, &dev)) {
            fprintf(stderr,
                    "bastion contract %s: bad account '%s' in --endow (alice ... ferdie, "
                    "//URI, SS58 or 0x + 64 hex digits)\n",
                    cmd, who);
            return false;
        }
        if (!amount(cmd, "--endow amount", eq + 1, out[i].amount)) return false;
    }
    cfg->endowments = o->nendow ? out : NULL;
    cfg->nendowments = o->nendow;
    return true;
}
