# cmake/structure.cmake — the architecture rules of docs/architecture.md, checked by CTest
# (structure/NAME) on every build:
#   structure/layers  — each file includes only its own layer's headers and the public headers
#                       of the layers below (tests/structure/check_layers.py); third-party
#                       crypto only in src/crypto/
#   structure/symbols — each static library exports only names its public headers declare
#                       (tests/structure/check_symbols.sh over the localised archives)
#   structure/symbols_canary — the symbol check must fail on a library that leaks a name
#   structure/format  — the sources are formatted as .clang-format says (when clang-format is
#                       installed; scripts/deps.sh installs it)
#   structure/seal_docs — docs/contracts.md lists every host function of
#                       src/contracts/seal_table.h under its module and import name
#                       (tests/structure/check_seal_docs.py)
# Included last, when every library is defined.

find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME structure/layers
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/structure/check_layers.py
                 ${CMAKE_SOURCE_DIR})

get_property(_bst_libs GLOBAL PROPERTY BASTION_LIBRARIES)
set(_bst_lib_files)
foreach(_l IN LISTS _bst_libs)
  list(APPEND _bst_lib_files $<TARGET_FILE:${_l}>)
endforeach()
add_test(NAME structure/symbols
         COMMAND ${CMAKE_SOURCE_DIR}/tests/structure/check_symbols.sh ${CMAKE_NM}
                 ${CMAKE_SOURCE_DIR}/include ${_bst_lib_files})
# A library built the same way whose one non-static function is not in any public header.
bastion_library(bst_symbols_canary SOURCES ${CMAKE_SOURCE_DIR}/tests/structure/canary.c)
add_test(NAME structure/symbols_canary
         COMMAND ${CMAKE_SOURCE_DIR}/tests/structure/check_symbols.sh ${CMAKE_NM}
                 ${CMAKE_SOURCE_DIR}/include $<TARGET_FILE:bst_symbols_canary>)
add_test(NAME structure/seal_docs
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/structure/check_seal_docs.py
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(structure/layers structure/symbols structure/symbols_canary
                     structure/seal_docs PROPERTIES TIMEOUT 60)
set_tests_properties(structure/symbols_canary PROPERTIES WILL_FAIL TRUE)

find_program(BASTION_CLANG_FORMAT NAMES clang-format clang-format-14)
if(BASTION_CLANG_FORMAT)
  add_test(NAME structure/format
           COMMAND ${CMAKE_SOURCE_DIR}/tests/structure/check_format.sh ${BASTION_CLANG_FORMAT}
                   ${CMAKE_SOURCE_DIR})
  set_tests_properties(structure/format PROPERTIES TIMEOUT 120)
else()
  message(WARNING "clang-format not found (scripts/deps.sh installs it): structure/format not "
                  "registered")
endif()
