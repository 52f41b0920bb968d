/*
 * runtime_cmd.c — `bastion runtime version|metadata|call|transfer-tx`: loads a Substrate runtime
 * with every ext_* host function and prints the RuntimeVersion its `Core_version` returns, the
 * metadata version and pallets of `Metadata_metadata`, the hex result of any runtime API call,
 * or a signed transfer built from the runtime's metadata (transfer_tx.c).
 *
 * FILE is either the runtime code (a wasm binary, or zstd-compressed behind the 8-byte prefix)
 * or a raw chain spec (JSON) whose genesis storage `genesis.raw.top["0x3a636f6465"]` (":code")
 * holds the code as hex (read by chainspec.c; `call` then starts from the genesis storage).
 * Uses only the public APIs (bastion_substrate.h) and the CLI helpers.
 */
#include "runtime_cmd.h"
#include "bastion_substrate.h"
#include "chainspec.h"
#include "proof_io.h"
#include "json_util.h"
#include "transfer_tx.h"
#include "trust.h"
#include "stats.h"
#include "profile.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char RUNTIME_USAGE[] =
    "usage: bastion runtime version [OPTIONS] FILE\n"
    "       bastion runtime metadata [OPTIONS] FILE\n"
    "       bastion runtime call [OPTIONS] FILE METHOD [HEX]\n"
    "       bastion runtime transfer-tx --from SURI --to ACCOUNT --amount N [OPTIONS] FILE\n"
    "  FILE: a Substrate runtime (.wasm, optionally zstd-compressed) or a raw chain spec\n"
    "        (.json) whose genesis storage holds the code under :code (0x3a636f6465).\n"
    "  version   print the decoded RuntimeVersion: from the runtime_version custom\n"
    "            section when the code has one (no instantiation), else Core_version\n"
    "  metadata  call Metadata_metadata and print the metadata version and the pallets\n"
    "  call      call the runtime API function METHOD with the SCALE-encoded input HEX\n"
    "            (default empty) and print the returned bytes as hex\n"
    "  transfer-tx  build a signed Balances transfer (transfer_allow_death, transfer or\n"
    "            transfer_keep_alive, as the runtime has them) from the runtime's metadata\n"
    "            V14/V15, for FILE's genesis state, and print it as hex (the encoded\n"
    "            extrinsic with its length prefix: the input of validate_transaction or\n"
    "            apply_extrinsic); nonce, versions and genesis hash go to stderr\n"
    "options:\n"
    "  --allow-missing   link imports this host does not provide to stubs that trap when\n"
    "                    called (default: such an import is an instantiation error)\n"
    "  --proof PROOF.json --state-root 0x..  (call) run on the state a Merkle proof\n"
    "                    holds (a JSON array of hex trie nodes) instead of the genesis;\n"
    "                    a read of a node the proof lacks fails: \"incomplete proof\"\n"
    "  --record-proof OUT.json  (call, chain spec) write the nodes of the genesis state\n"
    "                    the call read: the proof that replays it with --proof\n"
    "  --dry-run         (call) run and discard: the call's storage changes are rolled\n"
    "                    back even when it succeeds (read-only APIs such as\n"
    "                    TaggedTransactionQueue_validate_transaction)\n"
    "  --offchain        an offchain-worker call: enables the ext_offchain_* worker\n"
    "                    functions (local storage, clock, randomness); without it they trap\n"
    "  --heap static|dynamic  static (default): the memory is its initial size plus\n"
    "                    --heap-pages, fixed; dynamic: it starts at its declared size\n"
    "                    and grows as the allocator needs (Substrate's Dynamic strategy)\n"
    "  --heap-pages N    heap pages beyond the memory's initial size (0..65536,\n"
    "                    default: the chain spec's genesis :heappages, else 2048)\n"
    "  --fuel N          instruction budget of each call (1..2^63-1, default 10000000000)\n"
    "  --log-level N     runtime log messages up to this level go to stderr: 0 off,\n"
    "                    1 error (default), 2 warn, 3 info, 4 debug (also print_*), 5 "
    "trace\n" CLI_STATS_HELP
    "  --profile FILE    sample the runtime's wasm call stack every N units of fuel (the\n"
    "                    instantiation's and the call's) and write FILE.folded and an\n"
    "                    interactive flame graph FILE.svg (docs/observability.md)\n"
    "  --profile-interval N  fuel between samples (1..2^63-1, default 10000)\n" CLI_TX_HELP
    "trust policy (checked on the runtime's wasm, after zstd decompression, before "
    "decoding):\n" CLI_TRUST_HELP(
        "  ") "A trap exits with 10 + the trap kind (see `bastion --help`), other errors with 1,\n"
              "misuse with 64.  FILE must be binary: convert text (.wat) with wat2wasm.\n";

/* A chain spec's code blob, and its genesis storage when `genesis` is not NULL. */
static bool load_chain_spec(const char *path, const uint8_t *text, size_t len, uint8_t **blob,
                            size_t *blob_len, bst_state_mem **genesis) {
    json_error_t jerr;
    json_t *root = cli_json_parse((const char *)text, len, &jerr);
    if (!root) {
        fprintf(stderr,
                "error: %s: not a wasm runtime, and not valid JSON (line %d, column %d: %s)\n",
                path, jerr.line, jerr.column, jerr.text);
        return false;
    }
    bool ok = cli_chainspec_runtime_code(path, root, blob, blob_len);
    if (ok && genesis) {
        *genesis = bst_state_mem_new();
        ok = *genesis && cli_chainspec_genesis_storage(path, root, *genesis);
        if (!ok) {
            bst_state_mem_free(*genesis);
            *genesis = NULL;
            free(*blob);
            *blob = NULL;
        }
    }
    json_decref(root);
    return ok;
}

/* Prints a runtime string (validated UTF-8), escaping control characters. */
static void print_str(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

static void print_version(const bst_substrate_version *v) {
    fputs("spec_name: ", stdout);
    print_str(v->spec_name, v->spec_name_len);
    fputs("\nimpl_name: ", stdout);
    print_str(v->impl_name, v->impl_name_len);
    printf("\nauthoring_version: %" PRIu32 "\n", v->authoring_version);
    printf("spec_version: %" PRIu32 "\n", v->spec_version);
    printf("impl_version: %" PRIu32 "\n", v->impl_version);
    printf("apis: %zu\n", v->napis);
    for (size_t i = 0; i < v->napis; i++) {
        bst_substrate_api api;
        bst_substrate_version_api(v, i, &api);
        fputs("  0x", stdout);
        for (int k = 0; k < 8; k++) printf("%02x", api.id[k]);
        printf(" %" PRIu32 "\n", api.version);
    }
    if (v->has_transaction_version)
        printf("transaction_version: %" PRIu32 "\n", v->transaction_version);
    if (v->has_state_version) printf("state_version: %u\n", (unsigned)v->state_version);
}

static int exit_for(const bst_error *err) {
    if (err->status == BST_ERR_TRAP && err->trap > BST_TRAP_NONE && err->trap < BST_TRAP__COUNT)
        return CLI_EXIT_TRAP_BASE + (int)err->trap;
    return 1;
}

/* The runtime code (plain wasm, decompressed when the blob is zstd-compressed) of FILE: a
 * runtime blob or a raw chain spec whose genesis.raw.top holds it under :code.  When FILE is a
 * chain spec and genesis is not NULL, *genesis receives its genesis storage (free it with
 * bst_state_mem_free; NULL for a plain runtime).  Prints an error to stderr and returns false on
 * failure; on success *code is freed with free(). */
static bool runtime_code_from_file(const char *path, uint8_t **code, size_t *code_len,
                                   bst_state_mem **genesis) {
    char why[512];
    uint8_t *file = NULL, *blob = NULL;
    size_t file_len = 0, blob_len = 0;
    bool ok = false;
    bst_error err;
    memset(&err, 0, sizeof err);
    if (genesis) *genesis = NULL;
    if (!cli_read_file(path, CLI_MAX_TEXT_BYTES, &file, &file_len, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return false;
    }
    size_t first = 0;
    while (first < file_len && (file[first] == ' ' || file[first] == '\t' || file[first] == '\n' ||
                                file[first] == '\r'))
        first++;
    if ((file_len >= 4 && memcmp(file, "\0asm", 4) == 0) ||
        bst_substrate_code_is_compressed(file, file_len)) {
        blob = file;
        blob_len = file_len;
        file = NULL;
    } else if (first < file_len && file[first] == '{') {
        if (!load_chain_spec(path, file, file_len, &blob, &blob_len, genesis)) goto out;
    } else if (cli_is_wat(file, file_len)) {
        cli_wat_error(why, sizeof why, path);
        fprintf(stderr, "error: %s\n", why);
        goto out;
    } else {
        fprintf(stderr,
                "error: %s: neither a wasm runtime (\\0asm), a compressed runtime nor a chain "
                "spec (JSON)\n",
                path);
        goto out;
    }
    if (bst_substrate_code_decode(blob, blob_len, 0, code, code_len, &err) != BST_OK) {
        fprintf(stderr, "error: %s: %s\n", path, cli_err_text(&err));
        goto out;
    }
    ok = true;
out:
    if (!ok && genesis) {
        bst_state_mem_free(*genesis);
        *genesis = NULL;
    }
    free(blob);
    free(file);
    return ok;
}

/* --heap-pages not given: the genesis :heappages of a chain spec, else Substrate's default. */
#define HEAP_PAGES_UNSET UINT32_MAX

/* The heap pages a runtime gets when --heap-pages is not given: the genesis storage's
 * :heappages (a u64, as Substrate reads it from the state), else the default.  False when the
 * storage cannot say (a proof without the nodes on :heappages' path): then nothing is assumed. */
static bool default_heap_pages(const bst_state_backend *genesis, uint32_t *out) {
    static const uint8_t KEY[] = ":heappages";
    uint8_t *v = NULL;
    size_t n = 0;
    uint64_t pages = BST_SUBSTRATE_DEFAULT_HEAP_PAGES;
    bst_state_res r = BST_STATE_ABSENT;
    if (genesis) r = genesis->get(genesis->ctx, NULL, 0, KEY, sizeof KEY - 1, &v, &n);
    if (r == BST_STATE_FOUND && n == 8) {
        pages = 0;
        for (int i = 7; i >= 0; i--) pages = (pages << 8) | v[i];
        if (pages > 65536) pages = 65536; /* the memory cannot grow beyond 4 GiB anyway */
    }
    free(v);
    *out = (uint32_t)pages;
    return r != BST_STATE_ERROR;
}

typedef struct runtime_opts {
    bst_substrate_options sub;
    const char *path;
    cli_trust trust; /* --trusted-key, --signatures-required */
    cli_stats_opt stats;
    cli_profile_opts profile;
    bool dry_run;    /* --dry-run */
    cli_proof proof; /* --proof / --state-root / --record-proof */
    bool is_tx;      /* transfer-tx, whose options are in tx */
    cli_tx_opts tx;
} runtime_opts;

/* Parses OPTIONS and returns the index of the first operand, -1 after printing misuse, or -2
 * after printing the help (--help, -h).  `--` ends the options. */
static int parse_opts(int argc, char **argv, runtime_opts *o, bool is_tx) {
    memset(o, 0, sizeof *o);
    o->is_tx = is_tx;
    bst_substrate_options_default(&o->sub);
    o->dry_run = false;
    memset(&o->proof, 0, sizeof o->proof);
    o->sub.heap_pages = HEAP_PAGES_UNSET;
    o->sub.fuel = CLI_RUNTIME_FUEL;
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *a = argv[i];
        uint64_t v = 0;
        if (strcmp(a, "--") == 0) return i + 1;
        if (cli_is_help(a)) {
            fputs(RUNTIME_USAGE, stdout);
            return -2;
        }
        if (strcmp(a, "--allow-missing") == 0) {
            o->sub.allow_missing = true;
            continue;
        }
        if (strcmp(a, "--heap") == 0) {
            if (i + 1 >= argc ||
                (strcmp(argv[i + 1], "static") && strcmp(argv[i + 1], "dynamic"))) {
                fprintf(stderr, "bastion runtime: --heap takes static or dynamic\n");
                return -1;
            }
            o->sub.heap_dynamic = strcmp(argv[++i], "dynamic") == 0;
            continue;
        }
        if (!strcmp(a, "--proof") || !strcmp(a, "--record-proof") || !strcmp(a, "--state-root")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bastion runtime: %s needs a value\n", a);
                return -1;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--proof")) {
                o->proof.in_path = v;
            } else if (!strcmp(a, "--record-proof")) {
                o->proof.out_path = v;
            } else if (!cli_hex_exact(v, strlen(v), o->proof.root, 32)) {
                fprintf(stderr, "bastion runtime: --state-root takes 32 bytes of hex\n");
                return -1;
            } else {
                o->proof.has_root = true;
            }
            continue;
        }
        if (strcmp(a, "--dry-run") == 0) {
            o->dry_run = true;
            continue;
        }
        if (strcmp(a, "--offchain") == 0) {
            o->sub.offchain = true;
            continue;
        }
        int tx = o->is_tx ? cli_tx_option(argc, argv, &i, &o->tx) : 0;
        if (tx < 0) return -1;
        if (tx) continue;
        int trust = cli_trust_option(&o->trust, "runtime", argc, argv, &i);
        if (trust < 0) return -1;
        if (trust) continue;
        int stats = cli_stats_option("runtime", a, &o->stats);
        if (stats < 0) return -1;
        if (stats) {
            o->sub.config.time_calls = true;
            o->sub.module_config.count_instructions = true;
            continue;
        }
        int profile = cli_profile_option("runtime", argc, argv, &i, &o->profile);
        if (profile < 0) return -1;
        if (profile) continue;
        /* each numeric option with its real range: outside it is an error, never capped */
        static const struct {
            const char *name;
            uint64_t min, max;
        } numeric[] = {{"--heap-pages", 0, 65536}, {"--fuel", 1, INT64_MAX}, {"--log-level", 0, 5}};
        size_t k = 0;
        while (k < 3 && strcmp(a, numeric[k].name) != 0) k++;
        if (k == 3) {
            fprintf(stderr, "bastion runtime: unknown option %s (see bastion runtime --help)\n", a);
            return -1;
        }
        if (i + 1 >= argc || !cli_parse_u64(argv[i + 1], &v)) {
            fprintf(stderr, "bastion runtime: %s needs a number\n", a);
            return -1;
        }
        i++;
        if (v < numeric[k].min || v > numeric[k].max) {
            fprintf(stderr,
                    "bastion runtime: %s must be between %" PRIu64 " and %" PRIu64 ", got %s\n", a,
                    numeric[k].min, numeric[k].max, argv[i]);
            return -1;
        }
        if (k == 0)
            o->sub.heap_pages = (uint32_t)v;
        else if (k == 1)
            o->sub.fuel = v;
        else
            o->sub.max_log_level = (uint32_t)v;
    }
    return i;
}

/* Calls METHOD; prints the error and returns false on failure (*rc set). */
static bool call_runtime(bst_substrate_runtime *rt, const char *path, const char *method,
                         const uint8_t *in, size_t in_len, bool dry_run, uint8_t **out,
                         size_t *out_len, int *rc) {
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = dry_run ? bst_substrate_call_dry_run(rt, method, in, in_len, out, out_len, &err)
                            : bst_substrate_call(rt, method, in, in_len, out, out_len, &err);
    if (st == BST_OK) return true;
    if (err.status == BST_ERR_TRAP)
        fprintf(stderr, "error: %s: %s trapped: %s\n", path, method, cli_err_text(&err));
    else
        fprintf(stderr, "error: %s: %s: %s\n", path, method, cli_err_text(&err));
    *rc = exit_for(&err);
    return false;
}

/* The storage of a --proof call (the proof's nodes) or a --record-proof one (every node of the
 * genesis state, recording what the call reads) in o->storage.  Prints the error and returns
 * false on failure. */
static bool proof_storage(const char *path, const uint8_t *code, size_t code_len,
                          bst_state_mem *genesis, cli_proof *proof, bst_substrate_options *o) {
    if (proof->in_path) {
        if (!cli_proof_load(proof)) return false;
    } else {
        unsigned version = 0;
        if (!genesis) {
            fprintf(stderr, "error: %s: --record-proof needs a chain spec (its genesis state)\n",
                    path);
            return false;
        }
        if (!cli_code_state_version(path, code, code_len, &version) ||
            !cli_proof_of_state(proof, genesis, version))
            return false;
    }
    o->storage = &proof->backend;
    return true;
}

/* Loads FILE and instantiates it; prints the error and returns NULL on failure (*rc set).  When
 * FILE is a chain spec and genesis is not NULL, the runtime's storage starts from the genesis
 * storage, held in *genesis (free it after the runtime). */
static bst_substrate_runtime *open_runtime(const char *path, uint8_t *code, size_t code_len,
                                           const runtime_opts *ro, bst_state_mem **genesis,
                                           cli_proof *proof, int *rc) {
    bst_error err;
    memset(&err, 0, sizeof err);
    *rc = 1;
    if (!code && !runtime_code_from_file(path, &code, &code_len, genesis)) return NULL;
    /* the policy sees the module's own bytes: a signature lives inside the (decompressed) wasm */
    if (!cli_trust_check(&ro->trust, "runtime", path, code, &code_len)) {
        free(code);
        return NULL;
    }
    bst_substrate_options o = ro->sub;
    bst_state_backend backend;
    if (genesis && *genesis) {
        backend = bst_state_mem_backend(*genesis);
        o.storage = &backend;
    }
    if (proof && !proof_storage(path, code, code_len, genesis ? *genesis : NULL, proof, &o)) {
        free(code);
        return NULL;
    }
    if (o.heap_pages == HEAP_PAGES_UNSET && !default_heap_pages(o.storage, &o.heap_pages)) {
        fprintf(stderr, "error: %s: cannot read :heappages from the storage\n", path);
        if (proof) cli_proof_explain_failure(proof, path);
        free(code);
        return NULL;
    }
    bst_substrate_runtime *rt = bst_substrate_runtime_new(code, code_len, &o, &err);
    free(code);
    if (!rt) {
        if (err.status == BST_ERR_TRAP)
            fprintf(stderr, "error: %s: trap while instantiating: %s\n", path, cli_err_text(&err));
        else if (err.offset)
            fprintf(stderr, "error: %s: %s at offset %zu: %s\n", path, bst_status_name(err.status),
                    err.offset, cli_err_text(&err));
        else
            fprintf(stderr, "error: %s: %s: %s\n", path, bst_status_name(err.status),
                    cli_err_text(&err));
        *rc = exit_for(&err);
    }
    return rt;
}

/* What a command makes of the bytes its runtime call returned: prints them and returns the exit
 * status. */
typedef int (*show_fn)(const char *path, const uint8_t *out, size_t out_len);

/* `version`: the decoded RuntimeVersion. */
static int show_version(const char *path, const uint8_t *out, size_t out_len) {
    bst_substrate_version v;
    bst_scale_err se = bst_substrate_version_decode(out, out_len, &v);
    if (se != BST_SCALE_OK) {
        fprintf(stderr,
                "error: %s: Core_version returned %zu bytes that are not a RuntimeVersion: %s\n",
                path, out_len, bst_scale_err_str(se));
        return 1;
    }
    print_version(&v);
    return 0;
}

/* `metadata`: the metadata version and the pallets. */
static int show_metadata(const char *path, const uint8_t *out, size_t out_len) {
    int rc = 1;
    bst_substrate_metadata m;
    const char *why = bst_substrate_metadata_decode(out, out_len, &m);
    if (why) {
        fprintf(stderr, "error: %s: Metadata_metadata returned %zu bytes: %s (version %u)\n", path,
                out_len, why, (unsigned)m.version);
    } else {
        printf("magic: meta\nversion: %u\nbytes: %zu\npallets: %zu\n", (unsigned)m.version, out_len,
               m.npallets);
        for (size_t i = 0; i < m.npallets; i++) {
            if (m.pallets[i].has_index)
                printf("  %3u ", (unsigned)m.pallets[i].index);
            else
                fputs("  ", stdout);
            print_str(m.pallets[i].name, m.pallets[i].name_len);
            putchar('\n');
        }
        rc = 0;
    }
    bst_substrate_metadata_free(&m);
    return rc;
}

/* `call`: the returned bytes as hex. */
static int show_hex(const char *path, const uint8_t *out, size_t out_len) {
    (void)path;
    cli_print_hex(NULL, out, out_len);
    return 0;
}

/* run_method's flags: a chain spec's genesis storage lies under the runtime's storage; the call
 * is a dry run. */
#define RUN_GENESIS 1u
#define RUN_DRY 2u

/* Loads FILE (unless its runtime code is already in code/code_len, which this takes over; not
 * with RUN_GENESIS), calls METHOD with the input and hands the result to show. */
static int run_method(const char *path, uint8_t *code, size_t code_len, const runtime_opts *opts,
                      unsigned flags, cli_proof *proof, const char *method, const uint8_t *in,
                      size_t in_len, show_fn show) {
    bool with_genesis = flags & RUN_GENESIS;
    uint8_t *out = NULL;
    size_t out_len = 0;
    int rc = 1;
    bst_state_mem *genesis = NULL;
    bst_substrate_runtime *rt =
        open_runtime(path, code, code_len, opts, with_genesis ? &genesis : NULL, proof, &rc);
    if (rt && call_runtime(rt, path, method, in, in_len, flags & RUN_DRY, &out, &out_len, &rc)) {
        rc = show(path, out, out_len);
        if (proof && proof->out_path && !cli_proof_write_recorded(proof)) rc = 1;
    } else if (rt && proof) {
        cli_proof_explain_failure(proof, path);
    }
    bst_call_stats stats;
    if (rt &&
        !cli_stats_write(&opts->stats, method,
                         bst_substrate_call_stats(rt, &stats) ? &stats : NULL) &&
        rc == 0)
        rc = 1;
    free(out);
    bst_substrate_runtime_free(rt);
    bst_state_mem_free(genesis); /* after the runtime, which reads it */
    if (proof) cli_proof_free(proof);
    return rc;
}

/* `version`: from the runtime_version custom section when the code has one (no
 * instantiation, as Substrate reads it), else by calling Core_version.  A trust policy,
 * --stats and --profile are about running the code: with any of them it is called. */
static int cmd_version(const char *path, const runtime_opts *opts) {
    uint8_t *code = NULL, *out = NULL;
    size_t code_len = 0, out_len = 0;
    if (cli_trust_active(&opts->trust) || opts->stats.on || opts->profile.file)
        return run_method(path, NULL, 0, opts, 0, NULL, "Core_version", NULL, 0, show_version);
    if (!runtime_code_from_file(path, &code, &code_len, NULL)) return 1;
    if (!bst_substrate_embedded_version(code, code_len, &out, &out_len)) /* call it: same bytes */
        return run_method(path, code, code_len, opts, 0, NULL, "Core_version", NULL, 0,
                          show_version);
    free(code);
    fprintf(stderr, "note: %s: version read from the runtime_version custom section\n", path);
    int rc = show_version(path, out, out_len);
    free(out);
    return rc;
}

static int cmd_call(const char *path, const char *method, const char *hex, const runtime_opts *opts,
                    bool dry_run, cli_proof *proof) {
    uint8_t *in = NULL;
    size_t in_len = 0;
    if (hex && !cli_hex_decode(hex, strlen(hex), &in, &in_len)) {
        fprintf(stderr, "bastion runtime call: input is not hex: %s\n", hex);
        return CLI_EXIT_USAGE;
    }
    bool uses_proof = proof->in_path || proof->out_path;
    unsigned flags = (proof->in_path ? 0 : RUN_GENESIS) | (dry_run ? RUN_DRY : 0);
    int rc = run_method(path, NULL, 0, opts, flags, uses_proof ? proof : NULL, method, in, in_len,
                        show_hex);
    free(in);
    return rc;
}

/* `transfer-tx`: the runtime on FILE's genesis storage builds and prints the transfer. */
static int cmd_transfer_tx(const char *path, const runtime_opts *opts) {
    int rc = 1;
    bst_state_mem *genesis = NULL;
    bst_substrate_runtime *rt = open_runtime(path, NULL, 0, opts, &genesis, NULL, &rc);
    if (rt) rc = cli_transfer_tx(path, rt, genesis, &opts->tx, call_runtime);
    bst_substrate_runtime_free(rt);
    bst_state_mem_free(genesis); /* after the runtime, which reads it */
    return rc;
}

int runtime_main(int argc, char **argv) {
    if (argc >= 1 && (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0 ||
                      strcmp(argv[0], "help") == 0)) {
        fputs(RUNTIME_USAGE, stdout);
        return 0;
    }
    if (argc < 1) {
        fputs(RUNTIME_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[0];
    bool call = strcmp(sub, "call") == 0, tx = strcmp(sub, "transfer-tx") == 0;
    if (!call && !tx && strcmp(sub, "version") != 0 && strcmp(sub, "metadata") != 0) {
        fprintf(stderr, "bastion runtime: unknown runtime command '%s'\n\n%s", sub, RUNTIME_USAGE);
        return CLI_EXIT_USAGE;
    }
    runtime_opts o;
    memset(&o, 0, sizeof o);
    int first = parse_opts(argc - 1, argv + 1, &o, tx);
    if (first == -2) return 0;
    if (first < 0) return CLI_EXIT_USAGE;
    int trc = cli_trust_load(&o.trust, "runtime");
    if (trc) return trc;
    int nops = argc - 1 - first;
    char **ops = argv + 1 + first;
    if ((o.proof.in_path != NULL) != o.proof.has_root || (o.proof.in_path && o.proof.out_path) ||
        ((o.proof.in_path || o.proof.out_path) && !call)) {
        fprintf(stderr, "bastion runtime: --proof goes with --state-root, --record-proof alone, "
                        "both only with call\n");
        return CLI_EXIT_USAGE;
    }
    if (call ? nops != 2 && nops != 3 : nops != 1) {
        fprintf(stderr, "bastion runtime %s: expected %s, got %d argument%s\n\n%s", sub,
                call ? "FILE METHOD [HEX]" : "FILE", nops, nops == 1 ? "" : "s", RUNTIME_USAGE);
        return CLI_EXIT_USAGE;
    }
    cli_profile *profile = NULL;
    if (o.profile.file) {
        if (!(profile = cli_profile_new(o.profile.interval))) return 1;
        o.sub.sampler = cli_profile_sampler(profile);
    }
    int rc;
    if (call)
        rc = cmd_call(ops[0], ops[1], nops == 3 ? ops[2] : NULL, &o, o.dry_run, &o.proof);
    else if (tx)
        rc = cmd_transfer_tx(ops[0], &o);
    else if (strcmp(sub, "version") == 0)
        rc = cmd_version(ops[0], &o);
    else
        rc = run_method(ops[0], NULL, 0, &o, 0, NULL, "Metadata_metadata", NULL, 0, show_metadata);
    if (profile && !cli_profile_write(profile, o.profile.file, ops[0]) && !rc) rc = 1;
    cli_profile_free(profile);
    return rc;
}
