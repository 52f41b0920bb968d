/*
 * balance.c — accounts and balances: a free and a reserved balance per account, of the width
 * the state was created with (u128, or u64 as pallet-contracts' test runtime), the existential
 * deposit, transfers with pallet-balances' keep-alive / allow-death rules, holding and releasing
 * storage deposits, and the public account functions of bastion_contracts.h.  Also the balance
 * width record and the genesis endowments a new state gets at open.
 */
#include "contracts_impl.h"

#include <stdio.h>
#include <string.h>

/* ---- the account record ---- */

int ctr_get_account(bst_contracts *c, MDB_txn *t, const uint8_t acc[32], ctr_account *out) {
    MDB_val k = {32, (void *)acc}, v;
    memset(out, 0, sizeof *out);
    int rc = mdb_get(t, c->db_accounts, &k, &v);
    if (rc == MDB_NOTFOUND) return MDB_SUCCESS;
    if (rc) return rc;
    /* 16 bytes: a free balance alone (also every state made before reserves existed) */
    if (v.mv_size != 16 && v.mv_size != 32) return MDB_CORRUPTED;
    out->free = ctr_u128_load(v.mv_data);
    if (v.mv_size == 32) out->reserved = ctr_u128_load((const uint8_t *)v.mv_data + 16);
    return MDB_SUCCESS;
}

int ctr_put_account(bst_contracts *c, MDB_txn *t, const uint8_t acc[32], const ctr_account *a) {
    MDB_val k = {32, (void *)acc};
    if (ctr_u128_is_zero(a->free) && ctr_u128_is_zero(a->reserved)) {
        int rc = mdb_del(t, c->db_accounts, &k, NULL);
        return rc == MDB_NOTFOUND ? MDB_SUCCESS : rc;
    }
    uint8_t b[32];
    ctr_u128_store(a->free, b);
    ctr_u128_store(a->reserved, b + 16);
    MDB_val val = {ctr_u128_is_zero(a->reserved) ? 16u : 32u, b};
    return mdb_put(t, c->db_accounts, &k, &val, 0);
}

int ctr_get_balance(bst_contracts *c, MDB_txn *t, const uint8_t acc[32], ctr_u128 *out) {
    ctr_account a;
    int rc = ctr_get_account(c, t, acc, &a);
    *out = a.free;
    return rc;
}

int ctr_put_balance(bst_contracts *c, MDB_txn *t, const uint8_t acc[32], ctr_u128 v) {
    ctr_account a;
    int rc = ctr_get_account(c, t, acc, &a);
    if (rc) return rc;
    a.free = v;
    return ctr_put_account(c, t, acc, &a);
}

bool ctr_balance_fits(const bst_contracts *c, ctr_u128 v) {
    return ctr_u128_cmp(v, c->balance_max) <= 0;
}

/* a + b when it fits the width, else false. */
static bool add_fits(const bst_contracts *c, ctr_u128 a, ctr_u128 b, ctr_u128 *out) {
    return ctr_u128_add(a, b, out) && ctr_balance_fits(c, *out);
}

/* ---- moving balance ---- */

/* Reads from's account into *fa and what would stay free after taking amount into *left;
 * MDB_NOTFOUND when its free balance is short (what the caller may take is its own rule). */
static int take_free(bst_contracts *c, MDB_txn *t, const uint8_t from[32], ctr_u128 amount,
                     ctr_account *fa, ctr_u128 *left) {
    int rc = ctr_get_account(c, t, from, fa);
    if (rc) return rc;
    if (ctr_u128_cmp(fa->free, amount) < 0) return MDB_NOTFOUND;
    *left = ctr_u128_sub(fa->free, amount);
    return MDB_SUCCESS;
}

int ctr_transfer(bst_contracts *c, MDB_txn *t, const uint8_t from[32], const uint8_t to[32],
                 ctr_u128 value, bool keep_alive) {
    if (ctr_u128_is_zero(value)) return MDB_SUCCESS;
    ctr_account fa, ta;
    ctr_u128 left;
    int rc = take_free(c, t, from, value, &fa, &left);
    if (rc) return rc;
    /* keep-alive: at least the existential deposit stays; allow-death: the account may be
     * emptied, but never left with dust below the existential deposit */
    if (ctr_u128_cmp(left, c->ed) < 0 && (keep_alive || !ctr_u128_is_zero(left)))
        return MDB_NOTFOUND;
    if (memcmp(from, to, 32) == 0) return MDB_SUCCESS;
    if ((rc = ctr_get_account(c, t, to, &ta))) return rc;
    /* a new account must receive the existential deposit */
    bool exists = !ctr_u128_is_zero(ta.free) || !ctr_u128_is_zero(ta.reserved);
    if (!exists && ctr_u128_cmp(value, c->ed) < 0) return MDB_NOTFOUND;
    ctr_u128 nb;
    if (!add_fits(c, ta.free, value, &nb)) return MDB_NOTFOUND;
    fa.free = left;
    ta.free = nb;
    if ((rc = ctr_put_account(c, t, from, &fa))) return rc;
    return ctr_put_account(c, t, to, &ta);
}

int ctr_hold(bst_contracts *c, MDB_txn *t, const uint8_t from[32], const uint8_t to[32],
             ctr_u128 amount) {
    if (ctr_u128_is_zero(amount)) return MDB_SUCCESS;
    ctr_account fa, ta;
    ctr_u128 left;
    int rc = take_free(c, t, from, amount, &fa, &left);
    if (rc) return rc;
    /* a reserve on the account itself keeps it alive; paying another keeps the payer alive */
    bool self = memcmp(from, to, 32) == 0;
    if (!self && ctr_u128_cmp(left, c->ed) < 0) return MDB_NOTFOUND;
    fa.free = left;
    if (self) {
        if (!add_fits(c, fa.reserved, amount, &fa.reserved)) return MDB_NOTFOUND;
        return ctr_put_account(c, t, from, &fa);
    }
    if ((rc = ctr_get_account(c, t, to, &ta))) return rc;
    if (!add_fits(c, ta.reserved, amount, &ta.reserved)) return MDB_NOTFOUND;
    if ((rc = ctr_put_account(c, t, from, &fa))) return rc;
    return ctr_put_account(c, t, to, &ta);
}

int ctr_release(bst_contracts *c, MDB_txn *t, const uint8_t from[32], const uint8_t to[32],
                ctr_u128 amount, ctr_u128 *moved) {
    ctr_account fa, ta;
    if (moved) *moved = ctr_u128_from64(0);
    int rc = ctr_get_account(c, t, from, &fa);
    if (rc) return rc;
    ctr_u128 m = ctr_u128_min(amount, fa.reserved);
    if (ctr_u128_is_zero(m)) return MDB_SUCCESS;
    fa.reserved = ctr_u128_sub(fa.reserved, m);
    if (memcmp(from, to, 32) == 0) {
        fa.free = ctr_u128_add_sat(fa.free, m);
        if (moved) *moved = m;
        return ctr_put_account(c, t, from, &fa);
    }
    if ((rc = ctr_get_account(c, t, to, &ta))) return rc;
    ta.free = ctr_u128_add_sat(ta.free, m);
    if ((rc = ctr_put_account(c, t, from, &fa))) return rc;
    if (moved) *moved = m;
    return ctr_put_account(c, t, to, &ta);
}

/* ---- opening: the width and the genesis ---- */

static bool open_fail(bst_error *err, bst_status st, const char *msg) {
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = st;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return false;
}

/* Is the state new: no width recorded, no account, no code? */
static int state_is_new(bst_contracts *c, MDB_txn *t, bool *is_new) {
    MDB_stat a, k;
    int rc = mdb_stat(t, c->db_accounts, &a);
    if (!rc) rc = mdb_stat(t, c->db_code, &k);
    *is_new = !rc && a.ms_entries == 0 && k.ms_entries == 0;
    return rc;
}

bool ctr_balances_open(bst_contracts *c, const bst_contracts_config *cfg, bst_error *err) {
    if (cfg->balance_bytes != 0 && cfg->balance_bytes != 8 && cfg->balance_bytes != 16)
        return open_fail(err, BST_ERR_ARG, "balance_bytes must be 8, 16 or 0");
    c->ed = ctr_u128_load(cfg->existential_deposit);
    c->per_byte = ctr_u128_load(cfg->deposit_per_byte);
    c->per_item = ctr_u128_load(cfg->deposit_per_item);
    if (cfg->nendowments && !cfg->endowments)
        return open_fail(err, BST_ERR_ARG, "endowments: NULL with a count");
    MDB_txn *t;
    int rc = mdb_txn_begin(c->env, NULL, cfg->must_exist ? MDB_RDONLY : 0, &t);
    if (rc) return open_fail(err, BST_ERR_INVALID, mdb_strerror(rc));
    uint64_t stored = 0;
    bool is_new = false;
    if (!(rc = ctr_meta_get(c, t, "balance_bytes", &stored)) && stored == 0)
        rc = state_is_new(c, t, &is_new);
    if (rc) {
        mdb_txn_abort(t);
        return open_fail(err, BST_ERR_INVALID, mdb_strerror(rc));
    }
    /* a state older than the record holds u128 balances */
    uint32_t width = stored                         ? (uint32_t)stored
                     : is_new && cfg->balance_bytes ? cfg->balance_bytes
                                                    : 16;
    char msg[200];
    if ((width != 8 && width != 16) || (cfg->balance_bytes && cfg->balance_bytes != width)) {
        mdb_txn_abort(t);
        snprintf(msg, sizeof msg,
                 "the state was created with %u-bit balances and cannot be opened with %u-bit "
                 "ones (use its width, or a new state directory)",
                 width * 8, cfg->balance_bytes * 8);
        return open_fail(err, BST_ERR_INVALID, msg);
    }
    c->balance_bytes = width;
    c->balance_max.lo = UINT64_MAX;
    c->balance_max.hi = width == 16 ? UINT64_MAX : 0;
    if (!ctr_balance_fits(c, c->ed) || !ctr_balance_fits(c, c->per_byte) ||
        !ctr_balance_fits(c, c->per_item)) {
        mdb_txn_abort(t);
        return open_fail(err, BST_ERR_ARG,
                         "existential deposit or deposit prices do not fit the balance width");
    }
    if (cfg->nendowments && !is_new) {
        mdb_txn_abort(t);
        return open_fail(err, BST_ERR_ARG,
                         "endowments (genesis balances) are for a new state; this one exists");
    }
    if (cfg->must_exist) {
        mdb_txn_abort(t);
        return true;
    }
    if (!stored) rc = ctr_meta_put(c, t, "balance_bytes", width);
    for (size_t i = 0; !rc && i < cfg->nendowments; i++) {
        ctr_account a;
        if ((rc = ctr_get_account(c, t, cfg->endowments[i].account, &a))) break;
        ctr_u128 add = ctr_u128_load(cfg->endowments[i].amount);
        if (!add_fits(c, a.free, add, &a.free)) {
            mdb_txn_abort(t);
            return open_fail(err, BST_ERR_LIMIT, "an endowment does not fit the balance width");
        }
        rc = ctr_put_account(c, t, cfg->endowments[i].account, &a);
    }
    if (rc) {
        mdb_txn_abort(t);
        return open_fail(err, BST_ERR_INVALID, mdb_strerror(rc));
    }
    if ((rc = mdb_txn_commit(t))) return open_fail(err, BST_ERR_INVALID, mdb_strerror(rc));
    return true;
}

/* ---- the public account functions ---- */

static bst_status api_fail(bst_error *err, bst_status st, const char *what, int rc) {
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = st;
        snprintf(err->message, sizeof err->message, "%s%s%s", what, rc ? ": " : "",
                 rc ? mdb_strerror(rc) : "");
    }
    return st;
}

/* Runs op in a write transaction, committed when it returns MDB_SUCCESS.  MDB_NOTFOUND from op
 * is a refusal: `refused` names it (BST_ERR_LIMIT). */
static bst_status in_txn(bst_contracts *c, int (*op)(bst_contracts *, MDB_txn *, const void *),
                         const void *arg, const char *refused, bst_error *err) {
    if (err) memset(err, 0, sizeof *err);
    MDB_txn *t;
    int rc = mdb_txn_begin(c->env, NULL, 0, &t);
    if (rc) return api_fail(err, BST_ERR_INVALID, "balance update", rc);
    rc = op(c, t, arg);
    if (rc) {
        mdb_txn_abort(t);
        if (rc == MDB_NOTFOUND) return api_fail(err, BST_ERR_LIMIT, refused, 0);
        return api_fail(err, BST_ERR_INVALID, "balance update", rc);
    }
    if ((rc = mdb_txn_commit(t))) return api_fail(err, BST_ERR_INVALID, "balance update", rc);
    return BST_OK;
}

typedef struct adjust_arg {
    const uint8_t *account;
    ctr_u128 v;
    bool add;
} adjust_arg;

static int adjust_op(bst_contracts *c, MDB_txn *t, const void *p) {
    const adjust_arg *a = p;
    ctr_account acc;
    int rc = ctr_get_account(c, t, a->account, &acc);
    if (rc) return rc;
    if (!a->add)
        acc.free = a->v;
    else if (!add_fits(c, acc.free, a->v, &acc.free))
        return MDB_NOTFOUND;
    return ctr_put_account(c, t, a->account, &acc);
}

static bst_status adjust(bst_contracts *c, const uint8_t account[32], const uint8_t v[16], bool add,
                         bst_error *err) {
    if (!c || !account || !v) return api_fail(err, BST_ERR_ARG, "bad arguments", 0);
    adjust_arg a = {account, ctr_u128_load(v), add};
    if (!ctr_balance_fits(c, a.v))
        return api_fail(err, BST_ERR_LIMIT, "the amount does not fit the balance width", 0);
    return in_txn(c, adjust_op, &a, "the balance would not fit the balance width", err);
}

bst_status bst_contracts_set_balance(bst_contracts *c, const uint8_t account[32],
                                     const uint8_t balance_le16[16], bst_error *err) {
    return adjust(c, account, balance_le16, false, err);
}

bst_status bst_contracts_credit(bst_contracts *c, const uint8_t account[32],
                                const uint8_t amount_le16[16], bst_error *err) {
    return adjust(c, account, amount_le16, true, err);
}

typedef struct transfer_arg {
    const uint8_t *from, *to;
    ctr_u128 v;
    bool keep_alive;
} transfer_arg;

static int transfer_op(bst_contracts *c, MDB_txn *t, const void *p) {
    const transfer_arg *a = p;
    return ctr_transfer(c, t, a->from, a->to, a->v, a->keep_alive);
}

bst_status bst_contracts_transfer(bst_contracts *c, const uint8_t from[32], const uint8_t to[32],
                                  const uint8_t amount_le16[16], bool keep_alive, bst_error *err) {
    if (!c || !from || !to || !amount_le16) return api_fail(err, BST_ERR_ARG, "bad arguments", 0);
    transfer_arg a = {from, to, ctr_u128_load(amount_le16), keep_alive};
    if (!ctr_balance_fits(c, a.v))
        return api_fail(err, BST_ERR_LIMIT, "the amount does not fit the balance width", 0);
    return in_txn(c, transfer_op, &a,
                  keep_alive ? "transfer refused: too little free balance (the sender must keep "
                               "the existential deposit), a new recipient below the existential "
                               "deposit, or the recipient's balance would overflow"
                             : "transfer refused: too little free balance, a non-zero remainder "
                               "below the existential deposit, a new recipient below the "
                               "existential deposit, or the recipient's balance would overflow",
                  err);
}

bool bst_contracts_account(bst_contracts *c, const uint8_t account[32], uint8_t free_le16[16],
                           uint8_t reserved_le16[16]) {
    if (free_le16) memset(free_le16, 0, 16);
    if (reserved_le16) memset(reserved_le16, 0, 16);
    MDB_txn *t;
    if (mdb_txn_begin(c->env, NULL, MDB_RDONLY, &t)) return false;
    ctr_account a;
    int rc = ctr_get_account(c, t, account, &a);
    mdb_txn_abort(t);
    if (rc) return false;
    if (free_le16) ctr_u128_store(a.free, free_le16);
    if (reserved_le16) ctr_u128_store(a.reserved, reserved_le16);
    return true;
}

bool bst_contracts_balance(bst_contracts *c, const uint8_t account[32], uint8_t out_le16[16]) {
    return bst_contracts_account(c, account, out_le16, NULL);
}

uint32_t bst_contracts_balance_bytes(const bst_contracts *c) { return c->balance_bytes; }

void bst_contracts_minimum_balance(const bst_contracts *c, uint8_t out_le16[16]) {
    ctr_u128_store(c->ed, out_le16);
}
