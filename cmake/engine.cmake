# cmake/engine.cmake — the WebAssembly engine: bastion_engine (src/engine/, include/bastion.h)
# and its tests: the official spec testsuite (CTest spec/NAME, through `bastion spec`), the unit
# tests (tests/unit/, CTest unit/NAME) and the sandbox suite (tests/hostile/, CTest hostile/NAME).
# It depends on nothing but the C library.

file(GLOB BASTION_ENGINE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/engine/*.c)
bastion_library(bastion_engine SOURCES ${BASTION_ENGINE_SOURCES} DEPENDS m)

# One CTest test per spec .wast file.  SIMD is not supported by Bastion, so simd_*.wast are
# skipped.  The glob is evaluated at configure time (re-run cmake to pick up new files).
file(GLOB BASTION_WAST_FILES ${BASTION_TESTSUITE_DIR}/*.wast)
if(NOT BASTION_WAST_FILES)
  message(WARNING "no .wast files in ${BASTION_TESTSUITE_DIR}; spec tests not registered")
endif()
foreach(_wast IN LISTS BASTION_WAST_FILES)
  get_filename_component(_name ${_wast} NAME_WE)
  if(_name MATCHES "^simd_")
    continue()
  endif()
  add_test(NAME spec/${_name}
           COMMAND ${CMAKE_SOURCE_DIR}/tests/spec/run_wast.sh $<TARGET_FILE:bastion> ${_wast}
                   ${CMAKE_BINARY_DIR}/spec/${_name})
  # A hung engine must fail the test, not stall CI for CTest's default 25 minutes.
  set_tests_properties(spec/${_name} PROPERTIES TIMEOUT 300)
endforeach()

# Unit tests: every tests/unit/test_*.c is its own executable over the public API.
file(GLOB BASTION_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(_src IN LISTS BASTION_UNIT_TESTS)
  get_filename_component(_name ${_src} NAME_WE)
  add_executable(${_name} ${_src})
  target_link_libraries(${_name} PRIVATE bastion_engine)
  add_test(NAME unit/${_name} COMMAND ${_name})
  set_tests_properties(unit/${_name} PROPERTIES TIMEOUT 300)
endforeach()

# Sandbox guarantees: hostile-guest tests (tests/hostile/, see docs/sandbox.md).
include(${CMAKE_SOURCE_DIR}/tests/hostile/hostile.cmake)

# bastion_coldstart times decode + validate + compile (bst_module_new) and instantiation of one
# module and reports peak RSS.  A measuring tool for bench/run, not a test.
add_executable(bastion_coldstart ${CMAKE_SOURCE_DIR}/bench/coldstart.c)
target_compile_definitions(bastion_coldstart PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(bastion_coldstart PRIVATE bastion_engine)

# Fuel invariance: the fuel every benchmark module and tests/fuel/programs.wat use must stay
# what it was before the interpreter's optimisations (metering is consensus; tests/fuel/fuel.sh).
find_program(BASTION_WAT2WASM wat2wasm)
if(BASTION_WAT2WASM)
  add_test(NAME engine/fuel
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/fuel/fuel.sh $<TARGET_FILE:bastion>
                   ${BASTION_SHARED_DIR}/bench ${BASTION_WAT2WASM} ${CMAKE_BINARY_DIR}/fuel)
  set_tests_properties(engine/fuel PROPERTIES TIMEOUT 300)
  # Values carried by branches and returns, where the compiler folds the last move into the
  # instruction producing the value (tests/branchval/).
  add_test(NAME engine/branch_values
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/branchval/branch_values.sh $<TARGET_FILE:bastion>
                   ${BASTION_WAT2WASM})
  # Comparisons fused into the branches that consume them, in every branch shape (tests/cmpbr/).
  add_test(NAME engine/compare_branch
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cmpbr/compare_branch.sh $<TARGET_FILE:bastion>
                   ${BASTION_WAT2WASM})
  # The three-op superinstructions: results with and without metering, trap sites (tests/fused/).
  add_test(NAME engine/fused3
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/fused/fused3.sh $<TARGET_FILE:bastion>
                   ${BASTION_WAT2WASM})
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
  # The chained superinstructions: every variant's result bit for bit, trap sites (tests/fused/).
  # (chained_ops, white-box: links the engine's objects to name the variants the compiler chose)
  add_executable(chained_ops ${CMAKE_SOURCE_DIR}/tests/fused/chained_ops.c)
  target_include_directories(chained_ops PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(chained_ops PRIVATE bastion_engine_objects m)
  add_test(NAME engine/chained
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/fused/chained.py
                   $<TARGET_FILE:bastion> ${BASTION_WAT2WASM} $<TARGET_FILE:chained_ops>)
else()
  message(WARNING "wat2wasm not found: engine/fuel not registered")
endif()
