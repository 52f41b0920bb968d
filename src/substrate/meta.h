/*
 * meta.h — the parts of runtime metadata V14/V15 that signed extrinsics are built from, as
 * metadata.c's walk records them (sub_meta_parse), and the reader of the portable type registry
 * (registry.c: a type's definition, its path, its type parameters, its fields and variants).
 *
 * Nothing is copied: names and types are views into the metadata bytes, which must outlive the
 * sub_meta.  Every reader is bounds-checked and strict (a malformed or inconsistent registry
 * gives false / an error, never a crash), and the readers that follow type references take a
 * depth so that a cyclic registry cannot recurse without bound.
 */
#ifndef BASTION_SUBSTRATE_META_H
#define BASTION_SUBSTRATE_META_H

#include "bastion_scale.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sub_meta_pallet {
    const char *name; /* not NUL-terminated */
    size_t name_len;
    uint8_t index;
    bool has_index; /* V12 and later */
    bool has_calls; /* V14 and later: the pallet has a call enum, calls_ty */
    uint32_t calls_ty;
} sub_meta_pallet;

/* SignedExtensionMetadata: the identifier, the type of what the extrinsic carries (the "extra")
 * and the type of what only the signed payload carries (the "additional signed"). */
typedef struct sub_meta_ext {
    const char *id;
    size_t id_len;
    uint32_t ty, additional;
} sub_meta_ext;

typedef struct sub_meta {
    uint32_t version;
    const uint8_t *bytes; /* the metadata proper (after the magic's Vec<u8> prefix, if any) */
    size_t len;
    size_t ntypes;
    size_t *type_off; /* by type id: offset in bytes of the Type (its path) */
    bool bad_registry;
    size_t npallets;
    sub_meta_pallet *pallets;
    uint8_t extrinsic_version;
    uint32_t extrinsic_ty; /* V14: UncheckedExtrinsic<Address, Call, Signature, Extra> */
    bool has_parts;        /* V15: the four types below are given directly */
    uint32_t address_ty, call_ty, signature_ty, extra_ty;
    size_t nexts;
    sub_meta_ext *exts;
} sub_meta;

/* Parses metadata V14 or V15 (p: what Metadata_metadata returns, with or without its outer
 * Vec<u8> length prefix).  NULL on success (free with sub_meta_free), else a constant message. */
const char *sub_meta_parse(const uint8_t *p, size_t len, sub_meta *m);
void sub_meta_free(sub_meta *m);

/* ---- the type registry (registry.c) -------------------------------------------------------- */

/* scale-info's TypeDef variants, in their SCALE order. */
typedef enum sub_type_kind {
    SUB_TYPE_COMPOSITE = 0,
    SUB_TYPE_VARIANT = 1,
    SUB_TYPE_SEQUENCE = 2,
    SUB_TYPE_ARRAY = 3,
    SUB_TYPE_TUPLE = 4,
    SUB_TYPE_PRIMITIVE = 5,
    SUB_TYPE_COMPACT = 6,
    SUB_TYPE_BITSEQUENCE = 7
} sub_type_kind;

/* scale-info's TypeDefPrimitive, in its SCALE order. */
typedef enum sub_prim {
    SUB_PRIM_BOOL = 0,
    SUB_PRIM_CHAR,
    SUB_PRIM_STR,
    SUB_PRIM_U8,
    SUB_PRIM_U16,
    SUB_PRIM_U32,
    SUB_PRIM_U64,
    SUB_PRIM_U128,
    SUB_PRIM_U256,
    SUB_PRIM_I8,
    SUB_PRIM_I16,
    SUB_PRIM_I32,
    SUB_PRIM_I64,
    SUB_PRIM_I128,
    SUB_PRIM_I256
} sub_prim;

/* A type's definition.  For COMPOSITE (fields) and VARIANT (variants) and TUPLE (type ids),
 * items is a decoder positioned at the list's items and count their number; SEQUENCE, COMPACT:
 * inner; ARRAY: inner and len; PRIMITIVE: prim. */
typedef struct sub_type {
    sub_type_kind kind;
    size_t count;
    bst_scale_dec items;
    uint32_t inner;
    uint32_t len;
    sub_prim prim;
    const char *last; /* the last segment of the type's path ("MultiAddress"); NULL when none */
    size_t last_len;
} sub_type;

/* A field of a composite or variant. */
typedef struct sub_field {
    const char *name; /* NULL for an unnamed field */
    size_t name_len;
    uint32_t ty;
} sub_field;

/* Reads type id.  False when there is no such type or it does not decode. */
bool sub_type_get(const sub_meta *m, uint32_t id, sub_type *t);
/* The type given for type parameter `name` of type id ("Address" of UncheckedExtrinsic). */
bool sub_type_param(const sub_meta *m, uint32_t id, const char *name, uint32_t *ty);
/* The next field of a COMPOSITE's items or a variant's fields. */
bool sub_field_next(bst_scale_dec *items, sub_field *f);
/* The next item of a TUPLE's items (a type id). */
bool sub_tuple_next(bst_scale_dec *items, uint32_t *ty);
/* Finds the variant `name` of a VARIANT type: its index, and its fields (a decoder over them
 * for sub_field_next, and their count). */
bool sub_variant_find(const sub_meta *m, uint32_t id, const char *name, size_t name_len,
                      uint8_t *index, bst_scale_dec *fields, size_t *nfields);

/* The variant with index `index` of a VARIANT type: its fields, as sub_variant_find. */
bool sub_variant_at(const sub_meta *m, uint32_t id, uint8_t index, bst_scale_dec *fields,
                    size_t *nfields);

/* Whether s[0..n) equals the NUL-terminated z. */
bool sub_name_is(const char *s, size_t n, const char *z);

#endif /* BASTION_SUBSTRATE_META_H */
