# cmake -DTOOL=<pl-instrument> -DPYTHON=<python3> -DTEST=<case.cpp> -DINCLUDE=<runtime/include>
#       -DCXX=<c++ compiler> -DWORK=<dir> [-DEXPECT_FAILURE=<regex>] -P run_checks.cmake
#
# Instruments TEST without its CHECK lines (check_emitted.py strip), checks
# the output against them (check_emitted.py check), then checks that the
# output compiles. With EXPECT_FAILURE the checks must fail, with an error
# matching the regex: the checker's own test, fed a wrong expectation.
get_filename_component(name "${TEST}" NAME)
set(checker "${CMAKE_CURRENT_LIST_DIR}/check_emitted.py")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/in")
execute_process(COMMAND "${PYTHON}" "${checker}" strip "${TEST}" "${WORK}/in/${name}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check_emitted.py strip failed (${rc}):\n${err}")
endif()
execute_process(
  COMMAND "${TOOL}" "${WORK}/in/${name}" --source-root "${WORK}/in" -o "${WORK}/out"
          -- -std=c++20 "-I${INCLUDE}"
  RESULT_VARIABLE rc ERROR_VARIABLE notes)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pl-instrument failed (${rc}):\n${notes}")
endif()
set(output "${WORK}/out/${name}")
execute_process(COMMAND "${PYTHON}" "${checker}" check "${TEST}" "${output}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(DEFINED EXPECT_FAILURE)
  if(rc EQUAL 0)
    message(FATAL_ERROR "the checker accepted output that contradicts ${name}: it cannot fail")
  elseif(NOT err MATCHES "${EXPECT_FAILURE}")
    message(FATAL_ERROR "the checker failed, but not with '${EXPECT_FAILURE}':\n${err}")
  endif()
  message(STATUS "failed as it must:\n${err}")
  return()
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${err}instrumented output: ${output}")
endif()
execute_process(
  COMMAND "${CXX}" -std=c++20 -Wall -Wextra -fsyntax-only "-I${INCLUDE}" "${output}"
  RESULT_VARIABLE crc ERROR_VARIABLE cerr)
if(NOT crc EQUAL 0)
  message(FATAL_ERROR "the instrumented output does not compile:\n${cerr}")
endif()
