/*
 * json.c — strict recursive-descent JSON parser (see json.h).
 *
 * Strict means: no comments, no trailing commas, no leading zeros, no unescaped control
 * characters, no lone surrogates, no invalid UTF-8.  Duplicate keys are accepted (json_get
 * returns the first).  Nesting depth is capped so hostile input cannot overflow the C stack.
 */
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Far deeper than wast2json output (depth ~5) but small enough for any C stack. */
#define JSON_MAX_DEPTH 256

typedef struct parser {
    const char *p, *end, *start;
    json_error *err;
} parser;

/* Records the first error only: later ones are consequences of it. */
static bool fail(parser *ps, const char *msg) {
    json_error *e = ps->err;
    if (e->message[0] != '\0') return false;
    size_t line = 1, col = 1;
    for (const char *q = ps->start; q < ps->p && q < ps->end; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    e->line = line;
    e->column = col;
    snprintf(e->message, sizeof e->message, "%s", msg);
    return false;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

/* Consumes c if it is the next byte. */
static bool eat(parser *ps, char c) {
    if (ps->p >= ps->end || *ps->p != c) return false;
    ps->p++;
    return true;
}

static bool literal(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, "invalid literal");
    ps->p += n;
    return true;
}

/* A growable byte buffer for decoded strings. */
typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static bool buf_put(buf *b, const char *src, size_t n) {
    if (n > SIZE_MAX - 1 - b->len) return false;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1) cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
        char *d = realloc(b->data, cap);
        if (!d) return false;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static size_t utf8_encode(uint32_t cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0 if malformed
 * (overlong forms, surrogates and code points above U+10FFFF are rejected). */
static size_t utf8_valid(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

static bool hex4(parser *ps, uint32_t *out) {
    if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return fail(ps, "invalid hex digit in \\u escape");
    }
    ps->p += 4;
    *out = v;
    return true;
}

/* Parses a string starting at the opening quote into a fresh malloc'd buffer. */
static bool parse_string(parser *ps, char **out, size_t *out_len) {
    buf b = {0};
    ps->p++; /* opening quote */
    for (;;) {
        if (ps->p >= ps->end) {
            free(b.data);
            return fail(ps, "unterminated string");
        }
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c < 0x20) {
            free(b.data);
            return fail(ps, "control character in string");
        }
        bool ok;
        if (c != '\\') {
            size_t n = utf8_valid((const unsigned char *)ps->p, (size_t)(ps->end - ps->p));
            if (n == 0) {
                free(b.data);
                return fail(ps, "invalid UTF-8 in string");
            }
            ok = buf_put(&b, ps->p, n);
            ps->p += n;
        } else {
            ps->p++;
            if (ps->p >= ps->end) {
                free(b.data);
                return fail(ps, "unterminated escape");
            }
            char e = *ps->p++;
            char ch;
            switch (e) {
            case '"': ch = '"'; break;
            case '\\': ch = '\\'; break;
            case '/': ch = '/'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'u': {
                uint32_t cp;
                if (!hex4(ps, &cp)) {
                    free(b.data);
                    return false;
                }
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    free(b.data);
                    return fail(ps, "lone low surrogate in \\u escape");
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t lo;
                    if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
                        free(b.data);
                        return fail(ps, "high surrogate not followed by \\u low surrogate");
                    }
                    ps->p += 2;
                    if (!hex4(ps, &lo)) {
                        free(b.data);
                        return false;
                    }
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        free(b.data);
                        return fail(ps, "high surrogate not followed by low surrogate");
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                char u[4];
                size_t n = utf8_encode(cp, u);
                if (!buf_put(&b, u, n)) {
                    free(b.data);
                    return fail(ps, "out of memory");
                }
                continue;
            }
            default: free(b.data); return fail(ps, "invalid escape in string");
            }
            ok = buf_put(&b, &ch, 1);
        }
        if (!ok) {
            free(b.data);
            return fail(ps, "out of memory");
        }
    }
    if (!b.data && !buf_put(&b, "", 0)) return fail(ps, "out of memory");
    *out = b.data;
    *out_len = b.len;
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Validates the RFC 8259 number grammar and keeps the text. */
static bool parse_number(parser *ps, json_value *v) {
    const char *s = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    if (ps->p >= ps->end || !is_digit(*ps->p)) return fail(ps, "invalid number");
    if (*ps->p == '0') {
        ps->p++;
        if (ps->p < ps->end && is_digit(*ps->p)) return fail(ps, "leading zero in number");
    } else {
        while (ps->p < ps->end && is_digit(*ps->p)) ps->p++;
    }
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (ps->p >= ps->end || !is_digit(*ps->p))
            return fail(ps, "digit expected after decimal point");
        while (ps->p < ps->end && is_digit(*ps->p)) ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
        if (ps->p >= ps->end || !is_digit(*ps->p)) return fail(ps, "digit expected in exponent");
        while (ps->p < ps->end && is_digit(*ps->p)) ps->p++;
    }
    size_t n = (size_t)(ps->p - s);
    v->str = malloc(n + 1);
    if (!v->str) return fail(ps, "out of memory");
    memcpy(v->str, s, n);
    v->str[n] = '\0';
    v->len = n;
    v->kind = JSON_NUMBER;
    return true;
}

static bool parse_value(parser *ps, json_value *v, int depth);

/* Appends one element to a growable array of `size`-byte elements. */
static void *grow(void *arr, size_t count, size_t *cap, size_t size) {
    if (count < *cap) return arr;
    size_t ncap = *cap ? *cap * 2 : 4;
    if (ncap > SIZE_MAX / size) return NULL;
    void *n = realloc(arr, ncap * size);
    if (n) *cap = ncap;
    return n;
}

/* One array item, appended to v->items. */
static bool parse_item(parser *ps, json_value *v, size_t *cap, int depth) {
    json_value *items = grow(v->items, v->count, cap, sizeof *items);
    if (!items) return fail(ps, "out of memory");
    v->items = items;
    memset(&v->items[v->count], 0, sizeof *v->items);
    /* Count the slot before parsing so json_free releases a partially parsed element. */
    v->count++;
    return parse_value(ps, &v->items[v->count - 1], depth + 1);
}

/* One object member ("key": value), appended to v->members. */
static bool parse_member(parser *ps, json_value *v, size_t *cap, int depth) {
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected string key in object");
    json_member *m = grow(v->members, v->count, cap, sizeof *m);
    if (!m) return fail(ps, "out of memory");
    v->members = m;
    m = &v->members[v->count];
    memset(m, 0, sizeof *m);
    v->count++;
    if (!parse_string(ps, &m->key, &m->key_len)) return false;
    skip_ws(ps);
    if (!eat(ps, ':')) return fail(ps, "expected ':' after object key");
    return parse_value(ps, &m->value, depth + 1);
}

/* An array or object from its opening byte: nothing, or elements (each parsed by parse_one)
 * separated by ',', then the closing byte `close`; `unclosed` is the error when that is
 * missing. */
static bool parse_container(parser *ps, json_value *v, int depth, char close, const char *unclosed,
                            bool (*parse_one)(parser *, json_value *, size_t *, int)) {
    size_t cap = 0;
    ps->p++; /* [ or { */
    skip_ws(ps);
    if (eat(ps, close)) return true;
    do {
        if (!parse_one(ps, v, &cap, depth)) return false;
        skip_ws(ps);
    } while (eat(ps, ','));
    if (eat(ps, close)) return true;
    return fail(ps, unclosed);
}

static bool parse_value(parser *ps, json_value *v, int depth) {
    if (depth > JSON_MAX_DEPTH) return fail(ps, "nesting too deep");
    skip_ws(ps);
    if (ps->p >= ps->end) return fail(ps, "unexpected end of input");
    switch (*ps->p) {
    case '{':
        v->kind = JSON_OBJECT;
        return parse_container(ps, v, depth, '}', "expected ',' or '}' in object", parse_member);
    case '[':
        v->kind = JSON_ARRAY;
        return parse_container(ps, v, depth, ']', "expected ',' or ']' in array", parse_item);
    case '"': v->kind = JSON_STRING; return parse_string(ps, &v->str, &v->len);
    case 't':
        v->kind = JSON_BOOL;
        v->boolean = true;
        return literal(ps, "true");
    case 'f':
        v->kind = JSON_BOOL;
        v->boolean = false;
        return literal(ps, "false");
    case 'n': v->kind = JSON_NULL; return literal(ps, "null");
    default:
        if (*ps->p == '-' || is_digit(*ps->p)) return parse_number(ps, v);
        return fail(ps, "unexpected character");
    }
}

bool json_parse(const char *text, size_t len, json_value *out, json_error *err) {
    parser ps = {text, text + len, text, err};
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    bool ok = parse_value(&ps, out, 0);
    if (ok) {
        skip_ws(&ps);
        if (ps.p != ps.end) ok = fail(&ps, "trailing characters after JSON value");
    }
    if (!ok) {
        json_free(out);
        memset(out, 0, sizeof *out);
    }
    return ok;
}

void json_free(json_value *v) {
    if (!v) return;
    free(v->str);
    for (size_t i = 0; v->items && i < v->count; i++) json_free(&v->items[i]);
    for (size_t i = 0; v->members && i < v->count; i++) {
        free(v->members[i].key);
        json_free(&v->members[i].value);
    }
    free(v->items);
    free(v->members);
    memset(v, 0, sizeof *v);
}

const json_value *json_get(const json_value *v, const char *key) {
    if (!v || v->kind != JSON_OBJECT) return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < v->count; i++) {
        const json_member *m = &v->members[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0) return &m->value;
    }
    return NULL;
}

const char *json_get_string(const json_value *v, const char *key) {
    const json_value *s = json_get(v, key);
    return s && s->kind == JSON_STRING ? s->str : NULL;
}
