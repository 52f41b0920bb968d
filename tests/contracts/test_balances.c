/*
 * test_balances.c — balances, the existential deposit and storage deposits through the public
 * API (bastion_contracts.h), with the u64 balance type of pallet-contracts' own test runtime:
 * the balance width stored with the state, transfers, our versions of the pallet's WAT fixtures
 * drain, transfer_return_code, call_return_code, self_destruct, destroy_and_transfer and
 * caller_contract
 * (tests/contracts/balances/NAME.wat) checked for the outcomes frame/contracts/src/tests.rs
 * asserts, and the deposits of upload, instantiate, storage writes, frees and terminate with
 * exact amounts.  `test_balances GROUP` runs one group (CTest contracts/balances_GROUP) in a
 * fresh state directory.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bastion_contracts.h"
#include "bastion_crypto.h"
#include "../support/check.h"
#include "contracts_test_util.h"

/* The accounts of the pallet's tests: [1; 32], [2; 32], [3; 32], [4; 32]. */
static uint8_t ALICE[32], BOB[32], CHARLIE[32], DJANGO[32];

static const char *state_dir;

/* Opens the state of this run with u64 balances (width 8, or `width`), existential deposit ed
 * and the pallet test runtime's deposit prices (1 per byte, 2 per item). */
static bst_contracts *open_width(uint32_t width, uint64_t ed, const bst_contracts_endowment *en,
                                 size_t n, bst_error *err) {
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = state_dir;
    cfg.balance_bytes = width;
    u128(cfg.existential_deposit, ed);
    cfg.endowments = en;
    cfg.nendowments = n;
    return bst_contracts_open(&cfg, err);
}

/* A fresh state (u64 balances, existential deposit ed) where ALICE has `alice`. */
static bst_contracts *setup(uint64_t ed, uint64_t alice) {
    state_dir = ctu_fresh_state_dir("bst-bal");
    bst_contracts_endowment en;
    memcpy(en.account, ALICE, 32);
    u128(en.amount, alice);
    bst_error err;
    bst_contracts *c = open_width(8, ed, &en, 1, &err);
    if (!c) fprintf(stderr, "open: %s\n", err.message);
    REQUIRE(c);
    return c;
}

static uint8_t *read_wasm(const char *name, size_t *len) {
    return ctu_read_wasm(BALANCES_WASM_DIR, name, len);
}

static void set_free(bst_contracts *c, const uint8_t acc[32], uint64_t v) {
    uint8_t b[16];
    u128(b, v);
    bst_error err;
    CHECK(bst_contracts_set_balance(c, acc, b, &err) == BST_OK);
}

static uint64_t free_of(bst_contracts *c, const uint8_t acc[32]) {
    uint8_t f[16];
    CHECK(bst_contracts_account(c, acc, f, NULL));
    return lo64(f);
}

static uint64_t reserved_of(bst_contracts *c, const uint8_t acc[32]) {
    uint8_t r[16];
    CHECK(bst_contracts_account(c, acc, NULL, r));
    return lo64(r);
}

/* Instantiates the fixture `name` (code given with the request) from origin with value, input
 * and salt; the address to addr.  The outcome, the result in *r (free it). */
static bst_contract_outcome instantiate(bst_contracts *c, const uint8_t origin[32],
                                        const char *name, uint64_t value, const uint8_t *input,
                                        size_t input_len, const uint8_t *salt, size_t salt_len,
                                        uint8_t addr[32], bst_contract_result *r) {
    size_t len;
    uint8_t *code = read_wasm(name, &len);
    bst_contract_exec e;
    ctu_exec_init(&e, BST_CONTRACT_INSTANTIATE, origin, NULL, input, input_len, false);
    e.code = code;
    e.code_len = len;
    u128(e.value, value);
    e.salt = salt;
    e.salt_len = salt_len;
    CHECK(bst_contracts_exec(c, &e, r) == BST_OK);
    free(code);
    if (r->outcome != BST_CONTRACT_SUCCESS)
        fprintf(stderr, "  instantiate %s: %s\n", name, r->error);
    memcpy(addr, r->address, 32);
    return r->outcome;
}

/* Calls dest from origin; limit (u64) is the storage deposit limit unless it is UINT64_MAX. */
static bst_contract_outcome call(bst_contracts *c, const uint8_t origin[32], const uint8_t dest[32],
                                 const uint8_t *input, size_t len, uint64_t limit, bool dry,
                                 bst_contract_result *r) {
    bst_contract_exec e;
    ctu_exec_init(&e, BST_CONTRACT_CALL, origin, dest, input, len, dry);
    if (limit != UINT64_MAX) {
        e.has_deposit_limit = true;
        u128(e.storage_deposit_limit, limit);
    }
    CHECK(bst_contracts_exec(c, &e, r) == BST_OK);
    return r->outcome;
}

/* The ReturnCode a fixture returned as its output. */
static int32_t return_code(const bst_contract_result *r) {
    if (r->data_len != 4) return -1;
    return (int32_t)(r->data[0] | r->data[1] << 8 | r->data[2] << 16 | (uint32_t)r->data[3] << 24);
}

/* The net deposit of a result: positive a charge, negative a refund. */
static int64_t deposit_of(const bst_contract_result *r) {
    int64_t v = (int64_t)lo64(r->storage_deposit);
    return r->storage_deposit_refund ? -v : v;
}

/* The base deposit of a contract with u64 balances: the pallet's encoded ContractInfo (33 + 32
 * + 4 + 4 + 3 * 8 = 97 bytes) at 1 per byte, plus one item at 2. */
#define BASE_DEPOSIT 99u
/* The deposit of code of len bytes: (len + 48) bytes and two items. */
static uint64_t code_deposit(const char *name) {
    size_t len;
    free(read_wasm(name, &len));
    return len + 48 + 2 * 2;
}

/* ---- the balance width, transfers ---------------------------------------------------------- */

static void width(void) {
    bst_contracts *c = setup(100, 1000);
    bst_error err;
    CHECK(bst_contracts_balance_bytes(c) == 8);
    uint8_t big[16];
    memset(big, 0, 16);
    big[8] = 1; /* 2^64: no u64 */
    CHECK(bst_contracts_set_balance(c, BOB, big, &err) == BST_ERR_LIMIT);
    CHECK(free_of(c, BOB) == 0);
    /* credit past u64::MAX: refused, not saturated or wrapped */
    set_free(c, BOB, UINT64_MAX - 5);
    uint8_t six[16];
    u128(six, 6);
    CHECK(bst_contracts_credit(c, BOB, six, &err) == BST_ERR_LIMIT);
    CHECK(free_of(c, BOB) == UINT64_MAX - 5);
    /* a value wider than the balance type is a bad request */
    bst_contract_exec e;
    bst_contract_result r;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_CALL;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.value, big, 16);
    CHECK(bst_contracts_exec(c, &e, &r) == BST_ERR_ARG && strstr(r.error, "64-bit") != NULL);
    bst_contract_result_free(&r);

    /* keep-alive and allow-death, existential deposit 100; ALICE has 1000 */
    uint8_t v[16];
    u128(v, 950);
    CHECK(bst_contracts_transfer(c, ALICE, CHARLIE, v, true, &err) == BST_ERR_LIMIT);
    CHECK(bst_contracts_transfer(c, ALICE, CHARLIE, v, false, &err) == BST_ERR_LIMIT); /* dust */
    u128(v, 50); /* a new account below the existential deposit */
    CHECK(bst_contracts_transfer(c, ALICE, CHARLIE, v, false, &err) == BST_ERR_LIMIT);
    u128(v, 900);
    CHECK(bst_contracts_transfer(c, ALICE, CHARLIE, v, true, &err) == BST_OK);
    CHECK(free_of(c, ALICE) == 100 && free_of(c, CHARLIE) == 900);
    u128(v, 100);
    CHECK(bst_contracts_transfer(c, ALICE, CHARLIE, v, true, &err) == BST_ERR_LIMIT);
    CHECK(bst_contracts_transfer(c, ALICE, CHARLIE, v, false, &err) == BST_OK); /* emptied */
    CHECK(free_of(c, ALICE) == 0 && free_of(c, CHARLIE) == 1000);
    u128(v, 10); /* an existing account may receive less than the existential deposit */
    CHECK(bst_contracts_transfer(c, CHARLIE, DJANGO, v, true, &err) == BST_ERR_LIMIT);
    set_free(c, DJANGO, 100);
    CHECK(bst_contracts_transfer(c, CHARLIE, DJANGO, v, true, &err) == BST_OK);
    CHECK(free_of(c, DJANGO) == 110);
    uint8_t ed[16];
    bst_contracts_minimum_balance(c, ed);
    CHECK(lo64(ed) == 100);
    bst_contracts_close(c);

    /* the width is kept with the state: another width is refused, 0 takes the stored one */
    CHECK(open_width(16, 100, NULL, 0, &err) == NULL && err.status == BST_ERR_INVALID);
    CHECK(strstr(err.message, "64-bit") != NULL && strstr(err.message, "128-bit") != NULL);
    c = open_width(0, 100, NULL, 0, &err);
    CHECK(c && bst_contracts_balance_bytes(c) == 8);
    bst_contracts_close(c);
    /* genesis endowments are for a new state only */
    bst_contracts_endowment en;
    memcpy(en.account, BOB, 32);
    u128(en.amount, 1);
    CHECK(open_width(8, 100, &en, 1, &err) == NULL && err.status == BST_ERR_ARG);
}

/* ---- pallet-contracts' fixtures ------------------------------------------------------------ */

/* tests.rs cannot_self_destruct_through_draining: ED 200, value 1000; the call succeeds (the
 * fixture asserts its transfer of everything failed with TransferFailed) and the contract keeps
 * value + its base deposit + the existential deposit. */
static void drain(void) {
    bst_contracts *c = setup(200, 1000000);
    uint8_t a[32];
    bst_contract_result r;
    CHECK(instantiate(c, ALICE, "drain", 1000, NULL, 0, NULL, 0, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(call(c, ALICE, a, NULL, 0, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    uint8_t h[32];
    CHECK(bst_contracts_code_hash_of(c, a, h));
    CHECK(free_of(c, a) == 1000 + 200);
    CHECK(reserved_of(c, a) == BASE_DEPOSIT);
    bst_contracts_close(c);
}

/* tests.rs transfer_return_code: ED 50; a contract with only the existential deposit cannot
 * transfer (TransferFailed); with 100 more it can. */
static void transfer_return_code(void) {
    bst_contracts *c = setup(50, 1000 * 50);
    uint8_t a[32];
    bst_contract_result r;
    CHECK(instantiate(c, ALICE, "transfer_return_code", 100 * 50, NULL, 0, NULL, 0, a, &r) ==
          BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    set_free(c, a, 50);
    CHECK(call(c, ALICE, a, NULL, 0, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(return_code(&r) == 5); /* TransferFailed */
    bst_contract_result_free(&r);
    set_free(c, a, 150);
    CHECK(call(c, ALICE, a, NULL, 0, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(return_code(&r) == 0);
    bst_contract_result_free(&r);
    uint8_t zero[32] = {0};
    CHECK(free_of(c, a) == 50 && free_of(c, zero) == 100);
    bst_contracts_close(c);
}

/* tests.rs call_return_code: ED 50; NotCallable for an account without a contract,
 * TransferFailed when the caller has only the existential deposit, then CalleeReverted and
 * CalleeTrapped by the callee's input (and Success). */
static void call_return_code(void) {
    bst_contracts *c = setup(50, 1000 * 50);
    set_free(c, CHARLIE, 1000 * 50);
    uint8_t bob[32], django[32], zero = 0;
    bst_contract_result r;
    CHECK(instantiate(c, ALICE, "call_return_code", 100 * 50, &zero, 1, NULL, 0, bob, &r) ==
          BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    set_free(c, bob, 50);
    uint8_t in[36] = {0};
    memcpy(in, DJANGO, 32);
    CHECK(call(c, ALICE, bob, in, 32, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(return_code(&r) == 8); /* NotCallable */
    bst_contract_result_free(&r);
    CHECK(instantiate(c, CHARLIE, "ok_trap_revert", 100 * 50, &zero, 1, NULL, 0, django, &r) ==
          BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    set_free(c, django, 50);
    memcpy(in, django, 32);
    CHECK(call(c, ALICE, bob, in, 36, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(return_code(&r) == 5); /* TransferFailed */
    bst_contract_result_free(&r);
    set_free(c, bob, 50 + 1000);
    static const int32_t expect[3] = {0, 2, 1}; /* Success, CalleeReverted, CalleeTrapped */
    for (uint8_t i = 1; i <= 3; i++) {
        in[32] = i % 3;
        CHECK(call(c, ALICE, bob, in, 36, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
        CHECK(return_code(&r) == expect[i % 3]);
        bst_contract_result_free(&r);
    }
    /* only the successful call moved its 100 */
    CHECK(free_of(c, bob) == 50 + 1000 - 100 && free_of(c, django) == 50 + 100);
    bst_contracts_close(c);
}

/* tests.rs self_destruct_works and cannot_self_destruct_while_live: ED 1000, value 100000.
 * Terminating leaves the free balance (value + existential deposit) to DJANGO and refunds the
 * base deposit to the origin; the contract and its account are gone.  A contract that calls
 * itself to terminate traps and stays. */
static void self_destruct(void) {
    bst_contracts *c = setup(1000, 1000000);
    set_free(c, DJANGO, 1000000);
    uint8_t a[32], h[32], one = 1;
    bst_contract_result r;
    CHECK(instantiate(c, ALICE, "self_destruct", 100000, NULL, 0, NULL, 0, a, &r) ==
          BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(reserved_of(c, a) == BASE_DEPOSIT && free_of(c, a) == 100000 + 1000);
    CHECK(call(c, ALICE, a, &one, 1, UINT64_MAX, false, &r) == BST_CONTRACT_TRAPPED);
    bst_contract_result_free(&r);
    CHECK(bst_contracts_code_hash_of(c, a, h));
    uint64_t alice = free_of(c, ALICE);
    CHECK(call(c, ALICE, a, NULL, 0, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == -(int64_t)BASE_DEPOSIT);
    bst_contract_result_free(&r);
    CHECK(!bst_contracts_code_hash_of(c, a, h));
    CHECK(free_of(c, a) == 0 && reserved_of(c, a) == 0);
    CHECK(free_of(c, DJANGO) == 1000000 + 100000 + 1000);
    CHECK(free_of(c, ALICE) == alice + BASE_DEPOSIT);
    bst_contracts_close(c);
}

/* tests.rs destroy_contract_and_transfer_funds: the fixture's own assertions (CalleeTrapped,
 * then 0 when the callee terminates, then NotCallable) hold, so the call succeeds and the callee
 * (at the address derived from the caller, the code hash and the salt 0x4711) is gone. */
static void destroy_and_transfer(void) {
    bst_contracts *c = setup(50, 1000000);
    uint8_t callee_hash[32], bob[32], charlie[32], h[32];
    size_t len;
    uint8_t *code = read_wasm("self_destruct", &len);
    bst_error err;
    CHECK(bst_contracts_upload(c, ALICE, code, len, callee_hash, &err) == BST_OK);
    free(code);
    bst_contract_result r;
    CHECK(instantiate(c, ALICE, "destroy_and_transfer", 200000, callee_hash, 32, NULL, 0, bob,
                      &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    static const uint8_t salt[2] = {0x47, 0x11};
    bst_contracts_address(bob, callee_hash, NULL, 0, salt, 2, charlie);
    CHECK(bst_contracts_code_hash_of(c, charlie, h) && memcmp(h, callee_hash, 32) == 0);
    CHECK(free_of(c, charlie) == 32768 + 50);
    CHECK(call(c, ALICE, bob, charlie, 32, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(!bst_contracts_code_hash_of(c, charlie, h));
    CHECK(free_of(c, charlie) == 0 && reserved_of(c, charlie) == 0);
    CHECK(free_of(c, DJANGO) == 32768 + 50);
    bst_contracts_close(c);
}

/* tests.rs deploy_and_call_other_contract with the caller_contract fixture: its own assertions
 * (reverted, out-of-gas and successful instantiations and calls of return_with_data) hold, so
 * the call succeeds; the callee exists with the values of the successful instantiation and
 * call and its existential deposit, and its base deposit is the origin's charge. */
static void caller_contract(void) {
    bst_contracts *c = setup(1, 1000000);
    uint8_t callee_hash[32], caller[32], callee[32], h[32];
    size_t len;
    uint8_t *code = read_wasm("return_with_data", &len);
    bst_error err;
    CHECK(bst_contracts_upload(c, ALICE, code, len, callee_hash, &err) == BST_OK);
    free(code);
    bst_contract_result r;
    CHECK(instantiate(c, ALICE, "caller_contract", 100000, NULL, 0, NULL, 0, caller, &r) ==
          BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(call(c, ALICE, caller, callee_hash, 32, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == BASE_DEPOSIT);
    bst_contract_result_free(&r);
    static const uint8_t ok_input[8] = {0, 0, 0, 0, 1, 2, 3, 4};
    bst_contracts_address(caller, callee_hash, ok_input, sizeof ok_input, NULL, 0, callee);
    CHECK(bst_contracts_code_hash_of(c, callee, h) && memcmp(h, callee_hash, 32) == 0);
    /* only the successful instantiation and the successful call moved their 32768 */
    CHECK(free_of(c, callee) == 2 * 32768 + 1 && reserved_of(c, callee) == BASE_DEPOSIT);
    CHECK(free_of(c, caller) == 100000 + 1 - 2 * 32768);
    bst_contracts_close(c);
}

/* ---- storage deposits ---------------------------------------------------------------------- */

/* A call of store.wat: op, key byte, length. */
static bst_contract_outcome store_op(bst_contracts *c, const uint8_t a[32], uint8_t op, uint8_t key,
                                     uint8_t len, uint64_t limit, bool dry,
                                     bst_contract_result *r) {
    uint8_t in[4] = {op, key, len, 0};
    return call(c, ALICE, a, in, sizeof in, limit, dry, r);
}

/* Upload, instantiate, a write that adds storage, one that grows it, a clear, terminate, code
 * removal: ALICE's free and reserved balances and the contract's, with exact amounts; the
 * storage deposit limit, top-level and per call. */
static void deposits(void) {
    const uint64_t ED = 1, START = 1000000;
    bst_contracts *c = setup(ED, START);
    uint64_t code_dep = code_deposit("store");
    size_t len;
    uint8_t *code = read_wasm("store", &len);
    uint8_t hash[32], dep[16], lim[16];
    bst_error err;
    /* upload: the code deposit moves from ALICE's free to her reserved balance */
    u128(lim, code_dep - 1);
    CHECK(bst_contracts_upload_ex(c, ALICE, code, len, lim, hash, dep, &err) == BST_ERR_LIMIT);
    CHECK(strstr(err.message, "StorageDepositLimitExhausted") != NULL);
    CHECK(free_of(c, ALICE) == START && !bst_contracts_code_exists(c, hash));
    CHECK(bst_contracts_upload_ex(c, BOB, code, len, NULL, hash, dep, &err) == BST_ERR_LIMIT);
    CHECK(strstr(err.message, "StorageDepositNotEnoughFunds") != NULL);
    u128(lim, code_dep);
    CHECK(bst_contracts_upload_ex(c, ALICE, code, len, lim, hash, dep, &err) == BST_OK);
    CHECK(lo64(dep) == code_dep);
    CHECK(free_of(c, ALICE) == START - code_dep && reserved_of(c, ALICE) == code_dep);
    /* the same code again costs nothing */
    CHECK(bst_contracts_upload_ex(c, ALICE, code, len, NULL, hash, dep, &err) == BST_OK);
    CHECK(lo64(dep) == 0 && reserved_of(c, ALICE) == code_dep);
    free(code);

    /* instantiate (value 1000): the value and the existential deposit are the contract's, the
     * base deposit is held on it; a limit below the base deposit fails */
    bst_contract_exec e;
    bst_contract_result r;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.code_hash, hash, 32);
    u128(e.value, 1000);
    e.has_deposit_limit = true;
    u128(e.storage_deposit_limit, BASE_DEPOSIT - 1);
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_ERROR);
    CHECK(strstr(r.error, "StorageDepositLimitExhausted") != NULL);
    bst_contract_result_free(&r);
    CHECK(free_of(c, ALICE) == START - code_dep);
    u128(e.storage_deposit_limit, BASE_DEPOSIT);
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == BASE_DEPOSIT);
    uint8_t a[32];
    memcpy(a, r.address, 32);
    bst_contract_result_free(&r);
    uint64_t alice = START - code_dep - 1000 - ED - BASE_DEPOSIT;
    CHECK(free_of(c, ALICE) == alice);
    CHECK(free_of(c, a) == 1000 + ED && reserved_of(c, a) == BASE_DEPOSIT);

    /* a new item of 10 bytes under a fixed key (32 bytes in the trie): 42 bytes + 1 item = 44;
     * a limit of 43 fails and changes nothing, 44 is enough */
    CHECK(store_op(c, a, 0, 7, 10, 43, false, &r) == BST_CONTRACT_ERROR);
    CHECK(strstr(r.error, "StorageDepositLimitExhausted") != NULL);
    bst_contract_result_free(&r);
    uint8_t key[32], *val;
    size_t vlen;
    memset(key, 7, 32);
    CHECK(bst_contracts_storage_get_fixed(c, a, key, &val, &vlen) == BST_ERR_NOT_FOUND);
    /* a dry run reports the deposit and keeps nothing */
    CHECK(store_op(c, a, 0, 7, 10, UINT64_MAX, true, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == 44);
    bst_contract_result_free(&r);
    CHECK(free_of(c, ALICE) == alice);
    CHECK(store_op(c, a, 0, 7, 10, 44, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == 44);
    bst_contract_result_free(&r);
    alice -= 44;
    CHECK(free_of(c, ALICE) == alice && reserved_of(c, a) == BASE_DEPOSIT + 44);
    /* growing it to 20 bytes: 10 more */
    CHECK(store_op(c, a, 0, 7, 20, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == 10);
    bst_contract_result_free(&r);
    alice -= 10;
    CHECK(free_of(c, ALICE) == alice && reserved_of(c, a) == BASE_DEPOSIT + 54);
    /* a second item: 32 + 5 bytes + 1 item = 39 */
    CHECK(store_op(c, a, 0, 8, 5, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == 39);
    bst_contract_result_free(&r);
    alice -= 39;
    /* clearing the first: 52 of the 89 bytes and one of the two items, refunded pro rata of
     * what the contract holds (89 for bytes, 4 for items): 52 + 2 */
    CHECK(store_op(c, a, 1, 7, 0, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == -54);
    bst_contract_result_free(&r);
    alice += 54;
    CHECK(free_of(c, ALICE) == alice && reserved_of(c, a) == BASE_DEPOSIT + 39);
    /* more than ALICE can pay as a limit */
    CHECK(store_op(c, a, 0, 9, 1, UINT64_MAX - 1, false, &r) == BST_CONTRACT_ERROR);
    CHECK(strstr(r.error, "StorageDepositNotEnoughFunds") != NULL);
    bst_contract_result_free(&r);

    /* a call with a limit of its own (seal2 call): the callee's 44 is above 10, so the call
     * fails in the caller (StorageDepositLimitExhausted); with 44 it is charged to ALICE and
     * held on the callee */
    uint8_t b[32], salt = 1;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.code_hash, hash, 32);
    e.salt = &salt;
    e.salt_len = 1;
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
    memcpy(b, r.address, 32);
    bst_contract_result_free(&r);
    alice -= ED + BASE_DEPOSIT;
    uint8_t in[47] = {3, 0, 0, 0};
    memcpy(in + 4, b, 32);
    in[36] = 10; /* the limit (u64 LE) */
    in[44] = 0;  /* the callee stores 10 bytes under key 5 */
    in[45] = 5;
    in[46] = 10;
    CHECK(call(c, ALICE, a, in, sizeof in, UINT64_MAX, false, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "StorageDepositLimitExhausted") != NULL);
    bst_contract_result_free(&r);
    CHECK(free_of(c, ALICE) == alice && reserved_of(c, b) == BASE_DEPOSIT);
    in[36] = 44;
    CHECK(call(c, ALICE, a, in, sizeof in, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(return_code(&r) == 0 && deposit_of(&r) == 44);
    bst_contract_result_free(&r);
    alice -= 44;
    CHECK(free_of(c, ALICE) == alice && reserved_of(c, b) == BASE_DEPOSIT + 44);

    /* terminate: everything held comes back to ALICE, the free balance goes to 0x09... */
    uint8_t ben[32];
    memset(ben, 9, 32);
    CHECK(store_op(c, a, 2, 0, 0, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(deposit_of(&r) == -(int64_t)(BASE_DEPOSIT + 39));
    bst_contract_result_free(&r);
    alice += BASE_DEPOSIT + 39;
    CHECK(free_of(c, ALICE) == alice);
    CHECK(free_of(c, a) == 0 && reserved_of(c, a) == 0 && free_of(c, ben) == 1000 + ED);

    /* remove_code: refused while b runs it and to another account; then refunded */
    uint8_t refund[16];
    CHECK(bst_contracts_remove_code(c, ALICE, hash, refund, &err) == BST_ERR_INVALID);
    CHECK(strstr(err.message, "CodeInUse") != NULL);
    CHECK(store_op(c, b, 2, 0, 0, UINT64_MAX, false, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    alice += BASE_DEPOSIT + 44;
    CHECK(bst_contracts_remove_code(c, BOB, hash, refund, &err) == BST_ERR_ARG);
    CHECK(bst_contracts_remove_code(c, ALICE, hash, refund, &err) == BST_OK);
    CHECK(lo64(refund) == code_dep && !bst_contracts_code_exists(c, hash));
    CHECK(free_of(c, ALICE) == alice + code_dep && reserved_of(c, ALICE) == 0);
    CHECK(bst_contracts_remove_code(c, ALICE, hash, refund, &err) == BST_ERR_NOT_FOUND);
    bst_contracts_close(c);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_balances width|drain|transfer_return_code|call_return_code|"
                        "self_destruct|destroy_and_transfer|caller_contract|deposits\n");
        return 2;
    }
    if (!bst_crypto_init()) return 1;
    memset(ALICE, 1, 32);
    memset(BOB, 2, 32);
    memset(CHARLIE, 3, 32);
    memset(DJANGO, 4, 32);
    static const struct {
        const char *name;
        void (*fn)(void);
    } groups[] = {{"width", width},
                  {"drain", drain},
                  {"transfer_return_code", transfer_return_code},
                  {"call_return_code", call_return_code},
                  {"self_destruct", self_destruct},
                  {"destroy_and_transfer", destroy_and_transfer},
                  {"caller_contract", caller_contract},
                  {"deposits", deposits}};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (!strcmp(argv[1], groups[i].name)) {
            groups[i].fn();
            return check_finish(argv[1]);
        }
    fprintf(stderr, "test_balances: unknown group %s\n", argv[1]);
    return 2;
}
