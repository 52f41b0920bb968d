/*
 * test_host_table.c — the Substrate host's import table (src/substrate/host_table.h) through
 * the public API (CTest substrate/host_table): a runtime importing every host function with
 * the row's signature links without a stub; the same import with any other type is refused
 * with "import env.NAME has the wrong type"; names that are not rows (near misses, other
 * modules) are unknown: refused, or stubs under allow_missing.
 *
 * The rows come from the list itself (the one private header a test includes), so a row whose
 * signature string is malformed or whose function is missing fails here.
 */
#include "substrate_test.h"

#include "bastion_substrate.h"
#include "host_table.h"

typedef struct row {
    const char *name, *sig;
} row;

#define ROW(n, s) {#n, s},
static const row ROWS[] = {SUBSTRATE_HOST_FUNCTIONS(ROW)};
#undef ROW
#define NROWS (sizeof ROWS / sizeof ROWS[0])

/* Instantiates the imports as a runtime: BST_OK with *stubs set, or the error. */
static bst_status try_link(const h_import *imp, size_t n, bool allow_missing, uint32_t *stubs,
                           bst_error *err) {
    h_buf m = h_module_imports(imp, n);
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.allow_missing = allow_missing;
    memset(err, 0, sizeof *err);
    bst_substrate_runtime *rt = bst_substrate_runtime_new(m.p, m.n, &o, err);
    free(m.p);
    if (!rt) return err->status;
    *stubs = bst_substrate_runtime_stub_count(rt);
    bst_substrate_runtime_free(rt);
    return BST_OK;
}

static bst_valtype g_types[NROWS][32];

/* Every row parses, and a runtime importing all of them with those types has no stub. */
static void test_all_rows_link(void) {
    static h_import imp[NROWS];
    for (size_t i = 0; i < NROWS; i++) {
        imp[i].module = "env";
        imp[i].name = ROWS[i].name;
        bool ok = bst_functype_parse(ROWS[i].sig, g_types[i], 32, &imp[i].type);
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  row %s: bad signature \"%s\"\n", ROWS[i].name, ROWS[i].sig);
            return;
        }
    }
    /* no two rows share a name */
    for (size_t i = 0; i < NROWS; i++)
        for (size_t j = i + 1; j < NROWS; j++) CHECK(strcmp(ROWS[i].name, ROWS[j].name) != 0);
    bst_error err;
    uint32_t stubs = 99;
    CHECK_OK(try_link(imp, NROWS, false, &stubs, &err), err);
    CHECK_EQ(stubs, 0);
}

/* The expected refusal of a mistyped import. */
static void expect_wrong_type(const h_import *imp, const char *what) {
    bst_error err;
    uint32_t stubs;
    char want[200];
    snprintf(want, sizeof want, "import env.%s has the wrong type", imp->name);
    for (int allow_missing = 0; allow_missing < 2; allow_missing++) {
        bst_status st = try_link(imp, 1, allow_missing, &stubs, &err);
        CHECK_EQ(st, BST_ERR_UNLINKABLE);
        CHECK(strstr(err.message, want) != NULL);
        if (st != BST_ERR_UNLINKABLE || !strstr(err.message, want))
            fprintf(stderr, "  (%s, %s: %s)\n", imp->name, what, err.message);
    }
}

/* Each row with a type one step off its signature: an extra parameter, a missing or extra
 * result, each i32 turned i64 and back. */
static void test_wrong_types_refused(void) {
    for (size_t i = 0; i < NROWS; i++) {
        bst_functype want;
        if (!bst_functype_parse(ROWS[i].sig, g_types[i], 32, &want)) continue;
        h_each_type_one_off((h_import){"env", ROWS[i].name, want}, expect_wrong_type);
    }
}

/* Names that are not rows: a row's name cut short or extended, in another module, empty. */
static void test_unknown_names(void) {
    static const bst_valtype i64[1] = {BST_I64};
    const bst_functype t = {1, 1, i64, i64}; /* ext_storage_get_version_1's type */
    const h_import real = {"env", "ext_storage_get_version_1", t};
    const h_import misses[] = {
        {"env", "ext_storage_get_version_", t},
        {"env", "ext_storage_get_version_10", t},
        {"env", "ext_storage_get_version_2", t},
        {"env", "EXT_STORAGE_GET_VERSION_1", t},
        {"env", "", t},
        {"env2", "ext_storage_get_version_1", t},
        {"", "ext_storage_get_version_1", t},
    };
    bst_error err;
    uint32_t stubs = 99;
    CHECK_OK(try_link(&real, 1, false, &stubs, &err), err);
    CHECK_EQ(stubs, 0);
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        bst_status st = try_link(&misses[i], 1, false, &stubs, &err);
        CHECK_EQ(st, BST_ERR_UNLINKABLE);
        CHECK(strstr(err.message, "no such host function") != NULL);
        stubs = 99;
        CHECK_OK(try_link(&misses[i], 1, true, &stubs, &err), err);
        CHECK_EQ(stubs, 1);
    }
}

/* Every host function a node provides (sp-io's runtime interfaces: Storage, DefaultChildStorage,
 * Trie, Misc, Crypto without the experimental bls/bandersnatch features, Hashing,
 * TransactionIndex, OffchainIndex, Offchain, Allocator, PanicHandler, Logging, WasmTracing,
 * the register-only versions included; sp-sandbox's Sandbox; cumulus' storage_proof_size),
 * written out here so that a gap in the table fails this test.  docs/substrate.md lists what
 * is left out and why. */
static const char *const SUBSTRATE_FUNCTIONS[] = {
    "ext_storage_get_version_1",
    "ext_storage_read_version_1",
    "ext_storage_set_version_1",
    "ext_storage_clear_version_1",
    "ext_storage_exists_version_1",
    "ext_storage_clear_prefix_version_1",
    "ext_storage_clear_prefix_version_2",
    "ext_storage_clear_prefix_version_3",
    "ext_storage_append_version_1",
    "ext_storage_root_version_1",
    "ext_storage_root_version_2",
    "ext_storage_changes_root_version_1",
    "ext_storage_next_key_version_1",
    "ext_storage_start_transaction_version_1",
    "ext_storage_rollback_transaction_version_1",
    "ext_storage_commit_transaction_version_1",
    "ext_default_child_storage_get_version_1",
    "ext_default_child_storage_read_version_1",
    "ext_default_child_storage_set_version_1",
    "ext_default_child_storage_clear_version_1",
    "ext_default_child_storage_storage_kill_version_1",
    "ext_default_child_storage_storage_kill_version_2",
    "ext_default_child_storage_storage_kill_version_3",
    "ext_default_child_storage_storage_kill_version_4",
    "ext_default_child_storage_exists_version_1",
    "ext_default_child_storage_clear_prefix_version_1",
    "ext_default_child_storage_clear_prefix_version_2",
    "ext_default_child_storage_clear_prefix_version_3",
    "ext_default_child_storage_root_version_1",
    "ext_default_child_storage_root_version_2",
    "ext_default_child_storage_next_key_version_1",
    "ext_trie_blake2_256_root_version_1",
    "ext_trie_blake2_256_root_version_2",
    "ext_trie_blake2_256_ordered_root_version_1",
    "ext_trie_blake2_256_ordered_root_version_2",
    "ext_trie_keccak_256_root_version_1",
    "ext_trie_keccak_256_root_version_2",
    "ext_trie_keccak_256_ordered_root_version_1",
    "ext_trie_keccak_256_ordered_root_version_2",
    "ext_trie_blake2_256_verify_proof_version_1",
    "ext_trie_blake2_256_verify_proof_version_2",
    "ext_trie_keccak_256_verify_proof_version_1",
    "ext_trie_keccak_256_verify_proof_version_2",
    "ext_misc_print_num_version_1",
    "ext_misc_print_utf8_version_1",
    "ext_misc_print_hex_version_1",
    "ext_misc_runtime_version_version_1",
    "ext_crypto_ed25519_public_keys_version_1",
    "ext_crypto_ed25519_generate_version_1",
    "ext_crypto_ed25519_sign_version_1",
    "ext_crypto_ed25519_verify_version_1",
    "ext_crypto_ed25519_batch_verify_version_1",
    "ext_crypto_sr25519_verify_version_2",
    "ext_crypto_sr25519_batch_verify_version_1",
    "ext_crypto_start_batch_verify_version_1",
    "ext_crypto_finish_batch_verify_version_1",
    "ext_crypto_sr25519_public_keys_version_1",
    "ext_crypto_sr25519_generate_version_1",
    "ext_crypto_sr25519_sign_version_1",
    "ext_crypto_sr25519_verify_version_1",
    "ext_crypto_ecdsa_public_keys_version_1",
    "ext_crypto_ecdsa_generate_version_1",
    "ext_crypto_ecdsa_sign_version_1",
    "ext_crypto_ecdsa_sign_prehashed_version_1",
    "ext_crypto_ecdsa_verify_version_1",
    "ext_crypto_ecdsa_verify_version_2",
    "ext_crypto_ecdsa_verify_prehashed_version_1",
    "ext_crypto_ecdsa_batch_verify_version_1",
    "ext_crypto_secp256k1_ecdsa_recover_version_1",
    "ext_crypto_secp256k1_ecdsa_recover_version_2",
    "ext_crypto_secp256k1_ecdsa_recover_compressed_version_1",
    "ext_crypto_secp256k1_ecdsa_recover_compressed_version_2",
    "ext_hashing_keccak_256_version_1",
    "ext_hashing_keccak_512_version_1",
    "ext_hashing_sha2_256_version_1",
    "ext_hashing_blake2_128_version_1",
    "ext_hashing_blake2_256_version_1",
    "ext_hashing_twox_256_version_1",
    "ext_hashing_twox_128_version_1",
    "ext_hashing_twox_64_version_1",
    "ext_transaction_index_index_version_1",
    "ext_transaction_index_renew_version_1",
    "ext_offchain_index_set_version_1",
    "ext_offchain_index_clear_version_1",
    "ext_offchain_is_validator_version_1",
    "ext_offchain_submit_transaction_version_1",
    "ext_offchain_network_state_version_1",
    "ext_offchain_timestamp_version_1",
    "ext_offchain_sleep_until_version_1",
    "ext_offchain_random_seed_version_1",
    "ext_offchain_local_storage_set_version_1",
    "ext_offchain_local_storage_clear_version_1",
    "ext_offchain_local_storage_compare_and_set_version_1",
    "ext_offchain_local_storage_get_version_1",
    "ext_offchain_http_request_start_version_1",
    "ext_offchain_http_request_add_header_version_1",
    "ext_offchain_http_request_write_body_version_1",
    "ext_offchain_http_response_wait_version_1",
    "ext_offchain_http_response_headers_version_1",
    "ext_offchain_http_response_read_body_version_1",
    "ext_offchain_set_authorized_nodes_version_1",
    "ext_allocator_malloc_version_1",
    "ext_allocator_free_version_1",
    "ext_panic_handler_abort_on_panic_version_1",
    "ext_logging_log_version_1",
    "ext_logging_max_level_version_1",
    "ext_wasm_tracing_enabled_version_1",
    "ext_wasm_tracing_enter_span_version_1",
    "ext_wasm_tracing_exit_version_1",
    "ext_sandbox_instantiate_version_1",
    "ext_sandbox_invoke_version_1",
    "ext_sandbox_memory_new_version_1",
    "ext_sandbox_memory_get_version_1",
    "ext_sandbox_memory_set_version_1",
    "ext_sandbox_memory_teardown_version_1",
    "ext_sandbox_instance_teardown_version_1",
    "ext_sandbox_get_global_val_version_1",
    "ext_storage_proof_size_storage_proof_size_version_1",
};

static void test_substrate_list_covered(void) {
    size_t n = sizeof SUBSTRATE_FUNCTIONS / sizeof SUBSTRATE_FUNCTIONS[0];
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < NROWS && !found; j++)
            found = strcmp(SUBSTRATE_FUNCTIONS[i], ROWS[j].name) == 0;
        CHECK_MSG(found, "%s is not in host_table.h", SUBSTRATE_FUNCTIONS[i]);
    }
    /* and the table has nothing else */
    CHECK_MSG(n == NROWS, "%zu functions listed, %zu rows", n, (size_t)NROWS);
}

int main(void) {
    if (!bst_crypto_init()) return 2;
    test_substrate_list_covered();
    test_all_rows_link();
    test_wrong_types_refused();
    test_unknown_names();
    return h_finish("substrate/host_table");
}
