/*
 * registry.c — reading scale-info's portable type registry of metadata V14/V15 (meta.h): a
 * type's definition, path and type parameters, the fields of composites and variants, the
 * variants of an enum.  metadata.c's walk has already checked that the registry decodes and
 * recorded where each type starts; these readers decode one type at a time from there, with
 * the strict SCALE decoder, so a reference to a missing type is an error, not a crash.
 */
#include "meta.h"

#include <string.h>

bool sub_name_is(const char *s, size_t n, const char *z) {
    return s && strlen(z) == n && memcmp(s, z, n) == 0;
}

/* Vec<String> (docs, a path), the last string kept in *last when last is not NULL. */
static void read_strs(bst_scale_dec *d, const char **last, size_t *last_len) {
    size_t n = 0;
    bst_scale_get_len(d, 1, &n);
    for (size_t i = 0; i < n && d->err == BST_SCALE_OK; i++) {
        const char *s = NULL;
        size_t len = 0;
        bst_scale_get_str(d, &s, &len);
        if (last && d->err == BST_SCALE_OK) {
            *last = s;
            *last_len = len;
        }
    }
}

static bool option(bst_scale_dec *d) {
    bool s = false;
    bst_scale_get_option(d, &s);
    return s && d->err == BST_SCALE_OK;
}

/* Positions d at type id's type parameters (after its path, kept in t when t is not NULL). */
static bool open_type(const sub_meta *m, uint32_t id, bst_scale_dec *d, sub_type *t) {
    if (!m->type_off || id >= m->ntypes || m->type_off[id] == SIZE_MAX) return false;
    bst_scale_dec_init(d, m->bytes, m->len);
    d->pos = m->type_off[id];
    const char *last = NULL;
    size_t last_len = 0;
    read_strs(d, &last, &last_len);
    if (t) {
        t->last = last;
        t->last_len = last_len;
    }
    return d->err == BST_SCALE_OK;
}

/* Walks the type parameters { name, ty: Option<id> }: with name, stops at that one. */
static bool read_params(bst_scale_dec *d, const char *name, uint32_t *ty) {
    size_t n = 0;
    bst_scale_get_len(d, 1, &n);
    for (size_t i = 0; i < n && d->err == BST_SCALE_OK; i++) {
        const char *s = NULL;
        size_t len = 0;
        uint32_t id = 0;
        bst_scale_get_str(d, &s, &len);
        bool has = option(d);
        if (has) bst_scale_get_compact_u32(d, &id);
        if (name && has && d->err == BST_SCALE_OK && sub_name_is(s, len, name)) {
            *ty = id;
            return true;
        }
    }
    return !name && d->err == BST_SCALE_OK;
}

bool sub_type_param(const sub_meta *m, uint32_t id, const char *name, uint32_t *ty) {
    bst_scale_dec d;
    return open_type(m, id, &d, NULL) && read_params(&d, name, ty);
}

bool sub_type_get(const sub_meta *m, uint32_t id, sub_type *t) {
    bst_scale_dec d;
    memset(t, 0, sizeof *t);
    if (!open_type(m, id, &d, t) || !read_params(&d, NULL, NULL)) return false;
    uint8_t kind = 0, prim = 0;
    bst_scale_get_enum(&d, 8, &kind);
    t->kind = (sub_type_kind)kind;
    switch (t->kind) {
    case SUB_TYPE_COMPOSITE:
    case SUB_TYPE_VARIANT:
    case SUB_TYPE_TUPLE:
        bst_scale_get_len(&d, 1, &t->count);
        t->items = d;
        break;
    case SUB_TYPE_SEQUENCE:
    case SUB_TYPE_COMPACT: bst_scale_get_compact_u32(&d, &t->inner); break;
    case SUB_TYPE_ARRAY:
        bst_scale_get_u32(&d, &t->len);
        bst_scale_get_compact_u32(&d, &t->inner);
        break;
    case SUB_TYPE_PRIMITIVE:
        bst_scale_get_enum(&d, 15, &prim);
        t->prim = (sub_prim)prim;
        break;
    case SUB_TYPE_BITSEQUENCE: break;
    }
    return d.err == BST_SCALE_OK;
}

bool sub_field_next(bst_scale_dec *items, sub_field *f) {
    memset(f, 0, sizeof *f); /* Field { name?, ty, type_name?, docs } */
    if (option(items)) bst_scale_get_str(items, &f->name, &f->name_len);
    bst_scale_get_compact_u32(items, &f->ty);
    if (option(items)) { /* type_name */
        const char *s;
        size_t n;
        bst_scale_get_str(items, &s, &n);
    }
    read_strs(items, NULL, NULL); /* docs */
    return items->err == BST_SCALE_OK;
}

bool sub_tuple_next(bst_scale_dec *items, uint32_t *ty) {
    return bst_scale_get_compact_u32(items, ty) == BST_SCALE_OK;
}

/* Finds a variant of enum type id by name (name != NULL) or else by index. */
static bool find_variant(const sub_meta *m, uint32_t id, const char *name, size_t name_len,
                         uint8_t *index, bst_scale_dec *fields, size_t *nfields) {
    sub_type t;
    if (!sub_type_get(m, id, &t) || t.kind != SUB_TYPE_VARIANT) return false;
    bst_scale_dec *d = &t.items;
    for (size_t i = 0; i < t.count && d->err == BST_SCALE_OK; i++) {
        const char *s = NULL; /* Variant { name, fields, index, docs } */
        size_t len = 0, n = 0;
        bst_scale_get_str(d, &s, &len);
        bst_scale_get_len(d, 1, &n);
        bst_scale_dec at = *d;
        sub_field f;
        for (size_t j = 0; j < n && sub_field_next(d, &f); j++) {
        }
        uint8_t idx = 0;
        bst_scale_get_u8(d, &idx);
        read_strs(d, NULL, NULL);
        if (d->err != BST_SCALE_OK) return false;
        if (name ? len == name_len && memcmp(s, name, len) == 0 : idx == *index) {
            *index = idx;
            if (fields) *fields = at;
            if (nfields) *nfields = n;
            return true;
        }
    }
    return false;
}

bool sub_variant_find(const sub_meta *m, uint32_t id, const char *name, size_t name_len,
                      uint8_t *index, bst_scale_dec *fields, size_t *nfields) {
    return name && find_variant(m, id, name, name_len, index, fields, nfields);
}

bool sub_variant_at(const sub_meta *m, uint32_t id, uint8_t index, bst_scale_dec *fields,
                    size_t *nfields) {
    return find_variant(m, id, NULL, 0, &index, fields, nfields);
}
