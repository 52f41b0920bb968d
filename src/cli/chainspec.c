/*
 * chainspec.c — raw Substrate chain specs for the CLI (see chainspec.h): finds the genesis
 * runtime code (genesis.raw.top[":code"], or a codeSubstitutes entry for block 0), loads the
 * genesis storage (genesis.raw.top, hex key -> hex value, and genesis.raw.childrenDefault, hex
 * child key -> {hex key -> hex value}; the old format's "raw": [top, children] too) into the
 * in-memory state backend, reads :heappages, and asks the genesis runtime's Core_version for
 * the state version (absent = 0, as in Substrate), and hashes the genesis header.  `bastion runtime` and `bastion chainspec`
 * both read chain specs through this file, so neither command file depends on the other.
 */
#include "chainspec.h"
#include "bastion_crypto.h"
#include "bastion_substrate.h"
#include "bastion_trie.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* genesis.raw.<name> of a parsed chain spec ("top" or "childrenDefault"), or NULL.  Specs
 * written before sc-chain-spec named the two maps (Kusama's official one among them) have
 * "raw": [top, children]. */
static json_t *genesis_raw(const json_t *root, const char *name) {
    json_t *raw = json_object_get(json_object_get(root, "genesis"), "raw");
    if (json_is_array(raw)) return json_array_get(raw, strcmp(name, "top") == 0 ? 0 : 1);
    return json_object_get(raw, name);
}

bool cli_chainspec_is_raw(const json_t *root) { return genesis_raw(root, "top") != NULL; }

bool cli_chainspec_code(const char *path, const json_t *root, uint8_t **blob, size_t *blob_len) {
    const json_t *top = genesis_raw(root, "top");
    if (!json_is_object(top)) {
        fprintf(stderr, "error: %s: no genesis.raw.top object (not a raw chain spec?)\n", path);
        return false;
    }
    const json_t *code = json_object_get(top, "0x3a636f6465");
    if (!code) {
        fprintf(stderr, "error: %s: genesis.raw.top has no :code (0x3a636f6465) entry\n", path);
        return false;
    }
    if (!json_is_string(code) ||
        !cli_hex_decode(json_string_value(code), json_string_length(code), blob, blob_len)) {
        fprintf(stderr, "error: %s: the :code entry is not a hex string\n", path);
        return false;
    }
    return true;
}

bool cli_chainspec_runtime_code(const char *path, const json_t *root, uint8_t **blob,
                                size_t *blob_len) {
    const json_t *sub = json_object_get(json_object_get(root, "codeSubstitutes"), "0");
    if (!sub) return cli_chainspec_code(path, root, blob, blob_len);
    if (!json_is_string(sub) ||
        !cli_hex_decode(json_string_value(sub), json_string_length(sub), blob, blob_len)) {
        fprintf(stderr, "error: %s: codeSubstitutes[\"0\"] is not a hex string\n", path);
        return false;
    }
    fprintf(stderr,
            "note: %s: running the code substitute for block 0 (codeSubstitutes), not "
            "the genesis :code\n",
            path);
    return true;
}

bool cli_chainspec_code_substitutes(const char *path, const json_t *root, uint64_t *blocks,
                                    size_t max, size_t *n) {
    const json_t *subs = json_object_get(root, "codeSubstitutes");
    *n = 0;
    if (!subs) return true;
    if (!json_is_object(subs)) {
        fprintf(stderr, "error: %s: codeSubstitutes is not an object\n", path);
        return false;
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)subs, key, value) {
        uint64_t b;
        if (!cli_parse_u64(key, &b) || !json_is_string(value)) {
            fprintf(stderr,
                    "error: %s: codeSubstitutes: \"%.40s\" is not a block number with hex code\n",
                    path, key);
            return false;
        }
        if (*n < max) blocks[*n] = b;
        (*n)++;
    }
    return true;
}

bool cli_chainspec_heap_pages(const json_t *root, uint64_t *pages) {
    const json_t *v = json_object_get(genesis_raw(root, "top"), "0x3a686561707061676573");
    uint8_t *b = NULL;
    size_t n = 0;
    if (!json_is_string(v) || !cli_hex_decode(json_string_value(v), json_string_length(v), &b, &n))
        return false;
    bool ok = n == 8; /* a SCALE u64, as sp-core's storage well_known_keys::HEAP_PAGES says */
    if (ok) {
        *pages = 0;
        for (int i = 7; i >= 0; i--) *pages = (*pages << 8) | b[i];
    }
    free(b);
    return ok;
}

/* Puts every member of obj (hex key -> hex value) into trie `child` of m. */
static bool load_pairs(const char *path, const char *where, json_t *obj, const uint8_t *child,
                       size_t child_len, bst_state_mem *m) {
    if (!json_is_object(obj)) {
        fprintf(stderr, "error: %s: %s is not an object\n", path, where);
        return false;
    }
    const char *key;
    size_t key_len;
    json_t *value;
    json_object_keylen_foreach(obj, key, key_len, value) {
        uint8_t *k = NULL, *v = NULL;
        size_t kl = 0, vl = 0;
        if (!cli_hex_decode(key, key_len, &k, &kl)) {
            fprintf(stderr, "error: %s: %s: key \"%.80s\" is not hex\n", path, where, key);
            return false;
        }
        if (!json_is_string(value) ||
            !cli_hex_decode(json_string_value(value), json_string_length(value), &v, &vl)) {
            fprintf(stderr, "error: %s: %s: the value of \"%.80s\" is not a hex string\n", path,
                    where, key);
            free(k);
            return false;
        }
        bool ok = bst_state_mem_put(m, child, child_len, k, kl, v, vl);
        free(k);
        free(v);
        if (!ok) {
            fprintf(stderr, "error: out of memory\n");
            return false;
        }
    }
    return true;
}

bool cli_chainspec_genesis_storage(const char *path, const json_t *root, bst_state_mem *mem) {
    json_t *top = genesis_raw(root, "top");
    json_t *children = genesis_raw(root, "childrenDefault");
    if (!top) {
        fprintf(stderr, "error: %s: no genesis.raw.top (not a raw chain spec?)\n", path);
        return false;
    }
    if (!load_pairs(path, "genesis.raw.top", top, NULL, 0, mem)) return false;
    if (children) {
        if (!json_is_object(children)) {
            fprintf(stderr, "error: %s: genesis.raw.childrenDefault is not an object\n", path);
            return false;
        }
        const char *key;
        size_t key_len;
        json_t *child;
        json_object_keylen_foreach(children, key, key_len, child) {
            uint8_t *name = NULL;
            size_t name_len = 0;
            if (!cli_hex_decode(key, key_len, &name, &name_len)) {
                fprintf(stderr, "error: %s: childrenDefault key \"%.80s\" is not hex\n", path, key);
                return false;
            }
            /* Substrate's raw format: {"childInfo": ..., "data": {...}} in old specs, the pair
             * map itself in current ones. */
            json_t *data = json_object_get(child, "data");
            if (!data || json_object_get(child, "childInfo") == NULL) data = child;
            /* The key is the unprefixed child storage key; tolerate the prefixed form. */
            const size_t pl = sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1;
            size_t skip =
                name_len >= pl && memcmp(name, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl) == 0 ? pl : 0;
            bool ok = load_pairs(path, "genesis.raw.childrenDefault", data, name + skip,
                                 name_len - skip, mem);
            free(name);
            if (!ok) return false;
        }
    }

    return true;
}

/* Calls the runtime's Core_version; prints the error and returns false on failure. */
static bool call_core_version(bst_substrate_runtime *rt, const char *path, uint8_t **out,
                              size_t *out_len) {
    bst_error err;
    memset(&err, 0, sizeof err);
    if (bst_substrate_call(rt, "Core_version", NULL, 0, out, out_len, &err) == BST_OK) return true;
    fprintf(stderr, "error: %s: Core_version%s: %s\n", path,
            err.status == BST_ERR_TRAP ? " trapped" : "", cli_err_text(&err));
    return false;
}

/* The state version of an encoded RuntimeVersion (0 when it has none). */
static bool decode_state_version(const char *path, const uint8_t *out, size_t out_len,
                                 unsigned *version) {
    bst_substrate_version v;
    bst_scale_err se = bst_substrate_version_decode(out, out_len, &v);
    if (se != BST_SCALE_OK) {
        fprintf(stderr, "error: %s: bad RuntimeVersion: %s\n", path, bst_scale_err_str(se));
        return false;
    }
    if (v.has_state_version && v.state_version > 1) {
        fprintf(stderr, "error: %s: unknown state version %u\n", path, (unsigned)v.state_version);
        return false;
    }
    *version = v.has_state_version ? v.state_version : 0;
    return true;
}

/* The state version the runtime in blob declares (see cli_chainspec_state_version): from its
 * runtime_version custom section when it has one, else from a Core_version call. */
bool cli_code_state_version(const char *path, const uint8_t *blob, size_t blob_len,
                            unsigned *version) {
    uint8_t *code = NULL, *out = NULL;
    size_t code_len = 0, out_len = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    if (bst_substrate_code_decode(blob, blob_len, 0, &code, &code_len, &err) != BST_OK) {
        fprintf(stderr, "error: %s: %s\n", path, cli_err_text(&err));
        return false;
    }
    if (bst_substrate_embedded_version(code, code_len, &out, &out_len)) {
        bool got = decode_state_version(path, out, out_len, version);
        free(out);
        free(code);
        return got;
    }
    bst_substrate_options opts;
    bst_substrate_options_default(&opts);
    opts.fuel = CLI_RUNTIME_FUEL;
    opts.allow_missing = true; /* only Core_version runs, and it calls no host function */
    bool ok = false;
    bst_substrate_runtime *rt = bst_substrate_runtime_new(code, code_len, &opts, &err);
    if (!rt) {
        fprintf(stderr, "error: %s: %s\n", path, cli_err_text(&err));
    } else if (call_core_version(rt, path, &out, &out_len)) {
        ok = decode_state_version(path, out, out_len, version);
    }
    free(out);
    bst_substrate_runtime_free(rt);
    free(code);
    return ok;
}

bool cli_chainspec_state_version(const char *path, const json_t *root, unsigned *version) {
    uint8_t *blob = NULL;
    size_t blob_len = 0;
    bool ok = cli_chainspec_code(path, root, &blob, &blob_len) &&
              cli_code_state_version(path, blob, blob_len, version);
    free(blob);
    return ok;
}

void cli_genesis_hash(const uint8_t state_root[32], uint8_t hash[32]) {
    uint8_t header[32 + 1 + 32 + 32 + 1];
    memset(header, 0, 32); /* parent_hash */
    header[32] = 0x00;     /* number: compact(0) */
    memcpy(header + 33, state_root, 32);
    bst_trie_empty_root(header + 65); /* extrinsics_root: the same for both versions */
    header[97] = 0x00;                /* digest: empty Vec */
    bst_blake2_256(header, sizeof header, hash);
}
