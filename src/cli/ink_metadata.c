/*
 * ink_metadata.c — ink! metadata for `bastion contract` (see ink_metadata.h): loads the JSON,
 * indexes constructors, messages and the portable type registry, and runs a SCALE codec
 * directed by that registry: command-line text -> SCALE for arguments, SCALE -> readable text
 * for return values and events.
 *
 * Everything read from the metadata or from contract output is untrusted: type ids are
 * bounds-checked, recursion is capped (a registry can be cyclic), and the decoder is the strict
 * one of bastion_scale.h.
 */
#include "ink_metadata.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json_util.h"
#include "util.h"

/* Deep enough for any real ink! type, small enough for the C stack with a cyclic registry. */
#define INK_MAX_DEPTH 48

struct ink_fn {
    const json_t *obj;
    char *label;             /* "new", or "Flip::new" for old trait messages (malloc'd) */
    const char *short_label; /* the last path element */
    uint8_t selector[4];
    const json_t *args; /* array (may be NULL: no arguments) */
    long ret;           /* return type id, -1 for none */
};

struct ink_metadata {
    json_t *root;
    int version;          /* 0: ink! 3 era; 4; 5 */
    const json_t **types; /* indexed by type id; entries are {def, path, params} */
    size_t ntypes;
    ink_fn *fns; /* constructors then messages */
    size_t nctors, nmsgs;
    const json_t *events; /* spec.events (array or NULL) */
    ink_account_fn accounts;
};

/* ---- small helpers ----------------------------------------------------------------------- */

static void seterr(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* A growable text buffer; allocation failure is sticky and reported once at the end. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_hex(sbuf *b, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    sb_str(b, "0x");
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        sb_put(b, two, 2);
    }
}

/* A JSON integer in 0..999999999 (ids, indices, lengths), or -1 for anything else. */
static long json_uint(const json_t *v) {
    if (!json_is_integer(v)) return -1;
    json_int_t i = json_integer_value(v);
    return i >= 0 && i <= 999999999 ? (long)i : -1;
}

/* The last element of a JSON array when it is a string, else NULL. */
static const char *last_string(const json_t *a) {
    size_t n = json_array_size(a);
    return n ? json_string_value(json_array_get(a, n - 1)) : NULL;
}

/* ---- 128-bit decimal --------------------------------------------------------------------- */

/* Magnitude as four 32-bit limbs, little-endian. */
typedef struct u128l {
    uint32_t w[4];
} u128l;

/* out = out * mul + add over 16 little-endian bytes; false on overflow. */
static bool le128_muladd(uint8_t out[16], unsigned mul, unsigned add) {
    unsigned carry = add;
    for (int i = 0; i < 16; i++) {
        unsigned t = out[i] * mul + carry;
        out[i] = (uint8_t)t;
        carry = t >> 8;
    }
    return carry == 0;
}

bool ink_parse_u128_le(const char *s, size_t len, uint8_t out[16]) {
    memset(out, 0, 16);
    if (len == 0) return false;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (size_t i = 2; i < len; i++) {
            int d = cli_hex_digit((unsigned char)s[i]);
            if (d < 0 || !le128_muladd(out, 16, (unsigned)d)) return false;
        }
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '_') /* 1_000_000 */
            continue;
        if (s[i] < '0' || s[i] > '9' || !le128_muladd(out, 10, (unsigned)(s[i] - '0')))
            return false;
    }
    return true;
}

/* Decimal text of the little-endian magnitude p[0..n) (n <= 16). */
static void sb_udec(sbuf *b, const uint8_t *p, size_t n) {
    u128l v = {{0, 0, 0, 0}};
    for (size_t i = 0; i < n && i < 16; i++) v.w[i / 4] |= (uint32_t)p[i] << (8 * (i % 4));
    char buf[48];
    size_t k = sizeof buf;
    buf[--k] = '\0';
    do {
        uint64_t rem = 0;
        for (int i = 3; i >= 0; i--) {
            uint64_t cur = (rem << 32) | v.w[i];
            v.w[i] = (uint32_t)(cur / 10);
            rem = cur % 10;
        }
        buf[--k] = (char)('0' + rem);
    } while (v.w[0] | v.w[1] | v.w[2] | v.w[3]);
    sb_str(b, buf + k);
}

/* Decimal text of a two's-complement little-endian integer of n bytes. */
static void sb_sdec(sbuf *b, const uint8_t *p, size_t n) {
    if (n == 0 || !(p[n - 1] & 0x80)) {
        sb_udec(b, p, n);
        return;
    }
    uint8_t mag[16];
    unsigned carry = 1;
    for (size_t i = 0; i < n; i++) { /* negate: invert and add one */
        unsigned t = (unsigned)(uint8_t)~p[i] + carry;
        mag[i] = (uint8_t)t;
        carry = t >> 8;
    }
    sb_str(b, "-");
    sb_udec(b, mag, n);
}

/* ---- loading ----------------------------------------------------------------------------- */

static const json_t *type_obj(const ink_metadata *m, long id) {
    if (id < 0 || (size_t)id >= m->ntypes) return NULL;
    return m->types[id];
}

static const json_t *type_def(const ink_metadata *m, long id) {
    return json_object_get(type_obj(m, id), "def");
}

/* The type id of a {type: {type: ID}} or {type: ID} holder (v0 ids are already 1-based
 * positions, matching our index). */
static long type_ref(const json_t *holder) {
    const json_t *t = json_object_get(holder, "type");
    if (json_is_object(t)) return json_uint(json_object_get(t, "type"));
    return json_uint(t);
}

static const char *label_of(const json_t *o) {
    const char *l = cli_json_str(o, "label");
    if (l) return l;
    const json_t *n = json_object_get(o, "name");
    if (json_is_string(n)) return json_string_value(n);
    return last_string(n);
}

static bool load_fn(ink_fn *f, const json_t *o, bool constructor) {
    f->obj = o;
    const json_t *name = json_object_get(o, "name");
    if (cli_json_str(o, "label")) {
        f->label = strdup(cli_json_str(o, "label"));
    } else if (json_is_array(name) && json_array_size(name)) {
        size_t len = 0;
        for (size_t i = 0; i < json_array_size(name); i++) {
            if (!json_is_string(json_array_get(name, i))) return false;
            len += json_string_length(json_array_get(name, i)) + 2;
        }
        f->label = malloc(len + 1);
        if (f->label) {
            f->label[0] = '\0';
            for (size_t i = 0; i < json_array_size(name); i++) {
                if (i) strcat(f->label, "::");
                strcat(f->label, json_string_value(json_array_get(name, i)));
            }
        }
    } else if (json_is_string(name)) {
        f->label = strdup(json_string_value(name));
    } else {
        return false;
    }
    if (!f->label) return false;
    const char *c = strrchr(f->label, ':');
    f->short_label = c ? c + 1 : f->label;
    const char *sel = cli_json_str(o, "selector");
    if (!sel || !cli_hex_exact(sel, strlen(sel), f->selector, 4)) return false;
    f->args = json_object_get(o, "args");
    if (f->args && !json_is_array(f->args)) return false;
    const json_t *rt = json_object_get(o, "returnType");
    f->ret = json_is_object(rt) ? json_uint(json_object_get(rt, "type")) : -1;
    (void)constructor;
    return true;
}

/* Far beyond any contract's metadata (typically tens of KiB). */
#define MAX_METADATA_BYTES ((size_t)64 << 20)

ink_metadata *ink_metadata_load(const char *path, ink_account_fn accounts, char *err,
                                size_t errlen) {
    uint8_t *bytes;
    size_t len;
    if (!cli_read_file(path, MAX_METADATA_BYTES, &bytes, &len, err, errlen)) return NULL;
    char *text = (char *)bytes;
    ink_metadata *m = calloc(1, sizeof *m);
    if (!m) {
        free(text);
        seterr(err, errlen, "out of memory");
        return NULL;
    }
    m->accounts = accounts;
    json_error_t je;
    m->root = cli_json_parse(text, len, &je);
    free(text);
    if (!m->root) {
        seterr(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        free(m);
        return NULL;
    }
    json_t *root = m->root;
    /* ink! 3.x metadata with a "V1"/"V3" wrapper keeps the same layout inside it. */
    if (!json_object_get(root, "spec")) {
        const char *key;
        json_t *member;
        json_object_foreach(m->root, key, member) {
            if (json_object_get(member, "spec")) {
                root = member;
                break;
            }
        }
    }
    const json_t *ver = json_object_get(m->root, "version");
    m->version = json_is_number(ver) ? (int)json_uint(ver) : 0;
    if (json_is_string(ver)) m->version = atoi(json_string_value(ver));
    const json_t *spec = json_object_get(root, "spec");
    const json_t *types = json_object_get(root, "types");
    if (!json_is_object(spec) || !json_is_array(types)) {
        seterr(err, errlen, "%s: not ink! metadata (no spec/types)", path);
        goto fail;
    }
    /* Types: new format {id, type: {...}}; old format {...} numbered from 1. */
    bool with_ids =
        json_array_size(types) && json_object_get(json_array_get(types, 0), "id") != NULL;
    size_t ntypes = json_array_size(types) + 1;
    if (with_ids)
        for (size_t i = 0; i < json_array_size(types); i++) {
            long id = json_uint(json_object_get(json_array_get(types, i), "id"));
            if (id < 0 || id > 1000000) {
                seterr(err, errlen, "%s: bad type id", path);
                goto fail;
            }
            if ((size_t)id + 1 > ntypes) ntypes = (size_t)id + 1;
        }
    m->types = calloc(ntypes, sizeof *m->types);
    if (!m->types) {
        seterr(err, errlen, "out of memory");
        goto fail;
    }
    m->ntypes = ntypes;
    for (size_t i = 0; i < json_array_size(types); i++) {
        const json_t *t = json_array_get(types, i);
        if (with_ids)
            m->types[json_uint(json_object_get(t, "id"))] = json_object_get(t, "type");
        else
            m->types[i + 1] = t;
    }
    const json_t *ctors = json_object_get(spec, "constructors"),
                 *msgs = json_object_get(spec, "messages");
    if (!json_is_array(ctors) || !json_is_array(msgs)) {
        seterr(err, errlen, "%s: spec without constructors/messages", path);
        goto fail;
    }
    m->fns = calloc(json_array_size(ctors) + json_array_size(msgs) + 1, sizeof *m->fns);
    if (!m->fns) {
        seterr(err, errlen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(ctors); i++, m->nctors++)
        if (!load_fn(&m->fns[m->nctors], json_array_get(ctors, i), true)) {
            seterr(err, errlen, "%s: bad constructor %zu", path, i);
            goto fail;
        }
    for (size_t i = 0; i < json_array_size(msgs); i++, m->nmsgs++)
        if (!load_fn(&m->fns[m->nctors + m->nmsgs], json_array_get(msgs, i), false)) {
            seterr(err, errlen, "%s: bad message %zu", path, i);
            goto fail;
        }
    m->events = json_object_get(spec, "events");
    if (m->events && !json_is_array(m->events)) m->events = NULL;
    return m;
fail:
    ink_metadata_free(m);
    return NULL;
}

void ink_metadata_free(ink_metadata *m) {
    if (!m) return;
    for (size_t i = 0; i < m->nctors + m->nmsgs + 1 && m->fns; i++) free(m->fns[i].label);
    free(m->fns);
    free(m->types);
    json_decref(m->root);
    free(m);
}

int ink_metadata_version(const ink_metadata *m) { return m->version; }

const ink_fn *ink_metadata_find(const ink_metadata *m, bool constructor, const char *label) {
    size_t from = constructor ? 0 : m->nctors;
    size_t n = constructor ? m->nctors : m->nmsgs;
    for (size_t i = from; i < from + n; i++)
        if (strcmp(m->fns[i].label, label) == 0) return &m->fns[i];
    /* "flip" for "Flip::flip", when unambiguous. */
    const ink_fn *found = NULL;
    for (size_t i = from; i < from + n; i++)
        if (strcmp(m->fns[i].short_label, label) == 0) {
            if (found) return NULL;
            found = &m->fns[i];
        }
    return found;
}

const ink_fn *ink_metadata_find_selector(const ink_metadata *m, bool constructor,
                                         const uint8_t selector[4]) {
    size_t from = constructor ? 0 : m->nctors;
    size_t n = constructor ? m->nctors : m->nmsgs;
    for (size_t i = from; i < from + n; i++)
        if (memcmp(m->fns[i].selector, selector, 4) == 0) return &m->fns[i];
    return NULL;
}

const char *ink_fn_label(const ink_fn *f) { return f->label; }

size_t ink_fn_nargs(const ink_fn *f) { return json_array_size(f->args); }

/* A short name for a type: its displayName's last element, else the def kind. */
static const char *arg_type_name(const json_t *arg) {
    const json_t *dn = json_object_get(json_object_get(arg, "type"), "displayName");
    const char *name = last_string(dn);
    return name ? name : "?";
}

void ink_metadata_print_spec(const ink_metadata *m, FILE *out) {
    for (size_t i = 0; i < m->nctors + m->nmsgs; i++) {
        const ink_fn *f = &m->fns[i];
        fprintf(out, "  %s %s(", i < m->nctors ? "constructor" : "message", f->label);
        for (size_t a = 0; a < ink_fn_nargs(f); a++) {
            const char *l = label_of(json_array_get(f->args, a));
            fprintf(out, "%s%s: %s", a ? ", " : "", l ? l : "?",
                    arg_type_name(json_array_get(f->args, a)));
        }
        fprintf(out, ")  selector 0x%02x%02x%02x%02x\n", f->selector[0], f->selector[1],
                f->selector[2], f->selector[3]);
    }
}

/* ---- type helpers ------------------------------------------------------------------------ */

/* The primitive name of a type ("u8", "bool", ...) or NULL. */
static const char *prim_name(const ink_metadata *m, long id) {
    const json_t *def = type_def(m, id);
    const json_t *p = json_object_get(def, "primitive");
    return json_is_string(p) ? json_string_value(p) : NULL;
}

static bool is_u8(const ink_metadata *m, long id) {
    const char *p = prim_name(m, id);
    return p && strcmp(p, "u8") == 0;
}

/* Integer primitive width in bytes and signedness; 0 if not an integer. */
static size_t int_width(const char *p, bool *is_signed) {
    if (!p || (p[0] != 'u' && p[0] != 'i')) return 0;
    *is_signed = p[0] == 'i';
    if (strcmp(p + 1, "8") == 0) return 1;
    if (strcmp(p + 1, "16") == 0) return 2;
    if (strcmp(p + 1, "32") == 0) return 4;
    if (strcmp(p + 1, "64") == 0) return 8;
    if (strcmp(p + 1, "128") == 0) return 16;
    if (strcmp(p + 1, "256") == 0) return 32;
    return 0;
}

static bool is_option(const json_t *tobj) {
    const json_t *path = json_object_get(tobj, "path");
    const char *name = json_string_value(json_array_get(path, 0));
    return json_array_size(path) == 1 && name && strcmp(name, "Option") == 0;
}

/* The variant's SCALE index: "index" (new), "discriminant" (old) or its position. */
static long variant_index(const json_t *v, size_t pos) {
    long i = json_uint(json_object_get(v, "index"));
    if (i < 0) i = json_uint(json_object_get(v, "discriminant"));
    return i < 0 ? (long)pos : i;
}

static const json_t *fields_of(const json_t *holder) {
    const json_t *f = json_object_get(holder, "fields");
    return json_is_array(f) ? f : NULL;
}

/* ---- encoding text -> SCALE -------------------------------------------------------------- */

typedef struct enc {
    const ink_metadata *m;
    bst_scale_buf *out;
    char *err;
    size_t errlen;
    const char *what; /* the argument being encoded, for messages */
} enc;

static void trim(const char **s, size_t *n) {
    while (*n && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* Splits "(a, b)" / "[a, b]" / "{a, b}" (s[0..n) including the brackets) into its top-level
 * comma-separated pieces.  Returns the number of pieces (<= max), or -1 on bad syntax / too
 * many pieces. */
typedef struct piece {
    const char *s;
    size_t n;
} piece;

static long split_list(const char *s, size_t n, piece *out, size_t max) {
    if (n < 2) return -1;
    char open = s[0], close = s[n - 1];
    if (!((open == '(' && close == ')') || (open == '[' && close == ']') ||
          (open == '{' && close == '}')))
        return -1;
    const char *p = s + 1;
    size_t len = n - 2;
    trim(&p, &len);
    if (len == 0) return 0;
    long count = 0;
    int depth = 0;
    bool quoted = false;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? p[i] : ',';
        if (quoted) {
            if (c == '\\' && i + 1 < len)
                i++;
            else if (c == '"')
                quoted = false;
            continue;
        }
        if (c == '"')
            quoted = true;
        else if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}') {
            if (--depth < 0) return -1;
        } else if (c == ',' && depth == 0) {
            if ((size_t)count >= max) return -1;
            out[count].s = p + start;
            out[count].n = i - start;
            trim(&out[count].s, &out[count].n);
            count++;
            start = i + 1;
        }
    }
    return (depth == 0 && !quoted) ? count : -1;
}

static bool enc_value(enc *e, long id, const char *s, size_t n, int depth);

static bool enc_fail(enc *e, const char *fmt, const char *s, size_t n) {
    char shown[64];
    snprintf(shown, sizeof shown, "%.*s", (int)(n > 60 ? 60 : n), s);
    char msg[160];
    snprintf(msg, sizeof msg, fmt, shown);
    seterr(e->err, e->errlen, "%s: %s", e->what, msg);
    return false;
}

static bool enc_int(enc *e, const char *p, const char *s, size_t n) {
    bool is_signed = false;
    size_t w = int_width(p, &is_signed);
    if (w == 0 || w > 16) return enc_fail(e, "unsupported integer type for '%s'", s, n);
    bool neg = n && s[0] == '-';
    uint8_t le[16];
    if (!ink_parse_u128_le(s + neg, n - neg, le)) {
        bool digits = n > (size_t)neg;
        for (size_t i = neg; i < n; i++)
            digits = digits && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_');
        return enc_fail(e, digits ? "'%s' is out of range" : "'%s' is not an integer", s, n);
    }
    if (neg && !is_signed) return enc_fail(e, "'%s' is negative for an unsigned type", s, n);
    /* Range: unsigned needs the bytes above w to be zero; signed the magnitude below 2^(8w-1)
     * (or equal to it when negative). */
    for (size_t i = w; i < 16; i++)
        if (le[i]) return enc_fail(e, "'%s' is out of range", s, n);
    if (is_signed) {
        bool top = le[w - 1] & 0x80;
        if (top) {
            bool exact_min = neg && le[w - 1] == 0x80;
            for (size_t i = 0; exact_min && i + 1 < w; i++) exact_min = le[i] == 0;
            if (!exact_min) return enc_fail(e, "'%s' is out of range", s, n);
        }
        if (neg) {
            unsigned carry = 1;
            for (size_t i = 0; i < w; i++) {
                unsigned t = (unsigned)(uint8_t)~le[i] + carry;
                le[i] = (uint8_t)t;
                carry = t >> 8;
            }
        }
    }
    bst_scale_put_raw(e->out, le, w);
    return true;
}

static bool enc_string(enc *e, const char *s, size_t n) {
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        char *tmp = malloc(n);
        if (!tmp) return enc_fail(e, "out of memory%s", "", 0);
        size_t k = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '\\' && i + 2 < n) i++;
            tmp[k++] = s[i];
        }
        bst_scale_put_str(e->out, tmp, k);
        free(tmp);
    } else {
        bst_scale_put_str(e->out, s, n);
    }
    if (bst_scale_buf_error(e->out) == BST_SCALE_ERR_INVALID_UTF8)
        return enc_fail(e, "'%s' is not valid UTF-8", s, n);
    return true;
}

/* Bytes of a u8 array or Vec<u8>: hex, or a dev account name for 32 bytes. */
static bool enc_bytes(enc *e, const char *s, size_t n, long fixed_len) {
    if (fixed_len == 32 && n && isalpha((unsigned char)s[0]) && e->m->accounts) {
        char name[32];
        if (n < sizeof name) {
            memcpy(name, s, n);
            name[n] = '\0';
            uint8_t key[32];
            if (e->m->accounts(name, key)) {
                bst_scale_put_raw(e->out, key, 32);
                return true;
            }
        }
        return enc_fail(e, "unknown account '%s' (use alice..ferdie or 0x + 64 hex digits)", s, n);
    }
    const char *h = s;
    size_t hn = n;
    if (hn >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) {
        h += 2;
        hn -= 2;
    }
    if (hn % 2) return enc_fail(e, "'%s' is not hex bytes", s, n);
    size_t nb = hn / 2;
    if (fixed_len >= 0 && nb != (size_t)fixed_len) {
        char f[48];
        snprintf(f, sizeof f, "'%%s' is not %ld hex bytes", fixed_len);
        return enc_fail(e, f, s, n);
    }
    uint8_t *tmp = malloc(nb ? nb : 1);
    if (!tmp) return enc_fail(e, "out of memory%s", "", 0);
    if (!cli_hex_exact(h, hn, tmp, nb)) {
        free(tmp);
        return enc_fail(e, "'%s' is not hex bytes", s, n);
    }
    if (fixed_len < 0) bst_scale_put_len(e->out, nb);
    bst_scale_put_raw(e->out, tmp, nb);
    free(tmp);
    return true;
}

/* Encodes a list of pieces as the given field list (composite fields / tuple ids). */
static bool enc_pieces(enc *e, const long *ids, size_t nids, const char *s, size_t n, int depth) {
    piece pcs[64];
    long np = split_list(s, n, pcs, 64);
    if (np < 0 || (size_t)np != nids) {
        char f[80];
        snprintf(f, sizeof f, "'%%s' should be a list of %zu values: (a, b, ...)", nids);
        return enc_fail(e, f, s, n);
    }
    for (size_t i = 0; i < nids; i++) {
        const char *ps = pcs[i].s;
        size_t pn = pcs[i].n;
        /* Accept "name: value" for struct fields. */
        for (size_t k = 0; k < pn; k++) {
            if (ps[k] == ':' && !(k + 1 < pn && ps[k + 1] == ':')) {
                bool ident = k > 0;
                for (size_t j = 0; j < k; j++)
                    ident = ident && (isalnum((unsigned char)ps[j]) || ps[j] == '_');
                if (ident) {
                    ps += k + 1;
                    pn -= k + 1;
                    trim(&ps, &pn);
                }
                break;
            }
            if (!(isalnum((unsigned char)ps[k]) || ps[k] == '_')) break;
        }
        if (!enc_value(e, ids[i], ps, pn, depth + 1)) return false;
    }
    return true;
}

static bool field_ids(const json_t *fields, long *ids, size_t max, size_t *n) {
    *n = 0;
    if (!fields) return true;
    if (json_array_size(fields) > max) return false;
    for (size_t i = 0; i < json_array_size(fields); i++) {
        ids[i] = type_ref(json_array_get(fields, i));
        if (ids[i] < 0) return false;
    }
    *n = json_array_size(fields);
    return true;
}

static bool enc_value(enc *e, long id, const char *s, size_t n, int depth) {
    trim(&s, &n);
    if (depth > INK_MAX_DEPTH) return enc_fail(e, "type nesting too deep at '%s'", s, n);
    const json_t *tobj = type_obj(e->m, id);
    json_t *def = json_object_get(tobj, "def");
    if (!json_is_object(def) || json_object_size(def) < 1)
        return enc_fail(e, "metadata has no usable type for '%s'", s, n);
    const char *kind = json_object_iter_key(json_object_iter(def));
    const json_t *body = json_object_iter_value(json_object_iter(def));
    if (strcmp(kind, "primitive") == 0) {
        const char *p = json_is_string(body) ? json_string_value(body) : "";
        if (strcmp(p, "bool") == 0) {
            if (n == 4 && memcmp(s, "true", 4) == 0)
                bst_scale_put_bool(e->out, true);
            else if (n == 5 && memcmp(s, "false", 5) == 0)
                bst_scale_put_bool(e->out, false);
            else
                return enc_fail(e, "'%s' is not a bool (true/false)", s, n);
            return true;
        }
        if (strcmp(p, "str") == 0) return enc_string(e, s, n);
        if (strcmp(p, "char") == 0) {
            /* A single UTF-8 character as its u32 code point. */
            const unsigned char *u = (const unsigned char *)s;
            uint32_t cp;
            if (n == 1 && u[0] < 0x80)
                cp = u[0];
            else if (n == 2 && bst_scale_utf8_valid(u, 2))
                cp = (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
            else if (n == 3 && bst_scale_utf8_valid(u, 3))
                cp = (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
            else if (n == 4 && bst_scale_utf8_valid(u, 4))
                cp = (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
                     (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
            else
                return enc_fail(e, "'%s' is not one character", s, n);
            bst_scale_put_u32(e->out, cp);
            return true;
        }
        return enc_int(e, p, s, n);
    }
    if (strcmp(kind, "compact") == 0) {
        uint8_t le[16];
        if (!ink_parse_u128_le(s, n, le))
            return enc_fail(e, "'%s' is not a non-negative integer", s, n);
        bst_scale_u128 c = {0, 0};
        for (int i = 7; i >= 0; i--) {
            c.lo = c.lo << 8 | le[i];
            c.hi = c.hi << 8 | le[8 + i];
        }
        bst_scale_put_compact_u128(e->out, c);
        return true;
    }
    if (strcmp(kind, "array") == 0 || strcmp(kind, "sequence") == 0) {
        bool fixed = kind[0] == 'a';
        long elem = type_ref(body);
        long alen = fixed ? json_uint(json_object_get(body, "len")) : -1;
        if (elem < 0 || (fixed && alen < 0))
            return enc_fail(e, "metadata has a bad array type for '%s'", s, n);
        if (is_u8(e->m, elem) && !(n && s[0] == '[')) return enc_bytes(e, s, n, alen);
        piece pcs[256];
        long np = split_list(s, n, pcs, 256);
        if (np < 0 || n == 0 || s[0] != '[')
            return enc_fail(e, "'%s' should be a list [a, b, ...] (at most 256 items)", s, n);
        if (fixed && np != alen) {
            char f[64];
            snprintf(f, sizeof f, "'%%s' should have %ld items", alen);
            return enc_fail(e, f, s, n);
        }
        if (!fixed) bst_scale_put_len(e->out, (size_t)np);
        for (long i = 0; i < np; i++)
            if (!enc_value(e, elem, pcs[i].s, pcs[i].n, depth + 1)) return false;
        return true;
    }
    if (strcmp(kind, "tuple") == 0) {
        long ids[64];
        size_t nids = 0;
        if (!json_is_array(body) || json_array_size(body) > 64)
            return enc_fail(e, "metadata has a bad tuple type for '%s'", s, n);
        for (size_t i = 0; i < json_array_size(body); i++)
            ids[nids++] = json_uint(json_array_get(body, i));
        if (nids == 0) {
            if (n == 0 || (n == 2 && s[0] == '(' && s[1] == ')')) return true;
            return enc_fail(e, "'%s' should be () (the unit type)", s, n);
        }
        if (nids == 1 && !(n && s[0] == '(')) return enc_value(e, ids[0], s, n, depth + 1);
        return enc_pieces(e, ids, nids, s, n, depth);
    }
    if (strcmp(kind, "composite") == 0) {
        long ids[64];
        size_t nids;
        if (!field_ids(fields_of(body), ids, 64, &nids))
            return enc_fail(e, "metadata has a bad struct type for '%s'", s, n);
        if (nids == 0) {
            if (n == 0 || (n == 2 && strchr("({[", s[0]))) return true;
            return enc_fail(e, "'%s' should be empty: the struct has no fields", s, n);
        }
        if (nids == 1) /* newtypes (AccountId, Hash, ...) are written as their field */
            return enc_value(e, ids[0], s, n, depth + 1);
        return enc_pieces(e, ids, nids, s, n, depth);
    }
    if (strcmp(kind, "variant") == 0) {
        const json_t *vars = json_object_get(body, "variants");
        size_t nv = json_is_array(vars) ? json_array_size(vars) : 0;
        size_t idlen = 0;
        while (idlen < n && (isalnum((unsigned char)s[idlen]) || s[idlen] == '_')) idlen++;
        const char *rest = s + idlen;
        size_t rn = n - idlen;
        trim(&rest, &rn);
        bool option = is_option(tobj);
        const json_t *var = NULL;
        size_t pos = 0;
        if (idlen && (rn == 0 || rest[0] == '(')) {
            for (size_t i = 0; i < nv; i++) {
                const char *vn = cli_json_str(json_array_get(vars, i), "name");
                if (!vn || strlen(vn) != idlen) continue;
                bool eq = option ? strncasecmp(vn, s, idlen) == 0 : strncmp(vn, s, idlen) == 0;
                if (eq) {
                    var = json_array_get(vars, i);
                    pos = i;
                    break;
                }
            }
        }
        if (!var && option && nv == 2) {
            /* A bare value is Some(value). */
            var = json_array_get(vars, 1);
            pos = 1;
            rest = NULL;
        }
        if (!var) {
            sbuf names = {0};
            for (size_t i = 0; i < nv; i++) {
                const char *vn = cli_json_str(json_array_get(vars, i), "name");
                if (i) sb_str(&names, ", ");
                sb_str(&names, vn ? vn : "?");
            }
            char f[200];
            snprintf(f, sizeof f, "'%%s' is not one of the variants (%.150s)",
                     names.p ? names.p : "none");
            free(names.p);
            return enc_fail(e, f, s, n);
        }
        long idx = variant_index(var, pos);
        if (idx > 255) return enc_fail(e, "metadata has a bad variant index for '%s'", s, n);
        bst_scale_put_u8(e->out, (uint8_t)idx);
        long ids[64];
        size_t nids;
        if (!field_ids(fields_of(var), ids, 64, &nids))
            return enc_fail(e, "metadata has a bad variant for '%s'", s, n);
        if (!rest) { /* implicit Some: its one field is the value */
            if (nids != 1)
                return enc_fail(e, "metadata's Option has no single Some field for '%s'", s, n);
            return enc_value(e, ids[0], s, n, depth + 1);
        }
        if (nids == 0) {
            if (rn == 0 || (rn == 2 && rest[0] == '(' && rest[1] == ')')) return true;
            return enc_fail(e, "variant '%s' has no fields", s, n);
        }
        if (rn == 0) return enc_fail(e, "variant '%s' needs its fields: Name(a, ...)", s, n);
        if (nids == 1) {
            if (rest[rn - 1] != ')') return enc_fail(e, "'%s' should be Name(value)", s, n);
            return enc_value(e, ids[0], rest + 1, rn - 2, depth + 1);
        }
        return enc_pieces(e, ids, nids, rest, rn, depth);
    }
    return enc_fail(e, "unsupported type kind for '%s'", s, n);
}

bool ink_encode_call(const ink_metadata *m, const ink_fn *f, const char *const *args, size_t nargs,
                     bst_scale_buf *out, char *err, size_t errlen) {
    size_t want = ink_fn_nargs(f);
    if (nargs != want) {
        sbuf sig = {0};
        for (size_t a = 0; a < want; a++) {
            const char *l = label_of(json_array_get(f->args, a));
            if (a) sb_str(&sig, ", ");
            sb_str(&sig, l ? l : "?");
            sb_str(&sig, ": ");
            sb_str(&sig, arg_type_name(json_array_get(f->args, a)));
        }
        seterr(err, errlen, "%s takes %zu argument%s (%s), %zu given", f->label, want,
               want == 1 ? "" : "s", sig.p ? sig.p : "", nargs);
        free(sig.p);
        return false;
    }
    bst_scale_put_raw(out, f->selector, 4);
    for (size_t a = 0; a < nargs; a++) {
        const json_t *arg = json_array_get(f->args, a);
        const char *l = label_of(arg);
        char what[96];
        snprintf(what, sizeof what, "argument %zu (%s: %s)", a + 1, l ? l : "?",
                 arg_type_name(arg));
        enc e = {m, out, err, errlen, what};
        if (!enc_value(&e, type_ref(arg), args[a], strlen(args[a]), 0)) return false;
    }
    if (bst_scale_buf_error(out) != BST_SCALE_OK) {
        seterr(err, errlen, "encoding failed: %s", bst_scale_err_str(bst_scale_buf_error(out)));
        return false;
    }
    return true;
}

/* ---- decoding SCALE -> text -------------------------------------------------------------- */

typedef struct dec {
    const ink_metadata *m;
    bst_scale_dec d;
    sbuf *out;
    char *err;
    size_t errlen;
    size_t steps; /* dec_value calls so far (see INK_DEC_MAX_STEPS) */
} dec;

/* Work and output limits of one decode: a type of zero-sized elements (a long array of `()`)
 * reads no input, so the input's size does not bound the work or the text. */
#define INK_DEC_MAX_STEPS 1000000u
#define INK_DEC_MAX_TEXT (1u << 20)

static bool dec_fail(dec *x, const char *what) {
    if (x->d.err != BST_SCALE_OK)
        seterr(x->err, x->errlen, "%s at byte %zu: %s", what, x->d.err_pos,
               bst_scale_err_str(x->d.err));
    else
        seterr(x->err, x->errlen, "%s at byte %zu", what, x->d.pos);
    return false;
}

static bool dec_value(dec *x, long id, int depth);

static bool dec_fields(dec *x, const json_t *fields, int depth, bool braces_if_named) {
    size_t nf = fields ? json_array_size(fields) : 0;
    bool named = nf && cli_json_str(json_array_get(fields, 0), "name") != NULL;
    sb_str(x->out, named && braces_if_named ? "{" : "(");
    for (size_t i = 0; i < nf; i++) {
        if (i) sb_str(x->out, ", ");
        const char *fname = cli_json_str(json_array_get(fields, i), "name");
        if (named && fname) {
            sb_str(x->out, fname);
            sb_str(x->out, ": ");
        }
        if (!dec_value(x, type_ref(json_array_get(fields, i)), depth + 1)) return false;
    }
    sb_str(x->out, named && braces_if_named ? "}" : ")");
    return true;
}

static bool dec_value(dec *x, long id, int depth) {
    if (depth > INK_MAX_DEPTH) return dec_fail(x, "type nesting too deep");
    if (++x->steps > INK_DEC_MAX_STEPS)
        return dec_fail(x, "value too large to show (more than 1000000 decoding steps)");
    if (x->out->len > INK_DEC_MAX_TEXT)
        return dec_fail(x, "value too large to show (more than 1 MiB of text)");
    const json_t *tobj = type_obj(x->m, id);
    json_t *def = json_object_get(tobj, "def");
    if (!json_is_object(def) || json_object_size(def) < 1)
        return dec_fail(x, "metadata has no usable type");
    const char *kind = json_object_iter_key(json_object_iter(def));
    const json_t *body = json_object_iter_value(json_object_iter(def));
    if (strcmp(kind, "primitive") == 0) {
        const char *p = json_is_string(body) ? json_string_value(body) : "";
        if (strcmp(p, "bool") == 0) {
            bool b;
            if (bst_scale_get_bool(&x->d, &b)) return dec_fail(x, "bool");
            sb_str(x->out, b ? "true" : "false");
            return true;
        }
        if (strcmp(p, "str") == 0) {
            const char *s;
            size_t n;
            if (bst_scale_get_str(&x->d, &s, &n)) return dec_fail(x, "string");
            sb_str(x->out, "\"");
            for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                char esc[8];
                if (c < 0x20 || c == '"' || c == '\\') {
                    snprintf(esc, sizeof esc, "\\x%02x", c);
                    sb_str(x->out, esc);
                } else {
                    sb_put(x->out, s + i, 1);
                }
            }
            sb_str(x->out, "\"");
            return true;
        }
        if (strcmp(p, "char") == 0) {
            uint32_t cp;
            if (bst_scale_get_u32(&x->d, &cp)) return dec_fail(x, "char");
            char t[24];
            snprintf(t, sizeof t, "U+%04" PRIX32, cp);
            sb_str(x->out, t);
            return true;
        }
        bool is_signed = false;
        size_t w = int_width(p, &is_signed);
        if (w == 0) return dec_fail(x, "unsupported primitive type");
        const uint8_t *raw;
        if (bst_scale_get_raw(&x->d, w, &raw)) return dec_fail(x, p);
        if (w > 16)
            sb_hex(x->out, raw, w); /* u256/i256: little-endian bytes */
        else if (is_signed)
            sb_sdec(x->out, raw, w);
        else
            sb_udec(x->out, raw, w);
        return true;
    }
    if (strcmp(kind, "compact") == 0) {
        uint8_t le[BST_SCALE_COMPACT_MAX_BYTES];
        size_t n;
        if (bst_scale_get_compact_bytes(&x->d, le, &n)) return dec_fail(x, "compact");
        if (n <= 16)
            sb_udec(x->out, le, n);
        else
            sb_hex(x->out, le, n);
        return true;
    }
    if (strcmp(kind, "array") == 0 || strcmp(kind, "sequence") == 0) {
        bool fixed = kind[0] == 'a';
        long elem = type_ref(body);
        size_t count;
        if (fixed) {
            long l = json_uint(json_object_get(body, "len"));
            if (l < 0) return dec_fail(x, "bad array type");
            count = (size_t)l;
        }
        if (is_u8(x->m, elem)) {
            const uint8_t *p;
            if (fixed ? bst_scale_get_raw(&x->d, count, &p)
                      : bst_scale_get_bytes(&x->d, &p, &count))
                return dec_fail(x, "bytes");
            sb_hex(x->out, p, count);
            return true;
        }
        if (!fixed && bst_scale_get_len(&x->d, 1, &count)) return dec_fail(x, "sequence length");
        sb_str(x->out, "[");
        for (size_t i = 0; i < count; i++) {
            if (i) sb_str(x->out, ", ");
            if (!dec_value(x, elem, depth + 1)) return false;
        }
        sb_str(x->out, "]");
        return true;
    }
    if (strcmp(kind, "tuple") == 0) {
        if (!json_is_array(body)) return dec_fail(x, "bad tuple type");
        sb_str(x->out, "(");
        for (size_t i = 0; i < json_array_size(body); i++) {
            if (i) sb_str(x->out, ", ");
            if (!dec_value(x, json_uint(json_array_get(body, i)), depth + 1)) return false;
        }
        sb_str(x->out, ")");
        return true;
    }
    if (strcmp(kind, "composite") == 0) {
        const json_t *fields = fields_of(body);
        if (fields && json_array_size(fields) == 1 &&
            !cli_json_str(json_array_get(fields, 0), "name"))
            return dec_value(x, type_ref(json_array_get(fields, 0)), depth + 1); /* newtype */
        return dec_fields(x, fields, depth, true);
    }
    if (strcmp(kind, "variant") == 0) {
        const json_t *vars = json_object_get(body, "variants");
        uint8_t tag;
        if (bst_scale_get_u8(&x->d, &tag)) return dec_fail(x, "enum tag");
        const json_t *var = NULL;
        for (size_t i = 0; json_is_array(vars) && i < json_array_size(vars); i++)
            if (variant_index(json_array_get(vars, i), i) == tag) {
                var = json_array_get(vars, i);
                break;
            }
        if (!var) {
            x->d.pos--;
            return dec_fail(x, "unknown enum variant");
        }
        const char *vn = cli_json_str(var, "name");
        sb_str(x->out, vn ? vn : "?");
        const json_t *fields = fields_of(var);
        if (!fields || json_array_size(fields) == 0) return true;
        bool named = cli_json_str(json_array_get(fields, 0), "name") != NULL;
        if (named) sb_str(x->out, " ");
        return dec_fields(x, fields, depth, true);
    }
    return dec_fail(x, "unsupported type kind");
}

static bool finish_text(dec *x, sbuf *b, char **text) {
    if (bst_scale_finish(&x->d) != BST_SCALE_OK) {
        free(b->p);
        b->p = NULL;
        return dec_fail(x, "trailing bytes");
    }
    if (b->oom) {
        free(b->p);
        b->p = NULL;
        seterr(x->err, x->errlen, "out of memory");
        return false;
    }
    *text = b->p ? b->p : strdup("");
    return *text != NULL;
}

bool ink_decode_return(const ink_metadata *m, const ink_fn *f, const uint8_t *data, size_t len,
                       char **text, char *err, size_t errlen) {
    *text = NULL;
    if (f->ret < 0) return true;
    sbuf b = {0};
    dec x = {m, {0}, &b, err, errlen, 0};
    bst_scale_dec_init(&x.d, data, len);
    if (dec_value(&x, f->ret, 0) && finish_text(&x, &b, text)) return true;
    free(b.p);
    /* ink! 4/5 infallible constructors declare ConstructorResult<()> but return
     * ConstructorResult<Result<(), ()>> (the codegen wraps every constructor's outcome in a
     * Result): 0x00 0x00.  Read past the inner Ok tag when the declared type did not fit. */
    if (f->obj && f - m->fns < (ptrdiff_t)m->nctors && len >= 2 && data[0] == 0 && data[1] == 0) {
        uint8_t *copy = malloc(len - 1);
        if (!copy) return false;
        copy[0] = 0;
        memcpy(copy + 1, data + 2, len - 2);
        sbuf b2 = {0};
        dec y = {m, {0}, &b2, NULL, 0, 0};
        bst_scale_dec_init(&y.d, copy, len - 1);
        bool ok = dec_value(&y, f->ret, 0) && finish_text(&y, &b2, text);
        if (!ok) free(b2.p);
        free(copy);
        if (ok) return true;
    }
    return false;
}

bool ink_decode_event(const ink_metadata *m, const uint8_t (*topics)[32], size_t ntopics,
                      const uint8_t *data, size_t len, char **text, char *err, size_t errlen) {
    *text = NULL;
    const json_t *ev = NULL;
    size_t nev = json_array_size(m->events);
    if (m->version >= 5) {
        for (size_t i = 0; i < nev && ntopics; i++) {
            const char *sig = cli_json_str(json_array_get(m->events, i), "signature_topic");
            uint8_t t[32];
            if (sig && cli_hex_exact(sig, strlen(sig), t, 32) && memcmp(t, topics[0], 32) == 0) {
                ev = json_array_get(m->events, i);
                break;
            }
        }
        if (!ev) {
            /* An anonymous event has no signature topic; take it when it is the only one. */
            const json_t *anon = NULL;
            size_t nanon = 0;
            for (size_t i = 0; i < nev; i++)
                if (!cli_json_str(json_array_get(m->events, i), "signature_topic")) {
                    anon = json_array_get(m->events, i);
                    nanon++;
                }
            if (nanon == 1) ev = anon;
        }
        if (!ev) {
            seterr(err, errlen, "no event of the metadata has this signature topic");
            return false;
        }
    } else {
        /* ink! 3/4: the data is the contract's event enum: a variant index, then the fields. */
        if (len == 0 || data[0] >= nev) {
            seterr(err, errlen, "event index %d is not in the metadata", len ? data[0] : -1);
            return false;
        }
        ev = json_array_get(m->events, data[0]);
        data++;
        len--;
    }
    sbuf b = {0};
    const char *name = label_of(ev);
    sb_str(&b, name ? name : "?");
    dec x = {m, {0}, &b, err, errlen, 0};
    bst_scale_dec_init(&x.d, data, len);
    const json_t *args = json_object_get(ev, "args");
    for (size_t i = 0; json_is_array(args) && i < json_array_size(args); i++) {
        const char *l = label_of(json_array_get(args, i));
        sb_str(&b, " ");
        sb_str(&b, l ? l : "?");
        sb_str(&b, "=");
        if (!dec_value(&x, type_ref(json_array_get(args, i)), 0)) {
            free(b.p);
            return false;
        }
    }
    return finish_text(&x, &b, text);
}
