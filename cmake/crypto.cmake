# cmake/crypto.cmake — the bastion_crypto library (src/crypto/, include/bastion_crypto.h) and its
# tests (tests/crypto/, CTest crypto/NAME).  Included by CMakeLists.txt.
#
# Dependencies are Debian packages (scripts/deps.sh): libsodium (BLAKE2b, SHA-2, Ed25519,
# ristretto255), libxxhash (twox), nettle (Keccak-f[1600]) and libsecp256k1 >= 0.2.0 with the
# recovery module (secp256k1_context_static).

bastion_find_dep(BASTION_SODIUM sodium.h sodium libsodium-dev)
bastion_find_dep(BASTION_XXHASH xxhash.h xxhash libxxhash-dev)
bastion_find_dep(BASTION_NETTLE nettle/sha3.h nettle nettle-dev)
bastion_find_dep(BASTION_SECP256K1 secp256k1_recovery.h secp256k1 libsecp256k1-dev)
# secp256k1_context_static (the read-only context used instead of a global one) is 0.2.0+.
include(CheckSymbolExists)
set(CMAKE_REQUIRED_INCLUDES ${BASTION_SECP256K1_INCLUDE})
set(CMAKE_REQUIRED_LIBRARIES ${BASTION_SECP256K1_LIB})
check_symbol_exists(secp256k1_context_static secp256k1.h BASTION_HAVE_SECP256K1_CONTEXT_STATIC)
unset(CMAKE_REQUIRED_INCLUDES)
unset(CMAKE_REQUIRED_LIBRARIES)
if(NOT BASTION_HAVE_SECP256K1_CONTEXT_STATIC)
  message(FATAL_ERROR "libsecp256k1 >= 0.2.0 is required (secp256k1_context_static): install "
                      "the Debian package libsecp256k1-dev from bookworm or later")
endif()

file(GLOB BASTION_CRYPTO_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/crypto/*.c)
bastion_library(bastion_crypto SOURCES ${BASTION_CRYPTO_SOURCES}
  DEPENDS ${BASTION_SODIUM_LIB} ${BASTION_XXHASH_LIB} ${BASTION_NETTLE_LIB} ${BASTION_SECP256K1_LIB}
  PRIVATE_INCLUDES ${BASTION_SODIUM_INCLUDE} ${BASTION_XXHASH_INCLUDE} ${BASTION_NETTLE_INCLUDE}
                   ${BASTION_SECP256K1_INCLUDE})

# One executable per tests/crypto/test_*.c, CTest crypto/<name without test_>.  The tests may
# include src/crypto/internal.h (merlin, the Keccak sponge: white-box, so they link the layer's
# objects rather than its archive) and use nettle/libsodium directly to cross-check.
file(GLOB BASTION_CRYPTO_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/crypto/test_*.c)
foreach(_src IN LISTS BASTION_CRYPTO_TESTS)
  get_filename_component(_name ${_src} NAME_WE)
  string(REGEX REPLACE "^test_" "" _short ${_name})
  add_executable(test_crypto_${_short} ${_src})
  target_include_directories(test_crypto_${_short} PRIVATE ${CMAKE_SOURCE_DIR}/src/crypto
                             ${BASTION_SODIUM_INCLUDE} ${BASTION_NETTLE_INCLUDE})
  target_link_libraries(test_crypto_${_short} PRIVATE bastion_crypto_objects)
  add_test(NAME crypto/${_short} COMMAND test_crypto_${_short})
  set_tests_properties(crypto/${_short} PROPERTIES TIMEOUT 120)
endforeach()
