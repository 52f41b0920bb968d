/*
 * main.c — the `bastion` command-line tool: the overall --help and the dispatch to each
 * command's file.
 *
 *   bastion run ...          run a WASI command or call an export (run_cmd.c)
 *   bastion inspect FILE     list sections, imports and exports (inspect_cmd.c)
 *   bastion spec ...         run wast2json spec tests (spec_cmd.c)
 *   bastion runtime ...      Substrate runtimes: version, metadata, call (runtime_cmd.c)
 *   bastion chainspec ...    a raw chain spec's genesis block (chainspec_cmd.c)
 *   bastion chain ...        a local dev chain: init, author, import, call (chain_cmd.c)
 *   bastion contract ...     ink! / pallet-contracts contracts (contract_cmd.c)
 *   bastion keygen|sign|verify  Ed25519 keys and module signatures (sign_cmd.c)
 *   bastion serve ...        the multi-tenant HTTP service (serve_cmd.c)
 *   bastion key inspect URI  a secret URI's key pair, as `subkey inspect` (key_cmd.c)
 *   bastion help | --help,  bastion --version
 *
 * Exit status: a WASI command's own exit code (0 or its proc_exit code); otherwise 0 success; 1
 * error (unreadable file, module rejected, failed tests); 10 + the trap kind when wasm code
 * traps (11 unreachable ... 23 host trap, listed in --help); 64 command-line misuse (as EX_USAGE
 * in sysexits.h); `contract` also 2 when the contract reverted.
 *
 * The CLI is an ordinary embedder: it uses only the public APIs in include/.
 */
#include "bastion.h"
#include "chainspec_cmd.h"
#include "chain_cmd.h"
#include "contract_cmd.h"
#include "inspect_cmd.h"
#include "key_cmd.h"
#include "run_cmd.h"
#include "runtime_cmd.h"
#include "serve_cmd.h"
#include "sign_cmd.h"
#include "spec_cmd.h"
#include "util.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char USAGE[] =
    "usage: bastion COMMAND [ARGS]\n"
    "\n"
    "Bastion " BST_VERSION " - a hardened WebAssembly host.\n"
    "\n"
    "commands:\n" CLI_RUN_HELP "  inspect FILE.wasm\n" CLI_INSPECT_HELP
    "  runtime version|metadata [OPTIONS] FILE\n"
    "  runtime call [OPTIONS] FILE METHOD [HEX]\n"
    "  runtime transfer-tx --from SURI --to ACCOUNT --amount N [OPTIONS] FILE\n"
    "        Load a Substrate runtime (FILE.wasm, optionally zstd-compressed, or a raw\n"
    "        chain spec whose genesis :code holds it) with every ext_* host function,\n"
    "        and print its RuntimeVersion (Core_version), its metadata version and\n"
    "        pallets (Metadata_metadata), the hex result of any runtime API call, or\n"
    "        a signed Balances transfer built from its metadata, as hex.\n"
    "        Options: --allow-missing, --offchain, --heap-pages N, --fuel N,\n"
    "        --log-level N; `bastion runtime --help` for details.\n"
    "  chainspec genesis [--state-version 0|1] FILE.json\n"
    "        Compute the genesis block of a raw chain spec: print its state version\n"
    "        (from the genesis runtime's Core_version unless given), state root and\n"
    "        genesis hash.  `bastion chainspec --help` for details.\n"
    "  chain init|author|transfer|import|export|call|account|head --db DIR ...\n"
    "        A local development chain (Aura, dev authorities) in a trie database:\n"
    "        genesis from a raw chain spec, author and seal blocks (signed Balances\n"
    "        transfers from metadata), import blocks with Core_execute_block, read-only\n"
    "        calls at any block.  `bastion chain --help` for details.\n"
    "  contract upload|instantiate|call|query|balance|transfer ...\n"
    "        Smart contracts (ink!, pallet-contracts ABI) with LMDB state: upload code,\n"
    "        instantiate it, call or dry-run-query a contract, read or move balances;\n"
    "        --metadata FILE.json encodes arguments and decodes results and events.\n"
    "        Exit status 0 success, 1 error/trap/out of gas, 2 reverted, 64 misuse.\n"
    "        `bastion contract --help`.\n"
    "  key inspect [--scheme sr25519|ed25519|ecdsa] [--network N] URI\n"
    "        The key pair of a secret URI (BIP39 mnemonic, 0x seed or the dev phrase,\n"
    "        //hard and /soft junctions, ///password) printed as `subkey inspect`\n"
    "        does.  `bastion key --help` for details.\n" CLI_SIGN_HELP CLI_SERVE_HELP
    "  spec [-v] FILE.json...\n"
    "        Run spec tests converted by `wast2json`; -v also explains expected failures.\n"
    "  help, --help       Show this text; COMMAND --help shows a command's own.\n"
    "  --version          Show the version.\n";

/* Each command's entry point: argv[0] is the first argument after the command's name. */
static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
} COMMANDS[] = {
    {"run", run_main},           {"inspect", inspect_main},     {"spec", spec_main},
    {"runtime", runtime_main},   {"chainspec", chainspec_main}, {"chain", chain_main},
    {"contract", contract_main}, {"keygen", keygen_main},       {"sign", sign_main},
    {"verify", verify_main},     {"serve", serve_main},         {"key", key_main},
};

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(cmd, COMMANDS[i].name) == 0) return COMMANDS[i].main(argc - 2, argv + 2);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("bastion %s\n", BST_VERSION);
        return 0;
    }
    fprintf(stderr, "bastion: unknown command '%s'\n\n", cmd);
    fputs(USAGE, stderr);
    return CLI_EXIT_USAGE;
}
