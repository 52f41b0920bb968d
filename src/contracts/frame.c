/*
 * frame.c — frames and the call stack: ctr_run_frame sets a frame up (the callee's account and
 * code, a new contract's address and storage, or the caller's context for delegate_call),
 * moves the value, runs the contract's `deploy` or `call` on an instance of its own with the
 * seal functions linked, and commits the frame's nested LMDB transaction only on success.
 *
 * Instances come from a pool per compiled module (ctr_module.pool, bastion_pool.h): each in a
 * store of its own, reset to its state after instantiation when a frame gives it back, so a
 * frame sees exactly what a fresh instance would show while the kernel work of mapping a new
 * memory per frame is saved.  A frame holds its instance until it ends, so nested calls of the
 * same code use several instances at once.  Gas moves between the stores: a callee's store gets
 * the callee's limit as fuel and the caller is charged what the callee used.
 */
#include "exec.h"
#include "probes/probes.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

stack_scan ctr_scan_stack(const ctr_frame *f, const uint8_t addr[32]) {
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

/* The result of a frame that ran out of its gas: all of it used. */
static void out_of_gas(frame_result *r, uint64_t gas, const char *msg) {
    r->outcome = BST_CONTRACT_OUT_OF_GAS;
    r->trap = BST_TRAP_OUT_OF_FUEL;
    r->gas_used = gas;
    snprintf(r->msg, sizeof r->msg, "%s", msg);
}

/* The result of a frame that ran out of its proof_size: all of that used, and the ref_time it
 * had used (gas_used, set by the caller); the same outcome and trap kind as for ref_time. */
static void out_of_proof(frame_result *r, uint64_t proof_limit, const char *msg) {
    r->outcome = BST_CONTRACT_OUT_OF_GAS;
    r->trap = BST_TRAP_OUT_OF_FUEL;
    r->proof_used = proof_limit;
    snprintf(r->msg, sizeof r->msg, "%s", msg);
}

/* The pool's link function: a new instance's imports, made in its store s — env.memory with
 * its declared limits and the seal functions, bound to the instance's ctr_slot (*ctx). */
static bool link_seal(void *arg, bst_store *s, const bst_module *m, bst_extern *imports, size_t n,
                      void **ctx, bst_error *err) {
    (void)arg;
    ctr_slot *slot = calloc(1, sizeof *slot);
    *ctx = slot; /* freed by unlink_seal, also when linking fails below */
    bst_func *funcs[CTR_SEAL_COUNT] = {NULL}; /* one host function per row */
    memset(err, 0, sizeof *err);
    err->status = BST_ERR_NOMEM;
    if (!slot) return false;
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        if (d.type.kind == BST_EXTERN_MEMORY) {
            slot->mem = bst_memory_new(s, d.type.limits, err);
            if (!slot->mem) return false;
            imports[i].kind = BST_EXTERN_MEMORY;
            imports[i].of.memory = slot->mem;
            continue;
        }
        ctr_seal_def def;
        bst_valtype vt[16];
        bst_functype ft;
        /* not a row, or not a row's signature: validated at upload, cannot happen */
        if (!ctr_seal_lookup(d.module, d.module_len, d.name, d.name_len, &d.type.func, &def) ||
            !bst_functype_parse(def.sig, vt, sizeof vt / sizeof vt[0], &ft)) {
            err->status = BST_ERR_UNLINKABLE;
            return false;
        }
        if (!funcs[def.id] && !(funcs[def.id] = bst_func_new_host(s, &ft, def.fn, slot)))
            return false;
        imports[i].kind = BST_EXTERN_FUNC;
        imports[i].of.func = funcs[def.id];
    }
    err->status = BST_OK;
    return true;
}

static void unlink_seal(void *arg, void *ctx) {
    (void)arg;
    free(ctx);
}

/* Instances of a module kept for the frames that run it: a frame takes one (a fresh one or
 * one reset to its state after instantiation, the same to the contract) and gives it back. */
#define CTR_POOL_IDLE 4

/* Takes an instance of mod for frame f from mod's pool (made on first use), with the exec's
 * deadline, page cap and ticket applied to it.  BST_OK, or why not with err filled. */
static bst_status frame_acquire(ctr_frame *f, ctr_module *mod, uint64_t fuel, bst_error *err) {
    ctr_exec *x = f->x;
    if (!mod->pool) {
        bst_pool_config pc;
        bst_pool_config_default(&pc);
        pc.prewarm = 0; /* made by the first frame, whose errors are those of instantiation */
        pc.max_idle = x->c->pool_idle;
        pc.store.max_memory_pages = x->cfg->max_memory_pages;
        pc.link = link_seal;
        pc.unlink = unlink_seal;
        mod->pool = bst_pool_new(NULL, mod->m, &pc, NULL, err);
        if (!mod->pool) return err->status ? err->status : BST_ERR_NOMEM;
    }
    bst_rejection rej;
    f->lease = bst_pool_acquire(mod->pool, &rej, err);
    if (!f->lease) return err->status ? err->status : BST_ERR_NOMEM;
    if (bst_lease_reused(f->lease))
        x->c->stats.instances_reused++;
    else
        x->c->stats.instances_made++;
    ctr_slot *slot = bst_lease_context(f->lease);
    slot->frame = f;
    f->mem = slot->mem;
    f->store = bst_lease_store(f->lease);
    bst_store_set_fuel(f->store, fuel);
    /* the exec's statistics (bst_contract_result.stats): the top-level frame, timed */
    bst_store_set_time_calls(f->store, f->depth == 0);
    bst_store_set_sampler(f->store, x->sampler.fn ? &x->sampler : NULL); /* none left over */
    bst_store_set_deadline(f->store, x->deadline);
    if (f->mem && !bst_memory_set_max_pages(f->mem, x->page_cap)) {
        memset(err, 0, sizeof *err);
        snprintf(err->message, sizeof err->message,
                 "the contract's memory minimum exceeds the call's page cap of %u", x->page_cap);
        return err->status = BST_ERR_LIMIT;
    }
    if (x->ticket && !bst_ticket_attach(x->ticket, f->store)) return BST_ERR_NOMEM;
    return BST_OK;
}

/* Gives the frame's instance back to its pool (which resets it). */
static void frame_release(ctr_frame *f) {
    if (!f->lease) return;
    if (f->x->ticket) bst_ticket_detach(f->x->ticket, f->store);
    ((ctr_slot *)bst_lease_context(f->lease))->frame = NULL; /* no frame until the next acquire */
    bst_lease_release(f->lease, BST_OUTCOME_SUCCESS); /* no tenant: the outcome is not counted */
    f->lease = NULL;
    f->store = NULL;
    f->mem = NULL;
}

/* Runs the contract's `deploy` or `call` on an instance from the module's pool and classifies
 * the end. */
static void execute(ctr_frame *f, ctr_module *mod, bool deploy, uint64_t fuel, frame_result *r) {
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_instance *inst = NULL;
    bst_status st = frame_acquire(f, mod, fuel, &err);
    if (st != BST_OK) goto done;
    inst = bst_lease_instance(f->lease);
    bst_func *fn = bst_instance_func(inst, deploy ? "deploy" : "call");
    if (!fn) {
        st = BST_ERR_NOT_FOUND;
        goto done;
    }
    bst_value status[1];
    status[0].type = BST_I32;
    status[0].of.i64 = 0;
    /* legacy () -> i32 entry points (ink! 2/3-era code): the i32 is a status, 0 success; any
     * other value is an error (an unknown selector answers one), not a success */
    bool legacy = bst_func_type(fn)->nresults != 0;
    st = bst_call(fn, NULL, 0, status, legacy ? 1 : 0, &err);
    if (st == BST_OK && legacy && status[0].of.i32 != 0) {
        snprintf(f->msg, sizeof f->msg, "the contract's `%s` returned error status %" PRId32,
                 deploy ? "deploy" : "call", status[0].of.i32);
        f->exit = EXIT_ERROR;
        st = BST_ERR_TRAP;
        err.trap = BST_TRAP_HOST;
    }
done:;
    bst_call_stats stats;
    if (f->depth == 0 && f->store && bst_store_call_stats(f->store, &stats))
        bst_call_stats_copy(&stats, &f->x->stats);
    uint64_t left = f->store ? bst_store_fuel(f->store) : fuel;
    r->gas_used = fuel - (left > fuel ? fuel : left);
    r->proof_used = f->proof_used;
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
        case EXIT_TERMINATE: r->outcome = BST_CONTRACT_SUCCESS; return;
        case EXIT_OOG: out_of_gas(r, fuel, "out of gas"); return;
        case EXIT_OOG_PROOF: out_of_proof(r, f->proof_limit, f->msg); return;
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

/* A frame that returned: its storage deposits are metered and handed to its parent; beyond
 * its limit it fails (its changes are rolled back) with StorageDepositLimitExhausted. */
static void finish_deposits(ctr_frame *f, frame_result *r) {
    int rc;
    if (ctr_meter_finish(f, &rc)) {
        if (rc) f->x->fatal = rc;
        return;
    }
    free(r->data);
    r->data = NULL;
    r->len = 0;
    r->flags = 0;
    r->outcome = BST_CONTRACT_TRAPPED;
    r->deposit_exhausted = true;
    snprintf(r->msg, sizeof r->msg,
             "StorageDepositLimitExhausted: the storage deposit is above the limit");
}

BASTION_PROBE_SEMAPHORES(BASTION_PROBES_CONTRACTS)

int ctr_run_frame(ctr_exec *x, ctr_frame *parent, MDB_txn *ptxn, int kind, bool read_only,
                  const uint8_t caller[32], const uint8_t target[32], ctr_u128 value,
                  const uint8_t *input, size_t input_len, const uint8_t *salt, size_t salt_len,
                  ctr_weight limit, uint8_t addr_out[32], frame_result *r) {
    uint64_t gas = limit.ref_time;
    memset(r, 0, sizeof *r);
    uint64_t t0 = BASTION_PROBE_ENABLED(contract__call) ? bst_monotonic_ns() : 0;
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
    ctr_meter_start(f);
    f->proof_limit = limit.proof_size;
    int pre = PRE_RAN, rc;
    bst_contracts *c = x->c;
    if ((rc = mdb_txn_begin(c->env, ptxn, 0, &f->txn))) {
        x->fatal = rc;
        free(f);
        return PRE_FATAL;
    }
    const uint8_t *run_hash = f->info.code_hash; /* the code this frame runs */
    if (kind == FRAME_DELEGATE || kind == FRAME_INSTANTIATE) {
        /* target is a code hash: the code must exist before anything else is looked at */
        MDB_val code;
        rc = ctr_code_get(c, f->txn, target, &code);
        if (rc == MDB_NOTFOUND) {
            pre = PRE_CODE_NOT_FOUND;
            goto pre_fail;
        }
        if (rc) goto fatal;
    }
    if (kind == FRAME_DELEGATE) {
        /* the caller's account, storage, caller and value; only the code differs */
        memcpy(f->address, parent->address, 32);
        f->info = parent->info;
        run_hash = target;
    } else if (kind == FRAME_INSTANTIATE) {
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
        if ((pre = ctr_meter_instantiate(f, &f->info)) != PRE_RAN) {
            if (pre != PRE_FATAL) goto pre_fail;
            rc = x->fatal;
            goto fatal;
        }
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
        stack_scan sc = ctr_scan_stack(parent, target);
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
                                : ctr_transfer(c, f->txn, caller, f->address, value, true);
    if (rc == MDB_NOTFOUND) {
        pre = PRE_TRANSFER_FAILED;
        goto pre_fail;
    }
    if (rc) goto fatal;

    ctr_module *mod = ctr_module_load(x, f->txn, run_hash, &rc);
    if (!mod) {
        if (rc == MDB_NOTFOUND) {
            pre = PRE_CODE_NOT_FOUND;
            goto pre_fail;
        }
        goto fatal;
    }
    size_t nev0 = x->nev;
    uint64_t load_cost = ctr_sat_mul(mod->len, BST_CONTRACTS_GAS_INSTANTIATE_PER_CODE_BYTE);
    /* proof_size: the code read (PristineCode) and, but for delegate_call (the caller's
     * context), the contract's info record: read for a call, looked up absent for a new
     * contract */
    uint64_t load_proof = ctr_sat_add(
        ctr_proof_item(32, mod->len),
        kind == FRAME_DELEGATE
            ? 0
            : ctr_proof_item(32, kind == FRAME_CALL ? BST_CONTRACTS_PROOF_CONTRACT_INFO : 0));
    if (load_cost > gas) {
        out_of_gas(r, gas, "out of gas loading the code");
    } else if (load_proof > limit.proof_size) {
        r->gas_used = load_cost;
        out_of_proof(r, limit.proof_size, "out of gas: proof size limit reached loading the code");
    } else {
        f->proof_used = load_proof;
        execute(f, mod, kind == FRAME_INSTANTIATE, gas - load_cost, r);
        r->gas_used = ctr_sat_add(r->gas_used, load_cost);
    }
    BASTION_PROBE(contract__call, f->address, kind, depth, (int)r->outcome, r->gas_used,
                  t0 ? bst_monotonic_ns() - t0 : 0);
    frame_release(f);
    ctr_module_release(c, mod);
    ctr_chain_ext_frame_end(f);
    free(f->ret_data);
    if (r->outcome == BST_CONTRACT_SUCCESS && !x->fatal) finish_deposits(f, r);
    if (r->outcome == BST_CONTRACT_SUCCESS && !x->fatal) {
        if ((rc = mdb_txn_commit(f->txn))) {
            x->fatal = rc;
            r->outcome = BST_CONTRACT_ERROR;
            snprintf(r->msg, sizeof r->msg, "state commit failed: %s", mdb_strerror(rc));
            ctr_truncate_events(x, nev0);
        }
    } else {
        mdb_txn_abort(f->txn);
        ctr_truncate_events(x, nev0);
    }
    ctr_meter_free(&f->meter);
    free(f);
    return PRE_RAN;
fatal:
    x->fatal = rc;
    pre = PRE_FATAL;
pre_fail:
    mdb_txn_abort(f->txn);
    ctr_meter_free(&f->meter);
    free(f);
    return pre;
}
