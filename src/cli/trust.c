/*
 * trust.c — the trust policy options of the `bastion` commands (see trust.h): key files read
 * through the bounded file reader, parsed by bastion_sign.h, and the module checked with
 * bst_sign_verify_module before the caller hands it to anything that decodes it.
 */
#include "trust.h"
#include "bastion_crypto.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A public key file is two short lines; anything much larger is not one. */
#define KEY_FILE_MAX 4096

bool cli_trust_active(const cli_trust *t) { return t->nkeys > 0; }

bool cli_trust_add(cli_trust *t, const char *cmd, const char *path) {
    if (t->nkeys == BST_SIGN_MAX_KEYS) {
        fprintf(stderr, "bastion %s: more than %d trusted keys\n", cmd, BST_SIGN_MAX_KEYS);
        return false;
    }
    t->paths[t->nkeys++] = path;
    return true;
}

bool cli_trust_set_required(cli_trust *t, const char *cmd, const char *value) {
    uint64_t k;
    if (!cli_parse_u64(value, &k) || k < 1 || k > BST_SIGN_MAX_KEYS) {
        fprintf(stderr, "bastion %s: --signatures-required needs a number from 1 to %d, got %s\n",
                cmd, BST_SIGN_MAX_KEYS, value);
        return false;
    }
    t->required = k;
    return true;
}

int cli_trust_option(cli_trust *t, const char *cmd, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    bool key = strcmp(a, "--trusted-key") == 0, req = strcmp(a, "--signatures-required") == 0;
    if (!key && !req) return 0;
    if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
        fprintf(stderr, "bastion %s: %s needs a value\n", cmd, a);
        return -1;
    }
    const char *v = argv[++*i];
    return (key ? cli_trust_add(t, cmd, v) : cli_trust_set_required(t, cmd, v)) ? 1 : -1;
}

/* One key: the file's text, or the argument itself when no such file exists and it parses as a
 * key (minisign -P's form). */
static bool load_key(const char *cmd, const char *path, bst_sign_pubkey *out) {
    char why[256], err[512];
    uint8_t *text;
    size_t len;
    if (!cli_read_file(path, KEY_FILE_MAX, &text, &len, err, sizeof err)) {
        if (errno == ENOENT &&
            bst_sign_pubkey_parse(path, strlen(path), out, why, sizeof why) == BST_SIGN_OK)
            return true;
        fprintf(stderr, "bastion %s: trusted key: %s\n", cmd, err);
        return false;
    }
    bst_sign_status st = bst_sign_pubkey_parse((const char *)text, len, out, why, sizeof why);
    free(text);
    if (st != BST_SIGN_OK) fprintf(stderr, "bastion %s: %s: %s\n", cmd, path, why);
    return st == BST_SIGN_OK;
}

int cli_trust_load(cli_trust *t, const char *cmd) {
    if (!t->nkeys) {
        if (!t->required) return 0;
        fprintf(stderr, "bastion %s: --signatures-required needs --trusted-key\n", cmd);
        return CLI_EXIT_USAGE;
    }
    if (!bst_crypto_init()) {
        fprintf(stderr, "bastion %s: cannot initialise the cryptography library\n", cmd);
        return 1;
    }
    size_t distinct = 0;
    for (size_t i = 0; i < t->nkeys; i++) {
        if (!load_key(cmd, t->paths[i], &t->keys[i])) return 1;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = memcmp(t->keys[j].key, t->keys[i].key, 32) == 0;
        distinct += !seen;
    }
    if (t->required > distinct) {
        fprintf(stderr,
                "bastion %s: --signatures-required %" PRIu64 " but only %zu distinct trusted "
                "key%s given\n",
                cmd, t->required, distinct, distinct == 1 ? "" : "s");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

bool cli_trust_check(const cli_trust *t, const char *cmd, const char *path, const uint8_t *bytes,
                     size_t *len) {
    if (!cli_trust_active(t)) return true;
    bst_sign_trust trust = {t->keys, t->nkeys, t->required ? (size_t)t->required : 1};
    bst_sign_result res;
    if (bst_sign_verify_module(&trust, bytes, *len, NULL, 0, &res) != BST_SIGN_OK) {
        fprintf(stderr, "bastion %s: %s refused by the trust policy: %s: %s\n", cmd, path,
                bst_sign_status_name(res.status), res.message);
        return false;
    }
    *len = res.signed_len;
    return true;
}

void cli_trust_print_signers(const cli_trust *t, const bst_sign_result *res) {
    for (size_t i = 0; i < t->nkeys; i++) {
        if (!(res->signers >> i & 1)) continue;
        char id[17];
        bst_sign_key_id_text(t->keys[i].id, id);
        printf("signed by key %s (%s)\n", id, t->paths[i]);
    }
}
