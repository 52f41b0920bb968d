/*
 * contracts_impl.h — internals shared by all of the contract host's files: the handle (struct
 * bst_contracts) and its module cache (module_cache.c), byte order and u128 helpers (u128.c),
 * the LMDB layout helpers (lmdb.c), upload validation (upload.c) and the lookup of the seal host
 * functions (seal_table.h, seal.c).  What only the execution needs is in exec.h.  Not part of
 * the public API.
 */
#ifndef BASTION_CONTRACTS_IMPL_H
#define BASTION_CONTRACTS_IMPL_H

#include <lmdb.h>

#include "bastion.h"
#include "bastion_contracts.h"
#include "bastion_pool.h"

/* Functions shared by the files of src/contracts/ but not part of the API: hidden, so that they
 * never leave the library, and prefixed ctr_ (bst_ is the public API's prefix). */
#define CTR_FUNC __attribute__((visibility("hidden")))

/* pallet-contracts' SENTINEL: "no value" in u32 results and "skip this output" as out_ptr. */
#define CTR_SENTINEL 0xffffffffu

/* seal ReturnCode values (pallet-contracts uapi ReturnErrorCode). */
enum {
    RC_SUCCESS = 0,
    RC_CALLEE_TRAPPED = 1,
    RC_CALLEE_REVERTED = 2,
    RC_KEY_NOT_FOUND = 3,
    RC_TRANSFER_FAILED = 5,
    RC_CODE_NOT_FOUND = 7,
    RC_NOT_CALLABLE = 8,
    RC_LOGGING_DISABLED = 9,
    RC_CALL_RUNTIME_FAILED = 10,
    RC_ECDSA_RECOVER_FAILED = 11,
    RC_SR25519_VERIFY_FAILED = 12,
    RC_XCM_EXECUTION_FAILED = 13,
    RC_XCM_SEND_FAILED = 14,
};

typedef struct ctr_u128 {
    uint64_t lo, hi;
} ctr_u128;

/* Compiled modules kept across execs (code under a hash never changes, and a bst_module is
 * immutable), replaced round-robin.  A module is reference-counted: one reference for its cache
 * slot, one for each frame running it, so a module evicted while a frame still runs it is freed
 * when that frame ends (not at the end of the exec). */
#define CTR_MODULE_CACHE 16
typedef struct ctr_module {
    uint8_t hash[32];
    uint8_t *code; /* the module may refer to its bytes: kept alongside */
    size_t len;
    bst_module *m;
    bst_pool *pool; /* its instances, reset and reused by the frames (made on first use) */
    unsigned refs;
} ctr_module;

struct bst_contracts {
    bst_contracts_config cfg;
    ctr_module *cache[CTR_MODULE_CACHE]; /* NULL: empty slot */
    unsigned cache_next;
    uint32_t pool_idle; /* cfg.pooled_instances: idle instances kept per cached module */
    bst_contracts_stats stats;
    /* the balance model (balance.c): the state's width and the configured amounts */
    uint32_t balance_bytes; /* 16 or 8 */
    ctr_u128 balance_max;   /* u128::MAX or u64::MAX */
    ctr_u128 ed, per_byte, per_item;
    MDB_env *env;
    MDB_dbi db_accounts;  /* account(32) -> free u128 LE (16) [++ reserved u128 LE (16)] */
    MDB_dbi db_code;      /* code hash(32) -> wasm bytes; code hash ++ CTR_CODE_OWNER (33) ->
                             uploader (32) ++ code deposit u128 LE (16) */
    MDB_dbi db_contracts; /* address(32) -> code hash(32) ++ storage id u64 LE (8) */
    MDB_dbi db_storage;   /* storage id u64 BE (8) ++ key -> value */
    MDB_dbi db_meta;      /* "next_storage_id" / "block" / "nonce" -> u64 LE */
    /* the embedder's chain extensions and runtime (chain_ext.c) */
    bst_chain_extension chain_ext[BST_CONTRACTS_MAX_CHAIN_EXTENSIONS];
    unsigned n_chain_ext;
    bst_runtime_call_fn runtime_call;
    void *runtime_call_user;
    bool refuse_runtime_calls; /* bst_contracts_refuse_runtime_calls */
};

/* Drops one reference of a module, freeing it with the last one (module_cache.c). */
CTR_FUNC void ctr_module_release(bst_contracts *c, ctr_module *mod);

/* ---- byte order ---- */
static inline void ctr_put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void ctr_put_le64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint32_t ctr_get_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ctr_get_le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

/* ---- u128 helpers (16 little-endian bytes; u128.c) ---- */
CTR_FUNC ctr_u128 ctr_u128_load(const uint8_t b[16]);
CTR_FUNC void ctr_u128_store(ctr_u128 v, uint8_t b[16]);
CTR_FUNC int ctr_u128_cmp(ctr_u128 a, ctr_u128 b);
CTR_FUNC ctr_u128 ctr_u128_sub(ctr_u128 a, ctr_u128 b); /* a >= b */
CTR_FUNC ctr_u128 ctr_u128_add_sat(ctr_u128 a, ctr_u128 b);
CTR_FUNC bool ctr_u128_add(ctr_u128 a, ctr_u128 b, ctr_u128 *out); /* false on overflow */
CTR_FUNC bool ctr_u128_is_zero(ctr_u128 a);
CTR_FUNC ctr_u128 ctr_u128_from64(uint64_t v);
CTR_FUNC ctr_u128 ctr_u128_sub_sat(ctr_u128 a, ctr_u128 b);
CTR_FUNC ctr_u128 ctr_u128_min(ctr_u128 a, ctr_u128 b);
CTR_FUNC ctr_u128 ctr_u128_mul_sat(ctr_u128 a, uint64_t b);
/* floor(a * num / den) for num <= den (den > 0): a pro-rata share, never more than a. */
CTR_FUNC ctr_u128 ctr_u128_share(ctr_u128 a, uint32_t num, uint32_t den);
/* Decimal text of v (at most 39 digits and the NUL). */
CTR_FUNC void ctr_u128_format(ctr_u128 v, char out[40]);

/* ---- accounts (balance.c); every function works inside the given transaction ---- */
typedef struct ctr_account {
    ctr_u128 free, reserved;
} ctr_account;
CTR_FUNC int ctr_get_account(bst_contracts *c, MDB_txn *t, const uint8_t acc[32], ctr_account *out);
/* Writes the account; one with nothing free or reserved is deleted (reaped). */
CTR_FUNC int ctr_put_account(bst_contracts *c, MDB_txn *t, const uint8_t acc[32],
                             const ctr_account *a);
/* The free balance (zero for an unknown account) / sets it, keeping the reserved one. */
CTR_FUNC int ctr_get_balance(bst_contracts *c, MDB_txn *t, const uint8_t acc[32], ctr_u128 *out);
CTR_FUNC int ctr_put_balance(bst_contracts *c, MDB_txn *t, const uint8_t acc[32], ctr_u128 v);
/* Whether v fits the state's balance width. */
CTR_FUNC bool ctr_balance_fits(const bst_contracts *c, ctr_u128 v);
/* Moves free balance as pallet-balances' transfer (keep_alive: Preserve, else Expendable; see
 * bst_contracts_transfer); returns MDB_SUCCESS, MDB_NOTFOUND (nothing moved: the transfer is
 * refused) or another LMDB error. */
CTR_FUNC int ctr_transfer(bst_contracts *c, MDB_txn *t, const uint8_t from[32],
                          const uint8_t to[32], ctr_u128 value, bool keep_alive);
/* Moves amount from `from`'s free balance (which keeps the existential deposit) to `to`'s
 * reserved balance: a storage deposit held on a contract (from == to: a reserve).
 * MDB_NOTFOUND when `from` cannot pay it. */
CTR_FUNC int ctr_hold(bst_contracts *c, MDB_txn *t, const uint8_t from[32], const uint8_t to[32],
                      ctr_u128 amount);
/* Moves up to amount of `from`'s reserved balance to `to`'s free balance (a refund; best
 * effort, as the pallet's); *moved (may be NULL) what moved. */
CTR_FUNC int ctr_release(bst_contracts *c, MDB_txn *t, const uint8_t from[32], const uint8_t to[32],
                         ctr_u128 amount, ctr_u128 *moved);
/* Reads / checks the balance width kept in the state and applies the genesis endowments of a
 * new state (at open).  false with *err filled. */
CTR_FUNC bool ctr_balances_open(bst_contracts *c, const bst_contracts_config *cfg, bst_error *err);

/* ---- contract instances (lmdb.c) ---- */
typedef struct ctr_contract_info {
    uint8_t code_hash[32];
    uint64_t storage_id;
    /* storage deposits (deposit.c), as the pallet's ContractInfo keeps them */
    uint32_t storage_bytes, storage_items;
    ctr_u128 byte_deposit, item_deposit, base_deposit;
} ctr_contract_info;
CTR_FUNC int ctr_get_contract(bst_contracts *c, MDB_txn *t, const uint8_t addr[32],
                              ctr_contract_info *out);
CTR_FUNC int ctr_put_contract(bst_contracts *c, MDB_txn *t, const uint8_t addr[32],
                              const ctr_contract_info *info);
/* Deletes the instance and all of its storage; *nkeys (may be NULL) the storage keys deleted. */
CTR_FUNC int ctr_del_contract(bst_contracts *c, MDB_txn *t, const uint8_t addr[32],
                              uint64_t storage_id, uint64_t *nkeys);
CTR_FUNC int ctr_meta_get(bst_contracts *c, MDB_txn *t, const char *name, uint64_t *out);
CTR_FUNC int ctr_meta_put(bst_contracts *c, MDB_txn *t, const char *name, uint64_t v);
/* Contract storage: key = storage id (8, big-endian) ++ stored key, which is the key's kind
 * (CTR_KEY_FIXED / CTR_KEY_VAR) ++ the contract's key bytes (32 for a fixed key). */
#define CTR_KEY_FIXED 0u
#define CTR_KEY_VAR 1u
#define CTR_KEY_DEP 2u /* a delegate dependency: the locked code hash (32), an empty value */
#define CTR_STORED_KEY_MAX (1 + 256) /* max_storage_key_bytes is at most 256 */
/* The key of a code's owner record in db_code: the code hash ++ this byte. */
#define CTR_CODE_OWNER 1u
CTR_FUNC int ctr_storage_get(bst_contracts *c, MDB_txn *t, uint64_t sid, const uint8_t *key,
                             size_t klen, MDB_val *out);
CTR_FUNC int ctr_storage_put(bst_contracts *c, MDB_txn *t, uint64_t sid, const uint8_t *key,
                             size_t klen, const uint8_t *val, size_t vlen);
CTR_FUNC int ctr_storage_del(bst_contracts *c, MDB_txn *t, uint64_t sid, const uint8_t *key,
                             size_t klen);
CTR_FUNC int ctr_code_get(bst_contracts *c, MDB_txn *t, const uint8_t hash[32], MDB_val *out);
CTR_FUNC int ctr_code_put(bst_contracts *c, MDB_txn *t, const uint8_t hash[32], const uint8_t *code,
                          size_t len);

/* ---- code deposits (deposit.c) ---- */
/* The deposit for new code of len bytes (its owner record included). */
CTR_FUNC ctr_u128 ctr_code_deposit(const bst_contracts *c, size_t len);
/* Stores new code's owner record and reserves the deposit on the owner: MDB_NOTFOUND when it
 * cannot pay. */
CTR_FUNC int ctr_code_charge(bst_contracts *c, MDB_txn *t, const uint8_t hash[32],
                             const uint8_t owner[32], ctr_u128 deposit);

/* ---- validation (upload.c) ---- */
/* Validates upload rules and compiles; returns the module (fuel metering on) or NULL with *err. */
CTR_FUNC bst_module *ctr_validate(const bst_contracts_config *cfg, const uint8_t *code, size_t len,
                                  bst_error *err);
/* Compiles already-validated code (fuel metering on, floats rejected). */
CTR_FUNC bst_module *ctr_compile(const bst_contracts_config *cfg, const uint8_t *code, size_t len,
                                 bst_error *err);

/* ---- chain extensions (chain_ext.c) ---- */
/* The upload rules for code that calls the embedder: code importing call_chain_extension is
 * refused when the handle has no enabled chain extension (as pallet-contracts does), code
 * importing a runtime call when the handle refuses them and has no runtime.  False with *err
 * filled. */
CTR_FUNC bool ctr_chain_ext_check_imports(const bst_contracts *c, const bst_module *m,
                                          bst_error *err);
/* The storage id of the runtime's own state (the environment's state functions): never given to a
 * contract (next_storage_id counts up from 0). */
#define CTR_RUNTIME_STORAGE_ID UINT64_MAX

/* ---- the seal host functions (seal_table.h, seal.c) ---- */
/* A row of seal_table.h found by import: its id (enum ctr_seal_id), signature (bst_functype_parse
 * notation) and host function (its env must be the running ctr_frame). */
typedef struct ctr_seal_def {
    int id;
    const char *sig;
    bst_host_fn fn;
} ctr_seal_def;
/* Finds the row of import module.name (neither NUL-terminated) of the import's type: false when
 * the host has no such function; a row of another signature when none has this one (the caller
 * refuses it, checking def.sig). */
CTR_FUNC bool ctr_seal_lookup(const char *module, size_t mlen, const char *name, size_t nlen,
                              const bst_functype *type, ctr_seal_def *out);

#endif
