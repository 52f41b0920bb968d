/*
 * host_table.h — every host function the Substrate host provides, in one list: a row
 * X(NAME, SIGNATURE) per import `env.NAME` a runtime may make.
 *
 * The list is the only place a host function is declared; everything else is generated from
 * it (the same idiom as the WASI and contracts hosts, see docs/architecture.md):
 *   - host.h expands it into the declarations of the C functions sub_NAME (hidden: never
 *     exported from the library);
 *   - host_table.c expands it into sub_host_lookup, which maps an import name to its signature
 *     and C function (a chain of comparisons in code, so the library keeps no table of
 *     relocated pointers);
 *   - runtime.c checks an import's type against the signature with bst_functype_matches;
 *   - each host_*.c file defines its functions with SUB_HOST(NAME) { ... } (host.h), which
 *     also hands the body `fn`, the import name for messages; a SUB_HOST whose NAME is not a
 *     row here does not compile.
 * NAME is both the import name (every Substrate host function lives in module "env") and, with
 * the prefix sub_, the C name, so it is written once here and once at its definition.
 * SIGNATURE is the notation of bst_functype_parse (bastion.h): "PARAMS:RESULTS" with i = i32,
 * I = i64; Substrate passes pointers as i32 and (pointer, length) spans packed into an i64.
 *
 * Grouped by the file that defines the functions.
 */
#ifndef BASTION_SUBSTRATE_HOST_TABLE_H
#define BASTION_SUBSTRATE_HOST_TABLE_H

/* The rows below are aligned by hand: a table is read by columns. */
/* clang-format off */

#define SUBSTRATE_HOST_FUNCTIONS(X) \
    /* host_mem.c: the allocator */ \
    X(ext_allocator_free_version_1, "i:") \
    X(ext_allocator_malloc_version_1, "i:i") \
    /* host_misc.c: logging, misc, offchain (but HTTP), panics, tracing, transaction index */ \
    X(ext_logging_log_version_1, "iII:") \
    X(ext_logging_max_level_version_1, ":i") \
    X(ext_misc_print_hex_version_1, "I:") \
    X(ext_misc_print_num_version_1, "I:") \
    X(ext_misc_print_utf8_version_1, "I:") \
    X(ext_misc_runtime_version_version_1, "I:I") \
    X(ext_offchain_index_clear_version_1, "I:") \
    X(ext_offchain_index_set_version_1, "II:") \
    X(ext_offchain_is_validator_version_1, ":i") \
    X(ext_offchain_local_storage_clear_version_1, "iI:") \
    X(ext_offchain_local_storage_compare_and_set_version_1, "iIII:i") \
    X(ext_offchain_local_storage_get_version_1, "iI:I") \
    X(ext_offchain_local_storage_set_version_1, "iII:") \
    X(ext_offchain_network_state_version_1, ":I") \
    X(ext_offchain_random_seed_version_1, ":i") \
    X(ext_offchain_set_authorized_nodes_version_1, "Ii:") \
    X(ext_offchain_sleep_until_version_1, "I:") \
    X(ext_offchain_submit_transaction_version_1, "I:I") \
    X(ext_offchain_timestamp_version_1, ":I") \
    X(ext_panic_handler_abort_on_panic_version_1, "I:") \
    X(ext_storage_proof_size_storage_proof_size_version_1, ":I") \
    X(ext_transaction_index_index_version_1, "iii:") \
    X(ext_transaction_index_renew_version_1, "ii:") \
    X(ext_wasm_tracing_enabled_version_1, "I:i") \
    X(ext_wasm_tracing_enter_span_version_1, "I:I") \
    X(ext_wasm_tracing_exit_version_1, "I:") \
    /* host_storage.c: storage, child storage, trie roots */ \
    X(ext_default_child_storage_clear_prefix_version_1, "II:") \
    X(ext_default_child_storage_clear_prefix_version_2, "III:I") \
    X(ext_default_child_storage_clear_prefix_version_3, "IIII:I") \
    X(ext_default_child_storage_clear_version_1, "II:") \
    X(ext_default_child_storage_exists_version_1, "II:i") \
    X(ext_default_child_storage_get_version_1, "II:I") \
    X(ext_default_child_storage_next_key_version_1, "II:I") \
    X(ext_default_child_storage_read_version_1, "IIIi:I") \
    X(ext_default_child_storage_root_version_1, "I:I") \
    X(ext_default_child_storage_root_version_2, "Ii:I") \
    X(ext_default_child_storage_set_version_1, "III:") \
    X(ext_default_child_storage_storage_kill_version_1, "I:") \
    X(ext_default_child_storage_storage_kill_version_2, "II:i") \
    X(ext_default_child_storage_storage_kill_version_3, "II:I") \
    X(ext_default_child_storage_storage_kill_version_4, "III:I") \
    X(ext_storage_append_version_1, "II:") \
    X(ext_storage_changes_root_version_1, "I:I") \
    X(ext_storage_clear_prefix_version_1, "I:") \
    X(ext_storage_clear_prefix_version_2, "II:I") \
    X(ext_storage_clear_prefix_version_3, "III:I") \
    X(ext_storage_clear_version_1, "I:") \
    X(ext_storage_commit_transaction_version_1, ":") \
    X(ext_storage_exists_version_1, "I:i") \
    X(ext_storage_get_version_1, "I:I") \
    X(ext_storage_next_key_version_1, "I:I") \
    X(ext_storage_read_version_1, "IIi:I") \
    X(ext_storage_rollback_transaction_version_1, ":") \
    X(ext_storage_root_version_1, ":I") \
    X(ext_storage_root_version_2, "i:I") \
    X(ext_storage_set_version_1, "II:") \
    X(ext_storage_start_transaction_version_1, ":") \
    X(ext_trie_blake2_256_ordered_root_version_1, "I:i") \
    X(ext_trie_blake2_256_ordered_root_version_2, "Ii:i") \
    X(ext_trie_blake2_256_root_version_1, "I:i") \
    X(ext_trie_blake2_256_root_version_2, "Ii:i") \
    X(ext_trie_blake2_256_verify_proof_version_1, "iIII:i") \
    X(ext_trie_blake2_256_verify_proof_version_2, "iIIIi:i") \
    X(ext_trie_keccak_256_ordered_root_version_1, "I:i") \
    X(ext_trie_keccak_256_ordered_root_version_2, "Ii:i") \
    X(ext_trie_keccak_256_root_version_1, "I:i") \
    X(ext_trie_keccak_256_root_version_2, "Ii:i") \
    X(ext_trie_keccak_256_verify_proof_version_1, "iIII:i") \
    X(ext_trie_keccak_256_verify_proof_version_2, "iIIIi:i") \
    /* host_crypto.c: hashing, signatures, keystore */ \
    X(ext_crypto_ecdsa_batch_verify_version_1, "iIi:i") \
    X(ext_crypto_ecdsa_generate_version_1, "iI:i") \
    X(ext_crypto_ecdsa_public_keys_version_1, "i:I") \
    X(ext_crypto_ecdsa_sign_prehashed_version_1, "iii:I") \
    X(ext_crypto_ecdsa_sign_version_1, "iiI:I") \
    X(ext_crypto_ecdsa_verify_prehashed_version_1, "iii:i") \
    X(ext_crypto_ecdsa_verify_version_1, "iIi:i") \
    X(ext_crypto_ecdsa_verify_version_2, "iIi:i") \
    X(ext_crypto_ed25519_batch_verify_version_1, "iIi:i") \
    X(ext_crypto_ed25519_generate_version_1, "iI:i") \
    X(ext_crypto_ed25519_public_keys_version_1, "i:I") \
    X(ext_crypto_ed25519_sign_version_1, "iiI:I") \
    X(ext_crypto_ed25519_verify_version_1, "iIi:i") \
    X(ext_crypto_finish_batch_verify_version_1, ":i") \
    X(ext_crypto_secp256k1_ecdsa_recover_compressed_version_1, "ii:I") \
    X(ext_crypto_secp256k1_ecdsa_recover_compressed_version_2, "ii:I") \
    X(ext_crypto_secp256k1_ecdsa_recover_version_1, "ii:I") \
    X(ext_crypto_secp256k1_ecdsa_recover_version_2, "ii:I") \
    X(ext_crypto_sr25519_batch_verify_version_1, "iIi:i") \
    X(ext_crypto_sr25519_generate_version_1, "iI:i") \
    X(ext_crypto_sr25519_public_keys_version_1, "i:I") \
    X(ext_crypto_sr25519_sign_version_1, "iiI:I") \
    X(ext_crypto_sr25519_verify_version_1, "iIi:i") \
    X(ext_crypto_sr25519_verify_version_2, "iIi:i") \
    X(ext_crypto_start_batch_verify_version_1, ":") \
    X(ext_hashing_blake2_128_version_1, "I:i") \
    X(ext_hashing_blake2_256_version_1, "I:i") \
    X(ext_hashing_keccak_256_version_1, "I:i") \
    X(ext_hashing_keccak_512_version_1, "I:i") \
    X(ext_hashing_sha2_256_version_1, "I:i") \
    X(ext_hashing_twox_128_version_1, "I:i") \
    X(ext_hashing_twox_256_version_1, "I:i") \
    X(ext_hashing_twox_64_version_1, "I:i") \
    /* host_http.c: offchain HTTP */ \
    X(ext_offchain_http_request_add_header_version_1, "iII:I") \
    X(ext_offchain_http_request_start_version_1, "III:I") \
    X(ext_offchain_http_request_write_body_version_1, "iII:I") \
    X(ext_offchain_http_response_headers_version_1, "i:I") \
    X(ext_offchain_http_response_read_body_version_1, "iII:I") \
    X(ext_offchain_http_response_wait_version_1, "II:I") \
    /* host_sandbox.c: wasm sandboxes */ \
    X(ext_sandbox_get_global_val_version_1, "iI:I") \
    X(ext_sandbox_instance_teardown_version_1, "i:") \
    X(ext_sandbox_instantiate_version_1, "iIIi:i") \
    X(ext_sandbox_invoke_version_1, "iIIiii:i") \
    X(ext_sandbox_memory_get_version_1, "iiii:i") \
    X(ext_sandbox_memory_new_version_1, "ii:i") \
    X(ext_sandbox_memory_set_version_1, "iiii:i") \
    X(ext_sandbox_memory_teardown_version_1, "i:")

/* clang-format on */

#endif /* BASTION_SUBSTRATE_HOST_TABLE_H */
