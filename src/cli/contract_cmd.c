/*
 * contract_cmd.c — `bastion contract upload|instantiate|call|query`: the command-line face of
 * the smart-contract host (include/bastion_contracts.h).  Every invocation opens the LMDB state
 * directory, runs one operation in one transaction and prints the outcome as labelled lines;
 * with --metadata, arguments are encoded and results/events decoded by src/cli/ink_metadata.c.
 */
#include "contract_cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bastion_contracts.h"
#include "bastion_crypto.h"
#include "account.h"
#include "bastion_scale.h"
#include "contract_accounts.h"
#include "contract_bundle.h"
#include "contract_json.h"
#include "ink_metadata.h"
#include "trust.h"
#include "stats.h"
#include "profile.h"
#include "util.h"

#define EXIT_FAIL 1
#define EXIT_REVERTED 2

#define DEFAULT_STATE_DIR "./.bastion-state"
#define MAX_ARGS 64
#define MAX_FILE_BYTES ((size_t)16 << 20)

static const char CONTRACT_USAGE[] =
    "usage: bastion contract COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  upload FILE [--storage-deposit-limit N]\n"
    "        Validate and store contract code; prints `code_hash 0x...` and the code\n"
    "        deposit (`storage_deposit charge N`), reserved on the caller.  Code that\n"
    "        imports call_chain_extension, call_runtime or xcm_* is refused: this CLI\n"
    "        has no chain extension and no runtime to dispatch to.\n"
    "  instantiate CODEHASH|FILE (--data 0xHEX | --selector 0xSEL [--args HEX] |\n"
    "                             [--metadata F.json] --constructor NAME [--arg V]...)\n"
    "              [--value N] [--salt HEX] [--gas N] [--proof-size N]\n"
    "        Create a contract instance (FILE is uploaded first); prints\n"
    "        `address 0x...`.\n"
    "      FILE is a WebAssembly binary (.wasm) or a cargo-contract bundle (.contract:\n"
    "      JSON, recognised by its content, whose source.wasm is the code, checked\n"
    "      against source.hash); a bundle is also the metadata when --metadata is absent.\n"
    "  call ADDR (--data 0xHEX | --selector 0xSEL [--args HEX] |\n"
    "             --metadata F.json --message NAME [--arg V]...)\n"
    "            [--value N] [--gas N] [--proof-size N]\n"
    "        Call a contract and commit its changes when it succeeds.\n"
    "  query ADDR ...\n"
    "        As call, but a dry run: the result is printed and nothing is written.\n"
    "  balance ACCOUNT [--json]\n"
    "        An account's free and reserved (storage deposit) balance; read-only.\n"
    "  transfer --from WHO --to ACCOUNT --amount N [--keep-alive]\n"
    "        Move free balance (pallet-balances' transfer_allow_death, or\n"
    "        transfer_keep_alive with --keep-alive: the sender keeps the existential\n"
    "        deposit); a new account must receive at least the existential deposit.\n"
    "\n"
    "options (all commands):\n"
    "  --state DIR       LMDB state directory (default $BASTION_STATE_DIR, else\n"
    "                    " DEFAULT_STATE_DIR "); created when absent, except by query,\n"
    "                    which needs an existing state and never writes it\n"
    "  --caller WHO      alice (default), bob, charlie, dave, eve, ferdie, a secret URI\n"
    "                    (//Alice; its sr25519 key), an SS58 address or 0x + 64 hex digits\n"
    "                    (ACCOUNT and --endow, --from, --to take the same).  A dev account\n"
    "                    (a name or //Name) with nothing is endowed with 10^24 units (10^18\n"
    "                    with 64-bit balances) before it uploads, instantiates, calls or\n"
    "                    transfers (not on query).\n"
    "  --endow ACCOUNT=AMOUNT  (repeatable) genesis balance for a new state only (an\n"
    "                    existing state refuses it); any account, raw 0x... ones too\n"
    "  --balance-width 64|128  the Balance type: 128 (default for a new state), or 64 as\n"
    "                    pallet-contracts' test runtime; kept with the state, which refuses\n"
    "                    the other width.  Amounts must fit it.\n"
    "  --existential-deposit N  (default 1) --deposit-per-byte N (default 1)\n"
    "  --deposit-per-item N (default 2)  the balance model of this invocation\n"
    "  --storage-deposit-limit N  the most storage deposit the exec (or upload) may charge\n"
    "                    the caller (default: what it can afford)\n"
    "  --data 0xHEX      the whole input, sent exactly (may be empty, \"0x\", or shorter than\n"
    "                    a selector)\n"
    "  --selector 0xSEL  the 4-byte selector; --args HEX the SCALE-encoded arguments after it\n"
    "  --metadata FILE   ink! metadata (.json or .contract, ink! 3 to 5): with "
    "--constructor/--message NAME\n"
    "                    and one --arg per argument, in order (true, 1000, bob, 0xHEX, none,\n"
    "                    Some(x), Variant(x), (a, b), [a, b]); the return value is decoded\n"
    "                    (`result ...`) and so are events (`event Name arg=value ...`).\n"
    "  --value N         balance transferred to the contract (decimal or 0x hex, within the\n"
    "                    Balance type: u128, or u64 with --balance-width 64; default 0)\n"
    "  --salt HEX        instantiate: salt for the address derivation (default empty)\n"
    "  --gas N           gas limit: ref_time (0 or absent: the default, 10,000,000,000; at\n"
    "                    most 9223372036854775807)\n"
    "  --proof-size N    proof_size limit (Weight v2): bytes of state proof the exec may\n"
    "                    need (0 or absent: the default, 5 MiB; at most\n"
    "                    9223372036854775807); exceeding it is out of gas\n"
    "  --json            instantiate/call/query: print the outcome as one JSON object\n"
    "                    (see output below)\n"
    "  --stats[=FILE]    instantiate/call/query: after the exec, print the statistics of the\n"
    "                    top-level contract's call as JSON to standard error (or into FILE):\n"
    "                    gas (fuel) used, wall and CPU time, memory peak, seal calls by\n"
    "                    import (docs/observability.md)\n"
    "  --profile FILE    instantiate/call/query: sample the wasm call stack every N units\n"
    "                    of gas and write FILE.folded and an interactive flame graph\n"
    "                    FILE.svg; each contract frame (nested calls too) is sampled in its\n"
    "                    own stack (docs/observability.md)\n"
    "  --profile-interval N  gas between samples (1..2^63-1, default 10000)\n"
    "trust policy (upload, and instantiate from FILE; a bundle's code is "
    "checked):\n" CLI_TRUST_HELP(
        "  ") "\n"
              "output: one labelled line each: input, outcome, address, code_hash, flags, data,\n"
              "result, event, gas_used (ref_time), proof_size_used, storage_deposit "
              "(charge|refund\n"
              "N), debug, error.  With --json (instantiate, call, query) one JSON object on one\n"
              "line instead, every member present (null when it has no line): input, outcome,\n"
              "address, code_hash (\"0x...\" strings), flags (number),\n"
              "data (\"0x...\"), result and result_error (strings: the decoded value, or why\n"
              "it was not), events (array of {emitter, topics: [...], data, decoded,\n"
              "decode_error}), gas_used (number), gas_consumed ({ref_time, proof_size}\n"
              "numbers), storage_deposit ({\"charge\": \"N\"} or {\"refund\": \"N\"}), debug\n"
              "(string), error (string).\n"
              "exit status: 0 success, 1 error, trap or out of gas, 2 the contract reverted "
              "(REVERT\n"
              "flag; its changes were discarded), 64 misuse.\n";

/* ---- small parsers ----------------------------------------------------------------------- */

/* Decimal (or 0x hex) u128 into 16 little-endian bytes: ink_metadata.c's parser. */
static bool parse_u128_le(const char *s, uint8_t out[16]) {
    return ink_parse_u128_le(s, strlen(s), out);
}

/* ---- accounts ---------------------------------------------------------------------------- */

/* A Substrate dev account (alice ... ferdie, any case) by name: its sr25519 public key. */
static bool dev_account(const char *name, uint8_t out[32]) {
    uint8_t secret[64];
    if (!bst_crypto_init() || !bst_dev_account(name, out, secret)) return false;
    memset(secret, 0, sizeof secret);
    return true;
}

/* NAME, //URI, SS58 or 0xHEX (contract_accounts.c); *is_dev tells a dev account (to endow). */
static bool parse_account(const char *s, uint8_t out[32], bool *is_dev) {
    return contract_parse_account(s, out, is_dev);
}

/* ---- options ----------------------------------------------------------------------------- */

typedef struct opts {
    const char *target; /* FILE / CODEHASH / ADDR */
    const char *state_dir;
    const char *caller;
    const char *selector;
    const char *data; /* --data 0xHEX: the whole input, sent as is */
    const char *args_hex;
    const char *value;
    const char *salt;
    const char *gas;
    const char *proof_size; /* --proof-size N */
    const char *metadata;
    const char *message;
    const char *constructor;
    const char *profile, *profile_interval;
    const char *args[MAX_ARGS];
    size_t nargs;
    cli_trust trust; /* --trusted-key, --signatures-required: upload / instantiate FILE */
    cli_stats_opt stats;
    bool json;                      /* --json: instantiate / call / query print one JSON object */
    contract_state_opts state;      /* --balance-width, --existential-deposit, ..., --endow */
    const char *deposit_limit;      /* --storage-deposit-limit */
    const char *from, *to, *amount; /* transfer */
    bool keep_alive;                /* transfer --keep-alive */
} opts;

/* Parses argv[1..) of a subcommand.  Returns 0, or CLI_EXIT_USAGE after printing why. */
static int parse_opts(const char *cmd, int argc, char **argv, opts *o) {
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(CONTRACT_USAGE, stdout);
            return -1;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (o->target) {
                fprintf(stderr, "bastion contract %s: unexpected argument '%s'\n", cmd, a);
                return CLI_EXIT_USAGE;
            }
            o->target = a;
            continue;
        }
        if (strcmp(a, "--json") == 0) {
            o->json = true;
            continue;
        }
        if (strcmp(a, "--keep-alive") == 0) {
            o->keep_alive = true;
            continue;
        }
        int stats = cli_stats_option("contract", a, &o->stats); /* no separate value */
        if (stats < 0) return CLI_EXIT_USAGE;
        if (stats) continue;
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const char *val = eq ? eq + 1 : NULL;
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bastion contract %s: %s needs a value\n", cmd, a);
                return CLI_EXIT_USAGE;
            }
            val = argv[++i];
        }
        if (nlen == strlen("--trusted-key") && strncmp(a, "--trusted-key", nlen) == 0) {
            if (!cli_trust_add(&o->trust, cmd, val)) return CLI_EXIT_USAGE;
            continue;
        }
        if (nlen == strlen("--signatures-required") &&
            strncmp(a, "--signatures-required", nlen) == 0) {
            if (!cli_trust_set_required(&o->trust, cmd, val)) return CLI_EXIT_USAGE;
            continue;
        }
#define OPT(name, field)                                                                           \
    if (nlen == strlen(name) && strncmp(a, name, nlen) == 0) {                                     \
        o->field = val;                                                                            \
        continue;                                                                                  \
    }
        OPT("--state", state_dir)
        OPT("--caller", caller)
        OPT("--selector", selector)
        OPT("--data", data)
        OPT("--args", args_hex)
        OPT("--value", value)
        OPT("--salt", salt)
        OPT("--gas", gas)
        OPT("--proof-size", proof_size)
        OPT("--metadata", metadata)
        OPT("--message", message)
        OPT("--constructor", constructor)
        OPT("--profile", profile)
        OPT("--profile-interval", profile_interval)
        OPT("--balance-width", state.balance_width)
        OPT("--existential-deposit", state.existential_deposit)
        OPT("--deposit-per-byte", state.deposit_per_byte)
        OPT("--deposit-per-item", state.deposit_per_item)
        OPT("--storage-deposit-limit", deposit_limit)
        OPT("--from", from)
        OPT("--to", to)
        OPT("--amount", amount)
#undef OPT
        if (nlen == 7 && strncmp(a, "--endow", 7) == 0) {
            if (o->state.nendow == CONTRACT_MAX_ENDOW) {
                fprintf(stderr, "bastion contract %s: more than %d --endow\n", cmd,
                        CONTRACT_MAX_ENDOW);
                return CLI_EXIT_USAGE;
            }
            o->state.endow[o->state.nendow++] = val;
            continue;
        }
        if (nlen == 5 && strncmp(a, "--arg", 5) == 0) {
            if (o->nargs == MAX_ARGS) {
                fprintf(stderr, "bastion contract %s: more than %d --arg\n", cmd, MAX_ARGS);
                return CLI_EXIT_USAGE;
            }
            o->args[o->nargs++] = val;
            continue;
        }
        fprintf(stderr,
                "bastion contract %s: unknown option '%.*s' (see bastion contract --help)\n", cmd,
                (int)nlen, a);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* FILE.wasm or FILE.contract (contract_bundle.h); *bundle tells which. */
static void *read_file(const char *path, size_t *len, bool *bundle, char *err, size_t errlen) {
    uint8_t *buf;
    return contract_read_code(path, MAX_FILE_BYTES, &buf, len, bundle, err, errlen) ? buf : NULL;
}

/* ---- the commands ------------------------------------------------------------------------ */

typedef struct session {
    bst_contracts *c;
    uint8_t caller[32];
    bool caller_is_dev;
    bst_contracts_endowment endow[CONTRACT_MAX_ENDOW]; /* --endow, for the open */
} session;

/* Opens the state; a read-only command (query) needs an existing one and creates nothing. */
static int open_session(const char *cmd, const opts *o, bool read_only, session *s) {
    memset(s, 0, sizeof *s);
    const char *who = o->caller ? o->caller : "alice";
    if (!parse_account(who, s->caller, &s->caller_is_dev)) {
        fprintf(stderr,
                "bastion contract %s: bad --caller '%s' (alice, bob, charlie, dave, "
                "eve, ferdie, //URI, SS58 or 0x + 64 hex digits)\n",
                cmd, who);
        return CLI_EXIT_USAGE;
    }
    const char *dir = o->state_dir;
    if (!dir) dir = getenv("BASTION_STATE_DIR");
    if (!dir || !*dir) dir = DEFAULT_STATE_DIR;
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = dir;
    cfg.must_exist = read_only;
    if (!contract_state_config(cmd, &o->state, &cfg, s->endow)) return CLI_EXIT_USAGE;
    bst_error err;
    memset(&err, 0, sizeof err);
    s->c = bst_contracts_open(&cfg, &err);
    if (!s->c) {
        fprintf(stderr, "bastion contract %s: cannot open the state: %s\n", cmd, err.message);
        return EXIT_FAIL;
    }
    /* The CLI has no runtime: code that dispatches runtime calls is refused, saying why. */
    bst_contracts_refuse_runtime_calls(s->c, true);
    return 0;
}

/* Gives a dev account that has nothing a large balance (10^24 with u128 balances, 10^18 with
 * u64 ones), so the dev accounts work in a fresh state directory without a genesis step. */
static int endow_dev(const char *cmd, session *s, const uint8_t account[32]) {
    uint8_t bal[16], reserved[16];
    if (!bst_contracts_account(s->c, account, bal, reserved)) {
        fprintf(stderr, "bastion contract %s: cannot read the caller's balance\n", cmd);
        return EXIT_FAIL;
    }
    for (int i = 0; i < 16; i++)
        if (bal[i] || reserved[i]) return 0;
    uint8_t endowment[16];
    parse_u128_le(bst_contracts_balance_bytes(s->c) == 8 ? "1000000000000000000"
                                                         : "1000000000000000000000000",
                  endowment);
    bst_error err;
    memset(&err, 0, sizeof err);
    if (bst_contracts_set_balance(s->c, account, endowment, &err) != BST_OK) {
        fprintf(stderr, "bastion contract %s: cannot endow the caller: %s\n", cmd, err.message);
        return EXIT_FAIL;
    }
    return 0;
}

static int endow_caller(const char *cmd, session *s) {
    return s->caller_is_dev ? endow_dev(cmd, s, s->caller) : 0;
}

/* --storage-deposit-limit N into *out; false after printing why. */
static bool deposit_limit(const char *cmd, const opts *o, uint8_t out[16]) {
    if (parse_u128_le(o->deposit_limit, out)) return true;
    fprintf(stderr, "bastion contract %s: bad --storage-deposit-limit '%s' (a u128)\n", cmd,
            o->deposit_limit);
    return false;
}

/* The options only `transfer` takes, given to another command: a usage error. */
static bool transfer_only(const char *cmd, const opts *o) {
    if (!o->from && !o->to && !o->amount && !o->keep_alive) return false;
    fprintf(stderr,
            "bastion contract %s: --from, --to, --amount and --keep-alive are for "
            "transfer\n",
            cmd);
    return true;
}

/* The `storage_deposit` line: the exec's (or upload's) net deposit. */
static void print_deposit(const uint8_t amount[16], bool refund) {
    char text[40];
    bst_scale_u128_decimal(amount, text);
    printf("storage_deposit %s %s\n", refund ? "refund" : "charge", text);
}

static int cmd_upload(int argc, char **argv) {
    opts o;
    int rc = parse_opts("upload", argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    if (!o.target || o.selector || o.args_hex || o.value || o.salt || o.gas || o.proof_size ||
        o.metadata || o.message || o.constructor || o.nargs || o.stats.on || o.json ||
        transfer_only("upload", &o)) {
        fputs(
            "usage: bastion contract upload FILE.wasm|FILE.contract [--state DIR] [--caller WHO]\n"
            "       [--storage-deposit-limit N] [--trusted-key NAME.pub]... "
            "[--signatures-required K]\n",
            stderr);
        return CLI_EXIT_USAGE;
    }
    uint8_t limit[16];
    if (o.deposit_limit && !deposit_limit("upload", &o, limit)) return CLI_EXIT_USAGE;
    if ((rc = cli_trust_load(&o.trust, "contract upload"))) return rc;
    char msg[512];
    size_t len;
    bool bundle;
    uint8_t *code = read_file(o.target, &len, &bundle, msg, sizeof msg);
    if (!code) {
        fprintf(stderr, "bastion contract upload: %s\n", msg);
        return EXIT_FAIL;
    }
    /* before the state is even opened: a refused module leaves no trace */
    if (!cli_trust_check(&o.trust, "contract upload", o.target, code, &len)) {
        free(code);
        return EXIT_FAIL;
    }
    session s;
    rc = open_session("upload", &o, false, &s);
    if (rc == 0) rc = endow_caller("upload", &s);
    if (rc == 0) {
        uint8_t hash[32], deposit[16];
        bst_error err;
        memset(&err, 0, sizeof err);
        if (bst_contracts_upload_ex(s.c, s.caller, code, len, o.deposit_limit ? limit : NULL, hash,
                                    deposit, &err) != BST_OK) {
            fprintf(stderr, "bastion contract upload: %s rejected: %s\n", o.target, err.message);
            printf("error %s\n", err.message);
            rc = EXIT_FAIL;
        } else {
            cli_print_hex("code_hash", hash, 32);
            print_deposit(deposit, false);
        }
    }
    bst_contracts_close(s.c);
    free(code);
    return rc;
}

/* The exit status for an outcome. */
static int outcome_status(const bst_contract_result *r) {
    switch (r->outcome) {
    case BST_CONTRACT_SUCCESS: return 0;
    case BST_CONTRACT_REVERTED: return EXIT_REVERTED;
    default: return EXIT_FAIL;
    }
}

/* Prints the result lines. */
static void print_result(const bst_contract_result *r, bool instantiate, const ink_metadata *md,
                         const ink_fn *fn) {
    printf("outcome %s\n", bst_contract_outcome_name(r->outcome));
    if (instantiate && r->outcome == BST_CONTRACT_SUCCESS) cli_print_hex("address", r->address, 32);
    static const uint8_t zero[32];
    if (memcmp(r->code_hash, zero, 32) != 0) cli_print_hex("code_hash", r->code_hash, 32);
    if (r->outcome == BST_CONTRACT_SUCCESS || r->outcome == BST_CONTRACT_REVERTED) {
        printf("flags 0x%" PRIx32 "\n", r->flags);
        cli_print_hex("data", r->data, r->data_len);
        if (md && fn) {
            char *text = NULL, err[256];
            if (ink_decode_return(md, fn, r->data, r->data_len, &text, err, sizeof err)) {
                if (text) printf("result %s\n", text);
            } else {
                printf("result undecodable (%s)\n", err);
            }
            free(text);
        }
    }
    for (size_t i = 0; i < r->nevents; i++) {
        const bst_contract_event *ev = &r->events[i];
        char *text = NULL, err[256] = "";
        if (md && ink_decode_event(md, (const uint8_t(*)[32])ev->topics, ev->ntopics, ev->data,
                                   ev->data_len, &text, err, sizeof err)) {
            printf("event %s\n", text);
        } else {
            printf("event emitter=0x");
            for (int k = 0; k < 32; k++) printf("%02x", ev->emitter[k]);
            printf(" topics=[");
            for (uint32_t t = 0; t < ev->ntopics; t++) {
                printf("%s0x", t ? ", " : "");
                for (int k = 0; k < 32; k++) printf("%02x", ev->topics[t][k]);
            }
            printf("] data=0x");
            for (size_t k = 0; k < ev->data_len; k++) printf("%02x", ev->data[k]);
            if (md) printf(" (not decoded: %s)", err);
            putchar('\n');
        }
        free(text);
    }
    printf("gas_used %" PRIu64 "\n", r->gas_used);
    printf("proof_size_used %" PRIu64 "\n", r->proof_size_used);
    print_deposit(r->storage_deposit, r->storage_deposit_refund);
    if (r->debug) {
        /* One `debug` line per line of the contract's debug output (all debug_len bytes: the
         * text may hold NULs), control characters escaped as \xNN so that a contract cannot
         * drive the terminal. */
        const char *p = r->debug, *end = r->debug + r->debug_len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *stop = nl ? nl : end;
            fputs("debug ", stdout);
            for (; p < stop; p++) {
                unsigned char c = (unsigned char)*p;
                if (c < 0x20 || c == 0x7f)
                    printf("\\x%02x", c);
                else
                    putchar(c);
            }
            putchar('\n');
            p = nl ? nl + 1 : end;
        }
    }
    if (r->outcome != BST_CONTRACT_SUCCESS && r->error[0]) printf("error %s\n", r->error);
}

/* --profile: a profiler whose sampler goes into ex, or NULL without the option.  Returns 0, or
 * the exit status after printing why not. */
static int open_profile(const char *cmd, const opts *o, bst_contract_exec *ex, cli_profile **out) {
    uint64_t interval = CLI_PROFILE_INTERVAL;
    *out = NULL;
    if (o->profile_interval && !cli_profile_interval(cmd, o->profile_interval, &interval))
        return CLI_EXIT_USAGE;
    if (!o->profile) return 0;
    if (!(*out = cli_profile_new(interval))) return EXIT_FAIL;
    ex->sampler = cli_profile_sampler(*out);
    return 0;
}

/* Writes and frees the profile (if any); the exit status rc, or a failure if writing failed. */
static int close_profile(cli_profile *p, const opts *o, int rc) {
    if (p && !cli_profile_write(p, o->profile, o->target) && rc == 0) rc = EXIT_FAIL;
    cli_profile_free(p);
    return rc;
}

/* instantiate / call / query. */
/* The combinations of options instantiate/call/query refuse: 0, or CLI_EXIT_USAGE after
 * printing why.  named is the --constructor/--message given. */
static int check_exec_opts(const char *cmd, const opts *o, bool instantiate, const char *named) {
    if (!o->target) {
        fprintf(stderr, "bastion contract %s: missing %s (see bastion contract --help)\n", cmd,
                instantiate ? "CODEHASH or FILE" : "the contract address");
        return CLI_EXIT_USAGE;
    }
    if (instantiate ? o->message != NULL : o->constructor != NULL) {
        fprintf(stderr, "bastion contract %s: use --%s\n", cmd,
                instantiate ? "constructor" : "message");
        return CLI_EXIT_USAGE;
    }
    if ((o->selector != NULL) + (named != NULL) + (o->data != NULL) != 1) {
        fprintf(stderr,
                "bastion contract %s: give one of --data 0xHEX, --selector or --metadata with "
                "--%s\n",
                cmd, instantiate ? "constructor" : "message");
        return CLI_EXIT_USAGE;
    }
    if (o->data && (o->args_hex || o->nargs)) {
        fprintf(stderr, "bastion contract %s: --data is the whole input: no --args or --arg\n",
                cmd);
        return CLI_EXIT_USAGE;
    }
    /* instantiate FILE.contract without --metadata: the bundle is the metadata (checked below) */
    if (named && ((!o->metadata && !instantiate) || o->args_hex)) {
        fprintf(stderr,
                "bastion contract %s: --%s needs --metadata and takes --arg, not "
                "--args\n",
                cmd, instantiate ? "constructor" : "message");
        return CLI_EXIT_USAGE;
    }
    if (o->selector && o->nargs) {
        fprintf(stderr, "bastion contract %s: --arg needs --%s; with --selector use --args HEX\n",
                cmd, instantiate ? "constructor" : "message");
        return CLI_EXIT_USAGE;
    }
    if (o->salt && !instantiate) {
        fprintf(stderr, "bastion contract %s: --salt is for instantiate\n", cmd);
        return CLI_EXIT_USAGE;
    }
    if (transfer_only(cmd, o)) return CLI_EXIT_USAGE;
    if (!instantiate && (cli_trust_active(&o->trust) || o->trust.required)) {
        fprintf(stderr,
                "bastion contract %s: --trusted-key / --signatures-required are for "
                "upload and instantiate\n",
                cmd);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* The exec's value, limits and deposit limit from the options: 0, or CLI_EXIT_USAGE after
 * printing why. */
static int exec_limits(const char *cmd, const opts *o, bst_contract_exec *ex) {
    if (o->deposit_limit) {
        if (!deposit_limit(cmd, o, ex->storage_deposit_limit)) return CLI_EXIT_USAGE;
        ex->has_deposit_limit = true;
    }
    if (o->value && !parse_u128_le(o->value, ex->value)) {
        fprintf(stderr, "bastion contract %s: bad --value '%s' (a u128, decimal or 0x hex)\n", cmd,
                o->value);
        return CLI_EXIT_USAGE;
    }
    /* --gas 0 is the default limit, as gas_limit 0 in bst_contract_exec */
    if (o->gas && (!cli_parse_u64(o->gas, &ex->gas_limit) || ex->gas_limit > CLI_FUEL_MAX)) {
        fprintf(stderr,
                "bastion contract %s: bad --gas '%s' (0 for the default, at most %" PRIu64 ")\n",
                cmd, o->gas, CLI_FUEL_MAX);
        return CLI_EXIT_USAGE;
    }
    if (o->proof_size && (!cli_parse_u64(o->proof_size, &ex->proof_size_limit) ||
                          ex->proof_size_limit > CLI_FUEL_MAX)) {
        fprintf(stderr,
                "bastion contract %s: bad --proof-size '%s' (0 for the default, at most %" PRIu64
                ")\n",
                cmd, o->proof_size, CLI_FUEL_MAX);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static int cmd_exec(const char *cmd, int argc, char **argv) {
    bool instantiate = strcmp(cmd, "instantiate") == 0;
    bool query = strcmp(cmd, "query") == 0;
    opts o;
    int rc = parse_opts(cmd, argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    const char *named = instantiate ? o.constructor : o.message;
    if ((rc = check_exec_opts(cmd, &o, instantiate, named)) != 0) return rc;

    bst_contract_exec ex;
    memset(&ex, 0, sizeof ex);
    ex.kind = instantiate ? BST_CONTRACT_INSTANTIATE : BST_CONTRACT_CALL;
    ex.dry_run = query;
    if ((rc = exec_limits(cmd, &o, &ex)) != 0) return rc;
    cli_profile *profile;
    if ((rc = open_profile(cmd, &o, &ex, &profile)) != 0) return rc;
    uint8_t *salt = NULL, *input = NULL, *code = NULL;
    size_t salt_len = 0;
    ink_metadata *md = NULL;
    const ink_fn *fn = NULL;
    bst_scale_buf in;
    bst_scale_buf_init(&in);
    session s;
    memset(&s, 0, sizeof s);
    char msg[512];

    if (o.salt && !cli_hex_decode(o.salt, strlen(o.salt), &salt, &salt_len)) {
        fprintf(stderr, "bastion contract %s: bad --salt '%s' (hex)\n", cmd, o.salt);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (instantiate) {
        struct stat st;
        bool is_hash = strlen(o.target) == 66 && stat(o.target, &st) != 0 &&
                       cli_hex_exact(o.target, strlen(o.target), ex.code_hash, 32);
        if (is_hash && (cli_trust_active(&o.trust) || o.trust.required)) {
            fprintf(stderr, "bastion contract instantiate: --trusted-key checks code given as "
                            "FILE.wasm, not a code hash\n");
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        if (!is_hash) {
            if ((rc = cli_trust_load(&o.trust, "contract instantiate"))) goto out;
            bool bundle;
            code = read_file(o.target, &ex.code_len, &bundle, msg, sizeof msg);
            if (!code) {
                fprintf(stderr, "bastion contract instantiate: %s\n", msg);
                rc = EXIT_FAIL;
                goto out;
            }
            if (!cli_trust_check(&o.trust, "contract instantiate", o.target, code, &ex.code_len)) {
                rc = EXIT_FAIL;
                goto out;
            }
            ex.code = code;
            if (bundle && !o.metadata) o.metadata = o.target;
        }
        if (named && !o.metadata) {
            fprintf(stderr, "bastion contract instantiate: --constructor needs --metadata (or a "
                            "FILE.contract bundle)\n");
            rc = CLI_EXIT_USAGE;
            goto out;
        }
    } else {
        bool dev;
        if (!parse_account(o.target, ex.dest, &dev)) {
            fprintf(stderr,
                    "bastion contract %s: bad contract address '%s' (0x + 64 hex "
                    "digits)\n",
                    cmd, o.target);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
    }
    if (o.metadata) {
        md = ink_metadata_load(o.metadata, dev_account, msg, sizeof msg);
        if (!md) {
            fprintf(stderr, "bastion contract %s: %s\n", cmd, msg);
            rc = EXIT_FAIL;
            goto out;
        }
    }
    if (named) {
        fn = ink_metadata_find(md, instantiate, named);
        if (!fn) {
            fprintf(stderr, "bastion contract %s: no %s '%s' in %s; it has:\n", cmd,
                    instantiate ? "constructor" : "message", named, o.metadata);
            ink_metadata_print_spec(md, stderr);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        if (!ink_encode_call(md, fn, o.args, o.nargs, &in, msg, sizeof msg)) {
            fprintf(stderr, "bastion contract %s: %s\n", cmd, msg);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
    } else if (o.data) {
        /* exactly these bytes: empty or shorter than a selector too */
        size_t dlen = 0;
        if (strncmp(o.data, "0x", 2) != 0 ||
            !cli_hex_decode(o.data, strlen(o.data), &input, &dlen)) {
            fprintf(stderr, "bastion contract %s: bad --data '%s' (0x and hex digits)\n", cmd,
                    o.data);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        bst_scale_put_raw(&in, input, dlen);
        if (md && dlen >= 4) fn = ink_metadata_find_selector(md, instantiate, input);
    } else {
        uint8_t sel[4];
        if (!cli_hex_exact(o.selector, strlen(o.selector), sel, 4)) {
            fprintf(stderr, "bastion contract %s: bad --selector '%s' (0x + 8 hex digits)\n", cmd,
                    o.selector);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        size_t alen = 0;
        if (o.args_hex && !cli_hex_decode(o.args_hex, strlen(o.args_hex), &input, &alen)) {
            fprintf(stderr, "bastion contract %s: bad --args '%s' (hex)\n", cmd, o.args_hex);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        bst_scale_put_raw(&in, sel, 4);
        bst_scale_put_raw(&in, input, alen);
        if (md) fn = ink_metadata_find_selector(md, instantiate, sel);
    }
    if (bst_scale_buf_error(&in) != BST_SCALE_OK) {
        fprintf(stderr, "bastion contract %s: out of memory\n", cmd);
        rc = EXIT_FAIL;
        goto out;
    }
    ex.input = in.data;
    ex.input_len = in.len;
    ex.salt = salt;
    ex.salt_len = salt_len;

    rc = open_session(cmd, &o, query, &s);
    if (rc) goto out;
    memcpy(ex.origin, s.caller, 32);
    if (!query && (rc = endow_caller(cmd, &s)) != 0) goto out;
    if (!o.json) cli_print_hex("input", in.data, in.len);
    bst_contract_result res;
    memset(&res, 0, sizeof res);
    bst_status st = bst_contracts_exec(s.c, &ex, &res);
    if (st != BST_OK && res.outcome != BST_CONTRACT_ERROR) {
        res.outcome = BST_CONTRACT_ERROR;
        if (!res.error[0])
            snprintf(res.error, sizeof res.error, "the request failed (status %d)", (int)st);
    }
    rc = outcome_status(&res);
    if (!o.json) {
        print_result(&res, instantiate, md, fn);
    } else if (!contract_print_json(&res, instantiate, in.data, in.len, md, fn)) {
        fprintf(stderr, "bastion contract %s: cannot write the JSON result\n", cmd);
        rc = EXIT_FAIL;
    }
    /* the top-level frame's call, if the contract got to run */
    if (!cli_stats_write(&o.stats, instantiate ? "deploy" : "call",
                         res.stats.owned_ ? &res.stats : NULL) &&
        rc == 0)
        rc = EXIT_FAIL;
    if (rc == EXIT_FAIL)
        fprintf(stderr, "bastion contract %s: %s%s%s\n", cmd,
                bst_contract_outcome_name(res.outcome), res.error[0] ? ": " : "", res.error);
    bst_contract_result_free(&res);
out:
    if (s.c) bst_contracts_close(s.c);
    ink_metadata_free(md);
    bst_scale_buf_free(&in);
    free(salt);
    free(input);
    free(code);
    return close_profile(profile, &o, rc);
}

/* Prints an account's free and reserved balance: labelled lines (LABEL, then free and reserved,
 * prefixed with LABEL_ when prefixed), or JSON. */
static void print_account(const char *label, const uint8_t account[32], const uint8_t free_[16],
                          const uint8_t reserved[16], bool json, bool prefixed) {
    char f[40], r[40];
    bst_scale_u128_decimal(free_, f);
    bst_scale_u128_decimal(reserved, r);
    if (json) {
        printf("{\"%s\":\"0x", label);
        for (int i = 0; i < 32; i++) printf("%02x", account[i]);
        printf("\",\"free\":\"%s\",\"reserved\":\"%s\"}\n", f, r);
        return;
    }
    cli_print_hex(label, account, 32);
    const char *p = prefixed ? label : "", *sep = prefixed ? "_" : "";
    printf("%s%sfree %s\n%s%sreserved %s\n", p, sep, f, p, sep, r);
}

/* balance ACCOUNT: free and reserved balance, read-only. */
static int cmd_balance(int argc, char **argv) {
    opts o;
    int rc = parse_opts("balance", argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    uint8_t account[32], free_[16], reserved[16];
    bool dev;
    if (!o.target || o.selector || o.data || o.args_hex || o.value || o.salt || o.gas ||
        o.metadata || o.message || o.constructor || o.nargs || o.stats.on || o.profile ||
        o.deposit_limit || o.state.nendow || transfer_only("balance", &o)) {
        fputs("usage: bastion contract balance ACCOUNT [--state DIR] [--balance-width 64|128] "
              "[--json]\n",
              stderr);
        return CLI_EXIT_USAGE;
    }
    if (!parse_account(o.target, account, &dev)) {
        fprintf(stderr,
                "bastion contract balance: bad account '%s' (alice ... ferdie, //URI, SS58 or "
                "0x + 64 hex digits)\n",
                o.target);
        return CLI_EXIT_USAGE;
    }
    session s;
    if ((rc = open_session("balance", &o, true, &s))) return rc;
    if (!bst_contracts_account(s.c, account, free_, reserved)) {
        fprintf(stderr, "bastion contract balance: cannot read the state\n");
        rc = EXIT_FAIL;
    } else {
        print_account("account", account, free_, reserved, o.json, false);
    }
    bst_contracts_close(s.c);
    return rc;
}

/* transfer --from WHO --to ACCOUNT --amount N [--keep-alive]. */
static int cmd_transfer(int argc, char **argv) {
    opts o;
    int rc = parse_opts("transfer", argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    if (!o.from || !o.to || !o.amount || o.target || o.caller || o.selector || o.data ||
        o.args_hex || o.value || o.salt || o.gas || o.metadata || o.message || o.constructor ||
        o.nargs || o.stats.on || o.profile || o.deposit_limit || o.json) {
        fputs("usage: bastion contract transfer --from WHO --to ACCOUNT --amount N "
              "[--keep-alive] [--state DIR]\n",
              stderr);
        return CLI_EXIT_USAGE;
    }
    uint8_t to[32], amount[16];
    bool to_dev;
    o.caller = o.from; /* the session's caller is the sender */
    if (!parse_account(o.to, to, &to_dev)) {
        fprintf(stderr,
                "bastion contract transfer: bad --to '%s' (alice ... ferdie, //URI, SS58 or 0x + "
                "64 hex digits)\n",
                o.to);
        return CLI_EXIT_USAGE;
    }
    if (!parse_u128_le(o.amount, amount)) {
        fprintf(stderr, "bastion contract transfer: bad --amount '%s' (a u128)\n", o.amount);
        return CLI_EXIT_USAGE;
    }
    session s;
    if ((rc = open_session("transfer", &o, false, &s))) return rc;
    if ((rc = endow_caller("transfer", &s)) == 0) {
        bst_error err;
        memset(&err, 0, sizeof err);
        if (bst_contracts_transfer(s.c, s.caller, to, amount, o.keep_alive, &err) != BST_OK) {
            fprintf(stderr, "bastion contract transfer: %s\n", err.message);
            printf("error %s\n", err.message);
            rc = EXIT_FAIL;
        } else {
            uint8_t f[16], r[16];
            if (bst_contracts_account(s.c, s.caller, f, r))
                print_account("from", s.caller, f, r, false, true);
            if (bst_contracts_account(s.c, to, f, r)) print_account("to", to, f, r, false, true);
        }
    }
    bst_contracts_close(s.c);
    return rc;
}

int contract_main(int argc, char **argv) {
    if (argc < 1) {
        fputs(CONTRACT_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[0];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(CONTRACT_USAGE, stdout);
        return 0;
    }
    if (strcmp(cmd, "upload") == 0) return cmd_upload(argc, argv);
    if (strcmp(cmd, "balance") == 0) return cmd_balance(argc, argv);
    if (strcmp(cmd, "transfer") == 0) return cmd_transfer(argc, argv);
    if (strcmp(cmd, "instantiate") == 0 || strcmp(cmd, "call") == 0 || strcmp(cmd, "query") == 0)
        return cmd_exec(cmd, argc, argv);
    fprintf(stderr, "bastion contract: unknown contract command '%s'\n\n", cmd);
    fputs(CONTRACT_USAGE, stderr);
    return CLI_EXIT_USAGE;
}
