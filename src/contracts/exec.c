/*
 * exec.c — bst_contracts_exec(): one exec is one top-level frame (frame.c) in one LMDB write
 * transaction, committed only on success and not for a dry run; the result carries the
 * frame's outcome, its return data, the events and the debug buffer the exec collected.
 */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_crypto.h"

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
    bst_call_stats_free(&res->stats);
    memset(res, 0, sizeof *res);
}

static void exec_free(ctr_exec *x) {
    ctr_meter_free(&x->root);
    ctr_truncate_events(x, 0);
    free(x->ev);
    free(x->dbg);
    bst_call_stats_free(&x->stats);
}

/* Instantiate with code: code not stored yet costs the origin the code deposit, within the
 * deposit limit (*limit is reduced by it, as the pallet's instantiate_with_code does).  *why
 * names a refusal; an LMDB error is returned. */
static int charge_code(bst_contracts *c, MDB_txn *t, const bst_contract_exec *e,
                       const uint8_t hash[32], ctr_u128 *limit, ctr_u128 *deposit,
                       const char **why) {
    MDB_val v;
    int rc = ctr_code_get(c, t, hash, &v);
    if (rc != MDB_NOTFOUND) return rc; /* stored already: nothing to pay */
    *deposit = ctr_code_deposit(c, e->code_len);
    if (e->has_deposit_limit && ctr_u128_cmp(*deposit, *limit) > 0) {
        *why = "StorageDepositLimitExhausted: the code deposit is above the limit";
        return MDB_SUCCESS;
    }
    *limit = ctr_u128_sub_sat(*limit, *deposit);
    rc = ctr_code_charge(c, t, hash, e->origin, *deposit);
    if (rc == MDB_NOTFOUND) {
        *why = "StorageDepositNotEnoughFunds: the origin cannot pay the code deposit";
        return MDB_SUCCESS;
    }
    return rc ? rc : ctr_code_put(c, t, hash, e->code, e->code_len);
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
    if (!ctr_balance_fits(c, ctr_u128_load(e->value)) ||
        (e->has_deposit_limit && !ctr_balance_fits(c, ctr_u128_load(e->storage_deposit_limit)))) {
        snprintf(res->error, sizeof res->error,
                 "the value or the storage deposit limit does not fit the %u-bit balance type",
                 c->balance_bytes * 8);
        return BST_ERR_ARG;
    }
    ctr_exec x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.cfg = &c->cfg;
    x.deadline = e->deadline;
    x.page_cap = e->max_memory_pages ? e->max_memory_pages : UINT32_MAX;
    x.ticket = e->ticket;
    memcpy(x.origin, e->origin, 32);
    x.sampler = e->sampler;
    uint64_t gas = e->gas_limit ? e->gas_limit : c->cfg.default_gas_limit;
    /* A store holds at most INT64_MAX fuel (bst_store_set_fuel caps there): a larger limit
     * would not be the one applied, and gas_used (limit - fuel left) would be off by the cut. */
    if (gas > (uint64_t)INT64_MAX) gas = (uint64_t)INT64_MAX;
    res->gas_limit = gas;
    /* proof_size: 0 is the config's default, whose 0 is unlimited; cut like ref_time so that
     * both dimensions print as signed 64-bit numbers (JSON) */
    uint64_t proof = e->proof_size_limit ? e->proof_size_limit : c->cfg.default_proof_limit;
    if (proof == 0 || proof > (uint64_t)INT64_MAX) proof = (uint64_t)INT64_MAX;
    res->proof_size_limit = proof;
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
    ctr_u128 limit = ctr_u128_load(e->storage_deposit_limit), code_deposit = {0, 0};
    if (inst) {
        memcpy(target, e->code_hash, 32);
        if (e->code) {
            bst_error err;
            bst_module *m = ctr_validate(&c->cfg, e->code, e->code_len, &err);
            if (m && !ctr_chain_ext_check_imports(c, m, &err)) {
                bst_module_free(m);
                m = NULL;
            }
            if (!m) {
                snprintf(res->error, sizeof res->error, "code rejected: %.200s", err.message);
                mdb_txn_abort(t);
                return BST_OK;
            }
            bst_module_free(m);
            bst_blake2_256(e->code, e->code_len, target);
            const char *why = NULL;
            if ((rc = charge_code(c, t, e, target, &limit, &code_deposit, &why))) goto state_fail;
            if (why) {
                snprintf(res->error, sizeof res->error, "%s", why);
                mdb_txn_abort(t);
                return BST_OK;
            }
        }
        memcpy(res->code_hash, target, 32);
    } else {
        memcpy(target, e->dest, 32);
    }
    /* the storage deposit limit: what the origin can pay after the value (and the new
     * contract's existential deposit) */
    ctr_u128 leftover = ctr_u128_load(e->value);
    if (inst) leftover = ctr_u128_add_sat(leftover, c->ed);
    bool affordable;
    if ((rc = ctr_meter_root(&x, t, e->has_deposit_limit ? &limit : NULL, leftover, &affordable)))
        goto state_fail;
    if (!affordable) {
        snprintf(res->error, sizeof res->error,
                 "StorageDepositNotEnoughFunds: the origin cannot pay the storage deposit limit");
        mdb_txn_abort(t);
        exec_free(&x);
        return BST_OK;
    }
    frame_result r;
    uint8_t addr[32] = {0};
    int pre = ctr_run_frame(&x, NULL, t, inst ? FRAME_INSTANTIATE : FRAME_CALL, false, e->origin,
                            target, ctr_u128_load(e->value), e->input, e->input_len, e->salt,
                            e->salt_len, (ctr_weight){gas, proof}, addr, &r);
    res->gas_used = r.gas_used;
    res->proof_size_used = r.proof_used;
    switch (pre) {
    case PRE_RAN: break;
    case PRE_NOT_CONTRACT:
        snprintf(res->error, sizeof res->error, "no contract at the destination");
        break;
    case PRE_CODE_NOT_FOUND: snprintf(res->error, sizeof res->error, "code not found"); break;
    case PRE_TRANSFER_FAILED:
        snprintf(res->error, sizeof res->error, "transfer failed: insufficient balance");
        break;
    case PRE_DUPLICATE:
        snprintf(res->error, sizeof res->error,
                 "duplicate contract: an instance already exists at that address");
        break;
    case PRE_DEPOSIT_LIMIT:
        snprintf(res->error, sizeof res->error,
                 "StorageDepositLimitExhausted: the new contract's base deposit is above the "
                 "limit");
        break;
    default: snprintf(res->error, sizeof res->error, "state failure"); break;
    }
    if (pre != PRE_RAN) {
        mdb_txn_abort(t);
        exec_free(&x);
        if (pre == PRE_FATAL) return BST_ERR_INVALID;
        return BST_OK;
    }
    if (inst)
        memcpy(res->address, addr, 32);
    else {
        ctr_contract_info info;
        if (!ctr_get_contract(c, t, target, &info)) memcpy(res->code_hash, info.code_hash, 32);
    }
    res->outcome = x.fatal || r.deposit_exhausted ? BST_CONTRACT_ERROR : r.outcome;
    if (res->outcome == BST_CONTRACT_SUCCESS) {
        /* the deposits every frame collected: refunds, then charges to the origin */
        ctr_deposit total;
        rc = ctr_meter_settle(&x, t, &total);
        if (rc && rc != MDB_NOTFOUND) goto state_fail;
        if (rc == MDB_NOTFOUND) {
            res->outcome = BST_CONTRACT_ERROR;
            snprintf(r.msg, sizeof r.msg,
                     "StorageDepositNotEnoughFunds: the origin cannot pay the storage deposit");
        } else {
            ctr_deposit code = {code_deposit, false};
            total = ctr_deposit_add(total, code);
            ctr_u128_store(total.amount, res->storage_deposit);
            res->storage_deposit_refund = total.refund;
        }
    }
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
    res->stats = x.stats;
    memset(&x.stats, 0, sizeof x.stats);
    if (x.fatal) status = BST_ERR_INVALID;
    exec_free(&x);
    return status;
state_fail:
    if (t) mdb_txn_abort(t);
    if (!res->data) { /* keep nothing half-made */
    }
    free(res->data);
    res->data = NULL;
    res->data_len = 0;
    res->outcome = BST_CONTRACT_ERROR;
    snprintf(res->error, sizeof res->error, "state: %s", mdb_strerror(rc));
    exec_free(&x);
    return BST_ERR_INVALID;
}
