/*
 * frame.c — frames and the call stack: ctr_run_frame sets a frame up (the callee's account and
 * code, a new contract's address and storage, or the caller's context for delegate_call),
 * moves the value, runs the contract's `deploy` or `call` in a fresh store with the seal
 * functions linked, and commits the frame's nested LMDB transaction only on success.
 *
 * Why one store per frame: a store frees its instances and memories only as a whole, so a
 * contract making many sequential calls would otherwise keep every callee's memory alive until
 * the end of the exec.  Gas moves between the stores: a callee's store gets the callee's limit
 * as fuel and the caller is charged what the callee used.
 */
#include "exec.h"

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
    if (f->x->sampler.fn) bst_store_set_sampler(f->store, &f->x->sampler);
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
        ctr_seal_def def;
        if (!ctr_seal_lookup(d.module, d.module_len, d.name, d.name_len, &def)) {
            st = BST_ERR_UNLINKABLE;
            goto done;
        }
        if (!f->funcs[def.id]) {
            bst_valtype vt[16];
            bst_functype ft;
            if (!bst_functype_parse(def.sig, vt, sizeof vt / sizeof vt[0], &ft)) {
                st = BST_ERR_UNLINKABLE; /* not a table signature: cannot happen */
                goto done;
            }
            f->funcs[def.id] = bst_func_new_host(f->store, &ft, def.fn, f);
            if (!f->funcs[def.id]) {
                st = BST_ERR_NOMEM;
                goto done;
            }
        }
        imports[i].kind = BST_EXTERN_FUNC;
        imports[i].of.func = f->funcs[def.id];
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
        case EXIT_TERMINATE: r->outcome = BST_CONTRACT_SUCCESS; return;
        case EXIT_OOG: out_of_gas(r, fuel, "out of gas"); return;
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

int ctr_run_frame(ctr_exec *x, ctr_frame *parent, MDB_txn *ptxn, int kind, bool read_only,
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
    rc = kind == FRAME_DELEGATE ? MDB_SUCCESS : ctr_transfer(c, f->txn, caller, f->address, value);
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
    if (load_cost > gas) {
        out_of_gas(r, gas, "out of gas loading the code");
    } else {
        execute(f, mod->m, kind == FRAME_INSTANTIATE, gas - load_cost, r);
        r->gas_used = ctr_sat_add(r->gas_used, load_cost);
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
            ctr_truncate_events(x, nev0);
        }
    } else {
        mdb_txn_abort(f->txn);
        ctr_truncate_events(x, nev0);
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
