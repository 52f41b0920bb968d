/*
 * proof_io.c — the Merkle proofs of `bastion runtime call --proof/--record-proof` (proof_io.h):
 * reading and writing PROOF.json (a JSON array of hex-encoded trie nodes), and the nodes of a
 * whole genesis state, which a proof backend records from (bastion_state.h's bst_state_proof
 * does the walking and the recording).
 */
#include "proof_io.h"
#include "json_util.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool add_node(cli_proof *p, const uint8_t *data, size_t len) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        bst_trie_node *v = realloc(p->nodes, cap * sizeof *v);
        if (!v) return false;
        p->nodes = v;
        p->cap = cap;
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) return false;
    if (len) memcpy(copy, data, len);
    p->nodes[p->n].data = copy;
    p->nodes[p->n++].len = len;
    return true;
}

static bool make_backend(cli_proof *p) {
    p->proof = bst_state_proof_new(p->nodes, p->n, p->root);
    if (!p->proof) return false;
    p->backend = bst_state_proof_backend(p->proof);
    return true;
}

bool cli_proof_load(cli_proof *p) {
    char why[256];
    uint8_t *text = NULL;
    size_t len = 0;
    if (!cli_read_file(p->in_path, CLI_MAX_TEXT_BYTES, &text, &len, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return false;
    }
    json_error_t jerr;
    json_t *arr = cli_json_parse((const char *)text, len, &jerr);
    free(text);
    if (!json_is_array(arr)) {
        fprintf(stderr, "error: %s: not a JSON array of hex trie nodes\n", p->in_path);
        json_decref(arr);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        uint8_t *b = NULL;
        size_t bl = 0;
        ok = json_is_string(v) &&
             cli_hex_decode(json_string_value(v), json_string_length(v), &b, &bl);
        if (!ok) {
            fprintf(stderr, "error: %s: node %zu is not a hex string\n", p->in_path, i);
        } else if (!add_node(p, b, bl)) {
            fprintf(stderr, "error: out of memory\n");
            ok = false;
        }
        free(b);
    }
    json_decref(arr);
    if (ok && !make_backend(p)) {
        fprintf(stderr, "error: out of memory\n");
        ok = false;
    }
    return ok;
}

static bool collect(void *user, const uint8_t hash[32], const uint8_t *data, size_t len) {
    (void)hash;
    return add_node(user, data, len);
}

/* Every (key, value) of trie `child` (NULL: the top trie) of the backend, in key order; the
 * keys and values are malloc'd (free_pairs). */
static bool trie_pairs(const bst_state_backend *be, const uint8_t *child, size_t child_len,
                       bst_trie_pair **out, size_t *n) {
    size_t cap = 0;
    uint8_t *key = NULL;
    size_t key_len = 0;
    bool first = true;
    *out = NULL;
    *n = 0;
    for (;;) {
        uint8_t *next = NULL, *val = NULL;
        size_t next_len = 0, val_len = 0;
        bst_state_res r =
            be->next_key(be->ctx, child, child_len, key, key_len, first, &next, &next_len);
        first = false;
        if (r == BST_STATE_ABSENT) break;
        if (r != BST_STATE_FOUND ||
            be->get(be->ctx, child, child_len, next, next_len, &val, &val_len) != BST_STATE_FOUND) {
            free(next);
            return false;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            bst_trie_pair *v = realloc(*out, cap * sizeof *v);
            if (!v) {
                free(next);
                free(val);
                return false;
            }
            *out = v;
        }
        (*out)[*n] = (bst_trie_pair){next, next_len, val, val_len};
        (*n)++;
        key = next;
        key_len = next_len;
    }
    return true;
}

static void free_pairs(bst_trie_pair *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free((void *)v[i].key);
        free((void *)v[i].value);
    }
    free(v);
}

/* The child tries' nodes, and their (":child_storage:default:" ++ name, root) entries. */
static bool child_nodes(cli_proof *p, const bst_state_backend *be, unsigned version,
                        bst_trie_pair **entries, size_t *ne) {
    const size_t pl = sizeof BST_CHILD_STORAGE_DEFAULT_PREFIX - 1;
    uint8_t *name = NULL;
    size_t name_len = 0, cap = 0;
    bool first = true, ok = true;
    *entries = NULL;
    *ne = 0;
    while (ok) {
        uint8_t *next = NULL;
        size_t next_len = 0;
        bst_state_res r = be->next_child(be->ctx, name, name_len, first, &next, &next_len);
        first = false;
        free(name);
        name = next;
        name_len = next_len;
        if (r != BST_STATE_FOUND) {
            ok = r == BST_STATE_ABSENT;
            break;
        }
        bst_trie_pair *pairs;
        size_t n;
        uint8_t *key = malloc(pl + name_len + 1), *root = malloc(32);
        ok = key && root && trie_pairs(be, name, name_len, &pairs, &n);
        if (ok) {
            ok = bst_trie_nodes(pairs, n, version, collect, p, root);
            free_pairs(pairs, n);
        }
        if (ok && *ne == cap) {
            cap = cap ? cap * 2 : 8;
            bst_trie_pair *v = realloc(*entries, cap * sizeof *v);
            ok = v != NULL;
            if (v) *entries = v;
        }
        if (!ok) {
            free(key);
            free(root);
            break;
        }
        memcpy(key, BST_CHILD_STORAGE_DEFAULT_PREFIX, pl);
        if (name_len) memcpy(key + pl, name, name_len);
        (*entries)[(*ne)++] = (bst_trie_pair){key, pl + name_len, root, 32};
    }
    free(name);
    return ok;
}

static int pair_cmp(const void *a, const void *b) {
    const bst_trie_pair *x = a, *y = b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = n ? memcmp(x->key, y->key, n) : 0;
    return c ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

bool cli_proof_of_state(cli_proof *p, bst_state_mem *mem, unsigned version) {
    bst_state_backend be = bst_state_mem_backend(mem);
    bst_trie_pair *top = NULL, *children = NULL;
    size_t ntop = 0, nchild = 0;
    bool ok =
        trie_pairs(&be, NULL, 0, &top, &ntop) && child_nodes(p, &be, version, &children, &nchild);
    bst_trie_pair *all = NULL;
    if (ok) {
        all = malloc((ntop + nchild + 1) * sizeof *all);
        ok = all != NULL;
    }
    if (ok) {
        if (ntop) memcpy(all, top, ntop * sizeof *all);
        if (nchild) memcpy(all + ntop, children, nchild * sizeof *all);
        qsort(all, ntop + nchild, sizeof *all, pair_cmp);
        ok = bst_trie_nodes(all, ntop + nchild, version, collect, p, p->root) && make_backend(p);
    }
    free(all);
    free_pairs(top, ntop);
    free_pairs(children, nchild);
    if (!ok) fprintf(stderr, "error: out of memory building the genesis trie\n");
    p->has_root = ok;
    return ok;
}

bool cli_proof_write_recorded(cli_proof *p) {
    size_t n = bst_state_proof_take_recorded(p->proof, NULL, 0), bytes = 0;
    bst_trie_node *rec = malloc((n ? n : 1) * sizeof *rec);
    json_t *arr = json_array();
    bool ok = rec && arr;
    if (ok) bst_state_proof_take_recorded(p->proof, rec, n);
    for (size_t i = 0; ok && i < n; i++) {
        char *hex = malloc(2 * rec[i].len + 3);
        ok = hex != NULL;
        if (!ok) break;
        strcpy(hex, "0x");
        for (size_t j = 0; j < rec[i].len; j++)
            snprintf(hex + 2 + 2 * j, 3, "%02x", rec[i].data[j]);
        ok = json_array_append_new(arr, json_string(hex)) == 0;
        free(hex);
        bytes += rec[i].len;
    }
    if (ok) ok = json_dump_file(arr, p->out_path, JSON_INDENT(1)) == 0;
    if (ok) {
        fprintf(stderr, "proof: %zu nodes, %zu bytes, state root 0x", n, bytes);
        for (int i = 0; i < 32; i++) fprintf(stderr, "%02x", p->root[i]);
        fprintf(stderr, " -> %s\n", p->out_path);
    } else {
        fprintf(stderr, "error: cannot write the proof to %s\n", p->out_path);
    }
    json_decref(arr);
    free(rec);
    return ok;
}

bool cli_proof_explain_failure(const cli_proof *p, const char *path) {
    uint8_t missing[32];
    if (!p->proof || !bst_state_proof_incomplete(p->proof, missing)) return false;
    fprintf(stderr, "error: %s: incomplete proof: the call needs trie node 0x", path);
    for (int i = 0; i < 32; i++) fprintf(stderr, "%02x", missing[i]);
    fprintf(stderr, ", which the proof does not hold\n");
    return true;
}

void cli_proof_free(cli_proof *p) {
    bst_state_proof_free(p->proof);
    for (size_t i = 0; i < p->n; i++) free((void *)p->nodes[i].data);
    free(p->nodes);
    p->proof = NULL;
    p->nodes = NULL;
    p->n = p->cap = 0;
}
