# ---- state layer (src/state/, include/bastion_state.h, include/bastion_trie.h) -----------------
# bastion_state: the storage overlay with nested transactions over a backend vtable, the
# in-memory backend, and the Substrate trie root (BLAKE2b-256 from bastion_crypto, SCALE
# compacts from bastion_scale).  Linked into the CLI for `bastion chainspec genesis`.  Tests: CTest state/*.
find_path(BASTION_SODIUM_INCLUDE sodium.h)
find_library(BASTION_SODIUM_LIB sodium)
if(NOT BASTION_SODIUM_INCLUDE OR NOT BASTION_SODIUM_LIB)
  message(FATAL_ERROR "libsodium not found (install libsodium-dev, see scripts/deps.sh)")
endif()
file(GLOB BASTION_STATE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/state/*.c)
add_library(bastion_state STATIC ${BASTION_STATE_SOURCES})
target_include_directories(bastion_state PUBLIC ${CMAKE_SOURCE_DIR}/include)
# bastion_scale: the compact integers of append and the trie codec (src/state/state_util.h).
target_link_libraries(bastion_state PUBLIC bastion_scale bastion_crypto)
target_link_libraries(bastion PRIVATE bastion_state)
target_include_directories(bastion PRIVATE ${BASTION_SODIUM_INCLUDE})

foreach(_bst_state_test trie state)
  add_executable(test_state_${_bst_state_test}
                 ${CMAKE_SOURCE_DIR}/tests/state/test_${_bst_state_test}.c)
  target_link_libraries(test_state_${_bst_state_test} PRIVATE bastion_state)
  add_test(NAME state/${_bst_state_test} COMMAND test_state_${_bst_state_test})
  set_tests_properties(state/${_bst_state_test} PROPERTIES TIMEOUT 300)
endforeach()

add_test(NAME state/chainspec_genesis
         COMMAND ${CMAKE_SOURCE_DIR}/tests/state/chainspec_genesis.sh $<TARGET_FILE:bastion>
                 ${BASTION_SHARED_DIR}/runtimes)
set_tests_properties(state/chainspec_genesis PROPERTIES TIMEOUT 600)
# ---- end of state layer -----------------------------------------------------------------------
