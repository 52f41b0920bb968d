# tests/profile/profile.cmake — the guest profiler and trap backtraces through the CLI (CTest
# cli/profile, cli/profile_browser, cli/backtrace_lines), included by cmake/cli.cmake.
#
# The test programs are C built at build time with clang --target=wasm32-wasi -g -O1 (so they
# have a name section and DWARF): compiled to an object first and linked without -O, because
# clang runs wasm-opt after an optimising link when it is installed, and wasm-opt drops the
# name section.  trap.c is built twice, with DWARF 4 (clang 14's default) and DWARF 5.

if(NOT _wasi_c_ok)
  message(WARNING "clang cannot build wasm32-wasi programs: cli/profile* tests not registered")
  return()
endif()

set(_prof_out ${CMAKE_BINARY_DIR}/profile)
set(_prof_src ${CMAKE_SOURCE_DIR}/tests/profile)
set(_prof_programs)
foreach(_p hot:4 trap:4 trap:5)
  string(REPLACE ":" ";" _pv ${_p})
  list(GET _pv 0 _name)
  list(GET _pv 1 _dwarf)
  set(_out ${_prof_out}/${_name}_dwarf${_dwarf})
  add_custom_command(
    OUTPUT ${_out}.wasm
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_prof_out}
    COMMAND ${BASTION_WASI_CLANG} --target=wasm32-wasi -gdwarf-${_dwarf} -O1 -Wall -Wextra
            -Werror -c ${_prof_src}/${_name}.c -o ${_out}.o
    COMMAND ${BASTION_WASI_CLANG} --target=wasm32-wasi -g ${_out}.o -o ${_out}.wasm
    DEPENDS ${_prof_src}/${_name}.c
    COMMENT "wasm32-wasi -g: ${_name}_dwarf${_dwarf}.wasm" VERBATIM)
  list(APPEND _prof_programs ${_out}.wasm)
endforeach()
add_custom_target(bastion_profile_programs ALL DEPENDS ${_prof_programs})

add_test(NAME cli/profile
         COMMAND sh ${_prof_src}/profile.sh $<TARGET_FILE:bastion> ${_prof_out}/hot_dwarf4.wasm
                 ${_prof_out}/work/profile)
add_test(NAME cli/backtrace_lines
         COMMAND sh ${_prof_src}/backtrace.sh $<TARGET_FILE:bastion> ${_prof_src}/trap.c
                 ${_prof_out}/trap_dwarf4.wasm ${_prof_out}/trap_dwarf5.wasm)
# The flame graph in a real browser (Debian chromium, scripts/deps.sh); skipped without one.
add_test(NAME cli/profile_browser
         COMMAND sh ${_prof_src}/browser.sh $<TARGET_FILE:bastion> ${_prof_out}/hot_dwarf4.wasm
                 ${_prof_out}/work/browser)
set_tests_properties(cli/profile cli/backtrace_lines cli/profile_browser PROPERTIES TIMEOUT 300)
set_tests_properties(cli/profile_browser PROPERTIES SKIP_RETURN_CODE 77)
