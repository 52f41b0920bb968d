# ---- state layer (src/state/, include/bastion_state.h, bastion_trie.h, bastion_triedb.h) -------
# bastion_state: the storage overlay with nested transactions over a backend vtable, the
# in-memory and proof backends, the persistent trie store (LMDB), and the Substrate trie root
# (BLAKE2b-256 from bastion_crypto, SCALE compacts from bastion_scale).  Tests: CTest state/*.
file(GLOB BASTION_STATE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/state/*.c)
# bastion_scale: the compact integers of append and the trie codec (src/state/state_util.h).
# liblmdb: the persistent trie store (src/state/triedb.c, include/bastion_triedb.h).
bastion_find_dep(BASTION_LMDB lmdb.h lmdb liblmdb-dev)
bastion_library(bastion_state SOURCES ${BASTION_STATE_SOURCES}
  DEPENDS bastion_scale bastion_crypto ${BASTION_LMDB_LIB}
  PRIVATE_INCLUDES ${BASTION_LMDB_INCLUDE})

foreach(_bst_state_test trie state proof)
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
