/*
 * contract_bundle.c — reads the code FILE of `bastion contract upload|instantiate` (see
 * contract_bundle.h): a binary module as it is, or a cargo-contract `.contract` bundle, whose
 * code is the hex string source.wasm.  The bundle is untrusted input like a module: its size
 * is bounded before it is parsed, the decoded code has the same limit as a .wasm file, and a
 * source.hash that does not match the code is refused rather than silently ignored.
 */
#include "contract_bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bastion_crypto.h"
#include "json_util.h"
#include "util.h"

/* Room for the code's hex (two characters a byte) and the metadata beside it. */
#define BUNDLE_SLACK ((size_t)16 << 20)

/* Whether the first character after blanks (and a UTF-8 byte-order mark) is '{'; with
 * all_blank, also when b[0..n) holds nothing else (a prefix that may go on with '{'). */
static bool looks_like_json(const uint8_t *b, size_t n, bool all_blank) {
    size_t i = n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ? 3 : 0;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
    return i < n ? b[i] == '{' : all_blank;
}

/* Reads the whole file with the limit of what it starts as: max_code for a module, so that
 * an oversized module is refused with the module limit, and room for the hex for a bundle.
 * A file that cannot be peeked at (a pipe) gets the bundle limit; a module is checked after. */
static bool read_whole(const char *path, size_t max_code, uint8_t **bytes, size_t *n, char *err,
                       size_t errlen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    uint8_t head[4096];
    ssize_t got;
    do got = pread(fd, head, sizeof head, 0);
    while (got < 0 && errno == EINTR);
    size_t max = max_code;
    if (got < 0 || looks_like_json(head, (size_t)got, (size_t)got == sizeof head))
        max = 2 * max_code + BUNDLE_SLACK;
    bool ok = cli_read_fd(fd, path, max, bytes, n, err, errlen);
    close(fd);
    return ok;
}

/* The code of a parsed bundle, or false with the reason. */
static bool bundle_code(const char *path, const json_t *root, size_t max_code, uint8_t **code,
                        size_t *len, char *err, size_t errlen) {
    const json_t *source = json_object_get(root, "source");
    const json_t *wasm = json_object_get(source, "wasm");
    if (!json_is_string(wasm)) {
        snprintf(err, errlen,
                 "%s: JSON without source.wasm, so not a .contract bundle (metadata alone "
                 "holds no code: give the .wasm or the .contract file)",
                 path);
        return false;
    }
    const char *hex = json_string_value(wasm);
    size_t n = json_string_length(wasm);
    if (n < 2 || hex[0] != '0' || hex[1] != 'x') {
        snprintf(err, errlen, "%s: source.wasm is not 0x + hex", path);
        return false;
    }
    if ((n - 2) / 2 > max_code) {
        snprintf(err, errlen, "%s: source.wasm is more than the limit of %zu bytes", path,
                 max_code);
        return false;
    }
    if (!cli_hex_decode(hex, n, code, len)) {
        snprintf(err, errlen, "%s: source.wasm is not 0x + hex (or out of memory)", path);
        return false;
    }
    /* cargo-contract's source.hash is the BLAKE2b-256 of the code: the code hash it gets. */
    const json_t *hash = json_object_get(source, "hash");
    if (hash) {
        uint8_t want[32], got[32];
        if (!json_is_string(hash) ||
            !cli_hex_exact(json_string_value(hash), json_string_length(hash), want, 32)) {
            snprintf(err, errlen, "%s: source.hash is not 0x + 64 hex digits", path);
            goto fail;
        }
        bst_blake2_256(*code, *len, got);
        if (memcmp(want, got, 32) != 0) {
            snprintf(err, errlen, "%s: source.hash is not the BLAKE2b-256 of source.wasm", path);
            goto fail;
        }
    }
    return true;
fail:
    free(*code);
    *code = NULL;
    return false;
}

bool contract_read_code(const char *path, size_t max_code, uint8_t **code, size_t *len,
                        bool *bundle, char *err, size_t errlen) {
    uint8_t *bytes;
    size_t n;
    *code = NULL;
    *len = 0;
    *bundle = false;
    if (!read_whole(path, max_code, &bytes, &n, err, errlen)) return false;
    if (!looks_like_json(bytes, n, false)) {
        if (cli_is_wat(bytes, n)) {
            cli_wat_error(err, errlen, path);
        } else if (n > max_code) {
            snprintf(err, errlen, "%s: more than the limit of %zu bytes", path, max_code);
        } else {
            *code = bytes;
            *len = n;
            return true;
        }
        free(bytes);
        return false;
    }
    json_error_t je;
    json_t *root = cli_json_parse((const char *)bytes, n, &je);
    free(bytes);
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: %s (a .contract bundle is JSON)", path, je.line, je.column,
                 je.text);
        return false;
    }
    bool ok = bundle_code(path, root, max_code, code, len, err, errlen);
    json_decref(root);
    *bundle = ok;
    return ok;
}
