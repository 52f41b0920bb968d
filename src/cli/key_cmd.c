/*
 * key_cmd.c — `bastion key inspect [--scheme S] [--network N] [--password P] URI`: the key pair
 * of a secret URI (mnemonic, 0x seed or the dev phrase, with //hard and /soft junctions and
 * ///password; bastion_crypto.h does the work) printed the way `subkey inspect` prints it, so
 * the two can be compared line for line.
 */
#include "key_cmd.h"
#include "account.h"
#include "bastion_crypto.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char KEY_USAGE[] =
    "usage: bastion key inspect [--scheme sr25519|ed25519|ecdsa] [--network NAME|N]\n"
    "                           [--password PASSWORD] URI\n"
    "  Print the key pair of a secret URI as `subkey inspect` does: secret phrase or\n"
    "  URI, network, secret seed (n/a after an sr25519 soft junction), public key,\n"
    "  account id (BLAKE2b-256 of the public key for ecdsa) and both SS58 forms.\n"
    "  URI is PHRASE[/soft|//hard]...[///password]: PHRASE a BIP39 English mnemonic,\n"
    "  a 32-byte seed 0x..., or empty for the development phrase (so //Alice is the\n"
    "  dev account Alice).  ed25519 and ecdsa take hard junctions only.\n"
    "  --scheme S        the signature scheme (default sr25519)\n"
    "  --network N       the SS58 prefix: a number 0..16383 or polkadot (0),\n"
    "                    kusama (2), substrate (42, the default); also --ss58-prefix\n"
    "  --password P      salt the mnemonic with P (overrides a ///password in URI)\n"
    "  Exit status: 0 success, 1 the URI is not a valid secret URI, 64 misuse.\n";

/* The networks `subkey` names (ss58-registry); others are shown by number. */
static const struct {
    const char *name;
    uint16_t prefix;
} NETWORKS[] = {{"polkadot", 0}, {"kusama", 2}, {"substrate", 42}};

static bool parse_network(const char *s, uint16_t *prefix) {
    for (size_t i = 0; i < sizeof NETWORKS / sizeof NETWORKS[0]; i++) {
        if (strcmp(s, NETWORKS[i].name) == 0) {
            *prefix = NETWORKS[i].prefix;
            return true;
        }
    }
    uint64_t v;
    if (!cli_parse_u64(s, &v) || v > 16383) {
        return false;
    }
    *prefix = (uint16_t)v;
    return true;
}

static void print_hex_value(const char *label, const uint8_t *p, size_t n) {
    printf("  %-19s0x", label);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
    putchar('\n');
}

static void print_pair(const char *uri, const bst_key_pair *k, uint16_t prefix) {
    uint8_t account[32];
    char ss58_pub[BST_SS58_MAX], ss58_account[BST_SS58_MAX];
    bst_key_account_id(k, account);
    /* Both encodings are of at most 33 bytes with a valid prefix: they cannot fail. */
    (void)bst_ss58_encode(k->pub, k->pub_len, prefix, ss58_pub, sizeof ss58_pub);
    (void)bst_ss58_encode(account, 32, prefix, ss58_account, sizeof ss58_account);
    if (k->is_phrase) {
        printf("Secret phrase:       %s\n", uri);
    } else {
        printf("Secret Key URI `%s` is account:\n", uri);
    }
    const char *network = NULL;
    for (size_t i = 0; i < sizeof NETWORKS / sizeof NETWORKS[0]; i++) {
        if (NETWORKS[i].prefix == prefix) {
            network = NETWORKS[i].name;
        }
    }
    if (network != NULL) {
        printf("  %-19s%s\n", "Network ID:", network);
    } else {
        printf("  %-19s%u\n", "Network ID:", (unsigned)prefix);
    }
    if (k->has_seed) {
        print_hex_value("Secret seed:", k->seed, 32);
    } else {
        printf("  %-19sn/a\n", "Secret seed:");
    }
    print_hex_value("Public key (hex):", k->pub, k->pub_len);
    print_hex_value("Account ID:", account, 32);
    printf("  %-19s%s\n", "Public key (SS58):", ss58_pub);
    printf("  %-19s%s\n", "SS58 Address:", ss58_account);
}

static int inspect(int argc, char **argv) {
    bst_key_scheme scheme = BST_KEY_SR25519;
    uint16_t prefix = 42;
    const char *password = NULL, *uri = NULL;
    bool operands = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!operands && strcmp(a, "--") == 0) {
            operands = true;
        } else if (!operands && cli_is_help(a)) {
            fputs(KEY_USAGE, stdout);
            return 0;
        } else if (!operands && strcmp(a, "--scheme") == 0) {
            if (!has_value || !cli_parse_scheme(argv[++i], &scheme)) {
                fprintf(stderr, "bastion key: --scheme takes sr25519, ed25519 or ecdsa\n");
                return CLI_EXIT_USAGE;
            }
        } else if (!operands && (strcmp(a, "--network") == 0 || strcmp(a, "-n") == 0 ||
                                 strcmp(a, "--ss58-prefix") == 0)) {
            if (!has_value || !parse_network(argv[++i], &prefix)) {
                fprintf(stderr,
                        "bastion key: %s takes polkadot, kusama, substrate or a "
                        "number 0..16383\n",
                        a);
                return CLI_EXIT_USAGE;
            }
        } else if (!operands && strcmp(a, "--password") == 0) {
            if (!has_value) {
                fprintf(stderr, "bastion key: --password takes a value\n");
                return CLI_EXIT_USAGE;
            }
            password = argv[++i];
        } else if ((!operands && a[0] == '-' && a[1] != '/' && a[1] != '\0') || uri != NULL) {
            fprintf(stderr, "bastion key: unexpected argument %s\n%s", a, KEY_USAGE);
            return CLI_EXIT_USAGE;
        } else {
            uri = a;
        }
    }
    if (uri == NULL) {
        fputs(KEY_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    if (!bst_crypto_init()) {
        fprintf(stderr, "error: libsodium failed to initialise\n");
        return 1;
    }
    bst_key_pair k;
    bst_suri_status st = bst_key_from_suri(scheme, uri, password, &k);
    if (st != BST_SURI_OK) {
        fprintf(stderr, "error: %s\n", bst_suri_status_text(st));
        return 1;
    }
    print_pair(uri, &k, prefix);
    bst_secure_wipe(&k, sizeof k);
    return 0;
}

int key_main(int argc, char **argv) {
    if (argc >= 1 && cli_is_help(argv[0])) {
        fputs(KEY_USAGE, stdout);
        return 0;
    }
    if (argc >= 1 && strcmp(argv[0], "inspect") == 0) {
        return inspect(argc - 1, argv + 1);
    }
    if (argc >= 1) {
        fprintf(stderr, "bastion key: unknown key command '%s'\n", argv[0]);
    }
    fputs(KEY_USAGE, stderr);
    return CLI_EXIT_USAGE;
}
