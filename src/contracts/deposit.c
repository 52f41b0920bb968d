/*
 * deposit.c — storage deposits as pallet-contracts charges them (frame/contracts/src/storage/
 * meter.rs, 2023): every frame meters the storage its contract adds or frees (per byte and per
 * item), a new contract pays a base deposit for its own record, code pays a deposit at upload.
 * Deposits are charged to the origin of the exec and held (reserved) on the contract; storage
 * freed is refunded to the origin pro rata of what the contract holds; a terminated contract
 * refunds all it held.  Charges are collected per frame, dropped with a frame that fails, and
 * settled when the exec ends (refunds first), so the order of changes does not matter; the
 * limit (storage_deposit_limit, or what the origin can afford) is checked when the top-level
 * frame returns, and when a frame that got a limit of its own (seal2 call / instantiate)
 * returns.  Deviations from the pallet are listed in docs/contracts.md.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

/* The pallet's encoded ContractInfo (2023): trie id (33), code hash (32), storage bytes and
 * items (4 + 4), three deposits of the balance width.  The base deposit pays for it. */
static uint32_t info_bytes(const bst_contracts *c) {
    return 33 + 32 + 4 + 4 + 3 * c->balance_bytes;
}

/* What a code's owner record adds to its bytes: owner (32), deposit (8), refcount (8). */
#define CODE_OWNER_BYTES 48u

static ctr_deposit charge(ctr_u128 v) {
    ctr_deposit d = {v, false};
    return d;
}

static ctr_deposit refund(ctr_u128 v) {
    ctr_deposit d = {v, true};
    return d;
}

ctr_deposit ctr_deposit_add(ctr_deposit a, ctr_deposit b) {
    if (a.refund == b.refund) {
        a.amount = ctr_u128_add_sat(a.amount, b.amount);
        return a;
    }
    if (ctr_u128_cmp(a.amount, b.amount) >= 0) {
        a.amount = ctr_u128_sub(a.amount, b.amount);
        if (ctr_u128_is_zero(a.amount)) a.refund = false;
        return a;
    }
    b.amount = ctr_u128_sub(b.amount, a.amount);
    return b;
}

/* What is left of the meter's limit (a refund makes room). */
static ctr_u128 available(const ctr_meter *m) {
    return m->total.refund ? ctr_u128_add_sat(m->limit, m->total.amount)
                           : ctr_u128_sub_sat(m->limit, m->total.amount);
}

static ctr_u128 price(ctr_u128 unit, uint64_t n) { return ctr_u128_mul_sat(unit, n); }

ctr_u128 ctr_code_deposit(const bst_contracts *c, size_t len) {
    uint64_t bytes = (uint64_t)len + CODE_OWNER_BYTES;
    return ctr_u128_add_sat(price(c->per_byte, bytes), price(c->per_item, 2));
}

void ctr_meter_start(ctr_frame *f) {
    ctr_exec *x = f->x;
    const ctr_meter *pm = f->parent ? &f->parent->meter : &x->root;
    memset(&f->meter, 0, sizeof f->meter);
    ctr_u128 avail = available(pm);
    f->meter.limit = avail;
    if (x->callee_limit_set) {
        /* the pallet's nested(limit): the lesser of its own and what is left; zero: none */
        ctr_u128 own = ctr_u128_min(avail, x->callee_limit);
        x->callee_limit_set = false;
        if (!ctr_u128_is_zero(own)) {
            f->meter.limit = own;
            f->meter.own_limit = true;
        }
    }
}

void ctr_meter_storage(ctr_frame *f, bool old_present, size_t old_len, bool new_present,
                       size_t new_len, size_t key_len) {
    ctr_meter *m = &f->meter;
    uint32_t o = (uint32_t)old_len, n = (uint32_t)new_len, k = (uint32_t)key_len;
    if (old_present && new_present) {
        if (n > o)
            m->bytes_added += n - o;
        else
            m->bytes_removed += o - n;
    } else if (new_present) {
        m->bytes_added += n + k;
        m->items_added++;
    } else if (old_present) {
        m->bytes_removed += o + k;
        m->items_removed++;
    }
}

int ctr_meter_instantiate(ctr_frame *f, ctr_contract_info *info) {
    ctr_exec *x = f->x;
    bst_contracts *c = x->c;
    ctr_u128 base = ctr_u128_add_sat(price(c->per_byte, info_bytes(c)), c->per_item);
    if (ctr_u128_cmp(base, f->meter.limit) > 0) return PRE_DEPOSIT_LIMIT;
    /* the contract's account comes into existence with the existential deposit, free; the
     * base deposit is held on it, both paid by the origin */
    int rc = ctr_transfer(c, f->txn, x->origin, f->address, c->ed, true);
    if (!rc) rc = ctr_hold(c, f->txn, x->origin, f->address, base);
    if (rc == MDB_NOTFOUND) return PRE_TRANSFER_FAILED;
    if (rc) {
        x->fatal = rc;
        return PRE_FATAL;
    }
    info->base_deposit = base;
    f->meter.total = charge(base);
    return PRE_RAN;
}

void ctr_meter_terminate(ctr_frame *f, const ctr_contract_info *info) {
    f->meter.terminated = true;
    f->meter.terminate_refund = ctr_u128_add_sat(
        ctr_u128_add_sat(info->byte_deposit, info->item_deposit), info->base_deposit);
}

/* One dimension (bytes or items) of the pallet's Diff::update_contract: the charge for what
 * was added, or the refund pro rata of what the contract holds for what was removed; *count
 * and *held updated. */
static ctr_deposit update_one(ctr_u128 unit, uint32_t added, uint32_t removed, uint32_t *count,
                              ctr_u128 *held) {
    uint32_t net_added = added > removed ? added - removed : 0;
    uint32_t net_removed = removed > added ? removed - added : 0;
    ctr_deposit d = charge(price(unit, net_added));
    d = ctr_deposit_add(d, refund(ctr_u128_share(*held, net_removed, *count)));
    uint64_t nc = (uint64_t)*count + net_added;
    nc = nc > net_removed ? nc - net_removed : 0;
    *count = nc > UINT32_MAX ? UINT32_MAX : (uint32_t)nc;
    *held = d.refund ? ctr_u128_sub_sat(*held, d.amount) : ctr_u128_add_sat(*held, d.amount);
    return d;
}

/* The frame's own deposit: its storage changes priced against its contract's info (written
 * back), or all it held when it was terminated. */
static int own_deposit(ctr_frame *f, ctr_deposit *out) {
    ctr_meter *m = &f->meter;
    bst_contracts *c = f->x->c;
    *out = charge(ctr_u128_from64(0));
    if (m->terminated) {
        *out = refund(m->terminate_refund);
        return MDB_SUCCESS;
    }
    if (!m->bytes_added && !m->bytes_removed && !m->items_added && !m->items_removed)
        return MDB_SUCCESS;
    ctr_contract_info info;
    int rc = ctr_get_contract(c, f->txn, f->address, &info);
    if (rc) return rc;
    ctr_deposit b = update_one(c->per_byte, m->bytes_added, m->bytes_removed, &info.storage_bytes,
                               &info.byte_deposit);
    ctr_deposit i = update_one(c->per_item, m->items_added, m->items_removed, &info.storage_items,
                               &info.item_deposit);
    *out = ctr_deposit_add(b, i);
    return ctr_put_contract(c, f->txn, f->address, &info);
}

static bool push_charge(ctr_meter *m, const uint8_t contract[32], ctr_deposit d) {
    if (m->ncharges == m->cap) {
        size_t nc = m->cap ? 2 * m->cap : 4;
        ctr_charge *n = realloc(m->charges, nc * sizeof *n);
        if (!n) return false;
        m->charges = n;
        m->cap = nc;
    }
    memcpy(m->charges[m->ncharges].contract, contract, 32);
    m->charges[m->ncharges++].amount = d;
    return true;
}

bool ctr_meter_finish(ctr_frame *f, int *rc) {
    ctr_meter *m = &f->meter;
    ctr_deposit own;
    *rc = own_deposit(f, &own);
    if (*rc) return true;
    /* the top-level frame checks the exec's limit, a frame with a limit of its own that one */
    ctr_deposit total = ctr_deposit_add(m->total, own);
    if ((m->own_limit || f->depth == 0) && !total.refund &&
        ctr_u128_cmp(total.amount, m->limit) > 0)
        return false;
    ctr_meter *pm = f->parent ? &f->parent->meter : &f->x->root;
    pm->total = ctr_deposit_add(pm->total, total);
    for (size_t i = 0; i < m->ncharges; i++)
        if (!push_charge(pm, m->charges[i].contract, m->charges[i].amount)) *rc = -1;
    if (!ctr_u128_is_zero(own.amount) && !push_charge(pm, f->address, own)) *rc = -1;
    ctr_meter_free(m);
    return true;
}

void ctr_meter_free(ctr_meter *m) {
    free(m->charges);
    m->charges = NULL;
    m->ncharges = m->cap = 0;
}

int ctr_meter_root(ctr_exec *x, MDB_txn *t, const ctr_u128 *limit, ctr_u128 min_leftover,
                   bool *ok) {
    ctr_u128 free_bal;
    int rc = ctr_get_balance(x->c, t, x->origin, &free_bal);
    *ok = false;
    if (rc) return rc;
    ctr_u128 max = ctr_u128_sub_sat(ctr_u128_sub_sat(free_bal, x->c->ed), min_leftover);
    x->root.limit = max;
    if (limit) {
        if (ctr_u128_cmp(*limit, max) > 0) return MDB_SUCCESS;
        x->root.limit = *limit;
    }
    *ok = true;
    return MDB_SUCCESS;
}

int ctr_meter_settle(ctr_exec *x, MDB_txn *t, ctr_deposit *total) {
    const ctr_meter *m = &x->root;
    int rc = MDB_SUCCESS;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        for (size_t i = 0; i < m->ncharges && !rc; i++) {
            const ctr_charge *ch = &m->charges[i];
            if (ch->amount.refund != (pass == 0)) continue;
            rc = pass == 0 ? ctr_release(x->c, t, ch->contract, x->origin, ch->amount.amount, NULL)
                           : ctr_hold(x->c, t, x->origin, ch->contract, ch->amount.amount);
        }
    }
    *total = m->total;
    return rc;
}

int ctr_code_charge(bst_contracts *c, MDB_txn *t, const uint8_t hash[32], const uint8_t owner[32],
                    ctr_u128 deposit) {
    int rc = ctr_hold(c, t, owner, owner, deposit);
    if (rc) return rc;
    uint8_t key[33], val[48];
    memcpy(key, hash, 32);
    key[32] = CTR_CODE_OWNER;
    memcpy(val, owner, 32);
    ctr_u128_store(deposit, val + 32);
    MDB_val k = {sizeof key, key}, v = {sizeof val, val};
    return mdb_put(t, c->db_code, &k, &v, 0);
}
