# cmake/scale.cmake — Parity's SCALE codec: bastion_scale (src/scale/, include/bastion_scale.h),
# used by the Substrate and contract hosts, and its test (CTest scale/codec).  It depends on
# nothing but the C library.

bastion_library(bastion_scale SOURCES ${CMAKE_SOURCE_DIR}/src/scale/scale.c)
add_executable(test_scale ${CMAKE_SOURCE_DIR}/tests/scale/test_scale.c)
target_link_libraries(test_scale PRIVATE bastion_scale)
add_test(NAME scale/codec COMMAND test_scale)
set_tests_properties(scale/codec PROPERTIES TIMEOUT 120)
