;; A minimal Substrate runtime that calls the host functions sc_runtime_test.wasm does not
;; import (test_host_extra.c drives it): Keccak-512, the Keccak trie roots, trie proof
;; verification, the register-only clear_prefix/storage_kill versions with cursors, the panic
;; handler, wasm tracing, transaction indexing and cumulus' storage_proof_size.  Each export
;; takes its input as (ptr, len) and answers a span, as runtime API functions do.
(module
  (import "env" "ext_hashing_keccak_512_version_1" (func $keccak512 (param i64) (result i32)))
  (import "env" "ext_trie_blake2_256_root_version_1" (func $b_root1 (param i64) (result i32)))
  (import "env" "ext_trie_keccak_256_root_version_1" (func $k_root1 (param i64) (result i32)))
  (import "env" "ext_trie_keccak_256_root_version_2" (func $k_root2 (param i64 i32) (result i32)))
  (import "env" "ext_trie_keccak_256_ordered_root_version_1" (func $k_oroot1 (param i64) (result i32)))
  (import "env" "ext_trie_keccak_256_ordered_root_version_2" (func $k_oroot2 (param i64 i32) (result i32)))
  (import "env" "ext_trie_blake2_256_verify_proof_version_1" (func $b_ver1 (param i32 i64 i64 i64) (result i32)))
  (import "env" "ext_trie_blake2_256_verify_proof_version_2" (func $b_ver2 (param i32 i64 i64 i64 i32) (result i32)))
  (import "env" "ext_trie_keccak_256_verify_proof_version_1" (func $k_ver1 (param i32 i64 i64 i64) (result i32)))
  (import "env" "ext_trie_keccak_256_verify_proof_version_2" (func $k_ver2 (param i32 i64 i64 i64 i32) (result i32)))
  (import "env" "ext_storage_clear_prefix_version_3" (func $clear3 (param i64 i64 i64) (result i64)))
  (import "env" "ext_default_child_storage_clear_prefix_version_3" (func $cclear3 (param i64 i64 i64 i64) (result i64)))
  (import "env" "ext_default_child_storage_storage_kill_version_4" (func $kill4 (param i64 i64 i64) (result i64)))
  (import "env" "ext_panic_handler_abort_on_panic_version_1" (func $panic (param i64)))
  (import "env" "ext_wasm_tracing_enabled_version_1" (func $t_enabled (param i64) (result i32)))
  (import "env" "ext_wasm_tracing_enter_span_version_1" (func $t_enter (param i64) (result i64)))
  (import "env" "ext_wasm_tracing_exit_version_1" (func $t_exit (param i64)))
  (import "env" "ext_transaction_index_index_version_1" (func $tx_index (param i32 i32 i32)))
  (import "env" "ext_transaction_index_renew_version_1" (func $tx_renew (param i32 i32)))
  (import "env" "ext_storage_proof_size_storage_proof_size_version_1" (func $proof_size (result i64)))
  (import "env" "ext_allocator_malloc_version_1" (func $malloc (param i32) (result i32)))
  (memory (export "memory") 2)
  (global (export "__heap_base") i32 (i32.const 16384))
  ;; "ab" (prefix), Some(1u32) (limit), None (cursor), "c" (child), Some(b"ab") (cursor)
  (data (i32.const 256) "ab")
  (data (i32.const 260) "\01\01\00\00\00")
  (data (i32.const 268) "\00")
  (data (i32.const 272) "c")
  (data (i32.const 276) "\01\08ab")
  (data (i32.const 280) "\07")

  (func $span (param $p i32) (param $n i32) (result i64)
    (i64.or (i64.extend_i32_u (local.get $p))
            (i64.shl (i64.extend_i32_u (local.get $n)) (i64.const 32))))
  (func $u32 (param $p i32) (result i32) (i32.load (local.get $p)))

  ;; input: the data to hash -> 64 bytes
  (func (export "keccak_512") (param $p i32) (param $n i32) (result i64)
    (call $span (call $keccak512 (call $span (local.get $p) (local.get $n))) (i32.const 64)))

  ;; input: selector byte (0 blake2 root v1, 1 keccak root v1, 2 keccak root v2,
  ;; 3 keccak ordered v1, 4 keccak ordered v2), state version byte, SCALE data -> 32 bytes
  (func (export "trie_root") (param $p i32) (param $n i32) (result i64)
    (local $d i64) (local $v i32) (local $r i32)
    (local.set $d (call $span (i32.add (local.get $p) (i32.const 2)) (i32.sub (local.get $n) (i32.const 2))))
    (local.set $v (i32.load8_u offset=1 (local.get $p)))
    (block $done
      (block $s4 (block $s3 (block $s2 (block $s1 (block $s0
        (br_table $s0 $s1 $s2 $s3 $s4 (i32.load8_u (local.get $p))))
        (local.set $r (call $b_root1 (local.get $d))) (br $done))
        (local.set $r (call $k_root1 (local.get $d))) (br $done))
        (local.set $r (call $k_root2 (local.get $d) (local.get $v))) (br $done))
        (local.set $r (call $k_oroot1 (local.get $d))) (br $done))
      (local.set $r (call $k_oroot2 (local.get $d) (local.get $v))))
    (call $span (local.get $r) (i32.const 32)))

  ;; input: selector (0 blake2 v1, 1 blake2 v2, 2 keccak v1, 3 keccak v2), state version,
  ;; root (32), proof length, key length, value length (u32 LE each), proof, key, value
  ;; -> 1 byte, the answer
  (func (export "verify") (param $p i32) (param $n i32) (result i64)
    (local $root i32) (local $proof i64) (local $key i64) (local $val i64) (local $q i32)
    (local $pl i32) (local $kl i32) (local $v i32) (local $r i32) (local $out i32)
    (local.set $v (i32.load8_u offset=1 (local.get $p)))
    (local.set $root (i32.add (local.get $p) (i32.const 2)))
    (local.set $pl (call $u32 (i32.add (local.get $p) (i32.const 34))))
    (local.set $kl (call $u32 (i32.add (local.get $p) (i32.const 38))))
    (local.set $q (i32.add (local.get $p) (i32.const 46)))
    (local.set $proof (call $span (local.get $q) (local.get $pl)))
    (local.set $q (i32.add (local.get $q) (local.get $pl)))
    (local.set $key (call $span (local.get $q) (local.get $kl)))
    (local.set $q (i32.add (local.get $q) (local.get $kl)))
    (local.set $val (call $span (local.get $q) (call $u32 (i32.add (local.get $p) (i32.const 42)))))
    (block $done
      (block $s3 (block $s2 (block $s1 (block $s0
        (br_table $s0 $s1 $s2 $s3 (i32.load8_u (local.get $p))))
        (local.set $r (call $b_ver1 (local.get $root) (local.get $proof) (local.get $key) (local.get $val))) (br $done))
        (local.set $r (call $b_ver2 (local.get $root) (local.get $proof) (local.get $key) (local.get $val) (local.get $v))) (br $done))
        (local.set $r (call $k_ver1 (local.get $root) (local.get $proof) (local.get $key) (local.get $val))) (br $done))
      (local.set $r (call $k_ver2 (local.get $root) (local.get $proof) (local.get $key) (local.get $val) (local.get $v))))
    (local.set $out (call $malloc (i32.const 1)))
    (i32.store8 (local.get $out) (local.get $r))
    (call $span (local.get $out) (i32.const 1)))

  ;; clear_prefix v3 of "ab", limit 1, no cursor -> MultiRemovalResults
  (func (export "clear_prefix_v3") (param $p i32) (param $n i32) (result i64)
    (call $clear3 (call $span (i32.const 256) (i32.const 2)) (call $span (i32.const 260) (i32.const 5))
                  (call $span (i32.const 268) (i32.const 1))))
  ;; the same in child trie "c", with the cursor Some("ab")
  (func (export "child_clear_prefix_v3") (param $p i32) (param $n i32) (result i64)
    (call $cclear3 (call $span (i32.const 272) (i32.const 1)) (call $span (i32.const 256) (i32.const 2))
                   (call $span (i32.const 260) (i32.const 5)) (call $span (i32.const 276) (i32.const 4))))
  ;; storage_kill v4 of child "c", limit 1, no cursor
  (func (export "kill_v4") (param $p i32) (param $n i32) (result i64)
    (call $kill4 (call $span (i32.const 272) (i32.const 1)) (call $span (i32.const 260) (i32.const 5))
                 (call $span (i32.const 268) (i32.const 1))))
  ;; a malformed cursor (Option tag 7)
  (func (export "clear_prefix_bad_cursor") (param $p i32) (param $n i32) (result i64)
    (call $clear3 (call $span (i32.const 256) (i32.const 2)) (call $span (i32.const 260) (i32.const 5))
                  (call $span (i32.const 280) (i32.const 1))))

  ;; input: the panic message; never returns
  (func (export "panic") (param $p i32) (param $n i32) (result i64)
    (call $panic (call $span (local.get $p) (local.get $n)))
    (i64.const 0))

  ;; input: 32 bytes (a context hash) -> proof size (8) ++ enabled (4) ++ span id (8)
  (func (export "misc") (param $p i32) (param $n i32) (result i64)
    (local $out i32) (local $id i64)
    (call $tx_index (i32.const 1) (i32.const 100) (local.get $p))
    (call $tx_renew (i32.const 2) (local.get $p))
    (local.set $out (call $malloc (i32.const 20)))
    (i64.store (local.get $out) (call $proof_size))
    (i32.store offset=8 (local.get $out) (call $t_enabled (call $span (local.get $p) (local.get $n))))
    (local.set $id (call $t_enter (call $span (local.get $p) (local.get $n))))
    (i64.store offset=12 (local.get $out) (local.get $id))
    (call $t_exit (local.get $id))
    (call $span (local.get $out) (i32.const 20)))
  ;; transaction index with a context hash outside the memory: traps
  (func (export "tx_index_oob") (param $p i32) (param $n i32) (result i64)
    (call $tx_index (i32.const 1) (i32.const 100) (i32.const -16))
    (i64.const 0))
)
