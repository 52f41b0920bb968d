/*
 * seal_table.h — every host function the contract host offers, in one list: a row
 * X(MODULE, NAME, SIGNATURE, FLAGS) per import MODULE.NAME a contract may make, with the exact
 * pallet-contracts signature (frame/contracts/src/wasm/runtime.rs, `#[define_env]`).
 *
 * The list is the only place a host function is declared; everything else is generated from
 * it (the same idiom as the WASI and Substrate hosts):
 *   - below: the id enum (CTR_SEAL_MODULE_NAME), one id per row, and each row's flags;
 *   - seal.c: the functions themselves, each a small static function defined with
 *     SEAL(MODULE, NAME) { ... } (a SEAL whose row is missing does not compile, nor does a row
 *     without its SEAL), and ctr_seal_lookup, which maps an import to its row: a chain of
 *     comparisons in code, so the library keeps no table of relocated pointers;
 *   - upload.c checks an import's type against SIGNATURE with bst_functype_matches, frame.c
 *     builds the host function's type with bst_functype_parse.
 * MODULE and NAME are identifiers: stringified they are the import's module and name, pasted
 * (MODULE_NAME) the C function's.  `return` is a C keyword but a valid macro argument.
 * SIGNATURE is the notation of bst_functype_parse (bastion.h): "PARAMS:RESULTS" with i = i32,
 * I = i64; pointers and lengths are i32, gas and weights i64.
 * FLAGS: CTR_ALIAS, the function is also importable as `seal_NAME` (pallet-contracts'
 * #[prefixed_alias]); CTR_ALIAS_ONLY, only as `seal_NAME`; CTR_MUTATING, it changes state and
 * traps in a read-only call (#[mutating]).
 *
 * MODULE is the version (seal0, seal1, seal2) or a generation of one: a module identifier
 * names its import module through CTR_MODULE_<MODULE> below, so that one import module may
 * hold the same name twice, with the signatures of two generations of the pallet (the
 * `__unstable__` module of 2021 with fixed keys and of 2022 with variable ones, seal0's
 * `seal_instantiate` before and after the salt).  An import is matched by module, name and
 * signature; only when no row has its signature is it refused as having the wrong one.
 */
#ifndef BASTION_CONTRACTS_SEAL_TABLE_H
#define BASTION_CONTRACTS_SEAL_TABLE_H

/* The rows below are aligned by hand: a table is read by columns. */
/* clang-format off */

enum { CTR_ALIAS = 1u, CTR_ALIAS_ONLY = 2u, CTR_MUTATING = 4u };

/* The import module of each module identifier. */
#define CTR_MODULE_seal0 "seal0"
#define CTR_MODULE_seal1 "seal1"
#define CTR_MODULE_seal2 "seal2"
#define CTR_MODULE_seal0_nosalt "seal0"       /* 2020: seal_instantiate without a salt */
#define CTR_MODULE_unstable "__unstable__"    /* 2022: #[unstable], variable-length keys */
#define CTR_MODULE_unstable_v0 "__unstable__" /* 2021 - early 2022: fixed 32-byte keys */
#define CTR_MODULE_NAME(module) CTR_MODULE_##module

#define CONTRACTS_HOST_FUNCTIONS(X) \
    /* storage */ \
    X(seal0, set_storage, "iii:", CTR_ALIAS | CTR_MUTATING) \
    X(seal1, set_storage, "iii:i", CTR_ALIAS | CTR_MUTATING) \
    X(seal2, set_storage, "iiii:i", CTR_ALIAS | CTR_MUTATING) \
    X(seal0, clear_storage, "i:", CTR_ALIAS | CTR_MUTATING) \
    X(seal1, clear_storage, "ii:i", CTR_ALIAS | CTR_MUTATING) \
    X(seal0, get_storage, "iii:i", CTR_ALIAS) \
    X(seal1, get_storage, "iiii:i", CTR_ALIAS) \
    X(seal0, contains_storage, "i:i", CTR_ALIAS) \
    X(seal1, contains_storage, "ii:i", CTR_ALIAS) \
    X(seal0, take_storage, "iiii:i", CTR_ALIAS | CTR_MUTATING) \
    /* value, calls, instantiation, termination, code */ \
    X(seal0, transfer, "iiii:i", CTR_ALIAS | CTR_MUTATING) \
    X(seal0, call, "iiIiiiiii:i", CTR_ALIAS) \
    X(seal1, call, "iiIiiiii:i", CTR_ALIAS) \
    X(seal2, call, "iiIIiiiiii:i", 0) \
    X(seal0, delegate_call, "iiiiii:i", CTR_ALIAS) \
    X(seal0, instantiate, "iiIiiiiiiiiii:i", CTR_ALIAS | CTR_MUTATING) \
    X(seal1, instantiate, "iIiiiiiiiii:i", CTR_ALIAS | CTR_MUTATING) \
    X(seal2, instantiate, "iIIiiiiiiiiii:i", CTR_MUTATING) \
    X(seal0, terminate, "ii:", CTR_ALIAS | CTR_MUTATING) \
    X(seal1, terminate, "i:", CTR_ALIAS | CTR_MUTATING) \
    X(seal0, set_code_hash, "i:i", CTR_ALIAS | CTR_MUTATING) \
    /* input and output */ \
    X(seal0, input, "ii:", CTR_ALIAS) \
    X(seal0, return, "iii:", CTR_ALIAS_ONLY) \
    /* the context */ \
    X(seal0, caller, "ii:", CTR_ALIAS) \
    X(seal0, is_contract, "i:i", CTR_ALIAS) \
    X(seal0, code_hash, "iii:i", CTR_ALIAS) \
    X(seal0, own_code_hash, "ii:", CTR_ALIAS) \
    X(seal0, caller_is_origin, ":i", CTR_ALIAS) \
    X(seal0, caller_is_root, ":i", 0) \
    X(seal0, address, "ii:", CTR_ALIAS) \
    X(seal0, weight_to_fee, "Iii:", CTR_ALIAS) \
    X(seal1, weight_to_fee, "IIii:", 0) \
    X(seal0, gas_left, "ii:", CTR_ALIAS) \
    X(seal1, gas_left, "ii:", CTR_ALIAS) \
    X(seal0, balance, "ii:", CTR_ALIAS) \
    X(seal0, value_transferred, "ii:", CTR_ALIAS) \
    X(seal0, now, "ii:", CTR_ALIAS) \
    X(seal0, minimum_balance, "ii:", CTR_ALIAS) \
    X(seal0, block_number, "ii:", CTR_ALIAS) \
    X(seal0, reentrance_count, ":i", 0) \
    X(seal0, account_reentrance_count, "i:i", 0) \
    X(seal0, instantiation_nonce, ":I", 0) \
    /* events and debug output */ \
    X(seal0, deposit_event, "iiii:", CTR_ALIAS | CTR_MUTATING) \
    X(seal0, debug_message, "ii:i", CTR_ALIAS) \
    /* hashes and signatures */ \
    X(seal0, hash_sha2_256, "iii:", CTR_ALIAS) \
    X(seal0, hash_keccak_256, "iii:", CTR_ALIAS) \
    X(seal0, hash_blake2_256, "iii:", CTR_ALIAS) \
    X(seal0, hash_blake2_128, "iii:", CTR_ALIAS) \
    X(seal0, ecdsa_recover, "iii:i", CTR_ALIAS) \
    X(seal0, ecdsa_to_eth_address, "ii:i", CTR_ALIAS) \
    X(seal0, sr25519_verify, "iiii:i", CTR_ALIAS) \
    /* delegate dependencies (2023: add/remove, renamed lock/unlock) */ \
    X(seal0, add_delegate_dependency, "i:", CTR_MUTATING) \
    X(seal0, remove_delegate_dependency, "i:", CTR_MUTATING) \
    X(seal0, lock_delegate_dependency, "i:", CTR_MUTATING) \
    X(seal0, unlock_delegate_dependency, "i:", CTR_MUTATING) \
    /* the embedder's chain extensions and runtime (chain_ext.c) */ \
    X(seal0, call_chain_extension, "iiiii:i", CTR_ALIAS) \
    X(seal0, call_runtime, "ii:i", CTR_MUTATING) \
    X(unstable, call_runtime, "ii:i", CTR_ALIAS | CTR_MUTATING) \
    X(seal0, xcm_execute, "ii:i", CTR_MUTATING) \
    X(seal0, xcm_send, "iiii:i", CTR_MUTATING) \
    /* older generations: the pre-salt instantiate, randomness, println */ \
    X(seal0_nosalt, instantiate, "iiIiiiiiiii:i", CTR_ALIAS_ONLY | CTR_MUTATING) \
    X(seal0, random, "iiii:", CTR_ALIAS) \
    X(seal1, random, "iiii:", CTR_ALIAS) \
    X(seal0, println, "ii:", CTR_ALIAS_ONLY) \
    /* deprecated rent-era stubs, as the pallet kept them after removing rent */ \
    X(seal0, tombstone_deposit, "ii:", CTR_ALIAS) \
    X(seal0, restore_to, "iiiiiiii:", CTR_ALIAS) \
    X(seal1, restore_to, "iiiii:", CTR_ALIAS) \
    X(seal0, set_rent_allowance, "ii:", CTR_ALIAS) \
    X(seal1, set_rent_allowance, "i:", CTR_ALIAS) \
    X(seal0, rent_allowance, "ii:", CTR_ALIAS) \
    /* __unstable__, 2022 (ink! 4.0 betas): variable-length keys, both names */ \
    X(unstable, set_storage, "iiii:i", CTR_ALIAS | CTR_MUTATING) \
    X(unstable, clear_storage, "ii:i", CTR_ALIAS | CTR_MUTATING) \
    X(unstable, get_storage, "iiii:i", CTR_ALIAS) \
    X(unstable, contains_storage, "ii:i", CTR_ALIAS) \
    X(unstable, take_storage, "iiii:i", CTR_ALIAS | CTR_MUTATING) \
    /* __unstable__, 2021 - early 2022: fixed keys, seal_ names only */ \
    X(unstable_v0, set_storage, "iii:i", CTR_ALIAS_ONLY | CTR_MUTATING) \
    X(unstable_v0, clear_storage, "i:i", CTR_ALIAS_ONLY | CTR_MUTATING) \
    X(unstable_v0, contains_storage, "i:i", CTR_ALIAS_ONLY) \
    X(unstable_v0, take_storage, "iii:i", CTR_ALIAS_ONLY | CTR_MUTATING) \
    X(unstable_v0, call, "iiiIiiiiii:i", CTR_ALIAS_ONLY) \
    X(unstable_v0, set_code_hash, "i:i", CTR_ALIAS_ONLY | CTR_MUTATING) \
    X(unstable_v0, delegate_call, "iiiiii:i", CTR_ALIAS_ONLY) \
    X(unstable_v0, is_contract, "i:i", CTR_ALIAS_ONLY) \
    X(unstable_v0, debug_message, "ii:i", CTR_ALIAS_ONLY) \
    X(unstable_v0, ecdsa_recover, "iii:i", CTR_ALIAS_ONLY)

/* One id per row: CTR_SEAL_seal0_set_storage, ... (a frame keeps one host function per id). */
enum ctr_seal_id {
#define CTR_SEAL_ID(module, name, sig, flags) CTR_SEAL_##module##_##name,
    CONTRACTS_HOST_FUNCTIONS(CTR_SEAL_ID)
#undef CTR_SEAL_ID
    CTR_SEAL_COUNT
};

/* Each row's flags: CTR_SEAL_FLAGS_seal0_set_storage, ... */
enum {
#define CTR_SEAL_FLAGS(module, name, sig, flags) CTR_SEAL_FLAGS_##module##_##name = (flags),
    CONTRACTS_HOST_FUNCTIONS(CTR_SEAL_FLAGS)
#undef CTR_SEAL_FLAGS
};

/* clang-format on */

#endif
