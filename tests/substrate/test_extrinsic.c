/*
 * test_extrinsic.c — signed extrinsics (bastion_extrinsic.h) against the runtime that must
 * accept them: the node-template local testnet of ../shared/runtimes/node-template-local.json,
 * on its genesis storage.  //Alice -> //Bob transfers pass
 * TaggedTransactionQueue_validate_transaction, apply in block 1 with Ok(Ok(())) and move exactly
 * the amount into Bob's System.Account; a bad signature, a wrong genesis hash, a stale or a
 * future nonce get the runtime's own InvalidTransaction reason; ed25519 and ecdsa signers are
 * checked by the runtime's signature verification too; Rococo's genesis runtime (metadata V14,
 * more signed extensions) validates what is built for it; malformed metadata is an error.
 *
 * Usage: test_substrate_extrinsic RUNTIMES_DIR
 */
#include "substrate_test.h"

#include "bastion_extrinsic.h"
#include "../support/chainspec.h"

/* TransactionValidityError / InvalidTransaction as SCALE bytes after Err (0x01). */
enum { INVALID = 0, FUTURE = 2, STALE = 3, BAD_PROOF = 4, PAYMENT = 1 };
enum { SOURCE_EXTERNAL = 2 };

/* A runtime on the genesis storage of a raw chain spec (genesis.raw.top), with its metadata,
 * version and (given) genesis hash. */
typedef struct chain {
    bst_state_mem *genesis;
    bst_substrate_runtime *rt;
    uint8_t *metadata;
    size_t metadata_len;
    bst_extrinsic_context ctx;
} chain;

static uint8_t *call(chain *c, const char *method, const uint8_t *in, size_t len, size_t *out_len,
                     bool dry) {
    uint8_t *out = NULL;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = (dry ? bst_substrate_call_dry_run : bst_substrate_call)(c->rt, method, in, len,
                                                                            &out, out_len, &err);
    CHECK_MSG(st == BST_OK, "%s: %s", method, err.message);
    if (st != BST_OK) *out_len = 0;
    return out;
}

/* Where the genesis pairs go: the state, and a copy of :code (the runtime's blob). */
typedef struct genesis_load {
    bst_state_mem *m;
    uint8_t *code;
    size_t code_len;
} genesis_load;

static void put_genesis(void *user, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
    genesis_load *g = user;
    REQUIRE(bst_state_mem_put(g->m, NULL, 0, k, kl, v, vl));
    if (kl == 5 && memcmp(k, ":code", 5) == 0) {
        free(g->code);
        g->code = malloc(vl ? vl : 1);
        REQUIRE(g->code);
        memcpy(g->code, v, vl);
        g->code_len = vl;
    }
}

static void open_chain(chain *c, const char *dir, const char *file, const char *genesis_hex) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    memset(c, 0, sizeof *c);
    c->genesis = bst_state_mem_new();
    genesis_load g = {c->genesis, NULL, 0};
    spec_genesis_foreach(path, put_genesis, &g);
    uint8_t *blob = g.code, *code = NULL;
    size_t blob_len = g.code_len, code_len = 0;
    bst_state_mem_finish(c->genesis);
    bst_error err;
    memset(&err, 0, sizeof err);
    REQUIRE(blob && bst_substrate_code_decode(blob, blob_len, 0, &code, &code_len, &err) == BST_OK);
    free(blob);
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    bst_state_backend backend = bst_state_mem_backend(c->genesis);
    o.storage = &backend;
    c->rt = bst_substrate_runtime_new(code, code_len, &o, &err);
    free(code);
    REQUIRE(c->rt);
    c->metadata = call(c, "Metadata_metadata", NULL, 0, &c->metadata_len, false);
    size_t vlen = 0;
    uint8_t *ver = call(c, "Core_version", NULL, 0, &vlen, false);
    bst_substrate_version version;
    REQUIRE(bst_substrate_version_decode(ver, vlen, &version) == BST_SCALE_OK);
    c->ctx.metadata = c->metadata;
    c->ctx.metadata_len = c->metadata_len;
    c->ctx.spec_version = version.spec_version;
    c->ctx.transaction_version = version.transaction_version;
    free(ver);
    uint8_t *h;
    size_t hl;
    REQUIRE(spec_unhex(genesis_hex, &h, &hl) && hl == 32);
    memcpy(c->ctx.genesis_hash, h, 32);
    free(h);
}

static void close_chain(chain *c) {
    bst_substrate_runtime_free(c->rt);
    bst_state_mem_free(c->genesis);
    free(c->metadata);
}

static bst_key_pair key(bst_key_scheme scheme, const char *suri) {
    bst_key_pair k;
    REQUIRE(bst_key_from_suri(scheme, suri, NULL, &k) == BST_SURI_OK);
    return k;
}

static void amount_of(uint64_t v, uint8_t le[16]) {
    memset(le, 0, 16);
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *transfer(chain *c, const bst_key_pair *from, const bst_key_pair *to,
                         uint64_t amount, size_t *len) {
    uint8_t dest[32], le[16], *xt = NULL;
    char err[256] = "";
    bst_key_account_id(to, dest);
    amount_of(amount, le);
    bool ok = bst_extrinsic_transfer(&c->ctx, from, dest, le, &xt, len, err, sizeof err);
    CHECK_MSG(ok, "bst_extrinsic_transfer: %s", err);
    REQUIRE(ok);
    return xt;
}

/* validate_transaction(External, xt, genesis hash), run and discarded: the result bytes. */
static uint8_t *validate(chain *c, const uint8_t *xt, size_t len, size_t *out_len) {
    uint8_t *in = malloc(1 + len + 32);
    REQUIRE(in);
    in[0] = SOURCE_EXTERNAL;
    memcpy(in + 1, xt, len);
    memcpy(in + 1 + len, c->ctx.genesis_hash, 32);
    uint8_t *out =
        call(c, "TaggedTransactionQueue_validate_transaction", in, 1 + len + 32, out_len, true);
    free(in);
    return out;
}

/* Checks that validation gives Err(Invalid(reason)). */
static void expect_invalid(chain *c, const uint8_t *xt, size_t len, uint8_t reason,
                           const char *what) {
    size_t n = 0;
    uint8_t *out = validate(c, xt, len, &n);
    CHECK_MSG(n == 3 && out[0] == 1 && out[1] == INVALID && out[2] == reason,
              "%s: expected Err(Invalid(%u)), got %zu bytes %02x %02x %02x", what, reason, n,
              n > 0 ? out[0] : 0, n > 1 ? out[1] : 0, n > 2 ? out[2] : 0);
    free(out);
}

/* Validation gives Ok(ValidTransaction); *requires = the number of tags it requires. */
static void expect_valid(chain *c, const uint8_t *xt, size_t len, size_t *requires,
                         const char *what) {
    size_t n = 0;
    uint8_t *out = validate(c, xt, len, &n);
    CHECK_MSG(n > 10 && out[0] == 0, "%s: expected Ok(ValidTransaction), got %zu bytes %02x %02x",
              what, n, n > 0 ? out[0] : 0, n > 1 ? out[1] : 0);
    if (requires && n > 10) *requires = out[9] >> 2; /* Ok, priority u64, requires: Vec<Vec<u8>> */
    free(out);
}

/* System.Account of an account: nonce and free balance (AccountInfo { nonce: u32, consumers,
 * providers, sufficients, data: AccountData { free: u128, ... } }). */
static void account(chain *c, const uint8_t id[32], uint32_t *nonce, uint64_t *free_lo) {
    uint8_t k[80];
    bst_twox_128("System", 6, k);
    bst_twox_128("Account", 7, k + 16);
    bst_blake2_128(id, 32, k + 32);
    memcpy(k + 48, id, 32);
    uint8_t *v = NULL;
    size_t n = 0;
    bst_state_res r = bst_state_get(bst_substrate_runtime_state(c->rt), NULL, 0, k, 80, &v, &n);
    *nonce = 0;
    *free_lo = 0;
    if (r == BST_STATE_FOUND && n >= 32) {
        for (int i = 0; i < 4; i++) *nonce |= (uint32_t)v[i] << (8 * i);
        for (int i = 0; i < 8; i++) *free_lo |= (uint64_t)v[16 + i] << (8 * i);
    }
    free(v);
}

/* Core_initialize_block with the header of block 1 on genesis (no digest: the node-template's
 * Aura reads a slot only when a pre-runtime digest is there). */
static void initialize_block_1(chain *c) {
    uint8_t header[32 + 1 + 32 + 32 + 1] = {0};
    memcpy(header, c->ctx.genesis_hash, 32);
    header[32] = 1 << 2; /* number: Compact(1) */
    size_t n = 0;
    free(call(c, "Core_initialize_block", header, sizeof header, &n, false));
}

/* BlockBuilder_apply_extrinsic: the ApplyExtrinsicResult bytes, compared with want. */
static void apply(chain *c, const uint8_t *xt, size_t len, const uint8_t *want, size_t want_len,
                  const char *what) {
    size_t n = 0;
    uint8_t *out = call(c, "BlockBuilder_apply_extrinsic", xt, len, &n, false);
    CHECK_MSG(n == want_len && memcmp(out, want, n) == 0,
              "%s: apply_extrinsic gave %zu bytes %02x %02x %02x", what, n, n > 0 ? out[0] : 0,
              n > 1 ? out[1] : 0, n > 2 ? out[2] : 0);
    free(out);
}

/* The offset of the signature in an extrinsic built for an sr25519 signer with MultiAddress and
 * MultiSignature: after the length prefix, 0x84, Id + 32 bytes, the signature's variant. */
static size_t signature_offset(const uint8_t *xt) {
    size_t prefix = (xt[0] & 3) == 0 ? 1 : (xt[0] & 3) == 1 ? 2 : 4;
    return prefix + 1 + 33 + 1;
}

static const uint8_t OK_OK[] = {0, 0};
static const uint8_t ERR_FUTURE[] = {1, INVALID, FUTURE};

static void node_template(const char *dir) {
    chain c;
    open_chain(&c, dir, "node-template-local.json",
               "6bf30d04495c16ef053de4ac74eac35dfd6473e4907810f450bea1b976ac518f");
    bst_key_pair alice = key(BST_KEY_SR25519, "//Alice"), bob = key(BST_KEY_SR25519, "//Bob");
    uint8_t alice_id[32], bob_id[32];
    bst_key_account_id(&alice, alice_id);
    bst_key_account_id(&bob, bob_id);
    const uint64_t amount = UINT64_C(1000000000000) + 12345, amount2 = 777;

    size_t len = 0, len2 = 0, requires = 99;
    uint8_t *xt0 = transfer(&c, &alice, &bob, amount, &len);
    expect_valid(&c, xt0, len, &requires, "Alice -> Bob, nonce 0");
    CHECK_EQ(requires, 0);

    /* the runtime checks the signature: a flipped bit in it, or a different genesis hash in what
     * was signed, is BadProof; an account with no funds (ed25519 and ecdsa //Alice) passes the
     * signature check and fails on payment */
    uint8_t *bad = malloc(len);
    REQUIRE(bad);
    memcpy(bad, xt0, len);
    bad[signature_offset(bad) + 10] ^= 1;
    expect_invalid(&c, bad, len, BAD_PROOF, "flipped signature bit");
    free(bad);
    c.ctx.genesis_hash[0] ^= 1;
    bad = transfer(&c, &alice, &bob, amount, &len2);
    c.ctx.genesis_hash[0] ^= 1;
    expect_invalid(&c, bad, len2, BAD_PROOF, "wrong genesis hash");
    free(bad);
    bst_key_pair ed = key(BST_KEY_ED25519, "//Alice"), ec = key(BST_KEY_ECDSA, "//Alice");
    bad = transfer(&c, &ed, &bob, amount, &len2);
    expect_invalid(&c, bad, len2, PAYMENT, "ed25519 //Alice (no funds)");
    free(bad);
    bad = transfer(&c, &ec, &bob, amount, &len2);
    CHECK_EQ(len2, len + 1); /* a 65-byte signature */
    expect_invalid(&c, bad, len2, PAYMENT, "ecdsa //Alice (no funds)");
    free(bad);

    /* a future nonce is valid for the pool (it requires the tag of nonce 4) */
    c.ctx.nonce = 5;
    uint8_t *future = transfer(&c, &alice, &bob, amount, &len2);
    requires = 0;
    expect_valid(&c, future, len2, &requires, "nonce 5");
    CHECK_EQ(requires, 1);

    /* block 1: the transfer applies and moves exactly the amount */
    uint32_t nonce_before, bob_nonce;
    uint64_t bob_before, bob_after, alice_before;
    account(&c, bob_id, &bob_nonce, &bob_before);
    account(&c, alice_id, &nonce_before, &alice_before);
    CHECK(bob_before > 0 && alice_before > amount);
    CHECK_EQ(nonce_before, 0);
    initialize_block_1(&c);
    apply(&c, xt0, len, OK_OK, sizeof OK_OK, "Alice -> Bob, nonce 0");
    account(&c, bob_id, &bob_nonce, &bob_after);
    CHECK_EQ(bob_after, bob_before + amount);
    uint32_t nonce_after;
    uint64_t alice_after;
    account(&c, alice_id, &nonce_after, &alice_after);
    CHECK_EQ(nonce_after, 1);
    CHECK(alice_after < alice_before - amount); /* the amount and a fee */
    printf("Alice -> Bob %" PRIu64 ": Bob %" PRIu64 " -> %" PRIu64 ", Alice paid a fee of %" PRIu64
           "\n",
           amount, bob_before, bob_after, alice_before - amount - alice_after);

    /* now nonce 0 is stale, nonce 5 still in the future (and not applicable) */
    expect_invalid(&c, xt0, len, STALE, "nonce 0 again");
    apply(&c, future, len2, ERR_FUTURE, sizeof ERR_FUTURE, "nonce 5 in block 1");
    free(future);
    free(xt0);

    c.ctx.nonce = 1;
    uint8_t *xt1 = transfer(&c, &alice, &bob, amount2, &len);
    apply(&c, xt1, len, OK_OK, sizeof OK_OK, "Alice -> Bob, nonce 1");
    account(&c, bob_id, &bob_nonce, &bob_after);
    CHECK_EQ(bob_after, bob_before + amount + amount2);
    free(xt1);

    /* any call: System.remark(b"hello") with the metadata without its outer length prefix */
    static const uint8_t remark[] = {5 << 2, 'h', 'e', 'l', 'l', 'o'};
    size_t prefix = (c.metadata[0] & 3) == 0 ? 1 : (c.metadata[0] & 3) == 1 ? 2 : 4;
    c.ctx.metadata = c.metadata + prefix;
    c.ctx.metadata_len = c.metadata_len - prefix;
    c.ctx.nonce = 2;
    char err[256] = "";
    uint8_t *xt2 = NULL;
    CHECK_MSG(bst_extrinsic_signed(&c.ctx, &alice, "System", "remark", remark, sizeof remark, &xt2,
                                   &len, err, sizeof err),
              "System.remark: %s", err);
    if (xt2) apply(&c, xt2, len, OK_OK, sizeof OK_OK, "System.remark, nonce 2");
    free(xt2);
    account(&c, alice_id, &nonce_after, &alice_after);
    CHECK_EQ(nonce_after, 3);

    /* errors name what is missing */
    uint8_t index[2] = {0, 0};
    /* this runtime's Balances (spec 100) still calls it `transfer`, variant 0 of pallet 5 */
    CHECK_MSG(bst_extrinsic_call_index(c.metadata, c.metadata_len, "Balances", "transfer", index,
                                       err, sizeof err),
              "%s", err);
    CHECK(index[0] == 5 && index[1] == 0);
    CHECK(!bst_extrinsic_call_index(c.metadata, c.metadata_len, "Balances", "transfer_allow_death",
                                    index, err, sizeof err));
    CHECK(!bst_extrinsic_signed(&c.ctx, &alice, "Assets", "transfer", NULL, 0, &xt2, &len, err,
                                sizeof err));
    CHECK_STR(err, "runtime has no Assets pallet");
    CHECK(!bst_extrinsic_signed(&c.ctx, &alice, "Balances", "mint", NULL, 0, &xt2, &len, err,
                                sizeof err));
    CHECK_STR(err, "pallet Balances has no call mint");
    close_chain(&c);
}

/* Truncated and corrupted metadata: an error or an extrinsic, never a crash (ASan/UBSan check the
 * reads); the intact metadata still builds. */
static void malformed(const char *dir) {
    chain c;
    open_chain(&c, dir, "node-template-local.json",
               "6bf30d04495c16ef053de4ac74eac35dfd6473e4907810f450bea1b976ac518f");
    bst_key_pair alice = key(BST_KEY_SR25519, "//Alice");
    uint8_t dest[32] = {1}, amount[16] = {1};
    uint8_t *copy = malloc(c.metadata_len);
    REQUIRE(copy);
    size_t refused = 0, tries = 0;
    for (size_t cut = 0; cut < c.metadata_len; cut += 1 + cut / 8) {
        bst_extrinsic_context ctx = c.ctx;
        ctx.metadata = c.metadata;
        ctx.metadata_len = cut;
        uint8_t *xt = NULL;
        size_t len = 0;
        char err[128];
        refused += !bst_extrinsic_transfer(&ctx, &alice, dest, amount, &xt, &len, err, sizeof err);
        free(xt);
        tries++;
    }
    CHECK_EQ(refused, tries);
    for (size_t at = 0; at < c.metadata_len; at += 7) {
        memcpy(copy, c.metadata, c.metadata_len);
        copy[at] ^= (uint8_t)(0x5a + at);
        bst_extrinsic_context ctx = c.ctx;
        ctx.metadata = copy;
        uint8_t *xt = NULL;
        size_t len = 0;
        char err[128];
        if (bst_extrinsic_transfer(&ctx, &alice, dest, amount, &xt, &len, err, sizeof err))
            CHECK(xt && len > 100);
        free(xt);
    }
    free(copy);
    close_chain(&c);
}

/* Rococo's genesis runtime (metadata V14): the extrinsic decodes and its signature verifies (the
 * runtime answers with a reason that comes after both: //Alice has no account there). */
static void rococo(const char *dir) {
    chain c;
    open_chain(&c, dir, "rococo.json",
               "6408de7737c59c238890533af25896a2c20608d8b380bb01029acb392781063e");
    bst_key_pair alice = key(BST_KEY_SR25519, "//Alice"), bob = key(BST_KEY_SR25519, "//Bob");
    size_t len = 0, n = 0;
    uint8_t *xt = transfer(&c, &alice, &bob, 1000, &len);
    uint8_t *out = validate(&c, xt, len, &n);
    CHECK_MSG(n >= 3 && out[0] == 1 && out[1] == INVALID && out[2] != BAD_PROOF,
              "Rococo: %zu bytes %02x %02x %02x", n, n > 0 ? out[0] : 0, n > 1 ? out[1] : 0,
              n > 2 ? out[2] : 0);
    printf("Rococo genesis: validate_transaction of //Alice -> //Bob: Err(Invalid(%u))\n",
           n > 2 ? out[2] : 0);
    free(out);
    free(xt);
    close_chain(&c);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s RUNTIMES_DIR\n", argv[0]);
        return 64;
    }
    REQUIRE(bst_crypto_init());
    node_template(argv[1]);
    malformed(argv[1]);
    rococo(argv[1]);
    return h_finish("substrate/extrinsic");
}
