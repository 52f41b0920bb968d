/*
 * host_misc.c — the Substrate host functions that are neither storage, crypto nor memory:
 * logging (ext_logging_*), misc (ext_misc_print_*, ext_misc_runtime_version) and offchain
 * (ext_offchain_*: local storage is real and in memory; the node-only services — transaction
 * pool, network — answer as a node without them does: with their error values; HTTP is
 * host_http.c), and the small interfaces: the panic handler (a trap with the message), wasm
 * tracing (disabled), transaction indexing (accepted) and cumulus' storage_proof_size.
 *
 * Guest memory is reached only through the helpers of host_mem.c.
 */
#include "host.h"

#include "bastion_crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- logging and printing ---------------------------------------------------------------- */

/* ext_logging_max_level_version_1() -> i32: the runtime skips formatting what we would drop. */
SUB_HOST(ext_logging_max_level_version_1) {
    (void)c;
    (void)args;
    results[0].of.i32 = (int32_t)HOST_RT(env)->opts.max_log_level;
    return true;
}

/* A switch, not a table of pointers: such a table would be relocated (writable before
 * relocation), which the no-global-state check rightly refuses. */
static const char *log_level_name(uint32_t level) {
    switch (level) {
    case 1: return "ERROR";
    case 2: return "WARN";
    case 3: return "INFO";
    case 4: return "DEBUG";
    default: return "TRACE";
    }
}

/* Guest text to stderr: bounded, and no control bytes from the guest reach the terminal. */
static void put_guest_text(const uint8_t *s, uint32_t n, uint32_t cap) {
    for (uint32_t i = 0; i < n && i < cap; i++)
        fputc(s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?', stderr);
    if (n > cap) fputs("...", stderr);
}

/* ext_logging_log_version_1(level: i32, target: span, message: span). */
SUB_HOST(ext_logging_log_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    uint32_t level = (uint32_t)args[0].of.i32;
    SUB_SPAN_ARG(target, args[1].of.i64);
    SUB_SPAN_ARG(message, args[2].of.i64);
    /* sp-core's LogLevel crosses as its variant index (PassByEnum): 0 Error .. 4 Trace; the
     * numeric level (1 Error .. 5 Trace) is index + 1. */
    if (level > 4) return sub_fail(c, fn, "invalid log level");
    if (!bst_scale_utf8_valid(target, target_len)) return sub_fail(c, fn, "target is not UTF-8");
    level += 1;
    if (level == 1 && target_len == 7 && memcmp(target, "runtime", 7) == 0 && message_len >= 11 &&
        memcmp(message, "panicked at", 11) == 0) {
        size_t n = message_len < sizeof rt->panic_log - 1 ? message_len : sizeof rt->panic_log - 1;
        for (size_t i = 0; i < n; i++)
            rt->panic_log[i] = message[i] >= 0x20 && message[i] < 0x7f ? (char)message[i] : '?';
        rt->panic_log[n] = '\0';
    }
    if (level > rt->opts.max_log_level) return true;
    fprintf(stderr, "[runtime %s ", log_level_name(level));
    put_guest_text(target, target_len, 128);
    fputs("] ", stderr);
    put_guest_text(message, message_len, 4096);
    fputc('\n', stderr);
    return true;
}

/* print_* are debugging aids of the runtime; they go to stderr at the debug log level.
 * print_utf8 and print_hex take a span, printed as text or as hex digits. */
static bool print_span(bst_caller *c, const bst_value *args, bst_value *results, void *env,
                       bool hex, const char *fn) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(s, args[0].of.i64);
    if (rt->opts.max_log_level >= 4) {
        if (hex) {
            fputs("[runtime print] 0x", stderr);
            for (uint32_t i = 0; i < s_len && i < 2048; i++) fprintf(stderr, "%02x", s[i]);
        } else {
            fputs("[runtime print] ", stderr);
            put_guest_text(s, s_len, 4096);
        }
        fputc('\n', stderr);
    }
    return true;
}

SUB_HOST_CALLS(ext_misc_print_utf8_version_1, print_span, false)
SUB_HOST_CALLS(ext_misc_print_hex_version_1, print_span, true)

SUB_HOST(ext_misc_print_num_version_1) {
    (void)c;
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    if (rt->opts.max_log_level >= 4)
        fprintf(stderr, "[runtime print] %" PRIu64 "\n", (uint64_t)args[0].of.i64);
    return true;
}

/* ext_misc_runtime_version_version_1(code: span) -> Option<Vec<u8>>: the RuntimeVersion of
 * another runtime (used by set_code to check upgrades): the code is decompressed (Substrate's
 * 50 MiB bomb limit) and its embedded version read from its custom sections (version.c) or,
 * when it has none, instantiated in a runtime of its own (same options, empty storage) and
 * its Core_version called.  Any failure is None, as in Substrate.  The work is paid from the
 * caller's fuel: one unit per byte of code for decompressing and compiling it, plus what the
 * inner instantiation and Core_version use (they run on the caller's remaining budget), so a
 * runtime cannot multiply its budget by asking for versions.  Nesting is bounded: a runtime
 * whose Core_version asks for its own version would otherwise recurse without end. */
SUB_HOST(ext_misc_runtime_version_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(blob, args[0].of.i64);
    uint8_t *code = NULL, *out = NULL;
    size_t code_len = 0, out_len = 0;
    bool found = false;
    bst_substrate_runtime *inner = NULL;
    bst_error err;
    uint64_t budget = rt->opts.fuel ? bst_store_fuel(rt->store) : 0, used = 0;
    if (rt->depth < 2 &&
        bst_substrate_code_decode(blob, blob_len, 0, &code, &code_len, &err) == BST_OK) {
        used = code_len;
        /* As Substrate: the embedded version when the code has one, without instantiating. */
        found = bst_substrate_embedded_version(code, code_len, &out, &out_len);
    }
    if (code && !found) {
        bst_substrate_options o = rt->opts;
        o.storage = NULL;
        o.allow_missing = true; /* only Core_version runs; it needs no host function */
        o.fuel = budget > used ? budget - used : 1;
        if (!rt->opts.fuel) o.fuel = 0;
        if (!rt->opts.fuel || budget > used) {
            inner = bst_substrate_runtime_new(code, code_len, &o, &err);
            if (inner) {
                inner->depth = rt->depth + 1;
                found = bst_substrate_call(inner, "Core_version", NULL, 0, &out, &out_len, &err) ==
                        BST_OK;
                used += inner->fuel_used;
            }
        }
    }
    bst_substrate_runtime_free(inner);
    free(code);
    if (rt->opts.fuel) {
        if (used >= budget) {
            free(out);
            bst_store_set_fuel(rt->store, 0);
            return sub_fail(c, fn, "out of fuel");
        }
        bst_store_set_fuel(rt->store, budget - used);
    }
    bool ok = sub_ret_option(c, rt, found, out, out_len, &results[0], fn);
    free(out);
    return ok;
}

/* ---- offchain ---------------------------------------------------------------------------- */

/* During consensus execution an offchain-worker function traps, so a runtime can never make a
 * block depend on the clock, randomness or a node's local database (also host_http.c). */
bool sub_offchain_ok(bst_caller *c, bst_substrate_runtime *rt, const char *fn) {
    if (rt->opts.offchain) return true;
    return sub_fail(c, fn, "only available in an offchain worker context (offchain option)");
}

/* Offchain local storage kinds (sp_core::offchain::StorageKind) as child names of rt->offchain.
 * The kind crosses the boundary as its variant index (PassByEnum): PERSISTENT 0, LOCAL 1. */
static bool offchain_kind(bst_caller *c, int32_t kind, const uint8_t **child, size_t *child_len,
                          const char *fn) {
    switch (kind) {
    case 0:
        *child = (const uint8_t *)"persistent";
        *child_len = 10;
        return true;
    case 1:
        *child = (const uint8_t *)"local";
        *child_len = 5;
        return true;
    default: sub_fail(c, fn, "unknown storage kind"); return false;
    }
}

/* The arguments every local_storage_* function starts with, (kind, key: span): the child of
 * rt->offchain the kind names, and the key. */
typedef struct local_key {
    const uint8_t *child, *key;
    size_t child_len;
    uint32_t key_len;
} local_key;

/* Reads (kind, key).  False after trapping. */
static bool local_storage_key(bst_caller *c, bst_substrate_runtime *rt, const bst_value *args,
                              local_key *k, const char *fn) {
    if (!offchain_kind(c, args[0].of.i32, &k->child, &k->child_len, fn)) return false;
    k->key = sub_span(c, rt, args[1].of.i64, &k->key_len, fn);
    return k->key != NULL;
}

/* The writes of local storage and of the offchain index: sets key to val, or clears it when val
 * is NULL; false after trapping. */
static bool offchain_write(bst_caller *c, bst_state *st, const uint8_t *child, size_t child_len,
                           const uint8_t *key, uint32_t key_len, const uint8_t *val,
                           uint32_t val_len, const char *fn) {
    bool ok = val ? bst_state_set(st, child, child_len, key, key_len, val, val_len)
                  : bst_state_clear(st, child, child_len, key, key_len);
    return ok || sub_fail(c, fn, "out of host memory");
}

SUB_OFFCHAIN_HOST(ext_offchain_local_storage_get_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    local_key k;
    if (!local_storage_key(c, rt, args, &k, fn)) return false;
    uint8_t *val = NULL;
    size_t vlen = 0;
    bst_state_res r =
        bst_state_get(rt->offchain, k.child, k.child_len, k.key, k.key_len, &val, &vlen);
    if (r == BST_STATE_ERROR) return sub_fail(c, fn, "out of host memory");
    bool ok = sub_ret_option(c, rt, r == BST_STATE_FOUND, val, vlen, &results[0], fn);
    free(val);
    return ok;
}

SUB_OFFCHAIN_HOST(ext_offchain_local_storage_set_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    local_key k;
    if (!local_storage_key(c, rt, args, &k, fn)) return false;
    SUB_SPAN_ARG(val, args[2].of.i64);
    return offchain_write(c, rt->offchain, k.child, k.child_len, k.key, k.key_len, val, val_len,
                          fn);
}

SUB_OFFCHAIN_HOST(ext_offchain_local_storage_clear_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    local_key k;
    if (!local_storage_key(c, rt, args, &k, fn)) return false;
    return offchain_write(c, rt->offchain, k.child, k.child_len, k.key, k.key_len, NULL, 0, fn);
}

/* compare_and_set(kind, key, old_value: Option<Vec<u8>> (SCALE), new_value) -> bool */
SUB_OFFCHAIN_HOST(ext_offchain_local_storage_compare_and_set_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    local_key k;
    if (!local_storage_key(c, rt, args, &k, fn)) return false;
    SUB_SPAN_ARG(old_enc, args[2].of.i64);
    SUB_SPAN_ARG(val, args[3].of.i64);
    bool expect_some;
    const uint8_t *expect;
    size_t expect_len;
    if (!sub_get_option_bytes(c, old_enc, old_enc_len, &expect_some, &expect, &expect_len, fn))
        return false;
    uint8_t *cur = NULL;
    size_t cur_len = 0;
    bst_state_res r =
        bst_state_get(rt->offchain, k.child, k.child_len, k.key, k.key_len, &cur, &cur_len);
    if (r == BST_STATE_ERROR) return sub_fail(c, fn, "out of host memory");
    bool present = r == BST_STATE_FOUND;
    bool equal = !expect_some ? !present
                              : present && cur_len == expect_len &&
                                    (cur_len == 0 || memcmp(cur, expect, cur_len) == 0);
    free(cur);
    if (equal &&
        !offchain_write(c, rt->offchain, k.child, k.child_len, k.key, k.key_len, val, val_len, fn))
        return false;
    results[0].of.i32 = equal;
    return true;
}

SUB_OFFCHAIN_HOST(ext_offchain_is_validator_version_1) {
    (void)c;
    (void)args;
    (void)env;
    results[0].of.i32 = 0;
    return true;
}

/* A node without a transaction pool / network: Err(()) — SCALE Result::Err(()) is 0x01. */
static bool ret_err_unit(bst_caller *c, void *env, bst_value *result, const char *fn) {
    static const uint8_t err_unit = 1;
    return sub_ret_span(c, HOST_RT(env), &err_unit, 1, result, fn);
}

SUB_OFFCHAIN_HOST(ext_offchain_submit_transaction_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(extrinsic, args[0].of.i64);
    (void)extrinsic_len;
    return ret_err_unit(c, env, &results[0], fn);
}

SUB_OFFCHAIN_HOST(ext_offchain_network_state_version_1) {
    (void)args;
    return ret_err_unit(c, env, &results[0], fn);
}

/* Timestamp: milliseconds since the Unix epoch (offchain workers only; not consensus). */
SUB_OFFCHAIN_HOST(ext_offchain_timestamp_version_1) {
    (void)c;
    (void)args;
    (void)env;
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    results[0].of.i64 = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    return true;
}

SUB_OFFCHAIN_HOST(ext_offchain_sleep_until_version_1) {
    (void)c;
    (void)args;
    (void)results;
    (void)env;
    return true; /* never blocks the host: an offchain deadline is advisory */
}

SUB_OFFCHAIN_HOST(ext_offchain_random_seed_version_1) {
    (void)args;
    uint8_t seed[32];
    bst_random_bytes(seed, sizeof seed);
    return sub_ret_ptr(c, HOST_RT(env), seed, sizeof seed, &results[0], fn);
}

SUB_OFFCHAIN_HOST(ext_offchain_set_authorized_nodes_version_1) {
    (void)c;
    (void)args;
    (void)results;
    (void)env;
    return true;
}

/* Offchain indexing (available in every call, unlike the worker functions): writes go to the
 * call's own overlay, transactional like storage, and reach the "persistent" offchain database
 * only when the call commits (runtime.c), as block import applies them in Substrate. */
SUB_HOST(ext_offchain_index_set_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(key, args[0].of.i64);
    SUB_SPAN_ARG(val, args[1].of.i64);
    return offchain_write(c, rt->offchain_index, NULL, 0, key, key_len, val, val_len, fn);
}

SUB_HOST(ext_offchain_index_clear_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(key, args[0].of.i64);
    return offchain_write(c, rt->offchain_index, NULL, 0, key, key_len, NULL, 0, fn);
}

/* ---- panics, tracing, transaction index, proof size --------------------------------------- */

/* (message: span of UTF-8): the runtime's panic handler, which never returns (sp-io
 * PanicHandler, #[trap_on_return]): the call ends with a trap carrying the message, as
 * Substrate's "Runtime panicked: ..." error does. */
SUB_HOST(ext_panic_handler_abort_on_panic_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(msg, args[0].of.i64);
    char text[512];
    int shown = msg_len > 400 ? 400 : (int)msg_len;
    snprintf(text, sizeof text, "Runtime panicked: %.*s%s", shown, (const char *)msg,
             msg_len > 400 ? "..." : "");
    bst_caller_trap(c, text);
    return false;
}

/* Wasm-side tracing (sp-io WasmTracing, runtimes built with `with-tracing`): this host
 * collects no spans, so every span is disabled, as in a node without a tracing subscriber
 * for them; enter_span then hands out span id 0 and exit ignores it. */
SUB_HOST(ext_wasm_tracing_enabled_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(meta, args[0].of.i64);
    (void)meta;
    results[0].of.i32 = 0;
    return true;
}
SUB_HOST(ext_wasm_tracing_enter_span_version_1) {
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_SPAN_ARG(attrs, args[0].of.i64);
    (void)attrs;
    results[0].of.i64 = 0;
    return true;
}
SUB_HOST(ext_wasm_tracing_exit_version_1) {
    (void)c;
    (void)args;
    (void)results;
    (void)env;
    return true;
}

/* Transaction indexing (sp-io TransactionIndex: index(extrinsic, size, context_hash),
 * renew(extrinsic, context_hash)): a node records them for its transaction storage when it
 * imports the block.  This host keeps no transaction storage; the arguments are checked (the
 * hash must be readable) and the call otherwise has no effect, as for a node that does not
 * keep indexed transactions. */
SUB_HOST(ext_transaction_index_index_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_PTR_ARG(hash, args[2].of.i32, 32);
    (void)hash;
    return true;
}
SUB_HOST(ext_transaction_index_renew_version_1) {
    (void)results;
    bst_substrate_runtime *rt = HOST_RT(env);
    SUB_PTR_ARG(hash, args[1].of.i32, 32);
    (void)hash;
    return true;
}

/* cumulus' storage_proof_size: the size of the proof recorded so far, or u64::MAX when the call
 * records no proof (cumulus-primitives-proof-size-hostfunction without a ProofSizeExt), which
 * is the case for every call of this host. */
SUB_HOST(ext_storage_proof_size_storage_proof_size_version_1) {
    (void)c;
    (void)args;
    (void)env;
    results[0].of.i64 = (int64_t)UINT64_MAX;
    return true;
}
