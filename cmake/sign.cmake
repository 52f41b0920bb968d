# cmake/sign.cmake — signed code: bastion_sign (src/sign/, include/bastion_sign.h: the
# WebAssembly tool-conventions signature section, minisign keys and detached signatures, the
# trust policy) and its tests (tests/sign/, CTest sign/NAME).  Included by CMakeLists.txt.
#
# Cryptography only through bastion_crypto (include/bastion_crypto.h).  The interop tests with
# the real minisign tool (Debian package minisign, scripts/deps.sh) are CLI tests registered
# here too, since they exercise this layer's formats through `bastion`.

file(GLOB BASTION_SIGN_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/sign/*.c)
bastion_library(bastion_sign SOURCES ${BASTION_SIGN_SOURCES} DEPENDS bastion_crypto)

# White-box unit test: links the layer's objects to reach the wire-format internals.
add_executable(test_sign ${CMAKE_SOURCE_DIR}/tests/sign/test_sign.c)
target_include_directories(test_sign PRIVATE ${CMAKE_SOURCE_DIR}/src/sign)
target_link_libraries(test_sign PRIVATE bastion_sign_objects bastion_crypto)
add_test(NAME sign/unit COMMAND test_sign)
set_tests_properties(sign/unit PROPERTIES TIMEOUT 120)

# The command line against the real minisign tool (tests/sign/cli.sh); encrypted keys, whose
# scrypt takes 1 GiB and seconds each, in a test of their own (tests/sign/encrypted.sh).
find_program(BASTION_MINISIGN minisign)
if(NOT BASTION_MINISIGN)
  set(BASTION_MINISIGN minisign) # the tests fail saying it is missing (scripts/deps.sh)
endif()
if(BASTION_WAT2WASM)
  add_test(NAME sign/cli
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/sign/cli.sh $<TARGET_FILE:bastion>
                   ${BASTION_WAT2WASM} ${BASTION_MINISIGN} ${BASTION_SHARED_DIR})
  add_test(NAME sign/encrypted
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/sign/encrypted.sh $<TARGET_FILE:bastion>
                   ${BASTION_WAT2WASM} ${BASTION_MINISIGN})
  set_tests_properties(sign/cli PROPERTIES TIMEOUT 600)
  set_tests_properties(sign/encrypted PROPERTIES TIMEOUT 900)
else()
  message(WARNING "wat2wasm not found: sign/cli and sign/encrypted not registered")
endif()
