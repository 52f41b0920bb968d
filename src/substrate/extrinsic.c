/*
 * extrinsic.c — signed extrinsics built from runtime metadata V14/V15 (include/bastion_extrinsic.h):
 * the call index, the values of the call, address, signature and signed extensions encoded by
 * the types the registry declares for them (meta.h), the signing payload and the assembled
 * version-4 extrinsic.
 *
 * Values are encoded by type rather than assumed: an integer by walking single-field wrappers
 * down to a Compact or a fixed-width primitive (range-checked), a 32-byte id down to a [u8; 32],
 * the "empty" value of a type (tip 0, None, Era::Immortal, an extension with nothing in it) by
 * its definition.  Every walk is bounded by MAX_DEPTH and all of them together by MAX_STEPS
 * type look-ups, so a cyclic registry, or one whose types fan out (a struct of many fields of
 * itself), is an error after bounded work.
 */
#include "bastion_extrinsic.h"
#include "bastion_scale.h"
#include "meta.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32
/* Type look-ups one extrinsic may make (a real one makes about a hundred). */
#define MAX_STEPS 65536u
/* The longest fixed array the empty-value encoder writes (no extension carries more). */
#define MAX_ZERO_ARRAY 4096u
/* The signing payload is hashed when longer than this (sp-runtime's SignedPayload). */
#define PAYLOAD_HASH_OVER 256u

/* What a build works with: the parsed metadata, the output buffer and the error text. */
typedef struct xt {
    sub_meta m;
    char *err;
    size_t errlen;
    size_t steps; /* type look-ups so far (MAX_STEPS) */
} xt;

/* One more type look-up at this depth: false when a bound is reached. */
static bool step(xt *x, int depth) { return depth <= MAX_DEPTH && ++x->steps <= MAX_STEPS; }

static bool fail(xt *x, const char *fmt, ...) {
    if (x->err && x->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, x->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool buf_ok(xt *x, const bst_scale_buf *b) {
    return bst_scale_buf_error(b) == BST_SCALE_OK ||
           fail(x, "encoding failed: %s", bst_scale_err_str(bst_scale_buf_error(b)));
}

static bool zero_sized(xt *x, uint32_t id, int depth);

/* The type a wrapper holds: the one member of a composite or tuple that is not zero-sized
 * (CheckMortality(Era, PhantomData<T>) holds an Era); false for any other type. */
static bool unwrap1(xt *x, const sub_type *t, uint32_t *inner, int depth) {
    if (t->kind != SUB_TYPE_COMPOSITE && t->kind != SUB_TYPE_TUPLE) return false;
    bst_scale_dec items = t->items;
    size_t found = 0;
    for (size_t i = 0; i < t->count; i++) {
        sub_field f;
        if (t->kind == SUB_TYPE_COMPOSITE ? !sub_field_next(&items, &f)
                                          : !sub_tuple_next(&items, &f.ty))
            return false;
        if (zero_sized(x, f.ty, depth + 1)) continue;
        *inner = f.ty;
        found++;
    }
    return found == 1;
}

/* The byte width of an unsigned primitive (u8..u128), 0 for any other. */
static unsigned uint_width(sub_prim p) {
    switch (p) {
    case SUB_PRIM_U8: return 1;
    case SUB_PRIM_U16: return 2;
    case SUB_PRIM_U32: return 4;
    case SUB_PRIM_U64: return 8;
    case SUB_PRIM_U128: return 16;
    default: return 0;
    }
}

/* The unsigned integer type id ends in, through wrappers: its width, and whether it is
 * Compact-encoded (a Compact anywhere on the way). */
static bool uint_type(xt *x, uint32_t id, unsigned *width, bool *compact, int depth) {
    sub_type t;
    if (!step(x, depth) || !sub_type_get(&x->m, id, &t)) return false;
    uint32_t inner;
    if (t.kind == SUB_TYPE_PRIMITIVE) return (*width = uint_width(t.prim)) != 0;
    if (t.kind == SUB_TYPE_COMPACT) {
        *compact = true;
        return uint_type(x, t.inner, width, compact, depth + 1);
    }
    return unwrap1(x, &t, &inner, depth) && uint_type(x, inner, width, compact, depth + 1);
}

/* An unsigned integer value v as type id declares it (what = what it is, for errors). */
static bool put_uint(xt *x, bst_scale_buf *b, uint32_t id, bst_scale_u128 v, const char *what) {
    unsigned width = 0;
    bool compact = false;
    if (!uint_type(x, id, &width, &compact, 0))
        return fail(x, "%s: type %u is not an unsigned integer", what, id);
    bool fits = width == 16 || (v.hi == 0 && (width == 8 || v.lo >> (8 * width) == 0));
    if (!fits) return fail(x, "%s: value does not fit the runtime's u%u", what, 8 * width);
    if (compact) return bst_scale_put_compact_u128(b, v) == BST_SCALE_OK || buf_ok(x, b);
    uint8_t le[16];
    for (unsigned i = 0; i < 16; i++) le[i] = (uint8_t)((i < 8 ? v.lo : v.hi) >> (8 * (i % 8)));
    bst_scale_put_raw(b, le, width);
    return buf_ok(x, b);
}

static bst_scale_u128 u128_of(uint64_t v) {
    bst_scale_u128 r = {v, 0};
    return r;
}

/* n bytes p as type id, which must be (a wrapper of) [u8; n]. */
static bool put_byte_array(xt *x, bst_scale_buf *b, uint32_t id, const uint8_t *p, size_t n,
                           const char *what, int depth) {
    sub_type t, e;
    uint32_t inner;
    if (!step(x, depth) || !sub_type_get(&x->m, id, &t))
        return fail(x, "%s: bad type %u in the metadata", what, id);
    if (t.kind == SUB_TYPE_ARRAY) {
        if (t.len != n || !sub_type_get(&x->m, t.inner, &e) || e.kind != SUB_TYPE_PRIMITIVE ||
            e.prim != SUB_PRIM_U8)
            return fail(x, "%s: the runtime's type is not [u8; %zu]", what, n);
        bst_scale_put_raw(b, p, n);
        return buf_ok(x, b);
    }
    if (!unwrap1(x, &t, &inner, depth))
        return fail(x, "%s: the runtime's type is not [u8; %zu]", what, n);
    return put_byte_array(x, b, inner, p, n, what, depth + 1);
}

/* Variant `name` of the enum type id with one field, then that field as bytes p[0..n). */
static bool put_variant_bytes(xt *x, bst_scale_buf *b, uint32_t id, const char *name,
                              const uint8_t *p, size_t n, const char *what) {
    uint8_t index;
    bst_scale_dec fields;
    size_t nfields = 0;
    sub_field f;
    if (!sub_variant_find(&x->m, id, name, strlen(name), &index, &fields, &nfields))
        return fail(x, "%s: the runtime's type has no %s variant", what, name);
    if (nfields != 1 || !sub_field_next(&fields, &f))
        return fail(x, "%s: the %s variant does not hold one value", what, name);
    bst_scale_put_u8(b, index);
    return put_byte_array(x, b, f.ty, p, n, what, 0);
}

/* An account id as type id: MultiAddress::Id(id) for an enum with an Id variant (the
 * runtime's address type, a call's AccountIdLookup argument), else the id itself. */
static bool put_account(xt *x, bst_scale_buf *b, uint32_t id, const uint8_t acct[32],
                        const char *what) {
    sub_type t;
    if (!sub_type_get(&x->m, id, &t)) return fail(x, "%s: bad type %u in the metadata", what, id);
    if (t.kind == SUB_TYPE_VARIANT) return put_variant_bytes(x, b, id, "Id", acct, 32, what);
    return put_byte_array(x, b, id, acct, 32, what, 0);
}

/* The "empty" value of type id: 0, false, "", empty sequences, None / the variant with index
 * 0 (Era::Immortal, Mode::Disabled), every field of a struct or tuple empty. */
static bool put_zero(xt *x, bst_scale_buf *b, uint32_t id, int depth) {
    sub_type t;
    if (!step(x, depth) || !sub_type_get(&x->m, id, &t)) return false;
    sub_field f;
    uint32_t item;
    static const uint8_t zeros[32];
    switch (t.kind) {
    case SUB_TYPE_COMPOSITE:
        for (size_t i = 0; i < t.count; i++)
            if (!sub_field_next(&t.items, &f) || !put_zero(x, b, f.ty, depth + 1)) return false;
        return true;
    case SUB_TYPE_TUPLE:
        for (size_t i = 0; i < t.count; i++)
            if (!sub_tuple_next(&t.items, &item) || !put_zero(x, b, item, depth + 1)) return false;
        return true;
    case SUB_TYPE_VARIANT: { /* the variant with index 0 (None, Immortal, Disabled) */
        bst_scale_dec fields;
        size_t n = 0;
        if (!sub_variant_at(&x->m, id, 0, &fields, &n)) return false;
        bst_scale_put_u8(b, 0);
        for (size_t j = 0; j < n; j++)
            if (!sub_field_next(&fields, &f) || !put_zero(x, b, f.ty, depth + 1)) return false;
        return true;
    }
    case SUB_TYPE_ARRAY:
        if (t.len > MAX_ZERO_ARRAY) return false;
        for (uint32_t i = 0; i < t.len; i++)
            if (!put_zero(x, b, t.inner, depth + 1)) return false;
        return true;
    case SUB_TYPE_SEQUENCE:
    case SUB_TYPE_COMPACT:
    case SUB_TYPE_BITSEQUENCE: bst_scale_put_u8(b, 0); return true;
    case SUB_TYPE_PRIMITIVE: {
        static const uint8_t width[] = {1, 4, 1, 1, 2, 4, 8, 16, 32, 1, 2, 4, 8, 16, 32};
        if ((size_t)t.prim >= sizeof width) return false;
        bst_scale_put_raw(b, zeros, width[t.prim]); /* a str's 0x00 is its empty length */
        return true;
    }
    }
    return false;
}

/* Era::Immortal as type id: the Era enum's Immortal variant, inside its wrappers. */
static bool put_immortal(xt *x, bst_scale_buf *b, uint32_t id, int depth) {
    sub_type t;
    uint32_t inner;
    uint8_t index;
    if (!step(x, depth) || !sub_type_get(&x->m, id, &t)) return false;
    if (t.kind == SUB_TYPE_VARIANT) {
        if (!sub_variant_find(&x->m, id, "Immortal", 8, &index, NULL, NULL)) return false;
        return bst_scale_put_u8(b, index) == BST_SCALE_OK;
    }
    return unwrap1(x, &t, &inner, depth) && put_immortal(x, b, inner, depth + 1);
}

/* Whether values of type id take no bytes at all (units, empty tuples and structs). */
static bool zero_sized(xt *x, uint32_t id, int depth) {
    sub_type t;
    if (!step(x, depth) || !sub_type_get(&x->m, id, &t)) return false;
    sub_field f;
    uint32_t item;
    if (t.kind == SUB_TYPE_ARRAY) return t.len == 0 || zero_sized(x, t.inner, depth + 1);
    if (t.kind == SUB_TYPE_COMPOSITE) {
        for (size_t i = 0; i < t.count; i++)
            if (!sub_field_next(&t.items, &f) || !zero_sized(x, f.ty, depth + 1)) return false;
        return true;
    }
    if (t.kind == SUB_TYPE_TUPLE) {
        for (size_t i = 0; i < t.count; i++)
            if (!sub_tuple_next(&t.items, &item) || !zero_sized(x, item, depth + 1)) return false;
        return true;
    }
    return false;
}

/* ---- signed extensions -------------------------------------------------------------------- */

/* The extra and the additional signed data of one signed extension (see the header's table). */
static bool put_extension(xt *x, const bst_extrinsic_context *ctx, const sub_meta_ext *e,
                          bst_scale_buf *extra, bst_scale_buf *add) {
    const char *id = e->id;
    size_t n = e->id_len;
    char what[96];
    snprintf(what, sizeof what, "signed extension %.*s", (int)(n < 64 ? n : 64), id);
    bool ok;
    bool spec = sub_name_is(id, n, "CheckSpecVersion");
    if (spec || sub_name_is(id, n, "CheckTxVersion")) {
        uint32_t v = spec ? ctx->spec_version : ctx->transaction_version;
        ok = put_zero(x, extra, e->ty, 0) && put_uint(x, add, e->additional, u128_of(v), what);
    } else if (sub_name_is(id, n, "CheckGenesis")) {
        ok = put_zero(x, extra, e->ty, 0) &&
             put_byte_array(x, add, e->additional, ctx->genesis_hash, 32, what, 0);
    } else if (sub_name_is(id, n, "CheckMortality") || sub_name_is(id, n, "CheckEra")) {
        if (!put_immortal(x, extra, e->ty, 0))
            return fail(x, "%s: its type is not an Era with an Immortal variant", what);
        ok = put_byte_array(x, add, e->additional, ctx->genesis_hash, 32, what, 0);
    } else if (sub_name_is(id, n, "CheckNonce")) {
        ok = put_uint(x, extra, e->ty, u128_of(ctx->nonce), what) &&
             put_zero(x, add, e->additional, 0);
    } else if (sub_name_is(id, n, "CheckNonZeroSender") || sub_name_is(id, n, "CheckWeight") ||
               sub_name_is(id, n, "ChargeTransactionPayment") ||
               sub_name_is(id, n, "ChargeAssetTxPayment") ||
               sub_name_is(id, n, "CheckMetadataHash")) {
        /* tip 0, asset None, metadata hash mode Disabled and None: all the types' empty values */
        ok = put_zero(x, extra, e->ty, 0) && put_zero(x, add, e->additional, 0);
    } else {
        if (!zero_sized(x, e->ty, 0) || !zero_sized(x, e->additional, 0))
            return fail(x, "%s is not known and carries data: cannot build its value", what);
        ok = true;
    }
    if (!ok && x->err && x->errlen && !x->err[0])
        fail(x, "%s: its types in the metadata cannot be encoded", what);
    return ok && buf_ok(x, extra) && buf_ok(x, add);
}

/* ---- the extrinsic ------------------------------------------------------------------------ */

static bool parse(xt *x, const uint8_t *metadata, size_t len, char *err, size_t errlen) {
    x->steps = 0;
    x->err = err;
    x->errlen = errlen;
    if (err && errlen) err[0] = '\0';
    const char *msg = sub_meta_parse(metadata, len, &x->m);
    return !msg || fail(x, "metadata: %s", msg);
}

/* The pallet named pallet_name (with calls); NULL after an error. */
static const sub_meta_pallet *find_pallet(xt *x, const char *pallet_name) {
    for (size_t i = 0; i < x->m.npallets; i++) {
        const sub_meta_pallet *p = &x->m.pallets[i];
        if (!sub_name_is(p->name, p->name_len, pallet_name)) continue;
        if (!p->has_calls) return fail(x, "pallet %s has no calls", pallet_name), NULL;
        return p;
    }
    return fail(x, "runtime has no %s pallet", pallet_name), NULL;
}

/* The call index of call_name in pallet p; *fields and *nfields the call's fields.  quiet: no
 * message when there is no such call. */
static bool find_call(xt *x, const sub_meta_pallet *p, const char *call_name, uint8_t index[2],
                      bst_scale_dec *fields, size_t *nfields, bool quiet) {
    index[0] = p->index;
    if (sub_variant_find(&x->m, p->calls_ty, call_name, strlen(call_name), &index[1], fields,
                         nfields))
        return true;
    return !quiet && fail(x, "pallet %.*s has no call %s", (int)p->name_len, p->name, call_name);
}

/* The address and signature types of the runtime's UncheckedExtrinsic. */
static bool extrinsic_types(xt *x, uint32_t *address, uint32_t *signature) {
    if (x->m.extrinsic_version != 4)
        return fail(x, "extrinsic version %u is not supported (4 is)", x->m.extrinsic_version);
    if (x->m.has_parts) {
        *address = x->m.address_ty;
        *signature = x->m.signature_ty;
        return true;
    }
    if (!sub_type_param(&x->m, x->m.extrinsic_ty, "Address", address) ||
        !sub_type_param(&x->m, x->m.extrinsic_ty, "Signature", signature))
        return fail(x, "the extrinsic type does not name its Address and Signature types");
    return true;
}

/* The signature of the payload: the signer's scheme, over the payload or its BLAKE2b-256. */
static size_t sign_payload(const bst_key_pair *k, const bst_scale_buf *payload, uint8_t sig[65]) {
    uint8_t hash[32];
    const uint8_t *msg = payload->data;
    size_t len = payload->len;
    if (len > PAYLOAD_HASH_OVER) {
        bst_blake2_256(msg, len, hash);
        msg = hash;
        len = sizeof hash;
    }
    switch (k->scheme) {
    case BST_KEY_SR25519: bst_sr25519_sign(k->secret, k->pub, msg, len, sig); return 64;
    case BST_KEY_ED25519: bst_ed25519_sign(k->secret, msg, len, sig); return 64;
    case BST_KEY_ECDSA: return bst_ecdsa_sign(k->secret, msg, len, sig) ? 65 : 0;
    }
    return 0;
}

static const char *scheme_variant(bst_key_scheme s) {
    return s == BST_KEY_ED25519 ? "Ed25519" : s == BST_KEY_ECDSA ? "Ecdsa" : "Sr25519";
}

/* Signs call[0..call_len) and assembles the extrinsic into *out. */
static bool build(xt *x, const bst_extrinsic_context *ctx, const bst_key_pair *signer,
                  const uint8_t *call, size_t call_len, uint8_t **out, size_t *out_len) {
    uint32_t address_ty, signature_ty;
    if (!extrinsic_types(x, &address_ty, &signature_ty)) return false;
    bst_scale_buf extra, add, payload, body, whole;
    bst_scale_buf_init(&extra);
    bst_scale_buf_init(&add);
    bst_scale_buf_init(&payload);
    bst_scale_buf_init(&body);
    bst_scale_buf_init(&whole);
    bool ok = true;
    for (size_t i = 0; ok && i < x->m.nexts; i++)
        ok = put_extension(x, ctx, &x->m.exts[i], &extra, &add);
    uint8_t acct[32], sig[65];
    size_t sig_len = 0;
    if (ok) {
        bst_scale_put_raw(&payload, call, call_len);
        bst_scale_put_raw(&payload, extra.data, extra.len);
        bst_scale_put_raw(&payload, add.data, add.len);
        ok = buf_ok(x, &payload) && (sig_len = sign_payload(signer, &payload, sig)) != 0;
        if (!ok && sig_len == 0 && bst_scale_buf_error(&payload) == BST_SCALE_OK)
            fail(x, "signing failed");
    }
    if (ok) {
        bst_key_account_id(signer, acct);
        bst_scale_put_u8(&body, (uint8_t)(0x80u | x->m.extrinsic_version));
        ok = put_account(x, &body, address_ty, acct, "the extrinsic's address");
    }
    if (ok) {
        sub_type st;
        const char *what = "the extrinsic's signature";
        ok = sub_type_get(&x->m, signature_ty, &st) &&
             (st.kind == SUB_TYPE_VARIANT
                  ? put_variant_bytes(x, &body, signature_ty, scheme_variant(signer->scheme), sig,
                                      sig_len, what)
                  : put_byte_array(x, &body, signature_ty, sig, sig_len, what, 0));
        if (!ok && x->err && x->errlen && !x->err[0]) fail(x, "%s: bad type", what);
    }
    if (ok) {
        bst_scale_put_raw(&body, extra.data, extra.len);
        bst_scale_put_raw(&body, call, call_len);
        bst_scale_put_bytes(&whole, body.data, body.len);
        ok = buf_ok(x, &body) && buf_ok(x, &whole);
    }
    if (ok) {
        *out = whole.data;
        *out_len = whole.len;
        whole.data = NULL;
    }
    bst_secure_wipe(sig, sizeof sig);
    bst_scale_buf_free(&extra);
    bst_scale_buf_free(&add);
    bst_scale_buf_free(&payload);
    bst_scale_buf_free(&body);
    bst_scale_buf_free(&whole);
    return ok;
}

static bool args_ok(const bst_extrinsic_context *ctx, const bst_key_pair *signer, uint8_t **out,
                    size_t *out_len, char *err, size_t errlen) {
    if (ctx && signer && out && out_len && (ctx->metadata || !ctx->metadata_len)) return true;
    if (err && errlen) snprintf(err, errlen, "bad arguments");
    return false;
}

bool bst_extrinsic_signed(const bst_extrinsic_context *ctx, const bst_key_pair *signer,
                          const char *pallet_name, const char *call_name, const uint8_t *call_args,
                          size_t args_len, uint8_t **out, size_t *out_len, char *err,
                          size_t errlen) {
    if (!args_ok(ctx, signer, out, out_len, err, errlen) || !pallet_name || !call_name ||
        (!call_args && args_len))
        return args_ok(NULL, NULL, NULL, NULL, err, errlen);
    xt x;
    if (!parse(&x, ctx->metadata, ctx->metadata_len, err, errlen)) return false;
    uint8_t index[2];
    const sub_meta_pallet *p = find_pallet(&x, pallet_name);
    bool ok = p && find_call(&x, p, call_name, index, NULL, NULL, false);
    bst_scale_buf call;
    bst_scale_buf_init(&call);
    if (ok) {
        bst_scale_put_raw(&call, index, 2);
        bst_scale_put_raw(&call, call_args, args_len);
        ok = buf_ok(&x, &call) && build(&x, ctx, signer, call.data, call.len, out, out_len);
    }
    bst_scale_buf_free(&call);
    sub_meta_free(&x.m);
    return ok;
}

/* Balances' transfer call with its two fields (dest, value) encoded by their types. */
static bool transfer_call(xt *x, const uint8_t dest[32], const uint8_t amount_le16[16],
                          bst_scale_buf *call) {
    static const char names[][24] = {"transfer_allow_death", "transfer", "transfer_keep_alive"};
    uint8_t index[2];
    bst_scale_dec fields;
    size_t nfields = 0;
    bool found = false;
    const sub_meta_pallet *p = find_pallet(x, "Balances");
    if (!p) return false;
    for (size_t i = 0; i < sizeof names / sizeof *names && !found; i++)
        found = find_call(x, p, names[i], index, &fields, &nfields, true);
    if (!found) return fail(x, "the Balances pallet has no transfer call");
    sub_field dest_f, value_f;
    if (nfields != 2 || !sub_field_next(&fields, &dest_f) || !sub_field_next(&fields, &value_f))
        return fail(x, "Balances transfer does not take (dest, value)");
    bst_scale_u128 amount = {0, 0};
    for (int i = 0; i < 8; i++) {
        amount.lo |= (uint64_t)amount_le16[i] << (8 * i);
        amount.hi |= (uint64_t)amount_le16[8 + i] << (8 * i);
    }
    bst_scale_put_raw(call, index, 2);
    return put_account(x, call, dest_f.ty, dest, "transfer dest") &&
           put_uint(x, call, value_f.ty, amount, "transfer amount");
}

bool bst_extrinsic_transfer(const bst_extrinsic_context *ctx, const bst_key_pair *signer,
                            const uint8_t dest[32], const uint8_t amount_le16[16], uint8_t **out,
                            size_t *out_len, char *err, size_t errlen) {
    if (!args_ok(ctx, signer, out, out_len, err, errlen) || !dest || !amount_le16)
        return args_ok(NULL, NULL, NULL, NULL, err, errlen);
    xt x;
    if (!parse(&x, ctx->metadata, ctx->metadata_len, err, errlen)) return false;
    bst_scale_buf call;
    bst_scale_buf_init(&call);
    bool ok = transfer_call(&x, dest, amount_le16, &call) && buf_ok(&x, &call) &&
              build(&x, ctx, signer, call.data, call.len, out, out_len);
    bst_scale_buf_free(&call);
    sub_meta_free(&x.m);
    return ok;
}

bool bst_extrinsic_call_index(const uint8_t *metadata, size_t metadata_len, const char *pallet_name,
                              const char *call_name, uint8_t index[2], char *err, size_t errlen) {
    xt x;
    if (!pallet_name || !call_name || !index || (!metadata && metadata_len)) {
        if (err && errlen) snprintf(err, errlen, "bad arguments");
        return false;
    }
    if (!parse(&x, metadata, metadata_len, err, errlen)) return false;
    const sub_meta_pallet *p = find_pallet(&x, pallet_name);
    bool ok = p && find_call(&x, p, call_name, index, NULL, NULL, false);
    sub_meta_free(&x.m);
    return ok;
}
