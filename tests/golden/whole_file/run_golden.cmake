# cmake -DTOOL=<pl-instrument> -DINPUT=<case.cpp> -DINCLUDE=<runtime/include>
#       -DCXX=<c++ compiler> -DWORK=<dir> [-DUPDATE=ON] -P run_golden.cmake
#
# Instruments INPUT and compares the result with INPUT's neighbour
# <case>.expected.cpp (absolute paths of the golden directory are written as
# @GOLDEN_DIR@ there), then checks that the output compiles. UPDATE=ON
# rewrites the expectation instead (review the diff before committing).
get_filename_component(dir "${INPUT}" DIRECTORY)
get_filename_component(name "${INPUT}" NAME_WE)
set(expected_file "${dir}/${name}.expected.cpp")
file(REMOVE_RECURSE "${WORK}")
execute_process(
  COMMAND "${TOOL}" "${INPUT}" --source-root "${dir}" -o "${WORK}" -- -std=c++20 "-I${INCLUDE}"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pl-instrument failed (${rc}):\n${err}")
endif()
file(READ "${WORK}/${name}.cpp" actual)
string(REPLACE "${dir}" "@GOLDEN_DIR@" actual "${actual}")
if(UPDATE)
  file(WRITE "${expected_file}" "${actual}")
  message(STATUS "updated ${expected_file}")
  return()
endif()
file(READ "${expected_file}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${WORK}/${name}.actual.cpp" "${actual}")
  execute_process(COMMAND diff -u "${expected_file}" "${WORK}/${name}.actual.cpp"
                  OUTPUT_VARIABLE d)
  message(FATAL_ERROR "instrumented ${name}.cpp differs from ${name}.expected.cpp:\n${d}")
endif()
execute_process(
  COMMAND "${CXX}" -std=c++20 -Wall -Wextra -fsyntax-only "-I${INCLUDE}" "${WORK}/${name}.cpp"
  RESULT_VARIABLE crc ERROR_VARIABLE cerr)
if(NOT crc EQUAL 0)
  message(FATAL_ERROR "the instrumented output does not compile:\n${cerr}")
endif()
if(NOT "${err}" STREQUAL "")
  message(STATUS "pl-instrument notes:\n${err}")
endif()
