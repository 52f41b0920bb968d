/*
 * account.c — accounts, key schemes and balances on the command line (account.h), for
 * `key inspect` and `runtime transfer-tx`.
 */
#include "account.h"
#include "ink_metadata.h"
#include "util.h"

#include <string.h>

bool cli_parse_scheme(const char *s, bst_key_scheme *scheme) {
    static const struct {
        const char *name;
        bst_key_scheme scheme;
    } schemes[] = {
        {"sr25519", BST_KEY_SR25519}, {"ed25519", BST_KEY_ED25519}, {"ecdsa", BST_KEY_ECDSA}};
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        if (strcmp(s, schemes[i].name) == 0) {
            *scheme = schemes[i].scheme;
            return true;
        }
    }
    return false;
}

bool cli_parse_account(const char *s, uint8_t id[32]) {
    uint16_t prefix;
    if (strncmp(s, "0x", 2) == 0) return cli_hex_exact(s, strlen(s), id, 32);
    if (bst_ss58_decode(s, id, 32, &prefix)) return true;
    bst_key_pair k;
    if (bst_key_from_suri(BST_KEY_SR25519, s, NULL, &k) != BST_SURI_OK) return false;
    bst_key_account_id(&k, id);
    bst_secure_wipe(&k, sizeof k);
    return true;
}

bool cli_parse_u128(const char *s, uint8_t le[16]) {
    return ink_parse_u128_le(s, strlen(s), le); /* one u128 reader for the whole CLI */
}
