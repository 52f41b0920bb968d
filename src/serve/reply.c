/*
 * reply.c — what the endpoints share to answer: error bodies, the 429 of a quota rejection
 * (with Retry-After), and hex in and out of JSON strings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_impl.h"

void srv_reply_error(srv_reply *r, unsigned status, const char *code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_decref(r->json);
    r->status = status;
    r->json = json_pack("{s:s, s:s}", "error", code, "message", msg);
}

void srv_reply_quota(srv_reply *r, const bst_rejection *rej) {
    json_decref(r->json);
    r->status = 429;
    r->json = json_pack("{s:s, s:s, s:s}", "error", "quota_exceeded", "quota",
                        bst_quota_name(rej->quota), "message", rej->message);
    /* Retry-After counts whole seconds: round up, at least 1 when a retry may help. */
    r->retry_after_s = rej->retry_after_ms ? (rej->retry_after_ms + 999) / 1000 : 0;
}

json_t *srv_json_hex(const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 3);
    if (!s) return NULL;
    s[0] = '0';
    s[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        s[2 + 2 * i] = digits[p[i] >> 4];
        s[3 + 2 * i] = digits[p[i] & 15];
    }
    json_t *j = json_stringn(s, 2 * n + 2);
    free(s);
    return j;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex (after an optional 0x) into out[0..n/2); false unless s is exactly 2*n digits. */
static bool hex_into(const char *s, size_t len, uint8_t *out) {
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static const char *skip_0x(const char *s) {
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
}

bool srv_hex_decode(const char *s, uint8_t **out, size_t *out_len) {
    s = skip_0x(s);
    size_t len = strlen(s);
    if (len % 2) return false;
    uint8_t *b = malloc(len / 2 + 1);
    if (!b) return false;
    if (!hex_into(s, len, b)) {
        free(b);
        return false;
    }
    *out = b;
    *out_len = len / 2;
    return true;
}

bool srv_hex_exact(const char *s, uint8_t *out, size_t n) {
    s = skip_0x(s);
    return strlen(s) == 2 * n && hex_into(s, 2 * n, out);
}
