/*
 * chainspec_cmd.c — `bastion chainspec genesis [--state-version N] FILE.json`: the genesis
 * state root and block hash of a raw Substrate chain spec.
 *
 * Loads the genesis storage into the in-memory state backend and learns the state version from
 * the genesis runtime (both chainspec.c), computes the state root (bastion_state.h) and hashes
 * the genesis header, as sc-chain-spec's construct_genesis_block does: parent_hash = 0^32,
 * number = compact(0), state_root, extrinsics_root = the empty trie's root, digest = empty Vec;
 * hash = blake2_256(SCALE(header)).
 */
#include "chainspec_cmd.h"
#include "bastion_crypto.h"
#include "bastion_state.h"
#include "bastion_trie.h"
#include "chainspec.h"
#include "json_util.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char CHAINSPEC_USAGE[] =
    "usage: bastion chainspec genesis [--state-version 0|1] FILE.json\n"
    "  Compute the genesis block of a raw chain spec (genesis.raw.top and\n"
    "  genesis.raw.childrenDefault) and print:\n"
    "    state_version N     from the genesis runtime's Core_version (0 when the\n"
    "                        RuntimeVersion has none), unless --state-version is given\n"
    "    state_root    0x..  the root of the genesis storage (child tries included)\n"
    "    genesis_hash  0x..  blake2_256 of the SCALE-encoded genesis header\n"
    "  Exit status: 0 success, 1 error (unreadable file, bad JSON or hex, runtime\n"
    "  failure), 64 misuse.\n";

static int genesis(int argc, char **argv) {
    int forced = -1;
    const char *path = NULL;
    bool operands = false; /* after `--` */
    for (int i = 0; i < argc; i++) {
        if (!operands && strcmp(argv[i], "--") == 0) {
            operands = true;
        } else if (!operands && strcmp(argv[i], "--state-version") == 0) {
            if (i + 1 >= argc || (strcmp(argv[i + 1], "0") && strcmp(argv[i + 1], "1"))) {
                fprintf(stderr, "bastion chainspec: --state-version takes 0 or 1\n");
                return CLI_EXIT_USAGE;
            }
            forced = argv[++i][0] - '0';
        } else if (!operands && cli_is_help(argv[i])) {
            fputs(CHAINSPEC_USAGE, stdout);
            return 0;
        } else if ((!operands && argv[i][0] == '-') || path) {
            fprintf(stderr, "bastion chainspec: unexpected argument %s\n%s", argv[i],
                    CHAINSPEC_USAGE);
            return CLI_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        fputs(CHAINSPEC_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    if (!bst_crypto_init()) {
        fprintf(stderr, "error: libsodium failed to initialise\n");
        return 1;
    }

    char why[256];
    uint8_t *text = NULL;
    size_t text_len = 0;
    if (!cli_read_file(path, CLI_MAX_TEXT_BYTES, &text, &text_len, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return 1;
    }
    json_error_t jerr;
    json_t *root = cli_json_parse((const char *)text, text_len, &jerr);
    free(text);
    if (!root) {
        fprintf(stderr, "error: %s: invalid JSON (line %d, column %d: %s)\n", path, jerr.line,
                jerr.column, jerr.text);
        return 1;
    }
    int rc = 1;
    bst_state_mem *mem = bst_state_mem_new();
    bst_state *st = NULL;
    if (!mem) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    if (!cli_chainspec_genesis_storage(path, root, mem)) goto out;

    unsigned version = 0;
    if (forced >= 0) {
        version = (unsigned)forced;
    } else if (!cli_chainspec_state_version(path, root, &version)) {
        fprintf(stderr,
                "error: %s: no state version from the genesis runtime (give "
                "--state-version)\n",
                path);
        goto out;
    }

    bst_state_backend be = bst_state_mem_backend(mem);
    st = bst_state_new(&be);
    uint8_t state_root[32], ext_root[32], hash[32];
    if (!st || !bst_state_root(st, version, state_root)) {
        fprintf(stderr, "error: out of memory computing the state root\n");
        goto out;
    }
    bst_trie_empty_root(ext_root); /* the same for both versions */
    uint8_t header[32 + 1 + 32 + 32 + 1];
    memset(header, 0, 32); /* parent_hash */
    header[32] = 0x00;     /* number: compact(0) */
    memcpy(header + 33, state_root, 32);
    memcpy(header + 65, ext_root, 32);
    header[97] = 0x00; /* digest: empty Vec */
    bst_blake2_256(header, sizeof header, hash);
    printf("state_version %u\n", version);
    cli_print_hex("state_root   ", state_root, 32);
    cli_print_hex("genesis_hash ", hash, 32);
    rc = 0;
out:
    bst_state_free(st);
    bst_state_mem_free(mem);
    json_decref(root);
    return rc;
}

int chainspec_main(int argc, char **argv) {
    if (argc < 1) {
        fputs(CHAINSPEC_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
        strcmp(argv[0], "help") == 0) {
        fputs(CHAINSPEC_USAGE, stdout);
        return 0;
    }
    if (strcmp(argv[0], "genesis") == 0) return genesis(argc - 1, argv + 1);
    fprintf(stderr, "bastion chainspec: unknown chainspec command '%s'\n\n%s", argv[0],
            CHAINSPEC_USAGE);
    return CLI_EXIT_USAGE;
}
