# tests/wasi/wasi.cmake — CTest cases wasi/NAME for the WASI layer, included from CMakeLists.txt.
#
# Test programs: tests/wasi/*.c are compiled with clang --target=wasm32-wasi (Debian packages
# wasi-libc, libclang-rt-dev-wasm32, lld; see scripts/deps.sh), tests/wasi/*.wat with wat2wasm,
# into ${CMAKE_BINARY_DIR}/wasi.  The ../shared/bench WASI programs run with short inputs.  Every
# case is a run.sh invocation, except wasi/table (a native program over the C API).

set(_wasi_out ${CMAKE_BINARY_DIR}/wasi)
set(_wasi_run ${CMAKE_SOURCE_DIR}/tests/wasi/run.sh)
file(MAKE_DIRECTORY ${_wasi_out})

# Can clang build WASI programs here?
find_program(BASTION_WASI_CLANG NAMES clang clang-19 clang-16 clang-14)
set(_wasi_c_ok OFF)
if(BASTION_WASI_CLANG)
  file(WRITE ${_wasi_out}/probe.c "#include <stdio.h>\nint main(void) { puts(\"x\"); return 0; }\n")
  execute_process(
    COMMAND ${BASTION_WASI_CLANG} --target=wasm32-wasi -O2 ${_wasi_out}/probe.c
            -o ${_wasi_out}/probe.wasm
    RESULT_VARIABLE _wasi_probe OUTPUT_QUIET ERROR_QUIET)
  if(_wasi_probe EQUAL 0)
    set(_wasi_c_ok ON)
  endif()
endif()
find_program(BASTION_WAT2WASM wat2wasm)

set(_wasi_programs)
set(_wasi_cases)
if(_wasi_c_ok)
  foreach(_p basic fs sandbox garbage)
    add_custom_command(
      OUTPUT ${_wasi_out}/${_p}.wasm
      COMMAND ${BASTION_WASI_CLANG} --target=wasm32-wasi -O2 -Wall -Wextra -Werror
              -o ${_wasi_out}/${_p}.wasm ${CMAKE_SOURCE_DIR}/tests/wasi/${_p}.c
      DEPENDS ${CMAKE_SOURCE_DIR}/tests/wasi/${_p}.c
      COMMENT "wasm32-wasi: ${_p}.wasm" VERBATIM)
    list(APPEND _wasi_programs ${_wasi_out}/${_p}.wasm)
    list(APPEND _wasi_cases ${_p})
  endforeach()
else()
  message(WARNING "clang cannot build wasm32-wasi programs (install wasi-libc, "
                  "libclang-rt-dev-wasm32, lld): WASI test programs not registered")
endif()
if(BASTION_WAT2WASM)
  foreach(_p unstable unresolved)
    add_custom_command(
      OUTPUT ${_wasi_out}/${_p}.wasm
      COMMAND ${BASTION_WAT2WASM} ${CMAKE_SOURCE_DIR}/tests/wasi/${_p}.wat
              -o ${_wasi_out}/${_p}.wasm
      DEPENDS ${CMAKE_SOURCE_DIR}/tests/wasi/${_p}.wat
      COMMENT "wat2wasm: ${_p}.wasm" VERBATIM)
    list(APPEND _wasi_programs ${_wasi_out}/${_p}.wasm)
    list(APPEND _wasi_cases ${_p})
  endforeach()
else()
  message(WARNING "wat2wasm not found: WASI .wat tests not registered")
endif()
if(_wasi_programs)
  add_custom_target(bastion_wasi_programs ALL DEPENDS ${_wasi_programs})
endif()

# The shared benchmark programs, with inputs small enough for a few seconds each (the ASan build
# is several times slower).  coremark-minimal has a fixed ~15 s workload: sanitizer-free builds only.
list(APPEND _wasi_cases c-ray mandel smallpt brotli)
if(NOT BASTION_SANITIZE)
  list(APPEND _wasi_cases coremark-minimal)
endif()

foreach(_case IN LISTS _wasi_cases)
  add_test(NAME wasi/${_case}
           COMMAND bash ${_wasi_run} $<TARGET_FILE:bastion> ${_wasi_out} ${BASTION_SHARED_DIR}/bench
                   ${_wasi_out}/work/${_case} ${_case})
  set_tests_properties(wasi/${_case} PROPERTIES TIMEOUT 300)
endforeach()

# The function list (src/wasi/wasi_table.h, which the test reads) through bst_wasi_link: every
# row links in both namespaces and reaches its function, any other type is refused, other names
# are unknown.  A native program, not a WASI one.
add_executable(test_wasi_table ${CMAKE_SOURCE_DIR}/tests/wasi/test_wasi_table.c)
target_include_directories(test_wasi_table PRIVATE ${CMAKE_SOURCE_DIR}/src/wasi)
target_link_libraries(test_wasi_table PRIVATE bastion_wasi)
add_test(NAME wasi/table COMMAND test_wasi_table)
set_tests_properties(wasi/table PROPERTIES TIMEOUT 300)
