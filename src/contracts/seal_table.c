/*
 * seal_table.c — the seal host functions Bastion offers, by import module and name, with their
 * exact pallet-contracts signatures (frame/contracts/src/wasm/runtime.rs, `#[define_env]`).
 * A switch-based table (no relocated pointer arrays: the library keeps no writable data).
 */
#include "contracts_impl.h"

#include <string.h>

static bool eq(const char *s, size_t n, const char *lit) {
    size_t l = strlen(lit);
    return n == l && memcmp(s, lit, l) == 0;
}

/* Signatures: parameters then ':' then the result ('' = none).  Pointers and lengths are i32,
 * gas / weights i64. */
static const char *sig_of(int id) {
    switch (id) {
    case S0_SET_STORAGE: return "iii:";
    case S1_SET_STORAGE: return "iii:i";
    case S2_SET_STORAGE: return "iiii:i";
    case S0_CLEAR_STORAGE: return "i:";
    case S1_CLEAR_STORAGE: return "ii:i";
    case S0_GET_STORAGE: return "iii:i";
    case S1_GET_STORAGE: return "iiii:i";
    case S0_CONTAINS_STORAGE: return "i:i";
    case S1_CONTAINS_STORAGE: return "ii:i";
    case S0_TAKE_STORAGE: return "iiii:i";
    case S0_TRANSFER: return "iiii:i";
    case S0_CALL: return "iiIiiiiii:i";   /* callee, _len, gas, value, _len, in, len, out, len */
    case S1_CALL: return "iiIiiiii:i";
    case S2_CALL: return "iiIIiiiiii:i";
    case S0_INSTANTIATE: return "iiIiiiiiiiiii:i";
    case S1_INSTANTIATE: return "iIiiiiiiiii:i";
    case S2_INSTANTIATE: return "iIIiiiiiiiiii:i";
    case S0_TERMINATE: return "ii:";
    case S1_TERMINATE: return "i:";
    case S0_INPUT: return "ii:";
    case S0_RETURN: return "iii:";
    case S0_CALLER: return "ii:";
    case S0_IS_CONTRACT: return "i:i";
    case S0_CODE_HASH: return "iii:i";
    case S0_OWN_CODE_HASH: return "ii:";
    case S0_CALLER_IS_ORIGIN: return ":i";
    case S0_CALLER_IS_ROOT: return ":i";
    case S0_ADDRESS: return "ii:";
    case S0_WEIGHT_TO_FEE: return "Iii:";
    case S0_GAS_LEFT: return "ii:";
    case S1_GAS_LEFT: return "ii:";
    case S0_BALANCE: return "ii:";
    case S0_VALUE_TRANSFERRED: return "ii:";
    case S0_NOW: return "ii:";
    case S0_MINIMUM_BALANCE: return "ii:";
    case S0_DEPOSIT_EVENT: return "iiii:";
    case S0_BLOCK_NUMBER: return "ii:";
    case S0_HASH_SHA2_256: return "iii:";
    case S0_HASH_KECCAK_256: return "iii:";
    case S0_HASH_BLAKE2_256: return "iii:";
    case S0_HASH_BLAKE2_128: return "iii:";
    case S0_DEBUG_MESSAGE: return "ii:i";
    case S0_ECDSA_RECOVER: return "iii:i";
    case S0_SR25519_VERIFY: return "iiii:i";
    case S0_REENTRANCE_COUNT: return ":i";
    case S0_ACCOUNT_REENTRANCE_COUNT: return "i:i";
    case S0_INSTANTIATION_NONCE: return ":I";
    case S0_DELEGATE_CALL: return "iiiiii:i";
    case S0_SET_CODE_HASH: return "i:i";
    case S0_ECDSA_TO_ETH_ADDRESS: return "ii:i";
    default: return NULL;
    }
}

/* seal0 names; `prefixed` says the name came as `seal_<name>` (pallet's #[prefixed_alias]). */
static int lookup0(const char *n, size_t l, bool prefixed) {
    if (eq(n, l, "set_storage")) return S0_SET_STORAGE;
    if (eq(n, l, "clear_storage")) return S0_CLEAR_STORAGE;
    if (eq(n, l, "get_storage")) return S0_GET_STORAGE;
    if (eq(n, l, "contains_storage")) return S0_CONTAINS_STORAGE;
    if (eq(n, l, "take_storage")) return S0_TAKE_STORAGE;
    if (eq(n, l, "transfer")) return S0_TRANSFER;
    if (eq(n, l, "call")) return S0_CALL;
    if (eq(n, l, "delegate_call")) return S0_DELEGATE_CALL;
    if (eq(n, l, "set_code_hash")) return S0_SET_CODE_HASH;
    if (eq(n, l, "instantiate")) return S0_INSTANTIATE;
    if (eq(n, l, "terminate")) return S0_TERMINATE;
    if (eq(n, l, "input")) return S0_INPUT;
    /* `return` is a Rust keyword: pallet-contracts only ever defined `seal_return`. */
    if (eq(n, l, "return")) return prefixed ? S0_RETURN : -1;
    if (eq(n, l, "caller")) return S0_CALLER;
    if (eq(n, l, "is_contract")) return S0_IS_CONTRACT;
    if (eq(n, l, "code_hash")) return S0_CODE_HASH;
    if (eq(n, l, "own_code_hash")) return S0_OWN_CODE_HASH;
    if (eq(n, l, "caller_is_origin")) return S0_CALLER_IS_ORIGIN;
    if (eq(n, l, "caller_is_root")) return prefixed ? -1 : S0_CALLER_IS_ROOT;
    if (eq(n, l, "address")) return S0_ADDRESS;
    if (eq(n, l, "weight_to_fee")) return S0_WEIGHT_TO_FEE;
    if (eq(n, l, "gas_left")) return S0_GAS_LEFT;
    if (eq(n, l, "balance")) return S0_BALANCE;
    if (eq(n, l, "value_transferred")) return S0_VALUE_TRANSFERRED;
    if (eq(n, l, "now")) return S0_NOW;
    if (eq(n, l, "minimum_balance")) return S0_MINIMUM_BALANCE;
    if (eq(n, l, "deposit_event")) return S0_DEPOSIT_EVENT;
    if (eq(n, l, "block_number")) return S0_BLOCK_NUMBER;
    if (eq(n, l, "hash_sha2_256")) return S0_HASH_SHA2_256;
    if (eq(n, l, "hash_keccak_256")) return S0_HASH_KECCAK_256;
    if (eq(n, l, "hash_blake2_256")) return S0_HASH_BLAKE2_256;
    if (eq(n, l, "hash_blake2_128")) return S0_HASH_BLAKE2_128;
    if (eq(n, l, "debug_message")) return S0_DEBUG_MESSAGE;
    if (eq(n, l, "ecdsa_recover")) return S0_ECDSA_RECOVER;
    if (eq(n, l, "ecdsa_to_eth_address")) return S0_ECDSA_TO_ETH_ADDRESS;
    if (eq(n, l, "sr25519_verify")) return prefixed ? -1 : S0_SR25519_VERIFY;
    if (eq(n, l, "reentrance_count")) return prefixed ? -1 : S0_REENTRANCE_COUNT;
    if (eq(n, l, "account_reentrance_count")) return prefixed ? -1 : S0_ACCOUNT_REENTRANCE_COUNT;
    if (eq(n, l, "instantiation_nonce")) return prefixed ? -1 : S0_INSTANTIATION_NONCE;
    return -1;
}

static int lookup1(const char *n, size_t l) {
    if (eq(n, l, "set_storage")) return S1_SET_STORAGE;
    if (eq(n, l, "clear_storage")) return S1_CLEAR_STORAGE;
    if (eq(n, l, "get_storage")) return S1_GET_STORAGE;
    if (eq(n, l, "contains_storage")) return S1_CONTAINS_STORAGE;
    if (eq(n, l, "call")) return S1_CALL;
    if (eq(n, l, "instantiate")) return S1_INSTANTIATE;
    if (eq(n, l, "terminate")) return S1_TERMINATE;
    if (eq(n, l, "gas_left")) return S1_GAS_LEFT;
    return -1;
}

static int lookup2(const char *n, size_t l) {
    if (eq(n, l, "set_storage")) return S2_SET_STORAGE;
    if (eq(n, l, "call")) return S2_CALL;
    if (eq(n, l, "instantiate")) return S2_INSTANTIATE;
    return -1;
}

int ctr_seal_lookup(const char *module, size_t mlen, const char *name, size_t nlen,
                    const char **sig) {
    bool prefixed = nlen > 5 && memcmp(name, "seal_", 5) == 0;
    const char *n = prefixed ? name + 5 : name;
    size_t l = prefixed ? nlen - 5 : nlen;
    int id = -1;
    if (eq(module, mlen, "seal0")) {
        id = lookup0(n, l, prefixed);
    } else if (eq(module, mlen, "seal1")) {
        id = lookup1(n, l);
    } else if (eq(module, mlen, "seal2")) {
        id = lookup2(n, l);
        /* of the seal2 functions only set_storage has the seal_ alias */
        if (prefixed && id != S2_SET_STORAGE) id = -1;
    }
    if (id >= 0 && sig) *sig = sig_of(id);
    return id;
}

static size_t sig_parse(const char *sig, bst_valtype *buf, uint32_t *np, uint32_t *nr) {
    size_t k = 0;
    const char *p = sig;
    *np = *nr = 0;
    for (; *p && *p != ':'; p++) {
        buf[k++] = *p == 'I' ? BST_I64 : BST_I32;
        (*np)++;
    }
    if (*p == ':') p++;
    for (; *p; p++) {
        buf[k++] = *p == 'I' ? BST_I64 : BST_I32;
        (*nr)++;
    }
    return k;
}

bool ctr_sig_matches(const char *sig, const bst_functype *ft) {
    bst_valtype buf[16];
    uint32_t np, nr;
    sig_parse(sig, buf, &np, &nr);
    if (ft->nparams != np || ft->nresults != nr) return false;
    for (uint32_t i = 0; i < np; i++)
        if (ft->params[i] != buf[i]) return false;
    for (uint32_t i = 0; i < nr; i++)
        if (ft->results[i] != buf[np + i]) return false;
    return true;
}

void ctr_sig_functype(const char *sig, bst_valtype *buf, bst_functype *out) {
    uint32_t np, nr;
    sig_parse(sig, buf, &np, &nr);
    out->nparams = np;
    out->nresults = nr;
    out->params = buf;
    out->results = buf + np;
}
