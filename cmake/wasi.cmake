# cmake/wasi.cmake — WASI preview1: bastion_wasi (src/wasi/, include/bastion_wasi.h), the
# wasi_snapshot_preview1 / wasi_unstable host functions over the public API with a pre-open
# file-system sandbox, and its tests (tests/wasi/wasi.cmake: programs built with
# clang --target=wasm32-wasi and wat2wasm, and the ../shared/bench WASI programs; CTest wasi/NAME).

file(GLOB BASTION_WASI_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/wasi/*.c)
bastion_library(bastion_wasi SOURCES ${BASTION_WASI_SOURCES} DEPENDS bastion_engine)
include(${CMAKE_SOURCE_DIR}/tests/wasi/wasi.cmake)
