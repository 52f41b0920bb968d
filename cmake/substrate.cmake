# cmake/substrate.cmake — the Substrate runtime host: bastion_substrate (src/substrate/,
# include/bastion_substrate.h, include/bastion_alloc.h: code blobs (zstd), instantiation with
# every ext_* import from the host table, runtime API calls, the freeing-bump allocator) and its
# tests (tests/substrate/, CTest substrate/NAME), plus the runtime cold-path tool of
# bench/runtime_coldstart.sh.

bastion_find_dep(BASTION_ZSTD zstd.h zstd libzstd-dev)
file(GLOB BASTION_SUBSTRATE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/substrate/*.c)
bastion_library(bastion_substrate SOURCES ${BASTION_SUBSTRATE_SOURCES}
  DEPENDS bastion_engine bastion_pool bastion_scale bastion_state bastion_crypto ${BASTION_ZSTD_LIB}
  PRIVATE_INCLUDES ${BASTION_ZSTD_INCLUDE})

set(_sub_wasm ${CMAKE_BINARY_DIR}/substrate-wasm)

# substrate_test(NAME SOURCE [ARGS...]): a C test over the library, CTest substrate/NAME.
function(substrate_test name src)
  add_executable(test_substrate_${name} ${CMAKE_SOURCE_DIR}/tests/substrate/${src})
  target_compile_definitions(test_substrate_${name} PRIVATE _POSIX_C_SOURCE=200809L
                             SUBSTRATE_WASM_DIR="${_sub_wasm}")
  target_link_libraries(test_substrate_${name} PRIVATE bastion_substrate Threads::Threads)
  add_test(NAME substrate/${name} COMMAND test_substrate_${name} ${ARGN})
  set_tests_properties(substrate/${name} PROPERTIES TIMEOUT 300)
endfunction()

# The freeing-bump allocator.
substrate_test(allocator test_allocator.c)
# Substrate's executor test runtime (sc_runtime_test.wasm) against the results of Substrate's
# own executor integration tests.
substrate_test(runtime_test test_runtime_test.c ${BASTION_SHARED_DIR}/runtimes)
# The import table (src/substrate/host_table.h, whose list the test reads): every row links
# with its signature, any other type is refused, other names are unknown.
substrate_test(host_table test_host_table.c)
target_include_directories(test_substrate_host_table PRIVATE ${CMAKE_SOURCE_DIR}/src/substrate)
# Substrate's parallel_execution: runtimes on 8 threads at once (also in the TSan stage).
substrate_test(parallel test_parallel.c ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(substrate/parallel PROPERTIES LABELS tsan)
# The sandbox host functions (host_sandbox.c) through the same runtime, with the modules of
# Substrate's sandbox.rs (tests/substrate/sandbox_*.wat, assembled into substrate-wasm/).
if(BASTION_WAT2WASM)
  file(GLOB _sub_sandbox_wats CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/substrate/sandbox_*.wat)
  bastion_assemble_wat(substrate_sandbox_wasm ${_sub_wasm} ${_sub_sandbox_wats})
  substrate_test(sandbox test_sandbox.c ${BASTION_SHARED_DIR}/runtimes)
  add_dependencies(test_substrate_sandbox substrate_sandbox_wasm)
  # The host functions no shared runtime imports (keccak tries, proofs, cursors, panics,
  # tracing, transaction index, proof size), through a runtime of our own.
  bastion_assemble_wat(substrate_host_extra_wasm ${_sub_wasm}
                       ${CMAKE_SOURCE_DIR}/tests/substrate/host_extra.wat)
  substrate_test(host_extra test_host_extra.c)
  add_dependencies(test_substrate_host_extra substrate_host_extra_wasm)
else()
  message(WARNING "wat2wasm not found: substrate/sandbox not registered")
endif()
# Signed extrinsics (bastion_extrinsic.h) on the node-template local testnet's genesis: validated,
# applied in block 1 with the balances checked, refused with the runtime's reasons; Rococo's
# genesis runtime; malformed metadata.  The test reads the chain specs with jansson.
bastion_find_dep(BASTION_JANSSON jansson.h jansson libjansson-dev)
substrate_test(extrinsic test_extrinsic.c ${BASTION_SHARED_DIR}/runtimes)
target_include_directories(test_substrate_extrinsic PRIVATE ${BASTION_JANSSON_INCLUDE})
target_link_libraries(test_substrate_extrinsic PRIVATE ${BASTION_JANSSON_LIB})
# The same builder on metadata V14 and V15 written by the test: known answers (ed25519 signs
# deterministically), types that decide the encoding, refusals.
substrate_test(extrinsic_synth test_extrinsic_synth.c)
# `bastion runtime transfer-tx`: its extrinsic validated by the runtime, --validate's verdicts,
# misuse.
add_test(NAME substrate/transfer_tx
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/substrate/transfer_tx.sh $<TARGET_FILE:bastion>
                 ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(substrate/transfer_tx PROPERTIES TIMEOUT 300)
# Merkle proofs: record a call's proof on a chain spec, replay it alone, prune it.
add_test(NAME substrate/proof
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/substrate/proof.sh $<TARGET_FILE:bastion>
                 ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(substrate/proof PROPERTIES TIMEOUT 300)
# `bastion runtime version` on the shared runtimes.
add_test(NAME substrate/runtime_version
         COMMAND ${CMAKE_SOURCE_DIR}/tests/substrate/runtime_version.sh $<TARGET_FILE:bastion>
                 ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(substrate/runtime_version PROPERTIES TIMEOUT 300)

# Cold path of a runtime (decompress, compile, instantiate, Core_version): a measuring tool for
# bench/runtime_coldstart.sh, not a test.
add_executable(bastion_runtime_coldstart ${CMAKE_SOURCE_DIR}/bench/runtime_coldstart.c)
target_compile_definitions(bastion_runtime_coldstart PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(bastion_runtime_coldstart PRIVATE bastion_substrate)
