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
