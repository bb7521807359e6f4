# pl_instrument(<target> [HEADERS <glob>...] [LENIENT])
#
# Instruments the C++ sources of <target> at build time, like
# protobuf_generate: each source is rewritten by pl-instrument into
# ${CMAKE_CURRENT_BINARY_DIR}/pl/<target>/<path relative to the source dir>,
# and the target compiles those copies instead (the originals are never
# touched). The target's real flags — include directories, definitions and
# options, with their usage requirements — reach pl-instrument through
# generator expressions. A depfile makes a copy rebuild whenever its source
# or anything it includes changes (Ninja and Makefiles). The target links
# pl::runtime.
#
# HEADERS: also instrument the headers (e.g. of a header-only library) whose
# absolute path matches a glob (`**` crosses directories). Their
# instrumented copies go to a shadow include tree in the build directory,
# which comes first on the target's include path; everything else is
# included unchanged, and the library's files are never touched. LENIENT
# turns "this selection cannot be honoured" from a build error into a
# warning.
function(_pl_include_dirs target out_own out_imported)
  set(own "")
  set(imported "")
  get_target_property(dirs ${target} INCLUDE_DIRECTORIES)
  if(dirs)
    list(APPEND own ${dirs})
  endif()
  get_target_property(libs ${target} LINK_LIBRARIES)
  set(seen "")
  while(libs)
    list(POP_FRONT libs lib)
    if(NOT TARGET "${lib}" OR lib IN_LIST seen)
      continue()
    endif()
    list(APPEND seen "${lib}")
    get_target_property(alias "${lib}" ALIASED_TARGET)
    set(real "${lib}")
    if(alias)
      set(real "${alias}")
    endif()
    get_target_property(idirs "${real}" INTERFACE_INCLUDE_DIRECTORIES)
    get_target_property(is_imported "${real}" IMPORTED)
    if(idirs)
      if(is_imported)
        list(APPEND imported ${idirs})
      else()
        list(APPEND own ${idirs})
      endif()
    endif()
    get_target_property(more "${real}" INTERFACE_LINK_LIBRARIES)
    if(more)
      list(APPEND libs ${more})
    endif()
  endwhile()
  list(FILTER own EXCLUDE REGEX "\\$<")
  list(FILTER imported EXCLUDE REGEX "\\$<")
  set(${out_own} "${own}" PARENT_SCOPE)
  set(${out_imported} "${imported}" PARENT_SCOPE)
endfunction()

function(pl_instrument target)
  cmake_parse_arguments(PL "LENIENT" "" "HEADERS" ${ARGN})
  if(NOT TARGET ${target})
    message(FATAL_ERROR "pl_instrument: '${target}' is not a target")
  endif()
  if(TARGET pl-instrument)
    set(tool "$<TARGET_FILE:pl-instrument>")
    set(tool_dep pl-instrument)
  else()
    set(tool "$<TARGET_FILE:pl::pl-instrument>")
    set(tool_dep pl::pl-instrument)
  endif()
  get_target_property(sources ${target} SOURCES)
  get_target_property(src_dir ${target} SOURCE_DIR)
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/pl/${target}")

  set(incs "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defs "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(opts "$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>")
  set(std "$<TARGET_PROPERTY:${target},CXX_STANDARD>")
  # The file's own standard and dialect, as CMake compiles it: GNU
  # extensions unless CXX_EXTENSIONS is off (CMake's default is on).
  set(ext "$<TARGET_PROPERTY:${target},CXX_EXTENSIONS>")
  set(dialect "$<IF:$<OR:$<STREQUAL:${ext},>,$<BOOL:${ext}>>,gnu,c>")
  set(flags
    "$<$<BOOL:${incs}>:-I$<JOIN:${incs},$<SEMICOLON>-I>>"
    "$<$<BOOL:${defs}>:-D$<JOIN:${defs},$<SEMICOLON>-D>>"
    "${opts}"
    "$<IF:$<BOOL:${std}>,-std=${dialect}++${std},-std=c++20>")

  set(header_args "")
  if(PL_HEADERS)
    set(shadow "${out_dir}/shadow")
    list(JOIN PL_HEADERS "," globs)
    set(header_args --headers "${globs}" --shadow-dir "${shadow}")
    if(PL_LENIENT)
      list(APPEND header_args --lenient)
    endif()
    _pl_include_dirs(${target} own_dirs imported_dirs)
    list(TRANSFORM own_dirs PREPEND "${shadow}")
    list(TRANSFORM imported_dirs PREPEND "${shadow}")
    # Shadow copies first: -I before the target's own directories, and
    # -isystem before the (system) directories of imported libraries.
    target_include_directories(${target} BEFORE PRIVATE ${own_dirs})
    target_include_directories(${target} SYSTEM BEFORE PRIVATE ${imported_dirs})
  endif()

  set(new_sources "")
  foreach(src IN LISTS sources)
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY "${src_dir}" NORMALIZE OUTPUT_VARIABLE abs)
    if(NOT abs MATCHES "\\.(cpp|cc|cxx|C|c\\+\\+)$")
      list(APPEND new_sources "${src}")
      continue()
    endif()
    cmake_path(RELATIVE_PATH abs BASE_DIRECTORY "${src_dir}" OUTPUT_VARIABLE rel)
    if(rel MATCHES "^\\.\\.")
      string(REGEX REPLACE "^/" "" rel "${abs}")
      set(root "/")
    else()
      set(root "${src_dir}")
    endif()
    set(out "${out_dir}/${rel}")
    add_custom_command(
      OUTPUT "${out}"
      COMMAND ${tool} --source-root "${root}" -o "${out_dir}" --depfile "${out}.d" ${header_args}
              "${abs}" -- ${flags}
      DEPENDS "${abs}" ${tool_dep}
      DEPFILE "${out}.d"
      COMMENT "pl-instrument ${rel}"
      COMMAND_EXPAND_LISTS
      VERBATIM)
    list(APPEND new_sources "${out}")
  endforeach()
  set_property(TARGET ${target} PROPERTY SOURCES ${new_sources})
  target_link_libraries(${target} PRIVATE pl::runtime)
endfunction()
