/*
 * test_extrinsic_synth.c — signed extrinsics (bastion_extrinsic.h) from metadata written here,
 * byte by byte, in the layouts of V14 and V15: the extrinsic of an ed25519 signer (whose
 * signatures are deterministic) must equal the one assembled by hand from the format (call
 * index, MultiAddress::Id, MultiSignature::Ed25519, the extensions' extra and additional data in
 * their order, the payload hashed over 256 bytes); and the registry's types decide: a u64
 * balance takes a fixed-width value and refuses one over 2^64, an unknown extension that
 * carries data is refused by name, a type that refers to itself many times over is refused
 * after bounded work.
 */
#include "../support/check.h"
#include "bastion_extrinsic.h"
#include "bastion_scale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The type ids of the registry below. */
enum {
    T_U8,
    T_ARR32,
    T_ACCOUNT,
    T_U128,
    T_COMPACT_U128,
    T_ADDRESS,
    T_CALL,
    T_ARR64,
    T_SIGNATURE,
    T_UNIT,
    T_U32,
    T_COMPACT_U32,
    T_CHECK_NONCE,
    T_EXTRINSIC,
    T_FANOUT,
    T_H256,
    T_U64,
    T_COUNT
};

/* How the metadata varies between cases. */
typedef struct variant {
    unsigned version;    /* 14 or 15 */
    unsigned value_ty;   /* the type of transfer's value */
    unsigned dest_ty;    /* the type of transfer's dest */
    bool data_extension; /* an unknown extension with a u32 of extra */
    size_t remark_len;   /* System.remark's bytes: long makes the payload hashed */
} variant;

static void str(bst_scale_buf *b, const char *s) { bst_scale_put_str(b, s, strlen(s)); }

/* Type { path, params, def, docs } with no params unless the caller adds them. */
static void type_head(bst_scale_buf *b, unsigned id, const char *path) {
    bst_scale_put_compact_u64(b, id);
    bst_scale_put_len(b, path ? 1 : 0);
    if (path) str(b, path);
}

static void field(bst_scale_buf *b, const char *name, unsigned ty) {
    bst_scale_put_option(b, name != NULL);
    if (name) str(b, name);
    bst_scale_put_compact_u64(b, ty);
    bst_scale_put_option(b, false); /* type_name */
    bst_scale_put_len(b, 0);        /* docs */
}

static void prim(bst_scale_buf *b, unsigned id, uint8_t p) {
    type_head(b, id, NULL);
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 5);
    bst_scale_put_u8(b, p);
    bst_scale_put_len(b, 0);
}

/* A composite of n fields, all of type ty. */
static void composite(bst_scale_buf *b, unsigned id, const char *path, size_t n, unsigned ty) {
    type_head(b, id, path);
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 0);
    bst_scale_put_len(b, n);
    for (size_t i = 0; i < n; i++) field(b, NULL, ty);
    bst_scale_put_len(b, 0);
}

static void array(bst_scale_buf *b, unsigned id, uint32_t len, unsigned ty) {
    type_head(b, id, NULL);
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 3);
    bst_scale_put_u32(b, len);
    bst_scale_put_compact_u64(b, ty);
    bst_scale_put_len(b, 0);
}

/* A variant with one unnamed field of type ty. */
static void variant1(bst_scale_buf *b, const char *name, uint8_t index, unsigned ty) {
    str(b, name);
    bst_scale_put_len(b, 1);
    field(b, NULL, ty);
    bst_scale_put_u8(b, index);
    bst_scale_put_len(b, 0);
}

static void registry(bst_scale_buf *b, const variant *v) {
    bst_scale_put_len(b, T_COUNT);
    prim(b, T_U8, 3);
    array(b, T_ARR32, 32, T_U8);
    composite(b, T_ACCOUNT, "AccountId32", 1, T_ARR32);
    prim(b, T_U128, 7);
    type_head(b, T_COMPACT_U128, NULL);
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 6);
    bst_scale_put_compact_u64(b, T_U128);
    bst_scale_put_len(b, 0);
    type_head(b, T_ADDRESS, "MultiAddress"); /* Index (1) listed first: found by name */
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 1);
    bst_scale_put_len(b, 2);
    variant1(b, "Index", 1, T_COMPACT_U32);
    variant1(b, "Id", 0, T_ACCOUNT);
    bst_scale_put_len(b, 0);
    type_head(b, T_CALL, "Call"); /* Balances::transfer_allow_death = 7, System-like remark = 1 */
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 1);
    bst_scale_put_len(b, 2);
    str(b, "remark");
    bst_scale_put_len(b, 1);
    field(b, "remark", T_U8); /* not used: the arguments come encoded */
    bst_scale_put_u8(b, 1);
    bst_scale_put_len(b, 0);
    str(b, "transfer_allow_death");
    bst_scale_put_len(b, 2);
    field(b, "dest", v->dest_ty);
    field(b, "value", v->value_ty);
    bst_scale_put_u8(b, 7);
    bst_scale_put_len(b, 0);
    bst_scale_put_len(b, 0);
    array(b, T_ARR64, 64, T_U8);
    type_head(b, T_SIGNATURE, "MultiSignature");
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 1);
    bst_scale_put_len(b, 2);
    variant1(b, "Ed25519", 0, T_ARR64);
    variant1(b, "Sr25519", 1, T_ARR64);
    bst_scale_put_len(b, 0);
    type_head(b, T_UNIT, NULL); /* () */
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 4);
    bst_scale_put_len(b, 0);
    bst_scale_put_len(b, 0);
    prim(b, T_U32, 5);
    type_head(b, T_COMPACT_U32, NULL);
    bst_scale_put_len(b, 0);
    bst_scale_put_u8(b, 6);
    bst_scale_put_compact_u64(b, T_U32);
    bst_scale_put_len(b, 0);
    composite(b, T_CHECK_NONCE, "CheckNonce", 1, T_COMPACT_U32);
    /* UncheckedExtrinsic<Address, Call, Signature, Extra> */
    type_head(b, T_EXTRINSIC, "UncheckedExtrinsic");
    static const char *const params[] = {"Address", "Call", "Signature", "Extra"};
    static const unsigned param_ty[] = {T_ADDRESS, T_CALL, T_SIGNATURE, T_UNIT};
    bst_scale_put_len(b, 4);
    for (int i = 0; i < 4; i++) {
        str(b, params[i]);
        bst_scale_put_option(b, true);
        bst_scale_put_compact_u64(b, param_ty[i]);
    }
    bst_scale_put_u8(b, 0);
    bst_scale_put_len(b, 0);
    bst_scale_put_len(b, 0);
    composite(b, T_FANOUT, "Fanout", 16, T_FANOUT);
    composite(b, T_H256, "H256", 1, T_ARR32);
    prim(b, T_U64, 6);
}

static void extension(bst_scale_buf *b, const char *id, unsigned ty, unsigned additional) {
    str(b, id);
    bst_scale_put_compact_u64(b, ty);
    bst_scale_put_compact_u64(b, additional);
}

/* The metadata of variant v, as Metadata_metadata returns it (with the outer Vec<u8>). */
static void metadata(const variant *v, bst_scale_buf *out) {
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_raw(&b, "meta", 4);
    bst_scale_put_u8(&b, (uint8_t)v->version);
    registry(&b, v);
    static const char *const pallets[] = {"System", "Balances"};
    static const uint8_t index[] = {0, 5};
    bst_scale_put_len(&b, 2);
    for (int i = 0; i < 2; i++) {
        str(&b, pallets[i]);
        bst_scale_put_option(&b, false); /* storage */
        bst_scale_put_option(&b, true);  /* calls */
        bst_scale_put_compact_u64(&b, T_CALL);
        bst_scale_put_option(&b, false); /* event */
        bst_scale_put_len(&b, 0);        /* constants */
        bst_scale_put_option(&b, false); /* error */
        bst_scale_put_u8(&b, index[i]);
        if (v->version >= 15) bst_scale_put_len(&b, 0); /* docs */
    }
    if (v->version == 14) bst_scale_put_compact_u64(&b, T_EXTRINSIC);
    bst_scale_put_u8(&b, 4);
    if (v->version >= 15) {
        bst_scale_put_compact_u64(&b, T_ADDRESS);
        bst_scale_put_compact_u64(&b, T_CALL);
        bst_scale_put_compact_u64(&b, T_SIGNATURE);
        bst_scale_put_compact_u64(&b, T_UNIT);
    }
    bst_scale_put_len(&b, v->data_extension ? 5 : 4);
    extension(&b, "CheckSpecVersion", T_UNIT, T_U32);
    extension(&b, "CheckGenesis", T_UNIT, T_H256);
    extension(&b, "CheckNonce", T_CHECK_NONCE, T_UNIT);
    extension(&b, "CheckSomethingNew", T_UNIT, T_UNIT); /* unknown, empty: nothing */
    if (v->data_extension) extension(&b, "CheckSomethingElse", T_U32, T_UNIT);
    bst_scale_put_compact_u64(&b, T_UNIT); /* the runtime type */
    if (v->version >= 15) {                /* apis, outer enums, custom */
        bst_scale_put_len(&b, 0);
        for (int i = 0; i < 3; i++) bst_scale_put_compact_u64(&b, T_UNIT);
        bst_scale_put_len(&b, 0);
    }
    REQUIRE(bst_scale_buf_error(&b) == BST_SCALE_OK);
    bst_scale_buf_init(out);
    bst_scale_put_bytes(out, b.data, b.len);
    bst_scale_buf_free(&b);
}

static const uint8_t GENESIS[32] = {0xab, 0xcd, 0xef};
enum { SPEC = 0x01020304, NONCE = 70000 };

static bst_key_pair signer(void) {
    static const uint8_t seed[32] = {42};
    bst_key_pair k;
    memset(&k, 0, sizeof k);
    k.scheme = BST_KEY_ED25519;
    bst_ed25519_from_seed(seed, k.pub, k.secret);
    k.pub_len = 32;
    return k;
}

/* The extrinsic assembled by hand: call ++ extra ++ additional signed, then the envelope. */
static void expected(const bst_key_pair *k, const uint8_t *call, size_t call_len,
                     bst_scale_buf *out) {
    bst_scale_buf extra, payload, body;
    bst_scale_buf_init(&extra);
    bst_scale_buf_init(&payload);
    bst_scale_buf_init(&body);
    bst_scale_put_compact_u64(&extra, NONCE); /* CheckNonce: Compact<u32> */
    bst_scale_put_raw(&payload, call, call_len);
    bst_scale_put_raw(&payload, extra.data, extra.len);
    bst_scale_put_u32(&payload, SPEC);        /* CheckSpecVersion */
    bst_scale_put_raw(&payload, GENESIS, 32); /* CheckGenesis */
    uint8_t sig[64], hash[32];
    if (payload.len > 256) {
        bst_blake2_256(payload.data, payload.len, hash);
        bst_ed25519_sign(k->secret, hash, 32, sig);
    } else {
        bst_ed25519_sign(k->secret, payload.data, payload.len, sig);
    }
    bst_scale_put_u8(&body, 0x84);
    bst_scale_put_u8(&body, 0); /* MultiAddress::Id */
    bst_scale_put_raw(&body, k->pub, 32);
    bst_scale_put_u8(&body, 0); /* MultiSignature::Ed25519 */
    bst_scale_put_raw(&body, sig, 64);
    bst_scale_put_raw(&body, extra.data, extra.len);
    bst_scale_put_raw(&body, call, call_len);
    bst_scale_buf_init(out);
    bst_scale_put_bytes(out, body.data, body.len);
    bst_scale_buf_free(&extra);
    bst_scale_buf_free(&payload);
    bst_scale_buf_free(&body);
}

static bst_extrinsic_context context(const bst_scale_buf *meta) {
    bst_extrinsic_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.metadata = meta->data;
    ctx.metadata_len = meta->len;
    memcpy(ctx.genesis_hash, GENESIS, 32);
    ctx.spec_version = SPEC;
    ctx.transaction_version = 9;
    ctx.nonce = NONCE;
    return ctx;
}

static const uint8_t DEST[32] = {0xde, 0x57};

/* transfer_allow_death(Id(DEST), amount) for this metadata must be exactly what the format says. */
static void known_answer(unsigned version, unsigned value_ty) {
    variant v = {version, value_ty, T_ADDRESS, false, 0};
    bst_scale_buf meta, call, want;
    metadata(&v, &meta);
    bst_extrinsic_context ctx = context(&meta);
    bst_key_pair k = signer();
    uint8_t amount[16] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    bst_scale_buf_init(&call);
    bst_scale_put_u8(&call, 5); /* Balances */
    bst_scale_put_u8(&call, 7); /* transfer_allow_death */
    bst_scale_put_u8(&call, 0); /* Id */
    bst_scale_put_raw(&call, DEST, 32);
    bst_scale_u128 a = {0x8877665544332211u, 0};
    if (value_ty == T_COMPACT_U128)
        bst_scale_put_compact_u128(&call, a);
    else
        bst_scale_put_u64(&call, a.lo);
    expected(&k, call.data, call.len, &want);
    uint8_t *xt = NULL;
    size_t len = 0;
    char err[200] = "";
    bool ok = bst_extrinsic_transfer(&ctx, &k, DEST, amount, &xt, &len, err, sizeof err);
    CHECK_MSG(ok, "V%u: %s", version, err);
    CHECK_MSG(ok && len == want.len && memcmp(xt, want.data, len) == 0,
              "V%u value type %u: the extrinsic differs from the one assembled by hand", version,
              value_ty);
    free(xt);
    /* the same metadata without its outer length prefix */
    size_t prefix = (meta.data[0] & 3) == 0 ? 1 : (meta.data[0] & 3) == 1 ? 2 : 4;
    ctx.metadata = meta.data + prefix;
    ctx.metadata_len = meta.len - prefix;
    ok = bst_extrinsic_transfer(&ctx, &k, DEST, amount, &xt, &len, err, sizeof err);
    CHECK_MSG(ok && len == want.len && memcmp(xt, want.data, len) == 0, "V%u unprefixed: %s",
              version, err);
    free(xt);
    /* a u64 balance refuses what does not fit it */
    if (value_ty == T_U64) {
        ctx.metadata = meta.data;
        ctx.metadata_len = meta.len;
        amount[8] = 1;
        CHECK(!bst_extrinsic_transfer(&ctx, &k, DEST, amount, &xt, &len, err, sizeof err));
        CHECK_STR(err, "transfer amount: value does not fit the runtime's u64");
    }
    bst_scale_buf_free(&meta);
    bst_scale_buf_free(&call);
    bst_scale_buf_free(&want);
}

/* A long System.remark: the payload over 256 bytes is signed as its BLAKE2b-256. */
static void long_payload(unsigned version) {
    variant v = {version, T_COMPACT_U128, T_ADDRESS, false, 0};
    bst_scale_buf meta, args, call, want;
    metadata(&v, &meta);
    bst_extrinsic_context ctx = context(&meta);
    bst_key_pair k = signer();
    uint8_t text[300];
    memset(text, 'r', sizeof text);
    bst_scale_buf_init(&args);
    bst_scale_put_bytes(&args, text, sizeof text);
    bst_scale_buf_init(&call);
    bst_scale_put_u8(&call, 0); /* "System" */
    bst_scale_put_u8(&call, 1); /* remark */
    bst_scale_put_raw(&call, args.data, args.len);
    expected(&k, call.data, call.len, &want);
    uint8_t *xt = NULL;
    size_t len = 0;
    char err[200] = "";
    bool ok = bst_extrinsic_signed(&ctx, &k, "System", "remark", args.data, args.len, &xt, &len,
                                   err, sizeof err);
    CHECK_MSG(ok && len == want.len && memcmp(xt, want.data, len) == 0, "V%u long remark: %s",
              version, err);
    free(xt);
    bst_scale_buf_free(&meta);
    bst_scale_buf_free(&args);
    bst_scale_buf_free(&call);
    bst_scale_buf_free(&want);
}

/* What the builder refuses, with its message. */
static void refused(variant v, const char *want) {
    bst_scale_buf meta;
    metadata(&v, &meta);
    bst_extrinsic_context ctx = context(&meta);
    bst_key_pair k = signer();
    uint8_t amount[16] = {1};
    uint8_t *xt = NULL;
    size_t len = 0;
    char err[200] = "";
    CHECK(!bst_extrinsic_transfer(&ctx, &k, DEST, amount, &xt, &len, err, sizeof err));
    CHECK(xt == NULL);
    CHECK_STR(err, want);
    bst_scale_buf_free(&meta);
}

int main(void) {
    REQUIRE(bst_crypto_init());
    for (unsigned version = 14; version <= 15; version++) {
        known_answer(version, T_COMPACT_U128);
        known_answer(version, T_U64);
        long_payload(version);
        refused((variant){version, T_COMPACT_U128, T_ADDRESS, true, 0},
                "signed extension CheckSomethingElse is not known and carries data: cannot "
                "build its value");
        refused((variant){version, T_COMPACT_U128, T_FANOUT, false, 0},
                "transfer dest: the runtime's type is not [u8; 32]");
        refused((variant){version, T_ADDRESS, T_ADDRESS, false, 0},
                "transfer amount: type 5 is not an unsigned integer");
    }
    return check_finish("substrate/extrinsic_synth");
}
