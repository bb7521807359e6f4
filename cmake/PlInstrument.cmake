# pl_instrument(<target>)
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
function(pl_instrument target)
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
  set(flags
    "$<$<BOOL:${incs}>:-I$<JOIN:${incs},$<SEMICOLON>-I>>"
    "$<$<BOOL:${defs}>:-D$<JOIN:${defs},$<SEMICOLON>-D>>"
    "${opts}"
    "$<IF:$<BOOL:${std}>,-std=c++${std},-std=c++20>")

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
      COMMAND ${tool} --source-root "${root}" -o "${out_dir}" --depfile "${out}.d" "${abs}"
              -- ${flags}
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
