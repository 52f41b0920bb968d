/*
 * transfer_tx.c — `bastion runtime transfer-tx`: a signed Balances transfer for a runtime,
 * built by bst_extrinsic_transfer from what the runtime itself says: its metadata
 * (Metadata_metadata), spec and transaction versions (Core_version), the signer's nonce
 * (AccountNonceApi_account_nonce) and the genesis hash of the chain spec's storage.  With
 * --validate the runtime's transaction-pool check runs on it too, and its verdict is decoded.
 */
#include "transfer_tx.h"
#include "account.h"
#include "bastion_extrinsic.h"
#include "bastion_scale.h"
#include "chainspec.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_tx_option(int argc, char **argv, int *i, cli_tx_opts *o) {
    static const char *const names[] = {"--from",   "--to",           "--amount",
                                        "--scheme", "--genesis-hash", "--nonce"};
    const char *a = argv[*i];
    if (strcmp(a, "--validate") == 0) {
        o->validate = true;
        return 1;
    }
    size_t k = 0;
    while (k < sizeof names / sizeof *names && strcmp(a, names[k]) != 0) k++;
    if (k == sizeof names / sizeof *names) return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "bastion runtime transfer-tx: %s needs a value\n", a);
        return -1;
    }
    const char *v = argv[++*i];
    bool ok = true;
    switch (k) {
    case 0: o->from = v; break;
    case 1: o->to = v; break;
    case 2: o->amount = v; break;
    case 3: ok = cli_parse_scheme(v, &o->scheme); break;
    case 4: ok = o->has_genesis = cli_hex_exact(v, strlen(v), o->genesis_hash, 32); break;
    default: ok = o->has_nonce = cli_parse_u64(v, &o->nonce); break;
    }
    if (!ok) {
        static const char *const wants[] = {
            "", "", "", "sr25519, ed25519 or ecdsa", "32 bytes of hex", "a decimal u64"};
        fprintf(stderr, "bastion runtime transfer-tx: %s takes %s, got %s\n", a, wants[k], v);
        return -1;
    }
    return 1;
}

/* The runtime's version; false after printing an error. */
static bool runtime_version(const char *path, bst_substrate_runtime *rt, cli_tx_call_fn call,
                            bst_substrate_version *v, uint8_t **raw, int *rc) {
    size_t len = 0;
    if (!call(rt, path, "Core_version", NULL, 0, true, raw, &len, rc)) return false;
    if (bst_substrate_version_decode(*raw, len, v) != BST_SCALE_OK || !v->has_transaction_version) {
        fprintf(stderr,
                "error: %s: Core_version is not a RuntimeVersion with a transaction "
                "version\n",
                path);
        return false;
    }
    return true;
}

/* The genesis hash of the genesis storage, under the runtime's state version. */
static bool genesis_hash(const char *path, bst_state_mem *genesis, unsigned state_version,
                         uint8_t hash[32]) {
    bst_state_backend be = bst_state_mem_backend(genesis);
    bst_state *st = bst_state_new(&be);
    uint8_t root[32];
    bool ok = st && bst_state_root(st, state_version, root);
    bst_state_free(st);
    if (!ok) {
        fprintf(stderr, "error: %s: cannot compute the genesis state root\n", path);
        return false;
    }
    cli_genesis_hash(root, hash);
    return true;
}

/* The signer's nonce from AccountNonceApi_account_nonce (a u32 or u64, as the runtime's Nonce). */
static bool account_nonce(const char *path, bst_substrate_runtime *rt, cli_tx_call_fn call,
                          const uint8_t id[32], uint64_t *nonce, int *rc) {
    uint8_t *out = NULL;
    size_t len = 0;
    if (!call(rt, path, "AccountNonceApi_account_nonce", id, 32, true, &out, &len, rc))
        return false;
    bool ok = len == 4 || len == 8;
    *nonce = 0;
    for (size_t i = 0; ok && i < len; i++) *nonce |= (uint64_t)out[i] << (8 * i);
    if (!ok)
        fprintf(stderr, "error: %s: AccountNonceApi_account_nonce returned %zu bytes\n", path, len);
    free(out);
    return ok;
}

/* Prints the verdict of validate_transaction (TransactionValidity) to stderr; true for Ok. */
static bool show_validity(const char *path, const uint8_t *p, size_t n) {
    bst_scale_dec d;
    bool is_err = true;
    uint8_t kind = 0, reason = 0;
    bst_scale_dec_init(&d, p, n);
    bst_scale_get_result(&d, &is_err);
    if (d.err == BST_SCALE_OK && !is_err) {
        uint64_t priority = 0;
        size_t requires = 0;
        bst_scale_get_u64(&d, &priority);
        bst_scale_get_len(&d, 1, &requires);
        fprintf(stderr, "validate_transaction: Ok (priority %" PRIu64 ", requires %zu tag%s)\n",
                priority, requires, requires == 1 ? "" : "s");
        return d.err == BST_SCALE_OK;
    }
    bst_scale_get_enum(&d, 2, &kind);
    bst_scale_get_enum(&d, kind == 0 ? 11 : 3, &reason);
    if (d.err != BST_SCALE_OK) {
        fprintf(stderr,
                "error: %s: validate_transaction returned %zu bytes that are not a "
                "TransactionValidity\n",
                path, n);
        return false;
    }
    const char *name = bst_substrate_validity_error_name(kind, reason);
    fprintf(stderr, "validate_transaction: %s(%s", kind == 0 ? "Invalid" : "Unknown", name);
    if (strcmp(name, "Custom") == 0 && d.pos < n) fprintf(stderr, "(%u)", (unsigned)p[d.pos]);
    fprintf(stderr, ")\n");
    return false;
}

/* Runs validate_transaction(External, xt, genesis hash) as a dry run. */
static bool validate(const char *path, bst_substrate_runtime *rt, cli_tx_call_fn call,
                     const uint8_t *xt, size_t len, const uint8_t genesis[32], int *rc) {
    uint8_t *in = malloc(1 + len + 32), *out = NULL;
    size_t out_len = 0;
    if (!in) return false;
    in[0] = 2; /* TransactionSource::External */
    memcpy(in + 1, xt, len);
    memcpy(in + 1 + len, genesis, 32);
    bool ok = call(rt, path, "TaggedTransactionQueue_validate_transaction", in, 1 + len + 32, true,
                   &out, &out_len, rc) &&
              show_validity(path, out, out_len);
    free(in);
    free(out);
    return ok;
}

/* The operands: the signer's key, the destination and the amount; false after printing misuse. */
static bool parse_operands(const char *path, const bst_state_mem *genesis, const cli_tx_opts *o,
                           bst_key_pair *key, uint8_t dest[32], uint8_t amount[16]) {
    const char *what = "bastion runtime transfer-tx";
    if (!o->from || !o->to || !o->amount) {
        fprintf(stderr, "%s: --from, --to and --amount are required\n", what);
        return false;
    }
    bst_suri_status st = bst_key_from_suri(o->scheme, o->from, NULL, key);
    if (st != BST_SURI_OK) {
        fprintf(stderr, "%s: --from: %s\n", what, bst_suri_status_text(st));
        return false;
    }
    if (!cli_parse_account(o->to, dest)) {
        fprintf(stderr, "%s: --to takes a secret URI, an SS58 address or 32 bytes of hex\n", what);
        return false;
    }
    if (!cli_parse_u128(o->amount, amount)) {
        fprintf(stderr, "%s: --amount takes a decimal u128, got %s\n", what, o->amount);
        return false;
    }
    if (!genesis && !o->has_genesis) {
        fprintf(stderr, "%s: %s is a runtime, not a chain spec: give --genesis-hash\n", what, path);
        return false;
    }
    return true;
}

int cli_transfer_tx(const char *path, bst_substrate_runtime *rt, bst_state_mem *genesis,
                    const cli_tx_opts *o, cli_tx_call_fn call) {
    bst_key_pair key;
    uint8_t dest[32], amount[16], signer[32], real[32];
    if (!bst_crypto_init()) {
        fprintf(stderr, "error: libsodium failed to initialise\n");
        return 1;
    }
    if (!parse_operands(path, genesis, o, &key, dest, amount)) return CLI_EXIT_USAGE;
    int rc = 1;
    uint8_t *version_raw = NULL, *metadata = NULL, *xt = NULL;
    size_t metadata_len = 0, xt_len = 0;
    bst_substrate_version v;
    bst_extrinsic_context ctx;
    memset(&ctx, 0, sizeof ctx);
    bst_key_account_id(&key, signer);
    if (!runtime_version(path, rt, call, &v, &version_raw, &rc)) goto out;
    ctx.spec_version = v.spec_version;
    ctx.transaction_version = v.transaction_version;
    /* validation runs at the spec's own genesis hash even when --genesis-hash signs another:
     * the runtime takes the block hash it is given as block 0's (CheckGenesis would agree) */
    if (genesis && !genesis_hash(path, genesis, v.has_state_version ? v.state_version : 0, real))
        goto out;
    memcpy(ctx.genesis_hash, o->has_genesis ? o->genesis_hash : real, 32);
    if (!call(rt, path, "Metadata_metadata", NULL, 0, true, &metadata, &metadata_len, &rc))
        goto out;
    ctx.metadata = metadata;
    ctx.metadata_len = metadata_len;
    ctx.nonce = o->nonce;
    if (!o->has_nonce && !account_nonce(path, rt, call, signer, &ctx.nonce, &rc)) goto out;
    char err[256];
    if (!bst_extrinsic_transfer(&ctx, &key, dest, amount, &xt, &xt_len, err, sizeof err)) {
        fprintf(stderr, "error: %s: %s\n", path, err);
        rc = 1;
        goto out;
    }
    if (o->validate &&
        !validate(path, rt, call, xt, xt_len, genesis ? real : ctx.genesis_hash, &rc)) {
        rc = rc ? rc : 1;
        goto out;
    }
    fprintf(stderr,
            "nonce %" PRIu64 ", spec_version %" PRIu32 ", transaction_version %" PRIu32
            ", genesis 0x",
            ctx.nonce, ctx.spec_version, ctx.transaction_version);
    for (int i = 0; i < 32; i++) fprintf(stderr, "%02x", ctx.genesis_hash[i]);
    fputc('\n', stderr);
    cli_print_hex(NULL, xt, xt_len);
    rc = 0;
out:
    bst_secure_wipe(&key, sizeof key);
    free(version_raw);
    free(metadata);
    free(xt);
    return rc;
}
