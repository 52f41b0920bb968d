# cmake/serve.cmake — the multi-tenant HTTP service: bastion_serve (src/serve/,
# include/bastion_serve.h: `bastion serve` on libmicrohttpd and jansson, over the pool,
# contracts and sign layers) and its tests (tests/serve/, CTest serve/NAME: a real server on port 0
# driven with curl).  Included by CMakeLists.txt.

bastion_find_dep(BASTION_MHD microhttpd.h microhttpd libmicrohttpd-dev)
bastion_find_dep(BASTION_JANSSON jansson.h jansson libjansson-dev)
file(GLOB BASTION_SERVE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/serve/*.c)
bastion_library(bastion_serve SOURCES ${BASTION_SERVE_SOURCES}
  DEPENDS bastion_pool bastion_contracts bastion_sign bastion_engine bastion_crypto bastion_scale ${BASTION_MHD_LIB}
          ${BASTION_JANSSON_LIB} Threads::Threads
  PRIVATE_INCLUDES ${BASTION_MHD_INCLUDE} ${BASTION_JANSSON_INCLUDE})
target_compile_definitions(bastion_serve_objects PRIVATE _POSIX_C_SOURCE=200809L)

if(NOT BASTION_WAT2WASM)
  message(WARNING "wat2wasm not found: serve tests not registered")
  return()
endif()
# tests/serve/*.wat -> ${CMAKE_BINARY_DIR}/serve/*.wasm: the plain modules the tests invoke.
set(_bst_serve_wasm ${CMAKE_BINARY_DIR}/serve)
file(GLOB _bst_serve_wats CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/serve/*.wat)
bastion_assemble_wat(serve_wasm ${_bst_serve_wasm} ${_bst_serve_wats})

# Each test starts `bastion serve` on port 0 and drives it with curl; its time limits are
# multiplied by the scale (sanitizers make calls several times slower).
if(BASTION_SANITIZE)
  set(_bst_serve_scale 4)
else()
  set(_bst_serve_scale 1)
endif()
set(_bst_serve_tests ${CMAKE_SOURCE_DIR}/tests/serve)
set(_bst_serve_common $<TARGET_FILE:bastion> ${_bst_serve_scale})
add_test(NAME serve/api
         COMMAND bash ${_bst_serve_tests}/api.sh ${_bst_serve_common} ${BASTION_SHARED_DIR}/contracts
                 ${_bst_serve_wasm}/compute.wasm)
set_tests_properties(serve/api PROPERTIES TIMEOUT 300)
add_test(NAME serve/quotas
         COMMAND bash ${_bst_serve_tests}/quotas.sh ${_bst_serve_common} ${_bst_serve_wasm}/compute.wasm
                 ${_bst_serve_wasm}/bigmem.wasm ${CMAKE_BINARY_DIR}/contracts/hostile.wasm)
set_tests_properties(serve/quotas PROPERTIES TIMEOUT 300)
add_test(NAME serve/kill9
         COMMAND bash ${_bst_serve_tests}/kill9.sh ${_bst_serve_common} ${BASTION_SHARED_DIR}/contracts)
add_test(NAME serve/reset
         COMMAND bash ${_bst_serve_tests}/reset.sh ${_bst_serve_common} ${_bst_serve_wasm}/compute.wasm)
add_test(NAME serve/shutdown
         COMMAND bash ${_bst_serve_tests}/shutdown.sh ${_bst_serve_common} ${_bst_serve_wasm}/compute.wasm)
add_test(NAME serve/cli COMMAND bash ${_bst_serve_tests}/cli.sh ${_bst_serve_common})
find_program(BASTION_MINISIGN minisign)
if(NOT BASTION_MINISIGN)
  set(BASTION_MINISIGN minisign) # the test fails saying it is missing (scripts/deps.sh)
endif()
add_test(NAME serve/signing
         COMMAND bash ${_bst_serve_tests}/signing.sh ${_bst_serve_common} ${BASTION_SHARED_DIR}/contracts
                 ${_bst_serve_wasm}/compute.wasm ${BASTION_MINISIGN})
set_tests_properties(serve/kill9 serve/reset serve/shutdown serve/cli serve/signing PROPERTIES TIMEOUT 300)
