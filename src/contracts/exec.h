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

/* How a frame ended when its contract trapped through a host function (ctr_frame.exit). */
enum { EXIT_NONE = 0, EXIT_RETURN, EXIT_TERMINATE, EXIT_OOG, EXIT_ERROR };

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
};

typedef struct frame_result {
    bst_contract_outcome outcome;
    uint32_t flags;
    uint8_t *data;
    size_t len;
    bst_trap_kind trap;
    uint64_t gas_used;
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
 * context (FRAME_DELEGATE), with gas as its limit, in a transaction nested in ptxn that is
 * committed only on success.  Returns PRE_RAN with *r filled, or why it did not run. */
CTR_FUNC int ctr_run_frame(ctr_exec *x, ctr_frame *parent, MDB_txn *ptxn, int kind, bool read_only,
                           const uint8_t caller[32], const uint8_t target[32], ctr_u128 value,
                           const uint8_t *input, size_t input_len, const uint8_t *salt,
                           size_t salt_len, uint64_t gas, uint8_t addr_out[32], frame_result *r);

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
