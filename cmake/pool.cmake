# cmake/pool.cmake — instance pools and tenant quotas: bastion_pool (src/pool/,
# include/bastion_pool.h; docs/pool.md) and its tests (tests/pool/, CTest pool/NAME).  It uses
# only the engine (and POSIX threads: the CPU watchdog).

file(GLOB BASTION_POOL_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/pool/*.c)
bastion_library(bastion_pool SOURCES ${BASTION_POOL_SOURCES}
  DEPENDS bastion_engine Threads::Threads)

if(NOT BASTION_WAT2WASM)
  message(WARNING "wat2wasm not found: pool tests not registered")
  return()
endif()

set(BASTION_POOL_WASM_DIR ${CMAKE_BINARY_DIR}/pool-wasm)
file(GLOB _bst_pool_wats CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/pool/*.wat
     ${CMAKE_SOURCE_DIR}/tests/hostile/reset.wat)
bastion_assemble_wat(pool_wasm ${BASTION_POOL_WASM_DIR} DEBUG_NAMES ${_bst_pool_wats})

# One executable per tests/pool/test_*.c, CTest pool/NAME.
file(GLOB _bst_pool_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/pool/test_*.c)
foreach(_src IN LISTS _bst_pool_tests)
  get_filename_component(_name ${_src} NAME_WE)
  string(REGEX REPLACE "^test_" "" _short ${_name})
  add_executable(test_pool_${_short} ${_src})
  target_compile_definitions(test_pool_${_short} PRIVATE _POSIX_C_SOURCE=200809L
                             POOL_WASM_DIR="${BASTION_POOL_WASM_DIR}")
  target_link_libraries(test_pool_${_short} PRIVATE bastion_pool Threads::Threads)
  add_dependencies(test_pool_${_short} pool_wasm)
  add_test(NAME pool/${_short} COMMAND test_pool_${_short})
  set_tests_properties(pool/${_short} PROPERTIES TIMEOUT 300)
endforeach()
# The multi-threaded ones also run in the ThreadSanitizer stage (ctest -L tsan).
foreach(_t pool/stress pool/quotas)
  if(TEST ${_t})
    set_property(TEST ${_t} APPEND PROPERTY LABELS tsan)
  endif()
endforeach()
