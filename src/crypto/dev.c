/*
 * dev.c — Substrate's development accounts (//Alice, //Bob, ...): the secret URI "//Name" over
 * the well-known dev phrase "bottom drive obey lake curtain smoke basket hold race lonely fit
 * walk", as sr25519 keys (suri.c does the mnemonic and the derivation).
 */
#include <stdio.h>
#include <string.h>

#include "bastion_crypto.h"

/* The dev accounts in Substrate's order, as names are given to bst_dev_account.  Arrays of
 * chars rather than string pointers: read-only data, no relocations. */
static const char dev_names[BST_DEV_ACCOUNT_COUNT][8] = {"alice", "bob", "charlie",
                                                         "dave",  "eve", "ferdie"};

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

const char *bst_dev_account_name(size_t i) {
    return i < BST_DEV_ACCOUNT_COUNT ? dev_names[i] : NULL;
}

/* The junction of a dev account as written in "//Alice" (capitalised) into out; false if the
 * name is unknown. */
static bool dev_junction(const char *name, char out[8]) {
    for (size_t i = 0; i < BST_DEV_ACCOUNT_COUNT; i++) {
        if (ascii_ieq(name, dev_names[i])) {
            memcpy(out, dev_names[i], 8);
            out[0] = (char)(out[0] - 'a' + 'A');
            return true;
        }
    }
    return false;
}

bool bst_dev_account(const char *name, uint8_t pub[32], uint8_t secret[64]) {
    char junction[8];
    if (name == NULL || !dev_junction(name, junction)) {
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
