# cmake/fuzz.cmake — the libFuzzer targets (tests/fuzz/), built with -DBASTION_FUZZ=ON and clang.
# libFuzzer + ASan + UBSan targets, tests/fuzz/fuzz_NAME.c (docs/sandbox.md, "Fuzzing"):
# fuzz_module (engine: load/instantiate/call), fuzz_scale (SCALE decoder), fuzz_metadata
# (metadata and RuntimeVersion decoders, extrinsics built from metadata), fuzz_runtime_blob
# (zstd code blobs), fuzz_state (the storage overlay against a model), fuzz_contract_upload (contract upload validation + exec) and
# fuzz_sign (signature sections, minisign signatures and keys).
# fuzz_dwarf_line (the DWARF .debug_line reader).
# The layers they use are compiled once more with the fuzzer's instrumentation into
# bastion_fuzz_layers.  Run with a corpus directory, e.g. the .wasm files the spec tests produce:
# ./fuzz_module -max_total_time=300 DIR
option(BASTION_FUZZ "Build the libFuzzer targets (requires clang)" OFF)
if(BASTION_FUZZ)
  set(_bst_fuzz_flags -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer -g)
  file(GLOB _bst_fuzz_layer_src CONFIGURE_DEPENDS
       ${CMAKE_SOURCE_DIR}/src/engine/*.c ${CMAKE_SOURCE_DIR}/src/scale/*.c
       ${CMAKE_SOURCE_DIR}/src/state/*.c ${CMAKE_SOURCE_DIR}/src/crypto/*.c
       ${CMAKE_SOURCE_DIR}/src/substrate/*.c ${CMAKE_SOURCE_DIR}/src/contracts/*.c
       ${CMAKE_SOURCE_DIR}/src/sign/*.c)
  add_library(bastion_fuzz_layers STATIC ${_bst_fuzz_layer_src})
  target_include_directories(bastion_fuzz_layers PUBLIC ${CMAKE_SOURCE_DIR}/include
                             PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(bastion_fuzz_layers PRIVATE -fsanitize=fuzzer-no-link ${_bst_fuzz_flags})
  target_link_libraries(bastion_fuzz_layers PUBLIC sodium secp256k1 xxhash nettle zstd lmdb m)
  foreach(_name module scale metadata runtime_blob state contract_upload sign dwarf_line)
    add_executable(fuzz_${_name} ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_${_name}.c)
    target_compile_options(fuzz_${_name} PRIVATE -fsanitize=fuzzer ${_bst_fuzz_flags})
    target_link_options(fuzz_${_name} PRIVATE -fsanitize=fuzzer ${_bst_fuzz_flags})
    target_link_libraries(fuzz_${_name} PRIVATE bastion_fuzz_layers)
  endforeach()
endif()

# Fuzzing in every build (tests/fuzz/fuzz.cmake): the kept corpora replayed, differential runs
# against V8.
include(${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz.cmake)
