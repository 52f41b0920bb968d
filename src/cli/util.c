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

bool cli_is_help(const char *arg) { return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0; }

bool cli_is_wat(const uint8_t *b, size_t n) {
    size_t i = n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ? 3 : 0;
    while (i < n) {
        if (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
            i++;
        } else if (b[i] == ';' && i + 1 < n && b[i + 1] == ';') {
            while (i < n && b[i] != '\n') i++;
        } else if (b[i] == '(' && i + 1 < n && b[i + 1] == ';') {
            /* block comments nest */
            size_t depth = 0;
            do {
                if (b[i] == '(' && i + 1 < n && b[i + 1] == ';') {
                    depth++;
                    i += 2;
                } else if (b[i] == ';' && i + 1 < n && b[i + 1] == ')') {
                    depth--;
                    i += 2;
                } else {
                    i++;
                }
            } while (depth && i < n);
        } else {
            return b[i] == '(';
        }
    }
    return false;
}

void cli_wat_error(char *buf, size_t len, const char *path) {
    if (strcmp(path, "-") == 0) {
        snprintf(buf, len, "standard input holds WebAssembly text (.wat); bastion reads binary "
                           "modules only: convert it with `wat2wasm FILE.wat -o FILE.wasm` "
                           "(wat2wasm is in the Debian package wabt)");
        return;
    }
    size_t n = strlen(path);
    int stem = n > 4 && strcmp(path + n - 4, ".wat") == 0 ? (int)(n - 4) : (int)n;
    snprintf(buf, len, "%s is WebAssembly text (.wat); bastion reads binary modules only: "
                       "convert it with `wat2wasm %s -o %.*s.wasm` (wat2wasm is in the Debian "
                       "package wabt)", path, path, stem, path);
}
