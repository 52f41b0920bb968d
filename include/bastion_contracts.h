/*
 * bastion_contracts.h — the smart-contract host of Bastion: pallet-contracts' wasm ABI (the
 * seal0/seal1/seal2 host functions ink! contracts import) over Bastion's engine, with gas
 * (engine fuel + host-call weights) and the chain state (accounts, code, contract instances,
 * contract storage) persisted in LMDB.
 *
 * Model:
 *   - An account is 32 bytes (an sr25519 public key for users, a derived address for contracts)
 *     with a u128 free balance.  Every u128 in this API is 16 little-endian bytes.
 *   - Code is stored by its BLAKE2b-256 hash after upload validation (docs/contracts.md lists
 *     the rules).  A contract instance maps its address to a code hash and a storage id.
 *   - bst_contracts_exec() runs one top-level instantiate or call in ONE LMDB write
 *     transaction: committed only when the outcome is BST_CONTRACT_SUCCESS and dry_run is false;
 *     aborted otherwise (revert, trap, out of gas, error, dry run).  A crash (even kill -9) in the
 *     middle of an exec leaves the state of the previous committed exec.  Nested calls run in
 *     nested LMDB transactions and a failed callee's changes are rolled back alone.
 *
 * Threading: a bst_contracts handle is used by one thread at a time.  Nothing here keeps global
 * state.  LMDB serialises writers across processes (a second writer waits for the first); a
 * process must not open the same state directory twice at once (an LMDB rule).
 */
#ifndef BASTION_CONTRACTS_H
#define BASTION_CONTRACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bastion.h"
#include "bastion_pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef struct bst_contracts bst_contracts;

/* ---- configuration ------------------------------------------------------------------------ */

typedef struct bst_contracts_config {
    const char *state_dir;            /* LMDB environment directory; created (mode 0700) if
                                          absent.  Required. */
    bool must_exist;                  /* default false; true: open an existing state only (a
                                          missing directory or environment is
                                          BST_ERR_NOT_FOUND); no directory, data file or
                                          database is created, for read-only users such as
                                          dry runs */
    uint64_t map_size;                /* LMDB map size in bytes; default 1 GiB */
    uint32_t max_code_bytes;          /* wasm code size limit at upload; default 256 KiB */
    uint32_t max_memory_pages;        /* declared maximum of the imported env.memory must be
                                          <= this; default 16 (1 MiB) as pallet-contracts */
    uint32_t max_call_depth;          /* nested frames below the top-level one; default 5
                                          (pallet-contracts' CallStack size) */
    bool allow_reentry;               /* default false: a contract already on the call stack
                                          cannot be called again unless the call that left it
                                          set ALLOW_REENTRY; a refused call traps the caller
                                          (ReentranceDenied), as in pallet-contracts */
    uint32_t max_storage_value_bytes; /* default 16 KiB (pallet payload_len) */
    uint32_t max_storage_key_bytes;   /* default 128 (pallet MaxStorageKeyLen) */
    uint64_t default_gas_limit;       /* used when bst_contract_exec.gas_limit == 0; default
                                          10,000,000,000 */
    uint64_t default_proof_limit;     /* used when bst_contract_exec.proof_size_limit == 0;
                                          default 5 MiB (a parachain block's proof budget,
                                          MAX_POV_SIZE); 0 here: unlimited (2^63 - 1) */
    uint32_t max_event_topics;        /* default 4 */
    uint32_t max_event_data_bytes;    /* default 16 KiB */
    uint32_t max_debug_buffer_bytes;  /* default 2 MiB; further debug_message text is dropped
                                          (the call then returns ReturnCode 0 regardless, as in
                                          pallet-contracts: debug output never changes results) */
    uint32_t max_input_bytes;         /* input / return data size limit; default 64 KiB */
    uint32_t max_event_bytes_total;   /* all events of one exec: topics + data + a fixed
                                          sizeof(bst_contract_event) per event (so empty
                                          events count too); default 4 MiB (bounds host
                                          memory whatever the gas limit); beyond it
                                          deposit_event traps */
    uint32_t pooled_instances;        /* idle instances kept per cached module, reset between
                                          frames and reused (bastion_pool.h; a frame still sees
                                          a fresh instance); default 4; 0: every frame
                                          instantiates anew */
    /* ---- balances and storage deposits (docs/contracts.md, "Balances and deposits") ---- */
    uint32_t balance_bytes;          /* the chain's Balance type: 16 (u128, as production
                                          chains), 8 (u64, as pallet-contracts' own test
                                          runtime, whose WAT fixtures read and write 8-byte
                                          balances) or 0 (default): the width the state was
                                          created with, 16 for a new state.  Stored in the
                                          state: reopening it with the other width is
                                          BST_ERR_INVALID.  Every balance the contracts see
                                          (seal balance, value_transferred, minimum_balance,
                                          transfer / call / instantiate values, deposit
                                          limits) has this many bytes; a value that does not
                                          fit is an error, never truncated. */
    uint8_t existential_deposit[16]; /* u128 LE; default 1 (BST_CONTRACTS_MINIMUM_BALANCE):
                                          what seal minimum_balance reports, see transfers */
    uint8_t deposit_per_byte[16];    /* u128 LE storage deposit per stored byte; default 1 */
    uint8_t deposit_per_item[16];    /* u128 LE storage deposit per stored item; default 2
                                          (both as pallet-contracts' test runtime) */
    const struct bst_contracts_endowment *endowments; /* genesis: free balances given to
                                          accounts when the state is created ; refused
                                          (BST_ERR_ARG) when the state already exists; NULL/0: none */
    size_t nendowments;
} bst_contracts_config;

/* A genesis balance (bst_contracts_config.endowments). */
typedef struct bst_contracts_endowment {
    uint8_t account[32];
    uint8_t amount[16]; /* u128 LE; must fit the balance width */
} bst_contracts_endowment;

/* Fills *cfg with the defaults above (state_dir = NULL). */
void bst_contracts_config_default(bst_contracts_config *cfg);

/* ---- opening the state -------------------------------------------------------------------- */

/* Opens (creating if needed, unless must_exist) the chain state in cfg->state_dir.  Returns
 * NULL and fills *err (BST_ERR_ARG for a bad config, BST_ERR_NOMEM, BST_ERR_NOT_FOUND for an
 * absent state with must_exist, BST_ERR_INVALID when LMDB fails or the state is damaged, with
 * its message) on failure.  An existing environment is validated before any page is read: an
 * empty or missing data.mdb next to lock.mdb, bad meta pages (magic, version) or a data.mdb
 * shorter than the pages its meta page records are refused as damage, never treated as a new
 * state.  The config is copied; state_dir need not outlive the call. */
bst_contracts *bst_contracts_open(const bst_contracts_config *cfg, bst_error *err);
void bst_contracts_close(bst_contracts *c);

/* ---- accounts ----------------------------------------------------------------------------- */

/* An account has a free balance and a reserved (held) one: the storage deposits a contract
 * holds, or the code deposits of an uploader.  Amounts are u128 LE and must fit the state's
 * balance width (bst_contracts_balance_bytes); a larger one is BST_ERR_LIMIT. */

/* Sets an account's free balance (creating the account).  For endowing dev accounts and tests;
 * committed immediately. */
bst_status bst_contracts_set_balance(bst_contracts *c, const uint8_t account[32],
                                     const uint8_t balance_le16[16], bst_error *err);
/* Adds amount to an account's free balance; committed immediately.  BST_ERR_LIMIT (nothing
 * changes) when the result would not fit the balance width. */
bst_status bst_contracts_credit(bst_contracts *c, const uint8_t account[32],
                                const uint8_t amount_le16[16], bst_error *err);
/* The free balance of an account (zero for an unknown account).  Returns false only when the
 * state cannot be read. */
bool bst_contracts_balance(bst_contracts *c, const uint8_t account[32], uint8_t out_le16[16]);
/* The free and the reserved balance of an account (either pointer may be NULL). */
bool bst_contracts_account(bst_contracts *c, const uint8_t account[32], uint8_t free_le16[16],
                           uint8_t reserved_le16[16]);
/* The balance width of the open state in bytes: 16 (u128) or 8 (u64). */
uint32_t bst_contracts_balance_bytes(const bst_contracts *c);
/* The existential deposit (u128 LE), as configured. */
void bst_contracts_minimum_balance(const bst_contracts *c, uint8_t out_le16[16]);

/* Moves amount of free balance from `from` to `to`, as pallet-balances' transfer_keep_alive
 * (keep_alive: `from` must keep at least the existential deposit) or transfer_allow_death
 * (`from` may be emptied to exactly zero, never left with a non-zero balance below the
 * existential deposit).  A new recipient must receive at least the existential deposit.  Refused
 * (BST_ERR_LIMIT, nothing moves, err names the reason) otherwise, or when the recipient's
 * balance would not fit the width.  Committed at once. */
bst_status bst_contracts_transfer(bst_contracts *c, const uint8_t from[32], const uint8_t to[32],
                                  const uint8_t amount_le16[16], bool keep_alive, bst_error *err);

/* The default existential deposit: one unit. */
#define BST_CONTRACTS_MINIMUM_BALANCE 1u

/* ---- code and instances ------------------------------------------------------------------- */

/* Validates wasm code (rules in docs/contracts.md) and stores it under its BLAKE2b-256 hash,
 * written to code_hash_out.  Idempotent: uploading the same code again succeeds with the same
 * hash and charges nothing.  origin is the uploader: new code costs it the code deposit
 * (deposit_per_byte * (code length + 48) + 2 * deposit_per_item), moved from its free to its
 * reserved balance (refunded by bst_contracts_remove_code); too little free balance is
 * BST_ERR_LIMIT ("StorageDepositNotEnoughFunds").  Committed at once, in its own transaction.  On rejection returns
 * BST_ERR_INVALID / BST_ERR_LIMIT / BST_ERR_UNLINKABLE / BST_ERR_UNSUPPORTED / BST_ERR_MALFORMED
 * with err->message naming the reason (e.g. "unknown import seal0.foo", "missing export
 * `call`", "start function not allowed", "floating point not allowed", "memory maximum 17
 * pages exceeds 16"). */
bst_status bst_contracts_upload(bst_contracts *c, const uint8_t origin[32], const uint8_t *code,
                                size_t len, uint8_t code_hash_out[32], bst_error *err);
/* bst_contracts_upload with pallet-contracts' storage_deposit_limit: deposit_limit (u128 LE;
 * NULL: none) bounds the code deposit (more is BST_ERR_LIMIT, "StorageDepositLimitExhausted");
 * the deposit charged is written to deposit_out (u128 LE; may be NULL; zero when the code was
 * already stored). */
bst_status bst_contracts_upload_ex(bst_contracts *c, const uint8_t origin[32], const uint8_t *code,
                                   size_t len, const uint8_t *deposit_limit_le16,
                                   uint8_t code_hash_out[32], uint8_t *deposit_out_le16,
                                   bst_error *err);
/* Removes code no contract uses, as pallet-contracts' remove_code: only its uploader (origin)
 * may, and the code deposit goes back from its reserved to its free balance (written to
 * refund_out, u128 LE, may be NULL).  BST_ERR_NOT_FOUND (no such code), BST_ERR_ARG (origin is
 * not the uploader: "CodeNotFound" as the pallet answers), BST_ERR_INVALID ("CodeInUse"). */
bst_status bst_contracts_remove_code(bst_contracts *c, const uint8_t origin[32],
                                     const uint8_t code_hash[32], uint8_t *refund_out_le16,
                                     bst_error *err);

/* True when code with that hash is stored. */
bool bst_contracts_code_exists(bst_contracts *c, const uint8_t code_hash[32]);
/* The code hash of the contract at address; false when there is no contract there. */
bool bst_contracts_code_hash_of(bst_contracts *c, const uint8_t address[32], uint8_t out32[32]);

/* How many contract instances the state holds (a service's max_contracts quota).  false when the
 * state cannot be read. */
bool bst_contracts_count(bst_contracts *c, uint64_t *contracts);

/* Reads contract storage (for tests and the CLI) under a variable-length key (the slot of
 * seal1/seal2 calls that pass a key length).  Returns BST_OK with *out (malloc'd, free() it;
 * NULL when the value is empty) and *out_len, BST_ERR_NOT_FOUND when the key is absent or
 * address is not a contract, another status on failure. */
bst_status bst_contracts_storage_get(bst_contracts *c, const uint8_t address[32],
                                     const uint8_t *key, size_t key_len, uint8_t **out,
                                     size_t *out_len);
/* The same for a fixed 32-byte key (seal0/seal1 calls with a key pointer only, as ink! 3 uses).
 * As in pallet-contracts, a fixed key and a 32-byte variable key are different slots. */
bst_status bst_contracts_storage_get_fixed(bst_contracts *c, const uint8_t address[32],
                                           const uint8_t key[32], uint8_t **out, size_t *out_len);

/* The address pallet-contracts derives for a new instance (DefaultAddressGenerator, 2023):
 * blake2_256 of the SCALE encoding of the tuple (b"contract_addr_v1", deployer, code_hash,
 * input_data, salt), i.e. the 16 tag bytes ++ deployer ++ code_hash ++ compact(len) ++ input
 * ++ compact(len) ++ salt (the byte slices carry their compact length prefix). */
void bst_contracts_address(const uint8_t deployer[32], const uint8_t code_hash[32],
                           const uint8_t *input, size_t input_len, const uint8_t *salt,
                           size_t salt_len, uint8_t out[32]);

/* Counters of the handle, for tests and monitoring. */
typedef struct bst_contracts_stats {
    size_t modules_live;       /* compiled modules held now (cached or running) */
    size_t modules_peak;       /* the most held at once since the handle was opened: at most the
                              16 cache slots plus one per frame of the deepest call stack */
    uint64_t instances_made;   /* frames that instantiated their module */
    uint64_t instances_reused; /* frames that ran on a pooled instance, reset since its last
                                  frame */
} bst_contracts_stats;
void bst_contracts_get_stats(const bst_contracts *c, bst_contracts_stats *out);

/* ---- execution ---------------------------------------------------------------------------- */

typedef enum bst_contract_exec_kind {
    BST_CONTRACT_INSTANTIATE = 0, /* code_hash of uploaded code (or `code` bytes, which
                                           are uploaded first, in the same transaction) */
    BST_CONTRACT_CALL = 1,        /* call the contract at dest */
} bst_contract_exec_kind;

typedef struct bst_contract_exec {
    bst_contract_exec_kind kind;
    uint8_t origin[32];    /* the signed caller */
    uint8_t dest[32];      /* CALL: contract address */
    uint8_t code_hash[32]; /* INSTANTIATE when code == NULL */
    const uint8_t *code;   /* INSTANTIATE: optional code bytes (upload + instantiate) */
    size_t code_len;
    const uint8_t *input; /* selector ++ SCALE args */
    size_t input_len;
    uint8_t value[16];   /* u128 LE transferred from origin to the contract */
    const uint8_t *salt; /* INSTANTIATE */
    size_t salt_len;
    /* ref_time; 0: config default_gas_limit; at most INT64_MAX (the engine's fuel counter):
     * larger limits are cut to it */
    uint64_t gas_limit;
    /* proof_size (Weight v2, docs/contracts.md "Weight"): the bytes of state proof the exec
     * may need; 0: config default_proof_limit; at most INT64_MAX (larger limits are cut to
     * it).  Exceeding it is OUT_OF_GAS, as for gas_limit. */
    uint64_t proof_size_limit;
    bool dry_run; /* query: run, report, write nothing */
    /* storage_deposit_limit given (else: what the origin can afford) */
    bool has_deposit_limit;
    /* u128 LE: the most the exec may charge the origin in storage deposits
     * (StorageDepositLimitExhausted beyond); more than the origin can afford is an error
     * (StorageDepositNotEnoughFunds) */
    uint8_t storage_deposit_limit[16];
    /* Limits a host serving tenants applies per exec (all zero: none; docs/pool.md): */
    uint64_t deadline;         /* CLOCK_MONOTONIC ns (bst_monotonic_ns() + budget), 0: none.
                                  Every frame's store gets it (bst_store_set_deadline): once
                                  passed, the running contract traps with
                                  BST_TRAP_INTERRUPTED (outcome TRAPPED, trap INTERRUPTED),
                                  also while blocked in a host function */
    uint32_t max_memory_pages; /* 0: none; else memory.grow of every frame's contract memory
                                  fails (-1) beyond this many pages (the config's
                                  max_memory_pages still applies); a contract whose memory
                                  minimum is larger traps */
    bst_ticket *ticket;        /* NULL: none; a tenant's admission (bst_tenant_enter): every
                                  frame's store is attached to it while it runs, so that the
                                  tenant's CPU budget running out interrupts the exec
                                  (BST_TRAP_INTERRUPTED; bst_ticket_outcome tells "cpu" from
                                  "timeout").  The caller enters and leaves the ticket. */
    bst_sampler sampler;       /* profiling (bastion.h): set on the store of every frame, whose
                                  samples show that frame's own stack; the fuel a nested call
                                  uses is sampled in the callee only.  fn NULL (zeroed): none */
} bst_contract_exec;

typedef enum bst_contract_outcome {
    BST_CONTRACT_SUCCESS = 0,    /* returned normally (flags without REVERT) */
    BST_CONTRACT_REVERTED = 1,   /* seal_return with the REVERT flag: data returned,
                                           state changes discarded */
    BST_CONTRACT_TRAPPED = 2,    /* wasm trap or host-detected error (error names it) */
    BST_CONTRACT_OUT_OF_GAS = 3, /* gas_limit or proof_size_limit exhausted; state
                                           changes discarded */
    BST_CONTRACT_ERROR = 4,      /* not run or failed before/after running: unknown
                                           contract or code, insufficient balance, duplicate
                                           contract address, LMDB failure, ... (error names it) */
} bst_contract_outcome;

#define BST_CONTRACT_FLAG_REVERT 1u /* seal_return flags bit 0 */

typedef struct bst_contract_event {
    uint8_t emitter[32]; /* the contract that emitted it */
    uint32_t ntopics;
    uint8_t (*topics)[32]; /* ntopics topics of 32 bytes */
    uint8_t *data;
    size_t data_len;
} bst_contract_event;

typedef struct bst_contract_result {
    bst_contract_outcome outcome;
    uint32_t flags; /* seal_return flags (0 when the export returned) */
    uint8_t *data;  /* return data (malloc'd; NULL when empty) */
    size_t data_len;
    uint64_t gas_used;           /* ref_time consumed (<= gas limit) */
    uint64_t gas_limit;          /* the effective ref_time limit */
    uint64_t proof_size_used;    /* proof_size consumed (<= proof_size_limit): the bytes of
                                   state proof the exec's reads would need (docs/contracts.md
                                   "Weight"); the limit when it ran out of it */
    uint64_t proof_size_limit;   /* the effective proof_size limit */
    uint8_t address[32];         /* INSTANTIATE: the new contract (valid on success or
                                           when it was derived; all zero otherwise) */
    uint8_t code_hash[32];       /* the code that ran (all zero if none) */
    uint8_t storage_deposit[16]; /* u128 LE: the storage deposit the exec charged the origin
                                    (or refunded it, storage_deposit_refund), as the pallet's
                                    StorageDeposit: storage added or freed by every frame,
                                    the new contract's base deposit, the code deposit of
                                    code given with an instantiate; computed for a dry run
                                    too, zero when the exec failed */
    bool storage_deposit_refund;
    bst_contract_event *events; /* events of successful frames, in order (an event of a
                                           frame that reverted is dropped with it) */
    size_t nevents;
    char *debug; /* debug_message text, NUL-terminated (NULL if none) */
    size_t debug_len;
    bst_trap_kind trap;   /* TRAPPED / OUT_OF_GAS: the engine trap kind */
    char error[256];      /* human-readable reason when not SUCCESS */
    bst_call_stats stats; /* the top-level frame's call of `deploy`/`call` (bastion.h; timed;
                                           its fuel is the frame's gas, nested frames included,
                                           its host calls and memory are its own); all zero when
                                           the frame did not get to run.  Freed with the result;
                                           instructions are not counted. */
} bst_contract_result;

/* Runs one top-level instantiate or call (see the model above).  Always fills *res (free it
 * with bst_contract_result_free).  Returns BST_OK when the contract ran, whatever its outcome
 * (inspect res->outcome); BST_ERR_ARG for a bad request, BST_ERR_NOMEM, or BST_ERR_INVALID when
 * the state itself fails (res->outcome is then BST_CONTRACT_ERROR).  Unknown dest / code hash,
 * too little balance and similar give BST_OK with outcome BST_CONTRACT_ERROR. */
bst_status bst_contracts_exec(bst_contracts *c, const bst_contract_exec *exec,
                              bst_contract_result *res);
void bst_contract_result_free(bst_contract_result *res);

/* Name of an outcome: "success", "reverted", "trapped", "out of gas", "error". */
const char *bst_contract_outcome_name(bst_contract_outcome o);

/* ---- chain extensions and runtime calls (chain_ext.c; docs/contracts.md) -------------------- */

/* What a chain extension handler or the runtime-call callback works with while the contract's
 * host call runs: the calling frame (its memory, gas, identity) and its storage transaction.
 * Valid only during that handler call. */
typedef struct bst_contracts_env bst_contracts_env;

/* A chain extension handler: pallet-contracts' ChainExtension::call for the functions of one
 * extension id (the upper 16 bits of the contract's func_id; func_id is the lower 16).
 *   return true:  RetVal::Converging: *ret_code is what call_chain_extension returns to the
 *                 contract; unless bst_contracts_env_diverge was called, which ends the contract
 *                 (RetVal::Diverging) with its flags and data, as seal_return does.
 *   return false: the call fails (Err): the contract traps with the message given to
 *                 bst_contracts_env_fail (or "chain extension failed").
 * After an env function returned false (out of gas, out of bounds, output too small) the
 * contract has already trapped: the handler should return false at once.  A handler runs inside
 * the exec: it must not call the handle's other functions (exec, upload, ...), only the
 * bst_contracts_env_* ones. */
typedef bool (*bst_chain_ext_fn)(void *user, bst_contracts_env *env, uint16_t func_id,
                                 uint32_t *ret_code);

typedef struct bst_chain_extension {
    uint16_t id;         /* RegisteredChainExtension::ID */
    bool disabled;       /* registered but disabled (the pallet's enabled() false): a call of
                            it fails with NoChainExtension, as an unknown id does */
    bst_chain_ext_fn fn; /* required unless disabled */
    void *user;          /* passed to fn and free_state */
    /* Optional: frees what a handler left in *bst_contracts_env_frame_state when the frame
     * (one contract execution; a nested call is another frame) ends. */
    void (*free_state)(void *user, void *state);
} bst_chain_extension;

#define BST_CONTRACTS_MAX_CHAIN_EXTENSIONS 16

/* Registers a chain extension on the handle (copied; user must outlive the handle's use).
 * BST_ERR_ARG for a bad or duplicate id, BST_ERR_LIMIT beyond the maximum.  With no enabled
 * extension registered, code importing call_chain_extension is refused at upload (pallet: "module
 * uses chain extensions but chain extensions are disabled"); code stored before and run by a
 * handle without the id it calls traps with NoChainExtension. */
bst_status bst_contracts_chain_extension(bst_contracts *c, const bst_chain_extension *ext,
                                         bst_error *err);

/* What a contract asks the runtime to dispatch. */
typedef enum bst_runtime_call_kind {
    BST_RUNTIME_CALL = 0, /* call_runtime(call, len): msg is a SCALE RuntimeCall */
    BST_XCM_EXECUTE = 1,  /* xcm_execute(msg, len): msg is a SCALE VersionedXcm */
    BST_XCM_SEND = 2,     /* xcm_send(dest, msg, len, out): dest is the contract's memory from
                             dest_ptr on (at most 1 KiB, to the end of memory: a SCALE
                             VersionedLocation decoded from its front), msg a VersionedXcm; on
                             success the callback writes the XcmHash to hash_out */
} bst_runtime_call_kind;

typedef enum bst_dispatch_result {
    BST_DISPATCH_OK = 0,     /* dispatched: ReturnCode Success */
    BST_DISPATCH_FAILED = 1, /* dispatch failed (filtered, the call's own error): ReturnCode
                                CallRuntimeFailed (10) / XcmExecutionFailed (13) / XcmSendFailed
                                (14), the reason (bst_contracts_env_fail) in the debug buffer */
    BST_DISPATCH_TRAP = 2,   /* the contract traps (e.g. DecodingFailed), bst_contracts_env_fail's
                                message as the reason */
} bst_dispatch_result;

/* The embedder's runtime: dispatches what call_runtime / xcm_execute / xcm_send ask, charging
 * its weight with bst_contracts_env_charge. */
typedef bst_dispatch_result (*bst_runtime_call_fn)(void *user, bst_contracts_env *env,
                                                   bst_runtime_call_kind kind, const uint8_t *dest,
                                                   size_t dest_len, const uint8_t *msg,
                                                   size_t msg_len, uint8_t hash_out[32]);

/* Sets (fn NULL: removes) the runtime-call callback.  Without one, call_runtime answers
 * CallRuntimeFailed, xcm_execute XcmExecutionFailed and xcm_send XcmSendFailed, with the reason
 * ("no runtime to dispatch to") in the debug buffer. */
void bst_contracts_runtime_call(bst_contracts *c, bst_runtime_call_fn fn, void *user);

/* refuse true: while no runtime-call callback is set, code importing call_runtime, xcm_execute
 * or xcm_send is refused at upload (BST_ERR_UNSUPPORTED, "... this host has no runtime to
 * dispatch it to"), for a host such as the CLI where such a call could only fail.  Default
 * false (the pallet's answer: such code uploads, its calls return the failure codes above). */
void bst_contracts_refuse_runtime_calls(bst_contracts *c, bool refuse);

/* The environment (pallet-contracts' chain_extension::Environment). */
/* The contract's input buffer (input_ptr, input_len of call_chain_extension; the call for a
 * runtime call): its length; Environment::read: copies min(max_len, its length) bytes to buf
 * (*len), charged as a read.  False after the contract trapped. */
size_t bst_contracts_env_input_len(const bst_contracts_env *env);
bool bst_contracts_env_read(bst_contracts_env *env, size_t max_len, uint8_t *buf, size_t *len);
/* Environment::write: data to the contract's output buffer (out_ptr, out_len_ptr, the size in
 * *out_len_ptr, bounds-checked; too small traps OutputBufferTooSmall); allow_skip: out_ptr
 * u32::MAX skips the copy.  Only for call_chain_extension.  False after the contract trapped. */
bool bst_contracts_env_write(bst_contracts_env *env, const uint8_t *data, size_t len,
                             bool allow_skip);
/* Environment::charge_weight: charges gas (ref_time); false when it runs out (the contract
 * traps). */
bool bst_contracts_env_charge(bst_contracts_env *env, uint64_t gas);
/* Environment::charge_weight with a whole Weight v2: ref_time and proof_size (the bytes of state
 * proof the handler's work needs, e.g. the runtime storage it read); false when either runs out
 * (the contract traps, out of gas; docs/contracts.md "Weight"). */
bool bst_contracts_env_charge_weight(bst_contracts_env *env, uint64_t ref_time,
                                     uint64_t proof_size);
/* The raw arguments (input_ptr, input_len, output_ptr, output_len_ptr): the pallet's
 * only_in val0..val3. */
void bst_contracts_env_args(const bst_contracts_env *env, uint32_t out[4]);
/* The calling contract, its caller, and whether the call is read-only. */
void bst_contracts_env_address(const bst_contracts_env *env, uint8_t out[32]);
void bst_contracts_env_caller(const bst_contracts_env *env, uint8_t out[32]);
bool bst_contracts_env_read_only(const bst_contracts_env *env);
/* A pointer slot of this extension in this frame: NULL at the frame's first call, kept across
 * the calls the same contract execution makes, freed by free_state when the frame ends (the
 * pallet keeps one extension instance per execution). */
void **bst_contracts_env_frame_state(bst_contracts_env *env);
/* Ends the contract like seal_return (flags: BST_CONTRACT_FLAG_REVERT or 0; data copied)
 * when the handler returns true (RetVal::Diverging).  Chain extensions only. */
bool bst_contracts_env_diverge(bst_contracts_env *env, uint32_t flags, const uint8_t *data,
                               size_t len);
/* The error the contract traps with (or the failure put in the debug buffer). */
void bst_contracts_env_fail(bst_contracts_env *env, const char *msg);
/* The runtime's own state, a key-value store of the chain beside the contracts', written in
 * the calling frame's storage transaction: kept only if the frame and the exec succeed, rolled
 * back with them otherwise.  get: BST_OK with *out (malloc'd, NULL when empty) / *out_len,
 * BST_ERR_NOT_FOUND when absent; set and clear: BST_OK or BST_ERR_INVALID (state failure,
 * after which the exec fails). Keys are 1..128 bytes (else BST_ERR_ARG). */
bst_status bst_contracts_env_state_get(bst_contracts_env *env, const uint8_t *key, size_t klen,
                                       uint8_t **out, size_t *out_len);
bst_status bst_contracts_env_state_set(bst_contracts_env *env, const uint8_t *key, size_t klen,
                                       const uint8_t *val, size_t vlen);
bst_status bst_contracts_env_state_clear(bst_contracts_env *env, const uint8_t *key, size_t klen);
/* The same runtime state read outside an exec (committed state), for tests and tools. */
bst_status bst_contracts_runtime_state_get(bst_contracts *c, const uint8_t *key, size_t klen,
                                           uint8_t **out, size_t *out_len);

/* ---- gas schedule (documented in docs/contracts.md) ---------------------------------------- */
/* One gas unit = one unit of engine fuel (one wasm instruction).  Host calls add: */
#define BST_CONTRACTS_GAS_HOST_CALL 100u      /* every seal call */
#define BST_CONTRACTS_GAS_PER_BYTE 1u         /* per byte read from or written to guest memory */
#define BST_CONTRACTS_GAS_STORAGE_READ 1000u  /* per storage lookup (+ per byte) */
#define BST_CONTRACTS_GAS_STORAGE_WRITE 5000u /* per storage write/clear (+ 10 per new byte) */
#define BST_CONTRACTS_GAS_STORAGE_NEW_BYTE 10u
#define BST_CONTRACTS_GAS_HASH_PER_BYTE 2u
#define BST_CONTRACTS_GAS_EVENT 2000u /* per event (+ 500 per topic + per byte) */
#define BST_CONTRACTS_GAS_EVENT_TOPIC 500u
#define BST_CONTRACTS_GAS_CALL 20000u                  /* nested call / instantiate / transfer */
#define BST_CONTRACTS_GAS_INSTANTIATE_PER_CODE_BYTE 2u /* loading (compiling) code per byte */
#define BST_CONTRACTS_GAS_CRYPTO 50000u                /* ecdsa_recover / sr25519_verify */
#define BST_CONTRACTS_GAS_TERMINATE_PER_KEY 1000u      /* terminate: per storage key deleted */

/* ---- proof size (Weight v2's second dimension; docs/contracts.md "Weight") ------------------ */
/* An exec's proof_size is the bytes of state a light client (or a relay-chain validator) would
 * need to re-run it.  Every state item a frame reads or writes adds
 *     BST_CONTRACTS_PROOF_PER_ITEM + key length + length of the value stored before the access
 * (0 when absent): the code a frame loads (key: the 32-byte code hash, value: the code), the
 * contract's info record (key: the address, value: BST_CONTRACTS_PROOF_CONTRACT_INFO bytes),
 * each contract storage item (key: the contract's key, 32 for a fixed key), a code hash looked
 * up (set_code_hash, delegate dependencies: the hash, no value); terminate adds the item
 * overhead per storage key it deletes.  Other host functions add nothing.
 * PER_ITEM stands for the trie nodes on an item's path: the base of pallet-contracts'
 * benchmarked proof_size of seal_get_storage.  CONTRACT_INFO is the info record: code hash (32)
 * ++ storage id (8).  DEFAULT_PROOF_SIZE is default_proof_limit's default. */
#define BST_CONTRACTS_PROOF_PER_ITEM 248u
#define BST_CONTRACTS_PROOF_CONTRACT_INFO 40u
#define BST_CONTRACTS_DEFAULT_PROOF_SIZE (5u * 1024u * 1024u)

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_CONTRACTS_H */
