# cmake/probes.cmake — tests of the USDT probes (src/probes/probes.h, docs/observability.md) and
# of the call statistics (--stats), included last, when every library is defined:
#   probes/notes    — `readelf -n` of bastion and of every layer's static library lists each
#                     probe of the table with provider bastion, its argument count and (in the
#                     executable) a semaphore in .probes; with -DBASTION_PROBES=OFF, that
#                     nothing of them is left (tests/probes/check_notes.py)
#   probes/bpftrace — bpftrace attached to `bastion run` sees the probes fire with the right
#                     arguments; skipped, with the reason, where the kernel does not allow it
#   probes/stats    — the --stats JSON of run, contract call/query and runtime call
#                     (tests/probes/stats.sh, parsed by python3)
#   tests/probes/observe.wat -> ${CMAKE_BINARY_DIR}/probes/observe.wasm  (wat2wasm --debug-names)

find_program(BASTION_READELF NAMES readelf ${CMAKE_READELF})
get_property(_bst_libs GLOBAL PROPERTY BASTION_LIBRARIES)
set(_bst_probe_files $<TARGET_FILE:bastion>)
foreach(_l IN LISTS _bst_libs)
  if(_l MATCHES "^bastion_")
    list(APPEND _bst_probe_files $<TARGET_FILE:${_l}>)
  endif()
endforeach()
if(BASTION_PROBES)
  set(_bst_probe_mode on)
else()
  set(_bst_probe_mode off)
endif()
if(BASTION_READELF)
  add_test(NAME probes/notes
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/probes/check_notes.py
                   ${BASTION_READELF} ${CMAKE_SOURCE_DIR}/src/probes/probes.h
                   ${CMAKE_SOURCE_DIR}/docs/observability.md ${_bst_probe_mode}
                   ${_bst_probe_files})
  set_tests_properties(probes/notes PROPERTIES TIMEOUT 60)
else()
  message(WARNING "readelf not found: probes/notes not registered")
endif()

if(NOT BASTION_WAT2WASM)
  message(WARNING "wat2wasm not found: probes/bpftrace and probes/stats not registered")
  return()
endif()
bastion_assemble_wat(bastion_probes_wasm ${CMAKE_BINARY_DIR}/probes DEBUG_NAMES
                     ${CMAKE_SOURCE_DIR}/tests/probes/observe.wat)
if(BASTION_PROBES)
  find_program(BASTION_BPFTRACE bpftrace)
  # Exit status 77: skipped (no bpftrace, not root, no tracefs, BPF refused), with the reason.
  add_test(NAME probes/bpftrace
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/probes/bpftrace.sh $<TARGET_FILE:bastion>
                   ${CMAKE_BINARY_DIR}/probes/observe.wasm ${BASTION_SHARED_DIR}/bench/fib32.wasm
                   "${BASTION_BPFTRACE}")
  set_tests_properties(probes/bpftrace PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
endif()
add_test(NAME probes/stats
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/probes/stats.py
                 $<TARGET_FILE:bastion> ${CMAKE_BINARY_DIR}/probes/observe.wasm ${BASTION_SHARED_DIR})
set_tests_properties(probes/stats PROPERTIES TIMEOUT 300)
