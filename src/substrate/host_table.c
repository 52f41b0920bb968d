/*
 * host_table.c — the Substrate host functions by import name: each `env.NAME` a runtime may
 * import, its signature (checked against the import's type at instantiation) and the C function
 * that implements it.  Sorted by name for a binary search.
 *
 * The table holds function pointers, so it lives in .data.rel.ro (read-only once relocated);
 * tests/hostile/global_state_allowlist.txt names it.
 */
#include "host.h"

#include <string.h>

#define HOST_FN(name) bool name(bst_caller *c, const bst_value *args, bst_value *results, void *env)

HOST_FN(bst_ext_allocator_free_version_1);
HOST_FN(bst_ext_allocator_malloc_version_1);
HOST_FN(bst_ext_crypto_ecdsa_batch_verify_version_1);
HOST_FN(bst_ext_crypto_ecdsa_generate_version_1);
HOST_FN(bst_ext_crypto_ecdsa_public_keys_version_1);
HOST_FN(bst_ext_crypto_ecdsa_sign_prehashed_version_1);
HOST_FN(bst_ext_crypto_ecdsa_sign_version_1);
HOST_FN(bst_ext_crypto_ecdsa_verify_prehashed_version_1);
HOST_FN(bst_ext_crypto_ecdsa_verify_version_1);
HOST_FN(bst_ext_crypto_ecdsa_verify_version_2);
HOST_FN(bst_ext_crypto_ed25519_batch_verify_version_1);
HOST_FN(bst_ext_crypto_ed25519_generate_version_1);
HOST_FN(bst_ext_crypto_ed25519_public_keys_version_1);
HOST_FN(bst_ext_crypto_ed25519_sign_version_1);
HOST_FN(bst_ext_crypto_ed25519_verify_version_1);
HOST_FN(bst_ext_crypto_finish_batch_verify_version_1);
HOST_FN(bst_ext_crypto_secp256k1_ecdsa_recover_compressed_version_1);
HOST_FN(bst_ext_crypto_secp256k1_ecdsa_recover_compressed_version_2);
HOST_FN(bst_ext_crypto_secp256k1_ecdsa_recover_version_1);
HOST_FN(bst_ext_crypto_secp256k1_ecdsa_recover_version_2);
HOST_FN(bst_ext_crypto_sr25519_batch_verify_version_1);
HOST_FN(bst_ext_crypto_sr25519_generate_version_1);
HOST_FN(bst_ext_crypto_sr25519_public_keys_version_1);
HOST_FN(bst_ext_crypto_sr25519_sign_version_1);
HOST_FN(bst_ext_crypto_sr25519_verify_version_1);
HOST_FN(bst_ext_crypto_sr25519_verify_version_2);
HOST_FN(bst_ext_crypto_start_batch_verify_version_1);
HOST_FN(bst_ext_default_child_storage_clear_prefix_version_1);
HOST_FN(bst_ext_default_child_storage_clear_prefix_version_2);
HOST_FN(bst_ext_default_child_storage_clear_version_1);
HOST_FN(bst_ext_default_child_storage_exists_version_1);
HOST_FN(bst_ext_default_child_storage_get_version_1);
HOST_FN(bst_ext_default_child_storage_next_key_version_1);
HOST_FN(bst_ext_default_child_storage_read_version_1);
HOST_FN(bst_ext_default_child_storage_root_version_1);
HOST_FN(bst_ext_default_child_storage_root_version_2);
HOST_FN(bst_ext_default_child_storage_set_version_1);
HOST_FN(bst_ext_default_child_storage_storage_kill_version_1);
HOST_FN(bst_ext_default_child_storage_storage_kill_version_2);
HOST_FN(bst_ext_default_child_storage_storage_kill_version_3);
HOST_FN(bst_ext_hashing_blake2_128_version_1);
HOST_FN(bst_ext_hashing_blake2_256_version_1);
HOST_FN(bst_ext_hashing_keccak_256_version_1);
HOST_FN(bst_ext_hashing_sha2_256_version_1);
HOST_FN(bst_ext_hashing_twox_128_version_1);
HOST_FN(bst_ext_hashing_twox_256_version_1);
HOST_FN(bst_ext_hashing_twox_64_version_1);
HOST_FN(bst_ext_logging_log_version_1);
HOST_FN(bst_ext_logging_max_level_version_1);
HOST_FN(bst_ext_misc_print_hex_version_1);
HOST_FN(bst_ext_misc_print_num_version_1);
HOST_FN(bst_ext_misc_print_utf8_version_1);
HOST_FN(bst_ext_misc_runtime_version_version_1);
HOST_FN(bst_ext_offchain_http_request_add_header_version_1);
HOST_FN(bst_ext_offchain_http_request_start_version_1);
HOST_FN(bst_ext_offchain_http_request_write_body_version_1);
HOST_FN(bst_ext_offchain_http_response_headers_version_1);
HOST_FN(bst_ext_offchain_http_response_read_body_version_1);
HOST_FN(bst_ext_offchain_http_response_wait_version_1);
HOST_FN(bst_ext_offchain_index_clear_version_1);
HOST_FN(bst_ext_offchain_index_set_version_1);
HOST_FN(bst_ext_offchain_is_validator_version_1);
HOST_FN(bst_ext_offchain_local_storage_clear_version_1);
HOST_FN(bst_ext_offchain_local_storage_compare_and_set_version_1);
HOST_FN(bst_ext_offchain_local_storage_get_version_1);
HOST_FN(bst_ext_offchain_local_storage_set_version_1);
HOST_FN(bst_ext_offchain_network_state_version_1);
HOST_FN(bst_ext_offchain_random_seed_version_1);
HOST_FN(bst_ext_offchain_set_authorized_nodes_version_1);
HOST_FN(bst_ext_offchain_sleep_until_version_1);
HOST_FN(bst_ext_offchain_submit_transaction_version_1);
HOST_FN(bst_ext_offchain_timestamp_version_1);
HOST_FN(bst_ext_sandbox_get_global_val_version_1);
HOST_FN(bst_ext_sandbox_instance_teardown_version_1);
HOST_FN(bst_ext_sandbox_instantiate_version_1);
HOST_FN(bst_ext_sandbox_invoke_version_1);
HOST_FN(bst_ext_sandbox_memory_get_version_1);
HOST_FN(bst_ext_sandbox_memory_new_version_1);
HOST_FN(bst_ext_sandbox_memory_set_version_1);
HOST_FN(bst_ext_sandbox_memory_teardown_version_1);
HOST_FN(bst_ext_storage_append_version_1);
HOST_FN(bst_ext_storage_changes_root_version_1);
HOST_FN(bst_ext_storage_clear_prefix_version_1);
HOST_FN(bst_ext_storage_clear_prefix_version_2);
HOST_FN(bst_ext_storage_clear_version_1);
HOST_FN(bst_ext_storage_commit_transaction_version_1);
HOST_FN(bst_ext_storage_exists_version_1);
HOST_FN(bst_ext_storage_get_version_1);
HOST_FN(bst_ext_storage_next_key_version_1);
HOST_FN(bst_ext_storage_read_version_1);
HOST_FN(bst_ext_storage_rollback_transaction_version_1);
HOST_FN(bst_ext_storage_root_version_1);
HOST_FN(bst_ext_storage_root_version_2);
HOST_FN(bst_ext_storage_set_version_1);
HOST_FN(bst_ext_storage_start_transaction_version_1);
HOST_FN(bst_ext_trie_blake2_256_ordered_root_version_1);
HOST_FN(bst_ext_trie_blake2_256_ordered_root_version_2);
HOST_FN(bst_ext_trie_blake2_256_root_version_1);
HOST_FN(bst_ext_trie_blake2_256_root_version_2);

static const host_def host_defs[] = {
    {"ext_allocator_free_version_1", "i", "", bst_ext_allocator_free_version_1},
    {"ext_allocator_malloc_version_1", "i", "i", bst_ext_allocator_malloc_version_1},
    {"ext_crypto_ecdsa_batch_verify_version_1", "iji", "i", bst_ext_crypto_ecdsa_batch_verify_version_1},
    {"ext_crypto_ecdsa_generate_version_1", "ij", "i", bst_ext_crypto_ecdsa_generate_version_1},
    {"ext_crypto_ecdsa_public_keys_version_1", "i", "j", bst_ext_crypto_ecdsa_public_keys_version_1},
    {"ext_crypto_ecdsa_sign_prehashed_version_1", "iii", "j", bst_ext_crypto_ecdsa_sign_prehashed_version_1},
    {"ext_crypto_ecdsa_sign_version_1", "iij", "j", bst_ext_crypto_ecdsa_sign_version_1},
    {"ext_crypto_ecdsa_verify_prehashed_version_1", "iii", "i", bst_ext_crypto_ecdsa_verify_prehashed_version_1},
    {"ext_crypto_ecdsa_verify_version_1", "iji", "i", bst_ext_crypto_ecdsa_verify_version_1},
    {"ext_crypto_ecdsa_verify_version_2", "iji", "i", bst_ext_crypto_ecdsa_verify_version_2},
    {"ext_crypto_ed25519_batch_verify_version_1", "iji", "i", bst_ext_crypto_ed25519_batch_verify_version_1},
    {"ext_crypto_ed25519_generate_version_1", "ij", "i", bst_ext_crypto_ed25519_generate_version_1},
    {"ext_crypto_ed25519_public_keys_version_1", "i", "j", bst_ext_crypto_ed25519_public_keys_version_1},
    {"ext_crypto_ed25519_sign_version_1", "iij", "j", bst_ext_crypto_ed25519_sign_version_1},
    {"ext_crypto_ed25519_verify_version_1", "iji", "i", bst_ext_crypto_ed25519_verify_version_1},
    {"ext_crypto_finish_batch_verify_version_1", "", "i", bst_ext_crypto_finish_batch_verify_version_1},
    {"ext_crypto_secp256k1_ecdsa_recover_compressed_version_1", "ii", "j", bst_ext_crypto_secp256k1_ecdsa_recover_compressed_version_1},
    {"ext_crypto_secp256k1_ecdsa_recover_compressed_version_2", "ii", "j", bst_ext_crypto_secp256k1_ecdsa_recover_compressed_version_2},
    {"ext_crypto_secp256k1_ecdsa_recover_version_1", "ii", "j", bst_ext_crypto_secp256k1_ecdsa_recover_version_1},
    {"ext_crypto_secp256k1_ecdsa_recover_version_2", "ii", "j", bst_ext_crypto_secp256k1_ecdsa_recover_version_2},
    {"ext_crypto_sr25519_batch_verify_version_1", "iji", "i", bst_ext_crypto_sr25519_batch_verify_version_1},
    {"ext_crypto_sr25519_generate_version_1", "ij", "i", bst_ext_crypto_sr25519_generate_version_1},
    {"ext_crypto_sr25519_public_keys_version_1", "i", "j", bst_ext_crypto_sr25519_public_keys_version_1},
    {"ext_crypto_sr25519_sign_version_1", "iij", "j", bst_ext_crypto_sr25519_sign_version_1},
    {"ext_crypto_sr25519_verify_version_1", "iji", "i", bst_ext_crypto_sr25519_verify_version_1},
    {"ext_crypto_sr25519_verify_version_2", "iji", "i", bst_ext_crypto_sr25519_verify_version_2},
    {"ext_crypto_start_batch_verify_version_1", "", "", bst_ext_crypto_start_batch_verify_version_1},
    {"ext_default_child_storage_clear_prefix_version_1", "jj", "", bst_ext_default_child_storage_clear_prefix_version_1},
    {"ext_default_child_storage_clear_prefix_version_2", "jjj", "j", bst_ext_default_child_storage_clear_prefix_version_2},
    {"ext_default_child_storage_clear_version_1", "jj", "", bst_ext_default_child_storage_clear_version_1},
    {"ext_default_child_storage_exists_version_1", "jj", "i", bst_ext_default_child_storage_exists_version_1},
    {"ext_default_child_storage_get_version_1", "jj", "j", bst_ext_default_child_storage_get_version_1},
    {"ext_default_child_storage_next_key_version_1", "jj", "j", bst_ext_default_child_storage_next_key_version_1},
    {"ext_default_child_storage_read_version_1", "jjji", "j", bst_ext_default_child_storage_read_version_1},
    {"ext_default_child_storage_root_version_1", "j", "j", bst_ext_default_child_storage_root_version_1},
    {"ext_default_child_storage_root_version_2", "ji", "j", bst_ext_default_child_storage_root_version_2},
    {"ext_default_child_storage_set_version_1", "jjj", "", bst_ext_default_child_storage_set_version_1},
    {"ext_default_child_storage_storage_kill_version_1", "j", "", bst_ext_default_child_storage_storage_kill_version_1},
    {"ext_default_child_storage_storage_kill_version_2", "jj", "i", bst_ext_default_child_storage_storage_kill_version_2},
    {"ext_default_child_storage_storage_kill_version_3", "jj", "j", bst_ext_default_child_storage_storage_kill_version_3},
    {"ext_hashing_blake2_128_version_1", "j", "i", bst_ext_hashing_blake2_128_version_1},
    {"ext_hashing_blake2_256_version_1", "j", "i", bst_ext_hashing_blake2_256_version_1},
    {"ext_hashing_keccak_256_version_1", "j", "i", bst_ext_hashing_keccak_256_version_1},
    {"ext_hashing_sha2_256_version_1", "j", "i", bst_ext_hashing_sha2_256_version_1},
    {"ext_hashing_twox_128_version_1", "j", "i", bst_ext_hashing_twox_128_version_1},
    {"ext_hashing_twox_256_version_1", "j", "i", bst_ext_hashing_twox_256_version_1},
    {"ext_hashing_twox_64_version_1", "j", "i", bst_ext_hashing_twox_64_version_1},
    {"ext_logging_log_version_1", "ijj", "", bst_ext_logging_log_version_1},
    {"ext_logging_max_level_version_1", "", "i", bst_ext_logging_max_level_version_1},
    {"ext_misc_print_hex_version_1", "j", "", bst_ext_misc_print_hex_version_1},
    {"ext_misc_print_num_version_1", "j", "", bst_ext_misc_print_num_version_1},
    {"ext_misc_print_utf8_version_1", "j", "", bst_ext_misc_print_utf8_version_1},
    {"ext_misc_runtime_version_version_1", "j", "j", bst_ext_misc_runtime_version_version_1},
    {"ext_offchain_http_request_add_header_version_1", "ijj", "j", bst_ext_offchain_http_request_add_header_version_1},
    {"ext_offchain_http_request_start_version_1", "jjj", "j", bst_ext_offchain_http_request_start_version_1},
    {"ext_offchain_http_request_write_body_version_1", "ijj", "j", bst_ext_offchain_http_request_write_body_version_1},
    {"ext_offchain_http_response_headers_version_1", "i", "j", bst_ext_offchain_http_response_headers_version_1},
    {"ext_offchain_http_response_read_body_version_1", "ijj", "j", bst_ext_offchain_http_response_read_body_version_1},
    {"ext_offchain_http_response_wait_version_1", "jj", "j", bst_ext_offchain_http_response_wait_version_1},
    {"ext_offchain_index_clear_version_1", "j", "", bst_ext_offchain_index_clear_version_1},
    {"ext_offchain_index_set_version_1", "jj", "", bst_ext_offchain_index_set_version_1},
    {"ext_offchain_is_validator_version_1", "", "i", bst_ext_offchain_is_validator_version_1},
    {"ext_offchain_local_storage_clear_version_1", "ij", "", bst_ext_offchain_local_storage_clear_version_1},
    {"ext_offchain_local_storage_compare_and_set_version_1", "ijjj", "i", bst_ext_offchain_local_storage_compare_and_set_version_1},
    {"ext_offchain_local_storage_get_version_1", "ij", "j", bst_ext_offchain_local_storage_get_version_1},
    {"ext_offchain_local_storage_set_version_1", "ijj", "", bst_ext_offchain_local_storage_set_version_1},
    {"ext_offchain_network_state_version_1", "", "j", bst_ext_offchain_network_state_version_1},
    {"ext_offchain_random_seed_version_1", "", "i", bst_ext_offchain_random_seed_version_1},
    {"ext_offchain_set_authorized_nodes_version_1", "ji", "", bst_ext_offchain_set_authorized_nodes_version_1},
    {"ext_offchain_sleep_until_version_1", "j", "", bst_ext_offchain_sleep_until_version_1},
    {"ext_offchain_submit_transaction_version_1", "j", "j", bst_ext_offchain_submit_transaction_version_1},
    {"ext_offchain_timestamp_version_1", "", "j", bst_ext_offchain_timestamp_version_1},
    {"ext_sandbox_get_global_val_version_1", "ij", "j", bst_ext_sandbox_get_global_val_version_1},
    {"ext_sandbox_instance_teardown_version_1", "i", "", bst_ext_sandbox_instance_teardown_version_1},
    {"ext_sandbox_instantiate_version_1", "ijji", "i", bst_ext_sandbox_instantiate_version_1},
    {"ext_sandbox_invoke_version_1", "ijjiii", "i", bst_ext_sandbox_invoke_version_1},
    {"ext_sandbox_memory_get_version_1", "iiii", "i", bst_ext_sandbox_memory_get_version_1},
    {"ext_sandbox_memory_new_version_1", "ii", "i", bst_ext_sandbox_memory_new_version_1},
    {"ext_sandbox_memory_set_version_1", "iiii", "i", bst_ext_sandbox_memory_set_version_1},
    {"ext_sandbox_memory_teardown_version_1", "i", "", bst_ext_sandbox_memory_teardown_version_1},
    {"ext_storage_append_version_1", "jj", "", bst_ext_storage_append_version_1},
    {"ext_storage_changes_root_version_1", "j", "j", bst_ext_storage_changes_root_version_1},
    {"ext_storage_clear_prefix_version_1", "j", "", bst_ext_storage_clear_prefix_version_1},
    {"ext_storage_clear_prefix_version_2", "jj", "j", bst_ext_storage_clear_prefix_version_2},
    {"ext_storage_clear_version_1", "j", "", bst_ext_storage_clear_version_1},
    {"ext_storage_commit_transaction_version_1", "", "", bst_ext_storage_commit_transaction_version_1},
    {"ext_storage_exists_version_1", "j", "i", bst_ext_storage_exists_version_1},
    {"ext_storage_get_version_1", "j", "j", bst_ext_storage_get_version_1},
    {"ext_storage_next_key_version_1", "j", "j", bst_ext_storage_next_key_version_1},
    {"ext_storage_read_version_1", "jji", "j", bst_ext_storage_read_version_1},
    {"ext_storage_rollback_transaction_version_1", "", "", bst_ext_storage_rollback_transaction_version_1},
    {"ext_storage_root_version_1", "", "j", bst_ext_storage_root_version_1},
    {"ext_storage_root_version_2", "i", "j", bst_ext_storage_root_version_2},
    {"ext_storage_set_version_1", "jj", "", bst_ext_storage_set_version_1},
    {"ext_storage_start_transaction_version_1", "", "", bst_ext_storage_start_transaction_version_1},
    {"ext_trie_blake2_256_ordered_root_version_1", "j", "i", bst_ext_trie_blake2_256_ordered_root_version_1},
    {"ext_trie_blake2_256_ordered_root_version_2", "ji", "i", bst_ext_trie_blake2_256_ordered_root_version_2},
    {"ext_trie_blake2_256_root_version_1", "j", "i", bst_ext_trie_blake2_256_root_version_1},
    {"ext_trie_blake2_256_root_version_2", "ji", "i", bst_ext_trie_blake2_256_root_version_2},
};

const host_def *bst_host_lookup(const char *name, size_t len) {
    size_t lo = 0, hi = sizeof host_defs / sizeof host_defs[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *n = host_defs[mid].name;
        size_t nlen = strlen(n);
        int cmp = memcmp(name, n, len < nlen ? len : nlen);
        if (cmp == 0) cmp = len < nlen ? -1 : len > nlen ? 1 : 0;
        if (cmp == 0) return &host_defs[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
