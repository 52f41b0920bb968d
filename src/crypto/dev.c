/*
 * dev.c — Substrate's development accounts (//Alice, //Bob, ...): the secret URI "//Name" over
 * the well-known dev phrase "bottom drive obey lake curtain smoke basket hold race lonely fit
 * walk", as sr25519 keys (suri.c does the mnemonic and the derivation).
 */
#include <stdio.h>
#include <string.h>

#include "bastion_crypto.h"

/* The canonical junction name of a dev account (as written in "//Alice"), NULL if unknown.
 * An if-chain instead of a table of string pointers: such a table would be relocated data. */
static bool ascii_ieq(const char *a, const char *b) {
    for (;; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
        if (x == '\0') {
            return true;
        }
    }
}

static const char *dev_junction(const char *name) {
    if (ascii_ieq(name, "alice")) return "Alice";
    if (ascii_ieq(name, "bob")) return "Bob";
    if (ascii_ieq(name, "charlie")) return "Charlie";
    if (ascii_ieq(name, "dave")) return "Dave";
    if (ascii_ieq(name, "eve")) return "Eve";
    if (ascii_ieq(name, "ferdie")) return "Ferdie";
    return NULL;
}

bool bst_dev_account(const char *name, uint8_t pub[32], uint8_t secret[64]) {
    const char *junction = name != NULL ? dev_junction(name) : NULL;
    if (junction == NULL) {
        return false;
    }
    char uri[16];
    bst_key_pair k;
    (void)snprintf(uri, sizeof uri, "//%s", junction);
    if (bst_key_from_suri(BST_KEY_SR25519, uri, NULL, &k) != BST_SURI_OK) {
        return false; /* cannot happen: the URI and the phrase are fixed */
    }
    memcpy(pub, k.pub, 32);
    memcpy(secret, k.secret, 64);
    bst_secure_wipe(&k, sizeof k);
    return true;
}
