/*
 * exec.h — the execution context shared by the files of one exec: the exec (ctr_exec, the
 * events and debug buffer it collects), its frames (ctr_frame: one contract running, with its
 * own bst_store and nested LMDB transaction) and what a frame ends with.  exec.c runs the
 * top-level frame, frame.c runs a frame and keeps the call stack, seal.c holds the host
 * functions a frame's contract calls, module_cache.c the compiled modules frames run.
 * Internal to src/contracts/.
 */
#ifndef BASTION_CONTRACTS_EXEC_H
#define BASTION_CONTRACTS_EXEC_H

#include "contracts_impl.h"
#include "seal_table.h"

typedef struct ctr_exec ctr_exec;
typedef struct ctr_frame ctr_frame;

/* ---- storage deposits (deposit.c), after pallet-contracts' storage/meter.rs ---- */

/* A deposit: a charge to the origin, or a refund to it. */
typedef struct ctr_deposit {
    ctr_u128 amount;
    bool refund;
} ctr_deposit;

/* What one frame's contract owes or gets back, settled when the exec ends. */
typedef struct ctr_charge {
    uint8_t contract[32];
    ctr_deposit amount;
} ctr_charge;

/* A frame's storage meter (the pallet's RawMeter): its limit, what its finished callees and
 * its contract's instantiation added up to, its own storage changes, and the charges to settle
 * at the end. */
typedef struct ctr_meter {
    ctr_u128 limit;
    bool own_limit; /* a limit of its own (seal2 call/instantiate): checked when it returns */
    ctr_deposit total;
    uint32_t bytes_added, bytes_removed, items_added, items_removed;
    bool terminated;
    ctr_u128 terminate_refund; /* every deposit the terminated contract held */
    ctr_charge *charges;
    size_t ncharges, cap;
} ctr_meter;

/* How a frame ended when its contract trapped through a host function (ctr_frame.exit):
 * EXIT_OOG ran out of ref_time (a host charge), EXIT_OOG_PROOF out of proof_size. */
enum { EXIT_NONE = 0, EXIT_RETURN, EXIT_TERMINATE, EXIT_OOG, EXIT_ERROR, EXIT_OOG_PROOF };

/* A Weight (pallet-contracts' Weight v2): ref_time is gas (engine fuel + host charges),
 * proof_size the bytes of state proof (the model: bastion_contracts.h, "proof size"). */
typedef struct ctr_weight {
    uint64_t ref_time, proof_size;
} ctr_weight;

/* What a frame runs: a contract's `call`, a new contract's `deploy`, or other code's `call`
 * in the calling contract's context (delegate_call). */
enum { FRAME_CALL = 0, FRAME_INSTANTIATE, FRAME_DELEGATE };

struct ctr_frame {
    ctr_exec *x;
    ctr_frame *parent;
    int kind;       /* FRAME_CALL / FRAME_INSTANTIATE / FRAME_DELEGATE */
    unsigned depth; /* 0 for the top-level frame */
    uint8_t address[32], caller[32];
    ctr_contract_info info;
    ctr_u128 value;
    const uint8_t *input;
    size_t input_len;
    MDB_txn *txn;
    bst_store *store;
    bst_memory *mem;
    bool allow_reentry;   /* may a callee re-enter this contract? */
    bool input_forwarded; /* FORWARD_INPUT gave the input away */
    bool read_only;       /* called with READ_ONLY (or below such a call) */
    int exit;
    uint32_t ret_flags;
    uint8_t *ret_data;
    size_t ret_len;
    char msg[200];
    bst_lease *lease; /* the pooled instance the frame runs on (its store is `store`) */
    ctr_meter meter;  /* its storage deposits (deposit.c) */
    /* proof_size: the frame's limit and what it used so far (its callees' included); the
     * ref_time counterpart is the store's fuel */
    uint64_t proof_limit, proof_used;
    void *ext_state[BST_CONTRACTS_MAX_CHAIN_EXTENSIONS]; /* per chain extension (chain_ext.c) */
};

/* What a pooled contract instance's seal functions are bound to (their env, and the
 * instance's user data): the frame running on the instance now, set after each acquire. */
typedef struct ctr_slot {
    ctr_frame *frame;
    bst_memory *mem; /* the imported env.memory */
} ctr_slot;

struct ctr_exec {
    bst_contracts *c;
    const bst_contracts_config *cfg;
    uint8_t origin[32];
    uint64_t block;
    bst_contract_event *ev;
    size_t nev, evcap;
    size_t ev_bytes; /* ev_size() (seal.c) of the events in ev */
    char *dbg;
    size_t dbg_len;
    int fatal; /* an LMDB or allocation failure: the exec is void */
    /* bst_contract_exec's limits, applied to every frame's store */
    uint64_t deadline;
    uint32_t page_cap; /* UINT32_MAX: none */
    bst_ticket *ticket;
    bst_call_stats stats; /* the top-level frame's call (bst_contract_result.stats) */
    bst_sampler sampler;  /* bst_contract_exec.sampler, for every frame's store */
    ctr_meter root;       /* the exec's storage meter: what the top-level frame left */
    /* a deposit limit a seal2 call / instantiate gives the frame it starts (taken by it) */
    bool callee_limit_set;
    ctr_u128 callee_limit;
};

typedef struct frame_result {
    bst_contract_outcome outcome;
    uint32_t flags;
    uint8_t *data;
    size_t len;
    bst_trap_kind trap;
    bool deposit_exhausted; /* it returned, but its storage deposits passed its own limit */
    uint64_t gas_used;      /* ref_time */
    uint64_t proof_used;    /* proof_size */
    char msg[256];
} frame_result;

/* What ctr_run_frame did: ran the frame (PRE_RAN), or why it did not. */
enum {
    PRE_RAN = 0,
    PRE_NOT_CONTRACT,
    PRE_CODE_NOT_FOUND,
    PRE_TRANSFER_FAILED,
    PRE_DEPTH,
    PRE_REENTRY,
    PRE_DUPLICATE,
    PRE_DEPOSIT_LIMIT, /* the new contract's base deposit is above the limit */
    PRE_FATAL
};

/* The frames of a contract on the call stack, from f down to the top-level frame. */
typedef struct stack_scan {
    uint32_t entries;     /* frames of addr, delegate_call frames not counted (pallet's
                                account_reentrance_count) */
    bool any;             /* a frame of addr, delegate frames included */
    bool refuses_reentry; /* one of them is in a call that did not allow reentry */
    bool constructing;    /* one of them is addr's constructor (`deploy`) */
} stack_scan;

CTR_FUNC stack_scan ctr_scan_stack(const ctr_frame *f, const uint8_t addr[32]); /* frame.c */

/* Runs one frame (frame.c): a call of target (FRAME_CALL), an instantiation of the code hash
 * target (FRAME_INSTANTIATE; its address to addr_out) or the code hash target in the parent's
 * context (FRAME_DELEGATE), with limit as its limits, in a transaction nested in ptxn that is
 * committed only on success.  Returns PRE_RAN with *r filled, or why it did not run. */
CTR_FUNC int ctr_run_frame(ctr_exec *x, ctr_frame *parent, MDB_txn *ptxn, int kind, bool read_only,
                           const uint8_t caller[32], const uint8_t target[32], ctr_u128 value,
                           const uint8_t *input, size_t input_len, const uint8_t *salt,
                           size_t salt_len, ctr_weight limit, uint8_t addr_out[32],
                           frame_result *r);

/* The proof_size of one state item (bastion_contracts.h): the item overhead, its key and the
 * value it held (0 when absent). */
static inline uint64_t ctr_proof_item(size_t key_len, size_t value_len) {
    return (uint64_t)BST_CONTRACTS_PROOF_PER_ITEM + key_len + value_len;
}

/* Storage deposits (deposit.c).  A frame's meter starts from its parent's (or the exec's
 * root meter), taking a limit given with x->callee_limit. */
CTR_FUNC void ctr_meter_start(ctr_frame *f);
/* A storage write of the frame's contract: the old value (old_present, old_len), the new one,
 * and the key's length in the pallet's trie (32 for a fixed key, 16 + length for a variable
 * one). */
CTR_FUNC void ctr_meter_storage(ctr_frame *f, bool old_present, size_t old_len, bool new_present,
                                size_t new_len, size_t key_len);
/* The new contract's base deposit and existential deposit, paid by the origin when a frame
 * instantiates (info is updated): PRE_RAN, PRE_DEPOSIT_LIMIT, PRE_TRANSFER_FAILED or
 * PRE_FATAL (x->fatal set). */
CTR_FUNC int ctr_meter_instantiate(ctr_frame *f, ctr_contract_info *info);
/* The frame's contract was terminated: everything it held is refunded (info as it was). */
CTR_FUNC void ctr_meter_terminate(ctr_frame *f, const ctr_contract_info *info);
/* A frame returned successfully: its own deposit is computed (the contract's info updated in
 * the frame's transaction), its limit checked (false: exhausted; MDB error in *rc) and the
 * meter absorbed by its parent's (or the root).  */
CTR_FUNC bool ctr_meter_finish(ctr_frame *f, int *rc);
CTR_FUNC void ctr_meter_free(ctr_meter *m);
/* The root limit of an exec for the origin (pallet check_limit): what it can pay beyond the
 * existential deposit and min_leftover; false (StorageDepositNotEnoughFunds) when a given
 * limit is above that. */
CTR_FUNC int ctr_meter_root(ctr_exec *x, MDB_txn *t, const ctr_u128 *limit, ctr_u128 min_leftover,
                            bool *ok);
/* Settles the charges the exec collected (refunds first, then charges) in t; *total the net
 * deposit.  MDB_NOTFOUND when the origin cannot pay. */
CTR_FUNC int ctr_meter_settle(ctr_exec *x, MDB_txn *t, ctr_deposit *total);
/* a + b of two signed deposits */
CTR_FUNC ctr_deposit ctr_deposit_add(ctr_deposit a, ctr_deposit b);

/* Drops the exec's events after the first n (those of a frame that failed), seal.c. */
CTR_FUNC void ctr_truncate_events(ctr_exec *x, size_t n);

/* The compiled module of the code under hash, with a reference for the caller (give it back
 * with ctr_module_release); module_cache.c.  NULL with *rc_out: the LMDB error, -1 out of
 * memory. */
CTR_FUNC ctr_module *ctr_module_load(ctr_exec *x, MDB_txn *t, const uint8_t hash[32], int *rc_out);

/* What seal.c shares with chain_ext.c: the host functions' gas charge, checked reads of the
 * contract's memory, the output-buffer convention, traps and the debug buffer (each false or
 * NULL after trapping the contract). */
CTR_FUNC bool ctr_seal_charge(ctr_frame *f, bst_caller *c, uint64_t amount);
CTR_FUNC bool ctr_seal_charge_proof(ctr_frame *f, bst_caller *c, uint64_t bytes);
CTR_FUNC const uint8_t *ctr_seal_view(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t len);
CTR_FUNC bool ctr_seal_write_output(ctr_frame *f, bst_caller *c, uint32_t out_ptr,
                                    uint32_t out_len_ptr, const uint8_t *buf, size_t len,
                                    bool allow_skip);
CTR_FUNC bool ctr_seal_trap(ctr_frame *f, bst_caller *c, const char *msg);
CTR_FUNC bool ctr_seal_fatal(ctr_frame *f, bst_caller *c, int rc);
CTR_FUNC void ctr_seal_debug_append(ctr_frame *f, const char *text, size_t len);

/* The seal functions that call the embedder (chain_ext.c): call_chain_extension(id, in,
 * in_len, out, out_len_ptr) and call_runtime / xcm_execute / xcm_send, ReturnCode through ret. */
CTR_FUNC bool ctr_call_chain_extension(ctr_frame *f, bst_caller *c, const bst_value *args,
                                       bst_value *ret);
CTR_FUNC bool ctr_dispatch_runtime(ctr_frame *f, bst_caller *c, bst_runtime_call_kind kind,
                                   uint32_t dest_ptr, uint32_t msg_ptr, uint32_t msg_len,
                                   uint32_t out_ptr, bst_value *ret);
/* Frees the chain extensions' state of a frame that ends. */
CTR_FUNC void ctr_chain_ext_frame_end(ctr_frame *f);

static inline uint64_t ctr_sat_mul(uint64_t a, uint64_t b) {
    if (a && b > UINT64_MAX / a) return UINT64_MAX;
    return a * b;
}
static inline uint64_t ctr_sat_add(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

#endif
