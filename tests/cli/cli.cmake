# tests/cli/cli.cmake — CLI tests of `bastion run --timeout-ms` against WASI calls that block in
# the host (CTest cli/timeout_CASE; see tests/cli/timeout.sh), included from CMakeLists.txt.
#
#   tests/cli/blocking.wat -> ${CMAKE_BINARY_DIR}/cli/blocking.wasm   (wat2wasm --debug-names)

find_program(BASTION_WAT2WASM wat2wasm)
if(NOT BASTION_WAT2WASM)
  message(WARNING "wat2wasm not found: cli/timeout_* tests not registered")
  return()
endif()

set(_cli_out ${CMAKE_BINARY_DIR}/cli)
add_custom_command(
  OUTPUT ${_cli_out}/blocking.wasm
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_cli_out}
  COMMAND ${BASTION_WAT2WASM} --debug-names ${CMAKE_SOURCE_DIR}/tests/cli/blocking.wat
          -o ${_cli_out}/blocking.wasm
  DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/blocking.wat
  COMMENT "wat2wasm cli/blocking.wat" VERBATIM)
add_custom_target(bastion_cli_wasm ALL DEPENDS ${_cli_out}/blocking.wasm)

foreach(_case read_fifo read_pipe write_stalled open_fifo poll_sleep read_ready read_nonblocking)
  add_test(NAME cli/timeout_${_case}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/timeout.sh $<TARGET_FILE:bastion>
                   ${_cli_out}/blocking.wasm ${_cli_out}/work/${_case} ${_case})
  set_tests_properties(cli/timeout_${_case} PROPERTIES TIMEOUT 120)
endforeach()
