# cmake/cli.cmake — the `bastion` command (src/cli/), the one place it is linked against the
# layers, and its own tests (CTest cli/NAME): the demo call, the options (tests/cli/cli.sh), the
# limits and input-size bounds (tests/cli/limits.sh) and --timeout-ms against blocking host
# calls (tests/cli/cli.cmake).  The layers' own CLI tests (spec/*, wasi/*, contracts/cli_*, ...)
# are registered by their cmake files.

# JSON input (chain specs, wast2json scripts, ink! metadata) is decoded by jansson, which only
# the CLI links.
bastion_find_dep(BASTION_JANSSON jansson.h jansson libjansson-dev)
file(GLOB BASTION_CLI_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/cli/*.c)
add_executable(bastion ${BASTION_CLI_SOURCES})
target_compile_definitions(bastion PRIVATE _POSIX_C_SOURCE=200809L)
target_include_directories(bastion PRIVATE ${BASTION_JANSSON_INCLUDE})
target_link_libraries(bastion PRIVATE bastion_engine bastion_wasi bastion_scale bastion_crypto
                      bastion_state bastion_substrate bastion_contracts bastion_sign bastion_serve
                      bastion_chain
                      ${BASTION_JANSSON_LIB}
                      Threads::Threads)

add_test(NAME cli/fib
         COMMAND $<TARGET_FILE:bastion> run ${BASTION_SHARED_DIR}/bench/fib32.wasm
                 --invoke fib 30)
set_tests_properties(cli/fib PROPERTIES PASS_REGULAR_EXPRESSION "^832040\n$" TIMEOUT 300)
# The command line itself (tests/cli/cli.sh): --help everywhere, usage errors for options that
# cannot be honoured, text modules, `-` and `--`.  Its modules are assembled by wat2wasm.
if(BASTION_WAT2WASM)
  add_test(NAME cli/options
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/cli.sh $<TARGET_FILE:bastion> ${BASTION_WAT2WASM})
  set_tests_properties(cli/options PROPERTIES TIMEOUT 300)
else()
  message(WARNING "wat2wasm not found: cli/options not registered")
endif()
# The limit options of `bastion run` and the size limit of every input file (tests/cli/limits.sh;
# its peak-RSS bounds are scaled up for a sanitizer's own memory).
if(BASTION_SANITIZE)
  set(_bst_rss_mode sanitized)
else()
  set(_bst_rss_mode plain)
endif()
add_test(NAME cli/limits
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/limits.sh $<TARGET_FILE:bastion> ${_bst_rss_mode})
set_tests_properties(cli/limits PROPERTIES TIMEOUT 300)
# --timeout-ms against host calls that block.
# `bastion key inspect` against published `subkey inspect` outputs (tests/cli/key.sh).
add_test(NAME cli/key COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/key.sh $<TARGET_FILE:bastion>)
set_tests_properties(cli/key PROPERTIES TIMEOUT 120)

include(${CMAKE_SOURCE_DIR}/tests/cli/cli.cmake)
# The guest profiler (--profile) and source lines in trap backtraces, on clang -g programs.
include(${CMAKE_SOURCE_DIR}/tests/profile/profile.cmake)
