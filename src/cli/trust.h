/*
 * trust.h — the trust policy options that `bastion run`, `contract upload|instantiate`,
 * `runtime` and `verify` share: --trusted-key FILE (repeatable; a minisign .pub file, or the
 * key's base64 line itself) and --signatures-required K, loaded into a bastion_sign.h trust set,
 * and the check of a module against it before anything decodes the module.  See trust.c.
 */
#ifndef BASTION_CLI_TRUST_H
#define BASTION_CLI_TRUST_H

#include "bastion_sign.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The --help lines of the two options, each line starting with IND (a string literal), for the
 * commands that take them. */
#define CLI_TRUST_HELP(IND)                                                                        \
    IND "--trusted-key FILE    load the module only when this minisign public key "                \
        "(FILE.pub,\n" IND                                                                         \
        "                      or its base64 line) signed it (`bastion sign`); repeat the\n" IND   \
        "                      option for several keys.  Checked before the module is\n" IND       \
        "                      decoded: a refusal says why and exits 1, nothing is run or\n" IND   \
        "                      stored.  Custom sections appended after the signed part are\n" IND  \
        "                      left out\n" IND                                                     \
        "--signatures-required K  at least K distinct trusted keys must have signed\n" IND         \
        "                      (1..64, default 1)\n"

typedef struct cli_trust {
    const char *paths[BST_SIGN_MAX_KEYS];
    bst_sign_pubkey keys[BST_SIGN_MAX_KEYS];
    size_t nkeys;
    uint64_t required; /* 0: not given */
} cli_trust;

/* Whether a policy was asked for (at least one --trusted-key). */
bool cli_trust_active(const cli_trust *t);
/* Adds a --trusted-key value, sets --signatures-required's: false after printing misuse. */
bool cli_trust_add(cli_trust *t, const char *cmd, const char *path);
bool cli_trust_set_required(cli_trust *t, const char *cmd, const char *value);
/* Parses the option at argv[*i] when it is one of the two: 1 consumed (with its value), 0 not
 * one of them, -1 misuse (printed). */
int cli_trust_option(cli_trust *t, const char *cmd, int argc, char **argv, int *i);
/* Reads the keys once the options are parsed: 0, or the exit status after printing why (1 an
 * unreadable or invalid key, 64 --signatures-required without keys or beyond their number). */
int cli_trust_load(cli_trust *t, const char *cmd);
/* Checks bytes[0..*len) against a loaded policy: true and *len cut to the signed part (what
 * follows it is unsigned custom sections), or false after printing why (the caller exits 1).
 * Without a policy it accepts everything as it is. */
bool cli_trust_check(const cli_trust *t, const char *cmd, const char *path, const uint8_t *bytes,
                     size_t *len);
/* Prints "signed by key ID (NAME)" for each signer of a result. */
void cli_trust_print_signers(const cli_trust *t, const bst_sign_result *res);

#endif /* BASTION_CLI_TRUST_H */
