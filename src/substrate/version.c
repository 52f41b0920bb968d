/*
 * version.c — a runtime's RuntimeVersion read from its custom sections, without instantiating
 * it, as Substrate's sc-executor read_embedded_version does: "runtime_version" holds the
 * SCALE-encoded RuntimeVersion with an empty apis list (sp-version's #[runtime_version]
 * attribute writes it at compile time), "runtime_apis" the APIs as 12-byte entries
 * (id[8], version u32 LE) with no length prefix.  The Core API's version tells how many of the
 * optional trailing fields the section holds (decode_with_version_hint: transaction_version from
 * Core 3, state_version from Core 4).  The result is what Core_version would return.
 */
#include "host.h"

#include "bastion_scale.h"

#include <stdlib.h>
#include <string.h>

/* blake2_64("Core"), the Core API's id. */
static const uint8_t CORE_ID[8] = {0xdf, 0x6a, 0xcb, 0x68, 0x99, 0x07, 0x60, 0x9b};

/* An unsigned LEB128 u32 at p[*pos..len). */
static bool leb_u32(const uint8_t *p, size_t len, size_t *pos, uint32_t *out) {
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (*pos >= len) return false;
        uint8_t b = p[(*pos)++];
        if (shift == 28 && (b & 0x70)) return false;
        v |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* The payload of custom section `name` (the last one of that name, as a map keeps it). */
static bool custom_section(const uint8_t *code, size_t len, const char *name, const uint8_t **out,
                           size_t *out_len) {
    size_t pos = 8, nl = strlen(name);
    bool found = false;
    while (pos < len) {
        uint8_t id = code[pos++];
        uint32_t size;
        if (!leb_u32(code, len, &pos, &size) || size > len - pos) return false;
        size_t end = pos + size, p = pos;
        uint32_t name_len;
        if (id == 0 && leb_u32(code, end, &p, &name_len) && name_len <= end - p && name_len == nl &&
            memcmp(code + p, name, nl) == 0) {
            *out = code + p + nl;
            *out_len = end - (p + nl);
            found = true;
        }
        pos = end;
    }
    return found;
}

bool bst_substrate_embedded_version(const uint8_t *code, size_t len, uint8_t **out,
                                    size_t *out_len) {
    const uint8_t *vs, *as = NULL;
    size_t vs_len, as_len = 0;
    if (!code || len < 8 || memcmp(code, "\0asm\1\0\0\0", 8) != 0) return false;
    if (!custom_section(code, len, "runtime_version", &vs, &vs_len)) return false;
    bool have_apis = custom_section(code, len, "runtime_apis", &as, &as_len);
    if (have_apis && as_len % 12 != 0) return false;
    /* spec_name, impl_name, three u32, then the (empty) apis of the section. */
    bst_scale_dec d;
    const uint8_t *s;
    size_t sl;
    uint32_t u, napis;
    bst_scale_dec_init(&d, vs, vs_len);
    bst_scale_get_bytes(&d, &s, &sl);
    bst_scale_get_bytes(&d, &s, &sl);
    for (int i = 0; i < 3; i++) bst_scale_get_u32(&d, &u);
    size_t apis_at = d.pos;
    bst_scale_get_compact_u32(&d, &napis);
    if (d.err != BST_SCALE_OK || napis > (vs_len - d.pos) / 12) return false;
    size_t rest_at = d.pos + (size_t)napis * 12;
    const uint8_t *apis = have_apis ? as : vs + d.pos;
    size_t apis_n = have_apis ? as_len / 12 : napis;
    /* The Core version among the APIs: the optional fields it implies. */
    size_t extra = 0;
    for (size_t i = 0; i < apis_n; i++) {
        if (memcmp(apis + 12 * i, CORE_ID, 8) != 0) continue;
        const uint8_t *v = apis + 12 * i + 8;
        uint32_t core =
            (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
        extra = core >= 4 ? 5 : core >= 3 ? 4 : 0;
    }
    if (vs_len - rest_at < extra) return false;
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_raw(&b, vs, apis_at);
    bst_scale_put_compact_u64(&b, apis_n);
    bst_scale_put_raw(&b, apis, apis_n * 12);
    bst_scale_put_raw(&b, vs + rest_at, extra);
    if (b.err != BST_SCALE_OK) {
        bst_scale_buf_free(&b);
        return false;
    }
    *out = b.data;
    *out_len = b.len;
    if (!*out) { /* cannot happen: the names' lengths are always there */
        bst_scale_buf_free(&b);
        return false;
    }
    return true;
}
