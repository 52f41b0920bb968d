# cmake/contracts.cmake — the smart-contract host: bastion_contracts (src/contracts/,
# include/bastion_contracts.h: pallet-contracts' seal ABI, gas, LMDB state) and its tests
# (tests/contracts/, CTest contracts/NAME).  Included by CMakeLists.txt.
#
#   tests/contracts/*.wat    -> ${CMAKE_BINARY_DIR}/contracts/*.wasm (wat2wasm at build time)
#   tests/contracts/test_contracts.c -> the C driver, CTest contracts/GROUP per test group
# The real ink! contracts are read from ${BASTION_SHARED_DIR}/contracts.

bastion_find_dep(BASTION_LMDB lmdb.h lmdb liblmdb-dev)
file(GLOB BASTION_CONTRACTS_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/contracts/*.c)
# Cryptography only through bastion_crypto (include/bastion_crypto.h): no libsodium or
# libsecp256k1 header here.
bastion_library(bastion_contracts SOURCES ${BASTION_CONTRACTS_SOURCES}
  DEPENDS bastion_engine bastion_pool bastion_scale bastion_crypto ${BASTION_LMDB_LIB}
  PRIVATE_INCLUDES ${BASTION_LMDB_INCLUDE})

# The benchmark driver of bench/contracts.sh (not a test).
add_executable(bastion_contracts_bench ${CMAKE_SOURCE_DIR}/bench/contracts.c)
target_compile_definitions(bastion_contracts_bench PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(bastion_contracts_bench PRIVATE bastion_contracts)
# What instance pooling saves (bench/pool.c; docs/pool.md): contract queries fresh vs pooled and
# instance acquire + reset vs instantiation.  Not a test.
add_executable(bastion_pool_bench ${CMAKE_SOURCE_DIR}/bench/pool.c)
target_compile_definitions(bastion_pool_bench PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(bastion_pool_bench PRIVATE bastion_contracts bastion_pool)

if(NOT BASTION_WAT2WASM)
  message(WARNING "wat2wasm not found: contracts tests not registered")
  return()
endif()

set(BASTION_CONTRACTS_WASM_DIR ${CMAKE_BINARY_DIR}/contracts)
file(GLOB _bst_ctr_wats CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/contracts/*.wat)
bastion_assemble_wat(contracts_wasm ${BASTION_CONTRACTS_WASM_DIR} DEBUG_NAMES ${_bst_ctr_wats})

# The setup the three C drivers below share (temporary state, fixture reading, exec requests);
# an object library, not a static one: it is test code, not part of what hostile/no_global_state
# checks.
add_library(contracts_test_util OBJECT ${CMAKE_SOURCE_DIR}/tests/contracts/contracts_test_util.c)
target_link_libraries(contracts_test_util PUBLIC bastion_contracts)

# The C driver: one executable, one CTest per group (`test_contracts GROUP`).
add_executable(test_contracts ${CMAKE_SOURCE_DIR}/tests/contracts/test_contracts.c)
target_compile_definitions(test_contracts PRIVATE
  CONTRACTS_WASM_DIR="${BASTION_CONTRACTS_WASM_DIR}"
  SHARED_CONTRACTS_DIR="${BASTION_SHARED_DIR}/contracts")
target_link_libraries(test_contracts PRIVATE contracts_test_util)
add_dependencies(test_contracts contracts_wasm)
foreach(_group flipper_v5 flipper_v4 erc20_v5 v0 hostile rejects imports nested crypto probe fuzz mapfull kill9
               regress pool generations weight)
  add_test(NAME contracts/${_group} COMMAND test_contracts ${_group})
  set_tests_properties(contracts/${_group} PROPERTIES TIMEOUT 600)
endforeach()

# Balances, the existential deposit and storage deposits with u64 balances, and our versions of
# pallet-contracts' WAT fixtures that need them (tests/contracts/balances/*.wat): CTest
# contracts/balances_GROUP.
set(BASTION_BALANCES_WASM_DIR ${CMAKE_BINARY_DIR}/contracts/balances)
file(GLOB _bst_bal_wats CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/contracts/balances/*.wat)
bastion_assemble_wat(contracts_balances_wasm ${BASTION_BALANCES_WASM_DIR} DEBUG_NAMES ${_bst_bal_wats})
add_executable(test_balances ${CMAKE_SOURCE_DIR}/tests/contracts/test_balances.c)
target_compile_definitions(test_balances PRIVATE BALANCES_WASM_DIR="${BASTION_BALANCES_WASM_DIR}")
target_link_libraries(test_balances PRIVATE contracts_test_util)
add_dependencies(test_balances contracts_balances_wasm)
foreach(_group width drain transfer_return_code call_return_code self_destruct destroy_and_transfer
               caller_contract deposits)
  add_test(NAME contracts/balances_${_group} COMMAND test_balances ${_group})
  set_tests_properties(contracts/balances_${_group} PROPERTIES TIMEOUT 300)
endforeach()

# The behaviour pallet-contracts' own tests assert for their fixtures (tests/contracts/pc_*.wat):
# chain extensions, runtime calls, delegate_call / set_code_hash / sr25519_verify.
add_executable(test_pallet_fixtures ${CMAKE_SOURCE_DIR}/tests/contracts/test_pallet_fixtures.c)
target_compile_definitions(test_pallet_fixtures PRIVATE
  CONTRACTS_WASM_DIR="${BASTION_CONTRACTS_WASM_DIR}")
target_link_libraries(test_pallet_fixtures PRIVATE contracts_test_util)
add_dependencies(test_pallet_fixtures contracts_wasm)
foreach(_group chain_ext runtime_call fixtures)
  add_test(NAME contracts/${_group} COMMAND test_pallet_fixtures ${_group})
  set_tests_properties(contracts/${_group} PROPERTIES TIMEOUT 300)
endforeach()

# `bastion contract` through the CLI (tests/contracts/*.sh, each in a fresh mktemp -d state
# directory; lib.sh is their shared helper): CTest contracts/cli_*.
set(_bst_cli_ctr ${CMAKE_SOURCE_DIR}/tests/contracts)
add_test(NAME contracts/cli_flipper_v5
         COMMAND sh ${_bst_cli_ctr}/flipper.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts v5)
add_test(NAME contracts/cli_flipper_v4
         COMMAND sh ${_bst_cli_ctr}/flipper.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts v4)
add_test(NAME contracts/cli_erc20_v5
         COMMAND sh ${_bst_cli_ctr}/erc20.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts)
add_test(NAME contracts/cli_v0
         COMMAND sh ${_bst_cli_ctr}/v0.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts)
add_test(NAME contracts/cli_codec
         COMMAND sh ${_bst_cli_ctr}/codec.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts)
add_test(NAME contracts/cli_raw
         COMMAND sh ${_bst_cli_ctr}/raw.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts
                 ${BASTION_WAT2WASM})
add_test(NAME contracts/cli_state
         COMMAND sh ${_bst_cli_ctr}/state.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts)
add_test(NAME contracts/cli_bundle
         COMMAND sh ${_bst_cli_ctr}/bundle.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts)
add_test(NAME contracts/cli_json
         COMMAND sh ${_bst_cli_ctr}/json.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts)
add_test(NAME contracts/cli_balances
         COMMAND sh ${_bst_cli_ctr}/balances.sh $<TARGET_FILE:bastion> ${BASTION_SHARED_DIR}/contracts
                 ${BASTION_BALANCES_WASM_DIR}/store.wasm)
set_tests_properties(contracts/cli_balances PROPERTIES TIMEOUT 300)
# The CLI with the contracts assembled here: an ink! 3.0-rc2-shaped factory instantiating and
# calling another by code hash (rc2.sh), and code needing the embedder refused (embedder.sh).
add_test(NAME contracts/cli_rc2
         COMMAND sh ${_bst_cli_ctr}/rc2.sh $<TARGET_FILE:bastion> ${BASTION_CONTRACTS_WASM_DIR})
add_test(NAME contracts/cli_embedder
         COMMAND sh ${_bst_cli_ctr}/embedder.sh $<TARGET_FILE:bastion> ${BASTION_CONTRACTS_WASM_DIR})
set_tests_properties(contracts/cli_rc2 contracts/cli_embedder PROPERTIES TIMEOUT 300)
set_tests_properties(contracts/cli_flipper_v5 contracts/cli_flipper_v4 contracts/cli_erc20_v5
                     contracts/cli_v0 contracts/cli_codec contracts/cli_raw contracts/cli_state
                     contracts/cli_bundle contracts/cli_json PROPERTIES TIMEOUT 300)
