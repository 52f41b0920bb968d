/*
 * util.c — helpers shared by the `bastion` subcommands (see util.h).
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_hex_digit(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Skips an optional 0x prefix. */
static void skip_0x(const char **s, size_t *n) {
    if (*n >= 2 && (*s)[0] == '0' && ((*s)[1] == 'x' || (*s)[1] == 'X')) {
        *s += 2;
        *n -= 2;
    }
}

static bool unhex(const char *s, size_t bytes, uint8_t *out) {
    for (size_t i = 0; i < bytes; i++) {
        int hi = cli_hex_digit((unsigned char)s[2 * i]);
        int lo = cli_hex_digit((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

bool cli_hex_decode(const char *s, size_t n, uint8_t **out, size_t *out_len) {
    skip_0x(&s, &n);
    if (n % 2) return false;
    uint8_t *b = malloc(n / 2 ? n / 2 : 1);
    if (!b) return false;
    if (!unhex(s, n / 2, b)) {
        free(b);
        return false;
    }
    *out = b;
    *out_len = n / 2;
    return true;
}

bool cli_hex_exact(const char *s, size_t n, uint8_t *out, size_t out_n) {
    skip_0x(&s, &n);
    return n == 2 * out_n && unhex(s, out_n, out);
}

void cli_print_hex(const char *label, const uint8_t *p, size_t n) {
    printf("%s 0x", label);
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
    putchar('\n');
}

bool cli_parse_u64(const char *s, uint64_t *out) {
    uint64_t v = 0;
    bool digits = false;
    for (; *s; s++) {
        if (*s == '_' && digits) continue;
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return false;
        v = v * 10 + (uint64_t)(*s - '0');
        digits = true;
    }
    if (!digits) return false;
    *out = v;
    return true;
}

const char *cli_err_text(const bst_error *err) {
    if (err->message[0]) return err->message;
    if (err->status == BST_ERR_TRAP) return bst_trap_message(err->trap);
    return bst_status_name(err->status);
}
