/*
 * test_contracts.c — the contract host through its public API (bastion_contracts.h): the real
 * ink! contracts of ../shared/contracts (flipper v5/v4, erc20 v5, the ink! 2/3-era v0 set),
 * the hand-written hostile contract tests/contracts/hostile.wat, upload rejections and the
 * kill -9 atomicity of an exec.  `test_contracts NAME` runs one group (CTest contracts/NAME);
 * each group uses a fresh state directory under /tmp.
 */
#define _XOPEN_SOURCE 700
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bastion_contracts.h"
#include "bastion_crypto.h"
#include "bastion_scale.h"
#include "../support/check.h"
#include "contracts_test_util.h"

/* The host's list of seal functions, to check it against the independent one below. */
#include "../../src/contracts/seal_table.h"

/* The well-known Substrate dev account keys (sr25519 //Alice, //Bob). */
static uint8_t ALICE[32], BOB[32];
static const char ALICE_HEX[] = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
static const char BOB_HEX[] = "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48";

static void unhex(const char *h, uint8_t *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static const char *state_dir;

static bst_contracts *setup(void) {
    state_dir = ctu_fresh_state_dir("bst-ctr");
    bst_contracts *c = ctu_open(state_dir);
    uint8_t big[16];
    u128(big, 1000000000000000000ull);
    bst_error err;
    CHECK(bst_contracts_set_balance(c, ALICE, big, &err) == BST_OK);
    CHECK(bst_contracts_set_balance(c, BOB, big, &err) == BST_OK);
    return c;
}

static void upload_file(bst_contracts *c, const char *dir, const char *name, uint8_t hash[32]) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    uint8_t *code = ctu_read_file(path, &len);
    bst_error err;
    bst_status st = bst_contracts_upload(c, ALICE, code, len, hash, &err);
    if (st != BST_OK) fprintf(stderr, "upload %s: %s\n", name, err.message);
    CHECK(st == BST_OK);
    uint8_t h2[32];
    bst_blake2_256(code, len, h2);
    CHECK(memcmp(hash, h2, 32) == 0);
    /* idempotent */
    uint8_t h3[32];
    CHECK(bst_contracts_upload(c, ALICE, code, len, h3, &err) == BST_OK);
    CHECK(memcmp(hash, h3, 32) == 0);
    free(code);
}

/* An exec with both limits of Weight v2: gas (ref_time) and proof (proof_size), 0 the
 * defaults. */
static bst_contract_outcome run_weight(bst_contracts *c, bst_contract_exec_kind kind,
                                       const uint8_t origin[32], const uint8_t target[32],
                                       const uint8_t *input, size_t len, uint64_t gas,
                                       uint64_t proof, bool dry, bst_contract_result *res) {
    bst_contract_exec e;
    ctu_exec_init(&e, kind, origin, target, input, len, dry);
    e.gas_limit = gas;
    e.proof_size_limit = proof;
    bst_status st = bst_contracts_exec(c, &e, res);
    CHECK(st == BST_OK);
    if (res->outcome != BST_CONTRACT_SUCCESS && getenv("CTR_VERBOSE"))
        fprintf(stderr, "  outcome %s: %s\n", bst_contract_outcome_name(res->outcome), res->error);
    return res->outcome;
}

static bst_contract_outcome run(bst_contracts *c, bst_contract_exec_kind kind,
                                const uint8_t origin[32], const uint8_t target[32],
                                const uint8_t *input, size_t len, uint64_t gas, bool dry,
                                bst_contract_result *res) {
    return run_weight(c, kind, origin, target, input, len, gas, 0, dry, res);
}

static bool data_is(const bst_contract_result *r, const char *hex) {
    size_t n = strlen(hex) / 2;
    uint8_t b[256];
    unhex(hex, b, n);
    if (r->data_len != n || (n && memcmp(r->data, b, n) != 0)) {
        fprintf(stderr, "  data ");
        for (size_t i = 0; i < r->data_len; i++) fprintf(stderr, "%02x", r->data[i]);
        fprintf(stderr, ", expected %s\n", hex);
        return false;
    }
    return true;
}

/* ---- ink! flipper --------------------------------------------------------------------- */

static void flipper(const char *file) {
    bst_contracts *c = setup();
    uint8_t hash[32], addr[32];
    upload_file(c, SHARED_CONTRACTS_DIR, file, hash);
    bst_contract_result r;
    static const uint8_t new_false[] = {0x9b, 0xae, 0x9d, 0x5e, 0x00};
    static const uint8_t get[] = {0x2f, 0x86, 0x5b, 0xd9};
    static const uint8_t flip[] = {0x63, 0x3a, 0xa5, 0x51};
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, new_false, 5, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    uint8_t expect[32];
    bst_contracts_address(ALICE, hash, new_false, 5, NULL, 0, expect);
    CHECK(memcmp(addr, expect, 32) == 0);
    CHECK(r.gas_used > 0 && r.gas_used < r.gas_limit);
    bst_contract_result_free(&r);
    uint8_t ch[32];
    CHECK(bst_contracts_code_hash_of(c, addr, ch) && memcmp(ch, hash, 32) == 0);

    /* the same instantiation again derives the same address: refused */
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, new_false, 5, 0, false, &r) ==
          BST_CONTRACT_ERROR);
    bst_contract_result_free(&r);

    /* get() -> Ok(false): ink! wraps message results in Result<T, LangError> */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0000"));
    CHECK(r.flags == 0);
    uint64_t get_gas = r.gas_used;
    bst_contract_result_free(&r);
    /* deterministic gas */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, true, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.gas_used == get_gas);
    bst_contract_result_free(&r);

    /* flip as a dry run changes nothing */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, flip, 4, 0, true, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0000"));
    bst_contract_result_free(&r);

    CHECK(run(c, BST_CONTRACT_CALL, BOB, addr, flip, 4, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00")); /* Ok(()) */
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0001"));
    bst_contract_result_free(&r);

    /* too little gas: out of gas, nothing changed */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, flip, 4, 1000, false, &r) ==
          BST_CONTRACT_OUT_OF_GAS);
    CHECK(r.gas_used == 1000);
    bst_contract_result_free(&r);

    /* across a close / reopen */
    bst_contracts_close(c);
    c = ctu_open(state_dir);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0001"));
    bst_contract_result_free(&r);
    /* unknown message selector: ink! reverts with LangError::CouldNotReadInput */
    static const uint8_t bad[] = {1, 2, 3, 4};
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, bad, 4, 0, false, &r) == BST_CONTRACT_REVERTED);
    CHECK(r.flags == BST_CONTRACT_FLAG_REVERT);
    CHECK(data_is(&r, "0101"));
    bst_contract_result_free(&r);
    /* no contract there */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, BOB, get, 4, 0, false, &r) == BST_CONTRACT_ERROR);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- ink! 5 erc20 ---------------------------------------------------------------------- */

static void erc20_v5(void) {
    bst_contracts *c = setup();
    uint8_t hash[32], addr[32];
    upload_file(c, SHARED_CONTRACTS_DIR, "erc20_v5.wasm", hash);
    bst_contract_result r;
    uint8_t in[128];
    /* new(1000) */
    memcpy(in, "\x9b\xae\x9d\x5e", 4);
    u128(in + 4, 1000);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, in, 20, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    /* the constructor emits Transfer { from: None, to: Some(alice), value: 1000 } */
    CHECK(r.nevents == 1);
    bst_contract_result_free(&r);

    /* total_supply -> Ok(1000) */
    CHECK(run(c, BST_CONTRACT_CALL, BOB, addr, (const uint8_t *)"\xdb\x63\x75\xa8", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00e8030000000000000000000000000000"));
    bst_contract_result_free(&r);

    /* transfer(bob, 100) by alice -> Ok(Ok(())) with a Transfer event */
    memcpy(in, "\x84\xa1\x5d\xa1", 4);
    memcpy(in + 4, BOB, 32);
    u128(in + 36, 100);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 52, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0000"));
    CHECK(r.nevents == 1);
    if (r.nevents == 1) {
        bst_contract_event *e = &r.events[0];
        CHECK(memcmp(e->emitter, addr, 32) == 0);
        CHECK(e->ntopics == 3);
        uint8_t t0[32];
        /* topic 0: the event's signature topic from the metadata */
        unhex("b5b61a3e6a21a16be4f044b517c28ac692492f73c5bfd3f60178ad98c767f4cb", t0, 32);
        if (e->ntopics == 3) {
            CHECK(memcmp(e->topics[0], t0, 32) == 0);
            /* the indexed `from` / `to` fields: the account ids themselves (what this ink! 5
             * build emits for Some(account)) */
            CHECK(memcmp(e->topics[1], ALICE, 32) == 0);
            CHECK(memcmp(e->topics[2], BOB, 32) == 0);
        }
        /* data: the SCALE event: Some(alice), Some(bob), 100u128 */
        uint8_t d[82];
        d[0] = 1;
        memcpy(d + 1, ALICE, 32);
        d[33] = 1;
        memcpy(d + 34, BOB, 32);
        u128(d + 66, 100);
        CHECK(e->data_len == 82 && memcmp(e->data, d, 82) == 0);
    }
    bst_contract_result_free(&r);

    /* balance_of(alice) = 900, balance_of(bob) = 100 */
    memcpy(in, "\x0f\x75\x5a\x56", 4);
    memcpy(in + 4, ALICE, 32);
    CHECK(run(c, BST_CONTRACT_CALL, BOB, addr, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0084030000000000000000000000000000"));
    bst_contract_result_free(&r);
    memcpy(in + 4, BOB, 32);
    CHECK(run(c, BST_CONTRACT_CALL, BOB, addr, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0064000000000000000000000000000000"));
    bst_contract_result_free(&r);

    /* bob transfers 101 to alice: Ok(Err(InsufficientBalance)) with REVERT, nothing changes */
    memcpy(in, "\x84\xa1\x5d\xa1", 4);
    memcpy(in + 4, ALICE, 32);
    u128(in + 36, 101);
    CHECK(run(c, BST_CONTRACT_CALL, BOB, addr, in, 52, 0, false, &r) == BST_CONTRACT_REVERTED);
    CHECK(r.flags == BST_CONTRACT_FLAG_REVERT);
    CHECK(data_is(&r, "000100"));
    CHECK(r.nevents == 0);
    bst_contract_result_free(&r);
    memcpy(in, "\x0f\x75\x5a\x56", 4);
    memcpy(in + 4, BOB, 32);
    CHECK(run(c, BST_CONTRACT_CALL, BOB, addr, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0064000000000000000000000000000000"));
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- ink! 2/3-era contracts ------------------------------------------------------------ */

static void v0(void) {
    bst_contracts *c = setup();
    uint8_t hash[32], addr[32];
    bst_contract_result r;
    uint8_t in[128];

    /* incrementer: new(7), get -> 7, inc(5), get -> 12 (v0 messages return the bare value) */
    upload_file(c, SHARED_CONTRACTS_DIR, "incrementer_v0.wasm", hash);
    memcpy(in, "\xd1\x83\x51\x2b\x07\x00\x00\x00", 8);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, in, 8, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, (const uint8_t *)"\x1e\x5c\xa4\x56", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "07000000"));
    bst_contract_result_free(&r);
    memcpy(in, "\x2f\xb8\xd1\x43\x05\x00\x00\x00", 8);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 8, 0, false, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, (const uint8_t *)"\x1e\x5c\xa4\x56", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0c000000"));
    bst_contract_result_free(&r);

    /* erc20 v0: new(1000), total_supply -> 1000, transfer(bob, 10) -> true, balance_of(bob) */
    upload_file(c, SHARED_CONTRACTS_DIR, "erc20_v0.wasm", hash);
    memcpy(in, "\xd1\x83\x51\x2b", 4);
    u128(in + 4, 1000);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, in, 20, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    CHECK(r.nevents == 1);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, (const uint8_t *)"\xdc\xb7\x36\xb5", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "e8030000000000000000000000000000"));
    bst_contract_result_free(&r);
    memcpy(in, "\x56\xe9\x29\xb2", 4);
    memcpy(in + 4, ALICE, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "e8030000000000000000000000000000"));
    bst_contract_result_free(&r);
    memcpy(in, "\xfa\xe3\xa0\x9d", 4);
    memcpy(in + 4, BOB, 32);
    u128(in + 36, 10);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 52, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01"));
    CHECK(r.nevents == 1);
    CHECK(r.nevents == 1 && r.events[0].ntopics == 4); /* from, to, value all indexed */
    bst_contract_result_free(&r);
    /* Not asserted: balances after this transfer.  The stored erc20_v0.wasm (an ink! 3 release
     * candidate) writes its storage back at keys shifted by one cell when the un-loaded
     * `total_supply` Lazy precedes the map (see docs/contracts.md, known issues). */

    /* trait-flipper: default(), Flip::get -> false, Flip::flip, get -> true */
    upload_file(c, SHARED_CONTRACTS_DIR, "trait-flipper_v0.wasm", hash);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, (const uint8_t *)"\x6a\x37\x12\xe2", 4, 0,
              false, &r) == BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, (const uint8_t *)"\x6b\x35\x49\xbc", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00"));
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, (const uint8_t *)"\xad\x93\x1d\x5f", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, (const uint8_t *)"\x6b\x35\x49\xbc", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01"));
    bst_contract_result_free(&r);

    /* erc721: new(), mint(7) -> Ok(()), balance_of(alice) -> 1, owner_of(7) -> Some(alice) */
    upload_file(c, SHARED_CONTRACTS_DIR, "erc721_v0.wasm", hash);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, (const uint8_t *)"\xd1\x83\x51\x2b", 4, 0,
              false, &r) == BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    memcpy(in, "\xf8\x88\x5e\xeb\x07\x00\x00\x00", 8);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 8, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00"));
    CHECK(r.nevents == 1);
    bst_contract_result_free(&r);
    memcpy(in, "\x56\xe9\x29\xb2", 4);
    memcpy(in + 4, ALICE, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"));
    bst_contract_result_free(&r);
    memcpy(in, "\xf7\x86\x0a\xda\x07\x00\x00\x00", 8);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 8, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 33 && r.data[0] == 1 && memcmp(r.data + 1, ALICE, 32) == 0);
    bst_contract_result_free(&r);

    /* dns: new(), register(name), get_address(name) -> the default zero address */
    upload_file(c, SHARED_CONTRACTS_DIR, "dns_v0.wasm", hash);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, (const uint8_t *)"\xd1\x83\x51\x2b", 4, 0,
              false, &r) == BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    memcpy(in, "\x7f\xb0\xad\xed", 4);
    memset(in + 4, 0x42, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00"));
    bst_contract_result_free(&r);
    memcpy(in, "\xb9\xee\x76\x64", 4);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 32);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- hostile contracts ----------------------------------------------------------------- */

static uint8_t HOSTILE[32];

static bst_contracts *hostile_setup(uint8_t addr[32], uint8_t addr2[32]) {
    bst_contracts *c = setup();
    upload_file(c, CONTRACTS_WASM_DIR, "hostile.wasm", HOSTILE);
    bst_contract_result r;
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, HOSTILE, NULL, 0, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    if (addr2) {
        bst_contract_exec e;
        memset(&e, 0, sizeof e);
        e.kind = BST_CONTRACT_INSTANTIATE;
        memcpy(e.origin, ALICE, 32);
        memcpy(e.code_hash, HOSTILE, 32);
        e.salt = (const uint8_t *)"two";
        e.salt_len = 3;
        CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
        memcpy(addr2, r.address, 32);
        CHECK(memcmp(addr, addr2, 32) != 0);
        bst_contract_result_free(&r);
    }
    return c;
}

/* The u32 stored under key "k"/"c"/"r" of the contract, or -1 when absent. */
static long stored(bst_contracts *c, const uint8_t addr[32], char key) {
    uint8_t *v;
    size_t n;
    uint8_t k = (uint8_t)key;
    bst_status st = bst_contracts_storage_get(c, addr, &k, 1, &v, &n);
    if (st == BST_ERR_NOT_FOUND) return -1;
    CHECK(st == BST_OK && n == 4);
    long x = n == 4 ? (long)(v[0] | v[1] << 8 | v[2] << 16 | (uint32_t)v[3] << 24) : -2;
    free(v);
    return x;
}

static bst_contract_outcome mode(bst_contracts *c, const uint8_t addr[32], uint8_t m, uint64_t gas,
                                 bst_contract_result *r) {
    return run(c, BST_CONTRACT_CALL, ALICE, addr, &m, 1, gas, false, r);
}

static void hostile(void) {
    uint8_t a[32], b[32];
    bst_contracts *c = hostile_setup(a, b);
    bst_contract_result r;

    CHECK(mode(c, a, 8, 0, &r) == BST_CONTRACT_SUCCESS); /* k := 2 */
    bst_contract_result_free(&r);
    CHECK(stored(c, a, 'k') == 2);

    /* infinite loop: out of gas, exactly the limit used, k unchanged */
    CHECK(mode(c, a, 0, 5000000, &r) == BST_CONTRACT_OUT_OF_GAS);
    CHECK(r.gas_used == 5000000 && r.trap == BST_TRAP_OUT_OF_FUEL);
    bst_contract_result_free(&r);
    CHECK(stored(c, a, 'k') == 2);

    /* out-of-bounds output pointers trap cleanly */
    CHECK(mode(c, a, 1, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "OutOfBounds") != NULL);
    bst_contract_result_free(&r);
    CHECK(mode(c, a, 11, 0, &r) == BST_CONTRACT_TRAPPED);
    bst_contract_result_free(&r);
    /* output buffer too small traps (as pallet-contracts) */
    CHECK(mode(c, a, 10, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "OutputBufferTooSmall") != NULL);
    bst_contract_result_free(&r);

    /* deep recursion: a clean engine trap */
    CHECK(mode(c, a, 2, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(r.trap == BST_TRAP_STACK_EXHAUSTED);
    bst_contract_result_free(&r);

    /* storage bombs: an oversized value is refused, endless writes run out of gas */
    CHECK(mode(c, a, 3, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "ValueTooLarge") != NULL);
    bst_contract_result_free(&r);
    CHECK(mode(c, a, 4, 100000000, &r) == BST_CONTRACT_OUT_OF_GAS);
    bst_contract_result_free(&r);
    uint8_t k0[4] = {0, 0, 0, 0}, *v;
    size_t n;
    CHECK(bst_contracts_storage_get(c, a, k0, 4, &v, &n) == BST_ERR_NOT_FOUND);

    /* event bomb: stopped by the per-exec event budget long before the gas runs out */
    CHECK(mode(c, a, 21, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "too much event data") != NULL);
    CHECK(r.nevents == 0 && r.gas_used < 10000000);
    bst_contract_result_free(&r);

    /* too many event topics */
    CHECK(mode(c, a, 12, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "TooManyTopics") != NULL);
    bst_contract_result_free(&r);

    /* reentrancy: calling itself is refused (the caller traps with ReentranceDenied) */
    CHECK(mode(c, a, 5, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "ReentranceDenied") != NULL);
    bst_contract_result_free(&r);

    /* seal0.seal_call always allows reentry (pallet-contracts passes ALLOW_REENTRY): a calls
     * itself with mode 8 */
    uint8_t s0[34];
    s0[0] = 24;
    memcpy(s0 + 1, a, 32);
    s0[33] = 9; /* the inner frame reverts: CalleeReverted, its k := 3 dropped */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, s0, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "02000000"));
    bst_contract_result_free(&r);
    CHECK(stored(c, a, 'k') == 2);
    /* FORWARD_INPUT hands the input over: reading it again traps (InputForwarded) */
    s0[0] = 25;
    memcpy(s0 + 1, BOB, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, s0, 33, 0, false, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "InputForwarded") != NULL);
    bst_contract_result_free(&r);

    /* READ_ONLY: a callee that writes traps (StateChangeDenied), one that only reads runs */
    s0[0] = 26;
    memcpy(s0 + 1, b, 32);
    s0[33] = 8;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, s0, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"));
    bst_contract_result_free(&r);
    CHECK(stored(c, b, 'k') == -1);
    s0[33] = 13;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, s0, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"));
    bst_contract_result_free(&r);

    /* revert: data returned with the flag, k unchanged */
    CHECK(mode(c, a, 9, 0, &r) == BST_CONTRACT_REVERTED);
    CHECK(r.flags == 1 && r.data_len == 2 && memcmp(r.data, "no", 2) == 0);
    bst_contract_result_free(&r);
    CHECK(stored(c, a, 'k') == 2);

    /* nested call into b whose callee traps: b's write rolled back, a sees CalleeTrapped (1)
     * and keeps its own writes */
    uint8_t in[34];
    in[0] = 6;
    memcpy(in + 1, b, 32);
    in[33] = 7;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"
                      "10000000"
                      "00000000")); /* no output written */
    bst_contract_result_free(&r);
    CHECK(stored(c, b, 'c') == -1);
    CHECK(stored(c, a, 'k') == 6);
    CHECK(stored(c, a, 'r') == 1);
    /* a reverting callee: CalleeReverted (2), its write rolled back */
    in[33] = 9;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "02000000"
                      "02000000"
                      "6e6f0000")); /* the callee's "no" */
    bst_contract_result_free(&r);
    CHECK(stored(c, b, 'k') == -1);
    /* a succeeding callee: Success (0), its write kept */
    in[33] = 8;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "00000000"
                      "00000000")); /* empty output */
    bst_contract_result_free(&r);
    CHECK(stored(c, b, 'k') == 2);
    /* calling a plain account: NotCallable (8) */
    memcpy(in + 1, BOB, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "08000000"
                      "10000000"
                      "00000000"));
    bst_contract_result_free(&r);

    /* hash_blake2_256("abc"): the BLAKE2b-256 known answer */
    CHECK(mode(c, a, 13, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
    bst_contract_result_free(&r);

    /* events: two topics and data */
    CHECK(mode(c, a, 14, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.nevents == 1 && r.events[0].ntopics == 2 && r.events[0].topics[0][0] == 0x11 &&
          r.events[0].topics[1][31] == 0x22 && r.events[0].data_len == 2);
    bst_contract_result_free(&r);

    /* value transfer: 500 from bob to a, reported by value_transferred / balance / caller */
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_CALL;
    memcpy(e.origin, BOB, 32);
    memcpy(e.dest, a, 32);
    uint8_t m15 = 15;
    e.input = &m15;
    e.input_len = 1;
    u128(e.value, 500);
    uint8_t before[16], after[16];
    CHECK(bst_contracts_balance(c, BOB, before));
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 64);
    if (r.data_len == 64) {
        CHECK(lo64(r.data) == 500);
        /* its balance: the value and the existential deposit it was created with */
        CHECK(lo64(r.data + 16) == 500 + BST_CONTRACTS_MINIMUM_BALANCE);
        CHECK(memcmp(r.data + 32, BOB, 32) == 0);
    }
    bst_contract_result_free(&r);
    CHECK(bst_contracts_balance(c, BOB, after));
    CHECK(lo64(before) - lo64(after) == 500);
    CHECK(bst_contracts_balance(c, a, after) && lo64(after) == 500 + BST_CONTRACTS_MINIMUM_BALANCE);
    /* more value than the origin has: an error, nothing moves */
    uint8_t poor[32];
    memset(poor, 0x77, 32);
    memcpy(e.origin, poor, 32);
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_ERROR);
    bst_contract_result_free(&r);
    CHECK(bst_contracts_balance(c, a, after) && lo64(after) == 500 + BST_CONTRACTS_MINIMUM_BALANCE);
    bst_contracts_close(c);
}

/* ---- nesting: depth limit, instantiate from a contract, terminate, sub-call gas limits ---- */

static void instance(bst_contracts *c, uint8_t salt, uint8_t out[32]) {
    bst_contract_exec e;
    bst_contract_result r;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.code_hash, HOSTILE, 32);
    e.salt = &salt;
    e.salt_len = 1;
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
    memcpy(out, r.address, 32);
    bst_contract_result_free(&r);
}

static void nested(void) {
    uint8_t a[7][32];
    bst_contracts *c = hostile_setup(a[0], NULL);
    for (int i = 1; i < 7; i++) instance(c, (uint8_t)i, a[i]);
    bst_contract_result r;

    /* a0 -> a1 -> ... -> a5 -> a6: a5 is at depth 5 (the limit), so its call traps it
     * (MaxCallDepthReached); a4 sees CalleeTrapped and a5's write is rolled back */
    uint8_t in[7 * 33 + 1];
    size_t n = 0;
    for (int i = 1; i < 7; i++) {
        in[n++] = 6;
        memcpy(in + n, a[i], 32);
        n += 32;
    }
    in[n++] = 8;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[0], in, n, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "0c000000"
                      "00000000")); /* a1 answered 12 bytes, rc 0 */
    bst_contract_result_free(&r);
    CHECK(stored(c, a[4], 'r') == 1);
    CHECK(stored(c, a[3], 'r') == 0);
    CHECK(stored(c, a[4], 'k') == 6);
    CHECK(stored(c, a[5], 'k') == -1);
    CHECK(stored(c, a[6], 'k') == -1);
    /* one level less fits: a1 -> ... -> a6 */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[1], in + 33, n - 33, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(stored(c, a[6], 'k') == 2);
    CHECK(stored(c, a[5], 'r') == 0);

    /* a sub-call with its own gas limit runs out of it: CalleeTrapped, the caller goes on */
    uint8_t g[34];
    g[0] = 20;
    memcpy(g + 1, a[1], 32);
    g[33] = 0;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[0], g, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"));
    CHECK(r.gas_used > 1000000 && r.gas_used < 2000000);
    bst_contract_result_free(&r);

    /* instantiate from a contract: the address is derived with the contract as deployer */
    uint8_t ins[34];
    ins[0] = 16;
    memcpy(ins + 1, HOSTILE, 32);
    ins[33] = 8;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[0], ins, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    uint8_t expect[32];
    uint8_t salt = 's', eight = 8;
    bst_contracts_address(a[0], HOSTILE, &eight, 1, &salt, 1, expect);
    CHECK(r.data_len == 36 && r.data[0] == 0 && memcmp(r.data + 4, expect, 32) == 0);
    bst_contract_result_free(&r);
    uint8_t ch[32];
    CHECK(bst_contracts_code_hash_of(c, expect, ch) && memcmp(ch, HOSTILE, 32) == 0);
    /* again: the same address is taken, DuplicateContract traps the caller */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[0], ins, 34, 0, false, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "DuplicateContract") != NULL);
    bst_contract_result_free(&r);
    /* unknown code: CodeNotFound (7) */
    memset(ins + 1, 0xee, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[0], ins, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 36 && r.data[0] == 7);
    bst_contract_result_free(&r);

    /* terminate: balance to the beneficiary, instance and storage gone */
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_CALL;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.dest, a[2], 32);
    uint8_t m8 = 8;
    e.input = &m8;
    e.input_len = 1;
    u128(e.value, 1234);
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(stored(c, a[2], 'k') == 2);
    uint8_t ben[32], bal[16];
    memset(ben, 0x5a, 32);
    uint8_t t[33];
    t[0] = 17;
    memcpy(t + 1, ben, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[2], t, 33, 0, false, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(!bst_contracts_code_hash_of(c, a[2], ch));
    /* the contract's free balance: the value and its existential deposit */
    CHECK(bst_contracts_balance(c, ben, bal) && lo64(bal) == 1234 + BST_CONTRACTS_MINIMUM_BALANCE);
    CHECK(bst_contracts_balance(c, a[2], bal) && lo64(bal) == 0);
    CHECK(stored(c, a[2], 'k') == -1);

    /* delegate_call: the code runs in a3's context, so its writes land in a3's storage */
    uint8_t dl[35];
    dl[0] = 22;
    memcpy(dl + 1, HOSTILE, 32);
    dl[33] = 9; /* k := 3, then revert with "no": rolled back */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[3], dl, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "02000000"
                      "02000000"
                      "6e6f0000"));
    bst_contract_result_free(&r);
    CHECK(stored(c, a[3], 'k') == 6); /* left by the depth test above */
    dl[33] = 8;                       /* k := 2 */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[3], dl, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "00000000"
                      "00000000"));
    bst_contract_result_free(&r);
    CHECK(stored(c, a[3], 'k') == 2);
    dl[33] = 15; /* 64 bytes of output do not fit the 16-byte buffer: the caller traps */
    CHECK(run(c, BST_CONTRACT_CALL, BOB, a[3], dl, 34, 0, false, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "OutputBufferTooSmall") != NULL);
    bst_contract_result_free(&r);
    memset(dl + 1, 0xee, 32); /* unknown code: CodeNotFound */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[3], dl, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "07000000"
                      "10000000"
                      "00000000"));
    bst_contract_result_free(&r);

    /* set_code_hash: a3 switches to probe.wasm; its next call runs the new code */
    uint8_t probe_hash[32];
    upload_file(c, CONTRACTS_WASM_DIR, "probe.wasm", probe_hash);
    uint8_t sc[33];
    sc[0] = 23;
    memset(sc + 1, 0xee, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[3], sc, 33, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "07000000"));
    bst_contract_result_free(&r);
    memcpy(sc + 1, probe_hash, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[3], sc, 33, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"));
    bst_contract_result_free(&r);
    CHECK(bst_contracts_code_hash_of(c, a[3], ch) && memcmp(ch, probe_hash, 32) == 0);
    uint8_t two = 2;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a[3], &two, 1, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 80); /* probe's hashes of "abc" */
    bst_contract_result_free(&r);
    CHECK(stored(c, a[3], 'k') == 2); /* the storage stayed */

    /* 20 distinct codes (hostile.wasm plus a custom section) through the handle's 16-entry
     * compiled-module cache: every one still runs correctly after evictions */
    char path[512];
    snprintf(path, sizeof path, "%s/hostile.wasm", CONTRACTS_WASM_DIR);
    size_t len;
    uint8_t *code = ctu_read_file(path, &len);
    uint8_t *var = malloc(len + 5);
    memcpy(var, code, len);
    uint8_t vaddr[20][32];
    for (int i = 0; i < 20; i++) {
        const uint8_t custom[5] = {0x00, 0x03, 0x01, 'v', (uint8_t)i};
        memcpy(var + len, custom, 5);
        bst_contract_exec ie;
        memset(&ie, 0, sizeof ie);
        ie.kind = BST_CONTRACT_INSTANTIATE;
        memcpy(ie.origin, ALICE, 32);
        ie.code = var;
        ie.code_len = len + 5;
        CHECK(bst_contracts_exec(c, &ie, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
        memcpy(vaddr[i], r.address, 32);
        uint8_t vh[32];
        bst_blake2_256(var, len + 5, vh);
        CHECK(memcmp(r.code_hash, vh, 32) == 0 && bst_contracts_code_exists(c, vh));
        bst_contract_result_free(&r);
    }
    for (int i = 0; i < 20; i++) {
        CHECK(mode(c, vaddr[i], 13, 0, &r) == BST_CONTRACT_SUCCESS);
        CHECK(data_is(&r, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
        bst_contract_result_free(&r);
    }
    free(var);
    free(code);
    bst_contracts_close(c);
}

/* ---- signatures through the contract: sr25519_verify, ecdsa_recover ---------------------- */

static void crypto(void) {
    uint8_t a[32];
    bst_contracts *c = hostile_setup(a, NULL);
    bst_contract_result r;
    uint8_t pub[32], sec[64];
    CHECK(bst_dev_account("alice", pub, sec));
    CHECK(memcmp(pub, ALICE, 32) == 0);
    static const char msg[] = "bastion contract message";
    size_t ml = sizeof msg - 1;
    uint8_t in[256];
    in[0] = 18;
    bst_sr25519_sign(sec, pub, msg, ml, in + 1);
    memcpy(in + 65, pub, 32);
    memcpy(in + 97, msg, ml);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 97 + ml, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"));
    bst_contract_result_free(&r);
    in[97] ^= 1; /* another message: Sr25519VerifyFailed (12) */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 97 + ml, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0c000000"));
    bst_contract_result_free(&r);

    uint8_t seed[32], pub33[33];
    memset(seed, 0x21, 32);
    CHECK(bst_ecdsa_from_seed(seed, pub33));
    in[0] = 19;
    CHECK(bst_ecdsa_sign(seed, msg, ml, in + 1));
    bst_blake2_256(msg, ml, in + 66);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 98, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 37 && r.data[0] == 0 && memcmp(r.data + 4, pub33, 33) == 0);
    bst_contract_result_free(&r);
    in[65] = 9; /* invalid recovery id: EcdsaRecoverFailed (11) */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 98, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 37 && r.data[0] == 11);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- storage and environment host functions (probe.wat) --------------------------------- */

static void probe(void) {
    bst_contracts *c = setup();
    uint8_t hash[32], addr[32];
    upload_file(c, CONTRACTS_WASM_DIR, "probe.wasm", hash);
    bst_contract_result r;
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, NULL, 0, 0, false, &r) ==
          BST_CONTRACT_SUCCESS); /* block 1 */
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);

    /* storage, in pallet-contracts' terms: SENTINEL (ffffffff) for absent, previous sizes,
     * KeyNotFound (3); a fixed key (seal0, seal1 without a length) and a 32-byte variable key
     * are different slots */
    uint8_t m = 0;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, &m, 1, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "ffffffff"
                      "ffffffff"
                      "05000000"
                      "05000000" /* absent; fixed set, the
                                                                      variable slot absent; 5;
                                                                      old 5 */
                      "00000000"
                      "03000000"
                      "03000000"
                      "40000000" /* get ok, 3; take of the
                                                                      variable key: KeyNotFound,
                                                                      buffer untouched */
                      "ffffffff"
                      "03000000"
                      "ffffffff"
                      "05000000" /* gone; KeyNotFound; new; 5 */
                      "ffffffff"
                      "ffffffff"
                      "00000000"
                      "68692100")); /* cleared; new empty; 0 */
    bst_contract_result_free(&r);   /* block 2 */
    uint8_t *v;
    size_t n;
    CHECK(bst_contracts_storage_get(c, addr, (const uint8_t *)"pk", 2, &v, &n) == BST_OK);
    CHECK(n == 7 && memcmp(v, "persist", 7) == 0);
    free(v);
    uint8_t k4[4] = {1, 2, 3, 4};
    CHECK(bst_contracts_storage_get(c, addr, k4, 4, &v, &n) == BST_OK && n == 0 && v == NULL);

    /* environment */
    m = 1;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, &m, 1, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 144);
    if (r.data_len == 144) {
        static const uint8_t rcs[20] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0};
        CHECK(memcmp(r.data, rcs, 20) == 0); /* origin, contract, not contract, ok, KeyNotFound */
        CHECK(r.data[20] == 3 && r.data[21] == 0);                    /* block_number: third exec */
        CHECK(r.data[24] == 1 && r.data[25] == 0);                    /* minimum_balance 1 */
        CHECK(memcmp(r.data + 40, hash, 32) == 0);                    /* code_hash(self) */
        static const uint8_t now[8] = {0x50, 0x46, 0, 0, 0, 0, 0, 0}; /* 3 * 6000 ms */
        CHECK(memcmp(r.data + 104, now, 8) == 0);
        CHECK(memcmp(r.data + 112, hash, 32) == 0); /* own_code_hash */
    }
    bst_contract_result_free(&r);

    /* hashes of "abc": SHA-256 (FIPS 180-2), Keccak-256, BLAKE2b-128 known answers */
    m = 2;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, &m, 1, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
                      "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
                      "cf4ab791c62b8d2b2109c90275287816"));
    bst_contract_result_free(&r);

    /* ecdsa_to_eth_address: the Alith / Baltathar dev keys and their well-known Ethereum
     * addresses (polkadot-js keyring test pairs); an invalid key gives EcdsaRecoveryFailed */
    uint8_t e[34];
    e[0] = 3;
    unhex("02509540919faacf9ab52146c9aa40db68172d83777250b28e4679176e49ccdd9f", e + 1, 33);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, e, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "f24ff3a9cf04c71dbc94d0b566f7a27b94566cac"));
    bst_contract_result_free(&r);
    unhex("033bc19e36ff1673910575b6727a974a9abd80c9a875d41ab3e2648dbfb9e4b518", e + 1, 33);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, e, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "3cd0a705a2dc65e5b1e1205896baa2be8a07c6e0"));
    bst_contract_result_free(&r);
    e[1] = 0x05;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, e, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 24 && r.data[0] == 11);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- random inputs and mutated code --------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) { /* xorshift64*: reproducible runs */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static void fuzz(void) {
    bst_contracts *c = setup();
    uint8_t hash[32], addr[32];
    bst_contract_result r;
    upload_file(c, SHARED_CONTRACTS_DIR, "erc20_v5.wasm", hash);
    uint8_t in[200];
    memcpy(in, "\x9b\xae\x9d\x5e", 4);
    u128(in + 4, 1000);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, in, 20, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    /* 2000 random inputs, half of them behind a real selector: whatever they do, the contract
     * must end cleanly and the total supply stays 1000 */
    static const char *const sel[] = {"\xdb\x63\x75\xa8", "\x0f\x75\x5a\x56", "\x6a\x00\x16\x5e",
                                      "\x84\xa1\x5d\xa1", "\x68\x12\x66\xa0", "\x0b\x39\x6f\x18"};
    for (int i = 0; i < 2000; i++) {
        size_t len = (size_t)(rng() % sizeof in);
        for (size_t j = 0; j < len; j++) in[j] = (uint8_t)rng();
        if ((i & 1) && len >= 4) memcpy(in, sel[rng() % 6], 4);
        bst_contract_exec e;
        memset(&e, 0, sizeof e);
        e.kind = BST_CONTRACT_CALL;
        memcpy(e.origin, (i & 2) ? ALICE : BOB, 32);
        memcpy(e.dest, addr, 32);
        e.input = in;
        e.input_len = len;
        CHECK(bst_contracts_exec(c, &e, &r) == BST_OK);
        CHECK(r.outcome == BST_CONTRACT_SUCCESS || r.outcome == BST_CONTRACT_REVERTED ||
              r.outcome == BST_CONTRACT_TRAPPED);
        bst_contract_result_free(&r);
    }
    CHECK(run(c, BST_CONTRACT_CALL, BOB, addr, (const uint8_t *)"\xdb\x63\x75\xa8", 4, 0, false,
              &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00e8030000000000000000000000000000"));
    bst_contract_result_free(&r);

    /* 2000 mutations of hostile.wasm (1 to 4 random bytes): rejected at upload, or accepted and
     * then running any mode ends cleanly */
    char path[512];
    snprintf(path, sizeof path, "%s/hostile.wasm", CONTRACTS_WASM_DIR);
    size_t len;
    uint8_t *code = ctu_read_file(path, &len);
    uint8_t *mut = malloc(len);
    int accepted = 0;
    for (int i = 0; i < 2000; i++) {
        memcpy(mut, code, len);
        int k = 1 + (int)(rng() % 4);
        for (int j = 0; j < k; j++) mut[rng() % len] = (uint8_t)rng();
        bst_error err;
        if (bst_contracts_upload(c, ALICE, mut, len, hash, &err) != BST_OK) continue;
        accepted++;
        uint8_t salt[2] = {(uint8_t)i, (uint8_t)(i >> 8)};
        bst_contract_exec e;
        memset(&e, 0, sizeof e);
        e.kind = BST_CONTRACT_INSTANTIATE;
        memcpy(e.origin, ALICE, 32);
        memcpy(e.code_hash, hash, 32);
        e.salt = salt;
        e.salt_len = 2;
        e.gas_limit = 50000000;
        CHECK(bst_contracts_exec(c, &e, &r) == BST_OK);
        CHECK(r.outcome != BST_CONTRACT_ERROR);
        bool ok = r.outcome == BST_CONTRACT_SUCCESS;
        uint8_t a[32];
        memcpy(a, r.address, 32);
        bst_contract_result_free(&r);
        if (!ok) continue;
        uint8_t md = (uint8_t)(rng() % 22);
        if (md == 0 || md == 4) md = 8; /* skip the deliberately endless modes */
        CHECK(mode(c, a, md, 50000000, &r) != BST_CONTRACT_ERROR);
        bst_contract_result_free(&r);
    }
    if (getenv("CTR_VERBOSE")) fprintf(stderr, "mutants accepted: %d of 2000\n", accepted);
    free(mut);
    free(code);
    bst_contracts_close(c);
}

/* ---- a full LMDB map ----------------------------------------------------------------- */

static void mapfull(void) {
    uint8_t a[32];
    bst_contracts *c = hostile_setup(a, NULL);
    bst_contract_result r;
    CHECK(mode(c, a, 8, 0, &r) == BST_CONTRACT_SUCCESS); /* k := 2 */
    bst_contract_result_free(&r);
    bst_contracts_close(c);
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = state_dir;
    cfg.map_size = 2u << 20; /* 2 MiB: the storage bomb fills it long before its gas ends */
    bst_error err;
    c = bst_contracts_open(&cfg, &err);
    CHECK(c != NULL);
    if (!c) return;
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_CALL;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.dest, a, 32);
    uint8_t m4 = 4;
    e.input = &m4;
    e.input_len = 1;
    CHECK(bst_contracts_exec(c, &e, &r) == BST_ERR_INVALID);
    CHECK(r.outcome == BST_CONTRACT_ERROR && strstr(r.error, "MDB_MAP_FULL") != NULL);
    bst_contract_result_free(&r);
    /* nothing of it was written, and the state goes on working */
    uint8_t k0[4] = {0, 0, 0, 0}, *v;
    size_t n;
    CHECK(bst_contracts_storage_get(c, a, k0, 4, &v, &n) == BST_ERR_NOT_FOUND);
    CHECK(stored(c, a, 'k') == 2);
    CHECK(mode(c, a, 9, 0, &r) == BST_CONTRACT_REVERTED);
    bst_contract_result_free(&r);
    CHECK(mode(c, a, 13, 0, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- upload rejections ------------------------------------------------------------------ */

static void rejects(void) {
    bst_contracts *c = setup();
    static const struct {
        const char *file, *reason;
    } cases[] = {
        {"reject_float.wasm", "float"},
        {"reject_start.wasm", "start function"},
        {"reject_nocall.wasm", "missing export `call`"},
        {"reject_badimport.wasm", "unknown import seal0.seal_launch_missiles"},
        {"reject_badsig.wasm", "seal0.seal_input has the wrong signature"},
        {"reject_bigmem.wasm", "memory maximum 17 pages exceeds 16"},
        {"reject_ownmem.wasm", "memory must be imported"},
        {"reject_badalias.wasm", "unknown import seal2.seal_call"},
        {"reject_oldcall.wasm", "seal0.seal_call has the wrong signature"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", CONTRACTS_WASM_DIR, cases[i].file);
        size_t len;
        uint8_t *code = ctu_read_file(path, &len);
        uint8_t hash[32];
        bst_error err;
        bst_status st = bst_contracts_upload(c, ALICE, code, len, hash, &err);
        CHECK(st != BST_OK);
        if (!strstr(err.message, cases[i].reason)) {
            fprintf(stderr, "%s: message '%s' lacks '%s'\n", cases[i].file, err.message,
                    cases[i].reason);
            check_failures++;
        }
        bst_blake2_256(code, len, hash);
        CHECK(!bst_contracts_code_exists(c, hash));
        free(code);
    }
    /* the code size limit */
    uint8_t *big = calloc(1, 300 * 1024);
    uint8_t hash[32];
    bst_error err;
    CHECK(bst_contracts_upload(c, ALICE, big, 300 * 1024, hash, &err) == BST_ERR_LIMIT);
    free(big);
    /* instantiating unknown code */
    bst_contract_result r;
    memset(hash, 9, 32);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, NULL, 0, 0, false, &r) ==
          BST_CONTRACT_ERROR);
    CHECK(strstr(r.error, "code not found") != NULL);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- every seal import by name, alias and signature ----------------------------------------- */

/* A module importing env.memory and one function module.name of type sig (bst_functype_parse
 * letters), exporting empty deploy and call.  Returns the length written to out. */
static size_t import_module(uint8_t out[512], const char *module, const char *name,
                            const char *sig) {
    uint8_t sec[256];
    size_t n = 0, k = 0;
    static const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    memcpy(out, header, 8);
    n = 8;
#define SECTION(id)                                                                                \
    do {                                                                                           \
        out[n++] = (id);                                                                           \
        out[n++] = (uint8_t)k; /* every section here is below 128 bytes */                         \
        memcpy(out + n, sec, k);                                                                   \
        n += k;                                                                                    \
        k = 0;                                                                                     \
    } while (0)
    /* types: 0 = sig, 1 = () -> () */
    const char *colon = strchr(sig, ':');
    sec[k++] = 2;
    sec[k++] = 0x60;
    sec[k++] = (uint8_t)(colon - sig);
    for (const char *p = sig; p < colon; p++) sec[k++] = *p == 'I' ? 0x7e : 0x7f;
    sec[k++] = (uint8_t)strlen(colon + 1);
    for (const char *p = colon + 1; *p; p++) sec[k++] = *p == 'I' ? 0x7e : 0x7f;
    sec[k++] = 0x60;
    sec[k++] = 0;
    sec[k++] = 0;
    SECTION(1);
    /* imports: env.memory (1..16 pages), module.name */
    sec[k++] = 2;
    sec[k++] = 3;
    memcpy(sec + k, "env", 3);
    k += 3;
    sec[k++] = 6;
    memcpy(sec + k, "memory", 6);
    k += 6;
    sec[k++] = 0x02;
    sec[k++] = 0x01;
    sec[k++] = 1;
    sec[k++] = 16;
    sec[k++] = (uint8_t)strlen(module);
    memcpy(sec + k, module, strlen(module));
    k += strlen(module);
    sec[k++] = (uint8_t)strlen(name);
    memcpy(sec + k, name, strlen(name));
    k += strlen(name);
    sec[k++] = 0x00;
    sec[k++] = 0;
    SECTION(2);
    /* functions 1 and 2 of type 1 */
    sec[k++] = 2;
    sec[k++] = 1;
    sec[k++] = 1;
    SECTION(3);
    /* exports deploy = 1, call = 2 */
    sec[k++] = 2;
    sec[k++] = 6;
    memcpy(sec + k, "deploy", 6);
    k += 6;
    sec[k++] = 0x00;
    sec[k++] = 1;
    sec[k++] = 4;
    memcpy(sec + k, "call", 4);
    k += 4;
    sec[k++] = 0x00;
    sec[k++] = 2;
    SECTION(7);
    /* two empty bodies */
    sec[k++] = 2;
    for (int i = 0; i < 2; i++) {
        sec[k++] = 2;
        sec[k++] = 0;
        sec[k++] = 0x0b;
    }
    SECTION(10);
#undef SECTION
    return n;
}

/* Uploads a module importing module.name : sig; NULL when accepted, else the error message
 * (in a static buffer). */
static const char *try_import(bst_contracts *c, const char *module, const char *name,
                              const char *sig, uint8_t hash[32]) {
    static bst_error err;
    uint8_t code[512];
    size_t len = import_module(code, module, name, sig);
    return bst_contracts_upload(c, ALICE, code, len, hash, &err) == BST_OK ? NULL : err.message;
}

/* The seal imports pallet-contracts defines, written out here independently of the host's own
 * list (src/contracts/seal_table.h): module, name, signature, which names link ('B' both `name`
 * and `seal_name`, the #[prefixed_alias]; 'P' only `name`; 'A' only `seal_name`) and whether the
 * function changes state. */
static const struct {
    const char *module, *name, *sig;
    char names;
    bool mutating; /* traps in a read-only call (#[mutating]) */
} SEAL_IMPORTS[] = {
    {"seal0", "set_storage", "iii:", 'B', true},
    {"seal1", "set_storage", "iii:i", 'B', true},
    {"seal2", "set_storage", "iiii:i", 'B', true},
    {"seal0", "clear_storage", "i:", 'B', true},
    {"seal1", "clear_storage", "ii:i", 'B', true},
    {"seal0", "get_storage", "iii:i", 'B', false},
    {"seal1", "get_storage", "iiii:i", 'B', false},
    {"seal0", "contains_storage", "i:i", 'B', false},
    {"seal1", "contains_storage", "ii:i", 'B', false},
    {"seal0", "take_storage", "iiii:i", 'B', true},
    {"seal0", "transfer", "iiii:i", 'B', true},
    {"seal0", "call", "iiIiiiiii:i", 'B', false},
    {"seal1", "call", "iiIiiiii:i", 'B', false},
    {"seal2", "call", "iiIIiiiiii:i", 'P', false},
    {"seal0", "delegate_call", "iiiiii:i", 'B', false},
    {"seal0", "instantiate", "iiIiiiiiiiiii:i", 'B', true},
    {"seal1", "instantiate", "iIiiiiiiiii:i", 'B', true},
    {"seal2", "instantiate", "iIIiiiiiiiiii:i", 'P', true},
    {"seal0", "terminate", "ii:", 'B', true},
    {"seal1", "terminate", "i:", 'B', true},
    {"seal0", "input", "ii:", 'B', false},
    {"seal0", "return", "iii:", 'A', false},
    {"seal0", "caller", "ii:", 'B', false},
    {"seal0", "is_contract", "i:i", 'B', false},
    {"seal0", "code_hash", "iii:i", 'B', false},
    {"seal0", "own_code_hash", "ii:", 'B', false},
    {"seal0", "caller_is_origin", ":i", 'B', false},
    {"seal0", "caller_is_root", ":i", 'P', false},
    {"seal0", "address", "ii:", 'B', false},
    {"seal0", "weight_to_fee", "Iii:", 'B', false},
    {"seal1", "weight_to_fee", "IIii:", 'P', false},
    {"seal0", "gas_left", "ii:", 'B', false},
    {"seal1", "gas_left", "ii:", 'B', false},
    {"seal0", "balance", "ii:", 'B', false},
    {"seal0", "value_transferred", "ii:", 'B', false},
    {"seal0", "now", "ii:", 'B', false},
    {"seal0", "minimum_balance", "ii:", 'B', false},
    {"seal0", "deposit_event", "iiii:", 'B', true},
    {"seal0", "block_number", "ii:", 'B', false},
    {"seal0", "hash_sha2_256", "iii:", 'B', false},
    {"seal0", "hash_keccak_256", "iii:", 'B', false},
    {"seal0", "hash_blake2_256", "iii:", 'B', false},
    {"seal0", "hash_blake2_128", "iii:", 'B', false},
    {"seal0", "debug_message", "ii:i", 'B', false},
    {"seal0", "ecdsa_recover", "iii:i", 'B', false},
    {"seal0", "ecdsa_to_eth_address", "ii:i", 'B', false},
    {"seal0", "sr25519_verify", "iiii:i", 'B', false},
    {"seal0", "reentrance_count", ":i", 'P', false},
    {"seal0", "account_reentrance_count", "i:i", 'P', false},
    {"seal0", "instantiation_nonce", ":I", 'P', false},
    {"seal0", "set_code_hash", "i:i", 'B', true},
    {"seal0", "add_delegate_dependency", "i:", 'P', true},
    {"seal0", "remove_delegate_dependency", "i:", 'P', true},
    {"seal0", "lock_delegate_dependency", "i:", 'P', true},
    {"seal0", "unlock_delegate_dependency", "i:", 'P', true},
    {"seal0", "instantiate", "iiIiiiiiiii:i", 'A', true}, /* before the salt (2020) */
    {"seal0", "random", "iiii:", 'B', false},
    {"seal1", "random", "iiii:", 'B', false},
    {"seal0", "println", "ii:", 'A', false},
    {"seal0", "tombstone_deposit", "ii:", 'B', false},
    {"seal0", "restore_to", "iiiiiiii:", 'B', false},
    {"seal1", "restore_to", "iiiii:", 'B', false},
    {"seal0", "set_rent_allowance", "ii:", 'B', false},
    {"seal1", "set_rent_allowance", "i:", 'B', false},
    {"seal0", "rent_allowance", "ii:", 'B', false},
    {"__unstable__", "set_storage", "iiii:i", 'B', true},
    {"__unstable__", "clear_storage", "ii:i", 'B', true},
    {"__unstable__", "get_storage", "iiii:i", 'B', false},
    {"__unstable__", "contains_storage", "ii:i", 'B', false},
    {"__unstable__", "take_storage", "iiii:i", 'B', true},
    {"__unstable__", "set_storage", "iii:i", 'A', true},
    {"__unstable__", "clear_storage", "i:i", 'A', true},
    {"__unstable__", "contains_storage", "i:i", 'A', false},
    {"__unstable__", "take_storage", "iii:i", 'A', true},
    {"__unstable__", "call", "iiiIiiiiii:i", 'A', false},
    {"__unstable__", "set_code_hash", "i:i", 'A', true},
    {"__unstable__", "delegate_call", "iiiiii:i", 'A', false},
    {"__unstable__", "is_contract", "i:i", 'A', false},
    {"__unstable__", "debug_message", "ii:i", 'A', false},
    {"__unstable__", "ecdsa_recover", "iii:i", 'A', false},
    {"seal0", "call_chain_extension", "iiiii:i", 'B', false},
    {"seal0", "call_runtime", "ii:i", 'P', true},
    {"__unstable__", "call_runtime", "ii:i", 'B', true},
    {"seal0", "xcm_execute", "ii:i", 'P', true},
    {"seal0", "xcm_send", "iiii:i", 'P', true},
};

/* Whether the list has module.name with signature sig (a name may have several generations'
 * signatures). */
static bool seal_listed(const char *module, const char *name, const char *sig) {
    for (size_t j = 0; j < sizeof SEAL_IMPORTS / sizeof SEAL_IMPORTS[0]; j++)
        if (!strcmp(SEAL_IMPORTS[j].module, module) && !strcmp(SEAL_IMPORTS[j].name, name) &&
            !strcmp(SEAL_IMPORTS[j].sig, sig))
            return true;
    return false;
}

/* One import's every name form against the host: a name that should link uploads and
 * instantiates; with one parameter more, one result more or an i32 turned i64 it is refused
 * for its signature; a name form that should not link, or the name under another module
 * version, is unknown. */
static void check_import(bst_contracts *c, const char *module, const char *name, const char *sig,
                         bool should_link) {
    uint8_t hash[32];
    const char *msg = try_import(c, module, name, sig, hash);
    if (!should_link) {
        /* unknown, or known under this module and name form with another generation's
         * signature only */
        bool known = false;
        for (size_t j = 0; j < sizeof SEAL_IMPORTS / sizeof SEAL_IMPORTS[0]; j++) {
            char pre[64];
            snprintf(pre, sizeof pre, "seal_%s", SEAL_IMPORTS[j].name);
            known |= !strcmp(SEAL_IMPORTS[j].module, module) &&
                     ((!strcmp(SEAL_IMPORTS[j].name, name) && SEAL_IMPORTS[j].names != 'A') ||
                      (!strcmp(pre, name) && SEAL_IMPORTS[j].names != 'P'));
        }
        const char *want = known ? "has the wrong signature" : "unknown import";
        if (!msg || !strstr(msg, want)) {
            fprintf(stderr, "%s.%s: linked or refused wrongly (%s)\n", module, name,
                    msg ? msg : "accepted");
            check_failures++;
        }
        return;
    }
    if (msg) {
        fprintf(stderr, "%s.%s %s: %s\n", module, name, sig, msg);
        check_failures++;
        return;
    }
    bst_contract_result r;
    uint8_t salt = 0;
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.code_hash, hash, 32);
    e.salt = &salt;
    e.salt_len = 1;
    e.dry_run = true;
    bst_contracts_exec(c, &e, &r);
    if (r.outcome != BST_CONTRACT_SUCCESS) {
        fprintf(stderr, "%s.%s: instantiate: %s\n", module, name, r.error);
        check_failures++;
    }
    bst_contract_result_free(&r);
    /* one-off signatures */
    char bad[3][40];
    const char *colon = strchr(sig, ':');
    snprintf(bad[0], sizeof bad[0], "i%s", sig);
    snprintf(bad[1], sizeof bad[1], "%si", sig);
    snprintf(bad[2], sizeof bad[2], "%s", sig);
    char *flip = strchr(bad[2], 'i');
    if (flip)
        *flip = 'I';
    else
        bad[2][colon - sig + 1] = bad[2][colon - sig + 1] == 'I' ? 'i' : 'I';
    const char *base = strncmp(name, "seal_", 5) == 0 ? name + 5 : name;
    for (int i = 0; i < 3; i++) {
        /* unchanged, or another generation's signature of the same name */
        if (!strcmp(bad[i], sig) || seal_listed(module, base, bad[i])) continue;
        msg = try_import(c, module, name, bad[i], hash);
        if (!msg || !strstr(msg, "has the wrong signature")) {
            fprintf(stderr, "%s.%s %s: %s\n", module, name, bad[i], msg ? msg : "accepted");
            check_failures++;
        }
    }
}

/* A chain extension that only answers 0 (imports: code importing call_chain_extension uploads
 * only when one is registered). */
static bool ext_zero(void *user, bst_contracts_env *env, uint16_t func_id, uint32_t *ret) {
    (void)user;
    (void)env;
    (void)func_id;
    *ret = 0;
    return true;
}

static void imports(void) {
    bst_contracts *c = setup();
    /* without a chain extension, its import is refused at upload, naming why */
    uint8_t h[32];
    const char *msg = try_import(c, "seal0", "call_chain_extension", "iiiii:i", h);
    CHECK(msg && strstr(msg, "NoChainExtension") != NULL);
    bst_chain_extension ext = {.id = 0, .fn = ext_zero};
    CHECK(bst_contracts_chain_extension(c, &ext, NULL) == BST_OK);
    for (size_t i = 0; i < sizeof SEAL_IMPORTS / sizeof SEAL_IMPORTS[0]; i++) {
        const char *module = SEAL_IMPORTS[i].module, *name = SEAL_IMPORTS[i].name;
        char names = SEAL_IMPORTS[i].names, prefixed[64], other[8];
        snprintf(prefixed, sizeof prefixed, "seal_%s", name);
        check_import(c, module, name, SEAL_IMPORTS[i].sig, names != 'A');
        check_import(c, module, prefixed, SEAL_IMPORTS[i].sig, names != 'P');
        /* the name under a module version that does not define it */
        for (char v = '0'; v <= '3'; v++) {
            snprintf(other, sizeof other, "seal%c", v);
            bool defined = false;
            for (size_t j = 0; j < sizeof SEAL_IMPORTS / sizeof SEAL_IMPORTS[0]; j++)
                defined |=
                    !strcmp(SEAL_IMPORTS[j].module, other) && !strcmp(SEAL_IMPORTS[j].name, name);
            if (!defined) check_import(c, other, name, SEAL_IMPORTS[i].sig, false);
        }
    }
    /* The host's list has exactly these rows, with the same signatures and flags: a row added
     * there must be added here, and so be checked above. */
    size_t rows = 0;
#define SAME_ROW(mod, n, s, fl)                                                                    \
    do {                                                                                           \
        char names = (fl)&CTR_ALIAS_ONLY ? 'A' : (fl)&CTR_ALIAS ? 'B' : 'P';                       \
        bool found = false;                                                                        \
        for (size_t j = 0; j < sizeof SEAL_IMPORTS / sizeof SEAL_IMPORTS[0]; j++)                  \
            found |= !strcmp(SEAL_IMPORTS[j].module, CTR_MODULE_NAME(mod)) &&                      \
                     !strcmp(SEAL_IMPORTS[j].name, #n) && !strcmp(SEAL_IMPORTS[j].sig, s) &&       \
                     SEAL_IMPORTS[j].names == names &&                                             \
                     SEAL_IMPORTS[j].mutating == (((fl)&CTR_MUTATING) != 0);                       \
        if (!found) {                                                                              \
            fprintf(stderr, "row %s.%s %s differs from the list here\n", #mod, #n, s);             \
            check_failures++;                                                                      \
        }                                                                                          \
        rows++;                                                                                    \
    } while (0);
    CONTRACTS_HOST_FUNCTIONS(SAME_ROW)
#undef SAME_ROW
    CHECK(rows == sizeof SEAL_IMPORTS / sizeof SEAL_IMPORTS[0]);
    CHECK(rows == CTR_SEAL_COUNT);

    /* near misses */
    check_import(c, "seal0", "seal_", "ii:", false);
    check_import(c, "seal0", "Seal_input", "ii:", false);
    check_import(c, "seal0", "inpu", "ii:", false);
    check_import(c, "seal0", "seal_seal_input", "ii:", false);
    check_import(c, "env", "input", "ii:", false);
    check_import(c, "seal", "input", "ii:", false);
    bst_contracts_close(c);
}

/* ---- kill -9 in the middle of an exec ---------------------------------------------------- */

static void kill9(void) {
    uint8_t a[32];
    bst_contracts *c = hostile_setup(a, NULL);
    bst_contract_result r;
    CHECK(mode(c, a, 8, 0, &r) == BST_CONTRACT_SUCCESS); /* k := 2, committed */
    bst_contract_result_free(&r);
    bst_contracts_close(c);

    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        bst_contracts *cc = ctu_open(state_dir);
        CHECK(write(pipefd[1], "x", 1) == 1);
        /* writes k := 1 then loops with an effectively unlimited gas budget */
        mode(cc, a, 0, UINT64_C(1) << 62, &r);
        _exit(3);
    }
    close(pipefd[1]);
    char ch;
    CHECK(read(pipefd[0], &ch, 1) == 1);
    /* Kill it only once it has burnt 0.2 s of CPU: by then it is inside the contract's loop
     * (setting up an exec takes about a millisecond), its write transaction open. */
    long cpu = 0;
    for (int i = 0; i < 1000 && cpu < 20; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        char path[64], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        FILE *st = fopen(path, "r");
        if (!st) break;
        size_t got = fread(buf, 1, sizeof buf - 1, st);
        fclose(st);
        buf[got] = 0;
        /* fields 14 and 15 (utime, stime) follow the ")" that ends the command name */
        char *q = strrchr(buf, ')');
        long ut = 0, stt = 0;
        if (q &&
            sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &stt) == 2)
            cpu = ut + stt;
    }
    CHECK(cpu >= 20);
    CHECK(kill(pid, SIGKILL) == 0);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    c = ctu_open(state_dir);
    CHECK(stored(c, a, 'k') == 2); /* the killed exec left nothing */
    CHECK(mode(c, a, 9, 0, &r) == BST_CONTRACT_REVERTED);
    bst_contract_result_free(&r);
    CHECK(mode(c, a, 8, 0, &r) == BST_CONTRACT_SUCCESS); /* the state is writable again */
    bst_contract_result_free(&r);
    CHECK(stored(c, a, 'k') == 2);
    bst_contracts_close(c);
}

/* ---- regressions of review findings (CTest contracts/regress) --------------------------- */

/* Uploads CONTRACTS_WASM_DIR/name and instantiates it (input, one salt byte); *addr the new
 * instance.  Returns the outcome. */
static bst_contract_outcome deploy_wasm(bst_contracts *c, const char *name, const uint8_t *input,
                                        size_t ilen, uint8_t salt, uint8_t hash[32],
                                        uint8_t addr[32], bst_contract_result *r) {
    upload_file(c, CONTRACTS_WASM_DIR, name, hash);
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.code_hash, hash, 32);
    e.input = input;
    e.input_len = ilen;
    e.salt = &salt;
    e.salt_len = 1;
    CHECK(bst_contracts_exec(c, &e, r) == BST_OK);
    memcpy(addr, r->address, 32);
    return r->outcome;
}

/* caller_is_origin is true in a delegate_call made by a contract the origin called. */
static void regress_origin(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_origin.wasm", NULL, 0, 1, h, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    uint8_t zero = 0;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, &zero, 1, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"));
    bst_contract_result_free(&r);
    uint8_t in[36] = {1};
    memcpy(in + 4, h, 32);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 36, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"
                      "00000000"
                      "00000000")); /* output, 0, rc Success */
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* A contract cannot be called while its constructor runs: NotCallable (8), and nothing the
 * would-be callee wrote survives. */
static void regress_ctor_call(void) {
    bst_contracts *c = setup();
    uint8_t hb[32], b[32], hx[32], x[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_callback.wasm", NULL, 0, 1, hb, b, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    uint8_t in[36] = {0};
    memcpy(in + 4, b, 32);
    CHECK(deploy_wasm(c, "rv_ctor_call.wasm", in, 36, 1, hx, x, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "08000000")); /* the call succeeded, the call back: 8 */
    bst_contract_result_free(&r);
    uint8_t *v;
    size_t n;
    uint8_t k = 0;
    CHECK(bst_contracts_storage_get(c, x, &k, 1, &v, &n) == BST_ERR_NOT_FOUND);
    /* nor is it a contract for is_contract / code_hash until its constructor has returned */
    uint8_t hi[32], ai[32];
    CHECK(deploy_wasm(c, "rv_ctor_is.wasm", NULL, 0, 1, hi, ai, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "03000000"));
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, ai, NULL, 0, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"
                      "00000000"));
    bst_contract_result_free(&r);
    /* called directly, b calls back ALICE: no contract there, NotCallable as well */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, b, NULL, 0, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "08000000"));
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* terminate in `deploy` fails the instantiation (TerminatedInConstructor): nothing stays. */
static void regress_ctor_terminate(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    upload_file(c, CONTRACTS_WASM_DIR, "rv_term.wasm", h);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.code_hash, h, 32);
    u128(e.value, 500);
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "TerminatedInConstructor") != NULL);
    memcpy(a, r.address, 32);
    bst_contract_result_free(&r);
    uint8_t ch[32], bal[16], ben[32] = {0};
    CHECK(!bst_contracts_code_hash_of(c, a, ch));
    CHECK(bst_contracts_balance(c, ben, bal) && lo64(bal) == 0);
    bst_contracts_close(c);
}

/* Empty events count against max_event_bytes_total: an endless deposit_event(0, 0, 0, 0) loop
 * traps on the budget after at most 4 MiB / 64 events, far below the gas limit. */
static void regress_events(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_events.wasm", NULL, 0, 1, h, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, NULL, 0, 0, false, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "too much event data") != NULL);
    CHECK(r.nevents == 0); /* the trapped frame's events are dropped */
    /* 65,536 events of ~2,100 gas each, then the trap */
    CHECK(r.gas_used > 65536ull * 2100 && r.gas_used < 65537ull * 2300);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* 17 codes delegate-called in turn through the 16-slot module cache: an evicted module is freed
 * as soon as no frame runs it, so the modules held stay bounded whatever the gas limit. */
static void regress_modcycle(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_modcycle.wasm", NULL, 0, 1, h, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    char path[512];
    snprintf(path, sizeof path, "%s/rv_term.wasm", CONTRACTS_WASM_DIR);
    size_t len;
    uint8_t *code = ctu_read_file(path, &len);
    uint8_t *var = malloc(len + 5);
    memcpy(var, code, len);
    uint8_t in[4 + 17 * 32] = {0};
    for (int i = 0; i < 17; i++) {
        const uint8_t custom[5] = {0x00, 0x03, 0x01, 'v', (uint8_t)i};
        memcpy(var + len, custom, 5);
        bst_error err;
        CHECK(bst_contracts_upload(c, ALICE, var, len + 5, in + 4 + 32 * i, &err) == BST_OK);
    }
    free(var);
    free(code);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, sizeof in, 200000000, false, &r) ==
          BST_CONTRACT_OUT_OF_GAS);
    bst_contract_result_free(&r);
    bst_contracts_stats st;
    bst_contracts_get_stats(c, &st);
    CHECK(st.modules_live <= 16);
    CHECK(st.modules_peak <= 16 + 5 + 1);
    if (st.modules_peak > 16 + 5 + 1)
        fprintf(stderr, "  %zu modules held at once\n", st.modules_peak);
    bst_contracts_close(c);
}

/* A transfer whose recipient balance would pass u128::MAX fails (TransferFailed) and moves
 * nothing; so does terminate (the contract traps and stays). */
static void regress_overflow(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    upload_file(c, CONTRACTS_WASM_DIR, "rv_transfer.wasm", h);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.code_hash, h, 32);
    u128(e.value, 1000);
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_SUCCESS);
    memcpy(a, r.address, 32);
    bst_contract_result_free(&r);
    uint8_t rich[32], max[16], bal[16];
    memset(rich, 0x77, 32);
    memset(max, 0xff, 16);
    max[0] = 0xf0; /* u128::MAX - 15 */
    bst_error err;
    CHECK(bst_contracts_set_balance(c, rich, max, &err) == BST_OK);
    uint8_t in[52] = {0};
    memcpy(in + 4, rich, 32);
    u128(in + 36, 16); /* one too many */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, sizeof in, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "05000000")); /* TransferFailed */
    bst_contract_result_free(&r);
    /* the value and the existential deposit a new contract gets */
    CHECK(bst_contracts_balance(c, a, bal) && lo64(bal) == 1001);
    CHECK(bst_contracts_balance(c, rich, bal) && memcmp(bal, max, 16) == 0);
    u128(in + 36, 15); /* exactly to the maximum */
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, sizeof in, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"));
    bst_contract_result_free(&r);
    CHECK(bst_contracts_balance(c, a, bal) && lo64(bal) == 986);
    memset(max, 0xff, 16);
    CHECK(bst_contracts_balance(c, rich, bal) && memcmp(bal, max, 16) == 0);
    /* terminate to a full account: traps, the contract and its balance stay */
    in[0] = 1;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, sizeof in, 0, false, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "TransferFailed") != NULL);
    bst_contract_result_free(&r);
    uint8_t ch[32];
    CHECK(bst_contracts_code_hash_of(c, a, ch));
    CHECK(bst_contracts_balance(c, a, bal) && lo64(bal) == 986);
    /* a top-level value transfer into a full contract account fails the same way */
    CHECK(bst_contracts_set_balance(c, a, max, &err) == BST_OK);
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_CALL;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.dest, a, 32);
    e.input = in;
    e.input_len = sizeof in;
    u128(e.value, 1);
    uint8_t before[16];
    CHECK(bst_contracts_balance(c, ALICE, before));
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_ERROR);
    CHECK(strstr(r.error, "transfer failed") != NULL);
    bst_contract_result_free(&r);
    CHECK(bst_contracts_balance(c, ALICE, bal) && memcmp(bal, before, 16) == 0);
    bst_contracts_close(c);
}

/* seal0.set_storage(k) is not visible to seal1.get_storage(k, 32): two slots, each readable
 * through the API of its kind. */
static void regress_keys(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_keys.wasm", NULL, 0, 1, h, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, NULL, 0, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "03000000"
                      "46"
                      "5656")); /* KeyNotFound, "F", "VV" */
    bst_contract_result_free(&r);
    uint8_t k[32], *v;
    size_t n;
    memset(k, 'k', 32);
    CHECK(bst_contracts_storage_get_fixed(c, a, k, &v, &n) == BST_OK && n == 1 && v[0] == 'F');
    free(v);
    CHECK(bst_contracts_storage_get(c, a, k, 32, &v, &n) == BST_OK && n == 2 && v[0] == 'V');
    free(v);
    bst_contracts_close(c);
}

/* bst_contracts_address against the SCALE encoding written out here, for input lengths in
 * each compact mode (single byte, two bytes, four bytes). */
static void regress_address(void) {
    static const size_t lens[] = {0, 1, 63, 64, 16383, 16384, 70000};
    uint8_t *in = malloc(70000), dep[32], ch[32], salt[3] = {1, 2, 3};
    memset(in, 0x5c, 70000);
    memset(dep, 0x11, 32);
    memset(ch, 0x22, 32);
    uint8_t *enc = malloc(16 + 64 + 5 + 70000 + 1 + 3);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        size_t l = lens[i], p = 0;
        memcpy(enc, "contract_addr_v1", 16);
        memcpy(enc + 16, dep, 32);
        memcpy(enc + 48, ch, 32);
        p = 80;
        if (l < 64) {
            enc[p++] = (uint8_t)(l << 2);
        } else if (l < 16384) {
            enc[p++] = (uint8_t)((l << 2) | 1);
            enc[p++] = (uint8_t)(l >> 6);
        } else {
            uint32_t v = (uint32_t)(l << 2) | 2;
            for (int k = 0; k < 4; k++) enc[p++] = (uint8_t)(v >> (8 * k));
        }
        memcpy(enc + p, in, l);
        p += l;
        enc[p++] = 3 << 2;
        memcpy(enc + p, salt, 3);
        p += 3;
        uint8_t want[32], got[32];
        bst_blake2_256(enc, p, want);
        bst_contracts_address(dep, ch, in, l, salt, 3, got);
        CHECK(memcmp(want, got, 32) == 0);
    }
    free(enc);
    free(in);
}

/* A constructor may call back its deployer: instantiate leaves the deployer re-enterable, as
 * pallet-contracts does (only a call's missing ALLOW_REENTRY protects the caller). */
static void regress_ctor_reentry(void) {
    bst_contracts *c = setup();
    uint8_t hi[32], a[32], hc[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_instantiator.wasm", NULL, 0, 1, hi, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    upload_file(c, CONTRACTS_WASM_DIR, "rv_ctor_caller.wasm", hc);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, hc, 32, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"
                      "06000000"
                      "00000000"
                      "6869"));
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* seal2 call / instantiate: deposit_ptr is read (bounds-checked) unless SENTINEL. */
static void regress_deposit(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_deposit.wasm", NULL, 0, 1, h, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    for (uint8_t op = 0; op < 2; op++) {
        const char *rc = op ? "07000000" : "08000000";
        for (uint8_t dp = 0; dp < 3; dp++) {
            uint8_t in[2] = {op, dp};
            bst_contract_outcome o = run(c, BST_CONTRACT_CALL, ALICE, a, in, 2, 0, false, &r);
            if (dp < 2) {
                CHECK(o == BST_CONTRACT_SUCCESS);
                CHECK(data_is(&r, rc));
            } else {
                CHECK(o == BST_CONTRACT_TRAPPED && strstr(r.error, "OutOfBounds") != NULL);
            }
            bst_contract_result_free(&r);
        }
    }
    bst_contracts_close(c);
}

/* terminate pays BST_CONTRACTS_GAS_TERMINATE_PER_KEY for each storage key it deletes; too little
 * gas for them is out of gas with the contract left in place. */
static void regress_terminate_keys(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a0[32], a1[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_fill.wasm", NULL, 0, 1, h, a0, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(deploy_wasm(c, "rv_fill.wasm", NULL, 0, 2, h, a1, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    uint8_t fill[8] = {0, 0, 0, 0, 200, 0, 0, 0}, term = 1;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a1, fill, 8, 0, false, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a0, &term, 1, 0, false, &r) == BST_CONTRACT_SUCCESS);
    uint64_t base = r.gas_used;
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a1, &term, 1, base + 1000, false, &r) ==
          BST_CONTRACT_OUT_OF_GAS);
    bst_contract_result_free(&r);
    uint8_t ch[32];
    CHECK(bst_contracts_code_hash_of(c, a1, ch));
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a1, &term, 1, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.gas_used == base + 200ull * BST_CONTRACTS_GAS_TERMINATE_PER_KEY);
    bst_contract_result_free(&r);
    CHECK(!bst_contracts_code_hash_of(c, a1, ch));
    bst_contracts_close(c);
}

/* seal_return with no data gives data == NULL, data_len 0 (was a 1-byte allocation), whether
 * the contract returns or reverts (fuzz_contract_upload finding). */
static void regress_empty_return(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32];
    bst_contract_result r;
    CHECK(deploy_wasm(c, "rv_empty_return.wasm", NULL, 0, 1, h, a, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data == NULL && r.data_len == 0);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, NULL, 0, 0, false, &r) == BST_CONTRACT_REVERTED);
    CHECK(r.data == NULL && r.data_len == 0 && (r.flags & BST_CONTRACT_FLAG_REVERT));
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* A gas limit above INT64_MAX (the engine's fuel counter) is cut to it: gas_used is what the
 * exec used, not the limit minus the capped fuel (it read 2^63 + the real figure), and the
 * effective limit is reported. */
static void regress_gas_max(void) {
    bst_contracts *c = setup();
    uint8_t hash[32];
    upload_file(c, SHARED_CONTRACTS_DIR, "flipper_v5.wasm", hash);
    static const uint8_t new_false[] = {0x9b, 0xae, 0x9d, 0x5e, 0x00};
    bst_contract_result r, small;
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, new_false, 5, 0, true, &small) ==
          BST_CONTRACT_SUCCESS);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, new_false, 5, UINT64_MAX, true, &r) ==
          BST_CONTRACT_SUCCESS);
    CHECK(r.gas_limit == (uint64_t)INT64_MAX);
    CHECK(r.gas_used == small.gas_used);
    CHECK(r.gas_used > 0 && r.gas_used < 1000000000);
    bst_contract_result_free(&r);
    bst_contract_result_free(&small);
    bst_contracts_close(c);
}

static void regress(void) {
    regress_gas_max();
    regress_terminate_keys();
    regress_deposit();
    regress_ctor_reentry();
    regress_address();
    regress_keys();
    regress_overflow();
    regress_modcycle();
    regress_events();
    regress_origin();
    regress_ctor_call();
    regress_ctor_terminate();
    regress_empty_return();
}

/* ---- pooled instances and per-exec limits ------------------------------------------------- */

/* grow.wat's call with input n: memory.grow(n), then the words at 4000 and the last page's
 * start as the previous call left them (0 on a fresh or reset instance). */
static void grow_call(bst_contracts *c, const uint8_t addr[32], uint8_t n, uint32_t cap,
                      int32_t out[3]) {
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_CALL;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.dest, addr, 32);
    e.input = &n;
    e.input_len = 1;
    e.max_memory_pages = cap;
    bst_contract_result r;
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK);
    CHECK_MSG(r.outcome == BST_CONTRACT_SUCCESS && r.data_len == 12, "grow: %s", r.error);
    for (int i = 0; i < 3; i++) {
        out[i] = -99;
        if (r.data_len == 12) memcpy(&out[i], r.data + 4 * i, 4);
    }
    bst_contract_result_free(&r);
}

/* A call of hostile.wat in mode m with the given deadline and ticket (gas: the most). */
static bst_contract_outcome limited(bst_contracts *c, const uint8_t addr[32], uint8_t m,
                                    uint64_t deadline, bst_ticket *k, bst_contract_result *r) {
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_CALL;
    memcpy(e.origin, ALICE, 32);
    memcpy(e.dest, addr, 32);
    e.input = &m;
    e.input_len = 1;
    e.gas_limit = UINT64_MAX;
    e.deadline = deadline;
    e.ticket = k;
    CHECK(bst_contracts_exec(c, &e, r) == BST_OK);
    return r->outcome;
}

static void pool(void) {
    uint8_t a[32], b[32], g[32], gh[32];
    bst_contracts *c = hostile_setup(a, b);
    bst_contract_result r;
    /* every call sees a fresh instance, though after the first they all run on a reused one */
    upload_file(c, CONTRACTS_WASM_DIR, "grow.wasm", gh);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, gh, NULL, 0, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(g, r.address, 32);
    bst_contract_result_free(&r);
    bst_contracts_stats st0, st1;
    bst_contracts_get_stats(c, &st0);
    int32_t out[3];
    for (int i = 0; i < 5; i++) {
        grow_call(c, g, 2, 0, out);
        CHECK_EQ(out[0], 1); /* grown from the minimum, 1 page, every time */
        CHECK_EQ(out[1], 0); /* nothing left at 4000 */
        CHECK_EQ(out[2], 0); /* nor on the grown page */
    }
    bst_contracts_get_stats(c, &st1);
    CHECK_EQ(st1.instances_reused - st0.instances_reused, 5);
    CHECK_EQ(st1.instances_made, st0.instances_made);
    /* the per-exec page cap: 3 pages allow growing by 2, not by 3; the next exec is uncapped */
    grow_call(c, g, 3, 3, out);
    CHECK_EQ(out[0], -1);
    grow_call(c, g, 2, 3, out);
    CHECK_EQ(out[0], 1);
    grow_call(c, g, 15, 0, out);
    CHECK_EQ(out[0], 1);
    grow_call(c, g, 16, 0, out); /* the declared maximum (16) still holds */
    CHECK_EQ(out[0], -1);

    /* nested calls of one module: a calls b (both hostile.wat), two instances at once */
    bst_contracts_get_stats(c, &st0);
    uint8_t in[34];
    in[0] = 6;
    memcpy(in + 1, b, 32);
    in[33] = 8;
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "000000000000000000000000")); /* rc 0, no output */
    bst_contract_result_free(&r);
    CHECK(stored(c, a, 'k') == 6);
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, a, in, 34, 0, false, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    bst_contracts_get_stats(c, &st1);
    CHECK_EQ(st1.instances_made - st0.instances_made, 1); /* the second instance, once */
    CHECK_EQ(st1.instances_reused - st0.instances_reused, 3);

    /* a deadline ends an endless loop whatever the gas, within the limit + 50 ms */
    uint64_t t0, took = UINT64_MAX;
    /* up to 3 attempts: a loaded machine may deschedule the thread past the bound once */
    for (int attempt = 0; attempt < 3 && took > 150; attempt++) {
        t0 = bst_monotonic_ns();
        CHECK(limited(c, a, 0, t0 + 100000000u, NULL, &r) == BST_CONTRACT_TRAPPED);
        took = (bst_monotonic_ns() - t0) / 1000000u;
        CHECK_EQ(r.trap, BST_TRAP_INTERRUPTED);
        bst_contract_result_free(&r);
    }
    CHECK_MSG(took >= 100 && took <= 150, "the loop ended after %llu ms", (unsigned long long)took);
    CHECK(stored(c, a, 'k') == 6); /* its write (k := 1) was rolled back */

    /* a tenant's CPU budget interrupts it too, through the ticket */
    bst_tenant_limits lim;
    bst_tenant_limits_default(&lim);
    lim.cpu_ms_per_s = 40;
    lim.call_timeout_ms = 0;
    bst_error err;
    bst_tenant *t = bst_tenant_new("contracts", &lim, &err);
    REQUIRE(t != NULL);
    bst_rejection rej;
    bst_ticket *k = bst_tenant_enter(t, &rej);
    REQUIRE(k != NULL);
    CHECK(limited(c, a, 0, 0, k, &r) == BST_CONTRACT_TRAPPED);
    CHECK_EQ(r.trap, BST_TRAP_INTERRUPTED);
    CHECK(bst_ticket_cpu_exhausted(k));
    bst_contract_result_free(&r);
    bst_tenant_leave(k, BST_OUTCOME_CPU);
    bst_tenant_stats ts;
    bst_tenant_get_stats(t, &ts);
    /* CPU time charged: the budget, plus the watchdog's period (twice the budget at most if
     * the loop ran across a window boundary) */
    CHECK_MSG(ts.cpu_ns >= 38000000u && ts.cpu_ns < 2 * 40000000u + 40000000u, "cpu %llu ns",
              (unsigned long long)ts.cpu_ns);
    CHECK_EQ(ts.calls[BST_OUTCOME_CPU], 1);
    bst_tenant_free(t);

    /* and the instance the interrupted calls ran on serves the next call normally */
    CHECK(mode(c, a, 8, 0, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(stored(c, a, 'k') == 2);
    bst_contracts_close(c);
}

/* ---- older generations of the seal ABI (CTest contracts/generations) ---------------------- */

/* Calls gen_old at a with operation op and its argument; the outcome, *r to free. */
static bst_contract_outcome gen_call(bst_contracts *c, const uint8_t a[32], uint8_t op,
                                     const uint8_t *arg, size_t alen, bst_contract_result *r) {
    uint8_t in[64] = {op};
    if (alen) memcpy(in + 1, arg, alen);
    return run(c, BST_CONTRACT_CALL, ALICE, a, in, 1 + alen, 0, false, r);
}

static void generations(void) {
    bst_contracts *c = setup();
    uint8_t h[32], a[32], other[32], zero[32] = {0};
    bst_contract_result r;
    /* deploy () -> i32 returning 0 is a success */
    CHECK(deploy_wasm(c, "gen_old.wasm", NULL, 0, 1, h, a, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    /* call () -> i32: a non-zero status is an error and rolls back; 0 is a success */
    CHECK(gen_call(c, a, 0, NULL, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "returned error status 1") != NULL);
    bst_contract_result_free(&r);
    CHECK(gen_call(c, a, 1, NULL, 0, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    /* __unstable__ of 2021: a fixed key written there is seal0's fixed key */
    CHECK(gen_call(c, a, 2, (const uint8_t *)"abc", 3, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 3 && memcmp(r.data, "abc", 3) == 0);
    bst_contract_result_free(&r);
    /* __unstable__ of 2022: variable keys, the same slot as seal1's */
    CHECK(gen_call(c, a, 8, (const uint8_t *)"kvX", 3, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 1 && r.data[0] == 'X');
    bst_contract_result_free(&r);
    uint8_t *v = NULL;
    size_t vlen = 0;
    CHECK(bst_contracts_storage_get(c, a, (const uint8_t *)"kv", 2, &v, &vlen) == BST_OK);
    CHECK(vlen == 1 && v && v[0] == 'X');
    free(v);
    /* seal1 random: 32-byte seed ++ u32 block; the same in one block (two dry runs), another
     * for another subject */
    uint8_t seed[36] = {0};
    for (int i = 0; i < 3; i++) {
        CHECK(run(c, BST_CONTRACT_CALL, ALICE, a,
                  (const uint8_t *)(i < 2 ? "\x03"
                                            "ab"
                                          : "\x03"
                                            "ac"),
                  3, 0, true, &r) == BST_CONTRACT_SUCCESS);
        CHECK(r.data_len == 36);
        if (i == 0 && r.data_len == 36) memcpy(seed, r.data, 36);
        if (r.data_len == 36) CHECK((memcmp(r.data, seed, 32) == 0) == (i < 2));
        if (r.data_len == 36) CHECK(memcmp(r.data + 32, seed + 32, 4) == 0);
        bst_contract_result_free(&r);
    }
    /* rent-era stubs: tombstone deposit 0, rent allowance u128::MAX */
    CHECK(gen_call(c, a, 4, NULL, 0, &r) == BST_CONTRACT_SUCCESS);
    uint8_t want[32];
    memset(want, 0, 16);
    memset(want + 16, 0xff, 16);
    CHECK(r.data_len == 32 && memcmp(r.data, want, 32) == 0);
    bst_contract_result_free(&r);
    /* delegate dependencies: not its own code, not unknown code, not twice; unlock once */
    CHECK(gen_call(c, a, 5, NULL, 0, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "CannotAddSelfAsDelegateDependency") != NULL);
    bst_contract_result_free(&r);
    CHECK(gen_call(c, a, 6, zero, 32, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "CodeNotFound") != NULL);
    bst_contract_result_free(&r);
    upload_file(c, CONTRACTS_WASM_DIR, "rv_empty_return.wasm", other);
    CHECK(gen_call(c, a, 7, other, 32, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "DelegateDependencyNotFound") != NULL);
    bst_contract_result_free(&r);
    CHECK(gen_call(c, a, 6, other, 32, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(gen_call(c, a, 6, other, 32, &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "DelegateDependencyAlreadyExists") != NULL);
    bst_contract_result_free(&r);
    CHECK(gen_call(c, a, 7, other, 32, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(gen_call(c, a, 7, other, 32, &r) == BST_CONTRACT_TRAPPED);
    bst_contract_result_free(&r);
    /* the pre-salt seal0 seal_instantiate: Success and the address of an empty salt */
    CHECK(gen_call(c, a, 9, h, 32, &r) == BST_CONTRACT_SUCCESS);
    uint8_t addr[32];
    bst_contracts_address(a, h, NULL, 0, NULL, 0, addr);
    CHECK(r.data_len == 36 && r.data[0] == 0 && memcmp(r.data + 4, addr, 32) == 0);
    bst_contract_result_free(&r);
    uint8_t ch[32];
    CHECK(bst_contracts_code_hash_of(c, addr, ch) && memcmp(ch, h, 32) == 0);
    /* seal_println: to the debug buffer */
    CHECK(gen_call(c, a, 10, NULL, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.debug && strstr(r.debug, "old contract") != NULL);
    bst_contract_result_free(&r);
    /* a PolkaVM program is refused for what it is */
    static const uint8_t pvm[] = {'P', 'V', 'M', 0, 0, 1, 2, 3};
    bst_error err;
    CHECK(bst_contracts_upload(c, ALICE, pvm, sizeof pvm, h, &err) != BST_OK);
    CHECK(strstr(err.message, "PolkaVM") != NULL && strstr(err.message, "pallet-revive") != NULL);
    bst_contracts_close(c);
}

/* ---- Weight v2: proof_size beside ref_time ---------------------------------------------- */

/* The proof_size of one state item (docs/contracts.md "Weight"), computed here from the
 * documented constants, independently of the host's code. */
static uint64_t item(uint64_t key_len, uint64_t value_len) {
    return BST_CONTRACTS_PROOF_PER_ITEM + key_len + value_len;
}

/* weight.wat's call `mode` on addr: input mode ++ extra (n bytes). */
static bst_contract_outcome weight_call(bst_contracts *c, const uint8_t addr[32], uint8_t m,
                                        const uint8_t *extra, size_t n, uint64_t gas,
                                        uint64_t proof, bst_contract_result *r) {
    uint8_t in[128];
    in[0] = m;
    if (n) memcpy(in + 1, extra, n);
    return run_weight(c, BST_CONTRACT_CALL, ALICE, addr, in, 1 + n, gas, proof, false, r);
}

/* Decodes a SCALE Weight {compact ref_time, compact proof_size} that is all of p[0..n). */
static bool weight_decode(const uint8_t *p, size_t n, uint64_t *ref_time, uint64_t *proof) {
    bst_scale_dec d;
    bst_scale_dec_init(&d, p, n);
    return bst_scale_get_compact_u64(&d, ref_time) == BST_SCALE_OK &&
           bst_scale_get_compact_u64(&d, proof) == BST_SCALE_OK &&
           bst_scale_finish(&d) == BST_SCALE_OK;
}

/* weight.wat mode 5 (seal2 call) from a to b with limits (ref_time, proof) and input `mode`
 * for b: the rc, with b's output after it in r->data. */
static uint32_t weight_nested(bst_contracts *c, const uint8_t a[32], const uint8_t b[32],
                              uint64_t ref_time, uint64_t proof, uint8_t mode, uint64_t top_proof,
                              bst_contract_result *r) {
    uint8_t x[49];
    memcpy(x, b, 32);
    for (int i = 0; i < 8; i++) {
        x[32 + i] = (uint8_t)(ref_time >> (8 * i));
        x[40 + i] = (uint8_t)(proof >> (8 * i));
    }
    x[48] = mode;
    CHECK(weight_call(c, a, 5, x, sizeof x, 0, top_proof, r) == BST_CONTRACT_SUCCESS);
    CHECK(r->data_len >= 4);
    return r->data_len >= 4 ? (uint32_t)(r->data[0] | r->data[1] << 8 | r->data[2] << 16 |
                                         (uint32_t)r->data[3] << 24)
                            : 0xffffffffu;
}

static void weight_storage(bst_contracts *c, const uint8_t a[32], uint64_t load) {
    bst_contract_result r;
    /* proof_size grows with the storage read: exactly by the larger value's extra bytes */
    CHECK(weight_call(c, a, 1, NULL, 0, 0, 0, &r) == BST_CONTRACT_SUCCESS);
    uint64_t small = r.proof_size_used;
    CHECK(small == load + item(1, 4));
    CHECK(r.proof_size_limit == BST_CONTRACTS_DEFAULT_PROOF_SIZE);
    bst_contract_result_free(&r);
    CHECK(weight_call(c, a, 2, NULL, 0, 0, 0, &r) == BST_CONTRACT_SUCCESS);
    uint64_t big = r.proof_size_used;
    CHECK(big == load + item(1, 8192) && big - small == 8192 - 4);
    bst_contract_result_free(&r);
    /* a limit one byte below the need runs out of gas; the need itself is enough */
    CHECK(weight_call(c, a, 2, NULL, 0, 0, big - 1, &r) == BST_CONTRACT_OUT_OF_GAS);
    CHECK(r.proof_size_used == big - 1 && r.proof_size_limit == big - 1);
    CHECK(r.trap == BST_TRAP_OUT_OF_FUEL && strstr(r.error, "proof size") != NULL);
    CHECK(r.gas_used > 0 && r.gas_used < r.gas_limit); /* ref_time was not exhausted */
    bst_contract_result_free(&r);
    CHECK(weight_call(c, a, 2, NULL, 0, 0, big, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.proof_size_used == big);
    bst_contract_result_free(&r);
    /* out of proof_size after a write: the write is rolled back */
    uint64_t need = load + item(1, 0) + item(1, 8192);
    CHECK(weight_call(c, a, 6, NULL, 0, 0, need - 1, &r) == BST_CONTRACT_OUT_OF_GAS);
    bst_contract_result_free(&r);
    uint8_t *v;
    size_t n;
    CHECK(bst_contracts_storage_get(c, a, (const uint8_t *)"w", 1, &v, &n) == BST_ERR_NOT_FOUND);
    CHECK(weight_call(c, a, 6, NULL, 0, 0, need, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.proof_size_used == need);
    bst_contract_result_free(&r);
    CHECK(bst_contracts_storage_get(c, a, (const uint8_t *)"w", 1, &v, &n) == BST_OK && n == 4);
    free(v);
    /* too little even to load the code */
    CHECK(weight_call(c, a, 1, NULL, 0, 0, 100, &r) == BST_CONTRACT_OUT_OF_GAS);
    CHECK(r.proof_size_used == 100 && strstr(r.error, "loading the code") != NULL);
    bst_contract_result_free(&r);
}

/* weight_to_fee's arguments as weight.wasm reads them: ref_time and proof_size, u64 LE each. */
static void weight_args(uint8_t w[16], uint64_t ref_time, uint64_t proof_size) {
    for (int i = 0; i < 8; i++) {
        w[i] = (uint8_t)(ref_time >> (8 * i));
        w[8 + i] = (uint8_t)(proof_size >> (8 * i));
    }
}

static void weight_left_and_fee(bst_contracts *c, const uint8_t a[32], uint64_t load) {
    bst_contract_result r;
    /* seal1 gas_left: a SCALE Weight whose proof_size is the limit less what was used */
    CHECK(weight_call(c, a, 3, NULL, 0, 1000000000, 100000, &r) == BST_CONTRACT_SUCCESS);
    uint64_t ref_time = 0, proof = 0;
    CHECK(weight_decode(r.data, r.data_len, &ref_time, &proof));
    CHECK(r.proof_size_used == load && proof == 100000 - load);
    CHECK(ref_time > 0 && ref_time < 1000000000 && ref_time > 1000000000 - r.gas_used);
    bst_contract_result_free(&r);
    /* seal0 gas_left: ref_time alone, a u64 */
    CHECK(weight_call(c, a, 8, NULL, 0, 1000000000, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 8);
    uint64_t left0 = 0;
    for (int i = 7; i >= 0 && r.data_len == 8; i--) left0 = left0 << 8 | r.data[i];
    CHECK(left0 > 0 && left0 < 1000000000);
    bst_contract_result_free(&r);
    /* weight_to_fee: one unit per ref_time unit, proof_size free (seal1), as seal0 */
    uint8_t w[16];
    weight_args(w, 12345, 999);
    CHECK(weight_call(c, a, 4, w, sizeof w, 0, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "39300000000000000000000000000000"
                      "39300000000000000000000000000000"));
    bst_contract_result_free(&r);
}

static void weight_nested_limits(bst_contracts *c, const uint8_t a[32], const uint8_t b[32],
                                 uint64_t load) {
    bst_contract_result r;
    uint64_t ref_time, proof;
    const uint64_t top = 1000000;
    /* proof_size 0: all that is left; more than is left: bounded by it */
    const uint64_t asks[2] = {0, UINT64_MAX};
    for (int i = 0; i < 2; i++) {
        CHECK(weight_nested(c, a, b, 0, asks[i], 3, top, &r) == 0);
        CHECK(r.data_len > 4 && weight_decode(r.data + 4, r.data_len - 4, &ref_time, &proof));
        CHECK(proof == top - 2 * load);
        bst_contract_result_free(&r);
    }
    /* a limit below what is left is the callee's; ref_time likewise */
    CHECK(weight_nested(c, a, b, 1000000, 5000, 3, top, &r) == 0);
    CHECK(r.data_len > 4 && weight_decode(r.data + 4, r.data_len - 4, &ref_time, &proof));
    CHECK(proof == 5000 - load && ref_time < 1000000);
    bst_contract_result_free(&r);
    /* a callee that runs out of its proof_size traps alone (CalleeTrapped); the caller goes on
     * and is charged all of the callee's limit */
    uint64_t need = load + item(1, 8192);
    CHECK(weight_nested(c, a, b, 0, need - 1, 2, top, &r) == 1);
    CHECK(r.proof_size_used == load + need - 1);
    bst_contract_result_free(&r);
    CHECK(weight_nested(c, a, b, 0, need, 2, top, &r) == 0);
    CHECK(r.proof_size_used == load + need);
    bst_contract_result_free(&r);
    CHECK(weight_nested(c, a, b, 0, 100, 1, top, &r) == 1); /* not even the code loads */
    CHECK(r.proof_size_used == load + 100);
    bst_contract_result_free(&r);
    /* the top-level limit bounds them all: 10 bytes left, whatever the callee asks for */
    CHECK(weight_nested(c, a, b, 0, 0, 1, load + 10, &r) == 1);
    CHECK(r.proof_size_used == load + 10);
    bst_contract_result_free(&r);
    /* a callee out of proof_size after a write: its storage deposit is dropped with it; with
     * enough, the new item's (4 + 16 + 1 bytes and one item, the default prices) is charged */
    static const uint8_t zero16[16];
    uint64_t need6 = load + item(1, 0) + item(1, 8192);
    CHECK(weight_nested(c, a, b, 0, need6 - 1, 6, top, &r) == 1);
    CHECK(memcmp(r.storage_deposit, zero16, 16) == 0);
    bst_contract_result_free(&r);
    uint8_t *v;
    size_t n;
    CHECK(bst_contracts_storage_get(c, b, (const uint8_t *)"w", 1, &v, &n) == BST_ERR_NOT_FOUND);
    CHECK(weight_nested(c, a, b, 0, need6, 6, top, &r) == 0);
    CHECK(r.storage_deposit[0] == 23 && memcmp(r.storage_deposit + 1, zero16, 15) == 0);
    bst_contract_result_free(&r);
    CHECK(bst_contracts_storage_get(c, b, (const uint8_t *)"w", 1, &v, &n) == BST_OK && n == 4);
    free(v);
}

static void weight_instantiate(bst_contracts *c, const uint8_t a[32], const uint8_t hash[32],
                               size_t code_len) {
    bst_contract_result r;
    uint8_t x[50];
    memcpy(x, hash, 32);
    memset(x + 32, 0, 16);
    /* seal2 instantiate with a proof_size below the code's: CalleeTrapped, no contract */
    x[40] = 100;
    x[48] = 'n';
    x[49] = '1';
    CHECK(weight_call(c, a, 7, x, sizeof x, 0, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "01000000"));
    bst_contract_result_free(&r);
    /* 0: all that is left; the new contract's writes are in the caller's proof_size */
    x[40] = 0;
    CHECK(weight_call(c, a, 7, x, sizeof x, 0, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "00000000"));
    CHECK(r.proof_size_used == item(32, code_len) + item(32, BST_CONTRACTS_PROOF_CONTRACT_INFO) +
                                   item(32, code_len) + item(32, 0) + 2 * item(1, 0));
    bst_contract_result_free(&r);
}

/* ink! contracts run under the default limits, their proof_size well within them, and need
 * exactly what they report. */
static void weight_ink(void) {
    bst_contracts *c = setup();
    uint8_t hash[32];
    upload_file(c, SHARED_CONTRACTS_DIR, "flipper_v5.wasm", hash);
    static const uint8_t new_false[] = {0x9b, 0xae, 0x9d, 0x5e, 0x00};
    static const uint8_t get[] = {0x2f, 0x86, 0x5b, 0xd9};
    bst_contract_result r;
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, new_false, 5, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    uint8_t addr[32];
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
    size_t code_len;
    free(ctu_read_file(SHARED_CONTRACTS_DIR "/flipper_v5.wasm", &code_len));
    CHECK(run(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, false, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "0000"));
    uint64_t used = r.proof_size_used;
    CHECK(used > code_len && used < BST_CONTRACTS_DEFAULT_PROOF_SIZE);
    bst_contract_result_free(&r);
    CHECK(run_weight(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, used, true, &r) ==
          BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(run_weight(c, BST_CONTRACT_CALL, ALICE, addr, get, 4, 0, used - 1, true, &r) ==
          BST_CONTRACT_OUT_OF_GAS);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* weight_to_fee with u64 balances (balance_bytes 8, the pallet's test runtime): both versions
 * write a balance of the configured width, 8 bytes each. */
static void weight_fee_u64(void) {
    /* a state of its own beside the group's (the width is fixed when a state is made) */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/u64", state_dir ? state_dir : ctu_fresh_state_dir("bst-ctr"));
    REQUIRE(mkdir(dir, 0700) == 0);
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = dir;
    cfg.balance_bytes = 8;
    bst_error err;
    bst_contracts *c = bst_contracts_open(&cfg, &err);
    REQUIRE(c != NULL);
    uint8_t big[16];
    u128(big, 1000000000000000ull);
    CHECK(bst_contracts_set_balance(c, ALICE, big, &err) == BST_OK);
    uint8_t hash[32], a[32];
    upload_file(c, CONTRACTS_WASM_DIR, "weight.wasm", hash);
    bst_contract_result r;
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, NULL, 0, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(a, r.address, 32);
    bst_contract_result_free(&r);
    uint8_t w[16];
    weight_args(w, 12345, 999);
    CHECK(weight_call(c, a, 4, w, sizeof w, 0, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(data_is(&r, "3930000000000000"
                      "3930000000000000"));
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

static void weight(void) {
    bst_contracts *c = setup();
    uint8_t hash[32], a[32], b[32];
    upload_file(c, CONTRACTS_WASM_DIR, "weight.wasm", hash);
    size_t code_len;
    free(ctu_read_file(CONTRACTS_WASM_DIR "/weight.wasm", &code_len));
    bst_contract_result r;
    /* instantiate: the code, the info looked up absent, two new items written */
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, NULL, 0, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    CHECK(r.proof_size_used == item(32, code_len) + item(32, 0) + 2 * item(1, 0));
    memcpy(a, r.address, 32);
    bst_contract_result_free(&r);
    CHECK(run(c, BST_CONTRACT_INSTANTIATE, ALICE, hash, (const uint8_t *)"b", 1, 0, false, &r) ==
          BST_CONTRACT_SUCCESS);
    memcpy(b, r.address, 32);
    bst_contract_result_free(&r);
    /* what every call of weight.wasm needs before it runs: its code and its info */
    uint64_t load = item(32, code_len) + item(32, BST_CONTRACTS_PROOF_CONTRACT_INFO);
    weight_storage(c, a, load);
    weight_left_and_fee(c, a, load);
    weight_nested_limits(c, a, b, load);
    weight_instantiate(c, a, hash, code_len);
    bst_contracts_close(c);
    weight_ink();
    weight_fee_u64();
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_contracts flipper_v5|flipper_v4|erc20_v5|v0|hostile|"
                        "rejects|imports|nested|crypto|probe|fuzz|mapfull|kill9|regress|pool|"
                        "generations|weight\n");
        return 2;
    }
    if (!bst_crypto_init()) return 1;
    unhex(ALICE_HEX, ALICE, 32);
    unhex(BOB_HEX, BOB, 32);
    const char *t = argv[1];
    if (!strcmp(t, "flipper_v5"))
        flipper("flipper_v5.wasm");
    else if (!strcmp(t, "flipper_v4"))
        flipper("flipper_v4.wasm");
    else if (!strcmp(t, "erc20_v5"))
        erc20_v5();
    else if (!strcmp(t, "v0"))
        v0();
    else if (!strcmp(t, "hostile"))
        hostile();
    else if (!strcmp(t, "rejects"))
        rejects();
    else if (!strcmp(t, "imports"))
        imports();
    else if (!strcmp(t, "nested"))
        nested();
    else if (!strcmp(t, "probe"))
        probe();
    else if (!strcmp(t, "fuzz"))
        fuzz();
    else if (!strcmp(t, "mapfull"))
        mapfull();
    else if (!strcmp(t, "crypto"))
        crypto();
    else if (!strcmp(t, "kill9"))
        kill9();
    else if (!strcmp(t, "regress"))
        regress();
    else if (!strcmp(t, "pool"))
        pool();
    else if (!strcmp(t, "generations"))
        generations();
    else if (!strcmp(t, "weight"))
        weight();
    else {
        fprintf(stderr, "unknown test %s\n", t);
        return 2;
    }
    return check_finish(t);
}
