/*
 * wire.c — the byte-level formats of the signing layer (see sign_impl.h): LEB128 and module
 * sections read from untrusted bytes, the `signature` section's data (Signatures.md in the
 * WebAssembly tool-conventions, in the layout wasmsign2 writes: each set of signed hashes and
 * each signature record carries a length prefix), the output buffer of signing and the lines of
 * minisign's text files.
 *
 * The parser validates the whole signature data before anyone uses it, and allocates nothing:
 * every count is checked against its bound and against the bytes that remain before it is used,
 * so a hostile count can neither make us allocate nor loop beyond the input.
 */
#include "sign_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sig_why(char *why, size_t why_len, const char *fmt, ...) {
    if (!why || !why_len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
}

bool sig_read_u32(sig_reader *r, uint32_t *out) {
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (r->pos >= r->len) return false;
        uint8_t b = r->p[r->pos++];
        /* the fifth byte may only carry the top 4 bits of a 32-bit value */
        if (shift == 28 && (b & 0xf0)) return false;
        v |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

bool sig_read_bytes(sig_reader *r, size_t n, const uint8_t **out) {
    if (n > r->len - r->pos) return false;
    *out = r->p + r->pos;
    r->pos += n;
    return true;
}

/* ---- module sections ---------------------------------------------------------------------- */

static const uint8_t WASM_HEADER[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

size_t sig_module_start(const uint8_t *m, size_t len, char *why, size_t why_len) {
    if (len < sizeof WASM_HEADER || memcmp(m, WASM_HEADER, sizeof WASM_HEADER) != 0) {
        sig_why(why, why_len, "not a WebAssembly module (the header \\0asm version 1 is missing)");
        return 0;
    }
    return sizeof WASM_HEADER;
}

int sig_next_section(const uint8_t *m, size_t len, size_t *pos, sig_section *s, char *why,
                     size_t why_len) {
    if (*pos >= len) return 0;
    sig_reader r = {m, len, *pos};
    uint32_t size;
    const uint8_t *payload;
    memset(s, 0, sizeof *s);
    s->start = *pos;
    s->id = m[r.pos++];
    if (!sig_read_u32(&r, &size) || !sig_read_bytes(&r, size, &payload)) {
        sig_why(why, why_len, "section at offset %zu: its size runs past the end of the module",
                s->start);
        return -1;
    }
    s->end = r.pos;
    s->body = payload;
    s->body_len = size;
    if (s->id == 0) {
        sig_reader c = {payload, size, 0};
        uint32_t name_len;
        if (!sig_read_u32(&c, &name_len) || !sig_read_bytes(&c, name_len, &s->name)) {
            sig_why(why, why_len, "custom section at offset %zu: its name runs past its end",
                    s->start);
            return -1;
        }
        s->name_len = name_len;
        s->body = payload + c.pos;
        s->body_len = size - c.pos;
    }
    *pos = s->end;
    return 1;
}

bool sig_is_custom(const sig_section *s, const char *name) {
    size_t n = strlen(name);
    return s->id == 0 && s->name_len == n && memcmp(s->name, name, n) == 0;
}

/* ---- the signature data ------------------------------------------------------------------- */

/* One signature record (the bytes inside its length prefix), which must be consumed exactly. */
static bool parse_record(const uint8_t *p, size_t len, sig_record *out) {
    sig_reader r = {p, len, 0};
    const uint8_t *alg;
    memset(out, 0, sizeof *out);
    out->raw = p;
    out->raw_len = len;
    if (!sig_read_u32(&r, &out->key_id_len) || !sig_read_bytes(&r, out->key_id_len, &out->key_id) ||
        !sig_read_bytes(&r, 1, &alg) || !sig_read_u32(&r, &out->sig_len) ||
        !sig_read_bytes(&r, out->sig_len, &out->sig))
        return false;
    out->alg = alg[0];
    return r.pos == r.len;
}

/* One set of signed hashes (the bytes inside its length prefix), records included. */
static bool parse_set(const uint8_t *p, size_t len, sig_set *out, char *why, size_t why_len) {
    sig_reader r = {p, len, 0};
    memset(out, 0, sizeof *out);
    out->raw = p;
    out->raw_len = len;
    if (!sig_read_u32(&r, &out->nhashes) || out->nhashes == 0 || out->nhashes > SIG_MAX_HASHES) {
        sig_why(why, why_len, "a set of signed hashes holds %u hashes (1 to %d allowed)",
                (unsigned)out->nhashes, SIG_MAX_HASHES);
        return false;
    }
    if (!sig_read_bytes(&r, (size_t)out->nhashes * 32, &out->hashes) ||
        !sig_read_u32(&r, &out->nsigs)) {
        sig_why(why, why_len, "a set of signed hashes is cut short");
        return false;
    }
    /* each record takes at least its length prefix: a count beyond the bytes left is a lie */
    if (out->nsigs > SIG_MAX_SIGS || out->nsigs > len - r.pos) {
        sig_why(why, why_len, "a set of signed hashes claims %u signatures (at most %d)",
                (unsigned)out->nsigs, SIG_MAX_SIGS);
        return false;
    }
    out->sigs = (sig_reader){p, len, r.pos};
    for (uint32_t i = 0; i < out->nsigs; i++) {
        uint32_t rlen;
        const uint8_t *rec;
        sig_record record;
        if (!sig_read_u32(&r, &rlen) || !sig_read_bytes(&r, rlen, &rec) ||
            !parse_record(rec, rlen, &record)) {
            sig_why(why, why_len, "signature %u of a set is not well formed", (unsigned)i + 1);
            return false;
        }
    }
    if (r.pos != r.len) {
        sig_why(why, why_len, "a set of signed hashes has %zu bytes after its signatures",
                r.len - r.pos);
        return false;
    }
    return true;
}

bool sig_data_parse(const uint8_t *p, size_t len, sig_data *d, char *why, size_t why_len) {
    sig_reader r = {p, len, 0};
    const uint8_t *ids;
    memset(d, 0, sizeof *d);
    if (!sig_read_bytes(&r, 3, &ids)) {
        sig_why(why, why_len, "the signature data is cut short (%zu bytes)", len);
        return false;
    }
    if (ids[0] != SIG_SPEC_VERSION || ids[1] != SIG_CONTENT_WASM || ids[2] != SIG_HASH_SHA256) {
        sig_why(why, why_len,
                "unsupported signature data: version 0x%02x, content type 0x%02x, hash function "
                "0x%02x (supported: 0x01, 0x01 WebAssembly module, 0x01 SHA-256)",
                ids[0], ids[1], ids[2]);
        return false;
    }
    if (!sig_read_u32(&r, &d->nsets) || d->nsets == 0 || d->nsets > SIG_MAX_SETS ||
        d->nsets > len - r.pos) {
        sig_why(why, why_len, "the signature data claims %u sets of signed hashes (1 to %d)",
                (unsigned)d->nsets, SIG_MAX_SETS);
        return false;
    }
    d->sets = (sig_reader){p, len, r.pos};
    for (uint32_t i = 0; i < d->nsets; i++) {
        uint32_t slen;
        const uint8_t *set;
        sig_set s;
        if (!sig_read_u32(&r, &slen) || !sig_read_bytes(&r, slen, &set)) {
            sig_why(why, why_len, "set %u of signed hashes runs past the signature data",
                    (unsigned)i + 1);
            return false;
        }
        if (!parse_set(set, slen, &s, why, why_len)) return false;
    }
    if (r.pos != r.len) {
        sig_why(why, why_len, "%zu bytes follow the last signature", r.len - r.pos);
        return false;
    }
    return true;
}

bool sig_next_set(sig_data *d, sig_set *out) {
    uint32_t slen;
    const uint8_t *set;
    return sig_read_u32(&d->sets, &slen) && sig_read_bytes(&d->sets, slen, &set) &&
           parse_set(set, slen, out, NULL, 0);
}

bool sig_next_record(sig_set *set, sig_record *out) {
    uint32_t rlen;
    const uint8_t *rec;
    return sig_read_u32(&set->sigs, &rlen) && sig_read_bytes(&set->sigs, rlen, &rec) &&
           parse_record(rec, rlen, out);
}

size_t sig_message(const uint8_t *hashes, uint32_t nhashes, uint8_t msg[SIG_MSG_MAX]) {
    size_t n = sizeof SIG_DOMAIN - 1;
    memcpy(msg, SIG_DOMAIN, n);
    msg[n++] = SIG_SPEC_VERSION;
    msg[n++] = SIG_CONTENT_WASM;
    msg[n++] = SIG_HASH_SHA256;
    memcpy(msg + n, hashes, (size_t)nhashes * 32);
    return n + (size_t)nhashes * 32;
}

/* ---- output ------------------------------------------------------------------------------- */

void sig_put(sig_buf *b, const void *p, size_t n) {
    if (b->failed) return;
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = true;
                return;
            }
            cap *= 2;
        }
        uint8_t *np = realloc(b->p, cap);
        if (!np) {
            b->failed = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
}

void sig_put_byte(sig_buf *b, uint8_t v) { sig_put(b, &v, 1); }

void sig_put_u32(sig_buf *b, uint32_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        sig_put_byte(b, (uint8_t)(byte | (v ? 0x80 : 0)));
    } while (v);
}

size_t sig_u32_len(uint32_t v) {
    size_t n = 1;
    while (v >>= 7) n++;
    return n;
}

/* ---- text lines --------------------------------------------------------------------------- */

bool sig_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *line_len) {
    if (*pos >= len) return false;
    const char *start = text + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - start) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    if (n && start[n - 1] == '\r') n--;
    *line = start;
    *line_len = n;
    return true;
}

bool sig_has_prefix(const char *line, size_t line_len, const char *prefix) {
    size_t n = strlen(prefix);
    return line_len >= n && memcmp(line, prefix, n) == 0;
}
