/*
 * chainspec_cmd.c — `bastion chainspec genesis [--state-version N] FILE.json`: the genesis
 * state root and block hash of a raw Substrate chain spec (or, for a light-client spec, what
 * its stateRootHash and lightSyncState give).
 *
 * Loads the genesis storage into the in-memory state backend and learns the state version from
 * the genesis runtime (both chainspec.c), computes the state root (bastion_state.h) and hashes
 * the genesis header, as sc-chain-spec's construct_genesis_block does: parent_hash = 0^32,
 * number = compact(0), state_root, extrinsics_root = the empty trie's root, digest = empty Vec;
 * hash = blake2_256(SCALE(header)).
 */
#include "chainspec_cmd.h"
#include "bastion_crypto.h"
#include "bastion_scale.h"
#include "bastion_state.h"
#include "bastion_trie.h"
#include "chainspec.h"
#include "json_util.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A SCALE Compact<u32> (a block number) at p[0..len): its length, 0 when it is not one. */
static size_t compact_number(const uint8_t *p, size_t len, uint32_t *out) {
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, len);
    if (bst_scale_get_compact_u32(&d, out) != BST_SCALE_OK) return 0;
    return d.pos;
}

static const char CHAINSPEC_USAGE[] =
    "usage: bastion chainspec genesis [--state-version 0|1] FILE.json\n"
    "  Compute the genesis block of a raw chain spec (genesis.raw.top and\n"
    "  genesis.raw.childrenDefault, or the old \"raw\": [top, children]) and print:\n"
    "    state_version N     from the genesis runtime's Core_version (0 when the\n"
    "                        RuntimeVersion has none), unless --state-version is given\n"
    "    state_root    0x..  the root of the genesis storage (child tries included)\n"
    "    genesis_hash  0x..  blake2_256 of the SCALE-encoded genesis header\n"
    "    code_substitutes N: blocks ...   when the spec has codeSubstitutes\n"
    "  A light-client spec without raw storage gives what it can: the genesis hash\n"
    "  from genesis.stateRootHash (state_version unknown) and the finalized block of\n"
    "  lightSyncState (light_sync_finalized_number / _hash); stderr says what is not\n"
    "  in it.\n"
    "  Exit status: 0 success, 1 error (unreadable file, bad JSON or hex, runtime\n"
    "  failure, no genesis to compute), 64 misuse.\n";

/* "code_substitutes N: blocks A B ..." when the spec has any. */
static bool print_code_substitutes(const char *path, const json_t *root) {
    uint64_t blocks[16];
    size_t n = 0;
    if (!cli_chainspec_code_substitutes(path, root, blocks, 16, &n)) return false;
    if (n == 0) return true;
    printf("code_substitutes %zu: blocks", n);
    for (size_t i = 0; i < n && i < 16; i++) printf(" %" PRIu64, blocks[i]);
    printf(n > 16 ? " ...\n" : "\n");
    return true;
}

/* A 0x hex string member of obj of exactly n bytes into out, or false. */
static bool hex_member(const json_t *obj, const char *name, uint8_t *out, size_t n) {
    const json_t *v = json_object_get(obj, name);
    return json_is_string(v) && cli_hex_exact(json_string_value(v), json_string_length(v), out, n);
}

/* A light-client spec (no raw storage): the genesis hash from genesis.stateRootHash, and the
 * finalized block of lightSyncState; what cannot be known without the storage is said. */
static int light_genesis(const char *path, const json_t *root) {
    const json_t *gen = json_object_get(root, "genesis");
    const json_t *sync = json_object_get(root, "lightSyncState");
    uint8_t state_root[32], hash[32];
    bool have_root = hex_member(gen, "stateRootHash", state_root, 32);
    if (!have_root && json_object_get(gen, "stateRootHash")) {
        fprintf(stderr, "error: %s: genesis.stateRootHash is not 32 bytes of hex\n", path);
        return 1;
    }
    if (!have_root && !sync) {
        fprintf(stderr,
                "error: %s: no raw genesis storage (genesis.raw) and no genesis.stateRootHash: "
                "the genesis cannot be computed from this spec (a plain genesis config needs "
                "its runtime's genesis builder; convert it to a raw spec first)\n",
                path);
        return 1;
    }
    if (have_root) {
        cli_genesis_hash(state_root, hash);
        printf("state_version unknown\n");
        cli_print_hex("state_root   ", state_root, 32);
        cli_print_hex("genesis_hash ", hash, 32);
    }
    if (sync) {
        const json_t *h = json_object_get(sync, "finalizedBlockHeader");
        uint8_t *hdr = NULL;
        size_t len = 0;
        uint32_t number = 0;
        if (!json_is_string(h) ||
            !cli_hex_decode(json_string_value(h), json_string_length(h), &hdr, &len) || len < 33 ||
            compact_number(hdr + 32, len - 32, &number) == 0) {
            free(hdr);
            fprintf(stderr, "error: %s: lightSyncState.finalizedBlockHeader is not a header\n",
                    path);
            return 1;
        }
        bst_blake2_256(hdr, len, hash);
        free(hdr);
        printf("light_sync_finalized_number %" PRIu32 "\n", number);
        cli_print_hex("light_sync_finalized_hash", hash, 32);
    }
    fprintf(stderr,
            "note: %s is a light-client spec without raw genesis storage: %s; the genesis "
            "storage, its state version and the genesis runtime are not in it\n",
            path,
            have_root ? "the state root is genesis.stateRootHash as given, not computed"
                      : "no genesis block can be computed (no genesis.stateRootHash)");
    return print_code_substitutes(path, root) ? 0 : 1;
}

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
    if (!cli_chainspec_is_raw(root)) {
        int lrc = light_genesis(path, root);
        json_decref(root);
        return lrc;
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
    uint8_t state_root[32], ext_root[32] = {0}, hash[32];
    if (!st || !bst_state_root(st, version, state_root)) {
        fprintf(stderr, "error: out of memory computing the state root\n");
        goto out;
    }
    (void)ext_root;
    cli_genesis_hash(state_root, hash);
    printf("state_version %u\n", version);
    cli_print_hex("state_root   ", state_root, 32);
    cli_print_hex("genesis_hash ", hash, 32);
    rc = print_code_substitutes(path, root) ? 0 : 1;
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
