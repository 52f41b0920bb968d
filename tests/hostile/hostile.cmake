# tests/hostile/hostile.cmake — the sandbox test suite ("hostile guests"), included by
# cmake/engine.cmake.
#
#   tests/hostile/*.wat  -> ${CMAKE_BINARY_DIR}/hostile/*.wasm   (wat2wasm --debug-names)
#   tests/hostile/*.c    -> one executable each, CTest name hostile/<name>
#   no_global_state.sh   -> hostile/no_global_state: nm over the static libraries
#
# Tests labelled `tsan` are the ones the ThreadSanitizer CI stage runs (ctest -L tsan).

if(NOT BASTION_WAT2WASM)
  message(WARNING "wat2wasm not found: hostile tests not registered")
  return()
endif()

set(BASTION_HOSTILE_DIR ${CMAKE_SOURCE_DIR}/tests/hostile)
set(BASTION_HOSTILE_WASM_DIR ${CMAKE_BINARY_DIR}/hostile)
file(GLOB _bst_hostile_wats CONFIGURE_DEPENDS ${BASTION_HOSTILE_DIR}/*.wat)
bastion_assemble_wat(hostile_wasm ${BASTION_HOSTILE_WASM_DIR} DEBUG_NAMES ${_bst_hostile_wats})

file(GLOB _bst_hostile_tests CONFIGURE_DEPENDS ${BASTION_HOSTILE_DIR}/*.c)
foreach(_src IN LISTS _bst_hostile_tests)
  get_filename_component(_name ${_src} NAME_WE)
  set(_target hostile_${_name})
  add_executable(${_target} ${_src})
  target_compile_definitions(${_target} PRIVATE HOSTILE_WASM_DIR="${BASTION_HOSTILE_WASM_DIR}")
  target_link_libraries(${_target} PRIVATE bastion_engine Threads::Threads)
  add_dependencies(${_target} hostile_wasm)
  add_test(NAME hostile/${_name} COMMAND ${_target})
  set_tests_properties(hostile/${_name} PROPERTIES TIMEOUT 300)
endforeach()

# No mutable global state: every static library of the project, checked with nm.  Registered
# once the top directory is fully processed (deferred), so libraries defined after this file is
# included (bastion_wasi, ...) are checked too.
if(BASTION_SANITIZE)
  set(_bst_nm_mode sanitized)
else()
  set(_bst_nm_mode plain)
endif()
function(bst_register_no_global_state)
  get_property(_targets DIRECTORY ${CMAKE_SOURCE_DIR} PROPERTY BUILDSYSTEM_TARGETS)
  set(_libs)
  foreach(_t IN LISTS _targets)
    get_target_property(_type ${_t} TYPE)
    if(_type STREQUAL "STATIC_LIBRARY" AND NOT _t MATCHES "canary$")
      list(APPEND _libs $<TARGET_FILE:${_t}>)
    endif()
  endforeach()
  add_test(NAME hostile/no_global_state
           COMMAND ${BASTION_HOSTILE_DIR}/no_global_state.sh ${CMAKE_NM} ${_bst_nm_mode}
                   ${BASTION_HOSTILE_DIR}/global_state_allowlist.txt ${_libs})
  set_tests_properties(hostile/no_global_state PROPERTIES TIMEOUT 60)
endfunction()
if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.19)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL bst_register_no_global_state)
else()
  bst_register_no_global_state()
endif()

# The ThreadSanitizer stage: the multi-threaded tests plus a few spec files.
set(_bst_tsan_tests hostile/threads hostile/interrupt hostile/timeouts hostile/isolation
    spec/fac spec/call_indirect spec/memory_grow spec/br_table)
foreach(_t IN LISTS _bst_tsan_tests)
  if(TEST ${_t})
    set_property(TEST ${_t} APPEND PROPERTY LABELS tsan)
  endif()
endforeach()

# The checker must notice real mutable state: a canary library with a .bss and a .data global
# has to make it fail.
add_library(bst_global_state_canary STATIC ${BASTION_HOSTILE_DIR}/canary/global_state_canary.c)
add_test(NAME hostile/no_global_state_canary
         COMMAND ${BASTION_HOSTILE_DIR}/no_global_state.sh ${CMAKE_NM} ${_bst_nm_mode}
                 ${BASTION_HOSTILE_DIR}/global_state_allowlist.txt
                 $<TARGET_FILE:bst_global_state_canary>)
set_tests_properties(hostile/no_global_state_canary PROPERTIES WILL_FAIL TRUE TIMEOUT 60)
