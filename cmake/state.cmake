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

# The persistent trie store (tests/state/test_triedb.c): one CTest per group.  jansson reads the
# Westend chain spec, liblmdb damages a database on purpose.
bastion_find_dep(BASTION_JANSSON jansson.h jansson libjansson-dev)
add_executable(test_state_triedb ${CMAKE_SOURCE_DIR}/tests/state/test_triedb.c)
target_include_directories(test_state_triedb PRIVATE ${BASTION_JANSSON_INCLUDE}
                                                     ${BASTION_LMDB_INCLUDE})
target_compile_definitions(test_state_triedb PRIVATE
  SHARED_RUNTIMES_DIR="${BASTION_SHARED_DIR}/runtimes")
target_link_libraries(test_state_triedb PRIVATE bastion_state ${BASTION_JANSSON_LIB}
                                                ${BASTION_LMDB_LIB} Threads::Threads)
foreach(_group random westend crash corrupt api threads)
  add_test(NAME state/triedb_${_group} COMMAND test_state_triedb ${_group})
  set_tests_properties(state/triedb_${_group} PROPERTIES TIMEOUT 600)
endforeach()
# Views on other threads while the writer commits: also in the ThreadSanitizer stage.
set_property(TEST state/triedb_threads APPEND PROPERTY LABELS tsan)

# What the incremental root saves (bench/triedb.c; docs/substrate.md, "Persistent state").  Not a
# test: it prints figures.
add_executable(bastion_triedb_bench ${CMAKE_SOURCE_DIR}/bench/triedb.c)
target_link_libraries(bastion_triedb_bench PRIVATE bastion_state)
