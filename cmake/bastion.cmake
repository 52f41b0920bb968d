# cmake/bastion.cmake — what every layer's cmake file uses, included by CMakeLists.txt first.
#
#   bastion_library(NAME SOURCES ... [DEPENDS lib ...] [PRIVATE_INCLUDES dir ...])
#       A layer's static library NAME that exports only its public API.  The sources are compiled
#       once into NAME_objects (an OBJECT library: white-box tests link it to reach internals);
#       NAME is the archive of those objects, rewritten after each build by
#       cmake/localize_hidden.sh so that hidden internals become local symbols.  DEPENDS are the
#       lower layers and third-party libraries it uses (propagated to whoever links NAME).
#   bastion_assemble_wat(TARGET OUTDIR [DEBUG_NAMES] WATS ...)
#       wat2wasm for test modules: OUTDIR/NAME.wasm for each NAME.wat, all built by the custom
#       target TARGET (part of `all`).  Needs BASTION_WAT2WASM.

function(bastion_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;PRIVATE_INCLUDES" ${ARGN})
  add_library(${name}_objects OBJECT ${ARG_SOURCES})
  target_include_directories(${name}_objects
    PUBLIC ${CMAKE_SOURCE_DIR}/include
    PRIVATE ${CMAKE_SOURCE_DIR}/src ${ARG_PRIVATE_INCLUDES})
  target_link_libraries(${name}_objects PUBLIC ${ARG_DEPENDS})
  add_library(${name} STATIC $<TARGET_OBJECTS:${name}_objects>)
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${ARG_DEPENDS})
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_SOURCE_DIR}/cmake/localize_hidden.sh ${CMAKE_AR} ${CMAKE_LINKER}
            ${CMAKE_OBJCOPY} $<TARGET_FILE:${name}>
    COMMENT "${name}: only the public API stays global"
    VERBATIM)
  set_property(GLOBAL APPEND PROPERTY BASTION_LIBRARIES ${name})
endfunction()

function(bastion_assemble_wat target outdir)
  cmake_parse_arguments(ARG "DEBUG_NAMES" "" "" ${ARGN})
  set(_flags)
  if(ARG_DEBUG_NAMES)
    set(_flags --debug-names)
  endif()
  set(_outs)
  foreach(_wat IN LISTS ARG_UNPARSED_ARGUMENTS)
    get_filename_component(_name ${_wat} NAME_WE)
    set(_out ${outdir}/${_name}.wasm)
    add_custom_command(
      OUTPUT ${_out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
      COMMAND ${BASTION_WAT2WASM} ${_flags} ${_wat} -o ${_out}
      DEPENDS ${_wat}
      COMMENT "wat2wasm ${_name}.wat"
      VERBATIM)
    list(APPEND _outs ${_out})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${_outs})
endfunction()

# A dependency from Debian: VAR_INCLUDE and VAR_LIB, or a configure error naming the package.
function(bastion_find_dep var header lib package)
  find_path(${var}_INCLUDE ${header})
  find_library(${var}_LIB ${lib})
  if(NOT ${var}_INCLUDE OR NOT ${var}_LIB)
    message(FATAL_ERROR "${lib} not found: install the Debian package ${package} "
                        "(see scripts/deps.sh)")
  endif()
endfunction()
