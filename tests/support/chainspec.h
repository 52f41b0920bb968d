/*
 * chainspec.h — reading a raw Substrate chain spec in the C tests: its genesis storage
 * (genesis.raw.top, "0x" hex keys and values) pair by pair, and the hex those pairs are written
 * in.  The chain, extrinsic and trie-database tests all build their starting state from a spec
 * in ../shared/runtimes; one reader keeps them from drifting apart.  Header only (like check.h),
 * needs jansson; a spec that cannot be read is a broken test setup: it prints why and exits.
 */
#ifndef BST_TEST_SUPPORT_CHAINSPEC_H
#define BST_TEST_SUPPORT_CHAINSPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int spec_nibble(char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Hex (with or without "0x") to bytes: *out malloc'd (free it), *len bytes; false when s is
 * NULL, of odd length or not hex. */
static inline bool spec_unhex(const char *s, uint8_t **out, size_t *len) {
    if (!s) return false;
    if (strncmp(s, "0x", 2) == 0) s += 2;
    size_t n = strlen(s);
    if (n % 2) return false;
    *out = malloc(n / 2 + 1);
    if (!*out) return false;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = spec_nibble(s[2 * i]), lo = spec_nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(*out);
            return false;
        }
        (*out)[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return true;
}

/* Called once per genesis pair; the bytes are only valid during the call. */
typedef void (*spec_pair_fn)(void *user, const uint8_t *key, size_t key_len, const uint8_t *val,
                             size_t val_len);

/* Calls fn for every pair of the raw chain spec's genesis.raw.top (child tries are not read);
 * the number of pairs. */
static inline size_t spec_genesis_foreach(const char *path, spec_pair_fn fn, void *user) {
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *top = json_object_get(json_object_get(json_object_get(root, "genesis"), "raw"), "top");
    if (!json_is_object(top)) {
        fprintf(stderr, "%s: no genesis.raw.top (%s)\n", path, root ? "not a raw spec" : jerr.text);
        exit(1);
    }
    const char *k;
    json_t *v;
    size_t n = 0;
    json_object_foreach(top, k, v) {
        uint8_t *key, *val;
        size_t kl, vl;
        if (!spec_unhex(k, &key, &kl)) {
            fprintf(stderr, "%s: genesis key %s is not hex\n", path, k);
            exit(1);
        }
        if (!spec_unhex(json_string_value(v), &val, &vl)) {
            fprintf(stderr, "%s: the value of genesis key %s is not hex\n", path, k);
            exit(1);
        }
        fn(user, key, kl, val, vl);
        free(key);
        free(val);
        n++;
    }
    json_decref(root);
    return n;
}

#endif
