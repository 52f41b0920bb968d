/*
 * chain_cmd.c — `bastion chain init|author|import|export|call|account|head`: a local development
 * chain in one database directory, a thin front of bastion_chain.h.  init reads the raw chain
 * spec (chainspec.c); blocks are exported and imported as hex, one block per line.
 */
#include "chain_cmd.h"
#include "account.h"
#include "bastion_chain.h"
#include "bastion_crypto.h"
#include "bastion_extrinsic.h"
#include "bastion_scale.h"
#include "bastion_substrate.h"
#include "chainspec.h"
#include "json_util.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char CHAIN_USAGE[] =
    "usage: bastion chain init --spec SPEC.json --db DIR [--expect-genesis 0xHASH]\n"
    "       bastion chain author --db DIR [--tx HEX]... [--timestamp MS]\n"
    "       bastion chain import --db DIR FILE...\n"
    "       bastion chain export --db DIR [--from N] [--to N]\n"
    "       bastion chain call --db DIR [--at BLOCK] METHOD [HEX]\n"
    "       bastion chain account --db DIR [--at BLOCK] ACCOUNT\n"
    "       bastion chain head --db DIR\n"
    "       bastion chain transfer --db DIR --from URI --to ACCOUNT --amount N [--count K]\n"
    "                              [--print]\n"
    "A local development chain (Aura, dev authorities //Alice, //Bob, ...) on Bastion's\n"
    "runtime host; DIR holds its blocks and states (a trie database on LMDB).  Every block is "
    "stored with its\n"
    "state and the new head in one transaction: a killed process leaves the previous head.\n"
    "  init     write the genesis block of a raw chain spec (its storage, state root, empty\n"
    "           body) as block 0 and head; print the genesis hash (exit 1 when it differs\n"
    "           from --expect-genesis)\n"
    "  author   build the next block on the head: initialize with the Aura slot (parent's\n"
    "           slot + 1, or --timestamp MS / slot duration), the inherents (timestamp), the\n"
    "           --tx extrinsics (SCALE hex with their length prefix; one the runtime refuses\n"
    "           is left out with its reason), finalize, seal by the slot's dev authority;\n"
    "           print `block N 0xHASH`\n"
    "  import   execute and store blocks (FILE: hex blocks one per line, as export prints,\n"
    "           or one binary SCALE block) whose parent is stored: the Aura seal is checked,\n"
    "           then Core_execute_block runs on the parent's state; a refused block is\n"
    "           reported with the runtime's reason and nothing of it is stored\n"
    "  export   print the canonical blocks N..M (default 1..head) as hex, one per line\n"
    "  call     run the runtime API METHOD with input HEX at the head or --at BLOCK and\n"
    "           discard its changes; the result's hex is the last line\n"
    "  account  print an account's nonce and free balance (System.Account)\n"
    "  head     print the head's number, hash and state root, and the genesis hash\n"
    "  transfer sign a Balances transfer of N (planck) from the secret URI's account to\n"
    "           ACCOUNT (from the runtime's metadata; nonce by AccountNonceApi, immortal,\n"
    "           tip 0), validate it (TaggedTransactionQueue_validate_transaction) and author\n"
    "           a block with it; --count K: K transfers (nonces n..n+K-1) in that block;\n"
    "           --print: print the extrinsics' hex (for author --tx) and author nothing\n"
    "BLOCK: a block number or 0x hash.  ACCOUNT: a secret URI (//Alice), SS58 or 0x hex.\n"
    "options:\n"
    "  --hold-before-commit S  (author) wait S seconds after executing and sealing the block,\n"
    "           before committing it (crash-safety tests kill the process there)\n"
    "Exit status: 0 success, 1 failure (a refused block), 64 misuse.\n";

typedef struct chain_args {
    const char *db, *spec, *expect, *at, *from_s, *to_s, *amount;
    const char **txs;
    size_t ntxs;
    const char **pos; /* positional arguments */
    size_t npos;
    uint64_t timestamp, hold, count;
    bool print_only;
} chain_args;

static int usage_error(const char *fmt, const char *arg) {
    fputs("bastion chain: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(see `bastion chain --help`)\n", stderr);
    return CLI_EXIT_USAGE;
}

/* Parses argv (after the subcommand); returns 0 or the exit status of a usage error. */
static int parse_args(int argc, char **argv, chain_args *a) {
    memset(a, 0, sizeof *a);
    a->txs = calloc((size_t)argc + 1, sizeof *a->txs);
    a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
    if (!a->txs || !a->pos) return usage_error("%s", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        bool has_val = i + 1 < argc;
        if (strcmp(o, "--db") == 0 || strcmp(o, "--spec") == 0 ||
            strcmp(o, "--expect-genesis") == 0 || strcmp(o, "--at") == 0 ||
            strcmp(o, "--tx") == 0 || strcmp(o, "--timestamp") == 0 || strcmp(o, "--from") == 0 ||
            strcmp(o, "--to") == 0 || strcmp(o, "--hold-before-commit") == 0 ||
            strcmp(o, "--amount") == 0 || strcmp(o, "--count") == 0) {
            if (!has_val) return usage_error("%s needs a value", o);
            const char *v = argv[++i];
            if (strcmp(o, "--db") == 0) a->db = v;
            if (strcmp(o, "--spec") == 0) a->spec = v;
            if (strcmp(o, "--expect-genesis") == 0) a->expect = v;
            if (strcmp(o, "--at") == 0) a->at = v;
            if (strcmp(o, "--tx") == 0) a->txs[a->ntxs++] = v;
            if (strcmp(o, "--amount") == 0) a->amount = v;
            /* --from and --to are block numbers for export, accounts for transfer */
            if (strcmp(o, "--from") == 0) a->from_s = v;
            if (strcmp(o, "--to") == 0) a->to_s = v;
            uint64_t *num = strcmp(o, "--timestamp") == 0            ? &a->timestamp
                            : strcmp(o, "--hold-before-commit") == 0 ? &a->hold
                            : strcmp(o, "--count") == 0              ? &a->count
                                                                     : NULL;
            if (num && !cli_parse_u64(v, num)) return usage_error("bad number '%s'", v);
        } else if (strcmp(o, "--print") == 0) {
            a->print_only = true;
        } else if (strcmp(o, "--") == 0) {
            while (++i < argc) a->pos[a->npos++] = argv[i];
        } else if (o[0] == '-' && o[1] == '-') {
            return usage_error("unknown option '%s'", o);
        } else {
            a->pos[a->npos++] = o;
        }
    }
    if (!a->db) return usage_error("%s", "--db DIR is required");
    return 0;
}

static void args_free(chain_args *a) {
    free(a->txs);
    free(a->pos);
}

static void print_block(const char *what, const bst_chain_block_info *b) {
    printf("%s %u 0x", what, (unsigned)b->number);
    for (int i = 0; i < 32; i++) printf("%02x", b->hash[i]);
    printf("\n");
}

/* A block reference: a decimal number (canonical chain) or a 0x hash. */
static bool resolve_block(bst_chain *c, const char *s, uint8_t hash[32]) {
    char err[256];
    bst_chain_block_info info;
    uint64_t n;
    bool ok;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        ok = cli_hex_exact(s, strlen(s), hash, 32) &&
             bst_chain_block_by_hash(c, hash, &info, err, sizeof err);
    else
        ok = cli_parse_u64(s, &n) && n <= UINT32_MAX &&
             bst_chain_block_by_number(c, (uint32_t)n, &info, err, sizeof err);
    if (!ok) {
        fprintf(stderr, "error: no block '%s' in the database\n", s);
        return false;
    }
    memcpy(hash, info.hash, 32);
    return true;
}

/* ---- init ----------------------------------------------------------------------------------- */

static int cmd_init(bst_chain *c, const chain_args *a) {
    uint8_t expect[32];
    if (!a->spec) return usage_error("%s", "init needs --spec SPEC.json");
    if (a->expect && !cli_hex_exact(a->expect, strlen(a->expect), expect, 32))
        return usage_error("--expect-genesis '%s' is not a 32-byte 0x hash", a->expect);
    char why[256];
    uint8_t *text = NULL;
    size_t len = 0;
    if (!cli_read_file(a->spec, CLI_MAX_TEXT_BYTES, &text, &len, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return 1;
    }
    json_error_t jerr;
    json_t *root = cli_json_parse((const char *)text, len, &jerr);
    free(text);
    if (!root) {
        fprintf(stderr, "error: %s: invalid JSON (line %d: %s)\n", a->spec, jerr.line, jerr.text);
        return 1;
    }
    int rc = 1;
    bst_state_mem *mem = bst_state_mem_new();
    if (mem && cli_chainspec_genesis_storage(a->spec, root, mem)) {
        bst_state_backend be = bst_state_mem_backend(mem);
        bst_chain_block_info g;
        if (!bst_chain_init(c, &be, &g, why, sizeof why)) {
            fprintf(stderr, "error: %s\n", why);
        } else {
            cli_print_hex("state_root  ", g.state_root, 32);
            cli_print_hex("genesis_hash", g.hash, 32);
            rc = 0;
            if (a->expect && memcmp(expect, g.hash, 32) != 0) {
                fprintf(stderr, "error: the genesis hash differs from --expect-genesis %s\n",
                        a->expect);
                rc = 1;
            }
        }
    } else if (!mem) {
        fprintf(stderr, "error: out of memory\n");
    }
    bst_state_mem_free(mem);
    json_decref(root);
    return rc;
}

/* ---- author / import ------------------------------------------------------------------------ */

static void hold(void *user) {
    const uint64_t *secs = user;
    if (*secs == 0) return;
    fflush(stdout);
    fprintf(stderr, "holding before the commit for %" PRIu64 " s\n", *secs);
    struct timespec ts = {(time_t)*secs, 0};
    nanosleep(&ts, NULL);
}

static int cmd_author(bst_chain *c, const chain_args *a) {
    if (a->npos) return usage_error("author takes no argument '%s'", a->pos[0]);
    uint8_t **txs = calloc(a->ntxs + 1, sizeof *txs);
    size_t *lens = calloc(a->ntxs + 1, sizeof *lens);
    bst_chain_tx_result *res = calloc(a->ntxs + 1, sizeof *res);
    int rc = 1;
    size_t i = 0;
    if (!txs || !lens || !res) goto out;
    for (; i < a->ntxs; i++)
        if (!cli_hex_decode(a->txs[i], strlen(a->txs[i]), &txs[i], &lens[i])) {
            rc = usage_error("--tx '%.40s' is not hex", a->txs[i]);
            goto out;
        }
    uint64_t secs = a->hold;
    bst_chain_author_options o = {
        (const uint8_t *const *)txs, lens, a->ntxs, res, a->timestamp, hold, &secs};
    bst_chain_block_info b;
    char err[512];
    if (!bst_chain_author(c, &o, &b, err, sizeof err)) {
        fprintf(stderr, "error: %s\n", err);
        goto out;
    }
    for (size_t k = 0; k < a->ntxs; k++)
        printf("tx %zu: %s%s%s\n", k, res[k].included ? "included" : "left out",
               res[k].included && !res[k].dispatch_error ? "" : ": ",
               res[k].included && !res[k].dispatch_error ? "" : res[k].reason);
    print_block("block", &b);
    rc = 0;
out:
    for (size_t k = 0; txs && k < i; k++) free(txs[k]);
    free(txs);
    free(lens);
    free(res);
    return rc;
}

/* Imports one encoded block; prints what happened. */
static bool import_one(bst_chain *c, const uint8_t *p, size_t len, const char *what) {
    bst_chain_block_info b;
    bool known;
    char err[512];
    if (!bst_chain_import(c, p, len, &b, &known, err, sizeof err)) {
        fprintf(stderr, "error: %s: block refused: %s\n", what, err);
        return false;
    }
    bst_chain_block_info head;
    bool is_head = bst_chain_head(c, &head, err, sizeof err) && memcmp(head.hash, b.hash, 32) == 0;
    print_block(known ? "known" : "imported", &b);
    if (!is_head) printf("  (on a side branch: the head is block %u)\n", (unsigned)head.number);
    return true;
}

/* A file of hex blocks, one per line (blank lines skipped), or one binary block. */
static bool import_file(bst_chain *c, const char *path) {
    char why[256];
    uint8_t *data = NULL;
    size_t len = 0;
    if (!cli_read_file(path, (size_t)1 << 30, &data, &len, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return false;
    }
    bool hex = len >= 2 && data[0] == '0' && (data[1] == 'x' || data[1] == 'X');
    bool ok = true;
    if (!hex) {
        ok = import_one(c, data, len, path);
    } else {
        char *line = (char *)data, *end = (char *)data + len;
        for (size_t n = 1; ok && line < end; n++) {
            char *nl = memchr(line, '\n', (size_t)(end - line));
            size_t l = nl ? (size_t)(nl - line) : (size_t)(end - line);
            while (l && (line[l - 1] == '\r' || line[l - 1] == ' ')) l--;
            uint8_t *blk = NULL;
            size_t blen = 0;
            char what[300];
            snprintf(what, sizeof what, "%s:%zu", path, n);
            if (l && !cli_hex_decode(line, l, &blk, &blen)) {
                fprintf(stderr, "error: %s: not hex\n", what);
                ok = false;
            } else if (l) {
                ok = import_one(c, blk, blen, what);
            }
            free(blk);
            line = nl ? nl + 1 : end;
        }
    }
    free(data);
    return ok;
}

static int cmd_import(bst_chain *c, const chain_args *a) {
    if (a->npos == 0) return usage_error("%s", "import needs a FILE of blocks");
    for (size_t i = 0; i < a->npos; i++)
        if (!import_file(c, a->pos[i])) return 1;
    return 0;
}

static int cmd_export(bst_chain *c, const chain_args *a) {
    bst_chain_block_info head, b;
    char err[256];
    uint64_t from = 1, to = 0;
    if ((a->from_s && !cli_parse_u64(a->from_s, &from)) ||
        (a->to_s && !cli_parse_u64(a->to_s, &to)))
        return usage_error("%s", "--from and --to take block numbers");
    if (!bst_chain_head(c, &head, err, sizeof err)) {
        fprintf(stderr, "error: %s\n", err);
        return 1;
    }
    if (!a->to_s) to = head.number;
    for (uint64_t n = from; n <= to && n <= UINT32_MAX; n++) {
        uint8_t *blk;
        size_t len;
        if (!bst_chain_block_by_number(c, (uint32_t)n, &b, err, sizeof err) ||
            !bst_chain_block_encoded(c, b.hash, &blk, &len, err, sizeof err)) {
            fprintf(stderr, "error: %s\n", err);
            return 1;
        }
        cli_print_hex(NULL, blk, len);
        free(blk);
    }
    return 0;
}

/* ---- reads ---------------------------------------------------------------------------------- */

static int cmd_call(bst_chain *c, const chain_args *a) {
    if (a->npos < 1 || a->npos > 2) return usage_error("%s", "call needs METHOD [HEX]");
    uint8_t at[32], *in = NULL, *out = NULL;
    size_t in_len = 0, out_len = 0;
    if (a->at && !resolve_block(c, a->at, at)) return 1;
    if (a->npos == 2 && !cli_hex_decode(a->pos[1], strlen(a->pos[1]), &in, &in_len))
        return usage_error("input '%s' is not hex", a->pos[1]);
    char err[512];
    bool ok = bst_chain_call(c, a->at ? at : NULL, a->pos[0], in, in_len, &out, &out_len, err,
                             sizeof err);
    free(in);
    if (!ok) {
        fprintf(stderr, "error: %s\n", err);
        return 1;
    }
    cli_print_hex(NULL, out, out_len);
    free(out);
    return 0;
}

/* System.Account's key: twox128("System") ++ twox128("Account") ++ blake2_128_concat(id). */
static void account_key(const uint8_t id[32], uint8_t key[80]) {
    bst_twox_128("System", 6, key);
    bst_twox_128("Account", 7, key + 16);
    bst_blake2_128(id, 32, key + 32);
    memcpy(key + 48, id, 32);
}

static int cmd_account(bst_chain *c, const chain_args *a) {
    uint8_t id[32], at[32], key[80];
    if (a->npos != 1) return usage_error("%s", "account needs one ACCOUNT");
    if (!cli_parse_account(a->pos[0], id))
        return usage_error("'%s' is not an account (secret URI, SS58 or 0x hex)", a->pos[0]);
    if (a->at && !resolve_block(c, a->at, at)) return 1;
    account_key(id, key);
    bool found;
    uint8_t *v = NULL;
    size_t len = 0;
    char err[256];
    if (!bst_chain_storage(c, a->at ? at : NULL, key, sizeof key, &found, &v, &len, err,
                           sizeof err)) {
        fprintf(stderr, "error: %s\n", err);
        return 1;
    }
    /* AccountInfo: nonce, consumers, providers, sufficients (u32), then AccountData's free
     * (u128) first */
    uint8_t zero[16] = {0};
    uint32_t nonce = 0;
    if (found && len >= 32)
        nonce = (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
    cli_print_hex("account", id, 32);
    printf("nonce   %" PRIu32 "\nfree    ", nonce);
    char text[40];
    bst_scale_u128_decimal(found && len >= 32 ? v + 16 : zero, text);
    fputs(text, stdout);
    printf("\n");
    free(v);
    return 0;
}

static int cmd_head(bst_chain *c) {
    bst_chain_block_info h;
    uint8_t g[32];
    char err[256];
    if (!bst_chain_head(c, &h, err, sizeof err) || !bst_chain_genesis_hash(c, g, err, sizeof err)) {
        fprintf(stderr, "error: %s\n", err);
        return 1;
    }
    printf("number     %u\n", (unsigned)h.number);
    cli_print_hex("hash      ", h.hash, 32);
    cli_print_hex("state_root", h.state_root, 32);
    printf("slot       %" PRIu64 "\n", h.slot);
    cli_print_hex("genesis   ", g, 32);
    return 0;
}

/* ---- transfer -------------------------------------------------------------------------------- */

/* A runtime call at the head that must succeed; prints the error otherwise. */
static bool head_call(bst_chain *c, const char *method, const uint8_t *in, size_t in_len,
                      uint8_t **out, size_t *out_len) {
    char err[512];
    if (bst_chain_call(c, NULL, method, in, in_len, out, out_len, err, sizeof err)) return true;
    fprintf(stderr, "error: %s\n", err);
    return false;
}

/* What a signed transaction needs from the head: metadata, versions, the signer's nonce and the
 * genesis hash (ctx->metadata malloc'd). */
static bool transfer_context(bst_chain *c, const uint8_t who[32], bst_extrinsic_context *ctx) {
    uint8_t *v = NULL, *n = NULL;
    size_t vlen = 0, nlen = 0;
    char err[256];
    memset(ctx, 0, sizeof *ctx);
    bst_substrate_version ver;
    bool ok = head_call(c, "Core_version", NULL, 0, &v, &vlen) &&
              head_call(c, "AccountNonceApi_account_nonce", who, 32, &n, &nlen);
    if (ok && (bst_substrate_version_decode(v, vlen, &ver) != BST_SCALE_OK ||
               !ver.has_transaction_version || (nlen != 4 && nlen != 8))) {
        fprintf(stderr, "error: unexpected Core_version / AccountNonceApi_account_nonce output\n");
        ok = false;
    }
    if (ok) {
        ctx->spec_version = ver.spec_version;
        ctx->transaction_version = ver.transaction_version;
        for (size_t i = nlen; i-- > 0;) ctx->nonce = ctx->nonce << 8 | n[i];
    }
    free(v);
    free(n);
    if (ok && !bst_chain_genesis_hash(c, ctx->genesis_hash, err, sizeof err)) {
        fprintf(stderr, "error: %s\n", err);
        ok = false;
    }
    uint8_t *meta = NULL;
    size_t meta_len = 0;
    ok = ok && head_call(c, "Metadata_metadata", NULL, 0, &meta, &meta_len);
    ctx->metadata = meta;
    ctx->metadata_len = meta_len;
    return ok;
}

/* TaggedTransactionQueue_validate_transaction (source External, at the head) of the first
 * transaction: a transfer the pool would refuse is reported before any block is built. */
static bool validate_tx(bst_chain *c, const uint8_t *tx, size_t len) {
    bst_chain_block_info head;
    char err[256];
    if (!bst_chain_head(c, &head, err, sizeof err)) {
        fprintf(stderr, "error: %s\n", err);
        return false;
    }
    uint8_t *in = malloc(len + 33), *out = NULL;
    size_t out_len = 0;
    if (!in) return false;
    in[0] = 2; /* TransactionSource::External */
    memcpy(in + 1, tx, len);
    memcpy(in + 1 + len, head.hash, 32);
    bool ok =
        head_call(c, "TaggedTransactionQueue_validate_transaction", in, len + 33, &out, &out_len);
    free(in);
    if (ok && (out_len < 1 || out[0] != 0)) {
        fprintf(stderr, "error: the runtime refuses the transaction: TransactionValidityError 0x");
        for (size_t i = 1; i < out_len && i < 16; i++) fprintf(stderr, "%02x", out[i]);
        fprintf(stderr, "\n");
        ok = false;
    }
    free(out);
    return ok;
}

static int cmd_transfer(bst_chain *c, chain_args *a) {
    uint8_t dest[32], amount[16], who[32];
    bst_key_pair key;
    if (!a->from_s || !a->to_s || !a->amount)
        return usage_error("%s", "transfer needs --from URI --to ACCOUNT --amount N");
    if (bst_key_from_suri(BST_KEY_SR25519, a->from_s, NULL, &key) != BST_SURI_OK)
        return usage_error("--from '%s' is not a secret URI", a->from_s);
    if (!cli_parse_account(a->to_s, dest) || !cli_parse_u128(a->amount, amount)) {
        bst_secure_wipe(&key, sizeof key);
        return usage_error("%s", "--to needs an account and --amount a decimal u128");
    }
    size_t count = a->count ? (size_t)a->count : 1;
    if (count > 10000) {
        bst_secure_wipe(&key, sizeof key);
        return usage_error("%s", "--count is at most 10000");
    }
    bst_key_account_id(&key, who);
    bst_extrinsic_context ctx;
    memset(&ctx, 0, sizeof ctx);
    int rc = 1;
    char err[512];
    const char **txs = realloc(a->txs, count * sizeof *txs);
    if (txs) a->txs = txs;
    char **hex = calloc(count, sizeof *hex);
    if (!txs || !hex || !transfer_context(c, who, &ctx)) goto out;
    a->ntxs = 0;
    for (size_t i = 0; i < count; i++, ctx.nonce++) {
        uint8_t *tx = NULL;
        size_t len = 0;
        if (!bst_extrinsic_transfer(&ctx, &key, dest, amount, &tx, &len, err, sizeof err)) {
            fprintf(stderr, "error: %s\n", err);
            goto out;
        }
        if (i == 0 && !validate_tx(c, tx, len)) {
            free(tx);
            goto out;
        }
        hex[i] = malloc(2 * len + 3);
        if (!hex[i]) {
            free(tx);
            goto out;
        }
        strcpy(hex[i], "0x");
        for (size_t k = 0; k < len; k++) snprintf(hex[i] + 2 + 2 * k, 3, "%02x", tx[k]);
        free(tx);
        a->txs[a->ntxs++] = hex[i];
    }
    if (a->print_only) {
        for (size_t i = 0; i < a->ntxs; i++) printf("%s\n", a->txs[i]);
        rc = 0;
    } else {
        rc = cmd_author(c, a);
    }
out:
    for (size_t i = 0; hex && i < count; i++) free(hex[i]);
    free(hex);
    free((void *)ctx.metadata);
    bst_secure_wipe(&key, sizeof key);
    return rc;
}

int chain_main(int argc, char **argv) {
    if (argc < 1) {
        fputs(CHAIN_USAGE, stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_is_help(argv[0]) || strcmp(argv[0], "help") == 0) {
        fputs(CHAIN_USAGE, stdout);
        return 0;
    }
    static const char *const cmds[] = {"init", "author",  "import", "export",
                                       "call", "account", "head",   "transfer"};
    size_t which = sizeof cmds / sizeof *cmds;
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(argv[0], cmds[i]) == 0) which = i;
    if (which == sizeof cmds / sizeof *cmds) {
        fprintf(stderr, "bastion chain: unknown chain command '%s'\n\n%s", argv[0], CHAIN_USAGE);
        return CLI_EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            fputs(CHAIN_USAGE, stdout);
            return 0;
        }
    chain_args a;
    int rc = parse_args(argc - 1, argv + 1, &a);
    if (rc) {
        args_free(&a);
        return rc;
    }
    char err[512];
    bst_chain *c = bst_chain_open(a.db, err, sizeof err);
    if (!c) {
        fprintf(stderr, "error: %s\n", err);
        args_free(&a);
        return 1;
    }
    switch (which) {
    case 0: rc = cmd_init(c, &a); break;
    case 1: rc = cmd_author(c, &a); break;
    case 2: rc = cmd_import(c, &a); break;
    case 3: rc = cmd_export(c, &a); break;
    case 4: rc = cmd_call(c, &a); break;
    case 5: rc = cmd_account(c, &a); break;
    case 6: rc = cmd_head(c); break;
    default: rc = cmd_transfer(c, &a); break;
    }
    bst_chain_close(c);
    args_free(&a);
    return rc;
}
