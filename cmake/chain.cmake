# cmake/chain.cmake — the local development chain: bastion_chain (src/chain/,
# include/bastion_chain.h: blocks and states in a bst_triedb, genesis, Aura block authoring
# and import, read-only calls at a block) and its tests (tests/chain/, CTest chain/NAME: the
# `bastion chain` commands on ../shared/runtimes/node-template-local.json).  Included by
# CMakeLists.txt.

file(GLOB BASTION_CHAIN_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/chain/*.c)
bastion_library(bastion_chain SOURCES ${BASTION_CHAIN_SOURCES}
  DEPENDS bastion_substrate bastion_state bastion_scale bastion_crypto)

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
