/*
 * seal.c — the seal host functions with pallet-contracts' semantics, one small static function
 * per row of seal_table.h (defined with SEAL(MODULE, NAME)), and ctr_seal_lookup, generated
 * from the same rows.  Also what they share: gas charging (engine fuel plus the host-call
 * weights of bastion_contracts.h), checked access to the contract's memory, pallet-contracts'
 * output-buffer convention, and the exec's events and debug buffer.
 */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- gas and the contract's memory ------------------------------------------------------- */

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

/* Adds bytes to the frame's proof_size (Weight v2); beyond its limit the frame runs out of gas
 * as with ref_time (pallet-contracts' OutOfGas for either dimension). */
static bool charge_proof(ctr_frame *f, bst_caller *c, uint64_t bytes) {
    if (bytes > f->proof_limit - f->proof_used) {
        f->proof_used = f->proof_limit;
        f->exit = EXIT_OOG_PROOF;
        snprintf(f->msg, sizeof f->msg, "out of gas: proof size limit reached");
        bst_caller_trap(c, f->msg);
        return false;
    }
    f->proof_used += bytes;
    return true;
}

/* A view of guest memory [ptr, ptr+len), charged per byte; traps when out of bounds. */
static const uint8_t *view(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t len) {
    if (!charge(f, c, ctr_sat_mul(len, BST_CONTRACTS_GAS_PER_BYTE))) return NULL;
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
    if (!charge(f, c, ctr_sat_mul(len, BST_CONTRACTS_GAS_PER_BYTE))) return false;
    if (len == 0) { /* src may be NULL (empty return data): only the pointer is checked */
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
    uint32_t cap =
        (uint32_t)lb[0] | (uint32_t)lb[1] << 8 | (uint32_t)lb[2] << 16 | (uint32_t)lb[3] << 24;
    if (len > cap) return trapf(f, c, "OutputBufferTooSmall%s", NULL);
    if (!wr(f, c, out_ptr, buf, (uint32_t)len)) return false;
    ctr_put_le32(lb, (uint32_t)len);
    return wr(f, c, out_len_ptr, lb, 4);
}

/* ---- balances: of the chain's width (bastion_contracts_config.balance_bytes) ---- */

static uint32_t balance_bytes(const ctr_frame *f) { return f->x->c->balance_bytes; }

/* Reads a balance (the pallet decodes exactly its Balance type from ptr). */
static bool rd_balance(ctr_frame *f, bst_caller *c, uint32_t ptr, ctr_u128 *out) {
    uint8_t b[16] = {0};
    if (!rd(f, c, ptr, b, balance_bytes(f))) return false;
    *out = ctr_u128_load(b);
    return true;
}

/* Writes a balance to the output buffer; every balance the host holds fits the width. */
static bool out_balance(ctr_frame *f, bst_caller *c, uint32_t out_ptr, uint32_t out_len_ptr,
                        ctr_u128 v) {
    uint8_t b[16];
    ctr_u128_store(v, b);
    return write_output(f, c, out_ptr, out_len_ptr, b, balance_bytes(f), false);
}

static bool fatal(ctr_frame *f, bst_caller *c, int rc) {
    if (!f->x->fatal) f->x->fatal = rc ? rc : -1;
    return trapf(f, c, "state failure: %s", rc > 0 || rc < -1 ? mdb_strerror(rc) : "out of memory");
}

/* A heap copy of len bytes (at least one byte allocated), or NULL after trapping. */
static uint8_t *host_copy(ctr_frame *f, bst_caller *c, const uint8_t *p, size_t len) {
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        fatal(f, c, -1);
        return NULL;
    }
    if (len) memcpy(copy, p, len);
    return copy;
}

/* A heap copy of the contract's memory [ptr, ptr+len), charged as a read, or NULL after
 * trapping. */
static uint8_t *guest_copy(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t len) {
    const uint8_t *p = view(f, c, ptr, len);
    return p ? host_copy(f, c, p, len) : NULL;
}

/* Stores a host function's i32 result (a ReturnCode, or a size or SENTINEL): ret is its
 * results[0], or NULL for a version that returns nothing (seal0 set_storage, clear_storage). */
static void put_ret(bst_value *ret, uint32_t v) {
    if (ret) ret->of.i32 = (int32_t)v;
}

/* ---- storage ------------------------------------------------------------------------------ */

/* Reads a storage key, fixed (32 bytes, key_len == SENTINEL: seal0/seal1 calls with a key
 * pointer only) or variable length, into the stored form: its kind tag then its bytes.
 * pallet-contracts keeps the two kinds in different slots (blake2_256(k) for a fixed key,
 * Blake2_128Concat(k) for a variable one), so a 32-byte key of each kind is two slots. */
static bool read_key(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t key_len,
                     uint8_t key[CTR_STORED_KEY_MAX], uint32_t *klen) {
    key[0] = key_len == CTR_SENTINEL ? CTR_KEY_FIXED : CTR_KEY_VAR;
    if (key_len == CTR_SENTINEL)
        key_len = 32;
    else if (key_len > f->x->cfg->max_storage_key_bytes)
        return trapf(f, c, "DecodingFailed: storage key longer than the limit%s", NULL);
    *klen = 1 + key_len;
    return rd(f, c, ptr, key + 1, key_len);
}

/* The length of a stored key in the pallet's child trie, which its storage deposit counts:
 * blake2_256 of a fixed key (32), Blake2_128Concat of a variable one (16 + its length). */
static size_t deposit_key_len(const uint8_t *key, uint32_t klen) {
    return key[0] == CTR_KEY_FIXED ? 32 : 16 + (size_t)(klen - 1);
}

/* set_storage: returns the previous value's size or SENTINEL through ret. */
static bool do_set_storage(ctr_frame *f, bst_caller *c, uint32_t key_ptr, uint32_t key_len,
                           uint32_t val_ptr, uint32_t val_len, bst_value *ret) {
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
    /* the proof holds the item as it was before the write (the key's kind tag not counted) */
    if (!charge_proof(f, c, ctr_proof_item(klen - 1, oldlen))) return false;
    put_ret(ret, rc == MDB_NOTFOUND ? CTR_SENTINEL : (uint32_t)ov.mv_size);
    ctr_meter_storage(f, rc != MDB_NOTFOUND, oldlen, true, val_len, deposit_key_len(key, klen));
    /* storage growth pays per new byte */
    if (val_len > oldlen &&
        !charge(f, c, ctr_sat_mul(val_len - oldlen, BST_CONTRACTS_GAS_STORAGE_NEW_BYTE)))
        return false;
    rc = ctr_storage_put(f->x->c, f->txn, f->info.storage_id, key, klen, val, val_len);
    if (rc) return fatal(f, c, rc);
    return true;
}

/* A storage key the contract passed, in its stored form, and what the storage holds there. */
typedef struct stored_entry {
    uint8_t key[CTR_STORED_KEY_MAX];
    uint32_t klen;
    MDB_val val; /* when found: valid until the next write in the transaction */
    bool found;
} stored_entry;

/* The first steps every storage read shares: charge `cost`, read the key, look it up, charge
 * the item's proof_size.  False after trapping. */
static bool storage_lookup(ctr_frame *f, bst_caller *c, uint64_t cost, uint32_t key_ptr,
                           uint32_t key_len, stored_entry *e) {
    if (!charge(f, c, cost)) return false;
    if (!read_key(f, c, key_ptr, key_len, e->key, &e->klen)) return false;
    int rc = ctr_storage_get(f->x->c, f->txn, f->info.storage_id, e->key, e->klen, &e->val);
    e->found = rc == 0;
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    return charge_proof(f, c, ctr_proof_item(e->klen - 1, e->found ? e->val.mv_size : 0));
}

static bool delete_entry(ctr_frame *f, bst_caller *c, const stored_entry *e) {
    ctr_meter_storage(f, true, e->val.mv_size, false, 0, deposit_key_len(e->key, e->klen));
    int rc = ctr_storage_del(f->x->c, f->txn, f->info.storage_id, e->key, e->klen);
    return rc ? fatal(f, c, rc) : true;
}

/* contains_storage (clear = false) / clear_storage (clear = true): the stored value's size,
 * or SENTINEL when there is none, through ret; clear_storage also deletes it. */
static bool do_contains_storage(ctr_frame *f, bst_caller *c, uint32_t key_ptr, uint32_t key_len,
                                bool clear, bst_value *ret) {
    stored_entry e;
    if (!storage_lookup(f, c,
                        clear ? BST_CONTRACTS_GAS_STORAGE_WRITE : BST_CONTRACTS_GAS_STORAGE_READ,
                        key_ptr, key_len, &e))
        return false;
    put_ret(ret, e.found ? (uint32_t)e.val.mv_size : CTR_SENTINEL);
    return !clear || !e.found || delete_entry(f, c, &e);
}

/* get (take = false) / take (take = true): ReturnCode through ret. */
static bool do_get_storage(ctr_frame *f, bst_caller *c, uint32_t key_ptr, uint32_t key_len,
                           uint32_t out_ptr, uint32_t out_len_ptr, bool take, bst_value *ret) {
    stored_entry e;
    if (!storage_lookup(f, c,
                        take ? BST_CONTRACTS_GAS_STORAGE_WRITE : BST_CONTRACTS_GAS_STORAGE_READ,
                        key_ptr, key_len, &e))
        return false;
    if (!e.found) {
        put_ret(ret, RC_KEY_NOT_FOUND);
        return true;
    }
    /* copy out: the LMDB page may change with the delete below */
    size_t vlen = e.val.mv_size;
    uint8_t *copy = host_copy(f, c, e.val.mv_data, vlen);
    if (!copy) return false;
    bool ok = (!take || delete_entry(f, c, &e)) &&
              write_output(f, c, out_ptr, out_len_ptr, copy, vlen, false);
    free(copy);
    put_ret(ret, RC_SUCCESS);
    return ok;
}

/* ---- calls and instantiation ------------------------------------------------------------- */

/* A nested limit in one dimension: what was asked, or all that is left when that is 0 or more
 * (pallet-contracts' GasMeter::nested). */
static uint64_t nested_limit(uint64_t asked, uint64_t left) {
    return (asked == 0 || asked > left) ? left : asked;
}

/* ctr_run_frame for a call, delegate_call or instantiate made by frame f, on f's gas: the
 * callee gets `gas` in each dimension (ref_time, proof_size), or all that is left of it when
 * that is 0 or more, and what it does not use comes back.  While it runs, f is re-enterable
 * when allow_reentry. */
static int run_callee(ctr_frame *f, int kind, bool read_only, bool allow_reentry,
                      const uint8_t caller[32], const uint8_t target[32], ctr_u128 value,
                      const uint8_t *input, size_t input_len, const uint8_t *salt, size_t salt_len,
                      ctr_weight gas, uint8_t addr_out[32], frame_result *r) {
    uint64_t remaining = bst_store_fuel(f->store);
    uint64_t proof_left = f->proof_limit - f->proof_used;
    ctr_weight limit = {nested_limit(gas.ref_time, remaining),
                        nested_limit(gas.proof_size, proof_left)};
    f->allow_reentry = allow_reentry;
    int pre = ctr_run_frame(f->x, f, f->txn, kind, read_only, caller, target, value, input,
                            input_len, salt, salt_len, limit, addr_out, r);
    f->allow_reentry = false;
    f->proof_used += r->proof_used > proof_left ? proof_left : r->proof_used;
    /* The callee's fuel was sampled in its own store: charged here without a sampler, it is not
     * sampled twice (setting the sampler again puts its next checkpoint an interval on). */
    if (f->x->sampler.fn) bst_store_set_sampler(f->store, NULL);
    bst_store_set_fuel(f->store, remaining - (r->gas_used > remaining ? remaining : r->gas_used));
    if (f->x->sampler.fn) bst_store_set_sampler(f->store, &f->x->sampler);
    return pre;
}

/* pallet-contracts' answer when run_callee did not run the callee (pre != PRE_RAN): a
 * ReturnCode, or a trap of the caller.  Each kind of frame meets only some of these. */
static bool callee_not_run(ctr_frame *f, bst_caller *c, int pre, bst_value *ret) {
    switch (pre) {
    case PRE_NOT_CONTRACT: put_ret(ret, RC_NOT_CALLABLE); return true;
    case PRE_TRANSFER_FAILED: put_ret(ret, RC_TRANSFER_FAILED); return true;
    case PRE_CODE_NOT_FOUND: put_ret(ret, RC_CODE_NOT_FOUND); return true;
    case PRE_DEPTH: return trapf(f, c, "MaxCallDepthReached%s", NULL);
    case PRE_REENTRY: return trapf(f, c, "ReentranceDenied%s", NULL);
    case PRE_DUPLICATE: return trapf(f, c, "DuplicateContract%s", NULL);
    case PRE_DEPOSIT_LIMIT: return trapf(f, c, "StorageDepositLimitExhausted%s", NULL);
    default: return fatal(f, c, f->x->fatal); /* PRE_FATAL */
    }
}

/* What call and instantiate answer after run_callee: false after trapping the caller; else
 * the ReturnCode is in ret and *returned tells whether the callee returned (succeeded or
 * reverted), r->data then holding its output for the caller to free (else freed here). */
static bool callee_answer(ctr_frame *f, bst_caller *c, int pre, frame_result *r, bst_value *ret,
                          bool *returned) {
    *returned = false;
    if (pre != PRE_RAN) return callee_not_run(f, c, pre, ret);
    /* the pallet's enforce_subcall_limit fails the call in the caller: an error, not a code */
    if (r->deposit_exhausted) return trapf(f, c, "StorageDepositLimitExhausted%s", NULL);
    if (r->outcome == BST_CONTRACT_ERROR) {
        free(r->data);
        return fatal(f, c, f->x->fatal);
    }
    *returned = r->outcome == BST_CONTRACT_SUCCESS || r->outcome == BST_CONTRACT_REVERTED;
    put_ret(ret, !*returned                            ? RC_CALLEE_TRAPPED
                 : r->outcome == BST_CONTRACT_REVERTED ? RC_CALLEE_REVERTED
                                                       : RC_SUCCESS);
    if (!*returned) free(r->data);
    return true;
}

/* seal call (delegate false: callee_ptr is the callee's address) and delegate_call (delegate
 * true: callee_ptr is a code hash run in this contract's context; no value, all gas left). */
static bool do_call(ctr_frame *f, bst_caller *c, bool delegate, uint32_t flags, uint32_t callee_ptr,
                    ctr_weight gas, uint32_t value_ptr, uint32_t input_ptr, uint32_t input_len,
                    uint32_t out_ptr, uint32_t out_len_ptr, bst_value *ret) {
    if (flags & ~CALL_ALL_FLAGS) return trapf(f, c, "InvalidCallFlags%s", NULL);
    if (delegate && (flags & (CALL_ALLOW_REENTRY | CALL_READ_ONLY)))
        return trapf(f, c, "InvalidCallFlags: ALLOW_REENTRY or READ_ONLY with delegate_call%s",
                     NULL);
    if ((flags & (CALL_FORWARD_INPUT | CALL_CLONE_INPUT)) ==
        (CALL_FORWARD_INPUT | CALL_CLONE_INPUT))
        return trapf(f, c, "InvalidCallFlags: FORWARD_INPUT with CLONE_INPUT%s", NULL);
    if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
    uint8_t callee[32];
    ctr_u128 value = {0, 0};
    if (!rd(f, c, callee_ptr, callee, 32)) return false;
    if (!delegate && !rd_balance(f, c, value_ptr, &value)) return false;
    uint8_t *input;
    size_t ilen;
    if (flags & (CALL_FORWARD_INPUT | CALL_CLONE_INPUT)) {
        if (f->input_forwarded) return trapf(f, c, "InputForwarded%s", NULL);
        /* FORWARD_INPUT hands the input over: this frame cannot read it any more */
        if (flags & CALL_FORWARD_INPUT) f->input_forwarded = true;
        ilen = f->input_len;
        if (!charge(f, c, ctr_sat_mul(ilen, BST_CONTRACTS_GAS_PER_BYTE))) return false;
        input = host_copy(f, c, f->input, ilen);
    } else {
        if (input_len > f->x->cfg->max_input_bytes)
            return trapf(f, c, "call input larger than the limit%s", NULL);
        ilen = input_len;
        input = guest_copy(f, c, input_ptr, input_len);
    }
    if (!input) return false;
    if (!delegate && !ctr_u128_is_zero(value) && (f->read_only || (flags & CALL_READ_ONLY))) {
        free(input);
        return trapf(f, c, "StateChangeDenied: value transfer in a read-only call%s", NULL);
    }
    /* pallet-contracts: only a call's missing ALLOW_REENTRY protects the caller; a
     * delegate_call (like an instantiation) leaves it re-enterable */
    frame_result r;
    int pre = run_callee(f, delegate ? FRAME_DELEGATE : FRAME_CALL, (flags & CALL_READ_ONLY) != 0,
                         delegate || (flags & CALL_ALLOW_REENTRY) || f->x->cfg->allow_reentry,
                         delegate ? f->caller : f->address, callee, delegate ? f->value : value,
                         input, ilen, NULL, 0, gas, NULL, &r);
    free(input);
    bool returned;
    if (!callee_answer(f, c, pre, &r, ret, &returned)) return false;
    if (!returned) return true;
    if (flags & CALL_TAIL_CALL) {
        /* the caller returns what the callee returned */
        f->exit = EXIT_RETURN;
        f->ret_flags = r.flags;
        f->ret_data = r.data;
        f->ret_len = r.len;
        bst_caller_trap(c, "tail call returned");
        return false;
    }
    bool ok = write_output(f, c, out_ptr, out_len_ptr, r.data, r.len, true);
    free(r.data);
    return ok;
}

static bool do_instantiate(ctr_frame *f, bst_caller *c, uint32_t code_hash_ptr, ctr_weight gas,
                           uint32_t value_ptr, uint32_t input_ptr, uint32_t input_len,
                           uint32_t addr_ptr, uint32_t addr_len_ptr, uint32_t out_ptr,
                           uint32_t out_len_ptr, uint32_t salt_ptr, uint32_t salt_len,
                           bst_value *ret) {
    if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
    uint8_t hash[32];
    ctr_u128 value;
    if (!rd(f, c, code_hash_ptr, hash, 32) || !rd_balance(f, c, value_ptr, &value)) return false;
    if (input_len > f->x->cfg->max_input_bytes || salt_len > f->x->cfg->max_input_bytes)
        return trapf(f, c, "instantiate input or salt larger than the limit%s", NULL);
    uint8_t *input = guest_copy(f, c, input_ptr, input_len);
    if (!input) return false;
    uint8_t *salt = guest_copy(f, c, salt_ptr, salt_len);
    if (!salt) {
        free(input);
        return false;
    }
    /* pallet-contracts' instantiate leaves the caller re-enterable */
    frame_result r;
    uint8_t addr[32];
    int pre = run_callee(f, FRAME_INSTANTIATE, false, true, f->address, hash, value, input,
                         input_len, salt, salt_len, gas, addr, &r);
    free(input);
    free(salt);
    bool returned;
    if (!callee_answer(f, c, pre, &r, ret, &returned)) return false;
    if (!returned) return true;
    /* the address only when it exists: a reverted constructor leaves no contract */
    bool ok = (r.outcome != BST_CONTRACT_SUCCESS ||
               write_output(f, c, addr_ptr, addr_len_ptr, addr, 32, true)) &&
              write_output(f, c, out_ptr, out_len_ptr, r.data, r.len, true);
    free(r.data);
    return ok;
}

static bool do_terminate(ctr_frame *f, bst_caller *c, uint32_t ben_ptr) {
    if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
    uint8_t ben[32];
    if (!rd(f, c, ben_ptr, ben, 32)) return false;
    if (ctr_scan_stack(f->parent, f->address).any)
        return trapf(f, c, "TerminatedWhileReentrant%s", NULL);
    /* pallet-contracts fails the instantiation (TerminatedInConstructor) */
    if (f->kind == FRAME_INSTANTIATE) return trapf(f, c, "TerminatedInConstructor%s", NULL);
    bst_contracts *k = f->x->c;
    ctr_u128 bal;
    ctr_contract_info info; /* as it is now: its deposits are refunded to the origin */
    int rc = ctr_get_contract(k, f->txn, f->address, &info);
    if (!rc) rc = ctr_get_balance(k, f->txn, f->address, &bal);
    /* the whole free balance (allow-death: the account may be emptied; the deposits it holds
     * go back to the origin when the exec ends); a beneficiary that cannot take it fails the
     * terminate, as pallet-contracts' transfer error does */
    if (!rc) rc = ctr_transfer(k, f->txn, f->address, ben, bal, false);
    if (rc == MDB_NOTFOUND)
        return trapf(f, c,
                     "TransferFailed: the beneficiary cannot take the balance (overflow, or a new "
                     "account below the existential deposit)%s",
                     NULL);
    uint64_t nkeys = 0;
    if (!rc) rc = ctr_del_contract(k, f->txn, f->address, f->info.storage_id, &nkeys);
    if (!rc) ctr_meter_terminate(f, &info);
    if (rc) return fatal(f, c, rc);
    /* the deletion is paid per key after the fact: running out of gas rolls it back; its
     * proof_size is the contract's info and the item overhead of each key deleted */
    if (!charge(f, c, ctr_sat_mul(nkeys, BST_CONTRACTS_GAS_TERMINATE_PER_KEY))) return false;
    if (!charge_proof(f, c,
                      ctr_sat_add(ctr_proof_item(32, BST_CONTRACTS_PROOF_CONTRACT_INFO),
                                  ctr_sat_mul(nkeys, BST_CONTRACTS_PROOF_PER_ITEM))))
        return false;
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
    if (topics_len > 5 + 32u * cfg->max_event_topics) return trapf(f, c, "TooManyTopics%s", NULL);
    if (data_len > cfg->max_event_data_bytes)
        return trapf(f, c, "ValueTooLarge: event data%s", NULL);
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
    if (!charge(f, c, ctr_sat_mul(n, BST_CONTRACTS_GAS_EVENT_TOPIC))) return false;
    const uint8_t *dp = view(f, c, data_ptr, data_len);
    if (!dp) return false;
    ctr_exec *x = f->x;
    size_t bytes = ev_size(n, data_len);
    if (bytes >
        cfg->max_event_bytes_total -
            (x->ev_bytes < cfg->max_event_bytes_total ? x->ev_bytes : cfg->max_event_bytes_total))
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

void ctr_truncate_events(ctr_exec *x, size_t n) {
    while (x->nev > n) {
        x->nev--;
        x->ev_bytes -= ev_size(x->ev[x->nev].ntopics, x->ev[x->nev].data_len);
        free(x->ev[x->nev].topics);
        free(x->ev[x->nev].data);
    }
}

/* Appends text to the exec's debug buffer, up to max_debug_buffer_bytes; false when out of
 * memory. */
static bool debug_append(ctr_exec *x, const uint8_t *p, size_t len) {
    size_t max = x->cfg->max_debug_buffer_bytes;
    if (x->dbg_len >= max || len == 0) return true;
    size_t take = len;
    if (take > max - x->dbg_len) take = max - x->dbg_len;
    char *nd = realloc(x->dbg, x->dbg_len + take + 1);
    if (!nd) return false;
    x->dbg = nd;
    memcpy(x->dbg + x->dbg_len, p, take);
    x->dbg_len += take;
    x->dbg[x->dbg_len] = 0;
    return true;
}

static bool do_debug_message(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t len) {
    const uint8_t *p = view(f, c, ptr, len);
    if (!p) return false;
    /* pallet-contracts drops a message that is not UTF-8, without trapping */
    if (!bst_scale_utf8_valid(p, len)) return true;
    return debug_append(f->x, p, len) || fatal(f, c, -1);
}

/* ---- the host functions, one per row of seal_table.h ------------------------------------------ */

#define A(i) ((uint32_t)args[i].of.i32)
#define A64(i) ((uint64_t)args[i].of.i64)
/* A nested call's limits: the versions before seal2 pass ref_time only, which the pallet makes
 * Weight::from_parts(gas, 0): proof_size 0, all that is left; seal2's pass both. */
#define REF_TIME(i) ((ctr_weight){A64(i), 0})
#define WEIGHT(i, j) ((ctr_weight){A64(i), A64(j)})
#define RET(v) (results[0].of.i32 = (int32_t)(uint32_t)(v))

/* What every host function does first: charge the host-call weight and, in a read-only call,
 * refuse the functions that change state (pallet-contracts' #[mutating]). */
static bool seal_enter(ctr_frame *f, bst_caller *c, unsigned flags) {
    f->x->callee_limit_set = false; /* a seal2 deposit limit is for the call it is read by */
    if (!charge(f, c, BST_CONTRACTS_GAS_HOST_CALL)) return false;
    if ((flags & CTR_MUTATING) && f->read_only)
        return trapf(f, c, "StateChangeDenied: read-only call%s", NULL);
    return true;
}

/* Defines the host function of row (MODULE, NAME): SEAL(MODULE, NAME) { body }.  MODULE_NAME is
 * the bst_host_fn an instance links (its env is the instance's ctr_slot, whose frame is the one
 * running on it); it runs seal_enter with the row's
 * flags, then the body, which sees the frame f, the caller c, args and results.  A SEAL whose
 * row is missing fails to compile (no CTR_SEAL_FLAGS_ constant), as does a row without its SEAL
 * (ctr_seal_lookup names the function). */
#define SEAL_BODY_PARAMS                                                                           \
    __attribute__((unused)) ctr_frame *f, __attribute__((unused)) bst_caller *c,                   \
        __attribute__((unused)) const bst_value *args, __attribute__((unused)) bst_value *results
#define SEAL(module, name)                                                                         \
    static bool module##_##name##_body(SEAL_BODY_PARAMS);                                          \
    static bool module##_##name(bst_caller *c, const bst_value *args, bst_value *results,          \
                                void *env) {                                                       \
        ctr_frame *f = ((ctr_slot *)env)->frame;                                                   \
        if (!seal_enter(f, c, CTR_SEAL_FLAGS_##module##_##name)) return false;                     \
        return module##_##name##_body(f, c, args, results);                                        \
    }                                                                                              \
    static bool module##_##name##_body(SEAL_BODY_PARAMS)

/* ---- storage ---- */

/* The seal1+ storage functions take the key's length: SENTINEL, seal0's mark of a fixed-size
 * key, is no length there. */
static bool key_len_arg(ctr_frame *f, bst_caller *c, uint32_t key_len) {
    return key_len != CTR_SENTINEL || trapf(f, c, "DecodingFailed: key length%s", NULL);
}

SEAL(seal0, set_storage) { return do_set_storage(f, c, A(0), CTR_SENTINEL, A(1), A(2), NULL); }

SEAL(seal1, set_storage) { return do_set_storage(f, c, A(0), CTR_SENTINEL, A(1), A(2), results); }

SEAL(seal2, set_storage) {
    return key_len_arg(f, c, A(1)) && do_set_storage(f, c, A(0), A(1), A(2), A(3), results);
}

SEAL(seal0, clear_storage) { return do_contains_storage(f, c, A(0), CTR_SENTINEL, true, NULL); }

SEAL(seal1, clear_storage) {
    return key_len_arg(f, c, A(1)) && do_contains_storage(f, c, A(0), A(1), true, results);
}

SEAL(seal0, get_storage) {
    return do_get_storage(f, c, A(0), CTR_SENTINEL, A(1), A(2), false, results);
}

SEAL(seal1, get_storage) {
    return key_len_arg(f, c, A(1)) && do_get_storage(f, c, A(0), A(1), A(2), A(3), false, results);
}

SEAL(seal0, take_storage) {
    return key_len_arg(f, c, A(1)) && do_get_storage(f, c, A(0), A(1), A(2), A(3), true, results);
}

SEAL(seal0, contains_storage) {
    return do_contains_storage(f, c, A(0), CTR_SENTINEL, false, results);
}

SEAL(seal1, contains_storage) {
    return key_len_arg(f, c, A(1)) && do_contains_storage(f, c, A(0), A(1), false, results);
}

/* ---- value, calls, instantiation, termination, code ---- */

SEAL(seal0, transfer) {
    if (!charge(f, c, BST_CONTRACTS_GAS_CALL)) return false;
    uint8_t to[32];
    ctr_u128 value;
    if (!rd(f, c, A(0), to, 32) || !rd_balance(f, c, A(2), &value)) return false;
    /* a contract keeps its account alive (the pallet's Preservation::Preserve) */
    int rc = ctr_transfer(f->x->c, f->txn, f->address, to, value, true);
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    RET(rc ? RC_TRANSFER_FAILED : RC_SUCCESS);
    return true;
}

SEAL(seal0, call) {
    /* callee, _callee_len, gas, value, _value_len, input, input_len, out, out_len; this
     * oldest version always allows reentry (pallet-contracts passes ALLOW_REENTRY) */
    return do_call(f, c, false, CALL_ALLOW_REENTRY, A(0), REF_TIME(2), A(3), A(5), A(6), A(7), A(8),
                   results);
}

SEAL(seal1, call) {
    return do_call(f, c, false, A(0), A(1), REF_TIME(2), A(3), A(4), A(5), A(6), A(7), results);
}

/* seal2 call / instantiate: the storage deposit limit (a balance) unless deposit_ptr is
 * SENTINEL: the limit of the frame it starts (zero: none of its own). */
static bool read_deposit_limit(ctr_frame *f, bst_caller *c, uint32_t deposit_ptr) {
    f->x->callee_limit_set = false;
    if (deposit_ptr == CTR_SENTINEL) return true;
    if (!rd_balance(f, c, deposit_ptr, &f->x->callee_limit)) return false;
    f->x->callee_limit_set = true;
    return true;
}

SEAL(seal2, call) {
    /* args: flags, callee, ref_time_limit, proof_size_limit, deposit_ptr, value, input,
     * input_len, out, out_len. */
    return read_deposit_limit(f, c, A(4)) &&
           do_call(f, c, false, A(0), A(1), WEIGHT(2, 3), A(5), A(6), A(7), A(8), A(9), results);
}

SEAL(seal0, delegate_call) {
    /* flags, code_hash, input, input_len, out, out_len */
    return do_call(f, c, true, A(0), A(1), (ctr_weight){0, 0}, 0, A(2), A(3), A(4), A(5), results);
}

SEAL(seal0, instantiate) {
    return do_instantiate(f, c, A(0), REF_TIME(2), A(3), A(5), A(6), A(7), A(8), A(9), A(10), A(11),
                          A(12), results);
}

SEAL(seal1, instantiate) {
    return do_instantiate(f, c, A(0), REF_TIME(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9),
                          A(10), results);
}

SEAL(seal2, instantiate) {
    /* code_hash, ref_time, proof_size, deposit_ptr, value, input, input_len, address,
     * address_len, output, output_len, salt, salt_len */
    return read_deposit_limit(f, c, A(3)) &&
           do_instantiate(f, c, A(0), WEIGHT(1, 2), A(4), A(5), A(6), A(7), A(8), A(9), A(10),
                          A(11), A(12), results);
}

SEAL(seal0_nosalt, instantiate) {
    /* 2020 (ink! 3.0-rc1/rc2): seal0's instantiate before the salt: code_hash, _len, gas,
     * value, _len, input, input_len, address, address_len, output, output_len.  The address is
     * derived as today's with an empty salt (one code and input per deployer, as then). */
    return do_instantiate(f, c, A(0), REF_TIME(2), A(3), A(5), A(6), A(7), A(8), A(9), A(10), 0, 0,
                          results);
}

SEAL(seal0, terminate) { return do_terminate(f, c, A(0)); }

SEAL(seal1, terminate) { return do_terminate(f, c, A(0)); }

/* The same function under a former name or module: the row's body, whose arguments are laid out
 * alike (the SEAL wrapper has already charged the call and checked read-only). */
#define SEAL_AS(module, name) return module##_##name##_body(f, c, args, results)

SEAL(seal0, set_code_hash) {
    uint8_t h[32];
    if (!charge(f, c, BST_CONTRACTS_GAS_STORAGE_WRITE)) return false;
    if (!rd(f, c, A(0), h, 32)) return false;
    bst_contracts *k = f->x->c;
    MDB_val code;
    int rc = ctr_code_get(k, f->txn, h, &code);
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    /* proof_size: the code hash looked up, then this contract's info rewritten */
    if (!charge_proof(f, c, ctr_proof_item(32, 0))) return false;
    if (rc == MDB_NOTFOUND) {
        RET(RC_CODE_NOT_FOUND);
        return true;
    }
    if (!charge_proof(f, c, ctr_proof_item(32, BST_CONTRACTS_PROOF_CONTRACT_INFO))) return false;
    /* the running code goes on; the next call of this contract runs the new code */
    ctr_contract_info info;
    if ((rc = ctr_get_contract(k, f->txn, f->address, &info))) return fatal(f, c, rc);
    memcpy(info.code_hash, h, 32);
    if ((rc = ctr_put_contract(k, f->txn, f->address, &info))) return fatal(f, c, rc);
    RET(RC_SUCCESS);
    return true;
}

/* ---- input and output ---- */

SEAL(seal0, input) {
    if (f->input_forwarded) return trapf(f, c, "InputForwarded%s", NULL);
    return write_output(f, c, A(0), A(1), f->input, f->input_len, false);
}

SEAL(seal0, return ) {
    uint32_t flags = A(0), len = A(2);
    if (flags & ~BST_CONTRACT_FLAG_REVERT)
        return trapf(f, c, "InvalidCallFlags: return flags%s", NULL);
    if (len > f->x->cfg->max_input_bytes)
        return trapf(f, c, "return data larger than the limit%s", NULL);
    const uint8_t *p = view(f, c, A(1), len);
    if (!p) return false;
    uint8_t *d = NULL; /* empty return data is NULL (bst_contract_result.data) */
    if (len && !(d = host_copy(f, c, p, len))) return false;
    f->exit = EXIT_RETURN;
    f->ret_flags = flags;
    f->ret_data = d;
    f->ret_len = len;
    bst_caller_trap(c, "contract returned");
    return false;
}

/* ---- the context ---- */

SEAL(seal0, caller) { return write_output(f, c, A(0), A(1), f->caller, 32, false); }

SEAL(seal0, address) { return write_output(f, c, A(0), A(1), f->address, 32, false); }

/* is_contract and code_hash: the contract at the address read from ptr.  One under
 * construction is not a contract yet (pallet-contracts stores its info when the constructor
 * returns).  False after trapping; else *found, with its info. */
static bool contract_at(ctr_frame *f, bst_caller *c, uint32_t ptr, ctr_contract_info *info,
                        bool *found) {
    uint8_t a[32];
    if (!rd(f, c, ptr, a, 32)) return false;
    if (!charge(f, c, BST_CONTRACTS_GAS_STORAGE_READ)) return false;
    int rc = ctr_get_contract(f->x->c, f->txn, a, info);
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    *found = !rc && !ctr_scan_stack(f, a).constructing;
    return charge_proof(f, c, ctr_proof_item(32, rc ? 0 : BST_CONTRACTS_PROOF_CONTRACT_INFO));
}

SEAL(seal0, is_contract) {
    ctr_contract_info info;
    bool found;
    if (!contract_at(f, c, A(0), &info, &found)) return false;
    RET(found ? 1 : 0);
    return true;
}

SEAL(seal0, code_hash) {
    ctr_contract_info info;
    bool found;
    if (!contract_at(f, c, A(0), &info, &found)) return false;
    if (found && !write_output(f, c, A(1), A(2), info.code_hash, 32, false)) return false;
    RET(found ? RC_SUCCESS : RC_KEY_NOT_FOUND);
    return true;
}

SEAL(seal0, own_code_hash) { return write_output(f, c, A(0), A(1), f->info.code_hash, 32, false); }

SEAL(seal0, caller_is_origin) {
    /* pallet-contracts compares the caller with the origin: a delegate_call keeps the
     * caller of the frame that made it */
    RET(memcmp(f->caller, f->x->origin, 32) == 0 ? 1 : 0);
    return true;
}

SEAL(seal0, caller_is_root) {
    RET(0);
    return true;
}

/* The fee of a weight, written as a balance: one unit per unit of ref_time; proof_size is free,
 * as in pallet-contracts' test runtime (its WeightPrice converts a Weight by its ref_time). */
static bool write_fee(ctr_frame *f, bst_caller *c, ctr_weight w, uint32_t out_ptr,
                      uint32_t out_len_ptr) {
    return out_balance(f, c, out_ptr, out_len_ptr, ctr_u128_from64(w.ref_time));
}

SEAL(seal0, weight_to_fee) { return write_fee(f, c, REF_TIME(0), A(1), A(2)); }

/* (ref_time, proof_size, out, out_len): the pallet's #[version(1)] of 2023 */
SEAL(seal1, weight_to_fee) { return write_fee(f, c, WEIGHT(0, 1), A(2), A(3)); }

SEAL(seal0, gas_left) {
    uint8_t b[8];
    ctr_put_le64(b, bst_store_fuel(f->store));
    return write_output(f, c, A(0), A(1), b, 8, false);
}

SEAL(seal1, gas_left) {
    /* Weight { #[codec(compact)] ref_time, #[codec(compact)] proof_size } */
    bst_scale_buf b;
    bst_scale_buf_init(&b);
    bst_scale_put_compact_u64(&b, bst_store_fuel(f->store));
    bst_scale_put_compact_u64(&b, f->proof_limit - f->proof_used);
    if (bst_scale_buf_error(&b) != BST_SCALE_OK) {
        bst_scale_buf_free(&b);
        return fatal(f, c, -1);
    }
    bool ok = write_output(f, c, A(0), A(1), b.data, b.len, false);
    bst_scale_buf_free(&b);
    return ok;
}

SEAL(seal0, balance) {
    /* the free balance: deposits held on the contract are not its to spend */
    ctr_u128 bal;
    int rc = ctr_get_balance(f->x->c, f->txn, f->address, &bal);
    if (rc) return fatal(f, c, rc);
    return out_balance(f, c, A(0), A(1), bal);
}

SEAL(seal0, value_transferred) { return out_balance(f, c, A(0), A(1), f->value); }

SEAL(seal0, minimum_balance) { return out_balance(f, c, A(0), A(1), f->x->c->ed); }

SEAL(seal0, now) {
    uint8_t b[8];
    ctr_put_le64(b, f->x->block * CTR_BLOCK_MS);
    return write_output(f, c, A(0), A(1), b, 8, false);
}

SEAL(seal0, block_number) {
    uint8_t b[4];
    ctr_put_le32(b, (uint32_t)f->x->block);
    return write_output(f, c, A(0), A(1), b, 4, false);
}

SEAL(seal0, reentrance_count) {
    /* the entries of this contract besides the current one */
    uint32_t n = ctr_scan_stack(f, f->address).entries;
    RET(n ? n - 1 : 0);
    return true;
}

SEAL(seal0, account_reentrance_count) {
    uint8_t a[32];
    if (!rd(f, c, A(0), a, 32)) return false;
    RET(ctr_scan_stack(f, a).entries);
    return true;
}

SEAL(seal0, instantiation_nonce) {
    uint64_t nonce;
    int rc = ctr_meta_get(f->x->c, f->txn, "nonce", &nonce);
    if (rc) return fatal(f, c, rc);
    results[0].of.i64 = (int64_t)nonce;
    return true;
}

/* ---- events and debug output ---- */

SEAL(seal0, deposit_event) { return do_deposit_event(f, c, A(0), A(1), A(2), A(3)); }

SEAL(seal0, debug_message) {
    if (!do_debug_message(f, c, A(0), A(1))) return false;
    RET(RC_SUCCESS);
    return true;
}

/* ---- hashes and signatures ---- */

/* (input, input_len, output): the hash of the input, out_len bytes, written to output. */
static bool hash_fn(ctr_frame *f, bst_caller *c, const bst_value *args,
                    void (*hash)(const void *, size_t, uint8_t *), uint32_t out_len) {
    uint32_t in_ptr = A(0), in_len = A(1);
    const uint8_t *in = view(f, c, in_ptr, in_len);
    if (!in) return false;
    if (!charge(f, c, ctr_sat_mul(in_len, BST_CONTRACTS_GAS_HASH_PER_BYTE))) return false;
    uint8_t h[32];
    hash(in, in_len, h);
    return wr(f, c, A(2), h, out_len);
}

SEAL(seal0, hash_sha2_256) { return hash_fn(f, c, args, bst_sha2_256, 32); }

SEAL(seal0, hash_keccak_256) { return hash_fn(f, c, args, bst_keccak_256, 32); }

SEAL(seal0, hash_blake2_256) { return hash_fn(f, c, args, bst_blake2_256, 32); }

SEAL(seal0, hash_blake2_128) { return hash_fn(f, c, args, bst_blake2_128, 16); }

/* ecdsa_recover and ecdsa_to_eth_address: when the key could be derived (ok), its n bytes are
 * written to out_ptr and the answer is SUCCESS, else ECDSA_RECOVER_FAILED and nothing is. */
static bool ecdsa_answer(ctr_frame *f, bst_caller *c, bool ok, uint32_t out_ptr, const uint8_t *out,
                         uint32_t n, bst_value *results) {
    if (ok && !wr(f, c, out_ptr, out, n)) return false;
    RET(ok ? RC_SUCCESS : RC_ECDSA_RECOVER_FAILED);
    return true;
}

SEAL(seal0, ecdsa_recover) {
    uint8_t sig[65], h[32], pub[33];
    if (!charge(f, c, BST_CONTRACTS_GAS_CRYPTO)) return false;
    if (!rd(f, c, A(0), sig, 65) || !rd(f, c, A(1), h, 32)) return false;
    bool ok = bst_secp256k1_recover_compressed(sig, h, true, pub) == BST_ECDSA_OK;
    return ecdsa_answer(f, c, ok, A(2), pub, 33, results);
}

SEAL(seal0, ecdsa_to_eth_address) {
    uint8_t key[33], addr[20];
    if (!charge(f, c, BST_CONTRACTS_GAS_CRYPTO)) return false;
    if (!rd(f, c, A(0), key, 33)) return false;
    return ecdsa_answer(f, c, bst_ecdsa_eth_address(key, addr), A(1), addr, 20, results);
}

SEAL(seal0, sr25519_verify) {
    uint8_t sig[64], pub[32];
    if (!charge(f, c, BST_CONTRACTS_GAS_CRYPTO)) return false;
    if (!rd(f, c, A(0), sig, 64) || !rd(f, c, A(1), pub, 32)) return false;
    const uint8_t *msg = view(f, c, A(3), A(2));
    if (!msg) return false;
    if (!charge(f, c, ctr_sat_mul(A(2), BST_CONTRACTS_GAS_HASH_PER_BYTE))) return false;
    RET(bst_sr25519_verify(sig, msg, A(2), pub) ? RC_SUCCESS : RC_SR25519_VERIFY_FAILED);
    return true;
}

/* ---- delegate dependencies ---- */

/* lock (add) / unlock (remove) a delegate dependency: the code hash is kept in the contract's
 * storage under a key of its own kind (CTR_KEY_DEP), which no contract key can name and which
 * terminate deletes with the rest.  The pallet's errors trap, as there. */
static bool do_delegate_dependency(ctr_frame *f, bst_caller *c, uint32_t ptr, bool lock) {
    if (!charge(f, c, BST_CONTRACTS_GAS_STORAGE_WRITE)) return false;
    uint8_t key[33];
    key[0] = CTR_KEY_DEP;
    if (!rd(f, c, ptr, key + 1, 32)) return false;
    bst_contracts *k = f->x->c;
    MDB_val v;
    int rc = ctr_storage_get(k, f->txn, f->info.storage_id, key, sizeof key, &v);
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    if (!charge_proof(f, c, ctr_proof_item(32, 0))) return false; /* the record, no value */
    bool held = rc == 0;
    if (!lock) {
        if (!held) return trapf(f, c, "DelegateDependencyNotFound%s", NULL);
        rc = ctr_storage_del(k, f->txn, f->info.storage_id, key, sizeof key);
        return rc ? fatal(f, c, rc) : true;
    }
    if (held) return trapf(f, c, "DelegateDependencyAlreadyExists%s", NULL);
    if (memcmp(key + 1, f->info.code_hash, 32) == 0)
        return trapf(f, c, "CannotAddSelfAsDelegateDependency%s", NULL);
    rc = ctr_code_get(k, f->txn, key + 1, &v);
    if (rc && rc != MDB_NOTFOUND) return fatal(f, c, rc);
    if (!charge_proof(f, c, ctr_proof_item(32, 0))) return false; /* the code hash looked up */
    if (rc == MDB_NOTFOUND) return trapf(f, c, "CodeNotFound: delegate dependency%s", NULL);
    rc = ctr_storage_put(k, f->txn, f->info.storage_id, key, sizeof key, NULL, 0);
    return rc ? fatal(f, c, rc) : true;
}

SEAL(seal0, lock_delegate_dependency) { return do_delegate_dependency(f, c, A(0), true); }

SEAL(seal0, unlock_delegate_dependency) { return do_delegate_dependency(f, c, A(0), false); }

/* their first names (2023) */
SEAL(seal0, add_delegate_dependency) { return do_delegate_dependency(f, c, A(0), true); }

SEAL(seal0, remove_delegate_dependency) { return do_delegate_dependency(f, c, A(0), false); }

/* ---- older generations ---- */

/* The pallet's limit on a random subject (Schedule limits.subject_len). */
#define CTR_RANDOM_SUBJECT_MAX 32u

/* seal0 / seal1 random(subject, subject_len, out, out_len): there is no randomness beacon, so
 * the seed is BLAKE2b-256 of the subject and the block number (deterministic, as a chain's
 * must be, and different per subject and block); seal1 also gives the block number since which
 * it was known (this one), as (Hash, u32). */
static bool do_random(ctr_frame *f, bst_caller *c, const bst_value *args, bool with_block) {
    if (A(1) > CTR_RANDOM_SUBJECT_MAX) return trapf(f, c, "RandomSubjectTooLong%s", NULL);
    uint8_t buf[CTR_RANDOM_SUBJECT_MAX + 4], out[36];
    if (!rd(f, c, A(0), buf, A(1))) return false;
    ctr_put_le32(buf + A(1), (uint32_t)f->x->block);
    bst_blake2_256(buf, A(1) + 4, out);
    ctr_put_le32(out + 32, (uint32_t)f->x->block);
    return write_output(f, c, A(2), A(3), out, with_block ? 36 : 32, false);
}

SEAL(seal0, random) { return do_random(f, c, args, false); }

SEAL(seal1, random) { return do_random(f, c, args, true); }

/* 2020: printed the text to the node's log; here it goes to the debug buffer, like
 * debug_message (text that is not UTF-8 is dropped, as the pallet printed only UTF-8). */
SEAL(seal0, println) { return do_debug_message(f, c, A(0), A(1)); }

/* The rent-era functions after rent was removed (2021), as the pallet kept them: the tombstone
 * deposit reads 0, the rent allowance the largest balance, and setting it or restoring a
 * tombstone does nothing (each only charges its call). */
SEAL(seal0, tombstone_deposit) { return out_balance(f, c, A(0), A(1), ctr_u128_from64(0)); }

SEAL(seal0, rent_allowance) { return out_balance(f, c, A(0), A(1), f->x->c->balance_max); }

SEAL(seal0, restore_to) { return true; }

SEAL(seal1, restore_to) { return true; }

SEAL(seal0, set_rent_allowance) { return true; }

SEAL(seal1, set_rent_allowance) { return true; }

/* __unstable__ of 2022: the variable-key storage functions stabilised as seal2 set_storage,
 * seal1 clear/get/contains_storage and seal0 take_storage. */
SEAL(unstable, set_storage) { SEAL_AS(seal2, set_storage); }

SEAL(unstable, clear_storage) { SEAL_AS(seal1, clear_storage); }

SEAL(unstable, get_storage) { SEAL_AS(seal1, get_storage); }

SEAL(unstable, contains_storage) { SEAL_AS(seal1, contains_storage); }

SEAL(unstable, take_storage) { SEAL_AS(seal0, take_storage); }

/* __unstable__ of 2021 - early 2022: fixed 32-byte keys.  contains_storage answers the size or
 * SENTINEL, as its last fixed-key form did (and seal0's does). */
SEAL(unstable_v0, set_storage) { SEAL_AS(seal1, set_storage); }

SEAL(unstable_v0, clear_storage) {
    return do_contains_storage(f, c, A(0), CTR_SENTINEL, true, results);
}

SEAL(unstable_v0, contains_storage) { SEAL_AS(seal0, contains_storage); }

SEAL(unstable_v0, take_storage) {
    return do_get_storage(f, c, A(0), CTR_SENTINEL, A(1), A(2), true, results);
}

SEAL(unstable_v0, call) {
    /* flags, callee, _callee_len, gas, value, _value_len, input, input_len, out, out_len */
    return do_call(f, c, false, A(0), A(1), REF_TIME(3), A(4), A(6), A(7), A(8), A(9), results);
}

SEAL(unstable_v0, set_code_hash) { SEAL_AS(seal0, set_code_hash); }

/* early 2022: delegate_call before it was stabilised in seal0 */
SEAL(unstable_v0, delegate_call) { SEAL_AS(seal0, delegate_call); }

SEAL(unstable_v0, is_contract) { SEAL_AS(seal0, is_contract); }

SEAL(unstable_v0, debug_message) { SEAL_AS(seal0, debug_message); }

SEAL(unstable_v0, ecdsa_recover) { SEAL_AS(seal0, ecdsa_recover); }

/* ---- calling the embedder: chain extensions and runtime calls (chain_ext.c) ---- */

SEAL(seal0, call_chain_extension) { return ctr_call_chain_extension(f, c, args, results); }

SEAL(seal0, call_runtime) {
    return ctr_dispatch_runtime(f, c, BST_RUNTIME_CALL, CTR_SENTINEL, A(0), A(1), CTR_SENTINEL,
                                results);
}

/* 2022: call_runtime was first offered as unstable (seal_call_runtime, then call_runtime) */
SEAL(unstable, call_runtime) { SEAL_AS(seal0, call_runtime); }

SEAL(seal0, xcm_execute) {
    return ctr_dispatch_runtime(f, c, BST_XCM_EXECUTE, CTR_SENTINEL, A(0), A(1), CTR_SENTINEL,
                                results);
}

SEAL(seal0, xcm_send) {
    /* dest, msg, msg_len, output (the XcmHash, 32 bytes) */
    return ctr_dispatch_runtime(f, c, BST_XCM_SEND, A(0), A(1), A(2), A(3), results);
}

/* ---- what chain_ext.c shares (exec.h) ---- */

bool ctr_seal_charge(ctr_frame *f, bst_caller *c, uint64_t amount) { return charge(f, c, amount); }

bool ctr_seal_charge_proof(ctr_frame *f, bst_caller *c, uint64_t bytes) {
    return charge_proof(f, c, bytes);
}

const uint8_t *ctr_seal_view(ctr_frame *f, bst_caller *c, uint32_t ptr, uint32_t len) {
    return view(f, c, ptr, len);
}

bool ctr_seal_write_output(ctr_frame *f, bst_caller *c, uint32_t out_ptr, uint32_t out_len_ptr,
                           const uint8_t *buf, size_t len, bool allow_skip) {
    return write_output(f, c, out_ptr, out_len_ptr, buf, len, allow_skip);
}

bool ctr_seal_trap(ctr_frame *f, bst_caller *c, const char *msg) { return trapf(f, c, "%s", msg); }

bool ctr_seal_fatal(ctr_frame *f, bst_caller *c, int rc) { return fatal(f, c, rc); }

void ctr_seal_debug_append(ctr_frame *f, const char *text, size_t len) {
    /* the debug buffer never changes results: text that does not fit in memory is dropped */
    (void)debug_append(f->x, (const uint8_t *)text, len);
}

/* ---- the lookup ------------------------------------------------------------------------------ */

/* Whether an import name is the row's NAME (lit, litlen bytes) in a form its flags accept. */
static bool name_is(const char *name, size_t len, const char *lit, size_t litlen, unsigned flags) {
    if (!(flags & CTR_ALIAS_ONLY) && len == litlen && memcmp(name, lit, len) == 0) return true;
    return (flags & (CTR_ALIAS | CTR_ALIAS_ONLY)) && len == 5 + litlen &&
           memcmp(name, "seal_", 5) == 0 && memcmp(name + 5, lit, litlen) == 0;
}

/* A chain of comparisons, one per row: the name's length rules out most rows at once.  A row
 * whose signature is the import's wins; else the first row of that module and name is
 * returned, for the caller to refuse its signature. */
bool ctr_seal_lookup(const char *module, size_t mlen, const char *name, size_t nlen,
                     const bst_functype *type, ctr_seal_def *out) {
    bool found = false;
#define CTR_SEAL_LOOKUP(mod, n, s, fl)                                                             \
    if (name_is(name, nlen, #n, sizeof #n - 1, fl) && mlen == sizeof CTR_MODULE_NAME(mod) - 1 &&   \
        memcmp(module, CTR_MODULE_NAME(mod), mlen) == 0) {                                         \
        bool match = bst_functype_matches(type, s);                                                \
        if (match || !found) {                                                                     \
            out->id = CTR_SEAL_##mod##_##n;                                                        \
            out->sig = s;                                                                          \
            out->fn = mod##_##n;                                                                   \
        }                                                                                          \
        if (match) return true;                                                                    \
        found = true;                                                                              \
    }
    CONTRACTS_HOST_FUNCTIONS(CTR_SEAL_LOOKUP)
#undef CTR_SEAL_LOOKUP
    return found;
}
