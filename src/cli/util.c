/*
 * util.c — helpers shared by the `bastion` subcommands (see util.h).
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cli_read_fd(int fd, const char *name, size_t max, uint8_t **data, size_t *len, char *errbuf,
                 size_t errlen) {
    *data = NULL;
    *len = 0;
    if (max >= SIZE_MAX - 1) max = SIZE_MAX - 2; /* room for max + 1 bytes and the NUL */
    size_t cap = 65536;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        /* Refused on its size alone: a 10 GiB (even sparse) file costs nothing to reject. */
        if ((uintmax_t)st.st_size > max) {
            snprintf(errbuf, errlen, "%s: %" PRIuMAX " bytes, more than the limit of %zu bytes",
                     name, (uintmax_t)st.st_size, max);
            return false;
        }
        cap = (size_t)st.st_size + 2; /* its bytes, one more to see the end, the NUL */
    }
    if (cap > max + 2) cap = max + 2;
    uint8_t *buf = NULL;
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap || !buf) { /* keep room for the NUL */
            size_t ncap = buf ? (cap > (max + 2) / 2 ? max + 2 : cap * 2) : cap;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                snprintf(errbuf, errlen, "%s: out of memory", name);
                free(buf);
                return false;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            snprintf(errbuf, errlen, "cannot read %s: %s", name, strerror(errno));
            free(buf);
            return false;
        }
        if (got == 0) break;
        n += (size_t)got;
        if (n > max) { /* a stream, or a file that grew since fstat */
            snprintf(errbuf, errlen, "%s: more than the limit of %zu bytes", name, max);
            free(buf);
            return false;
        }
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return true;
}

bool cli_read_file(const char *path, size_t max, uint8_t **data, size_t *len, char *errbuf,
                   size_t errlen) {
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(errbuf, errlen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = cli_read_fd(fd, path, max, data, len, errbuf, errlen);
    close(fd);
    return ok;
}

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
    if (label) printf("%s ", label);
    fputs("0x", stdout);
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
        snprintf(buf, len,
                 "standard input holds WebAssembly text (.wat); bastion reads binary "
                 "modules only: convert it with `wat2wasm FILE.wat -o FILE.wasm` "
                 "(wat2wasm is in the Debian package wabt)");
        return;
    }
    size_t n = strlen(path);
    int stem = n > 4 && strcmp(path + n - 4, ".wat") == 0 ? (int)(n - 4) : (int)n;
    snprintf(buf, len,
             "%s is WebAssembly text (.wat); bastion reads binary modules only: "
             "convert it with `wat2wasm %s -o %.*s.wasm` (wat2wasm is in the Debian "
             "package wabt)",
             path, path, stem, path);
}

bool cli_read_module(const char *path, const char *shown, size_t max, uint8_t **data, size_t *len,
                     char *errbuf, size_t errlen) {
    if (!cli_read_file(path, max, data, len, errbuf, errlen)) return false;
    if (!cli_is_wat(*data, *len)) return true;
    free(*data);
    *data = NULL;
    cli_wat_error(errbuf, errlen, shown);
    return false;
}
