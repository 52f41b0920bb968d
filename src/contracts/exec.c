/*
 * exec.c — contract execution: frames (one bst_store and one nested LMDB transaction each),
 * the seal host functions with pallet-contracts' semantics, gas (engine fuel plus the host-call
 * weights of bastion_contracts.h), events and the debug buffer, and bst_contracts_exec(): one
 * top-level LMDB write transaction committed only on success.
 *
 * Why one store per frame: a store frees its instances and memories only as a whole, so a
 * contract making many sequential calls would otherwise keep every callee's memory alive until
 * the end of the exec.  Gas moves between the stores: a callee's store gets the callee's limit
 * as fuel and the caller is charged what the callee used.
 */
#include "contracts_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>

#include "bastion_crypto.h"
#include "bastion_scale.h"

/* pallet-contracts CallFlags. */
#define CALL_FORWARD_INPUT 1u
#define CALL_CLONE_INPUT 2u
#define CALL_TAIL_CALL 4u
#define CALL_ALLOW_REENTRY 8u
#define CALL_READ_ONLY 16u
#define CALL_ALL_FLAGS 31u

/* Milliseconds per block for seal `now` (blocks are numbered by committed execs). */
#define CTR_BLOCK_MS 6000u

typedef struct ctr_exec ctr_exec;
typedef struct ctr_frame ctr_frame;

typedef struct ctr_hostenv {
    ctr_frame *f;
    int id;
} ctr_hostenv;

enum { EXIT_NONE = 0, EXIT_RETURN, EXIT_TERMINATE, EXIT_OOG, EXIT_ERROR };

/* What a frame runs: a contract's `call`, a new contract's `deploy`, or other code's `call`
 * in the calling contract's context (delegate_call). */
enum { FRAME_CALL = 0, FRAME_INSTANTIATE, FRAME_DELEGATE };

struct ctr_frame {
    ctr_exec *x;
    ctr_frame *parent;
    int kind;                         /* FRAME_CALL / FRAME_INSTANTIATE / FRAME_DELEGATE */
    unsigned depth;                   /* 0 for the top-level frame */
    uint8_t address[32], caller[32];
    ctr_contract_info info;
    ctr_u128 value;
    const uint8_t *input;
    size_t input_len;
    MDB_txn *txn;
    bst_store *store;
    bst_memory *mem;
    bool allow_reentry;               /* may a callee re-enter this contract? */
    bool input_forwarded;             /* FORWARD_INPUT gave the input away */
    bool read_only;                   /* called with READ_ONLY (or below such a call) */
    int exit;
    uint32_t ret_flags;
    uint8_t *ret_data;
    size_t ret_len;
    char msg[200];
    bst_func *funcs[CTR_SEAL_COUNT];
    ctr_hostenv envs[CTR_SEAL_COUNT];
};

struct ctr_exec {
    bst_contracts *c;
    const bst_contracts_config *cfg;
    uint8_t origin[32];
    uint64_t block;
    bst_contract_event *ev;
    size_t nev, evcap;
    size_t ev_bytes;                  /* ev_size() of the events in ev */
    char *dbg;
    size_t dbg_len;
    int fatal;                        /* an LMDB or allocation failure: the exec is void */
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

enum { PRE_RAN = 0, PRE_NOT_CONTRACT, PRE_CODE_NOT_FOUND, PRE_TRANSFER_FAILED, PRE_DEPTH,
       PRE_REENTRY, PRE_DUPLICATE, PRE_FATAL };

static int run_frame(ctr_exec *x, ctr_frame *parent, MDB_txn *ptxn, int kind, bool read_only,
                     const uint8_t caller[32], const uint8_t target[32], ctr_u128 value,
                     const uint8_t *input, size_t input_len, const uint8_t *salt, size_t salt_len,
                     uint64_t gas, uint8_t addr_out[32], frame_result *r);

/* ---- small helpers ---------------------------------------------------------------------- */


static uint64_t sat_mul(uint64_t a, uint64_t b) {
    if (a && b > UINT64_MAX / a) return UINT64_MAX;
    return a * b;
}
static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* Ends the frame with a host-detected error (a trap of the contract). */
static bool trapf(ctr_frame *f, bst_caller *c, const char *fmt, const char *arg) {
    if (f->exit == EXIT_NONE) {
        f->exit = EXIT_ERROR;
        snprintf(f->msg, sizeof f->msg, fmt, arg ? arg : "");
    }
    bst_caller_trap(c, f->msg);
    return false;
}

static bool charge(ctr_frame *f, bst_caller *c, uint64_t amount) {
    uint64_t left = bst_store_fuel(f->store);
    if (amount > left) {
        bst_store_set_fuel(f->store, 0);
        f->exit = EXIT_OOG;
        snprintf(f->msg, sizeof f->msg, "out of gas");
        bst_caller_trap(c, "out of gas");
        return false;
    }
    bst_store_set_fuel(f->store, left - amount);
    return true;
}

/* A view of guest memory [ptr, ptr+len), charged per byte; traps when out of bounds. */
static const uint8_t *view(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t len) {
    if (!charge(f, c, sat_mul(len, BST_CONTRACTS_GAS_PER_BYTE))) return NULL;
    static const uint8_t empty = 0;
    if (len == 0) {
        /* still bounds-check the pointer itself, as a zero-length read at ptr */
        if ((uint64_t)ptr > bst_memory_size(f->mem)) {
            trapf(f, c, "OutOfBounds: pointer outside contract memory%s", NULL);
            return NULL;
        }
        return &empty;
    }
    const uint8_t *p = bst_memory_slice(f->mem, ptr, len);
    if (!p) trapf(f, c, "OutOfBounds: pointer outside contract memory%s", NULL);
    return p;
}

static bool rd(ctr_frame *f, bst_caller *c, uint32_t ptr, void *dst, uint32_t len) {
    const uint8_t *p = view(f, c, ptr, len);
    if (!p) return false;
    if (len) memcpy(dst, p, len);
    return true;
}

static bool wr(ctr_frame *f, bst_caller *c, uint32_t ptr, const void *src, uint32_t len) {
    if (!charge(f, c, sat_mul(len, BST_CONTRACTS_GAS_PER_BYTE))) return false;
    if (len == 0) {   /* src may be NULL (empty return data): only the pointer is checked */
        if ((uint64_t)ptr > bst_memory_size(f->mem))
            return trapf(f, c, "OutOfBounds: pointer outside contract memory%s", NULL);
        return true;
    }
    if (!bst_memory_write(f->mem, ptr, src, len))
        return trapf(f, c, "OutOfBounds: pointer outside contract memory%s", NULL);
    return true;
}

/* pallet-contracts write_sandbox_output: *out_len_ptr holds the buffer size; too small traps
 * (OutputBufferTooSmall); SENTINEL as out_ptr skips the copy when allowed. */
static bool write_output(ctr_frame *f, bst_caller *c, uint32_t out_ptr, uint32_t out_len_ptr,
                         const uint8_t *buf, size_t len, bool allow_skip) {
    if (allow_skip && out_ptr == CTR_SENTINEL) return true;
    uint8_t lb[4];
    if (!rd(f, c, out_len_ptr, lb, 4)) return false;
    uint32_t cap = (uint32_t)lb[0] | (uint32_t)lb[1] << 8 | (uint32_t)lb[2] << 16 |
                   (uint32_t)lb[3] << 24;
    if (len > cap) return trapf(f, c, "OutputBufferTooSmall%s", NULL);
    if (!wr(f, c, out_ptr, buf, (uint32_t)len)) return false;
    ctr_put_le32(lb, (uint32_t)len);
    return wr(f, c, out_len_ptr, lb, 4);
}

static bool fatal(ctr_frame *f, bst_caller *c, int rc) {
    if (!f->x->fatal) f->x->fatal = rc ? rc : -1;
    return trapf(f, c, "state failure: %s", rc > 0 || rc < -1 ? mdb_strerror(rc) : "out of memory");
}

/* ---- storage ------------------------------------------------------------------------------ */

/* Reads a storage key, fixed (32 bytes, key_len == SENTINEL: seal0/seal1 calls with a key
 * pointer only) or variable length, into the stored form: its kind tag then its bytes.
 * pallet-contracts keeps the two kinds in different slots (blake2_256(k) for a fixed key,
 * Blake2_128Concat(k) for a variable one), so a 32-byte key of each kind is two slots. */
static bool read_key(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t key_len,
                     uint8_t key[CTR_STORED_KEY_MAX], uint32_t *klen) {
    key[0] = key_len == CTR_SENTINEL ? CTR_KEY_FIXED : CTR_KEY_VAR;
    if (key_len == CTR_SENTINEL) key_len = 32;
    else if (key_len > f->x->cfg->max_storage_key_bytes)
        return trapf(f, c, "DecodingFailed: storage key longer than the limit%s", NULL);
    *klen = 1 + key_len;
    return rd(f, c, ptr, key + 1, key_len);
}

/* set_storage: returns the previous value's size or SENTINEL through *old. */
static bool do_set_storage(ctr_frame *f, bst_caller *c, uint32_t key_ptr, uint32_t key_len,
                           uint32_t val_ptr, uint32_t val_len, uint32_t *old) {
    uint8_t key[CTR_STORED_KEY_MAX];
    uint32_t klen;
    if (!charge(f, c, BST_CONTRACTS_GAS_STORAGE_WRITE)) return false;
    if (val_len > f->x->cfg->max_storage_value_bytes)
        return trapf(f, c, "ValueTooLarge: storage value above the limit%s", NULL);
    if (!read_key(f, c, key_ptr, key_len, key, &klen)) return false;
    const uint8_t *val = view(f, c, val_ptr, val_len);
    if (!val) return false;
    MDB_val ov;
    int rc = ctr_storage_get(f->x->c, f->txn, f->info.storage_id, key, klen, &ov);
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    size_t oldlen = rc == MDB_NOTFOUND ? 0 : ov.mv_size;
    *old = rc == MDB_NOTFOUND ? CTR_SENTINEL : (uint32_t)ov.mv_size;
    /* storage growth pays per new byte */
    if (val_len > oldlen &&
        !charge(f, c, sat_mul(val_len - oldlen, BST_CONTRACTS_GAS_STORAGE_NEW_BYTE)))
        return false;
    rc = ctr_storage_put(f->x->c, f->txn, f->info.storage_id, key, klen, val, val_len);
    if (rc) return fatal(f, c, rc);
    return true;
}

/* The first steps every storage read shares: charge `cost`, read the key, look it up.  False
 * after trapping; else *found tells whether *v holds the stored value (valid until the next
 * write in the transaction). */
static bool storage_lookup(ctr_frame *f, bst_caller *c, uint64_t cost, uint32_t key_ptr,
                           uint32_t key_len, uint8_t key[CTR_STORED_KEY_MAX], uint32_t *klen,
                           MDB_val *v, bool *found) {
    if (!charge(f, c, cost)) return false;
    if (!read_key(f, c, key_ptr, key_len, key, klen)) return false;
    int rc = ctr_storage_get(f->x->c, f->txn, f->info.storage_id, key, *klen, v);
    *found = rc == 0;
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    return true;
}

static bool do_clear_storage(ctr_frame *f, bst_caller *c, uint32_t key_ptr, uint32_t key_len,
                             uint32_t *old) {
    uint8_t key[CTR_STORED_KEY_MAX];
    uint32_t klen;
    MDB_val ov;
    bool found;
    if (!storage_lookup(f, c, BST_CONTRACTS_GAS_STORAGE_WRITE, key_ptr, key_len, key, &klen, &ov,
                        &found))
        return false;
    if (!found) {
        *old = CTR_SENTINEL;
        return true;
    }
    *old = (uint32_t)ov.mv_size;
    int rc = ctr_storage_del(f->x->c, f->txn, f->info.storage_id, key, klen);
    if (rc) return fatal(f, c, rc);
    return true;
}

/* get (take = false) / take (take = true): ReturnCode through *ret. */
static bool do_get_storage(ctr_frame *f, bst_caller *c, uint32_t key_ptr, uint32_t key_len,
                           uint32_t out_ptr, uint32_t out_len_ptr, bool take, uint32_t *ret) {
    uint8_t key[CTR_STORED_KEY_MAX];
    uint32_t klen;
    MDB_val v;
    bool found;
    if (!storage_lookup(f, c,
                        take ? BST_CONTRACTS_GAS_STORAGE_WRITE : BST_CONTRACTS_GAS_STORAGE_READ,
                        key_ptr, key_len, key, &klen, &v, &found))
        return false;
    if (!found) {
        *ret = RC_KEY_NOT_FOUND;
        return true;
    }
    /* copy out: the LMDB page may change with the delete below */
    uint8_t *copy = malloc(v.mv_size ? v.mv_size : 1);
    if (!copy) return fatal(f, c, -1);
    memcpy(copy, v.mv_data, v.mv_size);
    size_t vlen = v.mv_size;
    if (take) {
        int rc = ctr_storage_del(f->x->c, f->txn, f->info.storage_id, key, klen);
        if (rc) {
            free(copy);
            return fatal(f, c, rc);
        }
    }
    bool ok = write_output(f, c, out_ptr, out_len_ptr, copy, vlen, false);
    free(copy);
    *ret = RC_SUCCESS;
    return ok;
}

static bool do_contains_storage(ctr_frame *f, bst_caller *c, uint32_t key_ptr, uint32_t key_len,
                                uint32_t *ret) {
    uint8_t key[CTR_STORED_KEY_MAX];
    uint32_t klen;
    MDB_val v;
    bool found;
    if (!storage_lookup(f, c, BST_CONTRACTS_GAS_STORAGE_READ, key_ptr, key_len, key, &klen, &v,
                        &found))
        return false;
    *ret = found ? (uint32_t)v.mv_size : CTR_SENTINEL;
    return true;
}

/* ---- calls and instantiation ------------------------------------------------------------- */

/* The frames of a contract on the call stack, from f down to the top-level frame. */
typedef struct stack_scan {
    uint32_t entries;        /* frames of addr, delegate_call frames not counted (pallet's
                                account_reentrance_count) */
    bool any;                /* a frame of addr, delegate frames included */
    bool refuses_reentry;    /* one of them is in a call that did not allow reentry */
    bool constructing;       /* one of them is addr's constructor (`deploy`) */
} stack_scan;

static stack_scan scan_stack(const ctr_frame *f, const uint8_t addr[32]) {
    stack_scan s = {0, false, false, false};
    for (const ctr_frame *p = f; p; p = p->parent) {
        if (memcmp(p->address, addr, 32) != 0) continue;
        s.any = true;
        if (p->kind != FRAME_DELEGATE) s.entries++;
        if (!p->allow_reentry) s.refuses_reentry = true;
        if (p->kind == FRAME_INSTANTIATE) s.constructing = true;
    }
    return s;
}

/* seal call (delegate false: callee_ptr is the callee's address) and delegate_call (delegate
 * true: callee_ptr is a code hash run in this contract's context; no value, all gas left). */
static bool do_call(ctr_frame *f, bst_caller *c, bool delegate, uint32_t flags,
                    uint32_t callee_ptr, uint64_t gas, uint32_t value_ptr, uint32_t input_ptr,
                    uint32_t input_len, uint32_t out_ptr, uint32_t out_len_ptr, uint32_t *ret) {
    if (flags & ~CALL_ALL_FLAGS) return trapf(f, c, "InvalidCallFlags%s", NULL);
    if (delegate && (flags & (CALL_ALLOW_REENTRY | CALL_READ_ONLY)))
        return trapf(f, c, "InvalidCallFlags: ALLOW_REENTRY or READ_ONLY with delegate_call%s",
                     NULL);
    if ((flags & (CALL_FORWARD_INPUT | CALL_CLONE_INPUT)) ==
        (CALL_FORWARD_INPUT | CALL_CLONE_INPUT))
        return trapf(f, c, "InvalidCallFlags: FORWARD_INPUT with CLONE_INPUT%s", NULL);
    if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
    uint8_t callee[32], vb[16] = {0};
    if (!rd(f, c, callee_ptr, callee, 32)) return false;
    if (!delegate && !rd(f, c, value_ptr, vb, 16)) return false;
    uint8_t *input = NULL;
    size_t ilen = 0;
    if (flags & (CALL_FORWARD_INPUT | CALL_CLONE_INPUT)) {
        if (f->input_forwarded) return trapf(f, c, "InputForwarded%s", NULL);
        /* FORWARD_INPUT hands the input over: this frame cannot read it any more */
        if (flags & CALL_FORWARD_INPUT) f->input_forwarded = true;
        ilen = f->input_len;
        if (!charge(f, c, sat_mul(ilen, BST_CONTRACTS_GAS_PER_BYTE))) return false;
        input = malloc(ilen ? ilen : 1);
        if (!input) return fatal(f, c, -1);
        if (ilen) memcpy(input, f->input, ilen);
    } else {
        if (input_len > f->x->cfg->max_input_bytes)
            return trapf(f, c, "call input larger than the limit%s", NULL);
        const uint8_t *p = view(f, c, input_ptr, input_len);
        if (!p) return false;
        ilen = input_len;
        input = malloc(ilen ? ilen : 1);
        if (!input) return fatal(f, c, -1);
        if (ilen) memcpy(input, p, ilen);
    }
    uint64_t remaining = bst_store_fuel(f->store);
    uint64_t limit = (gas == 0 || gas > remaining) ? remaining : gas;
    /* pallet-contracts: only a call's missing ALLOW_REENTRY protects the caller; a
     * delegate_call (like an instantiation) leaves it re-enterable */
    f->allow_reentry = delegate || (flags & CALL_ALLOW_REENTRY) || f->x->cfg->allow_reentry;
    frame_result r;
    if (!delegate && !ctr_u128_is_zero(ctr_u128_load(vb)) &&
        (f->read_only || (flags & CALL_READ_ONLY))) {
        free(input);
        return trapf(f, c, "StateChangeDenied: value transfer in a read-only call%s", NULL);
    }
    int pre = run_frame(f->x, f, f->txn, delegate ? FRAME_DELEGATE : FRAME_CALL,
                        (flags & CALL_READ_ONLY) != 0, delegate ? f->caller : f->address, callee,
                        delegate ? f->value : ctr_u128_load(vb), input, ilen, NULL, 0, limit, NULL,
                        &r);
    free(input);
    f->allow_reentry = false;
    bst_store_set_fuel(f->store, remaining - (r.gas_used > remaining ? remaining : r.gas_used));
    switch (pre) {
    case PRE_NOT_CONTRACT: *ret = RC_NOT_CALLABLE; return true;
    case PRE_TRANSFER_FAILED: *ret = RC_TRANSFER_FAILED; return true;
    case PRE_CODE_NOT_FOUND: *ret = RC_CODE_NOT_FOUND; return true;
    case PRE_DEPTH: return trapf(f, c, "MaxCallDepthReached%s", NULL);
    case PRE_REENTRY: return trapf(f, c, "ReentranceDenied%s", NULL);
    case PRE_FATAL: return fatal(f, c, f->x->fatal);
    default: break;
    }
    bool ok = true;
    if (r.outcome == BST_CONTRACT_SUCCESS || r.outcome == BST_CONTRACT_REVERTED) {
        *ret = r.outcome == BST_CONTRACT_REVERTED ? RC_CALLEE_REVERTED : RC_SUCCESS;
        if (flags & CALL_TAIL_CALL) {
            /* the caller returns what the callee returned */
            f->exit = EXIT_RETURN;
            f->ret_flags = r.flags;
            f->ret_data = r.data;
            f->ret_len = r.len;
            bst_caller_trap(c, "tail call returned");
            return false;
        }
        ok = write_output(f, c, out_ptr, out_len_ptr, r.data, r.len, true);
    } else if (r.outcome == BST_CONTRACT_ERROR) {
        free(r.data);
        return fatal(f, c, f->x->fatal);
    } else {
        *ret = RC_CALLEE_TRAPPED;
    }
    free(r.data);
    return ok;
}

static bool do_instantiate(ctr_frame *f, bst_caller *c, uint32_t code_hash_ptr, uint64_t gas,
                           uint32_t value_ptr, uint32_t input_ptr, uint32_t input_len,
                           uint32_t addr_ptr, uint32_t addr_len_ptr, uint32_t out_ptr,
                           uint32_t out_len_ptr, uint32_t salt_ptr, uint32_t salt_len,
                           uint32_t *ret) {
    if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
    uint8_t hash[32], vb[16];
    if (!rd(f, c, code_hash_ptr, hash, 32) || !rd(f, c, value_ptr, vb, 16)) return false;
    if (input_len > f->x->cfg->max_input_bytes || salt_len > f->x->cfg->max_input_bytes)
        return trapf(f, c, "instantiate input or salt larger than the limit%s", NULL);
    const uint8_t *ip = view(f, c, input_ptr, input_len);
    if (!ip) return false;
    uint8_t *input = malloc(input_len ? input_len : 1);
    if (!input) return fatal(f, c, -1);
    if (input_len) memcpy(input, ip, input_len);
    const uint8_t *sp = view(f, c, salt_ptr, salt_len);
    if (!sp) {
        free(input);
        return false;
    }
    uint8_t *salt = malloc(salt_len ? salt_len : 1);
    if (!salt) {
        free(input);
        return fatal(f, c, -1);
    }
    if (salt_len) memcpy(salt, sp, salt_len);
    uint64_t remaining = bst_store_fuel(f->store);
    uint64_t limit = (gas == 0 || gas > remaining) ? remaining : gas;
    f->allow_reentry = true;   /* pallet-contracts' instantiate leaves the caller re-enterable */
    frame_result r;
    uint8_t addr[32];
    int pre = run_frame(f->x, f, f->txn, FRAME_INSTANTIATE, false, f->address, hash,
                        ctr_u128_load(vb), input,
                        input_len, salt, salt_len, limit, addr, &r);
    f->allow_reentry = false;
    free(input);
    free(salt);
    bst_store_set_fuel(f->store, remaining - (r.gas_used > remaining ? remaining : r.gas_used));
    switch (pre) {
    case PRE_CODE_NOT_FOUND: *ret = RC_CODE_NOT_FOUND; return true;
    case PRE_TRANSFER_FAILED: *ret = RC_TRANSFER_FAILED; return true;
    case PRE_DEPTH: return trapf(f, c, "MaxCallDepthReached%s", NULL);
    case PRE_DUPLICATE: return trapf(f, c, "DuplicateContract%s", NULL);
    case PRE_FATAL: return fatal(f, c, f->x->fatal);
    default: break;
    }
    bool ok = true;
    if (r.outcome == BST_CONTRACT_SUCCESS || r.outcome == BST_CONTRACT_REVERTED) {
        *ret = r.outcome == BST_CONTRACT_REVERTED ? RC_CALLEE_REVERTED : RC_SUCCESS;
        if (r.outcome == BST_CONTRACT_SUCCESS)
            ok = write_output(f, c, addr_ptr, addr_len_ptr, addr, 32, true);
        if (ok) ok = write_output(f, c, out_ptr, out_len_ptr, r.data, r.len, true);
    } else if (r.outcome == BST_CONTRACT_ERROR) {
        free(r.data);
        return fatal(f, c, f->x->fatal);
    } else {
        *ret = RC_CALLEE_TRAPPED;
    }
    free(r.data);
    return ok;
}

static bool do_terminate(ctr_frame *f, bst_caller *c, uint32_t ben_ptr) {
    if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
    uint8_t ben[32];
    if (!rd(f, c, ben_ptr, ben, 32)) return false;
    if (scan_stack(f->parent, f->address).any)
        return trapf(f, c, "TerminatedWhileReentrant%s", NULL);
    /* pallet-contracts fails the instantiation (TerminatedInConstructor) */
    if (f->kind == FRAME_INSTANTIATE) return trapf(f, c, "TerminatedInConstructor%s", NULL);
    bst_contracts *k = f->x->c;
    ctr_u128 bal;
    int rc = ctr_get_balance(k, f->txn, f->address, &bal);
    /* the whole balance (the account may be emptied); a beneficiary that cannot take it fails
     * the terminate, as pallet-contracts' transfer error does */
    if (!rc) rc = ctr_transfer(k, f->txn, f->address, ben, bal);
    if (rc == MDB_NOTFOUND) return trapf(f, c, "TransferFailed: beneficiary balance overflow%s", NULL);
    uint64_t nkeys = 0;
    if (!rc) rc = ctr_del_contract(k, f->txn, f->address, f->info.storage_id, &nkeys);
    if (rc) return fatal(f, c, rc);
    /* the deletion is paid per key after the fact: running out of gas rolls it back */
    if (!charge(f, c, sat_mul(nkeys, BST_CONTRACTS_GAS_TERMINATE_PER_KEY))) return false;
    f->exit = EXIT_TERMINATE;
    bst_caller_trap(c, "contract terminated");
    return false;
}

/* ---- events and debug output ------------------------------------------------------------- */

/* What an event counts against max_event_bytes_total: its topics and data plus its record, so
 * that empty events are not free (each one still costs host memory). */
static size_t ev_size(size_t ntopics, size_t data_len) {
    return sizeof(bst_contract_event) + ntopics * 32 + data_len;
}

static bool do_deposit_event(ctr_frame *f, bst_caller *c, uint32_t topics_ptr, uint32_t topics_len,
                             uint32_t data_ptr, uint32_t data_len) {
    const bst_contracts_config *cfg = f->x->cfg;
    if (!charge(f, c, BST_CONTRACTS_GAS_EVENT)) return false;
    if (topics_len > 5 + 32u * cfg->max_event_topics)
        return trapf(f, c, "TooManyTopics%s", NULL);
    if (data_len > cfg->max_event_data_bytes) return trapf(f, c, "ValueTooLarge: event data%s", NULL);
    const uint8_t *tp = view(f, c, topics_ptr, topics_len);
    if (!tp) return false;
    /* Vec<Hash>: compact count then 32-byte hashes, all of it (decode_all); a zero length
     * means no topics without decoding anything, as in pallet-contracts */
    bst_scale_dec d;
    bst_scale_dec_init(&d, tp, topics_len);
    size_t n = 0;
    if (topics_len) {
        if (bst_scale_get_len(&d, 32, &n) != BST_SCALE_OK)
            return trapf(f, c, "DecodingFailed: event topics%s", NULL);
        if (n > cfg->max_event_topics) return trapf(f, c, "TooManyTopics%s", NULL);
        if (bst_scale_remaining(&d) != n * 32)
            return trapf(f, c, "DecodingFailed: event topics%s", NULL);
    }
    if (!charge(f, c, sat_mul(n, BST_CONTRACTS_GAS_EVENT_TOPIC))) return false;
    const uint8_t *dp = view(f, c, data_ptr, data_len);
    if (!dp) return false;
    ctr_exec *x = f->x;
    size_t bytes = ev_size(n, data_len);
    if (bytes > cfg->max_event_bytes_total - (x->ev_bytes < cfg->max_event_bytes_total
                                                  ? x->ev_bytes : cfg->max_event_bytes_total))
        return trapf(f, c, "too much event data in one exec%s", NULL);
    if (x->nev == x->evcap) {
        size_t nc = x->evcap ? 2 * x->evcap : 8;
        bst_contract_event *ne = realloc(x->ev, nc * sizeof *ne);
        if (!ne) return fatal(f, c, -1);
        x->ev = ne;
        x->evcap = nc;
    }
    bst_contract_event *e = &x->ev[x->nev];
    memset(e, 0, sizeof *e);
    memcpy(e->emitter, f->address, 32);
    e->topics = n ? malloc(n * 32) : NULL;
    e->data = data_len ? malloc(data_len) : NULL;
    if ((n && !e->topics) || (data_len && !e->data)) {
        free(e->topics);
        free(e->data);
        return fatal(f, c, -1);
    }
    if (n) memcpy(e->topics, tp + d.pos, n * 32);
    e->ntopics = (uint32_t)n;
    if (data_len) memcpy(e->data, dp, data_len);
    e->data_len = data_len;
    x->nev++;
    x->ev_bytes += bytes;
    return true;
}

static void truncate_events(ctr_exec *x, size_t n) {
    while (x->nev > n) {
        x->nev--;
        x->ev_bytes -= ev_size(x->ev[x->nev].ntopics, x->ev[x->nev].data_len);
        free(x->ev[x->nev].topics);
        free(x->ev[x->nev].data);
    }
}

static bool do_debug_message(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t len) {
    const uint8_t *p = view(f, c, ptr, len);
    if (!p) return false;
    ctr_exec *x = f->x;
    size_t max = x->cfg->max_debug_buffer_bytes;
    if (x->dbg_len >= max || len == 0) return true;
    /* pallet-contracts drops a message that is not UTF-8, without trapping */
    if (!bst_scale_utf8_valid(p, len)) return true;
    size_t take = len;
    if (take > max - x->dbg_len) take = max - x->dbg_len;
    char *nd = realloc(x->dbg, x->dbg_len + take + 1);
    if (!nd) return fatal(f, c, -1);
    x->dbg = nd;
    memcpy(x->dbg + x->dbg_len, p, take);
    x->dbg_len += take;
    x->dbg[x->dbg_len] = 0;
    return true;
}

/* ---- the dispatcher ---------------------------------------------------------------------- */

#define A(i) ((uint32_t)args[i].of.i32)
#define A64(i) ((uint64_t)args[i].of.i64)
#define RET(v) (results[0].of.i32 = (int32_t)(uint32_t)(v))

static bool hash_fn(ctr_frame *f, bst_caller *c, int id, uint32_t in_ptr, uint32_t in_len,
                    uint32_t out_ptr) {
    const uint8_t *in = view(f, c, in_ptr, in_len);
    if (!in) return false;
    if (!charge(f, c, sat_mul(in_len, BST_CONTRACTS_GAS_HASH_PER_BYTE))) return false;
    uint8_t h[32];
    uint32_t n = 32;
    switch (id) {
    case S0_HASH_SHA2_256: bst_sha2_256(in, in_len, h); break;
    case S0_HASH_KECCAK_256: bst_keccak_256(in, in_len, h); break;
    case S0_HASH_BLAKE2_256: bst_blake2_256(in, in_len, h); break;
    default: bst_blake2_128(in, in_len, h); n = 16; break;
    }
    return wr(f, c, out_ptr, h, n);
}

/* seal2 call / instantiate: the storage deposit limit (u128) unless deposit_ptr is SENTINEL;
 * deposits are not charged, so the value itself is unused. */
static bool read_deposit_limit(ctr_frame *f, bst_caller *c, uint32_t deposit_ptr) {
    uint8_t limit[16];
    return deposit_ptr == CTR_SENTINEL || rd(f, c, deposit_ptr, limit, 16);
}

static bool seal(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    ctr_hostenv *he = env;
    ctr_frame *f = he->f;
    ctr_exec *x = f->x;
    uint32_t r = 0;
    if (!charge(f, c, BST_CONTRACTS_GAS_HOST_CALL)) return false;
    if (f->read_only) {
        /* pallet-contracts' #[mutating] functions */
        switch (he->id) {
        case S0_SET_STORAGE: case S1_SET_STORAGE: case S2_SET_STORAGE:
        case S0_CLEAR_STORAGE: case S1_CLEAR_STORAGE: case S0_TAKE_STORAGE:
        case S0_TRANSFER: case S0_INSTANTIATE: case S1_INSTANTIATE: case S2_INSTANTIATE:
        case S0_TERMINATE: case S1_TERMINATE: case S0_DEPOSIT_EVENT: case S0_SET_CODE_HASH:
            return trapf(f, c, "StateChangeDenied: read-only call%s", NULL);
        default:
            break;
        }
    }
    switch (he->id) {
    case S0_SET_STORAGE:
        return do_set_storage(f, c, A(0), CTR_SENTINEL, A(1), A(2), &r);
    case S1_SET_STORAGE:
        if (!do_set_storage(f, c, A(0), CTR_SENTINEL, A(1), A(2), &r)) return false;
        RET(r);
        return true;
    case S2_SET_STORAGE:
        if (A(1) == CTR_SENTINEL) return trapf(f, c, "DecodingFailed: key length%s", NULL);
        if (!do_set_storage(f, c, A(0), A(1), A(2), A(3), &r)) return false;
        RET(r);
        return true;
    case S0_CLEAR_STORAGE:
        return do_clear_storage(f, c, A(0), CTR_SENTINEL, &r);
    case S1_CLEAR_STORAGE:
        if (A(1) == CTR_SENTINEL) return trapf(f, c, "DecodingFailed: key length%s", NULL);
        if (!do_clear_storage(f, c, A(0), A(1), &r)) return false;
        RET(r);
        return true;
    case S0_GET_STORAGE:
        if (!do_get_storage(f, c, A(0), CTR_SENTINEL, A(1), A(2), false, &r)) return false;
        RET(r);
        return true;
    case S1_GET_STORAGE:
    case S0_TAKE_STORAGE:
        if (A(1) == CTR_SENTINEL) return trapf(f, c, "DecodingFailed: key length%s", NULL);
        if (!do_get_storage(f, c, A(0), A(1), A(2), A(3), he->id == S0_TAKE_STORAGE, &r))
            return false;
        RET(r);
        return true;
    case S0_CONTAINS_STORAGE:
        if (!do_contains_storage(f, c, A(0), CTR_SENTINEL, &r)) return false;
        RET(r);
        return true;
    case S1_CONTAINS_STORAGE:
        if (A(1) == CTR_SENTINEL) return trapf(f, c, "DecodingFailed: key length%s", NULL);
        if (!do_contains_storage(f, c, A(0), A(1), &r)) return false;
        RET(r);
        return true;
    case S0_TRANSFER: {
        if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
        uint8_t to[32], vb[16];
        if (!rd(f, c, A(0), to, 32) || !rd(f, c, A(2), vb, 16)) return false;
        int rc = ctr_transfer(x->c, f->txn, f->address, to, ctr_u128_load(vb));
        if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
        RET(rc ? RC_TRANSFER_FAILED : RC_SUCCESS);
        return true;
    }
    case S0_CALL:
        /* callee, _callee_len, gas, value, _value_len, input, input_len, out, out_len; this
         * oldest version always allows reentry (pallet-contracts passes ALLOW_REENTRY) */
        if (!do_call(f, c, false, CALL_ALLOW_REENTRY, A(0), A64(2), A(3), A(5), A(6), A(7), A(8),
                     &r))
            return false;
        RET(r);
        return true;
    case S1_CALL:
        if (!do_call(f, c, false, A(0), A(1), A64(2), A(3), A(4), A(5), A(6), A(7), &r))
            return false;
        RET(r);
        return true;
    case S2_CALL:
        /* args: flags, callee, ref_time_limit, proof_size_limit, deposit_ptr, value, input,
         * input_len, out, out_len.  Proof size and storage deposits are not metered, but the
         * deposit limit is read (and bounds-checked) as pallet-contracts does. */
        if (!read_deposit_limit(f, c, A(4))) return false;
        if (!do_call(f, c, false, A(0), A(1), A64(2), A(5), A(6), A(7), A(8), A(9), &r))
            return false;
        RET(r);
        return true;
    case S0_DELEGATE_CALL:
        /* flags, code_hash, input, input_len, out, out_len */
        if (!do_call(f, c, true, A(0), A(1), 0, 0, A(2), A(3), A(4), A(5), &r)) return false;
        RET(r);
        return true;
    case S0_SET_CODE_HASH: {
        uint8_t h[32];
        if (!charge(f, c, BST_CONTRACTS_GAS_STORAGE_WRITE)) return false;
        if (!rd(f, c, A(0), h, 32)) return false;
        MDB_val code;
        int rc = ctr_code_get(x->c, f->txn, h, &code);
        if (rc == MDB_NOTFOUND) {
            RET(RC_CODE_NOT_FOUND);
            return true;
        }
        if (rc) return fatal(f, c, rc);
        /* the running code goes on; the next call of this contract runs the new code */
        ctr_contract_info info;
        if ((rc = ctr_get_contract(x->c, f->txn, f->address, &info))) return fatal(f, c, rc);
        memcpy(info.code_hash, h, 32);
        if ((rc = ctr_put_contract(x->c, f->txn, f->address, &info))) return fatal(f, c, rc);
        RET(RC_SUCCESS);
        return true;
    }
    case S0_INSTANTIATE:
        if (!do_instantiate(f, c, A(0), A64(2), A(3), A(5), A(6), A(7), A(8), A(9), A(10),
                            A(11), A(12), &r))
            return false;
        RET(r);
        return true;
    case S1_INSTANTIATE:
        if (!do_instantiate(f, c, A(0), A64(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9),
                            A(10), &r))
            return false;
        RET(r);
        return true;
    case S2_INSTANTIATE:
        /* code_hash, ref_time, proof_size, deposit_ptr, value, input, input_len, address,
         * address_len, output, output_len, salt, salt_len */
        if (!read_deposit_limit(f, c, A(3))) return false;
        if (!do_instantiate(f, c, A(0), A64(1), A(4), A(5), A(6), A(7), A(8), A(9), A(10),
                            A(11), A(12), &r))
            return false;
        RET(r);
        return true;
    case S0_TERMINATE:
    case S1_TERMINATE:
        return do_terminate(f, c, A(0));
    case S0_INPUT:
        if (f->input_forwarded) return trapf(f, c, "InputForwarded%s", NULL);
        return write_output(f, c, A(0), A(1), f->input, f->input_len, false);
    case S0_RETURN: {
        uint32_t flags = A(0), len = A(2);
        if (flags & ~BST_CONTRACT_FLAG_REVERT) return trapf(f, c, "InvalidCallFlags: return flags%s", NULL);
        if (len > x->cfg->max_input_bytes) return trapf(f, c, "return data larger than the limit%s", NULL);
        const uint8_t *p = view(f, c, A(1), len);
        if (!p) return false;
        uint8_t *d = NULL;   /* empty return data is NULL (bst_contract_result.data) */
        if (len) {
            d = malloc(len);
            if (!d) return fatal(f, c, -1);
            memcpy(d, p, len);
        }
        f->exit = EXIT_RETURN;
        f->ret_flags = flags;
        f->ret_data = d;
        f->ret_len = len;
        bst_caller_trap(c, "contract returned");
        return false;
    }
    case S0_CALLER:
        return write_output(f, c, A(0), A(1), f->caller, 32, false);
    case S0_ADDRESS:
        return write_output(f, c, A(0), A(1), f->address, 32, false);
    case S0_IS_CONTRACT: {
        uint8_t a[32];
        if (!rd(f, c, A(0), a, 32)) return false;
        if (!charge(f, c, BST_CONTRACTS_GAS_STORAGE_READ)) return false;
        ctr_contract_info info;
        int rc = ctr_get_contract(x->c, f->txn, a, &info);
        if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
        /* a contract under construction is not one yet (pallet-contracts stores its info when
         * the constructor returns) */
        RET(rc || scan_stack(f, a).constructing ? 0 : 1);
        return true;
    }
    case S0_CODE_HASH: {
        uint8_t a[32];
        if (!rd(f, c, A(0), a, 32)) return false;
        if (!charge(f, c, BST_CONTRACTS_GAS_STORAGE_READ)) return false;
        ctr_contract_info info;
        int rc = ctr_get_contract(x->c, f->txn, a, &info);
        if (rc == MDB_NOTFOUND || (!rc && scan_stack(f, a).constructing)) {
            RET(RC_KEY_NOT_FOUND);
            return true;
        }
        if (rc) return fatal(f, c, rc);
        if (!write_output(f, c, A(1), A(2), info.code_hash, 32, false)) return false;
        RET(RC_SUCCESS);
        return true;
    }
    case S0_OWN_CODE_HASH:
        return write_output(f, c, A(0), A(1), f->info.code_hash, 32, false);
    case S0_CALLER_IS_ORIGIN:
        /* pallet-contracts compares the caller with the origin: a delegate_call keeps the
         * caller of the frame that made it */
        RET(memcmp(f->caller, x->origin, 32) == 0 ? 1 : 0);
        return true;
    case S0_CALLER_IS_ROOT:
        RET(0);
        return true;
    case S0_WEIGHT_TO_FEE: {
        /* one balance unit per unit of gas */
        uint8_t b[16] = {0};
        ctr_put_le64(b, A64(0));
        return write_output(f, c, A(1), A(2), b, 16, false);
    }
    case S0_GAS_LEFT: {
        uint8_t b[8];
        ctr_put_le64(b, bst_store_fuel(f->store));
        return write_output(f, c, A(0), A(1), b, 8, false);
    }
    case S1_GAS_LEFT: {
        /* Weight { #[codec(compact)] ref_time, #[codec(compact)] proof_size } */
        bst_scale_buf b;
        bst_scale_buf_init(&b);
        bst_scale_put_compact_u64(&b, bst_store_fuel(f->store));
        bst_scale_put_compact_u64(&b, 0);
        if (bst_scale_buf_error(&b) != BST_SCALE_OK) {
            bst_scale_buf_free(&b);
            return fatal(f, c, -1);
        }
        bool ok = write_output(f, c, A(0), A(1), b.data, b.len, false);
        bst_scale_buf_free(&b);
        return ok;
    }
    case S0_BALANCE: {
        ctr_u128 bal;
        int rc = ctr_get_balance(x->c, f->txn, f->address, &bal);
        if (rc) return fatal(f, c, rc);
        uint8_t b[16];
        ctr_u128_store(bal, b);
        return write_output(f, c, A(0), A(1), b, 16, false);
    }
    case S0_VALUE_TRANSFERRED: {
        uint8_t b[16];
        ctr_u128_store(f->value, b);
        return write_output(f, c, A(0), A(1), b, 16, false);
    }
    case S0_MINIMUM_BALANCE: {
        uint8_t b[16] = {0};
        b[0] = BST_CONTRACTS_MINIMUM_BALANCE;
        return write_output(f, c, A(0), A(1), b, 16, false);
    }
    case S0_NOW: {
        uint8_t b[8];
        ctr_put_le64(b, x->block * CTR_BLOCK_MS);
        return write_output(f, c, A(0), A(1), b, 8, false);
    }
    case S0_BLOCK_NUMBER: {
        uint8_t b[4];
        ctr_put_le32(b, (uint32_t)x->block);
        return write_output(f, c, A(0), A(1), b, 4, false);
    }
    case S0_DEPOSIT_EVENT:
        return do_deposit_event(f, c, A(0), A(1), A(2), A(3));
    case S0_HASH_SHA2_256:
    case S0_HASH_KECCAK_256:
    case S0_HASH_BLAKE2_256:
    case S0_HASH_BLAKE2_128:
        return hash_fn(f, c, he->id, A(0), A(1), A(2));
    case S0_DEBUG_MESSAGE:
        if (!do_debug_message(f, c, A(0), A(1))) return false;
        RET(RC_SUCCESS);
        return true;
    case S0_ECDSA_RECOVER: {
        uint8_t sig[65], h[32], pub[33];
        if (!charge(f, c, BST_CONTRACTS_GAS_CRYPTO)) return false;
        if (!rd(f, c, A(0), sig, 65) || !rd(f, c, A(1), h, 32)) return false;
        if (bst_secp256k1_recover_compressed(sig, h, true, pub) != BST_ECDSA_OK) {
            RET(RC_ECDSA_RECOVER_FAILED);
            return true;
        }
        if (!wr(f, c, A(2), pub, 33)) return false;
        RET(RC_SUCCESS);
        return true;
    }
    case S0_ECDSA_TO_ETH_ADDRESS: {
        /* keccak_256 of the uncompressed key without its 0x04 tag, last 20 bytes */
        uint8_t key[33], full[65], h[32];
        if (!charge(f, c, BST_CONTRACTS_GAS_CRYPTO)) return false;
        if (!rd(f, c, A(0), key, 33)) return false;
        secp256k1_pubkey pk;
        size_t flen = sizeof full;
        if (!secp256k1_ec_pubkey_parse(secp256k1_context_static, &pk, key, sizeof key) ||
            !secp256k1_ec_pubkey_serialize(secp256k1_context_static, full, &flen, &pk,
                                           SECP256K1_EC_UNCOMPRESSED)) {
            RET(RC_ECDSA_RECOVER_FAILED);
            return true;
        }
        bst_keccak_256(full + 1, 64, h);
        if (!wr(f, c, A(1), h + 12, 20)) return false;
        RET(RC_SUCCESS);
        return true;
    }
    case S0_SR25519_VERIFY: {
        uint8_t sig[64], pub[32];
        if (!charge(f, c, BST_CONTRACTS_GAS_CRYPTO)) return false;
        if (!rd(f, c, A(0), sig, 64) || !rd(f, c, A(1), pub, 32)) return false;
        const uint8_t *msg = view(f, c, A(3), A(2));
        if (!msg) return false;
        if (!charge(f, c, sat_mul(A(2), BST_CONTRACTS_GAS_HASH_PER_BYTE))) return false;
        RET(bst_sr25519_verify(sig, msg, A(2), pub) ? RC_SUCCESS : RC_SR25519_VERIFY_FAILED);
        return true;
    }
    case S0_REENTRANCE_COUNT: {
        /* the entries of this contract besides the current one */
        uint32_t n = scan_stack(f, f->address).entries;
        RET(n ? n - 1 : 0);
        return true;
    }
    case S0_ACCOUNT_REENTRANCE_COUNT: {
        uint8_t a[32];
        if (!rd(f, c, A(0), a, 32)) return false;
        RET(scan_stack(f, a).entries);
        return true;
    }
    case S0_INSTANTIATION_NONCE: {
        uint64_t nonce;
        int rc = ctr_meta_get(x->c, f->txn, "nonce", &nonce);
        if (rc) return fatal(f, c, rc);
        results[0].of.i64 = (int64_t)nonce;
        return true;
    }
    default:
        return trapf(f, c, "unknown host function%s", NULL);
    }
}

/* ---- frames ------------------------------------------------------------------------------ */

void ctr_module_release(bst_contracts *c, ctr_module *mod) {
    if (!mod || --mod->refs) return;
    bst_module_free(mod->m);
    free(mod->code);
    free(mod);
    c->stats.modules_live--;
}

void bst_contracts_get_stats(const bst_contracts *c, bst_contracts_stats *out) {
    *out = c->stats;
}

/* The compiled module of the code under hash, with a reference for the caller (give it back
 * with ctr_module_release).  NULL with *rc_out: the LMDB error, -1 out of memory. */
static ctr_module *load_module(ctr_exec *x, MDB_txn *t, const uint8_t hash[32], int *rc_out) {
    *rc_out = 0;
    bst_contracts *c = x->c;
    for (unsigned i = 0; i < CTR_MODULE_CACHE; i++) {
        if (c->cache[i] && memcmp(c->cache[i]->hash, hash, 32) == 0) {
            c->cache[i]->refs++;
            return c->cache[i];
        }
    }
    MDB_val v;
    int rc = ctr_code_get(c, t, hash, &v);
    if (rc) {
        *rc_out = rc;
        return NULL;
    }
    ctr_module *mod = calloc(1, sizeof *mod);
    uint8_t *code = malloc(v.mv_size ? v.mv_size : 1);
    if (!mod || !code) {
        free(mod);
        free(code);
        *rc_out = -1;
        return NULL;
    }
    memcpy(code, v.mv_data, v.mv_size);
    bst_error err;
    bst_module *m = ctr_compile(x->cfg, code, v.mv_size, &err);
    if (!m) {
        free(code);
        free(mod);
        *rc_out = MDB_CORRUPTED; /* stored code was validated at upload: the state is damaged */
        return NULL;
    }
    memcpy(mod->hash, hash, 32);
    mod->code = code;
    mod->len = v.mv_size;
    mod->m = m;
    mod->refs = 2;   /* the cache slot and the caller */
    if (++c->stats.modules_live > c->stats.modules_peak)
        c->stats.modules_peak = c->stats.modules_live;
    /* Evict round-robin: the slot's module goes now unless a frame still runs it. */
    ctr_module **slot = &c->cache[c->cache_next];
    c->cache_next = (c->cache_next + 1) % CTR_MODULE_CACHE;
    ctr_module_release(c, *slot);
    *slot = mod;
    return mod;
}

/* The result of a frame that ran out of its gas: all of it used. */
static void out_of_gas(frame_result *r, uint64_t gas, const char *msg) {
    r->outcome = BST_CONTRACT_OUT_OF_GAS;
    r->trap = BST_TRAP_OUT_OF_FUEL;
    r->gas_used = gas;
    snprintf(r->msg, sizeof r->msg, "%s", msg);
}

/* Runs the instance's `deploy` or `call` in a fresh store and classifies the end. */
static void execute(ctr_frame *f, const bst_module *m, bool deploy, uint64_t fuel,
                    frame_result *r) {
    bst_config sc;
    bst_config_default(&sc);
    sc.max_memory_pages = f->x->cfg->max_memory_pages;
    f->store = bst_store_new(&sc);
    if (!f->store) {
        r->outcome = BST_CONTRACT_ERROR;
        f->x->fatal = -1;
        snprintf(r->msg, sizeof r->msg, "out of memory");
        return;
    }
    bst_store_set_fuel(f->store, fuel);
    uint32_t ni = bst_module_import_count(m);
    bst_extern *imports = calloc(ni ? ni : 1, sizeof *imports);
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = BST_OK;
    if (!imports) {
        st = BST_ERR_NOMEM;
        goto done;
    }
    for (uint32_t i = 0; i < ni; i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        if (d.type.kind == BST_EXTERN_MEMORY) {
            f->mem = bst_memory_new(f->store, d.type.limits, &err);
            if (!f->mem) {
                st = err.status ? err.status : BST_ERR_NOMEM;
                goto done;
            }
            imports[i].kind = BST_EXTERN_MEMORY;
            imports[i].of.memory = f->mem;
            continue;
        }
        const char *sig = NULL;
        int id = ctr_seal_lookup(d.module, d.module_len, d.name, d.name_len, &sig);
        if (id < 0) {
            st = BST_ERR_UNLINKABLE;
            goto done;
        }
        if (!f->funcs[id]) {
            bst_valtype vt[16];
            bst_functype ft;
            ctr_sig_functype(sig, vt, &ft);
            f->envs[id].f = f;
            f->envs[id].id = id;
            f->funcs[id] = bst_func_new_host(f->store, &ft, seal, &f->envs[id]);
            if (!f->funcs[id]) {
                st = BST_ERR_NOMEM;
                goto done;
            }
        }
        imports[i].kind = BST_EXTERN_FUNC;
        imports[i].of.func = f->funcs[id];
    }
    bst_instance *inst = bst_instance_new(f->store, m, imports, ni, f, &err);
    if (!inst) {
        st = err.status ? err.status : BST_ERR_NOMEM;
        goto done;
    }
    bst_func *fn = bst_instance_func(inst, deploy ? "deploy" : "call");
    if (!fn) {
        st = BST_ERR_NOT_FOUND;
        goto done;
    }
    bst_value ignored[1];
    ignored[0].type = BST_I32;
    ignored[0].of.i64 = 0;
    /* legacy () -> i32 entry points: the result is ignored, as pallet-contracts did */
    st = bst_call(fn, NULL, 0, ignored, bst_func_type(fn)->nresults ? 1 : 0, &err);
done:
    free(imports);
    uint64_t left = bst_store_fuel(f->store);
    r->gas_used = fuel - (left > fuel ? fuel : left);
    r->trap = BST_TRAP_NONE;
    if (st == BST_OK) {
        r->outcome = BST_CONTRACT_SUCCESS;
        return;
    }
    if (st == BST_ERR_TRAP && err.trap == BST_TRAP_HOST) {
        switch (f->exit) {
        case EXIT_RETURN:
            r->flags = f->ret_flags;
            r->data = f->ret_data;
            r->len = f->ret_len;
            f->ret_data = NULL;
            r->outcome = (f->ret_flags & BST_CONTRACT_FLAG_REVERT) ? BST_CONTRACT_REVERTED
                                                                   : BST_CONTRACT_SUCCESS;
            return;
        case EXIT_TERMINATE:
            r->outcome = BST_CONTRACT_SUCCESS;
            return;
        case EXIT_OOG:
            out_of_gas(r, fuel, "out of gas");
            return;
        default:
            r->outcome = f->x->fatal ? BST_CONTRACT_ERROR : BST_CONTRACT_TRAPPED;
            r->trap = BST_TRAP_HOST;
            snprintf(r->msg, sizeof r->msg, "%.200s", f->msg[0] ? f->msg : err.message);
            return;
        }
    }
    if (st == BST_ERR_TRAP && err.trap == BST_TRAP_OUT_OF_FUEL) {
        out_of_gas(r, fuel, "out of gas");
        return;
    }
    if (st == BST_ERR_NOMEM) {
        r->outcome = BST_CONTRACT_ERROR;
        f->x->fatal = -1;
        snprintf(r->msg, sizeof r->msg, "out of memory");
        return;
    }
    r->outcome = BST_CONTRACT_TRAPPED;
    r->trap = st == BST_ERR_TRAP ? err.trap : BST_TRAP_NONE;
    snprintf(r->msg, sizeof r->msg, "%s%.200s", st == BST_ERR_TRAP ? "trap: " : "",
             err.message[0] ? err.message : bst_status_name(st));
}

static int run_frame(ctr_exec *x, ctr_frame *parent, MDB_txn *ptxn, int kind, bool read_only,
                     const uint8_t caller[32], const uint8_t target[32], ctr_u128 value,
                     const uint8_t *input, size_t input_len, const uint8_t *salt, size_t salt_len,
                     uint64_t gas, uint8_t addr_out[32], frame_result *r) {
    memset(r, 0, sizeof *r);
    unsigned depth = parent ? parent->depth + 1 : 0;
    if (depth > x->cfg->max_call_depth) return PRE_DEPTH;
    ctr_frame *f = calloc(1, sizeof *f);
    if (!f) {
        x->fatal = -1;
        return PRE_FATAL;
    }
    f->x = x;
    f->parent = parent;
    f->kind = kind;
    f->depth = depth;
    memcpy(f->caller, caller, 32);
    f->value = value;
    f->input = input;
    f->input_len = input_len;
    f->read_only = read_only || (parent && parent->read_only);
    int pre = PRE_RAN, rc;
    bst_contracts *c = x->c;
    if ((rc = mdb_txn_begin(c->env, ptxn, 0, &f->txn))) {
        x->fatal = rc;
        free(f);
        return PRE_FATAL;
    }
    const uint8_t *run_hash = f->info.code_hash;   /* the code this frame runs */
    if (kind == FRAME_DELEGATE) {
        /* the caller's account, storage, caller and value; only the code differs */
        memcpy(f->address, parent->address, 32);
        f->info = parent->info;
        MDB_val code;
        rc = ctr_code_get(c, f->txn, target, &code);
        if (rc == MDB_NOTFOUND) {
            pre = PRE_CODE_NOT_FOUND;
            goto pre_fail;
        }
        if (rc) goto fatal;
        run_hash = target;
    } else if (kind == FRAME_INSTANTIATE) {
        MDB_val code;
        rc = ctr_code_get(c, f->txn, target, &code);
        if (rc == MDB_NOTFOUND) {
            pre = PRE_CODE_NOT_FOUND;
            goto pre_fail;
        }
        if (rc) goto fatal;
        bst_contracts_address(caller, target, input, input_len, salt, salt_len, f->address);
        if (addr_out) memcpy(addr_out, f->address, 32);
        ctr_contract_info existing;
        rc = ctr_get_contract(c, f->txn, f->address, &existing);
        if (rc == MDB_SUCCESS) {
            pre = PRE_DUPLICATE;
            goto pre_fail;
        }
        if (rc != MDB_NOTFOUND) goto fatal;
        uint64_t sid, nonce;
        if ((rc = ctr_meta_get(c, f->txn, "next_storage_id", &sid))) goto fatal;
        if ((rc = ctr_meta_put(c, f->txn, "next_storage_id", sid + 1))) goto fatal;
        if ((rc = ctr_meta_get(c, f->txn, "nonce", &nonce))) goto fatal;
        if ((rc = ctr_meta_put(c, f->txn, "nonce", nonce + 1))) goto fatal;
        memcpy(f->info.code_hash, target, 32);
        f->info.storage_id = sid;
        if ((rc = ctr_put_contract(c, f->txn, f->address, &f->info))) goto fatal;
    } else {
        memcpy(f->address, target, 32);
        rc = ctr_get_contract(c, f->txn, target, &f->info);
        if (rc == MDB_NOTFOUND) {
            pre = PRE_NOT_CONTRACT;
            goto pre_fail;
        }
        if (rc) goto fatal;
        /* Reentrancy: refused when a frame of this contract on the stack did not allow it;
         * a contract whose constructor is running cannot be called (pallet-contracts
         * ignores instantiate frames and finds no contract: NotCallable). */
        stack_scan sc = scan_stack(parent, target);
        if (sc.refuses_reentry) {
            pre = PRE_REENTRY;
            goto pre_fail;
        }
        if (sc.constructing) {
            pre = PRE_NOT_CONTRACT;
            goto pre_fail;
        }
    }
    rc = kind == FRAME_DELEGATE ? MDB_SUCCESS
                                : ctr_transfer(c, f->txn, caller, f->address, value);
    if (rc == MDB_NOTFOUND) {
        pre = PRE_TRANSFER_FAILED;
        goto pre_fail;
    }
    if (rc) goto fatal;

    ctr_module *mod = load_module(x, f->txn, run_hash, &rc);
    if (!mod) {
        if (rc == MDB_NOTFOUND) {
            pre = PRE_CODE_NOT_FOUND;
            goto pre_fail;
        }
        goto fatal;
    }
    size_t nev0 = x->nev;
    uint64_t load_cost = sat_mul(mod->len, BST_CONTRACTS_GAS_INSTANTIATE_PER_CODE_BYTE);
    if (load_cost > gas) {
        out_of_gas(r, gas, "out of gas loading the code");
    } else {
        execute(f, mod->m, kind == FRAME_INSTANTIATE, gas - load_cost, r);
        r->gas_used = sat_add(r->gas_used, load_cost);
    }
    if (f->store) bst_store_free(f->store);
    f->store = NULL;
    ctr_module_release(c, mod);
    free(f->ret_data);
    if (r->outcome == BST_CONTRACT_SUCCESS && !x->fatal) {
        if ((rc = mdb_txn_commit(f->txn))) {
            x->fatal = rc;
            r->outcome = BST_CONTRACT_ERROR;
            snprintf(r->msg, sizeof r->msg, "state commit failed: %s", mdb_strerror(rc));
            truncate_events(x, nev0);
        }
    } else {
        mdb_txn_abort(f->txn);
        truncate_events(x, nev0);
    }
    free(f);
    return PRE_RAN;
fatal:
    x->fatal = rc;
    pre = PRE_FATAL;
pre_fail:
    mdb_txn_abort(f->txn);
    free(f);
    return pre;
}

/* ---- the public entry ------------------------------------------------------------------- */

const char *bst_contract_outcome_name(bst_contract_outcome o) {
    switch (o) {
    case BST_CONTRACT_SUCCESS: return "success";
    case BST_CONTRACT_REVERTED: return "reverted";
    case BST_CONTRACT_TRAPPED: return "trapped";
    case BST_CONTRACT_OUT_OF_GAS: return "out of gas";
    default: return "error";
    }
}

void bst_contract_result_free(bst_contract_result *res) {
    if (!res) return;
    free(res->data);
    for (size_t i = 0; i < res->nevents; i++) {
        free(res->events[i].topics);
        free(res->events[i].data);
    }
    free(res->events);
    free(res->debug);
    memset(res, 0, sizeof *res);
}

static void exec_free(ctr_exec *x) {
    truncate_events(x, 0);
    free(x->ev);
    free(x->dbg);
}

bst_status bst_contracts_upload(bst_contracts *c, const uint8_t origin[32], const uint8_t *code,
                                size_t len, uint8_t code_hash_out[32], bst_error *err) {
    bst_error local;
    if (!err) err = &local;
    memset(err, 0, sizeof *err);
    (void)origin;
    if (!c || !code || !code_hash_out) {
        err->status = BST_ERR_ARG;
        snprintf(err->message, sizeof err->message, "bad arguments");
        return BST_ERR_ARG;
    }
    bst_module *m = ctr_validate(&c->cfg, code, len, err);
    if (!m) return err->status ? err->status : BST_ERR_INVALID;
    bst_module_free(m);
    bst_blake2_256(code, len, code_hash_out);
    MDB_txn *t;
    int rc = mdb_txn_begin(c->env, NULL, 0, &t);
    if (!rc) {
        rc = ctr_code_put(c, t, code_hash_out, code, len);
        if (rc) mdb_txn_abort(t);
        else rc = mdb_txn_commit(t);
    }
    if (rc) {
        err->status = BST_ERR_INVALID;
        snprintf(err->message, sizeof err->message, "storing code: %s", mdb_strerror(rc));
        return BST_ERR_INVALID;
    }
    return BST_OK;
}

bst_status bst_contracts_exec(bst_contracts *c, const bst_contract_exec *e,
                              bst_contract_result *res) {
    if (!res) return BST_ERR_ARG;
    memset(res, 0, sizeof *res);
    res->outcome = BST_CONTRACT_ERROR;
    if (!c || !e || (e->input_len && !e->input) || (e->salt_len && !e->salt) ||
        (e->kind != BST_CONTRACT_CALL && e->kind != BST_CONTRACT_INSTANTIATE)) {
        snprintf(res->error, sizeof res->error, "bad arguments");
        return BST_ERR_ARG;
    }
    if (e->input_len > c->cfg.max_input_bytes || e->salt_len > c->cfg.max_input_bytes) {
        snprintf(res->error, sizeof res->error, "input or salt larger than %u bytes",
                 c->cfg.max_input_bytes);
        return BST_OK;
    }
    ctr_exec x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.cfg = &c->cfg;
    memcpy(x.origin, e->origin, 32);
    uint64_t gas = e->gas_limit ? e->gas_limit : c->cfg.default_gas_limit;
    /* A store holds at most INT64_MAX fuel (bst_store_set_fuel caps there): a larger limit
     * would not be the one applied, and gas_used (limit - fuel left) would be off by the cut. */
    if (gas > (uint64_t)INT64_MAX) gas = (uint64_t)INT64_MAX;
    res->gas_limit = gas;
    MDB_txn *t;
    int rc = mdb_txn_begin(c->env, NULL, 0, &t);
    if (rc) {
        snprintf(res->error, sizeof res->error, "state: %s", mdb_strerror(rc));
        return BST_ERR_INVALID;
    }
    bst_status status = BST_OK;
    uint64_t block;
    if ((rc = ctr_meta_get(c, t, "block", &block))) goto state_fail;
    x.block = block + 1;
    uint8_t target[32];
    bool inst = e->kind == BST_CONTRACT_INSTANTIATE;
    if (inst) {
        memcpy(target, e->code_hash, 32);
        if (e->code) {
            bst_error err;
            bst_module *m = ctr_validate(&c->cfg, e->code, e->code_len, &err);
            if (!m) {
                snprintf(res->error, sizeof res->error, "code rejected: %.200s", err.message);
                mdb_txn_abort(t);
                return BST_OK;
            }
            bst_module_free(m);
            bst_blake2_256(e->code, e->code_len, target);
            if ((rc = ctr_code_put(c, t, target, e->code, e->code_len))) goto state_fail;
        }
        memcpy(res->code_hash, target, 32);
    } else {
        memcpy(target, e->dest, 32);
    }
    frame_result r;
    uint8_t addr[32] = {0};
    int pre = run_frame(&x, NULL, t, inst ? FRAME_INSTANTIATE : FRAME_CALL, false, e->origin,
                        target,
                        ctr_u128_load(e->value), e->input,
                        e->input_len, e->salt, e->salt_len, gas, addr, &r);
    res->gas_used = r.gas_used;
    switch (pre) {
    case PRE_RAN: break;
    case PRE_NOT_CONTRACT: snprintf(res->error, sizeof res->error, "no contract at the destination"); break;
    case PRE_CODE_NOT_FOUND: snprintf(res->error, sizeof res->error, "code not found"); break;
    case PRE_TRANSFER_FAILED: snprintf(res->error, sizeof res->error, "transfer failed: insufficient balance"); break;
    case PRE_DUPLICATE: snprintf(res->error, sizeof res->error, "duplicate contract: an instance already exists at that address"); break;
    default: snprintf(res->error, sizeof res->error, "state failure"); break;
    }
    if (pre != PRE_RAN) {
        mdb_txn_abort(t);
        exec_free(&x);
        if (pre == PRE_FATAL) return BST_ERR_INVALID;
        return BST_OK;
    }
    if (inst) memcpy(res->address, addr, 32);
    else {
        ctr_contract_info info;
        if (!ctr_get_contract(c, t, target, &info)) memcpy(res->code_hash, info.code_hash, 32);
    }
    res->outcome = x.fatal ? BST_CONTRACT_ERROR : r.outcome;
    res->flags = r.flags;
    res->data = r.data;
    res->data_len = r.len;
    res->trap = r.trap;
    if (res->outcome != BST_CONTRACT_SUCCESS)
        snprintf(res->error, sizeof res->error, "%.250s",
                 r.msg[0] ? r.msg : bst_contract_outcome_name(res->outcome));
    if (res->outcome == BST_CONTRACT_SUCCESS && !e->dry_run) {
        if ((rc = ctr_meta_put(c, t, "block", x.block))) goto state_fail;
        if ((rc = mdb_txn_commit(t))) {
            t = NULL;
            goto state_fail;
        }
    } else {
        mdb_txn_abort(t);
    }
    t = NULL;
    res->events = x.ev;
    res->nevents = x.nev;
    x.ev = NULL;
    x.nev = 0;
    res->debug = x.dbg;
    res->debug_len = x.dbg_len;
    x.dbg = NULL;
    if (x.fatal) status = BST_ERR_INVALID;
    exec_free(&x);
    return status;
state_fail:
    if (t) mdb_txn_abort(t);
    if (!res->data) { /* keep nothing half-made */ }
    free(res->data);
    res->data = NULL;
    res->data_len = 0;
    res->outcome = BST_CONTRACT_ERROR;
    snprintf(res->error, sizeof res->error, "state: %s", mdb_strerror(rc));
    exec_free(&x);
    return BST_ERR_INVALID;
}
