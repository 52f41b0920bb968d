/*
 * metadata.c — decoding what `Metadata_metadata` returns (include/bastion_substrate.h): the
 * OpaqueMetadata bytes, the "meta" magic, the metadata version, and the list of pallets
 * (modules) with their indices.
 *
 * Supported versions: 9 to 15.  V9-V13 describe types by name (strings) and list modules;
 * V14/V15 start with the portable type registry, which is walked (not interpreted) to reach the
 * pallets.  Decoding is strict where the layout is fully known (V10-V14 must end exactly where
 * the format ends); V15 carries more trailing sections (runtime APIs, outer enums, custom
 * values), which are not needed for the pallet list and are not checked.
 *
 * The same walk, for V14/V15, also records what signed extrinsics are built from (meta.h,
 * sub_meta_parse): where each registry type starts, each pallet's call type, and the extrinsic
 * section (version, address/call/signature/extra types, signed extensions).
 */
#include "bastion_substrate.h"
#include "meta.h"

#include <stdlib.h>
#include <string.h>

#define META_MAGIC 0x6174656du /* "meta", little-endian */

/* ---- skipping pieces of the format (each sets d->err on failure, which is sticky) -------- */

static void skip_str(bst_scale_dec *d) {
    const char *s;
    size_t n;
    bst_scale_get_str(d, &s, &n);
}

static void skip_bytes(bst_scale_dec *d) {
    const uint8_t *p;
    size_t n;
    bst_scale_get_bytes(d, &p, &n);
}

static void skip_compact(bst_scale_dec *d) {
    uint32_t v;
    bst_scale_get_compact_u32(d, &v);
}

static void skip_u8(bst_scale_dec *d) {
    uint8_t v;
    bst_scale_get_u8(d, &v);
}

/* A Vec<T>: its length, then each item skipped by skip_item (until an error). */
static void skip_vec(bst_scale_dec *d, void (*skip_item)(bst_scale_dec *)) {
    size_t n = 0;
    bst_scale_get_len(d, 1, &n);
    for (size_t i = 0; i < n && d->err == BST_SCALE_OK; i++) skip_item(d);
}

static void skip_strs(bst_scale_dec *d) { /* Vec<String> (docs, argument types) */
    skip_vec(d, skip_str);
}

static bool some(bst_scale_dec *d) {
    bool s = false;
    bst_scale_get_option(d, &s);
    return s && d->err == BST_SCALE_OK;
}

/* ---- V14/V15: the portable type registry ------------------------------------------------ */

static void skip_field(bst_scale_dec *d) { /* Field { name?, ty, type_name?, docs } */
    if (some(d)) skip_str(d);
    skip_compact(d);
    if (some(d)) skip_str(d);
    skip_strs(d);
}

static void skip_fields(bst_scale_dec *d) { skip_vec(d, skip_field); }

static void skip_type_param(bst_scale_dec *d) { /* TypeParameter { name, ty? } */
    skip_str(d);
    if (some(d)) skip_compact(d);
}

static void skip_variant(bst_scale_dec *d) { /* Variant { name, fields, index, docs } */
    skip_str(d);
    skip_fields(d);
    skip_u8(d);
    skip_strs(d);
}

static void skip_type(bst_scale_dec *d) { /* Type { path, type_params, type_def, docs } */
    skip_strs(d);
    skip_vec(d, skip_type_param);
    uint8_t def = 0;
    bst_scale_get_enum(d, 8, &def);
    if (d->err != BST_SCALE_OK) return;
    switch (def) {
    case 0: skip_fields(d); break;            /* Composite */
    case 1: skip_vec(d, skip_variant); break; /* Variant */
    case 2: skip_compact(d); break;           /* Sequence */
    case 3: {                                 /* Array */
        uint32_t len;
        bst_scale_get_u32(d, &len);
        skip_compact(d);
        break;
    }
    case 4: skip_vec(d, skip_compact); break; /* Tuple */
    case 5: {                                 /* Primitive */
        uint8_t p;
        bst_scale_get_enum(d, 15, &p);
        break;
    }
    case 6: skip_compact(d); break; /* Compact */
    case 7:
        skip_compact(d);
        skip_compact(d);
        break; /* BitSequence */
    }
    skip_strs(d);
}

/* Vec<PortableType { id, ty }>; with m, records where each type starts (m->type_off, indexed
 * by id: ids are unique and below the number of types, as scale-info numbers them). */
static void read_registry(bst_scale_dec *d, sub_meta *m) {
    size_t n = 0;
    bst_scale_get_len(d, 1, &n);
    if (d->err != BST_SCALE_OK) return;
    if (m) {
        m->type_off = malloc((n ? n : 1) * sizeof *m->type_off);
        if (!m->type_off) {
            d->err = BST_SCALE_ERR_NOMEM;
            return;
        }
        for (size_t i = 0; i < n; i++) m->type_off[i] = SIZE_MAX;
        m->ntypes = n;
    }
    for (size_t i = 0; i < n && d->err == BST_SCALE_OK; i++) {
        uint32_t id = 0;
        bst_scale_get_compact_u32(d, &id);
        if (m && d->err == BST_SCALE_OK) {
            if (id >= n || m->type_off[id] != SIZE_MAX) {
                d->err = BST_SCALE_ERR_INVALID_ENUM; /* reported as a bad registry below */
                m->bad_registry = true;
                return;
            }
            m->type_off[id] = d->pos;
        }
        skip_type(d);
    }
}

/* ---- storage entries ---------------------------------------------------------------------- */

static void skip_storage(bst_scale_dec *d, uint32_t version) {
    skip_str(d); /* prefix */
    size_t n = 0;
    bst_scale_get_len(d, 1, &n);
    for (size_t i = 0; i < n && d->err == BST_SCALE_OK; i++) {
        uint8_t modifier, kind;
        bool b;
        skip_str(d);
        bst_scale_get_enum(d, 2, &modifier);
        if (version >= 14) {
            bst_scale_get_enum(d, 2, &kind);
            if (kind == 0) {
                skip_compact(d); /* Plain(ty) */
            } else {
                skip_vec(d, skip_u8); /* Map { hashers, key, value } */
                skip_compact(d);
                skip_compact(d);
            }
        } else {
            bst_scale_get_enum(d, version >= 13 ? 4 : 3, &kind);
            switch (kind) {
            case 0: skip_str(d); break; /* Plain(type) */
            case 1:                     /* Map */
                skip_u8(d);
                skip_str(d);
                skip_str(d);
                bst_scale_get_bool(d, &b);
                break;
            case 2: /* DoubleMap */
                skip_u8(d);
                skip_str(d);
                skip_str(d);
                skip_str(d);
                skip_u8(d);
                break;
            case 3: /* NMap (V13) */
                skip_strs(d);
                skip_vec(d, skip_u8);
                skip_str(d);
                break;
            }
        }
        skip_bytes(d); /* default */
        skip_strs(d);  /* docs */
    }
}

/* ---- modules / pallets -------------------------------------------------------------------- */

/* The items of a module (V9-V13) that are skipped; V14 names their types by id instead. */
static void skip_argument(bst_scale_dec *d) { /* { name, ty } */
    skip_str(d);
    skip_str(d);
}

static void skip_function(bst_scale_dec *d) { /* FunctionMetadata { name, arguments, docs } */
    skip_str(d);
    skip_vec(d, skip_argument);
    skip_strs(d);
}

static void skip_event(bst_scale_dec *d) { /* EventMetadata { name, arguments, docs } */
    skip_str(d);
    skip_strs(d);
    skip_strs(d);
}

static void skip_error(bst_scale_dec *d) { /* { name, docs } */
    skip_str(d);
    skip_strs(d);
}

/* Vec<{ name, ty, value, docs }>: ty is a type id from V14 on, a type name before. */
static void skip_constants(bst_scale_dec *d, uint32_t version) {
    size_t n = 0;
    bst_scale_get_len(d, 1, &n);
    for (size_t i = 0; i < n && d->err == BST_SCALE_OK; i++) {
        skip_str(d);
        if (version >= 14)
            skip_compact(d);
        else
            skip_str(d);
        skip_bytes(d);
        skip_strs(d);
    }
}

/* Decodes one module (V9-V13) or pallet (V14/V15) and records its name, index and (V14 on)
 * call type. */
static void decode_pallet(bst_scale_dec *d, uint32_t version, sub_meta_pallet *p) {
    bst_scale_get_str(d, &p->name, &p->name_len);
    if (some(d)) skip_storage(d, version);
    if (version >= 14) {
        if (some(d)) { /* calls { ty } */
            bst_scale_get_compact_u32(d, &p->calls_ty);
            p->has_calls = d->err == BST_SCALE_OK;
        }
        if (some(d)) skip_compact(d); /* event { ty } */
    } else {
        if (some(d)) skip_vec(d, skip_function); /* calls */
        if (some(d)) skip_vec(d, skip_event);    /* event */
    }
    skip_constants(d, version);
    if (version >= 14) {
        if (some(d)) skip_compact(d); /* error { ty } */
    } else {
        skip_vec(d, skip_error);
    }
    if (version >= 12) { /* V9-V11 number the modules by their position */
        bst_scale_get_u8(d, &p->index);
        p->has_index = true;
    }
    if (version >= 15) skip_strs(d); /* docs */
}

/* Vec<SignedExtensionMetadata { identifier, ty, additional_signed }> (V14, V15), recorded in m. */
static void read_signed_extensions(bst_scale_dec *d, sub_meta *m) {
    size_t n = 0;
    bst_scale_get_len(d, 3, &n);
    if (d->err != BST_SCALE_OK) return;
    m->exts = calloc(n ? n : 1, sizeof *m->exts);
    if (!m->exts) {
        d->err = BST_SCALE_ERR_NOMEM;
        return;
    }
    m->nexts = n;
    for (size_t i = 0; i < n && d->err == BST_SCALE_OK; i++) {
        sub_meta_ext *x = &m->exts[i];
        bst_scale_get_str(d, &x->id, &x->id_len);
        bst_scale_get_compact_u32(d, &x->ty);
        bst_scale_get_compact_u32(d, &x->additional);
    }
}

/* The extrinsic section.  V14: ExtrinsicMetadata { ty, version, signed_extensions } (the parts
 * are the type parameters of ty, UncheckedExtrinsic<Address, Call, Signature, Extra>); V15:
 * { version, address_ty, call_ty, signature_ty, extra_ty, signed_extensions }.  V11-V13:
 * { version, signed_extensions: Vec<String> }, skipped. */
static void read_extrinsic(bst_scale_dec *d, uint32_t version, sub_meta *m) {
    if (version >= 14) {
        if (version == 14) bst_scale_get_compact_u32(d, &m->extrinsic_ty);
        bst_scale_get_u8(d, &m->extrinsic_version);
        if (version >= 15) {
            bst_scale_get_compact_u32(d, &m->address_ty);
            bst_scale_get_compact_u32(d, &m->call_ty);
            bst_scale_get_compact_u32(d, &m->signature_ty);
            bst_scale_get_compact_u32(d, &m->extra_ty);
            m->has_parts = d->err == BST_SCALE_OK;
        }
        read_signed_extensions(d, m);
    } else if (version >= 11) {
        skip_u8(d);
        skip_strs(d);
    }
}

/* The metadata proper inside what Metadata_metadata returns: p is either OpaqueMetadata (a
 * Vec<u8> around it, as the runtime returns it) or the bytes inside it, told apart by the
 * "meta" magic (a length prefix that begins with the magic's bytes would announce 6,491 bytes
 * whose own first bytes would have to be the magic again). */
static const char *unwrap(const uint8_t *p, size_t len, const uint8_t **inner, size_t *inner_len) {
    bst_scale_dec outer;
    bst_scale_dec_init(&outer, p, len);
    bst_scale_get_bytes(&outer, inner, inner_len);
    bst_scale_err e = bst_scale_finish(&outer);
    if (e == BST_SCALE_OK && *inner_len >= 4 && memcmp(*inner, "meta", 4) == 0) return NULL;
    if (len >= 4 && memcmp(p, "meta", 4) == 0) {
        *inner = p;
        *inner_len = len;
        return NULL;
    }
    return e != BST_SCALE_OK ? bst_scale_err_str(e) : "no \"meta\" magic: not runtime metadata";
}

/* Walks the whole metadata into m (zeroed first).  with_types: record the registry and the
 * extrinsic section (V14/V15). */
static const char *walk(const uint8_t *p, size_t len, sub_meta *m, bool with_types) {
    memset(m, 0, sizeof *m);
    if (!p && len) return "bad arguments";
    const uint8_t *inner;
    size_t inner_len;
    const char *msg = unwrap(p, len, &inner, &inner_len);
    if (msg) return msg;
    bst_scale_dec d;
    bst_scale_dec_init(&d, inner, inner_len);
    uint32_t magic = 0;
    uint8_t version = 0;
    bst_scale_get_u32(&d, &magic);
    bst_scale_get_u8(&d, &version);
    if (d.err != BST_SCALE_OK) return bst_scale_err_str(d.err);
    if (magic != META_MAGIC) return "no \"meta\" magic: not runtime metadata";
    m->version = version;
    m->bytes = inner;
    m->len = inner_len;
    if (version < 9 || version > 15) return "unsupported metadata version (9 to 15 are known)";
    if (version >= 14) read_registry(&d, with_types ? m : NULL);
    size_t n = 0;
    bst_scale_get_len(&d, 1, &n);
    if (d.err != BST_SCALE_OK)
        return m->bad_registry ? "bad type registry (type ids not 0..n-1)"
                               : bst_scale_err_str(d.err);
    m->pallets = calloc(n ? n : 1, sizeof *m->pallets);
    if (!m->pallets) return "out of memory";
    m->npallets = n;
    for (size_t i = 0; i < n && d.err == BST_SCALE_OK; i++)
        decode_pallet(&d, version, &m->pallets[i]);
    read_extrinsic(&d, version, m);
    /* V15's runtime type, runtime APIs, outer enums and custom values follow: not needed, not
     * checked.  Earlier versions must end exactly here (V14 with its runtime type). */
    if (version == 14) skip_compact(&d);
    bst_scale_err e = version == 15 ? d.err : bst_scale_finish(&d);
    if (e != BST_SCALE_OK) return bst_scale_err_str(e);
    return NULL;
}

const char *sub_meta_parse(const uint8_t *p, size_t len, sub_meta *m) {
    const char *msg = walk(p, len, m, true);
    if (!msg && m->version < 14) msg = "metadata before V14 has no type registry";
    if (msg) {
        uint32_t version = m->version;
        sub_meta_free(m);
        m->version = version;
    }
    return msg;
}

void sub_meta_free(sub_meta *m) {
    free(m->type_off);
    free(m->pallets);
    free(m->exts);
    uint32_t version = m->version;
    memset(m, 0, sizeof *m);
    m->version = version;
}

const char *bst_substrate_metadata_decode(const uint8_t *p, size_t len, bst_substrate_metadata *m) {
    memset(m, 0, sizeof *m);
    sub_meta w;
    const char *msg = walk(p, len, &w, false);
    m->version = w.version;
    if (!msg) {
        m->pallets = calloc(w.npallets ? w.npallets : 1, sizeof *m->pallets);
        if (!m->pallets) msg = "out of memory";
    }
    if (!msg) {
        m->npallets = w.npallets;
        for (size_t i = 0; i < w.npallets; i++) {
            m->pallets[i].name = w.pallets[i].name;
            m->pallets[i].name_len = w.pallets[i].name_len;
            m->pallets[i].index = w.pallets[i].index;
            m->pallets[i].has_index = w.pallets[i].has_index;
        }
    }
    sub_meta_free(&w);
    return msg;
}

void bst_substrate_metadata_free(bst_substrate_metadata *m) {
    if (!m) return;
    free(m->pallets);
    m->pallets = NULL;
    m->npallets = 0;
}
