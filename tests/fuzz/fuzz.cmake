# tests/fuzz/fuzz.cmake — the fuzzing that runs in every build (docs/sandbox.md, "Fuzzing"),
# included by cmake/fuzz.cmake after every library target is defined.  (The libFuzzer targets
# themselves are built by the BASTION_FUZZ block of cmake/fuzz.cmake.)
#
#   fuzz/corpus_NAME   replay_NAME: tests/fuzz/fuzz_NAME.c with tests/fuzz/replay.c instead of
#                      libFuzzer, run once over the kept corpus tests/fuzz/corpus/NAME/
#   fuzz/libfuzzer_corpus_NAME   (BASTION_FUZZ=ON only) the libFuzzer binary over the same corpus
#   fuzz/diff_smoke    tests/fuzz/diff/run.py for BASTION_DIFF_SMOKE_SECONDS: random binaryen
#                      modules under Bastion (bastion_diff) and V8 (node), traces compared
#   fuzz/diff_selftest the comparison must catch a difference (a Bastion whose trace is altered)
#
# All are labelled `fuzz`; the differential ones also `diff` (ctest -L diff).

set(BASTION_FUZZ_TARGETS module scale metadata runtime_blob state contract_upload sign dwarf_line)
set(BASTION_CORPUS_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus)

foreach(_name IN LISTS BASTION_FUZZ_TARGETS)
  add_executable(replay_${_name} ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_${_name}.c
                 ${CMAKE_SOURCE_DIR}/tests/fuzz/replay.c)
  target_include_directories(replay_${_name} PRIVATE ${BASTION_ZSTD_INCLUDE})
  target_link_libraries(replay_${_name} PRIVATE bastion_substrate bastion_contracts bastion_sign
                        ${BASTION_ZSTD_LIB} m)
  add_test(NAME fuzz/corpus_${_name}
           COMMAND replay_${_name} ${BASTION_CORPUS_DIR}/${_name})
  set_tests_properties(fuzz/corpus_${_name} PROPERTIES TIMEOUT 300 LABELS fuzz)
  if(BASTION_FUZZ)
    # -runs=0: run the corpus once, no mutation.
    add_test(NAME fuzz/libfuzzer_corpus_${_name}
             COMMAND fuzz_${_name} -runs=0 ${BASTION_CORPUS_DIR}/${_name})
    set_tests_properties(fuzz/libfuzzer_corpus_${_name} PROPERTIES TIMEOUT 300 LABELS fuzz)
  endif()
endforeach()

# ---- differential fuzzing against V8 ------------------------------------------------------------
add_executable(bastion_diff ${CMAKE_SOURCE_DIR}/tests/fuzz/diff/bastion_diff.c)
target_link_libraries(bastion_diff PRIVATE bastion_engine m)

set(BASTION_DIFF_SMOKE_SECONDS 60 CACHE STRING
    "Seconds of differential fuzzing in CTest fuzz/diff_smoke (0: test not registered)")
set(_bst_diff_run ${CMAKE_SOURCE_DIR}/tests/fuzz/diff/run.py)
if(BASTION_DIFF_SMOKE_SECONDS GREATER 0)
  # No fixed seed: each run tries new modules; the seed is printed for reproduction.  Without
  # binaryen or node the test fails saying so (scripts/deps.sh installs both).
  add_test(NAME fuzz/diff_smoke
           COMMAND ${_bst_diff_run} --seconds ${BASTION_DIFF_SMOKE_SECONDS}
                   --bastion $<TARGET_FILE:bastion_diff> --out ${CMAKE_BINARY_DIR}/fuzz-diff)
  math(EXPR _bst_diff_timeout "${BASTION_DIFF_SMOKE_SECONDS} + 300")
  set_tests_properties(fuzz/diff_smoke PROPERTIES TIMEOUT ${_bst_diff_timeout}
                       LABELS "fuzz;diff")
endif()
add_test(NAME fuzz/diff_selftest
         COMMAND ${CMAKE_SOURCE_DIR}/tests/fuzz/diff/selftest.sh ${_bst_diff_run}
                 $<TARGET_FILE:bastion_diff> ${CMAKE_BINARY_DIR}/fuzz-diff-selftest)
set_tests_properties(fuzz/diff_selftest PROPERTIES TIMEOUT 300 LABELS "fuzz;diff")
