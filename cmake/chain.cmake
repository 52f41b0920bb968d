# cmake/chain.cmake — the local development chain: bastion_chain (src/chain/,
# include/bastion_chain.h: blocks and states in a bst_triedb, genesis, Aura block authoring
# and import, read-only calls at a block) and its tests (tests/chain/, CTest chain/NAME: the
# `bastion chain` commands on ../shared/runtimes/node-template-local.json).  Included by
# CMakeLists.txt.

file(GLOB BASTION_CHAIN_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/chain/*.c)
bastion_library(bastion_chain SOURCES ${BASTION_CHAIN_SOURCES}
  DEPENDS bastion_substrate bastion_state bastion_scale bastion_crypto)

# The shell tests source tests/chain/lib.sh (their shared setup, on tests/support/expect.sh).
set(_bst_chain_tests ${CMAKE_SOURCE_DIR}/tests/chain)
add_test(NAME chain/dev_chain
         COMMAND bash ${_bst_chain_tests}/dev_chain.sh $<TARGET_FILE:bastion>
                 ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(chain/dev_chain PROPERTIES TIMEOUT 600)
# Signed Balances transfers (`chain transfer`, through bastion_extrinsic.h): balances, nonces,
# import into a second database, refused and changed transactions.
add_test(NAME chain/transfers
         COMMAND bash ${_bst_chain_tests}/transfers.sh $<TARGET_FILE:bastion>
                 ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(chain/transfers PROPERTIES TIMEOUT 600)
# The library where the CLI cannot reach: a resealed block with a wrong state root refused by
# the runtime, a process dying at the commit point (fork + the before_commit hook).
bastion_find_dep(BASTION_JANSSON jansson.h jansson libjansson-dev)
add_executable(test_chain ${_bst_chain_tests}/test_chain.c)
target_compile_definitions(test_chain PRIVATE _POSIX_C_SOURCE=200809L)
target_include_directories(test_chain PRIVATE ${BASTION_JANSSON_INCLUDE})
target_link_libraries(test_chain PRIVATE bastion_chain ${BASTION_JANSSON_LIB})
add_test(NAME chain/library COMMAND test_chain ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(chain/library PROPERTIES TIMEOUT 600)
