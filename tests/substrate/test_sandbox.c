/*
 * test_sandbox.c — the sandbox host functions (ext_sandbox_*, src/substrate/host_sandbox.c)
 * driven by Substrate's executor test runtime (sc_runtime_test.wasm: test_sandbox,
 * test_sandbox_args, test_sandbox_return_val, test_sandbox_instantiate,
 * test_sandbox_get_global_val), with the modules and results of Substrate's own tests
 * (client/executor/src/integration_tests/sandbox.rs), plus controls that must fail and the
 * host's limits: fuel shared with the runtime, call depth, import type checks.
 *
 * usage: test_substrate_sandbox RUNTIMES_DIR   (modules: SUBSTRATE_WASM_DIR/sandbox_*.wasm)
 * Uses only the public APIs (bastion_substrate.h).
 */
#include "substrate_test.h"

#include "bastion_crypto.h"
#include "bastion_substrate.h"

static uint8_t *g_code;
static size_t g_code_len;

static bst_substrate_runtime *open_rt(uint64_t fuel) {
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.allow_missing = true; /* the runtime imports two functions on purpose that nobody has */
    o.max_log_level = 0;
    o.fuel = fuel;
    bst_error err;
    bst_substrate_runtime *rt = bst_substrate_runtime_new(g_code, g_code_len, &o, &err);
    if (!rt) {
        fprintf(stderr, "sc_runtime_test.wasm: %s\n", err.message);
        exit(2);
    }
    return rt;
}

/* SCALE Vec<u8> of bytes (compact length < 2^30). */
static uint8_t *enc_vec(const uint8_t *bytes, size_t n, size_t *out_len) {
    uint8_t *p = malloc(n + 4);
    if (!p) exit(2);
    size_t h;
    if (n < 64) {
        p[0] = (uint8_t)(n << 2);
        h = 1;
    } else if (n < (1u << 14)) {
        p[0] = (uint8_t)((n << 2) | 1);
        p[1] = (uint8_t)(n >> 6);
        h = 2;
    } else {
        uint32_t v = (uint32_t)(n << 2) | 2;
        for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
        h = 4;
    }
    memcpy(p + h, bytes, n);
    *out_len = h + n;
    return p;
}

/* Calls `export` with the module NAME.wasm as input (SCALE-encoded, or raw) and compares the
 * output with expect[0..expect_len). */
static void expect_module(bst_substrate_runtime *rt, const char *export, const char *name,
                          bool encode, const void *expect, size_t expect_len) {
    size_t wlen, in_len;
    uint8_t *wasm = h_wasm_bytes(name, &wlen);
    uint8_t *in = encode ? enc_vec(wasm, wlen, &in_len) : wasm;
    if (!encode) in_len = wlen;
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_substrate_call(rt, export, in, in_len, &out, &out_len, &err);
    CHECK_OK(st, err);
    bool same = st == BST_OK && out_len == expect_len &&
                (expect_len == 0 || memcmp(out, expect, expect_len) == 0);
    CHECK(same);
    if (!same) {
        fprintf(stderr, "  %s(%s): got", export, name);
        for (size_t i = 0; i < out_len; i++) fprintf(stderr, " %02x", out[i]);
        fputc('\n', stderr);
    }
    free(out);
    if (encode) free(in);
    free(wasm);
}

static const uint8_t TRUE_[1] = {1}, FALSE_[1] = {0};

/* The tests of Substrate's sandbox.rs, each with the exact result it asserts. */
static void test_substrate_cases(void) {
    bst_substrate_runtime *rt = open_rt(0);
    /* sandbox_should_work: true.encode() */
    expect_module(rt, "test_sandbox", "sandbox_counter", true, TRUE_, 1);
    /* sandbox_trap: the test passes the module unencoded (so the runtime sees an empty code
     * vector, which does not instantiate): vec![0] */
    expect_module(rt, "test_sandbox", "sandbox_trap", false, FALSE_, 1);
    /* start_called: true.encode() */
    expect_module(rt, "test_sandbox", "sandbox_start_called", true, TRUE_, 1);
    /* invoke_args: true.encode() */
    expect_module(rt, "test_sandbox_args", "sandbox_args", true, TRUE_, 1);
    /* return_val: true.encode() */
    expect_module(rt, "test_sandbox_return_val", "sandbox_return_val", true, TRUE_, 1);
    /* unlinkable_module: 1u8 (Error::Module) */
    static const uint8_t one[1] = {1}, zero[1] = {0}, two[1] = {2};
    expect_module(rt, "test_sandbox_instantiate", "sandbox_unlinkable", true, one, 1);
    /* corrupted_module: vec![0, 0, 0, 0, 1, 0, 0, 0].encode() -> 1u8 */
    {
        static const uint8_t corrupted[9] = {0x20, 0, 0, 0, 0, 1, 0, 0, 0};
        uint8_t *out = NULL;
        size_t out_len = 0;
        bst_error err;
        bst_status st = bst_substrate_call(rt, "test_sandbox_instantiate", corrupted,
                                           sizeof corrupted, &out, &out_len, &err);
        CHECK_OK(st, err);
        CHECK(st == BST_OK && out_len == 1 && out[0] == 1);
        free(out);
    }
    /* start_fn_ok: 0u8 */
    expect_module(rt, "test_sandbox_instantiate", "sandbox_start_ok", true, zero, 1);
    /* start_fn_traps: 2u8 (Error::Execution) */
    expect_module(rt, "test_sandbox_instantiate", "sandbox_start_traps", true, two, 1);
    /* get_global_val_works: 500i64.encode() */
    static const uint8_t i64_500[8] = {0xf4, 0x01, 0, 0, 0, 0, 0, 0};
    expect_module(rt, "test_sandbox_get_global_val", "sandbox_global", true, i64_500, 8);
    bst_substrate_runtime_free(rt);
}

/* What Substrate's cases do not pin down: controls that must come out false, and the sandbox
 * reporting a trap of the sandboxed code as an error code rather than trapping the runtime. */
static void test_controls(void) {
    bst_substrate_runtime *rt = open_rt(0);
    /* sandbox_trap's module, encoded this time: a real HostError from env_assert -> false */
    expect_module(rt, "test_sandbox", "sandbox_trap", true, FALSE_, 1);
    /* wrong argument expected / wrong value returned */
    expect_module(rt, "test_sandbox_args", "sandbox_args_wrong", true, FALSE_, 1);
    expect_module(rt, "test_sandbox_return_val", "sandbox_return_wrong", true, FALSE_, 1);
    /* invoke_args' module called without arguments: the signature does not match -> false */
    expect_module(rt, "test_sandbox", "sandbox_args", true, FALSE_, 1);
    /* the returning module under test_sandbox (no argument given) -> false */
    expect_module(rt, "test_sandbox", "sandbox_return_val", true, FALSE_, 1);
    /* get_global_val: no such global -> 30, a global that is not an i64 -> 40 */
    static const uint8_t i64_30[8] = {30, 0, 0, 0, 0, 0, 0, 0},
                         i64_40[8] = {40, 0, 0, 0, 0, 0, 0, 0};
    expect_module(rt, "test_sandbox_get_global_val", "sandbox_start_ok", true, i64_30, 8);
    expect_module(rt, "test_sandbox_get_global_val", "sandbox_global_i32", true, i64_40, 8);
    /* ... and a module that does not instantiate: the runtime's `return 20;` leaves the
     * exported function itself (wasm_export_functions! inlines the body), so the call returns
     * the raw 20 = pointer 20, length 0: an empty output, in Substrate as here. */
    expect_module(rt, "test_sandbox_get_global_val", "sandbox_unlinkable", true, NULL, 0);
    /* the environment's memory (1..16 pages) is importable, a larger one is not */
    expect_module(rt, "test_sandbox", "sandbox_memory", true, TRUE_, 1);
    expect_module(rt, "test_sandbox", "sandbox_memory_too_big", true, FALSE_, 1);
    /* an import whose type does not fit the runtime's answer; assert called with an i64 */
    expect_module(rt, "test_sandbox", "sandbox_bad_import_type", true, FALSE_, 1);
    expect_module(rt, "test_sandbox", "sandbox_assert_i64", true, FALSE_, 1);
    /* unbounded recursion: the sandboxed call fails, the runtime goes on and answers false */
    expect_module(rt, "test_sandbox", "sandbox_recurse", true, FALSE_, 1);
    /* a start function that traps, under test_sandbox: false */
    expect_module(rt, "test_sandbox", "sandbox_start_traps", true, FALSE_, 1);
    /* a data segment out of bounds is a module error even with a (trapping) start function */
    static const uint8_t one[1] = {1};
    expect_module(rt, "test_sandbox_instantiate", "sandbox_segment_oob", true, one, 1);
    /* garbage instead of a module */
    {
        static const uint8_t junk[5] = {0x10, 0, 'a', 's', 'm'};
        uint8_t *out = NULL;
        size_t out_len = 0;
        bst_error err;
        bst_status st =
            bst_substrate_call(rt, "test_sandbox", junk, sizeof junk, &out, &out_len, &err);
        CHECK_OK(st, err);
        CHECK(st == BST_OK && out_len == 1 && out[0] == 0);
        free(out);
    }
    /* after all that, the runtime still works (each call has a fresh sandbox) */
    expect_module(rt, "test_sandbox", "sandbox_counter", true, TRUE_, 1);
    bst_substrate_runtime_free(rt);
}

/* Fuel: the sandbox draws on the runtime's budget.  A sandboxed endless loop exhausts it; the
 * sandbox reports the failure to the runtime, which then has no fuel left and traps out of fuel
 * itself.  The same runtime with the same budget runs the working module. */
static void test_fuel(void) {
    bst_substrate_runtime *rt = open_rt(50u * 1000 * 1000);
    size_t wlen, in_len;
    uint8_t *wasm = h_wasm_bytes("sandbox_loop", &wlen);
    uint8_t *in = enc_vec(wasm, wlen, &in_len);
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_substrate_call(rt, "test_sandbox", in, in_len, &out, &out_len, &err);
    CHECK_TRAP(st, err, BST_TRAP_OUT_OF_FUEL);
    free(out);
    free(in);
    free(wasm);
    expect_module(rt, "test_sandbox", "sandbox_counter", true, TRUE_, 1);
    bst_substrate_runtime_free(rt);
}

/* The call's deadline (bst_substrate_runtime_set_deadline) reaches sandboxed code: a sandboxed
 * endless loop without a fuel budget ends the call, interrupted, within the deadline + 50 ms
 * (3 attempts for the timing).  With the deadline removed the runtime works again. */
static void test_deadline(void) {
    bst_substrate_runtime *rt = open_rt(0);
    size_t wlen, in_len;
    uint8_t *wasm = h_wasm_bytes("sandbox_loop", &wlen);
    uint8_t *in = enc_vec(wasm, wlen, &in_len);
    st_expect_deadline_ends(rt, "test_sandbox", in, in_len, "sandboxed endless loop");
    free(in);
    free(wasm);
    bst_substrate_runtime_set_deadline(rt, 0);
    expect_module(rt, "test_sandbox", "sandbox_counter", true, TRUE_, 1);
    bst_substrate_runtime_free(rt);
}

/* ---- the sandbox API driven directly (sandbox_supervisor.wat) ------------------------------- */

static bst_substrate_runtime *open_supervisor(void) {
    size_t len;
    uint8_t *code = h_wasm_bytes("sandbox_supervisor", &len);
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.max_log_level = 0;
    bst_error err;
    bst_substrate_runtime *rt = bst_substrate_runtime_new(code, len, &o, &err);
    free(code);
    if (!rt) {
        fprintf(stderr, "sandbox_supervisor.wasm: %s\n", err.message);
        exit(2);
    }
    return rt;
}

/* memory_get/set and their bounds, the dispatch thunk's convention, traps and HostError from
 * the thunk, get_global_val, nesting, teardown: the i32 results the supervisor records. */
static void test_supervisor_scenario(void) {
    bst_substrate_runtime *rt = open_supervisor();
    size_t glen;
    uint8_t *guest = h_wasm_bytes("sandbox_guest", &glen);
    static const int32_t want[] = {
        0,            /* memory_new(1, 1): memory 0 */
        0,  0,  1,    /* memory_set, memory_get: ERR_OK, the bytes came back */
        -2,           /* memory_get beyond the sandbox memory: ERR_OUT_OF_BOUNDS */
        -2,           /* memory_set from beyond the runtime's memory */
        0,  -2,       /* zero bytes at the end of the memory: fine; one past it: out of bounds */
        0,  0,        /* instantiate: instance 0; invoke: ERR_OK */
        1,  0,  3012, /* ReturnValue::Value(I32(arg 5 + state 7 + 1000 * function 3)) */
        0,  42,       /* the guest's store in the shared memory, read by memory_get */
        1,  -3,       /* instance 1: its dispatch thunk traps -> ERR_EXECUTION */
        2,  -3,       /* instance 2: the thunk answers HostError -> ERR_EXECUTION */
        -3, -3,       /* no such export; missing argument */
        1,  1,        /* get_global_val: Some(F64(1.5)); None for a function export */
        3,  0,  15,   /* nested invokes: 16 levels run, the 17th is refused (ERR_EXECUTION) */
        -1,           /* instantiate with a torn-down memory in the environment: ERR_MODULE */
        1,            /* the next memory gets index 1 */
    };
    uint8_t *out = NULL;
    size_t out_len = 0;
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_substrate_call(rt, "scenario", guest, glen, &out, &out_len, &err);
    CHECK_OK(st, err);
    CHECK_EQ(out_len, sizeof want);
    for (size_t i = 0; st == BST_OK && i < sizeof want / 4 && (i + 1) * 4 <= out_len; i++) {
        int32_t got = (int32_t)((uint32_t)out[4 * i] | (uint32_t)out[4 * i + 1] << 8 |
                                (uint32_t)out[4 * i + 2] << 16 | (uint32_t)out[4 * i + 3] << 24);
        CHECK_EQ((uint32_t)got, (uint32_t)want[i]);
        if (got != want[i]) fprintf(stderr, "  scenario result %zu\n", i);
    }
    free(out);

    /* The runtime's own misuse traps the runtime, with Substrate's messages. */
    static const struct {
        const char *export, *needle;
    } traps[] = {
        {"double_memory_teardown", "Double teardown of a sandboxed memory"},
        {"no_such_memory_teardown", "Trying to teardown a non-existent sandboxed memory"},
        {"no_such_instance_teardown", "Trying to teardown a non-existent instance"},
        {"double_instance_teardown", "Double teardown of an instance"},
        {"torn_memory_get", "Trying to access a torndown sandboxed memory"},
        {"no_such_memory", "Trying to access a non-existent sandboxed memory"},
        {"no_such_instance", "Trying to access a non-existent instance"},
        {"torn_instance", "Trying to access a torndown instance"},
        {"thunk_outside_table", "dispatch_thunk_idx is out of the table bounds"},
        {"thunk_empty_entry", "dispatch_thunk_idx points on an empty table entry"},
        {"return_buffer_too_small", "Return value buffer is too small"},
        {"code_outside_memory", "outside the memory"},
        {"memory_limits_inverted", "ext_sandbox_memory_new_version_1"},
        {"memory_too_large", "ext_sandbox_memory_new_version_1"},
    };
    for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
        out = NULL;
        memset(&err, 0, sizeof err);
        st = bst_substrate_call(rt, traps[i].export, guest, glen, &out, &out_len, &err);
        CHECK_EQ(st, BST_ERR_TRAP);
        CHECK(out == NULL);
        bool has = strstr(err.message, traps[i].needle) != NULL;
        CHECK(has);
        if (!has)
            fprintf(stderr, "  %s: message \"%s\" lacks \"%s\"\n", traps[i].export, err.message,
                    traps[i].needle);
        free(out);
    }
    /* Start functions that instantiate (16 levels, the 17th refused): the outermost instance
     * is registered last, as index 15. */
    {
        size_t slen;
        uint8_t *starter = h_wasm_bytes("sandbox_guest_start", &slen);
        out = NULL;
        memset(&err, 0, sizeof err);
        st = bst_substrate_call(rt, "nested_instantiate", starter, slen, &out, &out_len, &err);
        CHECK_OK(st, err);
        CHECK(st == BST_OK && out_len == 4 && out[0] == 15 && out[1] == 0 && out[2] == 0 &&
              out[3] == 0);
        free(out);
        free(starter);
    }
    /* and the runtime works again afterwards (the sandbox is per call) */
    out = NULL;
    st = bst_substrate_call(rt, "scenario", guest, glen, &out, &out_len, &err);
    CHECK_OK(st, err);
    CHECK(st == BST_OK && out_len == sizeof want && out[48] == (3012 & 0xff));
    free(out);
    free(guest);
    bst_substrate_runtime_free(rt);
}

int main(int argc, char **argv) {
    g_code = st_load_runtime(argc, argv, "sc_runtime_test.wasm", &g_code_len);
    test_substrate_cases();
    test_controls();
    test_fuel();
    test_deadline();
    test_supervisor_scenario();
    free(g_code);
    return h_finish("substrate/sandbox");
}
