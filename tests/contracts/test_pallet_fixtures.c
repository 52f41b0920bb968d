/*
 * test_pallet_fixtures.c — the contract host against the behaviour pallet-contracts' own tests
 * assert for their WAT fixtures (frame/contracts/src/tests.rs, mid-2023 and earlier), with
 * fixtures written for Bastion (tests/contracts/pc_*.wat, assembled at build time):
 *   chain_ext     chain_extension_works, chain_extension_temp_storage_works with the pallet's
 *                 test extensions (TestExtension id 0, RevertingExtension 1, DisabledExtension
 *                 2, TempStorageExtension 3), an unknown id, upload without extensions, and
 *                 the rollback of what an extension writes (a Bastion extension, id 4);
 *   runtime_call  call_runtime / xcm_execute / xcm_send without a runtime and through a test
 *                 runtime (dispatch, filtered call, undecodable call, rollback after a trap);
 *   fixtures      delegate_call, set_code_hash, sr25519_verify.
 * `test_pallet_fixtures GROUP` runs one group (CTest contracts/GROUP) in a fresh state.
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

static const char *state_dir;
static const uint8_t ALICE[32] = {1}; /* pallet-contracts' test ALICE is [1; 32]: any key does */

/* A fresh state with ALICE endowed. */
static bst_contracts *open_fresh(void) {
    state_dir = ctu_fresh_state_dir("bst-pcf");
    bst_contracts *c = ctu_open(state_dir);
    bst_error err;
    uint8_t bal[16] = {0};
    bal[7] = 1; /* 2^56 */
    REQUIRE(bst_contracts_set_balance(c, ALICE, bal, &err) == BST_OK);
    return c;
}

/* The bytes of an assembled fixture (malloc'd). */
static uint8_t *fixture(const char *name, size_t *len) {
    return ctu_read_wasm(CONTRACTS_WASM_DIR, name, len);
}

/* Uploads a fixture: its upload status, err filled. */
static bst_status upload(bst_contracts *c, const char *name, uint8_t hash[32], bst_error *err) {
    size_t len;
    uint8_t *code = fixture(name, &len);
    bst_status st = bst_contracts_upload(c, ALICE, code, len, hash, err);
    free(code);
    return st;
}

/* One exec by ALICE: an instantiate of the code hash target or a call of the contract target. */
static bst_contract_outcome exec(bst_contracts *c, bst_contract_exec_kind kind,
                                 const uint8_t target[32], const uint8_t *in, size_t len, bool dry,
                                 bst_contract_result *r) {
    bst_contract_exec e;
    ctu_exec_init(&e, kind, ALICE, target, in, len, dry);
    REQUIRE(bst_contracts_exec(c, &e, r) == BST_OK);
    return r->outcome;
}

/* Uploads and instantiates a fixture (empty input); its address. */
static void deploy(bst_contracts *c, const char *name, uint8_t addr[32]) {
    uint8_t hash[32];
    bst_error err;
    if (upload(c, name, hash, &err) != BST_OK) fprintf(stderr, "%s: %s\n", name, err.message);
    bst_contract_result r;
    CHECK(exec(c, BST_CONTRACT_INSTANTIATE, hash, NULL, 0, false, &r) == BST_CONTRACT_SUCCESS);
    memcpy(addr, r.address, 32);
    bst_contract_result_free(&r);
}

static bst_contract_outcome call(bst_contracts *c, const uint8_t addr[32], const uint8_t *in,
                                 size_t len, bst_contract_result *r) {
    return exec(c, BST_CONTRACT_CALL, addr, in, len, false, r);
}

/* A chain extension input: the func_id (ext << 16 | func, u32 LE) then extra bytes. */
static size_t ext_input(uint8_t *out, uint16_t ext, uint16_t func, const void *extra, size_t n) {
    uint32_t id = (uint32_t)ext << 16 | func;
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(id >> (8 * i));
    if (n) memcpy(out + 4, extra, n);
    return 4 + n;
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- the pallet's test extensions --------------------------------------------------------- */

/* TestExtension (id 0): 0 echoes up to 8 input bytes, 1 records the raw arguments, 2 charges
 * the weight in input bytes 4..8, 3 diverges with REVERT and [42, 99].  Each converges with the
 * whole func_id. */
typedef struct test_ext {
    uint8_t last_buffer[8];
    size_t last_len;
    uint32_t last_args[4];
} test_ext;

static bool test_extension(void *user, bst_contracts_env *env, uint16_t func, uint32_t *ret) {
    test_ext *t = user;
    uint8_t buf[9];
    size_t n;
    *ret = func; /* extension 0: the func_id is the function id */
    switch (func) {
    case 0:
        if (!bst_contracts_env_read(env, 8, buf, &n) ||
            !bst_contracts_env_write(env, buf, n, false))
            return false;
        memcpy(t->last_buffer, buf, n);
        t->last_len = n;
        return true;
    case 1: bst_contracts_env_args(env, t->last_args); return true;
    case 2:
        if (!bst_contracts_env_read(env, 9, buf, &n)) return false;
        if (n < 8) {
            bst_contracts_env_fail(env, "ContractTrapped: no weight given");
            return false;
        }
        return bst_contracts_env_charge(env, le32(buf + 4));
    case 3: {
        static const uint8_t data[] = {42, 99};
        return bst_contracts_env_diverge(env, BST_CONTRACT_FLAG_REVERT, data, sizeof data);
    }
    default: bst_contracts_env_fail(env, "unknown function of the test extension"); return false;
    }
}

/* RevertingExtension (id 1): every function diverges with REVERT and [0x4B, 0x1D]. */
static bool reverting_extension(void *user, bst_contracts_env *env, uint16_t func, uint32_t *ret) {
    static const uint8_t data[] = {0x4B, 0x1D};
    (void)user;
    (void)func;
    *ret = 0;
    return bst_contracts_env_diverge(env, BST_CONTRACT_FLAG_REVERT, data, sizeof data);
}

/* DisabledExtension (id 2): registered disabled, never called. */
static bool disabled_extension(void *user, bst_contracts_env *env, uint16_t func, uint32_t *ret) {
    (void)user;
    (void)env;
    (void)func;
    (void)ret;
    CHECK(!"a disabled extension was called");
    return false;
}

/* TempStorageExtension (id 3): a u32 of state per contract execution (the frame state). */
typedef struct temp_ext {
    unsigned freed;    /* states freed at the end of their frame */
    unsigned violated; /* expectations broken */
} temp_ext;

static bool temp_storage_extension(void *user, bst_contracts_env *env, uint16_t func,
                                   uint32_t *ret) {
    temp_ext *t = user;
    void **slot = bst_contracts_env_frame_state(env);
    if (!*slot && !(*slot = calloc(1, sizeof(uint32_t)))) return false;
    uint32_t *storage = *slot;
    switch (func) {
    case 0: *storage = 42; break;
    case 1: t->violated += *storage != 42; break; /* preserved inside the same call */
    case 2:
        t->violated += *storage != 0; /* a different call has a fresh state */
        *storage = 99;
        break;
    case 3: t->violated += *storage != 99; break;
    default: return false;
    }
    *ret = 0;
    return true;
}

static void temp_free(void *user, void *state) {
    ((temp_ext *)user)->freed++;
    free(state);
}

/* Bastion's state extension (id 4): 0 writes input bytes 4.. under "ce" in the runtime state
 * and converges; 1 writes "zz" then diverges with REVERT; 2 writes "zz" then fails; 3 charges
 * a Weight of ref_time 7 and the proof_size in input bytes 4..8. */
static bool state_extension(void *user, bst_contracts_env *env, uint16_t func, uint32_t *ret) {
    (void)user;
    uint8_t buf[8];
    size_t n;
    *ret = 4u << 16 | func;
    if (func == 0) {
        if (!bst_contracts_env_read(env, sizeof buf, buf, &n)) return false;
        return n >= 4 &&
               bst_contracts_env_state_set(env, (const uint8_t *)"ce", 2, buf + 4, n - 4) == BST_OK;
    }
    if (func == 3)
        return bst_contracts_env_read(env, sizeof buf, buf, &n) && n == 8 &&
               bst_contracts_env_charge_weight(env, 7, le32(buf + 4));
    if (bst_contracts_env_state_set(env, (const uint8_t *)"ce", 2, (const uint8_t *)"zz", 2) !=
        BST_OK)
        return false;
    if (func == 1) return bst_contracts_env_diverge(env, BST_CONTRACT_FLAG_REVERT, NULL, 0);
    bst_contracts_env_fail(env, "the state extension failed on purpose");
    return false;
}

/* The runtime state under key (NUL-terminated), compared with want (NULL: absent). */
static bool runtime_state_is(bst_contracts *c, const char *key, const char *want) {
    uint8_t *v = NULL;
    size_t n = 0;
    bst_status st = bst_contracts_runtime_state_get(c, (const uint8_t *)key, strlen(key), &v, &n);
    bool ok = want ? st == BST_OK && n == strlen(want) && v && memcmp(v, want, n) == 0
                   : st == BST_ERR_NOT_FOUND;
    free(v);
    return ok;
}

static void chain_ext(void) {
    bst_contracts *c = open_fresh();
    uint8_t h[32], a[32], in[16];
    bst_error err;
    bst_contract_result r;

    /* no extension registered: the pallet refuses such code at upload */
    CHECK(upload(c, "pc_chain_extension", h, &err) == BST_ERR_UNSUPPORTED);
    CHECK(strstr(err.message, "NoChainExtension") != NULL);
    CHECK(!bst_contracts_code_exists(c, h));
    /* ... also as code bytes of an instantiate */
    size_t clen;
    uint8_t *code = fixture("pc_chain_extension", &clen);
    bst_contract_exec e;
    memset(&e, 0, sizeof e);
    e.kind = BST_CONTRACT_INSTANTIATE;
    memcpy(e.origin, ALICE, 32);
    e.code = code;
    e.code_len = clen;
    CHECK(bst_contracts_exec(c, &e, &r) == BST_OK && r.outcome == BST_CONTRACT_ERROR);
    CHECK(strstr(r.error, "NoChainExtension") != NULL);
    bst_contract_result_free(&r);
    free(code);

    test_ext te;
    memset(&te, 0, sizeof te);
    temp_ext tt = {0, 0};
    bst_chain_extension exts[] = {
        {.id = 0, .fn = test_extension, .user = &te},
        {.id = 2, .disabled = true, .fn = disabled_extension},
        {.id = 1, .fn = reverting_extension},
        {.id = 3, .fn = temp_storage_extension, .user = &tt, .free_state = temp_free},
        {.id = 4, .fn = state_extension},
    };
    /* only the disabled one: still no chain extension */
    CHECK(bst_contracts_chain_extension(c, &exts[1], &err) == BST_OK);
    CHECK(upload(c, "pc_chain_extension", h, &err) == BST_ERR_UNSUPPORTED);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (i != 1) CHECK(bst_contracts_chain_extension(c, &exts[i], &err) == BST_OK);
    CHECK(bst_contracts_chain_extension(c, &exts[0], &err) == BST_ERR_ARG); /* duplicate id */
    deploy(c, "pc_chain_extension", a);

    /* 0: the input buffer is passed through as the output */
    size_t n = ext_input(in, 0, 0, "\x63", 1);
    CHECK(call(c, a, in, n, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == n && memcmp(r.data, in, n) == 0);
    CHECK(te.last_len == n && memcmp(te.last_buffer, in, n) == 0);
    bst_contract_result_free(&r);

    /* 1: the raw arguments the fixture passes */
    CHECK(call(c, a, in, ext_input(in, 0, 1, NULL, 0), &r) == BST_CONTRACT_SUCCESS);
    CHECK(te.last_args[0] == 4 && te.last_args[1] == 4 && te.last_args[2] == 16 &&
          te.last_args[3] == 12);
    bst_contract_result_free(&r);

    /* 2: charging weight: exactly the amount asked for more */
    uint64_t base = 0;
    static const uint32_t weights[] = {0, 42, 95};
    for (int i = 0; i < 3; i++) {
        uint8_t w[4] = {(uint8_t)weights[i], 0, 0, 0};
        CHECK(call(c, a, in, ext_input(in, 0, 2, w, 4), &r) == BST_CONTRACT_SUCCESS);
        if (i == 0) base = r.gas_used;
        CHECK(r.gas_used == base + weights[i]);
        bst_contract_result_free(&r);
    }
    /* ... and running out of gas while charging */
    bst_contract_exec oog;
    memset(&oog, 0, sizeof oog);
    oog.kind = BST_CONTRACT_CALL;
    memcpy(oog.origin, ALICE, 32);
    memcpy(oog.dest, a, 32);
    oog.input = in;
    oog.input_len = ext_input(in, 0, 2, "\xff\xff\xff\xff", 4);
    oog.gas_limit = base + 1000;
    CHECK(bst_contracts_exec(c, &oog, &r) == BST_OK && r.outcome == BST_CONTRACT_OUT_OF_GAS);
    bst_contract_result_free(&r);

    /* 3: diverging: the contract ends with REVERT and the extension's data */
    CHECK(call(c, a, in, ext_input(in, 0, 3, NULL, 0), &r) == BST_CONTRACT_REVERTED);
    CHECK(r.flags == BST_CONTRACT_FLAG_REVERT && r.data_len == 2 && r.data[0] == 42 &&
          r.data[1] == 99);
    bst_contract_result_free(&r);

    /* the second extension (id 1) diverges with its own data */
    CHECK(call(c, a, in, ext_input(in, 1, 0, NULL, 0), &r) == BST_CONTRACT_REVERTED);
    CHECK(r.flags == BST_CONTRACT_FLAG_REVERT && r.data_len == 2 && r.data[0] == 0x4B &&
          r.data[1] == 0x1D);
    bst_contract_result_free(&r);

    /* the disabled one (id 2) and an unknown id: NoChainExtension */
    CHECK(call(c, a, in, ext_input(in, 2, 0, NULL, 0), &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "NoChainExtension") != NULL);
    bst_contract_result_free(&r);
    CHECK(call(c, a, in, ext_input(in, 9, 0, NULL, 0), &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "NoChainExtension") != NULL);
    bst_contract_result_free(&r);
    /* a handler's error traps the contract with it */
    CHECK(call(c, a, in, ext_input(in, 0, 7, NULL, 0), &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "unknown function of the test extension") != NULL);
    bst_contract_result_free(&r);

    /* what an extension writes commits with the call and rolls back with it; it is the
     * runtime's state, not the contract's: no storage deposit for it */
    CHECK(call(c, a, in, ext_input(in, 4, 0, "ab", 2), &r) == BST_CONTRACT_SUCCESS);
    static const uint8_t zero16[16];
    CHECK(memcmp(r.storage_deposit, zero16, 16) == 0);
    bst_contract_result_free(&r);
    CHECK(runtime_state_is(c, "ce", "ab"));
    CHECK(call(c, a, in, ext_input(in, 4, 1, NULL, 0), &r) == BST_CONTRACT_REVERTED);
    bst_contract_result_free(&r);
    CHECK(call(c, a, in, ext_input(in, 4, 2, NULL, 0), &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "failed on purpose") != NULL);
    bst_contract_result_free(&r);
    n = ext_input(in, 4, 0, "cd", 2);
    CHECK(exec(c, BST_CONTRACT_CALL, a, in, n, true, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(runtime_state_is(c, "ce", "ab"));

    /* a handler charges a whole Weight: the proof_size it asks for, exactly; beyond the
     * limit the contract runs out of gas */
    uint8_t pw[4] = {0};
    CHECK(call(c, a, in, ext_input(in, 4, 3, pw, 4), &r) == BST_CONTRACT_SUCCESS);
    uint64_t proof0 = r.proof_size_used, gas0 = r.gas_used;
    bst_contract_result_free(&r);
    pw[0] = 0xe8, pw[1] = 0x03; /* 1000 */
    n = ext_input(in, 4, 3, pw, 4);
    CHECK(call(c, a, in, n, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.proof_size_used == proof0 + 1000 && r.gas_used == gas0);
    bst_contract_result_free(&r);
    oog.input_len = n;
    oog.gas_limit = 0;
    oog.proof_size_limit = proof0 + 999;
    CHECK(bst_contracts_exec(c, &oog, &r) == BST_OK && r.outcome == BST_CONTRACT_OUT_OF_GAS);
    CHECK(strstr(r.error, "proof size") != NULL && r.proof_size_used == proof0 + 999);
    bst_contract_result_free(&r);

    /* chain_extension_temp_storage_works: state per execution, freed with its frame */
    uint8_t t[32];
    deploy(c, "pc_chain_extension_temp_storage", t);
    n = ext_input(in, 3, 0, NULL, 0);
    n += ext_input(in + n, 3, 1, "\x00", 1);
    CHECK(call(c, t, in, n, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    CHECK(tt.violated == 0);
    CHECK(tt.freed == 2); /* the call and the nested self-call */

    /* a handle without the extensions: stored code that uses them traps */
    bst_contracts_close(c);
    bst_contracts_config cfg;
    bst_contracts_config_default(&cfg);
    cfg.state_dir = state_dir;
    c = bst_contracts_open(&cfg, &err);
    REQUIRE(c != NULL);
    CHECK(call(c, a, in, ext_input(in, 0, 0, NULL, 0), &r) == BST_CONTRACT_TRAPPED);
    CHECK(strstr(r.error, "NoChainExtension") != NULL);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

/* ---- runtime calls ------------------------------------------------------------------------- */

/* A test runtime: a call is (pallet index, call index, payload).  (0, 1, payload) stores the
 * payload under "remark" and weighs 1000; (0, 2) is filtered; fewer than 2 bytes do not
 * decode.  An XCM message executes when it starts with 3 (weight 500); a destination must be
 * V3 { parents: 1, Here } (03 01 00), the hash is BLAKE2b-256 of the message. */
#define REMARK_WEIGHT 1000u
static bst_dispatch_result test_runtime(void *user, bst_contracts_env *env,
                                        bst_runtime_call_kind kind, const uint8_t *dest,
                                        size_t dest_len, const uint8_t *msg, size_t len,
                                        uint8_t hash[32]) {
    (*(unsigned *)user)++;
    if (kind == BST_XCM_EXECUTE || kind == BST_XCM_SEND) {
        if (len == 0 || msg[0] != 3) {
            bst_contracts_env_fail(env, "DecodingFailed: not a V3 message");
            return BST_DISPATCH_TRAP;
        }
        if (kind == BST_XCM_SEND) {
            if (dest_len < 3 || memcmp(dest, "\x03\x01\x00", 3) != 0) {
                bst_contracts_env_fail(env, "Unroutable");
                return BST_DISPATCH_FAILED;
            }
            bst_blake2_256(msg, len, hash);
            return BST_DISPATCH_OK;
        }
        return bst_contracts_env_charge(env, 500) ? BST_DISPATCH_OK : BST_DISPATCH_TRAP;
    }
    if (len < 2) {
        bst_contracts_env_fail(env, "DecodingFailed: not a RuntimeCall");
        return BST_DISPATCH_TRAP;
    }
    if (msg[0] != 0 || msg[1] != 1) {
        bst_contracts_env_fail(env, "CallFiltered");
        return BST_DISPATCH_FAILED;
    }
    if (!bst_contracts_env_charge(env, REMARK_WEIGHT)) return BST_DISPATCH_TRAP;
    return bst_contracts_env_state_set(env, (const uint8_t *)"remark", 6, msg + 2, len - 2) ==
                   BST_OK
               ? BST_DISPATCH_OK
               : BST_DISPATCH_TRAP;
}

/* Calls pc_call_runtime with operation op and message msg; the ReturnCode (or ~0u when the
 * exec did not return 4+ bytes), *r to free. */
static uint32_t dispatch(bst_contracts *c, const uint8_t a[32], uint8_t op, const char *msg,
                         size_t len, bst_contract_result *r) {
    uint8_t in[64] = {op};
    memcpy(in + 1, msg, len);
    call(c, a, in, 1 + len, r);
    return r->outcome == BST_CONTRACT_SUCCESS && r->data_len >= 4 ? le32(r->data) : ~0u;
}

static void runtime_call(void) {
    bst_contracts *c = open_fresh();
    uint8_t a[32];
    bst_contract_result r;
    bst_error err;
    uint8_t h[32];
    /* a host that refuses runtime calls without a runtime (the CLI) refuses the code, saying
     * why; with a runtime, or not refusing, it uploads */
    bst_contracts_refuse_runtime_calls(c, true);
    CHECK(upload(c, "pc_call_runtime", h, &err) == BST_ERR_UNSUPPORTED);
    CHECK(strstr(err.message, "call_runtime but this host has no runtime") != NULL);
    CHECK(!bst_contracts_code_exists(c, h));
    bst_contracts_runtime_call(c, test_runtime, &(unsigned){0});
    CHECK(upload(c, "pc_call_runtime", h, &err) == BST_OK);
    bst_contracts_runtime_call(c, NULL, NULL);
    CHECK(upload(c, "pc_call_runtime", h, &err) == BST_ERR_UNSUPPORTED);
    bst_contracts_refuse_runtime_calls(c, false);
    deploy(c, "pc_call_runtime", a);

    /* no runtime: the pallet's failure codes, the reason in the debug buffer */
    CHECK(dispatch(c, a, 0, "\x00\x01hi", 4, &r) == 10); /* CallRuntimeFailed */
    CHECK(r.debug && strstr(r.debug, "call_runtime failed: no runtime to dispatch to"));
    bst_contract_result_free(&r);
    CHECK(dispatch(c, a, 4, "\x00\x01hi", 4, &r) == 10);
    bst_contract_result_free(&r);
    CHECK(dispatch(c, a, 2, "\x03", 1, &r) == 13); /* XcmExecutionFailed */
    CHECK(r.debug && strstr(r.debug, "xcm_execute failed"));
    bst_contract_result_free(&r);
    CHECK(dispatch(c, a, 3, "\x03", 1, &r) == 14); /* XcmSendFailed */
    bst_contract_result_free(&r);
    CHECK(runtime_state_is(c, "remark", NULL));

    unsigned calls = 0;
    bst_contracts_runtime_call(c, test_runtime, &calls);
    /* dispatched: Success, the call's effect committed, its weight charged */
    CHECK(dispatch(c, a, 0, "\x00\x01hi", 4, &r) == 0);
    uint64_t dispatched_gas = r.gas_used;
    bst_contract_result_free(&r);
    CHECK(runtime_state_is(c, "remark", "hi"));
    /* filtered: CallRuntimeFailed with the dispatch error in the debug buffer */
    CHECK(dispatch(c, a, 0, "\x00\x02hi", 4, &r) == 10);
    CHECK(r.debug && strstr(r.debug, "call_runtime failed: CallFiltered"));
    CHECK(dispatched_gas == r.gas_used + REMARK_WEIGHT);
    bst_contract_result_free(&r);
    /* undecodable: the contract traps */
    CHECK(dispatch(c, a, 0, "", 0, &r) == ~0u);
    CHECK(r.outcome == BST_CONTRACT_TRAPPED && strstr(r.error, "DecodingFailed"));
    bst_contract_result_free(&r);
    /* dispatch_call_then_trap: the call's effect rolls back with the contract */
    CHECK(dispatch(c, a, 1, "\x00\x01zz", 4, &r) == ~0u);
    CHECK(r.outcome == BST_CONTRACT_TRAPPED);
    bst_contract_result_free(&r);
    CHECK(runtime_state_is(c, "remark", "hi"));
    /* the 2022 __unstable__ name dispatches alike */
    CHECK(dispatch(c, a, 4, "\x00\x01ok", 4, &r) == 0);
    bst_contract_result_free(&r);
    CHECK(runtime_state_is(c, "remark", "ok"));
    /* XCM: execute, send (the hash written), an unroutable destination is a failure */
    CHECK(dispatch(c, a, 2, "\x03\x00", 2, &r) == 0);
    bst_contract_result_free(&r);
    CHECK(dispatch(c, a, 3, "\x03\x00", 2, &r) == 0);
    uint8_t want[32];
    bst_blake2_256("\x03\x00", 2, want);
    CHECK(r.data_len == 36 && memcmp(r.data + 4, want, 32) == 0);
    bst_contract_result_free(&r);
    CHECK(dispatch(c, a, 2, "\x02", 1, &r) == ~0u && r.outcome == BST_CONTRACT_TRAPPED);
    bst_contract_result_free(&r);
    CHECK(calls == 8);
    bst_contracts_close(c);
}

/* ---- delegate_call, set_code_hash, sr25519_verify ---------------------------------------- */

static void fixtures(void) {
    bst_contracts *c = open_fresh();
    bst_contract_result r;
    bst_error err;
    uint8_t caller[32], lib[32], h[32];

    /* delegate_call: the library's code writes into the caller's storage */
    deploy(c, "pc_delegate_call", caller);
    CHECK(upload(c, "pc_delegate_call_lib", lib, &err) == BST_OK);
    CHECK(call(c, caller, lib, 32, &r) == BST_CONTRACT_SUCCESS);
    bst_contract_result_free(&r);
    uint8_t key[32] = {1}, *v = NULL;
    size_t vlen = 0;
    CHECK(bst_contracts_storage_get_fixed(c, caller, key, &v, &vlen) == BST_OK);
    CHECK(vlen == 32 && v && memcmp(v, key, 32) == 0); /* the library's value: its key */
    free(v);
    /* code that is not there: CodeNotFound, which the fixture refuses (a trap) */
    uint8_t none[32] = {0xee};
    CHECK(call(c, caller, none, 32, &r) == BST_CONTRACT_TRAPPED);
    bst_contract_result_free(&r);

    /* set_code_hash: the call that sets it returns 1, the next one runs the new code (2) */
    uint8_t sch[32];
    deploy(c, "pc_set_code_hash", sch);
    CHECK(upload(c, "pc_new_set_code_hash", h, &err) == BST_OK);
    CHECK(call(c, sch, h, 32, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 4 && le32(r.data) == 1);
    bst_contract_result_free(&r);
    CHECK(call(c, sch, NULL, 0, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 4 && le32(r.data) == 2);
    bst_contract_result_free(&r);
    uint8_t now[32];
    CHECK(bst_contracts_code_hash_of(c, sch, now) && memcmp(now, h, 32) == 0);

    /* sr25519_verify: "hello world" verifies (Success), "hello worlD" does not (12) */
    uint8_t seed[32], pub[32], sec[64], in[64 + 32 + 11];
    memset(seed, 0x5a, sizeof seed);
    bst_sr25519_from_seed(seed, pub, sec);
    bst_sr25519_sign(sec, pub, "hello world", 11, in);
    memcpy(in + 64, pub, 32);
    uint8_t sv[32];
    deploy(c, "pc_sr25519_verify", sv);
    memcpy(in + 96, "hello world", 11);
    CHECK(call(c, sv, in, sizeof in, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 4 && le32(r.data) == 0);
    bst_contract_result_free(&r);
    memcpy(in + 96, "hello worlD", 11);
    CHECK(call(c, sv, in, sizeof in, &r) == BST_CONTRACT_SUCCESS);
    CHECK(r.data_len == 4 && le32(r.data) == 12);
    bst_contract_result_free(&r);
    bst_contracts_close(c);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_pallet_fixtures chain_ext|runtime_call|fixtures\n");
        return 2;
    }
    if (!bst_crypto_init()) return 1;
    if (!strcmp(argv[1], "chain_ext"))
        chain_ext();
    else if (!strcmp(argv[1], "runtime_call"))
        runtime_call();
    else if (!strcmp(argv[1], "fixtures"))
        fixtures();
    else {
        fprintf(stderr, "unknown test %s\n", argv[1]);
        return 2;
    }
    return check_finish(argv[1]);
}
