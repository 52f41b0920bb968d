/*
 * functype.c — signature strings ("iI:i") for function types: the one notation in which the
 * hosts (WASI, Substrate, contracts) declare the types of the functions they offer, parsed and
 * matched here so that no host carries its own matcher.
 */
#include <string.h>

#include "bastion.h"

static bool letter_type(char c, bst_valtype *out) {
    switch (c) {
    case 'i': *out = BST_I32; return true;
    case 'I': *out = BST_I64; return true;
    case 'f': *out = BST_F32; return true;
    case 'F': *out = BST_F64; return true;
    case 'r': *out = BST_FUNCREF; return true;
    case 'e': *out = BST_EXTERNREF; return true;
    default: return false;
    }
}

bool bst_functype_parse(const char *sig, bst_valtype *buf, size_t cap, bst_functype *out) {
    if (!sig || !out) return false;
    const char *colon = strchr(sig, ':');
    if (!colon || strchr(colon + 1, ':')) return false;
    size_t np = (size_t)(colon - sig), nr = strlen(colon + 1);
    if (np + nr > cap) return false;
    for (size_t i = 0; i < np; i++)
        if (!letter_type(sig[i], &buf[i])) return false;
    for (size_t i = 0; i < nr; i++)
        if (!letter_type(colon[1 + i], &buf[np + i])) return false;
    out->nparams = (uint32_t)np;
    out->nresults = (uint32_t)nr;
    out->params = buf;
    out->results = buf + np;
    return true;
}

bool bst_functype_matches(const bst_functype *ft, const char *sig) {
    /* A signature longer than any host function's is simply not one of them. */
    bst_valtype buf[32];
    bst_functype want;
    if (!ft || !bst_functype_parse(sig, buf, sizeof buf / sizeof buf[0], &want)) return false;
    if (ft->nparams != want.nparams || ft->nresults != want.nresults) return false;
    for (uint32_t i = 0; i < want.nparams; i++)
        if (ft->params[i] != want.params[i]) return false;
    for (uint32_t i = 0; i < want.nresults; i++)
        if (ft->results[i] != want.results[i]) return false;
    return true;
}

const char *bst_valtype_name(bst_valtype t) {
    /* Indexed by the binary encoding from 0x6f (externref) to 0x7f (i32); an array of arrays, so
     * the names sit in read-only data with no relocations. */
    static const char names[][10] = {
        [BST_EXTERNREF - 0x6f] = "externref",
        [BST_FUNCREF - 0x6f] = "funcref",
        [BST_V128 - 0x6f] = "v128",
        [BST_F64 - 0x6f] = "f64",
        [BST_F32 - 0x6f] = "f32",
        [BST_I64 - 0x6f] = "i64",
        [BST_I32 - 0x6f] = "i32",
    };
    unsigned i = (unsigned)t - 0x6fu;
    return i < sizeof names / sizeof names[0] && names[i][0] ? names[i] : "?";
}
